// Every route in the route table × every caller (each role, as owner and as non-owner of the case; a machine
// client; no token): allow or deny exactly as API.md's "Who" column says. A route added to the table without an
// expectation here fails this file.
// Raw requests by design: this table sends every route of shared/http/routes.ts generically, as every caller, the
// ones the contract refuses (no token, a machine client on staff routes) included.
import { routeList, type RouteDef, type RouteId } from '#http/routes';
import { INTAKE_SCOPE, ROLES, type Role } from '#schemas/common';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { keys } from '#adapters/aws/dynamo/table-model';
import { rawDocClient } from '../support/dynamo';
import { rawEmail, storedRejection } from '../support/inbound';
import { complaintBody, expectProblem, startTestApi, type ApiResponse, type TestApi } from '../support/api';
import { uniqueDigits } from '../support/ids';
import { feedbackLinkToken, helpdeskSignature, releaseRequestBody, resolutionBody } from '../support/route-fixtures';

// Some cells first bring their case to a state (a raised risk, a pending approval) by moving the clock through its
// timers and workflows: on a loaded 2-core machine that passes jest's default 30 s.
jest.setTimeout(120_000);

type Route = RouteDef & { id: RouteId };

interface Caller {
  name: string;
  kind: 'role' | 'machine' | 'anonymous';
  role?: Role;
  sub?: string;
}

/** Who is allowed: `owner` says whether the caller owns the case the request is about (false for non-case routes). */
type Rule = (c: Caller, owner: boolean) => boolean;

const READERS: Role[] = ['handler', 'supervisor', 'compliance', 'legal', 'admin'];

const anyone: Rule = () => true;
const signedIn: Rule = (c) => c.kind === 'role';
const roles =
  (rs: Role[], opts: { scope?: string } = {}): Rule =>
  (c) =>
    (c.kind === 'role' && rs.includes(c.role!)) || (c.kind === 'machine' && opts.scope === INTAKE_SCOPE);
/**
 * Owner-dependent rules. An owner acts through a case-reading role: the `intake` role (and a machine client) never
 * reads or acts on cases, so an intake user named as owner is still denied at the route (API.md: reads are handler+).
 */
const ownerOr =
  (rs: Role[]): Rule =>
  (c, owner) =>
    c.kind === 'role' && ((owner && READERS.includes(c.role!)) || rs.includes(c.role!));

