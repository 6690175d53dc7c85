// Regulator-style complaints returns (control 6): the period a return covers, its figures from the regime's month
// items (one counter item per month, written by the projection: see RETURN_METRICS) and its CSV. Pure: the service
// reads the month items and hands them in.
//
// Three formats:
// - `fca_disp_1_annex_1r`: the FCA complaints return of DISP 1 Annex 1R, for UK_FCA_DISP periods ending before 2027.
//   Firms report over their own half years (they follow the accounting reference date), so any period syntax goes.
// - `fca_consolidated`: the single consolidated return that replaces DISP 1 Annex 1 and the payment services return
//   (FCA PS25/19, December 2025), for every regime it covers (REPORTING.consolidatedReturn.regimes): fixed half years
//   (1 January–30 June, 1 July–31 December), the first being 2027 H1; built in ./consolidated-return.
// - `generic`: every other regime (and UK_FCA_PSD before 2027), by product group.
import type { CounterItem } from '#ports/report-store';
import { ConsolidatedReturnOptions, type ReturnsMapping } from '#schemas/reports';
import type {
  ConsolidatedFigures,
  FcaReturnRow,
  FcaReturnTotals,
  GenericReturnRow,
  GenericReturnTotals,
  LegalEntityRef,
  RegulatorReturn,
  ReturnFormat,
} from '#schemas/returns';
import { InvalidInputError } from '../errors';
import { own } from '../own';
import { csvField, type CsvValue } from './csv';
import { fromMinor, type Counts } from './projection';
import { buildConsolidatedReturn, DRIVER_COLUMNS, type ConsolidatedSource } from './consolidated-return';

// ---------- the period ----------

export const FCA_REGIME = 'UK_FCA_DISP';
/** The regimes the consolidated return covers unless configured otherwise (REPORTING.consolidatedReturn.regimes). */
export const CONSOLIDATED_REGIMES: readonly string[] = ConsolidatedReturnOptions.parse({}).regimes;
/** The first month of the FCA consolidated return (PS25/19): its first period is 1 January–30 June 2027. */
export const CONSOLIDATED_FROM_MONTH = '2027-01';
/** The longest explicit month range a return may cover. */
export const MAX_RETURN_MONTHS = 60;

export interface ReturnPeriod {
  /** The period as asked for (a month range that is exactly a half year is labelled as that half year under the consolidated return). */
  label: string;
  /** First and last month, both included (YYYY-MM, organisation time zone). */
  fromMonth: string;
  toMonth: string;
  format: ReturnFormat;
}

const PERIOD_SYNTAXES = 'YYYY-H1, YYYY-H2, YYYY-Qn, YYYY-MM, YYYY or YYYY-MM/YYYY-MM';

const invalidPeriod = (message: string) => new InvalidInputError(`invalid return period: ${message}`, [{ field: 'query.period', message }]);

/** Months as a running number (year × 12 + month − 1), so ranges are plain arithmetic. */
const monthNumber = (year: number, month: number) => year * 12 + month - 1;
const monthLabel = (n: number) => `${String(Math.floor(n / 12)).padStart(4, '0')}-${String((n % 12) + 1).padStart(2, '0')}`;
const parseMonth = (year: string, month: string): number => {
  const m = Number(month);
  if (m < 1 || m > 12) throw invalidPeriod(`${year}-${month} is not a month (months are 01 to 12)`);
  return monthNumber(Number(year), m);
};

/** The fixed half year a month range is exactly, if it is one (YYYY-H1 or YYYY-H2). */
const halfYearOf = (from: number, to: number): string | undefined =>
  from % 6 === 0 && to === from + 5 ? `${Math.floor(from / 12)}-H${from % 12 === 0 ? 1 : 2}` : undefined;

/**
 * Resolves a return period for a regime: which months it covers and which format the return takes.
 * Throws InvalidInputError (field `query.period`) for a malformed period, a range over MAX_RETURN_MONTHS, and the
 * FCA rules: from 2027 only fixed half years; no period spanning 1 January 2027.
 */
