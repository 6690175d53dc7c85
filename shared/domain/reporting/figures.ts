// Reports from counters: the range a report covers (as the periods whose counter items it reads), the KPIs, the
// 0–12 control score and the control review summary. Pure: the service reads the items and hands them in.
import type { ControlItem, ControlScore, ControlScoreThresholds, KpiReport, KpiSet, ReportDimension, ReviewRow, ControlReview } from '#schemas/reports';
import { CONTROL_BANDS, OPEN_AGE_BUCKETS } from '#schemas/reports';
import { InvalidInputError } from '../errors';
import { civilDay, lastOfMonth, localDateOf, nextMonth, plusDays, plusYears } from '../time-zone';
import { BUSINESS_UNIT_PREFIX, COMPENSATION_PREFIX, DAY_BUCKETS, HOUR_BUCKETS, OPEN_BOARD_DAYS, ROOT_CAUSE_PREFIX, SATISFACTION_SCORES, bucketName, fromMinor, scopes, type Counts } from './projection';

/** The longest range a report may cover. */
export const MAX_RANGE_YEARS = 5;

export interface ReportRange {
  from: string;
  to: string;
  /** The counter scopes covering it: whole months as month items, the rest as day items. */
  scopes: string[];
}

/** Resolves and checks a range of whole days (inclusive) in the organisation time zone. */
export const reportRange = (q: { from?: string | undefined; to?: string | undefined }, now: string, timeZone: string, defaultDays: number): ReportRange => {
  // Whole local days as calendar dates (YYYY-MM-DD, compared as strings): only today depends on the zone.
  const to = q.to ?? localDateOf(now, timeZone);
  const from = q.from ?? plusDays(to, -(defaultDays - 1));
  if (from > to) throw new InvalidInputError('the range is empty: from is after to', [{ field: 'query.from', message: `must not be after to (${to})` }]);
  if (to > plusYears(from, MAX_RANGE_YEARS)) {
    throw new InvalidInputError(`the range is longer than ${MAX_RANGE_YEARS} years`, [{ field: 'query.to', message: `must be within ${MAX_RANGE_YEARS} years of from` }]);
  }
  const out: string[] = [];
  for (let month = `${from.slice(0, 7)}-01`; month <= to; month = nextMonth(month)) {
    const first = month;
    const last = lastOfMonth(month);
    if (first >= from && last <= to) {
      out.push(scopes.period('M', month.slice(0, 7)));
      continue;
    }
    for (let d = first < from ? from : first; d <= last && d <= to; d = plusDays(d, 1)) out.push(scopes.period('D', d));
  }
  return { from, to, scopes: out };
};

const rate = (count: number, of: number) => ({ count, of, rate: of ? Math.round((count / of) * 10_000) / 10_000 : null });

/** Nearest-rank quantile over a histogram, as the upper bound of the bucket it falls in (the open last bucket: its lower bound). */
const quantile = (counts: Counts, prefix: 'd' | 'h', buckets: readonly number[], q: number): { total: number; value: number | null } => {
  const total = buckets.reduce((s, b) => s + (counts[bucketName(prefix, b)] ?? 0), 0);
  if (!total) return { total, value: null };
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [i, b] of buckets.entries()) {
    seen += counts[bucketName(prefix, b)] ?? 0;
    if (seen >= rank) return { total, value: b === Infinity ? (buckets[i - 1] ?? 0) : b };
  }
  return { total, value: null };
};
const distribution = (counts: Counts, prefix: 'd' | 'h', buckets: readonly number[]) => {
  const median = quantile(counts, prefix, buckets, 0.5);
  return { count: median.total, median: median.value, p90: quantile(counts, prefix, buckets, 0.9).value };
};

const amounts = (counts: Counts, prefix: string) =>
  Object.entries(counts)
    .filter(([k, n]) => k.startsWith(prefix) && n)
    .map(([k, n]) => ({ currency: k.slice(prefix.length), amount: fromMinor(n) }))
    .sort((a, b) => a.currency.localeCompare(b.currency));

