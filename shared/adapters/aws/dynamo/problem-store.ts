// Problem records, suggestions, changes and spikes on the cases table. A problem and its audit chain share a
// partition and change in one transaction conditioned on the version read; the lists are GSI queries on the
// problem item (all, by status); suggestions, changes and spikes are small single partitions. No Scan anywhere.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InvalidInputError, StaleVersionError } from '#domain/errors';
import type { ChainHead } from '#domain/audit-chain';
import type { AuditEvent } from '#schemas/children';
import type { Change, Problem, Spike, Suggestion } from '#schemas/problems';
import type { Page, ProblemRecord, ProblemStore, SignalStore, SuggestionStore } from '#ports/problem-store';
import { queryAll, queryPage, type PageRequest } from './paged-query';
import { INDEX, keys } from './table-model';

/** Any cursor but a start key this list handed out (same partition, same filters). */
const invalidCursor = () => new InvalidInputError('cursor is not valid for this list', [{ field: 'query.cursor', message: 'pass the nextCursor of the previous page, with the same filters' }]);
const pageOf = (q: { limit: number; cursor?: string | undefined }, isStartKey: PageRequest['isStartKey']): PageRequest => ({ limit: q.limit, cursor: q.cursor, isStartKey, invalid: invalidCursor });

const conditionFailed = (err: unknown): boolean =>
  (err instanceof Error && err.name === 'ConditionalCheckFailedException') ||
  (err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict'));

export class DynamoProblemStore implements ProblemStore, SuggestionStore, SignalStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly opts: { tableName: string },
  ) {}

  private get table() {
    return this.opts.tableName;
  }

  // ---------- problems ----------

  private problemItem(p: Problem, head: ChainHead) {
    const listSk = keys.problemListSk(p.createdAt, p.id);
    return {
      ...keys.problem(p.id),
      problem: p,
      version: p.version,
      headSeq: head.seq,
      headHash: head.hash,
      [INDEX.openByDue.partitionKey.name]: keys.problemsAllPk,
      [INDEX.openByDue.sortKey.name]: listSk,
      [INDEX.byCustomer.partitionKey.name]: keys.problemsByStatusPk(p.status),
      [INDEX.byCustomer.sortKey.name]: listSk,
    };
  }

  private auditPuts(id: string, events: AuditEvent[]) {
    return events.map((e) => ({ Put: { TableName: this.table, Item: { ...keys.problemAudit(id, e.seq), ...e }, ConditionExpression: 'attribute_not_exists(PK)' } }));
  }

  async create(input: { problem: Problem; head: ChainHead; events: AuditEvent[] }): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: this.table, Item: this.problemItem(input.problem, input.head), ConditionExpression: 'attribute_not_exists(PK)' } }, ...this.auditPuts(input.problem.id, input.events)],
      }),
    );
  }

  async get(id: string): Promise<ProblemRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.problem(id), ConsistentRead: true }));
    if (!out.Item) return undefined;
    return { problem: out.Item.problem as Problem, head: { seq: Number(out.Item.headSeq), hash: String(out.Item.headHash) } };
  }

  async commit(input: { problem: Problem; expectedVersion: number; head: ChainHead; events: AuditEvent[] }): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: this.problemItem(input.problem, input.head),
                ConditionExpression: 'attribute_exists(PK) AND version = :expected',
                ExpressionAttributeValues: { ':expected': input.expectedVersion },
              },
            },
            ...this.auditPuts(input.problem.id, input.events),
          ],
        }),
      );
    } catch (err) {
      if (conditionFailed(err)) throw new StaleVersionError(`problem ${input.problem.id} changed concurrently`, { cause: err });
      throw err;
    }
  }

  async list(q: { status?: Problem['status']; limit: number; cursor?: string }): Promise<Page<Problem>> {
    const index = q.status ? INDEX.byCustomer : INDEX.openByDue;
    const pk = q.status ? keys.problemsByStatusPk(q.status) : keys.problemsAllPk;
    return queryPage(
      this.doc,
      {
        TableName: this.table,
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey.name },
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
      },
      pageOf(q, (k) => k[index.partitionKey.name] === pk && typeof k.PK === 'string' && k.PK.startsWith(keys.problemPk('')) && k.SK === keys.problem('').SK && Object.keys(k).length === 4),
      (i) => i.problem as Problem,
    );
  }

  async openProblems(): Promise<Problem[]> {
    return queryAll(
      this.doc,
      {
        TableName: this.table,
        IndexName: INDEX.byCustomer.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': INDEX.byCustomer.partitionKey.name },
        ExpressionAttributeValues: { ':pk': keys.problemsByStatusPk('open') },
      },
      (i) => i.problem as Problem,
    );
  }

  async auditEvents(id: string): Promise<AuditEvent[]> {
    return queryAll(
      this.doc,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.problemPk(id), ':prefix': keys.auditPrefix },
        ConsistentRead: true,
      },
      ({ PK: _pk, SK: _sk, ...e }) => e as AuditEvent,
    );
  }

  // ---------- suggestions ----------

  async putSuggestion(s: Suggestion, signature: string): Promise<boolean> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: { ...keys.suggestionMark(signature), suggestionId: s.id }, ConditionExpression: 'attribute_not_exists(PK)' } },
            { Put: { TableName: this.table, Item: { ...keys.suggestion(s.id), suggestion: s, status: s.status }, ConditionExpression: 'attribute_not_exists(PK)' } },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }

  async getSuggestion(id: string): Promise<Suggestion | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.suggestion(id), ConsistentRead: true }));
    return out.Item ? (out.Item.suggestion as Suggestion) : undefined;
  }

  async decide(after: Suggestion): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.suggestion(after.id), suggestion: after, status: after.status },
          ConditionExpression: 'attribute_exists(PK) AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending' },
        }),
      );
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }

  async listSuggestions(q: { status?: Suggestion['status']; limit: number; cursor?: string }): Promise<Page<Suggestion>> {
    return queryPage(
      this.doc,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ...(q.status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: { ':pk': keys.suggestionsPk, ':prefix': keys.suggestionPrefix, ...(q.status ? { ':status': q.status } : {}) },
        ScanIndexForward: false,
      },
      pageOf(q, (k) => k.PK === keys.suggestionsPk && typeof k.SK === 'string' && k.SK.startsWith(keys.suggestionPrefix) && Object.keys(k).length === 2),
      (i) => i.suggestion as Suggestion,
    );
  }

  // ---------- changes and spikes ----------

  async putChange(c: Change): Promise<{ change: Change; created: boolean }> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: { ...keys.changePointer(c.id), at: c.at }, ConditionExpression: 'attribute_not_exists(PK)' } },
            { Put: { TableName: this.table, Item: { ...keys.change(c.at, c.id), change: c }, ConditionExpression: 'attribute_not_exists(PK)' } },
          ],
        }),
      );
      return { change: c, created: true };
    } catch (err) {
      if (!conditionFailed(err)) throw err;
      const pointer = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.changePointer(c.id), ConsistentRead: true }));
      const at = typeof pointer.Item?.at === 'string' ? pointer.Item.at : c.at;
      const stored = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.change(at, c.id), ConsistentRead: true }));
      return { change: (stored.Item?.change as Change | undefined) ?? c, created: false };
    }
  }

  async changesBetween(from: string, to: string): Promise<Change[]> {
    const found = await queryAll(
      this.doc,
      {
        TableName: this.table,
        // `#` sorts below every id character, `~` above: the range holds every change whose instant is in [from, to).
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.changesPk, ':from': `${from}#`, ':to': `${to}#` },
      },
      (i) => i.change as Change,
    );
    return found.filter((c) => c.at >= from && c.at < to);
  }

  async hasSpike(day: string, dimension: string, value: string): Promise<boolean> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.spike(day, dimension, value), ConsistentRead: true, ProjectionExpression: 'PK' }));
    return out.Item !== undefined;
  }

  async putSpike(s: Spike): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...keys.spike(s.day, s.dimension, s.value), spike: s }, ConditionExpression: 'attribute_not_exists(PK)' }));
      return true;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }

  async listSpikes(q: { from: string; to: string; limit: number; cursor?: string }): Promise<Page<Spike>> {
    return queryPage(
      this.doc,
      { TableName: this.table, KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to', ExpressionAttributeValues: { ':pk': keys.spikesPk, ':from': `${q.from}#`, ':to': `${q.to}#~` } },
      pageOf(q, (k) => k.PK === keys.spikesPk && typeof k.SK === 'string' && Object.keys(k).length === 2),
      (i) => i.spike as Spike,
    );
  }
}
