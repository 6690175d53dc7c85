// Regimes as code: every deadline policy a case can run under, its clocks, calendar, cut-off and extension, each citing its rule.
//
// Citations are the rule's own reference. `basis` says how binding a figure is: `rule` (enforceable),
// `guidance` (regulator guidance or published expectation) or `policy` (the organisation's own standard
// where the rule only says "promptly"). Assumptions are written next to the figure they affect.
import type { ClockUnit, CutOffRule, Regime, RegimeCalendar, RegimeClock } from '#schemas/regime';
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

/** The UK cut-off: the FCA's own statement of it was DISP 1.5.3G, deleted on 30 June 2016; kept here as firm policy. */
const UK_CUT_OFF: CutOffRule = {
  time: '17:00',
  nonBusinessDays: true,
  appliesTo: 'business_day_clocks',
  basis: 'policy',
  citation: 'FCA DISP 1.5.3G(1) (deleted 30/06/2016): a complaint received on any day other than a business day, or after close of business on a business day, may be treated as received on the next business day',
  assumption:
    'Close of business is 17:00 UK time. The current DISP text no longer states the cut-off; this regime keeps the FCA’s former published approach as documented firm policy, for business-day clocks only. The eight-week DISP 1.6.2R clock still runs from the moment of receipt.',
};

/** DISP 1.6.1R asks for a prompt acknowledgement; five business days is the organisation's standard for both UK regimes. */
const ukAcknowledgement = (states: string): RegimeClock => ({
  id: 'acknowledgement',
  amount: 5,
  unit: 'business_days',
  basis: 'policy',
  citation: 'DISP 1.6.1R(1)',
  description: `A prompt written acknowledgement ${states}; the five business days are the organisation’s standard.`,
});

const NO_EXTENSION = (citation: string, condition: string) => ({ allowed: false, condition, citation });

const UK_DISP: Regime = {
  id: 'UK_FCA_DISP',
  name: 'UK FCA complaints sourcebook (DISP 1.6)',
  jurisdiction: 'GB',
  citation: 'FCA Handbook DISP 1.6.2R',
  timeZone: 'Europe/London',
  calendar: calendar('GB-ENG', 'Europe/London'),
  cutOff: UK_CUT_OFF,
  mayPause: false,
  pauseRule: 'The eight weeks run from receipt; DISP has no provision that stops the clock.',
  clocks: [
    ukAcknowledgement('stating which deadline applies; DISP says "prompt"'),
    {
      id: 'summary_resolution',
      amount: 3,
      unit: 'business_days',
      basis: 'rule',
      citation: 'DISP 1.5.1R, DISP 1.5.4R',
      description: 'A complaint resolved by close of business on the third business day after the day of receipt takes the summary-resolution path (summary resolution communication instead of a final response).',
    },
    {
      id: 'final_response',
      amount: 8,
      unit: 'weeks',
      basis: 'rule',
      citation: 'DISP 1.6.2R',
      description: 'Final response, or a written delay response with ombudsman referral rights, by the end of eight weeks after receipt.',
    },
  ],
  extension: NO_EXTENSION('DISP 1.6.2R(2)', 'No extension: at eight weeks a delay response must tell the complainant they may refer the complaint to the Financial Ombudsman Service.'),
};

const UK_PSD: Regime = {
  id: 'UK_FCA_PSD',
  name: 'UK FCA payment services and e-money complaints (DISP 1.6.2AR)',
  jurisdiction: 'GB',
  citation: 'FCA Handbook DISP 1.6.2AR',
  timeZone: 'Europe/London',
  calendar: calendar('GB-ENG', 'Europe/London'),
  cutOff: UK_CUT_OFF,
  mayPause: false,
  pauseRule: 'The 15 business days run from the day of receipt; there is no pause.',
  clocks: [
    ukAcknowledgement('stating the 15 (or, exceptionally, 35) business-day deadline'),
    {
      id: 'final_response',
      amount: 15,
      unit: 'business_days',
      basis: 'rule',
      citation: 'DISP 1.6.2AR(1)',
      description: 'Final response addressing all points raised, by the end of 15 business days after the day of receipt.',
    },
    {
      id: 'extended_final_response',
      amount: 35,
      unit: 'business_days',
      basis: 'rule',
      citation: 'DISP 1.6.2AR(2)',
      description: 'In exceptional circumstances beyond the firm’s control: a holding response within the 15 business days giving the reasons and the date of the final response, which comes by the end of 35 business days after the day of receipt.',
    },
  ],
  extension: {
    allowed: true,
    clock: 'extended_final_response',
    condition: 'Exceptional circumstances beyond the firm’s control, justified and recorded, with a holding response sent within the 15 business days.',
    citation: 'DISP 1.6.2AR(2)',
  },
};

