// Regulator-style complaints returns (control 6): the query and the three formats a return comes in.
// Figures count complaint cycles (a reopened complaint is opened again) from the regime's monthly return counters.
import * as z from 'zod';
import { IsoTimestamp } from './common';

export const RETURN_FORMATS = ['fca_disp_1_annex_1r', 'fca_consolidated', 'generic'] as const;
export const ReturnFormat = z.enum(RETURN_FORMATS);
export type ReturnFormat = z.infer<typeof ReturnFormat>;

/** The period syntaxes parseReturnPeriod accepts (it also checks the months, the range length and the regime's rules). */
const PERIOD_SYNTAX = /^\d{4}(-(H[12]|Q[1-4]|\d{2}(\/\d{4}-\d{2})?))?$/;

export const ReturnsQuery = z
  .object({
    regime: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be a regime id such as "UK_FCA_DISP"')
      .meta({ description: 'The regime whose return to produce', example: 'UK_FCA_DISP' }),
    period: z
      .string()
      .regex(PERIOD_SYNTAX, 'must be YYYY-H1, YYYY-H2, YYYY-Qn, YYYY-MM, YYYY or YYYY-MM/YYYY-MM')
      .meta({
        description:
          'Half year (YYYY-H1, YYYY-H2), quarter (YYYY-Q1…Q4), month (YYYY-MM), calendar year (YYYY) or an inclusive month range (YYYY-MM/YYYY-MM, at most 60 months). ' +
          'UK_FCA_DISP: periods ending before 2027 give the DISP 1 Annex 1R return (any syntax, to follow the firm’s accounting reference date); ' +
          'periods from 1 January 2027 must be a fixed half year and give the consolidated return (PS25/19); a period spanning 1 January 2027 is refused.',
        example: '2026-H1',
      }),
  })
  .strict()
  .meta({ id: 'ReturnsQuery' });
export type ReturnsQuery = z.infer<typeof ReturnsQuery>;

// ---------- building blocks ----------

const Count = z.number().int();
const Percent = z.number().min(0).max(100).nullable();
const Amount = z.object({ currency: z.string(), amount: z.string().meta({ description: 'Decimal string, as recorded (no currency conversion)' }) });

const ReturnPeriodInfo = z.object({
  label: z.string().meta({ example: '2026-H1' }),
  from: z.iso.date().meta({ description: 'First day of the first month' }),
  to: z.iso.date().meta({ description: 'Last day of the last month' }),
});

/** What every format carries besides its figures. */
const Header = {
  regime: z.string(),
  period: ReturnPeriodInfo,
  generatedAt: IsoTimestamp,
  notes: z.array(z.string()).meta({ description: 'The counting rules behind the figures, and anything the reader must know about the mapping' }),
};

/** The figures every row and total has (counts are complaint cycles). */
const Figures = {
  outstandingAtStart: Count.meta({ description: 'Opened before the period and not closed before it' }),
  opened: Count.meta({ description: 'Opened in the period: received, or reopened (a reopened complaint is counted as opened again)' }),
  reopened: Count.meta({ description: 'Of those opened, reopened complaints' }),
  closed: Count.meta({ description: 'Closed in the period: final response sent, or closed without one' }),
  upheld: Count.meta({ description: 'Of those closed, upheld fully or partially' }),
  upheldPercent: Percent.meta({ description: 'upheld ÷ closed × 100, one decimal place; null when none were closed' }),
  redress: z.array(Amount).meta({ description: 'Redress (compensation) sent with the final responses of the complaints closed in the period, per currency' }),
  outstandingAtEnd: Count.meta({ description: 'outstandingAtStart + opened − closed' }),
};

const CauseCount = z.object({
  group: z.string().meta({ description: 'The regulator’s cause group', example: 'General admin/customer service' }),
  cause: z.string().meta({ example: 'Delays/timescales' }),
  opened: Count,
});

/** The FCA figures: Figures plus the closure bands and the causes of the complaints opened. */
const FcaFigures = {
  ...Figures,
  closedWithin3Days: Count.meta({ description: 'Closed by close of business on the third business day after receipt (the summary-resolution window, DISP 1.5)' }),
  closedWithin8Weeks: Count.meta({ description: 'Closed after the three business days and within 8 weeks of receipt' }),
  closedAfter8Weeks: Count.meta({ description: 'Closed more than 8 weeks after receipt' }),
  openedByCause: z.array(CauseCount).meta({ description: 'The complaints opened, by cause (causes with none are left out)' }),
};

