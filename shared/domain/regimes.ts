// Regimes as code: every deadline policy a case can run under, its clocks, calendar, cut-off and extension, each citing its rule.
//
// Citations are the rule's own reference. `basis` says how binding a figure is: `rule` (enforceable),
// `guidance` (regulator guidance or published expectation) or `policy` (the organisation's own standard
// where the rule only says "promptly"). Assumptions are written next to the figure they affect.
import type { CitationVersion, ClockUnit, CutOffRule, Regime, RegimeCalendar, RegimeClock } from '#schemas/regime';
import { CalendarConfigError, compileCalendar } from './calendar';
import { InvalidInputError } from './errors';

const WEEKEND = [6, 7];
const OFFICE_HOURS = { open: '09:00', close: '17:00' };

const calendar = (region: string | null, timeZone: string): RegimeCalendar => ({
  region,
  timeZone,
  weekend: WEEKEND,
  businessHours: OFFICE_HOURS,
  // Bank-only closures (Irish Good Friday, the NSW Bank Holiday) are not public holidays: counting through
  // them gives the earlier, safer deadline. An organisation that closes then lists them as closures.
  holidayTypes: ['public'],
  closures: [],
});

/** The day these citations were last checked against their texts (docs/regulatory/register.md lists each one). */
export const CITATIONS_CHECKED_AT = '2026-12-06';
const checked = (version: string): CitationVersion => ({ version, checkedAt: CITATIONS_CHECKED_AT });

// Version dates of the texts the citations were checked against (see the register for what each date is).
/** FCA Handbook DISP 1.5 as in force from 30/06/2016 (PS15/19); the handbook shows no later change to 1.5.1R or 1.5.4R. */
const DISP_1_5 = checked('2016-06-30');
/** FCA Handbook DISP 1.6, point-in-time view of 01/06/2026 (DISP 1.6.1R quotes the 1.6.2R and 1.6.2AR deadlines). */
const DISP_1_6 = checked('2026-06-01');
/** ASIC Regulatory Guide 271, issued July 2020, applying to complaints received from 5 October 2021. */
const RG_271 = checked('2021-10-05');
/** Central Bank of Ireland Consumer Protection Code 2025, in force 24 March 2026 (replacing the CPC 2012). */
const CPC_2025 = checked('2026-03-24');
/** CFPB Company Portal Manual: undated web manual; the version is the day it was read. */
const CFPB_MANUAL = checked(CITATIONS_CHECKED_AT);
/** The organisation's own policy: versioned by its own approval, recorded here as the day it was set. */
const ORG_POLICY = checked(CITATIONS_CHECKED_AT);

/**
 * The UK acknowledgement cut-off: the organisation's own standard, never a rule. DISP 1.5.1R and DISP 1.6.2AR count
 * from the day the complaint is received and no current DISP provision lets a firm treat it as received later (the
 * former DISP 1.5.3G, which did, was deleted on 30/06/2016). So it moves only policy clocks (the acknowledgement).
 */
const UK_ACK_CUT_OFF: CutOffRule = {
  ruleId: 'ORG.UK.ACK-CUT-OFF',
  time: '17:00',
  nonBusinessDays: true,
  appliesTo: 'policy_clocks',
  basis: 'policy',
  citation: 'Organisation policy: acknowledgement standard (a complaint received after 17:00 or on a non-business day is acknowledged as if received on the next business day)',
  citationVersion: ORG_POLICY,
  assumption:
    'Close of business is 17:00 UK time. The cut-off is the organisation’s acknowledgement standard only: every rule clock (DISP 1.5.1R summary resolution, DISP 1.6.2R eight weeks, DISP 1.6.2AR 15/35 business days) counts from the day of receipt.',
};

/** DISP 1.6.1R asks for a prompt acknowledgement; five business days is the organisation's standard for both UK regimes. */
const ukAcknowledgement = (states: string): RegimeClock => ({
  ruleId: 'ORG.UK.ACK-5BD',
  id: 'acknowledgement',
  amount: 5,
  unit: 'business_days',
  basis: 'policy',
  citation: 'DISP 1.6.1R(1)',
  citationVersion: DISP_1_6,
  description: `A prompt written acknowledgement ${states}; the five business days are the organisation’s standard (DISP 1.6.1R says "prompt").`,
});

const NO_EXTENSION = (ruleId: string, citation: string, citationVersion: CitationVersion, condition: string) => ({ ruleId, allowed: false, condition, citation, citationVersion });

