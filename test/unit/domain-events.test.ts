// Domain events and notifications from deadline audit events (pure), and DeadlineControl.auditAppended with
// in-memory fakes of our own ports.
import * as life from '#domain/lifecycle';
import { getRegime } from '#domain/regimes';
import { appendEvents, type AuditDraft, type ChainHead } from '#domain/audit-chain';
import { DeadlineControl } from '#domain/deadline-control';
import { DOMAIN_EVENT_OF_ACTION, fromAuditEvent, type DomainEvent, type Notification } from '#domain/domain-events';
import { fireTimer, SYSTEM_ACTOR, timerMap, type Timer } from '#domain/timers';
import type { AuditEvent } from '#schemas/children';
import type { Case } from '#schemas/complaint';
import { at, CASE_ID, DAY, intakeBody, NOW, task, TASK_ID } from './fixtures';

const HOUR = 3_600_000;
const REFERENCE = 'CMP-2026-000042';
const HEAD: ChainHead = { seq: 6, hash: 'a'.repeat(64) };

const psdCase = (team?: string): Case =>
  life.openCase(intakeBody({ regime: 'UK_FCA_PSD', receivedAt: NOW }), {
    id: CASE_ID,
    reference: REFERENCE,
    ownerId: 'alice',
    ...(team ? { team } : {}),
    assignmentRule: 'explicit',
    regime: getRegime('UK_FCA_PSD'),
    actor: 'web-form',
    now: NOW,
  }).case;

const timer = (c: Case, label: string): Timer => timerMap(c)[`${CASE_ID}-1-${label}`]!;

/** The audit draft a delivered timer writes, sealed as the 7th event of the chain at the firing time. */
const auditOf = (c: Case, t: Timer, now = t.at): AuditEvent => {
  const o = fireTimer(c, t, now);
  if (!o.fired) throw new Error(`timer ignored: ${o.reason}`);
  return seal(o.change.drafts[0]!, now);
};
const seal = (draft: AuditDraft, now: string): AuditEvent => appendEvents(HEAD, [draft], now).events[0]!;

