// The embedded stack's Step Functions: the approval and escalation ASL that CDK synthesises (approvalAsl(),
// escalationAsl()), executed in-process by the LocalWorkflowEngine with every Task state mapped to the Lambda entry CDK
// deploys for it, task tokens, heartbeats and timeouts on the local clock, executions persisted in the LOCAL table so a
// restart of `npm start` continues them. Implements the WorkflowEngine port that the in-process handlers use.
import type { Context } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#ports/clock';
import { executionName, type ApprovalWorkflowInput, type EscalationWorkflowInput, type TaskOutcome, type WorkflowEngine } from '#ports/workflow-engine';
import { localClock } from '#adapters/local/local-clock';
import { installLocalWorkflowEngine } from '#adapters/local/local-workflow-engine';
import { atLocalBoundary } from '#adapters/local/local-boundary';
import { APPROVAL_STATES, approvalExecutionInput, type ApprovalStageInput } from '#schemas/workflow-steps';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type AslDefinition, type Json, taskStates } from '../../workflows/asl-document';
import {
  type LocalExecution,
  LocalWorkflowEngine,
  type PendingTask,
  type StoredExecution,
  TaskTokenError,
  type TaskHandler,
  type WorkflowStore,
  type WorkflowUpgrade,
} from '../../workflows/local/engine';
import { DynamoWorkflowStore } from './workflow-store';
import { lambdaContext, lazyEntry } from './server';


export type WorkflowName = 'approval' | 'escalation';

/** A Lambda handler as the local stack calls it: the payload object and a Lambda context. */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** The entry file CDK bundles into each workflow's function, and the function's name (its Lambda context). */
export const WORKFLOW_FUNCTIONS: Record<WorkflowName, { entry: string; functionName: string }> = {
  approval: { entry: 'functions/approval-workflow/handler.ts', functionName: 'approval-workflow' },
  escalation: { entry: 'functions/escalation-workflow/handler.ts', functionName: 'escalation-workflow' },
};


let synthesised: Record<WorkflowName, AslDefinition> | undefined;

/** Synthesises both workflows with CDK, loaded only here: aws-cdk-lib is about a second of module loading. */
const synthesise = (): Record<WorkflowName, AslDefinition> => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { approvalAsl, escalationAsl } = require('../../workflows') as typeof import('../../workflows');
  return { approval: approvalAsl(), escalation: escalationAsl() };
};

/**
 * The ASL of both workflows, synthesised once per process (~0.5 s each, after loading aws-cdk-lib). With
 * LOCAL_WORKFLOW_ASL_FILE (set by the test run's globalSetup to a file in the run's own temp dir) the processes of one
 * run share it: the first to need it synthesises and writes the file, the others read it. Each test file is a fresh
 * module registry, so without the file every file that starts a stack loaded CDK and synthesised again.
 */
export const workflowAsl = (): Record<WorkflowName, AslDefinition> => {
  if (synthesised) return synthesised;
  const file = process.env.LOCAL_WORKFLOW_ASL_FILE;
  if (file && existsSync(file)) return (synthesised = JSON.parse(readFileSync(file, 'utf8')) as Record<WorkflowName, AslDefinition>);
  synthesised = synthesise();
  if (file) {
    // Written whole, then renamed: a process reading it never sees half a file.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, JSON.stringify(synthesised));
    renameSync(partial, file);
  }
  return synthesised;
};


type Fields = Record<string, Json>;
const isFields = (value: Json | undefined): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Approval executions persisted before the stages became a chain of stage states (2026-12, issue 28), in today's form:
 * an input `{ caseId, resolutionId, approvalIds, stages }` becomes `approvalExecutionInput(...)`, and the state input
 * of a task waiting in AwaitDecision (`progress: { index, count }`, `current`, `stages`) the stage state of stage
 * `index` with its level and reminders as they were, followed by the stages after it. Anything else is left as it is.
 */
