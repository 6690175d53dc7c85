// The FCA consolidated complaints return (PS25/19, periods from 2027-H1): what one case contributes to its counters
// (one item per regime and month, `K#YYYY-MM` in the regime's return partition, so a return reads a fixed number of
// items whatever the number of cases), and the return built from them: one per legal entity, every UK regime the
// return covers, PS25/19's product and cause categories through configuration, both vulnerability data points and
// redress by component.
import type { Case, Cycle } from '#schemas/complaint';
import type { ConsolidatedLegalEntity, ConsolidatedReturnOptions } from '#schemas/reports';
import { CONTEXT_SECTORS } from '#schemas/reports';
import type { ConsolidatedFigures, ConsolidatedReturnRow, FcaConsolidatedReturn } from '#schemas/returns';
import { REDRESS_COMPONENTS, redressUnits } from '#schemas/redress';
import { UNSPECIFIED_DRIVER, VULNERABILITY_DRIVERS } from '#schemas/triage';
import type { CounterItem } from '#ports/report-store';
import { InvalidInputError } from '../errors';
import { caseDrivers } from '../vulnerability';
import { EIGHT_WEEKS_MS, fromMinor, itemKey, scopes, toMinor, type Counts, type Projector } from './projection';
import { consolidatedRuleCitations } from './return-rules';

// ---------- the counters ----------

/** Sort key of a regime's consolidated month item (beside the DISP 1 Annex 1R items, `M#…`, in the same partition). */
export const consolidatedSk = (month: string) => `K#${month}`;
const K_SK = /^K#(\d{4}-\d{2})$/;
export const consolidatedAttr = (metric: string, productGroup: string, causeGroup: string) => `${metric}|${productGroup}|${causeGroup}`;
/** The cause group of a complaint whose root cause is not recorded yet (an open complaint). */
export const UNDETERMINED = 'undetermined';

/** Metrics of a consolidated month item, keyed `<metric>|<product group>|<root-cause group>`; counts are complaint cycles. */
export const CONSOLIDATED_METRICS = {
  o: 'opened (receipt or reopen)',
  ro: 'of which reopened',
  c: 'closed (final response, or closure without one)',
  c3: 'closed within the summary-resolution window (third business day)',
  c8: 'closed after that window and within 8 weeks',
  cx: 'closed more than 8 weeks after the cycle start',
  u: 'closed upheld or partially upheld',
  vo: 'opened, customer in vulnerable circumstances',
  vc: 'closed, customer in vulnerable circumstances',
  vu: 'upheld, customer in vulnerable circumstances',
  fo: 'opened, root cause flagged as a failure to consider vulnerability',
  fc: 'closed, so flagged',
  fu: 'upheld, so flagged',
  nc: 'other non-cash remedies given with the final responses of closed cycles',
  'd:<driver>': 'opened by a customer in vulnerable circumstances, per FG21/1 driver',
  'r:<component>:<currency>': 'redress of closed cycles per component, in ten-thousandths',
} as const;

/** Redress of a cycle by component in ten-thousandths; compensation without a breakdown is `notBrokenDown`. */
const cycleRedress = (cy: Cycle): { component: string; currency: string; minor: number }[] => {
  if (cy.redress) {
    const u = redressUnits(cy.redress);
    return REDRESS_COMPONENTS.map((component) => ({ component, currency: cy.redress!.currency, minor: Number(u[component]) }));
  }
  return cy.compensation ? [{ component: 'notBrokenDown', currency: cy.compensation.currency, minor: toMinor(cy.compensation.amount) }] : [];
};

/** What one case contributes to its regime's consolidated month items (the caller checks the regime is covered). */
export const consolidatedCounters = (c: Case, cycles: readonly Cycle[], p: Projector): Record<string, Counts> => {
  const counters: Record<string, Counts> = {};
  const scope = scopes.returns(c.regime);
  const productGroup = p.productGroup(c.product);
  const cause = c.rootCause ? p.causeGroup(c.rootCause.category) : UNDETERMINED;
  const failure = c.rootCause?.vulnerabilityNotConsidered === true;
  const drivers = caseDrivers(c);
  const add = (month: string, metric: string, n = 1) => {
    if (!n) return;
    const item = (counters[itemKey(scope, consolidatedSk(month))] ??= {});
    const attr = consolidatedAttr(metric, productGroup, cause);
    item[attr] = (item[attr] ?? 0) + n;
  };
  for (const cy of cycles) {
    const month = p.day(cy.startedAt).slice(0, 7);
    add(month, 'o');
    if (cy.n > 1) add(month, 'ro');
    if (c.vulnerable) {
      add(month, 'vo');
      for (const d of drivers) add(month, `d:${d}`);
    }
    if (failure) add(month, 'fo');
    const stop = cy.respondedAt ?? cy.closedAt;
    if (!stop) continue;
    const closedMonth = p.day(stop).slice(0, 7);
    const closed = (m: string, n = 1) => add(closedMonth, m, n);
    closed('c');
    if (cy.summaryResolutionEndsAt && stop <= cy.summaryResolutionEndsAt) closed('c3');
    else if (Date.parse(stop) - Date.parse(cy.startedAt) <= EIGHT_WEEKS_MS) closed('c8');
    else closed('cx');
    const upheld = cy.decision === 'upheld' || cy.decision === 'partially_upheld';
    if (upheld) closed('u');
    if (c.vulnerable) {
      closed('vc');
      if (upheld) closed('vu');
    }
    if (failure) {
      closed('fc');
      if (upheld) closed('fu');
    }
    for (const r of cycleRedress(cy)) closed(`r:${r.component}:${r.currency}`, r.minor);
    closed('nc', cy.redress?.nonCash?.length ?? 0);
  }
  return counters;
};

