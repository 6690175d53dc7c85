// The scale model (issue 29 item 11): drives the real key functions (keys, shardOf from the table model) with a
// synthetic peak second and a synthetic year, and reports the busiest partition of the table and of each index
// against DynamoDB's per-partition limits, storage growth, pending schedules, retention throughput and monthly cost.
import { keys, listShardsFor, ownerShardOf, ownerShardsFor, shardOf, TABLES } from '#adapters/aws/dynamo/table-model';

/** DynamoDB's per-partition throughput limits (write and read units per second). */
export const PARTITION_WCU = 1000;
export const PARTITION_RCU = 3000;
/** The goal: no partition above this share of its limit at the stated load. */
export const GOAL_SHARE = 0.5;
/**
 * EventBridge Scheduler's default quotas per account and region, from the EventBridge Scheduler User Guide, "Quotas for
 * Amazon EventBridge Scheduler" (https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html, read
 * 2026-12-06): "Number of schedules (default 10,000,000 per Region, adjustable to billions)", "CreateSchedule request
 * rate (default 5,000 TPS in primary Regions ...)". Older accounts and earlier editions of that page state 1,000,000
 * schedules; the model prints the share of both, and checks against --scheduler-quota.
 */
export const SCHEDULER_QUOTA_DOCUMENTED = 10_000_000;
export const SCHEDULER_QUOTA_EARLIER = 1_000_000;
export const SCHEDULER_CREATE_TPS = 5_000;
/** On-demand list prices (US East, per million request units; per GB-month stored). */
const PRICE = { wru: 0.625, rru: 0.125, gbMonth: 0.25, httpApiPerMillion: 1, lambdaPerMillion: 0.2, lambdaGbSecond: 0.0000133334 };

export interface ScaleInputs {
  peakIntakes: number;
  casesPerYear: number;
  /** Write shards of the list indexes; 0 = as CDK sizes them from the peak (listShardsFor). */
  listShards: number;
  /** Shards of each owner's partition; 0 = as CDK sizes them from the peak and smallestTeam (ownerShardsFor). */
  ownerShards: number;
  /** complaints:smallestIntakeTeam: the fewest handlers intake spreads over (1: the whole peak may reach one owner). */
  smallestTeam: number;
  referenceBlock: number;
  /** Handlers in the team the intake assigns to (round-robin over the team). */
  teamSize: number;
  /** Case item size in KB (a write of the item, or of an index projecting it, costs ceil(size) units). */
  itemKb: number;
  /** Case-item writes after the intake (acknowledge, assign, notes, tasks, close), spread over open cases. */
  updatesPerCase: number;
  /** Staff list queries per second at peak, each reading one page of 25 items from every list shard. */
  listQueriesPerSecond: number;
  /** Days a case stays open on average, and timers pending per open case. */
  openDays: number;
  timersPerOpenCase: number;
  /** The retention fan-out: worker invocations at once (RETENTION_WORKER_CONCURRENCY) and cases one worker redacts a second. */
  retentionWorkers: number;
  redactionsPerWorkerSecond: number;
  /** Hours of the day the fan-out may spend on the day's due cases (they must be redacted on their due day). */
  retentionWindowHours: number;
  /** Schedules per account and region the check uses (see SCHEDULER_QUOTA_DOCUMENTED). */
  schedulerQuota: number;
}

export const DEFAULT_INPUTS: ScaleInputs = {
  peakIntakes: 1000,
  casesPerYear: 10_000_000,
  listShards: 0,
  ownerShards: 0,
  smallestTeam: 1,
  referenceBlock: 50,
  teamSize: 3,
  itemKb: 3,
  updatesPerCase: 4,
  listQueriesPerSecond: 50,
  openDays: 30,
  timersPerOpenCase: 3,
  retentionWorkers: 10,
  redactionsPerWorkerSecond: 2,
  retentionWindowHours: 20,
  schedulerQuota: SCHEDULER_QUOTA_DOCUMENTED,
};

/** The shard counts the inputs resolve to: as given, or as CDK sizes them from the peak. */
export const shardsOf = (x: ScaleInputs): { listShards: number; ownerShards: number } => ({
  listShards: x.listShards > 0 ? x.listShards : listShardsFor(x.peakIntakes),
  ownerShards: x.ownerShards > 0 ? x.ownerShards : ownerShardsFor(x.peakIntakes, x.smallestTeam),
});

export interface PartitionLoad {
  where: string;
  busiest: string;
  writesPerSecond: number;
  wcu: number;
  rcu: number;
  /** The larger of WCU/1000 and RCU/3000. */
  share: number;
  ok: boolean;
}

const ceilUnits = (kb: number) => Math.max(1, Math.ceil(kb));
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A synthetic case id shaped like the real ones (ULIDs: a time part and 16 random characters), from a fixed-seed generator so the model is repeatable. */
const caseId = (() => {
  let state = 0x2545f491;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 27;
  };
  return (_i: number) => `01JSCALE00${Array.from({ length: 16 }, () => CROCKFORD[next()]).join('')}`;
})();

