// If-Match on every case change (decideApproval included: If-Match takes its case's ETag), driven by the route
// table: each route marked ifMatch, in a state where it would
// succeed, answers 412 to a stale ETag without touching the case, then succeeds with the current one and returns the
// new ETag (the case version it wrote). Audit-only bookkeeping (auditOnly: an export job, a download link) extends the
// hash chain but never moves the version, so an ETag held before it still works after it, also under concurrency;
// and every route that writes is one of these, or named below as not a change of an existing case. A problem and a
// staff profile have their own version: their If-Match routes are proven the same way on that version.
import { createHash } from 'node:crypto';
import type { Role } from '#schemas/common';
import { routeList, ROUTES, type RouteDef, type RouteId } from '#http/routes';
import { uniqueDigits } from '../support/ids';
import type { components } from '@complaints/client';
import { expectProblem, localClock, settle, startTestApi, validComplaint, type ApiResponse, type TestApi } from '../support/api';

let api: TestApi;
const tok = (sub: string, role: Role) => api.token(sub, [role]);
/** The typed client as `sub` in `role`. */
const as = async (sub: string, role: Role) => api.client(await tok(sub, role));

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

/**
 * The arrangements are made side by side before the tests (each on records of its own), and the pumps they ask for
 * are shared: a caller waits until every other arrangement still running has finished or waits too, then one pump
 * serves them all. Each test then awaits its own arrangement (a failed one fails that test). Outside such a batch,
 * `pumpArranged` is a plain pump.
 */
let batch: { active: number; waiting: { resolve: () => void; reject: (err: unknown) => void }[] } | undefined;
const releaseBatch = () => {
  if (!batch || !batch.waiting.length || batch.waiting.length < batch.active) return;
  const waiting = batch.waiting.splice(0);
  api.pump().then(
    () => waiting.forEach((w) => w.resolve()),
    (err: unknown) => waiting.forEach((w) => w.reject(err)),
  );
};
const pumpArranged = (): Promise<unknown> => {
  if (!batch) return api.pump();
  const b = batch;
  return new Promise<void>((resolve, reject) => {
    b.waiting.push({ resolve, reject });
    releaseBatch();
  });
};
const arrangeTogether = async <K, T>(jobs: [K, () => Promise<T>][]): Promise<Map<K, Promise<T>>> => {
  const b = (batch = { active: jobs.length, waiting: [] });
  const started = jobs.map(([key, job]): [K, Promise<T>] => [
    key,
    job().finally(() => {
      b.active--;
      releaseBatch();
    }),
  ]);
  await Promise.allSettled(started.map(([, p]) => p));
  batch = undefined;
  return new Map(started);
};

const MUTATING = routeList().filter((r) => r.ifMatch);

/** Sends the arranged change with this If-Match (each route's own typed call). */
type Send = (ifMatch: string) => Promise<ApiResponse>;

