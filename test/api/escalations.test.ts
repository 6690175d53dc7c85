// Approval and escalation workflows end to end on the local stack: the ASL CDK deploys runs in-process, driven by the
// local clock. Reminders and approver escalation on timeout, expiry back to the owner, rejection and re-proposal, a
// decision racing a timeout, escalation levels on acknowledgement timeouts, acknowledgement, waivers and their 4xx.
import type { components } from '@complaints/client';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

type Decision = components['schemas']['ApprovalDecision'];
type Waiver = components['schemas']['EscalationWaiver'];
type Role = 'handler' | 'supervisor' | 'compliance' | 'legal' | 'admin';
let api: TestApi;
// Tokens expire after an hour of local time: mint one per call, as the clock moves by days here.
const tok = (sub: string, ...roles: Role[]) => api.token(sub, roles);

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const openCase = async (over: Record<string, unknown> = {}) => {
  const res = await settle(api.client(await tok('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId: 'olive', ...over }) }));
  expect(res.status).toBe(201);
  await api.pump();
  return res.body.id as string;
};
const proposal = (amount: string) => ({
  decision: 'upheld' as const,
  remedy: { compensation: { amount, currency: 'GBP' }, description: 'Compensation for the missed appointment' },
  rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity' },
  finalResponse: 'We uphold your complaint and will pay you compensation.',
});
const propose = async (caseId: string, amount: string) => {
  const res = await settle(api.client(await tok('olive', 'handler')).POST('/v1/complaints/{id}/resolution', { params: { path: { id: caseId } }, body: proposal(amount) }));
  await api.pump();
  return res;
};
const approvalsOf = async (caseId: string) => {
  const res = await settle(api.client(await tok('audit-admin', 'admin')).GET('/v1/approvals', { params: { query: { status: 'pending', limit: 100 } } }));
  return (res.body.items as { id: string; caseId: string; stage: number; escalationLevel: number; dueAt: string }[]).filter((a) => a.caseId === caseId);
};
const decide = async (approvalId: string, sub: string, roles: Role[], body: Decision = { decision: 'approve' }) => {
  const res = await settle(api.client(await api.token(sub, roles)).POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId } }, body }));
  await api.pump();
  return res;
};
const getCase = async (caseId: string) => (await settle(api.client(await tok('sam', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id: caseId } } }))).body;
const timeline = async (caseId: string) => (await settle(api.client(await tok('sam', 'supervisor')).GET('/v1/complaints/{id}/timeline', { params: { path: { id: caseId } } }))).body;
const actions = async (caseId: string) => ((await timeline(caseId)).items as { action: string }[]).map((e) => e.action);
const sendFinalResponse = async (caseId: string) =>
  settle(api.client(await tok('olive', 'handler')).POST('/v1/complaints/{id}/final-response', { params: { path: { id: caseId } }, body: {} }));
const execution = (id: string) => api.workflows.execution(id);
const notificationsFor = (caseId: string, eventType: string) => api.outbox.notifications.filter((n) => n.caseId === caseId && n.eventType === eventType);

