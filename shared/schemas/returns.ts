// Regulator-style complaints returns (control 6): the query and the three formats a return comes in.
// Figures count complaint cycles (a reopened complaint is opened again) from the regime's monthly return counters.
import * as z from 'zod';
import { IsoTimestamp } from './common';

export const RETURN_FORMATS = ['fca_disp_1_annex_1r', 'fca_consolidated', 'generic'] as const;
export const ReturnFormat = /* @__PURE__ */ z.enum(RETURN_FORMATS);
export type ReturnFormat = z.infer<typeof ReturnFormat>;

/** The period syntaxes parseReturnPeriod accepts (it also checks the months, the range length and the regime's rules). */
const PERIOD_SYNTAX = /^\d{4}(-(H[12]|Q[1-4]|\d{2}(\/\d{4}-\d{2})?))?$/;

export const ReturnsQuery = /* @__PURE__ */ z
  .object({
    regime: /* @__PURE__ */ z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be a regime id such as "UK_FCA_DISP"')
      .meta({ description: 'The regime whose return to produce', example: 'UK_FCA_DISP' }),
    period: /* @__PURE__ */ z
      .string()
      .regex(PERIOD_SYNTAX, 'must be YYYY-H1, YYYY-H2, YYYY-Qn, YYYY-MM, YYYY or YYYY-MM/YYYY-MM')
      .meta({
        description:
          'Half year (YYYY-H1, YYYY-H2), quarter (YYYY-Q1…Q4), month (YYYY-MM), calendar year (YYYY) or an inclusive month range (YYYY-MM/YYYY-MM, at most 60 months). ' +
          'UK_FCA_DISP: periods ending before 2027 give the DISP 1 Annex 1R return (any syntax, to follow the firm’s accounting reference date). ' +
          'Every regime the consolidated return covers (default UK_FCA_DISP and UK_FCA_PSD): periods from 1 January 2027 must be a fixed half year and give the one consolidated return (PS25/19) for all of them, whichever is asked for; a period spanning 1 January 2027 is refused. ' +
          'An unmapped product group or root cause in the consolidated return is a 400 naming each.',
        example: '2026-H1',
      }),
  })
  .strict()
  .meta({ id: 'ReturnsQuery' });
export type ReturnsQuery = z.infer<typeof ReturnsQuery>;

// ---------- building blocks ----------

const Count = /* @__PURE__ */ z.number().int();
const Percent = /* @__PURE__ */ z.number().min(0).max(100).nullable();
const Amount = /* @__PURE__ */ z.object({ currency: /* @__PURE__ */ z.string(), amount: /* @__PURE__ */ z.string().meta({ description: 'Decimal string, as recorded (no currency conversion)' }) });

const ReturnPeriodInfo = /* @__PURE__ */ z.object({
  label: /* @__PURE__ */ z.string().meta({ example: '2026-H1' }),
  from: /* @__PURE__ */ z.iso.date().meta({ description: 'First day of the first month' }),
  to: /* @__PURE__ */ z.iso.date().meta({ description: 'Last day of the last month' }),
});

/** What every format carries besides its figures. */
const Header = {
  regime: /* @__PURE__ */ z.string(),
  period: ReturnPeriodInfo,
  generatedAt: IsoTimestamp,
  notes: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).meta({ description: 'The counting rules behind the figures, and anything the reader must know about the mapping' }),
};

/** The figures every row and total has (counts are complaint cycles). */
const Figures = {
  outstandingAtStart: /* @__PURE__ */ Count.meta({ description: 'Opened before the period and not closed before it' }),
  opened: /* @__PURE__ */ Count.meta({ description: 'Opened in the period: received, or reopened (a reopened complaint is counted as opened again)' }),
  reopened: /* @__PURE__ */ Count.meta({ description: 'Of those opened, reopened complaints' }),
  closed: /* @__PURE__ */ Count.meta({ description: 'Closed in the period: final response sent, or closed without one' }),
  upheld: /* @__PURE__ */ Count.meta({ description: 'Of those closed, upheld fully or partially' }),
  upheldPercent: /* @__PURE__ */ Percent.meta({ description: 'upheld ÷ closed × 100, one decimal place; null when none were closed' }),
  redress: /* @__PURE__ */ z.array(Amount).meta({ description: 'Redress (compensation) sent with the final responses of the complaints closed in the period, per currency' }),
  outstandingAtEnd: /* @__PURE__ */ Count.meta({ description: 'outstandingAtStart + opened − closed' }),
};

