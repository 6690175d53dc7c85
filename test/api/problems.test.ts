// Problem management on the local stack (#32): problem records (create, read, pages, amend, link, unlink, close with
// owners notified, audit chain), suggestions from similar complaints, changes, the daily spike detection with the
// changes before each spike, and the effect of a fix; with abuse cases (guessed ids, wrong roles, prototype keys).
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localOutbox } from '#adapters/local/local-outbox';
import { keys } from '#adapters/aws/dynamo/table-model';
import { receivedAttr } from '#domain/problems/volumes';
import { DAY_SK, scopes } from '#domain/reporting/projection';
import { INTAKE_SCOPE } from '#schemas/common';
import { rawDocClient } from '../support/dynamo';
import type { components } from '@complaints/client';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';
import { uniqueDigits } from '../support/ids';

jest.setTimeout(120_000);

let api: TestApi;
let supervisor: string;
let compliance: string;
let handler: string;
let machine: string;
let now: string;

const DAY_MS = 86_400_000;
const at = (offsetDays: number) => new Date(Date.parse(now) + offsetDays * DAY_MS).toISOString();
const dayOf = (iso: string) => iso.slice(0, 10);

const openComplaint = async (over: Record<string, unknown> = {}) => {
  const res = await settle(api.client(supervisor).POST('/v1/complaints', { body: validComplaint({ customer: { id: `pc-${uniqueDigits()}`, name: 'Grace Hopper' }, ...over }) }));
  expect(res.status).toBe(201);
  return res.body as { id: string; reference: string; ownerId: string };
};

type CreateProblem = components['schemas']['CreateProblem'];
type CreateChange = components['schemas']['CreateChange'];

// caseIds: [] is the schema's default, sent explicitly because the document lists defaulted members as required.
const problemBody = (over: Partial<CreateProblem> = {}): CreateProblem => ({
  title: 'Payments screen crashes after app release 4.2',
  scope: { products: ['mobile-app'], categories: ['product_issue'] },
  externalIds: ['INC0012345', 'PRB0040001', 'OPS-123'],
  caseIds: [],
  ...over,
});
// A change with the schema's defaults (kind deployment, source api) spelled out, for the same reason.
const changeBody = (over: Partial<CreateChange> & Pick<CreateChange, 'title' | 'at'>): CreateChange => ({ kind: 'deployment', source: 'api', ...over });

/** Adds receipts to the reporting projection's day item, as the projection consumer would for complaints received that day. */
const seedReceived = async (day: string, dimension: 'product' | 'category', value: string, n: number) => {
  await rawDocClient().send(
    new UpdateCommand({
      TableName: api.tables.cases,
      Key: { PK: keys.reportPk(1, scopes.period('D', day)), SK: DAY_SK },
      UpdateExpression: 'ADD #a :n',
      ExpressionAttributeNames: { '#a': receivedAttr(dimension, value) },
      ExpressionAttributeValues: { ':n': n },
    }),
  );
};

beforeAll(async () => {
  api = await startTestApi({}, { problemSignals: true });
  supervisor = await api.token('p-supervisor', ['supervisor']);
  compliance = await api.token('p-compliance', ['compliance']);
  handler = await api.token('p-handler', ['handler']);
  machine = await api.token('p-deployer', [], { scope: INTAKE_SCOPE });
  now = await api.now();
});
afterAll(() => api.close());

