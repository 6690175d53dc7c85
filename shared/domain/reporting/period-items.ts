// Reading a period's counters (issue 29 item 11): month and day scopes hold one item per dimension value, in every
// report shard (the store sums them); a day scope may also hold its one-item form from before the split.
import type { CounterItem, ReadCost, ReportMeta, ReportStore } from '#ports/report-store';
import { explodeDayItem, DAY_SK, type Counts } from './projection';

/** Whether a generation may hold one-item days from before the split (those a rebuild wrote since hold none). */
export const mayHoldOneItemDays = (meta: ReportMeta, generation: number): boolean => meta.splitFrom === undefined || generation < meta.splitFrom;

/**
 * The counter items of one period (a month or a day scope) for the dimension values under `prefix` ('' for every value), every shard summed.
 * A day scope also folds in its one-item form from before the split (DAY_SK, only ever in shard 0), so days projected
 * before the split still count until a rebuild rewrites them (`oneItemDays` false: the generation has none, one query
 * less per day).
 */
export const periodItems = async (store: Pick<ReportStore, 'counters'>, generation: number, scope: string, prefix: string, cost: ReadCost, oneItemDays = true): Promise<CounterItem[]> => {
  if (scope.startsWith('M#')) return store.counters(generation, scope, { prefix }, cost);
  // Without a prefix the scope's read covers every key of every shard, shard 0 (where the one-item form lives) among
  // them, so that form is already in it: a second query only for it would read the same item again.
  const [all, [legacy]] = prefix
    ? await Promise.all([store.counters(generation, scope, { prefix }, cost), oneItemDays ? store.counters(generation, scope, { prefix: DAY_SK, unsharded: true }, cost) : Promise.resolve([])])
    : await store.counters(generation, scope, {}, cost).then((items) => [items, oneItemDays ? items.filter((i) => i.sk === DAY_SK) : []] as const);
  const items = all.filter((i) => i.sk !== DAY_SK);
  if (!legacy) return items;
  const sums = new Map<string, Counts>(items.map((i) => [i.sk, { ...i.counts }]));
  for (const old of explodeDayItem(legacy.counts, prefix)) {
    const into = sums.get(old.sk) ?? sums.set(old.sk, {}).get(old.sk)!;
    for (const [m, n] of Object.entries(old.counts)) into[m] = (into[m] ?? 0) + n;
  }
  return [...sums].map(([sk, counts]) => ({ sk, counts }));
};
