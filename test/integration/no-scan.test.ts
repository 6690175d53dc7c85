// No request path issues a Scan: every route of the route table, called with a valid request through the
// local API (same handlers, same SDK adapters), observed at the DynamoDB client's middleware stack.
// Raw requests by design: it calls every route of shared/http/routes.ts generically, through one wrapper that watches
// the DynamoDB commands of each, and the local-only /local/* routes.
import { observeDynamoRequests } from '#adapters/aws/dynamo/client';
import { routeList, type RouteId } from '#http/routes';
import { readFileSync } from 'node:fs';
import { sign } from '#domain/helpdesk';
import { encodeClaims } from '#domain/feedback';
import { HmacTokenSigner } from '#adapters/hmac-token-signer';
import { localKeyFile } from '#adapters/local/local-key-file';
import { rawEmail, storedRejection } from '../support/inbound';
import { complaintBody, startTestApi, type ApiResponse, type TestApi } from '../support/api';
import { uniqueDigits } from '../support/ids';
import { patchStoredCase } from '../support/route-fixtures';
import { clockNowMs } from '../support/clock';
import { illustrativeReportingEnv } from '../support/consolidated-return';
import { INTAKE_SCOPE } from '#schemas/common';

let api: TestApi;
let tokens: Record<'intake' | 'sam' | 'alice' | 'bob' | 'legal', string>;
let stopObserving: () => void;
let current: string[] = [];

beforeAll(async () => {
  // The daily problem-signal job runs too (its suggestions feed the suggestion routes).
  // 2027-H1 is the consolidated return: it reports in the taxonomy the organisation configures.
  api = await startTestApi(illustrativeReportingEnv(), { reports: true, problemSignals: true });
  tokens = {
    intake: await api.token('web-form', ['intake']),
    sam: await api.token('sam', ['supervisor']),
    alice: await api.token('alice', ['handler']),
    bob: await api.token('bob', ['handler']),
    legal: await api.token('lee', ['legal']),
  };
  stopObserving = observeDynamoRequests((name) => current.push(name));
});
afterAll(async () => {
  stopObserving();
  await api.close();
});

/** Each call records the DynamoDB commands it caused. */
const commandsByRoute = new Map<RouteId, Set<string>>();
const call = async (route: RouteId, method: string, path: string, opts: Parameters<TestApi['raw']>[2] = {}): Promise<ApiResponse> => {
  current = [];
  const res = await api.raw(method, path, opts);
  const seen = commandsByRoute.get(route) ?? new Set<string>();
  for (const n of current) seen.add(n);
  commandsByRoute.set(route, seen);
  if (res.status >= 300) throw new Error(`${route} ${method} ${path} answered ${res.status}: ${res.text}`);
  return res;
};