/** Business locations per jurisdiction: the holiday calendar (and zone) a branch or servicing office works to. */
const UK_LOCATIONS = [
  { region: 'GB-ENG', timeZone: 'Europe/London' },
  { region: 'GB-WLS', timeZone: 'Europe/London' },
  { region: 'GB-SCT', timeZone: 'Europe/London' },
  { region: 'GB-NIR', timeZone: 'Europe/London' },
];
const AU_LOCATIONS = [
  { region: 'AU-NSW', timeZone: 'Australia/Sydney' },
  { region: 'AU-ACT', timeZone: 'Australia/Sydney' },
  { region: 'AU-VIC', timeZone: 'Australia/Melbourne' },
  { region: 'AU-QLD', timeZone: 'Australia/Brisbane' },
  { region: 'AU-SA', timeZone: 'Australia/Adelaide' },
  { region: 'AU-WA', timeZone: 'Australia/Perth' },
  { region: 'AU-TAS', timeZone: 'Australia/Hobart' },
  { region: 'AU-NT', timeZone: 'Australia/Darwin' },
];

const UK_DISP: Regime = {
  id: 'UK_FCA_DISP',
  name: 'UK FCA complaints sourcebook (DISP 1.6)',
  jurisdiction: 'GB',
  ruleId: 'UK.DISP.1.6',
  citation: 'FCA Handbook DISP 1.6.2R',
  citationVersion: DISP_1_6,
  timeZone: 'Europe/London',
  calendar: calendar('GB-ENG', 'Europe/London'),
  locations: UK_LOCATIONS,
  cutOff: UK_ACK_CUT_OFF,
  mayPause: false,
  pauseRule: 'The eight weeks run from receipt; DISP has no provision that stops the clock.',
  clocks: [
    ukAcknowledgement('stating which deadline applies'),
    {
      ruleId: 'UK.DISP.1.5.1R',
      id: 'summary_resolution',
      amount: 3,
      unit: 'business_days',
      basis: 'rule',
      citation: 'DISP 1.5.1R, DISP 1.5.4R',
      citationVersion: DISP_1_5,
      description: 'A complaint resolved by close of business on the third business day following the day on which it is received takes the summary-resolution path (summary resolution communication instead of a final response).',
    },
    {
      ruleId: 'UK.DISP.1.6.2R',
      id: 'final_response',
      amount: 8,
      unit: 'weeks',
      basis: 'rule',
      citation: 'DISP 1.6.2R',
      citationVersion: DISP_1_6,
      description: 'Final response, or a written delay response with ombudsman referral rights, by the end of eight weeks after receipt.',
    },
  ],
  extension: NO_EXTENSION('UK.DISP.1.6.2R-2', 'DISP 1.6.2R(2)', DISP_1_6, 'No extension: at eight weeks a delay response must explain why the firm is not yet in a position to respond, say when it expects to, and tell the complainant they may refer the complaint to the Financial Ombudsman Service.'),
};

const UK_PSD: Regime = {
  id: 'UK_FCA_PSD',
  name: 'UK FCA payment services and e-money complaints (DISP 1.6.2AR)',
  jurisdiction: 'GB',
  ruleId: 'UK.DISP.1.6.2AR',
  citation: 'FCA Handbook DISP 1.6.2AR',
  citationVersion: DISP_1_6,
  timeZone: 'Europe/London',
  calendar: calendar('GB-ENG', 'Europe/London'),
  locations: UK_LOCATIONS,
  cutOff: UK_ACK_CUT_OFF,
  mayPause: false,
  pauseRule: 'The 15 business days run from the day of receipt; there is no pause.',
  clocks: [
    ukAcknowledgement('stating the 15 (or, exceptionally, 35) business-day deadline'),
    {
      ruleId: 'UK.DISP.1.6.2AR-1',
      id: 'final_response',
      amount: 15,
      unit: 'business_days',
      basis: 'rule',
      citation: 'DISP 1.6.2AR(1)',
      citationVersion: DISP_1_6,
      description: 'Final response addressing all points raised, by the end of 15 business days after the day of receipt.',
    },
    {
      ruleId: 'UK.DISP.1.6.2AR-2',
      id: 'extended_final_response',
      amount: 35,
      unit: 'business_days',
      basis: 'rule',
      citation: 'DISP 1.6.2AR(2)',
      citationVersion: DISP_1_6,
      description: 'In exceptional circumstances beyond the firm’s control: a holding response within the 15 business days giving the reasons for the delay and the date of the final response, which comes by the end of 35 business days after the day of receipt.',
    },
  ],
  extension: {
    ruleId: 'UK.DISP.1.6.2AR-2',
    allowed: true,
    clock: 'extended_final_response',
    condition: 'Exceptional circumstances beyond the firm’s control, justified and recorded, with a holding response sent within the 15 business days.',
    citation: 'DISP 1.6.2AR(2)',
    citationVersion: DISP_1_6,
  },
};

