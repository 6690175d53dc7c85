// Report shapes.
import * as z from 'zod';
import { IsoTimestamp } from './common';

const Counts = {
  open: z.number().int().meta({ description: 'Cases not closed (open, awaiting approval, resolved)' }),
  running: z.number().int().meta({ description: 'Cases whose final-response clock runs (open, awaiting approval)' }),
  paused: z.number().int().meta({ description: 'Running cases whose clock is paused' }),
  dueToday: z.number().int().meta({ description: 'Running, not yet overdue, due by the end of today (organisation time zone)' }),
  dueThisWeek: z.number().int().meta({ description: 'Running, not yet overdue, due by the end of this ISO week (Sunday), today included' }),
  atRisk: z.number().int(),
  overdue: z.number().int(),
};

export const DeadlineCounts = z.object(Counts).meta({ id: 'DeadlineCounts' });
export type DeadlineCounts = z.infer<typeof DeadlineCounts>;

export const DeadlineBoard = z
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

export const REPORT_DIMENSIONS = ['regime', 'category', 'product', 'channel', 'outcome'] as const;
export const ReportDimension = z.enum(REPORT_DIMENSIONS);
export type ReportDimension = z.infer<typeof ReportDimension>;

const GroupId = z.string().regex(/^[a-z0-9][a-z0-9_]{0,47}$/, 'must be a group id such as "current_accounts" (lower case, digits, _)');
const Names = z.array(z.string().trim().min(1).max(200)).min(1);

export const ReturnsMapping = z
  .object({
    products: z.record(GroupId, z.string().min(1).max(100)).default({}).meta({ description: 'Product group → the regulator’s product grouping' }),
    causes: z.record(z.string(), z.string().min(1).max(100)).default({}).meta({ description: 'Complaint category → the regulator’s cause category' }),
    legalEntities: z
      .array(
        z
          .object({
            id: GroupId,
            name: z.string().trim().min(1).max(200),
            frn: z.string().regex(/^\d{6,7}$/, 'must be a Firm Reference Number').optional(),
            productGroups: z.array(GroupId).default([]).meta({ description: 'Product groups this entity reports; an entity with none takes every unlisted group' }),
          })
          .strict(),
      )
      .default([])
      .meta({ description: 'Read by no return any more: the consolidated return (2027 on) takes its legal entities from consolidatedReturn.legalEntities' }),
  })
  .strict()
  .meta({ id: 'ReturnsMapping' });
export type ReturnsMapping = z.infer<typeof ReturnsMapping>;

// ---------- the FCA consolidated complaints return (PS25/19) ----------

/** Sectors a legal entity reports under. */
export const RETURN_SECTORS = ['retail_banking', 'insurance', 'payment_services', 'claims_management', 'consumer_credit', 'home_finance', 'investments', 'pensions', 'funeral_plans', 'other'] as const;
export const ReturnSector = z.enum(RETURN_SECTORS);
export type ReturnSector = z.infer<typeof ReturnSector>;
/** PS25/19: contextualised complaints data is retained for Retail Banking, Insurance, Payment Services and CMC firms only. */
export const CONTEXT_SECTORS: readonly ReturnSector[] = ['retail_banking', 'insurance', 'payment_services', 'claims_management'];

const TaxonName = z.string().trim().min(1).max(200);
const HalfYear = z.string().regex(/^\d{4}-H[12]$/, 'must be a half year such as "2027-H1"');
const RegimeIdKey = z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be a regime id such as "UK_FCA_PSD"');

export const ConsolidatedLegalEntity = z
  .object({
    id: GroupId,
    name: z.string().trim().min(1).max(200),
    frn: z.string().regex(/^\d{6,7}$/, 'must be a Firm Reference Number').optional(),
    productGroups: z.array(GroupId).default([]).meta({ description: 'Product groups this entity reports; the first entity listing none takes every unlisted group' }),
    sectors: z.array(ReturnSector).default([]).meta({ description: 'The sectors the entity reports under; retail_banking, insurance, payment_services and claims_management carry contextual data' }),
    context: z
      .record(HalfYear, z.record(TaxonName, z.number().int().min(0)))
      .default({})
      .meta({ description: 'Per half year, per return product: the firm’s contextual figure (e.g. accounts or policies in force at the period end, as the return asks for the product)' }),
  })
  .strict();