/** API.md, "Resources and routes", column "Who". */
const EXPECT: Record<RouteId, Rule> = {
  health: anyone,
  openapi: anyone,
  listRegimes: signedIn,
  deadlineReport: roles(['supervisor', 'compliance', 'admin']),
  kpiReport: roles(['supervisor', 'compliance', 'admin']),
  controlScore: roles(['supervisor', 'compliance', 'admin']),
  controlReview: roles(['supervisor', 'compliance', 'admin']),
  regulatorReturn: roles(['supervisor', 'compliance', 'admin']),
  triageReport: roles(['supervisor', 'compliance', 'admin']),
  createComplaint: roles(['intake', 'handler', 'supervisor', 'admin'], { scope: INTAKE_SCOPE }),
  listComplaints: roles(READERS),
  getComplaint: roles(READERS),
  listTasks: roles(READERS),
  listNotes: roles(READERS),
  getTimeline: roles(READERS),
  reclassifyComplaint: ownerOr(['supervisor']),
  getTriage: ownerOr(['supervisor']),
  decideTriage: ownerOr(['supervisor']),
  reassignOwner: roles(['supervisor', 'admin']),
  recordAcknowledgement: ownerOr([]),
  createTask: ownerOr(['supervisor']),
  updateTask: ownerOr(['supervisor']),
  addNote: ownerOr(['supervisor', 'compliance', 'legal']),
  closeComplaint: ownerOr(['supervisor']),
  // Marking (issue 32): supervisors only, never on their own case (four eyes).
  markSpam: (c, owner) => c.kind === 'role' && !owner && c.role === 'supervisor',
  markDuplicate: (c, owner) => c.kind === 'role' && !owner && c.role === 'supervisor',
  unmarkComplaint: (c, owner) => c.kind === 'role' && !owner && c.role === 'supervisor',
  setAvailability: roles(['admin', 'supervisor']),
  // Release outside the organisation (issue 32 item 6): asked by a supervisor, compliance or legal; decided by legal
  // or compliance, never the requester (the fixture's requester is the setup supervisor) nor the case owner.
  requestRelease: roles(['supervisor', 'compliance', 'legal']),
  getRelease: roles(['supervisor', 'compliance', 'legal']),
  decideRelease: (c, owner) => c.kind === 'role' && !owner && ['legal', 'compliance'].includes(c.role!),
  reopenComplaint: ownerOr(['supervisor']),
  clockAction: ownerOr(['supervisor']),
  registerEvidence: ownerOr(['supervisor', 'compliance', 'legal']),
  listEvidence: roles(READERS),
  getEvidence: roles(READERS),
  legalHold: roles(['legal', 'compliance']),
  // Only the owner proposes and sends the final response (through a case-reading role).
  proposeResolution: ownerOr([]),
  sendFinalResponse: ownerOr([]),
  // A case's approval stages: whoever may read the case (a restricted one is 404 to the rest, below).
  listCaseApprovals: roles(READERS),
  listApprovals: roles(['supervisor', 'compliance', 'legal', 'admin']),
  // The fixture's stage is a supervisor stage: supervisors and admins (head of complaints) may decide it.
  decideApproval: roles(['supervisor', 'admin']),
  raiseEscalation: ownerOr(['supervisor']),
  // The fixture's escalation is at level 1: the team's supervisors or the head of complaints, never the owner; a
  // waiver follows the same rule (issue 25, separation of duties).
  waiveEscalation: (c, owner) => c.kind === 'role' && !owner && ['supervisor', 'admin'].includes(c.role!),
  acknowledgeEscalation: (c, owner) => c.kind === 'role' && !owner && ['supervisor', 'admin'].includes(c.role!),
  exportPublicKey: signedIn,
  requestExport: roles(['compliance', 'legal']),
  getExport: roles(['compliance', 'legal']),
  customerComplaints: roles(['compliance']),
  // Public at the route: a token is neither needed nor looked at; the provider's signature decides (the fixture signs).
  helpdeskIntake: anyone,
  inboundRejections: roles(['admin', 'compliance', 'supervisor']),
  replayInboundRejection: roles(['admin']),
  createWebhook: roles(['admin']),
  listWebhooks: roles(['admin']),
  deleteWebhook: roles(['admin']),
  listWebhookDeliveries: roles(['admin']),
  previewLetter: ownerOr(['supervisor', 'compliance']),
  // Public: the signed single-use token in the path is the credential (the fixture mints a fresh one per call).
  submitFeedback: anyone,
  // Problem management (#32): supervisors, compliance and admins; changes from a machine client or an admin.
  createProblem: roles(['supervisor', 'compliance', 'admin']),
  listProblems: roles(['supervisor', 'compliance', 'admin']),
  getProblem: roles(['supervisor', 'compliance', 'admin']),
  updateProblem: roles(['supervisor', 'compliance', 'admin']),
  linkProblemComplaint: roles(['supervisor', 'compliance', 'admin']),
  unlinkProblemComplaint: roles(['supervisor', 'compliance', 'admin']),
  closeProblem: roles(['supervisor', 'compliance', 'admin']),
  problemTimeline: roles(['supervisor', 'compliance', 'admin']),
  problemEffect: roles(['supervisor', 'compliance', 'admin']),
  listProblemSuggestions: roles(['supervisor', 'compliance', 'admin']),
  acceptProblemSuggestion: roles(['supervisor', 'compliance', 'admin']),
  dismissProblemSuggestion: roles(['supervisor', 'compliance', 'admin']),
  createChange: roles(['admin'], { scope: INTAKE_SCOPE }),
  spikeReport: roles(['supervisor', 'compliance', 'admin']),
};

