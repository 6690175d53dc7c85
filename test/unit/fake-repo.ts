// The CaseRepository port's contract in memory, for pure service tests: versions are checked, audit events
// appended, children stored. (Not a mock of an AWS client: the DynamoDB adapter is tested against DynamoDB Local.)
import { appendEvents, type ChainHead } from '#domain/audit-chain';
import type { DeadlineRow } from '#domain/deadline-board';
import { ConflictError, StaleVersionError } from '#domain/errors';
import { riskIndex } from '#domain/lifecycle';
import type { CaseChild, CaseFilter, CaseRecord, CaseRepository, ChildPage, CounterResult } from '#ports/case-repository';
import type { Case } from '#schemas/complaint';
import type { AuditEvent, Note, Task } from '#schemas/children';
import type { Evidence } from '#schemas/evidence';
import { isOpenStage, type Approval, type Resolution } from '#schemas/resolution';
import type { Escalation } from '#schemas/escalation';
import type { ExportJob } from '#schemas/export';

export class FakeRepo implements CaseRepository {
  readonly cases = new Map<string, CaseRecord>();
  readonly audit = new Map<string, AuditEvent[]>();
  readonly tasks = new Map<string, Task>();
  readonly notes = new Map<string, Note>();
  readonly evidence = new Map<string, Evidence>();
  readonly resolutions = new Map<string, Resolution>();
  readonly approvals = new Map<string, Approval>();
  readonly escalations = new Map<string, Escalation & { taskToken?: string }>();
  readonly exports = new Map<string, ExportJob>();
  readonly counterCalls: { year: number; team?: string }[] = [];
  readonly listCalls: CaseFilter[] = [];
  private seq = 0;
  private readonly teamCounts = new Map<string, number>();
  commitCalls = 0;
  /** Simulates another writer winning the race just before each of the next n commits. */
  concurrentWriters = 0;
  commitError: Error | undefined;

  async allocateSequence(year: number, team?: string): Promise<CounterResult> {
    this.counterCalls.push({ year, ...(team ? { team } : {}) });
    this.seq += 1;
    if (!team) return { seq: this.seq };
    const n = (this.teamCounts.get(team) ?? 0) + 1;
    this.teamCounts.set(team, n);
    return { seq: this.seq, teamCount: n };
  }

  async create(input: { case: Case; head: ChainHead; events: AuditEvent[] }): Promise<void> {
    if (this.cases.has(input.case.id)) throw new ConflictError('exists');
    this.cases.set(input.case.id, { case: structuredClone(input.case), head: input.head });
    this.audit.set(input.case.id, structuredClone(input.events));
  }

  async activeDeadlines(): Promise<DeadlineRow[]> {
    return [...this.cases.values()]
      .map((r) => r.case)
      .filter((c) => c.status !== 'closed')
      .map((c) => ({ ownerId: c.ownerId, regime: c.regime, status: c.status, dueAt: c.finalResponseDueAt, ...riskIndex(c) }));
  }

  async get(id: string): Promise<CaseRecord | undefined> {
    const rec = this.cases.get(id);
    return rec && structuredClone(rec);
  }

  async commit(input: { case: Case; expectedVersion: number; head: ChainHead; events: AuditEvent[]; children?: CaseChild[] }): Promise<void> {
    this.commitCalls += 1;
    if (this.commitError) throw this.commitError;
    const id = input.case.id;
    if (this.concurrentWriters > 0) {
      this.concurrentWriters -= 1;
      const rec = this.cases.get(id)!;
      const other = appendEvents(rec.head, [{ actor: 'someone', action: 'note.added', data: {} }], rec.case.updatedAt);
      this.cases.set(id, { case: { ...rec.case, version: rec.case.version + 1 }, head: other.head });
      this.audit.get(id)!.push(...other.events);
    }
    const current = this.cases.get(id);
    if (!current || current.case.version !== input.expectedVersion || current.head.seq !== input.head.seq - input.events.length) throw new StaleVersionError(`complaint ${id} changed concurrently`);
    this.cases.set(id, { case: structuredClone(input.case), head: input.head });
    this.audit.get(id)!.push(...structuredClone(input.events));
    for (const ch of input.children ?? []) {
      if (ch.kind === 'task') this.tasks.set(ch.task.id, structuredClone(ch.task));
      else if (ch.kind === 'note') this.notes.set(ch.note.id, structuredClone(ch.note));
      else if (ch.kind === 'evidence') this.evidence.set(ch.evidence.id, structuredClone(ch.evidence));
      else if (ch.kind === 'resolution') this.resolutions.set(ch.resolution.id, structuredClone(ch.resolution));
      else if (ch.kind === 'escalation') this.escalations.set(ch.escalation.id, structuredClone(ch.escalation));
      else if (ch.kind === 'export') this.exports.set(ch.export.exportId, structuredClone(ch.export));
      else this.approvals.set(ch.approval.id, structuredClone(ch.approval));
    }
  }

