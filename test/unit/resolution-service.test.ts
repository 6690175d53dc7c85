// ResolutionService over in-memory fakes of our own ports (CaseRepository, WorkflowEngine): a proposal starts the
// approval workflow with its stages; a decision is recorded first and only then resumes the waiting step; four
// eyes and the 409s come from the domain; the final response stops the clock.
import { EMPTY_HEAD } from '#domain/audit-chain';
import { ConflictError, ForbiddenError, NotFoundError } from '#domain/errors';
import { ResolutionService } from '#domain/resolution-service';
import type { ApprovalWorkflowInput, EscalationWorkflowInput, TaskOutcome, WorkflowEngine } from '#ports/workflow-engine';
import type { ProposeResolutionBody } from '#schemas/resolution';
import { FakeRepo } from './fake-repo';
import { at, CASE_ID, DAY, NOW, openedCase, principal } from './fixtures';

class FakeEngine implements WorkflowEngine {
  readonly started: ApprovalWorkflowInput[] = [];
  readonly resumed: { token: string; outcome: TaskOutcome }[] = [];
  readonly escalations: EscalationWorkflowInput[] = [];
  async startApproval(input: ApprovalWorkflowInput): Promise<void> {
    this.started.push(input);
  }
  async startEscalation(input: EscalationWorkflowInput): Promise<void> {
    this.escalations.push(input);
  }
  async resume(token: string, outcome: TaskOutcome): Promise<'resumed' | 'gone'> {
    this.resumed.push({ token, outcome });
    return 'resumed';
  }
}

const alice = principal('alice', 'handler');
const sue = principal('sue', 'supervisor');
const carl = principal('carl', 'compliance');
const bob = principal('bob', 'handler');
const ROOT_CAUSE = { category: 'carrier_capacity', description: 'Regional carrier over capacity' };
const body = (amount: string): ProposeResolutionBody => ({
  decision: 'upheld',
  remedy: { compensation: { amount, currency: 'GBP' }, description: 'Goodwill payment for three missed deliveries' },
  rootCause: ROOT_CAUSE,
  finalResponse: 'We uphold your complaint and will pay you compensation.',
});

const setup = async () => {
  const repo = new FakeRepo();
  const engine = new FakeEngine();
  let now = at(NOW, DAY);
  let n = 0;
  const svc = new ResolutionService({
    repo,
    clock: { now: () => now },
    ids: { next: () => `01K${String(++n).padStart(23, '0')}` },
    stageTimeoutMs: 2 * DAY,
    reminderMs: DAY,
    engine,
  });
  await repo.create({ case: openedCase({ ownerId: 'alice' }), head: EMPTY_HEAD, events: [] });
  // The stream consumer's part: every audit event committed so far goes to onAuditEvent (once each).
  let delivered = 0;
  const stream = async () => {
    const events = repo.audit.get(CASE_ID) ?? [];
    for (; delivered < events.length; delivered++) await svc.onAuditEvent(CASE_ID, events[delivered]!);
  };
  const propose = async (p: typeof alice, b: ProposeResolutionBody) => {
    const out = await svc.propose(p, CASE_ID, b);
    await stream();
    return out;
  };
  return { repo, engine, svc, propose, stream, advance: (ms: number) => (now = at(now, ms)) };
};

describe('propose', () => {
  it('no stage needed: nothing to start; the final response may go at once and stops the clock', async () => {
    const { repo, engine, propose, svc } = await setup();
    const out = await propose(alice, body('100.00'));
    expect(out.stages).toEqual([]);
    expect(out.resolution.status).toBe('not_required');
    expect(engine.started).toEqual([]);
    const c = await svc.finalResponse(alice, CASE_ID, {});
    expect(c.status).toBe('resolved');
    expect(c.cycles.at(-1)?.stoppedAt).toEqual(expect.any(String));
    expect(repo.audit.get(CASE_ID)!.map((e) => e.action)).toEqual(['resolution.proposed', 'final_response.sent']);
  });

  it('above the thresholds: supervisor then compliance, the workflow started with both stages, final response 409 meanwhile', async () => {
    const { engine, propose, svc } = await setup();
    const out = await propose(alice, body('1500.00'));
    expect(out.stages.map((s) => s.role)).toEqual(['supervisor', 'compliance']);
    expect(out.case.status).toBe('awaiting_approval');
    expect(engine.started).toHaveLength(1);
    expect(engine.started[0]).toMatchObject({ caseId: CASE_ID, resolutionId: out.resolution.id, stages: [{ stage: 1, role: 'supervisor', timeoutSeconds: 172_800, heartbeatSeconds: 86_400 }, { stage: 2, role: 'compliance' }] });
    await expect(svc.finalResponse(alice, CASE_ID, {})).rejects.toThrow(ConflictError);
  });

  it('only the owner proposes', async () => {
    const { svc } = await setup();
    await expect(svc.propose(bob, CASE_ID, body('10.00'))).rejects.toThrow(ForbiddenError);
  });
});