/** A valid body per route that takes one, so an allowed call succeeds with the route's 2xx. */
const BODY: Partial<Record<RouteId, () => unknown>> = {
  createComplaint: () => complaintBody(),
  reclassifyComplaint: () => ({ legalExposure: true, reason: 'Customer mentions a solicitor' }),
  reassignOwner: () => ({ ownerId: 'new-owner', reason: 'Workload balancing' }),
  // With a reason, the decision succeeds whether it accepts or overrides the suggestion.
  decideTriage: () => ({ field: 'severity', value: 'high', reason: 'Repeat failure with a financial loss' }),
  recordAcknowledgement: () => ({ channel: 'email' }),
  createTask: () => ({ title: 'Pull delivery logs', team: 'operations' }),
  updateTask: () => ({ findings: 'Three failed delivery slots' }),
  addNote: () => ({ kind: 'call_note', body: 'Customer confirmed the missed appointment.' }),
  closeComplaint: () => ({ followUpAction: 'Review depot slot allocation', rootCause: { category: 'capacity', description: 'Depot overbooked slots' } }),
  reopenComplaint: () => ({ reason: 'Customer disputes the outcome' }),
  markSpam: () => ({ reason: 'Automated mailer, no customer behind it' }),
  markDuplicate: () => ({ caseId: duplicateTarget, reason: 'Same complaint sent twice by email' }),
  unmarkComplaint: () => ({ reason: 'Marked by mistake' }),
  setAvailability: () => ({ outOfOffice: [], capacity: 30 }),
  requestRelease: () => releaseRequestBody(),
  decideRelease: () => ({ decision: 'approve', comment: 'Order checked' }),
  clockAction: () => ({ action: 'pause', reason: 'Waiting for the customer to send bank statements' }),
  registerEvidence: () => ({ fileName: 'delivery-note.pdf', contentType: 'application/pdf', sizeBytes: 1024, sha256: 'ab'.repeat(32) }),
  legalHold: () => ({ on: true, reason: 'Litigation notice received from the customer’s solicitor' }),
  proposeResolution: () => resolutionBody('50.00'),
  sendFinalResponse: () => ({ channel: 'email' }),
  decideApproval: () => ({ decision: 'approve', comment: 'Within policy' }),
  raiseEscalation: () => ({ reason: 'Customer threatens to go to the ombudsman' }),
  waiveEscalation: () => ({ checkpoint: 75, justification: 'The final response is drafted and goes out this week' }),
  acknowledgeEscalation: () => ({ note: 'Taking it to the depot manager today' }),
  // A rare event type and a closed port: the matrix's subscriptions stay out of the other routes' way.
  createWebhook: () => ({ url: 'http://127.0.0.1:9/access-matrix', eventTypes: ['ComplaintReopened'] }),
  submitFeedback: () => ({ score: 4, comment: 'Handled well' }),
  createProblem: () => ({ title: 'Matrix problem', scope: { products: ['home-delivery'], categories: [] } }),
  updateProblem: () => ({ rootCause: 'Depot overbooked slots' }),
  // The case id is filled in by prepare (a fresh case per call).
  linkProblemComplaint: () => ({ caseId: '', reason: 'Same depot' }),
  closeProblem: () => ({ reason: 'Depot slots fixed' }),
  acceptProblemSuggestion: () => ({ reason: 'Same depot fault' }),
  dismissProblemSuggestion: () => ({ reason: 'Unrelated wording' }),
  createChange: () => ({ title: 'Matrix deploy', at: '2026-11-01T10:00:00.000Z' }),
};

/**
 * A valid query string per route whose query has required fields; and for the reads whose defaults cost many DynamoDB
 * queries per allowed call, a smaller valid one: the reports' default range (the last 30 or 90 days, partial months
 * read day by day across the shards, about 60 queries) as one whole month, and a problem's effect over one week each
 * side of its fix instead of eight (about 140 queries).
 */
const QUERY: Partial<Record<RouteId, string>> = {
  kpiReport: 'from=2026-10-01&to=2026-10-31',
  controlScore: 'from=2026-10-01&to=2026-10-31',
  problemEffect: 'weeks=1',
  regulatorReturn: 'regime=UK_FCA_DISP&period=2026-H1',
  inboundRejections: 'day=2026-12-01',
  unlinkProblemComplaint: 'reason=No%20longer%20related',
  spikeReport: 'from=2026-11-01&to=2026-11-30',
};

/** Intake fields a route's case needs (the clock may only pause under INTERNAL_STANDARD). */
const CASE_OVERRIDES: Partial<Record<RouteId, Record<string, unknown>>> = {
  clockAction: { regime: 'INTERNAL_STANDARD' },
};

/** Case state a route needs before it can succeed (run as a supervisor, who may do all of it). */
/** The owner proposes (only the owner may); the access matrix calls the route as someone else or as the owner. */
const proposeAsOwner = async (caseId: string, amount: string): Promise<{ status: number; body: { stages: unknown[] } & Record<string, unknown> }> => {
  const c = await api.raw('GET', `/v1/complaints/${caseId}`, { token: tokens.setup });
  const owner = await api.token(c.body.ownerId as string, ['handler']);
  return api.raw('POST', `/v1/complaints/${caseId}/resolution`, { token: owner, body: resolutionBody(amount) });
};

/** The release made on a shared (read-route) case. */
const releasesOf = new Map<string, Promise<string>>();
// Read routes share their case; its evidence item is registered once (concurrent registrations on one case would
// race for its version and, on a loaded machine, outlast the retry budget: a 409 that says nothing about access).
const evidenceOf = new Map<string, Promise<string>>();

/** The counted case a duplicate names (made once, by the setup supervisor). */
let duplicateTarget = '';

