// Uniform pages (issue 27 items 2 and 3), driven by the route table: every list route walks to its end with limit=1
// (no item twice, none missed: the walk equals one full page), its cursors are sealed (a tampered cursor, another
// caller's, another query's or another route's answers 400 naming query.cursor), and every route refuses an unknown
// query parameter with a 400 that names it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ComplaintsClient, components } from '@complaints/client';
import type { Role } from '#schemas/common';
import { isPaged, routeList, ROUTES } from '#http/routes';
import { expectProblem, settle, startTestApi, validComplaint, type ApiResponse, type TestApi } from '../support/api';
import { rawEmail, storedRejection } from '../support/inbound';
import { rawDocClient } from '../support/dynamo';
import { ulid } from 'ulid';
import { DynamoProblemStore } from '#adapters/aws/dynamo/problem-store';
import type { Spike, Suggestion } from '#schemas/problems';

let api: TestApi;
let receiver: Server;
let receiverUrl: string;
const tok = (sub: string, role: Role) => api.token(sub, [role]);
/** The typed client as `sub` in `role`. */
const as = async (sub: string, role: Role) => api.client(await tok(sub, role));

beforeAll(async () => {
  // A subscriber endpoint for the deliveries list: it acknowledges every delivery.
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const PAGED = routeList().filter((r) => isPaged(r));

const ok = async (res: Promise<ApiResponse>, status = 200): Promise<ApiResponse> => {
  const r = await res;
  expect({ status: r.status, body: r.status === status ? undefined : r.body }).toEqual({ status, body: undefined });
  return r;
};

const openCase = async (over: Record<string, unknown> = {}): Promise<string> => {
  const res = await ok(settle((await as('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId: 'olive', ...over }) })), 201);
  return res.body.id as string;
};

const PROPOSAL: components['schemas']['ProposeResolution'] = {
  decision: 'upheld',
  remedy: { compensation: { amount: '1500.00', currency: 'GBP' }, description: 'Compensation for the missed appointment' },
  rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity' },
  finalResponse: 'We uphold your complaint and will pay you compensation.',
};

/** A page request: the size, and the cursor of the page before (none for the first). */
interface PageQuery {
  limit: number;
  cursor?: string;
}

interface ListCase {
  /** Reads one page of the list, with the arrangement's filters, through the typed client as the arranged caller. */
  page: (q: PageQuery) => Promise<ApiResponse>;
  /** What identifies an item of this list. */
  key: (item: Record<string, unknown>) => string;
  /** Fewest items the arrangement made: a walk of one page would prove nothing. */
  atLeast: number;
}

const byId = (item: Record<string, unknown>) => String(item.id);

/** Makes a list hold a few items, and says how to read it; a new list route without one fails below. */
const ARRANGE: Record<string, () => Promise<ListCase>> = {
  listComplaints: async () => {
    for (let i = 0; i < 3; i++) await openCase({ ownerId: 'paula' });
    const sam = await as('sam', 'supervisor');
    return { page: (q) => settle(sam.GET('/v1/complaints', { params: { query: { owner: 'paula', ...q } } })), key: byId, atLeast: 3 };
  },
  customerComplaints: async () => {
    for (let i = 0; i < 3; i++) await openCase({ customer: { id: 'cust-pages', name: 'Grace Hopper', vulnerable: false } });
    const cora = await as('cora', 'compliance');
    return { page: (q) => settle(cora.GET('/v1/customers/{customerId}/complaints', { params: { path: { customerId: 'cust-pages' }, query: q } })), key: byId, atLeast: 3 };
  },
  listTasks: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    for (const title of ['Pull call recording', 'Check carrier log', 'Ask the depot']) {
      await ok(settle(olive.POST('/v1/complaints/{id}/tasks', { params: { path: { id } }, body: { title, team: 'contact-centre' } })), 201);
    }
    return { page: (q) => settle(olive.GET('/v1/complaints/{id}/tasks', { params: { path: { id }, query: q } })), key: byId, atLeast: 3 };
  },
  listNotes: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    for (const body of ['Called the customer', 'Customer sent photos', 'Depot confirms the slot']) {
      await ok(settle(olive.POST('/v1/complaints/{id}/notes', { params: { path: { id } }, body: { kind: 'call_note', body } })), 201);
    }
    return { page: (q) => settle(olive.GET('/v1/complaints/{id}/notes', { params: { path: { id }, query: q } })), key: byId, atLeast: 3 };
  },
  listEvidence: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    for (const [i, name] of ['a.pdf', 'b.pdf', 'c.pdf'].entries()) {
      await ok(settle(olive.POST('/v1/complaints/{id}/evidence', { params: { path: { id } }, body: { fileName: name, contentType: 'application/pdf', sizeBytes: 100 + i, sha256: String(i).repeat(64) } })), 201);
    }
    return { page: (q) => settle(olive.GET('/v1/complaints/{id}/evidence', { params: { path: { id }, query: q } })), key: byId, atLeast: 3 };
  },
  getTimeline: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    for (const body of ['First call', 'Second call']) await ok(settle(olive.POST('/v1/complaints/{id}/notes', { params: { path: { id } }, body: { kind: 'call_note', body } })), 201);
    const sam = await as('sam', 'supervisor');
    return { page: (q) => settle(sam.GET('/v1/complaints/{id}/timeline', { params: { path: { id }, query: q } })), key: (e) => String(e.seq), atLeast: 4 };
  },
  listRegimes: async () => {
    const ivy = await as('ivy', 'intake');
    return { page: (q) => settle(ivy.GET('/v1/regimes', { params: { query: q } })), key: byId, atLeast: 3 };
  },
  listApprovals: async () => {
    const olive = await as('olive', 'handler');
    for (let i = 0; i < 3; i++) {
      const id = await openCase();
      await ok(settle(olive.POST('/v1/complaints/{id}/resolution', { params: { path: { id } }, body: PROPOSAL })), 201);
    }
    await api.pump();
    const sue = await as('sue', 'supervisor');
    return { page: (q) => settle(sue.GET('/v1/approvals', { params: { query: { status: 'pending', ...q } } })), key: byId, atLeast: 3 };
  },
  // Two proposals on one case, each rejected at its first stage: four stages (two a round), both rounds listed.
  listCaseApprovals: async () => {
    const id = await openCase();
    const olive = await as('olive', 'handler');
    const sue = await as('sue', 'supervisor');
    for (let round = 0; round < 2; round++) {
      const proposed = await ok(settle(olive.POST('/v1/complaints/{id}/resolution', { params: { path: { id } }, body: PROPOSAL })), 201);
      const [first] = (await ok(settle(sue.GET('/v1/complaints/{id}/approvals', { params: { path: { id }, query: { resolutionId: proposed.body.id as string } } })))).body.items as { id: string }[];
      await ok(settle(sue.POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId: first!.id } }, body: { decision: 'reject', comment: 'Not enough evidence' } })));
    }
    return { page: (q) => settle(sue.GET('/v1/complaints/{id}/approvals', { params: { path: { id }, query: q } })), key: byId, atLeast: 4 };
  },
  inboundRejections: async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await storedRejection(api, rawEmail({ from: `Rita <rita.${i}@example.com>`, subject: `Card declined ${i}`, text: 'Declined at the till.' })));
    const day = made[0]!.receivedAt.slice(0, 10);
    const ada = await as('ada', 'admin');
    return { page: (q) => settle(ada.GET('/v1/intake/rejections', { params: { query: { day, ...q } } })), key: byId, atLeast: 3 };
  },
  listWebhooks: async () => {
    const ada = await as('ada', 'admin');
    for (const d of ['CRM one', 'CRM two', 'CRM three']) {
      await ok(settle(ada.POST('/v1/webhooks', { body: { url: `${receiverUrl}/${d.replace(' ', '-')}`, eventTypes: ['ComplaintClosed'], description: d } })), 201);
    }
    return { page: (q) => settle(ada.GET('/v1/webhooks', { params: { query: q } })), key: byId, atLeast: 3 };
  },
  listProblems: async () => {
    const sam = await as('sam', 'supervisor');
    for (const title of ['Card fees doubled', 'App crashes at login', 'Letters sent twice']) {
      await ok(settle(sam.POST('/v1/problems', { body: { title, scope: { products: ['mobile-app'], categories: ['product_issue'] } } })), 201);
    }
    const cora = await as('cora', 'compliance');
    return { page: (q) => settle(cora.GET('/v1/problems', { params: { query: { status: 'open', ...q } } })), key: byId, atLeast: 3 };
  },
  problemTimeline: async () => {
    const sam = await as('sam', 'supervisor');
    const created = await ok(settle(sam.POST('/v1/problems', { body: { title: 'Payments screen crashes', scope: { products: ['mobile-app'], categories: [] } } })), 201);
    const id = created.body.id as string;
    const updated = await ok(settle(sam.PATCH('/v1/problems/{id}', { params: { path: { id }, header: { 'If-Match': created.headers.get('etag')! } }, body: { rootCause: 'Null price in the fee table' } })));
    await ok(settle(sam.PATCH('/v1/problems/{id}', { params: { path: { id }, header: { 'If-Match': updated.headers.get('etag')! } }, body: { title: 'Payments screen crashes after 4.2' } })));
    const ada = await as('ada', 'admin');
    return { page: (q) => settle(ada.GET('/v1/problems/{id}/timeline', { params: { path: { id }, query: q } })), key: (e) => String(e.seq), atLeast: 3 };
  },
  // The daily job writes suggestions and spikes (test/api/problems.test.ts drives it); here the store holds a few.
  listProblemSuggestions: async () => {
    const store = new DynamoProblemStore(rawDocClient(), { tableName: api.tables.cases });
    const now = await api.now();
    for (let i = 0; i < 3; i++) {
      const s: Suggestion = {
        id: ulid(),
        kind: 'create_problem',
        status: 'pending',
        suggestedTitle: `Similar complaints ${i}`,
        scope: { products: ['login-service'], categories: ['product_issue'] },
        evidence: [],
        pairs: [],
        sharedTerms: ['code'],
        threshold: 0.5,
        window: { from: now, to: now },
        createdAt: now,
      };
      await store.putSuggestion(s, `pages-${s.id}`);
    }
    const sam = await as('sam', 'supervisor');
    return { page: (q) => settle(sam.GET('/v1/problem-suggestions', { params: { query: q } })), key: byId, atLeast: 3 };
  },
  spikeReport: async () => {
    const store = new DynamoProblemStore(rawDocClient(), { tableName: api.tables.cases });
    const now = await api.now();
    const day = '2001-02-03';
    for (const value of ['pages-a', 'pages-b', 'pages-c']) {
      const spike: Spike = { day, dimension: 'product', value, complaints: 12, baselineMean: 1, baselineSd: 0.5, pValue: 0.0001, z: 6, detectedAt: now };
      await store.putSpike(spike);
    }
    const cora = await as('cora', 'compliance');
    return { page: (q) => settle(cora.GET('/v1/reports/spikes', { params: { query: { from: day, to: day, ...q } } })), key: (s) => `${String(s.day)}/${String(s.dimension)}/${String(s.value)}`, atLeast: 3 };
  },
  listWebhookDeliveries: async () => {
    const ada = await as('ada', 'admin');
    const hook = await ok(settle(ada.POST('/v1/webhooks', { body: { url: `${receiverUrl}/opened`, eventTypes: ['ComplaintOpened'], description: 'Opened cases' } })), 201);
    for (let i = 0; i < 3; i++) await openCase();
    await api.pump();
    const hookId = hook.body.id as string;
    return { page: (q) => settle(ada.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: hookId }, query: q } })), key: byId, atLeast: 3 };
  },
};

