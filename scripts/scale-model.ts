// `npm run scale:model -- --peak-intakes 1000 --cases-per-year 10000000 [--list-shards N --reference-block N --team-size N ...]`:
// the scale model's table (tools/scale-model/model.ts); exits 1 when a partition is above 50 % or a yearly figure fails.
import { DEFAULT_INPUTS, GOAL_SHARE, peakSecond, year, type ScaleInputs } from '../tools/scale-model/model';

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
console.log(`Scale model: ${inputs.peakIntakes} intakes/s at peak, ${inputs.casesPerYear.toLocaleString('en-GB')} cases/year, ${inputs.listShards} list shards, reference block ${inputs.referenceBlock}, team of ${inputs.teamSize}, ${inputs.itemKb} KB items, ${inputs.updatesPerCase} updates/case`);
console.log('| partition | busiest key | writes/s | WCU (of 1,000) | RCU (of 3,000) | share | ≤ 50 % |');
console.log('|---|---|---:|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.where} | \`${r.busiest}\` | ${r.writesPerSecond.toFixed(0)} | ${r.wcu.toFixed(0)} | ${r.rcu.toFixed(0)} | ${pct(r.share)} | ${r.ok ? 'yes' : '**no**'} |`);
console.log('');
console.log(`List shards needed for ≤ ${GOAL_SHARE * 100} % on the list index: ${y.listShardsNeeded}`);
console.log(`Storage growth: ${y.storageGbPerYear.toFixed(0)} GB/year (table and indexes)`);
console.log(`Scheduler schedules pending: ${y.pendingSchedules.toLocaleString('en-GB')} of a 1,000,000 quota (${pct(y.schedulerShare)})`);
console.log(`Retention throughput: ${y.retentionPerYear.toLocaleString('en-GB')} cases/year as deployed, ${y.retentionNeeded.toLocaleString('en-GB')} needed`);
console.log(`Monthly cost (DynamoDB, HTTP API, Lambda; list price): $${y.monthlyCostUsd.toFixed(0)}`);
const failures = [...rows.filter((r) => !r.ok).map((r) => `${r.where} at ${pct(r.share)}`), ...(y.schedulerShare > 1 ? ['Scheduler quota'] : []), ...(y.retentionPerYear < y.retentionNeeded ? ['retention throughput'] : [])];
console.log(failures.length ? `FAIL: ${failures.join('; ')}` : 'PASS: every partition at or below 50 %, schedules within quota, retention keeps up');
if (failures.length) process.exitCode = 1;
