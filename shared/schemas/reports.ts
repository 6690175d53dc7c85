// Report shapes.
import * as z from 'zod';
import { IsoTimestamp } from './common';
import { ReportDimension } from './reporting-options';

const Counts = {
  open: /* @__PURE__ */ z.number().int().meta({ description: 'Cases not closed (open, awaiting approval, resolved)' }),
  running: /* @__PURE__ */ z.number().int().meta({ description: 'Cases whose final-response clock runs (open, awaiting approval)' }),
  paused: /* @__PURE__ */ z.number().int().meta({ description: 'Running cases whose clock is paused' }),
  dueToday: /* @__PURE__ */ z.number().int().meta({ description: 'Running, not yet overdue, due by the end of today (organisation time zone)' }),
  dueThisWeek: /* @__PURE__ */ z.number().int().meta({ description: 'Running, not yet overdue, due by the end of this ISO week (Sunday), today included' }),
  atRisk: /* @__PURE__ */ z.number().int(),
  overdue: /* @__PURE__ */ z.number().int(),
};

export const DeadlineCounts = /* @__PURE__ */ z.object(Counts).meta({ id: 'DeadlineCounts' });
export type DeadlineCounts = z.infer<typeof DeadlineCounts>;

export const DeadlineBoard = /* @__PURE__ */ z
  .object({
    asOf: IsoTimestamp,
    timeZone: /* @__PURE__ */ z.string(),
    todayEndsAt: IsoTimestamp,
    weekEndsAt: IsoTimestamp,
    totals: DeadlineCounts,
    byOwner: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ ownerId: /* @__PURE__ */ z.string(), ...Counts })),
    byRegime: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ regime: /* @__PURE__ */ z.string(), ...Counts })),
  })
  .meta({ id: 'DeadlineBoard', description: 'Live deadline board: what is due today and this week, at risk and overdue, by owner and regime' });
export type DeadlineBoard = z.infer<typeof DeadlineBoard>;

// ---------- reporting beyond the backlog (control 6) ----------

// The organisation's reporting options live in reporting-options.ts: the configuration validates them at every cold
// start, and importing them there must not construct every report shape of this module (issue 28).
export * from './reporting-options';

/** One case in the control review (the seed's "review the last 20 formal complaints"). */
export const ReviewRow = /* @__PURE__ */ z
  .object({
    caseId: /* @__PURE__ */ z.string(),
    reference: /* @__PURE__ */ z.string(),
    status: /* @__PURE__ */ z.string(),
    regime: /* @__PURE__ */ z.string(),
    category: /* @__PURE__ */ z.string(),
    productGroup: /* @__PURE__ */ z.string(),
    ownerId: /* @__PURE__ */ z.string(),
    receivedAt: IsoTimestamp,
    finalResponseDueAt: IsoTimestamp,
    cycles: /* @__PURE__ */ z.number().int(),
    missedDeadlines: /* @__PURE__ */ z.number().int().meta({ description: 'Cycles answered after their deadline, plus the current one if its deadline passed unanswered' }),
    acknowledgedOnTime: /* @__PURE__ */ z.boolean().nullable().meta({ description: 'null when the regime sets no acknowledgement deadline' }),
    handoffs: /* @__PURE__ */ z.number().int(),
    handoffsWithoutReason: /* @__PURE__ */ z.number().int(),
    evidence: /* @__PURE__ */ z.object({ pending: /* @__PURE__ */ z.number().int(), verified: /* @__PURE__ */ z.number().int(), rejected: /* @__PURE__ */ z.number().int(), complete: /* @__PURE__ */ z.boolean().meta({ description: 'At least one verified file and none left pending' }) }),
    approvals: /* @__PURE__ */ z.object({
      required: /* @__PURE__ */ z.number().int().meta({ description: 'Approval stages the current proposal needed' }),
      approved: /* @__PURE__ */ z.number().int(),
      status: /* @__PURE__ */ z.string().meta({ description: 'The current proposal’s status, or none' }),
      turnaroundHours: /* @__PURE__ */ z.number().int().optional(),
    }),
    escalations: /* @__PURE__ */ z.number().int(),
    waivers: /* @__PURE__ */ z.number().int(),
    reopenCount: /* @__PURE__ */ z.number().int(),
    outcome: /* @__PURE__ */ z.string(),
    closedAt: /* @__PURE__ */ IsoTimestamp.nullable(),
  })
  .meta({ id: 'ControlReviewRow' });