describe('fromAuditEvent', () => {
  const c = psdCase('complaints');
  const blocked = life.updateTask({ ...c, openTaskCount: 1 }, task(), { status: 'blocked' }, 'alice', at(NOW, HOUR)).case;
  const samples: [string, string, AuditEvent][] = [
    ['checkpoint.reached', 'CheckpointReached', auditOf(c, timer(c, 'p50'))],
    ['deadline.breached', 'DeadlineBreached', auditOf(c, timer(c, 'breach'), at(c.finalResponseDueAt, 1))],
    ['dependency.blocked', 'DependencyBlocked', auditOf(blocked, timer(blocked, `dep-${TASK_ID}`))],
    ['acknowledgement.overdue', 'AcknowledgementOverdue', auditOf(c, timer(c, 'ack'))],
  ];

  it('knows exactly the lifecycle, deadline, escalation and approval actions', () => {
    expect(DOMAIN_EVENT_OF_ACTION).toEqual({
      'complaint.received': 'ComplaintOpened',
      'owner.changed': 'OwnerChanged',
      // An owner away while a deadline falls due: the owner and the team's supervisors hear of it (issue 32).
      'owner.absence_flagged': 'OwnerAbsenceFlagged',
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
    });
  });

  it('escalation and approval events go to the people named in them', () => {
    const base = { reference: 'CMP-2026-000001', ownerId: 'alice', team: 'billing', regime: 'UK_FCA_DISP' };
    const ids = { escalationId: 'E1', approvalId: 'A1', resolutionId: 'R1', dueAt: null, ackDueAt: '2026-03-03T10:00:00.000Z' };
    const ev = (action: string, data: Record<string, unknown>): AuditEvent => ({ seq: 9, at: '2026-03-02T10:00:00.000Z', actor: 'system', action, data: { ...ids, ...data }, prevHash: 'p', hash: 'f'.repeat(64) });
    const to = (e: AuditEvent) => fromAuditEvent(CASE_ID, e)!.notifications.map((n) => n.to);
    expect(to(ev('escalation.notified', { ...base, level: 1, role: 'supervisor', reason: 'blocked', ackDueAt: '2026-03-03T10:00:00.000Z' }))).toEqual([
      { kind: 'user', userId: 'alice', as: 'owner' },
      { kind: 'role', role: 'supervisor', team: 'billing' },
    ]);
    expect(to(ev('escalation.notified', { ...base, level: 2, role: 'admin', reason: 'blocked' }))).toEqual([
      { kind: 'user', userId: 'alice', as: 'owner' },
      { kind: 'role', role: 'admin', team: null },
    ]);
    expect(to(ev('approval.requested', { ...base, stage: 1, role: 'supervisor', audience: [{ role: 'supervisor', team: 'billing' }] }))).toEqual([{ kind: 'role', role: 'supervisor', team: 'billing' }]);
    expect(to(ev('approval.rejected', { ...base, stage: 1, role: 'supervisor', comment: 'no', returnedTo: 'alice' }))).toEqual([{ kind: 'user', userId: 'alice', as: 'owner' }]);
    const rejected = fromAuditEvent(CASE_ID, ev('approval.rejected', { ...base, stage: 1, role: 'supervisor', comment: 'Not justified', returnedTo: 'alice' }))!;
    expect(rejected.notifications[0]!.subject).toBe('CMP-2026-000001: approval stage 1 (supervisor) rejected: Not justified');
    expect(fromAuditEvent(CASE_ID, ev('approval.expired', { ...base, stage: 2, role: 'compliance', returnedTo: 'alice' }))!.notifications[0]!.subject).toContain('expired without a decision');
    expect(fromAuditEvent(CASE_ID, ev('escalation.raised', base))).toBeUndefined();
  });

  it.each(samples.slice(2))('%s → %s (internal, unpublished) with id <caseId>:<seq> and the audit data as detail', (action, type, e) => {
    expect(e.action).toBe(action);
    expect(e.seq).toBe(7);
    const out = fromAuditEvent(CASE_ID, e)!;
    expect(out.event).toEqual({ id: `${CASE_ID}:7`, type, caseId: CASE_ID, occurredAt: e.at, detail: { ...e.data, caseId: CASE_ID, auditSeq: 7, auditHash: e.hash } });
  });

  it.each(samples.slice(0, 2))('%s → %s (published) with id <caseId>:<seq> and its versioned facts-only detail', (action, type, e) => {
    expect(e.action).toBe(action);
    const out = fromAuditEvent(CASE_ID, e)!;
    expect(out.event).toMatchObject({ id: `${CASE_ID}:7`, type, caseId: CASE_ID, occurredAt: e.at });
    expect(out.event.detail).toMatchObject({ schemaVersion: 1, eventId: `${CASE_ID}:7`, auditSeq: 7, auditHash: e.hash, reference: REFERENCE, ownerId: 'alice', finalResponseDueAt: c.finalResponseDueAt });
    expect(out.event.detail).not.toHaveProperty('lateByMs');
  });

  it.each(samples)('%s notifies the owner and the supervisors of the team, with stable ids', (_action, type, e) => {
    const out = fromAuditEvent(CASE_ID, e)!;
    const id = `${CASE_ID}:7`;
    expect(out.notifications.map((n) => ({ id: n.id, to: n.to, eventType: n.eventType, caseId: n.caseId, reference: n.reference }))).toEqual([
      { id: `${id}:user:alice`, to: { kind: 'user', userId: 'alice', as: 'owner' }, eventType: type, caseId: CASE_ID, reference: REFERENCE },
      { id: `${id}:supervisor:complaints`, to: { kind: 'role', role: 'supervisor', team: 'complaints' }, eventType: type, caseId: CASE_ID, reference: REFERENCE },
    ]);
    for (const n of out.notifications) {
      expect(n.subject.startsWith(`${REFERENCE}: `)).toBe(true);
      expect(n.text).toBe(`${n.subject}. Regime UK_FCA_PSD; recorded in the audit trail as event 7 at ${e.at}.`);
    }
    // A redelivered stream record yields the same event and notifications.
    expect(fromAuditEvent(CASE_ID, e)).toEqual(out);
  });

  it('writes a subject that says what happened', () => {
    const subject = (e: AuditEvent) => fromAuditEvent(CASE_ID, e)!.notifications[0]!.subject;
    const [reached, breached, dep, ack] = samples.map(([, , e]) => e);
    expect(subject(reached!)).toBe(`${REFERENCE}: 50 % of the final-response window used (due ${c.finalResponseDueAt})`);
    expect(subject(breached!)).toBe(`${REFERENCE}: final-response deadline breached (was due ${c.finalResponseDueAt})`);
    expect(subject(dep!)).toBe(`${REFERENCE}: investigation task ${TASK_ID} blocked since ${at(NOW, HOUR)}`);
    expect(subject(ack!)).toBe(`${REFERENCE}: acknowledgement overdue (was due ${c.acknowledgementDueAt})`);
  });

  it('addresses all supervisors for an unteamed case', () => {
    const unteamed = psdCase();
    const e = auditOf(unteamed, timer(unteamed, 'p75'));
    expect(e.data.team).toBeNull();
    const out = fromAuditEvent(CASE_ID, e)!;
    expect(out.notifications.map((n) => [n.id, n.to])).toEqual([
      [`${CASE_ID}:7:user:alice`, { kind: 'user', userId: 'alice', as: 'owner' }],
      [`${CASE_ID}:7:supervisor:*`, { kind: 'role', role: 'supervisor', team: null }],
    ]);
  });

  it('tolerates sparse data in internal events: no owner → supervisors only; no reference → the case id; unknown fields → ?', () => {
    const e = seal({ actor: SYSTEM_ACTOR, action: 'acknowledgement.overdue', data: {} }, NOW);
    const out = fromAuditEvent(CASE_ID, e)!;
    expect(out.notifications).toHaveLength(1);
    expect(out.notifications[0]).toMatchObject({ id: `${CASE_ID}:7:supervisor:*`, reference: CASE_ID, subject: `${CASE_ID}: acknowledgement overdue (was due ?)` });
    expect(out.notifications[0]!.text).toContain('Regime ?;');
  });

  it('refuses to publish a published type whose audit data breaks its schema (the stream retries, then dead-letters)', () => {
    expect(() => fromAuditEvent(CASE_ID, seal({ actor: SYSTEM_ACTOR, action: 'deadline.breached', data: {} }, NOW))).toThrow(/finalResponseDueAt/);
  });

  it('returns nothing for ordinary audit events', () => {
    for (const action of ['note.added', 'owner.assigned', 'task.updated', 'clock.paused', 'acknowledgement.sent', 'checkpoint', 'deadline']) {
      expect(fromAuditEvent(CASE_ID, seal({ actor: 'alice', action, data: { reference: REFERENCE, ownerId: 'alice' } }, NOW))).toBeUndefined();
    }
  });
});

