// Conformance: a valid request to every operation of the OpenAPI document the server serves (table-driven from the
// document, one fixture per operation), each answer checked against the document: a documented success status, a
// documented content type, the body valid against the documented schema (ajv, JSON Schema 2020-12 as OpenAPI 3.1
// uses it, with formats), and every required response header present. An operation without a fixture fails the file.
// Raw requests by design: the requests are built generically from the served OpenAPI document, one fixture per
// operation, so the check does not lean on the client generated from that same document.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { DynamoProblemStore } from '#adapters/aws/dynamo/problem-store';
import { INTAKE_SCOPE } from '#schemas/common';
import type { Suggestion } from '#schemas/problems';
import { monotonicFactory } from 'ulid';
import { rawDocClient } from '../support/dynamo';
import { rawEmail, storedRejection } from '../support/inbound';
import { uniqueDigits } from '../support/ids';
import { complaintBody, createComplaint, startTestApi, type ApiResponse, type TestApi } from '../support/api';
import { feedbackLinkToken, helpdeskSignature, releaseRequestBody, resolutionBody } from '../support/route-fixtures';

// Fixtures move cases through approvals, timers and exports on a loaded 2-core machine.
jest.setTimeout(120_000);

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  description: string;
  headers?: Record<string, { required?: boolean }>;
  content?: Record<string, MediaType>;
}
interface OperationObject {
  operationId: string;
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
}
interface OpenApiDoc {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], OperationObject>>>;
  webhooks?: Record<string, Partial<Record<(typeof METHODS)[number], OperationObject>>>;
  components: Record<string, unknown>;
}

interface Operation {
  id: string;
  method: (typeof METHODS)[number];
  path: string;
  op: OperationObject;
}

/** What a fixture sends: the path with its parameters filled (and any query), a token, a body and headers. */
interface Request {
  path: string;
  token?: string;
  body?: unknown;
  /** Sent as is (a signed delivery is checked over these exact bytes). */
  rawBody?: string;
  headers?: Record<string, string>;
}

let api: TestApi;
let doc: OpenApiDoc;
const tokens: Record<'supervisor' | 'supervisor2' | 'compliance' | 'legal' | 'admin' | 'intake' | 'owner' | 'machine', string> = {} as never;
const OWNER = 'conformance-owner';

// ---- fixture helpers: each call arranges its own state, so operations never depend on each other's -------------

const ok = (res: ApiResponse, status: number, what: string): ApiResponse => {
  if (res.status !== status) throw new Error(`conformance fixture: ${what} answered ${res.status} ${res.text.slice(0, 300)}`);
  return res;
};

// Arranged through the typed client; the operation under test is always sent raw, exactly as the fixture says.
const createCase = async (over: Record<string, unknown> = {}): Promise<string> => (await createComplaint(api, tokens.supervisor, { ownerId: OWNER, ...over })).id;

const RESOLUTION = resolutionBody;

const proposed = async (caseId: string, amount: string): Promise<ApiResponse> =>
  ok(await api.raw('POST', `/v1/complaints/${caseId}/resolution`, { token: tokens.owner, body: RESOLUTION(amount) }), 201, 'propose a resolution');

const escalated = async (caseId: string): Promise<string> =>
  ok(await api.raw('POST', `/v1/complaints/${caseId}/escalations`, { token: tokens.supervisor, body: { reason: 'Customer threatens to go to the ombudsman' } }), 201, 'raise an escalation').body.id as string;

const webhook = async (): Promise<string> =>
  ok(await api.raw('POST', '/v1/webhooks', { token: tokens.admin, body: { url: 'http://127.0.0.1:9/conformance', eventTypes: ['ComplaintReopened'] } }), 201, 'subscribe a webhook').body.id as string;

const nowIso = async (): Promise<string> => (await api.raw('GET', '/local/clock')).body.now as string;

/** A signed generic-helpdesk delivery of a new ticket. */
const signedDelivery = (): Pick<Request, 'rawBody' | 'headers'> => {
  const body = JSON.stringify({ system: 'conformance-desk', ticketId: `c-${uniqueDigits()}`, subject: 'Refund missing', description: 'The refund never arrived.', customer: { id: 'conf-cust', name: 'Conformance Customer' } });
  return { rawBody: body, headers: { 'content-type': 'application/json', ...helpdeskSignature(api, body) } };
};