// ---------- reading the items ----------

interface Cell {
  regime: string;
  productGroup: string;
  cause: string;
  /** Outstanding at the start: opened − closed over every month before the period. */
  start: number;
  counts: Counts;
}

export interface ConsolidatedSource {
  regime: string;
  /** The regime's consolidated month items up to the period's last month (sk `K#YYYY-MM`). */
  months: CounterItem[];
}

const readCells = (sources: readonly ConsolidatedSource[], fromMonth: string, toMonth: string): Cell[] => {
  const cells = new Map<string, Cell>();
  for (const { regime, months } of sources) {
    for (const item of months) {
      const month = K_SK.exec(item.sk)?.[1];
      if (!month || month > toMonth) continue;
      const before = month < fromMonth;
      for (const [attr, n] of Object.entries(item.counts)) {
        const parts = attr.split('|');
        if (parts.length !== 3 || !n) continue;
        const [metric, productGroup, cause] = parts as [string, string, string];
        const key = `${regime}|${productGroup}|${cause}`;
        let cell = cells.get(key);
        if (!cell) cells.set(key, (cell = { regime, productGroup, cause, start: 0, counts: {} }));
        if (before) {
          if (metric === 'o') cell.start += n;
          else if (metric === 'c') cell.start -= n;
        } else cell.counts[metric] = (cell.counts[metric] ?? 0) + n;
      }
    }
  }
  return [...cells.values()].filter((c) => c.start !== 0 || Object.values(c.counts).some((n) => n !== 0));
};

// ---------- the figures ----------

const total = (cells: readonly Cell[], metric: string) => cells.reduce((s, c) => s + (c.counts[metric] ?? 0), 0);
const percent = (count: number, of: number): number | null => (of ? Math.round((count * 1000) / of) / 10 : null);

/** Amounts per currency of one redress component (or of all, `*`), as decimal strings, by currency code. */
const amounts = (cells: readonly Cell[], component: string) => {
  const byCurrency = new Map<string, number>();
  for (const c of cells)
    for (const [k, n] of Object.entries(c.counts)) {
      const m = /^r:(\w+):([A-Z]{3})$/.exec(k);
      if (!m || (component !== '*' && m[1] !== component)) continue;
      byCurrency.set(m[2]!, (byCurrency.get(m[2]!) ?? 0) + n);
    }
  return [...byCurrency]
    .filter(([, n]) => n)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, n]) => ({ currency, amount: fromMinor(n) }));
};

const figures = (cells: readonly Cell[], causeOf: (cause: string) => string | null, causeRank: (cause: string | null) => number): ConsolidatedFigures => {
  const outstandingAtStart = cells.reduce((s, c) => s + c.start, 0);
  const opened = total(cells, 'o');
  const closed = total(cells, 'c');
  const upheld = total(cells, 'u');
  const byCause = new Map<string | null, Cell[]>();
  for (const c of cells) {
    const k = causeOf(c.cause);
    (byCause.get(k) ?? byCause.set(k, []).get(k)!).push(c);
  }
  const driverCount = (d: string) => total(cells, `d:${d}`);
  return {
    outstandingAtStart,
    opened,
    reopened: total(cells, 'ro'),
    closed,
    closedWithin3Days: total(cells, 'c3'),
    closedWithin8Weeks: total(cells, 'c8'),
    closedAfter8Weeks: total(cells, 'cx'),
    upheld,
    upheldPercent: percent(upheld, closed),
    outstandingAtEnd: outstandingAtStart + opened - closed,
    byCause: [...byCause]
      .map(([cause, cs]) => ({ cause, opened: total(cs, 'o'), closed: total(cs, 'c'), upheld: total(cs, 'u') }))
      .filter((f) => f.opened || f.closed || f.upheld)
      .sort((a, b) => causeRank(a.cause) - causeRank(b.cause)),
    vulnerability: {
      customerVulnerable: {
        opened: total(cells, 'vo'),
        closed: total(cells, 'vc'),
        upheld: total(cells, 'vu'),
        openedByDriver: {
          health: driverCount('health'),
          life_events: driverCount('life_events'),
          resilience: driverCount('resilience'),
          capability: driverCount('capability'),
          unspecified: driverCount(UNSPECIFIED_DRIVER),
        },
      },
      failureToConsider: { opened: total(cells, 'fo'), closed: total(cells, 'fc'), upheld: total(cells, 'fu') },
    },
    redress: {
      total: amounts(cells, '*'),
      byComponent: {
        financialLoss: amounts(cells, 'financialLoss'),
        goodwill: amounts(cells, 'goodwill'),
        distressAndInconvenience: amounts(cells, 'distressAndInconvenience'),
        waived: amounts(cells, 'waived'),
        nonCash: amounts(cells, 'nonCash'),
        notBrokenDown: amounts(cells, 'notBrokenDown'),
      },
      nonCashRemedies: total(cells, 'nc'),
    },
  };
};

