// InboundLog on the case table: one item per refused inbound message under its UTC day (a Query reads a day).
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InboundRejection } from '#schemas/channels';
import type { InboundLog } from '#ports/inbound-log';
import { keys } from './table-model';

export class DynamoInboundLog implements InboundLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async recordRejection(r: InboundRejection): Promise<void> {
    // The id is new per attempt; a redelivered message that is refused again is recorded again (each refusal happened).
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { PK: keys.inboundRejectedPk(r.receivedAt.slice(0, 10)), SK: `${r.receivedAt}#${r.id}`, entity: 'inboundRejection', rejection: r } }));
  }

  async rejections(day: string): Promise<InboundRejection[]> {
    const items: InboundRejection[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({ TableName: this.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.inboundRejectedPk(day) }, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      for (const it of out.Items ?? []) items.push(InboundRejection.parse(it.rejection));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
