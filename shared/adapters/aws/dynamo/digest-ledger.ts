// DigestLedger on the cases table: the digest head item, and the changed-cases index (GSI5, write-sharded, sorted by
// the case item's update time, projecting the audit head) queried shard by shard from the previous digest's time.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DigestLeaf } from '#schemas/audit-digest';
import type { DigestHead, DigestLedger } from '#ports/audit-anchors';
import { INDEX, keys } from './table-model';

export class DynamoDigestLedger implements DigestLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly opts: { tableName: string; listShards: number },
  ) {}

  async head(): Promise<DigestHead | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: keys.digestHead, ConsistentRead: true }));
    if (!out.Item) return undefined;
    return { number: Number(out.Item.number), hash: String(out.Item.hash), digestId: String(out.Item.digestId), at: String(out.Item.at) };
  }

  async advance(expectedNumber: number, next: DigestHead): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.opts.tableName,
          Item: { ...keys.digestHead, entity: 'digestHead', ...next },
          ...(expectedNumber === 0
            ? { ConditionExpression: 'attribute_not_exists(PK) OR #n = :zero', ExpressionAttributeNames: { '#n': 'number' }, ExpressionAttributeValues: { ':zero': 0 } }
            : { ConditionExpression: '#n = :expected', ExpressionAttributeNames: { '#n': 'number' }, ExpressionAttributeValues: { ':expected': expectedNumber } }),
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async changedCases(since: string | null): Promise<DigestLeaf[]> {
    const index = INDEX.changedSince;
    const shards = await Promise.all(
      Array.from({ length: this.opts.listShards }, async (_, shard) => {
        const input: QueryCommandInput = {
          TableName: this.opts.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: since === null ? '#pk = :pk' : '#pk = :pk AND #sk >= :since',
          ExpressionAttributeNames: { '#pk': index.partitionKey.name, ...(since === null ? {} : { '#sk': index.sortKey.name }) },
          ExpressionAttributeValues: { ':pk': keys.changedPk(shard), ...(since === null ? {} : { ':since': since }) },
        };
        const leaves: DigestLeaf[] = [];
        for await (const page of paginateQuery({ client: this.doc }, input)) {
          for (const item of page.Items ?? []) {
            const caseId = keys.caseIdOf(String(item.PK));
            const seq = Number(item.headSeq);
            if (caseId && seq > 0) leaves.push({ caseId, seq, hash: String(item.headHash) });
          }
        }
        return leaves;
      }),
    );
    return shards.flat();
  }
}
