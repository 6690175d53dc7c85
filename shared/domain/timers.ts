// Case timers: which one-time timers a case needs now, how two versions of a case differ in them, and what a
// timer does when it fires. Pure: the stream handler turns the difference into Scheduler calls, the checkpoint
// handler applies `fireTimer` inside the case transaction.
//
// A timer's name is deterministic (`<caseId>-<cycle>-<label>`), so creating it twice leaves one schedule and a
// delivery can always be matched to the case state it was planned from.
import type { Case } from '#schemas/complaint';
import type { Timer } from '#schemas/timer';
import type { AuditDraft } from './audit-chain';
import { RUNNING_CLOCK_STATUSES } from './deadlines';
import { present, type Change } from './lifecycle';

export type { Timer } from '#schemas/timer';

/** The actor recorded for what the deadline control does on its own. */
export const SYSTEM_ACTOR = 'system:deadline-control';

const label = (t: Pick<Timer, 'kind' | 'percent' | 'taskId'>): string => {
  if (t.kind === 'acknowledgement') return 'ack';
  if (t.kind === 'dependency') return `dep-${t.taskId}`;
  if (t.kind === 'feedback') return 'feedback';
  return t.percent === 100 ? 'breach' : `p${t.percent}`;
};

export const timerName = (caseId: string, cycle: number, t: Pick<Timer, 'kind' | 'percent' | 'taskId'>): string => `${caseId}-${cycle}-${label(t)}`;

const running = (c: Case): boolean => (RUNNING_CLOCK_STATUSES as readonly string[]).includes(c.status);

const currentCycle = (c: Case) => c.cycles[c.cycles.length - 1];

/**
 * Every timer the case needs in its current state: unfired checkpoints and the acknowledgement deadline of the
 * current cycle while its clock runs (none while paused: resuming plans them again at their shifted times), and
 * one per dependency blocked but not yet raised, while the case is open.
 */
export const plannedTimers = (c: Case): Timer[] => {
  const cycle = currentCycle(c);
  if (!cycle) return [];
  // The satisfaction follow-up waits after the final response (resolved or closed); a reopen drops it.
  if (!running(c)) return c.status === 'resolved' || c.status === 'closed' ? feedbackTimers(c, cycle.n) : [];
  const n = cycle.n;
  const make = (t: Omit<Timer, 'name' | 'caseId' | 'cycle'>): Timer => ({ name: timerName(c.id, n, t), caseId: c.id, cycle: n, ...t });
  const out: Timer[] = [];
  if (!cycle.stoppedAt && !c.clock?.pausedAt) {
    for (const cp of c.checkpoints) if (!cp.firedAt) out.push(make({ kind: 'checkpoint', percent: cp.percent, at: cp.at }));
    const acknowledged = c.acknowledgedAt !== undefined && c.acknowledgedAt >= cycle.startedAt;
    // (A case stored before clocks were recorded has nowhere to note a missed acknowledgement: no timer.)
    if (c.acknowledgementDueAt && c.clock && !acknowledged && !c.clock.acknowledgementMissedAt) out.push(make({ kind: 'acknowledgement', at: c.acknowledgementDueAt }));
  }
  for (const d of c.blockedDependencies ?? []) if (!d.raisedAt) out.push(make({ kind: 'dependency', taskId: d.taskId, at: d.raiseAt }));
  return out;
};

/** The current cycle's follow-up while its link has not gone out (earlier cycles' follow-ups were replaced by the reopen). */
const feedbackTimers = (c: Case, n: number): Timer[] => {
  const f = c.feedback?.find((r) => r.cycle === n);
  if (!f || f.requestedAt) return [];
  return [{ name: timerName(c.id, n, { kind: 'feedback' }), caseId: c.id, cycle: n, kind: 'feedback', at: f.followUpAt }];
};

export type TimerMap = Record<string, Timer>;

export const timerMap = (c: Case): TimerMap => Object.fromEntries(plannedTimers(c).map((t) => [t.name, t]));

export interface TimerDiff {
  /** New timers and timers whose time moved. */
  upsert: Timer[];
  /** Timers no longer wanted whose schedules may still be pending. */
  remove: string[];
}

/**
 * What changed between two versions of a case. A timer that left the plan at or after its own time fired (or
 * is firing): its one-time schedule deletes itself after delivery, so it costs no DeleteSchedule call.
 */
export const diffTimers = (before: TimerMap, after: TimerMap, changedAt: string): TimerDiff => {
  const upsert = Object.values(after).filter((t) => before[t.name]?.at !== t.at);
  const remove = Object.values(before)
    .filter((t) => !after[t.name] && Date.parse(t.at) > Date.parse(changedAt))
    .map((t) => t.name);
  return { upsert, remove };
};

export type FireOutcome = { fired: true; change: Change } | { fired: false; reason: IgnoredReason };

export type IgnoredReason = 'case_not_running' | 'stale_cycle' | 'already_done' | 'paused' | 'not_yet_due' | 'unknown_timer' | 'not_blocked';

const ignored = (reason: IgnoredReason): FireOutcome => ({ fired: false, reason });

/** Who to tell and what a subscriber needs, carried in the audit event the domain event is built from. */
/** The facts every deadline, escalation and approval event carries (who to tell, which regime). */
export const caseFacts = (c: Case) => ({ reference: c.reference, ownerId: c.ownerId, team: c.team ?? null, regime: c.regime });