/** A feedback link as the follow-up timer leaves it, on a new case (test/support/route-fixtures.ts). */
const feedbackToken = async (): Promise<string> => feedbackLinkToken(api, await createCase());

const DAY_MS = 86_400_000;
const daysFrom = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY_MS).toISOString();

const problemBody = (over: Record<string, unknown> = {}) => ({
  title: 'Payments screen crashes after app release 4.2',
  scope: { products: ['mobile-app'], categories: ['product_issue'] },
  externalIds: ['INC0012345', 'PRB0040001', 'OPS-123'],
  ...over,
});

/** An open problem linking one new case; its id and that case's. */
const problemWithCase = async (): Promise<{ id: string; caseId: string }> => {
  const caseId = await createCase();
  const res = ok(await api.raw('POST', '/v1/problems', { token: tokens.supervisor, body: problemBody({ caseIds: [caseId], reason: 'Same crash on the payments screen' }) }), 201, 'open a problem');
  return { id: res.body.id as string, caseId };
};

const RELEASE_REQUEST = releaseRequestBody();

/** A pending release of a new case, requested by a supervisor (neither approver nor owner). */
const releaseRequested = async (): Promise<{ caseId: string; releaseId: string }> => {
  const caseId = await createCase();
  const res = ok(await api.raw('POST', `/v1/complaints/${caseId}/releases`, { token: tokens.supervisor, body: RELEASE_REQUEST }), 201, 'request a release');
  return { caseId, releaseId: res.body.id as string };
};

const suggestionIds = monotonicFactory();

/**
 * A pending create-problem suggestion whose evidence is a new case, stored through the real adapter as the daily job
 * would (the conformance stack runs no daily job).
 */
const pendingSuggestion = async (): Promise<string> => {
  const c = await createComplaint(api, tokens.supervisor, { ownerId: OWNER, summary: 'Login verification code never received', description: 'The login verification text code never arrives.', product: 'login-service', category: 'product_issue' });
  const now = await nowIso();
  const id = suggestionIds(Date.parse(now));
  const suggestion: Suggestion = {
    id,
    kind: 'create_problem',
    status: 'pending',
    suggestedTitle: '1 similar complaint: login, verif, code',
    scope: { products: [c.product], categories: [c.category] },
    evidence: [{ caseId: c.id, reference: c.reference, product: c.product, category: c.category, receivedAt: c.receivedAt, similarity: 1 }],
    pairs: [],
    sharedTerms: ['login', 'verif', 'code'],
    threshold: 0.5,
    window: { from: daysFrom(now, -7), to: now },
    createdAt: now,
  };
  const stored = await new DynamoProblemStore(rawDocClient(), { tableName: api.tables.cases }).putSuggestion(suggestion, `conformance-${id}`);
  if (!stored) throw new Error('conformance fixture: the suggestion was not stored');
  return id;
};

