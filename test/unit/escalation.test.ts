// Escalation, pure: which audit events raise one, who may acknowledge, waivers, and each workflow step being a no-op
// once the escalation has moved on (so a step racing an acknowledgement or a waiver resolves once).
import {
  acknowledgeEscalation,
  automaticEscalation,
  escalationLevelRaised,
  escalationNotified,
  escalationStarted,
  escalationUnacknowledged,
  escalationsResolvedWithCase,
  manualTrigger,
  raiseEscalation,
  roleAtLevel,
  settledOutcome,
  waiveEscalation,
} from '#domain/escalation';
import { ConflictError, ForbiddenError } from '#domain/errors';
import type { AuditEvent } from '#schemas/children';
import type { Case } from '#schemas/complaint';
import type { Escalation } from '#schemas/escalation';
import { at, CASE_ID, DAY, NOW, openedCase, principal, TASK_ID } from './fixtures';

const LATER = at(NOW, 43 * DAY);
const JUSTIFICATION = 'Operations confirmed the fix ships today';
const audit = (action: string, data: Record<string, unknown>): AuditEvent => ({ seq: 5, at: LATER, actor: 'system:deadline-control', action, data, prevHash: 'p', hash: 'h' });
const reached = (percent: number, risk = 'at_risk', cycle = 1) => audit('checkpoint.reached', { cycle, percent, risk: { from: 'on_track', to: risk }, finalResponseDueAt: 'due' });
const blocked = (cycle = 1) => audit('dependency.blocked', { cycle, taskId: TASK_ID, blockedSince: NOW, blockedForMs: 25 * 3_600_000 });
const fired = (c: Case, percent: number): Case => ({ ...c, checkpoints: c.checkpoints.map((k) => (k.percent === percent ? { ...k, firedAt: LATER } : k)) });

const raise = (c: Case, id = 'E1', trigger: Escalation['trigger'] = { kind: 'checkpoint', percent: 75, cycle: 1 }) => raiseEscalation(c, { id, trigger, reason: 'at risk', actor: 'system:escalation', now: LATER });

describe('automatic triggers', () => {
  it('75 % and 90 % checkpoints that leave the case at risk or overdue escalate; 50 % and on-track ones do not', () => {
    const c = openedCase();
    expect(automaticEscalation(c, reached(75))).toMatchObject({ trigger: { kind: 'checkpoint', percent: 75, cycle: 1 } });
    expect(automaticEscalation(c, reached(90, 'overdue'))).toMatchObject({ trigger: { kind: 'checkpoint', percent: 90 } });
    expect(automaticEscalation(c, reached(50))).toBeUndefined();
    expect(automaticEscalation(c, reached(75, 'on_track'))).toBeUndefined();
  });

  it('a dependency blocked past its threshold escalates, with the hours in the reason', () => {
    expect(automaticEscalation(openedCase(), blocked())).toEqual({ trigger: { kind: 'dependency', taskId: TASK_ID, cycle: 1 }, reason: expect.stringContaining('(25 h)') });
  });

  it('not for an older cycle, a resolved case, a waived risk, a risk already escalated, or while another escalation is open', () => {
    const c = openedCase();
    expect(automaticEscalation(c, reached(75, 'at_risk', 0))).toBeUndefined();
    expect(automaticEscalation({ ...c, status: 'resolved' }, reached(75))).toBeUndefined();
    const waived = waiveEscalation(fired(c, 75), [], { checkpoint: 75, justification: JUSTIFICATION }, principal('sue', 'supervisor'), LATER).case;
    expect(automaticEscalation(waived, reached(75))).toBeUndefined();
    const escalated = raise(c).case;
    expect(automaticEscalation(escalated, reached(75))).toBeUndefined();
    expect(automaticEscalation(escalated, reached(90))).toBeUndefined(); // the 75 % one is still open
    const acknowledged = acknowledgeEscalation(escalated, raise(c).result, principal('sue', 'supervisor'), {}, LATER).case;
    expect(automaticEscalation(acknowledged, reached(90))).toMatchObject({ trigger: { percent: 90 } });
  });
});

