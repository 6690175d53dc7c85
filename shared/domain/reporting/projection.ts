// The reporting projection (control 6): what one case contributes to the pre-aggregated counters the reports read.
// Pure: a function of the case item alone, so the stream consumer (applying the difference between what a case
// contributed before and what it contributes now) and a rebuild (summing every case) reach the same counters.
//
// Counter items are addressed by a scope (the DynamoDB partition: a period, the open-case board, a regime's return)
// and a sort key (a dimension value, a day, a month). Periods are days and months in the organisation's time zone.
import type { Case, Cycle } from '#schemas/complaint';
import type { ReportDimension, ReportingConfig, ReviewRow } from '#schemas/reports';
import { caseResolution } from '../resolution';
import { triageCounters } from './triage-projection';
import { consolidatedCounters } from './consolidated-return';
import { localDateOf } from '../time-zone';

/** Metric name → amount. */
export type Counts = Record<string, number>;

/** Everything one case contributes: counter increments per item, and the one control-review row it owns. */
export interface Contributions {
  counters: Record<string, Counts>;
  rows: Record<string, ReviewRow>;
}

/** What has been applied for a case (kept on its marker): the counters, and a digest of each row it wrote. */
export interface AppliedContributions {
  counters: Record<string, Counts>;
  rows: Record<string, string>;
}

/** A short, stable digest of a row (FNV-1a over its JSON, 52 bits): enough to tell whether a row changed. */
export const rowDigest = (row: ReviewRow): string => {
  const json = JSON.stringify(row);
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < json.length; i++) h = ((h ^ BigInt(json.charCodeAt(i))) * 0x100000001b3n) & 0xfffffffffffffn;
  return h.toString(36);
};

export const appliedOf = (c: Contributions): AppliedContributions => ({
  counters: c.counters,
  rows: Object.fromEntries(Object.entries(c.rows).map(([k, r]) => [k, rowDigest(r)])),
});

/** What to change to go from one contribution to another: counter deltas, rows to write and rows to remove. */
export interface ContributionDelta {
  counters: Record<string, Counts>;
  put: Record<string, ReviewRow>;
  remove: string[];
}

export const KEY_SEPARATOR = ' ';
export const itemKey = (scope: string, sk: string): string => `${scope}${KEY_SEPARATOR}${sk}`;
export const splitKey = (key: string): { scope: string; sk: string } => {
  const i = key.indexOf(KEY_SEPARATOR);
  return { scope: key.slice(0, i), sk: key.slice(i + 1) };
};

// ---------- scopes and sort keys (one spelling, used by the projection and the readers) ----------

export type Granularity = 'D' | 'M';
export const scopes = {
  /**
   * Counters of one month or one day, one item per dimension value (`dimSk`). Day items written before issue 29 held
   * every value in one item (DAY_SK, attributes `dayAttr`); readers still fold those in (explodeDayItem).
   */
  period: (g: Granularity, period: string) => `${g}#${period}`,
  /**
   * Cases not closed (open-case age and overdue now): per dimension value a totals item (`openSk.total`) and one item
   * per month of receipt (`openSk.month`) holding a pair of attributes per day of that month. Reports read the totals
   * and the months of the last OPEN_BOARD_DAYS days only (at most three items per value): every older case is in the
   * oldest age bucket, so a report's reads stay bounded however many cases are open.
   */
  open: 'open',
  /** A regime's return figures, one item per month. */
  returns: (regime: string) => `ret#${regime}`,
  /** One row per case for the control review, newest receipt last. */
  recent: 'recent',
} as const;
export const dimSk = (dim: ReportDimension | 'all', value: string) => `${dim}#${value}`;
export const ALL_VALUE = '*';
/** Sort keys of the open-case board; a month item's key ends with its month (`YYYY-MM`). */
export const openSk = {
  total: (dim: ReportDimension | 'all', value: string) => `T#${dimSk(dim, value)}`,
  month: (dim: ReportDimension | 'all', value: string, month: string) => `M#${dimSk(dim, value)}#${month}`,
  isMonth: (sk: string) => sk.startsWith('M#'),
  /** Every month key of a dimension value from `month` on (an inclusive lower and upper bound). */
  monthsFrom: (dim: ReportDimension | 'all', value: string, month: string) => ({ from: `M#${dimSk(dim, value)}#${month}`, to: `M#${dimSk(dim, value)}#~` }),
} as const;
/** Open cases received this many days ago or earlier fall in the last age bucket (`over-56d`). */
export const OPEN_BOARD_DAYS = 56;
/** The open board's metrics: cases not closed, and of those, past their final deadline with the clock running. */
export const OPEN_METRICS = ['n', 'od'] as const;
export type OpenMetric = (typeof OPEN_METRICS)[number];
/**
 * The one item a day scope had before its items were split per dimension value (issue 29: every case change rewrote
 * it), and how its attributes name a dimension value's metric. Still read, so days projected before stay counted.
 */
