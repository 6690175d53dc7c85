// What the local workflow engine persists so that its executions survive a restart of the process (npm start): each
// execution (input, status, states entered) and each callback task waiting for its token (the raw state input at the
// Task state, the payload, the timers). The engine writes through this interface in order, one write at a time;
// `MemoryWorkflowStore` keeps it in memory (tests), the local stack keeps it in DynamoDB Local (infra/local).
import type { Json } from '../asl-document';

export type StoredExecutionStatus = 'running' | 'succeeded' | 'failed' | 'aborted';

/** How an execution ended, as the engine reports it. */
export type StoredOutcome =
  | { status: 'SUCCEEDED'; output: Json }
  | { status: 'FAILED'; error: string; cause: string }
  | { status: 'ABORTED' | 'TIMED_OUT' };

export interface StoredExecution {
  executionId: string;
  workflow: string;
  /** The execution input (a restart from the first state uses it). */
  input: Json;
  status: StoredExecutionStatus;
  /** Names of the states entered so far, in order (each a billed state transition in Step Functions). */
  statesEntered: string[];
  /** Epoch ms on the engine's clock. */
  startedAt: number;
  endedAt?: number;
  outcome?: StoredOutcome;
}

export interface StoredTask {
  taskToken: string;
  workflow: string;
  executionId: string;
  stateName: string;
  /** The raw input of the Task state (before Parameters): the execution continues from here after a restart. */
  stateInput: Json;
  /** What the task's function received (token included). */
  payload: Json;
  startedAt: number;
  timeoutAt?: number;
  heartbeatSeconds?: number;
  heartbeatAt?: number;
}

export type ClosedHow = 'settled' | 'timedOut';

export interface WorkflowStore {
  /** An execution started, or restarted from its first state (`statesEntered` empty). */
  executionStarted(execution: StoredExecution): Promise<void>;
  /** A callback task waits for its token (or its heartbeat moved); `statesEntered` of its execution so far. */
  taskWaiting(task: StoredTask, statesEntered: string[]): Promise<void>;
  /** The task no longer waits: settled by a token call or by its execution ending, or timed out. */
  taskClosed(task: Pick<StoredTask, 'taskToken' | 'executionId'>, how: ClosedHow): Promise<void>;
  /** The execution ended (`status` not running). */
  executionEnded(execution: StoredExecution): Promise<void>;
  getExecution(executionId: string): Promise<StoredExecution | undefined>;
  /** Executions persisted as running (what a restart resumes). */
  runningExecutions(): Promise<StoredExecution[]>;
  /** Tasks persisted as waiting. */
  pendingTasks(): Promise<StoredTask[]>;
  /** How a token that no longer waits was closed; undefined if the store never saw it. */
  closedToken(taskToken: string): Promise<ClosedHow | undefined>;
}

const copy = <T>(value: T): T => structuredClone(value);

/** A WorkflowStore in memory: survives an engine, not the process (tests of restore without a database). */
export class MemoryWorkflowStore implements WorkflowStore {
  private readonly executions = new Map<string, StoredExecution>();
  private readonly tasks = new Map<string, StoredTask>();
  private readonly closed = new Map<string, ClosedHow>();

  async executionStarted(execution: StoredExecution): Promise<void> {
    this.executions.set(execution.executionId, copy(execution));
  }

  async taskWaiting(task: StoredTask, statesEntered: string[]): Promise<void> {
    this.tasks.set(task.taskToken, copy(task));
    const execution = this.executions.get(task.executionId);
    if (execution) execution.statesEntered = [...statesEntered];
  }

  async taskClosed(task: Pick<StoredTask, 'taskToken' | 'executionId'>, how: ClosedHow): Promise<void> {
    this.tasks.delete(task.taskToken);
    this.closed.set(task.taskToken, how);
  }

  async executionEnded(execution: StoredExecution): Promise<void> {
    this.executions.set(execution.executionId, copy(execution));
  }

  async getExecution(executionId: string): Promise<StoredExecution | undefined> {
    const execution = this.executions.get(executionId);
    return execution && copy(execution);
  }

  async runningExecutions(): Promise<StoredExecution[]> {
    return [...this.executions.values()].filter((e) => e.status === 'running').map(copy);
  }

  async pendingTasks(): Promise<StoredTask[]> {
    return [...this.tasks.values()].map(copy);
  }

  async closedToken(taskToken: string): Promise<ClosedHow | undefined> {
    return this.closed.get(taskToken);
  }
}
