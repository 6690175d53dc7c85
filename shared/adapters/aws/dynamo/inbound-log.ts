// InboundLog on the case table: one item per refused inbound message under its UTC day (a Query reads a day), and a
// pointer by id (the replay route finds a rejection by GetItem); a replay is recorded on the day item, once.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InboundRejection, type InboundReplay } from '#schemas/channels';
import type { InboundLog } from '#ports/inbound-log';
import { InvalidInputError } from '#domain/errors';
import { keys } from './table-model';

const dayKey = (r: Pick<InboundRejection, 'receivedAt' | 'id'>) => ({ PK: keys.inboundRejectedPk(r.receivedAt.slice(0, 10)), SK: `${r.receivedAt}#${r.id}` });

export class DynamoInboundLog implements InboundLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async recordRejection(r: InboundRejection): Promise<void> {
    // The id is new per attempt; a redelivered message that is refused again is recorded again (each refusal happened).
    const day = dayKey(r);
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.table, Item: { ...day, entity: 'inboundRejection', rejection: r }, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Put: { TableName: this.table, Item: { ...keys.inboundRejectionPointer(r.id), entity: 'inboundRejectionPointer', dayPk: day.PK, daySk: day.SK }, ConditionExpression: 'attribute_not_exists(PK)' } },
        ],
      }),
    );
  }

  async rejections(day: string, limit: number, after?: string): Promise<{ items: InboundRejection[]; next?: string }> {
    const pk = keys.inboundRejectedPk(day);
    // The sort key is `<receivedAt>#<id>` of that day: anything else was not a position of this day's list.
    if (after !== undefined && (!after.startsWith(day) || after.length > 128)) {
      throw new InvalidInputError('cursor is not valid for this list', [{ field: 'query.cursor', message: 'pass the nextCursor of the previous page' }]);
    }
    // limit + 1: `next` only when another item follows.
    const out = await this.doc.send(
      new QueryCommand({ TableName: this.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk }, Limit: limit + 1, ...(after !== undefined ? { ExclusiveStartKey: { PK: pk, SK: after } } : {}) }),
    );
    const raw = out.Items ?? [];
    const page = raw.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map((it) => InboundRejection.parse(it.rejection)), ...(raw.length > limit && last ? { next: String(last.SK) } : {}) };
  }

  async rejection(id: string): Promise<InboundRejection | undefined> {
    const pointer = (await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.inboundRejectionPointer(id), ConsistentRead: true }))).Item;
    if (typeof pointer?.dayPk !== 'string' || typeof pointer.daySk !== 'string') return undefined;
    const item = (await this.doc.send(new GetCommand({ TableName: this.table, Key: { PK: pointer.dayPk, SK: pointer.daySk }, ConsistentRead: true }))).Item;
    return item ? InboundRejection.parse(item.rejection) : undefined;
  }

  async markReplayed(r: InboundRejection, replay: InboundReplay): Promise<InboundRejection> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: dayKey(r),
          UpdateExpression: 'SET #r.#replay = :replay',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#r.#replay)',
          ExpressionAttributeNames: { '#r': 'rejection', '#replay': 'replay' },
          ExpressionAttributeValues: { ':replay': replay },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return InboundRejection.parse(out.Attributes?.rejection);
    } catch (err) {
      // A concurrent replay recorded first: its record stands (the intake de-duplicated both onto one case).
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const stored = await this.rejection(r.id);
      if (!stored) throw err;
      return stored;
    }
  }
}
