// LocalWorkflowEngine: runs exported ASL in-process with aws-local-stepfunctions, mapping every Task state by name to
// a local handler, and emulates what the interpreter lacks: task tokens (callback tasks wait on a promise that
// sendTaskSuccess/sendTaskFailure settle), TimeoutSeconds/HeartbeatSeconds of callback tasks on a controllable clock
// (`fireDueTimers`), and heartbeats (`sendTaskHeartbeat`).
//
// With a `store` (optional: without one it is in memory only), executions and waiting callback tasks are persisted,
// and `restore()` continues them in a new process: a waiting task resumes from its Task state with the same token and
// the same timers (its function is not called again), an execution that stopped between two waits restarts from its
// first state (the task functions are idempotent against the case table). `idle()` tells a caller (the local timer
// pump) when every execution waits for a token or has ended.
import './polyfill';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunOptions, StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Clock } from '#ports/clock';
import { type AslDefinition, type Json, taskStates } from '../asl-document';
import { isCallbackResource, isLocalCallbackInput, localizeAsl, localRunContext, withTaskToken } from './localize';
import type { ClosedHow, StoredExecution, StoredExecutionStatus, StoredTask, WorkflowStore } from './store';

export type { ClosedHow, StoredExecution, StoredTask, WorkflowStore } from './store';
export { MemoryWorkflowStore } from './store';

/**
 * The interpreter, loaded when first needed (a validation or an execution): with its dependencies (jsonata, lodash,
 * the Lambda client, the ASL validator) it was about 60 ms of every local stack's start under jest, and most test
 * stacks never run a workflow.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const interpreter = (): typeof import('aws-local-stepfunctions') => require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');

/** What a handler receives besides the payload. `taskToken` only for callback tasks. */
export interface TaskMeta {
  workflow: string;
  executionId: string;
  stateName: string;
  taskToken?: string;
}

/**
 * The local stand-in for a Task's resource. For `lambda:invoke` tasks it receives the Lambda payload (as the function
 * would) and returns the function's result; for callback tasks its result is ignored (the task waits for the token).
 * Throw an Error whose `name` is the error code to fail the task (as a Lambda's `errorType`).
 */
export type TaskHandler = (payload: Json, meta: TaskMeta) => unknown;

export type ExecutionOutcome =
  | { status: 'SUCCEEDED'; output: Json }
  | { status: 'FAILED'; error: string; cause: string }
  | { status: 'ABORTED' | 'TIMED_OUT' };

export interface LocalExecution {
  executionId: string;
  workflow: string;
  /** Settles when the execution ends; never rejects. */
  result: Promise<ExecutionOutcome>;
  /**
   * Names of the states entered so far, in order (a state transition each, as Step Functions bills them). Across a
   * restore it continues the persisted list; an execution restarted from its first state starts a new list.
   */
  statesEntered: string[];
  /** RUNNING until `result` settles, then the outcome's status. */
  status: 'RUNNING' | ExecutionOutcome['status'];
  outcome?: ExecutionOutcome;
}

export interface PendingTask {
  taskToken: string;
  workflow: string;
  executionId: string;
  stateName: string;
  /** The payload handed to the handler (token included). */
  payload: Json;
  /** The raw input of the Task state (known once the handler has returned; what a restore continues from). */
  stateInput?: Json;
  startedAt: number;
  /** Epoch ms at which the task times out (`States.Timeout`), if it has a timeout. */
  timeoutAt?: number;
  heartbeatSeconds?: number;
  /** Epoch ms at which a missing heartbeat fails the task (`States.HeartbeatTimeout`). */
  heartbeatAt?: number;
}

/** A token call's outcome: SendTaskSuccess(output) or SendTaskFailure(error, cause). */
export type TaskResult = { ok: true; output: Json } | { ok: false; error: string; cause?: string };

/** Errors of the task-token calls, named like the Step Functions API exceptions. */
export class TaskTokenError extends Error {
  constructor(
    override readonly name: 'InvalidToken' | 'TaskDoesNotExist' | 'TaskTimedOut',
    message: string,
  ) {
    super(message);
  }
}

const namedError = (name: string, message: string): Error => Object.assign(new Error(message), { name });

const tokenError = (how: ClosedHow | undefined): TaskTokenError =>
  how === 'timedOut'
    ? new TaskTokenError('TaskTimedOut', 'the task timed out before this call')
    : how === 'settled'
      ? new TaskTokenError('TaskDoesNotExist', 'the task is no longer waiting for a token')
      : new TaskTokenError('InvalidToken', 'unknown task token');

/**
 * How executions persisted under an earlier definition of a workflow continue under the registered one (`restore`).
 * Both functions return their argument unchanged when it already has the current form.
 */