const PRECONDITION: Partial<Record<RouteId, (caseId: string) => Promise<void>>> = {
  markDuplicate: async () => {
    duplicateTarget ||= await createCase({ ownerId: 'original-owner' });
  },
  unmarkComplaint: async (caseId) => {
    const marked = await api.raw('POST', `/v1/complaints/${caseId}/spam`, { token: tokens.setup, body: BODY.markSpam!() });
    expect(marked.status).toBe(200);
  },
  sendFinalResponse: async (caseId) => {
    const proposed = await proposeAsOwner(caseId, '50.00');
    expect(proposed.status).toBe(201);
    expect(proposed.body.stages).toEqual([]);
  },
  // The case was received 45 days ago (CASE_OVERRIDES) and pumped before the matrix ran (waiverCases): its 75 %
  // checkpoint fired and raised an escalation.
  waiveEscalation: async (caseId) => {
    const c = await api.raw('GET', `/v1/complaints/${caseId}`, { token: tokens.setup });
    expect((c.body.checkpoints as { percent: number; firedAt?: string }[]).find((k) => k.percent === 75)?.firedAt).toEqual(expect.any(String));
  },
  reopenComplaint: async (caseId) => {
    const closed = await api.raw('POST', `/v1/complaints/${caseId}/close`, { token: tokens.setup, body: BODY.closeComplaint!() });
    expect(closed.status).toBe(200);
  },
};

const CALLERS: Caller[] = [
  ...ROLES.map((role): Caller => ({ name: role, kind: 'role', role, sub: `u-${role}` })),
  { name: `machine (scope ${INTAKE_SCOPE})`, kind: 'machine', sub: 'machine-client' },
  { name: 'no token', kind: 'anonymous' },
];

const isCaseRoute = (r: Route) => r.path.startsWith('/v1/complaints/{id}');
const isRead = (r: Route) => r.method === 'GET';

let api: TestApi;
const tokens: Record<string, string> = {};

const tokenOf = (c: Caller): string | undefined => (c.kind === 'anonymous' ? undefined : tokens[c.name]);

const createCase = async (over: Record<string, unknown> = {}): Promise<string> => {
  const res = await api.raw('POST', '/v1/complaints', { token: tokens.setup, body: complaintBody(over) });
  expect(res.status).toBe(201);
  return res.body.id as string;
};

/**
 * The waiver route's cases, one per caller, by owner: made and pumped once before the matrix runs, so their 75 %
 * checkpoints fire while the stream holds little else. A pump per call, in the middle of the matrix, worked through
 * every earlier call's stream records and timers first (about 20 s a call on a loaded machine).
 */
const waiverCases = new Map<string, string[]>();

/** Read routes share one case per owner; a mutating route gets a fresh case per call so transitions never interfere. */
const sharedCases = new Map<string, Promise<string>>();
const caseFor = async (route: Route, ownerId: string): Promise<string> => {
  const pooled = route.id === 'waiveEscalation' ? waiverCases.get(ownerId)?.shift() : undefined;
  if (pooled) return pooled;
  if (!isRead(route)) return createCase({ ownerId, ...CASE_OVERRIDES[route.id] });
  let id = sharedCases.get(ownerId);
  if (!id) sharedCases.set(ownerId, (id = createCase({ ownerId })));
  return id;
};