describe('approval workflow', () => {
  it('requests, reminds after 24 h, escalates to the next approver level after 48 h; an admin then approves and the workflow completes', async () => {
    const caseId = await openCase();
    const proposed = await propose(caseId, '300.00');
    expect(proposed.status).toBe(201);
    const executionId = `approval-${proposed.body.id}`;
    expect(execution(executionId)?.status).toBe('RUNNING');
    expect(api.workflows.pendingTasks(executionId)).toHaveLength(1);
    expect(notificationsFor(caseId, 'ApprovalRequested').map((n) => n.to)).toEqual([{ kind: 'role', role: 'supervisor', team: null }]);

    await api.advanceClock('PT24H');
    expect(await actions(caseId)).toContain('approval.reminded');
    expect(notificationsFor(caseId, 'ApprovalReminder')).toHaveLength(1);
    expect((await approvalsOf(caseId))[0]?.escalationLevel).toBe(0);

    await api.advanceClock('PT24H');
    const [stage] = await approvalsOf(caseId);
    expect(stage?.escalationLevel).toBe(1);
    expect(notificationsFor(caseId, 'ApprovalEscalated').map((n) => n.to)).toEqual([
      { kind: 'role', role: 'supervisor', team: null },
      { kind: 'role', role: 'admin', team: null },
    ]);
    const decided = await decide(stage!.id, 'hannah', ['admin']);
    expect(decided.status).toBe(200);
    expect(decided.body).not.toHaveProperty('taskToken');
    await expect(execution(executionId)!.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { outcome: 'approved' } });
    expect(await actions(caseId)).toEqual(expect.arrayContaining(['approval.requested', 'approval.reminded', 'approval.escalated', 'approval.approved', 'resolution.approved']));
    expect((await timeline(caseId)).chain.valid).toBe(true);
  });

  it('no decision at any level: the stage expires and the case returns to its owner, who re-proposes', async () => {
    const caseId = await openCase();
    const proposed = await propose(caseId, '300.00');
    await api.advanceClock('P7D'); // three levels × 48 h
    await expect(execution(`approval-${proposed.body.id}`)!.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { outcome: 'rejected', reason: 'ApprovalExpired' } });
    const c = await getCase(caseId);
    expect(c.status).toBe('open');
    expect(c.resolution).toMatchObject({ status: 'rejected' });
    expect(await actions(caseId)).toContain('approval.expired');
    expect(notificationsFor(caseId, 'ApprovalDecided').map((n) => n.to)).toEqual([{ kind: 'user', userId: 'olive', as: 'owner' }]);
    expectProblem(await sendFinalResponse(caseId), 409);
    expect((await propose(caseId, '300.00')).body.round).toBe(2);
  });

  it('rejection ends the workflow at that stage (later stages never open); a re-proposal runs a new one', async () => {
    const caseId = await openCase();
    const first = await propose(caseId, '1500.00');
    expect(first.body.stages).toHaveLength(2);
    const [s1] = await approvalsOf(caseId);
    const rejected = await decide(s1!.id, 'sue', ['supervisor'], { decision: 'reject', comment: 'Compensation exceeds the evidenced loss' });
    expect(rejected.status).toBe(200);
    await expect(execution(`approval-${first.body.id}`)!.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { outcome: 'rejected', reason: 'Rejected' } });
    expect(execution(`approval-${first.body.id}`)!.statesEntered).not.toContain('NextStage'); // entered after an approval only
    expect(await approvalsOf(caseId)).toEqual([]);
    expectProblem(await decide(s1!.id, 'sue', ['supervisor']), 409);
    const second = await propose(caseId, '200.00');
    expect(second.body).toMatchObject({ round: 2, status: 'not_required', stages: [] });
    expect(execution(`approval-${second.body.id}`)).toBeUndefined();
    expect((await sendFinalResponse(caseId)).status).toBe(200);
  });

  it('a decision racing the stage timeout resolves exactly once', async () => {
    const caseId = await openCase();
    const proposed = await propose(caseId, '300.00');
    await api.advanceClock('PT47H59M');
    const [stage] = await approvalsOf(caseId);
    const token = await api.token('sue', ['supervisor']);
    const [decided] = await Promise.all([
      settle(api.client(token).POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId: stage!.id } }, body: { decision: 'approve' } })),
      api.advanceClock('PT2M'),
    ]);
    await api.pump();
    expect(decided.status).toBe(200);
    await expect(execution(`approval-${proposed.body.id}`)!.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { outcome: 'approved' } });
    const acts = await actions(caseId);
    expect(acts.filter((a) => a === 'approval.approved')).toHaveLength(1);
    expect(acts.filter((a) => a === 'resolution.approved')).toHaveLength(1);
    expect(acts.filter((a) => a === 'approval.escalated').length).toBeLessThanOrEqual(1);
    expect((await getCase(caseId)).resolution).toMatchObject({ status: 'approved' });
    expectProblem(await decide(stage!.id, 'sue', ['supervisor']), 409);
  });

  it('bad decisions: unknown 404, the owner 403 (four eyes), a finished stage 409; a resolution on a closed case 409', async () => {
    expectProblem(await decide('01JZZZZZZZZZZZZZZZZZZZZZZZ', 'sue', ['supervisor']), 404);
    const caseId = await openCase();
    await propose(caseId, '300.00');
    const [stage] = await approvalsOf(caseId);
    expectProblem(await decide(stage!.id, 'olive', ['handler', 'supervisor']), 403);
    expect((await decide(stage!.id, 'sue', ['supervisor'])).status).toBe(200);
    expectProblem(await decide(stage!.id, 'sam', ['supervisor']), 409);

    const closedId = await openCase();
    const closed = await settle(
      api.client(await tok('olive', 'handler')).POST('/v1/complaints/{id}/close', {
        params: { path: { id: closedId } },
        body: { followUpAction: 'None needed', rootCause: { category: 'none', description: 'Withdrawn by the customer' } },
      }),
    );
    expect(closed.status).toBe(200);
    expectProblem(await propose(closedId, '10.00'), 409);
  });
});

