// Case lifecycle: the transition table, intake, handoffs, acknowledgement, tasks, close/reopen and risk.
import * as life from '#domain/lifecycle';
import { raiseEscalation, waiveEscalation } from '#domain/escalation';
import { ALLOWED_FROM, type CaseAction } from '#domain/lifecycle';
import { ConflictError, InvalidInputError } from '#domain/errors';
import { computeDeadline, riskAt } from '#domain/deadlines';
import { getRegime } from '#domain/regimes';
import { registerEvidence } from '#domain/evidence';
import { proposeResolution, sendFinalResponse } from '#domain/resolution';
import { Case as CaseSchema, STATUSES, type Case, type Status } from '#schemas/complaint';
import { at, CASE_ID, DAY, intakeBody, NOW, openedCase, principal, task } from './fixtures';

const LATER = at(NOW, DAY);
const HOUR = 3_600_000;
/**
 * DISP 1.6.2R: "by the end of eight weeks after its receipt", counted in UK wall-clock days, so a case received
 * at 09:00 GMT before British Summer Time starts (29 March 2026) is due at 09:00 BST: 56 days less an hour.
 */
const EIGHT_WEEKS_ACROSS_BST = 56 * DAY - HOUR;
const ROOT_CAUSE = { category: 'capacity', description: 'Depot overbooked' };

/** Each action performed validly on a case in the given status, so only the status can make it fail. */
const perform: Record<CaseAction, (c: Case) => unknown> = {
  reclassify: (c) => life.reclassify(c, { severity: 'high' }, 'sam'),
  reassign: (c) => life.reassign(c, 'bob', 'workload', 'sam', LATER),
  acknowledge: (c) => life.acknowledge(c, {}, 'alice', LATER),
  add_task: (c) => life.addTask(c, { title: 'Check logs', team: 'ops' }, { taskId: 'T1' }, 'alice', LATER),
  update_task: (c) => life.updateTask(c, task(), { status: 'blocked' }, 'alice', LATER),
  add_note: (c) => life.addNote(c, { kind: 'call_note', body: 'Called the customer' }, { noteId: 'N1' }, 'alice', LATER),
  add_evidence: (c) =>
    registerEvidence(c, { fileName: 'letter.pdf', contentType: 'application/pdf', sizeBytes: 10, sha256: 'a'.repeat(64) }, { allowedContentTypes: ['application/pdf'], maxBytes: 100, uploadTtlMs: 900_000 }, { evidenceId: 'E1' }, 'alice', LATER),
  close: (c) => life.close(c, { followUpAction: 'Retrain depot', rootCause: ROOT_CAUSE }, 'alice', LATER),
  reopen: (c) => life.reopen(c, 'customer disputes', getRegime('UK_FCA_DISP'), 'alice', LATER),
  pause_clock: (c) => life.pauseClock(c, getRegime('INTERNAL_STANDARD'), 'waiting for the customer', 'alice', LATER),
  resume_clock: (c) => life.resumeClock({ ...c, clock: { ...c.clock!, pausedAt: NOW } }, getRegime('INTERNAL_STANDARD'), 'customer replied', 'alice', LATER),
  extend_clock: (c) => life.extendClock(c, getRegime('UK_FCA_PSD'), 'Card scheme investigation outside our control', 'alice', LATER),
  delay_clock: (c) => life.recordDelay(c, getRegime('UK_FCA_DISP'), { reason: 'Waiting for the carrier’s records', expectedBy: '2030-01-01' }, 'alice', LATER),
  propose_resolution: (c) =>
    proposeResolution(c, { decision: 'upheld', rootCause: ROOT_CAUSE, finalResponse: 'We are sorry.' }, [], { resolutionId: 'R1', approvalIds: [] }, 'alice', LATER, DAY),
  final_response: (c) =>
    sendFinalResponse(
      { ...c, resolution: { id: 'R1', round: 1, status: 'not_required', decision: 'upheld', stages: 0, approvedStages: 0 } },
      { id: 'R1', caseId: c.id, round: 1, decision: 'upheld', rootCause: ROOT_CAUSE, finalResponse: 'We are sorry.', status: 'not_required', proposedBy: 'alice', proposedAt: NOW },
      {},
      'alice',
      LATER,
    ),
  escalate: (c) => raiseEscalation(c, { id: 'E1', trigger: { kind: 'manual' }, reason: 'Customer threatens the ombudsman', actor: 'alice', now: LATER }),
  waive_escalation: (c) =>
    waiveEscalation({ ...c, checkpoints: c.checkpoints.map((k) => (k.percent === 75 ? { ...k, firedAt: NOW } : k)) }, [], { checkpoint: 75, justification: 'Operations confirmed the fix ships today' }, principal('sue', 'supervisor'), LATER),
};