export const DAY_SK = 'dims';
const DAY_ATTR_SEPARATOR = '|';
export const dayAttr = (sk: string, metric: string) => `${sk}${DAY_ATTR_SEPARATOR}${metric}`;
/** A day item's attributes as the per-value items a month has, for the values of one dimension. */
export const explodeDayItem = (counts: Counts, prefix: string): { sk: string; counts: Counts }[] => {
  const out = new Map<string, Counts>();
  for (const [attr, n] of Object.entries(counts)) {
    const i = attr.lastIndexOf(DAY_ATTR_SEPARATOR);
    if (i < 0) continue;
    const sk = attr.slice(0, i);
    if (!sk.startsWith(prefix)) continue;
    (out.get(sk) ?? out.set(sk, {}).get(sk)!)[attr.slice(i + 1)] = n;
  }
  return [...out].map(([sk, c]) => ({ sk, counts: c }));
};

/** A month-of-receipt item's attribute for one day (`<dd>|<metric>`), and the item's fixed shape: every day of any month. */
export const openDayAttr = (day: string, metric: OpenMetric) => dayAttr(day.slice(8, 10), metric);
const OPEN_MONTH_SHAPE = Array.from({ length: 31 }, (_, i) => String(i + 1).padStart(2, '0')).flatMap((dd) => OPEN_METRICS.map((m) => dayAttr(dd, m)));
/** A month-of-receipt item as day entries whose key ends with the ISO date (the days with open cases). */
export const explodeOpenMonth = (item: { sk: string; counts: Counts }): { sk: string; counts: Counts }[] =>
  explodeDayItem(item.counts, '')
    .filter((d) => (d.counts.n ?? 0) > 0)
    .map((d) => ({ sk: `${item.sk.slice(-7)}-${d.sk}`, counts: d.counts }));

export const DIMENSIONS = ['regime', 'category', 'product', 'channel', 'outcome'] as const satisfies readonly ReportDimension[];

// ---------- metrics ----------

/** The satisfaction scale of the feedback follow-up (1 very dissatisfied … 5 very satisfied). */
export const SATISFACTION_SCORES = [1, 2, 3, 4, 5] as const;

/** Days-to-resolve histogram buckets: whole days (rounded up) from the start of a cycle to its final response; the last is open-ended. */
export const DAY_BUCKETS = [0, 1, 2, 3, 4, 5, 6, 7, 10, 14, 21, 28, 35, 42, 49, 56, 70, 90, 120, 180, 365, Infinity] as const;
/** Approval turnaround buckets: whole hours (rounded up) from the proposal to its last approval decision. */
export const HOUR_BUCKETS = [1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 336, 720, Infinity] as const;
export const bucketName = (prefix: 'd' | 'h', upper: number) => `${prefix}${upper === Infinity ? 'max' : upper}`;
/** The bucket a value falls in: the first whose upper bound is ≥ the value. */
export const bucketOf = (buckets: readonly number[], value: number): number => buckets.find((b) => value <= b) ?? Infinity;

/**
 * Every metric of a period item, with what it counts and the timestamp that places it in a period. Period items are
 * written with every one of these present (zero until counted), so an item's size — and a report's read cost —
 * does not depend on how many cases it counts. Open-ended families (`cmp:<currency>`, `rc:<root cause>`) come on top.
 */
