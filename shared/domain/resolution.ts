// Resolution, approvals and the final response (pure): propose → stages decided one after another (four eyes)
// → final response stops the clock. Rejection returns the case to its owner with the comment; a re-proposal is
// a new round. The workflow engine only sequences the stages and their timeouts; every rule lives here.
import type { Case } from '#schemas/complaint';
import { APPROVAL_ROLES, type Approval, type ApprovalDecisionBody, type ApprovalReason, type ApprovalStage, type ProposeResolutionBody, type Resolution } from '#schemas/resolution';
import type { AuditDraft } from './audit-chain';
import { assertMayDecide, assertPending, coversStage } from './approval-rules';
import { ConflictError } from './errors';
import { assertAllowed, withCurrentCycle, type Change } from './lifecycle';
import { caseFacts } from './timers';
import type { Principal } from './principal';

export type Approver = Pick<Principal, 'sub' | 'roles'>;

/** The resolution summary the case item carries (the full proposal lives on its RESOLUTION# item). */
export interface CaseResolution {
  id: string;
  round: number;
  status: Resolution['status'];
  decision: Resolution['decision'];
  stages: number;
  approvedStages: number;
  /** When it was proposed, and when its approvals concluded (approved, rejected or timed out): the approval turnaround. */
  proposedAt?: string;
  decidedAt?: string;
  /** The proposal was rejected because a stage timed out at every approver level. */
  expired?: boolean;
}

export const caseResolution = (c: Case): CaseResolution | undefined => c.resolution as CaseResolution | undefined;

export interface ProposalIds {
  resolutionId: string;
  /** One per stage, in stage order. */
  approvalIds: string[];
}

export interface Proposed {
  resolution: Resolution;
  approvals: Approval[];
}

/**
 * The owner proposes the outcome. With no stage required the final response may go at once (`not_required`);
 * otherwise the case awaits approval. A proposal cannot replace one still being decided.
 */
export const proposeResolution = (
  c: Case,
  body: ProposeResolutionBody,
  stages: ApprovalStage[],
  ids: ProposalIds,
  actor: string,
  now: string,
  stageTimeoutMs: number,
): Change<Proposed> => {
  assertAllowed(c, 'propose_resolution');
  const current = caseResolution(c);
  if (current?.status === 'pending') throw new ConflictError('the current proposal is still being approved', { resolutionId: current.id, resolutionStatus: current.status });
  if (ids.approvalIds.length !== stages.length) throw new Error('one approval id per stage');
  const round = (current?.round ?? 0) + 1;
  const resolution: Resolution = {
    id: ids.resolutionId,
    caseId: c.id,
    round,
    decision: body.decision,
    ...(body.remedy ? { remedy: body.remedy } : {}),
    rootCause: body.rootCause,
    finalResponse: body.finalResponse,
    ...(body.timeLimitWording ? { timeLimitWording: body.timeLimitWording } : {}),
    status: stages.length ? 'pending' : 'not_required',
    proposedBy: actor,
    proposedAt: now,
  };
  const approvals: Approval[] = stages.map((s, i) => ({
    id: ids.approvalIds[i]!,
    caseId: c.id,
    resolutionId: resolution.id,
    stage: s.stage,
    role: s.role,
    status: 'pending',
    reasons: s.reasons,
    ...(s.checks?.length ? { checks: s.checks } : {}),
    proposedBy: actor,
    createdAt: now,
    // Stage 1 is open now; later stages open (and get their due time) when the one before is approved.
    ...(i === 0 ? { dueAt: new Date(Date.parse(now) + stageTimeoutMs).toISOString() } : {}),
    escalationLevel: 0,
  }));
  const summary: CaseResolution = { id: resolution.id, round, status: resolution.status, decision: resolution.decision, stages: stages.length, approvedStages: 0, proposedAt: now };
  const drafts: AuditDraft[] = [
    {
      actor,
      action: 'resolution.proposed',
      data: {
        resolutionId: resolution.id,
        round,
        decision: body.decision,
        remedy: body.remedy ?? null,
        rootCause: body.rootCause,
        timeLimitWording: body.timeLimitWording ?? 'not_waived',
        stages: stages.map((s, i) => ({ stage: s.stage, role: s.role, approvalId: ids.approvalIds[i]!, reasons: s.reasons.map((r) => r.detail) })),
      },
    },
  ];
  return {
    case: { ...c, status: stages.length ? 'awaiting_approval' : 'open', rootCause: body.rootCause, resolution: { ...summary } },
    result: { resolution, approvals },
    drafts,
  };
};