export const parseReturnPeriod = (regime: string, period: string, consolidatedRegimes: readonly string[] = CONSOLIDATED_REGIMES): ReturnPeriod => {
  let from: number;
  let to: number;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-H([12])$/.exec(period))) {
    from = monthNumber(Number(m[1]), m[2] === '1' ? 1 : 7);
    to = from + 5;
  } else if ((m = /^(\d{4})-Q([1-4])$/.exec(period))) {
    from = monthNumber(Number(m[1]), (Number(m[2]) - 1) * 3 + 1);
    to = from + 2;
  } else if ((m = /^(\d{4})-(\d{2})$/.exec(period))) {
    from = to = parseMonth(m[1]!, m[2]!);
  } else if ((m = /^(\d{4})$/.exec(period))) {
    from = monthNumber(Number(m[1]), 1);
    to = from + 11;
  } else if ((m = /^(\d{4})-(\d{2})\/(\d{4})-(\d{2})$/.exec(period))) {
    from = parseMonth(m[1]!, m[2]!);
    to = parseMonth(m[3]!, m[4]!);
    if (to < from) throw invalidPeriod(`the range ends (${monthLabel(to)}) before it starts (${monthLabel(from)})`);
    if (to - from + 1 > MAX_RETURN_MONTHS) throw invalidPeriod(`a range covers at most ${MAX_RETURN_MONTHS} months (this one covers ${to - from + 1})`);
  } else {
    throw invalidPeriod(`"${period}" is not a period: use ${PERIOD_SYNTAXES}`);
  }

  let format: ReturnFormat = 'generic';
  let label = period;
  if (regime === FCA_REGIME || consolidatedRegimes.includes(regime)) {
    const boundary = monthNumber(Number(CONSOLIDATED_FROM_MONTH.slice(0, 4)), Number(CONSOLIDATED_FROM_MONTH.slice(5)));
    if (from >= boundary && consolidatedRegimes.includes(regime)) {
      const half = halfYearOf(from, to);
      if (!half) throw invalidPeriod('from 1 January 2027 the FCA consolidated return (PS25/19) covers fixed half years: use YYYY-H1 (January–June) or YYYY-H2 (July–December)');
      format = 'fca_consolidated';
      label = half;
    } else if (to < boundary) {
      // Before 2027 DISP complaints keep the DISP 1 Annex 1R format; another regime keeps its generic return.
      format = regime === FCA_REGIME ? 'fca_disp_1_annex_1r' : 'generic';
    } else if (from >= boundary) {
      format = 'generic';
    } else {
      throw invalidPeriod(
        `the period spans 1 January 2027, when the DISP 1 Annex 1R return gives way to the consolidated return: end it by ${monthLabel(boundary - 1)} or start it at ${CONSOLIDATED_FROM_MONTH}`,
      );
    }
  }
  return { label, fromMonth: monthLabel(from), toMonth: monthLabel(to), format };
};

/** The period as a return states it: first and last day. */
const periodInfo = (p: ReturnPeriod) => {
  const [year, month] = p.toMonth.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { label: p.label, from: `${p.fromMonth}-01`, to: `${p.toMonth}-${String(lastDay).padStart(2, '0')}` };
};

// ---------- the FCA taxonomy and the default mapping ----------
//
// Checked against public sources (December 2025): the FCA's aggregate complaints data and firms' published
// complaints summaries (DISP 1.10A) use the five product/service groupings below and report consumer credit
// complaints as "Credit related"; the product lines named in the FCA's publications include current accounts,
// credit cards, overdrafts, savings and other banking, equity release, other regulated home finance products,
// payment protection insurance, motor and transport, property and other general insurance. Since the 2016 form
// (PS15/19) the cause groups are: advising, selling and arranging; information, sums/charges or product performance
// (before 2016: "terms and disputed sums/charges"); general admin/customer service; arrears related; other — with the
// causes firms publish as "main cause" (unsuitable advice, errors/not following instructions, delays/timescales,
// product performance/features, other general admin/customer service…). The consolidated return's updated taxonomy
// is not reproduced here: an organisation names its lines in `mapping.products` / `mapping.causes`, either by a
// name below or as "Grouping > Line" for anything else.

interface Taxon {
  group: string;
  names: readonly string[];
}

