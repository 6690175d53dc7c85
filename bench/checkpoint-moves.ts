// The local timer pump under faults, in figures: how fast a clock move fires the checkpoints of many open cases while
// the chaos scenario's faults (test/chaos/scenario.ts CHAOS_FAULTS) hit every dependency. It is the part of
// `npm run chaos` that the 5,000-operation run spent its time in (CHECKPOINT_MOVES after the load), on its own.
//
// `npx tsx bench/checkpoint-moves.ts [--json FILE] [--no-report]`: one in-process stack (in-memory DynamoDB Local,
// the reporting projection on, a subscriber receiving the webhooks), BENCH_PUMP_CASES cases (default 150) opened
// with the faults off, then the faults on and the clock moved by CHECKPOINT_MOVES, each move timed with the timers it
// fired; then the faults off, a drain, and a check that every checkpoint marked fired on its case was audited once
// and every due one fired. Also times where the pump spent its rounds (stream consumers, scheduler, workflows, the
// webhook job); BENCH_PUMP_TRACE=1 prints each part of each round as it ends.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { runStandalone } from './standalone';
import { envInt, say, table } from './stats';

interface MoveFigures {
  advanceBy: string;
  ms: number;
  fired: number;
  perTimerMs: number;
  load: number;
}

export interface CheckpointMovesResult {
  settings: { cases: number; concurrency: number; seed: number; faults: string; moves: readonly string[] };
  createMs: number;
  moves: MoveFigures[];
  /** Wall time the pump spent in each part, summed over the moves (parts overlap where they run side by side). */
  partsMs: Record<string, number>;
  /** How often each part ran (the scheduler's count is the pump's rounds). */
  partCalls: Record<string, number>;
  injected: Record<string, number>;
  checkpoints: { marked: number; audited: number; twice: number; dueNotFired: number };
  checks: { name: string; ok: boolean; hard: boolean; detail: string }[];
}

