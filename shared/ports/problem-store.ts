// Where problem records (with their audit chains), their suggestions, change events and detected spikes are kept:
// the cases table in AWS and locally; every call is a GetItem, Query or conditional write.
import type { ChainHead } from '#domain/audit-chain';
import type { AuditEvent } from '#schemas/children';
import type { Change, Problem, Spike, Suggestion } from '#schemas/problems';

export interface ProblemRecord {
  problem: Problem;
  head: ChainHead;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface ProblemStore {
  /** Writes a new problem and its first audit events in one transaction. */
  create(input: { problem: Problem; head: ChainHead; events: AuditEvent[] }): Promise<void>;
  get(id: string): Promise<ProblemRecord | undefined>;
  /** Writes the problem and its new audit events if it is still at `expectedVersion`; StaleVersionError otherwise. */
  commit(input: { problem: Problem; expectedVersion: number; head: ChainHead; events: AuditEvent[] }): Promise<void>;
  list(q: { status?: Problem['status']; limit: number; cursor?: string }): Promise<Page<Problem>>;
  /** Every open problem (few at a time: an organisation works a handful), for matching suggestions against them. */
  openProblems(): Promise<Problem[]>;
  auditEvents(id: string): Promise<AuditEvent[]>;
}

export interface SuggestionStore {
  /** Records a suggestion once per `signature` (the same group found again is not suggested twice); false if it exists. */
  putSuggestion(s: Suggestion, signature: string): Promise<boolean>;
  getSuggestion(id: string): Promise<Suggestion | undefined>;
  /** Stores the decision if the suggestion is still pending; false otherwise. */
  decide(after: Suggestion): Promise<boolean>;
  listSuggestions(q: { status?: Suggestion['status']; limit: number; cursor?: string }): Promise<Page<Suggestion>>;
}

export interface SignalStore {
  /** Records a change once per id; returns the stored one (the first, on a repeat). */
  putChange(c: Change): Promise<{ change: Change; created: boolean }>;
  /** Changes with `from <= at < to`, oldest first. */
  changesBetween(from: string, to: string): Promise<Change[]>;
  /** Whether a spike of this day and series is recorded. */
  hasSpike(day: string, dimension: string, value: string): Promise<boolean>;
  /** Records a spike once per day and series; false if it was already recorded. */
  putSpike(s: Spike): Promise<boolean>;
  /** Spikes of the days `from`..`to` (inclusive), oldest first. */
  listSpikes(q: { from: string; to: string; limit: number; cursor?: string }): Promise<Page<Spike>>;
}

/** Daily complaints received per dimension value, from the reporting projection's day items (one read per day). */
export interface VolumeCounts {
  /** Per day (YYYY-MM-DD, the organisation's zone) from..to inclusive: per `dimension#value`, complaints received. */
  receivedByDay(fromDay: string, toDay: string): Promise<Map<string, Map<string, number>>>;
  /** The product group a complaint's product is counted under (the reporting configuration's grouping). */
  productGroup(product: string): string;
  /** The local day of an instant. */
  day(at: string): string;
  /** The instant a local day ends (the start of the next one), as a UTC ISO string. */
  dayEnd(day: string): string;
}