/** FCA product/service groupings and the product lines this module knows in each, in the order of the form. */
export const FCA_PRODUCTS: readonly Taxon[] = [
  { group: 'Banking and credit cards', names: ['Current accounts', 'Packaged bank accounts', 'Credit cards', 'Overdrafts', 'Savings (inc. cash ISAs) and other banking'] },
  { group: 'Home finance', names: ['Equity release', 'Other regulated home finance products', 'Unregulated home finance products'] },
  {
    group: 'Insurance and pure protection',
    names: ['Payment protection insurance', 'Critical illness', 'Income protection', 'Other pure protection', 'Motor and transport', 'Property', 'Travel', 'Legal expenses', 'Warranty', 'Other general insurance'],
  },
  { group: 'Decumulation and pensions', names: ['Personal pensions', 'Income drawdown', 'Annuities', 'Other decumulation and pensions'] },
  { group: 'Investments', names: ['Other investment products'] },
  { group: 'Credit related', names: ['Unsecured personal loans', 'Other credit related'] },
];

/** FCA cause groups and causes, in the order of the form. */
export const FCA_CAUSES: readonly Taxon[] = [
  { group: 'Advising, selling and arranging', names: ['Unsuitable advice', 'Unclear guidance/arrangements'] },
  { group: 'Information, sums/charges or product performance', names: ['Product disclosure information', 'Disputes over sums/charges', 'Product performance/features'] },
  { group: 'General admin/customer service', names: ['Delays/timescales', 'Errors/not following instructions', 'Other general admin/customer service'] },
  { group: 'Arrears related', names: ['Arrears related'] },
  { group: 'Other', names: ['Other'] },
];

/** Where an unmapped product group, or a name outside the known taxonomy, is reported. */
export const OTHER_GROUP = 'Other';

/** Earlier names still understood in a mapping (the pre-2016 cause group). */
const CAUSE_ALIASES: Record<string, string> = { 'terms and disputed sums/charges': 'Information, sums/charges or product performance' };

/**
 * The FCA product line of common product group ids when `mapping.products` does not name one. A product group
 * neither configured nor listed here is reported as itself under OTHER_GROUP (and a note says so).
 */
export const DEFAULT_FCA_PRODUCTS: Readonly<Record<string, string>> = {
  current_accounts: 'Current accounts',
  packaged_accounts: 'Packaged bank accounts',
  credit_cards: 'Credit cards',
  overdrafts: 'Overdrafts',
  savings: 'Savings (inc. cash ISAs) and other banking',
  // Personal loans are consumer credit: the FCA reports them as credit related, not as banking.
  loans: 'Unsecured personal loans',
  // A mortgage other than equity release is a regulated home finance product.
  mortgages: 'Other regulated home finance products',
  equity_release: 'Equity release',
  // Buildings and contents insurance is the "property" line of general insurance.
  home_insurance: 'Property',
  motor_insurance: 'Motor and transport',
  travel_insurance: 'Travel',
  pensions: 'Personal pensions',
  // Investments has no line specific enough for a generic "investments" group.
  investments: 'Other investment products',
};

/**
 * The FCA cause of each complaint category (CATEGORIES) when `mapping.causes` does not name one.
 * The category is what the complaint is about, so the nearest cause is chosen.
 */
export const DEFAULT_FCA_CAUSES: Readonly<Record<string, string>> = {
  // The product did not do what the customer expected of it: the "product performance" cause (the pre-2016
  // "terms and disputed sums/charges" group).
  product_issue: 'Product performance/features',
  service_delay: 'Delays/timescales',
  // A disputed charge, fee or amount.
  billing: 'Disputes over sums/charges',
  // A complaint about the firm's terms or policy as applied to the customer: the product's terms and features.
  policy: 'Product performance/features',
  // How the customer was dealt with by staff: general administration / customer service.
  agent_interaction: 'Other general admin/customer service',
  other: 'Other',
};

interface Placed {
  group: string;
  name: string;
}

/**
 * Places a configured name in a taxonomy: a known line (its group), a group name itself, or "Group > Line" for a
 * line this module does not know; anything else is reported as itself under OTHER_GROUP. Case-insensitive.
 */