export type ConsolidatedLegalEntity = z.infer<typeof ConsolidatedLegalEntity>;

/**
 * How the organisation's complaints map onto the FCA consolidated return (PS25/19, from the 2027-H1 period). The FCA's
 * updated taxonomy is configuration: name its product and cause categories in `taxonomy` as the FCA's return lists
 * them, then map every product group and root-cause group onto one. A complaint whose product group or root cause is
 * not mapped makes the return a 400 naming it, never a silent "other".
 */
export const ConsolidatedReturnOptions = z
  .object({
    regimes: z
      .array(RegimeIdKey)
      .min(1)
      .default(['UK_FCA_DISP', 'UK_FCA_PSD'])
      .meta({ description: 'The UK regimes the single return covers (DISP complaints and the payment services and e-money complaints the PSR return used to carry)' }),
    taxonomy: z
      .object({
        products: z.array(TaxonName).max(500).default([]).meta({ description: 'The return’s product/service categories, in the return’s order' }),
        causes: z.array(TaxonName).max(500).default([]).meta({ description: 'The return’s cause categories, in the return’s order' }),
      })
      .strict()
      .default({ products: [], causes: [] }),
    products: z.record(GroupId, TaxonName).default({}).meta({ description: 'Product group → a taxonomy product category' }),
    causes: z.record(GroupId, TaxonName).default({}).meta({ description: 'Root-cause group (REPORTING.rootCauses, or an unlisted root-cause category as a slug) → a taxonomy cause category' }),
    legalEntities: z.array(ConsolidatedLegalEntity).default([]).meta({ description: 'One return per legal entity; none configured: one entity, `default`' }),
  })
  .strict()
  .superRefine((o, ctx) => {
    const known = (list: string[]) => new Set(list);
    const products = known(o.taxonomy.products);
    const causes = known(o.taxonomy.causes);
    for (const [k, v] of Object.entries(o.products)) if (!products.has(v)) ctx.addIssue({ code: 'custom', path: ['products', k], message: `"${v}" is not a product category of taxonomy.products` });
    for (const [k, v] of Object.entries(o.causes)) if (!causes.has(v)) ctx.addIssue({ code: 'custom', path: ['causes', k], message: `"${v}" is not a cause category of taxonomy.causes` });
    const ids = new Set<string>();
    o.legalEntities.forEach((e, i) => {
      if (ids.has(e.id)) ctx.addIssue({ code: 'custom', path: ['legalEntities', i, 'id'], message: `duplicate legal entity id "${e.id}"` });
      ids.add(e.id);
      for (const [half, figures] of Object.entries(e.context))
        for (const product of Object.keys(figures))
          if (!products.has(product)) ctx.addIssue({ code: 'custom', path: ['legalEntities', i, 'context', half, product], message: `"${product}" is not a product category of taxonomy.products` });
    });
  })
  .meta({ id: 'ConsolidatedReturnOptions' });
export type ConsolidatedReturnOptions = z.infer<typeof ConsolidatedReturnOptions>;

export const ControlScoreThresholds = z
  .object({
    deadlineCompliance: z.number().min(0).max(1).default(0.95).meta({ description: 'Share answered by the deadline (and acknowledged on time) for deadline control = 2' }),
    deadlineFloor: z.number().min(0).max(1).default(0.8).meta({ description: 'Below this share deadline control is 0 even with automated clocks' }),
    evidenceCompleteness: z.number().min(0).max(1).default(0.8).meta({ description: 'Share of closed cases with complete evidence for evidence record = 1' }),
    escalationCoverage: z.number().min(0).max(1).default(0.8).meta({ description: 'Share of at-risk cases escalated or waived for escalation path = 1' }),
    handoffsPerCase: z.number().min(0).default(2).meta({ description: 'Above this average, ownership is weak after handoff (ownership = 1)' }),
  })
  .strict()
  .meta({ id: 'ControlScoreThresholds' });
export type ControlScoreThresholds = z.infer<typeof ControlScoreThresholds>;