/** One valid request per operation of the document, by operationId. */
const FIXTURES: Record<string, () => Promise<Request>> = {
  health: async () => ({ path: '/v1/health' }),
  openapi: async () => ({ path: '/v1/openapi.json' }),
  deadlineReport: async () => ({ path: '/v1/reports/deadlines', token: tokens.supervisor }),
  kpiReport: async () => ({ path: '/v1/reports/kpis', token: tokens.supervisor }),
  controlScore: async () => ({ path: '/v1/reports/control-score', token: tokens.compliance }),
  controlReview: async () => ({ path: '/v1/reports/control-review?last=5', token: tokens.supervisor }),
  regulatorReturn: async () => ({ path: '/v1/reports/returns?regime=UK_FCA_DISP&period=2026-H1', token: tokens.compliance }),
  triageReport: async () => ({ path: '/v1/reports/triage', token: tokens.supervisor }),
  listRegimes: async () => ({ path: '/v1/regimes', token: tokens.intake }),
  createComplaint: async () => ({ path: '/v1/complaints', token: tokens.intake, body: complaintBody() }),
  listComplaints: async () => {
    await createCase();
    return { path: '/v1/complaints?limit=5', token: tokens.supervisor };
  },
  getComplaint: async () => ({ path: `/v1/complaints/${await createCase()}`, token: tokens.supervisor }),
  // The document's own PATCH media type: a JSON merge patch.
  reclassifyComplaint: async () => ({ path: `/v1/complaints/${await createCase()}`, token: tokens.owner, body: { severity: 'high' }, headers: { 'content-type': 'application/merge-patch+json' } }),
  reassignOwner: async () => ({ path: `/v1/complaints/${await createCase()}/owner`, token: tokens.supervisor, body: { ownerId: 'conformance-owner-2', reason: 'Workload balancing' } }),
  recordAcknowledgement: async () => ({ path: `/v1/complaints/${await createCase()}/acknowledgement`, token: tokens.owner, body: { channel: 'email' } }),
  createTask: async () => ({ path: `/v1/complaints/${await createCase()}/tasks`, token: tokens.owner, body: { title: 'Pull delivery logs', team: 'operations' } }),
  listTasks: async () => {
    const id = await createCase();
    ok(await api.raw('POST', `/v1/complaints/${id}/tasks`, { token: tokens.owner, body: { title: 'Pull delivery logs', team: 'operations' } }), 201, 'open a task');
    return { path: `/v1/complaints/${id}/tasks`, token: tokens.supervisor };
  },
  updateTask: async () => {
    const id = await createCase();
    const task = ok(await api.raw('POST', `/v1/complaints/${id}/tasks`, { token: tokens.owner, body: { title: 'Pull delivery logs', team: 'operations' } }), 201, 'open a task');
    return { path: `/v1/complaints/${id}/tasks/${task.body.id as string}`, token: tokens.owner, body: { status: 'done', findings: 'Three failed delivery slots' }, headers: { 'content-type': 'application/merge-patch+json' } };
  },
  addNote: async () => ({ path: `/v1/complaints/${await createCase()}/notes`, token: tokens.legal, body: { kind: 'call_note', body: 'Customer confirmed the missed appointment.' } }),
  listNotes: async () => {
    const id = await createCase();
    ok(await api.raw('POST', `/v1/complaints/${id}/notes`, { token: tokens.owner, body: { kind: 'finding', body: 'Depot overbooked.' } }), 201, 'add a note');
    return { path: `/v1/complaints/${id}/notes`, token: tokens.supervisor };
  },
  closeComplaint: async () => ({
    path: `/v1/complaints/${await createCase()}/close`,
    token: tokens.supervisor,
    body: { followUpAction: 'Review depot slot allocation', rootCause: { category: 'capacity', description: 'Depot overbooked slots' } },
  }),
  reopenComplaint: async () => {
    const id = await createCase();
    ok(await api.raw('POST', `/v1/complaints/${id}/close`, { token: tokens.supervisor, body: { followUpAction: 'Review depot slot allocation', rootCause: { category: 'capacity', description: 'Depot overbooked slots' } } }), 200, 'close');
    return { path: `/v1/complaints/${id}/reopen`, token: tokens.owner, body: { reason: 'Customer disputes the outcome' } };
  },
  // The clock may pause only under INTERNAL_STANDARD.
  clockAction: async () => ({ path: `/v1/complaints/${await createCase({ regime: 'INTERNAL_STANDARD' })}/clock`, token: tokens.owner, body: { action: 'pause', reason: 'Waiting for the customer to send bank statements' } }),
  getTriage: async () => ({ path: `/v1/complaints/${await createCase()}/triage`, token: tokens.owner }),
  decideTriage: async () => ({ path: `/v1/complaints/${await createCase()}/triage/decisions`, token: tokens.supervisor, body: { field: 'severity', value: 'high', reason: 'Repeat failure with a financial loss' } }),
  getTimeline: async () => ({ path: `/v1/complaints/${await createCase()}/timeline`, token: tokens.compliance }),
  registerEvidence: async () => ({
    path: `/v1/complaints/${await createCase()}/evidence`,
    token: tokens.owner,
    body: { fileName: 'delivery-note.pdf', contentType: 'application/pdf', sizeBytes: 1024, sha256: 'ab'.repeat(32) },
  }),
  listEvidence: async () => ({ path: `/v1/complaints/${await createCase()}/evidence`, token: tokens.supervisor }),
  getEvidence: async () => {
    const id = await createCase();
    const ev = ok(await api.raw('POST', `/v1/complaints/${id}/evidence`, { token: tokens.owner, body: { fileName: 'delivery-note.pdf', contentType: 'application/pdf', sizeBytes: 1024, sha256: 'cd'.repeat(32) } }), 201, 'register evidence');
    return { path: `/v1/complaints/${id}/evidence/${ev.body.evidenceId as string}`, token: tokens.supervisor };
  },
  legalHold: async () => ({ path: `/v1/complaints/${await createCase()}/legal-hold`, token: tokens.legal, body: { on: true, reason: 'Litigation notice received from the customer’s solicitor' } }),
  proposeResolution: async () => ({ path: `/v1/complaints/${await createCase()}/resolution`, token: tokens.owner, body: RESOLUTION('300.00') }),
  listApprovals: async () => {
    await proposed(await createCase(), '300.00');
    return { path: '/v1/approvals', token: tokens.supervisor };
  },
  // A case's stages: one pending supervisor stage, open for a decision.
  listCaseApprovals: async () => {
    const id = await createCase();
    await proposed(id, '300.00');
    return { path: `/v1/complaints/${id}/approvals`, token: tokens.supervisor };
  },
  // A compensation above the supervisor threshold opens one supervisor stage, decided by a supervisor who is neither owner nor proposer.
  decideApproval: async () => {
    const caseId = await createCase();
    await proposed(caseId, '300.00');
    const pending = ok(await api.raw('GET', '/v1/approvals?limit=100', { token: tokens.supervisor2 }), 200, 'list approvals');
    const stage = (pending.body.items as { id: string; caseId: string; role: string }[]).find((a) => a.caseId === caseId && a.role === 'supervisor');
    if (!stage) throw new Error('conformance fixture: the proposal opened no supervisor stage');
    return { path: `/v1/approvals/${stage.id}/decision`, token: tokens.supervisor2, body: { decision: 'approve', comment: 'Within policy' } };
  },
  // A small goodwill payment needs no approval: the owner sends the approved text.
  sendFinalResponse: async () => {
    const id = await createCase();
    const res = await proposed(id, '50.00');
    if ((res.body.stages as unknown[]).length) throw new Error('conformance fixture: a £50 proposal should need no approval');
    return { path: `/v1/complaints/${id}/final-response`, token: tokens.owner, body: { channel: 'email' } };
  },
  previewLetter: async () => ({ path: `/v1/complaints/${await createCase()}/letters/acknowledgement`, token: tokens.supervisor }),
  raiseEscalation: async () => ({ path: `/v1/complaints/${await createCase()}/escalations`, token: tokens.owner, body: { reason: 'Customer threatens to go to the ombudsman' } }),
  acknowledgeEscalation: async () => {
    const id = await createCase();
    const escalationId = await escalated(id);
    return { path: `/v1/complaints/${id}/escalations/${escalationId}/acknowledgement`, token: tokens.supervisor2, body: { note: 'Taking it to the depot manager today' } };
  },
  // Received 45 days ago: the 75 % checkpoint fires on the pump and raises the risk a supervisor may waive.
  waiveEscalation: async () => {
    const id = await createCase({ receivedAt: new Date(Date.parse(await nowIso()) - 45 * 86_400_000).toISOString() });
    await api.pump();
    return { path: `/v1/complaints/${id}/escalation-waivers`, token: tokens.supervisor2, body: { checkpoint: 75, justification: 'The final response is drafted and goes out this week' } };
  },
  exportPublicKey: async () => ({ path: '/v1/exports/public-key', token: tokens.intake }),
  requestExport: async () => ({ path: `/v1/complaints/${await createCase()}/exports`, token: tokens.compliance }),
  getExport: async () => {
    const requested = ok(await api.raw('POST', `/v1/complaints/${await createCase()}/exports`, { token: tokens.compliance }), 202, 'request an export');
    return { path: `/v1/exports/${requested.body.exportId as string}`, token: tokens.legal };
  },
  customerComplaints: async () => {
    await createCase({ customer: { id: 'conf-subject', name: 'Data Subject' } });
    return { path: '/v1/customers/conf-subject/complaints', token: tokens.compliance };
  },
  submitFeedback: async () => ({ path: `/v1/feedback/${encodeURIComponent(await feedbackToken())}`, body: { score: 4, comment: 'Handled well' } }),
  helpdeskIntake: async () => ({ path: '/v1/intake/helpdesk/generic', ...signedDelivery() }),
  inboundRejections: async () => {
    const rejection = await storedRejection(api, rawEmail({ from: 'Conformance Sender <conf@example.com>', subject: 'Refund missing', text: 'The refund never arrived.' }));
    return { path: `/v1/intake/rejections?day=${rejection.receivedAt.slice(0, 10)}`, token: tokens.admin };
  },
  replayInboundRejection: async () => {
    const rejection = await storedRejection(api, rawEmail({ from: `Conformance Sender <conf.${uniqueDigits()}@example.com>`, subject: 'Refund missing', text: 'The refund never arrived.' }));
    return { path: `/v1/intake/rejections/${rejection.id}/replay`, token: tokens.admin };
  },
  createWebhook: async () => ({ path: '/v1/webhooks', token: tokens.admin, body: { url: 'http://127.0.0.1:9/conformance', eventTypes: ['ComplaintReopened'] } }),
  listWebhooks: async () => {
    await webhook();
    return { path: '/v1/webhooks', token: tokens.admin };
  },
  deleteWebhook: async () => ({ path: `/v1/webhooks/${await webhook()}`, token: tokens.admin }),
  listWebhookDeliveries: async () => ({ path: `/v1/webhooks/${await webhook()}/deliveries`, token: tokens.admin }),
  // Spam, duplicate and unmark: a supervisor who does not own the case.
  markSpam: async () => ({ path: `/v1/complaints/${await createCase()}/spam`, token: tokens.supervisor, body: { reason: 'Automated mailer' } }),
  markDuplicate: async () => {
    const original = await createCase();
    return { path: `/v1/complaints/${await createCase()}/duplicate-of`, token: tokens.supervisor, body: { caseId: original, reason: 'Same email twice' } };
  },
  unmarkComplaint: async () => {
    const id = await createCase();
    ok(await api.raw('POST', `/v1/complaints/${id}/spam`, { token: tokens.supervisor, body: { reason: 'Automated mailer' } }), 200, 'mark spam');
    return { path: `/v1/complaints/${id}/unmark`, token: tokens.supervisor2, body: { reason: 'A real customer after all' } };
  },
  setAvailability: async () => {
    const now = await nowIso();
    return {
      path: `/v1/staff/conf-staff-${uniqueDigits()}/availability`,
      token: tokens.supervisor,
      body: { outOfOffice: [{ from: daysFrom(now, 1), to: daysFrom(now, 3), reason: 'Leave' }], capacity: 5, skills: { categories: ['billing'] } },
    };
  },
  // A release: requested by a supervisor, approved by legal, then by compliance (never the requester or the owner).
  requestRelease: async () => ({ path: `/v1/complaints/${await createCase()}/releases`, token: tokens.compliance, body: RELEASE_REQUEST }),
  getRelease: async () => {
    const { caseId, releaseId } = await releaseRequested();
    return { path: `/v1/complaints/${caseId}/releases/${releaseId}`, token: tokens.legal };
  },
  decideRelease: async () => {
    const { caseId, releaseId } = await releaseRequested();
    const decision = { decision: 'approve', comment: 'Order checked against the file' };
    ok(await api.raw('POST', `/v1/complaints/${caseId}/releases/${releaseId}/decision`, { token: tokens.legal, body: decision }), 200, 'legal approves the release');
    return { path: `/v1/complaints/${caseId}/releases/${releaseId}/decision`, token: tokens.compliance, body: decision };
  },
  // Problems (supervisor), changes (a machine client), spikes and suggestions.
  createProblem: async () => ({ path: '/v1/problems', token: tokens.supervisor, body: problemBody({ caseIds: [await createCase()], reason: 'Same crash on the payments screen' }) }),
  listProblems: async () => {
    await problemWithCase();
    return { path: '/v1/problems?limit=5', token: tokens.supervisor };
  },
  getProblem: async () => ({ path: `/v1/problems/${(await problemWithCase()).id}`, token: tokens.compliance }),
  updateProblem: async () => ({ path: `/v1/problems/${(await problemWithCase()).id}`, token: tokens.supervisor, body: { rootCause: 'Null pointer in the card list', externalIds: ['INC0099999'] }, headers: { 'if-match': '"1"' } }),
  linkProblemComplaint: async () => ({ path: `/v1/problems/${(await problemWithCase()).id}/complaints`, token: tokens.compliance, body: { caseId: await createCase(), reason: 'Customer describes the same crash' } }),
  unlinkProblemComplaint: async () => {
    const p = await problemWithCase();
    return { path: `/v1/problems/${p.id}/complaints/${p.caseId}?reason=${encodeURIComponent('Different crash after review')}`, token: tokens.supervisor };
  },
  closeProblem: async () => ({
    path: `/v1/problems/${(await problemWithCase()).id}/close`,
    token: tokens.supervisor,
    body: { reason: 'Release 4.2.1 fixed it', rootCause: 'Null pointer in the card list', fix: { description: 'Release 4.2.1', fixedAt: daysFrom(await nowIso(), -1) } },
  }),
  problemTimeline: async () => ({ path: `/v1/problems/${(await problemWithCase()).id}/timeline`, token: tokens.supervisor }),
  // A fix 15 days ago: two whole weeks on each side of it.
  problemEffect: async () => {
    const fixedAt = daysFrom(await nowIso(), -15);
    const created = ok(
      await api.raw('POST', '/v1/problems', { token: tokens.supervisor, body: problemBody({ scope: { products: ['effect-product'], categories: [] }, rootCause: 'Rounding in fee engine', fix: { description: 'Fee engine 3.1', fixedAt } }) }),
      201,
      'open a problem with its fix',
    );
    return { path: `/v1/problems/${created.body.id as string}/effect?weeks=2`, token: tokens.supervisor };
  },
  listProblemSuggestions: async () => {
    await pendingSuggestion();
    return { path: '/v1/problem-suggestions?status=pending&limit=5', token: tokens.supervisor };
  },
  acceptProblemSuggestion: async () => ({ path: `/v1/problem-suggestions/${await pendingSuggestion()}/accept`, token: tokens.supervisor, body: { reason: 'Same SMS gateway fault', title: 'Login SMS codes not delivered' } }),
  dismissProblemSuggestion: async () => ({ path: `/v1/problem-suggestions/${await pendingSuggestion()}/dismiss`, token: tokens.supervisor2, body: { reason: 'Unrelated complaints' } }),
  createChange: async () => ({
    path: '/v1/changes',
    token: tokens.machine,
    body: { title: 'Deploy payments-api 2026.11.3', kind: 'deployment', product: 'mobile-app', at: await nowIso(), source: 'github-actions', externalId: `run-${uniqueDigits()}` },
  }),
  spikeReport: async () => {
    const day = (await nowIso()).slice(0, 10);
    return { path: `/v1/reports/spikes?from=${day}&to=${day}`, token: tokens.supervisor };
  },
};

