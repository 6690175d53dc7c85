// DynamoReportStore against the real DynamoDB Local: a counter item touched by many metrics at once (a case whose
// every event falls on one day writes one day item with a metric per dimension value) applies in one transaction and
// reads back exactly (a wider one is spread over transactions); re-applying the same version changes nothing. Month
// items are stored fixed-width, so their size does not depend on what they count.
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients } from '#adapters/aws/dynamo/client';
import { keys } from '#adapters/aws/dynamo/table-model';
import { DynamoReportStore, FIXED_WIDTH } from '#adapters/aws/dynamo/report-store';
import { DAY_SK, PERIOD_METRIC_NAMES, contributions, dimSk, itemKey, projector, scopes, type Contributions } from '#domain/reporting/projection';
import { ReportingOptions } from '#schemas/reports';
import type { ReadCost } from '#ports/report-store';
import { createTestTables, testEndpoint } from '../support/dynamo';
import { NOW, at, openedCase } from '../unit/fixtures';

let store: DynamoReportStore;
let table: string;
let raw: DynamoDBClient;
let doc: DynamoDBDocumentClient;
const cost = (): ReadCost => ({ readUnits: 0, requests: 0 });

beforeAll(async () => {
  const tables = await createTestTables();
  table = tables.cases;
  ({ raw, doc } = createDynamoClients({ endpoint: testEndpoint(), region: 'eu-west-2' }));
  store = new DynamoReportStore(doc, { tableName: table });
});

/** The stored number strings of an item, as DynamoDB holds them (before any decoding). */
const storedNumbers = async (generation: number, scope: string, sk: string): Promise<Record<string, string>> => {
  const out = await raw.send(new GetItemCommand({ TableName: table, Key: { PK: { S: keys.reportPk(generation, scope) }, SK: { S: sk } }, ConsistentRead: true }));
  return Object.fromEntries(Object.entries(out.Item ?? {}).flatMap(([k, v]) => (v.N !== undefined ? [[k, v.N]] : [])));
};
/** Significant digits of a DynamoDB number string: what its stored size depends on. */
const significant = (n: string) => n.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length;

