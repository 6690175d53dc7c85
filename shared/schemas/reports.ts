// Report shapes.
import * as z from 'zod';
import { IsoTimestamp } from './common';
import { ReportDimension } from './reporting-options';

const Counts = {
  open: z.number().int().meta({ description: 'Cases not closed (open, awaiting approval, resolved)' }),
  running: z.number().int().meta({ description: 'Cases whose final-response clock runs (open, awaiting approval)' }),
  paused: z.number().int().meta({ description: 'Running cases whose clock is paused' }),
  dueToday: z.number().int().meta({ description: 'Running, not yet overdue, due by the end of today (organisation time zone)' }),
  dueThisWeek: z.number().int().meta({ description: 'Running, not yet overdue, due by the end of this ISO week (Sunday), today included' }),
  atRisk: z.number().int(),
  overdue: z.number().int(),
};

export const DeadlineCounts = /* @__PURE__ */ z.object(Counts).meta({ id: 'DeadlineCounts' });
export type DeadlineCounts = z.infer<typeof DeadlineCounts>;

export const DeadlineBoard = /* @__PURE__ */ z
  .object({
    asOf: IsoTimestamp,
    timeZone: z.string(),
    todayEndsAt: IsoTimestamp,
    weekEndsAt: IsoTimestamp,
    totals: DeadlineCounts,
    byOwner: z.array(z.object({ ownerId: z.string(), ...Counts })),
    byRegime: z.array(z.object({ regime: z.string(), ...Counts })),
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
    caseId: z.string(),
    reference: z.string(),
    status: z.string(),
    regime: z.string(),
    category: z.string(),
    productGroup: z.string(),
    ownerId: z.string(),
    receivedAt: IsoTimestamp,
    finalResponseDueAt: IsoTimestamp,
    cycles: z.number().int(),
    missedDeadlines: z.number().int().meta({ description: 'Cycles answered after their deadline, plus the current one if its deadline passed unanswered' }),
    acknowledgedOnTime: z.boolean().nullable().meta({ description: 'null when the regime sets no acknowledgement deadline' }),
    handoffs: z.number().int(),
    handoffsWithoutReason: z.number().int(),
    evidence: z.object({ pending: z.number().int(), verified: z.number().int(), rejected: z.number().int(), complete: z.boolean().meta({ description: 'At least one verified file and none left pending' }) }),
    approvals: z.object({
      required: z.number().int().meta({ description: 'Approval stages the current proposal needed' }),
      approved: z.number().int(),
      status: z.string().meta({ description: 'The current proposal’s status, or none' }),
      turnaroundHours: z.number().int().optional(),
    }),
    escalations: z.number().int(),
    waivers: z.number().int(),
    reopenCount: z.number().int(),
    outcome: z.string(),
    closedAt: IsoTimestamp.nullable(),
  })
  .meta({ id: 'ControlReviewRow' });
export type ReviewRow = z.infer<typeof ReviewRow>;

const IsoDay = /* @__PURE__ */ z.iso.date().meta({ description: 'A day (YYYY-MM-DD) in the organisation time zone' });

/** A reporting range: whole days, both ends included, in the organisation time zone. */
export const ReportRangeQuery = /* @__PURE__ */ z
  .object({
    from: IsoDay.optional().meta({ description: 'First day; default 29 days before `to` (KPIs) or 89 (control score)' }),
    to: IsoDay.optional().meta({ description: 'Last day; default today' }),
  })
  .strict();
export const KpiQuery = /* @__PURE__ */ ReportRangeQuery.extend({
  groupBy: ReportDimension.optional().meta({ description: 'Break every figure down by this dimension' }),
}).strict();
export type KpiQuery = z.infer<typeof KpiQuery>;
export const ControlReviewQuery = /* @__PURE__ */ z.object({ last: z.coerce.number().int().min(1).max(100).default(20) }).strict();