export interface WorkflowUpgrade {
  /** The execution input in the form the current definition starts with (a restart from the first state uses it). */
  input?: (input: Json) => Json;
  /**
   * A waiting task's raw state input in the form the current definition's state `stateName` takes; undefined when it
   * cannot continue from there (the execution then restarts from its first state, with the upgraded input).
   */
  stateInput?: (stateName: string, stateInput: Json) => Json | undefined;
}

interface Registered {
  asl: AslDefinition;
  upgrade: WorkflowUpgrade;
  definition: StateMachineDefinition;
  /** Copies of the definition starting at a callback Task state (restore), by state name. */
  from: Map<string, StateMachineDefinition>;
  overrides: (executionId: string) => NonNullable<RunOptions['overrides']>;
}

interface Waiting extends PendingTask {
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
  /** The handler has returned and the task is persisted (or being persisted): the execution now only waits. */
  ready: boolean;
  /** A taskWaiting write was queued for it (a heartbeat then rewrites it). */
  persisted: boolean;
}

interface ExecutionState {
  handle: LocalExecution;
  input: Json;
  startedAt: number;
  run?: { abort: () => void };
  /** The latest StateEntered event seen (its raw input is what a waiting task persists). */
  lastEntered?: { name: string; input: Json };
}

export interface LocalWorkflowEngineOptions {
  /** The local clock; timers are measured against it. Default: the system clock. */
  clock?: Clock;
  /** Token factory (deterministic tokens in tests). */
  mintToken?: () => string;
  /** Persistence of executions and waiting tasks; without it the engine is in memory only and cannot `restore()`. */
  store?: WorkflowStore;
  /** How long `idle()` waits by default before it rejects (ms). Default 90 s (a side-effect task may take 60 s). */
  idleTimeoutMs?: number;
  /** Called for every state an execution enters (progress logs). */
  onStateEntered?: (event: { executionId: string; workflow: string; stateName: string }) => void;
  /** Called when the clock fails a waiting task (`States.Timeout` / `States.HeartbeatTimeout`). */
  onTimerFired?: (event: { executionId: string; workflow: string; stateName: string; error: string }) => void;
  /** Called when an execution ends (not when `stop()` aborts it). */
  onExecutionEnded?: (event: { executionId: string; workflow: string; outcome: ExecutionOutcome }) => void;
  /** Called when a store write fails (`idle()` also rejects once with it). Default: nothing besides `idle()`. */
  onStoreError?: (error: Error) => void;
}

/** Exported documents already validated by the interpreter (unchanged objects: the workflows export is synthesised once). */
const validated = new WeakSet<AslDefinition>();

/**
 * Validation compiles asl-validator's JSON Schemas with ajv: ~0.1 s per document on a quiet core, paid by every process
 * that starts a local stack (each jest test file, each `npm start`). A document that validated once is remembered by
 * its digest (and the interpreter's version) in a marker file under the OS temp dir, so the same ASL is not revalidated.
 */
const VALIDATED_DIR = join(tmpdir(), 'complaints-asl-validated');
/** The installed interpreter (its validator) as a cache key: path, size and mtime of its entry point. */
const interpreterVersion = (() => {
  try {
    const entry = require.resolve('aws-local-stepfunctions');
    const { size, mtimeMs } = statSync(entry);
    return `${entry}:${size}:${mtimeMs}`;
  } catch {
    return 'unknown';
  }
})();
const validatedMarker = (definition: unknown): string =>
  join(VALIDATED_DIR, createHash('sha256').update(interpreterVersion).update('\0').update(JSON.stringify(definition)).digest('hex'));
const validateOnce = (definition: unknown): void => {
  const marker = validatedMarker(definition);
  if (existsSync(marker)) return;
  new (interpreter().StateMachine)(definition as StateMachineDefinition);
  try {
    mkdirSync(VALIDATED_DIR, { recursive: true });
    writeFileSync(marker, '');
  } catch {
    // A read-only temp dir only costs the next process the validation again.
  }
};

/** Lets every pending microtask run: the interpreter's event log is consumed in microtasks. */
const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

const STATUS: Record<ExecutionOutcome['status'], StoredExecutionStatus> = { SUCCEEDED: 'succeeded', FAILED: 'failed', TIMED_OUT: 'failed', ABORTED: 'aborted' };

