// Concurrent writers on one case: optimistic concurrency lets exactly one win and keeps the audit chain whole.
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

let api: TestApi;
let supervisor: string;
let alice: string;

const openCase = async (): Promise<string> => {
  const res = await settle(api.client(supervisor).POST('/v1/complaints', { body: validComplaint({ ownerId: 'alice' }) }));
  expect(res.status).toBe(201);
  return res.body.id as string;
};

const timeline = async (id: string) => {
  const res = await settle(api.client(supervisor).GET('/v1/complaints/{id}/timeline', { params: { path: { id } } }));
  expect(res.status).toBe(200);
  return res.body as { items: { seq: number; action: string; data: Record<string, unknown>; hash: string }[]; chain: { valid: boolean; head: string } };
};

beforeAll(async () => {
  api = await startTestApi();
  supervisor = await api.token('sam', ['supervisor']);
  alice = await api.token('alice', ['handler']);
});
afterAll(() => api.close());

describe('concurrent updates of one case', () => {
  it('lets exactly one of fifty reclassifications with the same If-Match win; the other 49 get 412', async () => {
    const id = await openCase();
    const before = await timeline(id);

    const results = await Promise.all(
      // Every writer may make its change on version 1: the owner (alice) only raises the severity (from medium), the
      // supervisor, who does not own the case, may also lower it. Had alice tried to lower it, the answer would
      // be her 403 or a 412 depending on whether she read version 1 or 2 first: a race, not a precondition.
      Array.from({ length: 50 }, (_, i) =>
        settle(
          api.client(i % 2 ? alice : supervisor).PATCH('/v1/complaints/{id}', {
            params: { path: { id }, header: { 'If-Match': '"1"' } },
            body: { product: `product-${i}`, severity: i % 2 ? (['high', 'critical'] as const)[i % 4 === 1 ? 0 : 1] : (['low', 'high', 'critical'] as const)[i % 3]!, reason: `writer ${i}` },
          }),
        ),
      ),
    );

    const winners = results.filter((r) => r.status === 200);
    const losers = results.filter((r) => r.status !== 200);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    losers.forEach((r) => expectProblem(r, 412));

    const winner = winners[0]!;
    const won = winner.body as { product: string; severity: string };
    expect(winner.headers.get('etag')).toBe('"2"');
    const got = await settle(api.client(supervisor).GET('/v1/complaints/{id}', { params: { path: { id } } }));
    expect(got.body.version).toBe(2);
    expect(got.body.product).toBe(won.product);
    expect(got.body.severity).toBe(won.severity);

    const after = await timeline(id);
    expect(after.chain.valid).toBe(true);
    expect(after.items).toHaveLength(before.items.length + 1);
    const added = after.items.at(-1)!;
    expect(added.action).toBe('complaint.reclassified');
    expect(added.data.reason).toBe(`writer ${won.product.slice('product-'.length)}`);
    expect(after.chain.head).toBe(after.items.at(-1)!.hash);
  });

  it('lets exactly one of twenty notes with the same If-Match win, and no loser leaves a note behind', async () => {
    const id = await openCase();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        settle(api.client(alice).POST('/v1/complaints/{id}/notes', { params: { path: { id }, header: { 'If-Match': '"1"' } }, body: { kind: 'call_note', body: `call ${i}` } })),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    results.filter((r) => r.status !== 201).forEach((r) => expectProblem(r, 412));

    const notes = await settle(api.client(alice).GET('/v1/complaints/{id}/notes', { params: { path: { id } } }));
    expect(notes.body.items).toHaveLength(1);
    const after = await timeline(id);
    expect(after.chain.valid).toBe(true);
    expect(after.items.filter((e) => e.action === 'note.added')).toHaveLength(1);
    expect((await settle(api.client(alice).GET('/v1/complaints/{id}', { params: { path: { id } } }))).body.version).toBe(2);
  });

  it('without If-Match, concurrent notes either succeed (internal retry) or fail cleanly with a retryable 409, and every success is audited once', async () => {
    const id = await openCase();
    const n = 10;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => settle(api.client(alice).POST('/v1/complaints/{id}/notes', { params: { path: { id } }, body: { kind: 'finding', body: `finding ${i}` } }))),
    );

    results.forEach((r) => expect(r.status).toBeLessThan(500));
    const ok = results.filter((r) => r.status === 201);
    results.filter((r) => r.status !== 201).forEach((r) => {
      expectProblem(r, 409);
      expect(r.body.retryable).toBe(true);
    });
    expect(ok.length).toBeGreaterThan(0);

    const after = await timeline(id);
    expect(after.chain.valid).toBe(true);
    const noteEvents = after.items.filter((e) => e.action === 'note.added');
    expect(noteEvents).toHaveLength(ok.length);
    expect(new Set(noteEvents.map((e) => e.data.noteId))).toEqual(new Set(ok.map((r) => (r.body as { id: string }).id)));
    expect(after.items.map((e) => e.seq)).toEqual(after.items.map((_, i) => i + 1));

    const notes = await settle(api.client(alice).GET('/v1/complaints/{id}/notes', { params: { path: { id } } }));
    expect(notes.body.items).toHaveLength(ok.length);
    expect((await settle(api.client(alice).GET('/v1/complaints/{id}', { params: { path: { id } } }))).body.version).toBe(1 + ok.length);
  });
});
