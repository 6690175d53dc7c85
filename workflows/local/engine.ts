// LocalWorkflowEngine: runs exported ASL in-process with aws-local-stepfunctions, mapping every Task state by name to
// a local handler, and emulates what the interpreter lacks: task tokens (callback tasks wait on a promise that
// sendTaskSuccess/sendTaskFailure settle), TimeoutSeconds/HeartbeatSeconds of callback tasks on a controllable clock
// (`fireDueTimers`), and heartbeats (`sendTaskHeartbeat`). In memory only: persistence of pending tasks across restarts
// and the WorkflowEngine port belong to the caller.
import './polyfill';
import { randomUUID } from 'node:crypto';
import { ExecutionAbortedError, ExecutionTimeoutError, type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Clock } from '#ports/clock';
import { type AslDefinition, type Json, taskStates } from '../asl';
import { isCallbackResource, isLocalCallbackInput, localizeAsl, localRunContext, withTaskToken } from './localize';

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
  /** Names of the states entered so far, in order (a state transition each, as Step Functions bills them). */
  statesEntered: string[];
}

export interface PendingTask {
  taskToken: string;
  workflow: string;
  executionId: string;
  stateName: string;
  /** The payload handed to the handler (token included). */
  payload: Json;
  startedAt: number;
  /** Epoch ms at which the task times out (`States.Timeout`), if it has a timeout. */
  timeoutAt?: number;
  heartbeatSeconds?: number;
  /** Epoch ms at which a missing heartbeat fails the task (`States.HeartbeatTimeout`). */
  heartbeatAt?: number;
}

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

interface Registered {
  definition: StateMachineDefinition;
  overrides: (executionId: string) => NonNullable<RunOptions['overrides']>;
}

interface Waiting extends PendingTask {
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
}

export interface LocalWorkflowEngineOptions {
  /** The local clock; timers are measured against it. Default: the system clock. */
  clock?: Clock;
  /** Token factory (deterministic tokens in tests). */
  mintToken?: () => string;
}

export class LocalWorkflowEngine {
  private readonly workflows = new Map<string, Registered>();
  private readonly waiting = new Map<string, Waiting>();
  /** Tokens no longer waiting, and why: a late call answers like Step Functions instead of "invalid". */
  private readonly closed = new Map<string, 'settled' | 'timedOut'>();
  private readonly running = new Map<string, { abort: () => void }>();
  private readonly now: () => number;
  private readonly mintToken: () => string;

  constructor(options: LocalWorkflowEngineOptions = {}) {
    const clock = options.clock;
    this.now = clock ? () => Date.parse(clock.now()) : () => Date.now();
    this.mintToken = options.mintToken ?? (() => `local-${randomUUID()}`);
  }

  /** Registers an exported ASL document; every Task state must have a handler (checked here, not mid-run). */
  register(workflow: string, asl: AslDefinition, handlers: Record<string, TaskHandler>): void {
    const tasks = taskStates(asl);
    const missing = tasks.filter(([name]) => !handlers[name]).map(([name]) => name);
    if (missing.length > 0) throw new Error(`workflow "${workflow}": no local handler for Task state(s) ${missing.join(', ')}`);
    const local = localizeAsl(asl);
    const overrides = (executionId: string) => ({
      taskResourceLocalHandlers: Object.fromEntries(
        tasks.map(([stateName, state]) => {
          const meta = { workflow, executionId, stateName };
          const handler = handlers[stateName]!;
          const resource = state.Resource ?? '';
          if (isCallbackResource(resource)) return [stateName, (input: Json) => this.callback(resource, input, meta, handler)];
          if (resource.startsWith('arn:aws:states:::lambda:invoke')) {
            return [stateName, async (input: Json) => ({ ExecutedVersion: '$LATEST', StatusCode: 200, Payload: ((await handler(lambdaPayload(input), meta)) ?? null) as Json })];
          }
          return [stateName, async (input: Json) => ((await handler(input, meta)) ?? null) as Json];
        }),
      ),
    });
    // The interpreter validates the definition (asl-validator) when the machine is constructed: fail at registration.
    new StateMachine(local as unknown as StateMachineDefinition);
    this.workflows.set(workflow, { definition: local as unknown as StateMachineDefinition, overrides });
  }

  /** Starts an execution; the returned `result` settles when it ends. */
  start(workflow: string, input: Json, executionId: string = randomUUID()): LocalExecution {
    const registered = this.workflows.get(workflow);
    if (!registered) throw new Error(`workflow "${workflow}" is not registered`);
    if (this.running.has(executionId)) throw namedError('ExecutionAlreadyExists', `execution ${executionId} is running`);
    const run = new StateMachine(registered.definition, { validationOptions: { noValidate: true } }).run(input, {
      overrides: registered.overrides(executionId),
      context: localRunContext(),
    });
    this.running.set(executionId, run);
    const statesEntered: string[] = [];
    const collecting = (async () => {
      for await (const event of run.eventLogs) if (event.type === 'StateEntered') statesEntered.push(event.state.name);
    })();
    const result = run.result.then(
      (output): ExecutionOutcome => ({ status: 'SUCCEEDED', output }),
      (error: unknown): ExecutionOutcome => outcomeOf(error),
    );
    const settled = result.then(async (outcome) => {
      this.running.delete(executionId);
      this.dropTasksOf(executionId);
      await collecting;
      return outcome;
    });
    return { executionId, workflow, result: settled, statesEntered };
  }

