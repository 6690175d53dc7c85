// The FCA consolidated complaints return (PS25/19) from the projection's counters: a seeded half year with every
// product and cause category, both regimes, both vulnerability data points, every driver and every redress component,
// compared field for field with the golden files test/fixtures/returns/consolidated-2027-H1.{json,csv}; and the 400 for
// an unmapped product group or root cause. Pure: cases go through contributions() exactly as the stream applies them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '#domain/errors';
import { contributions, projector, scopes, splitKey } from '#domain/reporting/projection';
import { buildReturn, parseReturnPeriod, returnCsv } from '#domain/reporting/returns';
import { RETURN_RULES } from '#domain/reporting/return-rules';
import { ConsolidatedReturnOptions, ReportingOptions, type ReportingConfig } from '#schemas/reports';
import { RegulatorReturn, type FcaConsolidatedReturn } from '#schemas/returns';
import { ProposeResolutionBody } from '#schemas/resolution';
import { planApprovals } from '#domain/approval-rules';
import type { Case, Cycle } from '#schemas/complaint';
import type { CounterItem } from '#ports/report-store';
import { openedCase } from './fixtures';

const GOLDEN = join(__dirname, '..', 'fixtures', 'returns');
const GENERATED_AT = '2027-07-15T08:00:00.000Z';

/**
 * An illustrative taxonomy: the names of PS25/19's product and cause categories are configuration (they could not be
 * read from a stored copy of the return), so the test names its own, in the form's style.
 */
const TAXONOMY = {
  products: ['Current accounts', 'Credit cards', 'Motor insurance', 'Card payments', 'E-money issuing and redemption'],
  causes: ['Delays', 'Errors or not following instructions', 'Fees and charges', 'Fraud and scams'],
};

const OPTIONS = {
  regimes: ['UK_FCA_DISP', 'UK_FCA_PSD'],
  taxonomy: TAXONOMY,
  products: { current_accounts: 'Current accounts', credit_cards: 'Credit cards', motor_insurance: 'Motor insurance', card_payments: 'Card payments', emoney: 'E-money issuing and redemption' },
  causes: { delays: 'Delays', errors: 'Errors or not following instructions', charges: 'Fees and charges', fraud: 'Fraud and scams' },
  legalEntities: [
    { id: 'bank', name: 'Example Bank, plc', frn: '123456', productGroups: ['current_accounts', 'credit_cards'], sectors: ['retail_banking'], context: { '2027-H1': { 'Current accounts': 2000 } } },
    { id: 'insure', name: 'Example Insurance Ltd', frn: '234567', productGroups: ['motor_insurance'], sectors: ['insurance'], context: { '2027-H1': { 'Motor insurance': 500 } } },
    { id: 'pay', name: 'Example Payments Ltd', frn: '345678', sectors: ['payment_services'] }, // lists none: takes every unlisted group
    { id: 'funds', name: 'Example Funds Ltd', productGroups: ['investments'], sectors: ['investments'] },
  ],
};

const config = (consolidatedReturn: unknown = OPTIONS): ReportingConfig => ({
  ...ReportingOptions.parse({
    productGroups: { current_accounts: ['current account'], credit_cards: ['credit card'], motor_insurance: ['car insurance'], card_payments: ['card payments'], emoney: ['e-money wallet'] },
    rootCauses: { delays: ['delay'], errors: ['error'], charges: ['charges'], fraud: ['scam'] },
    consolidatedReturn,
  }),
  timeZone: 'Europe/London',
});

let seq = 0;
/** A case with its cycles as the lifecycle leaves them (ids distinct; everything else from the arguments). */
const seeded = (over: { regime: 'UK_FCA_DISP' | 'UK_FCA_PSD'; product: string; cycles: Partial<Cycle>[]; vulnerable?: boolean; cues?: [string, number][]; rootCause?: Case['rootCause'] }): Case => {
  const base = openedCase({ id: `01JABCDEFGHJKMNPQRSTVW${String(++seq).padStart(4, '0')}` });
  const cycles = over.cycles.map((cy, i) => ({ n: i + 1, dueAt: '2027-12-31T00:00:00.000Z', ...cy }) as Cycle);
  const last = cycles[cycles.length - 1]!;
  return {
    ...base,
    regime: over.regime,
    product: over.product,
    receivedAt: cycles[0]!.startedAt,
    cycles,
    status: last.closedAt ? 'closed' : last.respondedAt ? 'resolved' : 'open',
    vulnerable: over.vulnerable ?? false,
    ...(over.cues ? { triage: { ...base.triage!, vulnerabilityIndicators: over.cues.map(([cue, confidence]) => ({ cue, confidence })) } as Case['triage'] } : {}),
    ...(over.rootCause ? { rootCause: over.rootCause } : {}),
    checkpoints: [],
    escalations: [],
  };
};
const answered = (startedAt: string, respondedAt: string, decision: Cycle['decision'], more: Partial<Cycle> = {}): Partial<Cycle> => ({
  startedAt,
  stoppedAt: respondedAt,
  reason: 'final_response',
  respondedAt,
  decision,
  ...more,
});

