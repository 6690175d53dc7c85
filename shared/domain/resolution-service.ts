// Resolution use cases: propose (with the stages the rules require), decide a stage (four eyes), list pending
// approvals, send the final response; and the steps of the approval workflow. Case state changes through
// mutateCase/systemMutate (one transaction with the audit event). The workflow starts from the table's stream once the
// proposal is committed, and is resumed only after a decision is committed, so the case record decides.
import type { Case } from '#schemas/complaint';
import type { AuditEvent } from '#schemas/children';
import type { Approval, ApprovalDecisionBody, ApprovalRules, ApprovalStage, CaseApproval, FinalResponseBody, ProposeResolutionBody, Resolution } from '#schemas/resolution';
import type { ApprovalStep } from '#schemas/workflow-steps';
import type { CaseChild, CaseRepository } from '#ports/case-repository';
import type { IdGenerator } from '#ports/ids';
import type { ApprovalWorkflowInput, WorkflowEngine } from '#ports/workflow-engine';
import { assertVisible, canView } from './access';
import { APPROVAL_ROLES, isOpenStage } from '#schemas/resolution';
import { approvalFactsChanged, assertApprovalsCover, DEFAULT_APPROVAL_RULES, planApprovals } from './approval-rules';
import { mutateCase, systemMutate, type MutationDeps } from './case-mutation';
import { NotFoundError } from './errors';
import type { Principal } from './principal';
import type { Change } from './lifecycle';
import { pageOfList, type Page, type PageRequest } from './pages';
import {
  assertApprovedText,
  awaitDecision,
  caseResolution,
  decideApproval,
  decisionOutcome,
  escalateApprover,
  expireApproval,
  proposeResolution,
  publicApproval,
  remindApprovers,
  replanApprovals,
  sendFinalResponse,
  type Replanned,
  type StepOutcome,
  type StoredApproval,
} from './resolution';

export interface ResolutionServiceDeps extends MutationDeps {
  ids: IdGenerator;
  rules?: ApprovalRules;
  /** How long a stage waits for a decision before it escalates to the next approver level. */
  stageTimeoutMs: number;
  /** How often an undecided stage reminds its approvers (must divide the timeout). */
  reminderMs: number;
  engine?: WorkflowEngine;
}

/** What a workflow step did, for the function's log line and the workflow's (discarded) result. */
export interface StepResult {
  action: string;
  outcome: 'recorded' | 'unchanged' | 'resumed' | 'missing';
}

/** Default time a stage waits before escalating (APPROVAL_STAGE_TIMEOUT_HOURS' default). */
export const DEFAULT_STAGE_TIMEOUT_MS = 48 * 3_600_000;

/** What re-planning needs besides the case: the table, ids for the new round, the rules and the stage timeout. */
export interface ReplanDeps {
  repo: CaseRepository;
  ids: IdGenerator;
  rules?: ApprovalRules;
  stageTimeoutMs?: number;
}

/**
 * Re-plans the standing proposal when `change` (any case change, made by `actor`) altered a fact the approval rules
 * read (see replanApprovals for what is kept and what is asked again). Runs inside the mutation attempt, so the change,
 * the new round and its stages commit in one transaction: there is no moment at which the changed facts stand with
 * the old approvals. The stream then ends the replaced round's workflow and starts the new one.
 */
export const replanAfterChange = async (deps: ReplanDeps, before: Case, change: Change, actor: string, now: string): Promise<Change<Replanned | undefined>> => {
  const unchanged: Change<Replanned | undefined> = { ...change, result: undefined };
  const summary = caseResolution(change.case);
  if (!summary || !approvalFactsChanged(before, change.case)) return unchanged;
  const resolution = await deps.repo.getResolution(change.case.id, summary.id);
  if (!resolution) return unchanged;
  const plan = planApprovals(resolution, change.case, deps.rules ?? DEFAULT_APPROVAL_RULES);
  const approvals = await deps.repo.listApprovals(change.case.id);
  const trigger = { action: change.drafts[0]?.action ?? null, by: actor };
  const ids = { resolutionId: deps.ids.next(), approvalIds: APPROVAL_ROLES.map(() => deps.ids.next()) };
  const replanned = replanApprovals(change.case, resolution, approvals, plan, ids, actor, now, deps.stageTimeoutMs ?? DEFAULT_STAGE_TIMEOUT_MS, trigger);
  if (!replanned) return unchanged;
  return { case: replanned.case, drafts: [...change.drafts, ...replanned.drafts], result: replanned.result };
};