describe('decide', () => {
  it('records each decision, then resumes the waiting step with its token; approval of the last stage allows the final response', async () => {
    const { repo, engine, propose, svc } = await setup();
    await propose(alice, body('1500.00'));
    const [s1, s2] = engine.started[0]!.approvalIds;
    // The workflow's approval task stores its token on the open stage's item.
    repo.approvals.set(s1!, { ...repo.approvals.get(s1!)!, taskToken: 'token-1' } as never);
    await expect(svc.decide(alice, s1!, { decision: 'approve' })).rejects.toThrow(ForbiddenError); // the owner
    await expect(svc.decide(carl, s2!, { decision: 'approve' })).rejects.toThrow(ConflictError); // stage 2 not open
    const first = await svc.decide(sue, s1!, { decision: 'approve', comment: 'Within policy' });
    expect(first.approval.status).toBe('approved');
    expect(engine.resumed).toEqual([{ token: 'token-1', outcome: { ok: true, output: { approvalId: s1, decision: 'approve', decidedBy: 'sue' } } }]);
    await expect(svc.decide(sue, s1!, { decision: 'approve' })).rejects.toThrow(ConflictError); // no double resume
    expect(engine.resumed).toHaveLength(1);
    await svc.decide(carl, s2!, { decision: 'approve' });
    expect((await svc.finalResponse(alice, CASE_ID, {})).status).toBe('resolved');
  });

  it('a rejection returns the case to its owner and fails the waiting step; a re-proposal is round 2', async () => {
    const { repo, engine, propose, svc } = await setup();
    await propose(alice, body('300.00'));
    const [s1] = engine.started[0]!.approvalIds;
    repo.approvals.set(s1!, { ...repo.approvals.get(s1!)!, taskToken: 'token-r' } as never);
    const out = await svc.decide(sue, s1!, { decision: 'reject', comment: 'Compensation not justified by the evidence' });
    expect(out.case.status).toBe('open');
    expect(engine.resumed[0]).toEqual({ token: 'token-r', outcome: { ok: false, error: 'Rejected', cause: `approval ${s1} rejected by sue` } });
    await expect(svc.finalResponse(alice, CASE_ID, {})).rejects.toThrow(ConflictError);
    const again = await propose(alice, body('200.00'));
    expect(again.resolution.round).toBe(2);
    expect(again.resolution.status).toBe('not_required');
  });

  it('an unknown approval id is 404; pending lists hide the caller’s own cases and proposals', async () => {
    const { propose, svc } = await setup();
    await expect(svc.decide(sue, '01K99999999999999999999999', { decision: 'approve' })).rejects.toThrow(NotFoundError);
    await propose(alice, body('1500.00'));
    expect((await svc.pending(sue, { limit: 10 })).items.map((a) => a.stage)).toEqual([1]); // stage 2 joins the queue when it opens
    expect((await svc.pending(alice, { limit: 10 })).items).toEqual([]);
  });
});

