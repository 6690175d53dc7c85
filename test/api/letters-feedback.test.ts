// Letters and the satisfaction follow-up over HTTP against the local stack: previews per kind, the exact text sent
// kept as verified evidence, the follow-up fired by the clock 7 days after the final response, and the public,
// single-use feedback link (accepted once, then 410; expired 410; forged 401; bad score 400; throttled 429; concurrent
// submits: one wins) with satisfaction by category in the KPI report.
import { createHash } from 'node:crypto';
import type { Notification } from '#domain/domain-events';
import type { ComplaintsClient, components } from '@complaints/client';
import { settle, startTestApi, validComplaint, type TestApi } from '../support/api';

let api: TestApi;
// Tokens are signed against the local clock, which these tests move by weeks: each request gets a fresh one.
const as = async (sub: string, role: 'handler' | 'supervisor' | 'compliance' | 'legal') => api.client(await api.token(sub, [role]));

const MAX_ATTEMPTS = 3;
/** Short-lived links, so the expiry test moves the clock a little (every open case's timers fire as it moves). */
const LINK_DAYS = 8;

beforeAll(async () => {
  api = await startTestApi({ FEEDBACK_MAX_ATTEMPTS: String(MAX_ATTEMPTS), FEEDBACK_LINK_DAYS: String(LINK_DAYS) }, { reports: true });
});
afterAll(() => api.close());

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