/** `A`: the approval as stored (it keeps the task token of the workflow step waiting on it). */
export interface Decided<A extends Approval = Approval> {
  approval: A;
  resolution: Resolution;
  /** The next stage to open, when this approval was not the last. */
  next?: A;
  /** Later stages made moot by a rejection. */
  superseded: A[];
}

/**
 * An approver decides the open stage. Four eyes: never the case owner nor the proposer, the stage's role (or one
 * allowed to act for it), and nobody decides two stages of one proposal. Approving the last stage approves the
 * resolution; rejecting returns the case to its owner with the comment.
 */
export const decideApproval = <A extends Approval>(
  c: Case,
  resolution: Resolution,
  approvals: A[],
  approvalId: string,
  body: ApprovalDecisionBody,
  approver: Approver,
  now: string,
  stageTimeoutMs: number,
): Change<Decided<A>> => {
  const approval = approvals.find((a) => a.id === approvalId);
  if (!approval) throw new ConflictError(`approval ${approvalId} is not part of the current proposal`);
  const summary = caseResolution(c);
  if (!summary || summary.id !== resolution.id || resolution.status !== 'pending') {
    throw new ConflictError(`the proposal of approval ${approvalId} is ${resolution.status}, not pending`, { resolutionStatus: resolution.status });
  }
  assertPending(approval);
  const open = approvals.filter((a) => a.status === 'pending').sort((a, b) => a.stage - b.stage)[0];
  if (open?.id !== approval.id) throw new ConflictError(`stage ${approval.stage} is not open yet: stage ${open?.stage ?? '?'} is decided first`, { openStage: open?.stage ?? null });
  if (approvals.some((a) => a.stage < approval.stage && a.status !== 'approved')) {
    throw new ConflictError(`stage ${approval.stage} cannot be decided: an earlier stage was not approved`);
  }
  const priorDeciders = approvals.filter((a) => a.id !== approval.id && a.decidedBy).map((a) => a.decidedBy!);
  assertMayDecide(approver, approval, c.ownerId, resolution.proposedBy, priorDeciders);

  const decided: A = {
    ...approval,
    status: body.decision === 'approve' ? 'approved' : 'rejected',
    decidedBy: approver.sub,
    decidedAt: now,
    ...(body.comment ? { comment: body.comment } : {}),
  };
  const later = approvals.filter((a) => a.stage > approval.stage && a.status === 'pending').sort((a, b) => a.stage - b.stage);
  const base = { actor: approver.sub, data: { ...caseFacts(c), approvalId, resolutionId: resolution.id, stage: approval.stage, role: approval.role, comment: body.comment ?? null } };

  if (body.decision === 'reject') {
    const superseded = later.map((a) => ({ ...a, status: 'superseded' as const }));
    const rejected: Resolution = { ...resolution, status: 'rejected' };
    return {
      case: { ...c, status: 'open', resolution: { ...summary, status: 'rejected', decidedAt: now } },
      result: { approval: decided, resolution: rejected, superseded },
      drafts: [{ ...base, action: 'approval.rejected', data: { ...base.data, returnedTo: c.ownerId } }],
    };
  }
  const next = later[0] ? { ...later[0], dueAt: new Date(Date.parse(now) + stageTimeoutMs).toISOString() } : undefined;
  const approvedStages = summary.approvedStages + 1;
  const done = !next && approvedStages === summary.stages;
  const updated: Resolution = done ? { ...resolution, status: 'approved' } : resolution;
  const drafts: AuditDraft[] = [{ ...base, action: 'approval.approved' }];
  if (done) drafts.push({ actor: approver.sub, action: 'resolution.approved', data: { resolutionId: resolution.id, round: resolution.round, stages: summary.stages } });
  return {
    case: { ...c, status: done ? 'open' : 'awaiting_approval', resolution: { ...summary, approvedStages, status: updated.status, ...(done ? { decidedAt: now } : {}) } },
    result: { approval: decided, resolution: updated, ...(next ? { next } : {}), superseded: [] },
    drafts,
  };
};

