// GET /v1/complaints/{id}/approvals through the typed client: a case's approval stages as stored, with their status,
// decision, carried-over stage, escalation level and due time. After a proposal, after an approval, after a re-plan
// that carries an approved stage over, and for a stage that timed out (the local clock moved past every approver
// level); whoever may read the case may read them (a restricted case is 404 to the rest; no token 401); a bad query 400.
import type { components } from '@complaints/client';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

type Role = 'handler' | 'supervisor' | 'compliance' | 'legal' | 'admin';
type Stage = components['schemas']['CaseApproval'];
let api: TestApi;
/** The typed client as `sub` in `role` (a token per call: the clock moves by days in this file). */
const as = async (sub: string, role: Role) => api.client(await api.token(sub, [role]));

/** Hours a stage waits for a decision before it escalates (APPROVAL_STAGE_TIMEOUT_HOURS' default). */
const STAGE_TIMEOUT_MS = 48 * 3_600_000;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const openCase = async (over: Record<string, unknown> = {}): Promise<string> => {
  const res = await settle((await as('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId: 'olive', ...over }) }));
  expect(res.status).toBe(201);
  await api.pump();
  return res.body.id as string;
};
const proposal = (amount: string): components['schemas']['ProposeResolution'] => ({
  decision: 'upheld',
  remedy: { compensation: { amount, currency: 'GBP' }, description: 'Compensation for the missed appointment' },
  rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity' },
  finalResponse: 'We uphold your complaint and will pay you compensation within 5 working days.',
});
/** The owner proposes; the answer's resolution id. */
const propose = async (caseId: string, amount: string): Promise<string> => {
  const res = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/resolution', { params: { path: { id: caseId } }, body: proposal(amount) }));
  expect(res.status).toBe(201);
  await api.pump();
  return res.body.id as string;
};
/** The case's stages as `sub` reads them (200 expected), optionally one proposal's. */
const stagesOf = async (caseId: string, resolutionId?: string, sub = 'sam', role: Role = 'supervisor'): Promise<Stage[]> => {
  const { data, response, error } = await (await as(sub, role)).GET('/v1/complaints/{id}/approvals', { params: { path: { id: caseId }, query: resolutionId ? { resolutionId } : {} } });
  if (response.status !== 200 || !data) throw new Error(`list stages: ${response.status} ${JSON.stringify(error ?? null)}`);
  expect(data.nextCursor).toBeUndefined();
  return data.items;
};
const decide = async (approvalId: string, sub: string, role: Role, body: components['schemas']['ApprovalDecision']) => {
  const res = await settle((await as(sub, role)).POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId } }, body }));
  expect(res.status).toBe(200);
  await api.pump();
};
const caseResolutionId = async (caseId: string): Promise<string> => {
  const { data } = await (await as('sam', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id: caseId } } });
  return (data!.resolution as { id: string }).id;
};
const clockMs = async () => Date.parse(await api.now());
/** `iso` lies within [lo, hi] (instants of the local clock read around the action that stamped it). */
const expectWithin = (iso: string | undefined, lo: number, hi: number) => {
  const at = Date.parse(iso ?? '');
  expect({ iso, within: at >= lo && at <= hi }).toEqual({ iso, within: true });
};

