// Property: whatever arrives at any route of the table (random and malformed bodies, hostile headers, garbage
// query strings and path ids, with or without a valid token) the API never answers 5xx, and every non-2xx answer
// is application/problem+json whose `status` is the HTTP status and whose `title` is a string.
// Raw requests by design: it sends random and malformed input to every route of shared/http/routes.ts generically.
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { z } from 'zod';
import { routeList, type RouteDef, type RouteId } from '#http/routes';
import { complaintBody, startTestApi, type TestApi } from '../support/api';
import { binaryString } from '../support/fast-strings';

type Route = RouteDef & { id: RouteId };

/** Raise with PROPERTY_RUNS=300 to hunt; the default keeps the file well under a minute. */
const RUNS_PER_ROUTE = Number(process.env.PROPERTY_RUNS ?? 30);

let api: TestApi;
let superToken: string;
let caseIds: string[] = [];
let taskId: string;
let realCursors: string[] = [];

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}
interface Received {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** node:http rather than fetch: it sends bodies on GET, raw percent-garbage in paths and any header we ask for. */
const send = (req: Sent): Promise<Received> =>
  new Promise((resolve, reject) => {
    const url = new URL(api.url);
    const out = httpRequest(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers: req.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(req.body);
  });

const describeReq = (req: Sent) => {
  const body = req.body === undefined ? '' : ` body=${(Buffer.isBuffer(req.body) ? `<${req.body.length} bytes>` : req.body).slice(0, 300)}`;
  return `${req.method} ${req.path.slice(0, 300)} headers=${JSON.stringify(req.headers).slice(0, 600)}${body}`;
};

/** The property every response must satisfy. */
const checkResponse = (req: Sent, res: Received) => {
  const fail = (why: string) => {
    throw new Error(`${why}\n  request: ${describeReq(req)}\n  response: ${res.status} ${String(res.headers['content-type'])} ${res.text.slice(0, 500)}`);
  };
  if (res.status >= 500) fail('5xx answer');
  if (res.status >= 200 && res.status < 300) return;
  if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) fail('non-2xx answer is not application/problem+json');
  let problem: unknown;
  try {
    problem = JSON.parse(res.text);
  } catch {
    fail('problem body is not JSON');
  }
  const p = problem as { status?: unknown; title?: unknown };
  if (typeof p.status !== 'number' || p.status !== res.status) fail('problem.status does not equal the HTTP status');
  if (typeof p.title !== 'string') fail('problem.title is not a string');
};

// ---------- arbitraries ----------

/**
 * Builds each arbitrary once per set of arguments and reuses it. Arbitraries are stateless, so the same ones generate
 * the same values; but building a fast-check string arbitrary (stringMatching's among them) tokenizes fast-check's list
 * of dangerous strings against its unit, about 20 ms each: rebuilt per route and per generated query pair, that was
 * most of this file's own CPU. Those that read the fixtures (real ids, cursors, the token) are first built after setup.
 */
const memo = <A extends (string | number | readonly string[])[], R>(build: (...args: A) => R): ((...args: A) => R) => {
  const built = new Map<string, R>();
  return (...args: A) => {
    const key = JSON.stringify(args);
    if (!built.has(key)) built.set(key, build(...args));
    return built.get(key)!;
  };
};

/** Header-safe text: what a client can put in a header value (visible ASCII, spaces and tabs). */
const headerText = memo((maxLength: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength }));
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade', 'te', 'trailer', 'keep-alive', 'authorization', 'content-type', 'if-match', 'idempotency-key']);
const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((n) => !HOP_BY_HOP.has(n));

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const RAW_GARBAGE = ['%', '%zz', '%E0%A4%A', '%00', '%2F', '%2e%2e', '..', '.', 'null', 'undefined', '__proto__', 'constructor', 'prototype', '0', '-1', '1e309', '[]', '{}', "'", '"', '<script>', '~', 'A'.repeat(1500)];