describe('raise, acknowledge', () => {
  it('raising records the escalation on the case and audits it; a second while one is open is 409', () => {
    const { case: c, result, drafts } = raise(openedCase());
    expect(result).toMatchObject({ id: 'E1', caseId: CASE_ID, status: 'open', level: 1, raisedBy: 'system:escalation' });
    expect(c.escalations).toEqual([{ id: 'E1', at: LATER, reason: 'at risk', trigger: { kind: 'checkpoint', percent: 75, cycle: 1 }, status: 'open', level: 1 }]);
    expect(drafts[0]).toMatchObject({ action: 'escalation.raised', data: { escalationId: 'E1', ownerId: 'alice', level: 1 } });
    expect(() => raise(c, 'E2', { kind: 'manual' })).toThrow(ConflictError);
    expect(() => raise({ ...openedCase(), status: 'closed' })).toThrow(ConflictError);
  });

  it('the owner escalates manually; anyone else overrides', () => {
    const c = openedCase();
    expect(manualTrigger(c, principal('alice', 'handler'))).toEqual({ kind: 'manual' });
    expect(manualTrigger(c, principal('sue', 'supervisor'))).toEqual({ kind: 'override' });
  });

  it('acknowledged by a role at the current level or below, or admin; never the owner; once', () => {
    const { case: c, result: e } = raise(openedCase());
    expect(() => acknowledgeEscalation(c, e, principal('alice', 'supervisor'), {}, LATER)).toThrow(ForbiddenError);
    expect(() => acknowledgeEscalation(c, e, principal('carl', 'compliance'), {}, LATER)).toThrow(ForbiddenError);
    expect(acknowledgeEscalation(c, { ...e, level: 3 }, principal('carl', 'compliance'), {}, LATER).result.status).toBe('acknowledged');
    expect(acknowledgeEscalation(c, e, principal('ann', 'admin'), {}, LATER).result.status).toBe('acknowledged');
    const ack = acknowledgeEscalation(c, e, principal('sue', 'supervisor'), { note: 'Calling the depot' }, LATER);
    expect(ack.result).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'sue', acknowledgementNote: 'Calling the depot', closedAt: LATER });
    expect(ack.case.escalations[0]).toMatchObject({ status: 'acknowledged' });
    expect(() => acknowledgeEscalation(ack.case, ack.result, principal('sue', 'supervisor'), {}, LATER)).toThrow(ConflictError);
    expect(settledOutcome(ack.result)).toEqual({ ok: true, output: { escalationId: 'E1', acknowledgedBy: 'sue' } });
  });
});

describe('waivers', () => {
  it('are decided only by someone who may acknowledge the escalation: never the case owner, nor a role above its level', () => {
    const raised = raise(fired(openedCase(), 75));
    const waive = (p: ReturnType<typeof principal>, e = raised.result) => waiveEscalation(raised.case, [e], { checkpoint: 75, justification: JUSTIFICATION }, p, LATER);
    expect(() => waive(principal('alice', 'supervisor'))).toThrow(/case owner cannot waive/);
    expect(() => waive(principal('alice', 'handler'))).toThrow(ForbiddenError);
    expect(() => waive(principal('hal', 'handler'))).toThrow(ForbiddenError);
    expect(() => waive(principal('carl', 'compliance'))).toThrow(ForbiddenError);
    expect(waive(principal('carl', 'compliance'), { ...raised.result, level: 3 }).result.waiver.waivedBy).toBe('carl');
    expect(waive(principal('ann', 'admin')).result.waiver.waivedBy).toBe('ann');
    // A reached checkpoint with no open escalation is judged at level 1.
    expect(() => waiveEscalation(fired(openedCase(), 75), [], { checkpoint: 75, justification: JUSTIFICATION }, principal('alice', 'handler'), LATER)).toThrow(ForbiddenError);
  });

  it('needs the risk raised in this cycle: a checkpoint reached or a dependency raised (409 otherwise)', () => {
    const c = openedCase();
    expect(() => waiveEscalation(c, [], { checkpoint: 75, justification: JUSTIFICATION }, principal('sue', 'supervisor'), LATER)).toThrow(/has not been reached/);
    expect(() => waiveEscalation(c, [], { checkpoint: `dependency:${TASK_ID}`, justification: JUSTIFICATION }, principal('sue', 'supervisor'), LATER)).toThrow(/has not been raised/);
    const dep = { ...c, blockedDependencies: [{ taskId: TASK_ID, since: NOW, raiseAt: NOW, raisedAt: LATER }] };
    expect(waiveEscalation(dep, [], { checkpoint: `dependency:${TASK_ID}`, justification: JUSTIFICATION }, principal('sue', 'supervisor'), LATER).result.waiver).toMatchObject({ cycle: 1, escalationId: null });
  });

  it('stops the open escalation of that risk, audits who and why, and is recorded once per risk and cycle', () => {
    const raised = raise(fired(openedCase(), 75));
    const out = waiveEscalation(raised.case, [raised.result], { checkpoint: 75, justification: JUSTIFICATION }, principal('sue', 'supervisor'), LATER);
    expect(out.result.escalation).toMatchObject({ id: 'E1', status: 'waived', waivedBy: 'sue', justification: JUSTIFICATION, closedAt: LATER });
    expect(out.case.escalations[0]).toMatchObject({ status: 'waived' });
    expect(out.case.waivers).toEqual([{ checkpoint: 75, cycle: 1, justification: JUSTIFICATION, waivedBy: 'sue', waivedAt: LATER, escalationId: 'E1' }]);
    expect(out.drafts[0]).toMatchObject({ actor: 'sue', action: 'escalation.waived', data: { checkpoint: 75, justification: JUSTIFICATION, escalationId: 'E1' } });
    expect(settledOutcome(out.result.escalation!)).toEqual({ ok: false, error: 'Waived', cause: 'escalation E1 waived by sue' });
    expect(() => waiveEscalation(out.case, [out.result.escalation!], { checkpoint: 75, justification: JUSTIFICATION }, principal('sue', 'supervisor'), LATER)).toThrow(/already waived/);
  });
});