const US_CFPB: Regime = {
  id: 'US_CFPB',
  name: 'US CFPB company response timelines',
  jurisdiction: 'US',
  ruleId: 'US.CFPB.PORTAL',
  citation: 'CFPB Company Portal Manual, complaint response timelines',
  citationVersion: CFPB_MANUAL,
  timeZone: 'America/New_York',
  calendar: calendar('US', 'America/New_York'),
  locations: [{ region: 'US', timeZone: 'America/New_York' }],
  cutOff: null,
  mayPause: false,
  pauseRule: 'Calendar days from the day the CFPB sends the complaint; no pause.',
  notes: 'Use receivedAt = the time the CFPB sent the complaint to the company. These timelines are CFPB expectations, not a statute; they do not replace statutory ones (for example Regulation E or Z error resolution).',
  clocks: [
    {
      ruleId: 'US.CFPB.15D',
      id: 'final_response',
      amount: 15,
      unit: 'calendar_days',
      basis: 'guidance',
      citation: 'CFPB Company Portal Manual: response within 15 calendar days',
      citationVersion: CFPB_MANUAL,
      description: 'Respond to the consumer and the CFPB within 15 calendar days, either closing the complaint or marking it in progress.',
    },
    {
      ruleId: 'US.CFPB.60D',
      id: 'extended_final_response',
      amount: 60,
      unit: 'calendar_days',
      basis: 'guidance',
      citation: 'CFPB Company Portal Manual: final response within 60 calendar days',
      citationVersion: CFPB_MANUAL,
      description: 'A complaint marked "in progress" within the 15 days must get its final response within 60 calendar days.',
    },
  ],
  extension: {
    ruleId: 'US.CFPB.60D',
    allowed: true,
    clock: 'extended_final_response',
    condition: 'An "in progress" response sent to the consumer and the CFPB within the 15 calendar days.',
    citation: 'CFPB Company Portal Manual',
    citationVersion: CFPB_MANUAL,
  },
};

const AU_CLOCK_ACK: RegimeClock = {
  ruleId: 'AU.RG271.ACK',
  id: 'acknowledgement',
  amount: 1,
  unit: 'business_days',
  basis: 'guidance',
  citation: 'ASIC RG 271 (acknowledging complaints)',
  citationVersion: RG_271,
  description: 'Acknowledge the complaint within 24 hours (or one business day) of receipt, or as soon as practicable.',
};
const AU_EXTENSION = {
  ruleId: 'AU.RG271.DELAY',
  allowed: true,
  condition: 'Only where resolution is particularly complex or delayed by circumstances beyond the firm’s control, with an IDR delay notification (reasons, AFCA referral right and contact details) sent before the maximum timeframe ends; no fixed limit.',
  citation: 'ASIC RG 271 (IDR delay notification), ASIC Instrument 2020/98',
  citationVersion: RG_271,
};

const auRegime = (id: string, name: string, days: number, ruleId: string, citation: string, description: string): Regime => ({
  id,
  name,
  jurisdiction: 'AU',
  ruleId: 'AU.RG271',
  citation: 'ASIC RG 271 Internal dispute resolution; enforceable under ASIC Corporations, Credit and Superannuation (Internal Dispute Resolution) Instrument 2020/98',
  citationVersion: RG_271,
  ...(id === 'AU_ASIC_RG271' ? {} : { variantOf: 'AU_ASIC_RG271' }),
  timeZone: 'Australia/Sydney',
  calendar: calendar('AU-NSW', 'Australia/Sydney'),
  locations: AU_LOCATIONS,
  cutOff: null,
  mayPause: false,
  pauseRule: 'The maximum IDR timeframe runs in calendar days from receipt; it is not paused while waiting for information.',
  clocks: [AU_CLOCK_ACK, { ruleId, id: 'final_response', amount: days, unit: 'calendar_days', basis: 'rule', citation, citationVersion: RG_271, description }],
  extension: AU_EXTENSION,
  informalResolution: {
    ruleId: 'AU.RG271.INFORMAL-5BD',
    businessDays: 5,
    citation: 'ASIC RG 271: a complaint resolved to the complainant’s complete satisfaction by the end of the fifth business day after receipt needs no written IDR response, unless the complainant asks for one',
    citationVersion: RG_271,
  },
});

