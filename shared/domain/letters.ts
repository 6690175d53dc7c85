// Customer letters (pure): which template family a regime uses, who the customer may refer the complaint to and by
// when (each figure citing its rule), and the merge model a letter is rendered from. Every key of the model is always
// present (null when it does not apply), so strict templates can test it with {{#if}} and a missing field is a bug.
//
// The letters acknowledge, explain and inform; they never admit liability unless legal approved it (ADMISSION_PHRASES,
// scanned on every text that leaves: #domain/outbound-text).
import { localDateOf } from './time-zone';
import type { Case } from '#schemas/complaint';
import type { Regime } from '#schemas/regime';
import type { LetterKind } from '#schemas/letters';
import type { Resolution, TimeLimitWording } from '#schemas/resolution';
import { ConflictError } from './errors';
import { CITATIONS_CHECKED_AT } from './regimes';

/** A rule a letter applies, cited with the version date of the text it was checked against (docs/regulatory/register.md). */
export interface LetterRule {
  id: string;
  ref: string;
  version: string;
  checkedAt: string;
}

const rule = (id: string, ref: string, version: string): LetterRule => ({ id, ref, version, checkedAt: CITATIONS_CHECKED_AT });

/** Every rule the letters apply, by id. Versions: see the register for what each date is. */
export const LETTER_RULES = {
  'UK.DISP.1.ANNEX3R-1': rule('UK.DISP.1.ANNEX3R-1', 'FCA Handbook DISP 1 Annex 3R(1): wording where the respondent does not consent to waive the six-month time limit of DISP 2.8.2R(1)', '2016-07-17'),
  'UK.DISP.1.ANNEX3R-2': rule('UK.DISP.1.ANNEX3R-2', 'FCA Handbook DISP 1 Annex 3R(2): wording where the complaint is out of time and the respondent does not consent to waive the time limits', '2016-07-17'),
  'UK.DISP.1.ANNEX3R-WAIVE': rule('UK.DISP.1.ANNEX3R-WAIVE', 'FCA Handbook DISP 1 Annex 3R: wording where the respondent consents to waive the time limits', '2016-07-17'),
  'UK.DISP.1.5.4R': rule('UK.DISP.1.5.4R', 'FCA Handbook DISP 1.5.4R: the summary resolution communication, with the DISP 1 Annex 3R wording (1.5.4R(3))', '2016-06-30'),
  'UK.DISP.1.6.1R': rule('UK.DISP.1.6.1R', 'FCA Handbook DISP 1.6.1R: prompt written acknowledgement stating the deadline that applies', '2026-06-01'),
  'UK.DISP.1.6.2R-1': rule('UK.DISP.1.6.2R-1', 'FCA Handbook DISP 1.6.2R(1): the final response', '2026-06-01'),
  'UK.DISP.1.6.2R-2': rule('UK.DISP.1.6.2R-2', 'FCA Handbook DISP 1.6.2R(2): the eight-week written response explains why the firm is not in a position to respond and when it expects to, and that the complainant may refer to the ombudsman', '2026-06-01'),
  'UK.DISP.1.6.2AR-2': rule('UK.DISP.1.6.2AR-2', 'FCA Handbook DISP 1.6.2AR(2): the PSD/EMD holding reply gives the reasons for the delay and the date by which the final response will come (at most 35 business days)', '2026-06-01'),
  'UK.DISP.1.6.2AR-1': rule('UK.DISP.1.6.2AR-1', 'FCA Handbook DISP 1.6.2AR(1): the PSD/EMD final response within 15 business days', '2026-06-01'),
  'IE.CPC2025.ACK-5BD': rule('IE.CPC2025.ACK-5BD', 'Consumer Protection Code 2025 (Consumer Protection Regulations 2025): acknowledgement within 5 business days', '2026-03-24'),
  'IE.CPC2025.BEYOND-40BD': rule('IE.CPC2025.BEYOND-40BD', 'Consumer Protection Code 2025: a complaint not resolved within 40 business days — tell the consumer the anticipated timeframe and the right to refer to the FSPO', '2026-03-24'),
  'IE.CPC2025.OUTCOME-5BD': rule('IE.CPC2025.OUTCOME-5BD', 'Consumer Protection Code 2025: the outcome in writing, naming the FSPO', '2026-03-24'),
  'AU.RG271.ACK': rule('AU.RG271.ACK', 'ASIC RG 271: acknowledging complaints', '2021-10-05'),
  'AU.RG271.DELAY': rule('AU.RG271.DELAY', 'ASIC RG 271: IDR delay notification (reasons, AFCA right and contact details)', '2021-10-05'),
  'AU.RG271.IDR-RESPONSE': rule('AU.RG271.IDR-RESPONSE', 'ASIC RG 271: the written IDR response states the right to complain to AFCA, its contact details and the time limit', '2021-10-05'),
  'AU.AFCA.B.4.3': rule('AU.AFCA.B.4.3', 'AFCA Complaint Resolution Scheme Rules B.4.3: lodge within 2 years of the IDR response and within 6 years of first becoming aware (or when one should reasonably have become aware) of the loss', '2024-07-01'),
  'US.CFPB.PORTAL': rule('US.CFPB.PORTAL', 'CFPB Company Portal Manual: company responses and consumer feedback', CITATIONS_CHECKED_AT),
  'ORG.LETTERS': rule('ORG.LETTERS', 'Organisation complaint-handling policy: letters for the internal standard', CITATIONS_CHECKED_AT),
} as const satisfies Record<string, LetterRule>;
export type LetterRuleId = keyof typeof LETTER_RULES;