export const PERIOD_METRICS = {
  // Cohort: placed by the case's receipt (receivedAt).
  rcv: 'cases received',
  vul: 'received with the customer marked vulnerable',
  ackDue: 'received with an acknowledgement deadline (first cycle)',
  ackOk: 'acknowledged by that deadline',
  ho: 'handoffs of the cases received (owner changes after assignment)',
  hoNoReason: 'of those, handoffs recorded without a reason',
  noOwner: 'received cases without a named owner',
  clock: 'received cases whose deadline runs on an automated clock with checkpoints',
  escCase: 'received cases escalated at least once',
  risk: 'received cases that reached at-risk in some cycle (75 % checkpoint or a dependency blocked past its threshold)',
  riskHandled: 'of those, escalated or with a written decision not to escalate',
  escUnack: 'received cases with an escalation nobody acknowledged at any level',
  // Events: placed by when they happened.
  reo: 'reopens (a new cycle started)',
  esc: 'escalations raised',
  waiv: 'written decisions not to escalate',
  resp: 'final responses sent',
  respIn: 'final responses sent by the cycle’s deadline',
  up: 'final responses upholding the complaint',
  pup: 'final responses partially upholding it',
  nup: 'final responses not upholding it',
  respAp: 'final responses whose proposal needed approval',
  respApOk: 'of those, sent with every approval stage approved',
  clo: 'cycles closed',
  cloIn: 'closed cycles answered (final response, or closure) by the deadline',
  cloEv: 'closed cycles whose case has verified evidence and no upload left pending',
  cloRc: 'closed cycles whose case has a recorded root cause',
  cloOut: 'closed cycles with a final response (an outcome)',
  apr: 'proposals whose approvals concluded',
  aprOk: 'of those, approved',
  aprExp: 'of those, timed out at every approver level',
  // Honest metrics (issue 32; rules in #domain/honest-metrics). A marked case counts here only, by its receipt.
  mkSpam: 'received cases marked spam (in no other figure)',
  mkDup: 'received cases marked a duplicate of another case (in no other figure)',
  cloInact: 'of the cycles closed, closed for customer inactivity after a documented chase (not a resolution)',
  cloWdr: 'of the cycles closed, withdrawn by the customer (not a resolution)',
  fcrOf: 'cases whose first cycle closed resolved (placed by that closure)',
  fcr: 'of those, resolved at first contact: in the summary-resolution window or with the first final response, never reopened (ORG.FCR)',
  // Customer satisfaction: placed by when the answer arrived (feedback link after the final response).
  fbN: 'satisfaction answers received (feedback links answered)',
  fbSum: 'sum of their scores (1–5)',
  ...Object.fromEntries(SATISFACTION_SCORES.map((n) => [`fb${n}`, `satisfaction answers scoring ${n}`])),
  ...Object.fromEntries(DAY_BUCKETS.map((b) => [bucketName('d', b), `final responses ${b === Infinity ? 'after 365 days' : `within ${b} day(s)`} of the cycle start (histogram)`])),
  ...Object.fromEntries(HOUR_BUCKETS.map((b) => [bucketName('h', b), `approval turnarounds ${b === Infinity ? 'over 720 hours' : `within ${b} hour(s)`} (histogram)`])),
} as const satisfies Record<string, string>;
export type PeriodMetric = keyof typeof PERIOD_METRICS;
export const PERIOD_METRIC_NAMES = Object.keys(PERIOD_METRICS) as PeriodMetric[];
/**
 * The metrics an item of a scope carries from its first write (zero until counted), for the items reports read in
 * bulk: month items and the open board. Their size, and so a report's read cost, does not grow with the counts.
 */
export const fixedShapeOf = (scope: string, sk = ''): readonly string[] | undefined => {
  if (scope.startsWith(`${scopes.period('M', '')}`)) return PERIOD_METRIC_NAMES;
  if (scope !== scopes.open) return undefined;
  return openSk.isMonth(sk) ? OPEN_MONTH_SHAPE : OPEN_METRICS;
};