describe('the stages of a case', () => {
  it('after a proposal: the first stage open and due one stage timeout after it was asked, the second waiting (no due time)', async () => {
    const caseId = await openCase();
    expect(await stagesOf(caseId)).toEqual([]);
    const before = await clockMs();
    const resolutionId = await propose(caseId, '1500.00');
    const after = await clockMs();
    const stages = await stagesOf(caseId);
    expect(stages).toEqual([
      expect.objectContaining({ caseId, resolutionId, stage: 1, role: 'supervisor', status: 'pending', open: true, escalationLevel: 0, proposedBy: 'olive' }),
      expect.objectContaining({ caseId, resolutionId, stage: 2, role: 'compliance', status: 'pending', open: false, escalationLevel: 0 }),
    ]);
    const [s1, s2] = stages;
    expectWithin(s1!.createdAt, before, after);
    expect(s1!.dueAt).toBe(new Date(Date.parse(s1!.createdAt) + STAGE_TIMEOUT_MS).toISOString());
    expect(s2).not.toHaveProperty('dueAt');
    for (const s of stages) {
      expect(s).not.toHaveProperty('decidedBy');
      expect(s).not.toHaveProperty('taskToken');
      expect(s.reasons.length).toBeGreaterThan(0);
    }
    expect(resolutionId).toBe(await caseResolutionId(caseId));
  });

  it('after an approval: who decided, when and why; the next stage opens', async () => {
    const caseId = await openCase();
    await propose(caseId, '1500.00');
    const [first] = await stagesOf(caseId);
    const before = await clockMs();
    await decide(first!.id, 'sue', 'supervisor', { decision: 'approve', comment: 'Proportionate to the evidenced loss' });
    const after = await clockMs();
    const [s1, s2] = await stagesOf(caseId);
    expect(s1).toMatchObject({ id: first!.id, status: 'approved', open: false, decidedBy: 'sue', comment: 'Proportionate to the evidenced loss' });
    expectWithin(s1!.decidedAt, before, after);
    expect(s2).toMatchObject({ stage: 2, role: 'compliance', status: 'pending', open: true, dueAt: new Date(Date.parse(s1!.decidedAt!) + STAGE_TIMEOUT_MS).toISOString() });
    // A compliance officer (who may read the case) sees the same.
    expect(await stagesOf(caseId, undefined, 'cora', 'compliance')).toEqual([s1, s2]);
  });

  it('after a re-plan: the new round carries the approved stage over (carriedFrom), the new stage is open; the old round stays listed', async () => {
    const caseId = await openCase();
    const first = await propose(caseId, '300.00');
    const [supervisorStage] = await stagesOf(caseId);
    await decide(supervisorStage!.id, 'sue', 'supervisor', { decision: 'approve', comment: 'Within policy' });
    // The owner raises a flag the approval rules read: the proposal is re-planned under a new resolution id.
    const patched = await settle((await as('olive', 'handler')).PATCH('/v1/complaints/{id}', { params: { path: { id: caseId } }, body: { legalExposure: true } }));
    expect(patched.status).toBe(200);
    await api.pump();
    const replanned = await caseResolutionId(caseId);
    expect(replanned).not.toBe(first);

    const current = await stagesOf(caseId, replanned);
    expect(current).toEqual([
      expect.objectContaining({ resolutionId: replanned, stage: 1, role: 'supervisor', status: 'approved', open: false, carriedFrom: supervisorStage!.id, decidedBy: 'sue', comment: 'Within policy' }),
      expect.objectContaining({ resolutionId: replanned, stage: 2, role: 'legal', status: 'pending', open: true, escalationLevel: 0, dueAt: expect.any(String) }),
    ]);
    expect(current[1]).not.toHaveProperty('carriedFrom');
    // Unfiltered: the replaced round first (its approved stage as decided), then the new one.
    const all = await stagesOf(caseId);
    expect(all.map((s) => [s.resolutionId, s.stage, s.role, s.status])).toEqual([
      [first, 1, 'supervisor', 'approved'],
      [replanned, 1, 'supervisor', 'approved'],
      [replanned, 2, 'legal', 'pending'],
    ]);
    // A proposal id the case never had lists nothing.
    expect(await stagesOf(caseId, '01JZZZZZZZZZZZZZZZZZZZZZZZ')).toEqual([]);
  });

  it('a stage nobody decides escalates level by level, then times out (timed_out, decidedAt at the expiry)', async () => {
    const caseId = await openCase();
    await propose(caseId, '300.00');
    const start = await clockMs();
    await api.advanceClock('PT48H');
    const [escalated] = await stagesOf(caseId);
    expect(escalated).toMatchObject({ status: 'pending', open: true, escalationLevel: 1 });
    // Escalated when the first wait ended: due one more stage timeout later.
    expectWithin(escalated!.dueAt, start + 2 * STAGE_TIMEOUT_MS, (await clockMs()) + STAGE_TIMEOUT_MS);

    await api.advanceClock('P7D');
    await api.pump();
    const [expired] = await stagesOf(caseId);
    expect(expired).toMatchObject({ id: escalated!.id, status: 'timed_out', open: false, escalationLevel: 2 });
    expectWithin(expired!.decidedAt, start + 3 * STAGE_TIMEOUT_MS, await clockMs());
    expect(expired).not.toHaveProperty('decidedBy');
    const { data } = await (await as('sam', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id: caseId } } });
    expect(data!.resolution).toMatchObject({ status: 'rejected' });
  });
});

describe('who may read them', () => {
  it('a restricted case: its owner and supervisors read the stages; another handler gets 404; no token 401', async () => {
    const caseId = await openCase({ sensitivity: 'restricted' });
    await propose(caseId, '300.00');
    expect(await stagesOf(caseId, undefined, 'olive', 'handler')).toHaveLength(1);
    expect(await stagesOf(caseId, undefined, 'lee', 'legal')).toHaveLength(1);
    const other = await settle((await as('hal', 'handler')).GET('/v1/complaints/{id}/approvals', { params: { path: { id: caseId } } }));
    expectProblem(other, 404);
    // The same answer as for the case itself.
    expectProblem(await settle((await as('hal', 'handler')).GET('/v1/complaints/{id}', { params: { path: { id: caseId } } })), 404);
    expectProblem(await settle(api.client().GET('/v1/complaints/{id}/approvals', { params: { path: { id: caseId } } })), 401);
    // An unknown case is 404 as well.
    expectProblem(await settle((await as('sam', 'supervisor')).GET('/v1/complaints/{id}/approvals', { params: { path: { id: '01JZZZZZZZZZZZZZZZZZZZZZZZ' } } })), 404);
  });
});

describe('bad queries', () => {
  it('a resolutionId that is no ULID is 400 naming query.resolutionId, object-property names included', async () => {
    const caseId = await openCase();
    const sam = await as('sam', 'supervisor');
    for (const bad of ['not-a-ulid', '__proto__', 'constructor', '']) {
      const res = await settle(sam.GET('/v1/complaints/{id}/approvals', { params: { path: { id: caseId }, query: { resolutionId: bad } } }));
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'query.resolutionId' })]);
    }
  });

  it('an unknown parameter, one named like an object property, and a bad limit are 400 naming it; never a 5xx', async () => {
    const caseId = await openCase();
    const token = await api.token('sam', ['supervisor']);
    // Raw: parameters the contract does not define (the typed client cannot send them).
    for (const name of ['status', 'constructor', '__proto__', 'toString']) {
      const res = await api.raw('GET', `/v1/complaints/${caseId}/approvals?${name}=x`, { token });
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([{ field: `query.${name}`, message: 'unknown field' }]);
    }
    for (const limit of ['0', '101', 'many']) {
      const res = await api.raw('GET', `/v1/complaints/${caseId}/approvals?limit=${limit}`, { token });
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'query.limit' })]);
    }
  });
});
