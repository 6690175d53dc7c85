// Routing that knows who is there (issue 32 item 5), over HTTP: availability, skills and capacity in assignment, the
// internal service target next to the regulatory clock, and absences flagged to supervisors with a suggested owner.
import type { components } from '@complaints/client';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

jest.setTimeout(300_000);

const ASSIGNMENT = {
  teams: { complaints: ['h1', 'h2', 'h3'] },
  defaultTeam: 'complaints',
  rules: [],
  serviceTargets: { premier: { high: 24 }, priority: { low: 8760 } },
};

let api: TestApi;
let sam: string; // supervisor
let admin: string;
let now: string;
const plus = (days: number) => new Date(Date.parse(now) + days * 86_400_000).toISOString();

type Availability = components['schemas']['Availability'];
const put = (id: string, body: Availability, token = sam, ifMatch?: string) =>
  settle(api.client(token).PUT('/v1/staff/{id}/availability', { params: { path: { id }, ...(ifMatch !== undefined ? { header: { 'If-Match': ifMatch } } : {}) }, body }));
const open = async (over: Record<string, unknown> = {}) => {
  const res = await settle(api.client(sam).POST('/v1/complaints', { body: validComplaint(over) }));
  expect(res.status).toBe(201);
  return res.body;
};
const assignedEvent = async (caseId: string) => {
  const t = await settle(api.client(sam).GET('/v1/complaints/{id}/timeline', { params: { path: { id: caseId } } }));
  return (t.body.items as { action: string; data: Record<string, unknown> }[]).find((e) => e.action === 'owner.assigned')!;
};

beforeAll(async () => {
  api = await startTestApi({ ASSIGNMENT_RULES: JSON.stringify(ASSIGNMENT) });
  sam = await api.token('sam', ['supervisor']);
  admin = await api.token('ada', ['admin']);
  now = await api.now();
});
afterAll(() => api.close());

describe('PUT /v1/staff/{id}/availability', () => {
  it('stores the profile with a version (ETag, If-Match) and refuses bad periods, the wrong roles and a supervisor’s own', async () => {
    const first = await put('h9', { outOfOffice: [{ from: plus(1), to: plus(3), reason: 'Leave' }], capacity: 5, skills: { categories: ['billing'] } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ staffId: 'h9', version: 1, capacity: 5, updatedBy: 'sam', flagged: [] });
    expect(first.headers.get('etag')).toBe('"1"');
    expectProblem(await put('h9', { outOfOffice: [] }, sam, '"7"'), 412);
    expect((await put('h9', { outOfOffice: [] }, sam, '"1"')).body.version).toBe(2);
    expectProblem(await put('h9', { outOfOffice: [{ from: plus(3), to: plus(1) }] }), 400);
    // A category outside the enum: the typed client cannot send it.
    expectProblem(await api.raw('PUT', '/v1/staff/h9/availability', { token: sam, body: { outOfOffice: [], skills: { categories: ['astrology'] } } }), 400);
    expectProblem(await put('sam', { outOfOffice: [] }), 403); // nobody clears their own absence flags
    expect((await put('sam', { outOfOffice: [] }, admin)).status).toBe(200);
    expectProblem(await put('h9', { outOfOffice: [] }, await api.token('hal', ['handler'])), 403);
  });

  it('abuse: staff ids and reasons named like object properties are plain keys and text', async () => {
    for (const id of ['__proto__', 'constructor', 'toString']) {
      const res = await put(id, { outOfOffice: [{ from: plus(1), to: plus(2), reason: '__proto__' }] });
      expect([id, res.status, res.body.staffId]).toEqual([id, 200, id]);
    }
    expect(({} as Record<string, unknown>).outOfOffice).toBeUndefined();
  });
});

