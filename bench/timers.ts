// Case timers on the local stack: checkpoint lateness in real time, Scheduler calls and invocations per case
// lifecycle, and what the invocations cost on EventBridge Scheduler at list price.
//
// Runs one in-process local stack (in-memory DynamoDB Local, API on an ephemeral loopback port) in a fresh
// process: `npm run bench` starts it as `node --import tsx bench/timers.ts --json FILE --no-report`, because the
// container binds to the first stack's DynamoDB endpoint once per process and the lifecycles move the
// process-wide local clock by months. Standalone: `npx tsx bench/timers.ts` prints progress and the report.
//
// 1. Lifecycles (first, on a fresh stack with no background tick: `tickMs: 0`, `stack.timers.pump()` after every
//    step, time moved with POST /local/clock): typical case lifecycles driven through the HTTP API, each counted
//    on its own (LocalScheduler.calls before/after; the deliveries of its case in `stack.timers.history`).
// 2. Lateness (then, in real time, the clock not moved): the background tick as `npm start` runs it
//    (`LocalTimers.start(tickMs)`, what startStack calls; default 1000 ms, also 250 ms). N US_CFPB cases
//    (15 calendar days, 50 % checkpoint at receipt + 7.5 days) received 7.5 days before B + δ, δ spread evenly
//    over 2–10 s, where B (local clock) is when the last of them will have been created (sized by timing a few
//    creates first), so every checkpoint is scheduled before it falls due and none falls due during the creates;
//    then wait until every one fired and compare due (`at`) and fired times.
import { benchComplaint } from './fixtures/complaint';
import { runStandalone } from './standalone';
import { localOutbox } from '#adapters/local/local-outbox';
import type { Fired } from '#adapters/local/local-scheduler';
import { computeDeadline } from '#domain/deadlines';
import { getRegime } from '#domain/regimes';
import { startStack, type StartedStack } from '../infra/local/stack';
import { expectStatus, localClock, typed, type Caller } from './api-client';
import { suppressStderrLines } from './quiet';
import { ms, percentile, round, say, table, envInt, type Spread } from './stats';


const envTicks = (name: string, fallback: number[]): number[] => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const ticks = raw.split(',').map((s) => Number(s.trim()));
  if (!ticks.length || ticks.some((t) => !Number.isInteger(t) || t < 10)) throw new Error(`${name} must be a comma-separated list of tick intervals in ms (each ≥ 10), got ${raw}`);
  return ticks;
};

/** EventBridge Scheduler list price (us-east-1 and most regions): invocations only; API calls are free. */
export const SCHEDULER_PRICING = {
  usdPerMillionInvocations: 1.0,
  freeInvocationsPerMonth: 14_000_000,
  apiCallsCharged: false,
  source: 'https://aws.amazon.com/eventbridge/pricing/ (EventBridge Scheduler)',
} as const;

export interface TimerBenchSettings {
  /** Cases per lateness measurement (BENCH_TIMER_CASES). */
  cases: number;
  /** Background tick intervals measured (BENCH_TIMER_TICKS; npm start uses 1000 ms). */
  ticksMs: number[];
  regime: 'US_CFPB';
  /** The 50 % checkpoints fall due spread evenly over this window, which opens when the last case is expected to exist. */
  leadS: { min: number; max: number };
  /** Real time allowed after the last checkpoint's due time before the missing ones count as not fired. */
  graceS: number;
}

/** BENCH_TIMER_CASES, BENCH_TIMER_TICKS. */
export const timerSettings = (): TimerBenchSettings => ({
  cases: envInt('BENCH_TIMER_CASES', 200, 10),
  ticksMs: envTicks('BENCH_TIMER_TICKS', [1000, 250]),
  regime: 'US_CFPB',
  leadS: { min: 2, max: 10 },
  graceS: 30,
});


