// `npm run scale:model -- --peak-intakes 1000 --cases-per-year 10000000 [--list-shards N --reference-block N --team-size N ...]`:
// the scale model's table (tools/scale-model/model.ts); exits 1 when a partition or item is above 50 % or a yearly figure fails.
import { REPORT_STREAM, reportShardsFor } from '#adapters/aws/dynamo/table-model';
import { DEFAULT_INPUTS, GOAL_SHARE, peakSecond, projectionBatchOf, projectionOf, projectionPeakWithinGoal, SCHEDULER_CREATE_TPS, SCHEDULER_QUOTA_EARLIER, shardsOf, year, type ScaleInputs } from '../tools/scale-model/model';

const inputs: ScaleInputs = { ...DEFAULT_INPUTS };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const name = args[i]!.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof ScaleInputs;
  if (!(name in inputs)) throw new Error(`unknown option ${args[i]} (known: ${Object.keys(inputs).join(', ')})`);
  inputs[name] = Number(args[i + 1]);
}

const rows = peakSecond(inputs);
const y = year(inputs);
const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const shards = shardsOf(inputs);
const n = (v: number) => v.toLocaleString('en-GB');
console.log(
  `Scale model: ${inputs.peakIntakes} intakes/s at peak, ${n(inputs.casesPerYear)} cases/year, ${shards.listShards} list shards, ${shards.ownerShards} owner shards, reference block ${inputs.referenceBlock}, team of ${inputs.teamSize}, ${inputs.itemKb} KB items, ${inputs.updatesPerCase} updates/case, busiest customer ${pct(inputs.busiestCustomerShare)} of intakes, ${inputs.products} products, ${inputs.regimes} regimes`,
);
console.log('| partition | busiest key | writes/s | WCU (of 1,000) | RCU (of 3,000) | share | ≤ 50 % |');
console.log('|---|---|---:|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.where} | \`${r.busiest}\` | ${r.writesPerSecond.toFixed(0)} | ${r.wcu.toFixed(0)} | ${r.rcu.toFixed(0)} | ${pct(r.share)} | ${r.ok ? 'yes' : '**no**'} |`);
console.log('');
const projection = projectionOf(inputs);
const hot = rows.find((r) => r.where === 'projection item');
const hotItem = projection.items.find((i) => `${i.pk} ${i.sk}` === hot?.busiest);
if (hotItem) {
  console.log(
    `Reporting projection (${projection.steps.join(', ')} of each case, run through the projection itself): ${n(projectionBatchOf(inputs))} records an invocation at the peak (${inputs.streamShards} stream shards, ${REPORT_STREAM.batchingWindowSeconds} s batching window, batch size ${n(REPORT_STREAM.batchSize)}), packed ${projection.casesPerTransaction.toFixed(1)} changes a transaction (packChanges, deltas summed per counter item), into ${projection.shards} shard(s) per scope (REPORT_SHARDS, reportShardsFor); its hottest item, \`${hot!.busiest}\` (${(hotItem.bytes / 1024).toFixed(1)} KB), takes ${hotItem.updatesPacked.toFixed(0)} transactional updates/s; the projection stays within ${GOAL_SHARE * 100} % up to about ${n(projectionPeakWithinGoal(inputs))} intakes/s with these shards`,
  );
}
console.log(`List shards for ≤ ${GOAL_SHARE * 100} % at this peak (listShardsFor): ${y.listShardsNeeded}; owner shards (ownerShardsFor, smallest team ${inputs.smallestTeam}): ${shards.ownerShards}; report shards (reportShardsFor): ${reportShardsFor(inputs.peakIntakes)}`);
console.log(`Storage growth: ${y.storageGbPerYear.toFixed(0)} GB/year (table and indexes)`);
console.log(`Scheduler schedules pending: ${n(y.pendingSchedules)} of a ${n(inputs.schedulerQuota)} quota (${pct(y.schedulerShare)}); of the earlier ${n(SCHEDULER_QUOTA_EARLIER)} default: ${pct(y.schedulerShareEarlier)} (source: EventBridge Scheduler User Guide, Quotas)`);
console.log(`Scheduler CreateSchedule at peak: ${n(y.scheduleCreatesPerSecond)}/s of ${n(SCHEDULER_CREATE_TPS)}/s (${pct(y.scheduleCreateShare)}; primary regions, lower elsewhere)`);
console.log(`Retention throughput: ${n(y.retentionCapacityPerDay)} redactions/day (${inputs.retentionWorkers} workers x ${inputs.redactionsPerWorkerSecond}/s x ${inputs.retentionWindowHours} h) against ${n(y.retentionDuePerDay)} due on a busy day (twice the mean of ${n(y.retentionNeeded)}/year)`);
console.log(`Monthly cost (DynamoDB incl. ${y.projectionWruPerCase.toFixed(0)} projection write units per case, HTTP API, Lambda; list price): $${y.monthlyCostUsd.toFixed(0)}`);
const failures = [
  ...rows.filter((r) => !r.ok).map((r) => `${r.where} at ${pct(r.share)}`),
  ...(y.schedulerShare > 1 ? ['Scheduler schedules quota'] : []),
  ...(y.scheduleCreateShare > 1 ? ['Scheduler CreateSchedule rate'] : []),
  ...(y.retentionCapacityPerDay < y.retentionDuePerDay ? ['retention throughput'] : []),
];
console.log(failures.length ? `FAIL: ${failures.join('; ')}` : 'PASS: every partition and projection item at or below 50 %, schedules within quota, retention keeps up');
if (failures.length) process.exitCode = 1;
