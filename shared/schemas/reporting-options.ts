// The organisation's reporting options (`REPORTING`): product and root-cause groups, regulator-return mappings,
// control-score thresholds, business units. Apart from the report shapes (reports.ts re-exports this module), so the
// configuration, which validates them at every cold start, constructs these schemas only (issue 28).
import * as z from 'zod';

export const REPORT_DIMENSIONS = ['regime', 'category', 'product', 'channel', 'outcome'] as const;
export const ReportDimension = /* @__PURE__ */ z.enum(REPORT_DIMENSIONS);
export type ReportDimension = z.infer<typeof ReportDimension>;

const GroupId = /* @__PURE__ */ z.string().regex(/^[a-z0-9][a-z0-9_]{0,47}$/, 'must be a group id such as "current_accounts" (lower case, digits, _)');
const Names = /* @__PURE__ */ z.array(/* @__PURE__ */ z.string().trim().min(1).max(200)).min(1);

export const ReturnsMapping = /* @__PURE__ */ z
  .object({
    products: /* @__PURE__ */ z.record(GroupId, /* @__PURE__ */ z.string().min(1).max(100)).default({}).meta({ description: 'Product group → the regulator’s product grouping' }),
    causes: /* @__PURE__ */ z.record(/* @__PURE__ */ z.string(), /* @__PURE__ */ z.string().min(1).max(100)).default({}).meta({ description: 'Complaint category → the regulator’s cause category' }),
    legalEntities: /* @__PURE__ */ z
      .array(
        /* @__PURE__ */ z
          .object({
            id: GroupId,
            name: /* @__PURE__ */ z.string().trim().min(1).max(200),
            frn: /* @__PURE__ */ z.string().regex(/^\d{6,7}$/, 'must be a Firm Reference Number').optional(),
            productGroups: /* @__PURE__ */ z.array(GroupId).default([]).meta({ description: 'Product groups this entity reports; an entity with none takes every unlisted group' }),
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
export const ReturnSector = /* @__PURE__ */ z.enum(RETURN_SECTORS);
export type ReturnSector = z.infer<typeof ReturnSector>;
/** PS25/19: contextualised complaints data is retained for Retail Banking, Insurance, Payment Services and CMC firms only. */
export const CONTEXT_SECTORS: readonly ReturnSector[] = ['retail_banking', 'insurance', 'payment_services', 'claims_management'];

const TaxonName = /* @__PURE__ */ z.string().trim().min(1).max(200);
const HalfYear = /* @__PURE__ */ z.string().regex(/^\d{4}-H[12]$/, 'must be a half year such as "2027-H1"');
const RegimeIdKey = /* @__PURE__ */ z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be a regime id such as "UK_FCA_PSD"');

export const ConsolidatedLegalEntity = /* @__PURE__ */ z
  .object({
    id: GroupId,
    name: /* @__PURE__ */ z.string().trim().min(1).max(200),
    frn: /* @__PURE__ */ z.string().regex(/^\d{6,7}$/, 'must be a Firm Reference Number').optional(),
    productGroups: /* @__PURE__ */ z.array(GroupId).default([]).meta({ description: 'Product groups this entity reports; the first entity listing none takes every unlisted group' }),
    sectors: /* @__PURE__ */ z.array(ReturnSector).default([]).meta({ description: 'The sectors the entity reports under; retail_banking, insurance, payment_services and claims_management carry contextual data' }),
    context: /* @__PURE__ */ z
      .record(HalfYear, /* @__PURE__ */ z.record(TaxonName, /* @__PURE__ */ z.number().int().min(0)))
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
export const ConsolidatedReturnOptions = /* @__PURE__ */ z
  .object({
    regimes: /* @__PURE__ */ z
      .array(RegimeIdKey)
      .min(1)
      .default(['UK_FCA_DISP', 'UK_FCA_PSD'])
      .meta({ description: 'The UK regimes the single return covers (DISP complaints and the payment services and e-money complaints the PSR return used to carry)' }),
    taxonomy: /* @__PURE__ */ z
      .object({
        products: /* @__PURE__ */ z.array(TaxonName).max(500).default([]).meta({ description: 'The return’s product/service categories, in the return’s order' }),
        causes: /* @__PURE__ */ z.array(TaxonName).max(500).default([]).meta({ description: 'The return’s cause categories, in the return’s order' }),
      })
      .strict()
      .default({ products: [], causes: [] }),
    products: /* @__PURE__ */ z.record(GroupId, TaxonName).default({}).meta({ description: 'Product group → a taxonomy product category' }),
    causes: /* @__PURE__ */ z.record(GroupId, TaxonName).default({}).meta({ description: 'Root-cause group (REPORTING.rootCauses, or an unlisted root-cause category as a slug) → a taxonomy cause category' }),
    legalEntities: /* @__PURE__ */ z.array(ConsolidatedLegalEntity).default([]).meta({ description: 'One return per legal entity; none configured: one entity, `default`' }),
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

export const ControlScoreThresholds = /* @__PURE__ */ z
  .object({
    deadlineCompliance: /* @__PURE__ */ z.number().min(0).max(1).default(0.95).meta({ description: 'Share answered by the deadline (and acknowledged on time) for deadline control = 2' }),
    deadlineFloor: /* @__PURE__ */ z.number().min(0).max(1).default(0.8).meta({ description: 'Below this share deadline control is 0 even with automated clocks' }),
    evidenceCompleteness: /* @__PURE__ */ z.number().min(0).max(1).default(0.8).meta({ description: 'Share of closed cases with complete evidence for evidence record = 1' }),
    escalationCoverage: /* @__PURE__ */ z.number().min(0).max(1).default(0.8).meta({ description: 'Share of at-risk cases escalated or waived for escalation path = 1' }),
    handoffsPerCase: /* @__PURE__ */ z.number().min(0).default(2).meta({ description: 'Above this average, ownership is weak after handoff (ownership = 1)' }),
  })
  .strict()
  .meta({ id: 'ControlScoreThresholds' });
export type ControlScoreThresholds = z.infer<typeof ControlScoreThresholds>;

/** A business unit's product groups and the denominators its complaint volumes are normalised by. */
export const BusinessUnit = /* @__PURE__ */ z
  .object({
    productGroups: /* @__PURE__ */ z.array(GroupId).min(1).meta({ description: 'The product groups (REPORTING.productGroups, or an unlisted product’s slug) whose complaints are this unit’s' }),
    customers: /* @__PURE__ */ z.number().int().positive().optional().meta({ description: 'Customers of the unit (the denominator of complaints per 1,000 customers)' }),
    accounts: /* @__PURE__ */ z.number().int().positive().optional().meta({ description: 'Accounts of the unit (the denominator of complaints per 1,000 accounts)' }),
  })
  .strict()
  .meta({ id: 'BusinessUnit' });

/** Organisation reporting configuration (`REPORTING` / CDK context `complaints:reporting`). Changing the groups needs `npm run reports:rebuild`. */
export const ReportingOptions = /* @__PURE__ */ z
  .object({
    productGroups: /* @__PURE__ */ z.record(GroupId, Names).default({}).meta({ description: 'Product group → product names (case-insensitive); an unlisted product is its own group (its name as a slug)' }),
    rootCauses: /* @__PURE__ */ z.record(GroupId, Names).default({}).meta({ description: 'Cause group → root-cause categories (case-insensitive); an unlisted category is its own group' }),
    returns: /* @__PURE__ */ z.record(/* @__PURE__ */ z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/), ReturnsMapping).default({}).meta({ description: 'Per regime: how product groups and categories map onto the regulator’s return (DISP 1 Annex 1R until 2026)' }),
    consolidatedReturn: /* @__PURE__ */ ConsolidatedReturnOptions.default(/* @__PURE__ */ ConsolidatedReturnOptions.parse({})).meta({ description: 'The FCA consolidated complaints return (PS25/19), from the 2027-H1 period' }),
    controlScore: /* @__PURE__ */ ControlScoreThresholds.default(/* @__PURE__ */ ControlScoreThresholds.parse({})),
    businessUnits: /* @__PURE__ */ z
      .record(GroupId, BusinessUnit)
      .default({})
      .meta({ description: 'Business unit → its product groups and its denominators: the KPIs report complaints per 1,000 customers and per 1,000 accounts of each unit (issue 32)' }),
  })
  .strict()
  .meta({ id: 'ReportingOptions' });
export type ReportingOptions = z.infer<typeof ReportingOptions>;
/** The options with the organisation time zone that days and months are counted in. */
export type ReportingConfig = ReportingOptions & { timeZone: string };

