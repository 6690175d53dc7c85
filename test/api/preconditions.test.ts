// If-Match on every case change (decideApproval included: If-Match takes its case's ETag), driven by the route
// table: each route marked ifMatch, in a state where it would
// succeed, answers 412 to a stale ETag without touching the case, then succeeds with the current one and returns the
// new ETag (the case version it wrote).
import { createHash } from 'node:crypto';
import type { Role } from '#schemas/common';
import { routeList, ROUTES, type RouteId } from '#http/routes';
import { complaintBody, expectProblem, localClock, startTestApi, type ApiResponse, type TestApi } from '../support/api';

let api: TestApi;
const tok = (sub: string, role: Role) => api.token(sub, [role]);

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const MUTATING = routeList().filter((r) => r.ifMatch);

type Send = (ifMatch: string) => Promise<ApiResponse>;

const call = (method: string, path: string, sub: string, role: Role, body: unknown): Send => async (ifMatch) => api.call(method, path, { token: await tok(sub, role), body, headers: { 'if-match': ifMatch } });

const openCase = async (over: Record<string, unknown> = {}): Promise<string> => {
  const res = await api.call('POST', '/v1/complaints', { token: await tok('sam', 'supervisor'), body: complaintBody({ ownerId: 'olive', ...over }) });
  expect(res.status).toBe(201);
  await api.pump();
  return res.body.id as string;
};

const ok = async (res: Promise<ApiResponse>, status: number): Promise<ApiResponse> => {
  const r = await res;
  expect({ status: r.status, body: r.status === status ? undefined : r.body }).toEqual({ status, body: undefined });
  return r;
};

const ROOT_CAUSE = { category: 'carrier_capacity', description: 'Regional carrier over capacity' };
const PROPOSAL = { decision: 'upheld', remedy: { compensation: { amount: '200.00', currency: 'GBP' }, description: 'Compensation for the missed appointment' }, rootCause: ROOT_CAUSE, finalResponse: 'We uphold your complaint and will pay you compensation.' };
const PDF = Buffer.from('%PDF-1.4\nDelivery log.\n%%EOF\n');

