// POST /v1/complaints/{id}/clock: pause/resume where the regime allows it, extension where it has a fixed
// extended deadline, each audited on the hash chain; 409 where the regime or the case state forbids it.
import { computeDeadline } from '#domain/deadlines';
import { getRegime } from '#domain/regimes';
import type { components } from '@complaints/client';
import { settle, startTestApi, validComplaint, type TestApi } from '../support/api';
import { clockNowMs } from '../support/clock';

let api: TestApi;
let intake: string;
let supervisor: string;
let alice: string;
let bob: string;

const signIn = async () => {
  intake = await api.token('web-form', ['intake']);
  supervisor = await api.token('sam', ['supervisor']);
  alice = await api.token('alice', ['handler']);
  bob = await api.token('bob', ['handler']);
};

beforeAll(async () => {
  api = await startTestApi();
  await signIn();
});
afterAll(() => api.close());

const open = async (regime: string) => {
  const res = await settle(api.client(intake).POST('/v1/complaints', { body: validComplaint({ regime, ownerId: 'alice' }) }));
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number; receivedAt: string; finalResponseDueAt: string; checkpoints: { percent: number; at: string }[] };
};

const clock = (id: string, body: components['schemas']['ClockAction'], opts: { token?: string; ifMatch?: string } = {}) =>
  settle(api.client(opts.token ?? alice).POST('/v1/complaints/{id}/clock', { params: { path: { id }, ...(opts.ifMatch ? { header: { 'If-Match': opts.ifMatch } } : {}) }, body }));

const timeline = async (id: string) => {
  const res = await settle(api.client(supervisor).GET('/v1/complaints/{id}/timeline', { params: { path: { id } } }));
  expect(res.status).toBe(200);
  expect(res.body.chain.valid).toBe(true);
  expect(res.body.chain.head).toBe(res.body.items.at(-1).hash);
  return res.body.items as { action: string; data: Record<string, unknown> }[];
};

const JUSTIFICATION = 'Card scheme chargeback evidence is outside our control and overdue';

