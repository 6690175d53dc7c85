// The local stand-ins for EventBridge Scheduler and the stream event source mapping, against DynamoDB Local:
// schedules survive a restart and catch up; a failing delivery is retried then dead-lettered; the poller
// resumes where it stopped and redelivers from a reported batch item failure; two consumers share the pages they read.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { LocalScheduler } from '#adapters/local/local-scheduler';
import { decodeStreamRecord } from '#adapters/aws/dynamo/stream-records';
import { keys } from '#adapters/aws/dynamo/table-model';
import type { Timer } from '#domain/timers';
import { createTestTables, rawDocClient, testEndpoint } from '../support/dynamo';
import { localDynamoClient } from '../../infra/local/dynamodb-local';
import { lambdaContext } from '../../infra/local/server';
import { StreamPages, StreamPoller, type StreamHandler } from '../../infra/local/stream-poller';

const doc = rawDocClient();
const raw = localDynamoClient(testEndpoint());
afterAll(() => {
  raw.destroy();
  doc.destroy();
});

const CASE = '01J0000000000000000000CASE';
const timer = (label: string, at: string): Timer => ({ name: `${CASE}-1-${label}`, caseId: CASE, cycle: 1, kind: 'checkpoint', percent: 50, at });

describe('LocalScheduler', () => {
  it('persists schedules: a restarted scheduler fires what fell due while it was down, earliest first, once', async () => {
    const { local } = await createTestTables();
    const before = new LocalScheduler(doc, { tableName: local });
    expect(await before.upsert(timer('p75', '2026-01-02T00:00:00.000Z'))).toBe('created');
    expect(await before.upsert(timer('p50', '2026-01-01T00:00:00.000Z'))).toBe('created');
    expect(await before.upsert(timer('p90', '2026-03-01T00:00:00.000Z'))).toBe('created');
    expect(await before.upsert(timer('p90', '2026-02-01T00:00:00.000Z'))).toBe('updated'); // moved, still one schedule

    const after = new LocalScheduler(doc, { tableName: local }); // "restart": nothing in memory
    const delivered: string[] = [];
    const fired = await after.fireDue(() => '2026-01-15T00:00:00.000Z', async (t) => delivered.push(t.name));
    expect(delivered).toEqual([`${CASE}-1-p50`, `${CASE}-1-p75`]);
    expect(fired.map((f) => f.latenessMs)).toEqual([14 * 86_400_000, 13 * 86_400_000]);
    expect((await after.pending()).map((t) => [t.name, t.at])).toEqual([[`${CASE}-1-p90`, '2026-02-01T00:00:00.000Z']]);
    expect(await after.fireDue(() => '2026-01-15T00:00:00.000Z', async (t) => delivered.push(t.name))).toEqual([]);
    await after.remove(`${CASE}-1-p90`);
    await after.remove(`${CASE}-1-p90`); // deleting a missing schedule is success
    expect(await after.pending()).toEqual([]);
  });

  it('delivers several cases at once, never more than its concurrency, each case earliest first', async () => {
    const { local } = await createTestTables();
    const s = new LocalScheduler(doc, { tableName: local, concurrency: 3 });
    const cases = Array.from({ length: 6 }, (_, i) => `01J00000000000000000CASE0${i}`);
    // Upserted latest first, so a case's order comes from the due times, not from the order they were written.
    for (const id of cases)
      for (const [label, at] of [
        ['p90', '2026-01-03T00:00:00.000Z'],
        ['p75', '2026-01-02T00:00:00.000Z'],
        ['p50', '2026-01-01T00:00:00.000Z'],
      ] as const)
        await s.upsert({ name: `${id}-1-${label}`, caseId: id, cycle: 1, kind: 'checkpoint', percent: 50, at });
    let inFlight = 0;
    let most = 0;
    const order = new Map<string, string[]>();
    const fired = await s.fireDue(
      () => '2026-01-15T00:00:00.000Z',
      async (t) => {
        most = Math.max(most, ++inFlight);
        // Yield a few turns, so deliveries of other cases started meanwhile overlap with this one.
        for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
        order.set(t.caseId, [...(order.get(t.caseId) ?? []), t.name.slice(-3)]);
        inFlight--;
      },
    );
    expect(most).toBe(3);
    for (const id of cases) expect(order.get(id)).toEqual(['p50', 'p75', 'p90']);
    // The answer lists them earliest first, as before.
    expect(fired.map((f) => f.at)).toEqual([...fired.map((f) => f.at)].sort());
    expect(fired).toHaveLength(18);
    expect(await s.pending()).toEqual([]);
  });

  it('retries a failing delivery and dead-letters it after maxAttempts', async () => {
    const { local } = await createTestTables();
    const s = new LocalScheduler(doc, { tableName: local, maxAttempts: 3 });
    await s.upsert(timer('p50', '2026-01-01T00:00:00.000Z'));
    const fail = async () => {
      throw new Error('target unavailable');
    };
    for (let i = 0; i < 3; i++) expect(await s.fireDue(() => '2026-01-02T00:00:00.000Z', fail)).toEqual([]);
    expect(await s.pending()).toEqual([]);
    expect(await s.deadLetters()).toEqual([{ timer: timer('p50', '2026-01-01T00:00:00.000Z'), lastError: 'target unavailable' }]);
  });
});