export interface LatenessFigures {
  tickMs: number;
  cases: number;
  /** Cases whose 50 % checkpoint the scheduler delivered (a Fired record) within the wait. */
  delivered: number;
  /** Deliveries that the checkpoint handler ignored (should be 0). */
  ignored: number;
  /** Cases whose 50 % checkpoint was applied other than by a scheduled delivery (due before its schedule existed). */
  notViaScheduler: number;
  /** Lead actually given: 50 % checkpoint − local clock just before its create request, in seconds. */
  leadS: { min: number; max: number };
  createS: number;
  /** Measured checkpoints already due when the last measured case was created (0 unless creating ran slower than sized). */
  dueWhileCreating: number;
  waitS: number;
  /** `checkpoints[].firedAt` on the case − `at`: when the checkpoint handler applied it (= the audit event's lateByMs). */
  recordedMs: Spread;
  /** LocalScheduler `Fired.firedAt` − `at`: when the delivery (the whole checkpoint handler run) had completed. */
  deliveredMs: Spread;
}

export interface LifecycleFigures {
  id: string;
  title: string;
  regime: string;
  steps: string[];
  /** CheckpointScheduler port calls = EventBridge Scheduler CreateSchedule / UpdateSchedule / DeleteSchedule. */
  calls: { created: number; updated: number; deleted: number; total: number };
  /** AWS requests the EventBridge adapter makes: an update is a CreateSchedule refused with ConflictException + UpdateSchedule. */
  awsRequests: number;
  /** Schedules delivered to the checkpoint handler (billed Scheduler invocations), and how the handler took them. */
  invocations: number;
  applied: number;
  ignored: number;
  /** Checkpoints and other timers applied at once because they were already due when planned (no schedule). */
  appliedWithoutSchedule: number;
  pendingAfter: number;
  /** invocations × 1,000 × list price per invocation, before the free tier. */
  usdPer1000Complaints: number;
  /** Complaints a month (this lifecycle each) whose invocations the free tier covers. */
  complaintsPerMonthInFreeTier: number | null;
}

export interface TimerCheck {
  name: string;
  ok: boolean;
  hard: boolean;
  informational?: boolean;
  detail: string;
}

export interface TimerBenchResult {
  settings: TimerBenchSettings;
  node: string;
  lateness: LatenessFigures[];
  lifecycles: LifecycleFigures[];
  pricing: typeof SCHEDULER_PRICING;
  /** Local server errors and local-timer loop errors seen during the run (should be none). */
  errors: string[];
  powertoolsEmptyMetricsWarningsDropped: number;
  checks: TimerCheck[];
  durationS: number;
}

const DAY_MS = 86_400_000;
/** Cases created (and timed) before each lateness measurement, with no timer due for weeks. */
const SIZING_CASES = 10;
const iso = (n: number) => new Date(n).toISOString();
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

const spread = (values: number[]): Spread => ({
  n: values.length,
  p50: round(percentile(values, 50), 1),
  p99: round(percentile(values, 99), 1),
  max: values.length ? Math.max(...values) : Number.NaN,
  min: values.length ? Math.min(...values) : Number.NaN,
  mean: values.length ? round(values.reduce((a, b) => a + b, 0) / values.length, 1) : Number.NaN,
});

const HANDLER: Caller = ['bench-timers', ['handler']];

/** The typed client for the handler, with a fresh token per request (the local clock moves by days here and tokens expire after an hour of it), and the local clock. */
const client = (stack: StartedStack) => {
  const api = typed(stack, { freshTokens: true })(HANDLER);
  const clock = localClock(stack);
  return { api, clockNow: clock.now, advance: clock.advance };
};

const complaint = (regime: string, summary: string, receivedAt?: string) =>
  benchComplaint(summary, { customer: { id: 'bench-timers-customer', name: 'Ada Lovelace', email: 'ada@example.com', vulnerable: false }, regime, ownerId: HANDLER[0], ...(receivedAt ? { receivedAt } : {}) });

const CLOSE = { followUpAction: 'Review depot slot allocation', rootCause: { category: 'capacity', description: 'Depot overbooked delivery slots' } };

// ── Lifecycles ────────────────────────────────────────────────────────────────────────────────

interface Driver {
  api: ReturnType<typeof client>['api'];
  stack: StartedStack;
  /** An API call followed by a pump (stream → schedules), as the background tick would do shortly after. */
  step<D>(what: string, call: Promise<{ data?: D; error?: unknown; response: Response }>, expect: number): Promise<D>;
  advance(duration: string): Promise<void>;
}

