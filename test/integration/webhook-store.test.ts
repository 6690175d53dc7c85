// The webhook store against DynamoDB Local: a repeated or concurrent fan-out of one event creates one delivery per
// subscription; only one sender claims an attempt; the retry index follows the delivery; cursors page and are checked.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DELIVERY_HISTORY_DAYS, DynamoWebhookStore } from '#adapters/aws/dynamo/webhook-store';
import { keys } from '#adapters/aws/dynamo/table-model';
import type { Delivery, Webhook } from '#schemas/webhooks';
import { InvalidInputError } from '#domain/errors';
import { createTestTables, rawDocClient } from '../support/dynamo';

let store: DynamoWebhookStore;
let tableName = '';
const T0 = '2026-03-02T09:00:00.000Z';
const webhook = (id: string): Webhook => ({ id, url: 'https://hooks.example.com/x', eventTypes: ['ComplaintClosed'], status: 'active', createdBy: 'ada', createdAt: T0 });
const delivery = (id: string, over: Partial<Delivery> = {}): Delivery => ({
  id,
  webhookId: '01JWEBHOOK0000000000000000',
  eventId: 'CASE:7',
  eventType: 'ComplaintClosed',
  caseId: 'CASE',
  status: 'pending',
  attempts: [],
  maxAttempts: 3,
  nextAttemptAt: T0,
  createdAt: T0,
  ...over,
});

beforeAll(async () => {
  const tables = await createTestTables();
  tableName = tables.cases;
  store = new DynamoWebhookStore(rawDocClient(), { tableName: tables.cases });
});

describe('DynamoWebhookStore', () => {
  it('50 concurrent fan-outs of one event to one subscription create exactly one delivery and one retry entry', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `01JDELIVERY${String(i).padStart(15, '0')}`);
    const results = await Promise.all(ids.map((id) => store.createDelivery({ delivery: delivery(id), payload: '{}' })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)!.deliveryId;
    expect(new Set(results.map((r) => r.deliveryId))).toEqual(new Set([winner]));
    expect((await store.listDeliveries('01JWEBHOOK0000000000000000', 100)).items.map((d) => d.id)).toEqual([winner]);
    expect(await store.dueDeliveries(T0, 100)).toEqual([{ webhookId: '01JWEBHOOK0000000000000000', deliveryId: winner, dueAt: T0 }]);
    // The history expires through the table's TTL, 90 days after the delivery was created.
    const item = await rawDocClient().send(new GetCommand({ TableName: tableName, Key: keys.webhookDelivery('01JWEBHOOK0000000000000000', winner) }));
    expect(item.Item?.expiresAt).toBe(Date.parse(T0) / 1000 + DELIVERY_HISTORY_DAYS * 86_400);
  });

  it('one claim per attempt; the outcome moves the retry entry, a stale outcome is refused', async () => {
    const [due] = await store.dueDeliveries(T0, 1);
    const d = (await store.getDelivery('01JWEBHOOK0000000000000000', due!.deliveryId))!.delivery;
    const claims = await Promise.all([1, 2, 3].map(() => store.claim(d.webhookId, d.id, 0, T0, '2026-03-02T09:01:00.000Z')));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const next = { ...d, attempts: [{ attempt: 1, at: T0, statusCode: 500, latencyMs: 4, ok: false, errorClass: 'http_status' as const }], nextAttemptAt: '2026-03-02T09:00:45.000Z' };
    expect(await store.saveOutcome(d, next)).toBe(true);
    expect(await store.saveOutcome(d, next)).toBe(false);
    expect(await store.dueDeliveries(T0, 10)).toEqual([]);
    expect(await store.dueDeliveries('2026-03-02T09:00:45.000Z', 10)).toEqual([{ webhookId: d.webhookId, deliveryId: d.id, dueAt: '2026-03-02T09:00:45.000Z' }]);
    const done = { ...next, status: 'delivered' as const, nextAttemptAt: null, attempts: [...next.attempts, { ...next.attempts[0]!, attempt: 2, statusCode: 200, ok: true, errorClass: null }] };
    expect(await store.claim(d.webhookId, d.id, 1, '2026-03-02T09:00:45.000Z', '2026-03-02T09:01:45.000Z')).toBe(true);
    expect(await store.saveOutcome(next, done)).toBe(true);
    expect(await store.dueDeliveries('2026-03-03T00:00:00.000Z', 10)).toEqual([]);
  });

  it('lists subscriptions newest first with a checked cursor; deleting twice finds nothing the second time', async () => {
    for (const id of ['01JWH00000000000000000000A', '01JWH00000000000000000000B', '01JWH00000000000000000000C']) await store.putWebhook({ webhook: webhook(id), secretCiphertext: 'c' });
    const first = await store.listWebhooks(2);
    expect(first.items.map((w) => w.id)).toEqual(['01JWH00000000000000000000C', '01JWH00000000000000000000B']);
    const second = await store.listWebhooks(2, first.nextCursor);
    expect(second.items.map((w) => w.id)).toEqual(['01JWH00000000000000000000A']);
    await expect(store.listWebhooks(2, Buffer.from(JSON.stringify({ PK: 'CASE#x', SK: 'CASE' })).toString('base64url'))).rejects.toBeInstanceOf(InvalidInputError);
    expect(await store.markDeleted('01JWH00000000000000000000B', 'ada', T0)).toMatchObject({ status: 'deleted', deletedBy: 'ada' });
    expect(await store.markDeleted('01JWH00000000000000000000B', 'ada', T0)).toBeUndefined();
    expect((await store.activeWebhooks()).map((w) => w.webhook.id).sort()).toEqual(['01JWH00000000000000000000A', '01JWH00000000000000000000C']);
  });
});
