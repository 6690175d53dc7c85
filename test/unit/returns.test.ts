// Regulator-style complaints returns: the period, the three formats from the month items, the mapping and the CSV.
// Pure: every expected figure below is worked out by hand from the month items of its test.
import { InvalidInputError } from '#domain/errors';
import { contributions, itemKey, projector, returnAttr, scopes, splitKey, type ReturnMetric } from '#domain/reporting/projection';
import { buildReturn, csvField, parseReturnPeriod, percent, returnCsv, type ReturnPeriod } from '#domain/reporting/returns';
import type { CounterItem } from '#ports/report-store';
import { ReportingOptions, ReturnsMapping, type ReportingConfig } from '#schemas/reports';
import { RegulatorReturn, ReturnsQuery, type FcaDispReturn, type GenericReturn } from '#schemas/returns';
import type { Case } from '#schemas/complaint';
import { DAY, NOW, at, openedCase } from './fixtures';

const GENERATED_AT = '2026-07-15T08:00:00.000Z';

/** A month item of a regime's return partition. */
const month = (m: string, counts: [ReturnMetric | `r:${string}`, string, string, number][]): CounterItem => ({
  sk: `M#${m}`,
  counts: Object.fromEntries(counts.map(([metric, pg, category, n]) => [returnAttr(metric, pg, category), n])),
});

/** Money in ten-thousandths, as the projection counts it. */
const minor = (amount: number) => Math.round(amount * 10_000);

const invalid = (fn: () => unknown): InvalidInputError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidInputError) return e;
    throw e;
  }
  throw new Error('expected an InvalidInputError');
};

const build = (regime: string, period: string, months: CounterItem[], mapping?: unknown) =>
  buildReturn({ regime, period: parseReturnPeriod(regime, period), months, mapping: mapping === undefined ? undefined : ReturnsMapping.parse(mapping), generatedAt: GENERATED_AT });

