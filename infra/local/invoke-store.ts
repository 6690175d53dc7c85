// Per-invocation state for the handlers the local stack runs side by side in one process. Lambda runs one invocation
// per execution environment at a time, except under multi-concurrency (AWS_LAMBDA_MAX_CONCURRENCY), where its runtime
// keeps each invocation's state in `globalThis.awslambda.InvokeStore` and Powertools (the logger's keys and context,
// the batch processor's records and failures, metrics) keeps its per-invocation state there instead of on the shared
// instance. The local stack is exactly that case: concurrent requests, timers and stream lanes run the same handler
// modules at once, and one invocation's `logger.appendKeys` or batch failures must not leak into another's. So the
// local invoker plays the runtime's part: every invocation runs in its own context of this store.
import { AsyncLocalStorage } from 'node:async_hooks';

type InvokeContext = Record<string | symbol, unknown>;

/** The fields the runtime sets and nobody else may (the keys @aws/lambda-invoke-store defines with Symbol.for). */
const PROTECTED = {
  requestId: Symbol.for('_AWS_LAMBDA_REQUEST_ID'),
  xRayTraceId: Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID'),
  tenantId: Symbol.for('_AWS_LAMBDA_TENANT_ID'),
  traceparent: Symbol.for('_AWS_LAMBDA_TRACEPARENT'),
  tracestate: Symbol.for('_AWS_LAMBDA_TRACESTATE'),
  baggage: Symbol.for('_AWS_LAMBDA_BAGGAGE'),
} as const;
const PROTECTED_KEYS = new Set<string | symbol>(Object.values(PROTECTED));

/**
 * The runtime's store (the interface of @aws/lambda-invoke-store's InvokeStoreBase), on AsyncLocalStorage. Outside any
 * invocation (a test calling a handler directly, a module's top level) reads and writes go to one shared context, as
 * they would with no store at all.
 */
export class LocalInvokeStore {
  private readonly als = new AsyncLocalStorage<InvokeContext>();
  private readonly outside: InvokeContext = {};

  getContext(): InvokeContext {
    return this.als.getStore() ?? this.outside;
  }

  hasContext(): boolean {
    return this.als.getStore() !== undefined;
  }

  get<T = unknown>(key: string | symbol): T | undefined {
    return this.getContext()[key] as T | undefined;
  }

  set<T = unknown>(key: string | symbol, value: T): void {
    if (PROTECTED_KEYS.has(key)) throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    this.getContext()[key] = value;
  }

  run<T>(context: InvokeContext, fn: () => T): T {
    return this.als.run(context, fn);
  }

  getRequestId(): string {
    return this.get<string>(PROTECTED.requestId) ?? '-';
  }

  getXRayTraceId(): string | undefined {
    return this.get<string>(PROTECTED.xRayTraceId);
  }

  getTenantId(): string | undefined {
    return this.get<string>(PROTECTED.tenantId);
  }

  getTraceparent(): string | undefined {
    return this.get<string>(PROTECTED.traceparent);
  }

  getTracestate(): string | undefined {
    return this.get<string>(PROTECTED.tracestate);
  }

  getBaggage(): string | undefined {
    return this.get<string>(PROTECTED.baggage);
  }
}

let store: LocalInvokeStore | undefined;

/**
 * Installs the store as the runtime's (once per process) and tells Powertools to use it, as Lambda does when it runs
 * invocations concurrently. Idempotent.
 */
export const installLocalInvokeStore = (): LocalInvokeStore => {
  store ??= new LocalInvokeStore();
  const g = globalThis as { awslambda?: { InvokeStore?: unknown } };
  g.awslambda ??= {};
  g.awslambda.InvokeStore = store;
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
  return store;
};

/** Runs one invocation in a fresh context of the store (its request id as the runtime records it). */
export const inInvocation = <T>(requestId: string | undefined, fn: () => T): T => {
  const s = installLocalInvokeStore();
  return s.run(requestId ? { [PROTECTED.requestId]: requestId } : {}, fn);
};