const placer = (taxonomy: readonly Taxon[], aliases: Record<string, string> = {}): ((name: string) => Placed) => {
  const byName = new Map<string, Placed>();
  const groups = new Map<string, string>();
  for (const { group, names } of taxonomy) {
    groups.set(group.toLowerCase(), group);
    for (const name of names) byName.set(name.toLowerCase(), { group, name });
  }
  for (const [alias, group] of Object.entries(aliases)) groups.set(alias, group);
  return (raw) => {
    const name = raw.trim();
    const key = name.toLowerCase();
    const known = byName.get(key);
    if (known) return known;
    const group = groups.get(key);
    if (group) return { group, name: group };
    const i = name.indexOf(' > ');
    if (i > 0) {
      const g = name.slice(0, i).trim();
      const line = name.slice(i + 3).trim();
      const canonical = groups.get(g.toLowerCase()) ?? g;
      const knownLine = byName.get(line.toLowerCase());
      return { group: canonical, name: knownLine && knownLine.group === canonical ? knownLine.name : line };
    }
    return { group: OTHER_GROUP, name };
  };
};

const placeProduct = placer(FCA_PRODUCTS);
const placeCause = placer(FCA_CAUSES, CAUSE_ALIASES);

/** Orders placed names as on the form: group order, then line order, then unknown groups and lines by name. */
const taxonOrder = (taxonomy: readonly Taxon[]) => {
  const groupRank = (g: string) => {
    const i = taxonomy.findIndex((t) => t.group === g);
    return i < 0 ? (g === OTHER_GROUP ? taxonomy.length + 1 : taxonomy.length) : i;
  };
  const nameRank = (p: Placed) => taxonomy.find((t) => t.group === p.group)?.names.indexOf(p.name) ?? -1;
  return (a: Placed, b: Placed): number => {
    const byGroup = groupRank(a.group) - groupRank(b.group) || a.group.localeCompare(b.group);
    if (byGroup) return byGroup;
    const ra = nameRank(a);
    const rb = nameRank(b);
    if (ra >= 0 && rb >= 0) return ra - rb;
    if (ra >= 0 || rb >= 0) return ra >= 0 ? -1 : 1;
    return a.name.localeCompare(b.name);
  };
};
const productOrder = taxonOrder(FCA_PRODUCTS);
const causeOrder = taxonOrder(FCA_CAUSES);

// ---------- reading the month items ----------

export interface ReturnInput {
  regime: string;
  period: ReturnPeriod;
  /** Every month item of the regime's return partition from the beginning up to period.toMonth: sk 'M#YYYY-MM'. */
  months: CounterItem[];
  /** The organisation's mapping for this regime; undefined → the defaults. */
  mapping?: ReturnsMapping | undefined;
  /** The consolidated return: the consolidated month items of every regime it covers, and its configuration. */
  consolidated?: { sources: readonly ConsolidatedSource[]; options: ConsolidatedReturnOptions } | undefined;
  /** ISO timestamp. */
  generatedAt: string;
}

/** What one (product group, category) pair contributes to a return. */
interface Cell {
  productGroup: string;
  category: string;
  /** Complaints outstanding at the start: over every month before the period, opened − closed. */
  start: number;
  /** The return metrics (RETURN_METRICS and `r:<currency>`) summed over the months of the period. */
  counts: Counts;
}

const REDRESS_PREFIX = 'r:';
const MONTH_SK = /^M#(\d{4}-\d{2})$/;

/** Sums the month items into one cell per product group and category; cells with nothing to report are left out. */
const readCells = (months: CounterItem[], period: ReturnPeriod): Cell[] => {
  const cells = new Map<string, Cell>();
  for (const item of months) {
    const month = MONTH_SK.exec(item.sk)?.[1];
    if (!month || month > period.toMonth) continue;
    const before = month < period.fromMonth;
    for (const [attr, n] of Object.entries(item.counts)) {
      const parts = attr.split('|');
      if (parts.length !== 3 || !n) continue;
      const [metric, productGroup, category] = parts as [string, string, string];
      const key = `${productGroup}|${category}`;
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = { productGroup, category, start: 0, counts: {} }));
      if (before) {
        if (metric === 'o') cell.start += n;
        else if (metric === 'c') cell.start -= n;
      } else {
        cell.counts[metric] = (cell.counts[metric] ?? 0) + n;
      }
    }
  }
  return [...cells.values()].filter((c) => c.start !== 0 || Object.values(c.counts).some((n) => n !== 0));
};