describe('escalation workflow', () => {
  const raise = async (caseId: string, sub = 'olive', role: Role = 'handler') => {
    const res = await settle(api.client(await tok(sub, role)).POST('/v1/complaints/{id}/escalations', { params: { path: { id: caseId } }, body: { reason: 'Customer threatens to go to the ombudsman' } }));
    await api.pump();
    return res;
  };

  it('manual escalation notifies the team supervisors; unacknowledged for 24 h it goes to the head of complaints; an admin acknowledges', async () => {
    const caseId = await openCase();
    const raised = await raise(caseId);
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ trigger: { kind: 'manual' }, status: 'open', level: 1, raisedBy: 'olive' });
    const executionId = `escalation-${raised.body.id}`;
    expect(execution(executionId)?.status).toBe('RUNNING');
    expect(notificationsFor(caseId, 'Escalated').map((n) => n.to)).toEqual([
      { kind: 'user', userId: 'olive', as: 'owner' },
      { kind: 'role', role: 'supervisor', team: null },
    ]);
    expectProblem(await raise(caseId), 409); // one open escalation at a time

    await api.advanceClock('PT24H');
    expect((await getCase(caseId)).escalations[0]).toMatchObject({ status: 'open', level: 2 });
    expect(notificationsFor(caseId, 'Escalated').map((n) => n.to)).toContainEqual({ kind: 'role', role: 'admin', team: null });

    const acknowledge = async (token: string, body: { note?: string } = {}) =>
      settle(api.client(token).POST('/v1/complaints/{id}/escalations/{escalationId}/acknowledgement', { params: { path: { id: caseId, escalationId: raised.body.id as string } }, body }));
    expectProblem(await acknowledge(await tok('olive', 'supervisor')), 403); // the owner
    expectProblem(await acknowledge(await tok('carl', 'compliance')), 403); // level 3 only
    const ack = await acknowledge(await tok('hannah', 'admin'), { note: 'Calling the customer today' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'hannah', level: 2 });
    expect(ack.body).not.toHaveProperty('taskToken');
    await api.pump();
    await expect(execution(executionId)!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expectProblem(await acknowledge(await tok('sue', 'supervisor')), 409);
    expect(await actions(caseId)).toEqual(expect.arrayContaining(['escalation.raised', 'escalation.started', 'escalation.notified', 'escalation.level_raised', 'escalation.acknowledged']));
  });

  it('an escalation still open when the final response goes out is resolved with the case; its workflow ends', async () => {
    const caseId = await openCase();
    const raised = await raise(caseId);
    expect((await propose(caseId, '20.00')).body.stages).toEqual([]);
    const sent = await sendFinalResponse(caseId);
    expect(sent.status).toBe(200);
    await api.pump();
    await expect(execution(`escalation-${raised.body.id}`)!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect((await getCase(caseId)).escalations[0]).toMatchObject({ status: 'resolved', level: 1 });
    await api.advanceClock('P4D');
    expect(notificationsFor(caseId, 'EscalationUnacknowledged')).toEqual([]);
    expect(await actions(caseId)).toContain('escalation.resolved');
  });

  it('nobody acknowledges at any level: recorded as unacknowledged, the owner and the head of complaints told', async () => {
    const caseId = await openCase();
    const raised = await raise(caseId, 'sue', 'supervisor');
    expect(raised.body.trigger).toEqual({ kind: 'override' });
    await api.advanceClock('P4D');
    await expect(execution(`escalation-${raised.body.id}`)!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect((await getCase(caseId)).escalations[0]).toMatchObject({ status: 'unacknowledged', level: 3 });
    expect(notificationsFor(caseId, 'EscalationUnacknowledged').map((n) => n.to)).toEqual([
      { kind: 'user', userId: 'olive', as: 'owner' },
      { kind: 'role', role: 'admin', team: null },
    ]);
  });

  it('the 75 % checkpoint of an at-risk case escalates by itself; a waiver with a justification stops it', async () => {
    const now = Date.parse(await api.now());
    const caseId = await openCase({ receivedAt: new Date(now - 45 * 86_400_000).toISOString() });
    const c = await getCase(caseId);
    expect(c.checkpoints.find((k: { percent: number }) => k.percent === 75).firedAt).toEqual(expect.any(String));
    expect(c.escalations).toEqual([expect.objectContaining({ trigger: { kind: 'checkpoint', percent: 75, cycle: 1 }, status: 'open', level: 1 })]);
    const escalationId = c.escalations[0].id as string;

    const post = async (body: Waiver, sub = 'sue', role: Role = 'supervisor') =>
      settle(api.client(await tok(sub, role)).POST('/v1/complaints/{id}/escalation-waivers', { params: { path: { id: caseId } }, body }));
    // Raw: the contract requires a justification, so the typed client cannot send a waiver without one.
    expectProblem(await api.raw('POST', `/v1/complaints/${caseId}/escalation-waivers`, { token: await tok('sue', 'supervisor'), body: { checkpoint: 75 } }), 400);
    expectProblem(await post({ checkpoint: 75, justification: 'fine' }), 400);
    expectProblem(await post({ checkpoint: 90, justification: 'The final response goes out tomorrow morning' }), 409); // not reached
    expectProblem(await post({ checkpoint: 75, justification: 'The final response goes out tomorrow morning' }, 'hal', 'handler'), 403);
    const waived = await post({ checkpoint: 75, justification: 'The final response goes out tomorrow morning' });
    expect(waived.status).toBe(201);
    expect(waived.body).toMatchObject({ waiver: { checkpoint: 75, cycle: 1, waivedBy: 'sue', escalationId }, escalation: { id: escalationId, status: 'waived' } });
    await api.pump();
    await expect(execution(`escalation-${escalationId}`)!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expectProblem(await post({ checkpoint: 75, justification: 'The final response goes out tomorrow morning' }), 409); // once
    const events = (await timeline(caseId)).items as { actor: string; action: string; data: Record<string, unknown> }[];
    expect(events.find((e) => e.action === 'escalation.waived')).toMatchObject({ actor: 'sue', data: { justification: 'The final response goes out tomorrow morning', escalationId } });
  });
});