const run = async (): Promise<CheckpointMovesResult> => {
  const cases = envInt('BENCH_PUMP_CASES', 150, 1);
  const concurrency = envInt('BENCH_PUMP_CONCURRENCY', 6, 1);
  const seed = envInt('BENCH_PUMP_SEED', 33, 0);
  const { loadavg } = await import('node:os');
  const { startStack } = await import('../infra/local/stack');
  const { CHAOS_FAULTS, CHECKPOINT_MOVES } = await import('../test/chaos/scenario');
  const { FaultInjector, parseFaults, setFaults, standInCall } = await import('../infra/local/faults');
  const { PUBLISHED_EVENT_TYPES } = await import('#schemas/events');
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, projection: true, retentionJob: false, auditDigest: false, problemSignals: false, log: () => {} });
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end('ok'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = stack.api.url;
  const token = async (sub: string, groups: string[]) => (await stack.issuer.issue({ sub, groups: groups as never })).token;
  const call = async (method: string, path: string, sub: string, groups: string[], body?: unknown) => {
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${await token(sub, groups)}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> | undefined };
  };
  // Where the pump's rounds go: each part wrapped, its wall time summed while a move runs.
  const partsMs: Record<string, number> = {};
  const partCalls: Record<string, number> = {};
  let measuring = false;
  const wrap = <O extends object>(name: string, obj: O, method: keyof O) => {
    const original = (obj[method] as (...args: unknown[]) => Promise<unknown>).bind(obj);
    (obj as Record<string, unknown>)[method as string] = async (...args: unknown[]) => {
      const t0 = performance.now();
      let out: unknown;
      try {
        out = await original(...args);
        return out;
      } finally {
        if (measuring && process.env.BENCH_PUMP_TRACE) say(`    ${name}: ${Math.round(performance.now() - t0)} ms → ${Array.isArray(out) ? `${out.length} fired` : String(out)}`);
        if (measuring) {
          partsMs[name] = (partsMs[name] ?? 0) + performance.now() - t0;
          partCalls[name] = (partCalls[name] ?? 0) + 1;
        }
      }
    };
  };
  wrap('stream case-stream', stack.poller, 'drain');
  if (stack.projection) wrap('stream report-projection', stack.projection, 'drain');
  wrap('scheduler fireDue', stack.scheduler, 'fireDue');
  wrap('workflows catchUp', stack.workflows, 'catchUp');
  wrap('webhook job', stack.webhooks.job, 'run');
  try {
    const sub = await call('POST', '/v1/webhooks', 'ada-admin', ['admin'], { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`, eventTypes: [...PUBLISHED_EVENT_TYPES] });
    if (sub.status !== 201) throw new Error(`subscribe: ${sub.status} ${JSON.stringify(sub.body)}`);
    const ids: string[] = [];
    const t0 = performance.now();
    let n = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (n < cases) {
          const i = n++;
          const res = await call('POST', '/v1/complaints', 'sam', ['supervisor'], {
            customer: { id: `pump-${i}-${Date.now()}`, name: 'Ada Lovelace', email: 'ada@example.com', vulnerable: false },
            channel: 'web',
            summary: 'Third delayed delivery this month',
            description: 'Missed a service appointment, asks for formal review and compensation.',
            product: 'home-delivery',
            category: 'service_delay',
            regime: i % 3 === 2 ? 'INTERNAL_STANDARD' : 'UK_FCA_DISP',
            ownerId: 'alice',
          });
          if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
          ids.push(String(res.body?.id));
        }
      }),
    );
    await stack.timers.pump();
    await stack.workflows.idle();
    const createMs = performance.now() - t0;
    say(`  ${cases} cases opened in ${Math.round(createMs)} ms; faults on, moving the clock ${CHECKPOINT_MOVES.join(', ')} …`);

    const injector = new FaultInjector(parseFaults(CHAOS_FAULTS), seed, standInCall(stack.tables.local, stack.inboundBucket));
    setFaults(injector);
    const moves: MoveFigures[] = [];
    measuring = true;
    for (const advanceBy of CHECKPOINT_MOVES) {
      const m0 = performance.now();
      // A plain request with no timeout: a move may outlast fetch's fixed 300 s wait for the answer's headers.
      const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(`${url}/local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          answer.on('end', () => resolve({ status: answer.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          answer.on('error', reject);
        });
        req.on('error', reject);
        req.end(JSON.stringify({ advanceBy }));
      });
      if (res.status !== 200) throw new Error(`clock move ${advanceBy}: ${res.status}`);
      const out = JSON.parse(res.text) as { fired?: unknown[] };
      const ms = performance.now() - m0;
      const fired = out.fired?.length ?? 0;
      moves.push({ advanceBy, ms: Math.round(ms), fired, perTimerMs: fired ? Math.round((ms / fired) * 10) / 10 : 0, load: Math.round(loadavg()[0]! * 100) / 100 });
      say(`  ${advanceBy}: ${fired} timers in ${Math.round(ms)} ms (${fired ? (ms / fired).toFixed(1) : '–'} ms a timer, load ${loadavg()[0]!.toFixed(2)})`);
    }
    measuring = false;
    setFaults(undefined);
    // What failed under the faults and stayed due fires now; dead letters go back and fire.
    await stack.timers.pump();
    await stack.workflows.idle();
    await fetch(`${url}/local/dead-letters/replay`, { method: 'POST' }).then((r) => r.arrayBuffer());
    await stack.timers.pump();

    const checkpoints = { marked: 0, audited: 0, twice: 0, dueNotFired: 0 };
    const now = (await (await fetch(`${url}/local/clock`)).json()) as { now: string };
    for (const id of ids) {
      const kase = (await call('GET', `/v1/complaints/${id}`, 'sam', ['supervisor'])).body as { checkpoints?: { percent: number; at: string; firedAt?: string }[]; cycles?: { n: number; stoppedAt?: string }[]; clock?: { pausedAt?: string } };
      const events: { action: string; data: Record<string, unknown> }[] = [];
      let path: string | undefined = `/v1/complaints/${id}/timeline`;
      while (path) {
        const page = (await call('GET', path, 'sam', ['supervisor'])).body as { items?: typeof events; nextCursor?: string };
        events.push(...(page.items ?? []));
        path = page.nextCursor ? `/v1/complaints/${id}/timeline?cursor=${encodeURIComponent(page.nextCursor)}` : undefined;
      }
      const cycle = kase.cycles?.at(-1);
      for (const cp of kase.checkpoints ?? []) {
        const action = cp.percent === 100 ? 'deadline.breached' : 'checkpoint.reached';
        const audited = events.filter((e) => e.action === action && e.data.percent === cp.percent && e.data.cycle === cycle?.n).length;
        checkpoints.audited += audited;
        if (audited > 1) checkpoints.twice++;
        if (cp.firedAt) checkpoints.marked++;
        else if (cp.at <= now.now && !cycle?.stoppedAt && !kase.clock?.pausedAt) checkpoints.dueNotFired++;
      }
    }
    const pending = (await stack.scheduler.pending()).filter((t) => t.at <= now.now).length;
    return {
      settings: { cases, concurrency, seed, faults: CHAOS_FAULTS, moves: CHECKPOINT_MOVES },
      createMs: Math.round(createMs),
      moves,
      partsMs: Object.fromEntries(Object.entries(partsMs).map(([k, v]) => [k, Math.round(v)])),
      partCalls,
      injected: injector.counts.injected,
      checkpoints,
      checks: [
        { name: 'checkpoints fired', ok: checkpoints.marked > 0, hard: true, detail: `${checkpoints.marked} marked` },
        { name: 'each marked checkpoint audited exactly once', ok: checkpoints.twice === 0 && checkpoints.audited === checkpoints.marked, hard: true, detail: `${checkpoints.audited} audited, ${checkpoints.twice} twice` },
        { name: 'every due checkpoint fired', ok: checkpoints.dueNotFired === 0 && pending === 0, hard: true, detail: `${checkpoints.dueNotFired} due not fired, ${pending} schedules overdue` },
      ],
    };
  } finally {
    receiver.close();
    await stack.stop();
  }
};

const report = (r: CheckpointMovesResult): string =>
  [
    `Checkpoint moves under faults (${r.settings.cases} cases, seed ${r.settings.seed}; opened in ${r.createMs} ms)`,
    table(
      ['move', 'timers', 'ms', 'ms a timer', 'load'],
      r.moves.map((m) => [m.advanceBy, m.fired, m.ms, m.perTimerMs, m.load]),
    ),
    `Pump parts (ms, summed): ${Object.entries(r.partsMs)
      .map(([k, v]) => `${k} ${v} (${r.partCalls[k] ?? 0} calls)`)
      .join(', ')}`,
    `Faults injected: ${Object.entries(r.injected)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `Checkpoints: ${r.checkpoints.marked} marked, ${r.checkpoints.audited} audited, ${r.checkpoints.twice} audited twice, ${r.checkpoints.dueNotFired} due and not fired`,
    ...r.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`),
  ].join('\n');

runStandalone('checkpoint-moves', run, report);