/** The items a re-plan writes with the change that caused it. */
export const replanChildren = (r: Replanned | undefined): CaseChild[] =>
  r
    ? [
        { kind: 'resolution', resolution: r.replaced },
        { kind: 'resolution', resolution: r.resolution },
        ...r.superseded.map((approval) => ({ kind: 'approval' as const, approval })),
        ...r.approvals.map((approval) => ({ kind: 'approval' as const, approval, created: true as const })),
      ]
    : [];

/** Reads of the approval queue one page may take to fill (stages the caller may not decide are skipped). */
const MAX_QUEUE_READS = 5;

export class ResolutionService {
  constructor(private readonly deps: ResolutionServiceDeps) {}

  private get rules(): ApprovalRules {
    return this.deps.rules ?? DEFAULT_APPROVAL_RULES;
  }

  /** The owner proposes the outcome; the answer lists the approval stages the rules require (possibly none). */
  async propose(p: Principal, caseId: string, body: ProposeResolutionBody, ifMatch?: number): Promise<{ case: Case; resolution: Resolution; stages: ApprovalStage[] }> {
    const resolutionId = this.deps.ids.next();
    let stages: ApprovalStage[] = [];
    const out = await mutateCase(
      this.deps,
      p,
      caseId,
      ifMatch,
      'owner',
      (c, now) => {
        stages = planApprovals(body, c, this.rules);
        const approvalIds = stages.map(() => this.deps.ids.next());
        return proposeResolution(c, body, stages, { resolutionId, approvalIds }, p.sub, now, this.deps.stageTimeoutMs);
      },
      (r) => [{ kind: 'resolution', resolution: r.resolution }, ...r.approvals.map((approval) => ({ kind: 'approval' as const, approval, created: true as const }))],
    );
    return { case: out.case, resolution: out.result.resolution, stages };
  }

  /**
   * The approval workflow a committed audit event calls for (the stream consumer calls this): a proposal with stages
   * starts one, named after the proposal, so a redelivered event starts nothing new.
   */
  approvalWorkflowFor(caseId: string, e: AuditEvent): ApprovalWorkflowInput | undefined {
    if (e.action !== 'resolution.proposed' && e.action !== 'resolution.replanned') return undefined;
    // A re-planned round runs only its stages still to decide: the ones carried over were approved before.
    const stages = (Array.isArray(e.data.stages) ? (e.data.stages as { stage: number; role: string; approvalId?: string; status?: string }[]) : []).filter((s) => s.status === undefined || s.status === 'pending');
    if (!stages.length || stages.some((s) => typeof s.approvalId !== 'string')) return undefined;
    return {
      caseId,
      resolutionId: String(e.data.resolutionId),
      approvalIds: stages.map((s) => s.approvalId!),
      stages: stages.map((s) => ({
        stage: s.stage,
        role: s.role,
        approvalId: s.approvalId!,
        timeoutSeconds: Math.round(this.deps.stageTimeoutMs / 1000),
        heartbeatSeconds: Math.round(this.deps.reminderMs / 1000),
      })),
    };
  }

  /** Starts the approval workflow of a committed proposal, if one is called for and an engine is configured. */
  async onAuditEvent(caseId: string, e: AuditEvent): Promise<boolean> {
    if (e.action === 'resolution.replanned') await this.endSuperseded(caseId, e);
    const input = this.approvalWorkflowFor(caseId, e);
    if (!input || !this.deps.engine) return false;
    await this.deps.engine.startApproval(input);
    return true;
  }

  /**
   * A re-plan superseded the pending stages of the replaced round: the workflow step waiting on one of them is resumed
   * with its (superseded) outcome, so the replaced round's workflow ends now rather than at its next reminder.
   */
  private async endSuperseded(caseId: string, e: AuditEvent): Promise<void> {
    const ids = Array.isArray(e.data.supersededApprovalIds) ? (e.data.supersededApprovalIds as unknown[]).filter((x): x is string => typeof x === 'string') : [];
    if (!ids.length || !this.deps.engine) return;
    const stored: StoredApproval[] = await this.deps.repo.listApprovals(caseId);
    for (const a of stored.filter((x) => ids.includes(x.id))) {
      const outcome = decisionOutcome(a);
      if (a.taskToken && outcome) await this.resume(a.taskToken, outcome);
    }
  }

