// The embedded stack's event bus and notifier: what would go to EventBridge and SNS is kept in memory (the
// latest entries) and logged, so `npm start` shows it and tests can assert on it. Never deployed.
import type { DomainEvent, Notification } from '#domain/domain-events';
import type { EventPublisher } from '#ports/events';
import type { Notifier } from '#ports/notifier';
import { atLocalBoundary } from './local-boundary';

const KEEP = 5_000;

export class LocalOutbox implements EventPublisher, Notifier {
  readonly events: DomainEvent[] = [];
  readonly notifications: Notification[] = [];
  private readonly listeners = new Set<(line: string) => void>();
  /** What a rule on the bus would deliver: the local stack routes published events to the webhook delivery from here. */
  private readonly subscribers = new Set<(events: DomainEvent[]) => void>();

  onPublish(fn: (events: DomainEvent[]) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  onLog(fn: (line: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private log(line: string) {
    for (const fn of this.listeners) fn(line);
  }

  publish(events: DomainEvent[]): Promise<void> {
    // Where PutEvents would be called (fault injection raises EventBridge's errors here, local mode only).
    try {
      atLocalBoundary('eventbridge', 'PutEvents');
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    for (const e of events) {
      this.events.push(e);
      this.log(`event ${e.type} ${e.caseId} (${e.id})`);
    }
    this.events.splice(0, Math.max(0, this.events.length - KEEP));
    for (const fn of this.subscribers) fn(events);
    return Promise.resolve();
  }

  notify(notifications: Notification[]): Promise<void> {
    try {
      atLocalBoundary('sns', 'Publish');
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    for (const n of notifications) {
      this.notifications.push(n);
      const to = n.to.kind === 'user' ? n.to.userId : n.to.kind === 'customer' ? `customer ${n.to.customerId}` : `${n.to.role}s of ${n.to.team ?? 'every team'}`;
      this.log(`notify ${to}: ${n.subject}`);
    }
    this.notifications.splice(0, Math.max(0, this.notifications.length - KEEP));
    return Promise.resolve();
  }

  clear(): void {
    this.events.length = 0;
    this.notifications.length = 0;
  }
}

/** One per process, like the local clock: the in-process handlers write it, the local stack and tests read it. */
export const localOutbox = new LocalOutbox();