/** The rule ids of every letter rule (the register's "Letter rules" section lists exactly these). */
export const letterRuleIds = (): string[] => Object.keys(LETTER_RULES).sort();

/**
 * DISP 1 Annex 3R wording, as verified against the FCA Handbook (point in time 17/07/2016; the handbook shows no later
 * change). Only wording whose full text could be verified is shipped: a variant without verified text is `null`, and
 * a letter that needs it is refused (409) rather than printed with unverified "prescribed" words.
 */
export const ANNEX_3R: Readonly<Record<TimeLimitWording, { ruleId: LetterRuleId; paragraphs: readonly string[] | null }>> = {
  not_waived: {
    ruleId: 'UK.DISP.1.ANNEX3R-1',
    paragraphs: [
      'You have the right to refer your complaint to the Financial Ombudsman Service, free of charge – but you must do so within six months of the date of this letter.',
      'If you do not refer your complaint in time, the Ombudsman will not have our permission to consider your complaint and so will only be able to do so in very limited circumstances. For example, if the Ombudsman believes that the delay was as a result of exceptional circumstances.',
    ],
  },
  out_of_time_not_waived: { ruleId: 'UK.DISP.1.ANNEX3R-2', paragraphs: null },
  waived: { ruleId: 'UK.DISP.1.ANNEX3R-WAIVE', paragraphs: null },
};
import { own } from './own';

/** Phrases no letter may contain unless legal approved them (scanned on every text sent: #domain/outbound-text). */
export { ADMISSION_PHRASES } from './outbound-text';

export interface Referral {
  /** The body the customer may refer the complaint to. */
  body: string;
  website: string;
  phone: string;
  address: string;
  /** When the customer must refer by, as the letter states it. */
  timeLimit: string;
  citation: string;
}

/** The Financial Ombudsman Service (DISP 1 Annex 3R: the referral wording; DISP 2.8.2R(1): the six-month limit). */
const FOS: Referral = {
  body: 'the Financial Ombudsman Service',
  website: 'www.financial-ombudsman.org.uk',
  phone: '0800 023 4567',
  address: 'Financial Ombudsman Service, Exchange Tower, London E14 9SR',
  timeLimit: 'within six months of the date of this letter',
  citation: 'FCA DISP 1 Annex 3R; DISP 2.8.2R(1)',
};

