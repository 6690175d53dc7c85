// Domain events and notifications derived from audit events. The audit event is written in the case
// transaction; the stream handler turns it into these (a transactional outbox), so an event is published if
// and only if the change happened, and a repeated timer delivery, which writes no audit event, publishes nothing.
import type { AuditEvent } from '#schemas/children';
import { isPublishedType, publishedDetail, type EventCaseFacts } from './event-details';

export const DOMAIN_EVENT_OF_ACTION = {
  'complaint.received': 'ComplaintOpened',
  'owner.changed': 'OwnerChanged',
  'final_response.sent': 'FinalResponseSent',
  'complaint.closed': 'ComplaintClosed',
  'complaint.reopened': 'ComplaintReopened',
  'checkpoint.reached': 'CheckpointReached',
  'deadline.breached': 'DeadlineBreached',
  'dependency.blocked': 'DependencyBlocked',
  'acknowledgement.overdue': 'AcknowledgementOverdue',
  'escalation.notified': 'Escalated',
  'escalation.unacknowledged': 'EscalationUnacknowledged',
  'approval.requested': 'ApprovalRequested',
  'approval.reminded': 'ApprovalReminder',
  'approval.escalated': 'ApprovalEscalated',
  'approval.approved': 'ApprovalDecided',
  'approval.rejected': 'ApprovalDecided',
  'approval.expired': 'ApprovalDecided',
  'owner.absence_flagged': 'OwnerAbsenceFlagged',
} as const;

export type DomainEventType = (typeof DOMAIN_EVENT_OF_ACTION)[keyof typeof DOMAIN_EVENT_OF_ACTION];

/** The `source` of every event this service puts on the bus. */
export const EVENT_SOURCE = 'complaints.deadline-control';

/** Events about the body of complaints rather than one case (problem management), published on the same bus. */
export type OperationalEventType = 'ComplaintSpikeDetected';

export interface DomainEvent {
  /** Stable across redeliveries (`<caseId>:<audit seq>`): consumers de-duplicate on it. */
  id: string;
  type: DomainEventType | OperationalEventType;
  caseId: string;
  occurredAt: string;
  detail: Record<string, unknown>;
}

/** A person, or the holders of a role (within a team, or every team when `team` is null). */
export type Recipient =
  | { kind: 'user'; userId: string; as: 'owner' }
  | { kind: 'role'; role: string; team: string | null }
  /** The complainant (the satisfaction follow-up): the delivery integration reaches them by email, or by the case's channel. */
  | { kind: 'customer'; customerId: string; email: string | null };

export interface Notification {
  /** `<event id>:<recipient>`: the same notification redelivered keeps its id. */
  id: string;
  /** A domain event type, or FeedbackRequested: the customer's feedback link (sent by the checkpoint function, never on the bus). */
  eventType: DomainEventType | 'FeedbackRequested' | 'ProblemClosed' | OperationalEventType;
  caseId: string;
  reference: string;
  to: Recipient;
  subject: string;
  text: string;
}

const isDomainAction = (action: string): action is keyof typeof DOMAIN_EVENT_OF_ACTION => Object.hasOwn(DOMAIN_EVENT_OF_ACTION, action);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const subjectOf = (type: DomainEventType, d: Record<string, unknown>, reference: string): string => {
  switch (type) {
    case 'ComplaintOpened':
      return `${reference}: complaint received (${str(d.channel) ?? '?'}, ${str(d.regime) ?? '?'})`;
    case 'OwnerChanged':
      return `${reference}: handed from ${str(d.from) ?? '?'} to ${str(d.to) ?? '?'}`;
    case 'FinalResponseSent':
      return `${reference}: final response sent (${str(d.decision) ?? '?'})`;
    case 'ComplaintClosed':
      return `${reference}: closed`;
    case 'ComplaintReopened':
      return `${reference}: reopened (cycle ${String(d.cycle)})`;
    case 'CheckpointReached':
      return `${reference}: ${String(d.percent)} % of the final-response window used (due ${str(d.finalResponseDueAt) ?? '?'})`;
    case 'DeadlineBreached':
      return `${reference}: final-response deadline breached (was due ${str(d.finalResponseDueAt) ?? str(d.at) ?? '?'})`;
    case 'DependencyBlocked':
      return `${reference}: investigation task ${str(d.taskId) ?? '?'} blocked since ${str(d.blockedSince) ?? '?'}`;
    case 'AcknowledgementOverdue':
      return `${reference}: acknowledgement overdue (was due ${str(d.acknowledgementDueAt) ?? '?'})`;
    case 'Escalated':
      return `${reference}: escalated to you (level ${String(d.level)}): ${str(d.reason) ?? ''} — acknowledge by ${str(d.ackDueAt) ?? '?'}`;
    case 'EscalationUnacknowledged':
      return `${reference}: escalation not acknowledged at any level (${str(d.reason) ?? ''})`;
    case 'ApprovalRequested':
      return `${reference}: approval stage ${String(d.stage)} (${str(d.role) ?? '?'}) awaits your decision by ${str(d.dueAt) ?? '?'}`;
    case 'ApprovalReminder':
      return `${reference}: reminder ${String(d.reminder)} — approval stage ${String(d.stage)} (${str(d.role) ?? '?'}) is still undecided (due ${str(d.dueAt) ?? '?'})`;
    case 'ApprovalEscalated':
      return `${reference}: approval stage ${String(d.stage)} (${str(d.role) ?? '?'}) undecided by ${str(d.missedDueAt) ?? '?'}; escalated to level ${String(d.toLevel)}`;
    case 'OwnerAbsenceFlagged':
      return `${reference}: the owner ${str(d.ownerId) ?? '?'} is away ${str(d.from) ?? '?'} – ${str(d.to) ?? '?'} while the final response falls due (${str(d.finalResponseDueAt) ?? '?'}); suggested owner: ${str(d.suggestedOwnerId) ?? 'none available'}`;
    case 'ApprovalDecided': {
      const outcome = d.returnedTo !== undefined && d.comment === undefined ? 'expired without a decision' : d.returnedTo !== undefined ? 'rejected' : 'approved';
      return `${reference}: approval stage ${String(d.stage)} (${str(d.role) ?? '?'}) ${outcome}${str(d.comment) ? `: ${str(d.comment)}` : ''}`;
    }
  }
};