// ---------- the mapping ----------

/** Where the configuration lives, as a 400 names it. */
const CONFIG_PATH = 'REPORTING.consolidatedReturn';

/**
 * Every product group and root-cause group with something to report must map onto the taxonomy: an unmapped one is a
 * 400 naming each, so nothing is reported under a category the firm did not choose. Maps, never object lookups with
 * the data's keys (a product group may be any name, `constructor` included).
 */
const mapping = (o: ConsolidatedReturnOptions, cells: readonly Cell[]) => {
  const products = new Map(Object.entries(o.products));
  const causes = new Map(Object.entries(o.causes));
  const unmappedProducts = [...new Set(cells.map((c) => c.productGroup).filter((pg) => !products.has(pg)))].sort();
  const unmappedCauses = [...new Set(cells.map((c) => c.cause).filter((k) => k !== UNDETERMINED && !causes.has(k)))].sort();
  if (unmappedProducts.length || unmappedCauses.length) {
    const errors = [
      ...unmappedProducts.map((pg) => ({ field: `${CONFIG_PATH}.products.${pg}`, message: `product group "${pg}" is not mapped onto a product category of the consolidated return` })),
      ...unmappedCauses.map((k) => ({ field: `${CONFIG_PATH}.causes.${k}`, message: `root-cause group "${k}" is not mapped onto a cause category of the consolidated return` })),
    ];
    const parts = [unmappedProducts.length ? `product groups ${unmappedProducts.join(', ')}` : '', unmappedCauses.length ? `root-cause groups ${unmappedCauses.join(', ')}` : ''].filter(Boolean);
    throw new InvalidInputError(
      `the consolidated return (PS25/19) reports in the FCA's product and cause categories, and ${parts.join(' and ')} map onto none: name the taxonomy in ${CONFIG_PATH}.taxonomy and map each in ${CONFIG_PATH}.products / .causes`,
      errors,
    );
  }
  const productRank = new Map(o.taxonomy.products.map((name, i) => [name, i]));
  const causeRank = new Map(o.taxonomy.causes.map((name, i) => [name, i]));
  return {
    product: (pg: string) => products.get(pg)!,
    cause: (k: string): string | null => (k === UNDETERMINED ? null : causes.get(k)!),
    productRank: (name: string) => productRank.get(name) ?? Number.MAX_SAFE_INTEGER,
    causeRank: (name: string | null) => (name === null ? Number.MAX_SAFE_INTEGER : (causeRank.get(name) ?? Number.MAX_SAFE_INTEGER - 1)),
  };
};

/** Which entity reports a product group: the first listing it, else the first listing none, else `unassigned`. */
const entities = (configured: readonly ConsolidatedLegalEntity[]) => {
  const all: ConsolidatedLegalEntity[] = configured.length ? [...configured] : [{ id: 'default', name: 'Default', productGroups: [], sectors: [], context: {} }];
  const listed = new Map<string, ConsolidatedLegalEntity>();
  for (const e of all) for (const pg of e.productGroups) if (!listed.has(pg)) listed.set(pg, e);
  const catchAll = all.find((e) => e.productGroups.length === 0);
  const unassigned: ConsolidatedLegalEntity = { id: 'unassigned', name: 'Not assigned to a legal entity', productGroups: [], sectors: [], context: {} };
  return { all, of: (pg: string) => listed.get(pg) ?? catchAll ?? unassigned, unassigned };
};

// ---------- the return ----------