/** The CPC 2025 (Consumer Protection Regulations 2025) complaints-handling requirements; see the register for what was verified. */
const CPC = 'Consumer Protection Code 2025 (Central Bank (Supervision and Enforcement) Act 2013 (Section 48) (Consumer Protection) Regulations 2025), complaints handling';

const IE_CPC: Regime = {
  id: 'IE_CBI_CPC',
  name: 'Central Bank of Ireland Consumer Protection Code 2025, complaints resolution',
  jurisdiction: 'IE',
  ruleId: 'IE.CPC2025.COMPLAINTS',
  citation: CPC,
  citationVersion: CPC_2025,
  timeZone: 'Europe/Dublin',
  calendar: calendar('IE', 'Europe/Dublin'),
  locations: [{ region: 'IE', timeZone: 'Europe/Dublin' }],
  // The Code states no cut-off: counting starts the business day after the (calendar) day of receipt.
  cutOff: null,
  mayPause: false,
  pauseRule: 'The Code counts business days from receipt; there is no pause.',
  clocks: [
    { ruleId: 'IE.CPC2025.ACK-5BD', id: 'acknowledgement', amount: 5, unit: 'business_days', basis: 'rule', citation: `${CPC}: acknowledgement`, citationVersion: CPC_2025, description: 'Acknowledge each complaint on paper or another durable medium within 5 business days of receipt.' },
    { ruleId: 'IE.CPC2025.UPDATE-20BD', id: 'customer_update', amount: 20, unit: 'business_days', recurring: true, basis: 'rule', citation: `${CPC}: regular updates`, citationVersion: CPC_2025, description: 'Update the complainant on the investigation at intervals of not more than 20 business days, starting from the date the complaint was made.' },
    { ruleId: 'IE.CPC2025.RESOLVE-40BD', id: 'final_response', amount: 40, unit: 'business_days', basis: 'rule', citation: `${CPC}: resolution within 40 business days`, citationVersion: CPC_2025, description: 'Attempt to investigate and resolve the complaint within 40 business days of receipt.' },
    { ruleId: 'IE.CPC2025.OUTCOME-5BD', id: 'outcome_notification', amount: 5, unit: 'business_days', from: 'investigation_concluded', basis: 'rule', citation: `${CPC}: outcome in writing`, citationVersion: CPC_2025, description: 'Tell the complainant the outcome in writing within 5 business days of completing the investigation.' },
  ],
  extension: {
    ruleId: 'IE.CPC2025.BEYOND-40BD',
    allowed: true,
    condition: 'After 40 business days the complainant must be told the anticipated timeframe for resolution and that they may refer the complaint to the Financial Services and Pensions Ombudsman; no fixed limit.',
    citation: `${CPC}: complaint not resolved within 40 business days`,
    citationVersion: CPC_2025,
  },
};

const INTERNAL: Regime = {
  id: 'INTERNAL_STANDARD',
  name: 'Internal service standard',
  jurisdiction: 'ORG',
  ruleId: 'ORG.INTERNAL',
  citation: 'Organisation complaint-handling policy',
  citationVersion: ORG_POLICY,
  timeZone: 'UTC',
  calendar: calendar(null, 'UTC'),
  locations: [{ region: null, timeZone: 'UTC' }],
  cutOff: null,
  mayPause: true,
  pauseRule: 'May pause while waiting for the customer; a pause shifts every pending checkpoint by the paused time.',
  clocks: [
    {
      ruleId: 'ORG.INTERNAL.FINAL',
      id: 'final_response',
      amount: 28,
      unit: 'calendar_days',
      basis: 'policy',
      citation: 'Organisation policy',
      citationVersion: ORG_POLICY,
      description: 'Final response within the organisation’s own standard (configurable with INTERNAL_STANDARD_DAYS and its unit).',
    },
  ],
  extension: NO_EXTENSION('ORG.INTERNAL.FINAL', 'Organisation policy', ORG_POLICY, 'No extension; pause the clock instead while waiting for the customer.'),
};