export const approvalUpgrade: Required<WorkflowUpgrade> = {
  input: (input) => {
    if (!isFields(input) || 'current' in input || !Array.isArray(input.stages) || input.stages.length === 0) return input;
    return approvalExecutionInput(input as unknown as Parameters<typeof approvalExecutionInput>[0]) as unknown as Json;
  },
  stateInput: (stateName, stateInput) => {
    if (!isFields(stateInput) || !isFields(stateInput.progress) || !Array.isArray(stateInput.stages)) return stateInput;
    const current = stateInput.current;
    if (stateName !== APPROVAL_STATES.awaitDecision || !isFields(current) || !isFields(current.stage) || !isFields(current.attempt)) return undefined;
    const { caseId, resolutionId, approvalIds } = stateInput as { caseId: string; resolutionId?: string; approvalIds: string[] };
    const rest = (stateInput.stages as unknown as ApprovalStageInput[]).slice(Number(stateInput.progress.index) + 1);
    const next = rest.length > 0 ? approvalExecutionInput({ caseId, ...(resolutionId !== undefined ? { resolutionId } : {}), approvalIds, stages: rest }) : { caseId, outcome: 'approved', approvalIds };
    return { caseId, ...(resolutionId !== undefined ? { resolutionId } : {}), current: { stage: current.stage, attempt: current.attempt }, next } as unknown as Json;
  },
};

/** The payload crosses a process boundary in AWS: the function gets (and returns) JSON, never shared objects. */
const viaJson = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

export interface LocalWorkflowsOptions {
  /** The stack's document client and LOCAL table (see LOCAL_TABLE); or a `store` instead (tests). */
  doc?: DynamoDBDocumentClient;
  tableName?: string;
  store?: WorkflowStore;
  /** Default: the local clock. */
  clock?: Clock;
  /** One line per state entered, timer fired and execution ended. */
  log?: (line: string) => void;
  /** The function behind each workflow's Task states. Default: the Lambda entries CDK deploys (WORKFLOW_FUNCTIONS). */
  functions?: Partial<Record<WorkflowName, () => LambdaHandler>>;
  /** Token factory (tests). */
  mintToken?: () => string;
  /** How long `idle()` waits before it rejects. Default 90 s. */
  idleTimeoutMs?: number;
}

export class LocalWorkflows implements WorkflowEngine {
  readonly engine: LocalWorkflowEngine;
  readonly store: WorkflowStore;

  constructor(opts: LocalWorkflowsOptions) {
    const store = opts.store ?? (opts.doc && opts.tableName ? new DynamoWorkflowStore(opts.doc, opts.tableName) : undefined);
    if (!store) throw new Error('LocalWorkflows needs a store, or doc and tableName');
    this.store = store;
    const log = opts.log;
    this.engine = new LocalWorkflowEngine({
      clock: opts.clock ?? localClock,
      store,
      ...(opts.mintToken ? { mintToken: opts.mintToken } : {}),
      ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
      ...(log
        ? {
            onStateEntered: ({ executionId, stateName }) => log(`workflow ${executionId} ${stateName}`),
            onTimerFired: ({ executionId, stateName, error }) => log(`workflow ${executionId} ${stateName}: ${error}`),
            onExecutionEnded: ({ executionId, outcome }) =>
              log(`workflow ${executionId} ${outcome.status.toLowerCase()}${outcome.status === 'FAILED' ? ` (${outcome.error}: ${outcome.cause})` : ''}`),
            onStoreError: (error) => log(`workflow store: ${error.message}`),
          }
        : {}),
    });
    const asl = workflowAsl();
    for (const workflow of ['approval', 'escalation'] as const) {
      const { entry, functionName } = WORKFLOW_FUNCTIONS[workflow];
      const fn = opts.functions?.[workflow] ?? lazyEntry<LambdaHandler>(entry);
      // Every Task state of a workflow invokes its one function; the payload's `action` names the state.
      const handler: TaskHandler = async (payload) => viaJson(await fn()(viaJson(payload), lambdaContext(functionName)));
      this.engine.register(workflow, asl[workflow], Object.fromEntries(taskStates(asl[workflow]).map(([name]) => [name, handler])), workflow === 'approval' ? approvalUpgrade : {});
    }
  }

  /**
   * Starts the approval workflow of a proposal (execution `approval-<resolutionId>`) with the input the Step Functions
   * adapter sends (`approvalExecutionInput`); a no-op if it exists.
   */
  async startApproval(input: ApprovalWorkflowInput): Promise<void> {
    await this.engine.startOnce('approval', viaJson(approvalExecutionInput(input)) as unknown as Json, executionName.approval(input));
  }

