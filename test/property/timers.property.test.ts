// Property test of the timer pipeline (pure, no I/O): for random sequences of case actions and the passage of
// time, the stream records of every case version, fed through DeadlineControl.caseChanged into a simulated
// EventBridge Scheduler (one-time schedules that delete themselves on delivery, delivered on time), always leave
// exactly the schedules the current case plans (timerMap), and a redelivered timer never changes the case.
import fc from 'fast-check';
import * as life from '#domain/lifecycle';
import { getRegime } from '#domain/regimes';
import { ConflictError, InvalidInputError } from '#domain/errors';
import { DeadlineControl } from '#domain/deadline-control';
import { fireTimer, plannedTimers, timerMap, type Timer, type TimerMap } from '#domain/timers';
import type { Case } from '#schemas/complaint';
import type { Task } from '#schemas/children';
import { Timer as TimerSchema } from '#schemas/timer';

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) };
const CASE_ID = '01JABCDEFGHJKMNPQRSTVWXYZ0';
const START = '2026-03-02T09:00:00.000Z';
const MINUTE = 60_000;
const DAY = 86_400_000;
const ROOT_CAUSE = { category: 'capacity', description: 'Depot overbooked' };
const REGIMES = ['INTERNAL_STANDARD', 'UK_FCA_PSD', 'US_CFPB', 'UK_FCA_DISP'] as const;
/** INTERNAL_STANDARD (the regime that may pause) more often than the others. */
const regimeArb = fc.oneof({ weight: 3, arbitrary: fc.constant(REGIMES[0]) }, { weight: 3, arbitrary: fc.constantFrom(...REGIMES.slice(1)) });
const MAX_TASKS = 4;
const taskId = (i: number) => `01JABCDEFGHJKMNPQRSTVWX${String(i).padStart(3, '0')}`;

type Command =
  | { k: 'advance'; ms: number }
  | { k: 'pause' }
  | { k: 'resume' }
  | { k: 'acknowledge' }
  | { k: 'extend' }
  | { k: 'addTask' }
  | { k: 'block'; i: number }
  | { k: 'unblock'; i: number }
  | { k: 'finish'; i: number }
  | { k: 'close' }
  | { k: 'reopen' }
  | { k: 'redeliver'; i: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: MINUTE, max: DAY }).map((ms) => ({ k: 'advance' as const, ms })) },
  { weight: 3, arbitrary: fc.integer({ min: DAY, max: 12 * DAY }).map((ms) => ({ k: 'advance' as const, ms })) },
  { weight: 3, arbitrary: fc.constant({ k: 'pause' as const }) },
  { weight: 3, arbitrary: fc.constant({ k: 'resume' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'acknowledge' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'extend' as const }) },
  { weight: 2, arbitrary: fc.constant({ k: 'addTask' as const }) },
  { weight: 4, arbitrary: fc.nat(MAX_TASKS - 1).map((i) => ({ k: 'block' as const, i })) },
  { weight: 2, arbitrary: fc.nat(MAX_TASKS - 1).map((i) => ({ k: 'unblock' as const, i })) },
  { weight: 2, arbitrary: fc.nat(MAX_TASKS - 1).map((i) => ({ k: 'finish' as const, i })) },
  { weight: 1, arbitrary: fc.constant({ k: 'close' as const }) },
  { weight: 2, arbitrary: fc.constant({ k: 'reopen' as const }) },
  { weight: 2, arbitrary: fc.nat(50).map((i) => ({ k: 'redeliver' as const, i })) },
);

interface StreamRecord {
  before: TimerMap;
  after: TimerMap;
  changedAt: string;
}

/** One case, its stream, DeadlineControl and a simulated Scheduler, under a controlled clock. */
class World {
  now: number;
  c: Case;
  readonly schedule = new Map<string, Timer>();
  readonly stream: StreamRecord[] = [];
  readonly delivered: Timer[] = [];
  readonly tasks: Task[] = [];
  readonly problems: string[] = [];
  private readonly control: DeadlineControl;

  constructor(readonly regimeId: string) {
    this.now = Date.parse(START);
    this.control = new DeadlineControl({
      scheduler: {
        upsert: async (t) => {
          // What Scheduler and the checkpoint handler would refuse.
          if (!TimerSchema.safeParse(t).success) this.problems.push(`invalid timer ${JSON.stringify(t)}`);
          if (Date.parse(t.at) <= this.now) this.problems.push(`scheduled a timer already due: ${t.name} at ${t.at}`);
          const existed = this.schedule.has(t.name);
          this.schedule.set(t.name, t);
          return existed ? 'updated' : 'created';
        },
        remove: async (name) => {
          this.schedule.delete(name);
        },
      },
      events: { publish: async () => undefined },
      notifier: { notify: async () => undefined },
      clock: { now: () => this.iso },
      // The checkpoint handler's use case: apply the timer to the current case now.
      fire: async (t) => this.apply(t),
    });
    const regime = getRegime(regimeId);
    this.c = life.openCase(
      { customer: { id: 'cust-1', name: 'Ada' }, channel: 'web', summary: 's', description: 'd', product: 'p', category: 'billing', regime: regimeId, receivedAt: START },
      { id: CASE_ID, reference: 'CMP-2026-000001', ownerId: 'alice', team: 'complaints', assignmentRule: 'explicit', regime, actor: 'web-form', now: START },
    ).case;
    this.stream.push({ before: {}, after: timerMap(this.c), changedAt: START });
  }

  get iso(): string {
    return new Date(this.now).toISOString();
  }

  /** A committed case version: its stream record follows. */
  commit(next: Case): void {
    const before = this.c;
    this.c = { ...next, version: before.version + 1, updatedAt: this.iso };
    this.stream.push({ before: timerMap(before), after: timerMap(this.c), changedAt: this.iso });
  }