/** Puts a case in a state where the route succeeds, and says how to send it; a new ifMatch route without one fails below. */
const ARRANGE: Partial<Record<RouteId, () => Promise<{ caseId: string; send: Send }>>> = {
  reclassifyComplaint: async () => {
    const id = await openCase();
    return { caseId: id, send: call('PATCH', `/v1/complaints/${id}`, 'olive', 'handler', { severity: 'high' }) };
  },
  reassignOwner: async () => {
    const id = await openCase();
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/owner`, 'sam', 'supervisor', { ownerId: 'bob', reason: 'Workload' }) };
  },
  recordAcknowledgement: async () => {
    const id = await openCase();
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/acknowledgement`, 'olive', 'handler', {}) };
  },
  createTask: async () => {
    const id = await openCase();
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/tasks`, 'olive', 'handler', { title: 'Pull call recording', team: 'contact-centre' }) };
  },
  updateTask: async () => {
    const id = await openCase();
    const task = await ok(api.call('POST', `/v1/complaints/${id}/tasks`, { token: await tok('olive', 'handler'), body: { title: 'Pull call recording', team: 'contact-centre' } }), 201);
    return { caseId: id, send: call('PATCH', `/v1/complaints/${id}/tasks/${String(task.body.id)}`, 'olive', 'handler', { status: 'done', findings: 'Recording confirms the missed slot' }) };
  },
  addNote: async () => {
    const id = await openCase();
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/notes`, 'olive', 'handler', { kind: 'call_note', body: 'Called the customer' }) };
  },
  closeComplaint: async () => {
    const id = await openCase();
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/close`, 'olive', 'handler', { followUpAction: 'Review carrier capacity', rootCause: ROOT_CAUSE }) };
  },
  reopenComplaint: async () => {
    const id = await openCase();
    await ok(api.call('POST', `/v1/complaints/${id}/close`, { token: await tok('olive', 'handler'), body: { followUpAction: 'Review carrier capacity', rootCause: ROOT_CAUSE } }), 200);
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/reopen`, 'olive', 'handler', { reason: 'The customer disputes the outcome' }) };
  },
  clockAction: async () => {
    const id = await openCase({ regime: 'INTERNAL_STANDARD' });
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/clock`, 'olive', 'handler', { action: 'pause', reason: 'Waiting for the customer’s statements' }) };
  },
  decideTriage: async () => {
    const id = await openCase();
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/triage/decisions`, 'sam', 'supervisor', { field: 'regulatory', value: false, reason: 'Not a regulated activity' }) };
  },
  registerEvidence: async () => {
    const id = await openCase();
    const body = { fileName: 'log.pdf', contentType: 'application/pdf', sizeBytes: PDF.length, sha256: createHash('sha256').update(PDF).digest('hex') };
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/evidence`, 'olive', 'handler', body) };
  },
  legalHold: async () => {
    const id = await openCase();
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/legal-hold`, 'lee', 'legal', { on: true, reason: 'Litigation expected' }) };
  },
  proposeResolution: async () => {
    const id = await openCase();
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/resolution`, 'olive', 'handler', PROPOSAL) };
  },
  sendFinalResponse: async () => {
    const id = await openCase();
    await ok(api.call('POST', `/v1/complaints/${id}/resolution`, { token: await tok('olive', 'handler'), body: PROPOSAL }), 201);
    await api.pump();
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/final-response`, 'olive', 'handler', {}) };
  },
  decideApproval: async () => {
    const id = await openCase();
    const proposed = await ok(api.call('POST', `/v1/complaints/${id}/resolution`, { token: await tok('olive', 'handler'), body: { ...PROPOSAL, remedy: { ...PROPOSAL.remedy, compensation: { amount: '1500.00', currency: 'GBP' } } } }), 201);
    expect((proposed.body.stages as unknown[]).length).toBeGreaterThan(0);
    await api.pump();
    const queue = await ok(api.call('GET', '/v1/approvals?status=pending&limit=100', { token: await tok('sue', 'supervisor') }), 200);
    const stage = (queue.body.items as { id: string; caseId: string }[]).find((a) => a.caseId === id)!;
    return { caseId: id, send: call('POST', `/v1/approvals/${stage.id}/decision`, 'sue', 'supervisor', { decision: 'approve', comment: 'Loss evidenced' }) };
  },
  raiseEscalation: async () => {
    const id = await openCase();
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/escalations`, 'olive', 'handler', { reason: 'Customer threatens to go to the ombudsman' }) };
  },
  acknowledgeEscalation: async () => {
    const id = await openCase();
    const raised = await ok(api.call('POST', `/v1/complaints/${id}/escalations`, { token: await tok('olive', 'handler'), body: { reason: 'Customer threatens to go to the ombudsman' } }), 201);
    await api.pump();
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/escalations/${String(raised.body.id)}/acknowledgement`, 'sue', 'supervisor', { note: 'Calling the customer today' }) };
  },
  waiveEscalation: async () => {
    // 45 days into an 8-week regime: the 75 % checkpoint has fired and raised an escalation to waive.
    const id = await openCase({ receivedAt: new Date(localClock.nowMs() - 45 * 86_400_000).toISOString() });
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/escalation-waivers`, 'sue', 'supervisor', { checkpoint: 75, justification: 'The final response goes out tomorrow morning' }) };
  },
  requestExport: async () => {
    const id = await openCase();
    return { caseId: id, send: call('POST', `/v1/complaints/${id}/exports`, 'cora', 'compliance', {}) };
  },
};

const caseVersion = async (id: string): Promise<number> => {
  const res = await ok(api.call('GET', `/v1/complaints/${id}`, { token: await tok('sam', 'supervisor') }), 200);
  return res.body.version as number;
};

describe('If-Match on every case change', () => {
  it('the route table marks the changes the issue found unguarded', () => {
    expect(MUTATING.map((r) => r.id)).toEqual(expect.arrayContaining(['legalHold', 'acknowledgeEscalation', 'requestExport', 'decideApproval']));
    for (const r of MUTATING) expect({ route: r.id, etag: r.ok.etag, errors: r.errors }).toEqual({ route: r.id, etag: true, errors: expect.arrayContaining([412]) });
  });

  it.each(MUTATING.map((r) => [r.id] as const))('%s: 412 to a stale ETag (case untouched), then success with the new ETag', async (id) => {
    const arrange = ARRANGE[id];
    expect({ route: id, arranged: arrange !== undefined }).toEqual({ route: id, arranged: true });
    const { caseId, send } = await arrange!();
    const before = await caseVersion(caseId);

    expectProblem(await send(`"${before - 1}"`), 412);
    expect(await caseVersion(caseId)).toBe(before);

    const res = await ok(send(`"${before}"`), ROUTES[id].ok.status);
    // The version this call wrote; work it sets off (a workflow opening the next approval stage) may write later ones.
    const written = Number(/^"(\d+)"$/.exec(res.headers.get('etag') ?? '')?.[1]);
    expect(written).toBeGreaterThan(before);
    expect(await caseVersion(caseId)).toBeGreaterThanOrEqual(written);
    if (typeof res.body?.version === 'number') expect(res.body.version).toBe(written);
  });
});
