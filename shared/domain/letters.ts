// Customer letters (pure): which template family a regime uses, who the customer may refer the complaint to and by
// when (each figure citing its rule), and the merge model a letter is rendered from. Every key of the model is always
// present (null when it does not apply), so strict templates can test it with {{#if}} and a missing field is a bug.
//
// The letters acknowledge, explain and inform; they never admit liability unless legal approved it (ADMISSION_PHRASES,
// scanned on every text that leaves: #domain/outbound-text).
import { DateTime } from 'luxon';
import type { Case } from '#schemas/complaint';
import type { Regime } from '#schemas/regime';
import type { LetterKind } from '#schemas/letters';
import type { Resolution } from '#schemas/resolution';
import { ConflictError } from './errors';

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

export interface LetterProfile {
  /** Template family: `templates/letters/<kind>/<family>.hbs`, else `default.hbs`. */
  family: string;
  /** Where the customer may take the complaint if they remain dissatisfied (null: the organisation's own review only). */
  referral: Referral | null;
  /** When the customer may refer before the final response (the point a delay response must state it). */
  referralBeforeFinal: string | null;
}

/** Per regime (ids of #domain/regimes); a regime not listed renders the default family with no external referral. */
export const LETTER_PROFILES: Readonly<Record<string, LetterProfile>> = {
  UK_FCA_DISP: { family: 'uk_disp', referral: FOS, referralBeforeFinal: 'at the end of eight weeks after we received your complaint (DISP 1.6.2R)' },
  UK_FCA_PSD: { family: 'uk_psd', referral: FOS, referralBeforeFinal: 'if you have not received our final response by the end of 15 business days (or, exceptionally, 35 business days) after we received your complaint (DISP 1.6.2AR)' },
  IE_CBI_CPC: {
    family: 'ie_cpc',
    // CPC 2012 Provision 10.9(e) and (d): the outcome letter and the 40-business-day update name the FSPO; the FSPO Act 2017 s.51 sets the time limits.
    referral: {
      body: 'the Financial Services and Pensions Ombudsman',
      website: 'www.fspo.ie',
      phone: '+353 1 567 7000',
      address: 'Financial Services and Pensions Ombudsman, Lincoln House, Lincoln Place, Dublin 2, D02 VH29',
      timeLimit: 'generally within six years of the conduct complained of (Financial Services and Pensions Ombudsman Act 2017, section 51)',
      citation: 'Consumer Protection Code 2012, Provision 10.9(d) and (e); FSPO Act 2017 s.51',
    },
    referralBeforeFinal: 'if your complaint is not resolved within 40 business days of receipt (CPC 2012 Provision 10.9(d))',
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
  },
  ...Object.fromEntries(
    ['AU_ASIC_RG271', 'AU_ASIC_RG271_SUPER', 'AU_ASIC_RG271_HARDSHIP'].map((id) => [
      id,
      {
        family: 'au_rg271',
        // RG 271.185–186: the IDR response states the right to complain to AFCA, its contact details and the time limit; AFCA Rules B.4.3.1: two years.
        referral: {
          body: 'the Australian Financial Complaints Authority (AFCA)',
          website: 'www.afca.org.au',
          phone: '1800 931 678',
          address: 'Australian Financial Complaints Authority, GPO Box 3, Melbourne VIC 3001; email info@afca.org.au',
          timeLimit: 'within two years of the date of this response (AFCA Rules B.4.3.1)',
          citation: 'ASIC RG 271.185–271.186; AFCA Complaint Resolution Scheme Rules B.4.3.1',
        },
        referralBeforeFinal: 'if you have not received our response within the maximum timeframe, or at any time you are not satisfied (ASIC RG 271)',
      } satisfies LetterProfile,
    ]),
  ),
  INTERNAL_STANDARD: { family: 'default', referral: null, referralBeforeFinal: null },
};

export const profileOf = (regimeId: string): LetterProfile => LETTER_PROFILES[regimeId] ?? { family: 'default', referral: null, referralBeforeFinal: null };

/** The organisation's letterhead (LETTER_ORGANISATION_* settings). */
export interface Letterhead {
  name: string;
  team: string;
  contact: string;
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
const dateIn = (iso: string, regime: Regime): string => {
  const d = DateTime.fromISO(iso, { zone: 'utc' }).setZone(regime.timeZone);
  return regime.jurisdiction === 'US' ? d.toFormat('MMMM d, yyyy') : d.toFormat('d MMMM yyyy');
};

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