interface LifecycleDef {
  id: string;
  title: string;
  regime: string;
  steps: string[];
  run(d: Driver): Promise<string>;
}

const LIFECYCLES: LifecycleDef[] = [
  {
    id: 'closed-before-deadline',
    title: 'acknowledged day 1, closed day 10',
    regime: 'UK_FCA_DISP',
    steps: ['create', '+1 d: acknowledge', '+9 d: close with root cause'],
    run: async (d) => {
      const id = (await d.step('create', d.api.POST('/v1/complaints', { body: complaint('UK_FCA_DISP', 'timers bench: closed before its deadline') }), 201)).id;
      await d.advance('P1D');
      await d.step('acknowledge', d.api.POST('/v1/complaints/{id}/acknowledgement', { params: { path: { id } }, body: {} }), 200);
      await d.advance('P9D');
      await d.step('close', d.api.POST('/v1/complaints/{id}/close', { params: { path: { id } }, body: CLOSE }), 200);
      return id;
    },
  },
  {
    id: 'breached-then-closed',
    title: 'acknowledged day 1, breached (8 weeks), closed day 57',
    regime: 'UK_FCA_DISP',
    steps: ['create', '+1 d: acknowledge', '+28 d: 50 %', '+14 d: 75 %', '+14 d: 90 %, breach', 'close with root cause'],
    run: async (d) => {
      const id = (await d.step('create', d.api.POST('/v1/complaints', { body: complaint('UK_FCA_DISP', 'timers bench: runs to breach') }), 201)).id;
      await d.advance('P1D');
      await d.step('acknowledge', d.api.POST('/v1/complaints/{id}/acknowledgement', { params: { path: { id } }, body: {} }), 200);
      for (const by of ['P28D', 'P14D', 'P14D']) await d.advance(by);
      await d.step('close', d.api.POST('/v1/complaints/{id}/close', { params: { path: { id } }, body: CLOSE }), 200);
      return id;
    },
  },
  {
    id: 'paused-and-resumed',
    title: 'paused day 5 for 3 days, resumed, closed day 20',
    regime: 'INTERNAL_STANDARD',
    steps: ['create', '+5 d: pause (waiting for the customer)', '+3 d: resume', '+12 d: close with root cause'],
    run: async (d) => {
      const id = (await d.step('create', d.api.POST('/v1/complaints', { body: complaint('INTERNAL_STANDARD', 'timers bench: paused once') }), 201)).id;
      await d.advance('P5D');
      await d.step('pause', d.api.POST('/v1/complaints/{id}/clock', { params: { path: { id } }, body: { action: 'pause', reason: 'waiting for the customer’s bank statements' } }), 200);
      await d.advance('P3D');
      await d.step('resume', d.api.POST('/v1/complaints/{id}/clock', { params: { path: { id } }, body: { action: 'resume', reason: 'statements received' } }), 200);
      await d.advance('P12D');
      await d.step('close', d.api.POST('/v1/complaints/{id}/close', { params: { path: { id } }, body: CLOSE }), 200);
      return id;
    },
  },
  {
    id: 'task-blocked-30h',
    title: 'acknowledged day 1, a task blocked 30 h then unblocked, closed day 10',
    regime: 'UK_FCA_DISP',
    steps: ['create', '+1 d: acknowledge', '+1 d: add a task, block it', '+30 h: unblock', '+6 d 18 h: task done, close with root cause'],
    run: async (d) => {
      const id = (await d.step('create', d.api.POST('/v1/complaints', { body: complaint('UK_FCA_DISP', 'timers bench: blocked dependency') }), 201)).id;
      await d.advance('P1D');
      await d.step('acknowledge', d.api.POST('/v1/complaints/{id}/acknowledgement', { params: { path: { id } }, body: {} }), 200);
      await d.advance('P1D');
      const taskId = (await d.step('add a task', d.api.POST('/v1/complaints/{id}/tasks', { params: { path: { id } }, body: { title: 'Courier logs', team: 'logistics' } }), 201)).id;
      await d.step('task blocked', d.api.PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id, taskId } }, body: { status: 'blocked', blockedReason: 'courier has not sent the logs' } }), 200);
      await d.advance('PT30H');
      await d.step('task open', d.api.PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id, taskId } }, body: { status: 'open' } }), 200);
      await d.advance('P6DT18H');
      await d.step('task done', d.api.PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id, taskId } }, body: { status: 'done', findings: 'Logs show the courier missed the slot' } }), 200);
      await d.step('close', d.api.POST('/v1/complaints/{id}/close', { params: { path: { id } }, body: CLOSE }), 200);
      return id;
    },
  },
];