describe('workflow steps', () => {
  it('walk the ladder: started, level 1 notified with a due time, raised to level 2 (supervisor → admin → compliance), closed unacknowledged', () => {
    let { case: c, result: e } = raise(openedCase());
    const started = escalationStarted(c, e, LATER)!;
    expect(started.drafts[0]).toMatchObject({ action: 'escalation.started' });
    e = started.result;
    expect(escalationStarted(c, e, LATER)).toBeUndefined();
    const n1 = escalationNotified(c, e, 1, DAY, LATER)!;
    expect(n1.result).toMatchObject({ notifiedAt: LATER, ackDueAt: at(LATER, DAY) });
    expect(n1.drafts[0]).toMatchObject({ action: 'escalation.notified', data: { level: 1, role: 'supervisor', ackDueAt: at(LATER, DAY) } });
    expect(escalationNotified(n1.case, n1.result, 1, DAY, LATER)).toBeUndefined(); // a repeated step
    const up = escalationLevelRaised(n1.case, n1.result, 1, 2)!;
    expect(up.result).toMatchObject({ level: 2 });
    expect(up.result.notifiedAt).toBeUndefined();
    expect(escalationLevelRaised(up.case, up.result, 1, 2)).toBeUndefined(); // already raised
    expect([1, 2, 3, 4].map(roleAtLevel)).toEqual(['supervisor', 'admin', 'compliance', 'compliance']);
    ({ case: c, result: e } = up);
    const closed = escalationUnacknowledged(c, e, LATER)!;
    expect(closed.result).toMatchObject({ status: 'unacknowledged', closedAt: LATER });
    expect(closed.drafts[0]).toMatchObject({ action: 'escalation.unacknowledged' });
  });

  it('every step is a no-op once the escalation was acknowledged or waived', () => {
    const { case: c, result: e } = raise(openedCase());
    const ack = acknowledgeEscalation(c, e, principal('sue', 'supervisor'), {}, LATER);
    expect(escalationStarted(ack.case, ack.result, LATER)).toBeUndefined();
    expect(escalationNotified(ack.case, ack.result, 1, DAY, LATER)).toBeUndefined();
    expect(escalationLevelRaised(ack.case, ack.result, 1, 2)).toBeUndefined();
    expect(escalationUnacknowledged(ack.case, ack.result, LATER)).toBeUndefined();
  });
});

describe('answered cases', () => {
  it('open escalations are resolved with the case (their workflows are resumed, not left to climb); nothing when none is open', () => {
    const { case: c, result: e } = raise(openedCase());
    const out = escalationsResolvedWithCase(c, [e], 'final_response.sent', LATER)!;
    expect(out.result).toEqual([expect.objectContaining({ id: 'E1', status: 'resolved', closedAt: LATER })]);
    expect(out.case.escalations[0]).toMatchObject({ status: 'resolved' });
    expect(out.drafts[0]).toMatchObject({ action: 'escalation.resolved', data: { escalationIds: ['E1'], because: 'final_response.sent' } });
    expect(settledOutcome(out.result[0]!)).toEqual({ ok: true, output: { escalationId: 'E1', resolvedWithCase: true } });
    expect(escalationsResolvedWithCase(out.case, out.result, 'complaint.closed', LATER)).toBeUndefined();
    expect(() => acknowledgeEscalation(out.case, out.result[0]!, principal('sue', 'supervisor'), {}, LATER)).toThrow(ConflictError);
  });
});
