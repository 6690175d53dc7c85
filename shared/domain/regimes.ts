// The regime registry: every deadline policy a case can run under, each citing its rule.
// Calendar-day clocks only for now; business-day calendars extend this registry, not its callers.
import type { Regime } from '#schemas/regime';
import { InvalidInputError } from './errors';

const REGIMES: readonly Regime[] = [
  {
    id: 'UK_FCA_DISP',
    name: 'UK FCA complaints sourcebook (DISP 1.6)',
    jurisdiction: 'GB',
    citation: 'FCA Handbook DISP 1.6.2R',
    timeZone: 'Europe/London',
    mayPause: false,
    clocks: [
      {
        id: 'final_response',
        amount: 8,
        unit: 'weeks',
        citation: 'DISP 1.6.2R',
        description: 'Final response, or a written delay response with ombudsman referral rights, by the end of eight weeks after receipt.',
      },
    ],
  },
  {
    id: 'US_CFPB',
    name: 'US CFPB company response timelines',
    jurisdiction: 'US',
    citation: 'CFPB Company Portal Manual, complaint response timelines',
    timeZone: 'America/New_York',
    mayPause: false,
    clocks: [
      {
        id: 'final_response',
        amount: 15,
        unit: 'calendar_days',
        citation: 'CFPB Company Portal Manual',
        description: 'Respond within 15 calendar days; a case still in progress must be closed with a final response within 60 days.',
      },
    ],
  },
  {
    id: 'AU_ASIC_RG271',
    name: 'ASIC Regulatory Guide 271 internal dispute resolution',
    jurisdiction: 'AU',
    citation: 'ASIC RG 271.57',
    timeZone: 'Australia/Sydney',
    mayPause: false,
    clocks: [
      {
        id: 'final_response',
        amount: 30,
        unit: 'calendar_days',
        citation: 'RG 271.57',
        description: 'IDR response within 30 calendar days of receipt for standard complaints.',
      },
    ],
  },
  {
    id: 'INTERNAL_STANDARD',
    name: 'Internal service standard',
    jurisdiction: 'ORG',
    citation: 'Organisation complaint-handling policy',
    timeZone: 'UTC',
    mayPause: true,
    clocks: [
      {
        id: 'final_response',
        amount: 28,
        unit: 'calendar_days',
        citation: 'Organisation policy',
        description: 'Final response within the organisation’s own standard (configurable with INTERNAL_STANDARD_DAYS).',
      },
    ],
  },
];

export interface RegimeOptions {
  /** Days allowed by the INTERNAL_STANDARD regime. */
  internalStandardDays?: number;
}

export const listRegimes = (opts: RegimeOptions = {}): Regime[] =>
  REGIMES.map((r) =>
    r.id === 'INTERNAL_STANDARD' && opts.internalStandardDays
      ? { ...r, clocks: r.clocks.map((c) => (c.id === 'final_response' ? { ...c, amount: opts.internalStandardDays as number, unit: 'calendar_days' as const } : c)) }
      : r,
  );

export const getRegime = (id: string, opts: RegimeOptions = {}): Regime => {
  const regime = listRegimes(opts).find((r) => r.id === id);
  if (!regime) {
    throw new InvalidInputError(`unknown regime ${id}`, [
      { field: 'body.regime', message: `must be one of ${REGIMES.map((r) => r.id).join(', ')}` },
    ]);
  }
  return regime;
};