const REGIMES: readonly Regime[] = [
  UK_DISP,
  UK_PSD,
  US_CFPB,
  auRegime('AU_ASIC_RG271', 'ASIC RG 271 internal dispute resolution (standard complaints)', 30, 'AU.RG271.30D', 'ASIC RG 271 maximum IDR timeframe: standard complaints', 'IDR response no later than 30 calendar days after receiving the complaint.'),
  auRegime(
    'AU_ASIC_RG271_SUPER',
    'ASIC RG 271 internal dispute resolution (superannuation trustee complaints)',
    45,
    'AU.RG271.45D',
    'ASIC RG 271 maximum IDR timeframe: superannuation trustee complaints',
    'IDR response no later than 45 calendar days after receiving the complaint (superannuation trustees; death-benefit distribution objections follow their own timeline).',
  ),
  auRegime(
    'AU_ASIC_RG271_HARDSHIP',
    'ASIC RG 271 internal dispute resolution (default notice and hardship complaints)',
    21,
    'AU.RG271.21D',
    'ASIC RG 271 maximum IDR timeframe: default notices, hardship notices and requests to postpone enforcement',
    'IDR response no later than 21 calendar days after receiving a complaint about a default notice, a hardship notice or a request to postpone enforcement proceedings.',
  ),
  IE_CPC,
  INTERNAL,
];

export const REGIME_IDS: readonly string[] = REGIMES.map((r) => r.id);

/** Every cited rule of the shipped regimes: the regime itself, its cut-off, clocks, extension and informal path. */
export const regimeCitations = (): { regime: string; ruleId: string; citation: string; citationVersion: CitationVersion }[] =>
  REGIMES.flatMap((r) => [
    { regime: r.id, ruleId: r.ruleId, citation: r.citation, citationVersion: r.citationVersion },
    ...(r.cutOff ? [{ regime: r.id, ruleId: r.cutOff.ruleId, citation: r.cutOff.citation, citationVersion: r.cutOff.citationVersion }] : []),
    ...r.clocks.map((c) => ({ regime: r.id, ruleId: c.ruleId, citation: c.citation, citationVersion: c.citationVersion })),
    { regime: r.id, ruleId: r.extension.ruleId, citation: r.extension.citation, citationVersion: r.extension.citationVersion },
    ...(r.informalResolution ? [{ regime: r.id, ruleId: r.informalResolution.ruleId, citation: r.informalResolution.citation, citationVersion: r.informalResolution.citationVersion }] : []),
  ]);

/** The stable ids of every regime rule (docs/regulatory/register.md, "Regime rules", lists exactly these). */
export const regimeRuleIds = (): string[] => [...new Set(regimeCitations().map((c) => c.ruleId))].sort();

export interface RegimeOptions {
  /** Amount allowed by the INTERNAL_STANDARD regime (INTERNAL_STANDARD_DAYS). */
  internalStandardDays?: number;
  /** Unit of that amount: calendar days (default) or business days. */
  internalStandardUnit?: Extract<ClockUnit, 'calendar_days' | 'business_days'>;
  /** Organisation-level closure days (ISO dates) added to every regime's calendar. */
  closures?: string[];
  /** Per-regime business locations a case may choose (REGIME_LOCATIONS), replacing the shipped list; the regime's calendar stays the default. */
  locations?: Record<string, { region: string | null; timeZone: string }[]>;
  /** Per-regime calendar overrides, e.g. a Scottish firm: `{ UK_FCA_DISP: { region: 'GB-SCT' } }`. */
  calendars?: Record<string, { region?: string | null; timeZone?: string }>;
  /** Per-regime record-keeping years from closure (RETENTION_YEARS), replacing the defaults of #domain/retention. */
  retentionYears?: Partial<Record<string, number>>;
}