  async list(filter: CaseFilter): Promise<{ items: Case[]; nextCursor?: string }> {
    this.listCalls.push(filter);
    return { items: [...this.cases.values()].map((r) => structuredClone(r.case)) };
  }

  async findIdByExternalRef(system: string, id: string): Promise<string | undefined> {
    return [...this.cases.values()].find((r) => r.case.externalRef?.system === system && r.case.externalRef.id === id)?.case.id;
  }

  async findCustomerByEmail(email: string): Promise<string | undefined> {
    return [...this.cases.values()].reverse().find((r) => r.case.customer.email?.toLowerCase() === email.trim().toLowerCase())?.case.customer.id;
  }

  async *everyCase(): AsyncIterable<Case> {
    for (const r of this.cases.values()) yield structuredClone(r.case);
  }

  async auditEvents(caseId: string, upToSeq?: number): Promise<AuditEvent[]> {
    return structuredClone((this.audit.get(caseId) ?? []).filter((e) => upToSeq === undefined || e.seq <= upToSeq));
  }

  async getTask(caseId: string, taskId: string): Promise<Task | undefined> {
    const t = this.tasks.get(taskId);
    return t && t.caseId === caseId ? structuredClone(t) : undefined;
  }

  /** A page by id (ids are ULIDs, as the table's key order). */
  private page<T extends { id: string }>(all: T[], limit: number, after?: string): ChildPage<T> {
    const sorted = all.filter((x) => after === undefined || x.id > after).sort((x, y) => x.id.localeCompare(y.id));
    const items = sorted.slice(0, limit);
    return { items, ...(sorted.length > limit ? { next: items[items.length - 1]!.id } : {}) };
  }

  async pageTasks(caseId: string, limit: number, after?: string): Promise<ChildPage<Task>> {
    return this.page(await this.listTasks(caseId), limit, after);
  }

  async pageNotes(caseId: string, limit: number, after?: string): Promise<ChildPage<Note>> {
    return this.page(await this.listNotes(caseId), limit, after);
  }

  async pageEvidence(caseId: string, limit: number, after?: string): Promise<ChildPage<Evidence>> {
    return this.page(await this.listEvidence(caseId), limit, after);
  }

  async listTasks(caseId: string): Promise<Task[]> {
    return [...this.tasks.values()].filter((t) => t.caseId === caseId);
  }

  async listNotes(caseId: string): Promise<Note[]> {
    return [...this.notes.values()].filter((n) => n.caseId === caseId);
  }

  async getEvidence(caseId: string, evidenceId: string): Promise<Evidence | undefined> {
    const e = this.evidence.get(evidenceId);
    return e && e.caseId === caseId ? structuredClone(e) : undefined;
  }

  async listEvidence(caseId: string): Promise<Evidence[]> {
    return [...this.evidence.values()].filter((e) => e.caseId === caseId).map((e) => structuredClone(e));
  }

  async getResolution(caseId: string, resolutionId: string): Promise<Resolution | undefined> {
    const r = this.resolutions.get(resolutionId);
    return r && r.caseId === caseId ? structuredClone(r) : undefined;
  }

  async listApprovals(caseId: string): Promise<Approval[]> {
    return [...this.approvals.values()]
      .filter((a) => a.caseId === caseId)
      .sort((x, y) => x.resolutionId.localeCompare(y.resolutionId) || x.stage - y.stage)
      .map((x) => structuredClone(x));
  }

  async listResolutions(caseId: string): Promise<Resolution[]> {
    return [...this.resolutions.values()].filter((r) => r.caseId === caseId).map((r) => structuredClone(r));
  }

  async getExport(caseId: string, exportId: string): Promise<ExportJob | undefined> {
    const j = this.exports.get(exportId);
    return j && j.caseId === caseId ? structuredClone(j) : undefined;
  }

