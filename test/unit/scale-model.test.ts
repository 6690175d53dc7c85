// The scale model (issue 29 item 11) at the stated load: every partition at or below 50 %, from the same key functions the repository writes with.
import { listShardsFor, ownerShardsFor } from '#adapters/aws/dynamo/table-model';
import { DEFAULT_INPUTS, peakSecond, shardsOf, year } from '../../tools/scale-model/model';

describe('scale model at 1,000 intakes a second and 10 million cases a year', () => {
  const inputs = { ...DEFAULT_INPUTS, peakIntakes: 1000, casesPerYear: 10_000_000 };

  it('sizes the shards with the key model CDK uses, and no partition passes 50 %', () => {
    expect(shardsOf(inputs)).toEqual({ listShards: listShardsFor(1000), ownerShards: ownerShardsFor(1000, 1) });
    const rows = peakSecond(inputs);
    expect(rows.map((r) => r.where)).toEqual(['table (cases)', 'GSI1 (GSI1PK)', 'GSI2 (GSI2PK)', 'GSI5 (GSI5PK)']);
    for (const r of rows) expect(r.share).toBeLessThanOrEqual(0.5);
  });

  it('the shards CDK deployed before sizing (4 list, 1 owner) fail the check, so the check can fail', () => {
    const rows = peakSecond({ ...inputs, listShards: 4, ownerShards: 1 });
    expect(rows.filter((r) => !r.ok).map((r) => r.where)).toEqual(['GSI1 (GSI1PK)', 'GSI2 (GSI2PK)', 'GSI5 (GSI5PK)']);
  });

  it('retention keeps up with a busy day, and pending schedules stay within the documented quota', () => {
    const y = year(inputs);
    expect(y.retentionCapacityPerDay).toBeGreaterThanOrEqual(y.retentionDuePerDay);
    expect(y.schedulerShare).toBeLessThanOrEqual(1);
    expect(y.scheduleCreateShare).toBeLessThanOrEqual(1);
  });
});