describe('parseReturnPeriod', () => {
  const range = (p: ReturnPeriod) => [p.fromMonth, p.toMonth];

  it('reads every period syntax (a regime without its own format: generic)', () => {
    expect(parseReturnPeriod('US_CFPB', '2026-H1')).toEqual({ label: '2026-H1', fromMonth: '2026-01', toMonth: '2026-06', format: 'generic' });
    expect(range(parseReturnPeriod('US_CFPB', '2026-H2'))).toEqual(['2026-07', '2026-12']);
    expect(range(parseReturnPeriod('US_CFPB', '2026-Q1'))).toEqual(['2026-01', '2026-03']);
    expect(range(parseReturnPeriod('US_CFPB', '2026-Q4'))).toEqual(['2026-10', '2026-12']);
    expect(range(parseReturnPeriod('US_CFPB', '2026-02'))).toEqual(['2026-02', '2026-02']);
    expect(range(parseReturnPeriod('US_CFPB', '2026'))).toEqual(['2026-01', '2026-12']);
    expect(parseReturnPeriod('US_CFPB', '2025-04/2026-03')).toEqual({ label: '2025-04/2026-03', fromMonth: '2025-04', toMonth: '2026-03', format: 'generic' });
    expect(range(parseReturnPeriod('US_CFPB', '2026-05/2026-05'))).toEqual(['2026-05', '2026-05']);
  });

  it('a month range covers at most 60 months', () => {
    expect(range(parseReturnPeriod('US_CFPB', '2021-01/2025-12'))).toEqual(['2021-01', '2025-12']);
    const e = invalid(() => parseReturnPeriod('US_CFPB', '2021-01/2026-01'));
    expect(e.errors).toEqual([{ field: 'query.period', message: 'a range covers at most 60 months (this one covers 61)' }]);
  });

  it.each(['', '2026-13', '2026-00', '2026-H3', '2026-H0', '2026-Q0', '2026-Q5', '2026-h1', '2026-q1', '26-01', '2026-1', ' 2026', '2026 ', '2026-01/', '2026-01/2026-1', '2026-01-01', '2026/2027', 'H1-2026', '2026-01/2026-13'])(
    'refuses %j',
    (period) => {
      const e = invalid(() => parseReturnPeriod('US_CFPB', period));
      expect(e.errors).toHaveLength(1);
      expect(e.errors[0]!.field).toBe('query.period');
    },
  );

  it('refuses a range that ends before it starts', () => {
    expect(invalid(() => parseReturnPeriod('US_CFPB', '2026-06/2026-01')).errors[0]!.message).toBe('the range ends (2026-01) before it starts (2026-06)');
  });

  it('UK_FCA_DISP: a period ending before 2027 is the DISP 1 Annex 1R return, in any syntax (the firm’s own reporting year)', () => {
    for (const p of ['2026-H1', '2026-H2', '2026-Q4', '2026-12', '2026', '2025-04/2026-03', '2022-01/2026-12']) {
      expect(parseReturnPeriod('UK_FCA_DISP', p).format).toBe('fca_disp_1_annex_1r');
    }
  });

  it('UK_FCA_DISP: from 2027 only fixed half years, as the consolidated return', () => {
    expect(parseReturnPeriod('UK_FCA_DISP', '2027-H1')).toEqual({ label: '2027-H1', fromMonth: '2027-01', toMonth: '2027-06', format: 'fca_consolidated' });
    expect(parseReturnPeriod('UK_FCA_DISP', '2028-H2')).toEqual({ label: '2028-H2', fromMonth: '2028-07', toMonth: '2028-12', format: 'fca_consolidated' });
    // The same six months written as a range are that half year.
    expect(parseReturnPeriod('UK_FCA_DISP', '2027-07/2027-12')).toEqual({ label: '2027-H2', fromMonth: '2027-07', toMonth: '2027-12', format: 'fca_consolidated' });
    for (const p of ['2027-Q1', '2027-01', '2027', '2027-02/2027-07', '2027-01/2027-12', '2027-01/2027-05']) {
      const e = invalid(() => parseReturnPeriod('UK_FCA_DISP', p));
      expect(e.errors[0]!.message).toMatch(/fixed half years: use YYYY-H1/);
    }
  });

  it('UK_FCA_DISP: a period spanning 1 January 2027 is refused; other regimes may span it', () => {
    for (const p of ['2026-07/2027-06', '2026-12/2027-01', '2026-01/2027-12']) {
      const e = invalid(() => parseReturnPeriod('UK_FCA_DISP', p));
      expect(e.errors[0]!.message).toMatch(/spans 1 January 2027.*end it by 2026-12 or start it at 2027-01/);
    }
    expect(parseReturnPeriod('US_CFPB', '2026-07/2027-06').format).toBe('generic');
  });

  it('UK_FCA_PSD: its own (generic) return before 2027; from 2027 the consolidated return, in fixed half years only (PS25/19)', () => {
    expect(parseReturnPeriod('UK_FCA_PSD', '2026-Q1').format).toBe('generic');
    expect(parseReturnPeriod('UK_FCA_PSD', '2027-H1')).toEqual({ label: '2027-H1', fromMonth: '2027-01', toMonth: '2027-06', format: 'fca_consolidated' });
    expect(parseReturnPeriod('UK_FCA_PSD', '2027-07/2027-12')).toMatchObject({ label: '2027-H2', format: 'fca_consolidated' });
    for (const p of ['2027-Q1', '2027-03', '2027', '2027-02/2027-07']) expect(invalid(() => parseReturnPeriod('UK_FCA_PSD', p)).errors[0]!.message).toMatch(/fixed half years/);
    expect(invalid(() => parseReturnPeriod('UK_FCA_PSD', '2026-07/2027-06')).errors[0]!.message).toMatch(/spans 1 January 2027/);
    // A regime the organisation leaves out of the consolidated return keeps its generic return.
    expect(parseReturnPeriod('UK_FCA_PSD', '2027-Q1', ['UK_FCA_DISP']).format).toBe('generic');
  });

  it('the query schema takes the same syntaxes', () => {
    expect(ReturnsQuery.safeParse({ regime: 'UK_FCA_DISP', period: '2025-04/2026-03' }).success).toBe(true);
    expect(ReturnsQuery.safeParse({ regime: 'UK_FCA_DISP', period: '2026-H3' }).success).toBe(false);
    expect(ReturnsQuery.safeParse({ regime: 'uk', period: '2026' }).success).toBe(false);
    expect(ReturnsQuery.safeParse({ regime: 'UK_FCA_DISP' }).success).toBe(false);
  });
});