type KindRules = Readonly<Record<LetterKind, readonly LetterRuleId[]>>;
const UK_DISP_RULES: KindRules = {
  acknowledgement: ['UK.DISP.1.6.1R'],
  holding: ['UK.DISP.1.6.2R-2'],
  summary_resolution: ['UK.DISP.1.5.4R', 'UK.DISP.1.ANNEX3R-1', 'UK.DISP.1.ANNEX3R-2', 'UK.DISP.1.ANNEX3R-WAIVE'],
  final_response: ['UK.DISP.1.6.2R-1', 'UK.DISP.1.ANNEX3R-1', 'UK.DISP.1.ANNEX3R-2', 'UK.DISP.1.ANNEX3R-WAIVE'],
};
const UK_PSD_RULES: KindRules = { ...UK_DISP_RULES, holding: ['UK.DISP.1.6.2AR-2'], final_response: ['UK.DISP.1.6.2AR-1', 'UK.DISP.1.ANNEX3R-1', 'UK.DISP.1.ANNEX3R-2', 'UK.DISP.1.ANNEX3R-WAIVE'] };
const IE_RULES: KindRules = { acknowledgement: ['IE.CPC2025.ACK-5BD'], holding: ['IE.CPC2025.BEYOND-40BD'], summary_resolution: ['IE.CPC2025.OUTCOME-5BD'], final_response: ['IE.CPC2025.OUTCOME-5BD'] };
const AU_RULES: KindRules = { acknowledgement: ['AU.RG271.ACK'], holding: ['AU.RG271.DELAY'], summary_resolution: ['AU.RG271.IDR-RESPONSE', 'AU.AFCA.B.4.3'], final_response: ['AU.RG271.IDR-RESPONSE', 'AU.AFCA.B.4.3'] };
const US_RULES: KindRules = { acknowledgement: ['US.CFPB.PORTAL'], holding: ['US.CFPB.PORTAL'], summary_resolution: ['US.CFPB.PORTAL'], final_response: ['US.CFPB.PORTAL'] };
const ORG_RULES: KindRules = { acknowledgement: ['ORG.LETTERS'], holding: ['ORG.LETTERS'], summary_resolution: ['ORG.LETTERS'], final_response: ['ORG.LETTERS'] };

export interface LetterProfile {
  /** Template family: `templates/letters/<kind>/<family>.hbs`, else `default.hbs`. */
  family: string;
  /** Where the customer may take the complaint if they remain dissatisfied (null: the organisation's own review only). */
  referral: Referral | null;
  /** When the customer may refer before the final response (the point a delay response must state it). */
  referralBeforeFinal: string | null;
  /** The rules each kind of letter applies (each in LETTER_RULES, cited with its version date). */
  rules: KindRules;
}

