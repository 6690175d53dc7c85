// Each of the ten published event types from the audit event its change writes (pure): the versioned detail validates,
// carries the helpdesk externalRef and no free text; a change that did not commit (refused, or a repeated timer) emits nothing.
import { wholeTokens } from '../support/tokens';
import * as life from '#domain/lifecycle';
import { getRegime } from '#domain/regimes';
import { appendEvents, type AuditDraft, type ChainHead } from '#domain/audit-chain';
import { DeadlineControl } from '#domain/deadline-control';
import { fromAuditEvent, type DomainEvent } from '#domain/domain-events';
import { caseFactsOf } from '#domain/event-details';
import { fireTimer, timerMap } from '#domain/timers';
import { ConflictError } from '#domain/errors';
import { EVENT_DETAIL, PUBLISHED_EVENT_TYPES } from '#schemas/events';
import type { AuditEvent } from '#schemas/children';
import { at, CASE_ID, DAY, NOW, openedCase } from './fixtures';

const HEAD: ChainHead = { seq: 6, hash: 'a'.repeat(64) };
const seal = (draft: AuditDraft, now = NOW): AuditEvent => appendEvents(HEAD, [draft], now).events[0]!;
const FREE_TEXT = 'SECRET free text the customer wrote';

const helpdeskCase = openedCase({}, { channel: 'helpdesk', externalRef: { system: 'zendesk', id: '4711' } });
const facts = caseFactsOf(helpdeskCase);
const caseData = { reference: helpdeskCase.reference, ownerId: 'alice', team: null, regime: 'UK_FCA_DISP' };

/** One real (or, for workflow steps, faithfully shaped) audit event per published type. */
const audits = (): Record<(typeof PUBLISHED_EVENT_TYPES)[number], AuditEvent> => {
  const opened = life.openCase({ ...{ customer: { id: 'c', name: 'Ada' }, channel: 'helpdesk', summary: FREE_TEXT, description: FREE_TEXT, product: 'p', category: 'billing', regime: 'UK_FCA_DISP' }, receivedAt: NOW, externalRef: { system: 'zendesk', id: '4711' } }, {
    id: CASE_ID,
    reference: helpdeskCase.reference,
    ownerId: 'alice',
    assignmentRule: 'explicit',
    regime: getRegime('UK_FCA_DISP'),
    actor: 'zendesk',
    now: NOW,
  });
  const timers = timerMap(helpdeskCase);
  const p50 = Object.values(timers).find((t) => t.name.endsWith('-p50'))!;
  const breach = Object.values(timers).find((t) => t.name.endsWith('-breach'))!;
  const fired = (t: typeof p50, now: string) => {
    const o = fireTimer(helpdeskCase, t, now);
    if (!o.fired) throw new Error(o.reason);
    return seal(o.change.drafts[0]!, now);
  };
  const resolved = { ...helpdeskCase, status: 'resolved' as const };
  const closed = life.close(resolved, { followUpAction: FREE_TEXT, rootCause: { category: 'process', description: FREE_TEXT } }, 'alice', at(NOW, DAY));
  const reopened = life.reopen({ ...resolved, ...closed.case }, FREE_TEXT, getRegime('UK_FCA_DISP'), 'alice', at(NOW, 2 * DAY));
  return {
    ComplaintOpened: seal(opened.drafts[0]!),
    OwnerChanged: seal(life.reassign(helpdeskCase, 'bob', FREE_TEXT, 'sam', NOW).drafts[0]!),
    CheckpointReached: fired(p50, p50.at),
    DeadlineBreached: fired(breach, at(breach.at, 1)),
    Escalated: seal({ actor: 'system:escalation', action: 'escalation.notified', data: { ...caseData, escalationId: 'E1', level: 1, role: 'supervisor', reason: FREE_TEXT, ackDueAt: at(NOW, DAY) } }),
    ApprovalRequested: seal({ actor: 'system:approvals', action: 'approval.requested', data: { ...caseData, approvalId: 'A1', resolutionId: 'R1', stage: 1, role: 'supervisor', level: 1, dueAt: at(NOW, DAY), audience: [] } }),
    ApprovalDecided: seal({ actor: 'sam', action: 'approval.rejected', data: { ...caseData, approvalId: 'A1', resolutionId: 'R1', stage: 1, role: 'supervisor', comment: FREE_TEXT, returnedTo: 'alice' } }),
    FinalResponseSent: seal({
      actor: 'alice',
      action: 'final_response.sent',
      data: { resolutionId: 'R1', channel: 'email', text: FREE_TEXT, decision: 'upheld', remedy: { compensation: { amount: '300.00', currency: 'GBP' }, description: FREE_TEXT }, finalResponseDueAt: helpdeskCase.finalResponseDueAt, withinDeadline: true },
    }),
    ComplaintClosed: seal(closed.drafts[0]!, at(NOW, DAY)),
    ComplaintReopened: seal(reopened.drafts[0]!, at(NOW, 2 * DAY)),
  };
};