export class LocalWorkflowEngine {
  private readonly workflows = new Map<string, Registered>();
  private readonly waiting = new Map<string, Waiting>();
  /** Tokens no longer waiting, and why: a late call answers like Step Functions instead of "invalid". */
  private readonly closed = new Map<string, ClosedHow>();
  /** Every execution this engine started or restored, by id (running or ended). */
  private readonly executions = new Map<string, ExecutionState>();
  /** Restored tasks, by execution: the next callback of that execution re-registers this task instead of calling its handler. */
  private readonly resuming = new Map<string, StoredTask>();
  /** Idempotent starts checking the store. */
  private readonly starting = new Map<string, Promise<LocalExecution | undefined>>();
  private readonly now: () => number;
  private readonly mintToken: () => string;
  private readonly store: WorkflowStore | undefined;
  private inFlight = 0;
  private writes = 0;
  /**
   * Store writes queued per execution: one execution's writes stay in order (started, waiting, closed, ended), while
   * different executions' writes run side by side, as Step Functions keeps each execution's history by itself.
   */
  private readonly writeQueues = new Map<string, Promise<void>>();
  private storeFailure: Error | undefined;
  private halted = false;
  /**
   * While `catchUp` replays lapsed timers: per execution, the instant its last timer lapsed (its next task counts from
   * it). Each execution moves on its own timeline; different executions' timers lapse in the same round.
   */
  private readonly virtualAt = new Map<string, number>();
  /** The lapse instant of the execution whose handler is running: an execution it starts counts from that instant. */
  private readonly handlerAt = new AsyncLocalStorage<number>();
  /** Executions whose run has not ended (what `isIdle` checks; `executions` also keeps the ended ones). */
  private readonly running = new Set<string>();
  private readonly idleWaiters = new Set<() => void>();

  constructor(private readonly options: LocalWorkflowEngineOptions = {}) {
    const clock = options.clock;
    this.now = clock ? () => Date.parse(clock.now()) : () => Date.now();
    this.mintToken = options.mintToken ?? (() => `local-${randomUUID()}`);
    this.store = options.store;
  }

  /**
   * Registers an exported ASL document; every Task state must have a handler (checked here, not mid-run). `upgrade`
   * converts what an earlier definition persisted, for `restore()`.
   */
  register(workflow: string, asl: AslDefinition, handlers: Record<string, TaskHandler>, upgrade: WorkflowUpgrade = {}): void {
    const tasks = taskStates(asl);
    const missing = tasks.filter(([name]) => !handlers[name]).map(([name]) => name);
    if (missing.length > 0) throw new Error(`workflow "${workflow}": no local handler for Task state(s) ${missing.join(', ')}`);
    if (this.store) {
      // A restore continues from a top-level Task state (a copy of the definition with StartAt = that state).
      const nested = tasks.filter(([name, state]) => isCallbackResource(state.Resource) && asl.States[name] !== state).map(([name]) => name);
      if (nested.length > 0) throw new Error(`workflow "${workflow}": callback task(s) ${nested.join(', ')} inside Map/Parallel cannot be persisted`);
    }
    const local = localizeAsl(asl);
    const overrides = (executionId: string) => ({
      taskResourceLocalHandlers: Object.fromEntries(
        tasks.map(([stateName, state]) => {
          const meta = { workflow, executionId, stateName };
          const handler = handlers[stateName]!;
          const resource = state.Resource ?? '';
          if (isCallbackResource(resource)) return [stateName, (input: Json) => this.callback(resource, input, meta, handler)];
          if (resource.startsWith('arn:aws:states:::lambda:invoke')) {
            return [
              stateName,
              async (input: Json) => ({ ExecutedVersion: '$LATEST', StatusCode: 200, Payload: ((await this.call(handler, lambdaPayload(input), meta)) ?? null) as Json }),
            ];
          }
          return [stateName, async (input: Json) => ((await this.call(handler, input, meta)) ?? null) as Json];
        }),
      ),
    });
    // The interpreter validates the definition (asl-validator) when the machine is constructed: fail at registration
    // (once per document: validation compiles the schema, ~0.1 s).
    if (!validated.has(asl)) {
      validateOnce(local);
      validated.add(asl);
    }
    this.workflows.set(workflow, { asl: local, upgrade, definition: local as unknown as StateMachineDefinition, from: new Map(), overrides });
  }

  /**
   * Starts an execution; the returned `result` settles when it ends. An id this engine already knows (running or
   * ended) is a no-op answering the existing execution. Across restarts use `startOnce`, which also asks the store.
   */
  start(workflow: string, input: Json, executionId: string = randomUUID()): LocalExecution {
    const known = this.executions.get(executionId);
    if (known) return known.handle;
    const registered = this.registered(workflow);
    // Started by a handler of an execution being caught up: it counts from that execution's instant, not the clock's.
    const at = this.handlerAt.getStore();
    if (at !== undefined) this.virtualAt.set(executionId, at);
    const startedAt = at ?? this.now();
    const handle = this.launch(registered, { executionId, workflow, input, startedAt, statesEntered: [] });
    void this.persist(executionId, (store) => store.executionStarted({ executionId, workflow, input, status: 'running', statesEntered: [], startedAt }));
    return handle;
  }

