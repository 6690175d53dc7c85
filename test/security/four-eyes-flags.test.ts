// Issue 25, finding 2 (four-eyes bypass through the case's flags): the owner may raise a risk flag, the sensitivity or
// the severity but never lower one; a supervisor who does not own the case lowers it with a reason, audited. A change
// to a flag the approval rules read while a proposal stands re-plans it: new stages are added (an approved stage stays
// approved only if every reason now required of it was in front of its approver) and the final response answers 409
// until they are approved. The replaced round's workflow ends; the new round's runs on the real ASL.
import type { components } from '@complaints/client';
import { expectProblem, settle, startTestApi, validComplaint, type ApiResponse, type TestApi } from '../support/api';

type Role = 'handler' | 'supervisor' | 'compliance' | 'legal' | 'admin';
let api: TestApi;
const tok = (sub: string, role: Role) => api.token(sub, [role]);
/** The typed client as `sub` in `role`. */
const as = async (sub: string, role: Role) => api.client(await tok(sub, role));
type Reclassify = components['schemas']['Reclassify'];

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

interface Event {
  actor: string;
  action: string;
  data: Record<string, unknown>;
}
interface PendingApproval {
  id: string;
  caseId: string;
  resolutionId: string;
  stage: number;
  role: string;
  reasons: { rule: string; detail: string }[];
  checks?: string[];
}

const openCase = async (over: Record<string, unknown> = {}, ownerId = 'olive') => {
  const res = await settle((await as('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId, ...over }) }));
  expect(res.status).toBe(201);
  await api.pump();
  return res.body.id as string;
};
const patch = async (caseId: string, sub: string, role: Role, body: Reclassify) => {
  const res = await settle((await as(sub, role)).PATCH('/v1/complaints/{id}', { params: { path: { id: caseId } }, body }));
  await api.pump();
  return res;
};
const proposal = (amount: string): components['schemas']['ProposeResolution'] => ({
  decision: 'upheld',
  remedy: { compensation: { amount, currency: 'GBP' }, description: 'Compensation for the missed appointment' },
  rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity' },
  finalResponse: 'We uphold your complaint and will pay you compensation within 5 working days.',
});
const propose = async (caseId: string, amount: string) => {
  const res = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/resolution', { params: { path: { id: caseId } }, body: proposal(amount) }));
  expect(res.status).toBe(201);
  await api.pump();
  return res.body as { id: string; stages: { role: string }[] };
};
const getCase = async (caseId: string) => (await settle((await as('sam', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id: caseId } } }))).body;
const events = async (caseId: string) => (await settle((await as('sam', 'supervisor')).GET('/v1/complaints/{id}/timeline', { params: { path: { id: caseId } } }))).body.items as Event[];
/** Open stages of the case, as the head of complaints' queue shows them (never the owner's). */
const openStages = async (caseId: string) =>
  ((await settle((await as('audit-admin', 'admin')).GET('/v1/approvals', { params: { query: { status: 'pending', limit: 100 } } }))).body.items as PendingApproval[]).filter((a) => a.caseId === caseId);
const decide = async (approvalId: string, sub: string, role: Role) => {
  const res = await settle((await as(sub, role)).POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId } }, body: { decision: 'approve' } }));
  await api.pump();
  return res;
};
/** Approves the one open stage of the case, by a person of its role. */
const approveOpen = async (caseId: string, role: string) => {
  const [open] = await openStages(caseId);
  expect(open).toMatchObject({ role });
  const res = await decide(open!.id, `${role}-approver`, role as Role);
  expect(res.status).toBe(200);
  return open!;
};
const sendFinal = async (caseId: string): Promise<ApiResponse> => settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/final-response', { params: { path: { id: caseId } }, body: {} }));