describe('pause and resume (INTERNAL_STANDARD)', () => {
  it('pauses, refuses a second pause, and on resume shifts the due date and every pending checkpoint by the paused time', async () => {
    const c = await open('INTERNAL_STANDARD');
    const paused = await clock(c.id, { action: 'pause', reason: '  Waiting for the customer’s bank statements  ' });
    expect(paused.status).toBe(200);
    expect(paused.headers.get('etag')).toBe('"2"');
    expect(paused.body.clock.pausedAt).toBeDefined();
    expect(paused.body.clock.pauseReason).toBe('Waiting for the customer’s bank statements');
    expect(paused.body.finalResponseDueAt).toBe(c.finalResponseDueAt);

    const twice = await clock(c.id, { action: 'pause', reason: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    await api.advanceClock('P3DT4H');
    await signIn(); // tokens live an hour on the same clock

    const resumed = await clock(c.id, { action: 'resume', reason: 'Statements received' }, { token: supervisor });
    expect(resumed.status).toBe(200);
    expect(resumed.body.clock.pausedAt).toBeUndefined();
    const events = await timeline(c.id);
    const resumedAt = events.at(-1)!.data.resumedAt as string;
    // The local clock also runs in real time: the pause lasted the advance plus the test's own milliseconds.
    const pausedMs = Date.parse(resumedAt) - Date.parse(paused.body.clock.pausedAt);
    expect(pausedMs).toBeGreaterThanOrEqual(76 * 3_600_000);
    expect(pausedMs).toBeLessThan(76 * 3_600_000 + 60_000);
    expect(resumed.body.clock.pausedMs).toBe(pausedMs);
    // INTERNAL_STANDARD counts calendar days: the due date moves by exactly the elapsed paused time.
    expect(Date.parse(resumed.body.finalResponseDueAt) - Date.parse(c.finalResponseDueAt)).toBe(pausedMs);
    expect(resumed.body.cycles.at(-1).dueAt).toBe(resumed.body.finalResponseDueAt);
    resumed.body.checkpoints.forEach((k: { percent: number; at: string }, i: number) => {
      expect(k.percent).toBe(c.checkpoints[i]!.percent);
      expect(Date.parse(k.at) - Date.parse(c.checkpoints[i]!.at)).toBe(pausedMs);
    });

    expect(events.map((e) => e.action)).toEqual(['complaint.received', 'owner.assigned', 'clock.paused', 'clock.resumed']);
    expect(events[2]!.data).toMatchObject({ reason: 'Waiting for the customer’s bank statements' });
    expect(events[3]!.data).toMatchObject({ reason: 'Statements received', pausedFor: expect.stringMatching(/^PT76H/), pausedForMs: pausedMs, finalResponseDueAt: { from: c.finalResponseDueAt, to: resumed.body.finalResponseDueAt } });
  });

  it('answers 409 to resume without a pause', async () => {
    const c = await open('INTERNAL_STANDARD');
    const res = await clock(c.id, { action: 'resume', reason: 'Nothing to resume' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/not paused/);
  });

  it('answers 409 to a pause on a regime that forbids it, naming the regime', async () => {
    const c = await open('UK_FCA_DISP');
    const res = await clock(c.id, { action: 'pause', reason: 'Waiting for the customer' });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toMatch(/UK_FCA_DISP/);
    expect(res.body.regime).toBe('UK_FCA_DISP');
  });
});

describe('extension', () => {
  it('extends UK_FCA_PSD from 15 to 35 business days, once, and audits the justification', async () => {
    const c = await open('UK_FCA_PSD');
    const psd = getRegime('UK_FCA_PSD');
    expect(c.finalResponseDueAt).toBe(computeDeadline(psd, c.receivedAt).dueAt);
    const extended = await clock(c.id, { action: 'extend', reason: JUSTIFICATION });
    expect(extended.status).toBe(200);
    const want = computeDeadline(psd, c.receivedAt, { extended: true });
    expect(extended.body.finalResponseDueAt).toBe(want.dueAt);
    expect(Date.parse(extended.body.finalResponseDueAt)).toBeGreaterThan(Date.parse(c.finalResponseDueAt));
    expect(extended.body.checkpoints).toEqual(want.checkpoints);
    expect(extended.body.cycles.at(-1).dueAt).toBe(want.dueAt);
    expect(extended.body.clock).toMatchObject({ clockId: 'extended_final_response', amount: 35, unit: 'business_days', extensionReason: JUSTIFICATION });
    expect(extended.body.clock.extendedAt).toBeDefined();

    const again = await clock(c.id, { action: 'extend', reason: JUSTIFICATION });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/once per cycle/);

    const events = await timeline(c.id);
    expect(events.map((e) => e.action)).toEqual(['complaint.received', 'owner.assigned', 'clock.extended']);
    expect(events[2]!.data).toMatchObject({ justification: JUSTIFICATION, from: c.finalResponseDueAt, to: want.dueAt, amount: 35, unit: 'business_days', citation: 'DISP 1.6.2AR(2)' });
  });

  it('answers 409 to an extension on UK_FCA_DISP, naming the regime', async () => {
    const c = await open('UK_FCA_DISP');
    const res = await clock(c.id, { action: 'extend', reason: JUSTIFICATION });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/UK_FCA_DISP/);
  });

  it('answers 400 to an extension whose justification is shorter than 20 characters', async () => {
    const c = await open('UK_FCA_PSD');
    const res = await clock(c.id, { action: 'extend', reason: '  too short  ' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toMatch(/reason/);
  });
});

describe('access and concurrency', () => {
  it('answers 403 to a handler who does not own the case', async () => {
    const c = await open('INTERNAL_STANDARD');
    const res = await clock(c.id, { action: 'pause', reason: 'Waiting for the customer' }, { token: bob });
    expect(res.status).toBe(403);
  });

  it('answers 412 to a stale If-Match and applies a current one', async () => {
    const c = await open('UK_FCA_PSD');
    const stale = await clock(c.id, { action: 'extend', reason: JUSTIFICATION }, { ifMatch: '"0"' });
    expect(stale.status).toBe(412);
    const ok = await clock(c.id, { action: 'extend', reason: JUSTIFICATION }, { ifMatch: `"${c.version}"` });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(c.version + 1);
  });

  it('rejects an unknown action and a missing reason with 400 naming the field', async () => {
    const c = await open('INTERNAL_STANDARD');
    // Raw: an action outside the enum and a pause without its reason are outside the contract; the typed client cannot send them.
    const clockRaw = (body: unknown) => api.raw('POST', `/v1/complaints/${c.id}/clock`, { token: alice, body });
    expect((await clockRaw({ action: 'stop', reason: 'x' })).status).toBe(400);
    const noReason = await clockRaw({ action: 'pause' });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body.errors)).toMatch(/reason/);
  });
});

describe('receivedAt bound', () => {
  it('answers 400 naming body.receivedAt when receipt lies beyond twice the regime’s window', async () => {
    const old = new Date(clockNowMs() - 200 * 86_400_000).toISOString();
    const res = await settle(api.client(intake).POST('/v1/complaints', { body: validComplaint({ regime: 'UK_FCA_DISP', receivedAt: old }) }));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('body.receivedAt');
  });
});
