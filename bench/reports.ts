// Reporting (control 6) at two sizes: KPI and control-score latency and DynamoDB read units at 1,000 vs 100,000 cases
// (the reports read pre-aggregated counters only, so the issue's goal is large ÷ small ≤ 1.2 for both), and the
// projection's throughput in stream records per second.
//
// `npm run bench` starts it as `node --import tsx bench/reports.ts --json FILE --no-report`: a fresh process with its
// own DynamoDB Local. Standalone: `npx tsx bench/reports.ts` prints progress and the report.
//
// 1. Cases: a seeded PRNG (mulberry32, BENCH_REPORT_SEED) builds each case through the domain (`openCase`,
//    `acknowledge`, `close`, `reopen`; the final response, resolution summary, escalations and waivers written as the
//    domain leaves them), received uniformly over the 12 calendar months of 2025 (Europe/London) and aged to a fixed
//    `now` (2026-01-02 09:00Z): whatever would happen after `now` has not happened, so recent cases are still open.
//    The small set is the first BENCH_REPORT_SMALL cases of the large set's sequence: the same distributions.
// 2. Seeding: one MODIFY stream record per case (its final version; NewImage = the case item, its case compressed as
//    the repository stores it: #adapters/aws/dynamo/case-codec), in batches of 100 (the mapping's batch size), as a
//    DynamoDB Streams event handed to the projection handler itself (`functions/report-projection/handler.ts`).
//    BENCH_REPORT_CONCURRENCY shards (default 4) run at once,
//    each in its own process with TABLE_NAME set to the table, as each stream shard gets its own Lambda instance (the
//    handler's batch processor serves one invocation at a time): cases partitioned by id (`shardOf`), each shard's
//    batches in order; one shard alone would take hours for 100,000 on DynamoDB Local. The handler gets the deployed
//    function's 60 s timeout (middy gives up just before it); a failed batch is delivered again from its first failed
//    record, up to 3 times, as the mapping retries. Both tables have the cases table's key schema and GSIs but no
//    stream (DynamoDB Local's stream emulation doubles the write time; nothing reads it here).
// 3. Reports: a `ReportingService` per table (its own `DynamoReportStore`, a fixed clock at `now`); per run the KPI
//    report for 2025-01-01 … 2025-12-31 (no groupBy, then groupBy=regime) and the control score for the same range,
//    small and large side by side (interleaved), 2 warm-up runs then 20 timed runs each. Latency is the service call's
//    wall time; read units and requests come from its `ReadCost` (DynamoDB's ConsumedCapacity on each Query page).
//    The store is wrapped to split the cost between the period items (one Query per month) and the open-case board.
import { fork } from 'node:child_process';
import type { DynamoDBRecord, Context } from 'aws-lambda';
import type { Case } from '#schemas/complaint';
import type { ReportingConfig } from '#schemas/reports';
import type { CounterItem, ReadCost, ReportStore, ScopeQuery } from '#ports/report-store';
import type { ReportingService } from '#domain/reporting/service';
import type { FIXED_WIDTH as FixedWidthEncoding } from '#adapters/aws/dynamo/report-store';

type FixedWidth = typeof FixedWidthEncoding;
import { storedCaseAttributes } from '#adapters/aws/dynamo/case-codec';
import { runStandalone } from './standalone';
import { envInt, median, ms, percentile, round, say, table } from './stats';

// ── Settings ──────────────────────────────────────────────────────────────────────────────────

export interface ReportBenchSettings {
  /** Cases in the small and the large table (BENCH_REPORT_SMALL, BENCH_REPORT_LARGE). */
  small: number;
  large: number;
  /** PRNG seed of the synthetic cases (BENCH_REPORT_SEED). */
  seed: number;
  /** Stream records per handler invocation and the function's timeout (the event source mapping and function as deployed). */
  batchSize: number;
  lambdaTimeoutMs: number;
  /** Batches in flight at once, like stream shards (BENCH_REPORT_CONCURRENCY). */
  concurrency: number;
  /** Deliveries of a batch before its failed records count as failed (the mapping retries; it bisects on error). */
  maxAttempts: number;
  /** Unmeasured, then measured runs of each report per table (BENCH_REPORT_RUNS). */
  warmupRuns: number;
  runs: number;
  /** Receipts fall in [receivedFrom, receivedTo); reports cover reportFrom … reportTo; the clock reads `now`. */
  receivedFrom: string;
  receivedTo: string;
  reportFrom: string;
  reportTo: string;
  now: string;
  timeZone: string;
  /** The issue's goal: large ÷ small ≤ this, for median latency and for read units. */
  ratioGoal: number;
  /** Cases validated with the zod Case schema before seeding (the handler parses every one again). */
  validateSample: number;
}

/** BENCH_REPORT_SMALL, BENCH_REPORT_LARGE, BENCH_REPORT_SEED, BENCH_REPORT_CONCURRENCY, BENCH_REPORT_RUNS. */
export const reportSettings = (): ReportBenchSettings => {
  const small = envInt('BENCH_REPORT_SMALL', 1000, 10);
  const large = envInt('BENCH_REPORT_LARGE', 100_000, 10);
  if (large < small) throw new Error(`BENCH_REPORT_LARGE (${large}) must be at least BENCH_REPORT_SMALL (${small})`);
  return {
    small,
    large,
    seed: envInt('BENCH_REPORT_SEED', 20_250_101, 0),
    batchSize: 100,
    lambdaTimeoutMs: 60_000,
    maxAttempts: 3,
    concurrency: envInt('BENCH_REPORT_CONCURRENCY', 4, 1),
    warmupRuns: 2,
    runs: envInt('BENCH_REPORT_RUNS', 20, 3),
    receivedFrom: '2025-01-01T00:00:00.000Z',
    receivedTo: '2026-01-01T00:00:00.000Z',
    reportFrom: '2025-01-01',
    reportTo: '2025-12-31',
    now: '2026-01-02T09:00:00.000Z',
    timeZone: 'Europe/London',
    ratioGoal: 1.2,
    validateSample: 500,
  };
};

/** The organisation's reporting options the bench runs with (product and root-cause groups; both tables alike). */
const REPORTING_OPTIONS = {
  productGroups: { current_accounts: ['Current account'], cards: ['Credit card'], lending: ['Mortgage', 'Personal loan'] },
  rootCauses: { process: ['Process failure'], systems: ['System outage', 'System error'], people: ['Staff error', 'Communication'], third_party: ['Third party'] },
};

// ── Result types ──────────────────────────────────────────────────────────────────────────────

export interface SeedFigures {
  table: string;
  cases: number;
  /** How the records reached the projection. */
  path: string;
  batches: number;
  concurrency: number;
  wallS: number;
  /** All records ÷ the seeding wall time (the concurrent shards together). */
  overallRecordsPerS: number;
  /** Per batch: its records ÷ its own wall time (one shard's rate), median / p10 / p90. */
  batchRecordsPerS: { median: number; p10: number; p90: number };
  batchMs: { median: number; p90: number; max: number };
  /** Redeliveries after a batch failed (batchItemFailures, a throw or the timeout), and the records they carried again. */
  retriedBatches: number;
  redeliveredRecords: number;
  /** Records still failing after `maxAttempts` deliveries, and why (the error projecting the record directly). */
  failedRecords: number;
  failedCases: { caseId: string; reason: string }[];
  /** The first failed deliveries (retried or not). */
  failures: string[];
}

export interface CostSplit {
  /** One Query per month item set in the range. */
  periods: ReadCost;
  /** The open-case board (KPI report only): one Query, paged. */
  openBoard: ReadCost;
}

