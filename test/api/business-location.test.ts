// Calendars per case, holding letters from the case and the RG 271 informal close, over HTTP on the local stack: the
// business location chooses the holiday calendar (validated against the regime's), a change recounts the running
// cycle and its pending timers follow through the deadline control; a holding letter needs its reason and date.
import { computeDeadline } from '#domain/deadlines';
import { atLocation, getRegime } from '#domain/regimes';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

let api: TestApi;
let handler: string;
let supervisor: string;

beforeAll(async () => {
  api = await startTestApi();
  handler = await api.token('hana', ['handler']);
  supervisor = await api.token('sam', ['supervisor']);
});
afterAll(() => api.close());

interface CaseBody {
  id: string;
  version: number;
  calendar?: string;
  receivedAt: string;
  acknowledgementDueAt: string;
  finalResponseDueAt: string;
  checkpoints: { percent: number; at: string }[];
  clock: { calendar: string | null; timeZone: string };
}

const open = async (over: Record<string, unknown> = {}): Promise<CaseBody> => {
  const res = await settle(api.client(handler).POST('/v1/complaints', { body: validComplaint({ ownerId: 'hana', ...over }) }));
  expect(res.status).toBe(201);
  return res.body as CaseBody;
};
const pending = async (caseId: string) => (await api.stack.scheduler.pending()).filter((t) => t.caseId === caseId);
const timeline = async (id: string) => ((await settle(api.client(handler).GET('/v1/complaints/{id}/timeline', { params: { path: { id } } }))).body as { items: { action: string; data: Record<string, unknown> }[]; chain: { valid: boolean } });

describe('the business location chooses the calendar of a case', () => {
  it('opens on the location’s calendar; an unknown or foreign calendar is a 400 naming body.calendar', async () => {
    const c = await open({ regime: 'AU_ASIC_RG271', calendar: 'AU-WA', allegedLoss: { amount: '180.00', currency: 'AUD' } });
    expect(c.calendar).toBe('AU-WA');
    expect(c.clock).toMatchObject({ calendar: 'AU-WA', timeZone: 'Australia/Perth' });
    const want = computeDeadline(atLocation(getRegime('AU_ASIC_RG271'), 'AU-WA'), c.receivedAt);
    expect(c.acknowledgementDueAt).toBe(want.acknowledgementDueAt);

    const foreign = await settle(api.client(handler).POST('/v1/complaints', { body: validComplaint({ regime: 'AU_ASIC_RG271', calendar: 'GB-SCT' }) }));
    expectProblem(foreign, 400);
    expect(foreign.body.errors).toEqual([expect.objectContaining({ field: 'body.calendar', message: expect.stringContaining('AU-NSW') })]);
    expectProblem(await settle(api.client(handler).POST('/v1/complaints', { body: validComplaint({ calendar: 'constructor' }) })), 400);
    expectProblem(await settle(api.client(handler).POST('/v1/complaints', { body: validComplaint({ calendar: '__proto__' }) })), 400);
  });

  it('a change of location recounts the running cycle and moves its pending timers (NSW → WA: the acknowledgement ends at 17:00 Perth time)', async () => {
    const c = await open({ regime: 'AU_ASIC_RG271', allegedLoss: { amount: '180.00', currency: 'AUD' } });
    await api.pump();
    const nsw = computeDeadline(getRegime('AU_ASIC_RG271'), c.receivedAt);
    const wa = computeDeadline(atLocation(getRegime('AU_ASIC_RG271'), 'AU-WA'), c.receivedAt);
    expect(wa.acknowledgementDueAt).not.toBe(nsw.acknowledgementDueAt);
    expect((await pending(c.id)).find((t) => t.kind === 'acknowledgement')?.at).toBe(nsw.acknowledgementDueAt);

    const moved = await settle(api.client(handler).PATCH('/v1/complaints/{id}', { params: { path: { id: c.id }, header: { 'If-Match': String(c.version) } }, body: { calendar: 'AU-WA', reason: 'Serviced by the Perth office' } }));
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ calendar: 'AU-WA', acknowledgementDueAt: wa.acknowledgementDueAt, finalResponseDueAt: wa.dueAt, clock: { calendar: 'AU-WA', timeZone: 'Australia/Perth' } });
    await api.pump();
    const timers = await pending(c.id);
    expect(timers.find((t) => t.kind === 'acknowledgement')?.at).toBe(wa.acknowledgementDueAt);
    for (const cp of wa.checkpoints) expect(timers.find((t) => t.kind === 'checkpoint' && t.percent === cp.percent)?.at).toBe(cp.at);

    const tl = await timeline(c.id);
    expect(tl.chain.valid).toBe(true);
    expect(tl.items.find((e) => e.action === 'clock.recounted')?.data).toMatchObject({ calendar: { from: 'AU-NSW', to: 'AU-WA' }, reason: 'Serviced by the Perth office', acknowledgementDueAt: wa.acknowledgementDueAt });

    // The same calendar again is a 409; one the regime does not offer a 400; a stale version a 412.
    const ifMatch = String(moved.body.version);
    const again = await settle(api.client(handler).PATCH('/v1/complaints/{id}', { params: { path: { id: c.id }, header: { 'If-Match': ifMatch } }, body: { calendar: 'AU-WA', reason: 'again' } }));
    expectProblem(again, 409);
    expectProblem(await settle(api.client(handler).PATCH('/v1/complaints/{id}', { params: { path: { id: c.id }, header: { 'If-Match': ifMatch } }, body: { calendar: 'GB-ENG', reason: 'wrong country' } })), 400);
    // A move may put a deadline later (another location's holidays), so it must say why.
    const silent = await settle(api.client(handler).PATCH('/v1/complaints/{id}', { params: { path: { id: c.id }, header: { 'If-Match': ifMatch } }, body: { calendar: 'AU-QLD' } }));
    expectProblem(silent, 400);
    expect(silent.body.errors).toEqual([expect.objectContaining({ field: 'body.reason' })]);
    expectProblem(await settle(api.client(handler).PATCH('/v1/complaints/{id}', { params: { path: { id: c.id }, header: { 'If-Match': String(c.version) } }, body: { calendar: 'AU-QLD', reason: 'Brisbane office' } })), 412);
  });

  it('a UK case in Scotland counts on the Scottish calendar (the regime’s calendar is the default)', async () => {
    const eng = await open({ regime: 'UK_FCA_PSD' });
    const sct = await open({ regime: 'UK_FCA_PSD', calendar: 'GB-SCT' });
    expect(eng.clock.calendar).toBe('GB-ENG');
    expect(sct.finalResponseDueAt).toBe(computeDeadline(atLocation(getRegime('UK_FCA_PSD'), 'GB-SCT'), sct.receivedAt).dueAt);
  });
});