const total = (cells: readonly Cell[], metric: string) => cells.reduce((s, c) => s + (c.counts[metric] ?? 0), 0);

/** count ÷ of as a percentage with one decimal place; null when `of` is 0. */
export const percent = (count: number, of: number): number | null => (of ? Math.round((count * 1000) / of) / 10 : null);

/** Redress per currency (counted in ten-thousandths), as decimal strings, by currency code. */
const redressOf = (cells: readonly Cell[]) => {
  const byCurrency = new Map<string, number>();
  for (const c of cells) {
    for (const [k, n] of Object.entries(c.counts)) {
      if (!k.startsWith(REDRESS_PREFIX)) continue;
      const currency = k.slice(REDRESS_PREFIX.length);
      byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + n);
    }
  }
  return [...byCurrency.entries()]
    .filter(([, n]) => n)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, n]) => ({ currency, amount: fromMinor(n) }));
};

/** The figures of every format (counts are complaint cycles: see RETURN_METRICS). */
const baseFigures = (cells: readonly Cell[]) => {
  const outstandingAtStart = cells.reduce((s, c) => s + c.start, 0);
  const opened = total(cells, 'o');
  const closed = total(cells, 'c');
  const upheld = total(cells, 'u');
  return {
    outstandingAtStart,
    opened,
    reopened: total(cells, 'ro'),
    closed,
    upheld,
    upheldPercent: percent(upheld, closed),
    redress: redressOf(cells),
    outstandingAtEnd: outstandingAtStart + opened - closed,
  };
};

const groupBy = <K, T>(items: readonly T[], key: (t: T) => K, id: (k: K) => string): { key: K; items: T[] }[] => {
  const out = new Map<string, { key: K; items: T[] }>();
  for (const t of items) {
    const k = key(t);
    const g = out.get(id(k));
    if (g) g.items.push(t);
    else out.set(id(k), { key: k, items: [t] });
  }
  return [...out.values()];
};
const placedId = (p: Placed) => `${p.group}\u0000${p.name}`;

// ---------- the FCA formats ----------

interface FcaMapping {
  product: (productGroup: string) => Placed;
  cause: (category: string) => Placed;
  /** Product groups reported under OTHER_GROUP because nothing maps them. */
  unmapped: Set<string>;
}

const fcaMapping = (mapping: ReturnsMapping | undefined): FcaMapping => {
  const unmapped = new Set<string>();
  const products = mapping?.products ?? {};
  const causes = mapping?.causes ?? {};
  return {
    unmapped,
    product: (pg) => {
      const name = own(products, pg) ?? own(DEFAULT_FCA_PRODUCTS, pg);
      if (name === undefined) {
        unmapped.add(pg);
        return { group: OTHER_GROUP, name: pg };
      }
      return placeProduct(name);
    },
    cause: (category) => placeCause(own(causes, category) ?? own(DEFAULT_FCA_CAUSES, category) ?? category),
  };
};

const fcaFigures = (cells: readonly Cell[], m: FcaMapping): FcaReturnTotals => {
  const { outstandingAtStart, opened, reopened, closed, upheld, upheldPercent, redress, outstandingAtEnd } = baseFigures(cells);
  const openedByCause = groupBy(cells, (c) => m.cause(c.category), placedId)
    .map(({ key, items }) => ({ group: key.group, cause: key.name, opened: total(items, 'o') }))
    .filter((c) => c.opened !== 0)
    .sort((a, b) => causeOrder({ group: a.group, name: a.cause }, { group: b.group, name: b.cause }));
  return {
    outstandingAtStart,
    opened,
    reopened,
    openedByCause,
    closed,
    closedWithin3Days: total(cells, 'c3'),
    closedWithin8Weeks: total(cells, 'c8'),
    closedAfter8Weeks: total(cells, 'cx'),
    upheld,
    upheldPercent,
    redress,
    outstandingAtEnd,
  };
};

