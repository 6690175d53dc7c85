// Issue 25, finding 1 (never a silent loss): once a raw message is stored, any later failure of the email intake ends
// in a recorded rejection that staff list and replay. POST /v1/intake/rejections/{id}/replay is admin-only and
// idempotent: replaying twice (or twice at once) yields one case, and the rejection is marked replayed with that case.
import { expectProblem, localClock, settle, startTestApi, type TestApi } from '../support/api';
import { inboundKey, objectCreated, rawEmail, rawMailStore, storedRejection } from '../support/inbound';

jest.setTimeout(120_000);

let api: TestApi;
let admin: string;
let supervisor: string;
let seq = 0;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.token('ops-admin', ['admin']);
  supervisor = await api.token('ops-supervisor', ['supervisor']);
});
afterAll(() => api.close());

const now = () => new Date(localClock.nowMs()).toISOString();
const replay = (id: string, token = admin) => settle(api.client(token).POST('/v1/intake/rejections/{id}/replay', { params: { path: { id } } }));
const rejectionsOf = async (day: string) => (await settle(api.client(admin).GET('/v1/intake/rejections', { params: { query: { day, limit: 100 } } }))).body.items as { id: string; reason: string; replay?: { caseId: string; reference: string; outcome: string; by: string } }[];
const message = (subject: string) => rawEmail({ from: `Rita Replay <rita.${++seq}@example.com>`, subject, text: 'My card was declined at the till three times this week.' });

describe('a failure after the raw message is stored', () => {
  it('ends in a recorded intake_failed rejection (never a thrown error, a dead letter or a lost complaint), which a replay turns into its case', async () => {
    // SES has announced the object, but reading it fails (here: it is not readable yet): the intake itself fails.
    const at = now();
    const key = inboundKey(at.slice(0, 10));
    const raw = message('Declined card, formal complaint');
    const out = await objectCreated(key, raw.length, at);
    expect(out).toMatchObject({ outcome: 'rejected', rejection: { reason: 'intake_failed', objectKey: key, sizeBytes: raw.length } });
    const rejection = (out as { rejection: { id: string; receivedAt: string } }).rejection;
    expect((await rejectionsOf(rejection.receivedAt.slice(0, 10))).find((r) => r.id === rejection.id)).toMatchObject({ reason: 'intake_failed' });

    // The fault clears (the message is readable); staff replay the rejection.
    await rawMailStore(api).put(key, raw);
    const replayed = await replay(rejection.id);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ outcome: 'replayed', caseId: expect.any(String), rejection: { id: rejection.id, replay: { outcome: 'created', by: 'ops-admin' } } });
    expect(replayed.headers.get('location')).toBe(`/v1/complaints/${replayed.body.caseId as string}`);
    const c = await settle(api.client(supervisor).GET('/v1/complaints/{id}', { params: { path: { id: replayed.body.caseId as string } } }));
    expect(c.body).toMatchObject({ channel: 'email', summary: 'Declined card, formal complaint', reference: replayed.body.reference });
    expect((await rejectionsOf(rejection.receivedAt.slice(0, 10))).find((r) => r.id === rejection.id)?.replay).toMatchObject({ caseId: replayed.body.caseId, reference: replayed.body.reference });
  });
});

describe('a replay with nothing to replay', () => {
  it('answers 410 with a reason (never a 500) when the stored message is gone, and the rejection stays as it was', async () => {
    const at = now();
    const key = inboundKey(at.slice(0, 10));
    const out = await objectCreated(key, 1234, at);
    expect(out).toMatchObject({ outcome: 'rejected', rejection: { reason: 'intake_failed', objectKey: key } });
    const rejection = (out as { rejection: { id: string; receivedAt: string } }).rejection;
    const res = await replay(rejection.id);
    expectProblem(res, 410);
    expect(String(res.body.detail)).toContain('no longer in the inbound mail store');
    expect((await rejectionsOf(rejection.receivedAt.slice(0, 10))).find((r) => r.id === rejection.id)?.replay).toBeUndefined();
  });
});

describe('POST /v1/intake/rejections/{id}/replay', () => {
  it('is idempotent: a second replay answers the same case (already_replayed) and opens nothing', async () => {
    const r = await storedRejection(api, message('Replay me twice'));
    const first = await replay(r.id);
    expect(first.status).toBe(200);
    const second = await replay(r.id);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ outcome: 'already_replayed', caseId: first.body.caseId, reference: first.body.reference });
  });

  it('two concurrent replays yield one case, and the rejection records it once', async () => {
    const r = await storedRejection(api, message('Replay me concurrently'));
    const [a, b] = await Promise.all([replay(r.id), replay(r.id)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.caseId).toBe(b.body.caseId);
    const listed = (await rejectionsOf(r.receivedAt.slice(0, 10))).find((x) => x.id === r.id);
    expect(listed?.replay?.caseId).toBe(a.body.caseId);
  });

  it('a message that is still refused answers 409 with the reason, and the rejection stays open for a later replay', async () => {
    // Raw: the local stand-in for SES receipt (a local-only route, outside the contract) takes the message as it arrived.
    const res = await api.raw('POST', '/local/inbound-email', { rawBody: Buffer.from('To: complaints@example.org\r\nSubject: nobody sent this\r\n\r\nNo sender.\r\n'), headers: { 'content-type': 'message/rfc822' } });
    expect(res.status).toBe(422);
    const id = res.body.rejection.id as string;
    const again = await replay(id);
    expectProblem(again, 409);
    expect(again.body.detail).toBe(`the message is still refused (malformed): no From header`);
    expect((await rejectionsOf((res.body.rejection.receivedAt as string).slice(0, 10))).find((x) => x.id === id)?.replay).toBeUndefined();
  });

  it('only an admin may replay (403 for a supervisor, 401 without a token); an unknown id is 404, a malformed one 400', async () => {
    const r = await storedRejection(api, message('Not yours to replay'));
    expectProblem(await replay(r.id, supervisor), 403);
    // Raw: without a token (the contract requires one).
    expectProblem(await api.raw('POST', `/v1/intake/rejections/${r.id}/replay`), 401);
    expectProblem(await replay('01JBZZZZZZZZZZZZZZZZZZZZZZ'), 404);
    expectProblem(await replay('constructor'), 400);
    expect((await rejectionsOf(r.receivedAt.slice(0, 10))).find((x) => x.id === r.id)?.replay).toBeUndefined();
  });
});