describe('StreamPoller', () => {
  const put = (table: string, id: string, n: number) =>
    doc.send(new PutCommand({ TableName: table, Item: { ...keys.case(id), n, case: { updatedAt: '2026-01-01T00:00:00.000Z' }, timers: {}, nested: { empty: {}, list: [{}, 'x'] } } }));

  const poller = (tables: { cases: string; local: string }, handler: StreamHandler, more: { consumer?: string; pages?: StreamPages; batchSize?: number; lanes?: number; retriesInDrain?: number } = {}) =>
    new StreamPoller({ endpoint: testEndpoint(), region: 'local', tableName: tables.cases, stateTable: tables.local, dynamo: raw, doc, handler: () => handler, context: (n) => lambdaContext(n), ...more });

  it('delivers Lambda-shaped records in order, resumes after a restart, and redelivers from a failed item', async () => {
    const tables = await createTestTables();
    const seen: string[] = [];
    let failOn: string | undefined;
    const handler: StreamHandler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      const failures: { itemIdentifier: string }[] = [];
      for (const r of event.Records) {
        expect(r.eventSource).toBe('aws:dynamodb');
        const change = decodeStreamRecord(r); // the same decoding the Lambda handler does; empty maps arrive typed
        // DynamoDB Local's Streams API leaves empty maps untyped (`{}`); the poller restores `{"M":{}}` at any depth.
        expect(r.dynamodb?.NewImage?.timers).toEqual({ M: {} });
        expect(r.dynamodb?.NewImage?.nested).toEqual({ M: { empty: { M: {} }, list: { L: [{ M: {} }, { S: 'x' }] } } });
        const n = String(r.dynamodb?.NewImage?.n?.N);
        if (failures.length || n === failOn) {
          failures.push({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' });
          continue;
        }
        expect(change.kind).toBe('case');
        seen.push(n);
      }
      return { batchItemFailures: failures };
    };
    const first = poller(tables, handler);
    await put(tables.cases, 'A', 1);
    await put(tables.cases, 'A', 2);
    expect(await first.drain()).toBe(2);
    first.close();

    const second = poller(tables, handler); // restart: positions come from the local table
    expect(await second.drain()).toBe(0);
    await put(tables.cases, 'A', 3);
    await put(tables.cases, 'A', 4);
    await put(tables.cases, 'A', 5);
    failOn = '4';
    expect(await second.drain()).toBe(1); // 3 handled; 4 (and what follows) reported failed
    expect(second.partialBatches).toBe(1); // a batch failed halfway: counted (the chaos figures report these)
    failOn = undefined;
    expect(await second.drain()).toBe(2); // redelivered from 4
    expect(seen).toEqual(['1', '2', '3', '4', '5']);
    second.close();
  });

  it('two consumers sharing pages: each sees every record in order, once per page read, with its own copy of the event', async () => {
    const tables = await createTestTables();
    for (let n = 1; n <= 25; n++) await put(tables.cases, `S${n % 7}`, n);
    const seen: Record<'a' | 'b', number[]> = { a: [], b: [] };
    let failB: number | undefined = 12;
    const handler =
      (who: 'a' | 'b'): StreamHandler =>
      async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
        const failures: { itemIdentifier: string }[] = [];
        for (const r of event.Records) {
          const n = Number(r.dynamodb?.NewImage?.n?.N);
          if (failures.length || (who === 'b' && n === failB)) {
            failures.push({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' });
            continue;
          }
          seen[who].push(n);
          // What one consumer does to its event is not what the other sees.
          if (r.dynamodb?.NewImage?.n) r.dynamodb.NewImage.n = { N: '-1' };
        }
        return { batchItemFailures: failures };
      };
    const pages = new StreamPages();
    const a = poller(tables, handler('a'), { pages, batchSize: 10 });
    const b = poller(tables, handler('b'), { consumer: 'second', pages, batchSize: 10 });
    const all = Array.from({ length: 25 }, (_, i) => i + 1);
    await Promise.all([a.drain(), b.drain()]);
    expect(seen.a).toEqual(all);
    expect(seen.b).toEqual(all.slice(0, 11)); // b stopped at its failed record
    failB = undefined;
    await b.drain(); // b, behind, resumes from 12
    expect(seen.b).toEqual(all);
    // a read 1–10, 11–20, 21–25 and the empty end; b took the first two from a, then read 12–21, 22–25 and the end.
    expect({ reads: pages.reads, shared: pages.shared }).toEqual({ reads: 7, shared: 2 });
    a.close();
    b.close();
  });

  it('in lanes: each key’s records in order in one lane, lanes side by side, a failed record retried at once within the drain', async () => {
    const tables = await createTestTables();
    for (let n = 1; n <= 30; n++) await put(tables.cases, `L${n % 5}`, n);
    const byKey = new Map<string, number[]>();
    const invocations: string[][] = [];
    const failures = new Map<number, number>([
      [7, 2], // fails twice, then applies (two retries within the drain)
      [18, 9], // fails more often than the drain retries it: the drain stops there
    ]);
    let inFlight = 0;
    let most = 0;
    const handler: StreamHandler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      invocations.push([...new Set(event.Records.map((r) => String(r.dynamodb?.Keys?.PK?.S)))]);
      const failed: { itemIdentifier: string }[] = [];
      for (const r of event.Records) {
        const n = Number(r.dynamodb?.NewImage?.n?.N);
        const left = failures.get(n) ?? 0;
        if (failed.length || left > 0) {
          if (!failed.length) failures.set(n, left - 1);
          failed.push({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' });
          continue;
        }
        const key = String(r.dynamodb?.Keys?.PK?.S);
        byKey.set(key, [...(byKey.get(key) ?? []), n]);
      }
      return { batchItemFailures: failed };
    };
    const p = poller(tables, handler, { lanes: 3, retriesInDrain: 2 });
    // 1–17 apply in the first drain (7 after two retries); 18 stops its lane after three attempts. Records after 18 in
    // other lanes applied too, and the next drain delivers them again (as the mapping redelivers from a failed record).
    expect(await p.drain()).toBe(17);
    expect(most).toBeGreaterThan(1);
    // The page went out in several invocations (lanes, and the retries of the failed ones).
    expect(invocations.length).toBeGreaterThan(1);
    failures.set(18, 0);
    expect(await p.drain()).toBe(13);
    // Each key saw its records in order (a redelivered record again after the failed one, never before it).
    for (const [key, ns] of byKey) {
      const first = [...new Set(ns)];
      expect(first).toEqual([...first].sort((x, y) => x - y));
      expect(first).toEqual(Array.from({ length: 30 }, (_, i) => i + 1).filter((n) => `CASE#L${n % 5}` === key));
    }
    p.close();
  });
});