export interface ReportFigures {
  id: 'kpis' | 'kpis-by-regime' | 'control-score';
  title: string;
  table: 'small' | 'large';
  cases: number;
  latencyMs: { median: number; p90: number; min: number; max: number };
  /** Read units and requests of one run (every run reads the same items; the max over runs is reported). */
  readUnits: number;
  requests: number;
  split: CostSplit;
  /** Items the Queries returned in one run, and their estimated size (DynamoDB's item-size rule). */
  items: { periods: number; openBoard: number; bytes: number };
  /** What DynamoDB's rule gives for those items: per Query page, bytes rounded up to 4 KB, × 0.5 (eventually consistent). */
  estimatedReadUnits: number;
  /** Median over the runs of each kind of read's wall time in one run (reads overlap, so these do not sum to the latency). */
  queryMs: Record<string, number>;
  samplesMs: number[];
}

export interface RatioFigures {
  id: ReportFigures['id'];
  title: string;
  latencyMedianRatio: number;
  readUnitRatio: number;
  requestRatio: number;
  openBoardReadUnitRatio: number;
  periodReadUnitRatio: number;
}

export interface DatasetFigures {
  table: string;
  cases: number;
  /** Counts over the generated cases (what the reports should see). */
  mix: {
    closed: number;
    notClosed: number;
    reopened: number;
    escalated: number;
    waived: number;
    withApproval: number;
    withCompensation: Record<string, number>;
    vulnerable: number;
    regimes: Record<string, number>;
    outcomes: Record<string, number>;
    /** Distinct local days of receipt among the cases not closed (the open-case board's items). */
    openBoardDays: number;
  };
  /** The KPI report's totals at `now` (received must equal `cases`). */
  kpiTotals: { received: number; responded: number; closed: number; reopened: number; escalations: number; openNow: number };
  expected: { received: number; responded: number; closed: number; reopened: number };
  controlScore: { total: number; band: string };
}

export interface ReportCheck {
  name: string;
  ok: boolean;
  hard: boolean;
  informational?: boolean;
  detail: string;
}

export interface ReportBenchResult {
  settings: ReportBenchSettings;
  node: string;
  generation: { cases: number; ms: number; validated: number };
  /** Whether DynamoDB Local returned ConsumedCapacity on the report Queries (else read units are estimated). */
  consumedCapacityReturned: boolean;
  readUnitSource: 'DynamoDB ConsumedCapacity' | 'estimated from item sizes';
  seeding: SeedFigures[];
  datasets: DatasetFigures[];
  reports: ReportFigures[];
  ratios: RatioFigures[];
  /**
   * The stand-in's own share of a latency gap: one GetItem of the same small item (the projection's meta) on each
   * table, interleaved. Real DynamoDB serves a key lookup in the same time whatever the table's size; DynamoDB Local
   * (SQLite underneath) may not, and that is not the report's doing.
   */
  standInProbe: { runs: number; smallMedianMs: number; largeMedianMs: number; ratio: number };
  checks: ReportCheck[];
  durationS: number;
}

// ── Synthetic cases ───────────────────────────────────────────────────────────────────────────

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; the same seed gives the same cases on every machine. */
const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

type Rand = () => number;
const weighted = <T extends string>(rand: Rand, table: readonly (readonly [T, number])[]): T => {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [v, w] of table) if ((r -= w) < 0) return v;
  return table[table.length - 1]![0];
};
const between = (rand: Rand, lo: number, hi: number) => lo + rand() * (hi - lo);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (msValue: number) => new Date(msValue).toISOString();

const REGIME_MIX = [
  ['UK_FCA_DISP', 32],
  ['INTERNAL_STANDARD', 20],
  ['US_CFPB', 14],
  ['AU_ASIC_RG271', 10],
  ['UK_FCA_PSD', 8],
  ['IE_CBI_CPC', 8],
  ['AU_ASIC_RG271_SUPER', 4],
  ['AU_ASIC_RG271_HARDSHIP', 4],
] as const;
const CATEGORY_MIX = [
  ['service_delay', 26],
  ['billing', 22],
  ['product_issue', 20],
  ['agent_interaction', 14],
  ['policy', 10],
  ['other', 8],
] as const;
const CHANNEL_MIX = [
  ['web', 30],
  ['phone', 22],
  ['email', 18],
  ['chat', 10],
  ['in_app', 8],
  ['letter', 5],
  ['social', 4],
  ['helpdesk', 3],
] as const;
const PRODUCT_MIX = [
  ['Current account', 28],
  ['Credit card', 22],
  ['Mortgage', 14],
  ['Personal loan', 12],
  ['Savings', 12],
  ['Home insurance', 12],
] as const;
const ROOT_CAUSE_MIX = [
  ['Process failure', 30],
  ['System error', 15],
  ['System outage', 5],
  ['Staff error', 18],
  ['Communication', 14],
  ['Third party', 10],
  ['Customer misunderstanding', 8],
] as const;
const DECISION_MIX = [
  ['upheld', 38],
  ['partially_upheld', 20],
  ['not_upheld', 42],
] as const;
/** Calendar days from a cycle's start to its final response: [from, to) ranges with their weights; `stuck` never answered by `now`. */
const RESPONSE_DAYS = [
  ['0-3', 30],
  ['3-14', 35],
  ['14-35', 20],
  ['35-56', 9],
  ['56-120', 4.5],
  ['stuck', 1.5],
] as const;
const OWNERS = Array.from({ length: 40 }, (_, i) => `handler-${i + 1}`);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const base32 = (n: number, width: number): string => {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = CROCKFORD[n % 32]! + out;
    n = Math.floor(n / 32);
  }
  return out;
};
/** A ULID whose time part is `atMs` and whose random part starts with the case index (unique) then PRNG characters. */
const ulid = (atMs: number, index: number, rand: Rand): string => `${base32(atMs, 10)}${base32(index, 8)}${base32(Math.floor(rand() * 2 ** 40), 8)}`;

interface Domain {
  openCase: typeof import('#domain/lifecycle').openCase;
  acknowledge: typeof import('#domain/lifecycle').acknowledge;
  close: typeof import('#domain/lifecycle').close;
  reopen: typeof import('#domain/lifecycle').reopen;
  present: typeof import('#domain/lifecycle').present;
  getRegime: typeof import('#domain/regimes').getRegime;
}

/**
 * One case's final version: received at a uniform instant of the year, then whatever its lifecycle does by `now`
 * (acknowledged, reassigned, escalated or waived at its 75 % checkpoint, answered with a decision and maybe
 * compensation after an approval, closed, reopened once and answered again).
 */