const inStatus = (status: Status): Case => openedCase({ status, ...(status === 'closed' ? { closedAt: NOW } : {}) });

describe('transition table (every action × every status)', () => {
  const cases = (Object.keys(ALLOWED_FROM) as CaseAction[]).flatMap((action) =>
    STATUSES.map((status) => ({ action, status, allowed: ALLOWED_FROM[action].includes(status) })),
  );

  it('covers every action', () => {
    expect(Object.keys(perform).sort()).toEqual(Object.keys(ALLOWED_FROM).sort());
  });

  it.each(cases)('$action from $status → allowed: $allowed', ({ action, status, allowed }) => {
    const run = () => perform[action](inStatus(status));
    if (allowed) {
      expect(run).not.toThrow();
      return;
    }
    let caught: unknown;
    try {
      run();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConflictError);
    expect((caught as ConflictError).details).toEqual({ currentStatus: status, action, allowedFrom: ALLOWED_FROM[action] });
  });

  it('only a closed case can be reopened and a closed case takes no other action', () => {
    expect(ALLOWED_FROM.reopen).toEqual(['closed']);
    for (const action of Object.keys(ALLOWED_FROM) as CaseAction[]) {
      if (action !== 'reopen') expect(ALLOWED_FROM[action]).not.toContain('closed');
    }
  });
});

describe('openCase', () => {
  const ctx = { id: CASE_ID, reference: 'CMP-2026-000007', ownerId: 'alice', assignmentRule: 'defaultTeam', regime: getRegime('UK_FCA_DISP'), actor: 'web-form', now: NOW };

  it('refuses a receivedAt in the future, naming the field', () => {
    let caught: unknown;
    try {
      life.openCase(intakeBody({ receivedAt: at(NOW, 1) }), ctx);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).errors).toEqual([{ field: 'body.receivedAt', message: 'must not be in the future' }]);
  });

  it('accepts receivedAt exactly now and normalises offsets to UTC', () => {
    expect(life.openCase(intakeBody({ receivedAt: NOW }), ctx).case.receivedAt).toBe(NOW);
    expect(life.openCase(intakeBody({ receivedAt: '2026-03-02T10:00:00+01:00' }), ctx).case.receivedAt).toBe(NOW);
  });

  it('starts the clock now when receivedAt is absent, with default severity and sensitivity', () => {
    const { case: c } = life.openCase(intakeBody(), ctx);
    expect(c).toMatchObject({ status: 'open', receivedAt: NOW, severity: 'medium', sensitivity: 'standard', vulnerable: false, version: 1, handoffCount: 0, reopenCount: 0, openTaskCount: 0, legalHold: false });
    expect(c.team).toBeUndefined();
    expect(c.externalRef).toBeUndefined();
  });

  it('keeps the given severity, sensitivity, vulnerability, team and external reference', () => {
    const { case: c } = life.openCase(
      intakeBody({ severity: 'critical', sensitivity: 'restricted', customer: { id: 'c', name: 'N', vulnerable: true }, externalRef: { system: 'zendesk', id: '77' } }),
      { ...ctx, team: 'complaints' },
    );
    expect(c).toMatchObject({ severity: 'critical', sensitivity: 'restricted', vulnerable: true, team: 'complaints', externalRef: { system: 'zendesk', id: '77' } });
  });

  it('sets the UK_FCA_DISP deadline 8 weeks after receipt with checkpoints at 50/75/90/100 %', () => {
    const received = at(NOW, -3 * DAY);
    const { case: c } = life.openCase(intakeBody({ receivedAt: received }), ctx);
    const span = EIGHT_WEEKS_ACROSS_BST;
    expect(c.finalResponseDueAt).toBe('2026-04-24T08:00:00.000Z'); // 09:00 London, as received
    expect(c.finalResponseDueAt).toBe(at(received, span));
    expect(c.checkpoints).toEqual([50, 75, 90, 100].map((percent) => ({ percent, at: at(received, (span * percent) / 100) })));
    // The cycle keeps the deadlines reporting measures it against.
    expect(c.cycles).toEqual([{ n: 1, startedAt: received, dueAt: c.finalResponseDueAt, acknowledgementDueAt: c.acknowledgementDueAt, summaryResolutionEndsAt: c.clock?.summaryResolutionEndsAt }]);
  });

  it('stores the acknowledgement deadline and how the clock counts', () => {
    // Fri 27 Feb 2026 09:00 GMT, before the 17:00 cut-off: day 0 is that Friday.
    const { case: c, drafts } = life.openCase(intakeBody({ receivedAt: at(NOW, -3 * DAY) }), ctx);
    expect(c.acknowledgementDueAt).toBe('2026-03-06T17:00:00.000Z'); // fifth business day, close of business
    expect(c.clock).toEqual({
      receiptDate: '2026-02-27',
      startsAt: at(NOW, -3 * DAY),
      basis: 'calendar_time',
      clockId: 'final_response',
      amount: 8,
      unit: 'weeks',
      timeZone: 'Europe/London',
      calendar: 'GB-ENG',
      summaryResolutionEndsAt: '2026-03-04T17:00:00.000Z', // DISP 1.5.1R: third business day after receipt
    });
    expect(drafts[0]?.data).toMatchObject({ clockStartsAt: c.clock?.startsAt, acknowledgementDueAt: c.acknowledgementDueAt, finalResponseDueAt: c.finalResponseDueAt });
    expect(CaseSchema.parse(c)).toEqual(c);
    // Cases stored before the clock fields existed still parse.
    const { clock: _clock, acknowledgementDueAt: _ack, ...legacy } = c;
    expect(CaseSchema.safeParse(legacy).success).toBe(true);
  });

  it('records receipt and assignment as the first two audit drafts', () => {
    const { drafts } = life.openCase(intakeBody({ externalRef: { system: 'zendesk', id: '77' } }), { ...ctx, team: 'complaints' });
    expect(drafts.map((d) => d.action)).toEqual(['complaint.received', 'owner.assigned']);
    expect(drafts[0]?.data).toMatchObject({ reference: 'CMP-2026-000007', regime: 'UK_FCA_DISP', externalRef: { system: 'zendesk', id: '77' } });
    expect(drafts[1]?.data).toEqual({ ownerId: 'alice', team: 'complaints', rule: 'defaultTeam' });
  });
});