describe('every route, valid requests', () => {
  it('never sends a ScanCommand', async () => {
    const { sam, alice, bob, intake } = tokens;
    await call('health', 'GET', '/v1/health');
    await call('openapi', 'GET', '/v1/openapi.json');
    await call('listRegimes', 'GET', '/v1/regimes', { token: bob });
    await call('deadlineReport', 'GET', '/v1/reports/deadlines', { token: sam });

    const created = await call('createComplaint', 'POST', '/v1/complaints', {
      token: intake,
      body: complaintBody({ ownerId: 'bob', externalRef: { system: 'crm', id: `Z-${uniqueDigits()}` } }),
      headers: { 'idempotency-key': 'no-scan-create-1' },
    });
    const id = created.body.id as string;
    // The same idempotent request again (served from the idempotency record), and a rule-assigned one.
    await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ ownerId: 'bob', externalRef: created.body.externalRef }), headers: { 'idempotency-key': 'no-scan-create-1' } });
    await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ category: 'billing', receivedAt: new Date(clockNowMs() - 50 * 86_400_000).toISOString() }) });

    await call('getComplaint', 'GET', `/v1/complaints/${id}`, { token: sam });
    await call('getTriage', 'GET', `/v1/complaints/${id}/triage`, { token: sam });
    await call('decideTriage', 'POST', `/v1/complaints/${id}/triage/decisions`, { token: sam, body: { field: 'regulatory', value: true, reason: 'Customer claims a financial loss' } });
    await call('reclassifyComplaint', 'PATCH', `/v1/complaints/${id}`, { token: sam, body: { severity: 'high', reason: 'repeat complaint' }, headers: { 'if-match': '"2"' } });
    await call('reassignOwner', 'POST', `/v1/complaints/${id}/owner`, { token: sam, body: { ownerId: 'alice', reason: 'workload' }, headers: { 'idempotency-key': 'no-scan-reassign-1' } });
    await call('recordAcknowledgement', 'POST', `/v1/complaints/${id}/acknowledgement`, { token: alice, body: { channel: 'email' } });
    const task = await call('createTask', 'POST', `/v1/complaints/${id}/tasks`, { token: alice, body: { title: 'Pull depot logs', team: 'operations' } });
    await call('listTasks', 'GET', `/v1/complaints/${id}/tasks`, { token: sam });
    await call('updateTask', 'PATCH', `/v1/complaints/${id}/tasks/${task.body.id}`, { token: alice, body: { status: 'blocked', blockedReason: 'depot outage' } });
    await call('updateTask', 'PATCH', `/v1/complaints/${id}/tasks/${task.body.id}`, { token: alice, body: { status: 'done', findings: 'slots overbooked' } });
    await call('addNote', 'POST', `/v1/complaints/${id}/notes`, { token: alice, body: { kind: 'call_note', body: 'Customer confirmed the missed slot.' } });
    await call('listNotes', 'GET', `/v1/complaints/${id}/notes`, { token: sam });
    await call('closeComplaint', 'POST', `/v1/complaints/${id}/close`, { token: alice, body: { followUpAction: 'Review slot allocation', rootCause: { category: 'capacity', description: 'Depot overbooked' } } });
    await call('reopenComplaint', 'POST', `/v1/complaints/${id}/reopen`, { token: sam, body: { reason: 'Customer disputes the outcome' } });
    await call('getTimeline', 'GET', `/v1/complaints/${id}/timeline`, { token: sam });
    const internal = await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ regime: 'INTERNAL_STANDARD' }) });
    await call('clockAction', 'POST', `/v1/complaints/${internal.body.id}/clock`, { token: sam, body: { action: 'pause', reason: 'Waiting for the customer' } });
    await call('clockAction', 'POST', `/v1/complaints/${internal.body.id}/clock`, { token: sam, body: { action: 'resume', reason: 'Customer replied' } });
    const psd = await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ regime: 'UK_FCA_PSD' }) });
    await call('clockAction', 'POST', `/v1/complaints/${psd.body.id}/clock`, { token: sam, body: { action: 'extend', reason: 'Exceptional circumstances beyond our control' } });

    const ev = await call('registerEvidence', 'POST', `/v1/complaints/${psd.body.id}/evidence`, {
      token: sam,
      body: { fileName: 'statement.pdf', contentType: 'application/pdf', sizeBytes: 4, sha256: '03ac674216f3e15c761ee1a5e255f067953623c8b388b4459e13f978d7c846f4' },
    });
    const put = await fetch(ev.body.upload.url as string, { method: 'PUT', headers: ev.body.upload.headers as Record<string, string>, body: Buffer.from('1234') });
    expect(put.status).toBe(200);
    await api.s3Idle();
    await call('listEvidence', 'GET', `/v1/complaints/${psd.body.id}/evidence`, { token: sam });
    await call('getEvidence', 'GET', `/v1/complaints/${psd.body.id}/evidence/${ev.body.evidenceId}`, { token: sam });
    await call('legalHold', 'POST', `/v1/complaints/${psd.body.id}/legal-hold`, { token: tokens.legal, body: { on: true, reason: 'Litigation hold requested by counsel' } });
    // Compliance export of that case (built by the pump: the case stream launches the builder), its download, the key,
    // and a subject-access request.
    const exp = await call('requestExport', 'POST', `/v1/complaints/${psd.body.id}/exports`, { token: tokens.legal, body: {} });
    await api.pump();
    const ready = await call('getExport', 'GET', `/v1/exports/${exp.body.exportId}`, { token: tokens.legal });
    expect(ready.body.status).toBe('ready');
    await call('exportPublicKey', 'GET', '/v1/exports/public-key', { token: bob });
    await call('customerComplaints', 'GET', '/v1/customers/cust-42/complaints?limit=2', { token: await api.token('cora', ['compliance']) });

    // Channel intake: a signed helpdesk ticket (new, then the same ticket again), and inbound emails through the local
    // SES stand-in (a new complaint from a known customer's address, a reply to it, a refused message), recorded
    // against the rejections route they feed.
    const ticket = JSON.stringify({ system: 'no-scan-desk', ticketId: `t-${uniqueDigits()}`, subject: 'Refund missing', description: 'Still waiting.', customer: { id: 'cust-42', name: 'Ada Lovelace', email: 'ada@example.com' }, history: [{ author: 'Ada', fromCustomer: true, body: 'Any news?' }], attachments: [{ fileName: 'note.txt', contentType: 'text/plain', contentBase64: Buffer.from('note').toString('base64') }] });
    const stamp = String(Math.floor(Date.parse((await api.raw('GET', '/local/clock')).body.now as string) / 1000));
    const secret = (JSON.parse(readFileSync(api.stack.helpdeskSecretsFile, 'utf8')) as Record<string, string>).generic!;
    const signed = { rawBody: ticket, headers: { 'content-type': 'application/json', 'x-complaints-timestamp': stamp, 'x-complaints-signature': sign('generic', secret, stamp, ticket) } };
    await call('helpdeskIntake', 'POST', '/v1/intake/helpdesk/generic', signed);
    await call('helpdeskIntake', 'POST', '/v1/intake/helpdesk/generic', signed);
    const mail = (subject: string) => Buffer.from(['From: Ada <ada@example.com>', `Subject: ${subject}`, `Message-ID: <${subject.length}-${uniqueDigits()}@example.com>`, '', 'Please look again.', ''].join('\r\n'));
    const rfc822 = { 'content-type': 'message/rfc822' };
    const mailed = await call('inboundRejections', 'POST', '/local/inbound-email', { rawBody: mail('Complaint'), headers: rfc822 });
    await call('inboundRejections', 'POST', '/local/inbound-email', { rawBody: mail(`Re: ${mailed.body.reference as string}`), headers: rfc822 });
    expect((await api.raw('POST', '/local/inbound-email', { rawBody: 'not mail', headers: rfc822 })).status).toBe(422);
    await call('inboundRejections', 'GET', `/v1/intake/rejections?day=${stamp ? new Date(Number(stamp) * 1000).toISOString().slice(0, 10) : ''}`, { token: sam });
    // A recorded rejection of a stored message, replayed by an admin (finds it by id: GetItem, never a Scan).
    const rejected = await storedRejection(api, rawEmail({ from: 'Ada <ada@example.com>', subject: 'Replayed complaint', text: 'The intake failed on this one.' }));
    await call('replayInboundRejection', 'POST', `/v1/intake/rejections/${rejected.id}/replay`, { token: await api.token('ops', ['admin']) });

    // Resolution: the owner proposes above the threshold, a supervisor decides, the owner sends the final response.
    const resolved = await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ ownerId: 'bob' }) });
    const rid = resolved.body.id as string;
    await call('proposeResolution', 'POST', `/v1/complaints/${rid}/resolution`, {
      token: bob,
      body: {
        decision: 'upheld',
        remedy: { compensation: { amount: '300.00', currency: 'GBP' }, description: 'Goodwill payment' },
        rootCause: { category: 'capacity', description: 'Depot overbooked' },
        finalResponse: 'We uphold your complaint.',
      },
    });
    const queue = await call('listApprovals', 'GET', '/v1/approvals?status=pending', { token: sam });
    const stage = (queue.body.items as { id: string; caseId: string; resolutionId: string }[]).find((a) => a.caseId === rid);
    await call('decideApproval', 'POST', `/v1/approvals/${stage?.id}/decision`, { token: sam, body: { decision: 'approve' } });
    await call('listCaseApprovals', 'GET', `/v1/complaints/${rid}/approvals?resolutionId=${stage?.resolutionId}`, { token: sam });
    await call('sendFinalResponse', 'POST', `/v1/complaints/${rid}/final-response`, { token: bob, body: {} });
    await call('previewLetter', 'GET', `/v1/complaints/${rid}/letters/final_response`, { token: bob });
    // The customer's feedback link: the follow-up as its timer leaves it on the case (the flow itself is in
    // test/api/letters-feedback.test.ts), signed with the local key; the submission reads and writes by key only.
    const fbNow = (await api.raw('GET', '/local/clock')).body.now as string;
    const fbExpires = new Date(Date.parse(fbNow) + 30 * 86_400_000).toISOString();
    await patchStoredCase(api.tables.cases, rid, (c) => ({ ...c, feedback: [{ cycle: 1, followUpAt: fbNow, linkValidDays: 30, requestedAt: fbNow, tokenId: 'c1', expiresAt: fbExpires }] }));
    const fbSigned = encodeClaims({ caseId: rid, tokenId: 'c1', expiresAt: fbExpires });
    const fbToken = `${fbSigned}.${await new HmacTokenSigner(localKeyFile(process.env.FEEDBACK_SIGNING_KEY_FILE!)).sign(fbSigned)}`;
    await call('submitFeedback', 'POST', `/v1/feedback/${encodeURIComponent(fbToken)}`, { body: { score: 5 } });

    // Escalation: the owner escalates, a supervisor acknowledges; a case past its 75 % checkpoint is waived.
    const escalated = await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ ownerId: 'bob' }) });
    const esc = await call('raiseEscalation', 'POST', `/v1/complaints/${escalated.body.id}/escalations`, { token: bob, body: { reason: 'Customer threatens the ombudsman' } });
    await call('acknowledgeEscalation', 'POST', `/v1/complaints/${escalated.body.id}/escalations/${esc.body.id}/acknowledgement`, { token: sam, body: { note: 'Taking it' } });
    const late = await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ ownerId: 'bob', receivedAt: new Date(Date.parse((await api.raw('GET', '/local/clock')).body.now as string) - 45 * 86_400_000).toISOString() }) });
    await api.pump();
    await call('waiveEscalation', 'POST', `/v1/complaints/${late.body.id}/escalation-waivers`, { token: sam, body: { checkpoint: 75, justification: 'Final response is being drafted and goes out this week' } });

    // Every list access pattern: shards, owner, each filter, and a followed cursor.
    const queries = ['', 'owner=me', 'owner=bob', 'status=closed', 'status=open', 'risk=overdue', 'risk=at_risk', 'risk=on_track', 'category=billing', `dueBefore=${encodeURIComponent(new Date(clockNowMs() + 30 * 86_400_000).toISOString())}`, `risk=on_track&dueBefore=2020-01-01T00:00:00Z`];
    for (const q of queries) {
      const first = await call('listComplaints', 'GET', `/v1/complaints?limit=1${q ? `&${q}` : ''}`, { token: alice });
      if (first.body.nextCursor) await call('listComplaints', 'GET', `/v1/complaints?limit=1${q ? `&${q}` : ''}&cursor=${first.body.nextCursor}`, { token: alice });
    }

    // Reports read counters (the projection runs in the pump): every report route, every groupBy, CSV too.
    await api.pump();
    for (const g of ['', '&groupBy=regime', '&groupBy=category', '&groupBy=product', '&groupBy=channel', '&groupBy=outcome']) {
      await call('kpiReport', 'GET', `/v1/reports/kpis?from=2026-01-01&to=2026-12-31${g}`, { token: sam });
    }
    await call('kpiReport', 'GET', '/v1/reports/kpis', { token: sam, headers: { accept: 'text/csv' } });
    await call('controlScore', 'GET', '/v1/reports/control-score', { token: sam });
    await call('triageReport', 'GET', '/v1/reports/triage?from=2026-01-01&to=2026-12-31', { token: sam });
    await call('controlReview', 'GET', '/v1/reports/control-review?last=20', { token: sam });
    await call('regulatorReturn', 'GET', '/v1/reports/returns?regime=UK_FCA_DISP&period=2026-H2', { token: sam });
    await call('regulatorReturn', 'GET', '/v1/reports/returns?regime=UK_FCA_DISP&period=2027-H1', { token: sam });
    await call('regulatorReturn', 'GET', '/v1/reports/returns?regime=INTERNAL_STANDARD&period=2026', { token: sam });

    // Subscriber webhooks: subscribe, a delivery (fan-out, attempt) and the retry sweep in the pump, the lists, delete.
    const admin = await api.token('ada-admin', ['admin']);
    const hook = await call('createWebhook', 'POST', '/v1/webhooks', { token: admin, body: { url: 'http://127.0.0.1:9/no-scan', eventTypes: ['ComplaintOpened'] } });
    await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ ownerId: 'bob' }) });
    current = [];
    await api.pump();
    expect(current).toEqual(expect.arrayContaining(['QueryCommand', 'TransactWriteItemsCommand']));
    expect(current).not.toContain('ScanCommand');
    const page = await call('listWebhooks', 'GET', '/v1/webhooks?limit=1', { token: admin });
    if (page.body.nextCursor) await call('listWebhooks', 'GET', `/v1/webhooks?limit=1&cursor=${page.body.nextCursor}`, { token: admin });
    await call('listWebhookDeliveries', 'GET', `/v1/webhooks/${hook.body.id}/deliveries`, { token: admin });
    await call('deleteWebhook', 'DELETE', `/v1/webhooks/${hook.body.id}`, { token: admin });

    // Honest metrics: spam, duplicate, unmark (read the version, mark by key).
    const spam = await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ ownerId: 'bob' }) });
    await call('markSpam', 'POST', `/v1/complaints/${spam.body.id}/spam`, { token: sam, body: { reason: 'Automated mailer' }, headers: { 'if-match': `"${spam.body.version}"` } });
    await call('unmarkComplaint', 'POST', `/v1/complaints/${spam.body.id}/unmark`, { token: sam, body: { reason: 'A real customer after all' } });
    const dup = await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ ownerId: 'bob' }) });
    await call('markDuplicate', 'POST', `/v1/complaints/${dup.body.id}/duplicate-of`, { token: sam, body: { caseId: spam.body.id, reason: 'Same email twice' } });
    // Availability-aware routing: a staff profile.
    const soon = new Date(clockNowMs() + 86_400_000).toISOString();
    const later = new Date(clockNowMs() + 3 * 86_400_000).toISOString();
    await call('setAvailability', 'PUT', '/v1/staff/h9/availability', { token: sam, body: { outOfOffice: [{ from: soon, to: later, reason: 'Leave' }], capacity: 5, skills: { categories: ['billing'] } } });

    // Release for legal discovery: requested, approved by legal and compliance (then built by the pump), read back.
    const released = await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ ownerId: 'bob' }) });
    const rel = await call('requestRelease', 'POST', `/v1/complaints/${released.body.id}/releases`, {
      token: await api.token('cora', ['compliance']),
      body: { basis: 'legal_discovery', recipient: { name: 'Pat Counsel', organisation: 'Counsel LLP', email: 'pat@counsel.example' }, reference: 'Claim HC-2026-000123', reason: 'Disclosure order of 1 December 2026' },
    });
    const relPath = `/v1/complaints/${released.body.id}/releases/${rel.body.id}`;
    await call('decideRelease', 'POST', `${relPath}/decision`, { token: tokens.legal, body: { decision: 'approve', comment: 'Order checked against the file' } });
    await call('decideRelease', 'POST', `${relPath}/decision`, { token: await api.token('olga', ['compliance']), body: { decision: 'approve', comment: 'Order checked against the file' } });
    await api.pump();
    await call('getRelease', 'GET', relPath, { token: tokens.legal });

    // Problems: open one from complaints, read, amend, link and unlink, its timeline, fix effect, close; a change.
    const pc = await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ ownerId: 'bob', product: 'mobile-app', category: 'product_issue' }) });
    const pc2 = await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ ownerId: 'bob', product: 'mobile-app', category: 'product_issue' }) });
    const fixedAt = new Date(clockNowMs() - 7 * 86_400_000).toISOString();
    const problem = await call('createProblem', 'POST', '/v1/problems', {
      token: sam,
      body: { title: 'Payments screen crashes after app release 4.2', scope: { products: ['mobile-app'], categories: ['product_issue'] }, externalIds: ['INC0012345'], caseIds: [pc.body.id], reason: 'Same crash on the payments screen' },
    });
    const pid = problem.body.id as string;
    await call('listProblems', 'GET', '/v1/problems?status=open&limit=100', { token: sam });
    await call('getProblem', 'GET', `/v1/problems/${pid}`, { token: sam });
    await call('updateProblem', 'PATCH', `/v1/problems/${pid}`, { token: sam, body: { rootCause: 'Null pointer in the card list', fix: { description: 'App 4.2.1', fixedAt } }, headers: { 'if-match': '"1"' } });
    await call('linkProblemComplaint', 'POST', `/v1/problems/${pid}/complaints`, { token: sam, body: { caseId: pc2.body.id, reason: 'Customer describes the same crash' } });
    await call('unlinkProblemComplaint', 'DELETE', `/v1/problems/${pid}/complaints/${pc2.body.id}?reason=${encodeURIComponent('Different crash after review')}`, { token: sam });
    await call('problemTimeline', 'GET', `/v1/problems/${pid}/timeline`, { token: sam });
    await call('problemEffect', 'GET', `/v1/problems/${pid}/effect?weeks=1`, { token: sam });
    await call('createChange', 'POST', '/v1/changes', { token: await api.token('deployer', [], { scope: INTAKE_SCOPE }), body: { title: 'Deploy app 4.2.1', at: fixedAt, source: 'api', externalId: `deploy-${uniqueDigits()}` } });
    const today = new Date(clockNowMs()).toISOString().slice(0, 10);
    await call('spikeReport', 'GET', `/v1/reports/spikes?from=${today}&to=${today}`, { token: sam });
    // Suggestions: two groups of similar complaints, then the daily job; one suggestion accepted, one dismissed.
    const groups = [
      { product: 'login-service', texts: ['Login verification text code never received', 'I never get the login verification code by text', 'Verification code sms not received at login again'] },
      { product: 'card-service', texts: ['Card declined at the checkout terminal twice', 'My card keeps getting declined at checkout', 'Checkout declined my card again today'] },
    ];
    for (const g of groups) {
      for (const summary of g.texts) {
        await call('createComplaint', 'POST', '/v1/complaints', { token: intake, body: complaintBody({ customer: { id: `sg-${uniqueDigits()}`, name: 'Alan Turing' }, summary, description: summary, product: g.product, category: 'product_issue' }) });
      }
    }
    current = [];
    await api.advanceClock('P1D');
    expect(current).not.toContain('ScanCommand');
    const sam2 = await api.token('sam', ['supervisor']);
    const suggested = await call('listProblemSuggestions', 'GET', '/v1/problem-suggestions?status=pending&limit=100', { token: sam2 });
    const pending = suggested.body.items as { id: string }[];
    expect(pending.length).toBeGreaterThanOrEqual(2);
    await call('acceptProblemSuggestion', 'POST', `/v1/problem-suggestions/${pending[0]!.id}/accept`, { token: sam2, body: { reason: 'Same SMS gateway fault', title: 'Login SMS codes not delivered' } });
    await call('dismissProblemSuggestion', 'POST', `/v1/problem-suggestions/${pending[1]!.id}/dismiss`, { token: sam2, body: { reason: 'Not the same fault' } });
    const before = await call('getProblem', 'GET', `/v1/problems/${pid}`, { token: sam2 });
    await call('closeProblem', 'POST', `/v1/problems/${pid}/close`, {
      token: sam2,
      body: { reason: 'Release 4.2.1 fixed it', rootCause: 'Null pointer in the card list', fix: { description: 'Release 4.2.1', fixedAt } },
      headers: { 'if-match': `"${before.body.version}"` },
    });

    // Every route in the table was exercised.
    expect([...commandsByRoute.keys()].sort()).toEqual(routeList().map((r) => r.id).sort());

    const all = new Set([...commandsByRoute.values()].flatMap((s) => [...s]));
    expect(all.has('ScanCommand')).toBe(false);
    // The observer really saw the traffic (so the absence of Scan means something).
    for (const expected of ['GetItemCommand', 'QueryCommand', 'TransactWriteItemsCommand', 'UpdateItemCommand']) expect(all.has(expected)).toBe(true);
    for (const route of ['createComplaint', 'getComplaint', 'listComplaints', 'getTimeline'] as RouteId[]) expect(commandsByRoute.get(route)?.size).toBeGreaterThan(0);
    // BatchGetItem reads named keys (a problem's linked cases, for one): by key, like GetItem.
    const allowed = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'TransactWriteItemsCommand', 'UpdateItemCommand', 'PutItemCommand', 'DeleteItemCommand']);
    expect([...all].filter((n) => !allowed.has(n))).toEqual([]);
  }, 240_000);

  it('the timers (stream handler, local scheduler, checkpoint handler) never scan either', async () => {
    current = [];
    const fired = await api.advanceClock('P70D');
    expect(fired.length).toBeGreaterThan(0);
    expect(current).toContain('TransactWriteItemsCommand');
    expect(current).not.toContain('ScanCommand');
    // Seventy days of every case's timers, workflows and follow-ups: well past jest's default 30 s on a loaded machine.
  }, 240_000);

  it('the daily retention job finds and redacts cases through its index, never a Scan', async () => {
    const intake = await api.token('web-form', ['intake']);
    const bob = await api.token('bob', ['handler']);
    const created = await api.raw('POST', '/v1/complaints', { token: intake, body: complaintBody({ ownerId: 'bob', regime: 'UK_FCA_PSD' }) });
    const closed = await api.raw('POST', `/v1/complaints/${created.body.id}/close`, { token: bob, body: { followUpAction: 'Review', rootCause: { category: 'capacity', description: 'Depot overbooked' } } });
    expect(closed.status).toBe(200);
    current = [];
    // Past the three years of UK_FCA_PSD: the local timers run the job as the clock passes midnight.
    await api.advanceClock('P1200D');
    // The daily problem-signal job runs at midnight too: the retention run is the last of its own name.
    const retention = api.stack.timers.dailyRuns.filter((r) => r.name === 'retention-job').at(-1);
    expect(retention).toMatchObject({ name: 'retention-job', result: { redacted: expect.any(Number), failed: 0 } });
    expect((retention?.result as { redacted: number }).redacted).toBeGreaterThanOrEqual(1);
    expect(current).toEqual(expect.arrayContaining(['QueryCommand', 'TransactWriteItemsCommand']));
    expect(current).not.toContain('ScanCommand');
  }, 60_000);
});
