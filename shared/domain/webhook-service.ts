// Subscriber webhooks, use cases: subscribe (secret generated here, returned once, stored encrypted), list, delete,
// read deliveries; fan an event out to the subscriptions that want it (once per event and subscription), attempt
// each delivery under a lease, and retry due ones with backoff until delivered or dead-lettered.
import { randomBytes } from 'node:crypto';
import type { Principal } from './principal';
import { NotFoundError } from './errors';
import {
  afterAttempt,
  ATTEMPT_HEADER,
  checkWebhookUrl,
  DELIVERY_ID_HEADER,
  EVENT_TYPE_HEADER,
  signature,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type BackoffOptions,
  type UrlRules,
} from './webhooks';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { SecretCipher } from '#ports/secret-cipher';
import type { StoredDelivery, StoredWebhook, WebhookStore } from '#ports/webhook-store';
import type { WebhookSender } from '#ports/webhook-sender';
import type { WebhookPayload } from '#schemas/events';
import type { CreateWebhookBody, Delivery, Webhook } from '#schemas/webhooks';

export interface WebhookServiceDeps {
  store: WebhookStore;
  cipher: SecretCipher;
  sender: WebhookSender;
  clock: Clock;
  ids: IdGenerator;
  urlRules: UrlRules;
  maxAttempts: number;
  backoff: BackoffOptions;
  timeoutMs: number;
  /** How long one attempt holds its delivery: longer than the send timeout, so a crashed sender's attempt is retried. */
  leaseMs?: number;
  random?: () => number;
  /** Epoch ms for the signature timestamp (default Date.now): see attempt(). */
  wallClock?: () => number;
}

export interface FanOutResult {
  deliveries: number;
  delivered: number;
}

const secretContext = (webhookId: string) => ({ purpose: 'webhook-signing-secret', webhookId });

export class WebhookService {
  constructor(private readonly deps: WebhookServiceDeps) {}

  private get leaseMs() {
    return this.deps.leaseMs ?? Math.max(60_000, this.deps.timeoutMs * 3);
  }

  async subscribe(p: Principal, body: CreateWebhookBody): Promise<Webhook & { secret: string }> {
    const url = checkWebhookUrl(body.url, this.deps.urlRules);
    const id = this.deps.ids.next();
    // 256 bits from the CSPRNG; the prefix makes a leaked secret easy to recognise in scanners and logs.
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const webhook: Webhook = {
      id,
      url: url.toString(),
      eventTypes: body.eventTypes,
      ...(body.description ? { description: body.description } : {}),
      ...(body.externalRefSystem ? { externalRefSystem: body.externalRefSystem } : {}),
      status: 'active',
      createdBy: p.sub,
      createdAt: this.deps.clock.now(),
    };
    await this.deps.store.putWebhook({ webhook, secretCiphertext: await this.deps.cipher.encrypt(secret, secretContext(id)) });
    return { ...webhook, secret };
  }

  list(limit: number, cursor?: string) {
    return this.deps.store.listWebhooks(limit, cursor);
  }

  /** Stops future deliveries; the subscription and its delivery history stay readable. 404 if unknown or already deleted. */
  async remove(p: Principal, id: string): Promise<Webhook> {
    const deleted = await this.deps.store.markDeleted(id, p.sub, this.deps.clock.now());
    if (!deleted) throw new NotFoundError(`no active webhook ${id}`);
    return deleted;
  }

  async deliveries(id: string, limit: number, cursor?: string) {
    if (!(await this.deps.store.getWebhook(id))) throw new NotFoundError(`no webhook ${id}`);
    return this.deps.store.listDeliveries(id, limit, cursor);
  }

