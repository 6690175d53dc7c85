// Faults survived, in figures: the chaos scenario (test/chaos/scenario.ts) on one local stack, first without faults,
// then with the issue's faults at its rates (FAULT_INJECTION's services, the SDK's real retries), in the same process
// on the same machine load: operations, faults injected per service, answers the client had to retry (429/503 with
// Retry-After), p50/p99 latency of each run, time to drain after the faults stop, and the invariants checked.
//
// `npm run bench` runs it with BENCH_ONLY=chaos as `node --import tsx bench/chaos.ts --json FILE --no-report`;
// standalone: `npx tsx bench/chaos.ts [--json FILE] [--no-report]`. BENCH_CHAOS_OPERATIONS sets operations per run.
import { runStandalone } from './standalone';
import { envInt, ms, percentile, round, say, table } from './stats';

interface RunFigures {
  label: string;
  operations: number;
  answers: number;
  /** Answers the client had to retry: 429 or 503, each with Retry-After. */
  retryable: number;
  p50Ms: number;
  p99Ms: number;
  drainMs: number;
  injected: Record<string, number>;
  calls: Record<string, number>;
  created: number;
  deliveries: { received: number; unique: number; repeats: number; expected: number };
  deadLettered: number;
  findings: string[];
}

export interface ChaosBenchResult {
  settings: { operations: number; concurrency: number; faults: string; seed: number };
  runs: RunFigures[];
  checks: { name: string; ok: boolean; hard: boolean; detail: string }[];
}

const runChaosBench = async (): Promise<ChaosBenchResult> => {
  const operations = envInt('BENCH_CHAOS_OPERATIONS', 200, 20);
  const concurrency = envInt('BENCH_CHAOS_CONCURRENCY', 4, 1);
  const seed = envInt('BENCH_CHAOS_SEED', 33, 0);
  const { startStack } = await import('../infra/local/stack');
  const { CHAOS_FAULTS, CHECKPOINT_MOVES, runChaos } = await import('../test/chaos/scenario');
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, projection: true, retentionJob: false, auditDigest: false, log: () => {} });
  const runs: RunFigures[] = [];
  try {
    // Warm-up, not measured: the first requests load every handler module, which would count against the first run.
    await runChaos(stack, { operations: 20, concurrency, clockEvery: 1_000, seed: seed + 1, faults: '', clientRetries: 6 });
    for (const [label, faults] of [
      ['without faults', ''],
      ['with faults', CHAOS_FAULTS],
    ] as const) {
      say(`  ▸ ${label}: ${operations} operations, ${concurrency} clients …`);
      const r = await runChaos(stack, { operations, concurrency, clockEvery: Math.max(20, Math.floor(operations / 12)), seed, faults, clientRetries: 6, checkpointMoves: CHECKPOINT_MOVES });
      const latencies = r.answers.map((a) => a.ms);
      runs.push({
        label,
        operations,
        answers: r.answers.length,
        retryable: r.answers.filter((a) => a.status === 429 || a.status === 503).length,
        p50Ms: round(percentile(latencies, 50), 1),
        p99Ms: round(percentile(latencies, 99), 1),
        drainMs: round(r.drainMs, 0),
        injected: r.faults.injected,
        calls: r.faults.calls,
        created: r.created,
        deliveries: r.deliveries,
        deadLettered: r.deadLettered,
        findings: r.findings,
      });
    }
  } finally {
    await stack.stop();
  }
  return {
    settings: { operations, concurrency, faults: CHAOS_FAULTS, seed },
    runs,
    checks: runs.map((r) => ({ name: `chaos ${r.label}: nothing lost, doubled or answered 500`, ok: r.findings.length === 0, hard: true, detail: r.findings.slice(0, 5).join('; ') || 'none' })),
  };
};

export const chaosReport = (r: ChaosBenchResult): string =>
  [
    `Chaos (measured under contention on a shared machine; ${r.settings.operations} operations per run, ${r.settings.concurrency} clients, seed ${r.settings.seed})`,
    table(
      ['run', 'answers', '429/503', 'p50 ms', 'p99 ms', 'drain ms', 'cases', 'events (unique/received)', 'dead letters', 'findings'],
      r.runs.map((x) => [x.label, x.answers, x.retryable, ms(x.p50Ms), ms(x.p99Ms), x.drainMs, x.created, `${x.deliveries.unique}/${x.deliveries.received}`, x.deadLettered, x.findings.length]),
    ),
    ...r.runs
      .filter((x) => Object.keys(x.injected).length)
      .map((x) => `faults injected (${x.label}): ${Object.entries(x.injected).map(([k, n]) => `${k} ${n}/${x.calls[k.split(':')[0]!] ?? 0} calls`).join(', ')}`),
  ].join('\n');

if (require.main === module) runStandalone('chaos', runChaosBench, chaosReport);
