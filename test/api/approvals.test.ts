// Resolution, approvals and the final response over HTTP on the local stack: stages from the rules, four eyes,
// rejection and re-proposal, the 409s, and the clock stopping at the final response.
import type { components } from '@complaints/client';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

let api: TestApi;
const tok = (sub: string, role: 'handler' | 'supervisor' | 'compliance' | 'legal' | 'admin') => api.token(sub, [role]);

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const openCase = async (over: Record<string, unknown> = {}) => {
  const res = await settle(api.client(await tok('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId: 'olive', ...over }) }));
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const proposal = (amount: string) => ({
  decision: 'upheld' as const,
  remedy: { compensation: { amount, currency: 'GBP' }, description: 'Compensation for three missed deliveries and the missed appointment' },
  rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity; no re-routing rule' },
  finalResponse: 'We uphold your complaint and will pay you compensation within 5 working days.',
});
const propose = async (caseId: string, amount: string, sub = 'olive') =>
  settle(api.client(await tok(sub, 'handler')).POST('/v1/complaints/{id}/resolution', { params: { path: { id: caseId } }, body: proposal(amount) }));
const queue = async (sub: string, role: 'supervisor' | 'compliance') =>
  (await settle(api.client(await tok(sub, role)).GET('/v1/approvals', { params: { query: { status: 'pending' } } }))).body.items as { id: string; caseId: string; stage: number; role: string }[];
const decide = async (approvalId: string, sub: string, role: 'handler' | 'supervisor' | 'compliance' | 'admin', body: components['schemas']['ApprovalDecision'] = { decision: 'approve' }) =>
  settle(api.client(await tok(sub, role)).POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId } }, body }));
const finalResponse = async (caseId: string) => settle(api.client(await tok('olive', 'handler')).POST('/v1/complaints/{id}/final-response', { params: { path: { id: caseId } }, body: {} }));
const actions = async (caseId: string) => ((await settle(api.client(await tok('sam', 'supervisor')).GET('/v1/complaints/{id}/timeline', { params: { path: { id: caseId } } }))).body.items as { actor: string; action: string }[]).map((e) => `${e.actor} ${e.action}`);

describe('two-stage approval', () => {
  it('supervisor then compliance; four eyes; the final response goes only once both approved and stops the clock', async () => {
    const caseId = await openCase();
    const res = await propose(caseId, '1500.00');
    expect(res.status).toBe(201);
    expect(res.body.stages.map((s: { role: string }) => s.role)).toEqual(['supervisor', 'compliance']);
    expect(res.body.stages[0].reasons[0].detail).toMatch(/1,500\.00 GBP/);
    expectProblem(await finalResponse(caseId), 409);

    const [stage1] = (await queue('sue', 'supervisor')).filter((a) => a.caseId === caseId);
    expect(stage1).toMatchObject({ stage: 1, role: 'supervisor' });
    expectProblem(await decide(stage1!.id, 'olive', 'handler'), 403); // the owner's own approval: refused at the route
    expectProblem(await decide(stage1!.id, 'carl', 'compliance'), 403); // not the stage's role
    expect((await decide(stage1!.id, 'sue', 'supervisor')).status).toBe(200);
    expectProblem(await decide(stage1!.id, 'sid', 'supervisor'), 409); // decided already: no double resume

    const [stage2] = (await queue('carl', 'compliance')).filter((a) => a.caseId === caseId);
    expect(stage2).toMatchObject({ stage: 2, role: 'compliance' });
    expectProblem(await finalResponse(caseId), 409);
    expect((await decide(stage2!.id, 'carl', 'compliance')).status).toBe(200);

    const sent = await finalResponse(caseId);
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('resolved');
    expect(sent.body.cycles.at(-1).stoppedAt).toEqual(expect.any(String));
    expect(await actions(caseId)).toEqual(expect.arrayContaining(['olive resolution.proposed', 'sue approval.approved', 'carl approval.approved', 'carl resolution.approved', 'olive final_response.sent']));
  });
});

describe('rejection and re-proposal', () => {
  it('a rejection returns the case to the owner with the comment; a smaller remedy needs no approval', async () => {
    const caseId = await openCase();
    await propose(caseId, '300.00');
    const [stage] = (await queue('sue', 'supervisor')).filter((a) => a.caseId === caseId);
    expectProblem(await decide(stage!.id, 'sue', 'supervisor', { decision: 'reject' }), 400); // a rejection needs a comment
    const rejected = await decide(stage!.id, 'sue', 'supervisor', { decision: 'reject', comment: 'Evidence supports £150 at most' });
    expect(rejected.body).toMatchObject({ status: 'rejected', comment: 'Evidence supports £150 at most' });
    expect((await settle(api.client(await tok('olive', 'handler')).GET('/v1/complaints/{id}', { params: { path: { id: caseId } } }))).body.status).toBe('open');
    expectProblem(await finalResponse(caseId), 409);
    const again = await propose(caseId, '150.00');
    expect(again.body).toMatchObject({ round: 2, status: 'not_required', stages: [] });
    expect((await finalResponse(caseId)).status).toBe(200);
  });
});

describe('bad input', () => {
  it('decision on an unknown approval → 404; by a handler → 403 at the route', async () => {
    expectProblem(await decide('01K00000000000000000000099', 'sue', 'supervisor'), 404);
    expectProblem(await decide('01K00000000000000000000099', 'hal', 'handler'), 403);
  });

  it('resolution by someone other than the owner → 403; on a closed case → 409', async () => {
    const caseId = await openCase();
    expectProblem(await propose(caseId, '10.00', 'hal'), 403);
    const close = await settle(
      api.client(await tok('olive', 'handler')).POST('/v1/complaints/{id}/close', {
        params: { path: { id: caseId } },
        body: { followUpAction: 'none', rootCause: { category: 'capacity', description: 'Depot overbooked' } },
      }),
    );
    expect(close.status).toBe(200);
    expectProblem(await propose(caseId, '10.00'), 409);
  });

  it('a malformed proposal → 400 naming the field', async () => {
    const caseId = await openCase();
    // Raw: 'maybe' is outside the decision enum, so the typed client cannot send it.
    const res = await api.raw('POST', `/v1/complaints/${caseId}/resolution`, { token: await tok('olive', 'handler'), body: { ...proposal('10.00'), decision: 'maybe' } });
    expectProblem(res, 400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('body.decision');
  });
});