const CauseCount = /* @__PURE__ */ z.object({
  group: /* @__PURE__ */ z.string().meta({ description: 'The regulator’s cause group', example: 'General admin/customer service' }),
  cause: /* @__PURE__ */ z.string().meta({ example: 'Delays/timescales' }),
  opened: Count,
});

/** The FCA figures: Figures plus the closure bands and the causes of the complaints opened. */
const FcaFigures = {
  ...Figures,
  closedWithin3Days: /* @__PURE__ */ Count.meta({ description: 'Closed by close of business on the third business day after receipt (the summary-resolution window, DISP 1.5)' }),
  closedWithin8Weeks: /* @__PURE__ */ Count.meta({ description: 'Closed after the three business days and within 8 weeks of receipt' }),
  closedAfter8Weeks: /* @__PURE__ */ Count.meta({ description: 'Closed more than 8 weeks after receipt' }),
  openedByCause: /* @__PURE__ */ z.array(CauseCount).meta({ description: 'The complaints opened, by cause (causes with none are left out)' }),
};

const FcaRowKey = {
  grouping: /* @__PURE__ */ z.string().meta({ description: 'The FCA product/service grouping', example: 'Banking and credit cards' }),
  product: /* @__PURE__ */ z.string().meta({ description: 'The product or service line within it', example: 'Current accounts' }),
  productGroups: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).meta({ description: 'The organisation’s product groups counted in this row' }),
};

export const FcaReturnRow = /* @__PURE__ */ z.object({ ...FcaRowKey, ...FcaFigures }).meta({ id: 'FcaReturnRow' });
export type FcaReturnRow = z.infer<typeof FcaReturnRow>;
export const FcaReturnTotals = /* @__PURE__ */ z.object(FcaFigures).meta({ id: 'FcaReturnTotals' });
export type FcaReturnTotals = z.infer<typeof FcaReturnTotals>;

export const LegalEntityRef = /* @__PURE__ */ z.object({ id: /* @__PURE__ */ z.string(), name: /* @__PURE__ */ z.string(), frn: /* @__PURE__ */ z.string().optional().meta({ description: 'Firm Reference Number' }) });
export type LegalEntityRef = z.infer<typeof LegalEntityRef>;

// ---------- the consolidated return (PS25/19) ----------

const DriverCounts = /* @__PURE__ */ z
  .object({ health: Count, life_events: Count, resilience: Count, capability: Count, unspecified: Count })
  .meta({ description: 'Complaints opened by customers in vulnerable circumstances, by FCA FG21/1 driver (a customer with characteristics under two drivers counts under both; `unspecified`: vulnerable, no driver recorded)' });

export const ConsolidatedVulnerability = /* @__PURE__ */ z
  .object({
    customerVulnerable: /* @__PURE__ */ z
      .object({ opened: Count, closed: Count, upheld: Count, openedByDriver: DriverCounts })
      .meta({ description: 'Complaints where the firm identified the customer is in vulnerable circumstances, however it learnt of it (marked vulnerable on the case)' }),
    failureToConsider: /* @__PURE__ */ z
      .object({ opened: Count, closed: Count, upheld: Count })
      .meta({ description: 'Complaints relating to or caused by the firm’s failure to consider or respond to a customer’s vulnerability (the root cause’s vulnerabilityNotConsidered flag)' }),
  })
  .meta({ id: 'ConsolidatedVulnerability' });