/**
 * Applies a delivered timer to the case. Idempotent and order-proof: a repeated delivery finds the work done,
 * a late one for an older cycle or a closed case changes nothing, and one that arrives before its (moved) time
 * is ignored because the moved schedule will deliver again. Only a real change writes an audit event.
 */
export const fireTimer = (c: Case, t: Timer, now: string): FireOutcome => {
  const cycle = currentCycle(c);
  if (t.kind === 'feedback') return fireFeedback(c, t, now);
  if (!cycle || !running(c)) return ignored('case_not_running');
  if (t.cycle !== cycle.n) return ignored('stale_cycle');
  const nowMs = Date.parse(now);
  // The risk recorded with the case's last write: what the people watching it last saw.
  const before = c.risk;

  if (t.kind === 'dependency') {
    const deps = c.blockedDependencies ?? [];
    const dep = deps.find((d) => d.taskId === t.taskId);
    if (!dep) return ignored('not_blocked');
    if (dep.raisedAt) return ignored('already_done');
    if (nowMs < Date.parse(dep.raiseAt)) return ignored('not_yet_due');
    const next: Case = { ...c, blockedDependencies: deps.map((d) => (d.taskId === dep.taskId ? { ...d, raisedAt: now } : d)) };
    const risk = present(next, now).risk;
    const draft: AuditDraft = {
      actor: SYSTEM_ACTOR,
      action: 'dependency.blocked',
      data: { ...caseFacts(c), cycle: cycle.n, taskId: dep.taskId, blockedSince: dep.since, blockedForMs: nowMs - Date.parse(dep.since), risk: { from: before, to: risk } },
    };
    return { fired: true, change: { case: next, drafts: [draft], result: undefined } };
  }

  if (cycle.stoppedAt) return ignored('case_not_running');
  if (c.clock?.pausedAt) return ignored('paused');

  if (t.kind === 'acknowledgement') {
    if (!c.acknowledgementDueAt || !c.clock) return ignored('unknown_timer');
    if ((c.acknowledgedAt !== undefined && c.acknowledgedAt >= cycle.startedAt) || c.clock?.acknowledgementMissedAt) return ignored('already_done');
    if (nowMs < Date.parse(c.acknowledgementDueAt)) return ignored('not_yet_due');
    const next: Case = { ...c, clock: { ...c.clock, acknowledgementMissedAt: now } };
    const draft: AuditDraft = {
      actor: SYSTEM_ACTOR,
      action: 'acknowledgement.overdue',
      data: { ...caseFacts(c), cycle: cycle.n, acknowledgementDueAt: c.acknowledgementDueAt, firedAt: now },
    };
    return { fired: true, change: { case: next, drafts: [draft], result: undefined } };
  }

  const cp = c.checkpoints.find((k) => k.percent === t.percent);
  if (!cp) return ignored('unknown_timer');
  if (cp.firedAt) return ignored('already_done');
  if (nowMs < Date.parse(cp.at)) return ignored('not_yet_due');
  const next: Case = { ...c, checkpoints: c.checkpoints.map((k) => (k.percent === cp.percent ? { ...k, firedAt: now } : k)) };
  const risk = present(next, now).risk;
  const draft: AuditDraft = {
    actor: SYSTEM_ACTOR,
    action: cp.percent === 100 ? 'deadline.breached' : 'checkpoint.reached',
    data: {
      ...caseFacts(c),
      cycle: cycle.n,
      percent: cp.percent,
      at: cp.at,
      firedAt: now,
      lateByMs: nowMs - Date.parse(cp.at),
      finalResponseDueAt: c.finalResponseDueAt,
      risk: { from: before, to: risk },
    },
  };
  return { fired: true, change: { case: next, drafts: [draft], result: undefined } };
};

/** The actor recorded for the satisfaction follow-up. */
export const FEEDBACK_ACTOR = 'system:feedback';

/** The token id of a cycle's feedback link: one link per cycle, so a redelivered timer issues the same one. */
export const feedbackTokenId = (cycle: number): string => `c${cycle}`;

/**
 * The follow-up is due: the link is issued (its token id and expiry recorded, audited). Regime-independent; only
 * the current cycle's follow-up of a resolved or closed case goes out (a reopen replaced the earlier one).
 */
const fireFeedback = (c: Case, t: Timer, now: string): FireOutcome => {
  const cycle = currentCycle(c);
  if (!cycle || (c.status !== 'resolved' && c.status !== 'closed')) return ignored('case_not_running');
  if (t.cycle !== cycle.n) return ignored('stale_cycle');
  const f = c.feedback?.find((r) => r.cycle === t.cycle);
  if (!f) return ignored('unknown_timer');
  if (f.requestedAt) return ignored('already_done');
  if (Date.parse(now) < Date.parse(f.followUpAt)) return ignored('not_yet_due');
  const tokenId = feedbackTokenId(t.cycle);
  const expiresAt = new Date(Date.parse(now) + f.linkValidDays * 86_400_000).toISOString();
  const next: Case = { ...c, feedback: (c.feedback ?? []).map((r) => (r.cycle === t.cycle ? { ...r, requestedAt: now, tokenId, expiresAt } : r)) };
  const draft: AuditDraft = {
    actor: FEEDBACK_ACTOR,
    action: 'feedback.requested',
    data: { ...caseFacts(c), cycle: t.cycle, tokenId, expiresAt, followUpAt: f.followUpAt, channel: c.customer.email ? 'email' : c.channel },
  };
  return { fired: true, change: { case: next, drafts: [draft], result: undefined } };
};
