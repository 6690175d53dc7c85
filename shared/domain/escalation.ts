// Escalation (control 3), pure: what raises an escalation (a 75 %/90 % checkpoint on an at-risk case, a dependency
// blocked past its threshold, the owner, a supervisor's override), the record and its summary on the case, each
// workflow step (started, level notified, task token stored, level raised, closed unacknowledged), acknowledgement
// and the waiver: a recorded decision not to escalate a raised risk. The workflow engine only sequences the waits.
import type { Case } from '#schemas/complaint';
import type { AuditEvent } from '#schemas/children';
import {
  ESCALATION_LADDER,
  type AcknowledgeEscalationBody,
  type Escalation,
  type EscalationRole,
  type EscalationSummary,
  type EscalationTrigger,
  type EscalationWaiverBody,
  type Waiver,
  waiverTarget,
} from '#schemas/escalation';
import { ConflictError, ForbiddenError, NotFoundError } from './errors';
import { assertAllowed, type Change } from './lifecycle';
import type { Principal } from './principal';
import { caseFacts } from './timers';

/** The workflow's actor in the audit trail. */
export const ESCALATION_ACTOR = 'system:escalation';

/** Checkpoints that escalate an at-risk case (API.md, control 3). */
export const ESCALATING_CHECKPOINTS: readonly number[] = [75, 90];

/** Escalation records carry the task token of the workflow step waiting for an acknowledgement. */
export type StoredEscalation = Escalation & { taskToken?: string };

/** The role told at a level (1-based); beyond the ladder, its top. */
export const roleAtLevel = (level: number): EscalationRole => ESCALATION_LADDER[Math.min(level, ESCALATION_LADDER.length) - 1]!;

const cycleOf = (c: Case): number => c.cycles[c.cycles.length - 1]?.n ?? 1;

/** Two triggers of the same raised risk (same checkpoint or dependency in the same cycle) are one escalation. */
export const sameRisk = (a: EscalationTrigger, b: EscalationTrigger): boolean =>
  (a.kind === 'checkpoint' && b.kind === 'checkpoint' && a.percent === b.percent && a.cycle === b.cycle) ||
  (a.kind === 'dependency' && b.kind === 'dependency' && a.taskId === b.taskId && a.cycle === b.cycle);

const waivedFor = (c: Case, trigger: EscalationTrigger): boolean =>
  (c.waivers ?? []).some((w) => {
    const t = waiverTarget(w.checkpoint);
    if (w.cycle !== (trigger.kind === 'checkpoint' || trigger.kind === 'dependency' ? trigger.cycle : -1)) return false;
    return (t.kind === 'checkpoint' && trigger.kind === 'checkpoint' && t.percent === trigger.percent) || (t.kind === 'dependency' && trigger.kind === 'dependency' && t.taskId === trigger.taskId);
  });

export const openEscalation = (c: Case): EscalationSummary | undefined => c.escalations.find((e) => e.status === 'open');

/**
 * What an audit event alone says about escalating: the trigger and reason of a 75 %/90 % checkpoint that left the case
 * at risk or overdue, or of a dependency blocked past its threshold; undefined for every other event (no case read).
 */
export const escalationCandidate = (e: AuditEvent): { trigger: EscalationTrigger; reason: string } | undefined => {
  const d = e.data;
  const cycle = typeof d.cycle === 'number' ? d.cycle : undefined;
  if (cycle === undefined) return undefined;
  if (e.action === 'checkpoint.reached' && typeof d.percent === 'number' && ESCALATING_CHECKPOINTS.includes(d.percent)) {
    const risk = (d.risk as { to?: string } | undefined)?.to;
    if (risk !== 'at_risk' && risk !== 'overdue') return undefined;
    return { trigger: { kind: 'checkpoint', percent: d.percent, cycle }, reason: `${d.percent} % of the final-response window used and the case is ${risk.replace('_', ' ')} (due ${String(d.finalResponseDueAt)})` };
  }
  if (e.action === 'dependency.blocked' && typeof d.taskId === 'string') {
    const hours = typeof d.blockedForMs === 'number' ? Math.floor(d.blockedForMs / 3_600_000) : undefined;
    return { trigger: { kind: 'dependency', taskId: d.taskId, cycle }, reason: `investigation task ${d.taskId} blocked since ${String(d.blockedSince)}${hours !== undefined ? ` (${hours} h)` : ''}` };
  }
  return undefined;
};