export type ReviewRow = z.infer<typeof ReviewRow>;

const IsoDay = /* @__PURE__ */ z.iso.date().meta({ description: 'A day (YYYY-MM-DD) in the organisation time zone' });

/** A reporting range: whole days, both ends included, in the organisation time zone. */
export const ReportRangeQuery = /* @__PURE__ */ z
  .object({
    from: /* @__PURE__ */ IsoDay.optional().meta({ description: 'First day; default 29 days before `to` (KPIs) or 89 (control score)' }),
    to: /* @__PURE__ */ IsoDay.optional().meta({ description: 'Last day; default today' }),
  })
  .strict();
export const KpiQuery = /* @__PURE__ */ ReportRangeQuery.extend({
  groupBy: /* @__PURE__ */ ReportDimension.optional().meta({ description: 'Break every figure down by this dimension' }),
}).strict();
export type KpiQuery = z.infer<typeof KpiQuery>;
export const ControlReviewQuery = /* @__PURE__ */ z.object({ last: /* @__PURE__ */ z.coerce.number().int().min(1).max(100).default(20) }).strict();

const Rate = /* @__PURE__ */ z.object({ count: /* @__PURE__ */ z.number().int(), of: /* @__PURE__ */ z.number().int(), rate: /* @__PURE__ */ z.number().nullable().meta({ description: 'count ÷ of, 4 decimal places; null when of is 0' }) });
const Distribution = /* @__PURE__ */ z
  .object({
    count: /* @__PURE__ */ z.number().int(),
    median: /* @__PURE__ */ z.number().nullable(),
    p90: /* @__PURE__ */ z.number().nullable(),
  })
  .meta({ description: 'Nearest-rank median and 90th percentile over a histogram, reported as the upper bound of the bucket they fall in' });
const Amount = /* @__PURE__ */ z.object({ currency: /* @__PURE__ */ z.string(), amount: /* @__PURE__ */ z.string() });
export const OPEN_AGE_BUCKETS = ['0-7d', '8-14d', '15-28d', '29-56d', 'over-56d'] as const;

