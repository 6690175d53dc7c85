// The steps of the approval and escalation workflows: state names (the one definition: workflows/ builds the state
// machines with them, the workflow functions dispatch on them) and the payload each Lambda step receives. Payloads
// carry identifiers and numbers only, never free text, so execution history may be logged with its data.
import * as z from 'zod';
import { Ulid } from './common';
import { EscalationTrigger } from './escalation';

/** Approval workflow state names. */
export const APPROVAL_STATES = {
  awaitDecision: 'AwaitDecision',
  nextStage: 'NextStage',
  remind: 'Remind',
  recordReminder: 'RecordReminder',
  levelTimedOut: 'LevelTimedOut',
  canEscalate: 'CanEscalate',
  escalateApprover: 'EscalateApprover',
  raiseApproverLevel: 'RaiseApproverLevel',
  approvalExpired: 'ApprovalExpired',
  returnToOwner: 'ReturnToOwner',
  approvalRejected: 'ApprovalRejected',
  approvalsComplete: 'ApprovalsComplete',
} as const;

/** One approval stage as the workflow runs it. */
export interface ApprovalStageInput {
  stage: number;
  role: string;
  approvalId: string;
  timeoutSeconds: number;
  heartbeatSeconds: number;
}

/** Where a stage's wait stands: the approver level and how long it has waited at it (reminders sent). */
export interface ApprovalAttempt {
  level: number;
  waitedSeconds: number;
  reminders: number;
}

/** The last link: what ApprovalsComplete receives once every stage approved, and the execution's output. */
export interface ApprovalsDone {
  caseId: string;
  outcome: 'approved';
  approvalIds: string[];
}

/**
 * The state of one stage of the approval workflow, and its execution input (the first stage): the stages are a chain,
 * each link holding the next one (`next`), the last link being the output once all approved. Moving to the next stage
 * is then a selection (`NextStage`: InputPath `$.next`), not a computation: Step Functions bills each state entered,
 * and an index over a stage list needed a Pass state per stage to advance it.
 */
export interface ApprovalStageState {
  caseId: string;
  /** The proposal (the execution is named after it); not read by the definition. */
  resolutionId?: string;
  current: { stage: ApprovalStageInput; attempt: ApprovalAttempt };
  next: ApprovalStageState | ApprovalsDone;
}

/**
 * The execution input of the approval workflow (what StartExecution receives) for the ordered `stages` of a proposal:
 * the chain of stage states, each at level 1 with nothing waited yet. At least one stage (a proposal without stages
 * starts no workflow).
 */
export const approvalExecutionInput = (input: { caseId: string; resolutionId?: string; approvalIds: readonly string[]; stages: readonly ApprovalStageInput[] }): ApprovalStageState => {
  if (input.stages.length === 0) throw new Error('an approval workflow needs at least one stage');
  const done: ApprovalsDone = { caseId: input.caseId, outcome: 'approved', approvalIds: [...input.approvalIds] };
  return input.stages.reduceRight<ApprovalStageState | ApprovalsDone>(
    (next, s) => ({
      caseId: input.caseId,
      ...(input.resolutionId !== undefined ? { resolutionId: input.resolutionId } : {}),
      current: {
        stage: { stage: s.stage, role: s.role, approvalId: s.approvalId, timeoutSeconds: s.timeoutSeconds, heartbeatSeconds: s.heartbeatSeconds },
        attempt: { level: 1, waitedSeconds: 0, reminders: 0 },
      },
      next,
    }),
    done,
  ) as ApprovalStageState;
};

/** Error names a decision or the workflow itself ends a stage with. */
export const APPROVAL_ERRORS = {
  /** `SendTaskFailure(error: 'Rejected')` from the decision function. */
  rejected: 'Rejected',
  /** No decision at the highest approver level. */
  expired: 'ApprovalExpired',
} as const;

/** Escalation workflow state names. */
export const ESCALATION_STATES = {
  recordEscalation: 'RecordEscalation',
  notifySupervisor: 'NotifySupervisor',
  awaitAcknowledgement: 'AwaitAcknowledgement',
  canEscalateFurther: 'CanEscalateFurther',
  escalateNextLevel: 'EscalateNextLevel',
  raiseEscalationLevel: 'RaiseEscalationLevel',
  escalationClosed: 'EscalationClosed',
} as const;

export const ESCALATION_ERRORS = {
  /** `SendTaskFailure(error: 'Waived')`: a recorded decision not to escalate. */
  waived: 'Waived',
} as const;

const A = APPROVAL_STATES;
const E = ESCALATION_STATES;
const Level = /* @__PURE__ */ z.number().int().min(1);
const stage = { caseId: Ulid, approvalId: Ulid, stage: /* @__PURE__ */ z.number().int().min(1), role: /* @__PURE__ */ z.string() };

/** What the approval workflow's Lambda steps receive (`action` = the state name). Unknown fields are ignored. */
export const ApprovalStep = /* @__PURE__ */ z.discriminatedUnion('action', [
  /* @__PURE__ */ z.object({ action: /* @__PURE__ */ z.literal(A.awaitDecision), taskToken: /* @__PURE__ */ z.string().min(1), ...stage, level: Level, reminders: /* @__PURE__ */ z.number().int().min(0), timeoutSeconds: /* @__PURE__ */ z.number(), heartbeatSeconds: /* @__PURE__ */ z.number() }),
  /* @__PURE__ */ z.object({ action: /* @__PURE__ */ z.literal(A.remind), ...stage, level: Level, reminders: /* @__PURE__ */ z.number().int().min(0) }),
  /* @__PURE__ */ z.object({ action: /* @__PURE__ */ z.literal(A.escalateApprover), ...stage, fromLevel: Level, toLevel: Level }),
  /* @__PURE__ */ z.object({ action: /* @__PURE__ */ z.literal(A.returnToOwner), ...stage, level: Level, reason: /* @__PURE__ */ z.string(), comment: /* @__PURE__ */ z.string().optional() }),
  /* @__PURE__ */ z.object({ action: /* @__PURE__ */ z.literal(A.approvalsComplete), caseId: Ulid, approvalIds: /* @__PURE__ */ z.array(Ulid) }),
]);
export type ApprovalStep = z.infer<typeof ApprovalStep>;

const escalation = { caseId: Ulid, escalationId: Ulid };

export const EscalationStep = /* @__PURE__ */ z.discriminatedUnion('action', [
  /* @__PURE__ */ z.object({ action: /* @__PURE__ */ z.literal(E.recordEscalation), ...escalation, trigger: EscalationTrigger, level: Level }),
  /* @__PURE__ */ z.object({ action: /* @__PURE__ */ z.literal(E.notifySupervisor), ...escalation, level: Level }),
  /* @__PURE__ */ z.object({ action: /* @__PURE__ */ z.literal(E.awaitAcknowledgement), taskToken: /* @__PURE__ */ z.string().min(1), ...escalation, level: Level, ackTimeoutSeconds: /* @__PURE__ */ z.number() }),
  /* @__PURE__ */ z.object({ action: /* @__PURE__ */ z.literal(E.escalateNextLevel), ...escalation, fromLevel: Level, toLevel: Level }),
  /* @__PURE__ */ z.object({ action: /* @__PURE__ */ z.literal(E.escalationClosed), ...escalation, level: Level, acknowledgement: /* @__PURE__ */ z.unknown() }),
]);
export type EscalationStep = z.infer<typeof EscalationStep>;
