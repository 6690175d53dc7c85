// The reporting projection written as REPORT_SHARDS partitions (issue 29 item 11), against DynamoDB Local: several
// writers at different shards, redeliveries, stale records, a case moving between dimension values, a rebuild while
// cases change, and day items from before the split. Whatever shard a delta lands in, readers summing the shards see
// exactly a recount of the cases (the sum of every case's contribution), each case counted once.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients } from '#adapters/aws/dynamo/client';
import { keys } from '#adapters/aws/dynamo/table-model';
import { DynamoReportStore } from '#adapters/aws/dynamo/report-store';
import { acknowledge, close } from '#domain/lifecycle';
import { addInto, contributions, dayAttr, dimSk, openSk, projector, scopes, splitKey, DAY_SK, type Counts } from '#domain/reporting/projection';
import { mayHoldOneItemDays, periodItems } from '#domain/reporting/period-items';
import { ReportingService } from '#domain/reporting/service';
import { ReportingOptions } from '#schemas/reports';
import type { Case } from '#schemas/complaint';
import type { ReadCost } from '#ports/report-store';
import { createCasesTable, testEndpoint } from '../support/dynamo';
import { NOW, at, openedCase } from '../unit/fixtures';

const SHARDS = 4;
const config = { ...ReportingOptions.parse({}), timeZone: 'Europe/London' };
const p = projector(config);
let doc: DynamoDBDocumentClient;
let table: string;
const cost = (): ReadCost => ({ readUnits: 0, requests: 0 });
/** A writer (one consumer container) whose shard cycle starts at `start`. */
const writer = (start: number) => new DynamoReportStore(doc, { tableName: table, shards: SHARDS, shardStart: start });
let reader: DynamoReportStore;

beforeAll(async () => {
  table = await createCasesTable();
  ({ doc } = createDynamoClients({ endpoint: testEndpoint(), region: 'eu-west-2' }));
  reader = new DynamoReportStore(doc, { tableName: table, shards: SHARDS });
});

let serial = 0;
/** The latest version of every case generation 1 has applied (for its recount). */
const latest = new Map<string, Case>();
const seen = (...cs: Case[]) => cs.forEach((c) => latest.set(c.id, c));
/** A case of its own (id, reference), received `minutes` before NOW (the same day), with a product of the given number. */
const newCase = (minutes: number, product: number): Case => {
  serial += 1;
  const id = `01JSHARD${String(serial).padStart(18, '0')}`;
  return openedCase({ id, reference: `CMP-2026-${String(serial).padStart(6, '0')}` }, { receivedAt: at(NOW, -minutes * 60_000), product: `product-${product}` });
};
// The domain's own changes; the repository bumps the version when it writes them, so these do too.
const acked = (c: Case): Case => ({ ...acknowledge(c, {}, c.ownerId, at(c.receivedAt, 600_000)).case, version: c.version + 1 });
const closed = (c: Case): Case => ({
  ...close(c, { followUpAction: 'none', rootCause: { category: 'cause-1', description: 'depot capacity' } }, c.ownerId, at(c.receivedAt, 3_600_000)).case,
  version: c.version + 1,
});
const change = (c: Case) => ({ caseId: c.id, version: c.version, next: contributions(c, p) });

/** Every counter a recount of these cases gives, by "<scope> <sk>", zeros left out. */
const recount = (cases: readonly Case[]): Record<string, Counts> => {
  const total: Record<string, Counts> = {};
  for (const c of cases) addInto(total, contributions(c, p).counters);
  return nonZero(total);
};
const nonZero = (items: Record<string, Counts>): Record<string, Counts> =>
  Object.fromEntries(
    Object.entries(items)
      .map(([k, counts]) => [k, Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0))] as const)
      .filter(([, counts]) => Object.keys(counts).length),
  );
/** What readers see (every shard summed) for the scopes of `expected`, zeros left out. */
const read = async (store: DynamoReportStore, generation: number, expected: Record<string, Counts>): Promise<Record<string, Counts>> => {
  const out: Record<string, Counts> = {};
  for (const scope of new Set(Object.keys(expected).map((k) => splitKey(k).scope))) {
    for (const item of await store.counters(generation, scope, {}, cost())) out[`${scope} ${item.sk}`] = item.counts;
  }
  return nonZero(out);
};
const outcomes = (rs: PromiseSettledResult<unknown>[]) => rs.map((r) => (r.status === 'fulfilled' ? r.value : `failed: ${String(r.reason)}`));
/** The items of one shard's partition of a scope, raw. */
const shardItemsIn = async (tableName: string, scope: string, shard: number, generation = 1) =>
  (await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.reportPk(generation, scope, shard) } }))).Items ?? [];
const shardItems = (generation: number, scope: string, shard: number) => shardItemsIn(table, scope, shard, generation);

