// Reporting (control 6): keeps the projection in step with the cases and answers the reports from counters only —
// never from cases — so a report costs the same at a thousand cases and at a million.
import type { Case } from '#schemas/complaint';
import type { ControlReview, ControlScore, KpiQuery, KpiReport, ReportDimension, ReportingConfig } from '#schemas/reports';
import type { RegulatorReturn } from '#schemas/returns';
import type { Clock } from '#ports/clock';
import type { ApplyOutcome, CounterItem, ReadCost, ReportMeta, ReportStore } from '#ports/report-store';
import { contributions, dimSk, explodeOpenMonth, openSk, projector, scopes, ALL_VALUE, type Projector, type Counts } from './projection';
import { controlReview, controlScore, kpiSet, normalisedVolumes, openBoardSince, openFigures, reportRange, rootCauseTrend, sumCounts, type OpenFigures } from './figures';
import { buildReturn, parseReturnPeriod } from './returns';
import { mayHoldOneItemDays, periodItems } from './period-items';
import { mapLimit } from '../map-limit';

export interface ReportingDeps {
  store: ReportStore;
  clock: Clock;
  config: ReportingConfig;
}

/** Reads run in parallel, a few at a time (a five-year range of day items is bounded, but not small). */
const READ_CONCURRENCY = 16;

/** Cases a rebuild applies together (a repository page of cases shares most of its counter items). */
const REBUILD_BATCH = 25;

export const newReadCost = (): ReadCost => ({ readUnits: 0, requests: 0 });


export class ReportingService {
  private readonly p: Projector;

  constructor(private readonly deps: ReportingDeps) {
    this.p = projector(deps.config);
  }

  /**
   * Brings the projection up to date with this version of a case: the current generation, and the one a rebuild is
   * filling. Exactly once per version (redeliveries and late records change nothing).
   */
  async project(c: Case, known?: ReportMeta): Promise<ApplyOutcome[]> {
    const meta = known ?? (await this.deps.store.meta());
    const next = contributions(c, this.p);
    const generations = meta.building !== undefined ? [meta.generation, meta.building] : [meta.generation];
    return Promise.all(generations.map((g) => this.deps.store.applyCase(g, c.id, c.version, next)));
  }

  /**
   * The same for many cases (at most one version of each), written together where they fit: one outcome list per
   * case, in order; a case that failed is a rejected entry (its generations' outcomes are not known).
   */
  async projectMany(cases: readonly Case[], known?: ReportMeta): Promise<PromiseSettledResult<ApplyOutcome[]>[]> {
    const meta = known ?? (await this.deps.store.meta());
    const changes = cases.map((c) => ({ caseId: c.id, version: c.version, next: contributions(c, this.p) }));
    const generations = meta.building !== undefined ? [meta.generation, meta.building] : [meta.generation];
    const perGeneration = await Promise.all(generations.map((g) => this.deps.store.applyCases(g, changes)));
    return cases.map((_, i) => {
      const failed = perGeneration.find((r) => r[i]!.status === 'rejected')?.[i] as PromiseRejectedResult | undefined;
      return failed ?? { status: 'fulfilled', value: perGeneration.map((r) => (r[i] as PromiseFulfilledResult<ApplyOutcome>).value) };
    });
  }

  /**
   * Recomputes every projection from the case items into a new generation, then makes it current. The stream keeps
   * the new generation up to date while the rebuild runs, and a second pass catches cases that changed during the first.
   */
  async rebuild(cases: () => AsyncIterable<Case>, progress: (done: number, pass: number) => void = () => {}): Promise<{ generation: number; cases: number }> {
    const { building } = await this.deps.store.beginRebuild();
    const generation = building!;
    const next = this.p;
    let count = 0;
    for (const pass of [1, 2]) {
      let done = 0;
      const batch: Case[] = [];
      const flush = async () => {
        const outcomes = await this.deps.store.applyCases(generation, batch.map((c) => ({ caseId: c.id, version: c.version, next: contributions(c, next) })));
        const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
        if (failed) throw failed.reason;
        done += batch.length;
        batch.length = 0;
        if (done % 100 === 0) progress(done, pass);
      };
      for await (const c of cases()) {
        batch.push(c);
        if (batch.length === REBUILD_BATCH) await flush();
      }
      if (batch.length) await flush();
      progress(done, pass);
      count = done;
      if (pass === 1) await this.deps.store.finishRebuild(generation);
    }
    return { generation, cases: count };
  }

  /** The items of one period for the dimension values under `prefix` (see periodItems). */
  private periodItems(meta: ReportMeta, scope: string, prefix: string, cost: ReadCost): Promise<CounterItem[]> {
    return periodItems(this.deps.store, meta.generation, scope, prefix, cost, mayHoldOneItemDays(meta, meta.generation));
  }

  /** Which generations the projection writes (read once per stream batch). */
  meta(): Promise<ReportMeta> {
    return this.deps.store.meta();
  }

  private today(): string {
    return this.deps.clock.now();
  }