export const sumCounts = (items: Iterable<Counts>): Counts => {
  const out: Counts = {};
  for (const c of items) for (const [k, n] of Object.entries(c)) out[k] = (out[k] ?? 0) + n;
  return out;
};

const n = (c: Counts, k: string) => c[k] ?? 0;

/** Open-case age and overdue-now figures of one dimension value (or of every case). */
export interface OpenFigures {
  openAge: KpiSet['openAge'];
  overdueNow: number;
}

/** The first day of receipt the open board is read by day (the cases received before it are all over 56 days old). */
export const openBoardSince = (now: string, timeZone: string): string =>
  plusDays(localDateOf(now, timeZone), -OPEN_BOARD_DAYS);

/**
 * From a dimension value's open-board totals and its days of receipt read (keys end with the ISO date; at least those
 * since `openBoardSince`): each day's cases go to their age bucket, and whatever the totals hold beyond the days read
 * is over 56 days old.
 */
export const openFigures = (total: Counts | undefined, days: { sk: string; counts: Counts }[], now: string, timeZone: string): OpenFigures => {
  // Ages are whole calendar days in the organisation's zone: today's local date once, then plain date arithmetic per
  // day (a zoned date-time per day cost ~0.15 ms each, which a dense board of 9 values × 90 days turned into 120 ms).
  const today = civilDay(localDateOf(now, timeZone));
  const openAge = Object.fromEntries(OPEN_AGE_BUCKETS.map((b) => [b, 0])) as KpiSet['openAge'];
  let recent = 0;
  for (const { sk, counts } of days) {
    const age = Math.max(0, today - civilDay(sk.slice(-10)));
    const bucket = age <= 7 ? '0-7d' : age <= 14 ? '8-14d' : age <= 28 ? '15-28d' : age <= OPEN_BOARD_DAYS ? '29-56d' : 'over-56d';
    openAge[bucket] += n(counts, 'n');
    recent += n(counts, 'n');
  }
  openAge['over-56d'] += Math.max(0, n(total ?? {}, 'n') - recent);
  return { openAge, overdueNow: n(total ?? {}, 'od') };
};

/** Every KPI from the summed counters of a range (and the open board). */
export const kpiSet = (c: Counts, open: OpenFigures): KpiSet => {
  const upheld = n(c, 'up');
  const partially = n(c, 'pup');
  return {
    received: n(c, 'rcv'),
    acknowledgedOnTime: rate(n(c, 'ackOk'), n(c, 'ackDue')),
    responded: n(c, 'resp'),
    respondedWithinDeadline: rate(n(c, 'respIn'), n(c, 'resp')),
    closed: n(c, 'clo'),
    closedWithinDeadline: rate(n(c, 'cloIn'), n(c, 'clo')),
    daysToResolve: distribution(c, 'd', DAY_BUCKETS),
    openAge: open.openAge,
    overdueNow: open.overdueNow,
    reopened: n(c, 'reo'),
    reopenRate: rate(n(c, 'reo'), n(c, 'clo')),
    escalationRate: rate(n(c, 'escCase'), n(c, 'rcv')),
    escalations: n(c, 'esc'),
    waivers: n(c, 'waiv'),
    handoffs: n(c, 'ho'),
    handoffsPerCase: n(c, 'rcv') ? Math.round((n(c, 'ho') / n(c, 'rcv')) * 100) / 100 : null,
    approvals: { concluded: n(c, 'apr'), approved: n(c, 'aprOk'), timedOut: n(c, 'aprExp'), turnaroundHours: distribution(c, 'h', HOUR_BUCKETS) },
    outcomes: { upheld, partiallyUpheld: partially, notUpheld: n(c, 'nup') },
    upholdRate: rate(upheld + partially, n(c, 'resp')),
    compensationPaid: amounts(c, COMPENSATION_PREFIX),
    vulnerableShare: rate(n(c, 'vul'), n(c, 'rcv')),
    marked: { spam: n(c, 'mkSpam'), duplicate: n(c, 'mkDup') },
    resolved: n(c, 'clo') - n(c, 'cloInact') - n(c, 'cloWdr'),
    closedInactive: n(c, 'cloInact'),
    withdrawn: n(c, 'cloWdr'),
    firstContactResolution: rate(n(c, 'fcr'), n(c, 'fcrOf')),
    satisfaction: satisfaction(c),
  };
};