const openCase = async (over: Record<string, unknown> = {}): Promise<string> => {
  const res = await settle((await as('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId: 'olive', ...over }) }));
  expect(res.status).toBe(201);
  await pumpArranged();
  return res.body.id as string;
};

const ok = async (res: Promise<ApiResponse>, status: number): Promise<ApiResponse> => {
  const r = await res;
  expect({ status: r.status, body: r.status === status ? undefined : r.body }).toEqual({ status, body: undefined });
  return r;
};

const ROOT_CAUSE = { category: 'carrier_capacity', description: 'Regional carrier over capacity' };
const REMEDY = { compensation: { amount: '200.00', currency: 'GBP' }, description: 'Compensation for the missed appointment' };
const PROPOSAL: components['schemas']['ProposeResolution'] = { decision: 'upheld', remedy: REMEDY, rootCause: ROOT_CAUSE, finalResponse: 'We uphold your complaint and will pay you compensation.' };
const PDF = Buffer.from('%PDF-1.4\nDelivery log.\n%%EOF\n');
const PDF_EVIDENCE: components['schemas']['RegisterEvidence'] = { fileName: 'log.pdf', contentType: 'application/pdf', sizeBytes: PDF.length, sha256: createHash('sha256').update(PDF).digest('hex') };

const etagOf = (res: ApiResponse): number => Number(/^"(\d+)"$/.exec(res.headers.get('etag') ?? '')?.[1]);

const REQUEST_RELEASE: components['schemas']['RequestRelease'] = {
  basis: 'legal_discovery',
  recipient: { name: 'Pat Counsel', organisation: 'Counsel LLP', email: 'pat@counsel.example' },
  reference: 'Claim HC-2026-000123',
  reason: 'Disclosure order of 1 December 2026',
};
const PROBLEM: components['schemas']['CreateProblem'] = { title: 'Payments screen crashes after app release 4.2', scope: { products: ['mobile-app'], categories: ['product_issue'] }, externalIds: ['INC0012345'] };

/** A problem record: it has its own version and ETag (the problem's, not a case's), returned with the reader of it. */
const openProblem = async (over: Partial<components['schemas']['CreateProblem']> = {}): Promise<{ problemId: string; version: () => Promise<number> }> => {
  const res = await ok(settle((await as('sam', 'supervisor')).POST('/v1/problems', { body: { ...PROBLEM, ...over } })), 201);
  const problemId = res.body.id as string;
  const version = async () => (await ok(settle((await as('sam', 'supervisor')).GET('/v1/problems/{id}', { params: { path: { id: problemId } } })), 200)).body.version as number;
  return { problemId, version };
};

/**
 * Puts a record in a state where the route succeeds, and says how to send it; a new ifMatch route without one fails
 * below. A case change names its case; a route whose If-Match is another record's own version (a problem, a staff
 * profile) says how to read that version instead.
 */
type Arranged = { send: Send } & ({ caseId: string } | { version: () => Promise<number> });
const ARRANGE: Partial<Record<RouteId, () => Promise<Arranged>>> = {
  reclassifyComplaint: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    return { caseId: id, send: (ifMatch) => settle(olive.PATCH('/v1/complaints/{id}', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { severity: 'high' } })) };
  },
  reassignOwner: async () => {
    const id = await openCase();
    const sam = await as('sam', 'supervisor');
    return { caseId: id, send: (ifMatch) => settle(sam.POST('/v1/complaints/{id}/owner', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { ownerId: 'bob', reason: 'Workload' } })) };
  },
  recordAcknowledgement: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    return { caseId: id, send: (ifMatch) => settle(olive.POST('/v1/complaints/{id}/acknowledgement', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: {} })) };
  },
  createTask: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    return { caseId: id, send: (ifMatch) => settle(olive.POST('/v1/complaints/{id}/tasks', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { title: 'Pull call recording', team: 'contact-centre' } })) };
  },
  updateTask: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    const task = await ok(settle(olive.POST('/v1/complaints/{id}/tasks', { params: { path: { id } }, body: { title: 'Pull call recording', team: 'contact-centre' } })), 201);
    const taskId = task.body.id as string;
    return { caseId: id, send: (ifMatch) => settle(olive.PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id, taskId }, header: { 'If-Match': ifMatch } }, body: { status: 'done', findings: 'Recording confirms the missed slot' } })) };
  },
  addNote: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    return { caseId: id, send: (ifMatch) => settle(olive.POST('/v1/complaints/{id}/notes', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { kind: 'call_note', body: 'Called the customer' } })) };
  },
  closeComplaint: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    return { caseId: id, send: (ifMatch) => settle(olive.POST('/v1/complaints/{id}/close', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { followUpAction: 'Review carrier capacity', rootCause: ROOT_CAUSE } })) };
  },
  reopenComplaint: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    await ok(settle(olive.POST('/v1/complaints/{id}/close', { params: { path: { id } }, body: { followUpAction: 'Review carrier capacity', rootCause: ROOT_CAUSE } })), 200);
    return { caseId: id, send: (ifMatch) => settle(olive.POST('/v1/complaints/{id}/reopen', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { reason: 'The customer disputes the outcome' } })) };
  },
  clockAction: async () => {
    const id = await openCase({ regime: 'INTERNAL_STANDARD' });
    const olive = await as('olive', 'handler');
    return { caseId: id, send: (ifMatch) => settle(olive.POST('/v1/complaints/{id}/clock', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { action: 'pause', reason: 'Waiting for the customer’s statements' } })) };
  },
  decideTriage: async () => {
    const id = await openCase();
    const sam = await as('sam', 'supervisor');
    return { caseId: id, send: (ifMatch) => settle(sam.POST('/v1/complaints/{id}/triage/decisions', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { field: 'regulatory', value: false, reason: 'Not a regulated activity' } })) };
  },
  registerEvidence: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    return { caseId: id, send: (ifMatch) => settle(olive.POST('/v1/complaints/{id}/evidence', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: PDF_EVIDENCE })) };
  },
  legalHold: async () => {
    const id = await openCase();
    const lee = await as('lee', 'legal');
    return { caseId: id, send: (ifMatch) => settle(lee.POST('/v1/complaints/{id}/legal-hold', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { on: true, reason: 'Litigation expected' } })) };
  },
  proposeResolution: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    return { caseId: id, send: (ifMatch) => settle(olive.POST('/v1/complaints/{id}/resolution', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: PROPOSAL })) };
  },
  sendFinalResponse: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    await ok(settle(olive.POST('/v1/complaints/{id}/resolution', { params: { path: { id } }, body: PROPOSAL })), 201);
    await pumpArranged();
    return { caseId: id, send: (ifMatch) => settle(olive.POST('/v1/complaints/{id}/final-response', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: {} })) };
  },
  decideApproval: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    const proposed = await ok(settle(olive.POST('/v1/complaints/{id}/resolution', { params: { path: { id } }, body: { ...PROPOSAL, remedy: { ...REMEDY, compensation: { amount: '1500.00', currency: 'GBP' } } } })), 201);
    expect((proposed.body.stages as unknown[]).length).toBeGreaterThan(0);
    await pumpArranged();
    const sue = await as('sue', 'supervisor');
    const queue = await ok(settle(sue.GET('/v1/approvals', { params: { query: { status: 'pending', limit: 100 } } })), 200);
    const stage = (queue.body.items as { id: string; caseId: string }[]).find((a) => a.caseId === id)!;
    return { caseId: id, send: (ifMatch) => settle(sue.POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId: stage.id }, header: { 'If-Match': ifMatch } }, body: { decision: 'approve', comment: 'Loss evidenced' } })) };
  },
  raiseEscalation: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    return { caseId: id, send: (ifMatch) => settle(olive.POST('/v1/complaints/{id}/escalations', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { reason: 'Customer threatens to go to the ombudsman' } })) };
  },
  acknowledgeEscalation: async () => {
    const id = await openCase();
    const raised = await ok(settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/escalations', { params: { path: { id } }, body: { reason: 'Customer threatens to go to the ombudsman' } })), 201);
    await pumpArranged();
    const escalationId = raised.body.id as string;
    const sue = await as('sue', 'supervisor');
    return { caseId: id, send: (ifMatch) => settle(sue.POST('/v1/complaints/{id}/escalations/{escalationId}/acknowledgement', { params: { path: { id, escalationId }, header: { 'If-Match': ifMatch } }, body: { note: 'Calling the customer today' } })) };
  },
  waiveEscalation: async () => {
    // 45 days into an 8-week regime: the 75 % checkpoint has fired and raised an escalation to waive.
    const id = await openCase({ receivedAt: new Date(localClock.nowMs() - 45 * 86_400_000).toISOString() });
    const sue = await as('sue', 'supervisor');
    return { caseId: id, send: (ifMatch) => settle(sue.POST('/v1/complaints/{id}/escalation-waivers', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { checkpoint: 75, justification: 'The final response goes out tomorrow morning' } })) };
  },
  requestExport: async () => {
    const id = await openCase();
    const cora = await as('cora', 'compliance');
    return { caseId: id, send: (ifMatch) => settle(cora.POST('/v1/complaints/{id}/exports', { params: { path: { id }, header: { 'If-Match': ifMatch } } })) };
  },
  markSpam: async () => {
    const id = await openCase();
    const sam = await as('sam', 'supervisor');
    return { caseId: id, send: (ifMatch) => settle(sam.POST('/v1/complaints/{id}/spam', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { reason: 'Automated mailer' } })) };
  },
  markDuplicate: async () => {
    const original = await openCase();
    const id = await openCase();
    const sam = await as('sam', 'supervisor');
    return { caseId: id, send: (ifMatch) => settle(sam.POST('/v1/complaints/{id}/duplicate-of', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { caseId: original, reason: 'Same email twice' } })) };
  },
  unmarkComplaint: async () => {
    const id = await openCase();
    const sam = await as('sam', 'supervisor');
    await ok(settle(sam.POST('/v1/complaints/{id}/spam', { params: { path: { id } }, body: { reason: 'Automated mailer' } })), 200);
    return { caseId: id, send: (ifMatch) => settle(sam.POST('/v1/complaints/{id}/unmark', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: { reason: 'A real customer after all' } })) };
  },
  requestRelease: async () => {
    const id = await openCase();
    const cora = await as('cora', 'compliance');
    return { caseId: id, send: (ifMatch) => settle(cora.POST('/v1/complaints/{id}/releases', { params: { path: { id }, header: { 'If-Match': ifMatch } }, body: REQUEST_RELEASE })) };
  },
  decideRelease: async () => {
    const id = await openCase();
    const asked = await ok(settle((await as('cora', 'compliance')).POST('/v1/complaints/{id}/releases', { params: { path: { id } }, body: REQUEST_RELEASE })), 201);
    const releaseId = asked.body.id as string;
    const lena = await as('lena', 'legal');
    return { caseId: id, send: (ifMatch) => settle(lena.POST('/v1/complaints/{id}/releases/{releaseId}/decision', { params: { path: { id, releaseId }, header: { 'If-Match': ifMatch } }, body: { decision: 'approve', comment: 'Order checked against the file' } })) };
  },
  // Problems: If-Match takes the problem's own ETag (a problem is not a case; linking writes the problem, not the case).
  updateProblem: async () => {
    const { problemId, version } = await openProblem();
    const sam = await as('sam', 'supervisor');
    return { version, send: (ifMatch) => settle(sam.PATCH('/v1/problems/{id}', { params: { path: { id: problemId }, header: { 'If-Match': ifMatch } }, body: { rootCause: 'Null pointer in the card list' } })) };
  },
  linkProblemComplaint: async () => {
    const caseId = await openCase();
    const { problemId, version } = await openProblem();
    const cora = await as('cora', 'compliance');
    return { version, send: (ifMatch) => settle(cora.POST('/v1/problems/{id}/complaints', { params: { path: { id: problemId }, header: { 'If-Match': ifMatch } }, body: { caseId, reason: 'Customer describes the same crash' } })) };
  },
  unlinkProblemComplaint: async () => {
    const caseId = await openCase();
    const { problemId, version } = await openProblem({ caseIds: [caseId], reason: 'Same crash' });
    const sam = await as('sam', 'supervisor');
    return { version, send: (ifMatch) => settle(sam.DELETE('/v1/problems/{id}/complaints/{caseId}', { params: { path: { id: problemId, caseId }, query: { reason: 'Different crash after review' }, header: { 'If-Match': ifMatch } } })) };
  },
  closeProblem: async () => {
    const { problemId, version } = await openProblem();
    const fix = { description: 'Release 4.2.1', fixedAt: new Date(localClock.nowMs() - 86_400_000).toISOString() };
    const sam = await as('sam', 'supervisor');
    return { version, send: (ifMatch) => settle(sam.POST('/v1/problems/{id}/close', { params: { path: { id: problemId }, header: { 'If-Match': ifMatch } }, body: { reason: 'Release 4.2.1 fixed it', rootCause: 'Null pointer in the card list', fix } })) };
  },
  // A staff profile's availability: If-Match takes the profile's own version. There is no read route for it, so the
  // version is the one the first PUT answered; a 412 that moved it would make the call with that version fail too.
  setAvailability: async () => {
    const staffId = `h-${uniqueDigits()}`;
    const sam = await as('sam', 'supervisor');
    const first = await ok(settle(sam.PUT('/v1/staff/{id}/availability', { params: { path: { id: staffId } }, body: { outOfOffice: [], capacity: 5 } })), 200);
    const held = etagOf(first);
    return { version: async () => held, send: (ifMatch) => settle(sam.PUT('/v1/staff/{id}/availability', { params: { path: { id: staffId }, header: { 'If-Match': ifMatch } }, body: { outOfOffice: [], capacity: 4 } })) };
  },
};