/** Every page with limit=1 from the first to the one without nextCursor. */
const walk = async (id: string, l: ListCase): Promise<{ keys: string[]; pages: ApiResponse[] }> => {
  const keys: string[] = [];
  const pages: ApiResponse[] = [];
  let cursor: string | undefined;
  do {
    const res = await ok(l.page({ limit: 1, ...(cursor ? { cursor } : {}) }));
    expect((res.body.items as unknown[]).length).toBeLessThanOrEqual(1);
    keys.push(...(res.body.items as Record<string, unknown>[]).map(l.key));
    pages.push(res);
    cursor = res.body.nextCursor as string | undefined;
    if (pages.length > 200) throw new Error(`${id}: no end after 200 pages`);
  } while (cursor !== undefined);
  return { keys, pages };
};

describe('every list pages the same way', () => {
  it('the route table’s lists are the ones the issue names, each with limit and cursor', () => {
    expect(PAGED.map((r) => r.id)).toEqual(
      expect.arrayContaining(['listComplaints', 'listApprovals', 'listTasks', 'listNotes', 'listEvidence', 'getTimeline', 'listRegimes', 'inboundRejections', 'listWebhooks', 'listWebhookDeliveries', 'listProblems', 'listProblemSuggestions', 'spikeReport', 'problemTimeline']),
    );
    // A route that answers a list ({ items }) but takes no cursor would be a list that cannot page.
    for (const r of routeList()) {
      const shape = (r.ok.schema as { shape?: Record<string, unknown> }).shape;
      if (shape && Object.hasOwn(shape, 'items') && Object.hasOwn(shape, 'nextCursor')) expect({ route: r.id, paged: isPaged(r) }).toEqual({ route: r.id, paged: true });
      if (isPaged(r)) expect({ route: r.id, method: r.method, limit: Object.hasOwn((r.query as unknown as { shape: object }).shape, 'limit') }).toEqual({ route: r.id, method: 'GET', limit: true });
    }
  });

  it.each(PAGED.map((r) => [r.id] as const))('%s: walking with limit=1 yields every item once, as one full page does', async (id) => {
    const arrange = ARRANGE[id];
    expect({ route: id, arranged: arrange !== undefined }).toEqual({ route: id, arranged: true });
    const list = await arrange!();
    const full = await ok(list.page({ limit: 100 }));
    expect(full.body.nextCursor).toBeUndefined();
    const all = (full.body.items as Record<string, unknown>[]).map(list.key);
    expect(all.length).toBeGreaterThanOrEqual(list.atLeast);

    const { keys, pages } = await walk(id, list);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(all);
    // Cursors are opaque: no table key, no JSON, nothing a client could edit. The sealed bytes are random, so only
    // tokens of four bytes or more are looked for (a two-letter one like PK turns up by chance in ciphertext).
    for (const p of pages.slice(0, -1)) {
      const c = p.body.nextCursor as string;
      expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(c, 'base64url').toString('latin1')).not.toMatch(/"PK"|"SK"|CASE#|GSI\dPK|"seq"|APPROVAL|WEBHOOK|PROBLEM|SUGGEST|SPIKES/);
    }
    if (id === 'getTimeline' || id === 'problemTimeline') {
      // Every page reports the verdict over the whole chain, not over its one event.
      for (const p of pages) expect(p.body.chain).toEqual(full.body.chain);
      expect(full.body.chain).toMatchObject({ valid: true, length: all.length });
    }
  });

  it('a list of one case takes a whole short list by default (limit 100); the work queue pages by 25', async () => {
    expect(ROUTES.listNotes.query.parse({})).toEqual({ limit: 100 });
    expect(ROUTES.listComplaints.query.parse({})).toMatchObject({ limit: 25 });
  });
});