export const KpiSet = /* @__PURE__ */ z
  .object({
    received: /* @__PURE__ */ z.number().int(),
    acknowledgedOnTime: /* @__PURE__ */ Rate.meta({ description: 'Received cases acknowledged by their acknowledgement deadline (regimes that set one)' }),
    responded: /* @__PURE__ */ z.number().int().meta({ description: 'Final responses sent in the range' }),
    respondedWithinDeadline: Rate,
    closed: /* @__PURE__ */ z.number().int().meta({ description: 'Cycles closed in the range' }),
    closedWithinDeadline: /* @__PURE__ */ Rate.meta({ description: 'Closed cycles answered (final response, or closure) by their deadline' }),
    daysToResolve: /* @__PURE__ */ Distribution.meta({ description: 'Days (rounded up) from the start of a cycle to its final response, over the responses sent in the range' }),
    openAge: /* @__PURE__ */ z.record(/* @__PURE__ */ z.enum(OPEN_AGE_BUCKETS), /* @__PURE__ */ z.number().int()).meta({ description: 'Cases not closed now, by age since receipt (independent of the range)' }),
    overdueNow: /* @__PURE__ */ z.number().int().meta({ description: 'Cases whose final response is overdue now (breach checkpoint fired, not answered)' }),
    reopened: /* @__PURE__ */ z.number().int(),
    reopenRate: /* @__PURE__ */ Rate.meta({ description: 'Reopens in the range per cycle closed in the range' }),
    escalationRate: /* @__PURE__ */ Rate.meta({ description: 'Received cases escalated at least once' }),
    escalations: /* @__PURE__ */ z.number().int().meta({ description: 'Escalations raised in the range' }),
    waivers: /* @__PURE__ */ z.number().int().meta({ description: 'Written decisions not to escalate, in the range' }),
    handoffs: /* @__PURE__ */ z.number().int().meta({ description: 'Handoffs of the cases received in the range' }),
    handoffsPerCase: /* @__PURE__ */ z.number().nullable(),
    approvals: /* @__PURE__ */ z.object({
      concluded: /* @__PURE__ */ z.number().int(),
      approved: /* @__PURE__ */ z.number().int(),
      timedOut: /* @__PURE__ */ z.number().int(),
      turnaroundHours: Distribution,
    }),
    outcomes: /* @__PURE__ */ z.object({ upheld: /* @__PURE__ */ z.number().int(), partiallyUpheld: /* @__PURE__ */ z.number().int(), notUpheld: /* @__PURE__ */ z.number().int() }),
    upholdRate: /* @__PURE__ */ Rate.meta({ description: 'Final responses upholding the complaint fully or partially' }),
    compensationPaid: /* @__PURE__ */ z.array(Amount).meta({ description: 'Compensation sent with final responses, per currency' }),
    vulnerableShare: /* @__PURE__ */ Rate.meta({ description: 'Received cases with the customer marked vulnerable' }),
    marked: /* @__PURE__ */ z
      .object({ spam: /* @__PURE__ */ z.number().int(), duplicate: /* @__PURE__ */ z.number().int() })
      .meta({ description: 'Received cases marked spam or a duplicate: counted here only, in no other figure (HM.DISP.COMPLAINT)' }),
    resolved: /* @__PURE__ */ z.number().int().meta({ description: 'Cycles closed as resolutions: closed, less those closed for inactivity or withdrawn' }),
    closedInactive: /* @__PURE__ */ z.number().int().meta({ description: 'Cycles closed because the customer stopped responding after a documented chase (ORG.INACTIVITY.CHASE): not resolutions' }),
    withdrawn: /* @__PURE__ */ z.number().int().meta({ description: 'Cycles the customer withdrew (ORG.WITHDRAWN): not resolutions' }),
    firstContactResolution: /* @__PURE__ */ Rate.meta({
      description: 'ORG.FCR: cases whose first cycle closed resolved in the summary-resolution window or with the first final response and were never reopened, of the cases whose first cycle closed resolved in the range',
    }),
    satisfaction: /* @__PURE__ */ z
      .object({
        responses: /* @__PURE__ */ z.number().int().meta({ description: 'Satisfaction answers received in the range (feedback links answered)' }),
        meanScore: /* @__PURE__ */ z.number().nullable().meta({ description: 'Mean score 1–5 (2 decimals); null without answers' }),
        distribution: /* @__PURE__ */ z.record(/* @__PURE__ */ z.enum(['1', '2', '3', '4', '5']), /* @__PURE__ */ z.number().int()).meta({ description: 'Answers per score' }),
      })
      .meta({ description: 'Customer satisfaction after the final response (by category with by=category)' }),
  })
  .meta({ id: 'KpiSet' });
export type KpiSet = z.infer<typeof KpiSet>;

