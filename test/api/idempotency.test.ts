// Idempotency-Key on POST /v1/complaints: a retry returns the first response and never opens a second case.
import { randomUUID } from 'node:crypto';
import { FaultInjector, parseFaults, setFaults } from '../../infra/local/faults';
import { expectProblem, localClock, settle, startTestApi, validComplaint, type CreateComplaint, type TestApi } from '../support/api';

let api: TestApi;
let intake: string;
let otherIntake: string;
let supervisor: string;

/** Cases whose summary is `summary` (each test uses its own summary, so counts are independent). */
const casesWith = async (summary: string): Promise<{ id: string }[]> => {
  const res = await settle(api.client(supervisor).GET('/v1/complaints', { params: { query: { limit: 100 } } }));
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeUndefined();
  return (res.body.items as { id: string; summary: string }[]).filter((c) => c.summary === summary);
};

const create = (token: string, body: CreateComplaint, key?: string) =>
  settle(api.client(token).POST('/v1/complaints', { body, ...(key ? { params: { header: { 'Idempotency-Key': key } } } : {}) }));

beforeAll(async () => {
  api = await startTestApi();
  intake = await api.token('web-form', ['intake']);
  otherIntake = await api.token('mobile-app', ['intake']);
  supervisor = await api.token('sam', ['supervisor']);
});
afterAll(() => api.close());

describe('Idempotency-Key on POST /v1/complaints', () => {
  it('returns the first response for a repeat with the same key and body, and creates no second case', async () => {
    const key = randomUUID();
    const body = validComplaint({ summary: 'retry after a network timeout' });

    const first = await create(intake, body, key);
    const repeat = await create(intake, body, key);

    expect(first.status).toBe(201);
    expect(repeat.status).toBe(201);
    expect(repeat.body.id).toBe(first.body.id);
    expect(repeat.body).toEqual(first.body);
    expect(repeat.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(repeat.headers.get('location')).toBe(first.headers.get('location'));
    expect(await casesWith('retry after a network timeout')).toHaveLength(1);
  });

  it('answers 409 problem for the same key with a different body, and creates nothing', async () => {
    const key = randomUUID();
    const first = await create(intake, validComplaint({ summary: 'original body' }), key);
    expect(first.status).toBe(201);

    const res = await create(intake, validComplaint({ summary: 'a different body' }), key);

    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, title: expect.any(String), type: expect.stringMatching(/idempotency/) });
    expect(await casesWith('a different body')).toHaveLength(0);
    expect(await casesWith('original body')).toHaveLength(1);

    // The rejection left the key's record alone: the original still replays, the mismatch still conflicts.
    const replay = await create(intake, validComplaint({ summary: 'original body' }), key);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(first.body.id);
    expect((await create(intake, validComplaint({ summary: 'a different body' }), key)).status).toBe(409);
    expect(await casesWith('original body')).toHaveLength(1);
    expect(await casesWith('a different body')).toHaveLength(0);
  });

  it('keeps keys of different users independent', async () => {
    const key = randomUUID();
    const body = validComplaint({ summary: 'two clients, one key' });

    const mine = await create(intake, body, key);
    const theirs = await create(otherIntake, body, key);

    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.createdBy).toBe('mobile-app');
    expect(await casesWith('two clients, one key')).toHaveLength(2);
  });

  it('creates two cases for two POSTs without a key', async () => {
    const body = validComplaint({ summary: 'no key, twice' });

    const a = await create(intake, body);
    const b = await create(intake, body);

    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).not.toBe(a.body.id);
    expect(await casesWith('no key, twice')).toHaveLength(2);
  });

  it('opens one case when the same keyed request races itself', async () => {
    const key = randomUUID();
    const body = validComplaint({ summary: 'double-clicked submit' });

    const results = await Promise.all(Array.from({ length: 5 }, () => create(intake, body, key)));

    const created = await casesWith('double-clicked submit');
    expect(created).toHaveLength(1);
    for (const r of results) {
      if (r.status === 201) expect(r.body.id).toBe(created[0]!.id);
      else expect(r).toMatchObject({ status: 409, body: { status: 409 } });
    }
  });

  it('does not burn a key on a rejected request: the corrected retry with the same key succeeds', async () => {
    const key = randomUUID();
    const future = new Date(localClock.nowMs() + 10 * 86_400_000).toISOString();

    const rejected = await create(intake, validComplaint({ summary: 'corrected retry', receivedAt: future }), key);
    const retried = await create(intake, validComplaint({ summary: 'corrected retry' }), key);

    expect(rejected.status).toBe(400);
    expect(retried.status).toBe(201);
    expect(await casesWith('corrected retry')).toHaveLength(1);
  });

  it('answers a rejected request with its own problem when releasing its key fails too (no bare 500), and opens nothing twice', async () => {
    const key = randomUUID();
    const future = new Date(localClock.nowMs() + 10 * 86_400_000).toISOString();
    // Every DeleteItem throttled past the SDK's retries: the idempotency layer cannot release the key's record.
    setFaults(new FaultInjector(parseFaults('dynamodb:ProvisionedThroughputExceededException:1:DeleteItem'), 7));
    try {
      const rejected = await create(intake, validComplaint({ summary: 'release failed', receivedAt: future }), key);
      expectProblem(rejected, 400);
      // The record was left in progress: a retry with the key is refused as in progress, never run twice.
      const retried = await create(intake, validComplaint({ summary: 'release failed' }), key);
      expect(retried.status).toBe(409);
    } finally {
      setFaults(undefined);
    }
    expect(await casesWith('release failed')).toHaveLength(0);
  });
});