/**
 * The escalation an audit event calls for on this case, if any: an escalation candidate of the current cycle of a
 * running case — unless that risk was waived, already escalated, or another escalation of the case is still open (it
 * already has a manager's attention).
 */
export const automaticEscalation = (c: Case, e: AuditEvent): { trigger: EscalationTrigger; reason: string } | undefined => {
  if (c.status !== 'open' && c.status !== 'awaiting_approval') return undefined;
  const candidate = escalationCandidate(e);
  if (!candidate || candidate.trigger.kind === 'manual' || candidate.trigger.kind === 'override' || candidate.trigger.kind === 'triage' || candidate.trigger.cycle !== cycleOf(c)) return undefined;
  const trigger = candidate.trigger;
  if (waivedFor(c, trigger)) return undefined;
  if (c.escalations.some((s) => s.trigger && sameRisk(s.trigger, trigger))) return undefined;
  if (openEscalation(c)) return undefined;
  return candidate;
};

const summaryOf = (e: Escalation): EscalationSummary => ({ id: e.id, at: e.raisedAt, reason: e.reason, trigger: e.trigger, status: e.status, level: e.level });

const withSummary = (c: Case, e: Escalation): Case => {
  const exists = c.escalations.some((s) => s.id === e.id);
  return { ...c, escalations: exists ? c.escalations.map((s) => (s.id === e.id ? summaryOf(e) : s)) : [...c.escalations, summaryOf(e)] };
};

const describe = (t: EscalationTrigger): Record<string, unknown> => ({ ...t });

/** Raises an escalation: by the system (an automatic trigger), the owner (manual) or a supervisor (override). */
export const raiseEscalation = (c: Case, input: { id: string; trigger: EscalationTrigger; reason: string; actor: string; now: string }): Change<Escalation> => {
  assertAllowed(c, 'escalate');
  const open = openEscalation(c);
  if (open) throw new ConflictError(`escalation ${open.id} is still open: acknowledge it first`, { escalationId: open.id });
  const escalation: Escalation = {
    id: input.id,
    caseId: c.id,
    trigger: input.trigger,
    reason: input.reason,
    status: 'open',
    level: 1,
    raisedBy: input.actor,
    raisedAt: input.now,
  };
  return {
    case: withSummary(c, escalation),
    result: escalation,
    drafts: [{ actor: input.actor, action: 'escalation.raised', data: { ...caseFacts(c), escalationId: escalation.id, trigger: describe(input.trigger), reason: input.reason, level: 1 } }],
  };
};

/** The trigger of a person's escalation: the owner escalates (manual); anyone else acting for a supervisor overrides. */
export const manualTrigger = (c: Case, p: Principal): EscalationTrigger => (c.ownerId === p.sub ? { kind: 'manual' } : { kind: 'override' });

const assertOpen = (e: Escalation): void => {
  if (e.status !== 'open') throw new ConflictError(`escalation ${e.id} is ${e.status}`, { escalationStatus: e.status });
};

/**
 * Separation of duties (issue 25, finding 4): who may answer an escalation at `level` — acknowledge it, or decide not
 * to escalate (a waiver) — is one rule: a manager told at that level or below (ESCALATION_LADDER), or the head of
 * complaints (admin); never the case owner, whose own risk the escalation is about. A waiver of a risk whose
 * escalation is not (or no longer) open is judged at level 1: the team's supervisors or the head of complaints.
 */
export const assertMayAnswerEscalation = (c: Pick<Case, 'ownerId'>, p: Pick<Principal, 'sub' | 'roles'>, level: number, verb: 'acknowledge' | 'waive', what: string): void => {
  if (c.ownerId === p.sub) throw new ForbiddenError(`the case owner cannot ${verb} an escalation of their own case`);
  const allowed = [...new Set<Principal['roles'][number]>([...ESCALATION_LADDER.slice(0, Math.max(1, level)), 'admin'])];
  if (!allowed.some((r) => p.roles.includes(r))) throw new ForbiddenError(`${what} is at level ${level}: ${verb === 'acknowledge' ? 'acknowledged' : 'waived'} only by ${allowed.join('/')}`);
};

