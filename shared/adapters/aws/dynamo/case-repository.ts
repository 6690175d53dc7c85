// CaseRepository on one DynamoDB table: every mutation is one TransactWriteItems, every read a GetItem or Query.
import { API_FUNCTION_TIMEOUT_SECONDS, fullJitterMs, ownRetryBudgetMs } from '#adapters/aws/retry-policy';
import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, paginateQuery, type BatchGetCommandOutput, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Case } from '#schemas/complaint';
import type { AuditEvent, Note, Task } from '#schemas/children';
import type { Evidence } from '#schemas/evidence';
import { isOpenStage, type Approval, type Resolution } from '#schemas/resolution';
import type { Escalation } from '#schemas/escalation';
import type { ExportJob } from '#schemas/export';
import type { CaseChild, CaseFilter, CaseRecord, CaseRepository, ChildPage, CounterResult } from '#ports/case-repository';
import type { ChainHead } from '#domain/audit-chain';
import { RUNNING_CLOCK_STATUSES } from '#domain/deadlines';
import { riskIndex } from '#domain/lifecycle';
import type { DeadlineRow } from '#domain/deadline-board';
import { ConflictError, InvalidInputError, StaleVersionError } from '#domain/errors';
import { queryAll, queryPage } from './paged-query';
import { INDEX, keys, ownerShardOf, shardOf, type ListGroup } from './table-model';
import { CASE_ATTR, CASE_FIELD_ATTRS, caseOfItem, headHashBytes, headHashOf, storedCaseAttributes } from './case-codec';

type Item = Record<string, unknown>;
/** The contact directory's key for an address: SHA-256 of its trimmed lower-case form (no address in clear). */
const emailDigest = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
/** An item as the document client returns it. */
type StoredItem = NonNullable<QueryCommandOutput['Items']>[number];
type Key = Record<string, unknown>;

export interface DynamoCaseRepositoryOptions {
  tableName: string;
  /** Partitions of the open-cases-by-due-date index (write sharding). */
  listShards: number;
  /**
   * Partitions of each owner's group in the owner index (default 1). A case sits in the shard of its id; `My cases`
   * reads every shard of the owner and merges by due date, so one busy owner is not one hot partition.
   */
  ownerShards?: number;
  /**
   * Reference numbers leased per update of the year's counter item (default 1: one update per case). With N, one
   * update reserves N numbers for this process (a Lambda container), so the counter item takes 1/N of the intake
   * rate; numbers a container never used are gaps (docs/scale-model.md).
   */
  referenceBlock?: number;
}

/** Bounded page-filling: a filtered Query page may come back short, so we read on a few times at most. */
const MAX_PAGES_PER_PARTITION = 5;

const groupOf = (c: Case): ListGroup => (c.status === 'closed' ? 'closed' : 'active');

/** The case id at the end of a due-date sort key (`${at}#${id}`, keys.dueSk). */
const idOfDueSk = (sk: string): string => sk.slice(sk.lastIndexOf('#') + 1);

/**
 * A filter on a case field that expressions need: its top-level copy (CASE_FIELD_ATTRS, written with the compressed
 * case) or, on an item not yet migrated (`npm run migrate`), the field inside the case map. The copy's attribute name is
 * the field's own, so one name placeholder serves both paths.
 */
const caseFieldFilter = (names: Record<string, string>, field: keyof typeof CASE_FIELD_ATTRS, condition: (path: string) => string): string => {
  names['#case'] = CASE_ATTR;
  names[`#${field}`] = CASE_FIELD_ATTRS[field];
  return `(${condition(`#${field}`)} OR ${condition(`#case.#${field}`)})`;
};

/**
 * A creation that lost a transaction conflict (not a condition) to a concurrent one is tried again, with capped
 * exponential backoff and full jitter, for up to this long; then the client is told to retry (429 with Retry-After).
 */
const CREATE_RETRY_BUDGET_MS = ownRetryBudgetMs(API_FUNCTION_TIMEOUT_SECONDS);
const CREATE_BACKOFF_BASE_MS = 20;
const CREATE_BACKOFF_CAP_MS = 400;

