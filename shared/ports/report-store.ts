// Where the reporting projection lives: counter items, control-review rows and, per case, what it has contributed.
import type { Contributions } from '#domain/reporting/projection';
import type { ReviewRow } from '#schemas/reports';

/**
 * Projections are kept in generations: reports read the current one; a rebuild fills the next from the case items
 * while the stream keeps both up to date, then makes it current.
 */
export interface ReportMeta {
  generation: number;
  /** The generation a rebuild is filling, while it runs. */
  building?: number;
  /**
   * The first generation a rebuild wrote after day items were split per dimension value (issue 29): it and later ones
   * hold no one-item day (DAY_SK), so readers need not look for one. Absent until the first such rebuild.
   */
  splitFrom?: number;
}

export type ApplyOutcome =
  /** The counters moved from what the case contributed before to what it contributes now. */
  | 'applied'
  /** This version of the case contributes exactly what is already counted. */
  | 'unchanged'
  /** A newer (or the same) version of the case has already been applied: a redelivery or a late record. */
  | 'stale';

export interface CaseChange {
  caseId: string;
  version: number;
  next: Contributions;
}

export interface CounterItem {
  sk: string;
  counts: Record<string, number>;
}

export interface ScopeQuery {
  /** Sort keys starting with this. */
  prefix?: string;
  /** Inclusive sort-key bounds. */
  from?: string;
  to?: string;
  /** Newest (highest sort key) first. */
  descending?: boolean;
  /** Rows only: the first `limit` in sort-key order across every shard. */
  limit?: number;
  /** Read only the unsharded keys (shard 0): where items from before sharding are, such as a day's old DAY_SK item. */
  unsharded?: boolean;
}

export interface ReadCost {
  /** DynamoDB read capacity units the reads consumed (as DynamoDB reports them). */
  readUnits: number;
  requests: number;
}

export interface ReportStore {
  meta(): Promise<ReportMeta>;
  /** Starts a rebuild into the next generation; fails if one is already running. */
  beginRebuild(): Promise<ReportMeta>;
  /** Makes the generation the rebuild filled current. */
  finishRebuild(generation: number): Promise<void>;
  /** Brings a case's contribution in one generation to `next`, exactly once per case version. */
  applyCase(generation: number, caseId: string, version: number, next: Contributions): Promise<ApplyOutcome>;
  /**
   * The same for many cases at once (one case at most once): the store may write several cases' changes together,
   * each still exactly once per version. One outcome per change, in order; a case that could not be applied is a
   * rejected entry, and the others stand.
   */
  applyCases(generation: number, changes: readonly CaseChange[]): Promise<PromiseSettledResult<ApplyOutcome>[]>;
  /** The scope's counter items, every shard summed by sort key, in sort-key order. */
  counters(generation: number, scope: string, q: ScopeQuery, cost: ReadCost): Promise<CounterItem[]>;
  /** The scope's rows, every shard merged in sort-key order (newest first when descending), at most `limit`. */
  rows(generation: number, scope: string, q: ScopeQuery, cost: ReadCost): Promise<ReviewRow[]>;
}