/** The half year 2027-H1, seeded (figures worked out by hand in the test below). */
const CASES = (): Case[] => [
  // A: outstanding at the start (received 2026-11, still open, no root cause yet).
  seeded({ regime: 'UK_FCA_DISP', product: 'current account', cycles: [{ startedAt: '2026-11-10T10:00:00.000Z' }] }),
  // B: answered within the summary-resolution window, upheld; vulnerable (bereavement 0.9, illness 0.8: life events
  // and health); redress: financial loss, goodwill, distress and inconvenience.
  seeded({
    regime: 'UK_FCA_DISP',
    product: 'current account',
    vulnerable: true,
    cues: [['bereavement', 0.9], ['illness', 0.8], ['age', 0.2]],
    rootCause: { category: 'delay', description: 'Standing order set up late' },
    cycles: [
      answered('2027-01-05T10:00:00.000Z', '2027-01-07T15:00:00.000Z', 'upheld', {
        summaryResolutionEndsAt: '2027-01-08T17:00:00.000Z',
        compensation: { amount: '175.00', currency: 'GBP' },
        redress: { currency: 'GBP', financialLoss: '100.00', goodwill: '25.00', distressAndInconvenience: '50.00' },
      }),
    ],
  }),
  // C: within 8 weeks, partially upheld; vulnerable, no cue (unspecified); the firm failed to consider the
  // vulnerability; redress: a waived fee and two non-cash remedies (one with a cash value).
  seeded({
    regime: 'UK_FCA_DISP',
    product: 'credit card',
    vulnerable: true,
    rootCause: { category: 'charges', description: 'Late fees charged during a hospital stay', vulnerabilityNotConsidered: true },
    cycles: [
      answered('2027-02-01T09:00:00.000Z', '2027-03-01T09:00:00.000Z', 'partially_upheld', {
        summaryResolutionEndsAt: '2027-02-04T17:00:00.000Z',
        redress: { currency: 'GBP', waived: '40.00', nonCash: [{ description: 'free balance transfer', value: '30.00' }, { description: 'apology letter' }] },
      }),
    ],
  }),
  // D: after 8 weeks, not upheld, a goodwill payment recorded before components were (not broken down).
  seeded({
    regime: 'UK_FCA_DISP',
    product: 'car insurance',
    rootCause: { category: 'error', description: 'Claim form misfiled' },
    cycles: [answered('2027-01-10T09:00:00.000Z', '2027-04-20T09:00:00.000Z', 'not_upheld', { compensation: { amount: '10.00', currency: 'GBP' } })],
  }),
  // E: payment services (PSD), upheld; vulnerable (financial hardship: resilience; digital exclusion: capability);
  // redress in EUR.
  seeded({
    regime: 'UK_FCA_PSD',
    product: 'card payments',
    vulnerable: true,
    cues: [['financial_hardship', 0.7], ['digital_exclusion', 0.6]],
    rootCause: { category: 'scam', description: 'Card-not-present fraud not refunded' },
    cycles: [answered('2027-02-10T09:00:00.000Z', '2027-03-01T09:00:00.000Z', 'upheld', { compensation: { amount: '200.00', currency: 'EUR' }, redress: { currency: 'EUR', financialLoss: '200.00' } })],
  }),
  // F: e-money (PSD), still open, root cause not determined.
  seeded({ regime: 'UK_FCA_PSD', product: 'e-money wallet', cycles: [{ startedAt: '2027-05-20T09:00:00.000Z' }] }),
  // G: answered and closed in 2026, reopened in the period and answered again, upheld; a failure to consider
  // vulnerability for a customer not recorded as vulnerable.
  seeded({
    regime: 'UK_FCA_DISP',
    product: 'current account',
    rootCause: { category: 'error', description: 'Power of attorney not recorded', vulnerabilityNotConsidered: true },
    cycles: [
      answered('2026-12-01T09:00:00.000Z', '2026-12-15T09:00:00.000Z', 'not_upheld', { closedAt: '2026-12-16T09:00:00.000Z' }),
      answered('2027-03-03T09:00:00.000Z', '2027-03-20T09:00:00.000Z', 'upheld'),
    ],
  }),
  // H: received in the period, answered after it.
  seeded({
    regime: 'UK_FCA_DISP',
    product: 'credit card',
    rootCause: { category: 'delay', description: 'Card replacement delayed' },
    cycles: [answered('2027-06-29T09:00:00.000Z', '2027-07-02T09:00:00.000Z', 'not_upheld')],
  }),
];

