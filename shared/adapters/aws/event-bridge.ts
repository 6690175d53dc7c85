// EventPublisher on an EventBridge bus: PutEvents in batches of 10, any failed entry fails the call (retried upstream).
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type DomainEvent } from '#domain/domain-events';
import type { EventPublisher } from '#ports/events';

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
            Detail: JSON.stringify({ id: e.id, caseId: e.caseId, occurredAt: e.occurredAt, ...e.detail }),
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