const FcaRowKey = {
  grouping: z.string().meta({ description: 'The FCA product/service grouping', example: 'Banking and credit cards' }),
  product: z.string().meta({ description: 'The product or service line within it', example: 'Current accounts' }),
  productGroups: z.array(z.string()).meta({ description: 'The organisation’s product groups counted in this row' }),
};

export const FcaReturnRow = z.object({ ...FcaRowKey, ...FcaFigures }).meta({ id: 'FcaReturnRow' });
export type FcaReturnRow = z.infer<typeof FcaReturnRow>;
export const FcaReturnTotals = z.object(FcaFigures).meta({ id: 'FcaReturnTotals' });
export type FcaReturnTotals = z.infer<typeof FcaReturnTotals>;

const Vulnerable = z
  .object({
    opened: Count,
    closed: Count,
    upheld: Count,
  })
  .meta({ description: 'Complaints of customers identified as in vulnerable circumstances (marked vulnerable on the case)' });

export const ConsolidatedReturnRow = FcaReturnRow.extend({ vulnerable: Vulnerable }).meta({ id: 'ConsolidatedReturnRow' });
export type ConsolidatedReturnRow = z.infer<typeof ConsolidatedReturnRow>;
export const ConsolidatedReturnTotals = FcaReturnTotals.extend({ vulnerable: Vulnerable }).meta({ id: 'ConsolidatedReturnTotals' });
export type ConsolidatedReturnTotals = z.infer<typeof ConsolidatedReturnTotals>;

export const LegalEntityRef = z.object({ id: z.string(), name: z.string(), frn: z.string().optional().meta({ description: 'Firm Reference Number' }) });
export type LegalEntityRef = z.infer<typeof LegalEntityRef>;

export const GenericReturnRow = z
  .object({
    productGroup: z.string(),
    ...Figures,
    closedByDeadline: Count.meta({ description: 'Of those closed, answered (final response, or closure) by the regime’s deadline' }),
    closedByDeadlinePercent: Percent.meta({ description: 'closedByDeadline ÷ closed × 100, one decimal place; null when none were closed' }),
  })
  .meta({ id: 'GenericReturnRow' });
export type GenericReturnRow = z.infer<typeof GenericReturnRow>;
export const GenericReturnTotals = GenericReturnRow.omit({ productGroup: true }).meta({ id: 'GenericReturnTotals' });
export type GenericReturnTotals = z.infer<typeof GenericReturnTotals>;

// ---------- the three formats ----------

/** A return of one table: the header, its rows and their totals. */
const tabularReturn = <F extends string, R extends z.ZodType, T extends z.ZodType>(format: F, row: R, totals: T) =>
  z.object({ format: z.literal(format), ...Header, rows: z.array(row), totals });

export const FcaDispReturn = tabularReturn('fca_disp_1_annex_1r', FcaReturnRow, FcaReturnTotals).meta({ id: 'FcaDispReturn', description: 'FCA complaints return (DISP 1 Annex 1R), for reporting periods ending before 1 January 2027' });
export type FcaDispReturn = z.infer<typeof FcaDispReturn>;

export const FcaConsolidatedReturn = z
  .object({
    format: z.literal('fca_consolidated'),
    ...Header,
    entities: z
      .array(
        z.object({
          entity: LegalEntityRef,
          rows: z.array(ConsolidatedReturnRow),
          totals: ConsolidatedReturnTotals,
        }),
      )
      .meta({ description: 'One return per legal entity (no group reporting); an entity with no complaints is a nil return' }),
    totals: ConsolidatedReturnTotals.meta({ description: 'All entities together (for reconciliation; not part of any entity’s return)' }),
  })
  .meta({ id: 'FcaConsolidatedReturn', description: 'FCA consolidated complaints return (PS25/19), fixed half years from 1 January 2027' });
export type FcaConsolidatedReturn = z.infer<typeof FcaConsolidatedReturn>;

export const GenericReturn = tabularReturn('generic', GenericReturnRow, GenericReturnTotals).meta({ id: 'GenericReturn', description: 'Complaints return by product group, for regimes without a regulator-specific format' });
export type GenericReturn = z.infer<typeof GenericReturn>;

export const RegulatorReturn = z.discriminatedUnion('format', [FcaDispReturn, FcaConsolidatedReturn, GenericReturn]).meta({ id: 'RegulatorReturn' });
export type RegulatorReturn = z.infer<typeof RegulatorReturn>;
