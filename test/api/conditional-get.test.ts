// Conditional GET of a case: If-None-Match with the current ETag answers 304 without a body; a stale, foreign or
// malformed one answers 200 with the case; visibility and authentication come first; the document states the 304.
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

let api: TestApi;
let supervisor: string;
let alice: string;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());
beforeEach(async () => {
  supervisor = await api.token('sam', ['supervisor']);
  alice = await api.token('alice', ['handler']);
});

const openCase = async (over: Record<string, unknown> = {}): Promise<{ id: string; etag: string }> => {
  const res = await settle(api.client(supervisor).POST('/v1/complaints', { body: validComplaint({ ownerId: 'alice', ...over }) }));
  expect(res.status).toBe(201);
  return { id: res.body.id as string, etag: res.headers.get('etag')! };
};

const get = (id: string, ifNoneMatch?: string, token = alice) =>
  settle(api.client(token).GET('/v1/complaints/{id}', { params: { path: { id }, ...(ifNoneMatch !== undefined ? { header: { 'If-None-Match': ifNoneMatch } } : {}) } }));

describe('GET /v1/complaints/{id} with If-None-Match', () => {
  it('answers 304 with the ETag and no body while the ETag is current', async () => {
    const c = await openCase();
    const first = await get(c.id);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`"${first.body.version}"`);

    const res = await get(c.id, etag);
    expect(res.status).toBe(304);
    expect(res.text).toBe('');
    expect(res.headers.get('etag')).toBe(etag);
    expect(res.headers.get('content-type')).toBeNull();
  });

  it('matches weak tags, one tag of a list, and *', async () => {
    const c = await openCase();
    expect((await get(c.id, `W/${c.etag}`)).status).toBe(304);
    expect((await get(c.id, `"99", ${c.etag}`)).status).toBe(304);
    expect((await get(c.id, '*')).status).toBe(304);
  });

  it('answers 200 with the case and its new ETag once the ETag is stale', async () => {
    const c = await openCase();
    const patched = await settle(api.client(alice).PATCH('/v1/complaints/{id}', { params: { path: { id: c.id }, header: { 'If-Match': c.etag } }, body: { severity: 'high' } }));
    expect(patched.status).toBe(200);

    const res = await get(c.id, c.etag);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: c.id, severity: 'high', version: patched.body.version });
    expect(res.headers.get('etag')).toBe(patched.headers.get('etag'));
    expect((await get(c.id, patched.headers.get('etag')!)).status).toBe(304);
  });

  it('answers 200 to a tag that is not one of ours (it matches nothing; never a 400)', async () => {
    const c = await openCase();
    for (const tag of ['banana', '"v1"', '""', c.etag.replace(/"/g, '')]) {
      const res = await get(c.id, tag);
      expect({ tag, status: res.status, id: res.body?.id }).toEqual({ tag, status: 200, id: c.id });
    }
  });

  it('checks the token and visibility first: a restricted case is 404 and no token is 401, whatever the ETag', async () => {
    const c = await openCase({ sensitivity: 'restricted' });
    const bob = await api.token('bob', ['handler']);
    expectProblem(await get(c.id, c.etag, bob), 404);
    // Raw: without a token (the contract requires one).
    expectProblem(await api.raw('GET', `/v1/complaints/${c.id}`, { headers: { 'if-none-match': c.etag } }), 401);
    expect((await get(c.id, c.etag)).status).toBe(304);
  });

  it('a timer that moves the case on (the 75 % checkpoint) makes the held ETag stale', async () => {
    const now = Date.parse(await api.now());
    const c = await openCase({ receivedAt: new Date(now - 40 * 86_400_000).toISOString() });
    await api.pump();
    const before = await get(c.id);
    expect(before.body.risk).toBe('on_track');
    expect((await get(c.id, before.headers.get('etag')!)).status).toBe(304);

    await api.advanceClock('P3D');
    alice = await api.token('alice', ['handler']);
    const after = await get(c.id, before.headers.get('etag')!);
    expect(after.status).toBe(200);
    expect(after.body.risk).toBe('at_risk');
  });
});

describe('the OpenAPI document', () => {
  it('states If-None-Match and the 304 (with its ETag, without content) on getComplaint only', async () => {
    const doc = (await settle(api.client().GET('/v1/openapi.json'))).body as { paths: Record<string, Record<string, { operationId: string; parameters?: { name: string; in: string }[]; responses: Record<string, { headers?: Record<string, unknown>; content?: unknown }> }>> };
    const ops = Object.values(doc.paths).flatMap((item) => Object.values(item));
    const with304 = ops.filter((op) => op.responses['304']).map((op) => op.operationId);
    expect(with304).toEqual(['getComplaint']);
    const op = ops.find((o) => o.operationId === 'getComplaint')!;
    expect(op.responses['304']).toMatchObject({ headers: { ETag: { schema: { type: 'string' } } } });
    expect(op.responses['304']!.content).toBeUndefined();
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'If-None-Match', in: 'header' })]));
  });
});
