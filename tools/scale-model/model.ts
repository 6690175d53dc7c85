// The scale model (issue 29 item 11): drives the real key functions (keys, shardOf from the table model) with a
// synthetic peak second and a synthetic year, and reports the busiest partition of the table and of each index, and the
// reporting projection's busiest item and partition (./projection: the projection's own functions), against DynamoDB's
// per-partition limits, storage growth, pending schedules, retention throughput and monthly cost.
import { keys, listShardsFor, ownerShardOf, ownerShardsFor, REPORT_STREAM, reportShardsFor, shardOf, TABLES } from '#adapters/aws/dynamo/table-model';
import { projectionLoad, type ProjectionLoad } from './projection';

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
  /**
   * Share of the intakes that come from the single busiest customer (a claims-management company filing in bulk): its
   * cases share one partition of the customer index.
   */
  busiestCustomerShare: number;
  /** Distinct products (each its own product group) and regimes of the cases: the reporting projection's dimension values. */
  products: number;
  regimes: number;
  /** REPORT_SHARDS: partitions per reporting-projection scope; 0 = as CDK sizes them from the peak (reportShardsFor). */
  reportShards: number;
  /**
   * Shards of the table's stream (one per table partition; each has its own consumer invocation at a time). More
   * shards spread the peak thinner, so each invocation's batch is smaller and packs worse: the default allows for a
   * table grown to a few hundred GB (DynamoDB splits partitions at 10 GB) as well as for the peak's write units.
   */
  streamShards: number;
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
  busiestCustomerShare: 0.01,
  products: 20,
  regimes: 2,
  reportShards: 0,
  streamShards: 64,
};

/**
 * Items of one customer's cases an intake may read from the customer index: the email intake matches a reply to one of
 * the sender's cases by reading a page of up to 100 (shared/domain/channel-intake.ts).
 */
export const CUSTOMER_PAGE_ITEMS = 100;

/** The shard counts the inputs resolve to: as given, or as CDK sizes them from the peak. */
export const shardsOf = (x: ScaleInputs): { listShards: number; ownerShards: number } => ({
  listShards: x.listShards > 0 ? x.listShards : listShardsFor(x.peakIntakes),
  ownerShards: x.ownerShards > 0 ? x.ownerShards : ownerShardsFor(x.peakIntakes, x.smallestTeam),
});