describe('percent', () => {
  it('one decimal place, null of nothing', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(1, 16)).toBe(6.3);
    expect(percent(3, 3)).toBe(100);
    expect(percent(0, 5)).toBe(0);
    expect(percent(0, 0)).toBeNull();
  });
});

// ---------- the DISP 1 Annex 1R return ----------

/** H1 2026 for a bank: current accounts, credit cards, a mortgage, and a product group nothing maps. */
const dispMonths = (): CounterItem[] => [
  // Before the period: current accounts 5 opened − 2 closed, then 1 more closed → 2 outstanding; credit cards 4 − 1 → 3.
  month('2025-11', [
    ['o', 'current_accounts', 'service_delay', 5],
    ['c', 'current_accounts', 'service_delay', 2],
  ]),
  month('2025-12', [
    ['o', 'credit_cards', 'billing', 4],
    ['c', 'credit_cards', 'billing', 1],
    ['c', 'current_accounts', 'service_delay', 1],
    ['u', 'credit_cards', 'billing', 1], // before the period: not counted
    ['r:GBP', 'credit_cards', 'billing', minor(50)], // before the period: not counted
  ]),
  month('2026-01', [
    ['o', 'current_accounts', 'service_delay', 3],
    ['ro', 'current_accounts', 'service_delay', 1],
    ['c', 'current_accounts', 'service_delay', 4],
    ['c3', 'current_accounts', 'service_delay', 1],
    ['c8', 'current_accounts', 'service_delay', 2],
    ['cx', 'current_accounts', 'service_delay', 1],
    ['u', 'current_accounts', 'service_delay', 2],
    ['r:GBP', 'current_accounts', 'service_delay', minor(120.5)],
    ['o', 'current_accounts', 'agent_interaction', 2],
  ]),
  month('2026-03', [
    ['o', 'credit_cards', 'billing', 2],
    ['c', 'credit_cards', 'billing', 3],
    ['c8', 'credit_cards', 'billing', 3],
    ['u', 'credit_cards', 'billing', 1],
    ['r:GBP', 'credit_cards', 'billing', minor(25)],
    ['r:EUR', 'credit_cards', 'billing', 12_345],
    ['o', 'mortgages', 'other', 1],
    ['o', 'pet_insurance', 'policy', 1],
  ]),
  // After the period (the service reads only up to its last month, but a stray item changes nothing).
  month('2026-07', [['o', 'current_accounts', 'service_delay', 100]]),
  // Not a month item, and an attribute that is not a return figure.
  { sk: 'D#2026-01-05', counts: { [returnAttr('o', 'current_accounts', 'service_delay')]: 50 } },
  { sk: 'M#2026-02', counts: { bogus: 7, 'o|only_two': 3 } },
];