// ---- the document, and ajv over it ---------------------------------------------------------------------------

const operationsOf = (d: OpenApiDoc): Operation[] =>
  Object.entries(d.paths).flatMap(([path, item]) => METHODS.flatMap((method) => (item[method] ? [{ id: item[method].operationId, method, path, op: item[method] }] : [])));

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

let ajv: Ajv2020;
const DOC_ID = 'urn:complaints:openapi';

/** The documented schema of one answer, compiled by reference into the document (its components resolve there). */
const validatorFor = (o: Operation, status: string, mediaType: string) => {
  const ref = `${DOC_ID}#/${pointer('paths', o.path, o.method, 'responses', status, 'content', mediaType, 'schema')}`;
  return ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
};

beforeAll(async () => {
  api = await startTestApi();
  doc = ok(await api.raw('GET', '/v1/openapi.json'), 200, 'GET /v1/openapi.json').body as OpenApiDoc;
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; the document's other members (paths, info, example) are not keywords.
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: DOC_ID });
  tokens.supervisor = await api.token('conf-supervisor', ['supervisor']);
  tokens.supervisor2 = await api.token('conf-supervisor-2', ['supervisor']);
  tokens.compliance = await api.token('conf-compliance', ['compliance']);
  tokens.legal = await api.token('conf-legal', ['legal']);
  tokens.admin = await api.token('conf-admin', ['admin']);
  tokens.intake = await api.token('conf-intake', ['intake']);
  tokens.owner = await api.token(OWNER, ['handler']);
  tokens.machine = await api.token('conf-deployer', [], { scope: INTAKE_SCOPE });
});
afterAll(() => api.close());