  /** One published event: a delivery per matching active subscription (never two for one event), each attempted now. */
  async fanOut(event: WebhookPayload): Promise<FanOutResult> {
    const now = this.deps.clock.now();
    const externalSystem = (event.detail.externalRef as { system?: string } | null | undefined)?.system;
    const targets = (await this.deps.store.activeWebhooks()).filter(
      ({ webhook: w }) => w.eventTypes.includes(event.type) && (!w.externalRefSystem || w.externalRefSystem === externalSystem),
    );
    const payload = JSON.stringify(event);
    const out: FanOutResult = { deliveries: 0, delivered: 0 };
    for (const target of targets) {
      const delivery: Delivery = {
        id: this.deps.ids.next(),
        webhookId: target.webhook.id,
        eventId: event.id,
        eventType: event.type,
        caseId: typeof event.detail.caseId === 'string' ? event.detail.caseId : '',
        status: 'pending',
        attempts: [],
        maxAttempts: this.deps.maxAttempts,
        nextAttemptAt: now,
        createdAt: now,
      };
      const { deliveryId } = await this.deps.store.createDelivery({ delivery, payload });
      out.deliveries++;
      const stored = await this.deps.store.getDelivery(target.webhook.id, deliveryId);
      if (stored && (await this.attempt(target, stored)) === 'delivered') out.delivered++;
    }
    return out;
  }

  /** Attempts every delivery due now (the retry sweep); a deleted subscription's pending deliveries are cancelled instead. */
  async retryDue(limit = 100): Promise<{ attempted: number; delivered: number; deadLettered: number; cancelled: number }> {
    const now = this.deps.clock.now();
    const due = await this.deps.store.dueDeliveries(now, limit);
    const out = { attempted: 0, delivered: 0, deadLettered: 0, cancelled: 0 };
    const webhooks = new Map<string, StoredWebhook | undefined>();
    for (const d of due) {
      if (!webhooks.has(d.webhookId)) webhooks.set(d.webhookId, await this.deps.store.getWebhook(d.webhookId));
      const target = webhooks.get(d.webhookId);
      const stored = await this.deps.store.getDelivery(d.webhookId, d.deliveryId);
      if (!stored || stored.delivery.status !== 'pending') continue;
      if (!target || target.webhook.status !== 'active') {
        if (await this.deps.store.saveOutcome(stored.delivery, { ...stored.delivery, status: 'cancelled', nextAttemptAt: null })) out.cancelled++;
        continue;
      }
      const result = await this.attempt(target, stored);
      if (result === 'skipped') continue;
      out.attempted++;
      if (result === 'delivered') out.delivered++;
      if (result === 'dead_lettered') out.deadLettered++;
    }
    return out;
  }

  /** One attempt, if this sender wins the lease and the attempt is due; its outcome is stored whatever the receiver did. */
  private async attempt(target: StoredWebhook, stored: StoredDelivery): Promise<Delivery['status'] | 'skipped'> {
    const d = stored.delivery;
    const now = this.deps.clock.now();
    if (d.status !== 'pending' || !d.nextAttemptAt || d.nextAttemptAt > now) return 'skipped';
    const lease = new Date(Date.parse(now) + this.leaseMs).toISOString();
    if (!(await this.deps.store.claim(d.webhookId, d.id, d.attempts.length, now, lease))) return 'skipped';
    const secret = await this.deps.cipher.decrypt(target.secretCiphertext, secretContext(target.webhook.id));
    // The signed timestamp is real time, not the Clock: receivers check it against their own clocks (replay window),
    // and under npm start the Clock may have been moved days ahead. In AWS the two are the same.
    const timestamp = Math.floor((this.deps.wallClock ?? Date.now)() / 1000);
    const result = await this.deps.sender.send({
      url: target.webhook.url,
      body: stored.payload,
      timeoutMs: this.deps.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'complaints-webhooks/1',
        [DELIVERY_ID_HEADER]: d.id,
        [EVENT_TYPE_HEADER]: d.eventType,
        [ATTEMPT_HEADER]: String(d.attempts.length + 1),
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signature(secret, timestamp, stored.payload),
      },
    });
    const after = afterAttempt(d, result, this.deps.clock.now(), this.deps.backoff, (this.deps.random ?? Math.random)());
    return (await this.deps.store.saveOutcome(d, after)) ? after.status : 'skipped';
  }
}