/**
 * The owner sends the final response: only once the current proposal needs no approval or is approved. It
 * stops the clock of the current cycle and records whether it went out within the deadline.
 */
export const sendFinalResponse = (c: Case, resolution: Resolution | undefined, body: { channel?: string; text?: string }, actor: string, now: string): Change => {
  assertAllowed(c, 'final_response');
  const summary = caseResolution(c);
  if (!summary || !resolution || resolution.id !== summary.id) throw new ConflictError('propose a resolution first (POST …/resolution)');
  // The case's summary is authoritative: a reopen supersedes the previous cycle's proposal.
  const status = summary.status === 'superseded' ? 'superseded' : resolution.status;
  if (status !== 'approved' && status !== 'not_required') {
    throw new ConflictError(`the proposal is ${status}: ${status === 'superseded' ? 'propose a resolution for this cycle' : 'the final response waits for its approvals'}`, { resolutionStatus: status });
  }
  const withinDeadline = Date.parse(now) <= Date.parse(c.finalResponseDueAt);
  const compensation = resolution.remedy?.compensation;
  const redress = resolution.remedy?.redress;
  const cycles = withCurrentCycle(c, (cy) => ({
    ...cy,
    ...(cy.stoppedAt ? {} : { stoppedAt: now, reason: 'final_response' }),
    respondedAt: now,
    decision: resolution.decision,
    ...(compensation ? { compensation } : {}),
    ...(redress ? { redress } : {}),
  }));
  return {
    case: { ...c, status: 'resolved', cycles, rootCause: resolution.rootCause },
    result: undefined,
    drafts: [
      {
        actor,
        action: 'final_response.sent',
        data: {
          resolutionId: resolution.id,
          channel: body.channel ?? c.channel,
          text: body.text ?? resolution.finalResponse,
          decision: resolution.decision,
          remedy: resolution.remedy ?? null,
          finalResponseDueAt: c.finalResponseDueAt,
          withinDeadline,
        },
      },
    ],
  };
};

/** A text as compared for "the same text": line endings, surrounding and repeated whitespace do not count. */
const sameText = (a: string, b: string): boolean => a.replace(/\s+/gu, ' ').trim() === b.replace(/\s+/gu, ' ').trim();

/**
 * What the owner may send (issue 25, finding 3): the approved resolution's finalResponse, rendered in the regime's
 * letter. A `text` equal to that finalResponse (or to the letter itself, e.g. as previewed) is that; any other text is
 * a new proposal and needs the same approvals, so it is refused (409) until it is proposed and approved.
 */
export const assertApprovedText = (resolution: Pick<Resolution, 'id' | 'finalResponse'>, text: string | undefined, letters: readonly string[] = []): void => {
  if (text === undefined || [resolution.finalResponse, ...letters].some((approved) => sameText(text, approved))) return;
  throw new ConflictError(
    `the text differs from the approved final response of proposal ${resolution.id}: what goes out is the approved finalResponse in the regime's letter; to send other text, propose it (POST …/resolution) and it needs the same approvals`,
    { code: 'final_response_not_approved', resolutionId: resolution.id },
  );
};

// --- re-planning: a fact the plan reads changed while a proposal stands (issue 25, finding 2).

/** Proposal states a later change of the case's facts re-plans: the final response has not gone out on them yet. */
const REPLANNED_FROM: readonly Resolution['status'][] = ['not_required', 'pending', 'approved'];

export interface ReplanIds {
  resolutionId: string;
  /** At least one per stage the new round may have (one per approval role is always enough). */
  approvalIds: string[];
}