const Rate = /* @__PURE__ */ z.object({ count: z.number().int(), of: z.number().int(), rate: z.number().nullable().meta({ description: 'count ÷ of, 4 decimal places; null when of is 0' }) });
const Distribution = /* @__PURE__ */ z
  .object({
    count: z.number().int(),
    median: z.number().nullable(),
    p90: z.number().nullable(),
  })
  .meta({ description: 'Nearest-rank median and 90th percentile over a histogram, reported as the upper bound of the bucket they fall in' });
const Amount = /* @__PURE__ */ z.object({ currency: z.string(), amount: z.string() });
export const OPEN_AGE_BUCKETS = ['0-7d', '8-14d', '15-28d', '29-56d', 'over-56d'] as const;

export const KpiSet = /* @__PURE__ */ z
  .object({
    received: z.number().int(),
    acknowledgedOnTime: Rate.meta({ description: 'Received cases acknowledged by their acknowledgement deadline (regimes that set one)' }),
    responded: z.number().int().meta({ description: 'Final responses sent in the range' }),
    respondedWithinDeadline: Rate,
    closed: z.number().int().meta({ description: 'Cycles closed in the range' }),
    closedWithinDeadline: Rate.meta({ description: 'Closed cycles answered (final response, or closure) by their deadline' }),
    daysToResolve: Distribution.meta({ description: 'Days (rounded up) from the start of a cycle to its final response, over the responses sent in the range' }),
    openAge: z.record(z.enum(OPEN_AGE_BUCKETS), z.number().int()).meta({ description: 'Cases not closed now, by age since receipt (independent of the range)' }),
    overdueNow: z.number().int().meta({ description: 'Cases whose final response is overdue now (breach checkpoint fired, not answered)' }),
    reopened: z.number().int(),
    reopenRate: Rate.meta({ description: 'Reopens in the range per cycle closed in the range' }),
    escalationRate: Rate.meta({ description: 'Received cases escalated at least once' }),
    escalations: z.number().int().meta({ description: 'Escalations raised in the range' }),
    waivers: z.number().int().meta({ description: 'Written decisions not to escalate, in the range' }),
    handoffs: z.number().int().meta({ description: 'Handoffs of the cases received in the range' }),
    handoffsPerCase: z.number().nullable(),
    approvals: z.object({
      concluded: z.number().int(),
      approved: z.number().int(),
      timedOut: z.number().int(),
      turnaroundHours: Distribution,
    }),
    outcomes: z.object({ upheld: z.number().int(), partiallyUpheld: z.number().int(), notUpheld: z.number().int() }),
    upholdRate: Rate.meta({ description: 'Final responses upholding the complaint fully or partially' }),
    compensationPaid: z.array(Amount).meta({ description: 'Compensation sent with final responses, per currency' }),
    vulnerableShare: Rate.meta({ description: 'Received cases with the customer marked vulnerable' }),
    marked: z
      .object({ spam: z.number().int(), duplicate: z.number().int() })
      .meta({ description: 'Received cases marked spam or a duplicate: counted here only, in no other figure (HM.DISP.COMPLAINT)' }),
    resolved: z.number().int().meta({ description: 'Cycles closed as resolutions: closed, less those closed for inactivity or withdrawn' }),
    closedInactive: z.number().int().meta({ description: 'Cycles closed because the customer stopped responding after a documented chase (ORG.INACTIVITY.CHASE): not resolutions' }),
    withdrawn: z.number().int().meta({ description: 'Cycles the customer withdrew (ORG.WITHDRAWN): not resolutions' }),
    firstContactResolution: Rate.meta({
      description: 'ORG.FCR: cases whose first cycle closed resolved in the summary-resolution window or with the first final response and were never reopened, of the cases whose first cycle closed resolved in the range',
    }),
    satisfaction: z
      .object({
        responses: z.number().int().meta({ description: 'Satisfaction answers received in the range (feedback links answered)' }),
        meanScore: z.number().nullable().meta({ description: 'Mean score 1–5 (2 decimals); null without answers' }),
        distribution: z.record(z.enum(['1', '2', '3', '4', '5']), z.number().int()).meta({ description: 'Answers per score' }),
      })
      .meta({ description: 'Customer satisfaction after the final response (by category with by=category)' }),
  })
  .meta({ id: 'KpiSet' });