describe('buildReturn: FCA DISP 1 Annex 1R', () => {
  const r = build('UK_FCA_DISP', '2026-H1', dispMonths()) as FcaDispReturn;

  it('is the DISP 1 Annex 1R return for the period', () => {
    expect(RegulatorReturn.parse(r)).toEqual(r);
    expect(r.format).toBe('fca_disp_1_annex_1r');
    expect(r.regime).toBe('UK_FCA_DISP');
    expect(r.period).toEqual({ label: '2026-H1', from: '2026-01-01', to: '2026-06-30' });
    expect(r.generatedAt).toBe(GENERATED_AT);
  });

  it('one row per FCA product line, in the order of the form, with the default mapping', () => {
    expect(r.rows.map((row) => [row.grouping, row.product, row.productGroups])).toEqual([
      ['Banking and credit cards', 'Current accounts', ['current_accounts']],
      ['Banking and credit cards', 'Credit cards', ['credit_cards']],
      ['Home finance', 'Other regulated home finance products', ['mortgages']],
      ['Other', 'pet_insurance', ['pet_insurance']],
    ]);
  });

  it('current accounts: outstanding from every earlier month, the closure bands, upheld and redress', () => {
    expect(r.rows[0]).toEqual({
      grouping: 'Banking and credit cards',
      product: 'Current accounts',
      productGroups: ['current_accounts'],
      outstandingAtStart: 2, // (5 − 2) + (0 − 1)
      opened: 5, // 3 service delays + 2 about staff
      reopened: 1,
      openedByCause: [
        { group: 'General admin/customer service', cause: 'Delays/timescales', opened: 3 },
        { group: 'General admin/customer service', cause: 'Other general admin/customer service', opened: 2 },
      ],
      closed: 4,
      closedWithin3Days: 1,
      closedWithin8Weeks: 2,
      closedAfter8Weeks: 1,
      upheld: 2,
      upheldPercent: 50,
      redress: [{ currency: 'GBP', amount: '120.50' }],
      outstandingAtEnd: 3, // 2 + 5 − 4
    });
  });

  it('credit cards: redress per currency, and figures from before the period left out', () => {
    expect(r.rows[1]).toMatchObject({
      outstandingAtStart: 3,
      opened: 2,
      reopened: 0,
      openedByCause: [{ group: 'Information, sums/charges or product performance', cause: 'Disputes over sums/charges', opened: 2 }],
      closed: 3,
      closedWithin3Days: 0,
      closedWithin8Weeks: 3,
      closedAfter8Weeks: 0,
      upheld: 1,
      upheldPercent: 33.3,
      redress: [
        { currency: 'EUR', amount: '1.2345' },
        { currency: 'GBP', amount: '25.00' },
      ],
      outstandingAtEnd: 2,
    });
  });

  it('an unmapped product group is its own row under Other, and a note names it', () => {
    expect(r.rows[3]).toMatchObject({
      opened: 1,
      closed: 0,
      upheldPercent: null,
      redress: [],
      openedByCause: [{ group: 'Information, sums/charges or product performance', cause: 'Product performance/features', opened: 1 }],
      outstandingAtEnd: 1,
    });
    expect(r.notes).toContain('Not mapped to an FCA product line, so reported under "Other" as themselves: pet_insurance. Name them in the returns mapping (products).');
  });

  it('totals are the sum of the rows', () => {
    expect(r.totals).toEqual({
      outstandingAtStart: 5,
      opened: 9,
      reopened: 1,
      openedByCause: [
        { group: 'Information, sums/charges or product performance', cause: 'Disputes over sums/charges', opened: 2 },
        { group: 'Information, sums/charges or product performance', cause: 'Product performance/features', opened: 1 },
        { group: 'General admin/customer service', cause: 'Delays/timescales', opened: 3 },
        { group: 'General admin/customer service', cause: 'Other general admin/customer service', opened: 2 },
        { group: 'Other', cause: 'Other', opened: 1 },
      ],
      closed: 7,
      closedWithin3Days: 1,
      closedWithin8Weeks: 5,
      closedAfter8Weeks: 1,
      upheld: 3,
      upheldPercent: 42.9, // 3 ÷ 7
      redress: [
        { currency: 'EUR', amount: '1.2345' },
        { currency: 'GBP', amount: '145.50' },
      ],
      outstandingAtEnd: 7, // 5 + 9 − 7
    });
  });

  it('states its counting rules', () => {
    expect(r.notes.some((n) => n.includes('reopened after its final response is counted as opened again'))).toBe(true);
    expect(r.notes.some((n) => n.startsWith('Closed within 3 days'))).toBe(true);
  });

  it('the mapping names product lines and causes: known names, group names, "Group > Line", aliases and unknown names', () => {
    const mapped = build('UK_FCA_DISP', '2026-H1', dispMonths(), {
      products: { current_accounts: 'packaged BANK accounts', mortgages: 'home finance', pet_insurance: 'Insurance and pure protection > Pet insurance', credit_cards: 'Store cards' },
      causes: { service_delay: 'Errors/not following instructions', billing: 'Terms and disputed sums/charges', agent_interaction: 'Complaint handling' },
    }) as FcaDispReturn;
    expect(mapped.rows.map((row) => [row.grouping, row.product, row.productGroups])).toEqual([
      ['Banking and credit cards', 'Packaged bank accounts', ['current_accounts']],
      ['Home finance', 'Home finance', ['mortgages']],
      ['Insurance and pure protection', 'Pet insurance', ['pet_insurance']],
      ['Other', 'Store cards', ['credit_cards']],
    ]);
    expect(mapped.rows[0]!.openedByCause).toEqual([
      { group: 'General admin/customer service', cause: 'Errors/not following instructions', opened: 3 },
      { group: 'Other', cause: 'Complaint handling', opened: 2 },
    ]);
    // The pre-2016 name of the group is understood.
    expect(mapped.rows[3]!.openedByCause).toEqual([{ group: 'Information, sums/charges or product performance', cause: 'Information, sums/charges or product performance', opened: 2 }]);
    // Every product group is mapped: no note.
    expect(mapped.notes.some((n) => n.startsWith('Not mapped'))).toBe(false);
    expect(mapped.totals.opened).toBe(9);
  });

  it('product groups mapped to the same line share its row', () => {
    const merged = build('UK_FCA_DISP', '2026-H1', dispMonths(), { products: { credit_cards: 'Current accounts' } }) as FcaDispReturn;
    expect(merged.rows[0]).toMatchObject({ product: 'Current accounts', productGroups: ['credit_cards', 'current_accounts'], outstandingAtStart: 5, opened: 7, closed: 7, upheld: 3, upheldPercent: 42.9 });
    expect(merged.rows).toHaveLength(3);
  });

  it('the default product lines of common product groups', () => {
    const groups = ['current_accounts', 'packaged_accounts', 'credit_cards', 'overdrafts', 'savings', 'loans', 'mortgages', 'home_insurance', 'motor_insurance', 'pensions', 'investments'];
    const r2 = build('UK_FCA_DISP', '2026-Q2', [month('2026-04', groups.map((g): [ReturnMetric, string, string, number] => ['o', g, 'other', 1]))]) as FcaDispReturn;
    expect(r2.rows.map((row) => `${row.grouping} / ${row.product} ← ${row.productGroups.join()}`)).toEqual([
      'Banking and credit cards / Current accounts ← current_accounts',
      'Banking and credit cards / Packaged bank accounts ← packaged_accounts',
      'Banking and credit cards / Credit cards ← credit_cards',
      'Banking and credit cards / Overdrafts ← overdrafts',
      'Banking and credit cards / Savings (inc. cash ISAs) and other banking ← savings',
      'Home finance / Other regulated home finance products ← mortgages',
      'Insurance and pure protection / Motor and transport ← motor_insurance',
      'Insurance and pure protection / Property ← home_insurance',
      'Decumulation and pensions / Personal pensions ← pensions',
      'Investments / Other investment products ← investments',
      'Credit related / Unsecured personal loans ← loans',
    ]);
    expect(r2.totals.openedByCause).toEqual([{ group: 'Other', cause: 'Other', opened: 11 }]);
  });

  it('the default cause of every category', () => {
    const categories = ['product_issue', 'service_delay', 'billing', 'policy', 'agent_interaction', 'other'];
    const r2 = build('UK_FCA_DISP', '2026-05', [month('2026-05', categories.map((c, i): [ReturnMetric, string, string, number] => ['o', 'current_accounts', c, 10 ** i]))]) as FcaDispReturn;
    expect(r2.totals.openedByCause).toEqual([
      { group: 'Information, sums/charges or product performance', cause: 'Disputes over sums/charges', opened: 100 },
      { group: 'Information, sums/charges or product performance', cause: 'Product performance/features', opened: 1_001 }, // product_issue + policy
      { group: 'General admin/customer service', cause: 'Delays/timescales', opened: 10 },
      { group: 'General admin/customer service', cause: 'Other general admin/customer service', opened: 10_000 },
      { group: 'Other', cause: 'Other', opened: 100_000 },
    ]);
  });

  it('a period with nothing to report is a return with no rows and zero totals', () => {
    const empty = build('UK_FCA_DISP', '2026-H1', []) as FcaDispReturn;
    expect(empty.rows).toEqual([]);
    expect(empty.totals).toMatchObject({ outstandingAtStart: 0, opened: 0, closed: 0, upheldPercent: null, redress: [], openedByCause: [], outstandingAtEnd: 0 });
    // A product group whose complaints were all closed before the period has no row.
    const settled = build('UK_FCA_DISP', '2026-H1', [month('2025-01', [['o', 'savings', 'billing', 2]]), month('2025-02', [['c', 'savings', 'billing', 2]])]) as FcaDispReturn;
    expect(settled.rows).toEqual([]);
  });
});