const Amounts = /* @__PURE__ */ z.array(Amount);
export const ConsolidatedRedress = /* @__PURE__ */ z
  .object({
    total: /* @__PURE__ */ Amounts.meta({ description: 'Redress of the complaints closed in the period, per currency: amounts paid and costs borne with a readily identified cash value' }),
    byComponent: /* @__PURE__ */ z.object({
      financialLoss: Amounts,
      goodwill: Amounts,
      distressAndInconvenience: Amounts,
      waived: Amounts,
      nonCash: /* @__PURE__ */ Amounts.meta({ description: 'Other non-cash remedies, at their cash value where one was recorded' }),
      notBrokenDown: /* @__PURE__ */ Amounts.meta({ description: 'Compensation recorded without a breakdown (resolutions proposed before components were recorded)' }),
    }),
    nonCashRemedies: /* @__PURE__ */ Count.meta({ description: 'Number of other non-cash remedies given, with or without a cash value' }),
  })
  .meta({ id: 'ConsolidatedRedress' });

const CauseFigures = /* @__PURE__ */ z.object({
  cause: /* @__PURE__ */ z.string().nullable().meta({ description: 'A cause category of the return’s taxonomy; null: complaints still open whose root cause is not yet determined' }),
  opened: Count,
  closed: Count,
  upheld: Count,
});

export const ConsolidatedFigures = /* @__PURE__ */ z
  .object({
    outstandingAtStart: Figures.outstandingAtStart,
    opened: Figures.opened,
    reopened: Figures.reopened,
    closed: Figures.closed,
    closedWithin3Days: /* @__PURE__ */ Count.meta({ description: 'Closed by close of business on the third business day after receipt (summary-resolution window)' }),
    closedWithin8Weeks: /* @__PURE__ */ Count.meta({ description: 'Closed after that and within 8 weeks of receipt' }),
    closedAfter8Weeks: /* @__PURE__ */ Count.meta({ description: 'Closed more than 8 weeks after receipt' }),
    upheld: Figures.upheld,
    upheldPercent: Figures.upheldPercent,
    outstandingAtEnd: Figures.outstandingAtEnd,
    byCause: /* @__PURE__ */ z.array(CauseFigures).meta({ description: 'By the return’s cause category (of the complaint’s root cause), in the taxonomy’s order; causes with nothing to report are left out' }),
    vulnerability: ConsolidatedVulnerability,
    redress: ConsolidatedRedress,
  })
  .meta({ id: 'ConsolidatedFigures' });
export type ConsolidatedFigures = z.infer<typeof ConsolidatedFigures>;

export const ConsolidatedContext = /* @__PURE__ */ z
  .object({
    figure: /* @__PURE__ */ z.number().int().nullable().meta({ description: 'The firm’s contextual figure for the product and period (configuration); null when not configured (a note says so)' }),
    openedPer1000: /* @__PURE__ */ z.number().nullable().meta({ description: 'Complaints opened per 1,000 of the figure, two decimal places; null without a figure (or a zero one)' }),
  })
  .meta({ id: 'ConsolidatedContext' });

export const ConsolidatedReturnRow = /* @__PURE__ */ ConsolidatedFigures.extend({
  product: /* @__PURE__ */ z.string().meta({ description: 'A product/service category of the return’s taxonomy' }),
  productGroups: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).meta({ description: 'The organisation’s product groups counted in this row' }),
  regimes: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).meta({ description: 'The regimes whose complaints this row counts' }),
  context: /* @__PURE__ */ ConsolidatedContext.optional().meta({ description: 'Present for entities in a sector that reports contextual data (retail banking, insurance, payment services, claims management)' }),
}).meta({ id: 'ConsolidatedReturnRow' });
export type ConsolidatedReturnRow = z.infer<typeof ConsolidatedReturnRow>;