describe('published domain events', () => {
  const all = audits();

  it.each(PUBLISHED_EVENT_TYPES.map((t) => [t]))('%s: its audit event maps to a valid v1 detail with the externalRef and no free text', (type) => {
    const out = fromAuditEvent(CASE_ID, all[type], facts)!;
    expect(out.event.type).toBe(type);
    expect(EVENT_DETAIL[type].safeParse(out.event.detail).success).toBe(true);
    expect(out.event.detail).toMatchObject({ schemaVersion: 1, eventId: `${CASE_ID}:7`, caseId: CASE_ID, externalRef: { system: 'zendesk', id: '4711' }, channel: 'helpdesk', reference: helpdeskCase.reference });
    expect(JSON.stringify(out.event)).not.toMatch(wholeTokens(['SECRET']));
  });

  it('says what the status-changing events change the status to, and who decided', () => {
    const detail = (t: (typeof PUBLISHED_EVENT_TYPES)[number]) => fromAuditEvent(CASE_ID, all[t], facts)!.event.detail;
    expect([detail('ComplaintOpened').status, detail('FinalResponseSent').status, detail('ComplaintClosed').status, detail('ComplaintReopened').status]).toEqual(['open', 'resolved', 'closed', 'open']);
    expect(detail('OwnerChanged')).toMatchObject({ fromOwnerId: 'alice', toOwnerId: 'bob', ownerId: 'bob', handoffCount: 1 });
    expect(detail('ApprovalDecided')).toMatchObject({ outcome: 'rejected', decidedBy: 'sam' });
    expect(detail('FinalResponseSent')).toMatchObject({ decision: 'upheld', compensation: { amount: '300.00', currency: 'GBP' }, withinDeadline: true });
    expect(detail('ComplaintClosed')).toMatchObject({ rootCauseCategory: 'process', respondedWithinDeadline: true });
  });

  it('ComplaintOpened carries the externalRef of its own audit event even before the case can be read', () => {
    expect(fromAuditEvent(CASE_ID, all.ComplaintOpened, undefined)!.event.detail).toMatchObject({ externalRef: { system: 'zendesk', id: '4711' }, channel: 'helpdesk' });
  });

  it('lifecycle events notify nobody (the people concerned acted themselves); deadline events still do', () => {
    for (const t of ['ComplaintOpened', 'OwnerChanged', 'FinalResponseSent', 'ComplaintClosed', 'ComplaintReopened'] as const) expect(fromAuditEvent(CASE_ID, all[t], facts)!.notifications).toEqual([]);
    expect(fromAuditEvent(CASE_ID, all.DeadlineBreached, facts)!.notifications.length).toBeGreaterThan(0);
  });

  describe('not emitted when the change did not commit', () => {
    const published: DomainEvent[] = [];
    const control = new DeadlineControl({
      scheduler: { upsert: () => Promise.resolve('created' as const), remove: () => Promise.resolve() },
      events: { publish: (e) => (published.push(...e), Promise.resolve()) },
      notifier: { notify: () => Promise.resolve() },
      clock: { now: () => NOW },
      fire: () => Promise.resolve(),
      caseFacts: () => Promise.resolve(facts),
    });

    it('a refused transition writes no audit event, so there is nothing to publish', () => {
      const closedCase = { ...helpdeskCase, status: 'closed' as const };
      expect(() => life.close(closedCase, { followUpAction: 'x' }, 'alice', NOW)).toThrow(ConflictError);
    });

    it('a repeated timer delivery changes nothing and writes no audit event', () => {
      const p50 = Object.values(timerMap(helpdeskCase)).find((t) => t.name.endsWith('-p50'))!;
      const first = fireTimer(helpdeskCase, p50, p50.at);
      if (!first.fired) throw new Error('expected the first delivery to fire');
      expect(fireTimer(first.change.case, p50, p50.at)).toMatchObject({ fired: false, reason: 'already_done' });
    });

    it('only committed audit events (the stream) publish: one each, with the case facts read once', async () => {
      for (const e of Object.values(all)) await control.auditAppended(CASE_ID, e);
      await control.auditAppended(CASE_ID, seal({ actor: 'alice', action: 'note.added', data: { kind: 'call_note' } }));
      expect(published.map((e) => e.type).sort()).toEqual([...PUBLISHED_EVENT_TYPES].sort());
    });
  });
});