const usdPer1000 = (invocations: number) => (invocations * 1000 * SCHEDULER_PRICING.usdPerMillionInvocations) / 1e6;

const runLifecycles = async (stack: StartedStack, log: (line: string) => void): Promise<LifecycleFigures[]> => {
  const api = client(stack);
  const driver: Driver = {
    api: api.api,
    stack,
    step: async (what, call, expect) => {
      const data = await expectStatus(call, expect, what);
      await stack.timers.pump();
      return data;
    },
    // POST /local/clock pumps before and after moving the clock.
    advance: async (by) => void (await api.advance(by)),
  };
  const out: LifecycleFigures[] = [];
  for (const def of LIFECYCLES) {
    await stack.timers.pump();
    const calls0 = { ...stack.scheduler.calls };
    const seen = stack.timers.history.length;
    const caseId = await def.run(driver);
    await stack.timers.pump();
    const calls = stack.scheduler.calls;
    const created = calls.created - calls0.created;
    const updated = calls.updated - calls0.updated;
    const deleted = calls.deleted - calls0.deleted;
    const delivered = stack.timers.history.slice(seen).filter((f) => f.caseId === caseId);
    const outcome = (f: Fired) => (f.result as { outcome?: string } | undefined)?.outcome;
    const applied = delivered.filter((f) => outcome(f) === 'fired').length;
    const timeline = await expectStatus(api.api.GET('/v1/complaints/{id}/timeline', { params: { path: { id: caseId } } }), 200, 'read the timeline');
    const timerEvents = timeline.items.filter((e) => ['checkpoint.reached', 'deadline.breached', 'acknowledgement.overdue', 'dependency.blocked'].includes(e.action)).length;
    const pendingAfter = (await stack.scheduler.pending()).filter((t) => t.caseId === caseId).length;
    const figures: LifecycleFigures = {
      id: def.id,
      title: def.title,
      regime: def.regime,
      steps: def.steps,
      calls: { created, updated, deleted, total: created + updated + deleted },
      awsRequests: created + 2 * updated + deleted,
      invocations: delivered.length,
      applied,
      ignored: delivered.length - applied,
      appliedWithoutSchedule: Math.max(0, timerEvents - applied),
      pendingAfter,
      usdPer1000Complaints: usdPer1000(delivered.length),
      complaintsPerMonthInFreeTier: delivered.length ? Math.floor(SCHEDULER_PRICING.freeInvocationsPerMonth / delivered.length) : null,
    };
    out.push(figures);
    log(
      `  ${`${def.regime} ${def.title}`.padEnd(80)} calls: ${created} create, ${updated} update, ${deleted} delete; ${delivered.length} invocation${delivered.length === 1 ? '' : 's'}${pendingAfter ? `; ✗ ${pendingAfter} schedules left pending` : ''}`,
    );
  }
  return out;
};

// ── Lateness ──────────────────────────────────────────────────────────────────────────────────

/** receivedAt whose 50 % checkpoint falls at `target` (7.5 days before it, unless a DST change intervenes). */
const receivedAtFor = (target: number): number => {
  const regime = getRegime('US_CFPB');
  const p50 = (r: number) => Date.parse(computeDeadline(regime, iso(r)).checkpoints.find((c) => c.percent === 50)!.at);
  let r = target - 7.5 * DAY_MS;
  for (let k = 0; k < 4; k++) {
    const off = target - p50(r);
    if (off === 0) break;
    r += off;
  }
  return r;
};