  /**
   * Idempotent start (Step Functions StartExecution with the same name): starts unless an execution with this id
   * exists, running or ended, in this engine or in the store. Resolves with the execution when this engine runs or ran
   * it (undefined for one that ended before a restart: see `describeExecution`), once its start is persisted.
   */
  async startOnce(workflow: string, input: Json, executionId: string): Promise<{ started: boolean; execution?: LocalExecution }> {
    this.registered(workflow);
    const known = this.executions.get(executionId);
    if (known) return { started: false, execution: known.handle };
    const pending = this.starting.get(executionId);
    if (pending) {
      const execution = await pending;
      return { started: false, ...(execution ? { execution } : {}) };
    }
    let started = false;
    const check = (async (): Promise<LocalExecution | undefined> => {
      const stored = await this.store?.getExecution(executionId);
      if (stored) return this.executions.get(executionId)?.handle;
      const execution = this.start(workflow, input, executionId);
      started = true;
      // Its own start persisted (other executions' writes need not be waited for).
      await this.writeQueues.get(executionId);
      return execution;
    })();
    this.starting.set(executionId, check);
    try {
      const execution = await check;
      return { started, ...(execution ? { execution } : {}) };
    } finally {
      this.starting.delete(executionId);
      this.changed();
    }
  }

  /** An execution this engine started or restored (running or ended). */
  execution(executionId: string): LocalExecution | undefined {
    return this.executions.get(executionId)?.handle;
  }

  /** Every execution this engine started or restored, in start order. */
  listExecutions(): LocalExecution[] {
    return [...this.executions.values()].map((e) => e.handle);
  }

  /** An execution as this engine knows it, else as the store has it (e.g. one that ended before a restart). */
  async describeExecution(executionId: string): Promise<StoredExecution | undefined> {
    const live = this.executions.get(executionId);
    if (live) {
      const { handle } = live;
      return {
        executionId,
        workflow: handle.workflow,
        input: live.input,
        status: handle.outcome ? STATUS[handle.outcome.status] : 'running',
        statesEntered: [...handle.statesEntered],
        startedAt: live.startedAt,
        ...(handle.outcome ? { outcome: handle.outcome } : {}),
      };
    }
    return this.store?.getExecution(executionId);
  }

  sendTaskSuccess(taskToken: string, output: Json): void {
    this.take(taskToken).task.resolve(output);
  }

  /** `error` becomes the error name Catch/Retry match; `cause` its Cause. */
  sendTaskFailure(taskToken: string, error: string, cause = ''): void {
    this.take(taskToken).task.reject(namedError(error, cause));
  }

  sendTaskHeartbeat(taskToken: string): void {
    const task = this.live(taskToken);
    if (task.heartbeatSeconds === undefined) return;
    task.heartbeatAt = this.nowFor(task.executionId) + task.heartbeatSeconds * 1000;
    if (task.persisted) void this.persistTask(task);
  }

  /**
   * SendTaskSuccess / SendTaskFailure that resolves once the settlement is persisted. A token this engine does not
   * know but the store saw closing (before a restart) answers TaskDoesNotExist / TaskTimedOut, not InvalidToken.
   */
  async settle(taskToken: string, result: TaskResult): Promise<void> {
    const { task, written } = this.take(taskToken, await this.closedBefore(taskToken));
    if (result.ok) task.resolve(result.output);
    else task.reject(namedError(result.error, result.cause ?? ''));
    await written;
  }

  /** SendTaskHeartbeat that resolves once the new heartbeat instant is persisted; unknown tokens as in `settle`. */
  async heartbeat(taskToken: string): Promise<void> {
    const task = this.live(taskToken, await this.closedBefore(taskToken));
    if (task.heartbeatSeconds === undefined) return;
    task.heartbeatAt = this.nowFor(task.executionId) + task.heartbeatSeconds * 1000;
    if (task.persisted) await this.persistTask(task);
  }

  /** Tasks waiting for a token, oldest first; optionally of one execution. */
  pendingTasks(executionId?: string): PendingTask[] {
    return [...this.waiting.values()]
      .filter((t) => executionId === undefined || t.executionId === executionId)
      .map(({ resolve: _r, reject: _j, ready: _d, persisted: _p, ...task }) => ({ ...task }));
  }

  /**
   * Fails every callback task whose heartbeat or timeout has lapsed at `now` with `States.HeartbeatTimeout` or
   * `States.Timeout` (whichever lapsed first). Returns how many it failed. Call it whenever the local clock moves.
   */
  fireDueTimers(now: number = this.now()): number {
    let fired = 0;
    for (const task of [...this.waiting.values()]) {
      const due = dueOf(task);
      if (!due || due.at > now) continue;
      this.fire(task, due.error);
      fired += 1;
    }
    return fired;
  }

