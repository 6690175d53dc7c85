// What a case's triage contributes to the reporting projection (pure, like ./projection, which adds it to every case's
// contributions): the counters GET /v1/reports/triage reads.
import type { Case } from '#schemas/complaint';
import { TRIAGE_FIELDS } from '#schemas/triage';
import { caseDrivers } from '../vulnerability';
import { itemKey, type Counts, type Projector } from './projection';

/**
 * Counters live in one partition per month of receipt (`tri#YYYY-MM`), one item per day and group value
 * (`YYYY-MM-DD#<dimension>#<value>`): a report reads the days of its range, whatever the number of cases.
 */
export const triageScope = (month: string) => `tri#${month}`;
export const triageSk = (day: string, dim: TriageDimension, value: string) => `${day}#${dim}#${value}`;
export const TRIAGE_DIMENSIONS = ['all', 'category', 'channel', 'vulnerability', 'driver'] as const;
export type TriageDimension = (typeof TRIAGE_DIMENSIONS)[number];

/** Metric names: `n` triaged, `u` unavailable, and per field `<field>:s|p|a|o` (suggested, pre-filled, accepted, overridden). */
export const fieldMetric = (field: string, m: 's' | 'p' | 'a' | 'o') => `${field}:${m}`;

/** What one case's triage contributes, placed by its day of receipt; groups are the case's current values. */
export const triageCounters = (c: Case, p: Projector): Record<string, Counts> => {
  const t = c.triage;
  if (!t) return {};
  const day = p.day(c.receivedAt);
  const scope = triageScope(day.slice(0, 7));
  const counts: Counts = {};
  if (t.status === 'unavailable') counts.u = 1;
  else {
    counts.n = 1;
    for (const f of TRIAGE_FIELDS) {
      const s = t.fields?.[f];
      if (!s) continue;
      counts[fieldMetric(f, 's')] = 1;
      if (s.applied) counts[fieldMetric(f, 'p')] = 1;
      if (s.decision) counts[fieldMetric(f, s.decision.kind === 'accepted' ? 'a' : 'o')] = 1;
    }
  }
  const groups: [TriageDimension, string][] = [
    ['all', '*'],
    ['category', c.category],
    ['channel', c.channel],
    ['vulnerability', c.vulnerable ? 'vulnerable' : 'not_vulnerable'],
    // One item per FG21/1 driver of the customer's vulnerability (a case with two drivers counts under both).
    ...caseDrivers(c).map((d): [TriageDimension, string] => ['driver', d]),
  ];
  return Object.fromEntries(groups.map(([dim, value]) => [itemKey(scope, triageSk(day, dim, value)), { ...counts }]));
};

