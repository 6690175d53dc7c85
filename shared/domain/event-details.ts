// The published detail of a domain event (pure): picks the identifiers and facts of its audit event, adds the case
// facts subscribers route on (externalRef for helpdesk sync-back) and validates the result against its versioned schema.
import type { AuditEvent } from '#schemas/children';
import type { Case } from '#schemas/complaint';
import { EVENT_DETAIL, EVENT_SCHEMA_VERSION, PUBLISHED_EVENT_TYPES, type EventDetail, type PublishedEventType } from '#schemas/events';

/** What a published event says about its case besides the audit event: read from the case item when published. */
export interface EventCaseFacts {
  reference: string;
  regime: string;
  channel: Case['channel'] | null;
  externalRef: { system: string; id: string } | null;
  ownerId: string | null;
  team: string | null;
}

export const caseFactsOf = (c: Pick<Case, 'reference' | 'regime' | 'channel' | 'externalRef' | 'ownerId' | 'team'>): EventCaseFacts => ({
  reference: c.reference,
  regime: c.regime,
  channel: c.channel,
  externalRef: c.externalRef ? { system: c.externalRef.system, id: c.externalRef.id } : null,
  ownerId: c.ownerId,
  team: c.team ?? null,
});

export const isPublishedType = (type: string): type is PublishedEventType => (PUBLISHED_EVENT_TYPES as readonly string[]).includes(type);

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/** The type-specific fields: only facts, never the free text the audit event also holds (reason, comment, text). */
const specific = (type: PublishedEventType, e: AuditEvent): Record<string, unknown> => {
  const d = e.data;
  switch (type) {
    case 'ComplaintOpened':
      return { status: 'open', receivedAt: d.receivedAt, finalResponseDueAt: d.finalResponseDueAt, category: d.category, sensitivity: d.sensitivity };
    case 'OwnerChanged':
      return { fromOwnerId: d.from, toOwnerId: d.to, handoffCount: d.handoffCount };
    case 'CheckpointReached':
      return { cycle: d.cycle, percent: d.percent, at: d.at, finalResponseDueAt: d.finalResponseDueAt, risk: d.risk };
    case 'DeadlineBreached':
      return { cycle: d.cycle, finalResponseDueAt: d.finalResponseDueAt, risk: d.risk };
    case 'Escalated':
      return { escalationId: d.escalationId, level: d.level, role: d.role, ackDueAt: str(d.ackDueAt) };
    case 'ApprovalRequested':
      return { approvalId: d.approvalId, resolutionId: d.resolutionId, stage: d.stage, role: d.role, dueAt: str(d.dueAt) };
    case 'ApprovalDecided': {
      const outcome = e.action === 'approval.approved' ? 'approved' : e.action === 'approval.rejected' ? 'rejected' : 'expired';
      return { approvalId: d.approvalId, resolutionId: d.resolutionId, stage: d.stage, role: d.role, outcome, decidedBy: outcome === 'expired' ? null : e.actor };
    }
    case 'FinalResponseSent': {
      const compensation = obj(d.remedy).compensation;
      return {
        status: 'resolved',
        resolutionId: d.resolutionId,
        decision: d.decision,
        compensation: compensation ?? null,
        responseChannel: d.channel,
        finalResponseDueAt: d.finalResponseDueAt,
        withinDeadline: d.withinDeadline,
      };
    }
    case 'ComplaintClosed':
      return { status: 'closed', rootCauseCategory: str(obj(d.rootCause).category), respondedWithinDeadline: d.respondedWithinDeadline, retainUntil: str(d.retainUntil) };
    case 'ComplaintReopened':
      return { status: 'open', cycle: d.cycle, reopenCount: d.reopenCount, finalResponseDueAt: d.finalResponseDueAt };
  }
};

/**
 * The validated detail of a published event. Case facts the audit event carries itself (reference, owner, team,
 * regime: written in the same transaction) win over `facts`, which are read after the commit; `facts` supplies what
 * only the case holds (channel, externalRef). Throws if the result does not match the schema: a programming error
 * that the stream retries and dead-letters rather than publishing an event that breaks its contract.
 */
export const publishedDetail = <T extends PublishedEventType>(type: T, caseId: string, e: AuditEvent, facts: EventCaseFacts | undefined): EventDetail<T> => {
  const d = e.data;
  const owner = type === 'OwnerChanged' ? str(d.to) : (str(d.ownerId) ?? facts?.ownerId ?? null);
  const candidate = {
    schemaVersion: EVENT_SCHEMA_VERSION,
    eventId: `${caseId}:${e.seq}`,
    caseId,
    reference: str(d.reference) ?? facts?.reference ?? caseId,
    occurredAt: e.at,
    auditSeq: e.seq,
    auditHash: e.hash,
    regime: str(d.regime) ?? facts?.regime ?? 'unknown',
    channel: facts?.channel ?? (type === 'ComplaintOpened' ? (str(d.channel) as Case['channel']) : null),
    externalRef: facts?.externalRef ?? (type === 'ComplaintOpened' && d.externalRef ? (d.externalRef as EventCaseFacts['externalRef']) : null),
    ownerId: owner,
    team: d.team !== undefined ? str(d.team) : (facts?.team ?? null),
    ...specific(type, e),
  };
  return EVENT_DETAIL[type].parse(candidate) as EventDetail<T>;
};