/** One page of a case's notes (limit 1), from `cursor` if given. */
const notesPage = (client: ComplaintsClient, id: string, cursor?: string) => settle(client.GET('/v1/complaints/{id}/notes', { params: { path: { id }, query: { limit: 1, ...(cursor !== undefined ? { cursor } : {}) } } }));

/** A page of notes with a next cursor, read by `sub`. */
const notesCursor = async (caseId: string, sub = 'sam'): Promise<string> => {
  const res = await ok(notesPage(await as(sub, 'supervisor'), caseId));
  expect(typeof res.body.nextCursor).toBe('string');
  return res.body.nextCursor as string;
};

const caseWithNotes = async (n = 2): Promise<string> => {
  const id = await openCase();
  const olive = await as('olive', 'handler');
  for (let i = 0; i < n; i++) await ok(settle(olive.POST('/v1/complaints/{id}/notes', { params: { path: { id } }, body: { kind: 'call_note', body: `Call ${i}` } })), 201);
  return id;
};

const expectBadCursor = (res: ApiResponse) => {
  expectProblem(res, 400);
  expect(res.body.errors).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
};

/** The same token with one character changed (a different base64url digit, so the bytes differ). */
const flip = (token: string, at: number): string => {
  const c = token[at]!;
  return `${token.slice(0, at)}${c === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
};

describe('sealed cursors (abuse cases)', () => {
  it('a tampered cursor is 400: any byte changed, cut short, or lengthened', async () => {
    const id = await caseWithNotes();
    const cursor = await notesCursor(id);
    const sam = await as('sam', 'supervisor');
    for (const bad of [flip(cursor, 0), flip(cursor, 10), flip(cursor, Math.floor(cursor.length / 2)), flip(cursor, cursor.length - 2), cursor.slice(0, -4), `${cursor}AAAA`]) {
      expectBadCursor(await notesPage(sam, id, bad));
    }
    // The genuine one still opens.
    await ok(notesPage(sam, id, cursor));
  });

  it('a forged cursor in the old format (base64url JSON of table keys) is 400', async () => {
    const id = await caseWithNotes();
    const forged = Buffer.from(JSON.stringify({ PK: `CASE#${id}`, SK: 'NOTE#0' })).toString('base64url');
    const sam = await as('sam', 'supervisor');
    expectBadCursor(await notesPage(sam, id, forged));
    const queue = Buffer.from(JSON.stringify(['start', 'start', 'start', 'start'])).toString('base64url');
    expectBadCursor(await settle(sam.GET('/v1/complaints', { params: { query: { limit: 1, cursor: queue } } })));
  });

  it('a cursor issued to someone else is 400, even to a caller with the same role who may read the list', async () => {
    const id = await caseWithNotes();
    const samsCursor = await notesCursor(id, 'sam');
    expectBadCursor(await notesPage(await as('sue', 'supervisor'), id, samsCursor));
  });

  it('a cursor of another query is 400: another case, other filters, another list', async () => {
    const a = await caseWithNotes();
    const b = await caseWithNotes();
    const sam = await as('sam', 'supervisor');
    const cursor = await notesCursor(a);
    // The same list of another case.
    expectBadCursor(await notesPage(sam, b, cursor));
    // Another list of the same case.
    expectBadCursor(await settle(sam.GET('/v1/complaints/{id}/tasks', { params: { path: { id: a }, query: { limit: 1, cursor } } })));
    expectBadCursor(await settle(sam.GET('/v1/complaints/{id}/timeline', { params: { path: { id: a }, query: { limit: 1, cursor } } })));
    // Other filters of the work queue.
    for (let i = 0; i < 2; i++) await openCase({ ownerId: 'quinn', category: 'billing' });
    const queue = await ok(settle(sam.GET('/v1/complaints', { params: { query: { owner: 'quinn', category: 'billing', limit: 1 } } })));
    const next = queue.body.nextCursor as string;
    expectBadCursor(await settle(sam.GET('/v1/complaints', { params: { query: { owner: 'quinn', limit: 1, cursor: next } } })));
    expectBadCursor(await settle(sam.GET('/v1/complaints', { params: { query: { owner: 'quinn', category: 'policy', limit: 1, cursor: next } } })));
    // A different page size is the same query: the cursor still opens.
    await ok(settle(sam.GET('/v1/complaints', { params: { query: { owner: 'quinn', category: 'billing', limit: 5, cursor: next } } })));
  });
});