const measureLateness = async (stack: StartedStack, settings: TimerBenchSettings, tickMs: number, log: (line: string) => void, elapsed: () => string): Promise<LatenessFigures> => {
  const api = client(stack);
  const n = settings.cases;
  const { min, max } = settings.leadS;
  receivedAtFor(Date.now()); // loads the US holiday calendar before anything is timed
  // The same loop startStack starts for npm start (`tickMs`, default 1000 ms).
  stack.timers.start(tickMs);
  try {
    // The local clock is real time plus an offset that nothing moves during this measurement: read it once.
    const offset = (await api.clockNow()) - Date.now();
    const clockNow = () => Date.now() + offset;
    // Sizing: a few cases with no timer due for weeks show how long creating one takes now, so the measured
    // checkpoints can all fall due after the last measured case exists: the tick's lateness, not a burst of creates.
    const c0 = performance.now();
    for (let i = 0; i < SIZING_CASES; i++) await expectStatus(api.api.POST('/v1/complaints', { body: complaint('INTERNAL_STANDARD', `timers bench: sizing ${tickMs} ms #${i}`) }), 201, 'create a sizing case');
    const perCaseMs = (performance.now() - c0) / SIZING_CASES;
    const base = clockNow() + Math.ceil(perCaseMs * n * 1.25) + 500;
    log(`  tick ${tickMs} ms: ${ms(perCaseMs)} ms per create (${SIZING_CASES} sizing cases); checkpoints due ${min}–${max} s after ${((base - clockNow()) / 1000).toFixed(1)} s from now  [${elapsed()}]`);

    const created0 = performance.now();
    const cases = new Map<string, { at: string; leadMs: number }>();
    let lastPrint = performance.now();
    for (let i = 0; i < n; i++) {
      const now = clockNow();
      // Should creating take longer than sized, a case still gets at least the minimum lead.
      const target = Math.max(base + (min + ((max - min) * i) / Math.max(1, n - 1)) * 1000, now + min * 1000);
      const receivedAt = iso(receivedAtFor(Math.round(target)));
      const created = await expectStatus(api.api.POST('/v1/complaints', { body: complaint(settings.regime, `timers bench: lateness ${tickMs} ms #${i}`, receivedAt) }), 201, 'create a measured case');
      const at = created.checkpoints.find((c) => c.percent === 50)!.at;
      cases.set(created.id, { at, leadMs: Date.parse(at) - now });
      if (performance.now() - lastPrint > 2000 || i === n - 1) {
        lastPrint = performance.now();
        log(`  tick ${tickMs} ms: created ${i + 1}/${n} cases  [${elapsed()}]`);
      }
    }
    const createS = (performance.now() - created0) / 1000;
    const createdAt = clockNow();
    const dueWhileCreating = [...cases.values()].filter((c) => Date.parse(c.at) <= createdAt).length;

    const lastDue = Math.max(...[...cases.values()].map((c) => Date.parse(c.at)));
    const wait0 = performance.now();
    const fired = new Map<string, Fired>();
    let duplicates = 0;
    let scanned = 0;
    lastPrint = 0;
    for (;;) {
      const h = stack.timers.history;
      // history is append-only here (far below its cap), so only the new tail is read.
      for (; scanned < h.length; scanned++) {
        const f = h[scanned]!;
        if (f.kind !== 'checkpoint' || f.percent !== 50 || !cases.has(f.caseId)) continue;
        if (fired.has(f.caseId)) duplicates++;
        else fired.set(f.caseId, f);
      }
      const now = clockNow();
      const done = fired.size >= n;
      const expired = now > lastDue + settings.graceS * 1000;
      if (done || expired || performance.now() - lastPrint > 2000) {
        lastPrint = performance.now();
        const left = lastDue - now;
        // Deliveries reach `history` when a pump has run to idle, which under a dense series of timers is only at
        // its end; the published CheckpointReached events show progress while it runs.
        const published = new Set(localOutbox.events.filter((e) => e.type === 'CheckpointReached' && cases.has(e.caseId)).map((e) => e.caseId)).size;
        log(`  tick ${tickMs} ms: ${Math.max(fired.size, published)}/${n} checkpoints fired${left > 0 ? `, last one due in ${(left / 1000).toFixed(1)} s` : ''}  [${elapsed()}]`);
      }
      if (done || expired) break;
      await sleep(100);
    }
    const waitS = (performance.now() - wait0) / 1000;

    // What the case recorded (checkpoints[].firedAt), for every case: also finds checkpoints applied without a delivery.
    const recorded: number[] = [];
    let notViaScheduler = 0;
    for (const [id, c] of cases) {
      const body = await expectStatus(api.api.GET('/v1/complaints/{id}', { params: { path: { id } } }), 200, 'read a measured case');
      const cp = body.checkpoints.find((k) => k.percent === 50)!;
      if (!cp.firedAt) continue;
      if (!fired.has(id)) notViaScheduler++;
      else recorded.push(Date.parse(cp.firedAt) - Date.parse(c.at));
    }
    const deliveries = [...fired.values()];
    const ignored = deliveries.filter((f) => (f.result as { outcome?: string } | undefined)?.outcome !== 'fired').length + duplicates;
    const leads = [...cases.values()].map((c) => c.leadMs / 1000);
    return {
      tickMs,
      cases: n,
      delivered: fired.size,
      ignored,
      notViaScheduler,
      leadS: { min: round(Math.min(...leads), 2), max: round(Math.max(...leads), 2) },
      createS: round(createS, 1),
      dueWhileCreating,
      waitS: round(waitS, 1),
      recordedMs: spread(recorded),
      deliveredMs: spread(deliveries.map((f) => f.latenessMs)),
    };
  } finally {
    await stack.timers.stop();
  }
};