describe('the issue reproduction', () => {
  it('the owner can neither clear the flags a supervisor set nor get a final response out after setting them again', async () => {
    const caseId = await openCase();
    expect((await patch(caseId, 'sue', 'supervisor', { legalExposure: true, reputationalRisk: true, reason: 'Customer instructed a solicitor and contacted the press' })).status).toBe(200);

    // The owner clears them (and vulnerable): refused, nothing changes.
    const cleared = await patch(caseId, 'olive', 'handler', { legalExposure: false, reputationalRisk: false, vulnerable: false });
    expectProblem(cleared, 403);
    expect(cleared.body.detail).toMatch(/^four eyes: the case owner may raise but not lower legalExposure, reputationalRisk/);
    expect(await getCase(caseId)).toMatchObject({ legalExposure: true, reputationalRisk: true });

    // A supervisor may clear them, with a reason, audited; the owner then proposes with no approval required.
    expect((await patch(caseId, 'sue', 'supervisor', { legalExposure: false, reputationalRisk: false, reason: 'Solicitor confirmed no claim; press enquiry closed' })).status).toBe(200);
    const proposed = await propose(caseId, '200.00');
    expect(proposed.stages).toEqual([]);

    // The owner sets the flags back: the proposal is re-planned and the final response waits for the new stages.
    expect((await patch(caseId, 'olive', 'handler', { legalExposure: true, reputationalRisk: true })).status).toBe(200);
    const c = await getCase(caseId);
    expect(c).toMatchObject({ status: 'awaiting_approval', resolution: { status: 'pending', stages: 2, approvedStages: 0 } });
    expect(c.resolution.id).not.toBe(proposed.id);
    expectProblem(await sendFinal(caseId), 409);

    const replanned = (await events(caseId)).find((e) => e.action === 'resolution.replanned')!;
    expect(replanned).toMatchObject({ actor: 'olive', data: { replaces: proposed.id, replacedStatus: 'not_required', trigger: { action: 'complaint.reclassified', by: 'olive' } } });
    expect((replanned.data.stages as { role: string; status: string }[]).map((s) => `${s.role}:${s.status}`)).toEqual(['legal:pending', 'admin:pending']);

    await approveOpen(caseId, 'legal');
    expectProblem(await sendFinal(caseId), 409);
    await approveOpen(caseId, 'admin');
    await expect(api.workflows.execution(`approval-${c.resolution.id}`)!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    const sent = await sendFinal(caseId);
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('resolved');
  });
});

describe('who may lower a fact: every flag, both directions', () => {
  const FLAGS: { field: 'legalExposure' | 'reputationalRisk' | 'vulnerable' | 'sensitivity' | 'severity'; raised: unknown; lowered: unknown; over?: Record<string, unknown> }[] = [
    { field: 'legalExposure', raised: true, lowered: false },
    { field: 'reputationalRisk', raised: true, lowered: false },
    { field: 'vulnerable', raised: true, lowered: false },
    { field: 'sensitivity', raised: 'restricted', lowered: 'standard' },
    { field: 'severity', raised: 'critical', lowered: 'low', over: { severity: 'medium' } },
  ];

  it.each(FLAGS)('$field: the owner raises it; the owner may not lower it (403); a supervisor lowers it only with a reason, audited', async ({ field, raised, lowered, over }) => {
    const caseId = await openCase(over ?? {});
    // Each row's values are within the flag's type in Reclassify; the computed key only hides that from the compiler.
    const set = (value: unknown, reason?: string) => ({ [field]: value, ...(reason !== undefined ? { reason } : {}) }) as Reclassify;
    const raise = await patch(caseId, 'olive', 'handler', set(raised));
    expect(raise.status).toBe(200);
    expect(raise.body[field]).toBe(raised);

    const byOwner = await patch(caseId, 'olive', 'handler', set(lowered, 'I think it no longer applies'));
    expectProblem(byOwner, 403);
    expect((await getCase(caseId))[field]).toBe(raised);

    const noReason = await patch(caseId, 'sue', 'supervisor', set(lowered));
    expectProblem(noReason, 400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'body.reason' })]);

    const bySupervisor = await patch(caseId, 'sue', 'supervisor', set(lowered, 'Reviewed the file with the owner: the risk no longer applies'));
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body[field]).toBe(lowered);
    const audit = (await events(caseId)).filter((e) => e.action === 'complaint.reclassified').at(-1)!;
    expect(audit).toMatchObject({
      actor: 'sue',
      data: { changes: { [field]: { from: raised, to: lowered } }, lowered: [{ field, from: raised, to: lowered }], reason: 'Reviewed the file with the owner: the risk no longer applies' },
    });
  });

  it('a supervisor who owns the case may not lower its flags either (four eyes is about persons, not rank)', async () => {
    const caseId = await openCase({}, 'sonia');
    expect((await patch(caseId, 'sonia', 'supervisor', { legalExposure: true })).status).toBe(200);
    expectProblem(await patch(caseId, 'sonia', 'supervisor', { legalExposure: false, reason: 'My own case, my own call' }), 403);
    expect((await patch(caseId, 'sue', 'supervisor', { legalExposure: false, reason: 'Checked by a second supervisor' })).status).toBe(200);
  });

  it('the triage route is held to the same rule: the owner may not override a vulnerability to false', async () => {
    const caseId = await openCase({ customer: { id: 'cust-9', name: 'Ada Lovelace', vulnerable: true } });
    const triage = await settle((await as('olive', 'handler')).GET('/v1/complaints/{id}/triage', { params: { path: { id: caseId } } }));
    expect(triage.status).toBe(200);
    expect(triage.body.fields.vulnerable).toEqual(expect.objectContaining({ value: expect.any(Boolean) }));
    const decide = async (sub: string, role: Role) =>
      settle((await as(sub, role)).POST('/v1/complaints/{id}/triage/decisions', { params: { path: { id: caseId } }, body: { field: 'vulnerable', value: false, reason: 'Cue was about a relative' } }));
    expectProblem(await decide('olive', 'handler'), 403);
    expect((await getCase(caseId)).vulnerable).toBe(true);
    expect((await decide('sue', 'supervisor')).status).toBe(200);
    expect((await getCase(caseId)).vulnerable).toBe(false);
  });
});

