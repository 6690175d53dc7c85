// Jest's node environment, quiet: what a test file writes straight to stdout/stderr (the local stack's Powertools
// logs, its server-error lines) is held back and printed only when a test or hook of the file fails. jest's own
// console capture is untouched; TEST_LOGS=1 lets everything through as it happens. It also switches off, when a file
// ends, the async hooks that file's modules enabled (see `hooks` below).
import asyncHooks, { type AsyncHook } from 'node:async_hooks';
import type { Circus } from '@jest/types';
import { TestEnvironment } from 'jest-environment-node';

type Write = typeof process.stdout.write;

export default class QuietEnvironment extends TestEnvironment {
  private held: { stream: NodeJS.WriteStream; chunk: string }[] = [];
  private originals = new Map<NodeJS.WriteStream, Write>();
  private failed = false;
  /**
   * The async hooks enabled while this file ran. The X-Ray SDK (under Powertools Tracer, imported by the event functions)
   * enables a cls-hooked namespace hook with a destroy callback when it loads, and never disables it. Each test file
   * loads its own copy of the modules, so a worker gathered one more process-wide hook per file that started the local
   * stack: after six API files a promise cost about ten times what it cost in a fresh worker, and the files at the end of
   * a run crawled. They are disabled when the file ends (its modules are gone by then).
   */
  private hooks: AsyncHook[] = [];
  private createHook: typeof asyncHooks.createHook | undefined;
  /** Likewise the AsyncLocalStorage instances made while this file ran (jest-circus's own, one per file, among them). */
  private stores: InstanceType<typeof asyncHooks.AsyncLocalStorage>[] = [];
  private Storage: typeof asyncHooks.AsyncLocalStorage | undefined;

  override async setup(): Promise<void> {
    await super.setup();
    const createHook = (this.createHook = asyncHooks.createHook);
    asyncHooks.createHook = (callbacks) => {
      const hook = createHook(callbacks);
      this.hooks.push(hook);
      return hook;
    };
    const Storage = (this.Storage = asyncHooks.AsyncLocalStorage);
    const stores = this.stores;
    asyncHooks.AsyncLocalStorage = class<T> extends Storage<T> {
      constructor() {
        super();
        stores.push(this);
      }
    };
    if (process.env.TEST_LOGS) return;
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write;
      this.originals.set(stream, original);
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        if (this.failed) return original.call(stream, chunk, ...(rest as [BufferEncoding]));
        this.held.push({ stream, chunk: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8') });
        const callback = rest.find((r): r is () => void => typeof r === 'function');
        callback?.();
        return true;
      });
    }
  }

  handleTestEvent(event: Circus.Event): void {
    const failed = (event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure';
    if (failed && !this.failed) {
      this.failed = true;
      this.flush();
    }
  }

  /** Prints what was held back, through the real streams, under a line saying why. */
  private flush(): void {
    if (!this.held.length) return;
    const err = this.originals.get(process.stderr) ?? process.stderr.write;
    err.call(process.stderr, '\n── output held back before the first failure (test/support/quiet-environment.ts) ──\n');
    for (const { stream, chunk } of this.held) (this.originals.get(stream) ?? stream.write).call(stream, chunk);
    this.held = [];
  }

  override async teardown(): Promise<void> {
    if (this.createHook) asyncHooks.createHook = this.createHook;
    if (this.Storage) asyncHooks.AsyncLocalStorage = this.Storage;
    for (const store of this.stores) store.disable();
    this.stores = [];
    for (const hook of this.hooks) hook.disable();
    this.hooks = [];
    for (const [stream, original] of this.originals) stream.write = original;
    this.originals.clear();
    this.held = [];
    await super.teardown();
  }
}
