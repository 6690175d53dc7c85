// Location on every creation, driven by the route table: each route documented 201/202 declares a Location template,
// the OpenAPI document states the header (and Retry-After on a 202), and each route, exercised, sends exactly its
// template filled with the created ids; where the Location is a readable route, reading it answers 200.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sign } from '#domain/helpdesk';
import type { Role } from '#schemas/common';
import { locationOf, routeList, ROUTES, type RouteDef, type RouteId } from '#http/routes';
import { localClock, settle, startTestApi, validComplaint, type ApiResponse, type TestApi } from '../support/api';

let api: TestApi;
const tok = (sub: string, role: Role) => api.token(sub, [role]);
/** The typed client as `sub` in `role`. */
const as = async (sub: string, role: Role) => api.client(await tok(sub, role));

beforeAll(async () => {
  api = await startTestApi({ HELPDESK_DEFAULT_REGIME: 'UK_FCA_DISP' });
});
afterAll(() => api.close());

const CREATIONS = routeList().filter((r) => r.ok.status === 201 || r.ok.status === 202);

const openCase = async (over: Record<string, unknown> = {}): Promise<string> => {
  const res = await settle((await as('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId: 'olive', ...over }) }));
  expect(res.status).toBe(201);
  await api.pump();
  return res.body.id as string;
};

interface Exercised {
  res: ApiResponse;
  /** The placeholder values the Location must carry (path parameters sent, ids created). */
  values: Record<string, string>;
  /** Who may read the Location, when a GET route serves it. */
  reader: () => Promise<string>;
}

/**
 * The ticket, an hour old on the stack's clock. Built when the route is exercised, not when the file loads: the clock is
 * pinned to the suite's instant only when the stack starts, so a body built at load carried the machine's date (a run
 * at TEST_NOW=2028-02-29 was refused 400 for a ticket fifteen months old).
 */
const helpdeskBody = () => JSON.stringify({
  ticket: {
    id: '4711',
    subject: 'Third missed delivery slot',
    description: 'The engineer did not come again; I want a formal review and compensation.',
    created_at: new Date(localClock.nowMs() - 3_600_000).toISOString(),
    tags: ['complaint_service_delay'],
    requester: { id: 9001, name: 'Grace Hopper', email: 'grace.location@example.com' },
  },
});

/** One way to exercise each creating route; a new 201/202 route without one fails the table test below. */
const EXERCISE: Partial<Record<RouteId, () => Promise<Exercised>>> = {
  createComplaint: async () => {
    const res = await settle((await as('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint() }));
    return { res, values: { id: String(res.body.id) }, reader: () => tok('sam', 'supervisor') };
  },
  createTask: async () => {
    const id = await openCase();
    const res = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/tasks', { params: { path: { id } }, body: { title: 'Pull call recording', team: 'contact-centre' } }));
    return { res, values: { id, taskId: String(res.body.id) }, reader: () => tok('olive', 'handler') };
  },
  addNote: async () => {
    const id = await openCase();
    const res = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/notes', { params: { path: { id } }, body: { kind: 'call_note', body: 'Called the customer' } }));
    return { res, values: { id, noteId: String(res.body.id) }, reader: () => tok('olive', 'handler') };
  },
  registerEvidence: async () => {
    const id = await openCase();
    const bytes = Buffer.from('%PDF-1.4\nDelivery log.\n%%EOF\n');
    const body = { fileName: 'log.pdf', contentType: 'application/pdf' as const, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    const res = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/evidence', { params: { path: { id } }, body }));
    return { res, values: { id, evidenceId: String(res.body.evidenceId) }, reader: () => tok('olive', 'handler') };
  },
  proposeResolution: async () => {
    const id = await openCase();
    const res = await settle(
      (await as('olive', 'handler')).POST('/v1/complaints/{id}/resolution', {
        params: { path: { id } },
        body: {
          decision: 'not_upheld',
          rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity' },
          finalResponse: 'We have reviewed your complaint and do not uphold it, for the reasons set out below.',
        },
      }),
    );
    return { res, values: { id }, reader: () => tok('olive', 'handler') };
  },
  raiseEscalation: async () => {
    const id = await openCase();
    const res = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/escalations', { params: { path: { id } }, body: { reason: 'Customer threatens to go to the ombudsman' } }));
    return { res, values: { id, escalationId: String(res.body.id) }, reader: () => tok('olive', 'handler') };
  },
  waiveEscalation: async () => {
    // 45 days into an 8-week regime: the 75 % checkpoint has fired and raised an escalation to waive.
    const id = await openCase({ receivedAt: new Date(localClock.nowMs() - 45 * 86_400_000).toISOString() });
    const res = await settle((await as('sue', 'supervisor')).POST('/v1/complaints/{id}/escalation-waivers', { params: { path: { id } }, body: { checkpoint: 75, justification: 'The final response goes out tomorrow morning' } }));
    return { res, values: { id }, reader: () => tok('sue', 'supervisor') };
  },
  requestExport: async () => {
    const id = await openCase();
    const res = await settle((await as('cora', 'compliance')).POST('/v1/complaints/{id}/exports', { params: { path: { id } } }));
    return { res, values: { exportId: String(res.body.exportId) }, reader: () => tok('cora', 'compliance') };
  },
  requestRelease: async () => {
    const id = await openCase();
    const body = { basis: 'regulator_request' as const, recipient: { name: 'Case Officer', organisation: 'Financial Ombudsman Service', email: 'officer@ombudsman.example' }, reference: 'FOS-123', reason: 'Regulator request for the file' };
    const res = await settle((await as('cora', 'compliance')).POST('/v1/complaints/{id}/releases', { params: { path: { id } }, body }));
    return { res, values: { id, releaseId: String(res.body.id) }, reader: () => tok('cora', 'compliance') };
  },
  helpdeskIntake: async () => {
    const secrets = JSON.parse(readFileSync(api.stack.helpdeskSecretsFile, 'utf8')) as Record<string, string>;
    const timestamp = new Date(localClock.nowMs()).toISOString();
    // Raw: a helpdesk delivery is an HMAC-signed raw body; the signature covers these exact bytes.
    const body = helpdeskBody();
    const res = await api.raw('POST', '/v1/intake/helpdesk/zendesk', {
      rawBody: body,
      headers: {
        'content-type': 'application/json',
        'x-zendesk-webhook-signature': sign('zendesk', secrets.zendesk!, timestamp, body),
        'x-zendesk-webhook-signature-timestamp': timestamp,
      },
    });
    return { res, values: { id: String(res.body.case?.id) }, reader: () => tok('sam', 'supervisor') };
  },
  createWebhook: async () => {
    const res = await settle((await as('ada', 'admin')).POST('/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['ComplaintClosed'] } }));
    return { res, values: { id: String(res.body.id) }, reader: () => tok('ada', 'admin') };
  },
  createProblem: async () => {
    const res = await settle((await as('sam', 'supervisor')).POST('/v1/problems', { body: { title: 'Depot overbooks slots', scope: { products: ['home-delivery'] } } }));
    return { res, values: { id: String(res.body.id) }, reader: () => tok('sam', 'supervisor') };
  },
  // The change is listed with the spikes it precedes (GET /v1/reports/spikes): its Location has no GET route of its own.
  createChange: async () => {
    const res = await settle((await as('ada', 'admin')).POST('/v1/changes', { body: { title: 'Deploy 2.3', at: '2026-11-01T10:00:00.000Z' } }));
    return { res, values: { id: String(res.body.id) }, reader: () => tok('ada', 'admin') };
  },
};

/** The GET route whose path template matches a concrete path, if any. */
const getRouteFor = (path: string) =>
  routeList().find((r) => r.method === 'GET' && new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path) && !r.path.endsWith('/public-key'));

describe('Location on every 201 and 202', () => {
  it('covers the five routes that sent none, and every creating route declares a Location template', () => {
    expect(CREATIONS.map((r) => r.id)).toEqual(expect.arrayContaining(['addNote', 'registerEvidence', 'raiseEscalation', 'proposeResolution', 'createWebhook', 'createComplaint', 'requestExport']));
    for (const r of CREATIONS) expect({ route: r.id, template: r.ok.location?.template.startsWith('/v1/') }).toEqual({ route: r.id, template: true });
  });

  it('the OpenAPI document states Location on each 201/202, and Retry-After on each 202', async () => {
    const doc = (await settle(api.client().GET('/v1/openapi.json'))).body as { paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>> };
    for (const r of CREATIONS) {
      const headers = doc.paths[r.path]![r.method.toLowerCase()]!.responses[String(r.ok.status)]!.headers ?? {};
      expect({ route: r.id, location: headers.Location }).toMatchObject({ route: r.id, location: { required: true, schema: { type: 'string' } } });
      if (r.ok.status === 202) expect({ route: r.id, retryAfter: headers['Retry-After'] }).toMatchObject({ route: r.id, retryAfter: { required: true, schema: { type: 'integer' } } });
    }
  });

  it.each(CREATIONS.map((r) => [r.id] as const))('%s answers with Location (its template, filled) and a readable one answers 200', async (id) => {
    const exercise = EXERCISE[id];
    expect({ route: id, exercised: exercise !== undefined }).toEqual({ route: id, exercised: true });
    const { res, values, reader } = await exercise!();
    expect({ route: id, status: res.status }).toEqual({ route: id, status: ROUTES[id].ok.status });
    expect(res.headers.get('location')).toBe(locationOf(id, values));
    if (res.status === 202) expect(res.headers.get('retry-after')).toBe(String((ROUTES[id].ok as RouteDef['ok']).retryAfterSeconds));
    const location = res.headers.get('location')!;
    // Raw: the Location is a concrete path of whichever route created the record, and this table covers every creating
    // route generically; the typed client takes a path template and its parameters, not a filled path.
    if (getRouteFor(location)) expect({ location, status: (await api.raw('GET', location, { token: await reader() })).status }).toEqual({ location, status: 200 });
  });
});
