// Local API latency and throughput: autocannon in a child process against the in-process local stack.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './bundle';

export interface LoadScenario {
  name: string;
  baseUrl: string;
  method: 'GET' | 'POST';
  /** One path, or several that requests cycle through. */
  paths: string[];
  headers: Record<string, string>;
  /** Request body; `[<id>]` is replaced by a unique id per request. */
  body?: string;
  connections: number;
  durationS: number;
}

export interface LoadSummary {
  durationS: number;
  requests: number;
  /** Completed requests ÷ duration. */
  rps: number;
  /** autocannon's own mean of its per-second samples. */
  rpsAutocannonMean: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

export type ParentMessage = { type: 'run'; scenario: LoadScenario } | { type: 'exit' };
export type ChildMessage = { type: 'ready' } | { type: 'result'; name: string; summary: LoadSummary } | { type: 'error'; name: string; message: string };

export class LoadGenerator {
  private constructor(private readonly child: ChildProcess) {}

  static async start(): Promise<LoadGenerator> {
    // The child runs TypeScript through tsx like this script; its env is ours (loopback only).
    const child = fork(join(REPO_ROOT, 'bench', 'load-child.ts'), [], { cwd: REPO_ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolveReady, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`load generator exited early (code ${code})`)));
      child.once('message', (m: ChildMessage) => (m.type === 'ready' ? resolveReady() : reject(new Error(`unexpected message ${m.type}`))));
    });
    child.removeAllListeners('exit');
    return new LoadGenerator(child);
  }

  run(scenario: LoadScenario): Promise<LoadSummary> {
    return new Promise((resolveRun, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited during ${scenario.name} (code ${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (m: ChildMessage) => {
        this.child.off('exit', onExit);
        if (m.type === 'result') resolveRun(m.summary);
        else reject(new Error(`load scenario ${scenario.name} failed: ${m.type === 'error' ? m.message : m.type}`));
      });
      this.child.send({ type: 'run', scenario } satisfies ParentMessage);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolveStop) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolveStop();
      });
      this.child.send({ type: 'exit' } satisfies ParentMessage);
    });
  }
}