describe('reclassify', () => {
  it('records only the fields that change, with from/to and the reason', () => {
    const { case: c, drafts } = life.reclassify(openedCase(), { severity: 'high', category: 'service_delay', reason: 'escalated by phone' }, 'sam');
    expect(c.severity).toBe('high');
    expect(drafts[0]?.data).toEqual({ changes: { severity: { from: 'medium', to: 'high' } }, reason: 'escalated by phone' });
  });

  it('refuses a no-op', () => {
    expect(() => life.reclassify(openedCase(), { severity: 'medium' }, 'sam')).toThrow(ConflictError);
  });
});

describe('reassign', () => {
  it('records a handoff with who, when and why, and counts it', () => {
    const first = life.reassign(openedCase(), 'bob', 'workload', 'sam', LATER);
    expect(first.case.ownerId).toBe('bob');
    expect(first.case.handoffs).toEqual([{ from: 'alice', to: 'bob', by: 'sam', at: LATER, reason: 'workload' }]);
    expect(first.case.handoffCount).toBe(1);
    expect(first.drafts[0]).toEqual({ actor: 'sam', action: 'owner.changed', data: { from: 'alice', to: 'bob', reason: 'workload', handoffCount: 1 } });
    const second = life.reassign(first.case, 'carol', 'leave', 'sam', at(LATER, DAY));
    expect(second.case.handoffCount).toBe(2);
    expect(second.case.handoffs.map((h) => h.to)).toEqual(['bob', 'carol']);
  });

  it('refuses a handoff to the current owner', () => {
    expect(() => life.reassign(openedCase(), 'alice', 'no-op', 'sam', LATER)).toThrow(ConflictError);
  });
});

describe('acknowledge', () => {
  it('records the acknowledgement once per cycle', () => {
    const once = life.acknowledge(openedCase(), { channel: 'email', text: 'We received it' }, 'alice', LATER);
    expect(once.case.acknowledgedAt).toBe(LATER);
    expect(once.drafts[0]?.data).toMatchObject({ channel: 'email', text: 'We received it' });
    expect(() => life.acknowledge(once.case, {}, 'alice', at(LATER, 1))).toThrow(ConflictError);
  });

  it('defaults the channel to the case channel', () => {
    expect(life.acknowledge(openedCase(), {}, 'alice', LATER).drafts[0]?.data).toMatchObject({ channel: 'web', text: null });
  });

  it('may be recorded again in a new cycle after reopening', () => {
    const acked = life.acknowledge(openedCase(), {}, 'alice', LATER).case;
    const closed = life.close(acked, { followUpAction: 'x', rootCause: ROOT_CAUSE }, 'alice', at(LATER, DAY)).case;
    const reopened = life.reopen(closed, 'disputed', getRegime('UK_FCA_DISP'), 'alice', at(LATER, 2 * DAY)).case;
    expect(life.acknowledge(reopened, {}, 'alice', at(LATER, 3 * DAY)).case.acknowledgedAt).toBe(at(LATER, 3 * DAY));
  });
});