export interface PartitionLoad {
  /** The table, an index, or the reporting projection's items in the table. */
  kind: 'table' | 'index' | 'projection';
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

/**
 * Records one projection invocation packs at the peak: each stream shard brings its share of the case changes a second,
 * and the mapping waits up to its batching window for them, up to its batch size (REPORT_STREAM).
 */
export const projectionBatchOf = (x: ScaleInputs): number =>
  Math.max(1, Math.min(REPORT_STREAM.batchSize, Math.floor(((x.peakIntakes * (1 + x.updatesPerCase)) / Math.max(1, x.streamShards)) * REPORT_STREAM.batchingWindowSeconds)));

/** The projection shards the inputs resolve to: as given, or as CDK sizes them from the peak. */
export const reportShardsOf = (x: ScaleInputs): number => (x.reportShards > 0 ? x.reportShards : reportShardsFor(x.peakIntakes));

const projections = new Map<string, ProjectionLoad>();
/** The projection's load for these inputs (computed once: it runs the projection over a few hundred cases). */
export const projectionOf = (x: ScaleInputs): ProjectionLoad => {
  const inputs = { peakIntakes: x.peakIntakes, updatesPerCase: x.updatesPerCase, products: x.products, regimes: x.regimes, reportShards: reportShardsOf(x), streamBatch: projectionBatchOf(x) };
  const key = JSON.stringify(inputs);
  let load = projections.get(key);
  if (!load) projections.set(key, (load = projectionLoad(inputs)));
  return load;
};

/** Counts writes per partition over one peak second, with the real key functions. */
export const peakSecond = (x: ScaleInputs): PartitionLoad[] => {
  const changes = Math.round(x.peakIntakes * (1 + x.updatesPerCase));
  const table = new Map<string, number>();
  const byIndex: Record<string, Map<string, number>> = { GSI1: new Map(), GSI2: new Map(), GSI3: new Map(), GSI4: new Map(), GSI5: new Map() };
  const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
  const owners = Array.from({ length: x.teamSize }, (_, i) => `handler-${i}`);
  const { listShards, ownerShards } = shardsOf(x);
  // Every n-th case is the busiest customer's; the others' customers have one case each in the second.
  const busiestEvery = x.busiestCustomerShare > 0 ? Math.max(1, Math.round(1 / x.busiestCustomerShare)) : 0;
  const customerOf = (i: number) => (busiestEvery && i % busiestEvery === 0 ? 'busiest-customer' : `customer-${i}`);
  for (let i = 0; i < changes; i += 1) {
    const id = caseId(i);
    bump(table, keys.case(id).PK, 2); // the case item and its audit event, one transaction
    bump(byIndex.GSI1!, keys.ownerPk(owners[i % owners.length]!, 'active', ownerShardOf(id, ownerShards)));
    bump(byIndex.GSI2!, keys.listPk('active', shardOf(id, listShards)));
    // Generation 1: the customer index projected the whole case item, so every write rewrote its customer's entry. In
    // generation 2 (issue 28) a case's entry is keys only and written at intake alone: this count is now an upper bound.
    bump(byIndex.GSI3!, keys.customerPk(customerOf(i)));
    bump(byIndex.GSI5!, keys.changedPk(shardOf(id, listShards)));
  }
  // The retention index: each close enters its case (one close per case, at the intake rate at the peak), each
  // redaction of the fan-out takes one out.
  for (let i = 0; i < x.peakIntakes; i += 1) bump(byIndex.GSI4!, keys.retentionPk(shardOf(caseId(changes + i), listShards)));
  for (let i = 0; i < x.retentionWorkers * x.redactionsPerWorkerSecond; i += 1) bump(byIndex.GSI4!, keys.retentionPk(shardOf(caseId(changes + x.peakIntakes + i), listShards)));
  // Intake only: the year's counter (one update per leased block, for the sequence and the team's round-robin).
  const year = 2026;
  bump(table, keys.counter(year).PK, (2 * x.peakIntakes) / x.referenceBlock);
  const busiest = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
  const unitsOf = (where: string, pk: string) => (pk.startsWith('COUNTER#') ? 1 : where === 'GSI5' ? 1 : ceilUnits(x.itemKb));
  const listReadRcu = (x.listQueriesPerSecond * 25 * x.itemKb) / 4 / 2; // one page per shard per query, eventually consistent
  // The busiest customer's intakes each read one page of its cases (eventually consistent).
  const customerReadRcu = x.peakIntakes * x.busiestCustomerShare * Math.ceil((CUSTOMER_PAGE_ITEMS * x.itemKb) / 4) / 2;
  const readsOf = (index: string) => (index === 'GSI2' ? listReadRcu : index === 'GSI3' ? customerReadRcu : 0);
  const rows: PartitionLoad[] = [];
  const [tablePk, tableWrites] = busiest(table);
  rows.push({ kind: 'table', where: 'table (cases)', busiest: tablePk, writesPerSecond: tableWrites, wcu: tableWrites * unitsOf('table', tablePk), rcu: 0, share: 0, ok: true });
  for (const [index, m] of Object.entries(byIndex)) {
    const [pk, writes] = busiest(m);
    // The model's labels are the index generation-1 names; each index keeps its key attributes (GSI1PK …) in generation 2.
    const def = TABLES.cases.indexes.find((i) => i.partitionKey.name === `${index}PK`)!;
    rows.push({ kind: 'index', where: `${index} (${def.partitionKey.name})`, busiest: pk, writesPerSecond: writes, wcu: writes * unitsOf(index, pk), rcu: readsOf(index), share: 0, ok: true });
  }
  // The reporting projection (the stream consumer's writes to RPT# items of the same table), with its changes sharing
  // transactions as densely as TransactWriteItems allows: its best case.
  const projection = projectionOf(x);
  const [hotItem] = [...projection.items].sort((a, b) => projection.wcuOf(b, true) - projection.wcuOf(a, true));
  if (hotItem) rows.push({ kind: 'projection', where: 'projection item', busiest: `${hotItem.pk} ${hotItem.sk}`, writesPerSecond: hotItem.updatesPacked, wcu: projection.wcuOf(hotItem, true), rcu: 0, share: 0, ok: true });
  const partitions = new Map<string, { wcu: number; writes: number }>();
  for (const item of projection.items) {
    const p = partitions.get(item.pk) ?? { wcu: 0, writes: 0 };
    partitions.set(item.pk, { wcu: p.wcu + projection.wcuOf(item, true), writes: p.writes + item.updatesPacked });
  }
  const [hotPartition] = [...partitions.entries()].sort((a, b) => b[1].wcu - a[1].wcu);
  if (hotPartition) rows.push({ kind: 'projection', where: 'projection partition', busiest: hotPartition[0], writesPerSecond: hotPartition[1].writes, wcu: hotPartition[1].wcu, rcu: 0, share: 0, ok: true });
  for (const r of rows) {
    r.share = Math.max(r.wcu / PARTITION_WCU, r.rcu / PARTITION_RCU);
    r.ok = r.share <= GOAL_SHARE;
  }
  return rows;
};

/** The highest intake rate at which every projection row stays at or below the goal (its load grows with the rate). */
export const projectionPeakWithinGoal = (x: ScaleInputs): number => {
  const worst = Math.max(...peakSecond(x).filter((r) => r.kind === 'projection').map((r) => r.share));
  return worst > 0 ? Math.floor((x.peakIntakes * GOAL_SHARE) / worst) : Infinity;
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
  /** Write units the reporting projection spends per case over its lifecycle (included in the monthly cost). */
  projectionWruPerCase: number;
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
  // The reporting projection's writes per case (its best case, changes sharing transactions), from the peak second.
  const projection = projectionOf(x);
  const projectionWruPerCase = projection.items.reduce((n, i) => n + projection.wcuOf(i, true), 0) / x.peakIntakes;
  const monthlyCostUsd =
    ((wruMonthly + monthlyCases * projectionWruPerCase) / 1e6) * PRICE.wru +
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
    projectionWruPerCase,
    listShardsNeeded: listShardsFor(x.peakIntakes),
  };
};