describe('DynamoReportStore', () => {
  it.each([100, 250, 1000])('applies a counter item of %i metrics at once (past the 4 KB expression limit it spreads over transactions) and reads it back', async (n) => {
    const day = `2025-01-${String(n % 28).padStart(2, '0')}`;
    const counts = Object.fromEntries(Array.from({ length: n }, (_, i) => [`category#agent_interaction|metric_with_a_long_name_${i}`, i + 1]));
    const next: Contributions = { counters: { [itemKey(scopes.period('D', day), DAY_SK)]: counts }, rows: {} };
    await expect(store.applyCase(1, `wide-${n}`, 1, next)).resolves.toBe('applied');
    const [item] = await store.counters(1, scopes.period('D', day), {}, cost());
    expect(item?.counts).toEqual(counts);
    await expect(store.applyCase(1, `wide-${n}`, 1, next)).resolves.toBe('stale');
    const [again] = await store.counters(1, scopes.period('D', day), {}, cost());
    expect(again?.counts).toEqual(counts);
  });

  it('projects a case received, acknowledged, answered with compensation and closed on one day', async () => {
    const p = projector({ ...ReportingOptions.parse({}), timeZone: 'Europe/London' });
    const base = openedCase({}, { customer: { id: 'cust-1', name: 'Ada Lovelace', vulnerable: true } });
    const respondedAt = at(NOW, 3_600_000);
    const c = {
      ...base,
      status: 'closed' as const,
      acknowledgedAt: at(NOW, 600_000),
      closedAt: at(NOW, 7_200_000),
      rootCause: { category: 'Depot capacity', description: 'Overbooked' },
      cycles: base.cycles.map((cy) => ({
        ...cy,
        acknowledgedAt: at(NOW, 600_000),
        stoppedAt: respondedAt,
        reason: 'final_response' as const,
        respondedAt,
        decision: 'upheld' as const,
        compensation: { amount: '120.50', currency: 'GBP' },
        closedAt: at(NOW, 7_200_000),
      })),
      version: 5,
    };
    const cs = contributions(c, p);
    await expect(store.applyCase(1, c.id, c.version, cs)).resolves.toBe('applied');
    const days = await store.counters(1, scopes.period('D', '2026-03-02'), {}, cost());
    // One day item per dimension value (none holds them all).
    expect(days.map((d) => d.sk)).not.toContain(DAY_SK);
    expect(days.find((d) => d.sk === dimSk('all', '*'))?.counts).toEqual(cs.counters[itemKey(scopes.period('D', '2026-03-02'), dimSk('all', '*'))]);
    expect(days).toHaveLength(6);
    const months = await store.counters(1, scopes.period('M', '2026-03'), { prefix: 'all#' }, cost());
    expect(months[0]?.counts).toMatchObject({ rcv: 1, vul: 1, resp: 1, respIn: 1, up: 1, clo: 1, 'cmp:GBP': 1_205_000 });
  });

  it('stores a month item fixed-width: every number has the same significant digits whatever it counts, and reads back exact', async () => {
    const scope = scopes.period('M', '2024-02');
    const sk = dimSk('regime', 'UK_FCA_DISP');
    const counts = { rcv: 7, resp: 1234, clo: 999_999, up: 8_999_999, 'rc:process': 12, 'cmp:GBP': 123_456_789_012 };
    await expect(store.applyCase(1, 'fixed-width', 1, { counters: { [itemKey(scope, sk)]: counts }, rows: {} })).resolves.toBe('applied');
    const stored = await storedNumbers(1, scope, sk);
    // Every metric of the shape is present from the first write, at zero.
    expect(Object.keys(stored).sort()).toEqual([...new Set([...PERIOD_METRIC_NAMES, ...Object.keys(counts)])].sort());
    for (const [m, n] of Object.entries(stored)) expect([m, significant(n)]).toEqual([m, m.startsWith('cmp:') ? 16 : 8]);
    const [item] = await store.counters(1, scope, { prefix: sk }, cost());
    expect(item?.counts).toMatchObject({ ...counts, ho: 0, d365: 0 });
    expect(Object.values(item!.counts).every((n) => Number.isInteger(n) && n >= 0)).toBe(true);
    // Moving the contribution back leaves zeros, still eight digits each.
    await expect(store.applyCase(1, 'fixed-width', 2, { counters: {}, rows: {} })).resolves.toBe('applied');
    const [after] = await store.counters(1, scope, { prefix: sk }, cost());
    expect(Object.values(after!.counts).every((n) => n === 0)).toBe(true);
    expect(Object.entries(await storedNumbers(1, scope, sk)).every(([m, n]) => significant(n) === (m.startsWith('cmp:') ? 16 : 8))).toBe(true);
  });

  it('counts exactly when many writers create and update the same new month item at once', async () => {
    const scope = scopes.period('M', '2024-03');
    const sk = dimSk('all', '*');
    const writers = Array.from({ length: 4 }, () => new DynamoReportStore(doc, { tableName: table }));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        writers[i % writers.length]!.applyCase(1, `race-${i}`, 1, { counters: { [itemKey(scope, sk)]: { rcv: 1, [`rc:cause_${i % 3}`]: 1, 'cmp:EUR': 10_000 * i } }, rows: {} }),
      ),
    );
    const [item] = await store.counters(1, scope, { prefix: sk }, cost());
    expect(item?.counts).toMatchObject({ rcv: 40, 'rc:cause_0': 14, 'rc:cause_1': 13, 'rc:cause_2': 13, 'cmp:EUR': 10_000 * ((39 * 40) / 2), clo: 0 });
  });

  it('spreads a month change with many open-ended metrics over transactions (each costs more of the expression budget)', async () => {
    const scope = scopes.period('M', '2024-04');
    const sk = dimSk('category', 'billing');
    const counts = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`rc:root_cause_group_${i}`, i + 1]));
    await expect(store.applyCase(1, 'wide-month', 1, { counters: { [itemKey(scope, sk)]: { rcv: 1, ...counts } }, rows: {} })).resolves.toBe('applied');
    const [item] = await store.counters(1, scope, { prefix: sk }, cost());
    expect(item?.counts).toMatchObject({ rcv: 1, ...counts });
  });

  it('keeps a month item written before the fixed-width encoding as plain numbers', async () => {
    const scope = scopes.period('M', '2023-12');
    const sk = dimSk('all', '*');
    await doc.send(new PutCommand({ TableName: table, Item: { PK: keys.reportPk(1, scope), SK: sk, entity: 'report-counter', rcv: 5, 'cmp:GBP': 20_000 } }));
    const fresh = new DynamoReportStore(doc, { tableName: table });
    await expect(fresh.applyCase(1, 'legacy', 1, { counters: { [itemKey(scope, sk)]: { rcv: 1, 'cmp:GBP': 5_000, 'rc:process': 1 } }, rows: {} })).resolves.toBe('applied');
    const stored = await storedNumbers(1, scope, sk);
    expect(stored).toEqual({ rcv: '6', 'cmp:GBP': '25000', 'rc:process': '1' });
    const [item] = await fresh.counters(1, scope, { prefix: sk }, cost());
    expect(item?.counts).toEqual({ rcv: 6, 'cmp:GBP': 25_000, 'rc:process': 1 });
    expect(FIXED_WIDTH.mark).toBe('fw1');
  });

  it('applies many cases together, each exactly once: repeated, they are stale; a bad one fails alone', async () => {
    const scope = scopes.period('M', '2024-05');
    const sk = dimSk('all', '*');
    const change = (i: number, version = 1) => ({ caseId: `batch-${i}`, version, next: { counters: { [itemKey(scope, sk)]: { rcv: 1, [`rc:cause_${i % 2}`]: 1 } }, rows: {} } });
    const first = await store.applyCases(1, Array.from({ length: 30 }, (_, i) => change(i)));
    expect(first.map((r) => r.status === 'fulfilled' && r.value)).toEqual(Array(30).fill('applied'));
    const again = await store.applyCases(1, [...Array.from({ length: 30 }, (_, i) => change(i)), change(30)]);
    expect(again.map((r) => r.status === 'fulfilled' && r.value)).toEqual([...Array(30).fill('stale'), 'applied']);
    const [item] = await store.counters(1, scope, { prefix: sk }, cost());
    expect(item?.counts).toMatchObject({ rcv: 31, 'rc:cause_0': 16, 'rc:cause_1': 15 });
    // A change DynamoDB refuses (an attribute name over its 64 KB limit) fails on its own; the rest are applied.
    const bad = { caseId: 'batch-bad', version: 1, next: { counters: { [itemKey(scope, sk)]: { ['x'.repeat(70_000)]: 1 } }, rows: {} } };
    const mixed = await store.applyCases(1, [change(31), bad, change(32)]);
    expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const [after] = await store.counters(1, scope, { prefix: sk }, cost());
    expect(after?.counts.rcv).toBe(33);
  });

  it('counts a batch once when two consumers apply it at the same time', async () => {
    const scope = scopes.period('M', '2024-06');
    const sk = dimSk('all', '*');
    const batch = Array.from({ length: 40 }, (_, i) => ({ caseId: `twice-${i}`, version: 3, next: { counters: { [itemKey(scope, sk)]: { rcv: 1, resp: 2 } }, rows: {} } }));
    const [a, b] = await Promise.all([new DynamoReportStore(doc, { tableName: table }).applyCases(1, batch), new DynamoReportStore(doc, { tableName: table }).applyCases(1, batch)]);
    const outcomes = [...a, ...b].map((r) => (r.status === 'fulfilled' ? r.value : 'failed'));
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(40);
    expect(outcomes.filter((o) => o === 'stale')).toHaveLength(40);
    const [item] = await store.counters(1, scope, { prefix: sk }, cost());
    expect(item?.counts).toMatchObject({ rcv: 40, resp: 80 });
  });

  it('reads exactly the items under a prefix: neighbours that sort next to it are left out, any character after it is in', async () => {
    const scope = 'prefix-test';
    const inside = ['T#regime#', 'T#regime#UK_FCA_DISP', 'T#regime#zz', 'T#regime#\u00e9', 'T#regime#\u{1F600}', 'T#regime#\uffff\uffff'];
    const outside = ['T#regime', 'T#regimd#x', 'T#regime$', 'T#regime$#a', 'T#regimes', 'U#regime#a'];
    for (const sk of [...inside, ...outside]) await doc.send(new PutCommand({ TableName: table, Item: { PK: keys.reportPk(1, scope), SK: sk, n: 1 } }));
    const read = await store.counters(1, scope, { prefix: 'T#regime#' }, cost());
    expect(read.map((i) => i.sk).sort()).toEqual([...inside].sort());
  });
});