const caseVersion = async (id: string): Promise<number> => {
  const res = await ok(settle((await as('sam', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id } } })), 200);
  return res.body.version as number;
};

describe('If-Match on every case change', () => {
  it('the route table marks the changes the issue found unguarded', () => {
    expect(MUTATING.map((r) => r.id)).toEqual(expect.arrayContaining(['legalHold', 'acknowledgeEscalation', 'requestExport', 'decideApproval']));
    for (const r of MUTATING) expect({ route: r.id, etag: r.ok.etag, errors: r.errors }).toEqual({ route: r.id, etag: true, errors: expect.arrayContaining([412]) });
  });

  it.each(MUTATING.map((r) => [r.id] as const))('%s: 412 to a stale ETag (case untouched), then success with the new ETag', async (id) => {
    expect({ route: id, arranged: ARRANGE[id] !== undefined }).toEqual({ route: id, arranged: true });
    const arranged = await arrangedFor<Arranged>(`ifMatch ${id}`);
    const { send } = arranged;
    const current = 'caseId' in arranged ? () => caseVersion(arranged.caseId) : arranged.version;
    const before = await current();

    expectProblem(await send(`"${before - 1}"`), 412);
    expect(await current()).toBe(before);

    const res = await ok(send(`"${before}"`), ROUTES[id].ok.status);
    // The version this call wrote; work it sets off (a workflow opening the next approval stage) may write later ones.
    const written = Number(/^"(\d+)"$/.exec(res.headers.get('etag') ?? '')?.[1]);
    // Audit-only bookkeeping honours If-Match but writes no new version: its ETag is the one the client sent.
    if ((ROUTES[id] as RouteDef).auditOnly) expect(written).toBe(before);
    else expect(written).toBeGreaterThan(before);
    if ('caseId' in arranged) expect(await current()).toBeGreaterThanOrEqual(written);
    else expect(written).toBe(before + 1);
    if (typeof res.body?.version === 'number') expect(res.body.version).toBe(written);
  });
});

