// Subscriber webhooks: the subscription request, the subscription and delivery views, and list queries (admin routes).
import * as z from 'zod';
import { DEFAULT_WEBHOOK_MAX_ATTEMPTS } from './constants';
import { Cursor, IsoTimestamp, ListLimit, Text, Ulid, pageOf } from './common';
import { PublishedEventType } from './events';

/** Delivery attempts before a delivery is dead-lettered (WEBHOOK_MAX_ATTEMPTS may set 1–20). */
export { DEFAULT_WEBHOOK_MAX_ATTEMPTS };

export const CreateWebhookBody = /* @__PURE__ */ z
  .object({
    url: /* @__PURE__ */ z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .meta({ description: 'https only when deployed; http://127.0.0.1 (loopback) is accepted in local mode only' }),
    eventTypes: /* @__PURE__ */ z
      .array(PublishedEventType)
      .min(1)
      .max(20)
      .refine((types) => new Set(types).size === types.length, 'must not repeat an event type')
      .meta({ description: 'The published event types to deliver' }),
    description: /* @__PURE__ */ Text(500).optional(),
    externalRefSystem: /* @__PURE__ */ z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[\w.-]+$/, 'must be a system name')
      .optional()
      .meta({ description: 'Deliver only events of cases whose externalRef.system is this (helpdesk sync-back, e.g. "zendesk")' }),
  })
  .strict()
  .meta({ id: 'CreateWebhook' });
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const WebhookStatus = /* @__PURE__ */ z.enum(['active', 'deleted']);

export const Webhook = /* @__PURE__ */ z
  .object({
    id: Ulid,
    url: /* @__PURE__ */ z.string(),
    eventTypes: /* @__PURE__ */ z.array(PublishedEventType),
    description: /* @__PURE__ */ z.string().optional(),
    externalRefSystem: /* @__PURE__ */ z.string().optional(),
    status: WebhookStatus,
    createdBy: /* @__PURE__ */ z.string(),
    createdAt: IsoTimestamp,
    deletedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    deletedBy: /* @__PURE__ */ z.string().optional(),
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof Webhook>;

export const CreatedWebhook = /* @__PURE__ */ Webhook.extend({
  secret: /* @__PURE__ */ z.string().meta({ description: 'The signing secret (whsec_…), returned only in this response: store it now' }),
}).meta({ id: 'CreatedWebhook' });

export const WebhookPage = /* @__PURE__ */ pageOf(Webhook, 'WebhookPage');

export const WebhookParams = /* @__PURE__ */ z.object({ id: Ulid }).strict();

export const WebhookListQuery = /* @__PURE__ */ z.object({ limit: ListLimit, cursor: /* @__PURE__ */ Cursor.optional() }).strict();

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead_lettered', 'cancelled'] as const;
export const DeliveryStatus = /* @__PURE__ */ z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** Why an attempt failed, as a class (never the receiver's body beyond a short sanitised excerpt). */
export const ERROR_CLASSES = ['http_status', 'timeout', 'connection_refused', 'dns', 'blocked_address', 'tls', 'redirect', 'network'] as const;
export const DeliveryErrorClass = /* @__PURE__ */ z.enum(ERROR_CLASSES);
export type DeliveryErrorClass = z.infer<typeof DeliveryErrorClass>;

export const DeliveryAttempt = /* @__PURE__ */ z
  .object({
    attempt: /* @__PURE__ */ z.number().int().min(1),
    at: IsoTimestamp,
    statusCode: /* @__PURE__ */ z.number().int().nullable(),
    latencyMs: /* @__PURE__ */ z.number().int().min(0),
    ok: /* @__PURE__ */ z.boolean(),
    errorClass: /* @__PURE__ */ DeliveryErrorClass.nullable(),
    excerpt: /* @__PURE__ */ z.string().max(200).optional().meta({ description: 'First characters of the response body, control characters removed' }),
  })
  .meta({ id: 'DeliveryAttempt' });
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const Delivery = /* @__PURE__ */ z
  .object({
    id: Ulid,
    webhookId: Ulid,
    eventId: /* @__PURE__ */ z.string(),
    eventType: PublishedEventType,
    caseId: /* @__PURE__ */ z.string(),
    status: DeliveryStatus,
    attempts: /* @__PURE__ */ z.array(DeliveryAttempt),
    maxAttempts: /* @__PURE__ */ z.number().int().min(1),
    nextAttemptAt: /* @__PURE__ */ IsoTimestamp.nullable().meta({ description: 'When the next attempt is due (null once delivered, dead-lettered or cancelled)' }),
    createdAt: IsoTimestamp,
    deliveredAt: /* @__PURE__ */ IsoTimestamp.optional(),
    deadLetteredAt: /* @__PURE__ */ IsoTimestamp.optional().meta({ description: 'The dead-letter record: every attempt failed' }),
  })
  .meta({ id: 'WebhookDelivery' });
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryPage = /* @__PURE__ */ pageOf(Delivery, 'WebhookDeliveryPage');