/** Complaints per 1,000 customers and accounts of each configured business unit, from the range's summed counters. */
export const normalisedVolumes = (c: Counts, units: Readonly<Record<string, { customers?: number | undefined; accounts?: number | undefined }>>): KpiReport['normalised'] =>
  Object.entries(units)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([unit, u]) => {
      const received = n(c, `${BUSINESS_UNIT_PREFIX}${unit}`);
      const per = (d: number | undefined) => (d ? Math.round((received / d) * 1000 * 100) / 100 : null);
      return { unit, received, customers: u.customers ?? null, accounts: u.accounts ?? null, per1000Customers: per(u.customers), per1000Accounts: per(u.accounts) };
    });

/** Satisfaction answers in the range: how many, the mean score (2 decimals) and the count per score. */
const satisfaction = (c: Counts): KpiSet['satisfaction'] => {
  const responses = n(c, 'fbN');
  return {
    responses,
    meanScore: responses ? Math.round((n(c, 'fbSum') / responses) * 100) / 100 : null,
    distribution: Object.fromEntries(SATISFACTION_SCORES.map((s) => [String(s), n(c, `fb${s}`)])) as KpiSet['satisfaction']['distribution'],
  };
};

/** Top causes per month, from the counters of each scope (day scopes fold into their month). */
export const rootCauseTrend = (byScope: { scope: string; counts: Counts }[], top = 5): KpiReport['rootCauseTrend'] => {
  const months = new Map<string, Counts>();
  for (const { scope, counts } of byScope) {
    const month = scope.slice(2, 9);
    const m = months.get(month) ?? months.set(month, {}).get(month)!;
    for (const [k, v] of Object.entries(counts)) if (k.startsWith(ROOT_CAUSE_PREFIX) && v) m[k] = (m[k] ?? 0) + v;
  }
  return [...months]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, counts]) => ({
      month,
      causes: Object.entries(counts)
        .map(([k, count]) => ({ cause: k.slice(ROOT_CAUSE_PREFIX.length), count }))
        .sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause))
        .slice(0, top),
    }));
};

export const emptyGroupBy = (groupBy: ReportDimension | undefined) => groupBy ?? null;

// ---------- the control score ----------

const pct = (x: number) => `${Math.round(x * 100)} %`;
const share = (count: number, of: number): number | null => (of ? count / of : null);

/**
 * The seed's six items, each 0–2, from the counters of the cases received (cohort items) or closed/answered
 * (outcome items) in the range. Each rule is stated next to its score, with the thresholds it used.
 */