/** Per regime (ids of #domain/regimes); a regime not listed renders the default family with no external referral. */
export const LETTER_PROFILES: Readonly<Record<string, LetterProfile>> = {
  UK_FCA_DISP: { family: 'uk_disp', referral: FOS, referralBeforeFinal: 'at the end of eight weeks after we received your complaint (DISP 1.6.2R)', rules: UK_DISP_RULES },
  UK_FCA_PSD: {
    family: 'uk_psd',
    referral: FOS,
    referralBeforeFinal: 'if you have not received our final response by the end of 15 business days (or, exceptionally, 35 business days) after we received your complaint (DISP 1.6.2AR)',
    rules: UK_PSD_RULES,
  },
  IE_CBI_CPC: {
    family: 'ie_cpc',
    // CPC 2025 complaints handling: the outcome letter and the 40-business-day letter name the FSPO; the FSPO Act 2017 s.51 sets the time limits.
    referral: {
      body: 'the Financial Services and Pensions Ombudsman',
      website: 'www.fspo.ie',
      phone: '+353 1 567 7000',
      address: 'Financial Services and Pensions Ombudsman, Lincoln House, Lincoln Place, Dublin 2, D02 VH29',
      timeLimit: 'generally within six years of the conduct complained of (Financial Services and Pensions Ombudsman Act 2017, section 51)',
      citation: 'Consumer Protection Code 2025 (complaints handling); FSPO Act 2017 s.51',
    },
    referralBeforeFinal: 'if your complaint is not resolved within 40 business days of receipt (Consumer Protection Code 2025)',
    rules: IE_RULES,
  },
  US_CFPB: {
    family: 'us_cfpb',
    referral: {
      body: 'the Consumer Financial Protection Bureau',
      website: 'www.consumerfinance.gov/complaint',
      phone: '(855) 411-2372',
      address: 'Consumer Financial Protection Bureau, P.O. Box 27170, Washington, DC 20038',
      timeLimit: 'at any time; if your complaint came to us through the CFPB, you may give the CFPB feedback on this response within 60 days',
      citation: 'CFPB Company Portal Manual (consumer feedback on company responses)',
    },
    referralBeforeFinal: null,
    rules: US_RULES,
  },
  ...Object.fromEntries(
    ['AU_ASIC_RG271', 'AU_ASIC_RG271_SUPER', 'AU_ASIC_RG271_HARDSHIP'].map((id) => [
      id,
      {
        family: 'au_rg271',
        // RG 271: the IDR response states the right to complain to AFCA, its contact details and the time limit; AFCA Rules B.4.3: two years from the IDR response, six years from awareness of the loss.
        referral: {
          body: 'the Australian Financial Complaints Authority (AFCA)',
          website: 'www.afca.org.au',
          phone: '1800 931 678',
          address: 'Australian Financial Complaints Authority, GPO Box 3, Melbourne VIC 3001; email info@afca.org.au',
          timeLimit:
            'within two years of the date of this response, and within six years of the date when you first became aware (or should reasonably have become aware) that you suffered the loss, whichever comes first (AFCA Rules B.4.3)',
          citation: 'ASIC RG 271 (IDR response); AFCA Complaint Resolution Scheme Rules B.4.3',
        },
        referralBeforeFinal: 'if you have not received our response within the maximum timeframe, or at any time you are not satisfied (ASIC RG 271)',
        rules: AU_RULES,
      } satisfies LetterProfile,
    ]),
  ),
  INTERNAL_STANDARD: { family: 'default', referral: null, referralBeforeFinal: null, rules: ORG_RULES },
};

export const profileOf = (regimeId: string): LetterProfile => own(LETTER_PROFILES, regimeId) ?? { family: 'default', referral: null, referralBeforeFinal: null, rules: ORG_RULES };

/** The rules a letter applies, each with the version date of the text it was checked against. */
export const letterRules = (regimeId: string, kind: LetterKind): LetterRule[] => profileOf(regimeId).rules[kind].map((id) => LETTER_RULES[id]);

/** The organisation's letterhead (LETTER_ORGANISATION_* settings). */
export interface Letterhead {
  name: string;
  team: string;
  contact: string;
  /**
   * DISP 1 Annex 3R wording the organisation's compliance team copied from the current Handbook for the variants this
   * build does not ship verified (LETTER_ANNEX_3R_WORDING): printed word for word, as configured. A shipped, verified
   * variant is never replaced.
   */
  annex3r?: Partial<Record<TimeLimitWording, readonly string[]>>;
}

export const DEFAULT_LETTERHEAD: Letterhead = { name: 'Example Financial Services Ltd', team: 'Customer Complaints Team', contact: 'complaints@example.com' };

/**
 * Customer-supplied text as it may appear in a plain-text letter: control and bidirectional-override characters
 * removed, runs of spaces collapsed; `multiline` keeps paragraph breaks (an explanation), otherwise one line.
 */