const buildCase = (d: Domain, s: ReportBenchSettings, index: number, rand: Rand): Case => {
  const NOW = Date.parse(s.now);
  const from = Date.parse(s.receivedFrom);
  const receivedMs = Math.floor(from + rand() * (Date.parse(s.receivedTo) - from));
  const receivedAt = iso(receivedMs);
  const regimeId = weighted(rand, REGIME_MIX);
  const regime = d.getRegime(regimeId);
  const owner = OWNERS[Math.floor(rand() * OWNERS.length)]!;
  const vulnerable = rand() < 0.08;
  const id = ulid(receivedMs, index, rand);
  let c = d.openCase(
    {
      customer: { id: `cust-${(index * 7919) % 250_000}`, name: 'Synthetic Customer', vulnerable },
      channel: weighted(rand, CHANNEL_MIX),
      summary: 'Synthetic complaint (reporting bench)',
      description: 'Generated by bench/reports.ts from a seeded PRNG.',
      product: weighted(rand, PRODUCT_MIX),
      category: weighted(rand, CATEGORY_MIX),
      regime: regimeId,
      receivedAt,
    },
    { id, reference: `CMP-2025-${String(index + 1).padStart(6, '0')}`, ownerId: owner, assignmentRule: 'round_robin', regime, actor: 'bench', now: receivedAt },
  ).case;
  let version = 1;
  let last = receivedMs;
  const happened = (atMs: number) => atMs <= NOW;
  const touch = (atMs: number) => {
    version++;
    last = Math.max(last, atMs);
  };

  // A handoff (reassignment) within the first days; a few recorded without a reason.
  if (rand() < 0.15) {
    const at = receivedMs + between(rand, 1, 72) * HOUR;
    if (happened(at)) {
      const to = OWNERS[(OWNERS.indexOf(c.ownerId) + 1 + Math.floor(rand() * (OWNERS.length - 1))) % OWNERS.length]!;
      c = { ...c, ownerId: to, handoffCount: c.handoffCount + 1, handoffs: [...c.handoffs, { from: c.ownerId, to, by: 'supervisor-1', at: iso(at), reason: rand() < 0.12 ? '' : 'Rebalancing workload' }] };
      touch(at);
    }
  }

  /** Answers the current cycle `days` after its start if that has happened by now; closes it a few days later. */
  const runCycle = (cycleStartMs: number, cycleNo: number): { closedAt?: number } => {
    const band = weighted(rand, RESPONSE_DAYS);
    const respondMs = band === 'stuck' ? Number.POSITIVE_INFINITY : cycleStartMs + (([lo, hi]) => between(rand, lo!, hi!))(band.split('-').map(Number)) * DAY;
    // Acknowledgement: most within a day, some late, a few never; never after the final response.
    const ack = rand();
    if (ack < 0.92) {
      const wanted = cycleStartMs + (ack < 0.78 ? between(rand, 0.2, 20) * HOUR : between(rand, 1, 10) * DAY);
      const at = Math.min(wanted, cycleStartMs + (respondMs - cycleStartMs) / 2);
      if (happened(at)) {
        c = d.acknowledge(c, {}, c.ownerId, iso(at)).case;
        touch(at);
      }
    }
    const stopMs = Math.min(respondMs, NOW);
    // The checkpoints that fell due before the clock stopped (or by now) have fired.
    c = { ...c, checkpoints: c.checkpoints.map((k) => (Date.parse(k.at) <= stopMs ? { ...k, firedAt: k.at } : k)) };
    // At risk (75 % checkpoint fired): mostly escalated, some waived in writing, some neither.
    const k75 = c.checkpoints.find((k) => k.percent === 75);
    if (k75?.firedAt) {
      const r = rand();
      const at = Date.parse(k75.at);
      if (r < 0.7) {
        c = { ...c, escalations: [...c.escalations, { id: ulid(at, index, rand), at: k75.at, reason: '75 % of the deadline has elapsed', trigger: { kind: 'checkpoint', percent: 75, cycle: cycleNo }, status: 'acknowledged', level: 1 }] };
        touch(at);
      } else if (r < 0.85) {
        const waivedAt = Math.min(at + between(rand, 1, 12) * HOUR, NOW);
        c = { ...c, waivers: [...(c.waivers ?? []), { checkpoint: 75, cycle: cycleNo, justification: 'The final response goes out this week', waivedBy: 'supervisor-1', waivedAt: iso(waivedAt), escalationId: null }] };
        touch(waivedAt);
      }
    } else if (rand() < 0.02) {
      // A manual escalation by the owner, early in the cycle.
      const at = cycleStartMs + between(rand, 1, 5) * DAY;
      if (at < stopMs) {
        c = { ...c, escalations: [...c.escalations, { id: ulid(at, index, rand), at: iso(at), reason: 'Customer threatens to go to the ombudsman', trigger: { kind: 'manual' }, status: 'acknowledged', level: 1 }] };
        touch(at);
      }
    }
    if (!happened(respondMs)) return {};

    // The final response: a decision, maybe compensation (approved first above the threshold), a root cause.
    const decision = cycleNo > 1 && rand() < 0.6 ? 'not_upheld' : weighted(rand, DECISION_MIX);
    const pays = decision !== 'not_upheld' && rand() < 0.6 && !regimeId.startsWith('US_') && !regimeId.startsWith('AU_');
    const amount = pays ? (rand() < 0.85 ? between(rand, 10, 500) : between(rand, 500, 2500)).toFixed(2) : undefined;
    const currency = regimeId === 'IE_CBI_CPC' || (regimeId === 'INTERNAL_STANDARD' && rand() < 0.25) ? 'EUR' : 'GBP';
    const compensation = amount ? { amount, currency } : undefined;
    const stages = !amount ? 0 : Number(amount) >= 1000 ? 2 : Number(amount) >= 250 ? 1 : 0;
    const respondedAt = iso(respondMs);
    const proposedMs = respondMs - (stages ? between(rand, 2, 60) * HOUR : between(rand, 0.5, 4) * HOUR);
    const resolution = {
      id: ulid(proposedMs, index, rand),
      round: cycleNo,
      status: stages ? 'approved' : 'not_required',
      decision,
      stages,
      approvedStages: stages,
      proposedAt: iso(Math.max(proposedMs, cycleStartMs)),
      ...(stages ? { decidedAt: iso(respondMs - 0.5 * HOUR) } : {}),
    };
    const verified = rand() < 0.75 ? 1 + Math.floor(rand() * 4) : 0;
    c = {
      ...c,
      status: 'resolved',
      resolution,
      rootCause: { category: weighted(rand, ROOT_CAUSE_MIX), description: 'Recorded by the handler with the final response' },
      evidenceCounts: { pending: rand() < 0.05 ? 1 : 0, verified, rejected: rand() < 0.03 ? 1 : 0 },
      cycles: c.cycles.map((cy, i) =>
        i === c.cycles.length - 1 ? { ...cy, ...(cy.stoppedAt ? {} : { stoppedAt: respondedAt, reason: 'final_response' }), respondedAt, decision, ...(compensation ? { compensation } : {}) } : cy,
      ),
    };
    touch(respondMs);
    version += 1 + stages; // the proposal and each approval decision are versions of the case too
    const closeMs = respondMs + between(rand, 0.5, 8) * DAY;
    if (!happened(closeMs)) return {};
    c = d.close(c, { followUpAction: 'Feed the root cause into the quarterly review' }, c.ownerId, iso(closeMs)).case;
    touch(closeMs);
    return { closedAt: closeMs };
  };

  const first = runCycle(receivedMs, 1);
  // Reopened once (the customer disputes the answer), a few weeks after the close; the second cycle runs like the first.
  if (first.closedAt !== undefined && rand() < 0.07) {
    const at = first.closedAt + between(rand, 3, 40) * DAY;
    if (happened(at)) {
      c = d.reopen(c, 'The customer disputes the outcome', regime, c.ownerId, iso(at)).case;
      touch(at);
      runCycle(at, 2);
    }
  }
  return d.present({ ...c, version, updatedAt: iso(last) }, s.now);
};

const generateCases = (d: Domain, s: ReportBenchSettings, n: number): Case[] => {
  const rand = mulberry32(s.seed);
  return Array.from({ length: n }, (_, i) => buildCase(d, s, i, rand));
};

/** The first `n` synthetic cases of the seed's sequence (the domain modules are loaded on first use). */
export const syntheticCases = async (s: ReportBenchSettings, n: number): Promise<Case[]> => {
  const lifecycle = await import('#domain/lifecycle');
  const { getRegime } = await import('#domain/regimes');
  return generateCases({ openCase: lifecycle.openCase, acknowledge: lifecycle.acknowledge, close: lifecycle.close, reopen: lifecycle.reopen, present: lifecycle.present, getRegime }, s, n);
};

