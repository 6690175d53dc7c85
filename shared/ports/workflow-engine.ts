// Long-running case workflows (approval stages, escalations): Step Functions in AWS, the same ASL executed
// in-process locally. The domain decides; the engine only sequences waits, reminders and timeouts.
// Workflow payloads carry identifiers only (never free text), so execution history can be logged in full.

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

/** What started an escalation (identifiers only). */
export type EscalationWorkflowTrigger =
  | { kind: 'checkpoint'; percent: number; cycle: number }
  | { kind: 'dependency'; taskId: string; cycle: number }
  | { kind: 'manual' }
  | { kind: 'override' }
  | { kind: 'triage' };

export interface EscalationWorkflowInput {
  caseId: string;
  escalationId: string;
  trigger: EscalationWorkflowTrigger;
  /** The level it starts at (1 = the team's supervisors). */
  level: number;
  ackTimeoutSeconds: number;
}

/** Execution names (≤ 80 characters of [A-Za-z0-9-_]): one execution per proposal and per escalation, so a retried start is a no-op. */
export const executionName = {
  approval: (input: Pick<ApprovalWorkflowInput, 'resolutionId'>): string => `approval-${input.resolutionId}`,
  escalation: (input: Pick<EscalationWorkflowInput, 'escalationId'>): string => `escalation-${input.escalationId}`,
} as const;

export type TaskOutcome = { ok: true; output: Record<string, unknown> } | { ok: false; error: string; cause: string };

export interface WorkflowEngine {
  /** Starts the approval workflow of a proposal; idempotent per resolution (the execution is named after it). */
  startApproval(input: ApprovalWorkflowInput): Promise<void>;
  /** Starts the escalation workflow; idempotent per escalation (the execution is named after it). */
  startEscalation(input: EscalationWorkflowInput): Promise<void>;
  /**
   * Settles the task waiting on `token` (SendTaskSuccess / SendTaskFailure). A token that has already been settled
   * or timed out answers `gone`: the decision recorded on the case decides, never a second resume.
   */
  resume(token: string, outcome: TaskOutcome): Promise<'resumed' | 'gone'>;
}