describe('reporting projection in shards', () => {
  it('many writers at different shards: readers summing the shards see exactly a recount, and rows merge newest first', async () => {
    const cases = Array.from({ length: 24 }, (_, i) => newCase(i, i % 3));
    const batches = [cases.slice(0, 8), cases.slice(8, 16), cases.slice(16)];
    const first = await Promise.all(batches.map((b, w) => writer(w).applyCases(1, b.map(change))));
    expect(first.flatMap(outcomes)).toEqual(Array(24).fill('applied'));
    // Later versions, by other writers: acknowledged, and some closed (they leave the open board).
    const later = cases.map((c, i) => (i % 3 === 0 ? closed(acked(c)) : acked(c)));
    const second = await Promise.all([writer(3).applyCases(1, later.slice(0, 12).map(change)), writer(2).applyCases(1, later.slice(12).map(change))]);
    expect(second.flatMap(outcomes)).toEqual(Array(24).fill('applied'));
    // The deltas really are spread: more than one shard holds the month's items.
    const used = await Promise.all(Array.from({ length: SHARDS }, (_, s) => shardItems(1, scopes.period('M', '2026-03'), s)));
    expect(used.filter((items) => items.length > 0).length).toBeGreaterThan(1);
    seen(...later);
    const expected = recount(later);
    expect(await read(reader, 1, expected)).toEqual(expected);
    // Review rows: one per case, in its case id's shard; the newest five across the shards, newest first.
    const rows = await reader.rows(1, scopes.recent, { descending: true, limit: 5 }, cost());
    expect(rows.map((r) => r.caseId)).toEqual(later.slice(0, 5).map((c) => c.id));
    expect(rows.map((r) => r.status)).toEqual(later.slice(0, 5).map((c) => c.status));
    expect(await reader.rows(1, scopes.recent, {}, cost())).toHaveLength(24);
    // A read costs one query per shard, and says so.
    const c = cost();
    await reader.counters(1, scopes.period('M', '2026-03'), { prefix: 'all#' }, c);
    expect(c.requests).toBe(SHARDS);
  });

  it('a redelivered batch and a stale record change nothing; a batch delivered twice at once counts once', async () => {
    const cases = Array.from({ length: 10 }, (_, i) => newCase(100 + i, i % 2));
    const acks = cases.map(acked);
    expect(outcomes(await writer(0).applyCases(1, cases.map(change)))).toEqual(Array(10).fill('applied'));
    expect(outcomes(await writer(1).applyCases(1, acks.map(change)))).toEqual(Array(10).fill('applied'));
    const everything = recount(acks);
    const before = await read(reader, 1, everything);
    // The same batch again (a retry after a timeout), and the older records late: stale, nothing moves.
    expect(outcomes(await writer(2).applyCases(1, acks.map(change)))).toEqual(Array(10).fill('stale'));
    expect(outcomes(await writer(3).applyCases(1, cases.map(change)))).toEqual(Array(10).fill('stale'));
    await expect(writer(1).applyCase(1, cases[0]!.id, cases[0]!.version, contributions(cases[0]!, p))).resolves.toBe('stale');
    expect(await read(reader, 1, everything)).toEqual(before);
    // Two consumers with one batch at once (a shard's batch handed to two invocations): each case applied exactly once.
    seen(...acks);
    const fresh = Array.from({ length: 12 }, (_, i) => newCase(200 + i, i % 3));
    seen(...fresh);
    const [a, b] = await Promise.all([writer(0).applyCases(1, fresh.map(change)), writer(0).applyCases(1, fresh.map(change))]);
    const all = [...outcomes(a), ...outcomes(b)];
    expect(all.filter((o) => o === 'applied')).toHaveLength(12);
    expect(all.filter((o) => o === 'stale')).toHaveLength(12);
    const month = await reader.counters(1, scopes.period('M', '2026-03'), { prefix: dimSk('all', '*') }, cost());
    expect(month[0]?.counts.rcv).toBe(serial);
  });

  it('a case moving to another dimension value in another shard: the old value sums to zero, the new one counts it', async () => {
    const c = newCase(300, 7);
    expect(await writer(0).applyCase(1, c.id, c.version, contributions(c, p))).toBe('applied');
    const moved = { ...acked(c), product: 'product-8' };
    expect(await writer(1).applyCase(1, moved.id, moved.version, contributions(moved, p))).toBe('applied');
    seen(moved);
    const month = scopes.period('M', '2026-03');
    const [old] = await reader.counters(1, month, { prefix: dimSk('product', 'product_7') }, cost());
    const [now] = await reader.counters(1, month, { prefix: dimSk('product', 'product_8') }, cost());
    expect(old?.counts.rcv).toBe(0);
    expect(now?.counts.rcv).toBe(1);
    // Shard 1 holds the move out as a negative count; shard 0 the count in: their sum is what the report reads.
    expect((await shardItems(1, month, 1)).find((i) => i.SK === dimSk('product', 'product_7'))).toBeDefined();
    const [openOld] = await reader.counters(1, scopes.open, { prefix: openSk.total('product', 'product_7') }, cost());
    const [openNew] = await reader.counters(1, scopes.open, { prefix: openSk.total('product', 'product_8') }, cost());
    expect([openOld?.counts.n, openNew?.counts.n]).toEqual([0, 1]);
    // The day of receipt likewise, one item per value.
    const day = await periodItems(reader, 1, scopes.period('D', '2026-03-02'), 'product#product_', cost());
    expect(Object.fromEntries(day.filter((d) => ['product#product_7', 'product#product_8'].includes(d.sk)).map((d) => [d.sk, d.counts.rcv]))).toEqual({ 'product#product_7': 0, 'product#product_8': 1 });
  });

  it('a rebuild while cases change reaches exactly what the incremental projection and a recount say', async () => {
    const service = new ReportingService({ store: writer(1), clock: { now: () => NOW }, config });
    const repo = new Map<string, Case>();
    const cases = Array.from({ length: 30 }, (_, i) => newCase(400 + i, i % 4));
    for (const c of cases) repo.set(c.id, c);
    expect((await service.projectMany(cases)).every((o) => o.status === 'fulfilled')).toBe(true);
    let changed = false;
    const rebuild = service.rebuild(async function* () {
      let n = 0;
      for (const c of [...repo.values()]) {
        yield c;
        // Part-way through the first pass, cases change and the stream projects them into both generations.
        if (++n === 10 && !changed) {
          changed = true;
          const next = [...repo.values()].slice(0, 20).map((x, i) => (i % 2 ? closed(acked(x)) : acked(x)));
          for (const x of next) repo.set(x.id, x);
          const out = await new ReportingService({ store: writer(3), clock: { now: () => NOW }, config }).projectMany(next);
          expect(out.every((o) => o.status === 'fulfilled')).toBe(true);
        }
      }
    });
    const { generation } = await rebuild;
    expect(generation).toBe(2);
    const finalCases = [...repo.values()];
    seen(...finalCases);
    // The new generation holds this test's cases only: exactly their recount, though written in shards while they changed.
    const everything = recount(finalCases);
    expect(await read(reader, 2, everything)).toEqual(everything);
    // The old one, kept by the stream all along, holds every case of these tests: exactly their recount too.
    const all = recount([...latest.values()]);
    expect(await read(reader, 1, all)).toEqual(all);
    // The rebuild wrote no one-item days, and says so: reports on generation 2 skip looking for them.
    const meta = await reader.meta();
    expect(meta).toEqual({ generation: 2, splitFrom: 2 });
    expect([mayHoldOneItemDays(meta, 1), mayHoldOneItemDays(meta, 2)]).toEqual([true, false]);
    const c = cost();
    await new ReportingService({ store: reader, clock: { now: () => NOW }, config }).controlScore({ from: '2026-03-01', to: '2026-03-02' }, c);
    expect(c.requests).toBe(2 * SHARDS);
  });

  it('a case whose marker moves while its group is written is taken out; the others are written together, each once', async () => {
    const cases = Array.from({ length: 6 }, (_, i) => newCase(500 + i, i % 2));
    const victim = cases[2]!;
    const newer = acked(victim);
    let sends = 0;
    // Another consumer applies a newer version of one case just before this writer's transaction reaches DynamoDB.
    const racing = {
      send: async (command: unknown) => {
        if (command instanceof TransactWriteCommand && sends++ === 0) await writer(3).applyCase(1, newer.id, newer.version, contributions(newer, p));
        return doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const store = new DynamoReportStore(racing, { tableName: table, shards: SHARDS, shardStart: 1 });
    const out = outcomes(await store.applyCases(1, cases.map(change)));
    expect(out).toEqual(['applied', 'applied', 'stale', 'applied', 'applied', 'applied']);
    // Two transactions: the first cancelled (the victim's marker condition, named in the cancellation reasons), the
    // second the five others together; the victim then finds its newer marker on its own (a read, no write).
    expect(sends).toBe(2);
    seen(...cases.filter((c) => c !== victim), newer);
    const all = recount([...latest.values()]);
    expect(await read(reader, 1, all)).toEqual(all);
  });

  it('a conflict with a concurrent writer retries the group on the next shard, writing it once', async () => {
    const cases = Array.from({ length: 5 }, (_, i) => newCase(600 + i, i % 2));
    const shardsTried: string[] = [];
    let sends = 0;
    const conflicting = {
      send: async (command: unknown) => {
        if (command instanceof TransactWriteCommand) {
          const pk = (command.input.TransactItems ?? []).map((t) => t.Update?.Key?.PK).find((k): k is string => typeof k === 'string' && k.includes('#M#'));
          if (pk) shardsTried.push(pk);
          if (sends++ === 0) throw new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'TransactionConflict' }] });
        }
        return doc.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const store = new DynamoReportStore(conflicting, { tableName: table, shards: SHARDS, shardStart: 0 });
    expect(outcomes(await store.applyCases(1, cases.map(change)))).toEqual(Array(5).fill('applied'));
    expect(shardsTried).toHaveLength(2);
    expect(shardsTried[0]).not.toEqual(shardsTried[1]);
    seen(...cases);
    const all = recount([...latest.values()]);
    expect(await read(reader, 1, all)).toEqual(all);
  });

  it('folds in a day item from before the split (one item holding every value, in shard 0)', async () => {
    const day = '2026-02-20';
    const scope = scopes.period('D', day);
    // Generation 1 was written before any rebuild since the split: it may hold one-item days.
    expect(mayHoldOneItemDays(await reader.meta(), 1)).toBe(true);
    await doc.send(new PutCommand({ TableName: table, Item: { PK: keys.reportPk(1, scope), SK: DAY_SK, entity: 'report-counter', [dayAttr(dimSk('product', 'a'), 'rcv')]: 3, [dayAttr(dimSk('category', 'x'), 'rcv')]: 3 } }));
    const c = openedCase({ id: '01JSHARDLEGACY000000000000', reference: 'CMP-2026-999999' }, { receivedAt: `${day}T12:00:00.000Z`, product: 'a' });
    expect(await writer(2).applyCase(1, c.id, c.version, contributions(c, p))).toBe('applied');
    const items = await periodItems(reader, 1, scope, 'product#', cost());
    expect(items).toEqual([{ sk: dimSk('product', 'a'), counts: expect.objectContaining({ rcv: 4 }) }]);
    // Every value (no prefix): the scope's own read already holds the one-item form (shard 0), so no second query
    // reads it again; the old form still counts, once.
    const whole = cost();
    const every = await periodItems(reader, 1, scope, '', whole);
    expect(every).toEqual(
      expect.arrayContaining([
        { sk: dimSk('product', 'a'), counts: expect.objectContaining({ rcv: 4 }) },
        { sk: dimSk('category', 'x'), counts: expect.objectContaining({ rcv: 3 }) },
      ]),
    );
    expect(every.map((i) => i.sk)).not.toContain(DAY_SK);
    const withPrefix = cost();
    await periodItems(reader, 1, scope, 'product#', withPrefix);
    expect(whole.requests).toBe(withPrefix.requests - 1);
  });
});