/** Control characters (C0/C1; line feed and tab kept when asked), line/paragraph separators and bidirectional overrides. */
export const stripControls = (s: string, keepLineBreaks: boolean): string =>
  s.replace(keepLineBreaks ? /(?![\n\t])\p{Cc}|[\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu : /\p{Cc}|[\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, keepLineBreaks ? '' : ' ');

export const plain = (s: string, multiline = false): string => {
  const cleaned = multiline ? stripControls(s.replace(/\r\n?/g, '\n'), true) : stripControls(s, false);
  if (!multiline) return cleaned.replace(/\s+/g, ' ').trim();
  return cleaned
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
};

const UNIT_TEXT: Record<string, string> = { calendar_days: 'calendar days', business_days: 'business days', weeks: 'weeks' };

const DECISION_TEXT: Record<Resolution['decision'], string> = {
  upheld: 'We have decided to uphold your complaint.',
  partially_upheld: 'We have decided to uphold your complaint in part.',
  not_upheld: 'We have decided not to uphold your complaint.',
};

/** A date as a letter states it, in the regime's time zone ("5 January 2027"; the US writes "January 5, 2027"). */
const dateIn = (iso: string, regime: Regime): string => dateOfDay(localDateOf(iso, regime.timeZone), regime);

export interface LetterContext {
  kind: LetterKind;
  case: Case;
  regime: Regime;
  /** The case's current resolution (final_response needs one). */
  resolution?: Resolution | undefined;
  letterhead: Letterhead;
  now: string;
}

/**
 * The merge model of a letter. A final response needs a resolution of the current cycle (409 before one is
 * proposed); the other kinds render from the case alone.
 */
export const letterModel = (ctx: LetterContext): Record<string, unknown> => {
  const { case: c, regime, resolution, letterhead } = ctx;
  if (ctx.kind === 'final_response' && !resolution) throw new ConflictError('a final response letter needs a proposed resolution (POST …/resolution)', { kind: ctx.kind });
  const profile = profileOf(regime.id);
  const annex3r = profile.referral === FOS && (ctx.kind === 'final_response' || ctx.kind === 'summary_resolution') ? annex3rWording(resolution?.timeLimitWording ?? 'not_waived', letterhead.annex3r) : null;
  const delay = ctx.kind === 'holding' ? holdingDelay(c, regime) : null;
  const finalClock = regime.clocks.find((k) => k.id === 'final_response');
  const ackClock = regime.clocks.find((k) => k.id === 'acknowledgement');
  const extension = regime.extension.allowed && regime.extension.clock ? regime.clocks.find((k) => k.id === regime.extension.clock) : undefined;
  const remedy = resolution?.remedy;
  return {
    letterDate: dateIn(ctx.now, regime),
    org: { ...letterhead },
    customer: { name: plain(c.customer.name) },
    case: {
      reference: c.reference,
      receivedOn: dateIn(c.receivedAt, regime),
      product: plain(c.product),
      summary: plain(c.summary),
    },
    regime: { id: regime.id, name: regime.name, citation: regime.citation },
    deadline: {
      finalResponseDueOn: dateIn(c.finalResponseDueAt, regime),
      period: finalClock ? `${finalClock.amount} ${UNIT_TEXT[finalClock.unit] ?? finalClock.unit}` : 'our published timescale',
      description: finalClock?.description ?? 'A final response within the organisation’s own standard.',
      citation: finalClock?.citation ?? regime.citation,
      acknowledgementCitation: ackClock?.citation ?? null,
    },
    summaryResolution: c.clock?.summaryResolutionEndsAt ? { endsOn: dateIn(c.clock.summaryResolutionEndsAt, regime) } : null,
    extension: extension
      ? {
          period: `${extension.amount} ${UNIT_TEXT[extension.unit] ?? extension.unit}`,
          dueOn: c.clock?.extendedDueAt ? dateIn(c.clock.extendedDueAt, regime) : null,
          citation: extension.citation,
        }
      : null,
    referral: profile.referral ? { ...profile.referral, beforeFinal: profile.referralBeforeFinal } : null,
    annex3r,
    delay,
    resolution: resolution
      ? {
          decision: resolution.decision,
          decisionText: DECISION_TEXT[resolution.decision],
          explanation: plain(resolution.finalResponse, true),
          remedy: remedy ? { description: plain(remedy.description, true), compensation: remedy.compensation ? `${remedy.compensation.currency} ${remedy.compensation.amount}` : null } : null,
        }
      : null,
  };
};

/**
 * The DISP 1 Annex 3R paragraphs of a variant: the verified wording this build ships, else the wording the organisation
 * configured (LETTER_ANNEX_3R_WORDING); a variant with neither is a 409 that says what to configure, never invented text.
 */
export const annex3rWording = (variant: TimeLimitWording, configured?: Partial<Record<TimeLimitWording, readonly string[]>>): readonly string[] => {
  const wording = ANNEX_3R[variant];
  if (wording.paragraphs) return wording.paragraphs;
  const own = configured && Object.hasOwn(configured, variant) ? configured[variant] : undefined;
  if (own?.length) return own;
  throw new ConflictError(
    `the DISP 1 Annex 3R wording for "${variant}" is not verified in this build, so it is not printed: compliance configures it word for word from the current FCA Handbook (LETTER_ANNEX_3R_WORDING.${variant}), or the resolution uses another variant`,
    { timeLimitWording: variant, rule: LETTER_RULES[wording.ruleId].ref, setting: `LETTER_ANNEX_3R_WORDING.${variant}` },
  );
};

/**
 * What a holding letter states about the delay, taken from the case. UK_FCA_PSD (DISP 1.6.2AR(2)): the reasons are
 * the extension's recorded justification and the date is the final-response date (the recorded expected date, or
 * the 35th business day), never later than 35 business days. Every other regime: the reason and expected date
 * recorded with POST …/clock { action: delay } (DISP 1.6.2R(2)(a); CPC 2025 beyond 40 business days; RG 271 IDR
 * delay notification). Missing → 409, naming what to record.
 */
const holdingDelay = (c: Case, regime: Regime): { reason: string; expectedOn: string } => {
  if (regime.id === 'UK_FCA_PSD') {
    if (!c.clock?.extendedAt || !c.clock.extensionReason) {
      throw new ConflictError('a PSD holding reply states the reasons for the delay recorded with the extension: extend the clock first (POST …/clock { action: "extend", reason })', { kind: 'holding', rule: 'DISP 1.6.2AR(2)' });
    }
    const due = c.finalResponseDueAt;
    const expected = c.clock.delay?.expectedBy;
    if (expected && expected > localDate(due, regime)) {
      throw new ConflictError(`the recorded expected date ${expected} is after the 35-business-day limit (${localDate(due, regime)})`, { kind: 'holding', rule: 'DISP 1.6.2AR(2)' });
    }
    return { reason: plain(c.clock.extensionReason, true), expectedOn: expected ? dateOfDay(expected, regime) : dateIn(due, regime) };
  }
  const delay = c.clock?.delay;
  if (!delay) {
    throw new ConflictError('a holding letter states why we are not yet in a position to respond and when we expect to: record both first (POST …/clock { action: "delay", reason, expectedBy })', { kind: 'holding' });
  }
  return { reason: plain(delay.reason, true), expectedOn: dateOfDay(delay.expectedBy, regime) };
};

const localDate = (iso: string, regime: Regime): string => localDateOf(iso, regime.timeZone);

/** A local calendar date (YYYY-MM-DD) as a letter states it. */
const dateOfDay = (day: string, regime: Regime): string => {
  const [year, month, date] = [day.slice(0, 4), MONTHS[Number(day.slice(5, 7)) - 1], Number(day.slice(8, 10))];
  return regime.jurisdiction === 'US' ? `${month} ${date}, ${year}` : `${date} ${month} ${year}`;
};

/** The months' names as letters write them (English, as Luxon's default locale gave). */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