// ── Run and report ────────────────────────────────────────────────────────────────────────────

const METRICS_WARNING = 'No application metrics to publish';

export const runTimerBench = async (settings: TimerBenchSettings = timerSettings(), log: (line: string) => void = say): Promise<TimerBenchResult> => {
  const t0 = performance.now();
  // Under bench/run.ts, progress shows the run's elapsed time, as its other phases do.
  const base = Number(process.env.BENCH_ELAPSED_BASE_S ?? 0) || 0;
  const elapsed = () => `${(base + (performance.now() - t0) / 1000).toFixed(0)} s`;
  const checks: TimerCheck[] = [];
  const errors: string[] = [];
  const onLog = (line: string) => {
    if (line.startsWith('local server error') || line.startsWith('local timers:')) errors.push(line);
  };
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, log: onLog });
  log(`  DynamoDB Local ${stack.dynamo?.endpoint}, API ${stack.api.url}, no background tick yet  [${elapsed()}]`);
  const quiet = suppressStderrLines(METRICS_WARNING);
  let lifecycles: LifecycleFigures[];
  const lateness: LatenessFigures[] = [];
  try {
    log(`  lifecycles (tickMs 0, pump after every step, POST /local/clock moves time), counted one case at a time:`);
    lifecycles = await runLifecycles(stack, log);
    for (const tick of settings.ticksMs) {
      log(
        `  lateness with the background tick every ${tick} ms${tick === 1000 ? ' (npm start default)' : ''}: ${settings.cases} ${settings.regime} cases, 50 % checkpoints due ${settings.leadS.min}–${settings.leadS.max} s after the last is created, real time, clock not moved`,
      );
      const l = await measureLateness(stack, settings, tick, log, elapsed);
      lateness.push(l);
      log(
        `  tick ${tick} ms: lateness p50 ${ms(l.recordedMs.p50)} ms, p99 ${ms(l.recordedMs.p99)} ms, max ${ms(l.recordedMs.max)} ms (case firedAt − at); delivery done p50 ${ms(l.deliveredMs.p50)}, p99 ${ms(l.deliveredMs.p99)}, max ${ms(l.deliveredMs.max)} ms  [${elapsed()}]`,
      );
    }
    const dead = await stack.scheduler.deadLetters();
    checks.push({ name: 'timers: no schedule dead-lettered', ok: dead.length === 0, hard: true, detail: dead.length ? `${dead.length}; first: ${dead[0]?.timer.name} ${dead[0]?.lastError ?? ''}` : '0 dead letters' });
  } finally {
    await stack.stop();
    quiet.restore();
  }
  const missing = lateness.filter((l) => l.delivered < l.cases || l.notViaScheduler > 0 || l.ignored > 0);
  checks.push({
    name: 'timers: every measured checkpoint delivered once by the local scheduler',
    ok: missing.length === 0,
    hard: true,
    detail: lateness.map((l) => `tick ${l.tickMs} ms: ${l.delivered}/${l.cases} delivered, ${l.ignored} ignored or repeated, ${l.notViaScheduler} applied without a delivery`).join('; '),
  });
  const left = lifecycles.filter((l) => l.pendingAfter > 0);
  checks.push({
    name: 'timers: no schedule left pending after a case closes',
    ok: left.length === 0,
    hard: true,
    detail: left.length ? left.map((l) => `${l.id}: ${l.pendingAfter}`).join('; ') : `${lifecycles.length} lifecycles`,
  });
  checks.push({ name: 'timers: no local server or timer-loop errors', ok: errors.length === 0, hard: true, detail: errors.length ? `${errors.length}; first: ${errors[0]?.split('\n').slice(0, 3).join(' | ')}` : 'none' });
  return {
    settings,
    node: process.version,
    lateness,
    lifecycles,
    pricing: SCHEDULER_PRICING,
    errors: errors.slice(0, 20),
    powertoolsEmptyMetricsWarningsDropped: quiet.count(),
    checks,
    durationS: round((performance.now() - t0) / 1000, 1),
  };
};

