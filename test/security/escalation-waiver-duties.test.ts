// Issue 25, finding 4 (separation of duties): only someone who may acknowledge an escalation may waive it. The owner
// of an at-risk case cannot stop the automatic 75 % escalation of their own case, whatever role they hold.
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

type Role = 'handler' | 'supervisor' | 'compliance' | 'legal' | 'admin';
let api: TestApi;
const tok = (sub: string, ...roles: Role[]) => api.token(sub, roles);
/** The typed client as `sub` holding `roles`. */
const as = async (sub: string, ...roles: Role[]) => api.client(await tok(sub, ...roles));
const getCase = async (id: string) => (await settle((await as('sam', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id } } }))).body;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const JUSTIFICATION = 'The final response goes out tomorrow morning';

/** A case received 45 days ago: its 75 % checkpoint has fired and raised the automatic escalation (level 1). */
const atRiskCase = async (ownerId: string) => {
  const now = Date.parse(await api.now());
  const res = await settle((await as('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId, receivedAt: new Date(now - 45 * 86_400_000).toISOString() }) }));
  expect(res.status).toBe(201);
  await api.pump();
  const c = await getCase(res.body.id as string);
  expect(c.escalations).toEqual([expect.objectContaining({ trigger: { kind: 'checkpoint', percent: 75, cycle: 1 }, status: 'open', level: 1 })]);
  return { caseId: res.body.id as string, escalationId: c.escalations[0].id as string };
};
const waive = async (caseId: string, sub: string, ...roles: Role[]) =>
  settle((await as(sub, ...roles)).POST('/v1/complaints/{id}/escalation-waivers', { params: { path: { id: caseId } }, body: { checkpoint: 75, justification: JUSTIFICATION } }));
const acknowledge = async (caseId: string, escalationId: string, sub: string, ...roles: Role[]) =>
  settle((await as(sub, ...roles)).POST('/v1/complaints/{id}/escalations/{escalationId}/acknowledgement', { params: { path: { id: caseId, escalationId } }, body: {} }));

describe('escalation waivers follow the acknowledgement rule', () => {
  it('the owning handler may neither acknowledge nor waive the automatic 75 % escalation of their own case', async () => {
    const { caseId, escalationId } = await atRiskCase('olive');
    expectProblem(await acknowledge(caseId, escalationId, 'olive', 'handler'), 403);
    expectProblem(await waive(caseId, 'olive', 'handler'), 403);
    const c = await getCase(caseId);
    expect(c.escalations[0]).toMatchObject({ id: escalationId, status: 'open' });
    expect(c.waivers ?? []).toEqual([]);
  });

  it('an owner who is also a supervisor cannot waive their own case either (four eyes, not rank)', async () => {
    const { caseId } = await atRiskCase('sonia');
    const res = await waive(caseId, 'sonia', 'supervisor');
    expectProblem(res, 403);
    expect(res.body.detail).toBe('the case owner cannot waive an escalation of their own case');
  });

  it('another handler cannot waive (not an escalation manager); compliance cannot at level 1; a supervisor can, audited', async () => {
    const { caseId, escalationId } = await atRiskCase('olive');
    expectProblem(await waive(caseId, 'hal', 'handler'), 403);
    expectProblem(await waive(caseId, 'carl', 'compliance'), 403);
    const waived = await waive(caseId, 'sue', 'supervisor');
    expect(waived.status).toBe(201);
    expect(waived.body).toMatchObject({ waiver: { checkpoint: 75, waivedBy: 'sue', escalationId }, escalation: { id: escalationId, status: 'waived' } });
    const events = (await settle((await as('sue', 'supervisor')).GET('/v1/complaints/{id}/timeline', { params: { path: { id: caseId } } }))).body.items as { actor: string; action: string }[];
    expect(events.filter((e) => e.action === 'escalation.waived').map((e) => e.actor)).toEqual(['sue']);
  });

  it('the head of complaints (admin) may waive, as they may acknowledge', async () => {
    const { caseId } = await atRiskCase('olive');
    expect((await waive(caseId, 'ann', 'admin')).status).toBe(201);
  });
});