const timeline = async (id: string) => (await ok(settle((await as('sam', 'supervisor')).GET('/v1/complaints/{id}/timeline', { params: { path: { id } } })), 200)).body as { items: { seq: number; action: string }[]; chain: { valid: boolean; length: number } };

/** A case whose export is built and ready (the request, its start and its completion are bookkeeping already). */
const exported = async (): Promise<{ caseId: string; exportId: string }> => {
  const caseId = await openCase();
  const req = await ok(settle((await as('cora', 'compliance')).POST('/v1/complaints/{id}/exports', { params: { path: { id: caseId } } })), 202);
  await pumpArranged();
  return { caseId, exportId: req.body.exportId as string };
};

/** A case with one verified evidence item (verification is a change of the case: it happens before the ETag is read). */
const verifiedEvidence = async (): Promise<{ caseId: string; evidenceId: string }> => {
  const caseId = await openCase();
  const reg = await ok(settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/evidence', { params: { path: { id: caseId } }, body: PDF_EVIDENCE })), 201);
  const upload = reg.body.upload as { url: string; headers: Record<string, string> };
  // Raw: the presigned upload goes to S3, not to the API the client describes.
  expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: PDF })).status).toBe(200);
  await api.s3Idle();
  await pumpArranged();
  return { caseId, evidenceId: reg.body.evidenceId as string };
};