export const COMPENSATION_PREFIX = 'cmp:';
/** Cases received per business unit (REPORTING.businessUnits), the numerator of the normalised rates. */
export const BUSINESS_UNIT_PREFIX = 'bu:';
export const ROOT_CAUSE_PREFIX = 'rc:';
/** Money is counted in ten-thousandths (Money allows four decimals), exactly. */
export const MONEY_SCALE = 10_000;
export const toMinor = (amount: string): number => {
  const [units, frac = ''] = amount.split('.');
  return Number(units) * MONEY_SCALE + Number(frac.padEnd(4, '0'));
};
export const fromMinor = (minor: number): string => {
  const units = Math.floor(minor / MONEY_SCALE);
  const frac = String(minor % MONEY_SCALE).padStart(4, '0').replace(/0{1,2}$/, '');
  return `${units}.${frac.length < 2 ? frac.padEnd(2, '0') : frac}`;
};

/** Return figures (one item per regime and month), keyed `<metric>|<product group>|<category>`. */
export const RETURN_METRICS = {
  o: 'opened (a cycle started: receipt or reopen)',
  ro: 'of which reopened',
  c: 'closed (the cycle’s final response, or closure without one)',
  c3: 'closed within the summary-resolution window (UK: by close of business on the third business day)',
  c8: 'closed after that window and within 8 weeks of the cycle start',
  cx: 'closed more than 8 weeks after the cycle start',
  cd: 'closed by the regime’s deadline',
  u: 'closed with the complaint upheld or partially upheld',
  vo: 'opened for a customer marked vulnerable',
  vc: 'closed for a customer marked vulnerable',
  vu: 'upheld for a customer marked vulnerable',
} as const;
export type ReturnMetric = keyof typeof RETURN_METRICS;
export const returnAttr = (metric: ReturnMetric | `r:${string}`, productGroup: string, category: string) => `${metric}|${productGroup}|${category}`;
export const EIGHT_WEEKS_MS = 56 * 24 * 3_600_000;

// ---------- mapping ----------

const slug = (s: string): string =>
  s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 48) || 'unspecified';

/** The configured group a name belongs to (case-insensitive), or its slug when no group lists it. */
const grouper = (groups: Record<string, string[]>): ((name: string | undefined) => string) => {
  const index = new Map<string, string>();
  for (const [group, names] of Object.entries(groups)) for (const n of names) index.set(n.trim().toLowerCase(), group);
  return (name) => (name === undefined ? 'unspecified' : (index.get(name.trim().toLowerCase()) ?? slug(name)));
};

export interface Projector {
  readonly config: ReportingConfig;
  productGroup(product: string): string;
  /** The configured business unit a product group belongs to, if any. */
  businessUnit(productGroup: string): string | undefined;
  causeGroup(rootCauseCategory: string | undefined): string;
  /** The local day (YYYY-MM-DD) of an instant in the reporting time zone. */
  day(at: string): string;
}

export const projector = (config: ReportingConfig): Projector => {
  const product = grouper(config.productGroups);
  const cause = grouper(config.rootCauses);
  // Product groups come from case data: looked up in a Map, never used to index an object.
  const units = new Map<string, string>();
  for (const [unit, u] of Object.entries(config.businessUnits ?? {})) for (const g of u.productGroups) if (!units.has(g)) units.set(g, unit);
  return {
    config,
    productGroup: product,
    businessUnit: (g) => units.get(g),
    causeGroup: (c) => (c === undefined ? 'undetermined' : cause(c)),
    day: (at) => localDateOf(at, config.timeZone),
  };
};

// ---------- the contribution of one case ----------

const hoursBetween = (from: string, to: string) => Math.max(0, Math.ceil((Date.parse(to) - Date.parse(from)) / 3_600_000));
const daysBetween = (from: string, to: string) => Math.max(0, Math.ceil((Date.parse(to) - Date.parse(from)) / 86_400_000));

