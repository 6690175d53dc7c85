// The work queue's regime filter (issue 31): GET /v1/complaints?regime= is applied by the list query, so every page
// walked with limit=1 holds only that regime's cases and the walk finds all of them; the sealed cursor is bound to the
// regime; an id no regime has (or one named like an object property) is a 400 naming query.regime, never a 500.
import { expectProblem, settle, startTestApi, validComplaint, type ApiResponse, type TestApi } from '../support/api';

let api: TestApi;
let supervisor: string;

beforeAll(async () => {
  api = await startTestApi();
  supervisor = await api.token('sam', ['supervisor']);
});
afterAll(() => api.close());

type Query = { owner?: string; regime?: string; limit: number; cursor?: string };

const list = (query: Query): Promise<ApiResponse> => settle(api.client(supervisor).GET('/v1/complaints', { params: { query } }));

const open = async (ownerId: string, regime: string): Promise<string> => {
  const res = await settle(api.client(supervisor).POST('/v1/complaints', { body: validComplaint({ ownerId, regime }) }));
  expect(res.status).toBe(201);
  return (res.body as { id: string }).id;
};

/** Every page from the first to the one without nextCursor, limit=1: the ids in order and each page's regimes. */
const walk = async (query: Omit<Query, 'limit' | 'cursor'>): Promise<{ ids: string[]; regimes: string[]; pages: number }> => {
  const ids: string[] = [];
  const regimes: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await list({ ...query, limit: 1, ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    const body = res.body as { items: { id: string; regime: string }[]; nextCursor?: string };
    expect(body.items.length).toBeLessThanOrEqual(1);
    ids.push(...body.items.map((c) => c.id));
    regimes.push(...body.items.map((c) => c.regime));
    cursor = body.nextCursor;
    if (++pages > 50) throw new Error('no end after 50 pages');
  } while (cursor !== undefined);
  return { ids, regimes, pages };
};

const expectRegimeProblem = (res: ApiResponse) => {
  expectProblem(res, 400);
  expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['query.regime']);
};

describe('GET /v1/complaints?regime=', () => {
  let disp: string[];
  let psd: string[];

  beforeAll(async () => {
    // Interleaved, so the matches of either regime are spread over the unfiltered pages.
    disp = [];
    psd = [];
    for (let i = 0; i < 3; i++) {
      disp.push(await open('rhea', 'UK_FCA_DISP'));
      psd.push(await open('rhea', 'UK_FCA_PSD'));
    }
  });

  it('walks to the end with limit=1 and finds exactly the cases of that regime, on the team queue and by owner', async () => {
    for (const owner of [undefined, 'rhea']) {
      const dispWalk = await walk({ regime: 'UK_FCA_DISP', ...(owner ? { owner } : {}) });
      expect(dispWalk.regimes).toEqual(disp.map(() => 'UK_FCA_DISP'));
      expect([...dispWalk.ids].sort()).toEqual([...disp].sort());
      const psdWalk = await walk({ regime: 'UK_FCA_PSD', ...(owner ? { owner } : {}) });
      expect([...psdWalk.ids].sort()).toEqual([...psd].sort());
      expect(psdWalk.regimes).toEqual(psd.map(() => 'UK_FCA_PSD'));
      // A regime with no case is an empty list, not an error (a page's read is bounded, so an empty page may still
      // carry a nextCursor; the walk ends all the same).
      expect((await walk({ regime: 'US_CFPB', ...(owner ? { owner } : {}) })).ids).toEqual([]);
    }
    // Unfiltered, the same walk holds both regimes' cases.
    expect([...(await walk({ owner: 'rhea' })).ids].sort()).toEqual([...disp, ...psd].sort());
  });

  it('a cursor issued for one regime is 400 for another regime, or without one; with its own regime it opens', async () => {
    const first = await list({ owner: 'rhea', regime: 'UK_FCA_DISP', limit: 1 });
    const cursor = (first.body as { nextCursor?: string }).nextCursor;
    expect(typeof cursor).toBe('string');
    for (const query of [
      { owner: 'rhea', regime: 'UK_FCA_PSD', limit: 1, cursor: cursor! },
      { owner: 'rhea', limit: 1, cursor: cursor! },
      { regime: 'UK_FCA_DISP', limit: 1, cursor: cursor! },
    ]) {
      const res = await list(query);
      expectProblem(res, 400);
      expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['query.cursor']);
    }
    const second = await list({ owner: 'rhea', regime: 'UK_FCA_DISP', limit: 1, cursor: cursor! });
    expect(second.status).toBe(200);
    expect((second.body as { items: { regime: string }[] }).items.map((c) => c.regime)).toEqual(['UK_FCA_DISP']);
  });

  it('an id no regime has is 400 naming query.regime, never a 500: unknown ids and object property names', async () => {
    for (const regime of ['XX_NOT_A_REGIME', 'UK_FCA_DISPX', 'uk_fca_disp', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
      expectRegimeProblem(await list({ regime, limit: 1 }));
    }
    const unknown = await list({ regime: 'XX_NOT_A_REGIME', limit: 1 });
    // The problem says which ids are valid: the ones GET /v1/regimes lists.
    const regimes = await settle(api.client(supervisor).GET('/v1/regimes', { params: { query: { limit: 100 } } }));
    const known = (regimes.body as { items: { id: string }[] }).items.map((r) => r.id);
    expect(known).toEqual(expect.arrayContaining(['UK_FCA_DISP', 'UK_FCA_PSD']));
    const message = (unknown.body as { errors: { message: string }[] }).errors[0]!.message;
    for (const id of known) expect(message).toContain(id);
  });
});