describe('problem records', () => {
  it('opens a problem with linked complaints: 201, Location, ETag, validated external ids, who/when/why on each link', async () => {
    const c = await openComplaint();
    const res = await settle(api.client(supervisor).POST('/v1/problems', { body: problemBody({ caseIds: [c.id], reason: 'Same crash on the payments screen' }) }));
    expect(res.status).toBe(201);
    const p = res.body as { id: string; version: number; links: unknown[]; externalIds: unknown[]; status: string };
    expect(res.headers.get('location')).toBe(`/v1/problems/${p.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(p.status).toBe('open');
    expect(p.externalIds).toEqual([
      { id: 'INC0012345', system: 'servicenow', kind: 'incident' },
      { id: 'PRB0040001', system: 'servicenow', kind: 'problem' },
      { id: 'OPS-123', system: 'jira', kind: 'issue' },
    ]);
    expect(p.links).toEqual([{ caseId: c.id, reference: c.reference, linkedBy: 'p-supervisor', linkedAt: expect.any(String), reason: 'Same crash on the payments screen' }]);
    const got = await settle(api.client(compliance).GET('/v1/problems/{id}', { params: { path: { id: p.id } } }));
    expect(got.status).toBe(200);
    expect(got.body).toEqual(p);
  });

  it('is idempotent on Idempotency-Key: the repeat answers the first problem; the same key with another body is 409', async () => {
    const key = `idem-${uniqueDigits()}`;
    const first = await settle(api.client(supervisor).POST('/v1/problems', { params: { header: { 'Idempotency-Key': key } }, body: problemBody() }));
    const again = await settle(api.client(supervisor).POST('/v1/problems', { params: { header: { 'Idempotency-Key': key } }, body: problemBody() }));
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const other = await settle(api.client(supervisor).POST('/v1/problems', { params: { header: { 'Idempotency-Key': key } }, body: problemBody({ title: 'Something else' }) }));
    expectProblem(other, 409);
  });

  it('lists problems newest first in pages, by status, and refuses a forged cursor', async () => {
    for (let i = 0; i < 3; i++) expect((await settle(api.client(supervisor).POST('/v1/problems', { body: problemBody({ title: `Paged ${i}` }) }))).status).toBe(201);
    const page1 = await settle(api.client(supervisor).GET('/v1/problems', { params: { query: { limit: 2 } } }));
    expect(page1.status).toBe(200);
    expect((page1.body.items as unknown[]).length).toBe(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await settle(api.client(supervisor).GET('/v1/problems', { params: { query: { limit: 2, cursor: page1.body.nextCursor as string } } }));
    expect(page2.status).toBe(200);
    const ids = [...(page1.body.items as { id: string }[]), ...(page2.body.items as { id: string }[])].map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const open = await settle(api.client(supervisor).GET('/v1/problems', { params: { query: { status: 'open', limit: 100 } } }));
    expect((open.body.items as { status: string }[]).every((p) => p.status === 'open')).toBe(true);
    // A cursor of another list (the by-status one) or a made-up key is 400, never a read of something else.
    const forged = Buffer.from(JSON.stringify({ PK: 'CASE#x', SK: 'CASE', GSI2PK: 'PROBLEMS', GSI2SK: 'x' })).toString('base64url');
    expectProblem(await settle(api.client(supervisor).GET('/v1/problems', { params: { query: { cursor: forged } } })), 400);
    if (open.body.nextCursor) expectProblem(await settle(api.client(supervisor).GET('/v1/problems', { params: { query: { cursor: open.body.nextCursor as string } } })), 400);
    // An unknown query parameter: the typed client cannot send it.
    expectProblem(await api.raw('GET', '/v1/problems?sort=title', { token: supervisor }), 400);
  });

  it('amends with If-Match (a stale version is 412), links and unlinks with reasons, and audits every change in a valid chain', async () => {
    const created = await settle(api.client(supervisor).POST('/v1/problems', { body: problemBody() }));
    const id = created.body.id as string;
    const stale = await settle(api.client(supervisor).PATCH('/v1/problems/{id}', { params: { path: { id }, header: { 'If-Match': '"7"' } }, body: { rootCause: 'Null pointer in the card list' } }));
    expectProblem(stale, 412);
    const amended = await settle(api.client(supervisor).PATCH('/v1/problems/{id}', { params: { path: { id }, header: { 'If-Match': '"1"' } }, body: { rootCause: 'Null pointer in the card list', externalIds: ['INC0099999'] } }));
    expect(amended.status).toBe(200);
    expect(amended.headers.get('etag')).toBe('"2"');
    const c = await openComplaint();
    const linked = await settle(api.client(compliance).POST('/v1/problems/{id}/complaints', { params: { path: { id } }, body: { caseId: c.id, reason: 'Customer describes the same crash' } }));
    expect(linked.status).toBe(200);
    expectProblem(await settle(api.client(compliance).POST('/v1/problems/{id}/complaints', { params: { path: { id } }, body: { caseId: c.id, reason: 'again' } })), 409);
    // Without the required reason: the typed client cannot send it.
    expectProblem(await api.raw('DELETE', `/v1/problems/${id}/complaints/${c.id}`, { token: supervisor }), 400);
    const unlinked = await settle(api.client(supervisor).DELETE('/v1/problems/{id}/complaints/{caseId}', { params: { path: { id, caseId: c.id }, query: { reason: 'Different crash after review' } } }));
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.links).toEqual([]);
    const timeline = await settle(api.client(supervisor).GET('/v1/problems/{id}/timeline', { params: { path: { id } } }));
    expect(timeline.status).toBe(200);
    expect((timeline.body.items as { action: string }[]).map((e) => e.action)).toEqual(['problem.opened', 'problem.updated', 'problem.complaint_linked', 'problem.complaint_unlinked']);
    expect(timeline.body.chain).toMatchObject({ valid: true, length: 4 });
    const unlinkEvent = (timeline.body.items as { action: string; actor: string; data: Record<string, unknown> }[])[3]!;
    expect(unlinkEvent).toMatchObject({ actor: 'p-supervisor', data: { caseId: c.id, reason: 'Different crash after review', linkedBy: 'p-compliance' } });
  });

  it('closes only with root cause and fix, then tells the owner of each linked open complaint (not of closed ones)', async () => {
    const open = await openComplaint({ ownerId: 'owner-open' });
    const done = await openComplaint({ ownerId: 'owner-done' });
    const closedCase = await settle(api.client(supervisor).POST('/v1/complaints/{id}/close', { params: { path: { id: done.id } }, body: { followUpAction: 'None', rootCause: { category: 'capacity', description: 'Crash' } } }));
    expect(closedCase.status).toBe(200);
    const created = await settle(api.client(supervisor).POST('/v1/problems', { body: problemBody({ caseIds: [open.id, done.id], reason: 'Same crash' }) }));
    const id = created.body.id as string;
    const missing = await settle(api.client(supervisor).POST('/v1/problems/{id}/close', { params: { path: { id } }, body: { reason: 'Fixed' } }));
    expectProblem(missing, 400);
    expect((missing.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['body.fix', 'body.rootCause']);
    localOutbox.clear();
    const closed = await settle(api.client(supervisor).POST('/v1/problems/{id}/close', { params: { path: { id }, header: { 'If-Match': '"1"' } }, body: { reason: 'Release 4.2.1 fixed it', rootCause: 'Null pointer in the card list', fix: { description: 'Release 4.2.1', fixedAt: at(-1) } } }));
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'p-supervisor', closeReason: 'Release 4.2.1 fixed it', version: 2 });
    const told = localOutbox.notifications.filter((n) => n.eventType === 'ProblemClosed');
    expect(told.map((n) => ({ to: n.to, caseId: n.caseId }))).toEqual([{ to: { kind: 'user', userId: 'owner-open', as: 'owner' }, caseId: open.id }]);
    expectProblem(await settle(api.client(supervisor).POST('/v1/problems/{id}/close', { params: { path: { id } }, body: { reason: 'again' } })), 409);
    expectProblem(await settle(api.client(supervisor).POST('/v1/problems/{id}/complaints', { params: { path: { id } }, body: { caseId: open.id, reason: 'late' } })), 409);
  });
});

describe('incident ids on complaints', () => {
  it('travel with the case from intake (validated), with the source record type', async () => {
    const c = await openComplaint({ incidentIds: ['INC0012345', 'INC0012345', 'OPS-9'], sourceRecordType: 'incident' });
    const got = await settle(api.client(supervisor).GET('/v1/complaints/{id}', { params: { path: { id: c.id } } }));
    expect(got.body).toMatchObject({ incidentIds: ['INC0012345', 'OPS-9'], sourceRecordType: 'incident' });
    expectProblem(await settle(api.client(supervisor).POST('/v1/complaints', { body: validComplaint({ incidentIds: ['constructor'] }) })), 400);
  });
});

describe('abuse cases', () => {
  it('a guessed or unknown id is 404 on every problem route; a malformed one is 400', async () => {
    const guessed = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
    const as = api.client(supervisor);
    const params = { path: { id: guessed } };
    for (const read of [as.GET('/v1/problems/{id}', { params }), as.GET('/v1/problems/{id}/timeline', { params }), as.GET('/v1/problems/{id}/effect', { params })]) expectProblem(await settle(read), 404);
    expectProblem(await settle(api.client(supervisor).POST('/v1/problems/{id}/close', { params: { path: { id: guessed } }, body: { reason: 'x' } })), 404);
    expectProblem(await settle(api.client(supervisor).POST('/v1/problem-suggestions/{suggestionId}/dismiss', { params: { path: { suggestionId: guessed } }, body: { reason: 'x' } })), 404);
    expectProblem(await settle(api.client(supervisor).GET('/v1/problems/{id}', { params: { path: { id: 'not-a-ulid' } } })), 400);
    const created = await settle(api.client(supervisor).POST('/v1/problems', { body: problemBody() }));
    expectProblem(await settle(api.client(supervisor).POST('/v1/problems/{id}/complaints', { params: { path: { id: created.body.id as string } }, body: { caseId: guessed, reason: 'guess' } })), 404);
    expectProblem(await settle(api.client(supervisor).POST('/v1/problems', { body: problemBody({ caseIds: [guessed], reason: 'guess' }) })), 400);
  });

  it('handlers, legal and machine clients may not touch problems; a machine client may only record changes', async () => {
    expectProblem(await settle(api.client(handler).GET('/v1/problems')), 403);
    expectProblem(await settle(api.client(handler).POST('/v1/problems', { body: problemBody() })), 403);
    expectProblem(await settle(api.client(machine).POST('/v1/problems', { body: problemBody() })), 403);
    expectProblem(await settle(api.client(machine).GET('/v1/reports/spikes', { params: { query: { from: '2026-01-01', to: '2026-01-02' } } })), 403);
    expectProblem(await settle(api.client(handler).POST('/v1/changes', { body: changeBody({ title: 'x', at: now }) })), 403);
  });

  it('__proto__ and constructor as title, product or change text are plain text; external ids are checked per system', async () => {
    const res = await settle(api.client(supervisor).POST('/v1/problems', { body: problemBody({ title: '__proto__', scope: { products: ['__proto__', 'constructor'], categories: [] }, externalIds: [] }) }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ title: '__proto__', scope: { products: ['__proto__', 'constructor'], categories: [] } });
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    const bad = await settle(api.client(supervisor).POST('/v1/problems', { body: problemBody({ externalIds: ['INC12', 'prb0040001', 'ops-1'] }) }));
    expectProblem(bad, 400);
    // A category outside the enum: the typed client cannot send it.
    expectProblem(await api.raw('POST', '/v1/problems', { token: supervisor, body: { ...problemBody(), scope: { products: [], categories: ['constructor'] } } }), 400);
    const change = await settle(api.client(machine).POST('/v1/changes', { body: changeBody({ title: 'constructor', product: '__proto__', at: now }) }));
    expect(change.status).toBe(201);
  });
});

describe('changes, spikes and the effect of a fix', () => {
  it('records a change (machine scope) once per source and external id', async () => {
    const body: CreateChange = { title: 'Deploy payments-api 2026.11.3', kind: 'deployment', product: 'mobile-app', at: at(-0.5), source: 'github-actions', externalId: `run-${uniqueDigits()}` };
    const first = await settle(api.client(machine).POST('/v1/changes', { body }));
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/v1/changes/${first.body.id as string}`);
    const again = await settle(api.client(machine).POST('/v1/changes', { body }));
    expect(again.body.id).toBe(first.body.id);
  });

  it('the daily job flags a seeded spike after a seeded change, with the change in the report, and not a normal weekday peak', async () => {
    const day = dayOf(at(0));
    // Eight earlier same weekdays: "spike-product" had 1 a day, "steady-product" its usual 20 (its busy weekday).
    for (let w = 1; w <= 8; w++) {
      const d = dayOf(at(-7 * w));
      await seedReceived(d, 'product', 'spike-product', 1);
      await seedReceived(d, 'product', 'steady-product', [18, 22, 19, 21, 20, 23, 17, 20][w - 1]!);
    }
    await seedReceived(day, 'product', 'spike-product', 12);
    await seedReceived(day, 'product', 'steady-product', 24);
    const change = await settle(api.client(machine).POST('/v1/changes', { body: { title: 'Pricing change: card fees', kind: 'pricing', at: at(-1), source: 'api', externalId: `price-${uniqueDigits()}` } }));
    const old = await settle(api.client(machine).POST('/v1/changes', { body: changeBody({ title: 'Deploy long ago', at: at(-6), source: 'api', externalId: `old-${uniqueDigits()}` }) }));
    expect(change.status).toBe(201);
    localOutbox.clear();
    // The next day: the daily job tests the day that just ended.
    await api.advanceClock('P1D');
    const run = api.stack.timers.dailyRuns.filter((r) => r.name === 'problem-signals').at(-1);
    expect(run).toMatchObject({ day: dayOf(at(1)), result: expect.objectContaining({ day }) });
    // Tokens outlive no clock move of a day: a fresh one.
    const fresh = await api.token('p-supervisor-2', ['supervisor']);
    const report = await settle(api.client(fresh).GET('/v1/reports/spikes', { params: { query: { from: day, to: day } } }));
    expect(report.status).toBe(200);
    const items = report.body.items as { dimension: string; value: string; complaints: number; changesBefore: { id: string }[] }[];
    const spike = items.find((s) => s.dimension === 'product' && s.value === 'spike-product');
    expect(spike).toMatchObject({ complaints: 12 });
    expect(spike!.changesBefore.map((c) => c.id)).toContain(change.body.id);
    expect(spike!.changesBefore.map((c) => c.id)).not.toContain(old.body.id);
    expect(items.find((s) => s.value === 'steady-product')).toBeUndefined();
    // Published once on the bus (versioned detail) and alerted to supervisors.
    const events = localOutbox.events.filter((e) => e.type === 'ComplaintSpikeDetected' && e.detail.value === 'spike-product');
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({ schemaVersion: 1, day, complaints: 12 });
    expect(localOutbox.notifications.filter((n) => n.eventType === 'ComplaintSpikeDetected' && n.subject.includes('spike-product')).map((n) => n.to)).toEqual([{ kind: 'role', role: 'supervisor', team: null }]);
    expectProblem(await settle(api.client(fresh).GET('/v1/reports/spikes', { params: { query: { from: day, to: '2000-01-01' } } })), 400);
  });

  it('the effect of a fix: 12 complaints in the two weeks before, 1 in the two weeks after, is a reduction with an exact interval', async () => {
    const current = await api.now();
    const fixedAt = new Date(Date.parse(current) - 15 * DAY_MS).toISOString();
    const fixMs = Date.parse(fixedAt);
    // The projection counts a product under its reporting group (here the default grouping of "effect-product").
    for (let k = 1; k <= 12; k++) await seedReceived(dayOf(new Date(fixMs - k * DAY_MS).toISOString()), 'product', 'effect_product', 1);
    await seedReceived(dayOf(new Date(fixMs + 3 * DAY_MS).toISOString()), 'product', 'effect_product', 1);
    const token = await api.token('p-supervisor-3', ['supervisor']);
    const created = await settle(api.client(token).POST('/v1/problems', { body: problemBody({ scope: { products: ['effect-product'], categories: [] }, rootCause: 'Rounding in fee engine', fix: { description: 'Fee engine 3.1', fixedAt } }) }));
    const effect = await settle(api.client(token).GET('/v1/problems/{id}/effect', { params: { path: { id: created.body.id as string }, query: { weeks: 2 } } }));
    expect(effect.status).toBe(200);
    expect(effect.body).toMatchObject({ before: { complaints: 12, weeks: 2, perWeek: 6 }, after: { complaints: 1, weeks: 2, perWeek: 0.5 }, verdict: 'reduced', measuredBy: { dimension: 'product', values: ['effect_product'] } });
    expect(effect.body.rateRatio).toBeCloseTo(1 / 12, 6);
    expect((effect.body.confidenceInterval as { upper: number }).upper).toBeLessThan(1);
    // Without a fix there is nothing to compare.
    const noFix = await settle(api.client(token).POST('/v1/problems', { body: problemBody() }));
    expectProblem(await settle(api.client(token).GET('/v1/problems/{id}/effect', { params: { path: { id: noFix.body.id as string } } })), 409);
    expectProblem(await settle(api.client(token).GET('/v1/problems/{id}/effect', { params: { path: { id: noFix.body.id as string }, query: { weeks: 0 } } })), 400);
  });
});