/**
 * A manager takes the escalation: someone told at its current level or below, or the head of complaints (admin);
 * never the case owner (the point of escalating is a second person's attention).
 */
export const acknowledgeEscalation = <E extends Escalation>(c: Case, e: E, p: Principal, body: AcknowledgeEscalationBody, now: string): Change<E> => {
  assertOpen(e);
  assertMayAnswerEscalation(c, p, e.level, 'acknowledge', `escalation ${e.id}`);
  const acknowledged: E = { ...e, status: 'acknowledged', acknowledgedBy: p.sub, acknowledgedAt: now, closedAt: now, ...(body.note ? { acknowledgementNote: body.note } : {}) };
  return {
    case: withSummary(c, acknowledged),
    result: acknowledged,
    drafts: [{ actor: p.sub, action: 'escalation.acknowledged', data: { ...caseFacts(c), escalationId: e.id, level: e.level, note: body.note ?? null } }],
  };
};

/**
 * A recorded decision not to escalate a raised risk: the checkpoint must have been reached in the current cycle (or
 * the dependency raised); once per risk and cycle; decided only by someone who may acknowledge that escalation
 * (assertMayAnswerEscalation). Stops the open escalation of that risk, if there is one.
 */
export const waiveEscalation = <E extends Escalation>(
  c: Case,
  escalations: E[],
  body: EscalationWaiverBody,
  p: Pick<Principal, 'sub' | 'roles'>,
  now: string,
): Change<{ waiver: Waiver; escalation: E | null }> => {
  assertAllowed(c, 'waive_escalation');
  const actor = p.sub;
  const cycle = cycleOf(c);
  const target = waiverTarget(body.checkpoint);
  let trigger: EscalationTrigger;
  if (target.kind === 'checkpoint') {
    const cp = c.checkpoints.find((k) => k.percent === target.percent);
    if (!cp?.firedAt) throw new ConflictError(`the ${target.percent} % checkpoint has not been reached in this cycle: there is no raised risk to waive`, { checkpoint: target.percent });
    trigger = { kind: 'checkpoint', percent: target.percent, cycle };
  } else {
    const dep = (c.blockedDependencies ?? []).find((d) => d.taskId === target.taskId);
    if (!dep?.raisedAt) throw new ConflictError(`task ${target.taskId} has not been raised as a blocked dependency in this cycle`, { taskId: target.taskId });
    trigger = { kind: 'dependency', taskId: target.taskId, cycle };
  }
  if (waivedFor(c, trigger)) throw new ConflictError(`escalation of ${String(body.checkpoint)} was already waived in cycle ${cycle}`);
  const stored = escalations.find((e) => e.status === 'open' && sameRisk(e.trigger, trigger));
  // Only someone who may acknowledge the escalation may decide that it is not needed (the owner never may).
  assertMayAnswerEscalation(c, p, stored?.level ?? 1, 'waive', stored ? `escalation ${stored.id}` : `the ${String(body.checkpoint)} risk`);
  const stopped: E | null = stored ? { ...stored, status: 'waived', waivedBy: actor, waivedAt: now, justification: body.justification, closedAt: now } : null;
  const waiver: Waiver = { checkpoint: body.checkpoint, cycle, justification: body.justification, waivedBy: actor, waivedAt: now, escalationId: stopped?.id ?? null };
  const base: Case = { ...c, waivers: [...(c.waivers ?? []), waiver] };
  return {
    case: stopped ? withSummary(base, stopped) : base,
    result: { waiver, escalation: stopped },
    drafts: [
      {
        actor,
        action: 'escalation.waived',
        data: { ...caseFacts(c), checkpoint: body.checkpoint, cycle, justification: body.justification, escalationId: stopped?.id ?? null, level: stopped?.level ?? null },
      },
    ],
  };
};

// --- workflow steps: each is a no-op (undefined) when the escalation has moved on, so a late or repeated step
// changes nothing and a step racing an acknowledgement or a waiver resolves once.

/** RecordEscalation: the workflow took the escalation up. */
export const escalationStarted = (c: Case, e: Escalation, now: string): Change<Escalation> | undefined => {
  if (e.status !== 'open' || e.startedAt) return undefined;
  const started: Escalation = { ...e, startedAt: now };
  return { case: c, result: started, drafts: [{ actor: ESCALATION_ACTOR, action: 'escalation.started', data: { escalationId: e.id, level: e.level } }] };
};