/** A value each path parameter accepts in form (the route may still answer 404: the query is checked first). */
const SAMPLE_PARAMS: Record<string, string> = {
  id: '01JCASE0000000000000000001',
  taskId: '01JTASK0000000000000000001',
  evidenceId: '01JEVID0000000000000000001',
  escalationId: '01JESCL0000000000000000001',
  approvalId: '01JAPPR0000000000000000001',
  exportId: '01JEXPT0000000000000000001',
  customerId: 'cust-42',
  provider: 'generic',
  kind: 'acknowledgement',
  token: 'not-a-real-token',
  caseId: '01JCASE0000000000000000002',
  suggestionId: '01JSGGS0000000000000000001',
  releaseId: '01JRELS0000000000000000001',
};

describe('unknown query parameters are 400 on every route', () => {
  it.each(routeList().map((r) => [r.id] as const))('%s names the unknown parameter', async (id) => {
    const r = routeList().find((x) => x.id === id)!;
    const path = r.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const v = SAMPLE_PARAMS[name];
      if (v === undefined) throw new Error(`no sample value for {${name}} of ${id}`);
      return v;
    });
    const token = r.auth.kind === 'jwt' ? await api.token('una', [r.auth.roles[0]!], r.auth.scopes?.length ? { scope: r.auth.scopes[0]! } : {}) : undefined;
    // Raw: an unknown query parameter is outside the contract, and this table covers every route generically.
    const res = await api.raw(r.method, `${path}?unknownParam=1`, { ...(token ? { token } : {}), ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} }) });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual(expect.arrayContaining([{ field: 'query.unknownParam', message: 'unknown field' }]));
  });

  it('a parameter named like an object property is unknown too, never a lookup', async () => {
    const sam = await tok('sam', 'supervisor');
    for (const name of ['constructor', '__proto__', 'toString']) {
      // Raw: a query parameter the contract does not define.
      const res = await api.raw('GET', `/v1/regimes?${name}=1`, { token: sam });
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([{ field: `query.${name}`, message: 'unknown field' }]);
    }
  });
});