const pathId = memo((real: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...real) },
    { weight: 2, arbitrary: fc.stringMatching(ULID) },
    { weight: 1, arbitrary: fc.stringMatching(ULID).map((s) => s.toLowerCase()) },
    { weight: 2, arbitrary: binaryString({ maxLength: 60 }).map(encodeURIComponent) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_GARBAGE) },
    { weight: 1, arbitrary: fc.stringMatching(/^[!-~]{1,40}$/) },
  ),
);

/** Dotted paths of an object schema's fields, one level into nested objects (customer.name, allegedLoss.amount, …). */
const unwrap = (s: z.ZodType): z.ZodType => (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable ? unwrap(s.unwrap() as z.ZodType) : s);
const fieldPaths = (schema: z.ZodType | undefined): string[][] => {
  const s = schema && unwrap(schema);
  if (!(s instanceof z.ZodObject)) return [];
  return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([k, v]) => {
    const inner = unwrap(v);
    return [[k], ...(inner instanceof z.ZodObject ? Object.keys(inner.shape as object).map((n) => [k, n]) : [])];
  });
};

const setPath = (obj: unknown, path: string[], value: unknown): unknown => {
  const [head, ...rest] = path;
  const base: Record<string, unknown> = obj && typeof obj === 'object' && !Array.isArray(obj) ? { ...(obj as Record<string, unknown>) } : {};
  base[head!] = rest.length ? setPath(base[head!], rest, value) : value;
  return base;
};

/** A valid body per route (where we know one); random bodies are built around it. */
const VALID_BODY: Partial<Record<RouteId, () => unknown>> = {
  createComplaint: () => complaintBody(),
  reclassifyComplaint: () => ({ severity: 'high', reason: 'property test' }),
  reassignOwner: () => ({ ownerId: 'prop-super', reason: 'property test' }),
  recordAcknowledgement: () => ({}),
  createTask: () => ({ title: 'Pull logs', team: 'operations' }),
  updateTask: () => ({ status: 'blocked', blockedReason: 'waiting' }),
  addNote: () => ({ kind: 'finding', body: 'property test' }),
  closeComplaint: () => ({ followUpAction: 'Review', rootCause: { category: 'x', description: 'y' } }),
  reopenComplaint: () => ({ reason: 'property test' }),
  decideTriage: () => ({ field: 'severity', value: 'low', reason: 'property test' }),
};

/** Values of every JSON type (and the edges of each) to put where a field of another type belongs. */
const wrongValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 5e-324, '', ' ', '\u0000', 'x'.repeat(70_000), [], {}, [[[[]]]], { amount: Number.MAX_VALUE }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.integer(),
  fc.double(),
);

const HUGE_NUMBERS = ['1e400', '-1e400', '123456789012345678901234567890123456789', '0.0000000000000000000000000000001', '-0', '1E+999999999'];
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'];

/** JSON text of an object with one own key appended verbatim (JSON.stringify cannot emit an own __proto__). */
const withRawKey = (base: unknown, key: string, valueJson: string) => {
  const text = JSON.stringify(base ?? {});
  return text.startsWith('{') && text !== '{}' ? `${text.slice(0, -1)},${JSON.stringify(key)}:${valueJson}}` : `{${JSON.stringify(key)}:${valueJson}}`;
};