/** NotifySupervisor: the current level is told (the notification goes out from the audit event) and its timer starts. */
export const escalationNotified = (c: Case, e: Escalation, level: number, ackTimeoutMs: number, now: string): Change<Escalation> | undefined => {
  if (e.status !== 'open' || e.level !== level || e.notifiedAt) return undefined;
  const role = roleAtLevel(level);
  const ackDueAt = new Date(Date.parse(now) + ackTimeoutMs).toISOString();
  const notified: Escalation = { ...e, notifiedAt: now, ackDueAt };
  return {
    case: withSummary(c, notified),
    result: notified,
    drafts: [{ actor: ESCALATION_ACTOR, action: 'escalation.notified', data: { ...caseFacts(c), escalationId: e.id, level, role, reason: e.reason, ackDueAt } }],
  };
};

/** EscalateNextLevel: no acknowledgement in time; the next level will be told. */
export const escalationLevelRaised = (c: Case, e: Escalation, fromLevel: number, toLevel: number): Change<Escalation> | undefined => {
  if (e.status !== 'open' || e.level !== fromLevel) return undefined;
  const { notifiedAt: _n, ackDueAt, ...rest } = e;
  const raised: Escalation = { ...rest, level: toLevel };
  return {
    case: withSummary(c, raised),
    result: raised,
    drafts: [{ actor: ESCALATION_ACTOR, action: 'escalation.level_raised', data: { escalationId: e.id, fromLevel, toLevel, role: roleAtLevel(toLevel), ackDueAt: ackDueAt ?? null } }],
  };
};

/** EscalationClosed after the highest level's timeout: recorded as unacknowledged (the owner and admin are told). */
export const escalationUnacknowledged = (c: Case, e: Escalation, now: string): Change<Escalation> | undefined => {
  if (e.status !== 'open') return undefined;
  const closed: Escalation = { ...e, status: 'unacknowledged', closedAt: now };
  return {
    case: withSummary(c, closed),
    result: closed,
    drafts: [{ actor: ESCALATION_ACTOR, action: 'escalation.unacknowledged', data: { ...caseFacts(c), escalationId: e.id, level: e.level, reason: e.reason } }],
  };
};

/** Actions after which nothing is left to escalate: the customer has the final response, or the case is closed. */
export const CASE_ANSWERED_ACTIONS: readonly string[] = ['final_response.sent', 'complaint.closed'];

/**
 * The case was answered while escalations were still open: they are `resolved` with it (their workflows end instead of
 * climbing the ladder about a case that needs nothing more). Undefined when none is open.
 */
export const escalationsResolvedWithCase = (c: Case, escalations: StoredEscalation[], because: string, now: string): Change<StoredEscalation[]> | undefined => {
  const open = escalations.filter((e) => e.status === 'open');
  if (!open.length) return undefined;
  const resolved = open.map((e): StoredEscalation => ({ ...e, status: 'resolved', closedAt: now }));
  return {
    case: resolved.reduce(withSummary, c),
    result: resolved,
    drafts: [{ actor: ESCALATION_ACTOR, action: 'escalation.resolved', data: { escalationIds: resolved.map((e) => e.id), because } }],
  };
};

/** What a waiting acknowledgement step is resumed with once the escalation is no longer open. */
export const settledOutcome = (e: Escalation): { ok: true; output: Record<string, unknown> } | { ok: false; error: string; cause: string } | undefined => {
  if (e.status === 'acknowledged') return { ok: true, output: { escalationId: e.id, acknowledgedBy: e.acknowledgedBy ?? null } };
  if (e.status === 'waived') return { ok: false, error: 'Waived', cause: `escalation ${e.id} waived by ${e.waivedBy ?? '?'}` };
  if (e.status === 'resolved') return { ok: true, output: { escalationId: e.id, resolvedWithCase: true } };
  return undefined;
};

export const findEscalation = (escalations: StoredEscalation[], id: string): StoredEscalation => {
  const e = escalations.find((x) => x.id === id);
  if (!e) throw new NotFoundError(`escalation ${id} not found`);
  return e;
};
