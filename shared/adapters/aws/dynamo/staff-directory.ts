// StaffDirectory on the cases table: one profile item per person; open cases counted on the owner-by-due index.
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Case } from '#schemas/complaint';
import type { StaffProfile } from '#schemas/staff';
import type { StaffDirectory } from '#ports/staff-directory';
import { StaleVersionError } from '#domain/errors';
import { queryAll } from './paged-query';
import { INDEX, keys } from './table-model';
import { caseOfItem } from './case-codec';

const BATCH = 100;

export class DynamoStaffDirectory implements StaffDirectory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    /** ownerShards: partitions of each owner's group in the owner index (OWNER_SHARDS; default 1). */
    private readonly opts: { tableName: string; ownerShards?: number },
  ) {}

  async get(staffId: string): Promise<StaffProfile | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: keys.staff(staffId), ConsistentRead: true }));
    return out.Item ? (out.Item.profile as StaffProfile) : undefined;
  }

  async many(staffIds: readonly string[]): Promise<Map<string, StaffProfile>> {
    const out = new Map<string, StaffProfile>();
    const unique = [...new Set(staffIds)];
    for (let i = 0; i < unique.length; i += BATCH) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [this.opts.tableName]: { Keys: unique.slice(i, i + BATCH).map((id) => keys.staff(id)) } };
      while (request && Object.keys(request).length) {
        const res = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of res.Responses?.[this.opts.tableName] ?? []) {
          const p = item.profile as StaffProfile;
          out.set(p.staffId, p);
        }
        request = res.UnprocessedKeys as typeof request;
      }
    }
    return out;
  }

  async put(profile: StaffProfile, expectedVersion: number): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.opts.tableName,
          Item: { ...keys.staff(profile.staffId), entity: 'staff', version: profile.version, profile },
          ...(expectedVersion === 0 ? { ConditionExpression: 'attribute_not_exists(PK)' } : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new StaleVersionError(`the availability of ${profile.staffId} changed meanwhile`, { cause: err });
      throw err;
    }
  }

  async openCaseCount(ownerId: string, atMost: number): Promise<number> {
    // The owner's shards one by one, stopping once the answer is known to be at least atMost.
    let n = 0;
    for (const pk of keys.ownerPks(ownerId, 'active', this.opts.ownerShards ?? 1)) {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await this.doc.send(
          new QueryCommand({
            TableName: this.opts.tableName,
            IndexName: INDEX.byOwnerDue.indexName,
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            Select: 'COUNT',
            Limit: atMost - n,
            ExclusiveStartKey: start,
          }),
        );
        n += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start && n < atMost);
      if (n >= atMost) return n;
    }
    return n;
  }

  async ownedDueBetween(ownerId: string, from: string, to: string): Promise<Case[]> {
    const items: { sk: string; c: Case }[] = [];
    for (const pk of keys.ownerPks(ownerId, 'active', this.opts.ownerShards ?? 1)) {
      const input = {
        TableName: this.opts.tableName,
        IndexName: INDEX.byOwnerDue.indexName,
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': `${to}~` },
      };
      items.push(...(await queryAll(this.doc, input, (i) => ({ sk: String(i.GSI1SK), c: caseOfItem(i) }))));
    }
    // Merged by due date across the owner's shards, as one partition would have returned them.
    return items.sort((a, b) => a.sk.localeCompare(b.sk)).map((i) => i.c);
  }
}