  /** Fails a waiting task with its lapsed timer's error. */
  private fire(task: Waiting, error: 'States.Timeout' | 'States.HeartbeatTimeout'): void {
    void this.close(task, 'timedOut');
    this.options.onTimerFired?.({ executionId: task.executionId, workflow: task.workflow, stateName: task.stateName, error });
    task.reject(namedError(error, error === 'States.HeartbeatTimeout' ? `no heartbeat within ${task.heartbeatSeconds} s` : 'task timed out'));
  }

  /**
   * Moves the executions on to `now` as if the clock had run there by itself. Each execution moves on its own
   * timeline: its earliest lapsed timer fires, the execution moves on to its next wait, whose timers then count from
   * the instant the previous one lapsed (a reminder at +24 h and the escalation at +48 h both happen in one jump of
   * two days), and so on. Executions are independent (as in Step Functions), so every execution's next lapsed timer
   * fires in the same round, earliest first: the rounds are as many as the longest chain of one execution's timers,
   * not as many as the distinct instants of all of them. Resolves with how many timers fired, once idle.
   */
  async catchUp(now: number = this.now()): Promise<number> {
    let fired = 0;
    try {
      for (let round = 0; ; round += 1) {
        await this.idle();
        // Per execution, its earliest lapsed timer (an execution waits on one task at most: no Parallel in our ASL).
        const next = new Map<string, { task: Waiting; at: number; error: 'States.Timeout' | 'States.HeartbeatTimeout' }>();
        for (const task of this.waiting.values()) {
          const due = dueOf(task);
          if (!due || due.at > now) continue;
          const seen = next.get(task.executionId);
          if (!seen || due.at < seen.at) next.set(task.executionId, { task, ...due });
        }
        if (next.size === 0) return fired;
        if (round >= 10_000) throw new Error(`local workflows: more than 10,000 timer rounds catching up to ${new Date(now).toISOString()}`);
        for (const { task, at, error } of [...next.values()].sort((a, b) => a.at - b.at)) {
          this.virtualAt.set(task.executionId, at);
          this.fire(task, error);
          fired += 1;
        }
      }
    } finally {
      this.virtualAt.clear();
    }
  }

  /** "Now" for one execution: the instant its last timer lapsed while it is caught up, else the clock's. */
  private nowFor(executionId: string): number {
    return this.virtualAt.get(executionId) ?? this.now();
  }

  /**
   * Continues the executions the store has as running (call once, after registering the workflows, before anything
   * settles tokens): a waiting task resumes from its Task state with its token and timers, without calling its
   * handler again; an execution without a waiting task restarts from its first state with its input. What an earlier
   * definition persisted passes through the workflow's `WorkflowUpgrade` first. Resolves when they are idle again.
   */
  async restore(): Promise<{ resumed: string[]; restarted: string[] }> {
    const store = this.store;
    if (!store) throw new Error('restore() needs a store');
    const [running, tasks] = await Promise.all([store.runningExecutions(), store.pendingTasks()]);
    const resumed: string[] = [];
    const restarted: string[] = [];
    const runningIds = new Set(running.map((e) => e.executionId));
    for (const execution of running) {
      if (this.executions.has(execution.executionId)) continue;
      const registered = this.workflows.get(execution.workflow);
      if (!registered) throw new Error(`restore: execution ${execution.executionId} belongs to workflow "${execution.workflow}", which is not registered`);
      // Newest first; the workflows have no Parallel, so an execution waits on one task at most.
      const [task, ...stale] = tasks.filter((t) => t.executionId === execution.executionId).sort((a, b) => b.startedAt - a.startedAt);
      for (const t of stale) void this.persist(t.executionId, (s) => s.taskClosed(t, 'settled'));
      // Persisted by an earlier definition: in the current one's form (unchanged when it already is).
      const { upgrade } = registered;
      const input = upgrade.input ? upgrade.input(execution.input) : execution.input;
      const stateInput = task && (upgrade.stateInput ? upgrade.stateInput(task.stateName, task.stateInput) : task.stateInput);
      if (task && stateInput !== undefined && registered.asl.States[task.stateName]?.Type === 'Task') {
        const resumedTask = stateInput === task.stateInput ? task : { ...task, stateInput };
        if (resumedTask !== task) void this.persist(task.executionId, (s) => s.taskWaiting(resumedTask, execution.statesEntered));
        this.resuming.set(execution.executionId, resumedTask);
        this.launch(registered, { ...execution, input }, resumedTask);
        resumed.push(execution.executionId);
      } else {
        if (task) void this.persist(task.executionId, (s) => s.taskClosed(task, 'settled'));
        const fresh = { ...execution, input, statesEntered: [] };
        this.launch(registered, fresh);
        void this.persist(fresh.executionId, (s) => s.executionStarted({ ...fresh, status: 'running' }));
        restarted.push(execution.executionId);
      }
    }
    // Tasks of executions that are not running any more (ended between two writes): closed.
    for (const task of tasks) if (!runningIds.has(task.executionId)) void this.persist(task.executionId, (s) => s.taskClosed(task, 'settled'));
    await this.idle();
    return { resumed, restarted };
  }