export interface Replanned<A extends Approval = Approval> {
  /** The new round: same outcome and text, the stages the case now needs. */
  resolution: Resolution;
  /** The round it replaces, now superseded. */
  replaced: Resolution;
  /** The new round's stages (new items): approved ones carried over, pending ones to decide. */
  approvals: Approval[];
  /** The replaced round's stages that were still pending (their waiting workflow steps are ended). */
  superseded: A[];
}

const unionReasons = (...lists: (readonly ApprovalReason[] | undefined)[]): ApprovalReason[] => {
  const out: ApprovalReason[] = [];
  for (const r of lists.flatMap((l) => l ?? [])) if (!out.some((x) => x.rule === r.rule && x.detail === r.detail)) out.push(r);
  return out;
};

/**
 * Re-plans the standing proposal after the case's facts changed (`c` is the case as changed; `plan` what the rules now
 * require of the proposal on it). Undefined when nothing is to be done: no proposal, the final response already went
 * out, or every stage now required is covered by an approval given (or pending) with the same reasons.
 *
 * Otherwise the proposal's approvals start a new round that a bank's internal audit can follow stage by stage:
 * - a stage newly required is added (pending);
 * - an approved stage stays approved (carried over, `carriedFrom`) only if every reason and check now required of its
 *   role was in front of its approver: an approval is consent to the facts it was shown, so one whose facts grew is
 *   asked again (a new pending stage listing every reason);
 * - a stage once required is never dropped within the proposal, even after a supervisor lowered the flag behind it:
 *   an approver already asked keeps the say (to drop it, the approver rejects and the owner proposes again);
 * - the replaced round is superseded, its pending stages too (their workflow steps are ended), and the case awaits
 *   approval: the final response answers 409 until the new stages are approved.
 */
export const replanApprovals = <A extends Approval>(
  c: Case,
  resolution: Resolution,
  approvals: A[],
  plan: ApprovalStage[],
  ids: ReplanIds,
  actor: string,
  now: string,
  stageTimeoutMs: number,
  trigger: Record<string, unknown>,
): Change<Replanned<A>> | undefined => {
  const summary = caseResolution(c);
  if (!summary || summary.id !== resolution.id || !REPLANNED_FROM.includes(summary.status) || (c.status !== 'open' && c.status !== 'awaiting_approval')) return undefined;
  const live = approvals.filter((a) => a.resolutionId === resolution.id && (a.status === 'approved' || a.status === 'pending'));
  if (plan.every((s) => live.some((a) => coversStage(a, s)))) return undefined;

  const stages: { role: Approval['role']; reasons: ApprovalReason[]; checks: Approval['checks']; carried?: A }[] = [];
  for (const role of APPROVAL_ROLES) {
    const need = plan.find((s) => s.role === role);
    const old = live.find((a) => a.role === role);
    if (!need && !old) continue;
    const carried = old?.status === 'approved' && (!need || coversStage(old, need)) ? old : undefined;
    const checks = [...new Set([...(old?.checks ?? []), ...(need?.checks ?? [])])];
    stages.push({ role, reasons: carried ? carried.reasons : unionReasons(old?.reasons, need?.reasons), checks: checks.length ? checks : undefined, ...(carried ? { carried } : {}) });
  }
  if (ids.approvalIds.length < stages.length) throw new Error('one approval id per stage');
  const firstPending = stages.findIndex((s) => !s.carried);
  const round = resolution.round + 1;
  const next: Resolution = { ...resolution, id: ids.resolutionId, round, status: 'pending', proposedAt: now, replaces: resolution.id };
  const created: Approval[] = stages.map((s, i) => ({
    id: ids.approvalIds[i]!,
    caseId: c.id,
    resolutionId: next.id,
    stage: i + 1,
    role: s.role,
    status: s.carried ? 'approved' : 'pending',
    reasons: s.reasons,
    ...(s.checks ? { checks: s.checks } : {}),
    proposedBy: resolution.proposedBy,
    createdAt: now,
    ...(s.carried
      ? { carriedFrom: s.carried.id, ...(s.carried.decidedBy ? { decidedBy: s.carried.decidedBy } : {}), ...(s.carried.decidedAt ? { decidedAt: s.carried.decidedAt } : {}), ...(s.carried.comment ? { comment: s.carried.comment } : {}) }
      : {}),
    // The first stage to decide opens now; later ones open when the one before is approved (as for a proposal).
    ...(i === firstPending ? { dueAt: new Date(Date.parse(now) + stageTimeoutMs).toISOString() } : {}),
    escalationLevel: 0,
  }));
  const superseded = live.filter((a) => a.status === 'pending').map((a) => ({ ...a, status: 'superseded' as const }));
  const approvedStages = created.filter((a) => a.status === 'approved').length;
  return {
    case: {
      ...c,
      status: 'awaiting_approval',
      resolution: { id: next.id, round, status: 'pending', decision: next.decision, stages: created.length, approvedStages, proposedAt: now },
    },
    result: { resolution: next, replaced: { ...resolution, status: 'superseded' }, approvals: created, superseded },
    drafts: [
      {
        actor,
        action: 'resolution.replanned',
        data: {
          ...caseFacts(c),
          resolutionId: next.id,
          replaces: resolution.id,
          replacedStatus: summary.status,
          round,
          trigger,
          stages: created.map((a) => ({ stage: a.stage, role: a.role, approvalId: a.id, status: a.status, carriedFrom: a.carriedFrom ?? null, reasons: a.reasons.map((r) => r.detail) })),
          supersededApprovalIds: superseded.map((a) => a.id),
        },
      },
    ],
  };
};