describe('re-planning a standing proposal', () => {
  it('an approved stage whose facts grew is asked again: a vulnerability raised after a £300 approval needs a fresh supervisor decision', async () => {
    const caseId = await openCase();
    const proposed = await propose(caseId, '300.00');
    expect(proposed.stages.map((s) => s.role)).toEqual(['supervisor']);
    await approveOpen(caseId, 'supervisor');
    expect(await getCase(caseId)).toMatchObject({ status: 'open', resolution: { status: 'approved' } });

    expect((await patch(caseId, 'olive', 'handler', { vulnerable: true })).status).toBe(200);
    expect(await getCase(caseId)).toMatchObject({ status: 'awaiting_approval', resolution: { status: 'pending', stages: 1, approvedStages: 0 } });
    expectProblem(await sendFinal(caseId), 409);
    const [again] = await openStages(caseId);
    expect(again).toMatchObject({ role: 'supervisor', checks: ['vulnerability'] });
    expect(again!.reasons.map((r) => r.rule)).toEqual(['compensation_threshold', 'vulnerable_customer']);
    await approveOpen(caseId, 'supervisor');
    expect((await sendFinal(caseId)).status).toBe(200);
  });

  it('an approved stage whose facts did not change is carried over; only the new stage is decided', async () => {
    const caseId = await openCase();
    await propose(caseId, '300.00');
    const supervisorStage = await approveOpen(caseId, 'supervisor');

    expect((await patch(caseId, 'olive', 'handler', { legalExposure: true })).status).toBe(200);
    const c = await getCase(caseId);
    expect(c.resolution).toMatchObject({ status: 'pending', stages: 2, approvedStages: 1 });
    const replanned = (await events(caseId)).find((e) => e.action === 'resolution.replanned')!;
    expect(replanned.data.stages).toEqual([
      expect.objectContaining({ stage: 1, role: 'supervisor', status: 'approved', carriedFrom: supervisorStage.id }),
      expect.objectContaining({ stage: 2, role: 'legal', status: 'pending', carriedFrom: null }),
    ]);
    expectProblem(await sendFinal(caseId), 409);
    await approveOpen(caseId, 'legal');
    await expect(api.workflows.execution(`approval-${c.resolution.id}`)!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect((await sendFinal(caseId)).status).toBe(200);
  });

  it('a flag raised while a stage waits: the waiting round is superseded, its workflow ends, the new round runs its stages', async () => {
    const caseId = await openCase();
    const proposed = await propose(caseId, '300.00');
    const [waiting] = await openStages(caseId);
    expect(api.workflows.pendingTasks(`approval-${proposed.id}`)).toHaveLength(1);

    expect((await patch(caseId, 'olive', 'handler', { reputationalRisk: true })).status).toBe(200);
    const c = await getCase(caseId);
    expect(c.resolution).toMatchObject({ status: 'pending', stages: 2, approvedStages: 0 });
    // The replaced round's workflow was resumed with the superseded stage and ended; its stage can no longer be decided.
    await expect(api.workflows.execution(`approval-${proposed.id}`)!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expectProblem(await decide(waiting!.id, 'sue', 'supervisor'), 409);
    expect(api.workflows.pendingTasks(`approval-${c.resolution.id}`)).toHaveLength(1);

    await approveOpen(caseId, 'supervisor');
    expectProblem(await sendFinal(caseId), 409);
    await approveOpen(caseId, 'admin');
    expect((await sendFinal(caseId)).status).toBe(200);
  });

  it('a supervisor lowering a flag while a stage waits drops no stage: an approver already asked keeps the say', async () => {
    const caseId = await openCase();
    expect((await patch(caseId, 'sue', 'supervisor', { legalExposure: true, reason: 'Solicitor letter received' })).status).toBe(200);
    const proposed = await propose(caseId, '100.00');
    expect(proposed.stages.map((s) => s.role)).toEqual(['legal']);
    expect((await patch(caseId, 'sue', 'supervisor', { legalExposure: false, reason: 'Solicitor withdrew' })).status).toBe(200);
    expect((await getCase(caseId)).resolution).toMatchObject({ id: proposed.id, status: 'pending' });
    expectProblem(await sendFinal(caseId), 409);
    await approveOpen(caseId, 'legal');
    expect((await sendFinal(caseId)).status).toBe(200);
  });
});