/** The consolidated month items of each covered regime, as the store holds them after the stream applied the cases. */
const sourcesOf = (cases: Case[], cfg: ReportingConfig) => {
  const p = projector(cfg);
  return cfg.consolidatedReturn.regimes.map((regime) => {
    const items = new Map<string, Record<string, number>>();
    for (const c of cases)
      for (const [key, counts] of Object.entries(contributions(c, p).counters)) {
        const { scope, sk } = splitKey(key);
        if (scope !== scopes.returns(regime) || !sk.startsWith('K#')) continue;
        const item = items.get(sk) ?? {};
        for (const [m, n] of Object.entries(counts)) item[m] = (item[m] ?? 0) + n;
        items.set(sk, item);
      }
    const months: CounterItem[] = [...items].sort(([a], [b]) => a.localeCompare(b)).map(([sk, counts]) => ({ sk, counts }));
    return { regime, months };
  });
};

const build = (cases: Case[], cfg = config(), regime = 'UK_FCA_DISP', period = '2027-H1') =>
  buildReturn({
    regime,
    period: parseReturnPeriod(regime, period, cfg.consolidatedReturn.regimes),
    months: [],
    consolidated: { sources: sourcesOf(cases, cfg), options: cfg.consolidatedReturn },
    generatedAt: GENERATED_AT,
  }) as FcaConsolidatedReturn;

const invalid = (fn: () => unknown): InvalidInputError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidInputError) return e;
    throw e;
  }
  throw new Error('expected an InvalidInputError');
};

describe('the consolidated return (PS25/19): golden files', () => {
  const r = build(CASES());

  it('matches the golden JSON field for field, and the schema', () => {
    expect(RegulatorReturn.parse(r)).toEqual(r);
    expect(r).toEqual(JSON.parse(readFileSync(join(GOLDEN, 'consolidated-2027-H1.json'), 'utf8')));
  });

  it('matches the golden CSV byte for byte', () => {
    expect(returnCsv(r)).toBe(readFileSync(join(GOLDEN, 'consolidated-2027-H1.csv'), 'utf8'));
  });

  it('the same return whichever covered regime it is asked for (one return for DISP and payment services)', () => {
    const psd = build(CASES(), config(), 'UK_FCA_PSD');
    expect({ ...psd, regime: 'UK_FCA_DISP' }).toEqual(r);
  });
});