  sendTaskSuccess(taskToken: string, output: Json): void {
    this.take(taskToken).resolve(output);
  }

  /** `error` becomes the error name Catch/Retry match; `cause` its Cause. */
  sendTaskFailure(taskToken: string, error: string, cause = ''): void {
    this.take(taskToken).reject(namedError(error, cause));
  }

  sendTaskHeartbeat(taskToken: string): void {
    const task = this.live(taskToken);
    if (task.heartbeatSeconds !== undefined) task.heartbeatAt = this.now() + task.heartbeatSeconds * 1000;
  }

  /** Tasks waiting for a token, oldest first; optionally of one execution. */
  pendingTasks(executionId?: string): PendingTask[] {
    return [...this.waiting.values()]
      .filter((t) => executionId === undefined || t.executionId === executionId)
      .map(({ resolve: _r, reject: _j, ...task }) => ({ ...task }));
  }

  /** The earliest instant a pending task's timer lapses (for scheduling the next `fireDueTimers`). */
  nextTimerAt(): number | undefined {
    const due = [...this.waiting.values()].map(dueOf).filter((d): d is NonNullable<typeof d> => d !== undefined);
    return due.length === 0 ? undefined : Math.min(...due.map((d) => d.at));
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
      this.waiting.delete(task.taskToken);
      this.closed.set(task.taskToken, 'timedOut');
      task.reject(namedError(due.error, due.error === 'States.HeartbeatTimeout' ? `no heartbeat within ${task.heartbeatSeconds} s` : 'task timed out'));
      fired += 1;
    }
    return fired;
  }

  /** Aborts every running execution (their results settle as ABORTED) and releases their timers. */
  stop(): void {
    for (const [executionId, run] of this.running) {
      run.abort();
      this.dropTasksOf(executionId);
    }
  }

  private async callback(resource: string, input: Json, meta: Omit<TaskMeta, 'taskToken'>, handler: TaskHandler): Promise<Json> {
    if (!isLocalCallbackInput(input)) throw new Error(`Task "${meta.stateName}" was not localized`);
    const taskToken = this.mintToken();
    const parameters = withTaskToken(input.localParameters, taskToken);
    const payload = resource.startsWith('arn:aws:states:::lambda:invoke') ? lambdaPayload(parameters) : parameters;
    const { timeoutSeconds, heartbeatSeconds } = input.localTimers;
    const startedAt = this.now();
    let resolve!: (output: Json) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<Json>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.waiting.set(taskToken, {
      taskToken,
      ...meta,
      payload,
      startedAt,
      ...(timeoutSeconds !== undefined ? { timeoutAt: startedAt + timeoutSeconds * 1000 } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatSeconds, heartbeatAt: startedAt + heartbeatSeconds * 1000 } : {}),
      resolve,
      reject,
    });
    try {
      await handler(payload, { ...meta, taskToken });
    } catch (error) {
      // The function that was to hand the token out failed: the task fails with its error, as in Step Functions.
      if (this.waiting.delete(taskToken)) {
        this.closed.set(taskToken, 'settled');
        reject(error instanceof Error ? error : namedError('Error', String(error)));
      }
    }
    return promise;
  }

  private live(taskToken: string): Waiting {
    const task = this.waiting.get(taskToken);
    if (task) return task;
    const closed = this.closed.get(taskToken);
    if (closed === 'timedOut') throw new TaskTokenError('TaskTimedOut', 'the task timed out before this call');
    if (closed === 'settled') throw new TaskTokenError('TaskDoesNotExist', 'the task is no longer waiting for a token');
    throw new TaskTokenError('InvalidToken', 'unknown task token');
  }

  /** The waiting task, removed: a token settles at most once. */
  private take(taskToken: string): Waiting {
    const task = this.live(taskToken);
    this.waiting.delete(taskToken);
    this.closed.set(taskToken, 'settled');
    return task;
  }

  private dropTasksOf(executionId: string): void {
    for (const task of [...this.waiting.values()]) {
      if (task.executionId !== executionId) continue;
      this.waiting.delete(task.taskToken);
      this.closed.set(task.taskToken, 'settled');
      // Settles the interpreter's race so that its own task timer is cleared.
      task.reject(namedError('States.Runtime', 'execution ended'));
    }
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
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT' };
  // ExecutionError wraps the state's error as `cause`.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? { status: 'FAILED', error: cause.name, cause: cause.message } : { status: 'FAILED', error: 'Error', cause: String(cause) };
};