/** For each audit-only route: a case, the call (which must succeed), and the audit events it must have added. */
const ARRANGE_AUDIT_ONLY: Partial<Record<RouteId, () => Promise<{ caseId: string; run: () => Promise<ApiResponse>; actions: string[] }>>> = {
  requestExport: async () => {
    const caseId = await openCase();
    return {
      caseId,
      run: async () => {
        const res = await ok(settle((await as('cora', 'compliance')).POST('/v1/complaints/{id}/exports', { params: { path: { id: caseId } } })), 202);
        // The builder's claim and completion are bookkeeping too.
        await api.pump();
        return res;
      },
      actions: ['export.requested', 'export.started', 'export.completed'],
    };
  },
  getExport: async () => {
    const { caseId, exportId } = await exported();
    return { caseId, run: async () => ok(settle((await as('cora', 'compliance')).GET('/v1/exports/{exportId}', { params: { path: { exportId } } })), 200), actions: ['export.download_issued'] };
  },
  getEvidence: async () => {
    const { caseId, evidenceId } = await verifiedEvidence();
    return { caseId, run: async () => ok(settle((await as('olive', 'handler')).GET('/v1/complaints/{id}/evidence/{evidenceId}', { params: { path: { id: caseId, evidenceId } } })), 200), actions: ['evidence.download_issued'] };
  },
};