describe('investigation tasks', () => {
  it('adding a task counts it as open', () => {
    const { case: c, result } = life.addTask(openedCase(), { title: 'Check logs', team: 'ops', dueAt: '2026-03-05T10:00:00+01:00' }, { taskId: 'T1' }, 'alice', LATER);
    expect(c.openTaskCount).toBe(1);
    expect(result).toMatchObject({ id: 'T1', caseId: CASE_ID, status: 'open', dueAt: '2026-03-05T09:00:00.000Z', createdBy: 'alice' });
  });

  it('blocking sets blockedSince; unblocking records how long it was blocked', () => {
    const c = openedCase({ openTaskCount: 1 });
    const blocked = life.updateTask(c, task(), { status: 'blocked', blockedReason: 'depot outage' }, 'alice', LATER);
    expect(blocked.result).toMatchObject({ status: 'blocked', blockedSince: LATER, blockedReason: 'depot outage' });
    expect(blocked.case.openTaskCount).toBe(1);

    const until = at(LATER, 2 * DAY);
    const unblocked = life.updateTask(blocked.case, blocked.result, { status: 'open' }, 'alice', until);
    expect(unblocked.result.blockedSince).toBeUndefined();
    expect(unblocked.result.blockedReason).toBeUndefined();
    expect(unblocked.drafts[0]?.data).toEqual({ taskId: task().id, changes: { status: { from: 'blocked', to: 'open' }, blockedFor: { since: LATER, until } } });
  });

  it('finishing a task decrements openTaskCount and stamps completedAt; done cannot reopen', () => {
    const c = openedCase({ openTaskCount: 1 });
    const done = life.updateTask(c, task(), { status: 'done', findings: 'three missed slots' }, 'alice', LATER);
    expect(done.case.openTaskCount).toBe(0);
    expect(done.result).toMatchObject({ status: 'done', completedAt: LATER, findings: 'three missed slots' });
    expect(() => life.updateTask(done.case, done.result, { status: 'open' }, 'alice', LATER)).toThrow(ConflictError);
    expect(() => life.updateTask(done.case, done.result, { status: 'blocked' }, 'alice', LATER)).toThrow(ConflictError);
    // Findings may still be added to a done task, and the count does not move.
    const more = life.updateTask(done.case, done.result, { findings: 'and a fourth' }, 'alice', LATER);
    expect(more.case.openTaskCount).toBe(0);
  });

  it('blockedReason applies only to a blocked task; a no-op patch is a conflict', () => {
    expect(() => life.updateTask(openedCase({ openTaskCount: 1 }), task(), { blockedReason: 'why' }, 'alice', LATER)).toThrow(InvalidInputError);
    expect(() => life.updateTask(openedCase({ openTaskCount: 1 }), task(), { status: 'open' }, 'alice', LATER)).toThrow(ConflictError);
  });

  it('reassigning a task records from/to', () => {
    const out = life.updateTask(openedCase({ openTaskCount: 1 }), task(), { assigneeId: 'dave' }, 'alice', LATER);
    expect(out.drafts[0]?.data).toEqual({ taskId: task().id, changes: { assigneeId: { from: null, to: 'dave' } } });
  });
});

describe('notes', () => {
  it('adds an evidence-log entry without changing the case', () => {
    const c = openedCase();
    const out = life.addNote(c, { kind: 'finding', body: 'Depot overbooked' }, { noteId: 'N1' }, 'alice', LATER);
    expect(out.case).toBe(c);
    expect(out.result).toEqual({ id: 'N1', caseId: CASE_ID, kind: 'finding', body: 'Depot overbooked', authorId: 'alice', createdAt: LATER });
  });
});