describe('holding letters state the reason and the expected date recorded on the case', () => {
  it('409 until the delay is recorded (POST …/clock {action: delay}); then the letter states both, audited', async () => {
    const c = await open();
    const before = await settle(api.client(handler).GET('/v1/complaints/{id}/letters/{kind}', { params: { path: { id: c.id, kind: 'holding' } } }));
    expectProblem(before, 409);
    expect(before.body.detail).toContain('action: "delay"');

    const now = await api.now();
    const expectedBy = new Date(Date.parse(now) + 20 * 86_400_000).toISOString().slice(0, 10);
    const past = await settle(api.client(handler).POST('/v1/complaints/{id}/clock', { params: { path: { id: c.id } }, body: { action: 'delay', reason: 'x', expectedBy: '2020-01-01' } }));
    expectProblem(past, 400);
    // A delay without its expectedBy: the typed client cannot send it.
    expectProblem(await api.raw('POST', `/v1/complaints/${c.id}/clock`, { token: handler, body: { action: 'delay', reason: 'We are waiting for the carrier’s records' } }), 400);
    const recorded = await settle(api.client(handler).POST('/v1/complaints/{id}/clock', { params: { path: { id: c.id } }, body: { action: 'delay', reason: 'We are waiting for the carrier’s delivery records.', expectedBy } }));
    expect(recorded.status).toBe(200);
    expect(recorded.body.clock.delay).toMatchObject({ reason: 'We are waiting for the carrier’s delivery records.', expectedBy, by: 'hana' });

    const letter = await settle(api.client(handler).GET('/v1/complaints/{id}/letters/{kind}', { params: { path: { id: c.id, kind: 'holding' } } }));
    expect(letter.status).toBe(200);
    expect(letter.body.text).toContain('We are not yet in a position to send you our final response because: We are waiting for the carrier’s delivery records.');
    expect(letter.body.text).toMatch(/We expect to be able to send you our final response by \d{1,2} [A-Z][a-z]+ \d{4}\./);
    expect(letter.body.rules).toEqual([expect.objectContaining({ id: 'UK.DISP.1.6.2R-2', version: '2026-06-01' })]);
    expect((await timeline(c.id)).items.map((e) => e.action)).toContain('clock.delay_recorded');
  });

  it('a PSD holding reply needs the extension first, then states its recorded reasons', async () => {
    const c = await open({ regime: 'UK_FCA_PSD' });
    expectProblem(await settle(api.client(handler).GET('/v1/complaints/{id}/letters/{kind}', { params: { path: { id: c.id, kind: 'holding' } } })), 409);
    const why = 'The card scheme has not returned the chargeback evidence';
    expect((await settle(api.client(handler).POST('/v1/complaints/{id}/clock', { params: { path: { id: c.id } }, body: { action: 'extend', reason: why } }))).status).toBe(200);
    const letter = await settle(api.client(handler).GET('/v1/complaints/{id}/letters/{kind}', { params: { path: { id: c.id, kind: 'holding' } } }));
    expect(letter.status).toBe(200);
    expect(letter.body.text).toContain(`The reasons for the delay are: ${why}`);
  });
});

describe('RG 271: resolved to the complainant’s satisfaction within 5 business days, closed without a written response', () => {
  it('closes, records and audits the path; a UK case or a requested written response is a 409', async () => {
    const c = await open({ regime: 'AU_ASIC_RG271', allegedLoss: { amount: '180.00', currency: 'AUD' } });
    const now = await api.now();
    const body = {
      followUpAction: 'Refund the duplicate debit',
      rootCause: { category: 'billing', description: 'Duplicate direct debit' },
      informalResolution: { resolvedAt: now, writtenResponseRequested: false, note: 'Confirmed by phone with the customer' },
    };
    const asked = await settle(api.client(handler).POST('/v1/complaints/{id}/close', { params: { path: { id: c.id } }, body: { ...body, informalResolution: { ...body.informalResolution, writtenResponseRequested: true } } }));
    expectProblem(asked, 409);
    const closed = await settle(api.client(handler).POST('/v1/complaints/{id}/close', { params: { path: { id: c.id } }, body: body }));
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', informalResolution: { writtenResponseRequested: false } });
    const event = (await timeline(c.id)).items.find((e) => e.action === 'complaint.closed');
    expect(event?.data).toMatchObject({ writtenResponse: 'not_required', rule: 'AU.RG271.INFORMAL-5BD' });

    const uk = await open();
    expectProblem(await settle(api.client(supervisor).POST('/v1/complaints/{id}/close', { params: { path: { id: uk.id } }, body: body })), 409);
  });
});