export class DynamoCaseRepository implements CaseRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly opts: DynamoCaseRepositoryOptions,
  ) {}

  private get table() {
    return this.opts.tableName;
  }

  private caseItem(c: Case, head: ChainHead): Item {
    return {
      // No `entity` tag: SK = CASE says what the item is, and nothing reads one (10 bytes less on every write of it).
      ...keys.case(c.id),
      version: c.version,
      headSeq: head.seq,
      // The head's SHA-256 as 32 bytes of Binary, not 64 hex characters: the item every change rewrites stays small.
      headHash: headHashBytes(head.hash),
      ...riskIndex(c),
      dueAt: c.finalResponseDueAt,
      // No stored timers: the stream handler derives the timers each image's case needs (timerMap) and diffs them.
      // The case compressed (one Binary), and the few fields expressions name beside it (./case-codec).
      ...storedCaseAttributes(c),
      GSI1PK: keys.ownerPk(c.ownerId, groupOf(c), ownerShardOf(c.id, this.opts.ownerShards ?? 1)),
      GSI1SK: keys.dueSk(c.finalResponseDueAt, c.id),
      GSI2PK: keys.listPk(groupOf(c), shardOf(c.id, this.opts.listShards)),
      GSI2SK: keys.dueSk(c.finalResponseDueAt, c.id),
      // A redacted case no longer names its customer: the customer index must not find the person (subject access).
      ...(c.redaction ? {} : { GSI3PK: keys.customerPk(c.customer.id), GSI3SK: keys.dueSk(c.receivedAt, c.id) }),
      ...this.retentionIndex(c),
      // No changed-cases keys (GSI5PK/GSI5SK) on the case item: each audit event carries them (auditItem), so the audit
      // digest finds a case whose chain grew without the case item's index entry moving on every write.
    };
  }

  /**
   * An audit event's item; `indexed`: in the changed-cases index at the time it was recorded (the audit digest reads
   * the cases whose chain grew since the previous digest from there, and anchors each at its newest event). A
   * transaction indexes only its last event, the new head: the events before it are covered by it.
   */
  private auditItem(caseId: string, e: AuditEvent, indexed: boolean): Item {
    const item: Item = { ...keys.audit(caseId, e.seq), entity: 'audit', caseId, ...e };
    return indexed ? { ...item, GSI5PK: keys.changedPk(shardOf(caseId, this.opts.listShards)), GSI5SK: keys.changedSk(e.at, caseId) } : item;
  }

  /**
   * The retention index entry: closed cases with a retainUntil that are not yet redacted. A case on legal hold sits in
   * a partition of its own (counted by the job, never blocking the due ones); releasing the hold rewrites the case
   * item, which moves it back to its shard.
   */
  private retentionIndex(c: Case): Item {
    if (c.status !== 'closed' || !c.retainUntil || c.redaction) return {};
    return { GSI4PK: c.legalHold ? keys.retentionHeldPk : keys.retentionPk(shardOf(c.id, this.opts.listShards)), GSI4SK: keys.dueSk(c.retainUntil, c.id) };
  }

  /** The stored items of a child (and its pointer when it is new). */
  private childItems(caseId: string, ch: CaseChild): Item[] {
    if (ch.kind === 'task') return [{ ...keys.task(caseId, ch.task.id), entity: 'task', ...ch.task }];
    if (ch.kind === 'note') return [{ ...keys.note(caseId, ch.note.id), entity: 'note', ...ch.note }];
    if (ch.kind === 'evidence') return [{ ...keys.evidence(caseId, ch.evidence.id), entity: 'evidence', ...ch.evidence }];
    if (ch.kind === 'resolution') return [{ ...keys.resolution(caseId, ch.resolution.id), entity: 'resolution', ...ch.resolution }];
    if (ch.kind === 'escalation') return [{ ...keys.escalation(caseId, ch.escalation.id), entity: 'escalation', ...ch.escalation }];
    if (ch.kind === 'export') {
      const job: Item = { ...keys.export(caseId, ch.export.exportId), entity: 'export', ...ch.export };
      return ch.created ? [job, { ...keys.exportPointer(ch.export.exportId), entity: 'exportPointer', caseId }] : [job];
    }
    const a = ch.approval;
    // Only an open stage (pending with a due time) is in the approvers' queue; later stages join when they open.
    const pending = isOpenStage(a) ? { GSI2PK: keys.pendingApprovalsPk(shardOf(a.id, this.opts.listShards)), GSI2SK: keys.dueSk(a.createdAt, a.id) } : {};
    const item: Item = { ...keys.approval(caseId, a.id), entity: 'approval', ...a, ...pending };
    // The pointer never changes: written with the new stage, not again on every token, reminder or decision.
    return ch.created ? [item, { ...keys.approvalPointer(a.id), entity: 'approvalPointer', caseId }] : [item];
  }

  private auditPuts(caseId: string, events: AuditEvent[]) {
    const head = Math.max(...events.map((e) => e.seq));
    return events.map((e) => ({
      Put: {
        TableName: this.table,
        Item: this.auditItem(caseId, e, e.seq === head),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    }));
  }

  /** The numbers this process has leased and not used yet, per counter attribute of a year. */
  private readonly leases = new Map<string, { next: number; end: number }>();
  private readonly refills = new Map<string, Promise<void>>();

  async allocateSequence(year: number, team?: string): Promise<CounterResult> {
    const block = this.opts.referenceBlock ?? 1;
    if (block > 1) {
      const [seq, teamCount] = await Promise.all([this.leased(year, 'seq', block), team ? this.leased(year, keys.teamCounterAttr(team), block) : undefined]);
      return { seq, ...(teamCount !== undefined ? { teamCount } : {}) };
    }
    return this.allocateOne(year, team);
  }

  /** The next number of a leased block, leasing a new block (one ADD of `block`) when this process has none left. */
  private async leased(year: number, attr: string, block: number): Promise<number> {
    const id = `${year}\u0000${attr}`;
    for (;;) {
      const lease = this.leases.get(id);
      if (lease && lease.next <= lease.end) return lease.next++;
      let refill = this.refills.get(id);
      if (!refill) {
        refill = this.leaseBlock(year, attr, block, id).finally(() => this.refills.delete(id));
        this.refills.set(id, refill);
      }
      await refill;
    }
  }

  private async leaseBlock(year: number, attr: string, block: number, id: string): Promise<void> {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.counter(year),
        UpdateExpression: 'ADD #a :block',
        ExpressionAttributeNames: { '#a': attr },
        ExpressionAttributeValues: { ':block': block },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const end = Number(out.Attributes?.[attr]);
    this.leases.set(id, { next: end - block + 1, end });
  }

  private async allocateOne(year: number, team?: string): Promise<CounterResult> {
    const names: Record<string, string> = { '#seq': 'seq' };
    let expr = 'ADD #seq :one';
    if (team) {
      names['#team'] = keys.teamCounterAttr(team);
      expr += ', #team :one';
    }
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.counter(year),
        UpdateExpression: expr,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const attrs = out.Attributes ?? {};
    return { seq: Number(attrs.seq), ...(team ? { teamCount: Number(attrs[keys.teamCounterAttr(team)]) } : {}) };
  }

  async create(input: { case: Case; head: ChainHead; events: AuditEvent[]; children?: CaseChild[]; takesExternalRefFrom?: string }): Promise<void> {
    const c = input.case;
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      { Put: { TableName: this.table, Item: this.caseItem(c, input.head), ConditionExpression: 'attribute_not_exists(PK)' } },
      ...this.auditPuts(c.id, input.events),
      ...(input.children ?? []).flatMap((ch) => this.childItems(c.id, ch)).map((Item) => ({ Put: { TableName: this.table, Item } })),
    ];
    // Email intake matches a sender to the customer of their latest case (last writer wins: no condition).
    if (c.customer.email) items.push({ Put: { TableName: this.table, Item: { ...keys.contact(emailDigest(c.customer.email)), entity: 'contact', customerId: c.customer.id } } });
    if (c.externalRef) {
      // Last in the transaction: its cancellation reason tells a duplicate delivery from any other failure.
      items.push({
        Put: {
          TableName: this.table,
          Item: { ...keys.externalRef(c.externalRef.system, c.externalRef.id), entity: 'externalRef', caseId: c.id, reference: c.reference, ...(input.takesExternalRefFrom ? { previousCaseId: input.takesExternalRefFrom } : {}) },
          ...(input.takesExternalRefFrom
            ? { ConditionExpression: 'caseId = :previous', ExpressionAttributeValues: { ':previous': input.takesExternalRefFrom } }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        },
      });
    }
    const ref = c.externalRef;
    const duplicateOf = (existingId: string | null): ConflictError => new ConflictError(`a complaint already exists for ${ref?.system} ${ref?.id}`, { existingId });
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (err) {
        const reasons = err instanceof TransactionCanceledException ? (err.CancellationReasons ?? []) : [];
        if (ref && reasons[items.length - 1]?.Code === 'ConditionalCheckFailed') throw duplicateOf((await this.findIdByExternalRef(ref.system, ref.id)) ?? null);
        // Another transaction held one of these items (concurrent deliveries of one ticket share its external
        // reference and the customer's contact item): nothing was written. When the reference now belongs to another
        // case, that delivery won and its case is the answer; otherwise the same creation is tried again, and after
        // the budget the conflict goes to the client as 429 (see #http/problem).
        if (!reasons.some((r) => r.Code === 'TransactionConflict')) throw err;
        if (ref && !input.takesExternalRefFrom) {
          const winner = await this.findIdByExternalRef(ref.system, ref.id);
          if (winner && winner !== c.id) throw duplicateOf(winner);
        }
        if (Date.now() - started >= CREATE_RETRY_BUDGET_MS) throw err;
        await new Promise((r) => setTimeout(r, fullJitterMs(attempt + 1, CREATE_BACKOFF_BASE_MS, CREATE_BACKOFF_CAP_MS)));
      }
    }
  }

  async get(id: string): Promise<CaseRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.case(id), ConsistentRead: true }));
    if (!out.Item) return undefined;
    return { case: caseOfItem(out.Item), head: { seq: Number(out.Item.headSeq), hash: headHashOf(out.Item.headHash) } };
  }

  async commit(input: { case: Case; expectedVersion: number; head: ChainHead; events: AuditEvent[]; children?: CaseChild[] }): Promise<void> {
    const c = input.case;
    const childPuts = (input.children ?? []).flatMap((ch) => this.childItems(c.id, ch)).map((Item) => ({ Put: { TableName: this.table, Item } }));
    // The write holds only if neither the version (case changes) nor the chain's head (every audited write, bookkeeping
    // too) moved since the caller read them: a bookkeeping event keeps the version, so the version alone cannot tell.
    const previousHeadSeq = input.head.seq - input.events.length;
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: this.caseItem(c, input.head),
                ConditionExpression: 'attribute_exists(PK) AND version = :expected AND headSeq = :headSeq',
                ExpressionAttributeValues: { ':expected': input.expectedVersion, ':headSeq': previousHeadSeq },
              },
            },
            ...this.auditPuts(c.id, input.events),
            ...childPuts,
          ],
        }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException) {
        const codes = (err.CancellationReasons ?? []).map((r) => r.Code);
        if (codes.includes('ConditionalCheckFailed') || codes.includes('TransactionConflict')) {
          throw new StaleVersionError(`complaint ${c.id} changed concurrently`, { cause: err });
        }
      }
      throw err;
    }
  }

  async findCustomerByEmail(email: string): Promise<string | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.contact(emailDigest(email)) }));
    return out.Item ? String(out.Item.customerId) : undefined;
  }

  async findIdByExternalRef(system: string, id: string): Promise<string | undefined> {
    // Strongly consistent: it answers "did a concurrent delivery of this ticket just win?".
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.externalRef(system, id), ConsistentRead: true }));
    return out.Item ? String(out.Item.caseId) : undefined;
  }

  async retentionDue(before: string, limit: number): Promise<{ due: string[]; held: number }> {
    const index = INDEX.retentionDue;
    const query = (pk: string, extra: Partial<QueryCommandInput>): QueryCommandInput => ({
      TableName: this.table,
      IndexName: index.indexName,
      KeyConditionExpression: '#pk = :pk AND #sk < :before',
      ExpressionAttributeNames: { '#pk': index.partitionKey.name, '#sk': index.sortKey.name },
      ExpressionAttributeValues: { ':pk': pk, ':before': before },
      ...extra,
    });
    // One Query per shard (oldest retainUntil first), merged; and a count of the held partition.
    const [pages, held] = await Promise.all([
      Promise.all(
        Array.from({ length: this.opts.listShards }, (_, shard) =>
          this.doc.send(
            new QueryCommand({
              // dueSk is `${retainUntil}#${id}`: the id without reading the case.
              ...query(keys.retentionPk(shard), { Limit: limit, ProjectionExpression: '#sk' }),
            }),
          ),
        ),
      ),
      (async () => {
        let n = 0;
        for await (const page of paginateQuery({ client: this.doc }, query(keys.retentionHeldPk, { Select: 'COUNT' }))) n += page.Count ?? 0;
        return n;
      })(),
    ]);
    const due = pages
      .flatMap((p) => p.Items ?? [])
      .sort((a, b) => String(a[index.sortKey.name]).localeCompare(String(b[index.sortKey.name])))
      .slice(0, limit)
      .map((i) => idOfDueSk(String(i[index.sortKey.name])));
    return { due, held };
  }

  async *retentionDueIds(before: string): AsyncIterable<{ id: string; retainUntil: string }> {
    const index = INDEX.retentionDue;
    for (let shard = 0; shard < this.opts.listShards; shard++) {
      const input: QueryCommandInput = {
        TableName: this.table,
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk < :before',
        ProjectionExpression: '#sk',
        ExpressionAttributeNames: { '#pk': index.partitionKey.name, '#sk': index.sortKey.name },
        ExpressionAttributeValues: { ':pk': keys.retentionPk(shard), ':before': before },
      };
      for await (const page of paginateQuery({ client: this.doc, pageSize: 1000 }, input)) {
        for (const item of page.Items ?? []) {
          // dueSk is `${retainUntil}#${id}`: both parts without a second read.
          const sk = String(item[index.sortKey.name]);
          yield { id: idOfDueSk(sk), retainUntil: sk.slice(0, sk.lastIndexOf('#')) };
        }
      }
    }
  }

  async redactItems(caseId: string, expectedVersion: number, items: { children: CaseChild[]; events: AuditEvent[] }): Promise<void> {
    type Put = { Put: { TableName: string; Item: Item; ConditionExpression: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> } };
    // Rewrites only: a child that is gone is not recreated; an audit item is replaced only by the same event (its hash).
    const puts: Put[] = [
      ...items.children.flatMap((ch) => this.childItems(caseId, ch)).map((Item) => ({ Put: { TableName: this.table, Item, ConditionExpression: 'attribute_exists(PK)' } })),
      ...items.events.map((e) => ({
        Put: {
          TableName: this.table,
          // Indexed again (a redaction is rare; an older event's entry sorts before any digest's window anyway).
          Item: this.auditItem(caseId, e, true),
          ConditionExpression: 'attribute_exists(PK) AND #hash = :hash',
          ExpressionAttributeNames: { '#hash': 'hash' },
          ExpressionAttributeValues: { ':hash': e.hash },
        },
      })),
    ];
    // Each transaction also checks the case is still at the version the plan was made from (a reopen stops the rest).
    const check = {
      ConditionCheck: { TableName: this.table, Key: keys.case(caseId), ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } },
    };
    for (const batch of redactionBatches(puts)) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: [check, ...batch] }));
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const codes = (err.CancellationReasons ?? []).map((r) => r.Code);
        if (codes[0] === 'ConditionalCheckFailed' || codes.includes('TransactionConflict')) throw new StaleVersionError(`complaint ${caseId} changed while it was being redacted`, { cause: err });
        if (codes.includes('ConditionalCheckFailed')) throw new ConflictError(`an item of complaint ${caseId} is missing or changed; redaction stopped`, { caseId });
        throw err;
      }
    }
  }

  private async queryChildren<T>(caseId: string, prefix: string, upTo?: string): Promise<T[]> {
    return queryAll(
      this.doc,
      {
        TableName: this.table,
        // A bounded range (prefix … upTo, both inclusive) when the caller knows the last key it may see.
        ...(upTo === undefined
          ? { KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', ExpressionAttributeValues: { ':pk': keys.casePk(caseId), ':prefix': prefix } }
          : { KeyConditionExpression: 'PK = :pk AND SK BETWEEN :prefix AND :upTo', ExpressionAttributeValues: { ':pk': keys.casePk(caseId), ':prefix': prefix, ':upTo': upTo } }),
        ConsistentRead: true,
      },
      // An audit event's item also carries its changed-cases index keys (auditItem): not part of the event.
      ({ PK: _pk, SK: _sk, entity: _e, caseId: _c, GSI5PK: _cp, GSI5SK: _cs, ...rest }) => (prefix === keys.auditPrefix ? rest : { ...rest, caseId }) as T,
    );
  }

  auditEvents(caseId: string, upToSeq?: number): Promise<AuditEvent[]> {
    return this.queryChildren<AuditEvent>(caseId, keys.auditPrefix, upToSeq === undefined ? undefined : keys.audit(caseId, upToSeq).SK);
  }

  /**
   * One page of a case's children of one kind, in key order: a Query for limit+1 items, so `next` (the sort key of the
   * page's last item) is there only when another item follows. `after` is such a sort key from a previous page.
   */
  private async pageChildren<T>(caseId: string, prefix: string, limit: number, after?: string): Promise<ChildPage<T>> {
    if (after !== undefined && (!after.startsWith(prefix) || after.length > 512)) throw invalidCursor();
    const pk = keys.casePk(caseId);
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
        ConsistentRead: true,
        Limit: limit + 1,
        ...(after !== undefined ? { ExclusiveStartKey: { PK: pk, SK: after } } : {}),
      }),
    );
    const raw = out.Items ?? [];
    const page = raw.slice(0, limit);
    const items = page.map(({ PK: _pk, SK: _sk, entity: _e, caseId: _c, ...rest }) => ({ ...rest, caseId }) as T);
    const last = page[page.length - 1];
    return { items, ...(raw.length > limit && last ? { next: String(last.SK) } : {}) };
  }

  pageTasks(caseId: string, limit: number, after?: string): Promise<ChildPage<Task>> {
    return this.pageChildren<Task>(caseId, keys.taskPrefix, limit, after);
  }

  pageNotes(caseId: string, limit: number, after?: string): Promise<ChildPage<Note>> {
    return this.pageChildren<Note>(caseId, keys.notePrefix, limit, after);
  }

  pageEvidence(caseId: string, limit: number, after?: string): Promise<ChildPage<Evidence>> {
    return this.pageChildren<Evidence>(caseId, keys.evidencePrefix, limit, after);
  }

  listTasks(caseId: string): Promise<Task[]> {
    return this.queryChildren<Task>(caseId, keys.taskPrefix);
  }

  listNotes(caseId: string): Promise<Note[]> {
    return this.queryChildren<Note>(caseId, keys.notePrefix);
  }

  listEvidence(caseId: string): Promise<Evidence[]> {
    return this.queryChildren<Evidence>(caseId, keys.evidencePrefix);
  }

  async getResolution(caseId: string, resolutionId: string): Promise<Resolution | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.resolution(caseId, resolutionId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { PK: _pk, SK: _sk, entity: _e, ...resolution } = out.Item;
    return resolution as Resolution;
  }

  async listApprovals(caseId: string): Promise<Approval[]> {
    const items = await this.queryChildren<Approval & { GSI2PK?: string; GSI2SK?: string }>(caseId, keys.approvalPrefix);
    return items.map(({ GSI2PK: _p, GSI2SK: _s, ...a }) => a).sort((a, b) => a.resolutionId.localeCompare(b.resolutionId) || a.stage - b.stage);
  }

  async listEscalations(caseId: string): Promise<(Escalation & { taskToken?: string })[]> {
    const items = await this.queryChildren<Escalation & { taskToken?: string }>(caseId, keys.escalationPrefix);
    return items.sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.id.localeCompare(b.id));
  }

  async findApprovalCase(approvalId: string): Promise<string | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.approvalPointer(approvalId) }));
    return out.Item ? String(out.Item.caseId) : undefined;
  }

  listResolutions(caseId: string): Promise<Resolution[]> {
    return this.queryChildren<Resolution>(caseId, keys.resolutionPrefix);
  }

  async getExport(caseId: string, exportId: string): Promise<ExportJob | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.export(caseId, exportId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { PK: _pk, SK: _sk, entity: _e, ...job } = out.Item;
    return job as ExportJob;
  }

  async findExportCase(exportId: string): Promise<string | undefined> {
    // Consistent: a GET right after the 202 finds the job.
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.exportPointer(exportId), ConsistentRead: true }));
    return out.Item ? String(out.Item.caseId) : undefined;
  }

  listExports(caseId: string): Promise<ExportJob[]> {
    return this.queryChildren<ExportJob>(caseId, keys.exportPrefix);
  }

  async listByCustomer(customerId: string, limit: number, cursor?: string): Promise<{ items: Case[]; nextCursor?: string }> {
    const index = INDEX.byCustomer;
    const pk = keys.customerPk(customerId);
    const names = ['PK', 'SK', index.partitionKey.name, index.sortKey.name].sort().join(',');
    const page = await queryPage(
      this.doc,
      {
        TableName: this.table,
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey.name },
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
      },
      { limit, cursor, isStartKey: (k) => Object.keys(k).sort().join(',') === names && k[index.partitionKey.name] === pk, invalid: invalidCursor },
      (i) => ({ PK: i.PK, SK: i.SK }),
    );
    // The customer index holds a case item's keys only (its entry never changes after intake, so an ordinary change
    // writes nothing to it): the page's cases are read by key, in one BatchGetItem (a page is at most 100 cases).
    return { ...page, items: await this.casesByKey(page.items) };
  }

  /** Cases by key, in the order given (a key whose item is gone is left out). */
  private async casesByKey(wanted: Key[]): Promise<Case[]> {
    const found = new Map<string, Case>();
    let pending: Key[] = wanted;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const out: BatchGetCommandOutput = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending } } }));
      for (const item of out.Responses?.[this.table] ?? []) found.set(String(item.PK), caseOfItem(item));
      pending = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as Key[];
      if (pending.length && attempt >= 8) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${attempt} attempts`);
      if (pending.length) await new Promise((r) => setTimeout(r, fullJitterMs(attempt, CREATE_BACKOFF_BASE_MS, CREATE_BACKOFF_CAP_MS)));
    }
    return wanted.flatMap((k) => found.get(String(k.PK)) ?? []);
  }

  async listPendingApprovals(limit: number): Promise<Approval[]> {
    return (await this.pagePendingApprovals(limit)).items;
  }

  async pagePendingApprovals(limit: number, cursor?: string): Promise<{ items: Approval[]; nextCursor?: string }> {
    const index = INDEX.openByDue;
    const partitions = Array.from({ length: this.opts.listShards }, (_, shard) => keys.pendingApprovalsPk(shard));
    const page = await this.mergedPage(index, partitions, cursor, limit, (pk) => ({
      TableName: this.table,
      IndexName: index.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey.name },
      ExpressionAttributeValues: { ':pk': pk },
    }));
    const items = page.items.map(({ PK: _pk, SK: _sk, entity: _e, GSI2PK: _p, GSI2SK: _s, taskToken: _t, ...a }) => a as Approval);
    return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  async getEvidence(caseId: string, evidenceId: string): Promise<Evidence | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.evidence(caseId, evidenceId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { PK: _pk, SK: _sk, entity: _e, ...evidence } = out.Item;
    return evidence as Evidence;
  }

  async getTask(caseId: string, taskId: string): Promise<Task | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.task(caseId, taskId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { PK: _pk, SK: _sk, entity: _e, ...task } = out.Item;
    return task as Task;
  }

  async list(f: CaseFilter): Promise<{ items: Case[]; nextCursor?: string }> {
    const byOwner = f.ownerId !== undefined;
    const index = byOwner ? INDEX.byOwnerDue : INDEX.openByDue;
    // Both indexes split active from closed cases, so the default work queue never reads closed ones.
    const group: ListGroup = f.status === 'closed' ? 'closed' : 'active';
    const partitions = byOwner ? keys.ownerPks(f.ownerId as string, group, this.opts.ownerShards ?? 1) : Array.from({ length: this.opts.listShards }, (_, i) => keys.listPk(group, i));
    // Key range on the due-date sort key; the rest are filters.
    let upper = f.dueBefore;
    const filters: string[] = [];
    const names: Record<string, string> = { '#pk': index.partitionKey.name };
    const values: Record<string, unknown> = {};
    if (f.risk) {
      const placeholders = RUNNING_CLOCK_STATUSES.map((status, i) => {
        values[`:running${i}`] = status;
        return `:running${i}`;
      });
      filters.push(caseFieldFilter(names, 'status', (path) => `${path} IN (${placeholders.join(', ')})`));
      // A paused clock's risk is frozen at the pause (pausedRisk); a running one follows the time of reading.
      names['#pausedRisk'] = 'pausedRisk';
      values[':risk'] = f.risk;
      if (f.risk === 'overdue') {
        upper = upper && upper < f.now ? upper : f.now;
        filters.push('(attribute_not_exists(#pausedRisk) OR #pausedRisk = :risk)');
      } else {
        // No lower key bound: a paused case keeps its risk after its (not yet moved) due time has passed.
        names['#atRiskAt'] = 'atRiskAt';
        names['#dueAt'] = 'dueAt';
        values[':now'] = f.now;
        const running = f.risk === 'at_risk' ? '#atRiskAt <= :now AND #dueAt >= :now' : '#atRiskAt > :now AND #dueAt >= :now';
        filters.push(`((attribute_not_exists(#pausedRisk) AND ${running}) OR #pausedRisk = :risk)`);
      }
    }
    if (f.status) {
      values[':status'] = f.status;
      filters.push(caseFieldFilter(names, 'status', (path) => `${path} = :status`));
    }
    if (f.category) {
      values[':category'] = f.category;
      filters.push(caseFieldFilter(names, 'category', (path) => `${path} = :category`));
    }
    if (f.regime) {
      values[':regime'] = f.regime;
      filters.push(caseFieldFilter(names, 'regime', (path) => `${path} = :regime`));
    }
    let keyCond = '#pk = :pk';
    if (upper) {
      names['#sk'] = index.sortKey.name;
      keyCond += ' AND #sk < :upper';
      values[':upper'] = upper;
    }

    const page = await this.mergedPage(index, partitions, f.cursor, f.limit, (pk) => ({
      TableName: this.table,
      IndexName: index.indexName,
      KeyConditionExpression: keyCond,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...values, ':pk': pk },
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    }));
    return { items: page.items.map((item) => caseOfItem(item)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /**
   * One page merged from the write-sharded partitions of an index, in sort-key order: each partition is read from where
   * the cursor left it, and resumes after the last item it contributed (k-way merge), so no item is skipped or repeated.
   */
  private async mergedPage(
    index: { partitionKey: { name: string }; sortKey: { name: string } },
    partitions: string[],
    rawCursor: string | undefined,
    limit: number,
    input: (pk: string) => QueryCommandInput,
  ): Promise<{ items: Item[]; nextCursor?: string }> {
    const cursor = decodeCursor(rawCursor, partitions, index);
    const pages = await Promise.all(
      partitions.map(async (pk, i) => {
        const state = cursor?.[i];
        if (state === DONE) return { items: [] as Item[], next: DONE as PartitionCursor };
        return this.fillPartition(input(pk), limit, state);
      }),
    ).catch((err: unknown) => {
      // A start key the index does not accept is a bad cursor, never a 500.
      if (cursor && err instanceof Error && err.name === 'ValidationException') throw invalidCursor();
      throw err;
    });
    const tagged = pages.flatMap((p, i) => p.items.map((item) => ({ item, i })));
    tagged.sort((a, b) => String(a.item[index.sortKey.name]).localeCompare(String(b.item[index.sortKey.name])));
    const taken = tagged.slice(0, limit);
    const next: PartitionCursor[] = pages.map((p, i) => {
      const mine = taken.filter((t) => t.i === i);
      const returned = p.items.length;
      if (mine.length === returned) return p.next;
      const last = mine[mine.length - 1]?.item;
      return last ? pickKey(last, index) : (cursor?.[i] ?? START);
    });
    const more = next.some((n) => n !== DONE);
    return { items: taken.map((t) => t.item), ...(more ? { nextCursor: encodeCursor(partitions, next) } : {}) };
  }

  /** Every item of one partition of the list index, page by page. */
  private async *listPartition(pk: string, extra: Pick<QueryCommandInput, 'ProjectionExpression' | 'ExpressionAttributeNames'> = {}): AsyncIterable<StoredItem> {
    const index = INDEX.openByDue;
    const input: QueryCommandInput = {
      TableName: this.table,
      IndexName: index.indexName,
      KeyConditionExpression: '#pk = :pk',
      ...extra,
      ExpressionAttributeNames: { '#pk': index.partitionKey.name, ...extra.ExpressionAttributeNames },
      ExpressionAttributeValues: { ':pk': pk },
    };
    for await (const page of paginateQuery({ client: this.doc }, input)) yield* page.Items ?? [];
  }

  async *everyCase(): AsyncIterable<Case> {
    for (const group of ['active', 'closed'] as const) {
      for (let shard = 0; shard < this.opts.listShards; shard++) {
        for await (const item of this.listPartition(keys.listPk(group, shard))) yield caseOfItem(item);
      }
    }
  }

  async activeDeadlines(): Promise<DeadlineRow[]> {
    const partitions = Array.from({ length: this.opts.listShards }, (_, i) => keys.listPk('active', i));
    const projection = {
      // The top-level copies of the fields (CASE_FIELD_ATTRS), and the same fields in the case map of an item not yet
      // migrated: never the compressed case itself, so the board reads a few bytes a case.
      ProjectionExpression: '#ownerId, #regime, #status, #case.#ownerId, #case.#regime, #case.#status, #dueAt, #atRiskAt, #pausedRisk',
      ExpressionAttributeNames: {
        '#case': CASE_ATTR,
        '#ownerId': CASE_FIELD_ATTRS.ownerId,
        '#regime': CASE_FIELD_ATTRS.regime,
        '#status': CASE_FIELD_ATTRS.status,
        '#dueAt': 'dueAt',
        '#atRiskAt': 'atRiskAt',
        '#pausedRisk': 'pausedRisk',
      },
    };
    const pages = await Promise.all(
      partitions.map(async (pk) => {
        const rows: DeadlineRow[] = [];
        for await (const item of this.listPartition(pk, projection)) {
          const legacy = item[CASE_ATTR] as Partial<Pick<Case, 'ownerId' | 'regime' | 'status'>> | undefined;
          const c = {
            ownerId: String(item[CASE_FIELD_ATTRS.ownerId] ?? legacy?.ownerId ?? ''),
            regime: (item[CASE_FIELD_ATTRS.regime] ?? legacy?.regime) as Case['regime'],
            status: (item[CASE_FIELD_ATTRS.status] ?? legacy?.status) as Case['status'],
          };
          rows.push({
            ownerId: c.ownerId,
            regime: c.regime,
            status: c.status,
            dueAt: String(item.dueAt ?? ''),
            atRiskAt: String(item.atRiskAt ?? ''),
            ...(item.pausedRisk ? { pausedRisk: item.pausedRisk as DeadlineRow['pausedRisk'] & string } : {}),
          });
        }
        return rows;
      }),
    );
    return pages.flat();
  }

  private async fillPartition(input: QueryCommandInput, limit: number, state: PartitionCursor | undefined): Promise<{ items: Item[]; next: PartitionCursor }> {
    const items: Item[] = [];
    let start: Key | undefined = state && state !== START && state !== DONE ? state : undefined;
    for (let page = 0; page < MAX_PAGES_PER_PARTITION; page++) {
      const out = await this.doc.send(new QueryCommand({ ...input, Limit: limit - items.length, ...(start ? { ExclusiveStartKey: start } : {}) }));
      items.push(...((out.Items ?? []) as Item[]));
      start = out.LastEvaluatedKey;
      if (!start || items.length >= limit) break;
    }
    return { items, next: start ?? DONE };
  }
}

/** TransactWriteItems takes 100 items (one is the case's version check) and 4 MB: batches stay well inside both. */
const MAX_REDACTION_BATCH = 99;
const MAX_REDACTION_BATCH_BYTES = 3_000_000;
const redactionBatches = <T>(puts: T[]): T[][] => {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const p of puts) {
    const size = JSON.stringify(p).length;
    if (batch.length && (batch.length >= MAX_REDACTION_BATCH || bytes + size > MAX_REDACTION_BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(p);
    bytes += size;
  }
  if (batch.length) batches.push(batch);
  return batches;
};

const DONE = 'done';
const START = 'start';
type PartitionCursor = Key | typeof DONE | typeof START;

const pickKey = (item: Item, index: { partitionKey: { name: string }; sortKey: { name: string } }): Key => ({
  PK: item.PK,
  SK: item.SK,
  [index.partitionKey.name]: item[index.partitionKey.name],
  [index.sortKey.name]: item[index.sortKey.name],
});

/**
 * A position as plain JSON: the HTTP layer seals (and compresses) it into the opaque cursor a client sees. It names the
 * first partition it was made for (`of`): a page whose partitions are all done or not yet started carries no key that
 * would otherwise tie it to its owner or group, so another owner's list would accept it and skip partitions.
 */
const encodeCursor = (partitions: string[], c: PartitionCursor[]): string => JSON.stringify({ of: partitions[0], at: c });

const invalidCursor = () => new InvalidInputError('cursor is not valid for this query', [{ field: 'query.cursor', message: 'pass the nextCursor of the previous page, with the same filters' }]);

const decodeCursor = (raw: string | undefined, partitions: string[], index: { partitionKey: { name: string }; sortKey: { name: string } }): PartitionCursor[] | undefined => {
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.keys(parsed).sort().join(',') !== 'at,of') throw invalidCursor();
  const { of, at } = parsed as { of: unknown; at: unknown };
  if (of !== partitions[0]) throw invalidCursor();
  const keyNames = ['PK', 'SK', index.partitionKey.name, index.sortKey.name].sort().join(',');
  const validKey = (p: unknown, i: number): boolean =>
    typeof p === 'object' &&
    p !== null &&
    !Array.isArray(p) &&
    Object.keys(p).sort().join(',') === keyNames &&
    Object.values(p).every((v) => typeof v === 'string') &&
    (p as Record<string, string>)[index.partitionKey.name] === partitions[i];
  if (!Array.isArray(at) || at.length !== partitions.length || !at.every((p, i) => p === DONE || p === START || validKey(p, i))) {
    throw invalidCursor();
  }
  return at as PartitionCursor[];
};