describe('close and reopen', () => {
  it('requires a root cause unless the case already has one', () => {
    expect(() => life.close(openedCase(), { followUpAction: 'x' }, 'alice', LATER)).toThrow(InvalidInputError);
    const closed = life.close(openedCase({ rootCause: ROOT_CAUSE }), { followUpAction: 'x' }, 'alice', LATER);
    expect(closed.case.rootCause).toEqual(ROOT_CAUSE);
  });

  it('refuses while tasks are open or blocked', () => {
    let caught: unknown;
    try {
      life.close(openedCase({ openTaskCount: 2 }), { followUpAction: 'x', rootCause: ROOT_CAUSE }, 'alice', LATER);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConflictError);
    expect((caught as ConflictError).details).toEqual({ openTaskCount: 2 });
  });

  it('stops the current cycle and records whether the deadline was met', () => {
    const c = openedCase();
    const closed = life.close(c, { followUpAction: 'Retrain', rootCause: ROOT_CAUSE }, 'alice', LATER);
    expect(closed.case).toMatchObject({ status: 'closed', closedAt: LATER, followUpAction: 'Retrain' });
    expect(closed.case.cycles).toEqual([{ ...c.cycles[0], stoppedAt: LATER, reason: 'closed', closedAt: LATER }]);
    expect(closed.drafts[0]?.data).toMatchObject({ respondedWithinDeadline: true });
    const late = life.close(c, { followUpAction: 'Retrain', rootCause: ROOT_CAUSE }, 'alice', at(c.finalResponseDueAt, 1));
    expect(late.drafts[0]?.data).toMatchObject({ respondedWithinDeadline: false });
  });

  it('reopening starts a new cycle from now and counts the reopen', () => {
    const closed = life.close(openedCase(), { followUpAction: 'x', rootCause: ROOT_CAUSE }, 'alice', LATER).case;
    const when = at(LATER, 10 * DAY);
    const { case: c, drafts } = life.reopen(closed, 'customer disputes', getRegime('UK_FCA_DISP'), 'sam', when);
    expect(c.status).toBe('open');
    expect(c.closedAt).toBeUndefined();
    expect(c.reopenCount).toBe(1);
    expect(c.finalResponseDueAt).toBe(at(when, EIGHT_WEEKS_ACROSS_BST));
    expect(c.cycles).toHaveLength(2);
    expect(c.cycles[1]).toEqual({ n: 2, startedAt: when, dueAt: c.finalResponseDueAt, acknowledgementDueAt: c.acknowledgementDueAt, summaryResolutionEndsAt: c.clock?.summaryResolutionEndsAt });
    expect(c.checkpoints[0]).toEqual({ percent: 50, at: at(when, EIGHT_WEEKS_ACROSS_BST / 2) });
    expect(c.clock?.startsAt).toBe(when);
    expect(drafts[0]).toMatchObject({ action: 'complaint.reopened', data: { reason: 'customer disputes', cycle: 2, reopenCount: 1 } });
  });
});

describe('risk', () => {
  const SUMMER = '2026-06-01T09:00:00.000Z'; // no UK clock change in the next 56 days
  const d = computeDeadline(getRegime('UK_FCA_DISP'), SUMMER); // 56 days; at risk from day 42
  it('is on_track before 75 % of the clock, at_risk from 75 %, overdue after the due time', () => {
    expect(riskAt(d, SUMMER)).toBe('on_track');
    expect(riskAt(d, at(SUMMER, 42 * DAY - 1))).toBe('on_track');
    expect(riskAt(d, at(SUMMER, 42 * DAY))).toBe('at_risk');
    expect(riskAt(d, d.dueAt)).toBe('at_risk');
    expect(riskAt(d, at(d.dueAt, 1))).toBe('overdue');
  });

  it('judges a stopped clock at the moment it stopped', () => {
    expect(riskAt(d, at(SUMMER, 400 * DAY), at(SUMMER, 50 * DAY))).toBe('on_track');
    expect(riskAt(d, at(SUMMER, 400 * DAY), at(d.dueAt, 1))).toBe('overdue');
  });

  it('present() derives risk from the current cycle at reading time', () => {
    const c = openedCase();
    expect(life.present(c, at(NOW, 43 * DAY)).risk).toBe('at_risk');
    expect(life.present(c, at(NOW, 57 * DAY)).risk).toBe('overdue');
    const closed = life.close(c, { followUpAction: 'x', rootCause: ROOT_CAUSE }, 'alice', LATER).case;
    expect(life.present(closed, at(NOW, 365 * DAY)).risk).toBe('on_track');
  });

  it('unchangedSinceWrite: a version reads the same until its risk moves on with the clock (conditional GET)', () => {
    const c = { ...openedCase(), updatedAt: NOW };
    expect(life.unchangedSinceWrite(c, at(NOW, DAY))).toBe(true);
    // Past the 75 % checkpoint before its timer writes the next version: a read now differs from one at the write.
    expect(life.unchangedSinceWrite(c, at(NOW, 43 * DAY))).toBe(false);
    const closed = { ...life.close(c, { followUpAction: 'x', rootCause: ROOT_CAUSE }, 'alice', LATER).case, updatedAt: LATER };
    expect(life.unchangedSinceWrite(closed, at(NOW, 365 * DAY))).toBe(true);
  });
});