/** The latest outcome of the case: the decision of its last answered cycle, or `pending`. */
export const outcomeOf = (c: Case): string => {
  const last = c.cycles[c.cycles.length - 1];
  if (last?.closedAt && last.outcome && last.outcome !== 'resolved') return last.outcome;
  return [...c.cycles].reverse().find((cy) => cy.decision)?.decision ?? 'pending';
};

/** ORG.FCR: the first cycle closed resolved, in the summary-resolution window or with the first final response, and no reopen. */
export const firstContact = (c: Case, first: Cycle | undefined): { counted: boolean; resolved: boolean; at?: string } => {
  if (!first?.closedAt || (first.outcome ?? 'resolved') !== 'resolved') return { counted: false, resolved: false };
  const stop = first.respondedAt ?? first.stoppedAt ?? first.closedAt;
  const summary = Boolean(first.summaryResolutionEndsAt && stop <= first.summaryResolutionEndsAt) || Boolean(c.informalResolution);
  return { counted: true, resolved: c.cycles.length === 1 && (summary || Boolean(first.respondedAt)), at: first.closedAt };
};

/** The current cycle's facts fall back on the case-level fields for cases stored before cycles carried them. */
const cycleFacts = (c: Case, cy: Cycle, last: boolean): Cycle => {
  if (!last) return cy;
  const ackAt = c.acknowledgedAt && c.acknowledgedAt >= cy.startedAt ? c.acknowledgedAt : undefined;
  return {
    ...cy,
    ...(cy.acknowledgementDueAt === undefined && c.acknowledgementDueAt ? { acknowledgementDueAt: c.acknowledgementDueAt } : {}),
    ...(cy.acknowledgedAt === undefined && ackAt ? { acknowledgedAt: ackAt } : {}),
    ...(cy.summaryResolutionEndsAt === undefined && c.clock?.summaryResolutionEndsAt ? { summaryResolutionEndsAt: c.clock.summaryResolutionEndsAt } : {}),
    ...(cy.closedAt === undefined && c.closedAt ? { closedAt: c.closedAt } : {}),
    ...(cy.respondedAt === undefined && cy.reason === 'final_response' && cy.stoppedAt ? { respondedAt: cy.stoppedAt } : {}),
  };
};

/** Whether a cycle reached at-risk: the 75 % (or a later) checkpoint fired in it, or a blocked dependency raised it. */
const cycleAtRisk = (c: Case, cy: Cycle, last: boolean): boolean => {
  if (c.escalations.some((e) => e.trigger && 'cycle' in e.trigger && e.trigger.cycle === cy.n)) return true;
  if (c.waivers?.some((w) => w.cycle === cy.n)) return true;
  if (!last) return false;
  return c.checkpoints.some((k) => k.percent >= 75 && k.firedAt !== undefined) || (c.blockedDependencies ?? []).some((d) => d.raisedAt !== undefined);
};

/** The full review row of a case (what the control review shows for it). */
export const reviewRow = (c: Case, p: Projector): ReviewRow => {
  const cycles = c.cycles.map((cy, i) => cycleFacts(c, cy, i === c.cycles.length - 1));
  const last = cycles[cycles.length - 1];
  const breachFired = c.checkpoints.some((k) => k.percent === 100 && k.firedAt !== undefined);
  const missed = cycles.filter((cy, i) => {
    const stop = cy.respondedAt ?? cy.stoppedAt;
    if (stop) return Date.parse(stop) > Date.parse(cy.dueAt);
    return i === cycles.length - 1 && breachFired;
  }).length;
  const ev = c.evidenceCounts ?? { pending: 0, verified: 0, rejected: 0 };
  const r = caseResolution(c);
  return {
    caseId: c.id,
    reference: c.reference,
    status: c.status,
    regime: c.regime,
    category: c.category,
    productGroup: p.productGroup(c.product),
    ownerId: c.ownerId,
    receivedAt: c.receivedAt,
    finalResponseDueAt: c.finalResponseDueAt,
    cycles: cycles.length,
    missedDeadlines: missed,
    acknowledgedOnTime: cycles[0]?.acknowledgementDueAt ? Boolean(cycles[0].acknowledgedAt && cycles[0].acknowledgedAt <= cycles[0].acknowledgementDueAt) : null,
    handoffs: c.handoffCount,
    handoffsWithoutReason: c.handoffs.filter((h) => !h.reason.trim()).length,
    evidence: { ...ev, complete: ev.verified > 0 && ev.pending === 0 },
    approvals: r
      ? { required: r.stages, approved: r.approvedStages, status: r.status, ...(r.proposedAt && r.decidedAt ? { turnaroundHours: hoursBetween(r.proposedAt, r.decidedAt) } : {}) }
      : { required: 0, approved: 0, status: 'none' },
    escalations: c.escalations.length,
    waivers: c.waivers?.length ?? 0,
    reopenCount: c.reopenCount,
    outcome: outcomeOf(c),
    closedAt: last?.closedAt ?? null,
  };
};