/** One row per FCA product line, in the form's order. */
const fcaRows = (cells: readonly Cell[], m: FcaMapping): { cells: Cell[]; row: FcaReturnRow }[] =>
  groupBy(cells, (c) => m.product(c.productGroup), placedId)
    .sort((a, b) => productOrder(a.key, b.key))
    .map(({ key, items }) => ({
      cells: items,
      row: { grouping: key.group, product: key.name, productGroups: [...new Set(items.map((c) => c.productGroup))].sort(), ...fcaFigures(items, m) },
    }));

// ---------- the generic format ----------

/** Figures by product group, with the share closed by the regime's deadline. */
const genericFigures = (cells: readonly Cell[]): GenericReturnTotals => {
  const figures = baseFigures(cells);
  const closedByDeadline = total(cells, 'cd');
  return { ...figures, closedByDeadline, closedByDeadlinePercent: percent(closedByDeadline, figures.closed) };
};

// ---------- notes ----------

const COMMON_NOTES = [
  'Complaints are counted per cycle: a complaint reopened after its final response is counted as opened again in the month it reopened (also shown as reopened) and closed again when answered again.',
  'Opened: cycles started in the period (receipt or reopen). Closed: cycles whose final response was sent, or which were closed without one, in the period.',
  'Outstanding at the start: cycles opened before the period and not closed before it. Outstanding at the end = outstanding at the start + opened − closed.',
  'Months are calendar months in the organisation’s time zone.',
  'Upheld: closed with the complaint upheld fully or partially. Upheld % = upheld ÷ closed × 100, one decimal place (empty when none were closed).',
  'Redress: the compensation sent with the final responses of the cycles closed in the period, per currency as recorded (no conversion); goodwill paid outside a final response is not included.',
];

const FCA_NOTES = [
  'Closed within 3 days: answered by close of business on the third business day after receipt (DISP 1.5). Within 8 weeks: after that and within 8 weeks of receipt (or of the reopen). After 8 weeks: later.',
  'Product lines and causes: each product group and complaint category is reported under the FCA product line and cause the returns mapping names, or the default for common product groups and for each category.',
  'A complaint’s cause is its current category, for every one of its cycles.',
];

const unmappedNote = (unmapped: Set<string>) =>
  unmapped.size
    ? [`Not mapped to an FCA product line, so reported under "${OTHER_GROUP}" as themselves: ${[...unmapped].sort().join(', ')}. Name them in the returns mapping (products).`]
    : [];

// ---------- the return ----------

/** A regulator-style return for the period from the regime's month items. */
export const buildReturn = (input: ReturnInput): RegulatorReturn => {
  const { regime, period, generatedAt, mapping } = input;
  const cells = readCells(input.months, period);
  const header = { regime, period: periodInfo(period), generatedAt };

  if (period.format === 'generic') {
    const rows: GenericReturnRow[] = groupBy(cells, (c) => c.productGroup, (pg) => pg)
      .sort((a, b) => a.key.localeCompare(b.key))
      .map(({ key, items }) => ({ productGroup: key, ...genericFigures(items) }));
    return {
      format: 'generic',
      ...header,
      notes: [...COMMON_NOTES, 'Closed by the deadline: answered (final response, or closure) by the regime’s deadline for the cycle; % of those closed.'],
      rows,
      totals: genericFigures(cells),
    };
  }

  const m = fcaMapping(mapping);

  if (period.format === 'fca_disp_1_annex_1r') {
    const rows = fcaRows(cells, m).map((r) => r.row);
    return {
      format: 'fca_disp_1_annex_1r',
      ...header,
      notes: [...COMMON_NOTES, ...FCA_NOTES, ...unmappedNote(m.unmapped)],
      rows,
      totals: fcaFigures(cells, m),
    };
  }

  const consolidated = input.consolidated ?? { sources: [], options: ConsolidatedReturnOptions.parse({}) };
  return buildConsolidatedReturn({
    regime,
    period: { ...periodInfo(period), fromMonth: period.fromMonth, toMonth: period.toMonth },
    sources: consolidated.sources,
    options: consolidated.options,
    generatedAt,
    commonNotes: COMMON_NOTES.filter((n) => !n.startsWith('Redress:')),
  });
};

