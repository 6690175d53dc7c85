// What the domain needs from case storage; adapters translate storage errors into domain errors.
import type { Case, Risk, Status } from '#schemas/complaint';
import type { AuditEvent, Note, Task } from '#schemas/children';
import type { Evidence } from '#schemas/evidence';
import type { Approval, Resolution } from '#schemas/resolution';
import type { Escalation } from '#schemas/escalation';
import type { ExportJob } from '#schemas/export';
import type { ChainHead } from '#domain/audit-chain';
import type { DeadlineRow } from '#domain/deadline-board';

export interface CaseRecord {
  case: Case;
  head: ChainHead;
}

export type CaseChild =
  | { kind: 'task'; task: Task }
  | { kind: 'note'; note: Note }
  | { kind: 'evidence'; evidence: Evidence }
  | { kind: 'resolution'; resolution: Resolution }
  /** `created`: a new stage (its approval-id pointer is written once, with it). */
  | { kind: 'approval'; approval: Approval & { taskToken?: string }; created?: true }
  | { kind: 'escalation'; escalation: Escalation & { taskToken?: string } }
  /** `created`: a new export job (its export-id pointer is written once, with it). */
  | { kind: 'export'; export: ExportJob; created?: true };

/** A page of a case's children: `next` (a position to pass back as `after`) only when more follow. */
export interface ChildPage<T> {
  items: T[];
  next?: string;
}

export interface CounterResult {
  /** The year's case sequence number (1-based). */
  seq: number;
  /** The team's round-robin count this year (1-based), when a team was asked for. */
  teamCount?: number;
}

export interface CaseFilter {
  ownerId?: string;
  status?: Status;
  dueBefore?: string;
  risk?: Risk;
  category?: string;
  regime?: string;
  now: string;
  limit: number;
  cursor?: string;
}

export interface CaseRepository {
  /** Atomically advances the year's reference counter (and a team's round-robin counter). */
  allocateSequence(year: number, team?: string): Promise<CounterResult>;
  /** Writes a new case with its first audit events; ConflictError on a duplicate externalRef. */
  create(input: {
    case: Case;
    head: ChainHead;
    events: AuditEvent[];
    /** Children written with the case (e.g. a ticket's history as notes). */
    children?: CaseChild[];
    /** A repeat complaint: move the external reference from this (closed) case, only if it still points there. */
    takesExternalRefFrom?: string;
  }): Promise<void>;
  /** The customer id last seen with this email address (the contact directory written with each case), if any. */
  findCustomerByEmail(email: string): Promise<string | undefined>;
  get(id: string): Promise<CaseRecord | undefined>;
  /**
   * One atomic write: the case (at expectedVersion+1 for a case change, at expectedVersion for bookkeeping), its audit
   * events (extending the chain from head.seq - events.length) and any children; StaleVersionError if another writer
   * moved the version or the chain's head since the caller read them.
   */
  commit(input: { case: Case; expectedVersion: number; head: ChainHead; events: AuditEvent[]; children?: CaseChild[] }): Promise<void>;
  list(filter: CaseFilter): Promise<{ items: Case[]; nextCursor?: string }>;
  /** The deadline attributes of every case not closed (Query over the active partitions; never a Scan). */
  activeDeadlines(): Promise<DeadlineRow[]>;
  findIdByExternalRef(system: string, id: string): Promise<string | undefined>;
  /** Every case, active and closed, page by page (Query over the list index partitions, never a Scan): for rebuilds. */
  everyCase(): AsyncIterable<Case>;
  /**
   * The case's audit events, oldest first; with `upToSeq`, only seqs 1..upToSeq (the head read with the case: events
   * committed after that read belong to a later head and would make the chain look longer than the head it is checked against).
   */
  auditEvents(caseId: string, upToSeq?: number): Promise<AuditEvent[]>;
  getTask(caseId: string, taskId: string): Promise<Task | undefined>;
  listTasks(caseId: string): Promise<Task[]>;
  /** Pages of a case's tasks, notes and evidence in creation (key) order; `after` is a previous page's `next`. */
  pageTasks(caseId: string, limit: number, after?: string): Promise<ChildPage<Task>>;
  pageNotes(caseId: string, limit: number, after?: string): Promise<ChildPage<Note>>;
  pageEvidence(caseId: string, limit: number, after?: string): Promise<ChildPage<Evidence>>;
  listNotes(caseId: string): Promise<Note[]>;
  getEvidence(caseId: string, evidenceId: string): Promise<Evidence | undefined>;
  listEvidence(caseId: string): Promise<Evidence[]>;
  getResolution(caseId: string, resolutionId: string): Promise<Resolution | undefined>;
  /** Every approval of a case (all proposals), stage order within a proposal. */
  listApprovals(caseId: string): Promise<Approval[]>;
  /** The case an approval belongs to, or undefined for an unknown id. */
  findApprovalCase(approvalId: string): Promise<string | undefined>;
  /** Every escalation of a case, oldest first, with the task token its workflow waits on (if any). */
  listEscalations(caseId: string): Promise<(Escalation & { taskToken?: string })[]>;
  /** Every proposal of a case, oldest first. */
  listResolutions(caseId: string): Promise<Resolution[]>;
  getExport(caseId: string, exportId: string): Promise<ExportJob | undefined>;
  /** The case an export belongs to, or undefined for an unknown id. */
  findExportCase(exportId: string): Promise<string | undefined>;
  listExports(caseId: string): Promise<ExportJob[]>;
  /** A customer's cases, newest receipt first (the customer index): subject access requests. */
  listByCustomer(customerId: string, limit: number, cursor?: string): Promise<{ items: Case[]; nextCursor?: string }>;
  /** Pending approvals across every case, oldest first (a sparse, sharded index). */
  listPendingApprovals(limit: number): Promise<Approval[]>;
  /** A page of pending approvals across every shard, oldest first; `cursor` is a previous page's `nextCursor`. */
  pagePendingApprovals(limit: number, cursor?: string): Promise<{ items: Approval[]; nextCursor?: string }>;
  /**
   * Closed, not yet redacted cases whose retainUntil lies before `before`, oldest first, at most `limit` (the sparse,
   * sharded retention index: one Query per shard, never a Scan); `held`: how many more are due but on legal hold.
   */
  retentionDue(before: string, limit: number): Promise<{ due: string[]; held: number }>;
  /**
   * Every due, not held case (retainUntil before `before`), shard by shard, each shard oldest first, read page by page
   * from the retention index: the retention fan-out's dispatcher queues them in batches.
   */
  retentionDueIds(before: string): AsyncIterable<{ id: string; retainUntil: string }>;
  /**
   * Rewrites existing children and audit events of a case in their redacted form (audit items only over the same
   * event: seq and hash), in transactions that each check the case is still at `expectedVersion`; StaleVersionError
   * if it moved on. Idempotent: the case item itself is written afterwards through `commit`.
   */
  redactItems(caseId: string, expectedVersion: number, items: { children: CaseChild[]; events: AuditEvent[] }): Promise<void>;
}