/** Who hears of an event: the deadline events go to the owner and their team's supervisors; the others say whom. */
const recipientsOf = (type: DomainEventType, d: Record<string, unknown>): Recipient[] => {
  const owner = str(d.ownerId);
  const ownerRecipient: Recipient[] = owner ? [{ kind: 'user', userId: owner, as: 'owner' }] : [];
  const team = str(d.team) ?? null;
  const audience = (): Recipient[] =>
    Array.isArray(d.audience) ? (d.audience as { role: string; team: string | null }[]).map((a) => ({ kind: 'role', role: a.role, team: a.team })) : [];
  switch (type) {
    // Lifecycle events are for systems (the bus, subscriber webhooks): the people concerned did the action themselves.
    case 'ComplaintOpened':
    case 'OwnerChanged':
    case 'FinalResponseSent':
    case 'ComplaintClosed':
    case 'ComplaintReopened':
      return [];
    case 'Escalated': {
      const role = str(d.role) ?? 'supervisor';
      return [...ownerRecipient, { kind: 'role', role, team: role === 'supervisor' ? team : null }];
    }
    case 'EscalationUnacknowledged':
      return [...ownerRecipient, { kind: 'role', role: 'admin', team: null }];
    case 'ApprovalRequested':
    case 'ApprovalReminder':
    case 'ApprovalEscalated':
      return audience();
    case 'ApprovalDecided':
      // The owner acts on the outcome (a rejection or an expiry returns the case to them).
      return ownerRecipient;
    default:
      // The owner acts; the supervisors of the owner's team (all supervisors for an unteamed case) oversee.
      return [...ownerRecipient, { kind: 'role', role: 'supervisor', team }];
  }
};

/**
 * The domain event and the notifications an audit event stands for, or nothing for ordinary audit events. A published
 * type (#schemas/events) gets its versioned, validated detail (facts only, with `facts` of the case such as its
 * externalRef); the internal types (reminders, blocked dependencies, …) keep the audit data as their detail.
 */
export const fromAuditEvent = (caseId: string, e: AuditEvent, facts?: EventCaseFacts): { event: DomainEvent; notifications: Notification[] } | undefined => {
  if (!isDomainAction(e.action)) return undefined;
  const type = DOMAIN_EVENT_OF_ACTION[e.action];
  const d = e.data;
  const id = `${caseId}:${e.seq}`;
  const reference = str(d.reference) ?? facts?.reference ?? caseId;
  const detail: Record<string, unknown> = isPublishedType(type) ? publishedDetail(type, caseId, e, facts) : { ...d, caseId, auditSeq: e.seq, auditHash: e.hash };
  const event: DomainEvent = { id, type, caseId, occurredAt: e.at, detail };
  const subject = subjectOf(type, d, reference);
  const text = `${subject}. Regime ${str(d.regime) ?? '?'}; recorded in the audit trail as event ${e.seq} at ${e.at}.`;
  const notifications = recipientsOf(type, d).map((to) => ({
    id: `${id}:${to.kind === 'user' ? `user:${to.userId}` : to.kind === 'customer' ? `customer:${to.customerId}` : `${to.role}:${to.team ?? '*'}`}`,
    eventType: type,
    caseId,
    reference,
    to,
    subject,
    text,
  }));
  return { event, notifications };
};