describe('assignment', () => {
  it('passes over whoever is away or lacks the skill, and records who was skipped and why', async () => {
    expect((await put('h1', { outOfOffice: [{ from: plus(-1), to: plus(7) }] })).status).toBe(200);
    expect((await put('h2', { outOfOffice: [], skills: { categories: ['billing'] } })).status).toBe(200);
    const owners: string[] = [];
    const skipped: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await open({ category: 'service_delay' });
      owners.push(c.ownerId as string);
      skipped.push(...(((await assignedEvent(c.id as string)).data.skipped as unknown[]) ?? []));
    }
    expect(owners).toEqual(['h3', 'h3', 'h3']);
    expect(skipped).toEqual(expect.arrayContaining([{ staffId: 'h1', why: 'out_of_office' }]));
    // The billing specialist takes billing.
    const billing = await open({ category: 'billing' });
    expect(['h2', 'h3']).toContain(billing.ownerId);
  });

  it('a capacity cap is honoured; when nobody fits, the round-robin pick keeps the case (never ownerless) and the audit says so', async () => {
    expect((await put('h3', { outOfOffice: [], capacity: 1 })).status).toBe(200); // h3 already owns more than one
    const c = await open({ category: 'service_delay' });
    expect(['h1', 'h2', 'h3']).toContain(c.ownerId);
    const assigned = await assignedEvent(c.id as string);
    expect(assigned.data).toMatchObject({ fallback: true, skipped: expect.arrayContaining([{ staffId: 'h3', why: 'at_capacity' }, { staffId: 'h1', why: 'out_of_office' }, { staffId: 'h2', why: 'no_skill' }]) });
    expect((await put('h3', { outOfOffice: [] })).status).toBe(200);
  });
});

describe('the internal service target', () => {
  it('tier and impact set a target next to the regulatory clock; whichever is sooner binds', async () => {
    const premier = await open({ customer: { id: 'vip-1', name: 'Grace Hopper', tier: 'premier' }, severity: 'high' });
    expect(premier.serviceTarget).toEqual({ tier: 'premier', impact: 'high', hours: 24, dueAt: new Date(Date.parse(premier.receivedAt as string) + 24 * 3_600_000).toISOString(), binding: 'internal' });
    expect(premier.finalResponseDueAt > premier.serviceTarget.dueAt).toBe(true);
    const slow = await open({ customer: { id: 'p-1', name: 'Alan Turing', tier: 'priority' }, severity: 'low' });
    expect(slow.serviceTarget).toMatchObject({ hours: 8760, dueAt: slow.finalResponseDueAt, binding: 'regulatory' });
    const plain = await open();
    expect(plain.serviceTarget).toBeUndefined();
  });
});

describe('absences', () => {
  it('flags the cases due inside an owner’s absence to the supervisors with a suggested owner; the owner stays until a reassignment', async () => {
    const c = await open({ ownerId: 'h4' });
    const later = await open({ ownerId: 'h4', regime: 'INTERNAL_STANDARD' });
    // Away over the FCA case's eight-week deadline only.
    const absence = { from: plus(50), to: plus(60) };
    const res = await put('h4', { outOfOffice: [absence] });
    expect(res.status).toBe(200);
    const flagged = res.body.flagged as { caseId: string; suggestedOwnerId: string | null }[];
    expect(flagged.map((f) => f.caseId)).toEqual([c.id]);
    expect(flagged[0]!.suggestedOwnerId).toEqual(expect.any(String));
    expect(flagged[0]!.suggestedOwnerId).not.toBe('h4');
    expect(later.finalResponseDueAt < absence.from).toBe(true);

    const after = (await settle(api.client(sam).GET('/v1/complaints/{id}', { params: { path: { id: c.id as string } } }))).body;
    expect(after.ownerId).toBe('h4');
    expect(after.ownerAbsence).toMatchObject({ ...absence, suggestedOwnerId: flagged[0]!.suggestedOwnerId, flaggedBy: 'sam' });
    const timeline = await settle(api.client(sam).GET('/v1/complaints/{id}/timeline', { params: { path: { id: c.id as string } } }));
    expect(timeline.body.chain.valid).toBe(true);
    expect(timeline.body.items.at(-1)).toMatchObject({ action: 'owner.absence_flagged', data: { ownerId: 'h4', suggestedOwnerId: flagged[0]!.suggestedOwnerId } });
    // The same absence again flags nothing new (no second audit event).
    expect((await put('h4', { outOfOffice: [absence] })).body.flagged).toHaveLength(1);
    const again = await settle(api.client(sam).GET('/v1/complaints/{id}/timeline', { params: { path: { id: c.id as string } } }));
    expect(again.body.items).toHaveLength(timeline.body.items.length);

    // The supervisor follows the suggestion: the handoff settles the flag.
    const moved = await settle(api.client(sam).POST('/v1/complaints/{id}/owner', { params: { path: { id: c.id as string } }, body: { ownerId: flagged[0]!.suggestedOwnerId!, reason: 'Owner on leave over the deadline' } }));
    expect(moved.status).toBe(200);
    expect(moved.body.ownerAbsence).toBeUndefined();
  });
});
