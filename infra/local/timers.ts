// The local timer loop: the stream poller (schedules follow cases; events go out), the local scheduler (due
// schedules fire through the checkpoint handler) and the local workflows (due task timeouts and heartbeats fail their
// tasks; every execution runs on until it waits for a token or ends) run until nothing is left to do: a workflow step
// writes the case, its stream records go out, a checkpoint may start another workflow, and so on. It runs on an
// interval for real time, after every POST /local/clock for moved time, and once at start-up to catch up.
import type { Context } from 'aws-lambda';
import type { Fired, LocalScheduler } from '#adapters/local/local-scheduler';
import type { Timer } from '#domain/timers';
import type { StreamPoller } from './stream-poller';

export type CheckpointHandler = (timer: Timer, context: Context) => Promise<unknown>;

/** What the pump needs of the local workflows (LocalWorkflows). */
export interface PumpedWorkflows {
  /** Every execution waits for a token or has ended, and nothing is in flight. */
  isIdle(): boolean;
  /**
   * Fires the task timers due at `now` (epoch ms) in the order they lapsed, letting the executions move on between
   * them; resolves with how many fired once every execution waits for a token or has ended (rejects after a safety
   * timeout naming what is still busy).
   */
  catchUp(now: number): Promise<number>;
}

/** Work run in every round of a pump beside the stream (the webhook deliveries): resolves with how much it did (0 = idle). */
export interface PumpJob {
  name: string;
  run: (round: number) => Promise<number>;
}

/** A job run once each time the local clock passes midnight UTC, as a daily EventBridge schedule runs it in AWS. */
export interface DailyJob {
  name: string;
  run: (now: string) => Promise<unknown>;
}

/**
 * A job run each time the local clock passes a multiple of `everyMs` (the audit digest, every 15 minutes), as a
 * recurring EventBridge Scheduler schedule runs it in AWS: however far the clock jumped, once per pump.
 */
export interface PeriodicJob {
  name: string;
  everyMs: number;
  run: (now: string) => Promise<unknown>;
}

export interface DailyRun {
  name: string;
  /** The UTC day (YYYY-MM-DD) the run was for. */
  day: string;
  result?: unknown;
  error?: string;
}

export interface LocalTimersOptions {
  poller: StreamPoller;
  /** Further consumers of the same stream (the reporting projection), drained beside the first each round. */
  consumers?: StreamPoller[];
  scheduler: LocalScheduler;
  workflows: PumpedWorkflows;
  checkpoint: () => CheckpointHandler;
  context: (name: string) => Context;
  now: () => string;
  log?: (line: string) => void;
  /** Daily jobs (the retention job): run at the start of the first pump after the UTC day changed; optional. */
  daily?: DailyJob[];
  /** Jobs run in every round (the webhook delivery: queued bus events, due retries); optional. */
  jobs?: PumpJob[];
  /** Recurring jobs (the audit digest): run at the end of the first pump after the clock passed their period; optional. */
  periodic?: PeriodicJob[];
}

/** A pump that keeps finding work after this many rounds is looping on itself. */
const MAX_ROUNDS = 100;

export class LocalTimers {
  private running: Promise<Fired[]> | undefined;
  private again = false;
  private interval: NodeJS.Timeout | undefined;
  /** Every delivery so far (the benchmark reads lateness from it). */
  readonly history: Fired[] = [];
  /** Every daily job run so far, with its result or error (tests read the retention runs from it). */
  readonly dailyRuns: DailyRun[] = [];
  /** The UTC day the daily jobs last ran for (the first pump only notes it: a start-up is not a new day). */
  private day: string | undefined;
  /** Per periodic job, the period (floor(now / everyMs)) it last ran for or was noted at start-up. */
  private readonly periods = new Map<string, number>();
  /** Every periodic job run so far, with its result or error. */
  readonly periodicRuns: { name: string; at: string; result?: unknown; error?: string }[] = [];

  constructor(private readonly opts: LocalTimersOptions) {}

