// DigestLedger on the cases table: the digest head item, and the changed-cases index (GSI5v2, write-sharded by case,
// sorted by time) queried shard by shard from the previous digest's time. Its entries are audit events (each carries
// the index keys from the transaction that appended it, with its hash), and case items written before index
// generation 2 (still carrying the keys, projecting their head): a case's leaf is the newest head found.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DigestLeaf } from '#schemas/audit-digest';
import type { DigestHead, DigestLedger } from '#ports/audit-anchors';
import { INDEX, keys } from './table-model';
import { headHashOf } from './case-codec';

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
            if (!caseId) continue;
            const sk = String(item.SK);
            // An audit event: its seq is in its sort key (AUDIT#<seq>); a case item: its head.
            const leaf = sk.startsWith(keys.auditPrefix) ? { caseId, seq: Number(sk.slice(keys.auditPrefix.length)), hash: String(item.hash) } : { caseId, seq: Number(item.headSeq), hash: headHashOf(item.headHash) };
            if (leaf.seq > 0) leaves.push(leaf);
          }
        }
        return leaves;
      }),
    );
    // One leaf per case: its newest head (a case's events all sit in one shard; a case item not yet rewritten may add one).
    const newest = new Map<string, DigestLeaf>();
    for (const leaf of shards.flat()) {
      const seen = newest.get(leaf.caseId);
      if (!seen || leaf.seq > seen.seq) newest.set(leaf.caseId, leaf);
    }
    return [...newest.values()];
  }
}