  /** Pending approvals the caller could decide (never on their own cases or proposals), oldest first. */
  /**
   * A page of the stages the caller may decide, oldest first. Stages on the caller's own cases or proposals (or on
   * cases they may not see) are left out; the queue is read on, a bounded number of times, to fill the page. Each read
   * asks for no more than the page still lacks, so the cursor always sits right after the last stage examined.
   */
  async pending(p: Principal, q: PageRequest): Promise<Page<Approval>> {
    const out: Approval[] = [];
    let cursor = q.cursor;
    for (let read = 0; read < MAX_QUEUE_READS && out.length < q.limit; read++) {
      const page = await this.deps.repo.pagePendingApprovals(q.limit - out.length, cursor);
      for (const a of page.items) {
        if (a.proposedBy === p.sub) continue;
        const rec = await this.deps.repo.get(a.caseId);
        if (!rec || rec.case.ownerId === p.sub || !canView(p, rec.case)) continue;
        out.push(publicApproval(a));
      }
      cursor = page.nextCursor;
      if (cursor === undefined) break;
    }
    return { items: out, ...(cursor !== undefined ? { nextCursor: cursor } : {}) };
  }

  /**
   * The approval stages of a case as stored, oldest round first and in stage order (optionally one proposal's), each
   * marked open when it may be decided now. Whoever may read the case may read them; a case the caller may not see is
   * 404, as the case itself is.
   */
  async stages(p: Principal, caseId: string, q: PageRequest & { resolutionId?: string | undefined }): Promise<Page<CaseApproval>> {
    const rec = await this.deps.repo.get(caseId);
    if (!rec) throw new NotFoundError(`complaint ${caseId} not found`);
    assertVisible(p, rec.case);
    const stored: StoredApproval[] = await this.deps.repo.listApprovals(caseId);
    const chosen = q.resolutionId === undefined ? stored : stored.filter((a) => a.resolutionId === q.resolutionId);
    const page = pageOfList(chosen, (a) => a.id, q);
    return { ...page, items: page.items.map((a) => ({ ...publicApproval(a), open: isOpenStage(a) })) };
  }

  /** Decide a stage by approval id: 404 unknown or invisible, 403 four eyes, 409 decided / not open / not pending. */
  async decide(p: Principal, approvalId: string, body: ApprovalDecisionBody, ifMatch?: number): Promise<{ case: Case; approval: Approval }> {
    const caseId = await this.deps.repo.findApprovalCase(approvalId);
    if (!caseId) throw new NotFoundError(`approval ${approvalId} not found`);
    const out = await mutateCase(
      this.deps,
      p,
      caseId,
      ifMatch,
      'visible',
      async (c, now) => {
        const approvals: StoredApproval[] = await this.deps.repo.listApprovals(caseId);
        const approval = approvals.find((a) => a.id === approvalId);
        if (!approval) throw new NotFoundError(`approval ${approvalId} not found`);
        const resolution = await this.deps.repo.getResolution(caseId, approval.resolutionId);
        if (!resolution) throw new NotFoundError(`the proposal of approval ${approvalId} is missing`);
        const current = approvals.filter((a) => a.resolutionId === resolution.id);
        return decideApproval(c, resolution, current, approvalId, body, p, now, this.deps.stageTimeoutMs);
      },
      (d) => [
        { kind: 'approval', approval: d.approval },
        ...(d.next ? [{ kind: 'approval' as const, approval: d.next }] : []),
        ...d.superseded.map((approval) => ({ kind: 'approval' as const, approval })),
        ...(d.resolution.status !== 'pending' ? [{ kind: 'resolution' as const, resolution: d.resolution }] : []),
      ],
    );
    // The decision is recorded; now the workflow step waiting on the token stored with this version of the stage moves
    // on (a step storing a newer token commits through the case too). A token already gone changes nothing: the step
    // that runs next finds the decision on the case and resumes itself with it.
    const { taskToken } = out.result.approval;
    const outcome = decisionOutcome(out.result.approval);
    if (taskToken && outcome) await this.resume(taskToken, outcome);
    return { case: out.case, approval: publicApproval(out.result.approval) };
  }

  /** The owner sends the final response (409 while approvals are pending or rejected); the clock stops. */
  async finalResponse(p: Principal, caseId: string, body: FinalResponseBody, ifMatch?: number): Promise<Case> {
    const out = await mutateCase(this.deps, p, caseId, ifMatch, 'owner', async (c, now) => {
      const summary = caseResolution(c);
      const resolution = summary ? await this.deps.repo.getResolution(caseId, summary.id) : undefined;
      const change = sendFinalResponse(c, resolution, body, p.sub, now);
      assertApprovedText(resolution!, body.text);
      await this.assertCovered(c, resolution!);
      return change;
    });
    return out.case;
  }

