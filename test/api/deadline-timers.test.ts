// Deadline control end to end on the local stack: case writes → stream → schedules → local scheduler →
// checkpoint handler → audit, risk, domain events and notifications; duplicate, late and early deliveries.
import type { Timer } from '#domain/timers';
import type { TimerOutcome } from '#domain/complaint-service';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';
import { lambdaContext } from '../../infra/local/server';

let api: TestApi;
let handler: string;
let supervisor: string;

beforeAll(async () => {
  api = await startTestApi();
});
// The clock moves by days here, so tokens are issued fresh for every test.
beforeEach(async () => {
  handler = await api.token('hana', ['handler']);
  supervisor = await api.token('sam', ['supervisor']);
});
afterAll(() => api.close());
const refresh = async () => {
  handler = await api.token('hana', ['handler']);
  supervisor = await api.token('sam', ['supervisor']);
};
/** The typed client as hana, the handler, with her current token. */
const hana = () => api.client(handler);

const open = async (over: Record<string, unknown> = {}) => {
  const res = await settle(hana().POST('/v1/complaints', { body: validComplaint({ ownerId: 'hana', ...over }) }));
  expect(res.status).toBe(201);
  return res.body as { id: string; checkpoints: { percent: number; at: string }[]; acknowledgementDueAt: string; finalResponseDueAt: string };
};

const get = async (id: string) => (await settle(hana().GET('/v1/complaints/{id}', { params: { path: { id } } }))).body;
const timeline = async (id: string) => (await settle(hana().GET('/v1/complaints/{id}/timeline', { params: { path: { id } } }))).body as { items: { action: string; data: Record<string, unknown> }[]; chain: { valid: boolean } };
const actions = async (id: string, action: string) => (await timeline(id)).items.filter((e) => e.action === action);
const pending = async (caseId: string) => (await api.stack.scheduler.pending()).filter((t) => t.caseId === caseId);
const eventsOf = (caseId: string) => api.outbox.events.filter((e) => e.caseId === caseId);
const deliver = async (t: Timer): Promise<TimerOutcome> => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler: checkpoint } = require('../../functions/checkpoint/handler') as { handler: (t: Timer, c: unknown) => Promise<TimerOutcome> };
  return checkpoint(t, lambdaContext('checkpoint'));
};
const listIds = async (risk: 'on_track' | 'at_risk' | 'overdue') => ((await settle(api.client(supervisor).GET('/v1/complaints', { params: { query: { risk } } }))).body.items as { id: string }[]).map((c) => c.id);

