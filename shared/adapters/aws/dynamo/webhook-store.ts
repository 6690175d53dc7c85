// WebhookStore on the cases table: subscriptions in one partition, deliveries under their subscription, a marker per
// (subscription, event) that makes the fan-out exactly-once, and a retry index sorted by due time. No Scan anywhere.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Delivery, Webhook } from '#schemas/webhooks';
import type { DueDelivery, StoredDelivery, StoredWebhook, WebhookStore } from '#ports/webhook-store';
import { InvalidInputError } from '#domain/errors';
import { queryAll, queryPage, type PageRequest } from './paged-query';
import { keys } from './table-model';

/** A page of one partition behind a base64url start-key cursor: only a key of that partition (PK and SK, nothing else) is one. */
const pageOf = (pk: string, limit: number, cursor: string | undefined): PageRequest => ({
  limit,
  cursor,
  encoding: 'base64url',
  isStartKey: (k) => k.PK === pk && typeof k.SK === 'string' && Object.keys(k).length === 2,
  invalid: () => new InvalidInputError('cursor is not valid for this list', [{ field: 'query.cursor', message: 'pass the nextCursor of the previous page' }]),
});

const isConditionFailure = (err: unknown): boolean =>
  err instanceof ConditionalCheckFailedException || (err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict'));

/**
 * Deliveries and their markers expire (the table's TTL) this long after they were created: the history stays readable
 * for a quarter, and a marker outlives by far the 4 days a bus event can wait on the queue, so no redelivery duplicates.
 */
export const DELIVERY_HISTORY_DAYS = 90;
const expiresAt = (createdAt: string): number => Math.floor(Date.parse(createdAt) / 1000) + DELIVERY_HISTORY_DAYS * 86_400;

const webhookOf = (item: Record<string, unknown>): Webhook => item.webhook as Webhook;
const deliveryOf = (item: Record<string, unknown>): Delivery => item.delivery as Delivery;

export class DynamoWebhookStore implements WebhookStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly opts: { tableName: string },
  ) {}

  private get table() {
    return this.opts.tableName;
  }

  async putWebhook(w: StoredWebhook): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { ...keys.webhook(w.webhook.id), webhook: w.webhook, secretCiphertext: w.secretCiphertext }, ConditionExpression: 'attribute_not_exists(PK)' }),
    );
  }

  async getWebhook(id: string): Promise<StoredWebhook | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.webhook(id), ConsistentRead: true }));
    return out.Item ? { webhook: webhookOf(out.Item), secretCiphertext: String(out.Item.secretCiphertext) } : undefined;
  }

  async listWebhooks(limit: number, cursor?: string): Promise<{ items: Webhook[]; nextCursor?: string }> {
    return queryPage(
      this.doc,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.webhooksPk, ':prefix': keys.webhookPrefix },
        ProjectionExpression: 'PK, SK, webhook',
        ScanIndexForward: false,
      },
      pageOf(keys.webhooksPk, limit, cursor),
      webhookOf,
    );
  }

  async activeWebhooks(): Promise<StoredWebhook[]> {
    return queryAll(
      this.doc,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        FilterExpression: 'webhook.#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': keys.webhooksPk, ':prefix': keys.webhookPrefix, ':active': 'active' },
      },
      (item) => ({ webhook: webhookOf(item), secretCiphertext: String(item.secretCiphertext) }),
    );
  }

  async markDeleted(id: string, by: string, at: string): Promise<Webhook | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.webhook(id),
          UpdateExpression: 'SET webhook.#status = :deleted, webhook.deletedAt = :at, webhook.deletedBy = :by',
          ConditionExpression: 'attribute_exists(PK) AND webhook.#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':deleted': 'deleted', ':active': 'active', ':at': at, ':by': by },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? webhookOf(out.Attributes) : undefined;
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  async createDelivery({ delivery: d, payload }: StoredDelivery): Promise<{ created: boolean; deliveryId: string }> {
    const mark = keys.webhookEventMark(d.webhookId, d.eventId);
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: { ...mark, deliveryId: d.id, expiresAt: expiresAt(d.createdAt) }, ConditionExpression: 'attribute_not_exists(PK)' } },
            { Put: { TableName: this.table, Item: { ...keys.webhookDelivery(d.webhookId, d.id), delivery: d, payload, attemptCount: 0, expiresAt: expiresAt(d.createdAt) }, ConditionExpression: 'attribute_not_exists(PK)' } },
            { Put: { TableName: this.table, Item: { ...keys.webhookDue(d.nextAttemptAt ?? d.createdAt, d.webhookId, d.id), webhookId: d.webhookId, deliveryId: d.id, dueAt: d.nextAttemptAt ?? d.createdAt } } },
          ],
        }),
      );
      return { created: true, deliveryId: d.id };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      // The event reached this subscription before (a redelivered or concurrent message): the marker names its delivery.
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: mark, ConsistentRead: true }));
      if (!out.Item) throw err;
      return { created: false, deliveryId: String(out.Item.deliveryId) };
    }
  }

  async getDelivery(webhookId: string, deliveryId: string): Promise<StoredDelivery | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.webhookDelivery(webhookId, deliveryId), ConsistentRead: true }));
    return out.Item ? { delivery: deliveryOf(out.Item), payload: String(out.Item.payload) } : undefined;
  }

  async listDeliveries(webhookId: string, limit: number, cursor?: string): Promise<{ items: Delivery[]; nextCursor?: string }> {
    const pk = keys.webhookDeliveryPk(webhookId);
    return queryPage(
      this.doc,
      {
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.webhookDeliveryPrefix },
        ProjectionExpression: 'PK, SK, delivery',
        ScanIndexForward: false,
      },
      pageOf(pk, limit, cursor),
      deliveryOf,
    );
  }

  async claim(webhookId: string, deliveryId: string, attemptsSoFar: number, now: string, leaseUntil: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.webhookDelivery(webhookId, deliveryId),
          UpdateExpression: 'SET leaseUntil = :lease',
          ConditionExpression: 'attemptCount = :n AND delivery.#status = :pending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':lease': leaseUntil, ':n': attemptsSoFar, ':pending': 'pending', ':now': now },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async saveOutcome(before: Delivery, after: Delivery): Promise<boolean> {
    const oldDue = before.nextAttemptAt ?? before.createdAt;
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.webhookDelivery(after.webhookId, after.id),
                UpdateExpression: 'SET delivery = :d, attemptCount = :count REMOVE leaseUntil',
                ConditionExpression: 'attemptCount = :n AND delivery.#status = :pending',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':d': after, ':count': after.attempts.length, ':n': before.attempts.length, ':pending': 'pending' },
              },
            },
            { Delete: { TableName: this.table, Key: keys.webhookDue(oldDue, before.webhookId, before.id) } },
            ...(after.status === 'pending' && after.nextAttemptAt
              ? [{ Put: { TableName: this.table, Item: { ...keys.webhookDue(after.nextAttemptAt, after.webhookId, after.id), webhookId: after.webhookId, deliveryId: after.id, dueAt: after.nextAttemptAt } } }]
              : []),
          ],
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async dueDeliveries(now: string, limit: number): Promise<DueDelivery[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        // `~` sorts after every character of an id: everything due at or before `now`.
        KeyConditionExpression: 'PK = :pk AND SK <= :until',
        ExpressionAttributeValues: { ':pk': keys.webhookDuePk, ':until': `${now}#~` },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => ({ webhookId: String(i.webhookId), deliveryId: String(i.deliveryId), dueAt: String(i.dueAt) }));
  }
}