// ---------- CSV ----------

// The field rule (formula neutralising, RFC 4180 quoting) is the reports' one: ./csv.
export { csvField };
const csv = (rows: CsvValue[][]): string => rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';

/** The flow and closure-band columns both FCA formats start with (DISP 1 Annex 1R and the consolidated return). */
const FLOW_COLUMNS = ['outstanding_at_start', 'opened', 'reopened', 'closed', 'closed_within_3_days', 'closed_within_8_weeks', 'closed_after_8_weeks', 'upheld', 'upheld_percent', 'outstanding_at_end'] as const;

type FlowFigures = Pick<FcaReturnTotals, 'outstandingAtStart' | 'opened' | 'reopened' | 'closed' | 'closedWithin3Days' | 'closedWithin8Weeks' | 'closedAfter8Weeks' | 'upheld' | 'upheldPercent' | 'outstandingAtEnd'>;
/** The values of FLOW_COLUMNS, in their order. */
const flowValues = (f: FlowFigures): CsvValue[] => [f.outstandingAtStart, f.opened, f.reopened, f.closed, f.closedWithin3Days, f.closedWithin8Weeks, f.closedAfter8Weeks, f.upheld, f.upheldPercent, f.outstandingAtEnd];

/** The figures of an FCA row or total as CSV columns (the cause and currency columns are the same on every line). */
const fcaColumns = (causes: Placed[], currencies: string[]) => {
  const names = [
    ...FLOW_COLUMNS,
    ...currencies.map((c) => `redress_${c}`),
    ...causes.map((c) => `opened: ${c.group} > ${c.name}`),
  ];
  const values = (f: FcaReturnTotals): CsvValue[] => [
    ...flowValues(f),
    ...currencies.map((cur) => f.redress.find((a) => a.currency === cur)?.amount ?? '0.00'),
    ...causes.map((c) => f.openedByCause.find((x) => x.group === c.group && x.cause === c.name)?.opened ?? 0),
  ];
  return { names, values };
};

/** Every cause column: the form's causes, then any other cause the return reports. */
const causeColumns = (totals: FcaReturnTotals): Placed[] => {
  const known = FCA_CAUSES.flatMap((t) => t.names.map((name) => ({ group: t.group, name })));
  const extra = totals.openedByCause.map((c) => ({ group: c.group, name: c.cause })).filter((c) => !known.some((k) => k.group === c.group && k.name === c.name));
  return [...known, ...extra.sort(causeOrder)];
};

const currencyColumns = (totals: { redress: { currency: string }[] }) => totals.redress.map((a) => a.currency);

/**
 * The return as CSV (RFC 4180: CRLF line ends, a header row): one line per (entity, product line) or product group,
 * then the totals — per entity, then all entities — labelled "Total".
 */
