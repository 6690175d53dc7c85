// Where subscriptions and their deliveries live (the cases table in AWS and locally): every call is a GetItem, Query or conditional write.
import type { Delivery, Webhook } from '#schemas/webhooks';

export interface StoredWebhook {
  webhook: Webhook;
  /** The signing secret, encrypted by the SecretCipher (never stored or logged in the clear). */
  secretCiphertext: string;
}

export interface StoredDelivery {
  delivery: Delivery;
  /** The exact JSON body every attempt sends (and signs). */
  payload: string;
}

/** A delivery whose next attempt is due (the retry index). */
export interface DueDelivery {
  webhookId: string;
  deliveryId: string;
  dueAt: string;
}

export interface WebhookStore {
  putWebhook(w: StoredWebhook): Promise<void>;
  getWebhook(id: string): Promise<StoredWebhook | undefined>;
  listWebhooks(limit: number, cursor?: string): Promise<{ items: Webhook[]; nextCursor?: string }>;
  /** Every active subscription (few: an organisation's integrations), for the fan-out of one event. */
  activeWebhooks(): Promise<StoredWebhook[]>;
  /** Marks it deleted (kept, with its deliveries, for the record); false if it was not active. */
  markDeleted(id: string, by: string, at: string): Promise<Webhook | undefined>;
  /**
   * Records the delivery of one event to one subscription, due now, exactly once: a repeated or concurrent call for the
   * same event and subscription creates nothing and returns the id of the delivery that exists.
   */
  createDelivery(d: StoredDelivery): Promise<{ created: boolean; deliveryId: string }>;
  getDelivery(webhookId: string, deliveryId: string): Promise<StoredDelivery | undefined>;
  listDeliveries(webhookId: string, limit: number, cursor?: string): Promise<{ items: Delivery[]; nextCursor?: string }>;
  /** Takes the next attempt of a pending delivery for `leaseUntil` (one sender at a time); false if another holds it or it moved on. */
  claim(webhookId: string, deliveryId: string, attemptsSoFar: number, now: string, leaseUntil: string): Promise<boolean>;
  /** Stores the delivery after an attempt (or a cancellation) and moves its retry index entry, if `before` is still current. */
  saveOutcome(before: Delivery, after: Delivery): Promise<boolean>;
  /** Deliveries due at or before `now`, oldest first. */
  dueDeliveries(now: string, limit: number): Promise<DueDelivery[]>;
}
