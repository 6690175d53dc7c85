// Long-running case workflows (approval stages, escalations): Step Functions in AWS, the same ASL executed
// in-process locally. The domain decides; the engine only sequences waits, reminders and timeouts.

export interface ApprovalWorkflowStage {
  stage: number;
  role: string;
  approvalId: string;
  timeoutSeconds: number;
  heartbeatSeconds: number;
}

export interface ApprovalWorkflowInput {
  caseId: string;
  resolutionId: string;
  approvalIds: string[];
  stages: ApprovalWorkflowStage[];
}

export type TaskOutcome = { ok: true; output: Record<string, unknown> } | { ok: false; error: string; cause: string };

export interface WorkflowEngine {
  /** Starts the approval workflow of a proposal; idempotent per resolution (the execution is named after it). */
  startApproval(input: ApprovalWorkflowInput): Promise<void>;
  /**
   * Settles the task waiting on `token` (SendTaskSuccess / SendTaskFailure). A token that has already been settled
   * or timed out answers `gone`: the decision recorded on the case decides, never a second resume.
   */
  resume(token: string, outcome: TaskOutcome): Promise<'resumed' | 'gone'>;
}
