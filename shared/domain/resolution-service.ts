// Resolution use cases: propose (with the stages the rules require), decide a stage (four eyes), list pending
// approvals, send the final response. Case state changes through mutateCase (one transaction with the audit
// event); the workflow engine is resumed only after the decision is committed, so the case record decides.
import type { Case } from '#schemas/complaint';
import type { Approval, ApprovalDecisionBody, ApprovalRules, ApprovalStage, FinalResponseBody, ProposeResolutionBody, Resolution } from '#schemas/resolution';
import type { IdGenerator } from '#ports/ids';
import type { WorkflowEngine } from '#ports/workflow-engine';
import { canView } from './access';
import { DEFAULT_APPROVAL_RULES, planApprovals } from './approval-rules';
import { mutateCase, type MutationDeps } from './case-mutation';
import { NotFoundError } from './errors';
import type { Principal } from './principal';
import { caseResolution, decideApproval, proposeResolution, sendFinalResponse } from './resolution';

export interface ResolutionServiceDeps extends MutationDeps {
  ids: IdGenerator;
  rules?: ApprovalRules;
  /** How long a stage waits for a decision before it escalates to the next approver level. */
  stageTimeoutMs: number;
  /** How often an undecided stage reminds its approvers (must divide the timeout). */
  reminderMs: number;
  engine?: WorkflowEngine;
}

/** Approval items carry the task token of the workflow step waiting on them (set by the approval task). */
export type StoredApproval = Approval & { taskToken?: string };

export class ResolutionService {
  constructor(private readonly deps: ResolutionServiceDeps) {}

  private get rules(): ApprovalRules {
    return this.deps.rules ?? DEFAULT_APPROVAL_RULES;
  }

  /** The case owner proposes the outcome; the answer lists the approval stages the rules require (possibly none). */
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
      (r) => [{ kind: 'resolution', resolution: r.resolution }, ...r.approvals.map((approval) => ({ kind: 'approval' as const, approval }))],
    );
    const { resolution, approvals } = out.result;
    if (approvals.length && this.deps.engine) {
      await this.deps.engine.startApproval({
        caseId,
        resolutionId: resolution.id,
        approvalIds: approvals.map((a) => a.id),
        stages: approvals.map((a) => ({
          stage: a.stage,
          role: a.role,
          approvalId: a.id,
          timeoutSeconds: Math.round(this.deps.stageTimeoutMs / 1000),
          heartbeatSeconds: Math.round(this.deps.reminderMs / 1000),
        })),
      });
    }
    return { case: out.case, resolution, stages };
  }

  /** Pending approvals the caller could decide (never on their own cases or proposals), oldest first. */
  async pending(p: Principal, limit: number): Promise<Approval[]> {
    const items = await this.deps.repo.listPendingApprovals(Math.min(limit * 4, 400));
    const out: Approval[] = [];
    for (const a of items) {
      if (a.proposedBy === p.sub) continue;
      const rec = await this.deps.repo.get(a.caseId);
      if (!rec || rec.case.ownerId === p.sub || !canView(p, rec.case)) continue;
      out.push(a);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Decide a stage by approval id: 404 unknown or invisible, 403 four eyes, 409 decided / not open / not pending. */
  async decide(p: Principal, approvalId: string, body: ApprovalDecisionBody): Promise<{ case: Case; approval: Approval }> {
    const caseId = await this.deps.repo.findApprovalCase(approvalId);
    if (!caseId) throw new NotFoundError(`approval ${approvalId} not found`);
    let token: string | undefined;
    const out = await mutateCase(
      this.deps,
      p,
      caseId,
      undefined,
      'visible',
      async (c, now) => {
        const approvals = (await this.deps.repo.listApprovals(caseId)) as StoredApproval[];
        const approval = approvals.find((a) => a.id === approvalId);
        if (!approval) throw new NotFoundError(`approval ${approvalId} not found`);
        const resolution = await this.deps.repo.getResolution(caseId, approval.resolutionId);
        if (!resolution) throw new NotFoundError(`the proposal of approval ${approvalId} is missing`);
        token = approval.taskToken;
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
    // The decision is recorded; now the waiting workflow step moves on (a token already gone changes nothing).
    if (token && this.deps.engine) {
      const d = out.result.approval;
      await this.deps.engine.resume(
        token,
        d.status === 'approved' ? { ok: true, output: { approvalId, decision: 'approve', decidedBy: p.sub } } : { ok: false, error: 'Rejected', cause: d.comment ?? 'rejected' },
      );
    }
    return { case: out.case, approval: out.result.approval };
  }

  /** The owner sends the final response (409 while approvals are pending or rejected); the clock stops. */
  async finalResponse(p: Principal, caseId: string, body: FinalResponseBody, ifMatch?: number): Promise<Case> {
    const out = await mutateCase(this.deps, p, caseId, ifMatch, 'owner', async (c, now) => {
      const summary = caseResolution(c);
      const resolution = summary ? await this.deps.repo.getResolution(caseId, summary.id) : undefined;
      return sendFinalResponse(c, resolution, body, p.sub, now);
    });
    return out.case;
  }
}