  /** Runs stream, scheduler and workflows to quiescence; concurrent callers share (and then repeat) one run. */
  pump(): Promise<Fired[]> {
    if (this.running) {
      this.again = true;
      return this.running.then((first) => this.pump().then((next) => [...first, ...next]));
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<Fired[]> {
    const fired: Fired[] = [];
    // First, so the rounds below drain what the jobs wrote. However far the clock jumped, the jobs run once.
    await this.runDaily();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      this.again = false;
      // The jobs (webhook deliveries of what earlier rounds published) run beside the rest of the round: in AWS the
      // queue's consumer does not wait for the stream's, and here neither waits out the other's backoff.
      const jobs = this.runJobs(round);
      let records: number;
      let batch: Fired[];
      let workflowWork: boolean;
      try {
        // Each consumer keeps its own position (as each event source mapping does in AWS), so they drain side by side.
        records = (await Promise.all([this.opts.poller, ...(this.opts.consumers ?? [])].map((c) => c.drain()))).reduce((a, b) => a + b, 0);
        batch = await this.opts.scheduler.fireDue(this.opts.now, (t) => this.opts.checkpoint()(t, this.opts.context('checkpoint')));
        for (const f of batch) this.opts.log?.(`timer ${f.name} fired (${f.kind}${f.percent ? ` ${f.percent}%` : ''}) → ${JSON.stringify(f.result)}`);
        fired.push(...batch);
        // Executions still moving (started by a request, the stream or a checkpoint), then due timeouts and heartbeats.
        const busy = !this.opts.workflows.isIdle();
        workflowWork = (await this.opts.workflows.catchUp(Date.parse(this.opts.now()))) > 0 || busy;
      } finally {
        // Never left running past the pump, even when the round fails.
        await jobs;
      }
      const jobWork = await jobs;
      if (!records && !batch.length && !workflowWork && !jobWork && !this.again) break;
    }
    // Last, so a digest sees every case change the rounds above committed.
    await this.runPeriodic();
    this.history.push(...fired);
    if (this.history.length > 100_000) this.history.splice(0, this.history.length - 100_000);
    return fired;
  }

  /** The round's jobs, one after another; how much they did (a failing job is logged and counts nothing). */
  private async runJobs(round: number): Promise<number> {
    let work = 0;
    for (const job of this.opts.jobs ?? []) {
      try {
        work += await job.run(round);
      } catch (err) {
        this.opts.log?.(`${job.name} failed: ${(err as Error).message}`);
      }
    }
    return work;
  }

  private async runDaily(): Promise<void> {
    const today = this.opts.now().slice(0, 10);
    if (this.day === undefined || today <= this.day) {
      this.day ??= today;
      return;
    }
    this.day = today;
    for (const job of this.opts.daily ?? []) {
      // A failing job is logged and recorded, never allowed to stop the timers (tomorrow's run tries again).
      try {
        const result = await job.run(this.opts.now());
        this.dailyRuns.push({ name: job.name, day: today, result });
        this.opts.log?.(`daily ${job.name} (${today}) → ${JSON.stringify(result)}`);
      } catch (err) {
        this.dailyRuns.push({ name: job.name, day: today, error: (err as Error).message });
        this.opts.log?.(`daily ${job.name} (${today}) failed: ${(err as Error).message}`);
      }
    }
    if (this.dailyRuns.length > 1000) this.dailyRuns.splice(0, this.dailyRuns.length - 1000);
  }

  private async runPeriodic(): Promise<void> {
    const now = this.opts.now();
    for (const job of this.opts.periodic ?? []) {
      const period = Math.floor(Date.parse(now) / job.everyMs);
      const last = this.periods.get(job.name);
      this.periods.set(job.name, period);
      // The first pump only notes the period: a start-up is not a period passing.
      if (last === undefined || period <= last) continue;
      try {
        const result = await job.run(now);
        this.periodicRuns.push({ name: job.name, at: now, result });
        this.opts.log?.(`${job.name} (${now}) → ${JSON.stringify(result)}`);
      } catch (err) {
        this.periodicRuns.push({ name: job.name, at: now, error: (err as Error).message });
        this.opts.log?.(`${job.name} (${now}) failed: ${(err as Error).message}`);
      }
    }
    if (this.periodicRuns.length > 1000) this.periodicRuns.splice(0, this.periodicRuns.length - 1000);
  }

  /** Background loop for real time passing (the clock also moves by itself). */
  start(everyMs: number): void {
    this.interval = setInterval(() => {
      this.pump().catch((err: unknown) => this.opts.log?.(`local timers: ${(err as Error).message}`));
    }, everyMs);
    this.interval.unref();
  }

  async stop(): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    await this.running?.catch(() => undefined);
  }
}
