// DynamoReportStore against the real DynamoDB Local: a counter item touched by many metrics at once (a case whose
// every event falls on one day writes one day item with a metric per dimension value) applies in one transaction and
// reads back exactly (a wider one is spread over transactions); re-applying the same version changes nothing.
import { createDynamoClients } from '#adapters/aws/dynamo/client';
import { DynamoReportStore } from '#adapters/aws/dynamo/report-store';
import { DAY_SK, contributions, itemKey, projector, scopes, type Contributions } from '#domain/reporting/projection';
import { ReportingOptions } from '#schemas/reports';
import type { ReadCost } from '#ports/report-store';
import { createTestTables, testEndpoint } from '../support/dynamo';
import { NOW, at, openedCase } from '../unit/fixtures';

let store: DynamoReportStore;
const cost = (): ReadCost => ({ readUnits: 0, requests: 0 });

beforeAll(async () => {
  const tables = await createTestTables();
  const { doc } = createDynamoClients({ endpoint: testEndpoint(), region: 'eu-west-2' });
  store = new DynamoReportStore(doc, { tableName: tables.cases });
});

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
    const [day] = await store.counters(1, scopes.period('D', '2026-03-02'), {}, cost());
    expect(day?.counts).toEqual(cs.counters[itemKey(scopes.period('D', '2026-03-02'), DAY_SK)]);
    const months = await store.counters(1, scopes.period('M', '2026-03'), { prefix: 'all#' }, cost());
    expect(months[0]?.counts).toMatchObject({ rcv: 1, vul: 1, resp: 1, respIn: 1, up: 1, clo: 1, 'cmp:GBP': 1_205_000 });
  });
});