// ── Stream records ────────────────────────────────────────────────────────────────────────────

type Marshall = typeof import('@aws-sdk/util-dynamodb').marshall;

/** The MODIFY record the cases table's stream carries for a case's latest version (NEW_AND_OLD_IMAGES; the old image left out). */
const streamRecord = (marshall: Marshall, c: Case, seq: number, tableArn: string): DynamoDBRecord => {
  const key = { PK: `CASE#${c.id}`, SK: 'CASE' };
  const image = marshall(
    {
      ...key,
      entity: 'case',
      version: c.version,
      dueAt: c.finalResponseDueAt,
      ...storedCaseAttributes(c),
      GSI1PK: `OWNER#${c.ownerId}#${c.status === 'closed' ? 'closed' : 'active'}`,
      GSI1SK: `${c.finalResponseDueAt}#${c.id}`,
      GSI3PK: `CUSTOMER#${c.customer.id}`,
      GSI3SK: `${c.receivedAt}#${c.id}`,
    },
    { removeUndefinedValues: true, convertClassInstanceToMap: false },
  );
  return {
    eventID: `bench-${seq}`,
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    eventSourceARN: tableArn,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.parse(c.updatedAt) / 1000),
      Keys: marshall(key) as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      NewImage: image as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
      SequenceNumber: `1${String(seq).padStart(20, '0')}`,
      SizeBytes: JSON.stringify(image).length,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
};

// ── Seeding ───────────────────────────────────────────────────────────────────────────────────
//
// Each shard is its own process (`bench/reports.ts --seed-child`), as each stream shard gets its own Lambda instance:
// the handler's module state (the Powertools batch processor, the clients) serves one invocation at a time, as in
// Lambda. The children build the same cases from the seed, keep their shard's, and report every batch to the parent.

interface SeedChildSpec {
  endpoint: string;
  table: string;
  /** The first `cases` cases of the seed's sequence; this child seeds those with shardOf(id, shards) = shard. */
  cases: number;
  shard: number;
  shards: number;
}

type ChildMessage =
  | { t: 'ready'; cases: number }
  | { t: 'batch'; records: number; ms: number; retried: number; redelivered: number; failures: string[]; failedCases: { caseId: string; reason: string }[] }
  | { t: 'done' };

const SEED_CHILD_FLAG = '--seed-child';
const SEED_CHILD_ENV = 'BENCH_REPORT_SEED_CHILD';