const US_CFPB: Regime = {
  id: 'US_CFPB',
  name: 'US CFPB company response timelines',
  jurisdiction: 'US',
  citation: 'CFPB Company Portal Manual, complaint response timelines',
  timeZone: 'America/New_York',
  calendar: calendar('US', 'America/New_York'),
  cutOff: null,
  mayPause: false,
  pauseRule: 'Calendar days from the day the CFPB sends the complaint; no pause.',
  notes: 'Use receivedAt = the time the CFPB sent the complaint to the company. These timelines are CFPB expectations, not a statute; they do not replace statutory ones (for example Regulation E or Z error resolution).',
  clocks: [
    {
      id: 'final_response',
      amount: 15,
      unit: 'calendar_days',
      basis: 'guidance',
      citation: 'CFPB Company Portal Manual: response within 15 calendar days',
      description: 'Respond to the consumer and the CFPB within 15 calendar days, either closing the complaint or marking it in progress.',
    },
    {
      id: 'extended_final_response',
      amount: 60,
      unit: 'calendar_days',
      basis: 'guidance',
      citation: 'CFPB Company Portal Manual: final response within 60 calendar days',
      description: 'A complaint marked "in progress" within the 15 days must get its final response within 60 calendar days.',
    },
  ],
  extension: {
    allowed: true,
    clock: 'extended_final_response',
    condition: 'An "in progress" response sent to the consumer and the CFPB within the 15 calendar days.',
    citation: 'CFPB Company Portal Manual',
  },
};

const AU_CLOCK_ACK: RegimeClock = {
  id: 'acknowledgement',
  amount: 1,
  unit: 'business_days',
  basis: 'guidance',
  citation: 'ASIC RG 271 (acknowledging complaints)',
  description: 'Acknowledge the complaint within 24 hours (or one business day) of receipt, or as soon as practicable.',
};
const AU_EXTENSION = {
  allowed: true,
  condition: 'Only where resolution is particularly complex or delayed by circumstances beyond the firm’s control, with an IDR delay notification (reasons, AFCA referral right and contact details) sent before the maximum timeframe ends; no fixed limit.',
  citation: 'ASIC RG 271 (IDR delay notification), ASIC Instrument 2020/98',
};

const auRegime = (id: string, name: string, days: number, citation: string, description: string): Regime => ({
  id,
  name,
  jurisdiction: 'AU',
  citation: 'ASIC RG 271 Internal dispute resolution; enforceable under ASIC Corporations, Credit and Superannuation (Internal Dispute Resolution) Instrument 2020/98',
  ...(id === 'AU_ASIC_RG271' ? {} : { variantOf: 'AU_ASIC_RG271' }),
  timeZone: 'Australia/Sydney',
  calendar: calendar('AU-NSW', 'Australia/Sydney'),
  cutOff: null,
  mayPause: false,
  pauseRule: 'The maximum IDR timeframe runs in calendar days from receipt; it is not paused while waiting for information.',
  clocks: [AU_CLOCK_ACK, { id: 'final_response', amount: days, unit: 'calendar_days', basis: 'rule', citation, description }],
  extension: AU_EXTENSION,
});

const IE_CPC: Regime = {
  id: 'IE_CBI_CPC',
  name: 'Central Bank of Ireland Consumer Protection Code 2012, complaints resolution',
  jurisdiction: 'IE',
  citation: 'Central Bank of Ireland Consumer Protection Code 2012, Provision 10.9',
  timeZone: 'Europe/Dublin',
  calendar: calendar('IE', 'Europe/Dublin'),
  // The CPC states no cut-off: counting starts the business day after the (calendar) day of receipt.
  cutOff: null,
  mayPause: false,
  pauseRule: 'The CPC counts business days from receipt; there is no pause.',
  clocks: [
    { id: 'acknowledgement', amount: 5, unit: 'business_days', basis: 'rule', citation: 'CPC 2012 Provision 10.9(a)', description: 'Acknowledge each complaint on paper or another durable medium within 5 business days of receipt.' },
    { id: 'customer_update', amount: 20, unit: 'business_days', recurring: true, basis: 'rule', citation: 'CPC 2012 Provision 10.9(c)', description: 'Update the complainant on the investigation at intervals of not more than 20 business days, starting from the date the complaint was made.' },
    { id: 'final_response', amount: 40, unit: 'business_days', basis: 'rule', citation: 'CPC 2012 Provision 10.9(d)', description: 'Attempt to investigate and resolve the complaint within 40 business days of receipt.' },
    { id: 'outcome_notification', amount: 5, unit: 'business_days', from: 'investigation_concluded', basis: 'rule', citation: 'CPC 2012 Provision 10.9(e)', description: 'Tell the complainant the outcome in writing within 5 business days of completing the investigation.' },
  ],
  extension: {
    allowed: true,
    condition: 'After 40 business days the complainant must be told the anticipated timeframe for resolution and that they may refer the complaint to the Financial Services and Pensions Ombudsman; no fixed limit.',
    citation: 'CPC 2012 Provision 10.9(d)',
  },
};