// --- approval workflow steps. Each goes through the case record, so a step racing a decision resolves once: a step
// finding its stage already decided changes nothing, and the waiting step is then resumed with the recorded decision.

/** The workflow's actor in the audit trail. */
export const APPROVAL_ACTOR = 'system:approvals';

/** Approval items carry the task token of the workflow step waiting on them. */
export type StoredApproval = Approval & { taskToken?: string };

/** An approval as the API shows it: never the task token. */
export const publicApproval = ({ taskToken: _t, ...a }: StoredApproval): Approval => a;

/**
 * Who is told about an open stage at an approver level: the stage's role (the owner's team's supervisors for a
 * supervisor stage) at level 1; from level 2 every holder of the role and the head of complaints (admin); from level 3
 * compliance as well. Who may decide does not change (eligibleRoles): escalation widens the audience, not the authority.
 */
export const approverAudience = (role: string, level: number, team: string | null): { role: string; team: string | null }[] => {
  const out = [{ role, team: level === 1 && role === 'supervisor' ? team : null }];
  if (level >= 2 && role !== 'admin') out.push({ role: 'admin', team: null });
  if (level >= 3 && role !== 'compliance') out.push({ role: 'compliance', team: null });
  return out;
};

export type StepOutcome = { ok: true; output: Record<string, unknown> } | { ok: false; error: string; cause: string };

/** What a waiting decision step resumes with once its stage is decided (identifiers only: the comment stays here). */
export const decisionOutcome = (a: Approval): StepOutcome | undefined => {
  if (a.status === 'pending') return undefined;
  if (a.status === 'approved') return { ok: true, output: { approvalId: a.id, decision: 'approve', decidedBy: a.decidedBy ?? null } };
  return { ok: false, error: 'Rejected', cause: `approval ${a.id} ${a.status}${a.decidedBy ? ` by ${a.decidedBy}` : ''}` };
};

const isCurrent = (c: Case, a: Approval): boolean => caseResolution(c)?.id === a.resolutionId && caseResolution(c)?.status === 'pending';

/**
 * AwaitDecision: the stage waits on `token`. The first wait of a stage records `approval.requested` (its approvers are
 * told); later waits (after a reminder or an escalation) only replace the token. A stage already decided — or no longer
 * current — yields the outcome to resume the step with instead.
 */