describe('outstanding at the start', () => {
  it('sums opened − closed over every month before the period, however far back', () => {
    const months = [
      month('2019-03', [['o', 'cards', 'billing', 3]]),
      month('2023-06', [['c', 'cards', 'billing', 1]]),
      month('2025-12', [
        ['o', 'cards', 'billing', 1],
        ['c', 'cards', 'billing', 2],
        ['ro', 'cards', 'billing', 1], // a figure other than opened/closed before the period changes nothing
      ]),
      month('2026-01', [['c', 'cards', 'billing', 1]]),
    ];
    const r = build('US_CFPB', '2026-H1', months) as GenericReturn;
    expect(r.rows[0]).toMatchObject({ productGroup: 'cards', outstandingAtStart: 1, opened: 0, reopened: 0, closed: 1, outstandingAtEnd: 0 });
    // A later period sees the January closure as history.
    expect((build('US_CFPB', '2026-02', months) as GenericReturn).rows).toEqual([]);
    // An earlier one ends before it.
    expect((build('US_CFPB', '2023', months) as GenericReturn).totals).toMatchObject({ outstandingAtStart: 3, closed: 1, outstandingAtEnd: 2 });
  });
});

// ---------- the generic return ----------

const genericMonths = (): CounterItem[] => [
  month('2025-12', [
    ['o', 'delivery', 'service_delay', 3],
    ['c', 'delivery', 'service_delay', 1],
  ]),
  month('2026-01', [
    ['o', 'delivery', 'service_delay', 2],
    ['c', 'delivery', 'service_delay', 3],
    ['cd', 'delivery', 'service_delay', 2],
    ['u', 'delivery', 'service_delay', 1],
    ['r:GBP', 'delivery', 'service_delay', minor(10)],
  ]),
  month('2026-02', [
    ['o', 'broadband', 'billing', 4],
    ['ro', 'broadband', 'billing', 1],
    ['c', 'broadband', 'billing', 1],
    ['cd', 'broadband', 'billing', 1],
    ['u', 'broadband', 'billing', 1],
  ]),
  month('2026-04', [['o', 'broadband', 'billing', 9]]),
];