describe('a US_CFPB case driven through 50/75/90/breach by the local clock', () => {
  let c: Awaited<ReturnType<typeof open>>;
  let timers: Timer[];

  beforeAll(async () => {
    await refresh();
    c = await open({ regime: 'US_CFPB' });
    await api.pump();
    timers = await pending(c.id);
  });

  it('schedules one deterministic one-time timer per checkpoint, named <caseId>-<cycle>-<checkpoint>', () => {
    expect(timers.map((t) => t.name).sort()).toEqual([`${c.id}-1-breach`, `${c.id}-1-p50`, `${c.id}-1-p75`, `${c.id}-1-p90`]);
    for (const cp of c.checkpoints) expect(timers.find((t) => t.percent === cp.percent)?.at).toBe(cp.at);
  });

  it('50 %: fires once, records firedAt, audits, publishes CheckpointReached and notifies owner and supervisor', async () => {
    const fired = await api.advanceClock('P8D');
    await refresh();
    expect(fired.filter((f) => f.caseId === c.id).map((f) => f.name)).toEqual([`${c.id}-1-p50`]);
    const now = await get(c.id);
    expect(now.checkpoints.find((k: { percent: number }) => k.percent === 50).firedAt).toEqual(expect.any(String));
    expect(now.risk).toBe('on_track');
    const [reached, ...more] = await actions(c.id, 'checkpoint.reached');
    expect(more).toHaveLength(0);
    expect(reached?.data).toMatchObject({ percent: 50, cycle: 1, risk: { from: 'on_track', to: 'on_track' } });
    expect(eventsOf(c.id).map((e) => e.type)).toEqual(['ComplaintOpened', 'CheckpointReached']);
    const notified = api.outbox.notifications.filter((n) => n.caseId === c.id).map((n) => n.to);
    expect(notified).toEqual([{ kind: 'user', userId: 'hana', as: 'owner' }, { kind: 'role', role: 'supervisor', team: null }]);
    expect(await pending(c.id)).toHaveLength(3);
  });

  it('a duplicate, a late and an early delivery change nothing and write no second audit event', async () => {
    const before = (await timeline(c.id)).items.length;
    const p50 = timers.find((t) => t.percent === 50)!;
    const p75 = timers.find((t) => t.percent === 75)!;
    expect(await deliver(p50)).toMatchObject({ outcome: 'ignored', reason: 'already_done' });
    expect(await deliver(p50)).toMatchObject({ outcome: 'ignored', reason: 'already_done' });
    expect(await deliver(p75)).toMatchObject({ outcome: 'ignored', reason: 'not_yet_due' });
    expect(await deliver({ ...p75, cycle: 7, name: `${c.id}-7-p75` })).toMatchObject({ outcome: 'ignored', reason: 'stale_cycle' });
    await api.pump();
    expect((await timeline(c.id)).items.length).toBe(before);
    expect(eventsOf(c.id).map((e) => e.type)).toEqual(['ComplaintOpened', 'CheckpointReached']);
  });

  it('75 %: the case turns at_risk and the risk list finds it through the index', async () => {
    await api.advanceClock('P4D'); // day 12 of 15
    await refresh();
    const now = await get(c.id);
    expect(now.risk).toBe('at_risk');
    expect(await listIds('at_risk')).toContain(c.id);
    expect(await listIds('on_track')).not.toContain(c.id);
    const [reached] = (await actions(c.id, 'checkpoint.reached')).filter((e) => e.data.percent === 75);
    expect(reached?.data.risk).toEqual({ from: 'on_track', to: 'at_risk' });
  });

  it('90 % and then the breach: DeadlineBreached, overdue, each exactly once despite redelivery', async () => {
    await api.advanceClock('P2D'); // day 14
    await api.advanceClock('P2D'); // day 16
    await refresh();
    for (const t of timers) await deliver(t); // every schedule delivered a second time, out of order
    await api.pump();
    const now = await get(c.id);
    expect(now.risk).toBe('overdue');
    expect(now.checkpoints.every((k: { firedAt?: string }) => k.firedAt)).toBe(true);
    expect((await actions(c.id, 'checkpoint.reached')).map((e) => e.data.percent)).toEqual([50, 75, 90]);
    expect(await actions(c.id, 'deadline.breached')).toHaveLength(1);
    const deadlineEvents = eventsOf(c.id).filter((e) => e.type === 'CheckpointReached' || e.type === 'DeadlineBreached');
    expect(deadlineEvents.map((e) => e.type)).toEqual(['CheckpointReached', 'CheckpointReached', 'CheckpointReached', 'DeadlineBreached']);
    expect(new Set(deadlineEvents.map((e) => e.id)).size).toBe(4);
    // The 75 % checkpoint escalated (nobody acknowledged: it climbed the ladder); the open one absorbed the 90 %.
    expect(eventsOf(c.id).filter((e) => e.type === 'Escalated').map((e) => e.detail.level)).toEqual([1, 2, 3]);
    expect((await get(c.id)).escalations).toEqual([expect.objectContaining({ trigger: { kind: 'checkpoint', percent: 75, cycle: 1 }, status: 'unacknowledged', level: 3 })]);
    expect(await listIds('overdue')).toContain(c.id);
    expect(await pending(c.id)).toHaveLength(0);
    expect((await timeline(c.id)).chain.valid).toBe(true);
  });
});

