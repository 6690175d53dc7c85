// What the case stream drives: timers follow the case, and deadline audit events leave as domain events and
// notifications. The same code runs in the Lambda stream handler and in the local stream poller.
//
// Reliability: the case transaction records the intent (the planned timers on the case item; the audit event),
// the stream delivers it at least once, and every effect here is idempotent (upsert by deterministic name,
// delete of a missing schedule is success, events carry stable ids), so a crash anywhere loses no timer.
import type { AuditEvent } from '#schemas/children';
import type { CheckpointScheduler } from '#ports/checkpoint-scheduler';
import type { Clock } from '#ports/clock';
import type { EventPublisher } from '#ports/events';
import type { Notifier } from '#ports/notifier';
import { DOMAIN_EVENT_OF_ACTION, fromAuditEvent } from './domain-events';
import type { EventCaseFacts } from './event-details';
import { diffTimers, type Timer, type TimerMap } from './timers';

/** Runs every call at once and waits for all of them; then rejects with the first failure, if any. */
const settleAll = async (calls: (() => Promise<unknown>)[]): Promise<void> => {
  const failed = (await Promise.allSettled(calls.map((c) => c()))).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
};

export interface DeadlineControlDeps {
  scheduler: CheckpointScheduler;
  events: EventPublisher;
  notifier: Notifier;
  clock: Clock;
  /** Applies a timer now (the checkpoint handler's use case), for timers already due when planned. */
  fire: (t: Timer) => Promise<unknown>;
  /** The case facts a published event carries beyond its audit event (channel, externalRef); optional for tests. */
  caseFacts?: (caseId: string) => Promise<EventCaseFacts | undefined>;
}

export interface TimerSync {
  upserted: string[];
  removed: string[];
  firedNow: string[];
}

export class DeadlineControl {
  constructor(private readonly deps: DeadlineControlDeps) {}

  /** A case item changed: create, move or delete its schedules; fire the ones already due. */
  async caseChanged(before: TimerMap, after: TimerMap, changedAt: string): Promise<TimerSync> {
    const diff = diffTimers(before, after, changedAt);
    const out: TimerSync = { upserted: [], removed: [], firedNow: [] };
    const now = Date.parse(this.deps.clock.now());
    // Earliest first, so a case logged long after receipt reaches 50 % before 75 % before 90 % before breach.
    // A timer already due is applied here and now: a schedule cannot be set in the past.
    const ordered = [...diff.upsert].sort((a, b) => a.at.localeCompare(b.at));
    const due = ordered.filter((t) => Date.parse(t.at) <= now);
    const later = ordered.filter((t) => Date.parse(t.at) > now);
    for (const t of due) {
      await this.deps.fire(t);
      out.firedNow.push(t.name);
    }
    // Each schedule is its own resource and every call is idempotent (an upsert; a delete of what may be gone), so
    // they go out together; a failure fails the record once all have settled, and its redelivery repeats them.
    await settleAll([...later.map((t) => () => this.deps.scheduler.upsert(t)), ...diff.remove.map((name) => () => this.deps.scheduler.remove(name))]);
    out.upserted.push(...later.map((t) => t.name));
    out.removed.push(...diff.remove);
    return out;
  }

  /** A case was deleted (retention): none of its schedules may fire. */
  async caseRemoved(before: TimerMap): Promise<void> {
    await settleAll(Object.keys(before).map((name) => () => this.deps.scheduler.remove(name)));
  }

  /** An audit event was appended: deadline events go out on the bus and to the people concerned. */
  async auditAppended(caseId: string, event: AuditEvent): Promise<boolean> {
    // Only an event that is published reads its case (one GetItem): ordinary audit events cost nothing here.
    const facts = Object.hasOwn(DOMAIN_EVENT_OF_ACTION, event.action) ? await this.deps.caseFacts?.(caseId) : undefined;
    const out = fromAuditEvent(caseId, event, facts);
    if (!out) return false;
    await this.deps.events.publish([out.event]);
    await this.deps.notifier.notify(out.notifications);
    return true;
  }
}