describe('buildReturn: generic', () => {
  const r = build('US_CFPB', '2026-Q1', genericMonths()) as GenericReturn;

  it('one row per product group, by name, with the deadline share; totals', () => {
    expect(RegulatorReturn.parse(r)).toEqual(r);
    expect(r.format).toBe('generic');
    expect(r.period).toEqual({ label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' });
    expect(r.rows).toEqual([
      {
        productGroup: 'broadband',
        outstandingAtStart: 0,
        opened: 4,
        reopened: 1,
        closed: 1,
        upheld: 1,
        upheldPercent: 100,
        redress: [],
        outstandingAtEnd: 3,
        closedByDeadline: 1,
        closedByDeadlinePercent: 100,
      },
      {
        productGroup: 'delivery',
        outstandingAtStart: 2,
        opened: 2,
        reopened: 0,
        closed: 3,
        upheld: 1,
        upheldPercent: 33.3,
        redress: [{ currency: 'GBP', amount: '10.00' }],
        outstandingAtEnd: 1,
        closedByDeadline: 2,
        closedByDeadlinePercent: 66.7,
      },
    ]);
    expect(r.totals).toEqual({
      outstandingAtStart: 2,
      opened: 6,
      reopened: 1,
      closed: 4,
      upheld: 2,
      upheldPercent: 50,
      redress: [{ currency: 'GBP', amount: '10.00' }],
      outstandingAtEnd: 4,
      closedByDeadline: 3,
      closedByDeadlinePercent: 75,
    });
    expect(r.notes.some((n) => n.startsWith('Closed by the deadline'))).toBe(true);
  });

  it('ignores the FCA mapping', () => {
    expect(build('US_CFPB', '2026-Q1', genericMonths(), { products: { delivery: 'Current accounts' } })).toEqual(r);
  });

  it('the period ends on the last day of its last month', () => {
    expect((build('US_CFPB', '2024-02', []) as GenericReturn).period).toEqual({ label: '2024-02', from: '2024-02-01', to: '2024-02-29' });
    expect((build('US_CFPB', '2025-02', []) as GenericReturn).period.to).toBe('2025-02-28');
    expect((build('US_CFPB', '2025-11/2026-04', []) as GenericReturn).period).toEqual({ label: '2025-11/2026-04', from: '2025-11-01', to: '2026-04-30' });
  });
});

// The consolidated return (2027 on) has its own tests: test/unit/consolidated-return.test.ts.

describe('returnCsv', () => {
  it('quotes a field holding a comma, a quote, CR or LF, and nothing else', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField("it's; fine")).toBe("it's; fine");
    expect(csvField(null)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(0)).toBe('0');
  });

  it('generic: a header, one line per product group, totals last, CRLF line ends', () => {
    const text = returnCsv(build('US_CFPB', '2026-Q1', genericMonths()));
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toEqual([
      'regime,period,from,to,product_group,outstanding_at_start,opened,reopened,closed,closed_by_deadline,closed_by_deadline_percent,upheld,upheld_percent,outstanding_at_end,redress_GBP',
      'US_CFPB,2026-Q1,2026-01-01,2026-03-31,broadband,0,4,1,1,1,100,1,100,3,0.00',
      'US_CFPB,2026-Q1,2026-01-01,2026-03-31,delivery,2,2,0,3,2,66.7,1,33.3,1,10.00',
      'US_CFPB,2026-Q1,2026-01-01,2026-03-31,Total,2,6,1,4,3,75,2,50,4,10.00',
      '',
    ]);
  });

  it('generic: an empty percentage is an empty field', () => {
    const text = returnCsv(build('US_CFPB', '2026-03', [month('2026-03', [['o', 'cards', 'billing', 1]])]));
    expect(text.split('\r\n')[1]).toBe('US_CFPB,2026-03,2026-03-01,2026-03-31,cards,0,1,0,0,0,,0,,1');
  });

  it('DISP 1 Annex 1R: every cause of the form as a column (quoted where it holds a comma), a column per currency', () => {
    const lines = returnCsv(build('UK_FCA_DISP', '2026-H1', dispMonths())).split('\r\n');
    expect(lines).toHaveLength(4 + 2 + 1); // header, 4 rows, totals, the empty string after the last CRLF
    expect(lines[0]).toBe(
      [
        'regime,period,from,to,grouping,product,product_groups',
        'outstanding_at_start,opened,reopened,closed,closed_within_3_days,closed_within_8_weeks,closed_after_8_weeks,upheld,upheld_percent,outstanding_at_end',
        'redress_EUR,redress_GBP',
        '"opened: Advising, selling and arranging > Unsuitable advice","opened: Advising, selling and arranging > Unclear guidance/arrangements"',
        '"opened: Information, sums/charges or product performance > Product disclosure information"',
        '"opened: Information, sums/charges or product performance > Disputes over sums/charges"',
        '"opened: Information, sums/charges or product performance > Product performance/features"',
        'opened: General admin/customer service > Delays/timescales,opened: General admin/customer service > Errors/not following instructions',
        'opened: General admin/customer service > Other general admin/customer service',
        'opened: Arrears related > Arrears related,opened: Other > Other',
      ].join(','),
    );
    //                        start..end                       EUR    GBP     causes (10 columns)
    expect(lines[1]).toBe('UK_FCA_DISP,2026-H1,2026-01-01,2026-06-30,Banking and credit cards,Current accounts,current_accounts,2,5,1,4,1,2,1,2,50,3,0.00,120.50,0,0,0,0,0,3,0,2,0,0');
    expect(lines[2]).toBe('UK_FCA_DISP,2026-H1,2026-01-01,2026-06-30,Banking and credit cards,Credit cards,credit_cards,3,2,0,3,0,3,0,1,33.3,2,1.2345,25.00,0,0,0,2,0,0,0,0,0,0');
    expect(lines[4]).toBe('UK_FCA_DISP,2026-H1,2026-01-01,2026-06-30,Other,pet_insurance,pet_insurance,0,1,0,0,0,0,0,0,,1,0.00,0.00,0,0,0,0,1,0,0,0,0,0');
    expect(lines[5]).toBe('UK_FCA_DISP,2026-H1,2026-01-01,2026-06-30,Total,,,5,9,1,7,1,5,1,3,42.9,7,1.2345,145.50,0,0,0,2,1,3,0,2,0,1');
  });

  it('DISP 1 Annex 1R: a cause outside the form gets its own column, and names with quotes are escaped', () => {
    const r = build('UK_FCA_DISP', '2026-H1', dispMonths(), {
      products: { pet_insurance: 'Insurance and pure protection > "Pet" cover, lifetime' },
      causes: { agent_interaction: 'Complaint handling' },
    });
    const lines = returnCsv(r).split('\r\n');
    expect(lines[0]!.endsWith(',opened: Other > Other,opened: Other > Complaint handling')).toBe(true);
    expect(lines.find((l) => l.includes('Pet'))).toBe(
      'UK_FCA_DISP,2026-H1,2026-01-01,2026-06-30,Insurance and pure protection,"""Pet"" cover, lifetime",pet_insurance,0,1,0,0,0,0,0,0,,1,0.00,0.00,0,0,0,0,1,0,0,0,0,0,0',
    );
  });
});

