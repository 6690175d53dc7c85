// The README tour and the case lifecycle, end to end over HTTP against the local stack.
import { DateTime } from 'luxon';
import { complaintBody, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
let intake: string;
let supervisor: string;
let alice: string;

beforeAll(async () => {
  api = await startTestApi();
  intake = await api.token('web-form', ['intake']);
  supervisor = await api.token('sam', ['supervisor']);
  alice = await api.token('alice', ['handler']);
});
afterAll(() => api.close());

describe('complaint lifecycle', () => {
  it('opens a case with a reference, a rule-assigned owner and a running clock', async () => {
    const res = await api.call('POST', '/v1/complaints', { token: intake, body: complaintBody() });
    expect(res.status).toBe(201);
    expect(res.body.reference).toMatch(/^CMP-\d{4}-\d{6}$/);
    expect(res.body.ownerId).toMatch(/^handler-\d$/);
    expect(res.body.status).toBe('open');
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('location')).toBe(`/v1/complaints/${res.body.id}`);
    // DISP 1.6.2R: eight weeks after receipt in UK wall-clock days (56 × 24 h, or an hour less/more across a BST change).
    const eightWeeks = DateTime.fromISO(res.body.receivedAt as string, { zone: 'Europe/London' }).plus({ weeks: 8 }).toMillis();
    expect(Date.parse(res.body.finalResponseDueAt)).toBe(eightWeeks);
    expect(Math.abs(eightWeeks - Date.parse(res.body.receivedAt) - 56 * 86_400_000)).toBeLessThanOrEqual(3_600_000);
    expect(Date.parse(res.body.acknowledgementDueAt)).toBeGreaterThan(Date.parse(res.body.receivedAt));
    expect(res.body.clock).toMatchObject({ clockId: 'final_response', amount: 8, unit: 'weeks', timeZone: 'Europe/London', calendar: 'GB-ENG' });
    expect(res.body.checkpoints.map((c: { percent: number }) => c.percent)).toEqual([50, 75, 90, 100]);
  });

  it('walks the tour: create → get → list → reassign → acknowledge → task → note → close → reopen → timeline', async () => {
    const created = await api.call('POST', '/v1/complaints', { token: intake, body: complaintBody() });
    const id = created.body.id as string;

    const got = await api.call('GET', `/v1/complaints/${id}`, { token: supervisor });
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(id);

    const listed = await api.call('GET', '/v1/complaints?limit=100', { token: supervisor });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(id);

    const moved = await api.call('POST', `/v1/complaints/${id}/owner`, {
      token: supervisor,
      body: { ownerId: 'alice', reason: 'Alice handles repeat delivery complaints' },
      headers: { 'if-match': got.headers.get('etag')! },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.ownerId).toBe('alice');
    expect(moved.body.handoffCount).toBe(1);
    expect(moved.body.handoffs[0]).toMatchObject({ to: 'alice', by: 'sam', reason: 'Alice handles repeat delivery complaints' });

    const mine = await api.call('GET', '/v1/complaints?owner=me', { token: alice });
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([id]);

    const ack = await api.call('POST', `/v1/complaints/${id}/acknowledgement`, { token: alice, body: {} });
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgedAt).toBeDefined();

    const task = await api.call('POST', `/v1/complaints/${id}/tasks`, { token: alice, body: { title: 'Pull delivery logs', team: 'operations' } });
    expect(task.status).toBe(201);
    const blocked = await api.call('PATCH', `/v1/complaints/${id}/tasks/${task.body.id}`, { token: alice, body: { status: 'blocked', blockedReason: 'Depot system outage' } });
    expect(blocked.body.blockedSince).toBeDefined();
    const done = await api.call('PATCH', `/v1/complaints/${id}/tasks/${task.body.id}`, { token: alice, body: { status: 'done', findings: 'Three failed slots' } });
    expect(done.body.status).toBe('done');

    const note = await api.call('POST', `/v1/complaints/${id}/notes`, { token: alice, body: { kind: 'call_note', body: 'Customer confirmed missed appointment.' } });
    expect(note.status).toBe(201);

    const noRootCause = await api.call('POST', `/v1/complaints/${id}/close`, { token: alice, body: { followUpAction: 'Review depot slots' } });
    expect(noRootCause.status).toBe(400);
    expect(noRootCause.body.errors[0].field).toBe('body.rootCause');

    const closed = await api.call('POST', `/v1/complaints/${id}/close`, {
      token: alice,
      body: { followUpAction: 'Review depot slot allocation', rootCause: { category: 'capacity', description: 'Depot overbooked slots' } },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');

    const closedAgain = await api.call('POST', `/v1/complaints/${id}/close`, { token: alice, body: { followUpAction: 'x', rootCause: { category: 'x', description: 'y' } } });
    expect(closedAgain.status).toBe(409);
    expect(closedAgain.body).toMatchObject({ currentStatus: "closed", action: "close" });

    await api.advanceClock('P3D');
    // Tokens live an hour on the same clock: three days later Alice signs in again.
    expect((await api.call('GET', `/v1/complaints/${id}`, { token: alice })).status).toBe(401);
    alice = await api.token('alice', ['handler']);
    supervisor = await api.token('sam', ['supervisor']);
    const reopened = await api.call('POST', `/v1/complaints/${id}/reopen`, { token: alice, body: { reason: 'Customer disputes the outcome' } });
    expect(reopened.status).toBe(200);
    expect(reopened.body.reopenCount).toBe(1);
    expect(reopened.body.cycles).toHaveLength(2);
    expect(Date.parse(reopened.body.finalResponseDueAt)).toBeGreaterThan(Date.parse(closed.body.finalResponseDueAt));

    const timeline = await api.call('GET', `/v1/complaints/${id}/timeline`, { token: supervisor });
    expect(timeline.status).toBe(200);
    expect(timeline.body.chain.valid).toBe(true);
    expect(timeline.body.items.map((e: { action: string }) => e.action)).toEqual([
      'complaint.received',
      'owner.assigned',
      'owner.changed',
      'acknowledgement.sent',
      'task.created',
      'task.updated',
      'task.updated',
      'note.added',
      'complaint.closed',
      'complaint.reopened',
    ]);
    expect(timeline.body.chain.head).toBe(timeline.body.items.at(-1).hash);
  });
});