describe('a lowered REPORT_SHARDS', () => {
  it('still reads every shard written before: the meta item records the most shards any writer used, and a rebuild keeps it', async () => {
    const own = await createCasesTable();
    const store = (shards: number, start = 0) => new DynamoReportStore(doc, { tableName: own, shards, shardStart: start });
    const meta = async () => (await doc.send(new GetCommand({ TableName: own, Key: keys.reportMeta, ConsistentRead: true }))).Item;
    // One shard (the default) records nothing: the meta item stays as it was.
    await store(1).meta();
    expect(await meta()).toBeUndefined();
    // A deployment sized for a peak: its consumer reads the meta once a batch (recording 4), then writes across shards.
    const wide = [store(4, 0), store(4, 1), store(4, 2), store(4, 3)];
    await Promise.all(wide.map((w) => w.meta()));
    expect(await meta()).toEqual(expect.objectContaining({ shards: 4, generation: 1 }));
    const cases = Array.from({ length: 16 }, (_, i) => newCase(300 + i, i % 3));
    await Promise.all(wide.map((w, i) => w.applyCases(1, cases.slice(i * 4, i * 4 + 4).map(change))));
    const used = await Promise.all([0, 1, 2, 3].map((s) => shardItemsIn(own, scopes.period('M', '2026-03'), s)));
    expect(used.filter((items) => items.length > 0).length).toBeGreaterThan(1);
    // The peak setting lowered to one shard: before meta() it would read shard 0 alone; after it, all four.
    const lowered = store(1);
    const expected = recount(cases);
    await lowered.meta();
    expect(await read(lowered, 1, expected)).toEqual(expected);
    expect(await lowered.rows(1, scopes.recent, {}, cost())).toHaveLength(16);
    // A lower count never overwrites a higher one, and a rebuild's fresh meta item keeps it.
    expect(await meta()).toEqual(expect.objectContaining({ shards: 4 }));
    const rebuild = await lowered.beginRebuild();
    expect(await meta()).toEqual(expect.objectContaining({ shards: 4, building: rebuild.building }));
  });
});