export interface ConsolidatedInput {
  /** The regime the return was asked for (any regime the return covers). */
  regime: string;
  period: { label: string; fromMonth: string; toMonth: string; from: string; to: string };
  sources: readonly ConsolidatedSource[];
  options: ConsolidatedReturnOptions;
  generatedAt: string;
  /** The counting rules every return states. */
  commonNotes: readonly string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export const buildConsolidatedReturn = (input: ConsolidatedInput): FcaConsolidatedReturn => {
  const { options, period } = input;
  const cells = readCells(input.sources, period.fromMonth, period.toMonth);
  const m = mapping(options, cells);
  const ents = entities(options.legalEntities);
  const byEntity = new Map<string, Cell[]>();
  for (const c of cells) {
    const e = ents.of(c.productGroup);
    (byEntity.get(e.id) ?? byEntity.set(e.id, []).get(e.id)!).push(c);
  }
  const reported = byEntity.has(ents.unassigned.id) ? [...ents.all, ents.unassigned] : ents.all;
  const missingContext: string[] = [];

  const entityReturns = reported.map((e) => {
    const cs = byEntity.get(e.id) ?? [];
    const contextRequired = e.sectors.some((s) => CONTEXT_SECTORS.includes(s));
    const context = new Map(Object.entries(Object.hasOwn(e.context, period.label) ? e.context[period.label]! : {}));
    const byProduct = new Map<string, Cell[]>();
    for (const c of cs) {
      const name = m.product(c.productGroup);
      (byProduct.get(name) ?? byProduct.set(name, []).get(name)!).push(c);
    }
    const rows: ConsolidatedReturnRow[] = [...byProduct]
      .sort(([a], [b]) => m.productRank(a) - m.productRank(b))
      .map(([product, pcs]) => {
        const f = figures(pcs, m.cause, m.causeRank);
        const row: ConsolidatedReturnRow = {
          product,
          productGroups: [...new Set(pcs.map((c) => c.productGroup))].sort(),
          regimes: [...new Set(pcs.map((c) => c.regime))].sort(),
          ...f,
        };
        if (contextRequired) {
          const figure = context.get(product) ?? null;
          if (figure === null) missingContext.push(`${e.id}: ${product}`);
          row.context = { figure, openedPer1000: figure ? round2((f.opened * 1000) / figure) : null };
        }
        return row;
      });
    const totals = figures(cs, m.cause, m.causeRank);
    return {
      entity: { id: e.id, name: e.name, ...(e.frn ? { frn: e.frn } : {}), sectors: [...e.sectors] },
      nilReturn: totals.opened === 0 && totals.outstandingAtStart === 0,
      contextRequired,
      rows,
      totals,
    };
  });

  return {
    format: 'fca_consolidated',
    regime: input.regime,
    regimes: [...options.regimes],
    period: { label: period.label, from: period.from, to: period.to },
    generatedAt: input.generatedAt,
    notes: [
      ...input.commonNotes,
      `One return per legal entity (group reporting is removed) covering every UK regime the entity runs: ${options.regimes.join(', ')}. An entity with no complaints opened and none outstanding is a nil return.`,
      'Product and cause categories are those of the configured taxonomy (the FCA’s updated complaints taxonomy, PS25/19); every product group and root-cause group is mapped onto one by configuration. A complaint still open without a root cause is counted under cause “not yet determined” (null).',
      'Closed within 3 days: answered by close of business on the third business day after receipt (the summary-resolution window). Within 8 weeks: after that and within 8 weeks of receipt or reopen. After 8 weeks: later.',
      'Customers in vulnerable circumstances: complaints where the customer is recorded as vulnerable, however the firm learnt of it, counted by FG21/1 driver (health, life events, resilience, capability) of the triage cues recorded; unspecified when none names a driver. Failure to consider vulnerability: complaints whose root cause is flagged as a failure to consider or respond to a customer’s vulnerability.',
      'Redress: amounts paid and costs borne with a readily identified cash value, per component (financial loss, goodwill, distress and inconvenience, waived amounts, other non-cash remedies) as recorded on the approved resolution; compensation recorded before components were recorded is shown as not broken down.',
      'Contextual data: carried by entities in the retail banking, insurance, payment services and claims management sectors; the figure is the firm’s own, from configuration, and opened per 1,000 is opened ÷ figure × 1,000.',
      ...(missingContext.length ? [`Contextual figure not configured for this period (legalEntities[].context["${period.label}"]): ${missingContext.join('; ')}.`] : []),
      ...(byEntity.has(ents.unassigned.id) ? ['Some product groups are listed by no legal entity and no entity takes the unlisted ones: they are reported under "unassigned".'] : []),
    ],
    rules: consolidatedRuleCitations(),
    entities: entityReturns,
    totals: figures(cells, m.cause, m.causeRank),
  };
};

/** The driver columns, in the guidance's order then unspecified. */
export const DRIVER_COLUMNS = [...VULNERABILITY_DRIVERS, UNSPECIFIED_DRIVER] as const;