  async findExportCase(exportId: string): Promise<string | undefined> {
    return this.exports.get(exportId)?.caseId;
  }

  async listExports(caseId: string): Promise<ExportJob[]> {
    return [...this.exports.values()].filter((j) => j.caseId === caseId).map((j) => structuredClone(j));
  }

  async listByCustomer(customerId: string, limit: number): Promise<{ items: Case[]; nextCursor?: string }> {
    const items = [...this.cases.values()].map((r) => r.case).filter((c) => c.customer.id === customerId);
    return { items: items.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)).slice(0, limit).map((c) => structuredClone(c)) };
  }

  async listEscalations(caseId: string): Promise<(Escalation & { taskToken?: string })[]> {
    return [...this.escalations.values()]
      .filter((e) => e.caseId === caseId)
      .sort((x, y) => x.raisedAt.localeCompare(y.raisedAt) || x.id.localeCompare(y.id))
      .map((x) => structuredClone(x));
  }

  async findApprovalCase(approvalId: string): Promise<string | undefined> {
    return this.approvals.get(approvalId)?.caseId;
  }

  async retentionDue(before: string, limit: number): Promise<{ due: string[]; held: number }> {
    const due = [...this.cases.values()]
      .map((r) => r.case)
      .filter((c) => c.status === 'closed' && c.retainUntil !== undefined && !c.redaction && `${c.retainUntil}#${c.id}` < before);
    return {
      due: due
        .filter((c) => !c.legalHold)
        .sort((a, b) => `${a.retainUntil}#${a.id}`.localeCompare(`${b.retainUntil}#${b.id}`))
        .slice(0, limit)
        .map((c) => c.id),
      held: due.filter((c) => c.legalHold).length,
    };
  }

  async *retentionDueIds(before: string): AsyncIterable<{ id: string; retainUntil: string }> {
    const { due } = await this.retentionDue(before, Number.MAX_SAFE_INTEGER);
    for (const id of due) yield { id, retainUntil: this.cases.get(id)!.case.retainUntil! };
  }

  redactCalls = 0;

  async redactItems(caseId: string, expectedVersion: number, items: { children: CaseChild[]; events: AuditEvent[] }): Promise<void> {
    this.redactCalls += 1;
    const current = this.cases.get(caseId);
    if (!current || current.case.version !== expectedVersion) throw new StaleVersionError(`complaint ${caseId} changed while it was being redacted`);
    const trail = this.audit.get(caseId) ?? [];
    for (const e of items.events) {
      const i = trail.findIndex((x) => x.seq === e.seq && x.hash === e.hash);
      if (i < 0) throw new ConflictError(`audit event ${e.seq} of ${caseId} is missing or changed`);
      trail[i] = structuredClone(e);
    }
    for (const ch of items.children) {
      const store = { task: this.tasks, note: this.notes, evidence: this.evidence, resolution: this.resolutions, escalation: this.escalations, approval: this.approvals, export: this.exports }[ch.kind] as Map<string, unknown>;
      const item = ch.kind === 'task' ? ch.task : ch.kind === 'note' ? ch.note : ch.kind === 'evidence' ? ch.evidence : ch.kind === 'resolution' ? ch.resolution : ch.kind === 'escalation' ? ch.escalation : ch.kind === 'approval' ? ch.approval : ch.export;
      const id = 'exportId' in item ? item.exportId : item.id;
      if (!store.has(id)) throw new ConflictError(`${ch.kind} ${id} of ${caseId} is missing`);
      store.set(id, structuredClone(item));
    }
  }

  async pagePendingApprovals(limit: number, cursor?: string): Promise<{ items: Approval[]; nextCursor?: string }> {
    const open = [...this.approvals.values()].filter(isOpenStage).sort((x, y) => x.createdAt.localeCompare(y.createdAt) || x.id.localeCompare(y.id));
    const from = cursor === undefined ? 0 : open.findIndex((x) => x.id === cursor) + 1;
    const items = open.slice(from, from + limit).map((x) => structuredClone(x));
    return { items, ...(from + limit < open.length ? { nextCursor: items[items.length - 1]!.id } : {}) };
  }

  async listPendingApprovals(limit: number): Promise<Approval[]> {
    return [...this.approvals.values()]
      .filter(isOpenStage)
      .sort((x, y) => x.createdAt.localeCompare(y.createdAt) || x.id.localeCompare(y.id))
      .slice(0, limit)
      .map((x) => structuredClone(x));
  }
}
