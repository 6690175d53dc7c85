// Triage quality and bias (GET /v1/reports/triage): what a case's triage contributes to the projection's counters, and
// the report over a range read from them (never from cases): accuracy and override rate by category, channel and
// vulnerable / not vulnerable and by FG21/1 driver of vulnerability, so a supervisor sees whether triage serves one group worse than another.
import { nextMonth } from '../time-zone';
import { TRIAGE_FIELDS, type FieldFigures, type GroupFigures, type TriageReport, type TriageReportQuery } from '#schemas/triage';
import type { ReadCost, ReportStore } from '#ports/report-store';
import { reportRange } from './figures';
import type { Counts } from './projection';
import { fieldMetric, triageScope, type TriageDimension } from './triage-projection';

const ratio = (n: number, of: number) => (of ? Math.round((n / of) * 10_000) / 10_000 : null);

const figures = (counts: Counts, fields: readonly string[]): FieldFigures => {
  const sum = (m: 's' | 'p' | 'a' | 'o') => fields.reduce((s, f) => s + (counts[fieldMetric(f, m)] ?? 0), 0);
  const [suggested, prefilled, accepted, overridden] = [sum('s'), sum('p'), sum('a'), sum('o')];
  return { suggested, prefilled, accepted, overridden, accuracy: ratio(accepted, accepted + overridden), overrideRate: ratio(overridden, suggested) };
};

const group = (value: string, counts: Counts): GroupFigures => ({
  value,
  triaged: counts.n ?? 0,
  unavailable: counts.u ?? 0,
  overall: figures(counts, TRIAGE_FIELDS),
  fields: { category: figures(counts, ['category']), severity: figures(counts, ['severity']), regulatory: figures(counts, ['regulatory']), vulnerable: figures(counts, ['vulnerable']) },
});

/** The report over the days of receipt in [from, to] (organisation time zone; default the last 30 days). */
export const triageReport = async (
  deps: { store: ReportStore; timeZone: string; now: string },
  q: TriageReportQuery,
  cost: ReadCost = { readUnits: 0, requests: 0 },
): Promise<TriageReport> => {
  const range = reportRange(q, deps.now, deps.timeZone, 30);
  const { generation } = await deps.store.meta();
  const months: string[] = [];
  for (let m = `${range.from.slice(0, 7)}-01`; m <= range.to; m = nextMonth(m)) months.push(m.slice(0, 7));
  const items = (await Promise.all(months.map((m) => deps.store.counters(generation, triageScope(m), { from: `${range.from}#`, to: `${range.to}#~` }, cost)))).flat();
  const byGroup = new Map<string, Counts>();
  for (const item of items) {
    const key = item.sk.slice(11); // after `YYYY-MM-DD#`
    const into = byGroup.get(key) ?? byGroup.set(key, {}).get(key)!;
    for (const [m, n] of Object.entries(item.counts)) into[m] = (into[m] ?? 0) + n;
  }
  const of = (dim: TriageDimension) =>
    [...byGroup]
      .filter(([k]) => k.startsWith(`${dim}#`))
      .map(([k, counts]) => group(k.slice(dim.length + 1), counts))
      .sort((a, b) => a.value.localeCompare(b.value));
  return {
    from: range.from,
    to: range.to,
    timeZone: deps.timeZone,
    totals: group('*', byGroup.get('all#*') ?? {}),
    byCategory: of('category'),
    byChannel: of('channel'),
    byVulnerability: of('vulnerability'),
    byDriver: of('driver'),
  };
};