  apply(t: Timer): boolean {
    const out = fireTimer(this.c, t, this.iso);
    if (out.fired) this.commit(out.change.case);
    return out.fired;
  }

  /** The stream handler: records in order, one at a time. */
  async drain(): Promise<void> {
    for (let rec = this.stream.shift(); rec; rec = this.stream.shift()) await this.control.caseChanged(rec.before, rec.after, rec.changedAt);
  }

  /** Time passes: Scheduler delivers every due schedule at its time, earliest first, and deletes it. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      const next = [...this.schedule.values()].filter((t) => Date.parse(t.at) <= target).sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
      if (!next) break;
      this.now = Math.max(this.now, Date.parse(next.at));
      this.schedule.delete(next.name);
      this.delivered.push(next);
      // Every schedule still pending at its time stands for work the case still wants done.
      if (!this.apply(next)) this.problems.push(`on-time delivery of ${next.name} at ${this.iso} was ignored: ${JSON.stringify(fireTimer(this.c, next, this.iso))}`);
      await this.drain();
    }
    this.now = target;
  }

  /** A person's action; one the domain refuses changes nothing. */
  async act(change: () => Case): Promise<void> {
    try {
      this.commit(change());
    } catch (err) {
      if (err instanceof ConflictError || err instanceof InvalidInputError) return;
      throw err;
    }
    await this.drain();
  }

  async run(cmd: Command): Promise<void> {
    const regime = getRegime(this.regimeId);
    const now = this.iso;
    switch (cmd.k) {
      case 'advance':
        return this.advance(cmd.ms);
      case 'pause':
        return this.act(() => life.pauseClock(this.c, regime, 'waiting for the customer', 'alice', now).case);
      case 'resume':
        return this.act(() => life.resumeClock(this.c, regime, 'customer replied', 'alice', now).case);
      case 'acknowledge':
        return this.act(() => life.acknowledge(this.c, {}, 'alice', now).case);
      case 'extend':
        return this.act(() => life.extendClock(this.c, regime, 'Card scheme investigation outside our control', 'alice', now).case);
      case 'addTask':
        if (this.tasks.length >= MAX_TASKS) return;
        return this.act(() => {
          const out = life.addTask(this.c, { title: 'Pull logs', team: 'ops' }, { taskId: taskId(this.tasks.length) }, 'alice', now);
          this.tasks.push(out.result);
          return out.case;
        });
      case 'block':
      case 'unblock':
      case 'finish': {
        const i = cmd.i % Math.max(1, this.tasks.length);
        const t = this.tasks[i];
        if (!t) return;
        const status = cmd.k === 'block' ? 'blocked' : cmd.k === 'unblock' ? 'open' : 'done';
        return this.act(() => {
          const out = life.updateTask(this.c, t, { status }, 'alice', now);
          this.tasks[i] = out.result;
          return out.case;
        });
      }
      case 'close':
        return this.act(() => life.close(this.c, { followUpAction: 'Retrain', rootCause: ROOT_CAUSE }, 'alice', now).case);
      case 'reopen':
        return this.act(() => life.reopen(this.c, 'customer disputes', regime, 'sam', now).case);
      case 'redeliver': {
        // At-least-once delivery: a duplicate of an earlier delivery finds the work done (or out of date).
        const t = this.delivered[cmd.i % Math.max(1, this.delivered.length)];
        if (!t) return;
        const out = fireTimer(this.c, t, now);
        if (out.fired) this.problems.push(`duplicate delivery of ${t.name} at ${now} fired again`);
        return;
      }
    }
  }
}

const plan = (c: Case) => Object.fromEntries(Object.entries(timerMap(c)).sort(([a], [b]) => a.localeCompare(b)));
const scheduled = (w: World) => Object.fromEntries([...w.schedule.entries()].sort(([a], [b]) => a.localeCompare(b)));

describe('timers: schedule set follows the case', () => {
  it('after any sequence of actions and deliveries, the schedules are exactly timerMap(case), all in the future', async () => {
    await fc.assert(
      fc.asyncProperty(regimeArb, fc.array(command, { minLength: 5, maxLength: 60, size: 'max' }), async (regimeId, commands) => {
        const w = new World(regimeId);
        await w.drain();
        for (const cmd of commands) {
          await w.run(cmd);
          expect(w.stream).toEqual([]);
          expect(w.problems).toEqual([]);
          expect(scheduled(w)).toEqual(plan(w.c));
          for (const t of plannedTimers(w.c)) expect(Date.parse(t.at)).toBeGreaterThan(w.now);
        }
        // Given enough time every timer is delivered (or was fired as already due) and nothing is left.
        await w.advance(400 * DAY);
        expect(w.problems).toEqual([]);
        expect(scheduled(w)).toEqual({});
        expect(plan(w.c)).toEqual({});
      }),
      RUNS,
    );
  });

  it('a running case reaches every checkpoint of its current cycle once its time has passed', async () => {
    await fc.assert(
      fc.asyncProperty(regimeArb, fc.array(command, { maxLength: 30, size: 'max' }), async (regimeId, commands) => {
        const w = new World(regimeId);
        await w.drain();
        for (const cmd of commands) await w.run(cmd);
        await w.advance(400 * DAY);
        const running = w.c.status === 'open' || w.c.status === 'awaiting_approval';
        if (running && !w.c.clock?.pausedAt) {
          expect(w.c.checkpoints.every((k) => k.firedAt !== undefined)).toBe(true);
          expect((w.c.blockedDependencies ?? []).every((d) => d.raisedAt !== undefined)).toBe(true);
        }
      }),
      { numRuns: Math.max(1, Math.floor(RUNS.numRuns / 2)) },
    );
  });
});