describe('conformance with the served OpenAPI document', () => {
  it('has a fixture for every operation of the document, and none for an operation it does not have', () => {
    const ids = operationsOf(doc).map((o) => o.id);
    expect(ids.length).toBeGreaterThan(40);
    expect(ids.filter((id) => !Object.hasOwn(FIXTURES, id))).toEqual([]);
    expect(Object.keys(FIXTURES).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('validates with teeth: a documented schema refuses a body that breaks it', () => {
    const create = operationsOf(doc).find((o) => o.id === 'createComplaint')!;
    const validate = validatorFor(create, '201', 'application/json');
    expect(validate({})).toBe(false);
    expect(validate({ id: 42 })).toBe(false);
  });

  it('documents the webhooks it sends (a subscriber receives them: test/api/webhooks.test.ts delivers them), not as operations to call', () => {
    // Named here so that they are not skipped silently: they are requests this service makes, not ones it answers.
    const outgoing = Object.values(doc.webhooks ?? {}).flatMap((item) => METHODS.flatMap((m) => (item[m] ? [item[m].operationId] : [])));
    expect(outgoing.length).toBeGreaterThan(0);
    for (const id of outgoing) expect(Object.hasOwn(FIXTURES, id)).toBe(false);
  });

  // One case per fixture; the first test holds the fixtures to the served document's operations, one for one, so
  // an operation added to the document without a fixture fails there (the configuration is read only once the stack
  // runs, so the document itself cannot be built while jest collects the cases).
  const names = Object.keys(FIXTURES).map((id) => [id] as const);

  it.each(names)('%s answers as documented', async (id) => {
    const o = operationsOf(doc).find((x) => x.id === id);
    if (!o) throw new Error(`the served document has no operation ${id}`);
    const fixture = FIXTURES[id];
    if (!fixture) throw new Error(`no conformance fixture for operation ${id}: add one to FIXTURES`);
    const req = await fixture();
    const headers: Record<string, string> = { ...req.headers };
    const res = await api.raw(o.method.toUpperCase(), req.path, {
      ...(req.token ? { token: req.token } : {}),
      ...(req.rawBody !== undefined ? { rawBody: req.rawBody } : req.body !== undefined ? { body: req.body } : {}),
      headers,
    });
    // A request body's media type is one the operation documents.
    if (req.body !== undefined || req.rawBody !== undefined) {
      const sent = (headers['content-type'] ?? 'application/json').split(';')[0]!;
      expect({ id, requestMediaTypes: Object.keys(o.op.requestBody?.content ?? {}) }).toEqual({ id, requestMediaTypes: expect.arrayContaining([sent]) });
    }
    const status = String(res.status);
    const documented = o.op.responses[status];
    // A valid request gets a documented success answer.
    expect({ id, status: res.status, documented: documented !== undefined, answer: res.status >= 300 ? res.text.slice(0, 300) : '' }).toEqual({ id, status: res.status, documented: true, answer: '' });
    for (const [name, header] of Object.entries(documented!.headers ?? {})) {
      if (header.required) expect({ id, header: name, value: res.headers.get(name) }).toEqual({ id, header: name, value: expect.any(String) });
    }
    const content = documented!.content ?? {};
    if (!Object.keys(content).length) {
      expect(res.text).toBe('');
      return;
    }
    const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    expect({ id, mediaType, documented: Object.keys(content) }).toEqual({ id, mediaType, documented: expect.arrayContaining([mediaType]) });
    const validate = validatorFor(o, status, mediaType);
    const valid = validate(res.body);
    expect({ id, errors: valid ? [] : (validate.errors ?? []).slice(0, 5) }).toEqual({ id, errors: [] });
  });
});