  /**
   * The open board of one dimension's values (or of every case, `all`): its totals items, then per value with open
   * cases the month-of-receipt items from the month of `openBoardSince` on — at most three, however many cases are open.
   * Days of that first month before the window fall in the oldest bucket, as the cases only the totals count do.
   */
  private async openBoard(generation: number, dim: ReportDimension | 'all', now: string, cost: ReadCost): Promise<Map<string, OpenFigures>> {
    const { timeZone } = this.deps.config;
    const prefix = openSk.total(dim, '');
    const totals = (await this.deps.store.counters(generation, scopes.open, { prefix }, cost)).filter((t) => (t.counts.n ?? 0) > 0);
    const since = openBoardSince(now, timeZone);
    const figures = await mapLimit(totals, READ_CONCURRENCY, async (t) => {
      const value = t.sk.slice(prefix.length);
      const months = await this.deps.store.counters(generation, scopes.open, openSk.monthsFrom(dim, value, since.slice(0, 7)), cost);
      const days = months.flatMap(explodeOpenMonth);
      return [value, openFigures(t.counts, days, now, timeZone)] as const;
    });
    return new Map(figures);
  }

  async kpis(q: KpiQuery, cost: ReadCost = newReadCost()): Promise<KpiReport> {
    const now = this.today();
    const { timeZone } = this.deps.config;
    const range = reportRange(q, now, timeZone, 30);
    const meta = await this.deps.store.meta();
    const { generation } = meta;
    const dim = q.groupBy ?? 'all';
    const [perScope, openAll, openByValue] = await Promise.all([
      mapLimit(range.scopes, READ_CONCURRENCY, async (scope) => ({ scope, items: await this.periodItems(meta, scope, `${dim}#`, cost) })),
      this.openBoard(generation, 'all', now, cost),
      q.groupBy ? this.openBoard(generation, q.groupBy, now, cost) : Promise.resolve(new Map<string, OpenFigures>()),
    ]);
    const byValue = new Map<string, Counts[]>();
    for (const { items } of perScope) for (const item of items) (byValue.get(item.sk) ?? byValue.set(item.sk, []).get(item.sk)!).push(item.counts);
    const totals = sumCounts([...byValue.values()].flat());
    const none = openFigures(undefined, [], now, timeZone);
    const groups = q.groupBy
      ? [...new Set([...byValue.keys()].map((sk) => sk.slice(dim.length + 1)).concat([...openByValue.keys()]))]
          .sort()
          .map((value) => ({ value, ...kpiSet(sumCounts(byValue.get(dimSk(dim, value)) ?? []), openByValue.get(value) ?? none) }))
      : [];
    return {
      from: range.from,
      to: range.to,
      timeZone,
      asOf: now,
      groupBy: q.groupBy ?? null,
      totals: kpiSet(totals, openAll.get(ALL_VALUE) ?? none),
      groups,
      rootCauseTrend: rootCauseTrend(perScope.map(({ scope, items }) => ({ scope, counts: sumCounts(items.map((i) => i.counts)) }))),
      normalised: normalisedVolumes(totals, this.deps.config.businessUnits ?? {}),
    };
  }

  async controlScore(q: { from?: string | undefined; to?: string | undefined }, cost: ReadCost = newReadCost()): Promise<ControlScore> {
    const now = this.today();
    const { timeZone, controlScore: thresholds } = this.deps.config;
    const range = reportRange(q, now, timeZone, 90);
    const meta = await this.deps.store.meta();
    const items = await mapLimit(range.scopes, READ_CONCURRENCY, (scope) => this.periodItems(meta, scope, dimSk('all', ALL_VALUE), cost));
    return controlScore(sumCounts(items.flat().map((i) => i.counts)), thresholds, { from: range.from, to: range.to, timeZone, asOf: now });
  }

  async controlReview(last: number, cost: ReadCost = newReadCost()): Promise<ControlReview> {
    const { generation } = await this.deps.store.meta();
    const rows = await this.deps.store.rows(generation, scopes.recent, { descending: true, limit: last }, cost);
    return controlReview(rows, last, this.today());
  }

  async regulatorReturn(q: { regime: string; period: string }, cost: ReadCost = newReadCost()): Promise<RegulatorReturn> {
    const options = this.deps.config.consolidatedReturn;
    const period = parseReturnPeriod(q.regime, q.period, options.regimes);
    const { generation } = await this.deps.store.meta();
    if (period.format === 'fca_consolidated') {
      // One item per covered regime and month (a fixed number of regimes): the read does not grow with the cases.
      const sources = await Promise.all(
        options.regimes.map(async (regime) => ({ regime, months: await this.deps.store.counters(generation, scopes.returns(regime), { from: 'K#', to: `K#${period.toMonth}` }, cost) })),
      );
      return buildReturn({ regime: q.regime, period, months: [], consolidated: { sources, options }, generatedAt: this.today() });
    }
    const months: CounterItem[] = await this.deps.store.counters(generation, scopes.returns(q.regime), { from: 'M#', to: `M#${period.toMonth}` }, cost);
    return buildReturn({ regime: q.regime, period, months, mapping: Object.hasOwn(this.deps.config.returns, q.regime) ? this.deps.config.returns[q.regime] : undefined, generatedAt: this.today() });
  }
}
