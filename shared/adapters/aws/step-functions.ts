// WorkflowEngine on AWS Step Functions (Standard): one approval execution per proposal and one escalation execution
// per escalation, each named after it, so a retried start is a no-op; task tokens settled with SendTaskSuccess /
// SendTaskFailure (a token names its execution, so one client settles either machine's tasks).
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { approvalExecutionInput } from '#schemas/workflow-steps';
import { executionName, type ApprovalWorkflowInput, type EscalationWorkflowInput, type TaskOutcome, type WorkflowEngine } from '#ports/workflow-engine';

export interface StepFunctionsEngineOptions {
  approvalStateMachineArn?: string;
  escalationStateMachineArn?: string;
}

const required = (arn: string | undefined, workflow: string): string => {
  if (!arn) throw new Error(`the ${workflow} state machine is not configured (${workflow.toUpperCase()}_STATE_MACHINE_ARN)`);
  return arn;
};

/** Step Functions limits: an error code ≤ 256 characters, a cause ≤ 32,768. */
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export class StepFunctionsEngine implements WorkflowEngine {
  constructor(
    private readonly client: SFNClient,
    private readonly opts: StepFunctionsEngineOptions,
  ) {}

  /**
   * The StartExecution request for a proposal (exposed for tests: names are ≤ 80 characters of [A-Za-z0-9-_]); the
   * input is the chain of stage states the definition runs on (`approvalExecutionInput`).
   */
  startRequest(input: ApprovalWorkflowInput) {
    return { stateMachineArn: required(this.opts.approvalStateMachineArn, 'approval'), name: executionName.approval(input), input: JSON.stringify(approvalExecutionInput(input)) };
  }

  escalationRequest(input: EscalationWorkflowInput) {
    return { stateMachineArn: required(this.opts.escalationStateMachineArn, 'escalation'), name: executionName.escalation(input), input: JSON.stringify(input) };
  }

  startApproval(input: ApprovalWorkflowInput): Promise<void> {
    return this.start(this.startRequest(input));
  }

  startEscalation(input: EscalationWorkflowInput): Promise<void> {
    return this.start(this.escalationRequest(input));
  }

  private async start(request: { stateMachineArn: string; name: string; input: string }): Promise<void> {
    try {
      await this.client.send(new StartExecutionCommand(request));
    } catch (err) {
      // Same name and same input within 90 days: the execution is already running (a retried request).
      if (!(err instanceof ExecutionAlreadyExists)) throw err;
    }
  }

  async resume(token: string, outcome: TaskOutcome): Promise<'resumed' | 'gone'> {
    try {
      if (outcome.ok) await this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(outcome.output) }));
      else await this.client.send(new SendTaskFailureCommand({ taskToken: token, error: clip(outcome.error, 256), cause: clip(outcome.cause, 32_768) }));
      return 'resumed';
    } catch (err) {
      // Settled before (a retry), timed out (the timeout path ran), or from a finished execution.
      if (err instanceof TaskDoesNotExist || err instanceof TaskTimedOut || err instanceof InvalidToken) return 'gone';
      throw err;
    }
  }
}