describe('suggestions', () => {
  it('the daily job suggests a problem from similar complaints with evidence; accepting opens it, dismissing needs a reason', async () => {
    let token = await api.token('p-supervisor-4', ['supervisor']);
    const texts = ['Login verification text code never received', 'I never get the login verification code by text', 'Verification code sms not received at login again'];
    const ids: string[] = [];
    for (const summary of texts) {
      const c = await settle(api.client(token).POST('/v1/complaints', { body: validComplaint({ customer: { id: `sg-${uniqueDigits()}`, name: 'Alan Turing' }, summary, description: summary, product: 'login-service', category: 'product_issue' }) }));
      expect(c.status).toBe(201);
      ids.push(c.body.id as string);
    }
    await api.advanceClock('P1D');
    token = await api.token('p-supervisor-5', ['supervisor']);
    const list = await settle(api.client(token).GET('/v1/problem-suggestions', { params: { query: { status: 'pending', limit: 100 } } }));
    expect(list.status).toBe(200);
    const suggestion = (list.body.items as { id: string; kind: string; evidence: { caseId: string; similarity: number }[]; sharedTerms: string[]; pairs: unknown[] }[]).find((s) => s.evidence.some((e) => ids.includes(e.caseId)));
    expect(suggestion).toBeDefined();
    expect(suggestion!.kind).toBe('create_problem');
    expect(suggestion!.evidence.map((e) => e.caseId).sort()).toEqual([...ids].sort());
    expect(suggestion!.sharedTerms).toEqual(expect.arrayContaining(['verif', 'code']));
    expect(suggestion!.pairs.length).toBeGreaterThanOrEqual(2);
    // Without the required reason: the typed client cannot send it.
    expectProblem(await api.raw('POST', `/v1/problem-suggestions/${suggestion!.id}/dismiss`, { token, body: {} }), 400);
    const accepted = await settle(api.client(token).POST('/v1/problem-suggestions/{suggestionId}/accept', { params: { path: { suggestionId: suggestion!.id } }, body: { reason: 'Same SMS gateway fault', title: 'Login SMS codes not delivered' } }));
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ suggestion: { status: 'accepted', decidedBy: 'p-supervisor-5', decisionReason: 'Same SMS gateway fault' }, problem: { title: 'Login SMS codes not delivered', suggestionId: suggestion!.id } });
    expect((accepted.body.problem as { links: { caseId: string }[] }).links.map((l) => l.caseId).sort()).toEqual([...ids].sort());
    expectProblem(await settle(api.client(token).POST('/v1/problem-suggestions/{suggestionId}/dismiss', { params: { path: { suggestionId: suggestion!.id } }, body: { reason: 'too late' } })), 409);
  });

  it('a complaint naming an incident an open problem links to is suggested for linking to it, the id as evidence', async () => {
    let token = await api.token('p-supervisor-6', ['supervisor']);
    const incident = `INC0${uniqueDigits().padEnd(8, '0').slice(0, 8)}`;
    const problem = await settle(api.client(token).POST('/v1/problems', { body: problemBody({ title: 'Card outage', scope: { products: ['card'], categories: [] }, externalIds: [incident] }) }));
    const opened = await settle(api.client(token).POST('/v1/complaints', { body: validComplaint({ customer: { id: `pc-${uniqueDigits()}`, name: 'Grace Hopper' }, incidentIds: [incident], product: 'card-payments', category: 'billing', summary: 'Card declined everywhere', description: 'My card was declined in every shop today.' }) }));
    const c = opened.body as { id: string };
    await api.advanceClock('P1D');
    token = await api.token('p-supervisor-7', ['supervisor']);
    const list = await settle(api.client(token).GET('/v1/problem-suggestions', { params: { query: { status: 'pending', limit: 100 } } }));
    const s = (list.body.items as { id: string; kind: string; problemId?: string; evidence: { caseId: string; matchedIncidentIds?: string[] }[] }[]).find((x) => x.problemId === problem.body.id);
    expect(s).toMatchObject({ kind: 'link_to_problem', evidence: [{ caseId: c.id, matchedIncidentIds: [incident] }] });
    const accepted = await settle(api.client(token).POST('/v1/problem-suggestions/{suggestionId}/accept', { params: { path: { suggestionId: s!.id } }, body: { reason: 'Same incident' } }));
    expect(accepted.status).toBe(200);
    expect((accepted.body.problem as { links: { caseId: string; reason: string }[] }).links).toEqual([expect.objectContaining({ caseId: c.id, reason: 'Same incident' })]);
  });
});