interface Prepared {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A signed generic-helpdesk delivery of a new ticket (each call a fresh one, so each opens its case: 201). */
let deliveries = 0;
const signedDelivery = (): { body: unknown; headers: Record<string, string> } => {
  const body = { system: 'matrix-desk', ticketId: `m-${uniqueDigits()}-${++deliveries}`, subject: 'Refund missing', description: 'The refund never arrived.', customer: { id: `mc-${deliveries}`, name: 'Matrix Customer' } };
  return { body, headers: helpdeskSignature(api, JSON.stringify(body)) };
};

const prepare = async (route: Route, caller: Caller, owner: boolean): Promise<Prepared> => {
  let path = route.path;
  if (isCaseRoute(route)) {
    const caseId = await caseFor(route, ownerOfCell(caller, owner));
    await PRECONDITION[route.id]?.(caseId);
    path = path.replace('{id}', caseId);
    if (path.includes('{taskId}')) {
      const task = await api.raw('POST', `/v1/complaints/${caseId}/tasks`, { token: tokens.setup, body: BODY.createTask!() });
      expect(task.status).toBe(201);
      path = path.replace('{taskId}', task.body.id as string);
    }
    if (path.includes('{escalationId}')) {
      const esc = await api.raw('POST', `/v1/complaints/${caseId}/escalations`, { token: tokens.setup, body: BODY.raiseEscalation!() });
      expect(esc.status).toBe(201);
      path = path.replace('{escalationId}', esc.body.id as string);
    }
    if (path.includes('{releaseId}')) {
      // Read routes share their case: one release on it serves every caller (a case holds a few pending ones only).
      // Remembered as a promise: the callers of a read route run side by side and must not each request one.
      const request = async () => {
        const rel = await api.raw('POST', `/v1/complaints/${caseId}/releases`, { token: tokens.setup, body: BODY.requestRelease!() });
        expect(rel.status).toBe(201);
        return rel.body.id as string;
      };
      let releaseId = isRead(route) ? releasesOf.get(caseId) : undefined;
      if (!releaseId) {
        releaseId = request();
        if (isRead(route)) releasesOf.set(caseId, releaseId);
      }
      path = path.replace('{releaseId}', await releaseId);
    }
    if (path.includes('{evidenceId}')) {
      const register = async () => {
        const ev = await api.raw('POST', `/v1/complaints/${caseId}/evidence`, { token: tokens.setup, body: BODY.registerEvidence!() });
        expect(ev.status).toBe(201);
        return ev.body.evidenceId as string;
      };
      let evidenceId = isRead(route) ? evidenceOf.get(caseId) : undefined;
      if (!evidenceId) {
        evidenceId = register();
        if (isRead(route)) evidenceOf.set(caseId, evidenceId);
      }
      path = path.replace('{evidenceId}', await evidenceId);
    }
  }
  if (path.includes('{approvalId}')) {
    // A fresh case per call, owned and proposed by someone else, with one open supervisor stage.
    const caseId = await createCase({ ownerId: 'approval-owner' });
    const proposed = await proposeAsOwner(caseId, '300.00');
    expect(proposed.status).toBe(201);
    const pending = await api.raw('GET', '/v1/approvals?status=pending&limit=100', { token: tokens.setup });
    const stage = (pending.body.items as { id: string; caseId: string }[]).find((a) => a.caseId === caseId);
    if (!stage) throw new Error('access matrix: the proposal opened no approval stage');
    path = path.replace('{approvalId}', stage.id);
  }
  if (path.includes('{exportId}')) {
    const caseId = await createCase({ ownerId: 'export-owner' });
    const requested = await api.raw('POST', `/v1/complaints/${caseId}/exports`, { token: tokens.exporter, body: {} });
    expect(requested.status).toBe(202);
    path = path.replace('{exportId}', requested.body.exportId as string);
  }
  if (path.startsWith('/v1/webhooks/{id}')) {
    // A fresh subscription per call (a delete ends it), made by an admin.
    const hook = await api.raw('POST', '/v1/webhooks', { token: tokens.webhookAdmin, body: BODY.createWebhook!() });
    expect(hook.status).toBe(201);
    path = path.replace('{id}', hook.body.id as string);
  }
  if (path.startsWith('/v1/intake/rejections/{id}')) {
    // A fresh recorded rejection per call (its raw message stored), so an allowed replay opens its case.
    const rejection = await storedRejection(api, rawEmail({ from: `Matrix Sender <matrix.${++deliveries}@example.com>`, subject: 'Refund missing', text: 'The refund never arrived.' }));
    path = path.replace('{id}', rejection.id);
  }
  let bodyOverride: Record<string, unknown> | undefined;
  if (path.startsWith('/v1/problems/{id}')) {
    // A fresh problem per call (a close ends it), with a root cause and a fix two weeks old (the effect has weeks to
    // compare), and one linked complaint (the unlink route's {caseId}).
    const linked = await createCase({ ownerId: 'problem-owner' });
    const now = (await api.raw('GET', '/local/clock')).body.now as string;
    const fix = { description: 'Depot slots fixed', fixedAt: new Date(Date.parse(now) - 15 * 86_400_000).toISOString() };
    const created = await api.raw('POST', '/v1/problems', { token: tokens.setup, body: { ...(BODY.createProblem!() as object), rootCause: 'Depot overbooked slots', fix, caseIds: [linked], reason: 'Same depot' } });
    expect(created.status).toBe(201);
    path = path.replace('{id}', created.body.id as string).replace('{caseId}', linked);
    if (route.id === 'linkProblemComplaint') bodyOverride = { caseId: await createCase({ ownerId: 'problem-owner' }), reason: 'Same depot' };
  }
  if (path.includes('{suggestionId}')) {
    // A pending suggestion as the daily job records it (the job itself is test/api/problems.test.ts).
    const caseId = await createCase({ ownerId: 'suggestion-owner' });
    const now = (await api.raw('GET', '/local/clock')).body.now as string;
    const id = ulid();
    const suggestion = {
      id,
      kind: 'create_problem',
      status: 'pending',
      suggestedTitle: 'Matrix suggestion',
      scope: { products: ['home-delivery'], categories: ['service_delay'] },
      evidence: [{ caseId, reference: 'CMP-2026-000001', product: 'home-delivery', category: 'service_delay', receivedAt: now, similarity: 1 }],
      pairs: [],
      sharedTerms: ['depot'],
      threshold: 0.3,
      window: { from: now, to: now },
      createdAt: now,
    };
    await rawDocClient().send(new PutCommand({ TableName: api.tables.cases, Item: { ...keys.suggestion(id), suggestion, status: 'pending' } }));
    path = path.replace('{suggestionId}', id);
  }
  if (path.includes('{token}')) path = path.replace('{token}', encodeURIComponent(await feedbackToken()));
  // A profile per call: callers run concurrently, and a PUT without If-Match only creates (a second one is 412).
  path = path.replace('/v1/staff/{id}/', `/v1/staff/matrix-staff-${uniqueDigits()}/`);
  path = path.replace('{kind}', 'acknowledgement');
  path = path.replace('{customerId}', 'cust-42');
  path = path.replace('{provider}', 'generic');
  // Routes whose query has required fields get a valid one.
  const query = QUERY[route.id];
  if (query) path = `${path}?${query}`;
  if (/\{\w+\}/.test(path)) throw new Error(`access matrix: no fixture for the path parameters of ${route.id} (${route.path})`);
  if (route.signedBody) return { path, ...signedDelivery() };
  if (!route.body) return { path };
  const body = BODY[route.id];
  if (!body) throw new Error(`access matrix: no valid body for ${route.id}; add one to BODY`);
  return { path, body: bodyOverride ?? body() };
};

/** A fresh feedback link per call, on a case of its own (test/support/route-fixtures.ts). */
const feedbackToken = async (): Promise<string> => feedbackLinkToken(api, await createCase({ ownerId: 'feedback-owner' }));

const describeOutcome = (res: ApiResponse) => `${res.status} ${res.text.slice(0, 300)}`;

beforeAll(async () => {
  // Case references leased 50 at a time, as CDK deploys the functions (the default of 1 is an UpdateItem per case the
  // matrix makes: a third of its case creations' DynamoDB calls). No cell reads a reference.
  api = await startTestApi({ REFERENCE_BLOCK_SIZE: '50' });
  tokens.setup = await api.token('setup-supervisor', ['supervisor']);
  tokens.exporter = await api.token('setup-compliance', ['compliance']);
  tokens.webhookAdmin = await api.token('setup-admin', ['admin']);
  const now = (await api.raw('GET', '/local/clock')).body.now as string;
  CASE_OVERRIDES.waiveEscalation = { receivedAt: new Date(Date.parse(now) - 45 * 86_400_000).toISOString() };
  for (const c of CALLERS) {
    if (c.kind === 'role') tokens[c.name] = await api.token(c.sub!, [c.role!]);
    if (c.kind === 'machine') tokens[c.name] = await api.token(c.sub!, [], { scope: INTAKE_SCOPE });
  }
});
afterAll(() => api.close());

// Restricted cases run before the matrix: their calls follow the stack's start-up with no pause. After the matrix's
// burst of calls, its hundreds of checks run without I/O while the server drops its idle keep-alive connections; a
// first call after that can meet a connection being closed (ECONNRESET, seen on a machine at load 30).
describe('restricted cases', () => {
  const OWNER = 'u-restricted-owner';
  let id: string;
  let ownerToken: string;
  let otherHandler: string;

  const listAll = async (token: string, query = ''): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await api.raw('GET', `/v1/complaints?limit=100${query}${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(res.status).toBe(200);
      ids.push(...(res.body.items as { id: string }[]).map((c) => c.id));
      cursor = res.body.nextCursor as string | undefined;
      if (!cursor) return ids;
    }
    throw new Error('list did not end');
  };

  beforeAll(async () => {
    id = await createCase({ ownerId: OWNER, sensitivity: 'restricted' });
    ownerToken = await api.token(OWNER, ['handler']);
    otherHandler = await api.token('u-other-handler', ['handler']);
  });

  const READ_PATHS = ['', '/timeline', '/tasks', '/notes', '/approvals'];

  it.each(READ_PATHS)('a handler who does not own it gets 404 on GET …%s', async (suffix) => {
    const res = await api.raw('GET', `/v1/complaints/${id}${suffix}`, { token: otherHandler });
    expect(res.status).toBe(404);
    expectProblem(res, 404);
  });

  it('is omitted from a non-owner handler’s list, filtered by owner or not', async () => {
    expect(await listAll(otherHandler, `&owner=${OWNER}`)).not.toContain(id);
    expect(await listAll(otherHandler)).not.toContain(id);
  });

  it('answers 404 (not 403) to a non-owner handler who tries to act on it', async () => {
    const res = await api.raw('POST', `/v1/complaints/${id}/notes`, { token: otherHandler, body: BODY.addNote!() });
    expect(res.status).toBe(404);
    const patch = await api.raw('PATCH', `/v1/complaints/${id}`, { token: otherHandler, body: BODY.reclassifyComplaint!() });
    expect(patch.status).toBe(404);
  });

  const seers: [string, () => Promise<string>][] = [
    ['the owner (handler)', async () => ownerToken],
    ...(['supervisor', 'compliance', 'legal', 'admin'] as const).map((role): [string, () => Promise<string>] => [role, () => api.token(`u-restricted-${role}`, [role])]),
  ];

  describe.each(seers)('%s', (_who, token) => {
    it.each(READ_PATHS)('gets 200 on GET …%s', async (suffix) => {
      const res = await api.raw('GET', `/v1/complaints/${id}${suffix}`, { token: await token() });
      expect(res.status).toBe(200);
    });

    it('sees it in the list', async () => {
      const t = await token();
      expect(await listAll(t, `&owner=${OWNER}`)).toContain(id);
      expect(await listAll(t)).toContain(id);
    });
  });

  it('is invisible to the intake role and machine clients (route-level 403)', async () => {
    const intake = await api.token('u-restricted-intake', ['intake']);
    const machine = await api.token('machine-client', [], { scope: INTAKE_SCOPE });
    for (const token of [intake, machine]) {
      const res = await api.raw('GET', `/v1/complaints/${id}`, { token });
      expect(res.status).toBe(403);
    }
  });
});

/** A route's rows: each caller, and for a case route each role as owner and as non-owner of the case. */
const rowsOf = (route: Route): [string, Caller, boolean][] => {
  const rows: [string, Caller, boolean][] = [];
  for (const caller of CALLERS) {
    if (isCaseRoute(route) && caller.kind === 'role') {
      rows.push([`${caller.name} (owner)`, caller, true], [`${caller.name} (not owner)`, caller, false]);
    } else rows.push([caller.name, caller, false]);
  }
  return rows;
};

/** Cells called at once, across routes: each brings its own case or fixture, so none shares state with another. */
const CONCURRENCY = 8;
const cellKey = (route: Route, label: string) => `${route.id}\u0000${label}`;
/** Each cell's answer (or what failed while arranging it), by cellKey. */
const answers = new Map<string, { res: ApiResponse } | { error: unknown }>();

/** Whether the matrix expects the cell's call to be allowed (the rule, and no anonymous call past a token check). */
const allowedFor = (route: Route, caller: Caller, owner: boolean): boolean => {
  const rule = EXPECT[route.id];
  if (!rule) throw new Error(`access matrix: no expectation for route ${route.id}; add it to EXPECT`);
  return route.auth.kind === 'public' ? rule(caller, owner) : caller.kind !== 'anonymous' && rule(caller, owner);
};

/** The owner of the case a cell's request is about (someone else's for a non-owner or a non-case route). */
const ownerOfCell = (caller: Caller, owner: boolean): string => (owner ? caller.sub! : 'someone-else');

/**
 * The fixtures of the cells expected to be refused, by route and case owner. A refused call changes nothing, so the
 * callers refused on one route share one fixture per owner, arranged as for an allowed call (the same state, owner and
 * body): each is still called over HTTP and must answer 401/403. Were one wrongly allowed, it would answer the route's
 * 2xx (or change the shared fixture, and the others sharing it would answer something else than 403): it fails either
 * way. Allowed calls keep a fixture of their own. Before, the refused cells made about half of the matrix's cases.
 */
const refusedFixtures = new Map<string, Promise<Prepared>>();

/** Arranges and sends one cell's request as its caller. */
const callCell = async (route: Route, caller: Caller, owner: boolean): Promise<ApiResponse> => {
  let req: Prepared;
  if (allowedFor(route, caller, owner)) req = await prepare(route, caller, owner);
  else {
    const key = `${route.id}\u0000${ownerOfCell(caller, owner)}`;
    let shared = refusedFixtures.get(key);
    if (!shared) refusedFixtures.set(key, (shared = prepare(route, caller, owner)));
    req = await shared;
  }
  const token = tokenOf(caller);
  return api.raw(route.method, req.path, { ...(token ? { token } : {}), ...(req.body !== undefined ? { body: req.body } : {}), ...(req.headers ? { headers: req.headers } : {}) });
};

describe('access matrix: every route × every caller', () => {
  const routes = routeList();

  // The whole route table × callers runs here, CONCURRENCY cells at a time against the one stack (the stack's
  // in-process handlers and DynamoDB Local overlap); the tests below then check each cell's answer. Run route by route
  // (jest's it.concurrent is per describe block), the matrix waited on each route's slowest cell.
  beforeAll(async () => {
    const waiver = routes.find((r) => r.id === 'waiveEscalation');
    if (waiver) {
      // One case per allowed caller, and one per owner for the refused callers (they share it: refusedFixtures).
      const refusedOwners = new Set<string>();
      const owners = rowsOf(waiver).flatMap(([, caller, owner]) => {
        const ownerId = ownerOfCell(caller, owner);
        if (allowedFor(waiver, caller, owner)) return [ownerId];
        if (refusedOwners.has(ownerId)) return [];
        refusedOwners.add(ownerId);
        return [ownerId];
      });
      const ids = await Promise.all(owners.map((ownerId) => createCase({ ownerId, ...CASE_OVERRIDES.waiveEscalation })));
      owners.forEach((ownerId, i) => waiverCases.set(ownerId, [...(waiverCases.get(ownerId) ?? []), ids[i]!]));
      await api.pump();
    }
    const cells = routes.flatMap((route) => rowsOf(route).map(([label, caller, owner]) => ({ key: cellKey(route, label), run: () => callCell(route, caller, owner) })));
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cells.length) {
          const cell = cells[next++]!;
          try {
            answers.set(cell.key, { res: await cell.run() });
          } catch (error) {
            answers.set(cell.key, { error });
          }
        }
      }),
    );
    // Every cell arranges state and some move a case through its workflow: minutes on a loaded 2-core machine.
  }, 600_000);

  it('has an expectation and request fixture for every route in the table', () => {
    for (const r of routes) {
      expect({ route: r.id, rule: typeof EXPECT[r.id] }).toEqual({ route: r.id, rule: 'function' });
      if (r.body) expect({ route: r.id, body: typeof BODY[r.id] }).toEqual({ route: r.id, body: 'function' });
    }
    expect(Object.keys(EXPECT).sort()).toEqual(routes.map((r) => r.id).sort());
  });

  it('states in the route table (and so in OpenAPI) the rule this matrix expects: the gate, then the case rule', () => {
    for (const r of routes) {
      if (r.auth.kind !== 'jwt') continue;
      const { roles: gate, scopes, caseRule } = r.auth;
      const stated: Rule = (c, owner) =>
        (c.kind === 'machine' && (scopes ?? []).includes(INTAKE_SCOPE)) ||
        (c.kind === 'role' && gate.includes(c.role!) && (!caseRule?.ownerOr || owner || caseRule.ownerOr.includes(c.role!)) && !(caseRule?.notOwner && owner));
      for (const caller of CALLERS.filter((c) => c.kind !== 'anonymous')) {
        for (const owner of isCaseRoute(r) ? [true, false] : [false]) {
          const expected = EXPECT[r.id](caller, owner);
          // A rule that also depends on the record (a stage's role, an escalation's level) is stated in words: the
          // route table's part of it must still admit everyone the matrix admits.
          if (caseRule?.detail) {
            if (expected) expect({ route: r.id, caller: caller.name, owner, stated: stated(caller, owner) }).toEqual({ route: r.id, caller: caller.name, owner, stated: true });
          } else expect({ route: r.id, caller: caller.name, owner, stated: stated(caller, owner) }).toEqual({ route: r.id, caller: caller.name, owner, stated: expected });
        }
      }
    }
  });

  describe.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
    // Each cell was called in the matrix's beforeAll (below); the test holds its answer to the rule.
    it.each(rowsOf(route))('%s', async (label, caller, owner) => {
      const allowed = allowedFor(route, caller, owner);
      const answered = answers.get(cellKey(route, label));
      if (!answered) throw new Error(`access matrix: ${route.id} ${label} was not called`);
      if ('error' in answered) throw answered.error;
      const res = answered.res;
      const outcome = describeOutcome(res);
      if (allowed) {
        expect({ allowed, outcome, status: res.status }).toEqual({ allowed, outcome, status: route.ok.status });
      } else {
        const denied = caller.kind === 'anonymous' ? 401 : 403;
        expect({ allowed, outcome, status: res.status }).toEqual({ allowed, outcome, status: denied });
        expectProblem(res, denied);
      }
    });
  });
});
