// Header limits: Idempotency-Key and If-Match longer than 255 characters are a 400 naming the header, on creations
// and case mutations alike, and nothing is written; at the limit they are accepted.
// Raw requests by design: it walks the route table generically and sends headers longer than the contract allows.
import { routeList } from '#http/routes';
import { complaintBody, expectProblem, startTestApi, type ApiResponse, type TestApi } from '../support/api';

let api: TestApi;
let supervisor: string;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());
beforeEach(async () => {
  supervisor = await api.token('sam', ['supervisor']);
});

const fields = (res: ApiResponse): string[] => (res.body.errors as { field: string }[]).map((e) => e.field);

const openCase = async (): Promise<{ id: string; version: number }> => {
  const res = await api.raw('POST', '/v1/complaints', { token: supervisor, body: complaintBody() });
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number };
};

const caseVersion = async (id: string): Promise<number> => (await api.raw('GET', `/v1/complaints/${id}`, { token: supervisor })).body.version as number;

const complaintCount = async (customerId: string): Promise<number> => {
  const compliance = await api.token('cora', ['compliance']);
  const res = await api.raw('GET', `/v1/customers/${customerId}/complaints`, { token: compliance });
  expect(res.status).toBe(200);
  return (res.body.items as unknown[]).length;
};

describe('Idempotency-Key is capped at 255 characters', () => {
  it('refuses a 6,000-character key on POST /v1/complaints with 400 naming header.idempotency-key, and opens nothing', async () => {
    const res = await api.raw('POST', '/v1/complaints', { token: supervisor, body: complaintBody({ customer: { id: 'hl-long', name: 'Long Key' } }), headers: { 'idempotency-key': 'k'.repeat(6000) } });
    expectProblem(res, 400);
    expect(fields(res)).toEqual(['header.idempotency-key']);
    expect(await complaintCount('hl-long')).toBe(0);
  });

  it('refuses 256 characters and accepts 255 (and the retry with the 255-character key replays the first case)', async () => {
    const body = complaintBody({ customer: { id: 'hl-edge', name: 'Edge Key' } });
    expectProblem(await api.raw('POST', '/v1/complaints', { token: supervisor, body, headers: { 'idempotency-key': 'a'.repeat(256) } }), 400);
    const first = await api.raw('POST', '/v1/complaints', { token: supervisor, body, headers: { 'idempotency-key': 'a'.repeat(255) } });
    expect(first.status).toBe(201);
    const again = await api.raw('POST', '/v1/complaints', { token: supervisor, body, headers: { 'idempotency-key': 'a'.repeat(255) } });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(await complaintCount('hl-edge')).toBe(1);
  });

  it('refuses an over-long key on a mutating case route (POST …/notes) without changing the case', async () => {
    const c = await openCase();
    const res = await api.raw('POST', `/v1/complaints/${c.id}/notes`, { token: supervisor, body: { kind: 'call_note', body: 'Called the customer' }, headers: { 'idempotency-key': 'n'.repeat(256) } });
    expectProblem(res, 400);
    expect(fields(res)).toEqual(['header.idempotency-key']);
    expect(await caseVersion(c.id)).toBe(c.version);
  });
});

describe('If-Match is capped at 255 characters', () => {
  it('refuses 256 characters on PATCH /v1/complaints/{id} with 400 naming header.if-match once, and leaves the case as it was', async () => {
    const c = await openCase();
    const res = await api.raw('PATCH', `/v1/complaints/${c.id}`, { token: supervisor, body: { severity: 'high' }, headers: { 'if-match': `"${'9'.repeat(254)}"` } });
    expectProblem(res, 400);
    expect(fields(res)).toEqual(['header.if-match']);
    expect(res.body.errors[0].message).toBe('must be at most 255 characters (got 256)');
    expect(await caseVersion(c.id)).toBe(c.version);
  });

  it('lets 255 characters through to the ETag check (fetch trims padding, so a valid ETag cannot be that long)', async () => {
    const c = await openCase();
    const res = await api.raw('PATCH', `/v1/complaints/${c.id}`, { token: supervisor, body: { severity: 'high' }, headers: { 'if-match': `"${'9'.repeat(253)}"` } });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([{ field: 'header.if-match', message: 'must be an ETag from a previous response, e.g. "3"' }]);
    const ok = await api.raw('PATCH', `/v1/complaints/${c.id}`, { token: supervisor, body: { severity: 'high' }, headers: { 'if-match': `"${c.version}"` } });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(c.version + 1);
  });

  it('names both headers when both are too long on a create', async () => {
    const res = await api.raw('POST', '/v1/complaints', { token: supervisor, body: complaintBody(), headers: { 'idempotency-key': 'b'.repeat(300), 'if-match': `"${'1'.repeat(298)}"` } });
    expectProblem(res, 400);
    expect(fields(res).sort()).toEqual(['header.idempotency-key', 'header.if-match']);
  });
});

describe('the OpenAPI document states the limits', () => {
  it('gives every If-Match and Idempotency-Key parameter maxLength 255', async () => {
    const doc = (await api.raw('GET', '/v1/openapi.json')).body as { paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema: { maxLength?: number } }[] }>> };
    let seen = 0;
    for (const r of routeList()) {
      for (const p of doc.paths[r.path]![r.method.toLowerCase()]!.parameters ?? []) {
        if (p.in !== 'header' || !['If-Match', 'Idempotency-Key'].includes(p.name)) continue;
        expect({ route: r.id, name: p.name, maxLength: p.schema.maxLength }).toEqual({ route: r.id, name: p.name, maxLength: 255 });
        seen += 1;
      }
    }
    expect(seen).toBeGreaterThan(10);
  });
});
