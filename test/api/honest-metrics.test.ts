// Honest metrics over HTTP (issue 32 item 4): spam and duplicate marking (supervisor, four eyes, If-Match, audited,
// reversible), closures that are not resolutions, and the KPIs (JSON and CSV) read from the projection's counters.
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

jest.setTimeout(300_000);

const REPORTING = { productGroups: { delivery: ['home-delivery'] }, businessUnits: { logistics: { productGroups: ['delivery'], customers: 20_000, accounts: 25_000 } } };
const UNKNOWN_ULID = '01JZZZZZZZZZZZZZZZZZZZZZZZ';

let api: TestApi;
let sam: string; // supervisor, owns nothing here
let sue: string; // supervisor who owns a case
let olive: string; // handler, owner of most cases
let compliance: string;

const open = async (ownerId: string, over: Record<string, unknown> = {}): Promise<{ id: string; version: number }> => {
  const res = await settle(api.client(sam).POST('/v1/complaints', { body: validComplaint({ ownerId, ...over }) }));
  expect(res.status).toBe(201);
  return { id: res.body.id as string, version: res.body.version as number };
};
const today = async (): Promise<string> => (await api.now()).slice(0, 10);
const kpis = async () => {
  await api.pump();
  const d = await today();
  const res = await settle(api.client(sam).GET('/v1/reports/kpis', { params: { query: { from: d, to: d } } }));
  expect(res.status).toBe(200);
  return res.body;
};

beforeAll(async () => {
  api = await startTestApi({ REPORTING: JSON.stringify(REPORTING) }, { reports: true });
  sam = await api.token('sam', ['supervisor']);
  sue = await api.token('sue', ['supervisor']);
  olive = await api.token('olive', ['handler']);
  compliance = await api.token('cora', ['compliance']);
});
afterAll(() => api.close());