const usd = (n: number) => `$${n.toFixed(3)}`;

/** The report tables (printed standalone, and by bench/run.ts in its Results section). */
export const timersReport = (r: TimerBenchResult): string => {
  const p = r.pricing;
  const lines = [
    `Local checkpoint lateness (due \`at\` → fired), real time, background tick as npm start runs it; ${r.settings.cases} ${r.settings.regime} cases per tick, 50 % checkpoints due ${r.settings.leadS.min}–${r.settings.leadS.max} s after the last case is created`,
    table(
      ['tick', 'fired when', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'min ms'],
      r.lateness.flatMap((l) => [
        [`${l.tickMs} ms`, 'applied (case checkpoints[].firedAt)', `${l.delivered}/${l.cases}`, ms(l.recordedMs.p50), ms(l.recordedMs.p99), ms(l.recordedMs.max), ms(l.recordedMs.min)],
        [`${l.tickMs} ms`, 'delivery done (scheduler Fired.firedAt)', `${l.delivered}/${l.cases}`, ms(l.deliveredMs.p50), ms(l.deliveredMs.p99), ms(l.deliveredMs.max), ms(l.deliveredMs.min)],
      ]),
    ),
    '  (the local scheduler only; EventBridge Scheduler `at()` schedules have one-minute granularity and the adapter rounds up to the second, never fires early)',
    '',
    'Scheduler API calls and invocations per case lifecycle (CheckpointScheduler port = EventBridge CreateSchedule/UpdateSchedule/DeleteSchedule; an invocation = a delivery to the checkpoint handler)',
    table(
      ['regime', 'lifecycle', 'create', 'update', 'delete', 'calls', 'AWS requests', 'invocations', '$ / 1,000 complaints'],
      r.lifecycles.map((l) => [l.regime, l.title, l.calls.created, l.calls.updated, l.calls.deleted, l.calls.total, l.awsRequests, l.invocations, usd(l.usdPer1000Complaints)]),
    ),
    `  EventBridge Scheduler list price: $${p.usdPerMillionInvocations.toFixed(2)} per million invocations after ${(p.freeInvocationsPerMonth / 1e6).toFixed(0)} million free a month; CreateSchedule/UpdateSchedule/DeleteSchedule are not charged.`,
    `  $ / 1,000 complaints = invocations × 1,000 × $${p.usdPerMillionInvocations.toFixed(2)} / 1,000,000 before the free tier, $0 within it: ` +
      r.lifecycles
        .filter((l) => l.complaintsPerMonthInFreeTier !== null)
        .map((l) => `${l.id} ${(l.complaintsPerMonthInFreeTier! / 1e6).toFixed(1)} M complaints/month`)
        .join(', ') +
      ' fit in the free tier.',
    '  AWS requests = create + 2 × update + delete (the adapter tries CreateSchedule first; an existing schedule answers ConflictException, then UpdateSchedule).',
  ];
  return lines.join('\n');
};

// Standalone: `npx tsx bench/timers.ts [--json FILE] [--no-report]`.
if (require.main === module) runStandalone('timers', runTimerBench, timersReport);