export const controlScore = (c: Counts, t: ControlScoreThresholds, range: { from: string; to: string; timeZone: string; asOf: string }): ControlScore => {
  const items: ControlItem[] = [];
  const received = n(c, 'rcv');
  const closed = n(c, 'clo');

  // 1. Ownership: always named and visible (2), weak after handoff (1), unclear (0).
  {
    const perCase = received ? n(c, 'ho') / received : 0;
    const measured = { received, withoutOwner: n(c, 'noOwner'), handoffs: n(c, 'ho'), handoffsWithoutReason: n(c, 'hoNoReason'), handoffsPerCase: received ? Math.round(perCase * 100) / 100 : null };
    const [score, rule] =
      received === 0
        ? ([0, 'no case received in the range: nothing shows ownership'] as const)
        : n(c, 'noOwner') > 0
          ? ([0, `${n(c, 'noOwner')} case(s) received without a named owner`] as const)
          : n(c, 'hoNoReason') > 0 || perCase > t.handoffsPerCase
            ? ([1, `every case had a named owner, but ${n(c, 'hoNoReason') > 0 ? `${n(c, 'hoNoReason')} handoff(s) have no reason` : `handoffs per case ${perCase.toFixed(2)} > ${t.handoffsPerCase}`} (weak after handoff)`] as const)
            : ([2, `every case received had a named owner from intake and every handoff has a reason (handoffs per case ≤ ${t.handoffsPerCase})`] as const);
    items.push({ item: 'ownership', score, rule, measured });
  }

  // 2. Deadline control: automated with alerts and kept (2), visible but weak (1), manual (0).
  {
    const automated = n(c, 'clock');
    const compliance = share(n(c, 'cloIn'), closed);
    const ack = share(n(c, 'ackOk'), n(c, 'ackDue'));
    const measured = { received, automatedClocks: automated, closed, closedWithinDeadline: n(c, 'cloIn'), deadlineCompliance: compliance, acknowledgedOnTime: ack };
    const kept = (x: number | null, target: number) => x === null || x >= target;
    const [score, rule] =
      received === 0 || automated < received
        ? ([0, received === 0 ? 'no case received in the range' : `${received - automated} case(s) received without an automated clock and checkpoints (manual tracking)`] as const)
        : kept(compliance, t.deadlineCompliance) && kept(ack, t.deadlineCompliance)
          ? ([2, `every case ran on an automated clock with checkpoint alerts, and deadlines were kept (closed within deadline and acknowledged on time ≥ ${pct(t.deadlineCompliance)})`] as const)
          : kept(compliance, t.deadlineFloor) && kept(ack, t.deadlineFloor)
            ? ([1, `clocks and alerts are automated, but deadline compliance (${compliance === null ? '—' : pct(compliance)}) or acknowledgement (${ack === null ? '—' : pct(ack)}) is below ${pct(t.deadlineCompliance)} (visible but weak)`] as const)
            : ([0, `deadline compliance below ${pct(t.deadlineFloor)}: the automated clocks are not controlling the outcome`] as const);
    items.push({ item: 'deadlineControl', score, rule, measured });
  }

  // 3. Evidence record: fully central and reviewable (2), mostly central (1), scattered (0).
  {
    const complete = share(n(c, 'cloEv'), closed);
    const measured = { closed, withCompleteEvidence: n(c, 'cloEv'), completeness: complete };
    const [score, rule] =
      closed === 0
        ? ([0, 'no case closed in the range: no evidence record to review'] as const)
        : n(c, 'cloEv') === closed
          ? ([2, 'every case closed in the range has verified evidence in its record and no upload left pending'] as const)
          : complete !== null && complete >= t.evidenceCompleteness
            ? ([1, `${pct(complete)} of closed cases have complete evidence (≥ ${pct(t.evidenceCompleteness)}: mostly central, but incomplete)`] as const)
            : ([0, `only ${complete === null ? '—' : pct(complete)} of closed cases have complete evidence (< ${pct(t.evidenceCompleteness)})`] as const);
    items.push({ item: 'evidenceRecord', score, rule, measured });
  }

  // 4. Escalation path: defined and triggered (2), informal (1), ad hoc (0).
  {
    const risk = n(c, 'risk');
    const handled = n(c, 'riskHandled');
    const coverage = share(handled, risk);
    const measured = { atRisk: risk, escalatedOrWaived: handled, coverage, unacknowledged: n(c, 'escUnack'), escalations: n(c, 'esc'), waivers: n(c, 'waiv') };
    const [score, rule] =
      received === 0
        ? ([0, 'no case received in the range'] as const)
        : handled === risk && n(c, 'escUnack') === 0
          ? ([2, risk ? 'every case that reached at-risk was escalated or has a written decision not to escalate, and every escalation was acknowledged' : 'no case reached at-risk; the escalation triggers are defined and armed on every clock'] as const)
          : coverage !== null && coverage >= t.escalationCoverage
            ? ([1, `${pct(coverage)} of at-risk cases were escalated or waived (≥ ${pct(t.escalationCoverage)})${n(c, 'escUnack') ? `; ${n(c, 'escUnack')} escalation(s) went unacknowledged` : ''}`] as const)
            : ([0, `only ${coverage === null ? '—' : pct(coverage)} of at-risk cases were escalated or waived (< ${pct(t.escalationCoverage)}): ad hoc`] as const);
    items.push({ item: 'escalationPath', score, rule, measured });
  }

  // 5. Approvals: rule-based and visible (2), for some cases only (1), inconsistent (0).
  {
    const needing = n(c, 'respAp');
    const approved = n(c, 'respApOk');
    const measured = { responsesNeedingApproval: needing, sentFullyApproved: approved, concluded: n(c, 'apr'), timedOut: n(c, 'aprExp') };
    const [score, rule] =
      approved < needing
        ? ([0, `${needing - approved} final response(s) went out without every required approval`] as const)
        : n(c, 'aprExp') > 0
          ? ([1, `every final response had its approvals, but ${n(c, 'aprExp')} proposal(s) timed out unanswered at every approver level`] as const)
          : ([2, needing ? 'every final response whose proposal met an approval rule was approved stage by stage (four eyes) before it went out' : 'the approval rules are applied to every proposal; none in the range needed approval'] as const);
    items.push({ item: 'approvals', score, rule, measured });
  }

  // 6. Reporting: deadline, outcome, escalation and root-cause visibility (2), basic SLA visibility (1), none (0).
  {
    const measured = { closed, withOutcome: n(c, 'cloOut'), withRootCause: n(c, 'cloRc') };
    const [score, rule] =
      closed === 0
        ? ([1, 'deadlines and escalations are visible, but no case closed in the range to show outcomes and root causes'] as const)
        : n(c, 'cloRc') === closed && n(c, 'cloOut') === closed
          ? ([2, 'every closed case reports its deadline, outcome and root cause, and escalations are counted'] as const)
          : ([1, `${closed - Math.min(n(c, 'cloRc'), n(c, 'cloOut'))} closed case(s) lack an outcome or a root cause: basic SLA visibility only`] as const);
    items.push({ item: 'reporting', score, rule, measured });
  }

  const total = items.reduce((s, i) => s + i.score, 0);
  const band = total <= 4 ? CONTROL_BANDS[0] : total <= 8 ? CONTROL_BANDS[1] : CONTROL_BANDS[2];
  const advice = {
    high_operational_risk: 'The process needs redesign soon.',
    partial_control: 'Prioritise ownership, deadlines and evidence first.',
    stable_foundation: 'Focus on refinement, prevention and trend analysis.',
  }[band];
  return { ...range, items, total, band, advice };
};

// ---------- the control review ----------

export const controlReview = (rows: ReviewRow[], last: number, asOf: string): ControlReview => {
  const needing = rows.filter((r) => r.approvals.required > 0);
  const visible = needing.filter((r) => r.approvals.status === 'approved' || r.approvals.status === 'rejected' || r.approvals.approved === r.approvals.required);
  const handoffs = rows.reduce((s, r) => s + r.handoffs, 0);
  return {
    asOf,
    last,
    cases: rows,
    summary: {
      cases: rows.length,
      withMissedDeadline: rows.filter((r) => r.missedDeadlines > 0).length,
      missedDeadlines: rows.reduce((s, r) => s + r.missedDeadlines, 0),
      handoffs,
      handoffsPerCase: rows.length ? Math.round((handoffs / rows.length) * 100) / 100 : null,
      evidenceComplete: rate(rows.filter((r) => r.evidence.complete).length, rows.length),
      approvalVisible: rate(visible.length, needing.length),
      reopenRate: rate(rows.filter((r) => r.reopenCount > 0).length, rows.length),
    },
  };
};