describe('DeadlineControl.auditAppended', () => {
  const setup = () => {
    const published: DomainEvent[][] = [];
    const notified: Notification[][] = [];
    const dc = new DeadlineControl({
      scheduler: {
        upsert: () => Promise.reject(new Error('not expected')),
        remove: () => Promise.reject(new Error('not expected')),
      },
      events: { publish: async (e) => void published.push(e) },
      notifier: { notify: async (n) => void notified.push(n) },
      clock: { now: () => NOW },
      fire: () => Promise.reject(new Error('not expected')),
    });
    return { dc, published, notified };
  };

  it('publishes exactly one event and its notifications for a deadline action', async () => {
    const c = psdCase('complaints');
    for (const [label, now] of [
      ['p50', undefined],
      ['breach', at(c.finalResponseDueAt, DAY)],
      ['ack', undefined],
    ] as const) {
      const { dc, published, notified } = setup();
      const e = auditOf(c, timer(c, label), now);
      expect(await dc.auditAppended(CASE_ID, e)).toBe(true);
      const expected = fromAuditEvent(CASE_ID, e)!;
      expect(published).toEqual([[expected.event]]);
      expect(notified).toEqual([expected.notifications]);
    }
  });

  it('does nothing for other audit events (e.g. note.added)', async () => {
    const { dc, published, notified } = setup();
    const note = seal({ actor: 'alice', action: 'note.added', data: { noteId: 'N1', kind: 'finding', body: 'x' } }, NOW);
    expect(await dc.auditAppended(CASE_ID, note)).toBe(false);
    expect(published).toEqual([]);
    expect(notified).toEqual([]);
  });

  it('propagates a publishing failure so the stream record is retried, before notifying', async () => {
    const notified: Notification[][] = [];
    const dc = new DeadlineControl({
      scheduler: { upsert: async () => 'created', remove: async () => undefined },
      events: { publish: () => Promise.reject(new Error('bus down')) },
      notifier: { notify: async (n) => void notified.push(n) },
      clock: { now: () => NOW },
      fire: async () => undefined,
    });
    const c = psdCase('complaints');
    await expect(dc.auditAppended(CASE_ID, auditOf(c, timer(c, 'p50')))).rejects.toThrow('bus down');
    expect(notified).toEqual([]);
  });
});