const AUDIT_ONLY = routeList().filter((r) => r.auditOnly);

/**
 * Every test's records, made before the tests side by side with shared pumps (arrangeTogether): each If-Match route's
 * arrangement, each audit-only route's, and the cases of the two export tests below. Each test awaits its own.
 */
let arrangements = new Map<string, Promise<unknown>>();
const arrangedFor = <T>(key: string): Promise<T> => arrangements.get(key) as Promise<T>;
beforeAll(async () => {
  arrangements = await arrangeTogether<string, unknown>([
    ...MUTATING.flatMap((r): [string, () => Promise<unknown>][] => (ARRANGE[r.id] ? [[`ifMatch ${r.id}`, ARRANGE[r.id]!]] : [])),
    ...AUDIT_ONLY.flatMap((r): [string, () => Promise<unknown>][] => (ARRANGE_AUDIT_ONLY[r.id] ? [[`auditOnly ${r.id}`, ARRANGE_AUDIT_ONLY[r.id]!]] : [])),
    ['export held etag', () => openCase()],
    ['export race', () => exported()],
  ]);
}, 180_000);

describe('audit-only bookkeeping keeps every ETag a client holds', () => {
  it('the route table marks the export request and both download links audit-only', () => {
    expect(AUDIT_ONLY.map((r) => r.id).sort()).toEqual(['getEvidence', 'getExport', 'requestExport']);
  });

  it.each(AUDIT_ONLY.map((r) => [r.id] as const))('%s: its events join the chain, the version stays, and the ETag held before it still works', async (id) => {
    expect({ route: id, arranged: ARRANGE_AUDIT_ONLY[id] !== undefined }).toEqual({ route: id, arranged: true });
    const { caseId, run, actions } = await arrangedFor<{ caseId: string; run: () => Promise<ApiResponse>; actions: string[] }>(`auditOnly ${id}`);
    const held = await caseVersion(caseId);
    const chainBefore = await timeline(caseId);

    await run();

    expect(await caseVersion(caseId)).toBe(held);
    const after = await timeline(caseId);
    expect(after.chain).toMatchObject({ valid: true });
    const added = after.items.slice(chainBefore.items.length).map((e) => e.action);
    expect(added).toEqual(expect.arrayContaining(actions));
    expect(after.items.map((e) => e.seq)).toEqual(after.items.map((_, i) => i + 1));
    // The handler who read the case before the bookkeeping changes it with that ETag.
    const patched = await ok(settle((await as('olive', 'handler')).PATCH('/v1/complaints/{id}', { params: { path: { id: caseId }, header: { 'If-Match': `"${held}"` } }, body: { severity: 'high' } })), 200);
    expect(etagOf(patched)).toBe(held + 1);
  });

  it('an ETag held before an export still works after the export is requested, built and downloaded; a conditional GET stays 304', async () => {
    const caseId = await arrangedFor<string>('export held etag');
    const olive = await as('olive', 'handler');
    const cora = await as('cora', 'compliance');
    const read = await ok(settle(olive.GET('/v1/complaints/{id}', { params: { path: { id: caseId } } })), 200);
    const held = etagOf(read);
    const req = await ok(settle(cora.POST('/v1/complaints/{id}/exports', { params: { path: { id: caseId } } })), 202);
    expect(etagOf(req)).toBe(held);
    await api.pump();
    const got = await ok(settle(cora.GET('/v1/exports/{exportId}', { params: { path: { exportId: req.body.exportId as string } } })), 200);
    expect(got.body).toMatchObject({ status: 'ready', downloadUrl: expect.any(String) });
    const polled = await settle(olive.GET('/v1/complaints/{id}', { params: { path: { id: caseId }, header: { 'If-None-Match': `"${held}"` } } }));
    expect(polled.status).toBe(304);
    await ok(settle(olive.POST('/v1/complaints/{id}/notes', { params: { path: { id: caseId }, header: { 'If-Match': `"${held}"` } }, body: { kind: 'call_note', body: 'Told the customer the bundle is ready' } })), 201);
    const t = await timeline(caseId);
    expect(t.items.map((e) => e.action)).toEqual(expect.arrayContaining(['export.requested', 'export.started', 'export.completed', 'export.download_issued', 'note.added']));
    expect(t.chain.valid).toBe(true);
  });

  it('bookkeeping racing case changes loses no event and doubles none: every success is in the chain once, seqs stay contiguous', async () => {
    const { caseId, exportId } = await arrangedFor<{ caseId: string; exportId: string }>('export race');
    const before = await caseVersion(caseId);
    const chainBefore = (await timeline(caseId)).items.length;
    const olive = await as('olive', 'handler');
    const cora = await as('cora', 'compliance');
    const results = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => settle(olive.POST('/v1/complaints/{id}/notes', { params: { path: { id: caseId } }, body: { kind: 'call_note', body: `Race note ${i}` } }))),
      ...Array.from({ length: 4 }, () => settle(cora.GET('/v1/exports/{exportId}', { params: { path: { exportId } } }))),
    ]);
    // A writer that lost every retry gets a retryable 409 and wrote nothing; never a 412 (nobody sent If-Match) or a 500.
    for (const r of results) expect([200, 201, 409]).toContain(r.status);
    const notes = results.slice(0, 4).filter((r) => r.status === 201).length;
    const links = results.slice(4).filter((r) => r.status === 200).length;
    expect(notes + links).toBeGreaterThan(0);

    const t = await timeline(caseId);
    expect(t.chain.valid).toBe(true);
    expect(t.items.map((e) => e.seq)).toEqual(t.items.map((_, i) => i + 1));
    const added = t.items.slice(chainBefore).map((e) => e.action);
    expect(added.filter((a) => a === 'note.added')).toHaveLength(notes);
    expect(added.filter((a) => a === 'export.download_issued')).toHaveLength(links);
    expect(added).toHaveLength(notes + links);
    // Only the notes moved the version.
    expect(await caseVersion(caseId)).toBe(before + notes);
  });
});