const customise = (r: Regime, opts: RegimeOptions): Regime => {
  let out = r;
  const configured = opts.locations?.[r.id];
  if (configured) {
    // Each location is a real calendar (region, zone), found at start-up like every other calendar setting.
    for (const l of configured) compileCalendar({ ...r.calendar, region: l.region, timeZone: l.timeZone });
    const rest = configured.filter((l) => l.region !== r.calendar.region);
    out = { ...out, locations: [{ region: r.calendar.region, timeZone: r.calendar.timeZone }, ...rest] };
  }
  const override = opts.calendars?.[r.id];
  if (opts.closures?.length || override) {
    const cal: RegimeCalendar = {
      ...r.calendar,
      ...(override?.region !== undefined ? { region: override.region } : {}),
      ...(override?.timeZone ? { timeZone: override.timeZone } : {}),
      closures: [...new Set([...r.calendar.closures, ...(opts.closures ?? [])])].sort(),
    };
    compileCalendar(cal); // a bad zone, region or closure is a configuration error, found at start-up
    // An overridden default calendar leads the business locations a case may choose.
    const locations = [{ region: cal.region, timeZone: cal.timeZone }, ...out.locations.filter((l) => l.region !== cal.region)];
    out = { ...out, calendar: cal, timeZone: cal.timeZone, locations };
  }
  if (r.id === 'INTERNAL_STANDARD' && (opts.internalStandardDays || opts.internalStandardUnit)) {
    const amount = opts.internalStandardDays;
    const unit = opts.internalStandardUnit ?? 'calendar_days';
    out = { ...out, clocks: out.clocks.map((c) => (c.id === 'final_response' ? { ...c, amount: amount ?? c.amount, unit } : c)) };
  }
  return out;
};

const memo = new Map<string, Regime[]>();

/** Every regime with the organisation's options applied (memoised per options, so calendar caches are kept). */
export const listRegimes = (opts: RegimeOptions = {}): Regime[] => {
  const key = JSON.stringify(opts);
  let list = memo.get(key);
  if (!list) {
    list = REGIMES.map((r) => customise(r, opts));
    if (memo.size > 32) memo.clear();
    memo.set(key, list);
  }
  return [...list];
};

/** The regime `id` names; an unknown id is an InvalidInputError naming `field` (where the caller sent the id). */
export const getRegime = (id: string, opts: RegimeOptions = {}, field = 'body.regime'): Regime => {
  const regime = listRegimes(opts).find((r) => r.id === id);
  if (!regime) {
    throw new InvalidInputError(`unknown regime ${id}`, [{ field, message: `must be one of ${REGIME_IDS.join(', ')}` }]);
  }
  return regime;
};

/**
 * Checks the organisation's regime options once, where regimes are used (composition root, CDK synth): every
 * calendar override names a shipped regime, and every region, zone and closure day is real.
 */
export const checkRegimeOptions = (opts: RegimeOptions): void => {
  const unknown = Object.keys(opts.calendars ?? {}).filter((id) => !REGIME_IDS.includes(id));
  if (unknown.length) throw new CalendarConfigError(`REGIME_CALENDARS names unknown regime(s) ${unknown.join(', ')}; valid: ${REGIME_IDS.join(', ')}`);
  const unknownLocations = Object.keys(opts.locations ?? {}).filter((id) => !REGIME_IDS.includes(id));
  if (unknownLocations.length) throw new CalendarConfigError(`REGIME_LOCATIONS names unknown regime(s) ${unknownLocations.join(', ')}; valid: ${REGIME_IDS.join(', ')}`);
  listRegimes(opts);
};

const located = new WeakMap<Regime, Map<string, Regime>>();

/**
 * The regime as counted at a business location (the branch or servicing office that handles the case): the same
 * rules on that location's holiday calendar and zone, with the organisation's closures kept. `undefined` or the
 * regime's own calendar is the regime itself; a calendar the regime does not offer is a 400 naming the choices.
 */
export const atLocation = (regime: Regime, region: string | null | undefined, field = 'body.calendar'): Regime => {
  if (region === undefined || region === regime.calendar.region) return regime;
  const loc = regime.locations.find((l) => l.region === region);
  if (!loc) {
    const choices = regime.locations.map((l) => l.region ?? 'null').join(', ');
    throw new InvalidInputError(`calendar ${String(region)} is not a business location of ${regime.id}`, [{ field, message: `must be one of ${choices}` }]);
  }
  let byRegion = located.get(regime);
  if (!byRegion) located.set(regime, (byRegion = new Map<string, Regime>()));
  const key = loc.region ?? '';
  let out = byRegion.get(key);
  if (!out) {
    const cal: RegimeCalendar = { ...regime.calendar, region: loc.region, timeZone: loc.timeZone };
    compileCalendar(cal);
    out = { ...regime, calendar: cal, timeZone: loc.timeZone };
    byRegion.set(key, out);
  }
  return out;
};

/** The regime a case counts under: its regime with the organisation's options, at the case's business location. */
export const regimeOfCase = (c: { regime: string; calendar?: string | null | undefined }, opts: RegimeOptions = {}): Regime => atLocation(getRegime(c.regime, opts), c.calendar);