/** What one case contributes to every counter item and to the control review. */
export const contributions = (c: Case, p: Projector): Contributions => {
  const counters: Record<string, Counts> = {};
  const dims: [ReportDimension | 'all', string][] = [
    ['all', ALL_VALUE],
    ['regime', c.regime],
    ['category', c.category],
    ['product', p.productGroup(c.product)],
    ['channel', c.channel],
    ['outcome', outcomeOf(c)],
  ];
  const add = (scope: string, sk: string, metric: string, n = 1) => {
    if (!n) return;
    const item = (counters[itemKey(scope, sk)] ??= {});
    item[metric] = (item[metric] ?? 0) + n;
  };
  /**
   * Counts a metric in the day and the month of `at`, under every dimension value of the case: one item per dimension
   * value in each (day items are read only at a range's ragged ends). No item holds every value, so no item is written
   * by every case change beside `all#*`, which holds one value's metrics.
   */
  const count = (at: string, metric: string, n = 1) => {
    const day = p.day(at);
    for (const [dim, value] of dims) {
      add(scopes.period('M', day.slice(0, 7)), dimSk(dim, value), metric, n);
      add(scopes.period('D', day), dimSk(dim, value), metric, n);
    }
  };

  const cycles = c.cycles.map((cy, i) => cycleFacts(c, cy, i === c.cycles.length - 1));
  const first = cycles[0];
  const lastCycle = cycles[cycles.length - 1];
  const ev = c.evidenceCounts ?? { pending: 0, verified: 0, rejected: 0 };
  const productGroup = p.productGroup(c.product);
  const cause = p.causeGroup(c.rootCause?.category);
  const at = c.receivedAt;

  // Spam is no complaint and a duplicate is counted under its original (HM.DISP.COMPLAINT): a marked case counts as
  // marked and nowhere else — not in the KPIs, the open board, the returns or the control review. Unmarking restores
  // every figure, since this is a function of the case as it is now. Triage quality still sees it (the model's input).
  if (c.marking) {
    count(at, c.marking.kind === 'spam' ? 'mkSpam' : 'mkDup');
    addInto(counters, triageCounters(c, p));
    return { counters, rows: {} };
  }

  // Cohort, by receipt.
  count(at, 'rcv');
  const unit = p.businessUnit(productGroup);
  if (unit !== undefined) count(at, `${BUSINESS_UNIT_PREFIX}${unit}`);
  if (c.vulnerable) count(at, 'vul');
  if (first?.acknowledgementDueAt) {
    count(at, 'ackDue');
    if (first.acknowledgedAt && first.acknowledgedAt <= first.acknowledgementDueAt) count(at, 'ackOk');
  }
  count(at, 'ho', c.handoffCount);
  count(at, 'hoNoReason', c.handoffs.filter((h) => !h.reason.trim()).length);
  if (!c.ownerId.trim()) count(at, 'noOwner');
  if (c.clock && c.checkpoints.length > 0) count(at, 'clock');
  if (c.escalations.length) count(at, 'escCase');
  const atRisk = cycles.filter((cy, i) => cycleAtRisk(c, cy, i === cycles.length - 1));
  if (atRisk.length) {
    count(at, 'risk');
    /** The cycle an escalation belongs to: its trigger's, or the one running when it was raised (manual, override). */
    const cycleOf = (e: Case['escalations'][number]): number =>
      e.trigger && 'cycle' in e.trigger ? e.trigger.cycle : ([...cycles].reverse().find((cy) => cy.startedAt <= e.at)?.n ?? 1);
    const handled = atRisk.every((cy) => c.escalations.some((e) => cycleOf(e) === cy.n) || c.waivers?.some((w) => w.cycle === cy.n));
    if (handled) count(at, 'riskHandled');
  }
  if (c.escalations.some((e) => e.status === 'unacknowledged')) count(at, 'escUnack');

  // Events.
  for (const e of c.escalations) count(e.at, 'esc');
  for (const w of c.waivers ?? []) count(w.waivedAt, 'waiv');
  const r = caseResolution(c);
  for (const [i, cy] of cycles.entries()) {
    const isLast = i === cycles.length - 1;
    if (cy.n > 1) count(cy.startedAt, 'reo');
    if (cy.respondedAt) {
      count(cy.respondedAt, 'resp');
      if (cy.respondedAt <= cy.dueAt) count(cy.respondedAt, 'respIn');
      if (cy.decision) count(cy.respondedAt, { upheld: 'up', partially_upheld: 'pup', not_upheld: 'nup' }[cy.decision]);
      if (cy.compensation) count(cy.respondedAt, `${COMPENSATION_PREFIX}${cy.compensation.currency}`, toMinor(cy.compensation.amount));
      count(cy.respondedAt, bucketName('d', bucketOf(DAY_BUCKETS, daysBetween(cy.startedAt, cy.respondedAt))));
      if (isLast && r && r.stages > 0 && r.status !== 'superseded') {
        count(cy.respondedAt, 'respAp');
        if (r.approvedStages === r.stages) count(cy.respondedAt, 'respApOk');
      }
    }
    if (cy.closedAt) {
      count(cy.closedAt, 'clo');
      const stop = cy.respondedAt ?? cy.stoppedAt ?? cy.closedAt;
      if (stop <= cy.dueAt) count(cy.closedAt, 'cloIn');
      if (cy.respondedAt) count(cy.closedAt, 'cloOut');
      // The evidence record and the root cause are the case's (one record across its cycles).
      if (ev.verified > 0 && ev.pending === 0) count(cy.closedAt, 'cloEv');
      if (c.rootCause) count(cy.closedAt, 'cloRc');
      count(cy.closedAt, `${ROOT_CAUSE_PREFIX}${cause}`);
      if (cy.outcome === 'closed_inactive') count(cy.closedAt, 'cloInact');
      if (cy.outcome === 'withdrawn') count(cy.closedAt, 'cloWdr');
    }
  }
  const fc = firstContact(c, first);
  if (fc.counted && fc.at) {
    count(fc.at, 'fcrOf');
    if (fc.resolved) count(fc.at, 'fcr');
  }
  if (r && r.stages > 0 && r.proposedAt && r.decidedAt) {
    count(r.decidedAt, 'apr');
    if (r.status === 'approved' || (r.status === 'superseded' && r.approvedStages === r.stages)) count(r.decidedAt, 'aprOk');
    if (r.expired) count(r.decidedAt, 'aprExp');
    count(r.decidedAt, bucketName('h', bucketOf(HOUR_BUCKETS, hoursBetween(r.proposedAt, r.decidedAt))));
  }

  // Satisfaction answers (every cycle's follow-up), by when each arrived.
  for (const f of c.feedback ?? []) {
    if (!f.response) continue;
    count(f.response.receivedAt, 'fbN');
    count(f.response.receivedAt, 'fbSum', f.response.score);
    count(f.response.receivedAt, `fb${f.response.score}`);
  }

  // The open-case board: per dimension value, its totals and its day of receipt (an attribute pair of the month's item).
  if (c.status !== 'closed') {
    const day = p.day(c.receivedAt);
    const overdue = !lastCycle?.stoppedAt && c.checkpoints.some((k) => k.percent === 100 && k.firedAt !== undefined);
    const metrics: OpenMetric[] = overdue ? ['n', 'od'] : ['n'];
    for (const [dim, value] of dims) {
      const total = openSk.total(dim, value);
      const month = openSk.month(dim, value, day.slice(0, 7));
      for (const m of metrics) {
        add(scopes.open, total, m);
        add(scopes.open, month, openDayAttr(day, m));
      }
    }
  }

  // The regime's return: every cycle opened and closed, by product group and category.
  const ret = scopes.returns(c.regime);
  for (const cy of cycles) {
    const month = p.day(cy.startedAt).slice(0, 7);
    add(ret, `M#${month}`, returnAttr('o', productGroup, c.category));
    if (cy.n > 1) add(ret, `M#${month}`, returnAttr('ro', productGroup, c.category));
    if (c.vulnerable) add(ret, `M#${month}`, returnAttr('vo', productGroup, c.category));
    const stop = cy.respondedAt ?? cy.closedAt;
    if (!stop) continue;
    const closedMonth = `M#${p.day(stop).slice(0, 7)}`;
    const elapsed = Date.parse(stop) - Date.parse(cy.startedAt);
    const closed = (m: ReturnMetric | `r:${string}`, n = 1) => add(ret, closedMonth, returnAttr(m, productGroup, c.category), n);
    closed('c');
    if (cy.summaryResolutionEndsAt && stop <= cy.summaryResolutionEndsAt) closed('c3');
    else if (elapsed <= EIGHT_WEEKS_MS) closed('c8');
    else closed('cx');
    if (stop <= cy.dueAt) closed('cd');
    const upheld = cy.decision === 'upheld' || cy.decision === 'partially_upheld';
    if (upheld) closed('u');
    if (c.vulnerable) {
      closed('vc');
      if (upheld) closed('vu');
    }
    if (cy.compensation) closed(`r:${cy.compensation.currency}`, toMinor(cy.compensation.amount));
  }

  // The FCA consolidated return (PS25/19): the same cycles by product group and root-cause group, with both
  // vulnerability data points and redress by component, for the regimes it covers (see ./consolidated-return).
  if (p.config.consolidatedReturn.regimes.includes(c.regime)) addInto(counters, consolidatedCounters(c, cycles, p));

  // Triage quality and bias counters (their own partitions; see ./triage-report).
  addInto(counters, triageCounters(c, p));

  return { counters, rows: { [itemKey(scopes.recent, `${c.receivedAt}#${c.id}`)]: reviewRow(c, p) } };
};