export const awaitDecision = (
  c: Case,
  a: StoredApproval,
  step: { token: string; level: number; reminders: number },
): { kind: 'store'; change: Change<StoredApproval> } | { kind: 'settled'; outcome: StepOutcome } => {
  const settled = decisionOutcome(a);
  if (settled) return { kind: 'settled', outcome: settled };
  if (!isCurrent(c, a)) return { kind: 'settled', outcome: { ok: false, error: 'Rejected', cause: `approval ${a.id} is no longer part of a pending proposal` } };
  const stored: StoredApproval = { ...a, taskToken: step.token };
  const first = step.level === 1 && step.reminders === 0 && a.escalationLevel === 0;
  const drafts: AuditDraft[] = first
    ? [
        {
          actor: APPROVAL_ACTOR,
          action: 'approval.requested',
          data: { ...caseFacts(c), approvalId: a.id, resolutionId: a.resolutionId, stage: a.stage, role: a.role, level: 1, dueAt: a.dueAt ?? null, audience: approverAudience(a.role, 1, c.team ?? null) },
        },
      ]
    : [];
  return { kind: 'store', change: { case: c, result: stored, drafts } };
};

/** Remind: the stage is still undecided after a reminder interval; its audience is told again (`reminders` counts this one). */
export const remindApprovers = (c: Case, a: StoredApproval, level: number, reminders: number, now: string): Change<StoredApproval> | undefined => {
  if (a.status !== 'pending' || !isCurrent(c, a)) return undefined;
  return {
    case: c,
    result: a,
    drafts: [
      {
        actor: APPROVAL_ACTOR,
        action: 'approval.reminded',
        data: { ...caseFacts(c), approvalId: a.id, stage: a.stage, role: a.role, level, reminder: reminders, dueAt: a.dueAt ?? null, at: now, audience: approverAudience(a.role, level, c.team ?? null) },
      },
    ],
  };
};

/** EscalateApprover: the level timed out undecided; the next level's audience is told and the stage's timer restarts. */
export const escalateApprover = (c: Case, a: StoredApproval, fromLevel: number, toLevel: number, now: string, stageTimeoutMs: number): Change<StoredApproval> | undefined => {
  if (a.status !== 'pending' || !isCurrent(c, a) || a.escalationLevel + 1 !== fromLevel) return undefined;
  const dueAt = new Date(Date.parse(now) + stageTimeoutMs).toISOString();
  const raised: StoredApproval = { ...a, escalationLevel: toLevel - 1, dueAt };
  return {
    case: c,
    result: raised,
    drafts: [
      {
        actor: APPROVAL_ACTOR,
        action: 'approval.escalated',
        data: { ...caseFacts(c), approvalId: a.id, stage: a.stage, role: a.role, fromLevel, toLevel, missedDueAt: a.dueAt ?? null, dueAt, audience: approverAudience(a.role, toLevel, c.team ?? null) },
      },
    ],
  };
};

/**
 * ReturnToOwner after the highest level timed out: the stage is `timed_out`, later stages are superseded, the proposal
 * is rejected and the case goes back to its owner (a re-proposal starts a new round). For a rejection the decision
 * already did all this: nothing to write.
 */
export const expireApproval = (c: Case, resolution: Resolution, approvals: StoredApproval[], approvalId: string, level: number, now: string): Change<{ approvals: StoredApproval[]; resolution: Resolution }> | undefined => {
  const a = approvals.find((x) => x.id === approvalId);
  const summary = caseResolution(c);
  if (!a || a.status !== 'pending' || !summary || summary.id !== resolution.id || resolution.status !== 'pending') return undefined;
  const expired: StoredApproval = { ...a, status: 'timed_out', decidedAt: now };
  const superseded = approvals.filter((x) => x.resolutionId === a.resolutionId && x.stage > a.stage && x.status === 'pending').map((x) => ({ ...x, status: 'superseded' as const }));
  return {
    case: { ...c, status: 'open', resolution: { ...summary, status: 'rejected', decidedAt: now, expired: true } },
    result: { approvals: [expired, ...superseded], resolution: { ...resolution, status: 'rejected' } },
    drafts: [
      {
        actor: APPROVAL_ACTOR,
        action: 'approval.expired',
        data: { ...caseFacts(c), approvalId: a.id, resolutionId: resolution.id, stage: a.stage, role: a.role, level, dueAt: a.dueAt ?? null, returnedTo: c.ownerId },
      },
    ],
  };
};