describe('approval workflow steps (through the case record)', () => {
  const awaitStep = (approvalId: string, token: string, level = 1, reminders = 0) =>
    ({ action: 'AwaitDecision', taskToken: token, caseId: CASE_ID, approvalId, stage: 1, role: 'supervisor', level, reminders, timeoutSeconds: 172_800, heartbeatSeconds: 86_400 }) as const;

  it('AwaitDecision stores the token (versioned) and requests the approval once; reminders only replace the token', async () => {
    const { repo, engine, propose, svc } = await setup();
    await propose(alice, body('300.00'));
    const [s1] = engine.started[0]!.approvalIds;
    expect(await svc.runStep(awaitStep(s1!, 't1'))).toEqual({ action: 'AwaitDecision', outcome: 'recorded' });
    expect((repo.approvals.get(s1!) as { taskToken?: string }).taskToken).toBe('t1');
    expect(await svc.runStep({ action: 'Remind', caseId: CASE_ID, approvalId: s1!, stage: 1, role: 'supervisor', level: 1, reminders: 1 })).toMatchObject({ outcome: 'recorded' });
    await svc.runStep(awaitStep(s1!, 't2', 1, 1));
    expect((repo.approvals.get(s1!) as { taskToken?: string }).taskToken).toBe('t2');
    const actions = repo.audit.get(CASE_ID)!.map((e) => e.action);
    expect(actions.filter((a) => a === 'approval.requested')).toHaveLength(1);
    expect(actions).toContain('approval.reminded');
    // The public views never carry the token.
    expect(JSON.stringify(await svc.pending(sue, { limit: 10 }))).not.toContain('"t2"');
    expect(JSON.stringify((await svc.decide(sue, s1!, { decision: 'approve' })).approval)).not.toContain('"t2"');
    expect(engine.resumed.at(-1)).toEqual({ token: 't2', outcome: { ok: true, output: { approvalId: s1, decision: 'approve', decidedBy: 'sue' } } });
  });

  it('a decision committed before the step stored its token: the step resumes itself with the decision (exactly once)', async () => {
    const { engine, propose, svc } = await setup();
    await propose(alice, body('300.00'));
    const [s1] = engine.started[0]!.approvalIds;
    await svc.decide(sue, s1!, { decision: 'reject', comment: 'Not justified by the evidence' });
    expect(engine.resumed).toEqual([]); // no token yet
    expect(await svc.runStep(awaitStep(s1!, 'late'))).toEqual({ action: 'AwaitDecision', outcome: 'resumed' });
    expect(engine.resumed).toEqual([{ token: 'late', outcome: { ok: false, error: 'Rejected', cause: `approval ${s1} rejected by sue` } }]);
    // A timeout that raced the decision changes nothing: the escalation step finds the stage decided.
    expect(await svc.runStep({ action: 'EscalateApprover', caseId: CASE_ID, approvalId: s1!, stage: 1, role: 'supervisor', fromLevel: 1, toLevel: 2 })).toMatchObject({ outcome: 'unchanged' });
  });

  it('EscalateApprover raises the level once with a new due time; after the top level, ReturnToOwner expires the stage', async () => {
    const { repo, engine, propose, svc, advance } = await setup();
    await propose(alice, body('1500.00'));
    const [s1, s2] = engine.started[0]!.approvalIds;
    advance(2 * DAY);
    const step = { action: 'EscalateApprover', caseId: CASE_ID, approvalId: s1!, stage: 1, role: 'supervisor', fromLevel: 1, toLevel: 2 } as const;
    expect(await svc.runStep(step)).toMatchObject({ outcome: 'recorded' });
    expect(await svc.runStep(step)).toMatchObject({ outcome: 'unchanged' });
    expect(repo.approvals.get(s1!)).toMatchObject({ escalationLevel: 1, dueAt: at(NOW, 5 * DAY) });
    const escalated = repo.audit.get(CASE_ID)!.find((e) => e.action === 'approval.escalated')!;
    expect(escalated.data).toMatchObject({ fromLevel: 1, toLevel: 2, audience: [{ role: 'supervisor', team: null }, { role: 'admin', team: null }] });
    // A rejection was recorded by the decision itself: ReturnToOwner writes nothing for it.
    expect(await svc.runStep({ action: 'ReturnToOwner', caseId: CASE_ID, approvalId: s1!, stage: 1, role: 'supervisor', level: 2, reason: 'Rejected' })).toMatchObject({ outcome: 'unchanged' });
    expect(await svc.runStep({ action: 'ReturnToOwner', caseId: CASE_ID, approvalId: s1!, stage: 1, role: 'supervisor', level: 3, reason: 'ApprovalExpired' })).toMatchObject({ outcome: 'recorded' });
    expect(repo.approvals.get(s1!)).toMatchObject({ status: 'timed_out' });
    expect(repo.approvals.get(s2!)).toMatchObject({ status: 'superseded' });
    const c = (await repo.get(CASE_ID))!.case;
    expect(c.status).toBe('open');
    expect(c.resolution).toMatchObject({ status: 'rejected' });
    expect(repo.audit.get(CASE_ID)!.at(-1)).toMatchObject({ action: 'approval.expired', data: { returnedTo: 'alice' } });
    await expect(svc.decide(sue, s1!, { decision: 'approve' })).rejects.toThrow(ConflictError);
    await expect(svc.runStep({ action: 'ApprovalsComplete', caseId: CASE_ID, approvalIds: [s1!, s2!] })).rejects.toThrow(/not approved/);
  });
});