export const EMPTY_CONTRIBUTIONS: AppliedContributions = { counters: {}, rows: {} };

/** The changes that turn the counters from `before` (what was applied) into `after`. */
export const diffContributions = (before: AppliedContributions, after: Contributions): ContributionDelta => {
  const counters: Record<string, Counts> = {};
  for (const key of new Set([...Object.keys(before.counters), ...Object.keys(after.counters)])) {
    const b = before.counters[key] ?? {};
    const a = after.counters[key] ?? {};
    for (const m of new Set([...Object.keys(b), ...Object.keys(a)])) {
      const d = (a[m] ?? 0) - (b[m] ?? 0);
      if (d) (counters[key] ??= {})[m] = d;
    }
  }
  const put: Record<string, ReviewRow> = {};
  for (const [key, row] of Object.entries(after.rows)) if (before.rows[key] !== rowDigest(row)) put[key] = row;
  const remove = Object.keys(before.rows).filter((k) => !after.rows[k]);
  return { counters, put, remove };
};

export const isEmptyDelta = (d: ContributionDelta): boolean => !Object.keys(d.counters).length && !Object.keys(d.put).length && !d.remove.length;

/** Sums contributions (a rebuild adds up every case). */
export const addInto = (total: Record<string, Counts>, more: Record<string, Counts>): Record<string, Counts> => {
  for (const [key, counts] of Object.entries(more)) {
    const t = (total[key] ??= {});
    for (const [m, n] of Object.entries(counts)) t[m] = (t[m] ?? 0) + n;
  }
  return total;
};
