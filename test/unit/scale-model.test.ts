// The scale model (issue 29 item 11) at the stated load: every table and index partition at or below 50 %, from the same
// key functions the repository writes with; the reporting projection's rows from the projection's own functions, and
// what they show at 1,000 intakes a second (the finding docs/scale-model.md reports).
import { keys, listShardsFor, ownerShardsFor } from '#adapters/aws/dynamo/table-model';
import { scopes } from '#domain/reporting/projection';
import { DEFAULT_INPUTS, GOAL_SHARE, peakSecond, projectionOf, projectionPeakWithinGoal, shardsOf, year } from '../../tools/scale-model/model';
import { lifecycleSteps } from '../../tools/scale-model/projection';

describe('scale model at 1,000 intakes a second and 10 million cases a year', () => {
  const inputs = { ...DEFAULT_INPUTS, peakIntakes: 1000, casesPerYear: 10_000_000 };
  const rows = peakSecond(inputs);
  const row = (where: string) => rows.find((r) => r.where === where)!;

  it('reports the busiest partition of the table and of every index, and the projection’s busiest item and partition', () => {
    expect(rows.map((r) => r.where)).toEqual(['table (cases)', 'GSI1 (GSI1PK)', 'GSI2 (GSI2PK)', 'GSI3 (GSI3PK)', 'GSI4 (GSI4PK)', 'GSI5 (GSI5PK)', 'projection item', 'projection partition']);
  });

  it('sizes the shards with the key model CDK uses, and no table or index partition passes 50 %', () => {
    expect(shardsOf(inputs)).toEqual({ listShards: listShardsFor(1000), ownerShards: ownerShardsFor(1000, 1) });
    for (const r of rows.filter((r) => r.kind !== 'projection')) expect(r.share).toBeLessThanOrEqual(GOAL_SHARE);
  });

  it('keys the customer and retention indexes as the repository does: the busiest customer’s partition, a retention shard', () => {
    expect(row('GSI3 (GSI3PK)').busiest).toBe(keys.customerPk('busiest-customer'));
    // 1 % of 5,000 case writes a second rewrite its 3 KB entries; each of its 10 intakes reads a page of 100 (37.5 RCU).
    expect(row('GSI3 (GSI3PK)')).toMatchObject({ writesPerSecond: 50, wcu: 150, rcu: 375 });
    expect(row('GSI4 (GSI4PK)').busiest).toMatch(/^RETAIN#\d+$/);
    const shards = Array.from({ length: listShardsFor(1000) }, (_, i) => keys.retentionPk(i));
    expect(shards).toContain(row('GSI4 (GSI4PK)').busiest);
    // A customer filing half the intakes would pass the goal: the check can fail.
    expect(peakSecond({ ...inputs, busiestCustomerShare: 0.5 }).find((r) => r.where === 'GSI3 (GSI3PK)')!.ok).toBe(false);
  });

  it('drives the projection with its own keys and the lifecycle the shard sizing assumes (intake and four changes)', () => {
    const projection = projectionOf(inputs);
    expect(projection.steps).toEqual(['intake', ...lifecycleSteps(4)]);
    expect(projection.steps).toEqual(['intake', 'acknowledge', 'reassign', 'note', 'close']);
    const pks = new Set(projection.items.map((i) => i.pk));
    for (const scope of [scopes.period('D', '2026-03-02'), scopes.period('M', '2026-03'), scopes.open, scopes.recent, scopes.returns('UK_FCA_DISP')]) expect(pks).toContain(keys.reportPk(1, scope));
    // Changes share transactions, never more than TransactWriteItems' 100 actions allow.
    expect(projection.casesPerTransaction).toBeGreaterThan(1);
    expect(projection.casesPerTransaction).toBeLessThanOrEqual(100);
    for (const i of projection.items) expect(i.updatesPacked).toBeLessThanOrEqual(i.updatesAlone);
  });

  // The finding (issue 29 item 11): at 1,000 intakes a second the reporting projection's hottest item and partition are
  // far above 50 %, even with its changes packed into transactions as densely as DynamoDB allows. Reported, not fixed:
  // docs/scale-model.md. When the projection is redesigned, these rows must pass like the others.
  it('shows the projection above 50 % at 1,000 intakes a second: its day item and month partition, even at best', () => {
    expect(row('projection item').busiest).toBe(`${keys.reportPk(1, scopes.period('D', '2026-03-02'))} dims`);
    expect(row('projection item').ok).toBe(false);
    expect(row('projection partition').busiest).toBe(keys.reportPk(1, scopes.period('M', '2026-03')));
    expect(row('projection partition').ok).toBe(false);
    // The load grows with the rate: within the goal up to a few dozen intakes a second.
    const limit = projectionPeakWithinGoal(inputs);
    expect(limit).toBeGreaterThan(0);
    expect(limit).toBeLessThan(100);
    for (const r of peakSecond({ ...inputs, peakIntakes: limit }).filter((r) => r.kind === 'projection')) expect(r.share).toBeLessThanOrEqual(GOAL_SHARE);
  });

  it('the shards CDK deployed before sizing (4 list, 1 owner) fail the check, so the check can fail', () => {
    const before = peakSecond({ ...inputs, listShards: 4, ownerShards: 1 });
    // The retention index is write-sharded by LIST_SHARDS too: 4 shards cannot take the closes of this peak either.
    expect(before.filter((r) => !r.ok && r.kind === 'index').map((r) => r.where)).toEqual(['GSI1 (GSI1PK)', 'GSI2 (GSI2PK)', 'GSI4 (GSI4PK)', 'GSI5 (GSI5PK)']);
  });

  it('retention keeps up with a busy day, and pending schedules stay within the documented quota', () => {
    const y = year(inputs);
    expect(y.retentionCapacityPerDay).toBeGreaterThanOrEqual(y.retentionDuePerDay);
    expect(y.schedulerShare).toBeLessThanOrEqual(1);
    expect(y.scheduleCreateShare).toBeLessThanOrEqual(1);
    expect(y.projectionWruPerCase).toBeGreaterThan(0);
  });
});
