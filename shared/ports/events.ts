// Domain events leave through this port: the EventBridge bus in AWS, the embedded event log locally.
import type { DomainEvent } from '#domain/domain-events';

export interface EventPublisher {
  /** Publishes every event or throws (the caller is retried; consumers de-duplicate on `id`). */
  publish(events: DomainEvent[]): Promise<void>;
}