// ---------- from the projection ----------

describe('buildReturn reads what the projection writes', () => {
  const config: ReportingConfig = { ...ReportingOptions.parse({ productGroups: { current_accounts: ['home-delivery'] } }), timeZone: 'Europe/London' };
  const p = projector(config);

  /** The case answered (upheld, GBP 120.50) at `respondedAt`. */
  const answered = (c: Case, respondedAt: string): Case => ({
    ...c,
    status: 'resolved',
    cycles: c.cycles.map((cy) => ({ ...cy, stoppedAt: respondedAt, reason: 'final_response', respondedAt, decision: 'upheld', compensation: { amount: '120.50', currency: 'GBP' } })),
  });

  /** The regime's month items of some cases, as the store would hold them. */
  const monthItems = (cases: Case[]): CounterItem[] => {
    const items = new Map<string, Record<string, number>>();
    for (const c of cases)
      for (const [key, counts] of Object.entries(contributions(c, p).counters)) {
        const { scope, sk } = splitKey(key);
        if (scope !== scopes.returns('UK_FCA_DISP')) continue;
        const item = items.get(sk) ?? {};
        for (const [m, n] of Object.entries(counts)) item[m] = (item[m] ?? 0) + n;
        items.set(sk, item);
      }
    return [...items.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([sk, counts]) => ({ sk, counts }));
  };

  it('a case answered after ten days, and one still open', () => {
    const done = answered(openedCase(), at(NOW, 10 * DAY));
    const open = openedCase({ id: '01JABCDEFGHJKMNPQRSTVWXYZ9', vulnerable: true });
    const items = monthItems([done, open]);
    // The DISP 1 Annex 1R month item, and the consolidated return's (K#) beside it in the same partition.
    expect(items.map((i) => i.sk)).toEqual(['K#2026-03', 'M#2026-03']);
    expect(itemKey(scopes.returns('UK_FCA_DISP'), 'M#2026-03')).toBe('ret#UK_FCA_DISP M#2026-03');

    const r = buildReturn({ regime: 'UK_FCA_DISP', period: parseReturnPeriod('UK_FCA_DISP', '2026-Q1'), months: items.filter((i) => i.sk.startsWith('M#')), generatedAt: GENERATED_AT }) as FcaDispReturn;
    expect(r.rows).toEqual([
      {
        grouping: 'Banking and credit cards',
        product: 'Current accounts',
        productGroups: ['current_accounts'],
        outstandingAtStart: 0,
        opened: 2,
        reopened: 0,
        openedByCause: [{ group: 'General admin/customer service', cause: 'Delays/timescales', opened: 2 }],
        closed: 1,
        closedWithin3Days: 0,
        closedWithin8Weeks: 1,
        closedAfter8Weeks: 0,
        upheld: 1,
        upheldPercent: 100,
        redress: [{ currency: 'GBP', amount: '120.50' }],
        outstandingAtEnd: 1,
      },
    ]);
    // The next quarter starts with the open case outstanding.
    const q2 = buildReturn({ regime: 'UK_FCA_DISP', period: parseReturnPeriod('UK_FCA_DISP', '2026-Q2'), months: items, generatedAt: GENERATED_AT }) as FcaDispReturn;
    expect(q2.totals).toMatchObject({ outstandingAtStart: 1, opened: 0, closed: 0, outstandingAtEnd: 1 });
  });
});