  /**
   * True when no handler call, store write or start is in flight and every running execution waits for a token.
   * Executions ended or waiting on the clock then move only through a token call or `fireDueTimers`.
   */
  isIdle(): boolean {
    if (this.inFlight > 0 || this.writes > 0 || this.starting.size > 0) return false;
    if (this.running.size === 0) return true;
    const ready = new Set<string>();
    for (const w of this.waiting.values()) if (w.ready) ready.add(w.executionId);
    for (const executionId of this.running) if (!ready.has(executionId)) return false;
    return true;
  }

  /**
   * Resolves once `isIdle()` holds; rejects after `timeoutMs` naming what is still busy, or at once with a store
   * write that failed since the last call (reported once).
   */
  idle(timeoutMs: number = this.options.idleTimeoutMs ?? 90_000): Promise<void> {
    const failure = () => {
      const error = this.storeFailure;
      this.storeFailure = undefined;
      return error && new Error(`local workflow store write failed: ${error.message}`, { cause: error });
    };
    const failed = failure();
    if (failed) return Promise.reject(failed);
    if (this.isIdle()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.idleWaiters.delete(done);
        const error = failure();
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => {
        this.idleWaiters.delete(done);
        reject(new Error(`local workflows not idle after ${timeoutMs} ms: ${this.describeBusy()}`));
      }, timeoutMs);
      this.idleWaiters.add(done);
    });
  }

  /** Resolves when every store write queued so far is done (failures are reported through `idle()`). */
  async flush(): Promise<void> {
    while (this.writeQueues.size > 0) await Promise.all(this.writeQueues.values());
  }

  /**
   * Aborts every running execution and releases its timers, without recording anything in the store (a restore in
   * the next process continues them); waits for handler calls in flight (up to `graceMs`) and queued writes.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.halted = true;
    for (const execution of this.executions.values()) execution.run?.abort();
    for (const task of [...this.waiting.values()]) {
      this.waiting.delete(task.taskToken);
      // Settles the interpreter's race so that its own task timer is cleared.
      task.reject(namedError('States.Runtime', 'engine stopped'));
    }
    const deadline = Date.now() + graceMs;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.flush();
    for (const done of [...this.idleWaiters]) done();
  }

  private registered(workflow: string): Registered {
    const registered = this.workflows.get(workflow);
    if (!registered) throw new Error(`workflow "${workflow}" is not registered`);
    return registered;
  }

  /** Runs an execution from its first state, or from the Task state of a restored task. */
  private launch(registered: Registered, execution: Pick<StoredExecution, 'executionId' | 'workflow' | 'input' | 'startedAt' | 'statesEntered'>, from?: StoredTask): LocalExecution {
    const { executionId, workflow } = execution;
    if (this.halted) throw new Error('the local workflow engine is stopped');
    const definition = from ? this.definitionFrom(registered, from.stateName) : registered.definition;
    const run = new (interpreter().StateMachine)(definition, { validationOptions: { noValidate: true } }).run(from ? from.stateInput : execution.input, {
      overrides: registered.overrides(executionId),
      context: localRunContext(),
    });
    const handle: LocalExecution = { executionId, workflow, statesEntered: [...execution.statesEntered], status: 'RUNNING', result: undefined as unknown as Promise<ExecutionOutcome> };
    const state: ExecutionState = { handle, input: execution.input, startedAt: execution.startedAt, run };
    this.executions.set(executionId, state);
    this.running.add(executionId);
    const collecting = (async () => {
      // A restored run re-enters the Task state it waited in: already counted before the restart.
      let skip = from !== undefined;
      for await (const event of run.eventLogs) {
        if (event.type !== 'StateEntered') continue;
        state.lastEntered = { name: event.state.name, input: event.state.input };
        if (skip) {
          skip = false;
          continue;
        }
        handle.statesEntered.push(event.state.name);
        this.options.onStateEntered?.({ executionId, workflow, stateName: event.state.name });
      }
    })();
    const outcome = run.result.then(
      (output): ExecutionOutcome => ({ status: 'SUCCEEDED', output }),
      (error: unknown): ExecutionOutcome => outcomeOf(error),
    );
    handle.result = outcome.then(async (ended) => {
      state.run = undefined;
      this.running.delete(executionId);
      if (!this.halted) this.dropTasksOf(executionId);
      await collecting;
      handle.status = ended.status;
      handle.outcome = ended;
      if (!this.halted) {
        this.options.onExecutionEnded?.({ executionId, workflow, outcome: ended });
        void this.persist(executionId, (store) =>
          store.executionEnded({
            executionId,
            workflow,
            input: state.input,
            status: STATUS[ended.status],
            statesEntered: [...handle.statesEntered],
            startedAt: state.startedAt,
            endedAt: this.nowFor(executionId),
            outcome: ended,
          }),
        );
      }
      this.changed();
      return ended;
    });
    return handle;
  }

  private definitionFrom(registered: Registered, stateName: string): StateMachineDefinition {
    let definition = registered.from.get(stateName);
    if (!definition) {
      definition = { ...registered.asl, StartAt: stateName } as unknown as StateMachineDefinition;
      registered.from.set(stateName, definition);
    }
    return definition;
  }

  /** A handler call, counted while in flight (the engine is not idle meanwhile). */
  private async call(handler: TaskHandler, payload: Json, meta: TaskMeta): Promise<unknown> {
    this.inFlight += 1;
    try {
      const at = this.virtualAt.get(meta.executionId);
      return await (at === undefined ? handler(payload, meta) : this.handlerAt.run(at, () => handler(payload, meta)));
    } finally {
      this.inFlight -= 1;
      this.changed();
    }
  }

  private async callback(resource: string, input: Json, meta: Omit<TaskMeta, 'taskToken'>, handler: TaskHandler): Promise<Json> {
    if (!isLocalCallbackInput(input)) throw new Error(`Task "${meta.stateName}" was not localized`);
    const restored = this.resuming.get(meta.executionId);
    if (restored?.stateName === meta.stateName) {
      // Restored: the same token and timers; the function already ran and stored the token.
      this.resuming.delete(meta.executionId);
      const { promise } = this.wait({ ...restored }, { ready: true, persisted: true });
      this.changed();
      return promise;
    }
    const taskToken = this.mintToken();
    const parameters = withTaskToken(input.localParameters, taskToken);
    const payload = resource.startsWith('arn:aws:states:::lambda:invoke') ? lambdaPayload(parameters) : parameters;
    const { timeoutSeconds, heartbeatSeconds } = input.localTimers;
    const startedAt = this.nowFor(meta.executionId);
    const { waiting, promise } = this.wait(
      {
        taskToken,
        ...meta,
        payload,
        startedAt,
        ...(timeoutSeconds !== undefined ? { timeoutAt: startedAt + timeoutSeconds * 1000 } : {}),
        ...(heartbeatSeconds !== undefined ? { heartbeatSeconds, heartbeatAt: startedAt + heartbeatSeconds * 1000 } : {}),
      },
      { ready: false, persisted: false },
    );
    try {
      await this.call(handler, payload, { ...meta, taskToken });
    } catch (error) {
      // The function that was to hand the token out failed: the task fails with its error, as in Step Functions.
      if (this.waiting.get(taskToken) === waiting) {
        void this.close(waiting, 'settled');
        waiting.reject(error instanceof Error ? error : namedError('Error', String(error)));
      }
      return promise;
    }
    // Persisted only once the function has stored the token: a restart before this point re-runs the execution
    // from its first state (and the function again) rather than waiting on a token nobody has.
    await nextMacrotask(); // the event log has caught up: this state's entry and raw input are recorded
    if (this.waiting.get(taskToken) === waiting) {
      const entered = this.executions.get(meta.executionId)?.lastEntered;
      if (entered?.name === meta.stateName) {
        waiting.stateInput = entered.input;
        if (this.store) {
          waiting.persisted = true;
          void this.persistTask(waiting);
        }
      } else if (this.store) {
        // Cannot happen with the interpreter's event order; if it did, a restart would re-run the execution instead.
        this.reportStoreFailure(new Error(`Task "${meta.stateName}" of ${meta.executionId}: its StateEntered event was not seen, the task is not persisted`));
      }
      waiting.ready = true;
    }
    this.changed();
    return promise;
  }

  private wait(task: PendingTask, flags: { ready: boolean; persisted: boolean }): { waiting: Waiting; promise: Promise<Json> } {
    let resolve!: (output: Json) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<Json>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // The interpreter may not be listening yet (the handler still runs) when a stop or a failure rejects it.
    promise.catch(() => undefined);
    const waiting: Waiting = { ...task, resolve, reject, ...flags };
    this.waiting.set(task.taskToken, waiting);
    return { waiting, promise };
  }

  private persistTask(task: Waiting): Promise<void> {
    const { resolve: _r, reject: _j, ready: _d, persisted: _p, ...fields } = task;
    const stored: StoredTask = { ...fields, stateInput: fields.stateInput ?? null };
    const statesEntered = [...(this.executions.get(task.executionId)?.handle.statesEntered ?? [])];
    return this.persist(task.executionId, (store) => store.taskWaiting(stored, statesEntered));
  }

  /**
   * Queues a store write behind the execution's earlier ones (an execution's writes stay in order; other executions'
   * run beside them); a no-op without a store or once stopped.
   */
  private persist(executionId: string, write: (store: WorkflowStore) => Promise<void>): Promise<void> {
    const store = this.store;
    if (!store || this.halted) return Promise.resolve();
    this.writes += 1;
    const done = (this.writeQueues.get(executionId) ?? Promise.resolve()).then(() => write(store));
    const tail = done.then(
      () => undefined,
      (error: unknown) => this.reportStoreFailure(error instanceof Error ? error : new Error(String(error))),
    );
    this.writeQueues.set(executionId, tail);
    void tail.then(() => {
      if (this.writeQueues.get(executionId) === tail) this.writeQueues.delete(executionId);
      this.writes -= 1;
      this.changed();
    });
    return done;
  }

  private reportStoreFailure(error: Error): void {
    this.storeFailure ??= error;
    this.options.onStoreError?.(error);
  }

  private async closedBefore(taskToken: string): Promise<ClosedHow | undefined> {
    if (this.waiting.has(taskToken) || this.closed.has(taskToken) || !this.store) return undefined;
    return this.store.closedToken(taskToken);
  }

  private live(taskToken: string, closedBefore?: ClosedHow): Waiting {
    const task = this.waiting.get(taskToken);
    if (task) return task;
    throw tokenError(this.closed.get(taskToken) ?? closedBefore);
  }

  /** The waiting task, removed: a token settles at most once. */
  private take(taskToken: string, closedBefore?: ClosedHow): { task: Waiting; written: Promise<void> } {
    const task = this.live(taskToken, closedBefore);
    return { task, written: this.close(task, 'settled') };
  }

  private close(task: Waiting, how: ClosedHow): Promise<void> {
    this.waiting.delete(task.taskToken);
    this.closed.set(task.taskToken, how);
    return this.persist(task.executionId, (store) => store.taskClosed(task, how));
  }

  private dropTasksOf(executionId: string): void {
    for (const task of [...this.waiting.values()]) {
      if (task.executionId !== executionId) continue;
      void this.close(task, 'settled');
      // Settles the interpreter's race so that its own task timer is cleared.
      task.reject(namedError('States.Runtime', 'execution ended'));
    }
  }

  /** Wakes `idle()` callers once the engine is idle. */
  private changed(): void {
    if (this.idleWaiters.size === 0 || !this.isIdle()) return;
    for (const done of [...this.idleWaiters]) done();
  }

  private describeBusy(): string {
    const ready = new Set([...this.waiting.values()].filter((w) => w.ready).map((w) => w.executionId));
    const busy = [...this.executions.entries()]
      .filter(([id, e]) => e.run && !ready.has(id))
      .map(([id, e]) => `${id} (in ${e.lastEntered?.name ?? 'its first state'})`);
    return [
      busy.length ? `executions between waits: ${busy.join(', ')}` : '',
      this.inFlight ? `${this.inFlight} handler call(s) in flight` : '',
      this.writes ? `${this.writes} store write(s) queued` : '',
      this.starting.size ? `${this.starting.size} start(s) in progress` : '',
    ]
      .filter(Boolean)
      .join('; ');
  }
}

const lambdaPayload = (parameters: Json): Json =>
  parameters && typeof parameters === 'object' && !Array.isArray(parameters) && 'Payload' in parameters ? (parameters.Payload ?? null) : parameters;

const dueOf = (task: PendingTask): { at: number; error: 'States.Timeout' | 'States.HeartbeatTimeout' } | undefined => {
  const candidates = [
    ...(task.heartbeatAt !== undefined ? [{ at: task.heartbeatAt, error: 'States.HeartbeatTimeout' as const }] : []),
    ...(task.timeoutAt !== undefined ? [{ at: task.timeoutAt, error: 'States.Timeout' as const }] : []),
  ];
  // A heartbeat lapsing at the same instant as the timeout reports as the heartbeat (it is caught first in our ASL).
  return candidates.sort((a, b) => a.at - b.at)[0];
};

const outcomeOf = (error: unknown): ExecutionOutcome => {
  const { ExecutionAbortedError, ExecutionTimeoutError } = interpreter();
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT' };
  // ExecutionError wraps the state's error as `cause`.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? { status: 'FAILED', error: cause.name, cause: cause.message } : { status: 'FAILED', error: 'Error', cause: String(cause) };
};