const INTERNAL: Regime = {
  id: 'INTERNAL_STANDARD',
  name: 'Internal service standard',
  jurisdiction: 'ORG',
  citation: 'Organisation complaint-handling policy',
  timeZone: 'UTC',
  calendar: calendar(null, 'UTC'),
  cutOff: null,
  mayPause: true,
  pauseRule: 'May pause while waiting for the customer; a pause shifts every pending checkpoint by the paused time.',
  clocks: [
    {
      id: 'final_response',
      amount: 28,
      unit: 'calendar_days',
      basis: 'policy',
      citation: 'Organisation policy',
      description: 'Final response within the organisation’s own standard (configurable with INTERNAL_STANDARD_DAYS and its unit).',
    },
  ],
  extension: NO_EXTENSION('Organisation policy', 'No extension; pause the clock instead while waiting for the customer.'),
};

const REGIMES: readonly Regime[] = [
  UK_DISP,
  UK_PSD,
  US_CFPB,
  auRegime('AU_ASIC_RG271', 'ASIC RG 271 internal dispute resolution (standard complaints)', 30, 'ASIC RG 271 maximum IDR timeframe: standard complaints', 'IDR response no later than 30 calendar days after receiving the complaint.'),
  auRegime(
    'AU_ASIC_RG271_SUPER',
    'ASIC RG 271 internal dispute resolution (superannuation trustee complaints)',
    45,
    'ASIC RG 271 maximum IDR timeframe: superannuation trustee complaints',
    'IDR response no later than 45 calendar days after receiving the complaint (superannuation trustees; death-benefit distribution objections follow their own timeline).',
  ),
  auRegime(
    'AU_ASIC_RG271_HARDSHIP',
    'ASIC RG 271 internal dispute resolution (default notice and hardship complaints)',
    21,
    'ASIC RG 271 maximum IDR timeframe: default notices, hardship notices and requests to postpone enforcement',
    'IDR response no later than 21 calendar days after receiving a complaint about a default notice, a hardship notice or a request to postpone enforcement proceedings.',
  ),
  IE_CPC,
  INTERNAL,
];

export const REGIME_IDS: readonly string[] = REGIMES.map((r) => r.id);

export interface RegimeOptions {
  /** Amount allowed by the INTERNAL_STANDARD regime (INTERNAL_STANDARD_DAYS). */
  internalStandardDays?: number;
  /** Unit of that amount: calendar days (default) or business days. */
  internalStandardUnit?: Extract<ClockUnit, 'calendar_days' | 'business_days'>;
  /** Organisation-level closure days (ISO dates) added to every regime's calendar. */
  closures?: string[];
  /** Per-regime calendar overrides, e.g. a Scottish firm: `{ UK_FCA_DISP: { region: 'GB-SCT' } }`. */
  calendars?: Record<string, { region?: string | null; timeZone?: string }>;
  /** Per-regime record-keeping years from closure (RETENTION_YEARS), replacing the defaults of #domain/retention. */
  retentionYears?: Partial<Record<string, number>>;
}

const customise = (r: Regime, opts: RegimeOptions): Regime => {
  let out = r;
  const override = opts.calendars?.[r.id];
  if (opts.closures?.length || override) {
    const cal: RegimeCalendar = {
      ...r.calendar,
      ...(override?.region !== undefined ? { region: override.region } : {}),
      ...(override?.timeZone ? { timeZone: override.timeZone } : {}),
      closures: [...new Set([...r.calendar.closures, ...(opts.closures ?? [])])].sort(),
    };
    compileCalendar(cal); // a bad zone, region or closure is a configuration error, found at start-up
    out = { ...out, calendar: cal, timeZone: cal.timeZone };
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

export const getRegime = (id: string, opts: RegimeOptions = {}): Regime => {
  const regime = listRegimes(opts).find((r) => r.id === id);
  if (!regime) {
    throw new InvalidInputError(`unknown regime ${id}`, [{ field: 'body.regime', message: `must be one of ${REGIME_IDS.join(', ')}` }]);
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
  listRegimes(opts);
};