const open = async (over: Record<string, unknown> = {}): Promise<string> => {
  const res = await settle((await as('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId: 'olive', ...over }) }));
  expect(res.status).toBe(201);
  return res.body.id as string;
};

const RESOLUTION: components['schemas']['ProposeResolution'] = {
  decision: 'partially_upheld',
  remedy: { description: 'We will re-deliver free of charge.', compensation: { amount: '20.00', currency: 'GBP' } },
  rootCause: { category: 'carrier_capacity', description: 'Carrier short of drivers' },
  finalResponse: 'We reviewed the delivery logs. The second delay was caused by our carrier.',
};

/** Opens, acknowledges and answers a case (no approval needed); the follow-up is then scheduled. */
const answeredCase = async (over: Record<string, unknown> = {}): Promise<string> => {
  const id = await open(over);
  expect((await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/acknowledgement', { params: { path: { id } }, body: {} }))).status).toBe(200);
  expect((await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/resolution', { params: { path: { id } }, body: RESOLUTION }))).status).toBe(201);
  const sent = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/final-response', { params: { path: { id } }, body: {} }));
  expect(sent.status).toBe(200);
  return id;
};

const feedbackLinks = (caseId: string): Notification[] => api.outbox.notifications.filter((n) => n.caseId === caseId && n.eventType === 'FeedbackRequested');
const tokenOf = (n: Notification): string => decodeURIComponent(/\/v1\/feedback\/([^\s]+)/.exec(n.text)![1]!);
// The customer's link is public: no bearer token.
const submit = (token: string, body: components['schemas']['Feedback']) => settle(api.client().POST('/v1/feedback/{token}', { params: { path: { token } }, body }));
const getCase = async (id: string) => (await settle((await as('sam', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id } } }))).body;
type LetterKind = components['schemas']['LetterPreview']['kind'];
const letter = async (id: string, kind: LetterKind, reader: Promise<ComplaintsClient> = as('olive', 'handler')) => settle((await reader).GET('/v1/complaints/{id}/letters/{kind}', { params: { path: { id, kind } } }));
const timelineOf = async (id: string, reader: Promise<ComplaintsClient> = as('olive', 'handler')) => (await settle((await reader).GET('/v1/complaints/{id}/timeline', { params: { path: { id } } }))).body;

describe('letter previews', () => {
  it('renders each kind for the case’s regime, for the owner, a supervisor and compliance only', async () => {
    const id = await open({ customer: { id: 'cust-9', name: 'Eve <b>Smith</b>', email: 'eve@example.com' } });
    // The holding letter states why the response is delayed and when it is expected (DISP 1.6.2R(2)(a)): recorded first.
    expect((await letter(id, 'holding')).status).toBe(409);
    const expectedBy = new Date(Date.parse(await api.now()) + 30 * 86_400_000).toISOString().slice(0, 10);
    const delay = { action: 'delay' as const, reason: 'We are waiting for the carrier’s delivery records.', expectedBy };
    expect((await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/clock', { params: { path: { id } }, body: delay }))).status).toBe(200);
    for (const kind of ['acknowledgement', 'holding', 'summary_resolution'] as const) {
      const res = await letter(id, kind);
      expect(res.status).toBe(200);
      // UK DISP has its own holding and summary-resolution wording; the acknowledgement is the common one.
      expect(res.body).toMatchObject({ caseId: id, kind, regime: 'UK_FCA_DISP', template: { id: kind === 'acknowledgement' ? 'acknowledgement/default' : `${kind}/uk_disp` } });
      expect(res.body.text).toContain('Dear Eve <b>Smith</b>,');
      expect(res.body.html).toContain('Dear Eve &lt;b&gt;Smith&lt;/b&gt;,');
      expect(res.body.mergeFields).toContain('case.reference');
    }
    expect((await letter(id, 'holding', as('cora', 'compliance'))).status).toBe(200);
    expect((await letter(id, 'holding', as('sam', 'supervisor'))).status).toBe(200);
    // Another handler (not the owner) is refused; legal is not a letter reader at the route.
    expect((await letter(id, 'holding', as('hank', 'handler'))).status).toBe(403);
    expect((await letter(id, 'holding', as('lee', 'legal'))).status).toBe(403);
    // No resolution yet: a final response cannot be previewed.
    expect((await letter(id, 'final_response')).status).toBe(409);
    // Raw: 'apology' is outside the letter kind enum, so the typed client cannot send it.
    const unknown = await api.raw('GET', `/v1/complaints/${id}/letters/apology`, { token: await api.token('olive', ['handler']) });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await letter('01JABCDEFGHJKMNPQRSTVWXYZ9', 'holding')).status).toBe(404);
  });

  it('answers 404 for a restricted case to a handler who does not own it', async () => {
    const id = await open({ sensitivity: 'restricted' });
    expect((await letter(id, 'acknowledgement', as('hank', 'handler'))).status).toBe(404);
  });
});

describe('letters sent are kept as evidence', () => {
  it('stores the exact acknowledgement and final-response text as verified evidence with its SHA-256, and schedules the follow-up', async () => {
    const id = await open();
    const preview = (await letter(id, 'acknowledgement')).body;
    expect((await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/acknowledgement', { params: { path: { id } }, body: {} }))).status).toBe(200);
    expect((await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/resolution', { params: { path: { id } }, body: RESOLUTION }))).status).toBe(201);
    // Text other than the approved one is a new proposal (issue 25): refused; what goes out is the approved letter.
    const custom = 'Dear Ms Lovelace, this is our final response to your complaint, written by hand. Our decision stands.';
    expect((await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/final-response', { params: { path: { id } }, body: { text: custom } }))).status).toBe(409);
    const frPreview = (await letter(id, 'final_response')).body;
    const sent = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/final-response', { params: { path: { id } }, body: { text: RESOLUTION.finalResponse } }));
    expect(sent.status).toBe(200);
    expect(sent.body.feedback).toEqual([expect.objectContaining({ cycle: 1, linkValidDays: LINK_DAYS, followUpAt: new Date(Date.parse(sent.body.updatedAt) + 7 * 86_400_000).toISOString() })]);

    const items = (await settle((await as('olive', 'handler')).GET('/v1/complaints/{id}/evidence', { params: { path: { id } } }))).body.items as { id: string; letter?: { kind: string; template: unknown }; status: string; sha256: string }[];
    const ack = items.find((e) => e.letter?.kind === 'acknowledgement')!;
    const fr = items.find((e) => e.letter?.kind === 'final_response')!;
    expect(ack).toMatchObject({ status: 'verified', contentType: 'text/plain', letter: { template: preview.template } });
    expect(fr).toMatchObject({ status: 'verified', letter: { template: frPreview.template } });
    // The letters are correspondence, not investigation evidence: the case's evidence counts are untouched.
    expect((await getCase(id)).evidenceCounts ?? { verified: 0 }).toMatchObject({ verified: 0 });

    const events = (await timelineOf(id)).items as { action: string; data: Record<string, unknown> }[];
    const ackText = events.find((e) => e.action === 'acknowledgement.sent')!.data.text as string;
    expect(ackText).toBe(`Subject: ${preview.subject}\n\n${preview.text}`);
    const frText = `Subject: ${frPreview.subject}\n\n${frPreview.text}`;
    expect(events.find((e) => e.action === 'final_response.sent')!.data).toMatchObject({ text: frText, letter: { evidenceId: fr.id, sha256: sha256(frText) } });
    // What storage holds is byte for byte what was sent.
    for (const [item, text] of [[ack, ackText], [fr, frText]] as const) {
      expect(item.sha256).toBe(sha256(text));
      const view = await settle((await as('olive', 'handler')).GET('/v1/complaints/{id}/evidence/{evidenceId}', { params: { path: { id, evidenceId: item.id } } }));
      // Raw: the presigned download URL is S3's, not the API's.
      const bytes = Buffer.from(await (await fetch(view.body.downloadUrl as string)).arrayBuffer());
      expect(sha256(bytes)).toBe(item.sha256);
      expect(bytes.toString('utf8')).toBe(text);
    }
  });

  it('keeps the default final response: the regime letter around the resolution text (DISP 1 Annex 3R wording)', async () => {
    const id = await answeredCase();
    const events = (await timelineOf(id)).items as { action: string; data: Record<string, unknown> }[];
    const text = events.find((e) => e.action === 'final_response.sent')!.data.text as string;
    expect(text).toContain(RESOLUTION.finalResponse);
    expect(text).toContain('but you must do so within six months of the date of this letter');
    expect((await letter(id, 'final_response')).body.text).toContain(RESOLUTION.finalResponse);
  });
});

describe('satisfaction follow-up', () => {
  it('sends a single-use link 7 days after the final response; accepted once, then 410 and nothing written; throttled after the attempt limit', async () => {
    const id = await answeredCase({ category: 'billing' });
    await api.pump();
    await api.advanceClock('P6DT23H');
    expect(feedbackLinks(id)).toEqual([]);
    const fired = await api.advanceClock('PT2H');
    expect(fired.map((f) => f.kind)).toContain('feedback');
    const [link] = feedbackLinks(id);
    expect(link!.to).toEqual({ kind: 'customer', customerId: 'cust-42', email: 'ada@example.com' });
    const token = tokenOf(link!);

    expect((await submit(token, { score: 6 })).status).toBe(400);
    expect((await submit(token, { score: 4, comment: 'x'.repeat(2001) })).status).toBe(400);
    const ok = await submit(token, { score: 4, comment: 'Quick and fair' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ caseId: id, cycle: 1, score: 4 });
    const after = await getCase(id);
    expect(after.feedback[0].response).toMatchObject({ score: 4, comment: 'Quick and fair' });

    const again = await submit(token, { score: 1 });
    expect(again.status).toBe(410);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect((await getCase(id)).version).toBe(after.version);
    // Attempt 3 is still answered; beyond the limit the link is throttled.
    expect((await submit(token, { score: 1 })).status).toBe(410);
    const throttled = await submit(token, { score: 1 });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('60');
    const timeline = await timelineOf(id, as('sam', 'supervisor'));
    expect(timeline.items.filter((e: { action: string }) => e.action === 'feedback.received')).toHaveLength(1);
    expect(timeline.items.map((e: { action: string }) => e.action)).toContain('feedback.requested');
    expect(timeline.chain.valid).toBe(true);
  });

  it('refuses a forged or garbled token (401) and an expired one (410), writing nothing', async () => {
    const id = await answeredCase();
    await api.pump();
    await api.advanceClock('P7DT1H');
    const token = tokenOf(feedbackLinks(id)[0]!);
    const before = await getCase(id);
    const [v, claims, sig] = token.split('.');
    const forgedSig = `${v}.${claims}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherClaims = `${v}.${Buffer.from(JSON.stringify({ c: id, t: 'c1', e: 4102444800 })).toString('base64url')}.${sig}`;
    for (const t of [forgedSig, otherClaims, 'not-a-token']) {
      const res = await submit(t, { score: 5 });
      expect(res.status).toBe(401);
      expect(res.body.type).toMatch(/unauthorized$/);
    }
    await api.advanceClock('P9D');
    expect((await submit(token, { score: 5 })).status).toBe(410);
    expect((await getCase(id)).version).toBe(before.version);
  });

  it('lets exactly one of two concurrent submissions win', async () => {
    const id = await answeredCase({ category: 'billing' });
    await api.pump();
    await api.advanceClock('P7DT1H');
    const token = tokenOf(feedbackLinks(id)[0]!);
    const results = await Promise.all([submit(token, { score: 2 }), submit(token, { score: 5 })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    const c = await getCase(id);
    expect(c.feedback[0].response.score).toBe(results.find((r) => r.status === 200)!.body.score);
  });

  it('reports satisfaction by category in the KPI report', async () => {
    await api.pump();
    const now = await api.now();
    const to = now.slice(0, 10);
    const from = new Date(Date.parse(now) - 90 * 86_400_000).toISOString().slice(0, 10);
    const k = (await settle((await as('sam', 'supervisor')).GET('/v1/reports/kpis', { params: { query: { from, to, groupBy: 'category' } } }))).body;
    const billing = k.groups.find((g: { value: string }) => g.value === 'billing');
    expect(billing.satisfaction.responses).toBe(2);
    expect(billing.satisfaction.distribution['4']).toBe(1);
    expect(k.totals.satisfaction.responses).toBe(2);
    expect(k.totals.satisfaction.meanScore).toBe((4 + (billing.satisfaction.distribution['2'] ? 2 : 5)) / 2);
  });
});