const bodyFor = (route: Route): fc.Arbitrary<string | Buffer | undefined> => {
  const valid = VALID_BODY[route.id]?.() ?? {};
  const paths = fieldPaths(route.body);
  const options: fc.WeightedArbitrary<string | Buffer | undefined>[] = [
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(valid)) },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withSparseArray: true }).map((v) => JSON.stringify(v) ?? '') },
    { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: binaryString({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '{', '}', '{"a":', '[1,2', 'null', 'true', '0', '""', '{"__proto__":null}', '\u00ff\u00fe', '\ufeff{}', ...HUGE_NUMBERS) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: 50_000 }), fc.boolean())
        .map(([n, arrays]) => (arrays ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`)),
    },
    // Larger than the 256 KB limit.
    { weight: 1, arbitrary: fc.integer({ min: 256 * 1024, max: 400 * 1024 }).map((n) => JSON.stringify({ summary: 'x'.repeat(n) })) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...POLLUTION_KEYS), fc.constantFrom('{"polluted":"yes"}', '{"prototype":{"polluted":"yes"}}', 'null', '1', '"x"')).map(([k, v]) => withRawKey(valid, k, v)),
    },
  ];
  if (paths.length) {
    // One field (top-level or nested) of the route's own schema set to a value of the wrong type or a huge number.
    options.push(
      { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...paths), wrongValue).map(([p, v]) => JSON.stringify(setPath(valid, p, v))) },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.constantFrom(...paths.filter((p) => p.length === 1)), fc.constantFrom(...HUGE_NUMBERS)).map(([p, n]) => {
          const field = p[0] ?? '';
          return withRawKey({ ...valid, [field]: undefined }, field, n);
        }),
      },
    );
  }
  if (route.id === 'createComplaint') {
    // Plausible bodies: valid shape, edge values the schema lets through to the domain.
    options.push({
      weight: 4,
      arbitrary: fc
        .record(
          {
            regime: fc.oneof(fc.constant('UK_FCA_DISP'), fc.stringMatching(/^[A-Z][A-Z0-9_]{1,39}$/)),
            receivedAt: fc.oneof(
              fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
              fc.constantFrom('0000-01-01T00:00:00+14:00', '9999-12-31T23:59:59-12:00', '2024-02-29T00:00:00Z', '1970-01-01T00:00:00.123456789Z'),
            ),
            ownerId: fc.stringMatching(/^[\w.@:+-]{1,128}$/),
            allegedLoss: fc.record({ amount: fc.stringMatching(/^(0|[1-9]\d{0,14})(\.\d{1,4})?$/), currency: fc.stringMatching(/^[A-Z]{3}$/) }),
            externalRef: fc.record({ system: fc.stringMatching(/^[\w.-]{1,64}$/), id: fc.string({ minLength: 1, maxLength: 128 }) }),
            sensitivity: fc.constantFrom('standard', 'restricted'),
            summary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }),
          },
          { requiredKeys: [] },
        )
        .map((over) => JSON.stringify(complaintBody(over))),
    });
  }
  return fc.oneof(...options);
};

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/vnd.api+json',
  'application/json; charset=latin1; boundary=x',
  'application/json;;;',
  'application/jsonx',
  'text/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/xml',
  'image/png',
  '*/*',
  '',
];
const contentType = fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: headerText(60) });
const IF_MATCH = ['*', '"1"', 'W/"1"', '1', '"0"', '""', '"-1"', '"1.5"', '"999999999999999"', '"9999999999999999"', '"1", "2"', 'W/', '"', '" 1 "', '"1e3"', '"\u00bd"'];
const ifMatch = fc.oneof(fc.constantFrom(...IF_MATCH), headerText(40));
const idempotencyKey = fc.oneof(fc.uuid(), fc.constantFrom('', ' ', 'same-key', 'x'.repeat(4000), '../../etc', '${jndi:x}', '"quoted"'), headerText(100));

const authHeader = memo(() =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(`Bearer ${superToken}`) },
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('Bearer', 'Bearer ', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', 'bearer x.y.z', `Bearer ${superToken}x`, `Bearer ${superToken.split('.').slice(0, 2).join('.')}.AAAA`, `Token ${superToken}`) },
    { weight: 1, arbitrary: headerText(200).map((s) => `Bearer ${s}`) },
  ),
);

const QUERY_KEYS = ['owner', 'status', 'dueBefore', 'risk', 'category', 'limit', 'cursor'] as const;
const queryValue = memo((key: string): fc.Arbitrary<string> => {
  const generic = fc.oneof(binaryString({ maxLength: 40 }), fc.constantFrom('', ' ', 'null', '[]', '{}', '__proto__', '%', '-1', '0', '1e309', 'NaN', 'Infinity', '99999999999999999999999'));
  const specific: Record<string, fc.Arbitrary<string>> = {
    owner: fc.oneof(fc.constant('me'), fc.constant('prop-super'), fc.stringMatching(/^[\w.@:+-]{1,140}$/)),
    status: fc.constantFrom('open', 'awaiting_approval', 'resolved', 'closed', 'OPEN', 'deleted'),
    dueBefore: fc.oneof(
      fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('0000-01-01T00:00:00+14:00', '9999-12-31T23:59:59-12:00', '2026-02-30T00:00:00Z', '2026-01-01', 'yesterday', '1700000000000'),
    ),
    risk: fc.constantFrom('on_track', 'at_risk', 'overdue', 'late'),
    category: fc.constantFrom('product_issue', 'service_delay', 'billing', 'policy', 'agent_interaction', 'other', 'food'),
    limit: fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), fc.constantFrom('1.5', '1e2', '0x10', ' 5', '5 ', '+5', '100', '101', '9007199254740993')),
    cursor: fc.oneof(
      fc.constantFrom(...realCursors),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,200}$/),
      // A real (sealed) cursor with one byte changed: right length and form, broken seal.
      fc.tuple(fc.constantFrom(...realCursors), fc.nat(), fc.integer({ min: 1, max: 255 })).map(([c, at, mask]) => {
        const bytes = Buffer.from(c, 'base64url');
        const i = at % bytes.length;
        bytes[i] = bytes[i]! ^ mask;
        return bytes.toString('base64url');
      }),
      fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'x').toString('base64url')),
    ),
  };
  return fc.oneof({ weight: 3, arbitrary: specific[key] ?? generic }, { weight: 1, arbitrary: generic });
});
const queryPair = memo(() =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...QUERY_KEYS).chain((k) => queryValue(k).map((v) => [k, v] as const)) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'limit[]', 'owner[0]')), queryValue('x')) },
  ),
);
/** Encoded pairs (repeated keys allowed: the gateway joins them with commas), sometimes raw garbage instead. */
const queryString = memo(() =>
  fc.oneof(
    { weight: 5, arbitrary: fc.array(queryPair(), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, v])).toString()) },
    { weight: 1, arbitrary: fc.constantFrom('', '&', '&&=&', '=', 'limit', 'limit=', 'cursor=%', 'owner=%zz', 'a=1&a=2&a=3', 'status=open&status=closed', 'limit=1&limit=2') },
  ),
);

const requestFor = (route: Route) =>
  fc
    .record({
      id: pathId(caseIds),
      taskId: pathId([taskId]),
      query: fc.option(queryString(), { freq: route.query ? 1 : 4, nil: undefined }),
      body: route.method === 'GET' ? fc.option(bodyFor(route), { freq: 1, nil: undefined }) : bodyFor(route),
      contentType: fc.option(contentType, { freq: 5, nil: undefined }),
      ifMatch: fc.option(ifMatch, { freq: 2, nil: undefined }),
      idempotencyKey: fc.option(idempotencyKey, { freq: 2, nil: undefined }),
      authorization: authHeader(),
      extra: fc.dictionary(headerName, headerText(60), { maxKeys: 3 }),
    })
    .map((r): Sent => {
      const path = route.path.replace('{id}', r.id).replace('{taskId}', r.taskId) + (r.query !== undefined ? `?${r.query}` : '');
      const headers: Record<string, string> = { ...r.extra };
      if (r.authorization !== undefined) headers.authorization = r.authorization;
      if (r.contentType !== undefined) headers['content-type'] = r.contentType;
      if (r.ifMatch !== undefined) headers['if-match'] = r.ifMatch;
      if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
      return { method: route.method, path, headers, ...(r.body !== undefined ? { body: r.body } : {}) };
    });

// ---------- setup ----------

beforeAll(async () => {
  api = await startTestApi();
  superToken = await api.token('prop-super', ['supervisor', 'handler', 'compliance', 'legal', 'admin']);
  caseIds = [];
  for (let i = 0; i < 3; i++) {
    const res = await api.raw('POST', '/v1/complaints', { token: superToken, body: complaintBody({ ownerId: 'prop-super', ...(i === 2 ? { sensitivity: 'restricted' } : {}) }) });
    expect(res.status).toBe(201);
    caseIds.push(res.body.id as string);
  }
  const task = await api.raw('POST', `/v1/complaints/${caseIds[0]}/tasks`, { token: superToken, body: { title: 'Pull logs', team: 'operations' } });
  expect(task.status).toBe(201);
  taskId = task.body.id as string;
  realCursors = [];
  for (const q of ['limit=1', 'owner=me&limit=1', 'limit=1&status=open', 'limit=2&category=service_delay']) {
    const page = await api.raw('GET', `/v1/complaints?${q}`, { token: superToken });
    expect(page.status).toBe(200);
    if (page.body.nextCursor) realCursors.push(page.body.nextCursor as string);
  }
  expect(realCursors.length).toBeGreaterThan(0);
});
afterAll(() => api.close());

// ---------- properties ----------

describe('every route survives random input: never 5xx, every error is problem+json', () => {
  const routes = routeList();

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    await fc.assert(
      fc.asyncProperty(requestFor(route), async (req) => {
        checkResponse(req, await send(req));
      }),
      { numRuns: RUNS_PER_ROUTE },
    );
  });

  it('GET /v1/complaints: random filters, limits and cursors (repeated keys too)', async () => {
    const route = routes.find((r) => r.id === 'listComplaints')!;
    await fc.assert(
      fc.asyncProperty(queryString(), fc.boolean(), async (query, authed) => {
        const req: Sent = { method: 'GET', path: `${route.path}?${query}`, headers: authed ? { authorization: `Bearer ${superToken}` } : {} };
        const res = await send(req);
        checkResponse(req, res);
        if (authed && res.status === 200) expect(Array.isArray((JSON.parse(res.text) as { items: unknown }).items)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('unknown paths and methods answer problem+json too', async () => {
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), fc.oneof(fc.constantFrom(...routes.map((r) => r.path)), fc.webPath()), pathId(caseIds), async (method, path, id) => {
        const req: Sent = { method, path: (path.startsWith('/') ? path : `/${path}`).replace(/\{\w+\}/g, id), headers: { authorization: `Bearer ${superToken}` } };
        checkResponse(req, await send(req));
      }),
      { numRuns: 40 },
    );
  });

  it.each(['//x:99999', '//[', '//a/v1/health', '//v1/health', '/v1//complaints'])('request target %s answers problem+json (it used to crash the local server)', async (path) => {
    const req: Sent = { method: 'GET', path, headers: { authorization: `Bearer ${superToken}` } };
    const res = await send(req);
    checkResponse(req, res);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('an empty Idempotency-Key is no key: two callers never share a record through it', async () => {
    // Found by this file: "" made the key expression select "" (not null), so every request with an empty header
    // hashed to the same record per function, across users and cases.
    const other = await api.token('prop-other', ['supervisor']);
    // Fresh open cases: the random runs above may have closed the shared ones.
    const fresh: string[] = [];
    for (let i = 0; i < 2; i++) fresh.push((await api.raw('POST', '/v1/complaints', { token: superToken, body: complaintBody() })).body.id as string);
    const body = JSON.stringify({ kind: 'finding', body: 'same words, different cases' });
    const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': '' });
    const first: Sent = { method: 'POST', path: `/v1/complaints/${fresh[0]}/notes`, headers: headers(superToken), body };
    const second: Sent = { method: 'POST', path: `/v1/complaints/${fresh[1]}/notes`, headers: headers(other), body };
    const a = await send(first);
    const b = await send(second);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((JSON.parse(b.text) as { caseId: string; authorId: string }).caseId).toBe(fresh[1]);
    expect((JSON.parse(b.text) as { authorId: string }).authorId).toBe('prop-other');
  });

  it('no request polluted Object.prototype', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