/** A business unit's product groups and the denominators its complaint volumes are normalised by. */
export const BusinessUnit = z
  .object({
    productGroups: z.array(GroupId).min(1).meta({ description: 'The product groups (REPORTING.productGroups, or an unlisted product’s slug) whose complaints are this unit’s' }),
    customers: z.number().int().positive().optional().meta({ description: 'Customers of the unit (the denominator of complaints per 1,000 customers)' }),
    accounts: z.number().int().positive().optional().meta({ description: 'Accounts of the unit (the denominator of complaints per 1,000 accounts)' }),
  })
  .strict()
  .meta({ id: 'BusinessUnit' });

/** Organisation reporting configuration (`REPORTING` / CDK context `complaints:reporting`). Changing the groups needs `npm run reports:rebuild`. */
export const ReportingOptions = z
  .object({
    productGroups: z.record(GroupId, Names).default({}).meta({ description: 'Product group → product names (case-insensitive); an unlisted product is its own group (its name as a slug)' }),
    rootCauses: z.record(GroupId, Names).default({}).meta({ description: 'Cause group → root-cause categories (case-insensitive); an unlisted category is its own group' }),
    returns: z.record(z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/), ReturnsMapping).default({}).meta({ description: 'Per regime: how product groups and categories map onto the regulator’s return (DISP 1 Annex 1R until 2026)' }),
    consolidatedReturn: ConsolidatedReturnOptions.default(ConsolidatedReturnOptions.parse({})).meta({ description: 'The FCA consolidated complaints return (PS25/19), from the 2027-H1 period' }),
    controlScore: ControlScoreThresholds.default(ControlScoreThresholds.parse({})),
    businessUnits: z
      .record(GroupId, BusinessUnit)
      .default({})
      .meta({ description: 'Business unit → its product groups and its denominators: the KPIs report complaints per 1,000 customers and per 1,000 accounts of each unit (issue 32)' }),
  })
  .strict()
  .meta({ id: 'ReportingOptions' });
export type ReportingOptions = z.infer<typeof ReportingOptions>;
/** The options with the organisation time zone that days and months are counted in. */
export type ReportingConfig = ReportingOptions & { timeZone: string };

/** One case in the control review (the seed's "review the last 20 formal complaints"). */
export const ReviewRow = z
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

const IsoDay = z.iso.date().meta({ description: 'A day (YYYY-MM-DD) in the organisation time zone' });

/** A reporting range: whole days, both ends included, in the organisation time zone. */
export const ReportRangeQuery = z
  .object({
    from: IsoDay.optional().meta({ description: 'First day; default 29 days before `to` (KPIs) or 89 (control score)' }),
    to: IsoDay.optional().meta({ description: 'Last day; default today' }),
  })
  .strict();
export const KpiQuery = ReportRangeQuery.extend({
  groupBy: ReportDimension.optional().meta({ description: 'Break every figure down by this dimension' }),
}).strict();
export type KpiQuery = z.infer<typeof KpiQuery>;
export const ControlReviewQuery = z.object({ last: z.coerce.number().int().min(1).max(100).default(20) }).strict();

const Rate = z.object({ count: z.number().int(), of: z.number().int(), rate: z.number().nullable().meta({ description: 'count ÷ of, 4 decimal places; null when of is 0' }) });
const Distribution = z
  .object({
    count: z.number().int(),
    median: z.number().nullable(),
    p90: z.number().nullable(),
  })
  .meta({ description: 'Nearest-rank median and 90th percentile over a histogram, reported as the upper bound of the bucket they fall in' });
const Amount = z.object({ currency: z.string(), amount: z.string() });
export const OPEN_AGE_BUCKETS = ['0-7d', '8-14d', '15-28d', '29-56d', 'over-56d'] as const;

export const KpiSet = z
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

export const KpiReport = z
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
export const ControlItem = z
  .object({
    item: z.enum(CONTROL_ITEMS),
    score: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    rule: z.string().meta({ description: 'The rule that gave this score, stated with the configured thresholds' }),
    measured: z.record(z.string(), z.number().nullable()).meta({ description: 'The figures the rule was applied to' }),
  })
  .meta({ id: 'ControlItem' });
export type ControlItem = z.infer<typeof ControlItem>;
export const CONTROL_BANDS = ['high_operational_risk', 'partial_control', 'stable_foundation'] as const;
export const ControlScore = z
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

export const ControlReview = z
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