/**
 * Routes that write but do not change an existing case a client could hold an ETag of, and why. Every other writing
 * route must be ifMatch (a case change) or auditOnly (bookkeeping): a new one fails the test below until it is sorted.
 */
const NOT_A_CASE_CHANGE: Partial<Record<RouteId, string>> = {
  createComplaint: 'creates the case: there is no version to hold yet',
  helpdeskIntake: 'creates a case (or answers the open one of the ticket unchanged); signed webhook, no ETag',
  replayInboundRejection: 'runs a stored message through the email intake: opens a case or joins one as the email intake does',
  submitFeedback: 'the customer’s single-use link (public): the customer holds no ETag; the case records the answer',
  createWebhook: 'a subscription, not a case',
  deleteWebhook: 'a subscription, not a case',
  createProblem: 'creates a problem record (its own version and ETag, not a case’s); linking a complaint changes the problem, not the case',
  acceptProblemSuggestion: 'opens a problem or links complaints to one (the problem’s own version); the suggestion is decided once (409 after)',
  dismissProblemSuggestion: 'decides a suggestion, which has no version a client holds; decided once (409 after)',
  createChange: 'records a deployment or configuration change for spike correlation (machine scope); a repeat is the same change',
};

describe('every route that writes is covered', () => {
  it.each(routeList().filter((r) => r.method !== 'GET' || r.writes).map((r) => [r.id] as const))('%s: a case change with If-Match, audit-only bookkeeping, or not a change of a case (with the reason)', (id) => {
    const r = ROUTES[id] as RouteDef;
    const kind = r.ifMatch ? 'ifMatch' : r.auditOnly ? 'auditOnly' : NOT_A_CASE_CHANGE[id] ? 'not a case change' : 'unclassified';
    expect({ route: id, kind }).not.toEqual({ route: id, kind: 'unclassified' });
    // Covered above: the ifMatch table and the audit-only table each have an arrangement for the route.
    if (r.ifMatch && !r.auditOnly) expect({ route: id, arranged: ARRANGE[id] !== undefined }).toEqual({ route: id, arranged: true });
    if (r.auditOnly) expect({ route: id, arranged: ARRANGE_AUDIT_ONLY[id] !== undefined }).toEqual({ route: id, arranged: true });
  });
});