export const returnCsv = (r: RegulatorReturn): string => {
  const lead = [r.regime, r.period.label, r.period.from, r.period.to];
  const leadNames = ['regime', 'period', 'from', 'to'];

  if (r.format === 'generic') {
    const currencies = currencyColumns(r.totals);
    const names = ['product_group', 'outstanding_at_start', 'opened', 'reopened', 'closed', 'closed_by_deadline', 'closed_by_deadline_percent', 'upheld', 'upheld_percent', 'outstanding_at_end', ...currencies.map((c) => `redress_${c}`)];
    const line = (label: string, f: GenericReturnTotals): CsvValue[] => [
      ...lead,
      label,
      f.outstandingAtStart,
      f.opened,
      f.reopened,
      f.closed,
      f.closedByDeadline,
      f.closedByDeadlinePercent,
      f.upheld,
      f.upheldPercent,
      f.outstandingAtEnd,
      ...currencies.map((cur) => f.redress.find((a) => a.currency === cur)?.amount ?? '0.00'),
    ];
    return csv([[...leadNames, ...names], ...r.rows.map((row) => line(row.productGroup, row)), line('Total', r.totals)]);
  }

  if (r.format === 'fca_disp_1_annex_1r') {
    const cols = fcaColumns(causeColumns(r.totals), currencyColumns(r.totals));
    return csv([
      [...leadNames, 'grouping', 'product', 'product_groups', ...cols.names],
      ...r.rows.map((row) => [...lead, row.grouping, row.product, row.productGroups.join(';'), ...cols.values(row)]),
      [...lead, 'Total', '', '', ...cols.values(r.totals)],
    ]);
  }

  const cols = consolidatedColumns(r.totals);
  const entityLead = (e: LegalEntityRef) => [...lead, e.id, e.name, e.frn ?? ''];
  return csv([
    [...leadNames, 'entity_id', 'entity_name', 'frn', 'product', 'product_groups', 'regimes', ...cols.names],
    ...r.entities.flatMap((e) => e.rows.map((row) => [...entityLead(e.entity), row.product, row.productGroups.join(';'), row.regimes.join(';'), ...cols.values(row, row.context)])),
    ...r.entities.map((e) => [...entityLead(e.entity), 'Total', '', '', ...cols.values(e.totals)]),
    ...(r.entities.length > 1 ? [[...lead, '*', 'All entities', '', 'Total', '', '', ...cols.values(r.totals)]] : []),
  ]);
};

const COMPONENT_COLUMNS = [
  ['financialLoss', 'financial_loss'],
  ['goodwill', 'goodwill'],
  ['distressAndInconvenience', 'distress_and_inconvenience'],
  ['waived', 'waived'],
  ['nonCash', 'non_cash'],
  ['notBrokenDown', 'not_broken_down'],
] as const;

/**
 * The consolidated return's columns: the figures, both vulnerability data points (the customer one by driver), the
 * redress per currency (total, then each component), the contextual data, and per cause opened / closed / upheld. The
 * cause and currency columns are those of the all-entities totals, so every line has the same columns.
 */
const consolidatedColumns = (totals: ConsolidatedFigures) => {
  const currencies = totals.redress.total.map((a) => a.currency);
  const causes = totals.byCause.map((c) => c.cause);
  const causeName = (c: string | null) => c ?? 'not yet determined';
  const names = [
    ...FLOW_COLUMNS,
    'vulnerable_opened',
    'vulnerable_closed',
    'vulnerable_upheld',
    ...DRIVER_COLUMNS.map((d) => `vulnerable_opened_${d}`),
    'failure_to_consider_vulnerability_opened',
    'failure_to_consider_vulnerability_closed',
    'failure_to_consider_vulnerability_upheld',
    ...currencies.flatMap((c) => [`redress_${c}`, ...COMPONENT_COLUMNS.map(([, col]) => `redress_${col}_${c}`)]),
    'non_cash_remedies',
    'context_figure',
    'context_opened_per_1000',
    ...causes.flatMap((c) => ['opened', 'closed', 'upheld'].map((m) => `${m}: ${causeName(c)}`)),
  ];
  const amount = (list: { currency: string; amount: string }[], cur: string) => list.find((a) => a.currency === cur)?.amount ?? '0.00';
  const values = (f: ConsolidatedFigures, context?: { figure: number | null; openedPer1000: number | null }): CsvValue[] => {
    const v = f.vulnerability;
    return [
      ...flowValues(f),
      v.customerVulnerable.opened,
      v.customerVulnerable.closed,
      v.customerVulnerable.upheld,
      ...DRIVER_COLUMNS.map((d) => v.customerVulnerable.openedByDriver[d]),
      v.failureToConsider.opened,
      v.failureToConsider.closed,
      v.failureToConsider.upheld,
      ...currencies.flatMap((cur) => [amount(f.redress.total, cur), ...COMPONENT_COLUMNS.map(([k]) => amount(f.redress.byComponent[k], cur))]),
      f.redress.nonCashRemedies,
      context?.figure ?? null,
      context?.openedPer1000 ?? null,
      ...causes.flatMap((c) => {
        const x = f.byCause.find((b) => b.cause === c);
        return [x?.opened ?? 0, x?.closed ?? 0, x?.upheld ?? 0];
      }),
    ];
  };
  return { names, values };
};