/** Counts writes per partition over one peak second, with the real key functions. */
export const peakSecond = (x: ScaleInputs): PartitionLoad[] => {
  const changes = Math.round(x.peakIntakes * (1 + x.updatesPerCase));
  const table = new Map<string, number>();
  const byIndex: Record<string, Map<string, number>> = { GSI1: new Map(), GSI2: new Map(), GSI5: new Map() };
  const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
  const owners = Array.from({ length: x.teamSize }, (_, i) => `handler-${i}`);
  const { listShards, ownerShards } = shardsOf(x);
  for (let i = 0; i < changes; i += 1) {
    const id = caseId(i);
    bump(table, keys.case(id).PK, 2); // the case item and its audit event, one transaction
    bump(byIndex.GSI1!, keys.ownerPk(owners[i % owners.length]!, 'active', ownerShardOf(id, ownerShards)));
    bump(byIndex.GSI2!, keys.listPk('active', shardOf(id, listShards)));
    bump(byIndex.GSI5!, keys.changedPk(shardOf(id, listShards)));
  }
  // Intake only: the year's counter (one update per leased block, for the sequence and the team's round-robin).
  const year = 2026;
  bump(table, keys.counter(year).PK, (2 * x.peakIntakes) / x.referenceBlock);
  const busiest = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
  const unitsOf = (where: string, pk: string) => (pk.startsWith('COUNTER#') ? 1 : where === 'GSI5' ? 1 : ceilUnits(x.itemKb));
  const listReadRcu = (x.listQueriesPerSecond * 25 * x.itemKb) / 4 / 2; // one page per shard per query, eventually consistent
  const rows: PartitionLoad[] = [];
  const [tablePk, tableWrites] = busiest(table);
  rows.push({ where: 'table (cases)', busiest: tablePk, writesPerSecond: tableWrites, wcu: tableWrites * unitsOf('table', tablePk), rcu: 0, share: 0, ok: true });
  for (const [index, m] of Object.entries(byIndex)) {
    const [pk, writes] = busiest(m);
    const def = TABLES.cases.indexes.find((i) => i.indexName === index)!;
    rows.push({ where: `${index} (${def.partitionKey.name})`, busiest: pk, writesPerSecond: writes, wcu: writes * unitsOf(index, pk), rcu: index === 'GSI2' ? listReadRcu : 0, share: 0, ok: true });
  }
  for (const r of rows) {
    r.share = Math.max(r.wcu / PARTITION_WCU, r.rcu / PARTITION_RCU);
    r.ok = r.share <= GOAL_SHARE;
  }
  return rows;
};

export interface YearFigures {
  storageGbPerYear: number;
  pendingSchedules: number;
  schedulerShare: number;
  /** Share of the earlier 1,000,000 default (an account still on it needs a quota increase). */
  schedulerShareEarlier: number;
  /** CreateSchedule calls a second at peak (each intake's timers) and their share of the default rate. */
  scheduleCreatesPerSecond: number;
  scheduleCreateShare: number;
  /** Redactions the fan-out can do in a day's window, and the most any one day needs (10 M a year, even spread x2 for peaks). */
  retentionCapacityPerDay: number;
  retentionDuePerDay: number;
  retentionPerYear: number;
  retentionNeeded: number;
  monthlyCostUsd: number;
  /** The list shards the peak needs for the list index to stay at or below the goal. */
  listShardsNeeded: number;
}

export const year = (x: ScaleInputs): YearFigures => {
  const units = ceilUnits(x.itemKb);
  // Each case: its item and ~10 audit events of 0.5 KB in the table, and a copy in the four ALL-projecting indexes.
  const kbPerCase = x.itemKb + 10 * 0.5 + 4 * x.itemKb;
  const storageGbPerYear = (x.casesPerYear * kbPerCase) / 1024 / 1024;
  const openCases = (x.casesPerYear * x.openDays) / 365;
  const pendingSchedules = Math.round(openCases * x.timersPerOpenCase);
  const writesPerCase = (1 + x.updatesPerCase) * (2 * units + 3 * units + 1); // table (item + audit) + 3 ALL indexes + GSI5
  const monthlyCases = x.casesPerYear / 12;
  const wruMonthly = monthlyCases * writesPerCase;
  const requests = monthlyCases * (1 + x.updatesPerCase) * 3; // writes plus the reads around them
  const monthlyCostUsd =
    (wruMonthly / 1e6) * PRICE.wru +
    ((monthlyCases * 20 * units) / 1e6) * PRICE.rru +
    storageGbPerYear * PRICE.gbMonth +
    (requests / 1e6) * (PRICE.httpApiPerMillion + PRICE.lambdaPerMillion) +
    requests * 0.1 * 1 * PRICE.lambdaGbSecond; // 100 ms at 1 GB per request
  const retentionCapacityPerDay = Math.floor(x.retentionWorkers * x.redactionsPerWorkerSecond * x.retentionWindowHours * 3600);
  return {
    storageGbPerYear,
    pendingSchedules,
    schedulerShare: pendingSchedules / x.schedulerQuota,
    schedulerShareEarlier: pendingSchedules / SCHEDULER_QUOTA_EARLIER,
    scheduleCreatesPerSecond: x.peakIntakes * x.timersPerOpenCase,
    scheduleCreateShare: (x.peakIntakes * x.timersPerOpenCase) / SCHEDULER_CREATE_TPS,
    retentionCapacityPerDay: retentionCapacityPerDay,
    retentionDuePerDay: Math.ceil((2 * x.casesPerYear) / 365),
    retentionPerYear: retentionCapacityPerDay * 365,
    retentionNeeded: x.casesPerYear,
    monthlyCostUsd,
    listShardsNeeded: listShardsFor(x.peakIntakes),
  };
};