describe('timers follow the case', () => {
  it('closing deletes the pending schedules; reopening plans a new cycle', async () => {
    const c = await open({ regime: 'US_CFPB' });
    await api.pump();
    expect(await pending(c.id)).toHaveLength(4);
    const close = await settle(hana().POST('/v1/complaints/{id}/close', { params: { path: { id: c.id } }, body: { followUpAction: 'none', rootCause: { category: 'process', description: 'courier booking process' } } }));
    expect(close.status).toBe(200);
    await api.pump();
    expect(await pending(c.id)).toHaveLength(0);
    const reopen = await settle(hana().POST('/v1/complaints/{id}/reopen', { params: { path: { id: c.id } }, body: { reason: 'customer replied with new facts' } }));
    expect(reopen.status).toBe(200);
    await api.pump();
    expect((await pending(c.id)).map((t) => t.name).sort()).toEqual([`${c.id}-2-breach`, `${c.id}-2-p50`, `${c.id}-2-p75`, `${c.id}-2-p90`]);
  });

  it('a pause deletes the schedules and a resume recreates them at the shifted times', async () => {
    const c = await open({ regime: 'INTERNAL_STANDARD' });
    await api.pump();
    const before = await pending(c.id);
    expect(before).toHaveLength(4);
    expect((await settle(hana().POST('/v1/complaints/{id}/clock', { params: { path: { id: c.id } }, body: { action: 'pause', reason: 'waiting for the customer’s bank statements' } }))).status).toBe(200);
    await api.pump();
    expect(await pending(c.id)).toHaveLength(0);
    await api.advanceClock('P3D');
    await refresh();
    expect(await actions(c.id, 'checkpoint.reached')).toHaveLength(0);
    expect((await settle(hana().POST('/v1/complaints/{id}/clock', { params: { path: { id: c.id } }, body: { action: 'resume', reason: 'statements received' } }))).status).toBe(200);
    await api.pump();
    const after = await pending(c.id);
    expect(after.map((t) => t.name).sort()).toEqual(before.map((t) => t.name).sort());
    for (const t of after) {
      const shift = Date.parse(t.at) - Date.parse(before.find((b) => b.name === t.name)!.at);
      expect(shift).toBeGreaterThanOrEqual(3 * 86_400_000);
    }
  });

  it('a case logged after its checkpoints passed reaches them at once, in order', async () => {
    const receivedAt = new Date(Date.parse(await api.now()) - 12 * 86_400_000).toISOString();
    const c = await open({ regime: 'US_CFPB', receivedAt });
    await api.pump();
    expect((await actions(c.id, 'checkpoint.reached')).map((e) => e.data.percent)).toEqual([50, 75]);
    expect((await get(c.id)).risk).toBe('at_risk');
    expect((await pending(c.id)).map((t) => t.percent).sort()).toEqual([100, 90]);
  });

  it('an acknowledgement deadline that passes is audited once; acknowledging first cancels it', async () => {
    const late = await open({ regime: 'UK_FCA_PSD' });
    const prompt = await open({ regime: 'UK_FCA_PSD' });
    await api.pump();
    expect((await pending(prompt.id)).map((t) => t.name)).toContain(`${prompt.id}-1-ack`);
    expect((await settle(hana().POST('/v1/complaints/{id}/acknowledgement', { params: { path: { id: prompt.id } }, body: {} }))).status).toBe(200);
    await api.pump();
    expect((await pending(prompt.id)).map((t) => t.name)).not.toContain(`${prompt.id}-1-ack`);
    // An hour past the late case's own deadline: 5 business days are 7 calendar days in most weeks but 12 from
    // 23 December (Christmas, Boxing Day, their substitutes and New Year's Day), so no fixed advance fits every run date.
    const now = await api.now();
    const dueInS = Math.ceil((Date.parse(late.acknowledgementDueAt) - Date.parse(now)) / 1000);
    expect(dueInS).toBeGreaterThan(0);
    await api.advanceClock(`PT${dueInS + 3600}S`);
    await refresh();
    expect(await actions(late.id, 'acknowledgement.overdue')).toHaveLength(1);
    expect(await actions(prompt.id, 'acknowledgement.overdue')).toHaveLength(0);
    expect(eventsOf(late.id).map((e) => e.type)).toContain('AcknowledgementOverdue');
  });
});

describe('blocked dependencies', () => {
  it('a task blocked past the threshold raises the case to at_risk and emits DependencyBlocked once', async () => {
    const c = await open({ regime: 'UK_FCA_DISP' });
    const task = await settle(hana().POST('/v1/complaints/{id}/tasks', { params: { path: { id: c.id } }, body: { title: 'Courier logs', team: 'logistics' } }));
    expect(task.status).toBe(201);
    const taskId = task.body.id as string;
    const block = await settle(hana().PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id: c.id, taskId } }, body: { status: 'blocked', blockedReason: 'courier has not sent the logs' } }));
    expect(block.status).toBe(200);
    await api.pump();
    expect((await pending(c.id)).map((t) => t.name)).toContain(`${c.id}-1-dep-${taskId}`);
    await api.advanceClock('PT23H');
    await refresh();
    expect((await get(c.id)).risk).toBe('on_track');
    await api.advanceClock('PT2H');
    await refresh();
    expect((await get(c.id)).risk).toBe('at_risk');
    expect(await listIds('at_risk')).toContain(c.id);
    const [raised, ...more] = await actions(c.id, 'dependency.blocked');
    expect(more).toHaveLength(0);
    expect(raised?.data).toMatchObject({ taskId, risk: { from: 'on_track', to: 'at_risk' } });
    expect(eventsOf(c.id).map((e) => e.type)).toContain('DependencyBlocked');
    // Unblocking clears the raise.
    expect((await settle(hana().PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id: c.id, taskId } }, body: { status: 'open' } }))).status).toBe(200);
    expect((await get(c.id)).risk).toBe('on_track');
  });

  it('a bad timer payload is refused (Scheduler retries it, then dead-letters it)', async () => {
    await expect(deliver({ name: 'x', caseId: 'nope' } as unknown as Timer)).rejects.toThrow(/not a case timer/);
    // Raw: POST /local/clock is a local-only route, outside the contract (and api.advanceClock throws on a refusal).
    expectProblem(await api.raw('POST', '/local/clock', { body: { advanceBy: 'P1M' } }), 400);
  });
});