describe('the consolidated return (PS25/19): worked by hand from the seeded cases', () => {
  const r = build(CASES());
  const entity = (id: string) => r.entities.find((e) => e.entity.id === id)!;

  it('covers both regimes: the payment services complaints are in it (rule RET-PS2519-SINGLE-RETURN)', () => {
    expect(r.regimes).toEqual(['UK_FCA_DISP', 'UK_FCA_PSD']);
    expect(entity('pay').rows.map((row) => [row.product, row.regimes])).toEqual([
      ['Card payments', ['UK_FCA_PSD']],
      ['E-money issuing and redemption', ['UK_FCA_PSD']],
    ]);
    // Opened in 2027-H1: B, C, D, E, F, G (reopened), H = 7; A outstanding from before; closed: B, C, D, E, G = 5.
    expect(r.totals).toMatchObject({ outstandingAtStart: 1, opened: 7, reopened: 1, closed: 5, closedWithin3Days: 1, closedWithin8Weeks: 3, closedAfter8Weeks: 1, upheld: 4, upheldPercent: 80, outstandingAtEnd: 3 });
  });

  it('one return per legal entity, in the configured order; an entity without complaints is a nil return (RET-PS2519-LEGAL-ENTITY)', () => {
    expect(r.entities.map((e) => [e.entity.id, e.nilReturn])).toEqual([
      ['bank', false],
      ['insure', false],
      ['pay', false],
      ['funds', true],
    ]);
    expect(entity('funds')).toMatchObject({ rows: [], totals: { opened: 0, closed: 0 } });
  });

  it('reports in the configured product and cause categories, in the taxonomy’s order (RET-PS2519-TAXONOMY)', () => {
    expect(entity('bank').rows.map((row) => row.product)).toEqual(['Current accounts', 'Credit cards']);
    expect(r.totals.byCause).toEqual([
      { cause: 'Delays', opened: 2, closed: 1, upheld: 1 },
      { cause: 'Errors or not following instructions', opened: 2, closed: 2, upheld: 1 },
      { cause: 'Fees and charges', opened: 1, closed: 1, upheld: 1 },
      { cause: 'Fraud and scams', opened: 1, closed: 1, upheld: 1 },
      { cause: null, opened: 1, closed: 0, upheld: 0 },
    ]);
  });

  it('both vulnerability data points, the customer one by FG21/1 driver (RET-PS2519-VULNERABLE-CUSTOMER, -FAILURE, RET-FG211-DRIVERS)', () => {
    expect(r.totals.vulnerability).toEqual({
      // B (life events, health; age's cue is below 0.5), C (no cue: unspecified), E (resilience, capability).
      customerVulnerable: { opened: 3, closed: 3, upheld: 3, openedByDriver: { health: 1, life_events: 1, resilience: 1, capability: 1, unspecified: 1 } },
      // C and G: the root cause says the firm failed to consider the customer's vulnerability.
      failureToConsider: { opened: 2, closed: 2, upheld: 2 },
    });
  });

  it('redress by component, per currency: paid and costs borne with a cash value (RET-DISP110-REDRESS)', () => {
    expect(r.totals.redress).toEqual({
      total: [
        { currency: 'EUR', amount: '200.00' },
        { currency: 'GBP', amount: '255.00' }, // 100 + 25 + 50 (B) + 40 + 30 (C) + 10 (D)
      ],
      byComponent: {
        financialLoss: [
          { currency: 'EUR', amount: '200.00' },
          { currency: 'GBP', amount: '100.00' },
        ],
        goodwill: [{ currency: 'GBP', amount: '25.00' }],
        distressAndInconvenience: [{ currency: 'GBP', amount: '50.00' }],
        waived: [{ currency: 'GBP', amount: '40.00' }],
        nonCash: [{ currency: 'GBP', amount: '30.00' }],
        notBrokenDown: [{ currency: 'GBP', amount: '10.00' }],
      },
      nonCashRemedies: 2,
    });
  });

  it('a rejected complaint with a goodwill payment is not upheld; a partly upheld one is upheld (RET-DISP110-UPHELD)', () => {
    const insure = entity('insure').totals;
    expect(insure).toMatchObject({ closed: 1, upheld: 0, redress: { total: [{ currency: 'GBP', amount: '10.00' }] } });
    expect(entity('bank').rows.find((row) => row.product === 'Credit cards')).toMatchObject({ closed: 1, upheld: 1 });
  });

  it('carries contextual data for the sectors that report it, and says where a figure is missing (RET-PS2519-CONTEXT)', () => {
    expect(entity('bank').contextRequired).toBe(true);
    expect(entity('bank').rows.map((row) => row.context)).toEqual([
      { figure: 2000, openedPer1000: 1 }, // B and G's reopen: 2 opened ÷ 2,000 × 1,000
      { figure: null, openedPer1000: null },
    ]);
    expect(entity('insure').rows[0]!.context).toEqual({ figure: 500, openedPer1000: 2 });
    expect(entity('funds').contextRequired).toBe(false);
    expect(r.notes.join('\n')).toContain('Contextual figure not configured for this period (legalEntities[].context["2027-H1"]): bank: Credit cards; pay: Card payments; pay: E-money issuing and redemption.');
  });

  it('cites every rule it applies with a version date', () => {
    expect(r.rules.map((x) => x.id)).toEqual(RETURN_RULES.filter((x) => x.id !== 'RET-DISP-ANNEX-1R-UNTIL-2027').map((x) => x.id));
    for (const rule of RETURN_RULES) expect(rule.citation.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('the consolidated return (PS25/19): configuration and refusals', () => {
  it('an unmapped product group or root cause is a 400 naming each, never "other" (RET-PS2519-TAXONOMY)', () => {
    const cases = [
      ...CASES(),
      seeded({ regime: 'UK_FCA_PSD', product: 'constructor', rootCause: { category: '__proto__', description: 'x' }, cycles: [{ startedAt: '2027-02-01T09:00:00.000Z' }] }),
    ];
    const e = invalid(() => build(cases));
    expect(e.errors).toEqual([
      { field: 'REPORTING.consolidatedReturn.products.constructor', message: 'product group "constructor" is not mapped onto a product category of the consolidated return' },
      { field: 'REPORTING.consolidatedReturn.causes.proto', message: 'root-cause group "proto" is not mapped onto a cause category of the consolidated return' },
    ]);
    expect(e.message).toMatch(/^the consolidated return \(PS25\/19\) reports in the FCA's product and cause categories/);
  });

  it('without a configured taxonomy, any complaint is a 400 (the default configuration maps nothing)', () => {
    expect(invalid(() => build(CASES(), config({})))).toBeInstanceOf(InvalidInputError);
    // With nothing to report the return is a nil return for the default entity.
    const empty = build([], config({}));
    expect(empty.entities).toMatchObject([{ entity: { id: 'default' }, nilReturn: true, rows: [] }]);
  });

  it('the settings refuse a mapping onto a category the taxonomy does not have, and a duplicate entity', () => {
    const bad = ConsolidatedReturnOptions.safeParse({ ...OPTIONS, products: { current_accounts: 'Current account' }, legalEntities: [OPTIONS.legalEntities[0], OPTIONS.legalEntities[0]] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['products.current_accounts', '"Current account" is not a product category of taxonomy.products'],
      ['legalEntities.1.id', 'duplicate legal entity id "bank"'],
    ]);
  });

  it('periods: the rule’s half years only, from 2027 (RET-PS2519-HALF-YEARS)', () => {
    expect(build(CASES(), config(), 'UK_FCA_PSD', '2027-07/2027-12').period).toEqual({ label: '2027-H2', from: '2027-07-01', to: '2027-12-31' });
    expect(invalid(() => parseReturnPeriod('UK_FCA_DISP', '2027-Q2')).errors[0]!.field).toBe('query.period');
  });
});

describe('redress on the resolution', () => {
  const body = (remedy: unknown) => ({ decision: 'upheld', remedy, rootCause: { category: 'delay', description: 'x' }, finalResponse: 'y' });

  it('is recorded by component, and a stated compensation must equal the money paid', () => {
    const ok = ProposeResolutionBody.safeParse(body({ description: 'refund', compensation: { amount: '175', currency: 'GBP' }, redress: { currency: 'GBP', financialLoss: '100.00', goodwill: '25', distressAndInconvenience: '50.00', waived: '40' } }));
    expect(ok.success).toBe(true);
    const wrong = ProposeResolutionBody.safeParse(body({ description: 'refund', compensation: { amount: '100.00', currency: 'GBP' }, redress: { currency: 'GBP', financialLoss: '100.00', goodwill: '25' } }));
    expect(wrong.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['remedy.compensation.amount', 'must equal the money paid in the redress (financial loss + goodwill + distress and inconvenience = 125.00)']]);
    const currency = ProposeResolutionBody.safeParse(body({ description: 'refund', compensation: { amount: '100.00', currency: 'EUR' }, redress: { currency: 'GBP', financialLoss: '100.00' } }));
    expect(currency.error!.issues.map((i) => i.path.join('.'))).toEqual(['remedy.redress.currency']);
  });

  it('abuse: moving money out of compensation into redress components does not dodge the approval thresholds', () => {
    const facts = { vulnerable: false, legalExposure: false, reputationalRisk: false };
    const plain = ProposeResolutionBody.parse(body({ description: 'waiver', redress: { currency: 'GBP', goodwill: '200.00', waived: '900.00' } }));
    // 1,100.00 of redress (200 paid + 900 waived) crosses both default GBP tiers: supervisor, then compliance.
    expect(planApprovals(plain, facts).map((s) => s.role)).toEqual(['supervisor', 'compliance']);
  });
});