export type KpiSet = z.infer<typeof KpiSet>;

export const KpiReport = /* @__PURE__ */ z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    asOf: IsoTimestamp,
    groupBy: ReportDimension.nullable(),
    totals: KpiSet,
    groups: z.array(KpiSet.extend({ value: z.string() })),
    rootCauseTrend: z.array(z.object({ month: z.string(), causes: z.array(z.object({ cause: z.string(), count: z.number().int() })) })).meta({ description: 'Top five root causes of the cases closed each month' }),
    normalised: z
      .array(
        z.object({
          unit: z.string(),
          received: z.number().int().meta({ description: 'Cases received in the range for the unit’s product groups (marked cases excluded)' }),
          customers: z.number().int().nullable(),
          accounts: z.number().int().nullable(),
          per1000Customers: z.number().nullable().meta({ description: 'received ÷ customers × 1,000, 2 decimals; null without a denominator' }),
          per1000Accounts: z.number().nullable().meta({ description: 'received ÷ accounts × 1,000, 2 decimals; null without a denominator' }),
        }),
      )
      .meta({ description: 'Complaint volume per business unit normalised by its configured denominators (REPORTING.businessUnits), whatever groupBy is' }),
  })
  .meta({ id: 'KpiReport', description: 'Key figures over a range, read from pre-aggregated counters' });
export type KpiReport = z.infer<typeof KpiReport>;

export const CONTROL_ITEMS = ['ownership', 'deadlineControl', 'evidenceRecord', 'escalationPath', 'approvals', 'reporting'] as const;
export const ControlItem = /* @__PURE__ */ z
  .object({
    item: z.enum(CONTROL_ITEMS),
    score: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    rule: z.string().meta({ description: 'The rule that gave this score, stated with the configured thresholds' }),
    measured: z.record(z.string(), z.number().nullable()).meta({ description: 'The figures the rule was applied to' }),
  })
  .meta({ id: 'ControlItem' });
export type ControlItem = z.infer<typeof ControlItem>;
export const CONTROL_BANDS = ['high_operational_risk', 'partial_control', 'stable_foundation'] as const;
export const ControlScore = /* @__PURE__ */ z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    asOf: IsoTimestamp,
    items: z.array(ControlItem),
    total: z.number().int().min(0).max(12),
    band: z.enum(CONTROL_BANDS).meta({ description: '0–4 high operational risk, 5–8 partial control, 9–12 stable foundation' }),
    advice: z.string(),
  })
  .meta({ id: 'ControlScore', description: 'The 0–12 control score of complaint-vs-ticketing-guide, computed from the counters' });
export type ControlScore = z.infer<typeof ControlScore>;

export const ControlReview = /* @__PURE__ */ z
  .object({
    asOf: IsoTimestamp,
    last: z.number().int(),
    cases: z.array(ReviewRow),
    summary: z.object({
      cases: z.number().int(),
      withMissedDeadline: z.number().int(),
      missedDeadlines: z.number().int(),
      handoffs: z.number().int(),
      handoffsPerCase: z.number().nullable(),
      evidenceComplete: Rate,
      approvalVisible: Rate.meta({ description: 'Cases whose proposal needed approval with every stage decided in the open (approved, or visibly rejected/timed out)' }),
      reopenRate: Rate.meta({ description: 'Cases reopened at least once' }),
    }),
  })
  .meta({ id: 'ControlReview', description: 'The seed’s review of the most recently received formal complaints, case by case' });
export type ControlReview = z.infer<typeof ControlReview>;