/** The child: the handler bound to its table, its shard's batches in order, each retried as the event source mapping would. */
const runSeedChild = async (): Promise<void> => {
  const spec = JSON.parse(process.env[SEED_CHILD_ENV] ?? '') as SeedChildSpec;
  const s = reportSettings();
  const send = (m: ChildMessage) => new Promise<void>((res, rej) => process.send!(m, undefined, {}, (err) => (err ? rej(err) : res())));
  const { applyLocalEnv } = await import('../infra/local/stack');
  // What the deployed function reads at cold start: its table, the organisation's time zone and reporting options.
  applyLocalEnv(spec.endpoint, { cases: spec.table, idempotency: 'reports-bench-idempotency', local: 'reports-bench-local' }, { ORG_TIME_ZONE: s.timeZone, REPORTING: JSON.stringify(REPORTING_OPTIONS) });
  const { shardOf } = await import('#adapters/aws/dynamo/table-model');
  const { marshall } = await import('@aws-sdk/util-dynamodb');
  // A stream carries a shard's records in commit order: each case's one MODIFY at its last change (updatedAt).
  const mine = (await syntheticCases(s, spec.cases))
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => shardOf(c.id, spec.shards) === spec.shard)
    .sort((a, b) => a.c.updatedAt.localeCompare(b.c.updatedAt) || a.i - b.i)
    .map(({ c }, position) => ({ c, i: position }));
  const { handler, caseOfRecord } = await import('../functions/report-projection/handler');
  const { reportingService } = await import('#http/reporting-container');
  const { lambdaContext } = await import('../infra/local/server');
  const tableArn = `arn:aws:dynamodb:local:000000000000:table/${spec.table}/stream/bench`;
  const go = new Promise<void>((res) => process.once('message', () => res()));
  await send({ t: 'ready', cases: mine.length });
  await go;

  const deliver = async (records: DynamoDBRecord[]): Promise<{ failedIds: string[]; error?: string }> => {
    // As deployed: the function's timeout is 60 s (infra/constructs/report-projection.ts), counted from the invocation.
    const deadline = Date.now() + s.lambdaTimeoutMs;
    const context: Context = { ...lambdaContext('report-projection'), getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
    try {
      const out = (await handler({ Records: records }, context)) as { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
      const failedIds = (out?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      return { failedIds, ...(failedIds.length ? { error: 'batchItemFailures' } : {}) };
    } catch (err) {
      // Every record failed (Powertools' FullBatchFailureError), or the function timed out.
      return { failedIds: records.map((r) => r.dynamodb!.SequenceNumber!), error: `${(err as Error).name}: ${(err as Error).message}` };
    }
  };
  /** Why a record still fails: project it directly (the store applies a version once, so this changes nothing else). */
  const diagnose = async (record: DynamoDBRecord): Promise<string> => {
    try {
      const c = caseOfRecord(record);
      if (!c) return 'not a case record';
      const outcomes = await reportingService().project(c);
      return `projected directly without an error (${outcomes.join(', ')}): the deliveries failed, not the record`;
    } catch (err) {
      return `${(err as Error).name}: ${(err as Error).message}`;
    }
  };

  for (let i = 0; i < mine.length; i += s.batchSize) {
    let records = mine.slice(i, i + s.batchSize).map(({ c, i: index }) => streamRecord(marshall, c, index, tableArn));
    const size = records.length;
    const failures: string[] = [];
    const failedCases: { caseId: string; reason: string }[] = [];
    let retried = 0;
    let redelivered = 0;
    const b0 = performance.now();
    // As the event source mapping does with ReportBatchItemFailures: a failed batch is retried from its first failed
    // record (a thrown or timed-out batch from the start); the store applies each case version once, whatever repeats.
    for (let attempt = 1; ; attempt++) {
      const out = await deliver(records);
      if (!out.failedIds.length) break;
      failures.push(`shard ${spec.shard}, delivery ${attempt} of ${s.maxAttempts}: ${out.failedIds.length} of ${records.length} records failed${out.error ? ` (${out.error.split('\n')[0]!.slice(0, 200)})` : ''}`);
      const failing = records.filter((r) => out.failedIds.includes(r.dynamodb!.SequenceNumber!));
      if (attempt >= s.maxAttempts) {
        for (const r of failing) failedCases.push({ caseId: r.dynamodb!.Keys!.PK!.S!.slice('CASE#'.length), reason: await diagnose(r) });
        break;
      }
      retried++;
      records = records.slice(records.indexOf(failing[0]!));
      redelivered += records.length;
    }
    await send({ t: 'batch', records: size, ms: performance.now() - b0, retried, redelivered, failures, failedCases });
  }
  await send({ t: 'done' });
  process.disconnect();
};

/** Seeds one table: `concurrency` shard processes, started together once every one has built its cases. */
const seed = async (s: ReportBenchSettings, name: string, endpoint: string, table: string, cases: number, log: (line: string) => void, elapsed: () => string): Promise<SeedFigures> => {
  const batchMs: number[] = [];
  const batchRate: number[] = [];
  const failures: string[] = [];
  const failedCases: SeedFigures['failedCases'] = [];
  let retried = 0;
  let redelivered = 0;
  let done = 0;
  let nextReport = 0.05;
  let t0 = 0;
  const children = Array.from({ length: s.concurrency }, (_, shard) => {
    const spec: SeedChildSpec = { endpoint, table, cases, shard, shards: s.concurrency };
    return fork(__filename, [SEED_CHILD_FLAG], { execArgv: ['--import', 'tsx'], env: { ...process.env, [SEED_CHILD_ENV]: JSON.stringify(spec) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  });
  const ready: Promise<void>[] = [];
  const finished = children.map((child, shard) => {
    let readyNow: () => void = () => {};
    ready.push(new Promise<void>((res) => (readyNow = res)));
    return new Promise<void>((resolveChild, rejectChild) => {
      let sawDone = false;
      child.on('message', (m: ChildMessage) => {
        if (m.t === 'ready') readyNow();
        else if (m.t === 'done') sawDone = true;
        else {
          batchMs.push(m.ms);
          batchRate.push((m.records / m.ms) * 1000);
          retried += m.retried;
          redelivered += m.redelivered;
          done += m.records;
          for (const f of m.failures) {
            if (failures.length < 20) failures.push(f);
            log(`  ${name}: a batch failed: ${f}  [${elapsed()}]`);
          }
          for (const f of m.failedCases) {
            failedCases.push(f);
            log(`  ${name}: ✗ case ${f.caseId} not projected after ${s.maxAttempts} deliveries: ${f.reason.slice(0, 300)}  [${elapsed()}]`);
          }
          if (done / cases >= nextReport || done === cases) {
            while (nextReport <= done / cases) nextReport += 0.05;
            const wall = (performance.now() - t0) / 1000;
            log(
              `  ${name}: ${done.toLocaleString('en-GB')}/${cases.toLocaleString('en-GB')} records (${Math.round((100 * done) / cases)} %), ${Math.round(done / wall).toLocaleString('en-GB')} records/s overall, last batch ${ms(m.ms)} ms${failedCases.length ? `, ✗ ${failedCases.length} not projected` : ''}  [${elapsed()}]`,
            );
          }
        }
      });
      child.once('exit', (code, signal) => (sawDone ? resolveChild() : rejectChild(new Error(`seeding shard ${shard} of ${table} exited ${code ?? signal} before it finished`))));
    });
  });
  try {
    await Promise.race([Promise.all(ready), Promise.all(finished)]);
    log(`  ${name}: ${s.concurrency} shard processes ready (each built the cases and loaded the handler)  [${elapsed()}]`);
    t0 = performance.now();
    for (const child of children) child.send('go');
    await Promise.all(finished);
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill();
  }
  const wallS = (performance.now() - t0) / 1000;
  return {
    table,
    cases,
    path: 'handler, one process per shard',
    batches: batchMs.length,
    concurrency: s.concurrency,
    wallS: round(wallS, 1),
    overallRecordsPerS: round(cases / wallS, 0),
    batchRecordsPerS: { median: round(median(batchRate), 0), p10: round(percentile(batchRate, 10), 0), p90: round(percentile(batchRate, 90), 0) },
    batchMs: { median: round(median(batchMs), 1), p90: round(percentile(batchMs, 90), 1), max: round(Math.max(...batchMs), 1) },
    retriedBatches: retried,
    redeliveredRecords: redelivered,
    failedRecords: failedCases.length,
    failedCases,
    failures,
  };
};

// ── Reading ───────────────────────────────────────────────────────────────────────────────────

/** DynamoDB item size: attribute names and values (UTF-8 bytes of strings; numbers ≈ 1 byte per 2 significant digits + 1). */
const numberBytes = (n: number) => {
  const digits = String(Math.abs(n)).replace(/[.-]/g, '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
};
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

interface ScopeMeter {
  periods: ReadCost;
  openBoard: ReadCost;
  items: { periods: number; openBoard: number; bytes: number };
  /** Estimated read units: per Query call, ceil(bytes / 4 KB) × 0.5 (the store reads without ConsistentRead). */
  estimated: number;
  /** Whether any Query returned ConsumedCapacity (read units > 0). */
  sawCapacity: boolean;
  /** Wall time of each `counters` read of the run, by what it read (scope kind and key range). */
  queryMs: Record<string, number>;
}
const newMeter = (): ScopeMeter => ({ periods: { readUnits: 0, requests: 0 }, openBoard: { readUnits: 0, requests: 0 }, items: { periods: 0, openBoard: 0, bytes: 0 }, estimated: 0, sawCapacity: false, queryMs: {} });

/** What one `counters` read asked for, without the month (`M#2025-03` → `M#*`), so runs and months group together. */
const queryKey = (scope: string, q: ScopeQuery): string =>
  `${scope.replace(/^M#\d{4}-\d{2}/, 'M#*').replace(/^D#\d{4}-\d{2}-\d{2}/, 'D#*')} ${q.prefix !== undefined ? `prefix ${q.prefix}` : q.from !== undefined || q.to !== undefined ? `range ${q.from ?? ''}…${q.to ?? ''}` : 'all'}${q.descending ? ' desc' : ''}${q.limit ? ` limit ${q.limit}` : ''}`;

/**
 * The store the service reads through, its `counters` reads split by scope kind (everything else passes through). It
 * also estimates what each Query cost under DynamoDB's rule from the items returned: PK (`RPT#<generation>#<scope>`),
 * SK, `entity` and the counts. (One `counters` call may be several pages; a page holds up to 1 MB, far above these
 * reads, so call = page here.)
 */
const meteredStore = (inner: ReportStore, FIXED_WIDTH: FixedWidth): { store: ReportStore; meter: { current: ScopeMeter } } => {
  const meter = { current: newMeter() };
  const counters = async (generation: number, scope: string, q: ScopeQuery, cost: ReadCost): Promise<CounterItem[]> => {
    const mine: ReadCost = { readUnits: 0, requests: 0 };
    const q0 = performance.now();
    const items = await inner.counters(generation, scope, q, mine);
    const key = queryKey(scope, q);
    meter.current.queryMs[key] = (meter.current.queryMs[key] ?? 0) + (performance.now() - q0);
    cost.readUnits += mine.readUnits;
    cost.requests += mine.requests;
    const m = meter.current;
    const open = scope === 'open';
    const bucket = open ? m.openBoard : m.periods;
    bucket.readUnits += mine.readUnits;
    bucket.requests += mine.requests;
    if (mine.readUnits > 0) m.sawCapacity = true;
    let bytes = 0;
    // Month items are stored fixed-width (offset + count, marked `enc`); the counts come back decoded.
    const month = scope.startsWith('M#');
    const stored = (k: string, v: number) => (month ? v + (k.startsWith('cmp:') ? FIXED_WIDTH.moneyOffset : FIXED_WIDTH.countOffset) : v);
    for (const item of items) {
      bytes += utf8('PK') + utf8(`RPT#${generation}#${scope}`) + utf8('SK') + utf8(item.sk) + utf8('entity') + utf8('report-counter') + (month ? utf8('enc') + utf8(FIXED_WIDTH.mark) : 0);
      for (const [k, v] of Object.entries(item.counts)) bytes += utf8(k) + numberBytes(stored(k, v));
    }
    m.items[open ? 'openBoard' : 'periods'] += items.length;
    m.items.bytes += bytes;
    m.estimated += Math.max(Math.ceil(bytes / 4096), mine.requests, 1) * 0.5;
    return items;
  };
  const store = new Proxy(inner, {
    get: (target, prop, receiver) => (prop === 'counters' ? counters : (Reflect.get(target, prop, receiver) as unknown)),
  });
  return { store, meter };
};

interface ReportDef {
  id: ReportFigures['id'];
  title: string;
  run(svc: ReportingService, s: ReportBenchSettings, cost: ReadCost): Promise<unknown>;
}

/** Timed runs of the stand-in probe per table. */
const PROBE_RUNS = 200;

const REPORTS: ReportDef[] = [
  { id: 'kpis', title: 'KPI report, 12 months, no groupBy', run: (svc, s, cost) => svc.kpis({ from: s.reportFrom, to: s.reportTo }, cost) },
  { id: 'kpis-by-regime', title: 'KPI report, 12 months, groupBy=regime', run: (svc, s, cost) => svc.kpis({ from: s.reportFrom, to: s.reportTo, groupBy: 'regime' }, cost) },
  { id: 'control-score', title: 'control score, 12 months', run: (svc, s, cost) => svc.controlScore({ from: s.reportFrom, to: s.reportTo }, cost) },
];

// ── Run ───────────────────────────────────────────────────────────────────────────────────────

const mixOf = (cases: Case[], day: (at: string) => string): DatasetFigures['mix'] => {
  const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
  const notClosed = cases.filter((c) => c.status !== 'closed');
  return {
    closed: cases.length - notClosed.length,
    notClosed: notClosed.length,
    reopened: cases.filter((c) => c.reopenCount > 0).length,
    escalated: cases.filter((c) => c.escalations.length > 0).length,
    waived: cases.filter((c) => (c.waivers ?? []).length > 0).length,
    withApproval: cases.filter((c) => Number((c.resolution as { stages?: number } | undefined)?.stages ?? 0) > 0).length,
    withCompensation: count(cases.flatMap((c) => c.cycles.flatMap((cy) => (cy.compensation ? [cy.compensation.currency] : [])))),
    vulnerable: cases.filter((c) => c.vulnerable).length,
    regimes: count(cases.map((c) => c.regime)),
    outcomes: count(cases.map((c) => [...c.cycles].reverse().find((cy) => cy.decision)?.decision ?? 'open')),
    openBoardDays: new Set(notClosed.map((c) => day(c.receivedAt))).size,
  };
};

export const runReportBench = async (s: ReportBenchSettings = reportSettings(), log: (line: string) => void = say): Promise<ReportBenchResult> => {
  const t0 = performance.now();
  // Under bench/run.ts, progress shows the run's elapsed time, as its other phases do.
  const base = Number(process.env.BENCH_ELAPSED_BASE_S ?? 0) || 0;
  const elapsed = () => `${(base + (performance.now() - t0) / 1000).toFixed(0)} s`;
  const checks: ReportCheck[] = [];

  // Pure modules first: the cases are built before any environment is set.
  const lifecycle = await import('#domain/lifecycle');
  const { getRegime } = await import('#domain/regimes');
  const { Case: CaseSchema } = await import('#schemas/complaint');
  const { projector } = await import('#domain/reporting/projection');
  const { TABLES } = await import('#adapters/aws/dynamo/table-model');
  const domain: Domain = { openCase: lifecycle.openCase, acknowledge: lifecycle.acknowledge, close: lifecycle.close, reopen: lifecycle.reopen, present: lifecycle.present, getRegime };

  log(`  generating ${s.large.toLocaleString('en-GB')} cases (seed ${s.seed}; the small set = the first ${s.small.toLocaleString('en-GB')}), received ${s.receivedFrom.slice(0, 10)} … ${iso(Date.parse(s.receivedTo) - 1).slice(0, 10)}, aged to ${s.now}  [${elapsed()}]`);
  const g0 = performance.now();
  const all = generateCases(domain, s, s.large);
  const genMs = performance.now() - g0;
  const sample = all.filter((_, i) => i % Math.max(1, Math.floor(all.length / s.validateSample)) === 0).slice(0, s.validateSample);
  const invalid = sample.map((c) => ({ c, r: CaseSchema.safeParse(c) })).filter((x) => !x.r.success);
  if (invalid.length) {
    const first = invalid[0]!;
    throw new Error(`${invalid.length}/${sample.length} generated cases do not parse, e.g. ${first.c.id}: ${first.r.error?.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  log(`  generated in ${(genMs / 1000).toFixed(1)} s; ${sample.length} sampled cases parse with the zod Case schema  [${elapsed()}]`);
  const smallCases = all.slice(0, s.small);
  const config: ReportingConfig = { ...(await import('#schemas/reports')).ReportingOptions.parse(REPORTING_OPTIONS), timeZone: s.timeZone };
  const p = projector(config);

  // DynamoDB Local (in memory) and two tables with the cases table's definition.
  const { startDynamoLocal, ensureTables } = await import('../infra/local/dynamodb-local');
  const dynamo = await startDynamoLocal();
  const tables = { small: 'reports-bench-small', large: 'reports-bench-large' };
  const seeding: SeedFigures[] = [];
  const datasets: DatasetFigures[] = [];
  const reports: ReportFigures[] = [];
  let standInProbe: ReportBenchResult['standInProbe'] = { runs: 0, smallMedianMs: Number.NaN, largeMedianMs: Number.NaN, ratio: Number.NaN };
  try {
    // The cases table's key schema and GSIs; no stream: DynamoDB Local records every write in it (in AWS a stream does
    // not slow writes), which doubles the seeding time and holds millions of records in memory. Nothing reads it here.
    const def = { ...TABLES.cases, stream: false };
    await ensureTables(dynamo.endpoint, [
      { name: tables.small, def },
      { name: tables.large, def },
    ]);
    log(`  DynamoDB Local ${dynamo.endpoint} (in memory), tables ${tables.small} and ${tables.large} (the cases table's key schema and GSIs, stream off)  [${elapsed()}]`);
    const { createDynamoClients } = await import('#adapters/aws/dynamo/client');
    const { DynamoReportStore, FIXED_WIDTH } = await import('#adapters/aws/dynamo/report-store');
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { ReportingService } = await import('#domain/reporting/service');
    const { doc } = createDynamoClients({ region: 'local', endpoint: dynamo.endpoint });
    const clock = { now: () => s.now };
    const stores = { small: meteredStore(new DynamoReportStore(doc, { tableName: tables.small }), FIXED_WIDTH), large: meteredStore(new DynamoReportStore(doc, { tableName: tables.large }), FIXED_WIDTH) };
    const services = { small: new ReportingService({ store: stores.small.store, clock, config }), large: new ReportingService({ store: stores.large.store, clock, config }) };

    // Seeding: stream records through the projection handler, one process per shard.
    for (const [size, n] of [['small', s.small], ['large', s.large]] as const) {
      log(`  seeding ${tables[size]}: ${n.toLocaleString('en-GB')} stream records in batches of ${s.batchSize} through the projection handler (functions/report-projection/handler.ts), ${s.concurrency} shard processes at once  [${elapsed()}]`);
      seeding.push(await seed(s, size, dynamo.endpoint, tables[size], n, log, elapsed));
    }
    for (const f of seeding) {
      log(
        `  ${f.table}: ${f.overallRecordsPerS.toLocaleString('en-GB')} records/s overall (${f.concurrency} shards), per batch median ${f.batchRecordsPerS.median.toLocaleString('en-GB')} records/s (${ms(f.batchMs.median)} ms per batch of ${s.batchSize}), ${f.wallS} s${f.retriedBatches ? `, ${f.retriedBatches} redeliveries (${f.redeliveredRecords} records)` : ''}${f.failedRecords ? `, ✗ ${f.failedRecords} failed records` : ''}`,
      );
    }
    const notSeeded = seeding.filter((f) => f.failedRecords > 0);
    const firstFailure = seeding.flatMap((f) => f.failures)[0];
    checks.push({
      name: `reports: every stream record projected (within ${s.maxAttempts} deliveries of its batch)`,
      ok: notSeeded.length === 0,
      hard: true,
      detail: notSeeded.length
        ? notSeeded.map((f) => `${f.table}: ${f.failedRecords} not projected (${f.failedCases.slice(0, 5).map((x) => x.caseId).join(', ')}); ${f.failedCases[0]?.reason.slice(0, 300) ?? ''}`).join('; ')
        : `${seeding.reduce((n, f) => n + f.cases, 0).toLocaleString('en-GB')} records; ${seeding.reduce((n, f) => n + f.retriedBatches, 0)} redeliveries${firstFailure ? ` (first: ${firstFailure})` : ''}`,
    });

    // Reports: small and large side by side, each report's runs interleaved.
    log(`  reports ${s.reportFrom} … ${s.reportTo} at ${s.now}: ${s.warmupRuns} warm-up + ${s.runs} timed runs each, small and large interleaved  [${elapsed()}]`);
    const sizes = ['small', 'large'] as const;
    for (const def of REPORTS) {
      const samples: Record<(typeof sizes)[number], { ms: number[]; cost: ReadCost[]; meter: ScopeMeter[] }> = { small: { ms: [], cost: [], meter: [] }, large: { ms: [], cost: [], meter: [] } };
      for (let i = 0; i < s.warmupRuns + s.runs; i++) {
        // Alternate which table goes first, so neither always follows the other.
        for (const size of i % 2 ? [...sizes].reverse() : sizes) {
          const { meter } = stores[size];
          meter.current = newMeter();
          const cost: ReadCost = { readUnits: 0, requests: 0 };
          const r0 = performance.now();
          await def.run(services[size], s, cost);
          const dt = performance.now() - r0;
          if (i < s.warmupRuns) continue;
          samples[size].ms.push(dt);
          samples[size].cost.push(cost);
          samples[size].meter.push(meter.current);
        }
      }
      for (const size of sizes) {
        const x = samples[size];
        const m = x.meter.reduce((a, b) => (b.periods.readUnits + b.openBoard.readUnits >= a.periods.readUnits + a.openBoard.readUnits ? b : a));
        const cost = x.cost.reduce((a, b) => (b.readUnits >= a.readUnits ? b : a));
        reports.push({
          id: def.id,
          title: def.title,
          table: size,
          cases: size === 'small' ? s.small : s.large,
          latencyMs: { median: round(median(x.ms), 2), p90: round(percentile(x.ms, 90), 2), min: round(Math.min(...x.ms), 2), max: round(Math.max(...x.ms), 2) },
          readUnits: round(cost.readUnits, 1),
          requests: Math.max(...x.cost.map((c) => c.requests)),
          split: { periods: { readUnits: round(m.periods.readUnits, 1), requests: m.periods.requests }, openBoard: { readUnits: round(m.openBoard.readUnits, 1), requests: m.openBoard.requests } },
          items: m.items,
          estimatedReadUnits: m.estimated,
          queryMs: Object.fromEntries(Object.keys(m.queryMs).sort().map((k) => [k, round(median(x.meter.map((run) => run.queryMs[k] ?? 0)), 2)])),
          samplesMs: x.ms.map((v) => round(v, 2)),
        });
        const r = reports.at(-1)!;
        log(`  ${def.title.padEnd(40)} ${size.padEnd(5)} ${r.cases.toLocaleString('en-GB').padStart(7)} cases: median ${ms(r.latencyMs.median)} ms, p90 ${ms(r.latencyMs.p90)} ms, ${r.readUnits} RCU (estimate ${r.estimatedReadUnits}), ${r.requests} requests  [${elapsed()}]`);
      }
      const [sm, lg] = [reports.at(-2)!, reports.at(-1)!];
      for (const k of Object.keys(lg.queryMs)) log(`    ${k.padEnd(60)} ${ms(sm.queryMs[k] ?? 0).padStart(8)} → ${ms(lg.queryMs[k]!).padStart(8)} ms per run`);
    }

    // The stand-in's latency for an identical key lookup on each table, interleaved like the reports.
    {
      const probe = { small: [] as number[], large: [] as number[] };
      for (let i = 0; i < 20 + PROBE_RUNS; i++) {
        for (const size of i % 2 ? [...sizes].reverse() : sizes) {
          const r0 = performance.now();
          await doc.send(new GetCommand({ TableName: tables[size], Key: { PK: 'RPTMETA', SK: 'META' } }));
          if (i >= 20) probe[size].push(performance.now() - r0);
        }
      }
      standInProbe = { runs: PROBE_RUNS, smallMedianMs: round(median(probe.small), 3), largeMedianMs: round(median(probe.large), 3), ratio: round(median(probe.large) / median(probe.small), 3) };
      log(`  stand-in probe (one GetItem, interleaved, ${PROBE_RUNS} runs): small ${standInProbe.smallMedianMs} ms, large ${standInProbe.largeMedianMs} ms median (${standInProbe.ratio}×)  [${elapsed()}]`);
    }

    // What the reports say, against what was generated.
    for (const size of sizes) {
      const cases = size === 'small' ? smallCases : all;
      const kpi = await services[size].kpis({ from: s.reportFrom, to: s.reportTo });
      const score = await services[size].controlScore({ from: s.reportFrom, to: s.reportTo });
      const inRange = (at: string | undefined) => at !== undefined && p.day(at) >= s.reportFrom && p.day(at) <= s.reportTo;
      const cycles = cases.flatMap((c) => c.cycles);
      const openNow = Object.values(kpi.totals.openAge).reduce((a, b) => a + b, 0);
      datasets.push({
        table: tables[size],
        cases: cases.length,
        mix: mixOf(cases, p.day),
        kpiTotals: { received: kpi.totals.received, responded: kpi.totals.responded, closed: kpi.totals.closed, reopened: kpi.totals.reopened, escalations: kpi.totals.escalations, openNow },
        expected: {
          received: cases.filter((c) => inRange(c.receivedAt)).length,
          responded: cycles.filter((cy) => inRange(cy.respondedAt)).length,
          closed: cycles.filter((cy) => inRange(cy.closedAt)).length,
          reopened: cycles.filter((cy) => cy.n > 1 && inRange(cy.startedAt)).length,
        },
        controlScore: { total: score.total, band: score.band },
      });
    }
  } finally {
    await dynamo.stop();
  }

  const readUnitSource = reports.some((r) => r.readUnits > 0) ? 'DynamoDB ConsumedCapacity' : 'estimated from item sizes';
  const consumedCapacityReturned = readUnitSource === 'DynamoDB ConsumedCapacity';
  if (!consumedCapacityReturned) for (const r of reports) r.readUnits = r.estimatedReadUnits;

  const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 3) : Number.NaN);
  const ratios: RatioFigures[] = REPORTS.map((def) => {
    const sm = reports.find((r) => r.id === def.id && r.table === 'small')!;
    const lg = reports.find((r) => r.id === def.id && r.table === 'large')!;
    const ru = (r: ReportFigures, part: keyof CostSplit) => (consumedCapacityReturned ? r.split[part].readUnits : Number.NaN);
    return {
      id: def.id,
      title: def.title,
      latencyMedianRatio: ratio(lg.latencyMs.median, sm.latencyMs.median),
      readUnitRatio: ratio(lg.readUnits, sm.readUnits),
      requestRatio: ratio(lg.requests, sm.requests),
      openBoardReadUnitRatio: ratio(ru(lg, 'openBoard'), ru(sm, 'openBoard')),
      periodReadUnitRatio: ratio(ru(lg, 'periods'), ru(sm, 'periods')),
    };
  });

  const wrongCounts = datasets.filter((d) => d.kpiTotals.received !== d.expected.received || d.kpiTotals.responded !== d.expected.responded || d.kpiTotals.closed !== d.expected.closed || d.kpiTotals.reopened !== d.expected.reopened);
  checks.push({
    name: 'reports: the KPI totals match the generated cases (received, responded, closed, reopened: each case projected exactly once)',
    ok: datasets.length === 2 && wrongCounts.length === 0,
    hard: true,
    detail: wrongCounts.length
      ? wrongCounts.map((d) => `${d.table}: ${JSON.stringify(d.kpiTotals)} vs expected ${JSON.stringify(d.expected)}`).join('; ')
      : datasets.map((d) => `${d.table}: ${d.kpiTotals.received.toLocaleString('en-GB')} received, ${d.kpiTotals.responded.toLocaleString('en-GB')} responded, ${d.kpiTotals.closed.toLocaleString('en-GB')} closed`).join('; '),
  });
  const fmtRatios = (pick: (r: RatioFigures) => number) => ratios.map((r) => `${r.id} ${pick(r).toFixed(2)}×`).join(', ');
  checks.push({
    name: `reports: read units at ${s.large.toLocaleString('en-GB')} ÷ ${s.small.toLocaleString('en-GB')} cases ≤ ${s.ratioGoal}× (KPIs, KPIs by regime, control score)`,
    ok: ratios.every((r) => r.readUnitRatio <= s.ratioGoal),
    hard: false,
    detail: `${fmtRatios((r) => r.readUnitRatio)} (${readUnitSource}); requests ${fmtRatios((r) => r.requestRatio)}`,
  });
  checks.push({
    name: `reports: median latency at ${s.large.toLocaleString('en-GB')} ÷ ${s.small.toLocaleString('en-GB')} cases ≤ ${s.ratioGoal}× (KPIs, KPIs by regime, control score)`,
    ok: ratios.every((r) => r.latencyMedianRatio <= s.ratioGoal),
    hard: false,
    detail: fmtRatios((r) => r.latencyMedianRatio),
  });

  return {
    settings: s,
    node: process.version,
    generation: { cases: all.length, ms: round(genMs, 0), validated: sample.length },
    consumedCapacityReturned,
    readUnitSource,
    seeding,
    datasets,
    reports,
    ratios,
    standInProbe,
    checks,
    durationS: round((performance.now() - t0) / 1000, 1),
  };
};

// ── Report ────────────────────────────────────────────────────────────────────────────────────

/** The report tables (printed standalone, and by bench/run.ts in its Results section). */
export const reportsReport = (r: ReportBenchResult): string => {
  const s = r.settings;
  const n = (x: number) => x.toLocaleString('en-GB');
  const lines = [
    `Reports: projection throughput (stream records, one MODIFY per case, batches of ${s.batchSize}, ${s.concurrency} shards at once; DynamoDB Local in memory)`,
    table(
      ['table', 'cases', 'path', 'records/s overall', 'records/s per batch p50', 'p10', 'p90', 'ms per batch p50', 'p90', 'max', 'wall s', 'redeliveries', 'failed'],
      r.seeding.map((f) => [f.table, n(f.cases), f.path, n(f.overallRecordsPerS), n(f.batchRecordsPerS.median), n(f.batchRecordsPerS.p10), n(f.batchRecordsPerS.p90), ms(f.batchMs.median), ms(f.batchMs.p90), ms(f.batchMs.max), f.wallS, f.retriedBatches, f.failedRecords]),
    ),
    ...r.seeding.flatMap((f) => (f.failedCases.length ? [`  ✗ ${f.table}: ${f.failedCases.length} case(s) not projected: ${f.failedCases.slice(0, 5).map((x) => `${x.caseId} (${x.reason.slice(0, 160)})`).join('; ')}`] : [])),
    '',
    `Reports: latency and read cost, ${s.reportFrom} … ${s.reportTo} at ${s.now} (${s.runs} runs each after ${s.warmupRuns} warm-ups, small and large interleaved); read units: ${r.readUnitSource}`,
    table(
      ['report', 'cases', 'p50 ms', 'p90 ms', 'RCU', 'requests', 'RCU months', 'RCU open board', 'items months', 'items open board', 'KB read', 'RCU estimate'],
      r.reports.map((x) => [x.title, n(x.cases), ms(x.latencyMs.median), ms(x.latencyMs.p90), x.readUnits, x.requests, x.split.periods.readUnits, x.split.openBoard.readUnits, x.items.periods, x.items.openBoard, (x.items.bytes / 1024).toFixed(1), x.estimatedReadUnits]),
    ),
    '',
    `Reports: large ÷ small (${n(s.large)} ÷ ${n(s.small)} cases; goal ≤ ${s.ratioGoal}× for latency and read units)`,
    table(
      ['report', 'p50 latency ratio', 'RCU ratio', 'requests ratio', 'RCU months ratio', 'RCU open board ratio'],
      r.ratios.map((x) => [x.title, `${x.latencyMedianRatio.toFixed(2)}×`, `${x.readUnitRatio.toFixed(2)}×`, `${x.requestRatio.toFixed(2)}×`, Number.isFinite(x.periodReadUnitRatio) ? `${x.periodReadUnitRatio.toFixed(2)}×` : '–', Number.isFinite(x.openBoardReadUnitRatio) ? `${x.openBoardReadUnitRatio.toFixed(2)}×` : '–']),
    ),
    `Stand-in probe: one GetItem of the same item on each table, interleaved, ${r.standInProbe.runs} runs: small ${r.standInProbe.smallMedianMs} ms, large ${r.standInProbe.largeMedianMs} ms median (${Number.isFinite(r.standInProbe.ratio) ? r.standInProbe.ratio.toFixed(2) : '–'}×): what DynamoDB Local itself adds for the bigger table.`,
    '',
    'Reports: the data sets (generated) and what the KPI report says about them',
    table(
      ['table', 'cases', 'closed', 'not closed', 'open-board days', 'reopened', 'escalated', 'waived', 'approvals', 'compensation', 'received (KPI)', 'responded (KPI)', 'closed (KPI)', 'control score'],
      r.datasets.map((d) => [
        d.table,
        n(d.cases),
        n(d.mix.closed),
        n(d.mix.notClosed),
        d.mix.openBoardDays,
        n(d.mix.reopened),
        n(d.mix.escalated),
        n(d.mix.waived),
        n(d.mix.withApproval),
        Object.entries(d.mix.withCompensation).map(([c, k]) => `${c} ${n(k)}`).join(', '),
        n(d.kpiTotals.received),
        n(d.kpiTotals.responded),
        n(d.kpiTotals.closed),
        `${d.controlScore.total}/12`,
      ]),
    ),
  ];
  if (!r.consumedCapacityReturned) lines.push('  DynamoDB Local returned no ConsumedCapacity: read units are estimated from the items returned (per Query, total item bytes rounded up to 4 KB, × 0.5 for an eventually consistent read).');
  return lines.join('\n');
};

// Standalone: `npx tsx bench/reports.ts [--json FILE] [--no-report]`.
if (require.main === module) {
  if (process.argv.includes(SEED_CHILD_FLAG)) {
    runSeedChild().catch((err: unknown) => {
      process.stderr.write(`✗ reports seeding shard failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    });
  } else runStandalone('reports', runReportBench, reportsReport);
}