  /** Starts an escalation (execution `escalation-<escalationId>`); a no-op if it exists. */
  async startEscalation(input: EscalationWorkflowInput): Promise<void> {
    await this.engine.startOnce('escalation', viaJson(input) as unknown as Json, executionName.escalation(input));
  }

  /** SendTaskSuccess / SendTaskFailure; a settled, timed-out or unknown token is `gone`. */
  async resume(token: string, outcome: TaskOutcome): Promise<'resumed' | 'gone'> {
    try {
      await this.engine.settle(token, outcome.ok ? { ok: true, output: viaJson(outcome.output) as Json } : { ok: false, error: outcome.error, cause: outcome.cause });
      return 'resumed';
    } catch (err) {
      if (err instanceof TaskTokenError) return 'gone';
      throw err;
    }
  }

  /** SendTaskHeartbeat; false for a token that no longer waits. */
  async heartbeat(token: string): Promise<boolean> {
    try {
      await this.engine.heartbeat(token);
      return true;
    } catch (err) {
      if (err instanceof TaskTokenError) return false;
      throw err;
    }
  }

  /** Continues what the store has as running (call once at start-up, before anything settles tokens). */
  restore(): Promise<{ resumed: string[]; restarted: string[] }> {
    return this.engine.restore();
  }

  /** Fails the waiting tasks whose heartbeat or timeout lapsed on the clock; how many. */
  fireDueTimers(now?: number): number {
    return this.engine.fireDueTimers(now);
  }

  /** Fires the due timers in the order they lapsed, the executions moving on between them (see the engine); how many. */
  catchUp(now?: number): Promise<number> {
    return this.engine.catchUp(now);
  }

  /** Every execution waits for a token or has ended, and nothing is in flight. */
  isIdle(): boolean {
    return this.engine.isIdle();
  }

  /** Resolves once idle; rejects after `timeoutMs` naming what is still busy. */
  idle(timeoutMs?: number): Promise<void> {
    return this.engine.idle(timeoutMs);
  }

  /** Tasks waiting for a token (optionally of one execution), oldest first. */
  pendingTasks(executionId?: string): PendingTask[] {
    return this.engine.pendingTasks(executionId);
  }

  /** An execution of this process (status, `statesEntered`, `result`); see `describe` for one from before a restart. */
  execution(executionId: string): LocalExecution | undefined {
    return this.engine.execution(executionId);
  }

  /** Every execution of this process. */
  executions(): LocalExecution[] {
    return this.engine.listExecutions();
  }

  /** An execution as persisted (status, statesEntered, outcome), from this process or an earlier one. */
  describe(executionId: string): Promise<StoredExecution | undefined> {
    return this.engine.describeExecution(executionId);
  }

  /**
   * Makes this runtime the engine the in-process handlers get from `localWorkflowEngine()`. What is installed is a
   * stable forwarder to the runtime installed last, so a service that kept it keeps working across a stack restart.
   */
  install(): void {
    installed.current = this;
    installLocalWorkflowEngine(forwarder);
  }

  /** Aborts the executions without recording them as ended (a restart resumes them) and waits for what is in flight. */
  async stop(): Promise<void> {
    if (installed.current === this) installed.current = undefined;
    await this.engine.stop();
  }
}

const installed: { current?: LocalWorkflows | undefined } = {};
const live = (): LocalWorkflows => {
  if (!installed.current) throw new Error('the local workflows are not running (the local stack is stopped)');
  return installed.current;
};
// Each call passes the SDK boundary first, as the Step Functions adapter's would (fault injection, local mode only).
const forwarder: WorkflowEngine = {
  startApproval: async (input) => (atLocalBoundary('sfn', 'StartExecution'), live().startApproval(input)),
  startEscalation: async (input) => (atLocalBoundary('sfn', 'StartExecution'), live().startEscalation(input)),
  resume: async (token, outcome) => (atLocalBoundary('sfn', outcome.ok ? 'SendTaskSuccess' : 'SendTaskFailure'), live().resume(token, outcome)),
};