export const ConsolidatedEntityReturn = /* @__PURE__ */ z
  .object({
    entity: /* @__PURE__ */ LegalEntityRef.extend({ sectors: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()) }),
    nilReturn: /* @__PURE__ */ z.boolean().meta({ description: 'No complaints opened in the period and none outstanding at its start' }),
    contextRequired: /* @__PURE__ */ z.boolean().meta({ description: 'The entity reports in a sector that carries contextual data' }),
    rows: /* @__PURE__ */ z.array(ConsolidatedReturnRow),
    totals: ConsolidatedFigures,
  })
  .meta({ id: 'ConsolidatedEntityReturn' });
export type ConsolidatedEntityReturn = z.infer<typeof ConsolidatedEntityReturn>;

export const RuleCitation = /* @__PURE__ */ z.object({ id: /* @__PURE__ */ z.string(), ref: /* @__PURE__ */ z.string(), version: /* @__PURE__ */ z.iso.date() }).meta({ id: 'RuleCitation' });

export const GenericReturnRow = /* @__PURE__ */ z
  .object({
    productGroup: /* @__PURE__ */ z.string(),
    ...Figures,
    closedByDeadline: /* @__PURE__ */ Count.meta({ description: 'Of those closed, answered (final response, or closure) by the regime’s deadline' }),
    closedByDeadlinePercent: /* @__PURE__ */ Percent.meta({ description: 'closedByDeadline ÷ closed × 100, one decimal place; null when none were closed' }),
  })
  .meta({ id: 'GenericReturnRow' });
export type GenericReturnRow = z.infer<typeof GenericReturnRow>;
export const GenericReturnTotals = /* @__PURE__ */ GenericReturnRow.omit({ productGroup: true }).meta({ id: 'GenericReturnTotals' });
export type GenericReturnTotals = z.infer<typeof GenericReturnTotals>;

// ---------- the three formats ----------

/** A return of one table: the header, its rows and their totals. */
const tabularReturn = <F extends string, R extends z.ZodType, T extends z.ZodType>(format: F, row: R, totals: T) =>
  z.object({ format: z.literal(format), ...Header, rows: z.array(row), totals });

export const FcaDispReturn = /* @__PURE__ */ tabularReturn('fca_disp_1_annex_1r', FcaReturnRow, FcaReturnTotals).meta({ id: 'FcaDispReturn', description: 'FCA complaints return (DISP 1 Annex 1R), for reporting periods ending before 1 January 2027' });
export type FcaDispReturn = z.infer<typeof FcaDispReturn>;

export const FcaConsolidatedReturn = /* @__PURE__ */ z
  .object({
    format: /* @__PURE__ */ z.literal('fca_consolidated'),
    ...Header,
    regimes: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).meta({ description: 'Every UK regime the return covers: one return for DISP and payment services / e-money complaints' }),
    rules: /* @__PURE__ */ z.array(RuleCitation).meta({ description: 'The rules this return applies, each with the version date it was checked against' }),
    entities: /* @__PURE__ */ z.array(ConsolidatedEntityReturn).meta({ description: 'One return per legal entity (no group reporting); an entity with no complaints is a nil return' }),
    totals: /* @__PURE__ */ ConsolidatedFigures.meta({ description: 'All entities together (for reconciliation; not part of any entity’s return)' }),
  })
  .meta({ id: 'FcaConsolidatedReturn', description: 'FCA consolidated complaints return (PS25/19): fixed half years from 1 January 2027, per legal entity, every UK regime' });
export type FcaConsolidatedReturn = z.infer<typeof FcaConsolidatedReturn>;

export const GenericReturn = /* @__PURE__ */ tabularReturn('generic', GenericReturnRow, GenericReturnTotals).meta({ id: 'GenericReturn', description: 'Complaints return by product group, for regimes without a regulator-specific format' });
export type GenericReturn = z.infer<typeof GenericReturn>;

export const RegulatorReturn = /* @__PURE__ */ z.discriminatedUnion('format', [FcaDispReturn, FcaConsolidatedReturn, GenericReturn]).meta({ id: 'RegulatorReturn' });
export type RegulatorReturn = z.infer<typeof RegulatorReturn>;