export const KpiReport = /* @__PURE__ */ z
  .object({
    from: /* @__PURE__ */ z.string(),
    to: /* @__PURE__ */ z.string(),
    timeZone: /* @__PURE__ */ z.string(),
    asOf: IsoTimestamp,
    groupBy: /* @__PURE__ */ ReportDimension.nullable(),
    totals: KpiSet,
    groups: /* @__PURE__ */ z.array(/* @__PURE__ */ KpiSet.extend({ value: /* @__PURE__ */ z.string() })),
    rootCauseTrend: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ month: /* @__PURE__ */ z.string(), causes: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ cause: /* @__PURE__ */ z.string(), count: /* @__PURE__ */ z.number().int() })) })).meta({ description: 'Top five root causes of the cases closed each month' }),
    normalised: /* @__PURE__ */ z
      .array(
        /* @__PURE__ */ z.object({
          unit: /* @__PURE__ */ z.string(),
          received: /* @__PURE__ */ z.number().int().meta({ description: 'Cases received in the range for the unit’s product groups (marked cases excluded)' }),
          customers: /* @__PURE__ */ z.number().int().nullable(),
          accounts: /* @__PURE__ */ z.number().int().nullable(),
          per1000Customers: /* @__PURE__ */ z.number().nullable().meta({ description: 'received ÷ customers × 1,000, 2 decimals; null without a denominator' }),
          per1000Accounts: /* @__PURE__ */ z.number().nullable().meta({ description: 'received ÷ accounts × 1,000, 2 decimals; null without a denominator' }),
        }),
      )
      .meta({ description: 'Complaint volume per business unit normalised by its configured denominators (REPORTING.businessUnits), whatever groupBy is' }),
  })
  .meta({ id: 'KpiReport', description: 'Key figures over a range, read from pre-aggregated counters' });
export type KpiReport = z.infer<typeof KpiReport>;

export const CONTROL_ITEMS = ['ownership', 'deadlineControl', 'evidenceRecord', 'escalationPath', 'approvals', 'reporting'] as const;
export const ControlItem = /* @__PURE__ */ z
  .object({
    item: /* @__PURE__ */ z.enum(CONTROL_ITEMS),
    score: /* @__PURE__ */ z.union([/* @__PURE__ */ z.literal(0), /* @__PURE__ */ z.literal(1), /* @__PURE__ */ z.literal(2)]),
    rule: /* @__PURE__ */ z.string().meta({ description: 'The rule that gave this score, stated with the configured thresholds' }),
    measured: /* @__PURE__ */ z.record(/* @__PURE__ */ z.string(), /* @__PURE__ */ z.number().nullable()).meta({ description: 'The figures the rule was applied to' }),
  })
  .meta({ id: 'ControlItem' });
export type ControlItem = z.infer<typeof ControlItem>;
export const CONTROL_BANDS = ['high_operational_risk', 'partial_control', 'stable_foundation'] as const;
export const ControlScore = /* @__PURE__ */ z
  .object({
    from: /* @__PURE__ */ z.string(),
    to: /* @__PURE__ */ z.string(),
    timeZone: /* @__PURE__ */ z.string(),
    asOf: IsoTimestamp,
    items: /* @__PURE__ */ z.array(ControlItem),
    total: /* @__PURE__ */ z.number().int().min(0).max(12),
    band: /* @__PURE__ */ z.enum(CONTROL_BANDS).meta({ description: '0–4 high operational risk, 5–8 partial control, 9–12 stable foundation' }),
    advice: /* @__PURE__ */ z.string(),
  })
  .meta({ id: 'ControlScore', description: 'The 0–12 control score of complaint-vs-ticketing-guide, computed from the counters' });
export type ControlScore = z.infer<typeof ControlScore>;

export const ControlReview = /* @__PURE__ */ z
  .object({
    asOf: IsoTimestamp,
    last: /* @__PURE__ */ z.number().int(),
    cases: /* @__PURE__ */ z.array(ReviewRow),
    summary: /* @__PURE__ */ z.object({
      cases: /* @__PURE__ */ z.number().int(),
      withMissedDeadline: /* @__PURE__ */ z.number().int(),
      missedDeadlines: /* @__PURE__ */ z.number().int(),
      handoffs: /* @__PURE__ */ z.number().int(),
      handoffsPerCase: /* @__PURE__ */ z.number().nullable(),
      evidenceComplete: Rate,
      approvalVisible: /* @__PURE__ */ Rate.meta({ description: 'Cases whose proposal needed approval with every stage decided in the open (approved, or visibly rejected/timed out)' }),
      reopenRate: /* @__PURE__ */ Rate.meta({ description: 'Cases reopened at least once' }),
    }),
  })
  .meta({ id: 'ControlReview', description: 'The seed’s review of the most recently received formal complaints, case by case' });
export type ControlReview = z.infer<typeof ControlReview>;