describe('marking spam and duplicates', () => {
  it('marked cases leave the KPIs and the return, stay readable, and count again when unmarked', async () => {
    const before = (await kpis()).totals;
    const original = await open('olive');
    const spam = await open('olive');
    const dup = await open('olive');

    const marked = await settle(api.client(sam).POST('/v1/complaints/{id}/spam', { params: { path: { id: spam.id }, header: { 'If-Match': `"${spam.version}"` } }, body: { reason: 'Automated mailer' } }));
    expect(marked.status).toBe(200);
    expect(marked.body.marking).toMatchObject({ kind: 'spam', reason: 'Automated mailer', by: 'sam' });
    expect(marked.headers.get('etag')).toBe(`"${spam.version + 1}"`);
    const dupRes = await settle(api.client(sam).POST('/v1/complaints/{id}/duplicate-of', { params: { path: { id: dup.id } }, body: { caseId: original.id, reason: 'Same email twice' } }));
    expect(dupRes.status).toBe(200);
    expect(dupRes.body.marking).toMatchObject({ kind: 'duplicate', duplicateOf: { caseId: original.id } });

    const k = (await kpis()).totals;
    expect(k.received - before.received).toBe(1);
    expect(k.marked.spam - before.marked.spam).toBe(1);
    expect(k.marked.duplicate - before.marked.duplicate).toBe(1);

    // Still visible (to the owner, in lists) and exportable.
    expect((await settle(api.client(olive).GET('/v1/complaints/{id}', { params: { path: { id: spam.id } } }))).body.marking.kind).toBe('spam');
    const mine = await settle(api.client(olive).GET('/v1/complaints', { params: { query: { owner: 'me', limit: 100 } } }));
    expect((mine.body.items as { id: string }[]).map((c) => c.id)).toEqual(expect.arrayContaining([spam.id, dup.id]));
    expect((await settle(api.client(compliance).POST('/v1/complaints/{id}/exports', { params: { path: { id: dup.id } } }))).status).toBe(202);

    // The audit trail names who, why and the rule.
    const timeline = await settle(api.client(sam).GET('/v1/complaints/{id}/timeline', { params: { path: { id: spam.id } } }));
    expect(timeline.body.chain.valid).toBe(true);
    expect(timeline.body.items.at(-1)).toMatchObject({ actor: 'sam', action: 'complaint.marked', data: { kind: 'spam', rule: 'HM.DISP.COMPLAINT' } });

    // Reversible: unmarked, it counts again.
    const back = await settle(api.client(sam).POST('/v1/complaints/{id}/unmark', { params: { path: { id: spam.id } }, body: { reason: 'A real customer after all' } }));
    expect(back.status).toBe(200);
    expect(back.body.marking).toBeUndefined();
    const after = (await kpis()).totals;
    expect(after.received - before.received).toBe(2);
    expect(after.marked.spam - before.marked.spam).toBe(0);
  });

  it('abuse: the owner cannot mark their own case (even as a supervisor), nor can a handler', async () => {
    const own = await open('sue');
    expectProblem(await settle(api.client(sue).POST('/v1/complaints/{id}/spam', { params: { path: { id: own.id } }, body: { reason: 'Dodging my figures' } })), 403);
    expectProblem(await settle(api.client(sue).POST('/v1/complaints/{id}/duplicate-of', { params: { path: { id: own.id } }, body: { caseId: (await open('olive')).id, reason: 'Dodging' } })), 403);
    const others = await open('olive');
    expectProblem(await settle(api.client(olive).POST('/v1/complaints/{id}/spam', { params: { path: { id: others.id } }, body: { reason: 'Not mine to mark' } })), 403);
    // Marked by another supervisor, the owner cannot unmark it either.
    expect((await settle(api.client(sam).POST('/v1/complaints/{id}/spam', { params: { path: { id: own.id } }, body: { reason: 'Bulk mailer' } }))).status).toBe(200);
    expectProblem(await settle(api.client(sue).POST('/v1/complaints/{id}/unmark', { params: { path: { id: own.id } }, body: { reason: 'Mine' } })), 403);
  });

  it('honours If-Match, refuses a second marking and guessed or invalid ids, and keeps property names as plain text', async () => {
    const c = await open('olive');
    expectProblem(await settle(api.client(sam).POST('/v1/complaints/{id}/spam', { params: { path: { id: c.id }, header: { 'If-Match': `"${c.version + 5}"` } }, body: { reason: 'x' } })), 412);
    expect((await settle(api.client(sam).POST('/v1/complaints/{id}/spam', { params: { path: { id: c.id } }, body: { reason: '__proto__' } }))).body.marking.reason).toBe('__proto__');
    const again = await settle(api.client(sam).POST('/v1/complaints/{id}/spam', { params: { path: { id: c.id } }, body: { reason: 'again' } }));
    expectProblem(again, 409);
    expect(again.body.marking).toBe('spam');
    expectProblem(await settle(api.client(sam).POST('/v1/complaints/{id}/spam', { params: { path: { id: UNKNOWN_ULID } }, body: { reason: 'guess' } })), 404);
    const d = await open('olive');
    const guessed = await settle(api.client(sam).POST('/v1/complaints/{id}/duplicate-of', { params: { path: { id: d.id } }, body: { caseId: UNKNOWN_ULID, reason: 'guess' } }));
    expectProblem(guessed, 400);
    expect(guessed.body.errors).toEqual([{ field: 'body.caseId', message: 'no such case' }]);
    expectProblem(await settle(api.client(sam).POST('/v1/complaints/{id}/duplicate-of', { params: { path: { id: d.id } }, body: { caseId: 'constructor', reason: 'constructor' } })), 400);
    expectProblem(await settle(api.client(sam).POST('/v1/complaints/{id}/duplicate-of', { params: { path: { id: d.id } }, body: { caseId: d.id, reason: 'itself' } })), 400);
    // A duplicate of a marked case would chain: name the counted one.
    const chained = await settle(api.client(sam).POST('/v1/complaints/{id}/duplicate-of', { params: { path: { id: d.id } }, body: { caseId: c.id, reason: 'chain' } }));
    expectProblem(chained, 409);
    expect(chained.body.original).toBe(c.id);
    // A body smuggling a prototype key is refused like any unknown field (strict schemas), and nothing is polluted.
    // A raw body: the typed client cannot send a __proto__ member.
    const smuggled = await api.raw('POST', `/v1/complaints/${d.id}/spam`, { token: sam, rawBody: '{"reason":"x","__proto__":{"polluted":true}}', headers: { 'content-type': 'application/json' } });
    expectProblem(smuggled, 400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('closures and the KPI figures', () => {
  it('withdrawn and closed-for-inactivity are not resolutions; first-contact resolution and the normalised volume are reported, in CSV too', async () => {
    const before = (await kpis()).totals;
    const c = await open('olive', { regime: 'INTERNAL_STANDARD' });
    const now = await api.now();
    const withdrawn = await settle(api.client(olive).POST('/v1/complaints/{id}/close', { params: { path: { id: c.id } }, body: { followUpAction: 'None needed', outcome: 'withdrawn', withdrawal: { at: now, channel: 'email', note: 'Customer asked to withdraw' } } }));
    expect(withdrawn.status).toBe(200);
    // An FCA case cannot be closed for inactivity before its final response: 409 naming the rule.
    const daysAgo = (n: number) => new Date(Date.parse(now) - n * 86_400_000).toISOString();
    const fca = await open('olive', { receivedAt: daysAgo(30) });
    const chase = { chases: [{ at: daysAgo(25), channel: 'email' as const, note: 'Asked for statements' }, { at: daysAgo(20), channel: 'phone' as const, note: 'No answer' }] };
    const refused = await settle(api.client(olive).POST('/v1/complaints/{id}/close', { params: { path: { id: fca.id } }, body: { followUpAction: 'None', outcome: 'closed_inactive', inactivity: chase } }));
    expectProblem(refused, 409);
    expect(refused.body.detail).toContain('send the final response before closing for inactivity');
    // A chase must be documented when the outcome says inactivity.
    expectProblem(await settle(api.client(olive).POST('/v1/complaints/{id}/close', { params: { path: { id: fca.id } }, body: { followUpAction: 'None', outcome: 'closed_inactive' } })), 400);

    const report = await kpis();
    expect(report.totals.withdrawn - before.withdrawn).toBe(1);
    expect(report.totals.closed - before.closed).toBe(1);
    expect(report.totals.resolved - before.resolved).toBe(0);
    expect(report.totals.firstContactResolution).toEqual(expect.objectContaining({ count: expect.any(Number), of: expect.any(Number) }));
    const unit = (report.normalised as { unit: string; received: number; per1000Customers: number }[]).find((u) => u.unit === 'logistics')!;
    expect(unit.received).toBe(report.totals.received);
    expect(unit.per1000Customers).toBe(Math.round((unit.received / 20_000) * 1000 * 100) / 100);

    const d = await today();
    const csv = await settle(api.client(sam).GET('/v1/reports/kpis', { params: { query: { from: d, to: d } }, headers: { accept: 'text/csv' }, parseAs: 'text' }));
    expect(csv.status).toBe(200);
    const [header, total] = csv.text.split('\r\n');
    const cols = header!.split(',');
    const values = total!.split(',');
    for (const col of ['resolved', 'closed_inactive', 'withdrawn', 'first_contact_resolution_rate', 'marked_spam', 'marked_duplicate']) expect(cols).toContain(col);
    expect(values[cols.indexOf('withdrawn')]).toBe(String(report.totals.withdrawn));
    expect(values[cols.indexOf('marked_spam')]).toBe(String(report.totals.marked.spam));
    expect(csv.text).toContain('business_unit,received,customers,accounts,per_1000_customers,per_1000_accounts');
  });
});
