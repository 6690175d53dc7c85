// EventPublisher on an EventBridge bus: PutEvents in batches of 10, any failed entry fails the call (retried upstream).
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type DomainEvent } from '#domain/domain-events';
import type { EventPublisher } from '#ports/events';
import { EVENT_DETAIL, EVENT_SCHEMA_VERSION, PublishedEventType, type WebhookPayload } from '#schemas/events';

/** The `detail` an event has on the bus: its id, case and time, then its own detail. */
export const eventBridgeDetail = (e: DomainEvent): Record<string, unknown> => ({ id: e.id, caseId: e.caseId, occurredAt: e.occurredAt, ...e.detail });

/** What a rule target receives from the bus (the fields the webhook delivery reads). */
export interface BusEvent {
  source?: string;
  'detail-type'?: string;
  detail?: Record<string, unknown>;
}

/** The bus event of a domain event, as EventBridge hands it to a rule target (the local stack feeds the delivery function this). */
export const busEventOf = (e: DomainEvent): BusEvent => ({ source: EVENT_SOURCE, 'detail-type': e.type, detail: eventBridgeDetail(e) });

/** A published event from the bus as the body subscribers receive, validated against its schema; undefined for internal types. */
export const webhookPayloadOf = (e: BusEvent): WebhookPayload | undefined => {
  const type = PublishedEventType.safeParse(e['detail-type']);
  if (!type.success || e.source !== EVENT_SOURCE || !e.detail) return undefined;
  const { id: _busId, ...rest } = e.detail;
  const detail = EVENT_DETAIL[type.data].parse(rest);
  return { id: detail.eventId, type: type.data, schemaVersion: EVENT_SCHEMA_VERSION, occurredAt: detail.occurredAt, detail };
};

const BATCH = 10;

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: DomainEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH);
      const out = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: e.type,
            Time: new Date(e.occurredAt),
            Resources: [],
            Detail: JSON.stringify(eventBridgeDetail(e)),
          })),
        }),
      );
      if (out.FailedEntryCount) {
        const reasons = (out.Entries ?? []).filter((x) => x.ErrorCode).map((x) => `${x.ErrorCode}: ${x.ErrorMessage ?? ''}`);
        throw new Error(`EventBridge rejected ${out.FailedEntryCount} of ${batch.length} events (${reasons.join('; ')})`);
      }
    }
  }
}