  /** 409 unless the approvals given to `resolution` cover what the rules require on the case as it is now. */
  private async assertCovered(c: Case, resolution: Resolution): Promise<void> {
    const approvals = (await this.deps.repo.listApprovals(c.id)).filter((a) => a.resolutionId === resolution.id);
    assertApprovalsCover(planApprovals(resolution, c, this.rules), approvals);
  }

  /** One Lambda step of the approval workflow. */
  async runStep(step: ApprovalStep): Promise<StepResult> {
    const { caseId } = step;
    const result = (outcome: StepResult['outcome']): StepResult => ({ action: step.action, outcome });
    const approvalOf = async (id: string): Promise<StoredApproval> => {
      const a = (await this.deps.repo.listApprovals(caseId)).find((x) => x.id === id);
      if (!a) throw new NotFoundError(`approval ${id} of case ${caseId} not found`);
      return a;
    };
    switch (step.action) {
      case 'AwaitDecision': {
        let settled: StepOutcome | undefined;
        const out = await systemMutate(
          this.deps,
          caseId,
          async (c) => {
            const r = awaitDecision(c, await approvalOf(step.approvalId), { token: step.taskToken, level: step.level, reminders: step.reminders });
            if (r.kind === 'settled') {
              settled = r.outcome;
              return undefined;
            }
            settled = undefined;
            return r.change;
          },
          (a) => [{ kind: 'approval', approval: a }],
        );
        if (out.kind === 'missing') throw new NotFoundError(`complaint ${caseId} not found`);
        // Decided before the token could be stored (a decision racing a timeout): resume with the recorded decision.
        if (settled) {
          await this.resume(step.taskToken, settled);
          return result('resumed');
        }
        return result('recorded');
      }
      case 'Remind': {
        const out = await systemMutate(this.deps, caseId, async (c, now) => remindApprovers(c, await approvalOf(step.approvalId), step.level, step.reminders, now), () => []);
        return result(out.kind === 'committed' ? 'recorded' : out.kind === 'missing' ? 'missing' : 'unchanged');
      }
      case 'EscalateApprover': {
        const out = await systemMutate(
          this.deps,
          caseId,
          async (c, now) => escalateApprover(c, await approvalOf(step.approvalId), step.fromLevel, step.toLevel, now, this.deps.stageTimeoutMs),
          (a) => [{ kind: 'approval', approval: a }],
        );
        return result(out.kind === 'committed' ? 'recorded' : out.kind === 'missing' ? 'missing' : 'unchanged');
      }
      case 'ReturnToOwner': {
        // A rejection was recorded (and the owner told) by the decision itself; only an expiry writes here.
        if (step.reason !== 'ApprovalExpired') return result('unchanged');
        const out = await systemMutate(
          this.deps,
          caseId,
          async (c, now) => {
            const approvals: StoredApproval[] = await this.deps.repo.listApprovals(caseId);
            const a = approvals.find((x) => x.id === step.approvalId);
            const resolution = a ? await this.deps.repo.getResolution(caseId, a.resolutionId) : undefined;
            return resolution ? expireApproval(c, resolution, approvals, step.approvalId, step.level, now) : undefined;
          },
          (r) => [...r.approvals.map((approval) => ({ kind: 'approval' as const, approval })), { kind: 'resolution' as const, resolution: r.resolution }],
        );
        return result(out.kind === 'committed' ? 'recorded' : out.kind === 'missing' ? 'missing' : 'unchanged');
      }
      case 'ApprovalsComplete': {
        // Every stage approved: the last decision recorded `resolution.approved`. A mismatch is a defect worth failing on.
        const approvals = await this.deps.repo.listApprovals(caseId);
        const notApproved = step.approvalIds.filter((id) => approvals.find((a) => a.id === id)?.status !== 'approved');
        if (notApproved.length) throw new Error(`approval workflow completed but stage(s) ${notApproved.join(', ')} of case ${caseId} are not approved`);
        return result('unchanged');
      }
    }
  }

  private async resume(token: string, outcome: StepOutcome): Promise<void> {
    if (this.deps.engine) await this.deps.engine.resume(token, outcome);
  }
}
