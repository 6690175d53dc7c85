// GET /v1/reports/deadlines and the risk filters, on a fresh stack: live counts by owner and regime, paused clocks frozen.
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

let api: TestApi;
const tok = (sub: string, role: 'handler' | 'supervisor' | 'compliance') => api.token(sub, [role]);

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const now = async () => Date.parse(await api.now());
const open = async (ownerId: string, over: Record<string, unknown>) => {
  const res = await settle(api.client(await tok('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId, ...over }) }));
  expect(res.status).toBe(201);
  return res.body as { id: string; finalResponseDueAt: string };
};
const board = async () => {
  const res = await settle(api.client(await tok('cora', 'compliance')).GET('/v1/reports/deadlines'));
  expect(res.status).toBe(200);
  return res.body;
};
const ids = async (query: { risk: 'on_track' | 'at_risk' | 'overdue'; owner?: string }) =>
  ((await settle(api.client(await tok('sam', 'supervisor')).GET('/v1/complaints', { params: { query } }))).body.items as { id: string }[]).map((c) => c.id);

describe('the deadline board', () => {
  let fresh: { id: string; finalResponseDueAt: string };
  let atRisk: { id: string };
  let overdue: { id: string };
  let paused: { id: string };

  beforeAll(async () => {
    const t = await now();
    fresh = await open('alice', { regime: 'US_CFPB' });
    atRisk = await open('bob', { regime: 'US_CFPB', receivedAt: new Date(t - 12 * 86_400_000).toISOString() });
    overdue = await open('bob', { regime: 'US_CFPB', receivedAt: new Date(t - 16 * 86_400_000).toISOString() });
    paused = await open('alice', { regime: 'INTERNAL_STANDARD' });
    const pause = await settle(api.client(await tok('alice', 'handler')).POST('/v1/complaints/{id}/clock', { params: { path: { id: paused.id } }, body: { action: 'pause', reason: 'waiting for the customer to send statements' } }));
    expect(pause.status).toBe(200);
    await api.pump();
  });

  it('counts open, running, paused, at risk and overdue cases in total, by owner and by regime', async () => {
    const b = await board();
    expect(b.totals).toMatchObject({ open: 4, running: 4, paused: 1, atRisk: 1, overdue: 1 });
    expect(b.byOwner.find((o: { ownerId: string }) => o.ownerId === 'bob')).toMatchObject({ open: 2, atRisk: 1, overdue: 1 });
    expect(b.byOwner.find((o: { ownerId: string }) => o.ownerId === 'alice')).toMatchObject({ open: 2, paused: 1, atRisk: 0, overdue: 0 });
    // Sorted worst first.
    expect(b.byOwner[0].ownerId).toBe('bob');
    expect(b.byRegime.find((r: { regime: string }) => r.regime === 'US_CFPB')).toMatchObject({ open: 3, atRisk: 1, overdue: 1 });
    expect(b.timeZone).toBe('Europe/London');
    expect(Date.parse(b.todayEndsAt)).toBeLessThanOrEqual(Date.parse(b.weekEndsAt));
  });

  it('due today / this week follow the organisation day and week', async () => {
    const b = await board();
    const dueAt = fresh.finalResponseDueAt;
    const inWeek = dueAt <= b.weekEndsAt ? 1 : 0;
    // The at-risk case is due in ~3 days; the fresh one in 15; the overdue one is not "due" any more.
    const atRiskDue = (await settle(api.client(await tok('sam', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id: atRisk.id } } }))).body.finalResponseDueAt as string;
    expect(b.totals.dueThisWeek).toBe(inWeek + (atRiskDue <= b.weekEndsAt ? 1 : 0));
    expect(b.totals.dueToday).toBe(atRiskDue <= b.todayEndsAt ? 1 : 0);
  });

  it('the risk filters agree with the board, and a paused clock keeps the risk it had when it paused', async () => {
    expect(await ids({ risk: 'at_risk' })).toEqual([atRisk.id]);
    expect(await ids({ risk: 'overdue' })).toEqual([overdue.id]);
    expect((await ids({ risk: 'on_track' })).sort()).toEqual([fresh.id, paused.id].sort());
    await api.advanceClock('P40D'); // every running clock is overdue now; the paused one is not
    expect(await ids({ risk: 'on_track' })).toEqual([paused.id]);
    expect((await ids({ risk: 'overdue' })).sort()).toEqual([fresh.id, atRisk.id, overdue.id].sort());
    expect((await ids({ risk: 'overdue', owner: 'bob' })).sort()).toEqual([atRisk.id, overdue.id].sort());
    const b = await board();
    expect(b.totals).toMatchObject({ overdue: 3, atRisk: 0, paused: 1 });
  });

  it('is for supervisors, compliance and admins only', async () => {
    expectProblem(await settle(api.client(await tok('hana', 'handler')).GET('/v1/reports/deadlines')), 403);
    // No bearer token: the contract requires one, so this request is hand-written.
    expectProblem(await api.raw('GET', '/v1/reports/deadlines'), 401);
  });
});
