// Case lifecycle: which action is allowed in which status, and the pure state changes each makes.
import type { Case, CaseClock, CreateComplaintBody, Cycle, InformalResolution, ReclassifyBody, Risk, Status, UnverifiedSender } from '#schemas/complaint';
import type { CreateNoteBody, CreateTaskBody, Note, PatchTaskBody, Task } from '#schemas/children';
import type { Regime } from '#schemas/regime';
import type { AuditDraft } from './audit-chain';
import { businessDayDeadline, localDay } from './calendar';
import { atRiskFrom, computeDeadline, riskAt, shiftForPause, type Deadline } from './deadlines';
import { ConflictError, InvalidInputError } from './errors';
import { retainUntilOf, type RetentionYears } from './retention';
import { checkClosure } from './honest-metrics';
import { isoDuration } from './time-zone';
import type { ClosureOutcome, Inactivity, Withdrawal } from '#schemas/marking';

export type CaseAction =
  | 'reclassify'
  | 'reassign'
  | 'acknowledge'
  | 'add_task'
  | 'update_task'
  | 'add_note'
  | 'add_evidence'
  | 'close'
  | 'reopen'
  | 'pause_clock'
  | 'resume_clock'
  | 'extend_clock'
  | 'delay_clock'
  | 'propose_resolution'
  | 'final_response'
  | 'escalate'
  | 'waive_escalation';

const ACTIVE: readonly Status[] = ['open', 'awaiting_approval', 'resolved'];
export const ALLOWED_FROM: Record<CaseAction, readonly Status[]> = {
  reclassify: ACTIVE,
  reassign: ACTIVE,
  acknowledge: ['open', 'awaiting_approval'],
  add_task: ACTIVE,
  update_task: ACTIVE,
  add_note: ACTIVE,
  add_evidence: ACTIVE,
  close: ['open', 'resolved'],
  reopen: ['closed'],
  // The clock runs until the final response (resolved) or closure; only a running clock can be paused or extended.
  pause_clock: ['open', 'awaiting_approval'],
  resume_clock: ['open', 'awaiting_approval'],
  extend_clock: ['open', 'awaiting_approval'],
  delay_clock: ['open', 'awaiting_approval'],
  // A proposal is made on a running case (re-proposed after a rejection, which returns the case to open).
  propose_resolution: ['open'],
  final_response: ['open'],
  // Escalation is about a running clock: once the final response is out there is nothing left to chase.
  escalate: ['open', 'awaiting_approval'],
  waive_escalation: ['open', 'awaiting_approval'],
};

export const assertAllowed = (c: Pick<Case, 'status' | 'reference'>, action: CaseAction): void => {
  if (!ALLOWED_FROM[action].includes(c.status)) {
    throw new ConflictError(`cannot ${action.replace('_', ' ')} a complaint that is ${c.status}`, {
      currentStatus: c.status,
      action,
      allowedFrom: [...ALLOWED_FROM[action]],
    });
  }
};

export interface Change<T = undefined> {
  case: Case;
  drafts: AuditDraft[];
  result: T;
  /**
   * Audit-only bookkeeping (an export job's progress, a download link issued, a workflow's task token): its events join
   * the case's hash chain, but the case's version (its ETag) and updatedAt stay, so a client's ETag is not made stale by
   * something that did not change the case. Only BOOKKEEPING_FIELDS of the case may differ.
   */
  bookkeeping?: true;
}

/** Case fields that record bookkeeping, not the case: a bookkeeping change may set them without a new version. */
export const BOOKKEEPING_FIELDS = ['activeExportId'] as const satisfies readonly (keyof Case)[];

/** The risk shown to readers is derived from the current cycle and the time of reading. */
export const present = (c: Case, now: string): Case => {
  const cycle = c.cycles[c.cycles.length - 1];
  // A paused clock is judged at the moment it paused (its due times move on resume).
  const at = !cycle?.stoppedAt && c.clock?.pausedAt ? c.clock.pausedAt : now;
  let risk = riskAt({ checkpoints: c.checkpoints, dueAt: c.finalResponseDueAt }, at, cycle?.stoppedAt);
  // A dependency blocked past its threshold puts a running case at risk, whatever its clock says.
  if (risk === 'on_track' && !cycle?.stoppedAt && c.blockedDependencies?.some((d) => d.raisedAt)) risk = 'at_risk';
  return { ...c, risk };
};

/**
 * Whether every read of this version showed what a read now shows, so a client holding this version's ETag may be
 * answered 304. `risk` is the one field a read derives from the clock, and within a version it only moves forward
 * (on_track, at_risk, overdue; frozen while paused or stopped): equal at the write and now means equal in between.
 * When it has moved (a checkpoint passed and its timer has not yet written the next version), the read is a 200.
 */
export const unchangedSinceWrite = (c: Case, now: string): boolean => present(c, c.updatedAt).risk === present(c, now).risk;

/**
 * What a list filters risk on without reading the clock: when the case turns at risk (its 75 % checkpoint, or
 * earlier when a blocked dependency raised it) and, while paused, the risk frozen at the pause.
 */
export const riskIndex = (c: Case): { atRiskAt: string; pausedRisk?: Risk } => {
  const raised = (c.blockedDependencies ?? []).map((d) => d.raisedAt).filter((x): x is string => x !== undefined);
  const atRiskAt = [atRiskFrom(c), ...raised].filter(Boolean).sort()[0] ?? '';
  const cycle = c.cycles[c.cycles.length - 1];
  const paused = !cycle?.stoppedAt && c.clock?.pausedAt;
  return { atRiskAt, ...(paused ? { pausedRisk: present(c, paused).risk } : {}) };
};

/** Default time a task may stay blocked before its case is raised to at_risk (DEPENDENCY_BLOCKED_HOURS). */
export const DEFAULT_DEPENDENCY_BLOCKED_MS = 24 * 3_600_000;

export interface OpenContext {
  id: string;
  reference: string;
  ownerId: string;
  team?: string;
  assignmentRule: string;
  regime: Regime;
  actor: string;
  now: string;
  /** The closed case this repeat complaint follows (a helpdesk ticket escalated again after closure). */
  repeatOf?: { caseId: string; reference: string };
  /** An email whose sender was not authenticated (SPF/DKIM/DMARC, SES verdicts): shown until a person links it. */
  unverifiedSender?: UnverifiedSender;
}

/** Backdating is never allowed beyond a year, whatever the regime. */
export const MAX_BACKDATING_MS = 366 * 86_400_000;

/**
 * How far back `receivedAt` may lie under a regime: twice its longest final-response window (the extended
 * deadline where the regime has a fixed one), measured as elapsed time for a complaint received now, and never
 * more than MAX_BACKDATING_MS. An older receipt would open a case that was already long overdue at intake,
 * which is almost always a data-entry error (wrong year) rather than a late-logged complaint.
 */
export const maxBackdatingMs = (regime: Regime, now: string): number => {
  const windowOf = (extended: boolean) => {
    const d = computeDeadline(regime, now, { extended });
    return Date.parse(d.dueAt) - Date.parse(now);
  };
  const fixedExtension = regime.extension.allowed && regime.extension.clock !== undefined;
  const window = Math.max(windowOf(false), fixedExtension ? windowOf(true) : 0);
  return Math.min(2 * window, MAX_BACKDATING_MS);
};

/** The clock starts at receipt, which cannot be later than now nor older than the regime allows (maxBackdatingMs). */
export const clockStart = (body: Pick<CreateComplaintBody, 'receivedAt'>, now: string, regime?: Regime): string => {
  const receivedAt = body.receivedAt ? new Date(body.receivedAt).toISOString() : now;
  if (Date.parse(receivedAt) > Date.parse(now)) {
    throw new InvalidInputError('receivedAt is in the future', [{ field: 'body.receivedAt', message: 'must not be in the future' }]);
  }
  if (regime) {
    const max = maxBackdatingMs(regime, now);
    if (Date.parse(now) - Date.parse(receivedAt) > max) {
      const days = Math.floor(max / 86_400_000);
      throw new InvalidInputError(`receivedAt is older than the ${regime.id} regime allows`, [
        { field: 'body.receivedAt', message: `must be no more than ${days} days before now (twice the ${regime.id} final-response window, at most one year)` },
      ]);
    }
  }
  return receivedAt;
};

/** The clock fields a cycle stores on the case: due times, checkpoints and how they were counted. */
const clockFields = (regime: Regime, d: Deadline): Pick<Case, 'finalResponseDueAt' | 'checkpoints' | 'acknowledgementDueAt'> & { clock: CaseClock } => {
  const clock: CaseClock = {
    receiptDate: d.receiptDate,
    startsAt: d.clockStartsAt,
    basis: d.basis,
    clockId: d.clock.id,
    amount: d.clock.amount,
    unit: d.clock.unit,
    timeZone: regime.calendar.timeZone,
    calendar: regime.calendar.region,
    ...(d.summaryResolutionEndsAt ? { summaryResolutionEndsAt: d.summaryResolutionEndsAt } : {}),
    ...(d.extendedDueAt ? { extendedDueAt: d.extendedDueAt } : {}),
    ...(d.customerUpdatesDueAt ? { customerUpdatesDueAt: d.customerUpdatesDueAt } : {}),
  };
  return {
    finalResponseDueAt: d.dueAt,
    checkpoints: d.checkpoints,
    ...(d.acknowledgementDueAt ? { acknowledgementDueAt: d.acknowledgementDueAt } : {}),
    clock,
  };
};

/** A new clock cycle with the deadlines reporting measures it against. */
const cycleStart = (n: number, startedAt: string, d: Deadline): Cycle => ({
  n,
  startedAt,
  dueAt: d.dueAt,
  ...(d.acknowledgementDueAt ? { acknowledgementDueAt: d.acknowledgementDueAt } : {}),
  ...(d.summaryResolutionEndsAt ? { summaryResolutionEndsAt: d.summaryResolutionEndsAt } : {}),
});

/** The case's cycles with the current (last) one changed. */
export const withCurrentCycle = (c: Pick<Case, 'cycles'>, change: (cy: Cycle) => Cycle): Cycle[] => c.cycles.map((cy, i) => (i === c.cycles.length - 1 ? change(cy) : cy));

/** What the audit trail records about a cycle's clock. */
const clockAudit = (d: Deadline) => ({
  finalResponseDueAt: d.dueAt,
  clockStartsAt: d.clockStartsAt,
  ...(d.acknowledgementDueAt ? { acknowledgementDueAt: d.acknowledgementDueAt } : {}),
  ...(d.summaryResolutionEndsAt ? { summaryResolutionEndsAt: d.summaryResolutionEndsAt } : {}),
});

export const openCase = (body: CreateComplaintBody, ctx: OpenContext): Change => {
  const receivedAt = clockStart(body, ctx.now, ctx.regime);
  const deadline = computeDeadline(ctx.regime, receivedAt);
  const c: Case = {
    id: ctx.id,
    reference: ctx.reference,
    status: 'open',
    ownerId: ctx.ownerId,
    ...(ctx.team ? { team: ctx.team } : {}),
    handoffs: [],
    handoffCount: 0,
    regime: ctx.regime.id,
    ...(body.calendar ? { calendar: body.calendar } : {}),
    receivedAt,
    ...clockFields(ctx.regime, deadline),
    cycles: [cycleStart(1, receivedAt, deadline)],
    risk: 'on_track',
    escalations: [],
    category: body.category,
    severity: body.severity ?? 'medium',
    vulnerable: body.customer.vulnerable ?? false,
    sensitivity: body.sensitivity ?? 'standard',
    legalExposure: false,
    reputationalRisk: false,
    customer: body.customer,
    channel: body.channel,
    summary: body.summary,
    description: body.description,
    product: body.product,
    ...(body.allegedLoss ? { allegedLoss: body.allegedLoss } : {}),
    ...(body.externalRef ? { externalRef: body.externalRef } : {}),
    ...(body.sourceRecordType ? { sourceRecordType: body.sourceRecordType } : {}),
    ...(body.incidentIds?.length ? { incidentIds: [...new Set(body.incidentIds)] } : {}),
    ...(ctx.repeatOf ? { repeatOf: ctx.repeatOf } : {}),
    ...(ctx.unverifiedSender ? { unverifiedSender: ctx.unverifiedSender } : {}),
    legalHold: false,
    reopenCount: 0,
    openTaskCount: 0,
    version: 1,
    createdBy: ctx.actor,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  return {
    case: present(c, ctx.now),
    result: undefined,
    drafts: [
      {
        actor: ctx.actor,
        action: 'complaint.received',
        data: {
          reference: c.reference,
          channel: c.channel,
          regime: c.regime,
          calendar: ctx.regime.calendar.region,
          receivedAt,
          ...clockAudit(deadline),
          category: c.category,
          sensitivity: c.sensitivity,
          ...(c.externalRef ? { externalRef: c.externalRef } : {}),
          ...(c.repeatOf ? { repeatOf: c.repeatOf } : {}),
          ...(c.unverifiedSender ? { unverifiedSender: c.unverifiedSender } : {}),
        },
      },
      { actor: ctx.actor, action: 'owner.assigned', data: { ownerId: c.ownerId, team: ctx.team ?? null, rule: ctx.assignmentRule } },
    ],
  };
};

export const reclassify = (c: Case, patch: ReclassifyBody, actor: string): Change => {
  assertAllowed(c, 'reclassify');
  const { reason, ...fields } = patch;
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const next: Case = { ...c };
  for (const [key, to] of Object.entries(fields) as [keyof typeof fields, unknown][]) {
    if (to === undefined || next[key] === to) continue;
    changes[key] = { from: next[key], to };
    (next as Record<string, unknown>)[key] = to;
  }
  if (Object.keys(changes).length === 0) throw new ConflictError('nothing to change: every field already has that value');
  return { case: next, result: undefined, drafts: [{ actor, action: 'complaint.reclassified', data: { changes, reason: reason ?? null } }] };
};

const withoutAbsenceFlag = (c: Case): Case => {
  const { ownerAbsence: _settled, ...rest } = c;
  return rest;
};

export const reassign = (c: Case, ownerId: string, reason: string, actor: string, now: string): Change => {
  assertAllowed(c, 'reassign');
  if (ownerId === c.ownerId) throw new ConflictError(`${ownerId} already owns this complaint`);
  const handoff = { from: c.ownerId, to: ownerId, by: actor, at: now, reason };
  return {
    // A new owner answers for the case: an absence flag about the previous one is settled by this handoff.
    case: { ...withoutAbsenceFlag(c), ownerId, handoffs: [...c.handoffs, handoff], handoffCount: c.handoffCount + 1 },
    result: undefined,
    drafts: [{ actor, action: 'owner.changed', data: { from: c.ownerId, to: ownerId, reason, handoffCount: c.handoffCount + 1 } }],
  };
};

export const acknowledge = (c: Case, body: { channel?: string; text?: string }, actor: string, now: string): Change => {
  assertAllowed(c, 'acknowledge');
  if (c.acknowledgedAt && c.acknowledgedAt >= (c.cycles[c.cycles.length - 1]?.startedAt ?? '')) {
    throw new ConflictError(`acknowledgement already recorded at ${c.acknowledgedAt}`);
  }
  return {
    case: { ...c, acknowledgedAt: now, cycles: withCurrentCycle(c, (cy) => ({ ...cy, acknowledgedAt: now })) },
    result: undefined,
    drafts: [{ actor, action: 'acknowledgement.sent', data: { channel: body.channel ?? c.channel, text: body.text ?? null, finalResponseDueAt: c.finalResponseDueAt } }],
  };
};

export const addTask = (c: Case, body: CreateTaskBody, ids: { taskId: string }, actor: string, now: string): Change<Task> => {
  assertAllowed(c, 'add_task');
  const task: Task = {
    id: ids.taskId,
    caseId: c.id,
    title: body.title,
    team: body.team,
    ...(body.assigneeId ? { assigneeId: body.assigneeId } : {}),
    ...(body.dueAt ? { dueAt: new Date(body.dueAt).toISOString() } : {}),
    status: 'open',
    createdBy: actor,
    createdAt: now,
    updatedAt: now,
  };
  return {
    case: { ...c, openTaskCount: c.openTaskCount + 1 },
    result: task,
    drafts: [{ actor, action: 'task.created', data: { taskId: task.id, title: task.title, team: task.team, assigneeId: task.assigneeId ?? null, dueAt: task.dueAt ?? null } }],
  };
};

export const updateTask = (c: Case, task: Task, patch: PatchTaskBody, actor: string, now: string, opts: { dependencyBlockedMs?: number } = {}): Change<Task> => {
  assertAllowed(c, 'update_task');
  if (task.status === 'done' && patch.status && patch.status !== 'done') {
    throw new ConflictError('a done task cannot be reopened; create a new task');
  }
  const next: Task = { ...task, updatedAt: now };
  const changes: Record<string, unknown> = {};
  if (patch.status && patch.status !== task.status) {
    next.status = patch.status;
    changes.status = { from: task.status, to: patch.status };
    if (patch.status === 'blocked') next.blockedSince = now;
    if (task.status === 'blocked') {
      changes.blockedFor = { since: task.blockedSince, until: now };
      delete next.blockedSince;
      delete next.blockedReason;
    }
    if (patch.status === 'done') next.completedAt = now;
  }
  if (patch.blockedReason !== undefined) {
    if (next.status !== 'blocked') throw new InvalidInputError('blockedReason applies only to a blocked task', [{ field: 'body.blockedReason', message: 'set status to blocked' }]);
    next.blockedReason = patch.blockedReason;
    changes.blockedReason = patch.blockedReason;
  }
  if (patch.findings !== undefined) {
    next.findings = patch.findings;
    changes.findings = patch.findings;
  }
  if (patch.assigneeId !== undefined && patch.assigneeId !== task.assigneeId) {
    next.assigneeId = patch.assigneeId;
    changes.assigneeId = { from: task.assigneeId ?? null, to: patch.assigneeId };
  }
  if (Object.keys(changes).length === 0) throw new ConflictError('nothing to change: the task already has those values');
  const wasOpen = task.status !== 'done';
  const isOpen = next.status !== 'done';
  const openTaskCount = c.openTaskCount + (isOpen ? 1 : 0) - (wasOpen ? 1 : 0);
  // A blocked task starts its own timer: past the threshold it raises the case (DependencyBlocked).
  let blockedDependencies = (c.blockedDependencies ?? []).filter((d) => d.taskId !== task.id);
  if (next.status === 'blocked') {
    const since = next.blockedSince ?? now;
    const kept = c.blockedDependencies?.find((d) => d.taskId === task.id);
    blockedDependencies = [...blockedDependencies, kept ?? { taskId: task.id, since, raiseAt: new Date(Date.parse(since) + (opts.dependencyBlockedMs ?? DEFAULT_DEPENDENCY_BLOCKED_MS)).toISOString() }];
  }
  const { blockedDependencies: _old, ...rest } = c;
  return {
    case: { ...rest, openTaskCount, ...(blockedDependencies.length ? { blockedDependencies } : {}) },
    result: next,
    drafts: [{ actor, action: 'task.updated', data: { taskId: task.id, changes } }],
  };
};

export const addNote = (c: Case, body: CreateNoteBody, ids: { noteId: string }, actor: string, now: string): Change<Note> => {
  assertAllowed(c, 'add_note');
  const note: Note = { id: ids.noteId, caseId: c.id, kind: body.kind, body: body.body, authorId: actor, createdAt: now };
  return { case: c, result: note, drafts: [{ actor, action: 'note.added', data: { noteId: note.id, kind: note.kind, body: note.body } }] };
};

/** Closing starts the record-keeping period: `retainUntil` = closure + the regime's retention (RETENTION_YEARS overrides it). */
/**
 * The RG 271 informal path: the regime is an RG 271 one, no final response was sent in this cycle, the complainant did
 * not ask for a written response, and the resolution came by close of business on the fifth business day after the
 * day of receipt (the case's business-location calendar). Anything else needs the written IDR response.
 */
const checkInformalResolution = (c: Case, regime: Regime | undefined, ir: InformalResolution, now: string): { windowEndsAt: string; ruleId: string; citation: string } => {
  const field = 'body.informalResolution';
  const path = regime?.informalResolution;
  if (!regime || !path) {
    throw new ConflictError(`closing without a written response is an ASIC RG 271 path; the ${c.regime} regime requires its response`, { regime: c.regime });
  }
  const cycle = c.cycles[c.cycles.length - 1]!;
  if (c.status !== 'open' || cycle.respondedAt) throw new ConflictError('a response was already sent in this cycle: close it without informalResolution', { currentStatus: c.status });
  if (ir.writtenResponseRequested) {
    throw new ConflictError('the complainant asked for a written response: send the IDR response (POST …/final-response) before closing', { rule: path.ruleId });
  }
  const resolvedAt = new Date(ir.resolvedAt).toISOString();
  if (resolvedAt < cycle.startedAt || resolvedAt > now) {
    throw new InvalidInputError('resolvedAt must lie between the receipt of the complaint and now', [{ field: `${field}.resolvedAt`, message: `must be between ${cycle.startedAt} and ${now}` }]);
  }
  const windowEndsAt = businessDayDeadline(localDay(cycle.startedAt, regime.calendar), path.businessDays, regime.calendar);
  if (resolvedAt > windowEndsAt) {
    throw new ConflictError(`resolved after business day ${path.businessDays} (${windowEndsAt}): a written IDR response is required`, { windowEndsAt, rule: path.ruleId });
  }
  return { windowEndsAt, ruleId: path.ruleId, citation: path.citation };
};

export const close = (
  c: Case,
  body: { followUpAction: string; rootCause?: Case['rootCause']; informalResolution?: InformalResolution; outcome?: ClosureOutcome; inactivity?: Inactivity; withdrawal?: Withdrawal },
  actor: string,
  now: string,
  retention: { retentionYears?: RetentionYears; regime?: Regime } = {},
): Change => {
  assertAllowed(c, 'close');
  const informal = body.informalResolution ? checkInformalResolution(c, retention.regime, body.informalResolution, now) : undefined;
  if (body.informalResolution && body.outcome && body.outcome !== 'resolved') {
    throw new InvalidInputError('an informal resolution is a resolution', [{ field: 'body.outcome', message: 'must be resolved with informalResolution' }]);
  }
  // Closed for inactivity or withdrawn: checked against its rules (#domain/honest-metrics); no root cause may be known.
  const unresolved = checkClosure(c, c.cycles[c.cycles.length - 1]!, body, now);
  const rootCause = body.rootCause ?? c.rootCause;
  if (!rootCause && !unresolved) {
    throw new InvalidInputError('a root cause is required to close this complaint', [{ field: 'body.rootCause', message: 'required (the resolution did not give one)' }]);
  }
  if (c.openTaskCount > 0) {
    throw new ConflictError(`${c.openTaskCount} investigation task(s) are still open or blocked`, { openTaskCount: c.openTaskCount });
  }
  const outcome = body.outcome && body.outcome !== 'resolved' ? { outcome: body.outcome } : {};
  const cycles = withCurrentCycle(c, (cy) => ({ ...cy, ...(cy.stoppedAt ? {} : { stoppedAt: now, reason: 'closed' }), closedAt: now, ...outcome }));
  const retainUntil = retainUntilOf(c.regime, now, retention.retentionYears);
  const ir = body.informalResolution ? { ...body.informalResolution, resolvedAt: new Date(body.informalResolution.resolvedAt).toISOString() } : undefined;
  return {
    case: { ...c, status: 'closed', ...(rootCause ? { rootCause } : {}), followUpAction: body.followUpAction, closedAt: now, cycles, retainUntil, ...(ir ? { informalResolution: ir } : {}) },
    result: undefined,
    drafts: [
      {
        actor,
        action: 'complaint.closed',
        data: {
          rootCause: rootCause ?? null,
          followUpAction: body.followUpAction,
          ...(unresolved ?? {}),
          respondedWithinDeadline: Date.parse(now) <= Date.parse(c.finalResponseDueAt),
          retainUntil,
          ...(ir && informal ? { writtenResponse: 'not_required', informalResolution: ir, windowEndsAt: informal.windowEndsAt, rule: informal.ruleId, citation: informal.citation } : {}),
        },
      },
    ],
  };
};

export const reopen = (c: Case, reason: string, regime: Regime, actor: string, now: string): Change => {
  assertAllowed(c, 'reopen');
  if (c.redaction) throw new ConflictError(`the complaint's personal data was redacted at the end of retention (${c.redaction.at}); open a new complaint`, { redactedAt: c.redaction.at });
  const deadline = computeDeadline(regime, now);
  const n = c.cycles.length + 1;
  // A reopened case is live again: its record-keeping period starts over at the next close.
  const { closedAt: _closed, acknowledgementDueAt: _ackDue, retainUntil: _retain, informalResolution: _informal, ...rest } = c;
  return {
    case: {
      ...rest,
      status: 'open',
      reopenCount: c.reopenCount + 1,
      ...clockFields(regime, deadline),
      cycles: [...c.cycles, cycleStart(n, now, deadline)],
      // The new cycle needs its own resolution: the previous proposal no longer authorises a final response.
      ...(c.resolution ? { resolution: { ...c.resolution, status: 'superseded' } } : {}),
    },
    result: undefined,
    drafts: [{ actor, action: 'complaint.reopened', data: { reason, cycle: n, ...clockAudit(deadline), reopenCount: c.reopenCount + 1 } }],
  };
};

// ---------- the clock: pause, resume, extend ----------

const currentCycle = (c: Case) => {
  const cycle = c.cycles[c.cycles.length - 1];
  if (!cycle) throw new Error(`complaint ${c.id} has no clock cycle`);
  return cycle;
};

/** The stored clock of the current cycle; cases stored before it existed get it derived from the cycle start. */
const clockOfCase = (c: Case, regime: Regime): CaseClock => c.clock ?? clockFields(regime, computeDeadline(regime, currentCycle(c).startedAt)).clock;

const assertRunning = (c: Case, action: CaseAction): void => {
  assertAllowed(c, action);
  const cycle = currentCycle(c);
  if (cycle.stoppedAt) throw new ConflictError(`the clock of cycle ${cycle.n} stopped at ${cycle.stoppedAt}`, { cycle: cycle.n, stoppedAt: cycle.stoppedAt, action });
};

const withCycleDue = (c: Case, dueAt: string): Case['cycles'] => withCurrentCycle(c, (cy) => ({ ...cy, dueAt }));

/** Stops the clock where the regime allows it (mayPause); the due times move when it resumes. */
export const pauseClock = (c: Case, regime: Regime, reason: string, actor: string, now: string): Change => {
  assertRunning(c, 'pause_clock');
  if (!regime.mayPause) {
    throw new ConflictError(`the ${regime.id} regime does not allow the clock to pause: ${regime.pauseRule}`, { regime: regime.id, action: 'pause' });
  }
  const clock = clockOfCase(c, regime);
  if (clock.pausedAt) throw new ConflictError(`the clock is already paused since ${clock.pausedAt}`, { pausedAt: clock.pausedAt, action: 'pause' });
  return {
    case: { ...c, clock: { ...clock, pausedAt: now, pauseReason: reason } },
    result: undefined,
    drafts: [{ actor, action: 'clock.paused', data: { reason, pausedAt: now, cycle: currentCycle(c).n, finalResponseDueAt: c.finalResponseDueAt } }],
  };
};

/**
 * Restarts a paused clock: every pending due time and unfired checkpoint keeps the clock time it had left when the
 * pause began (shiftForPause: business time for business-day clocks, elapsed time otherwise).
 */
export const resumeClock = (c: Case, regime: Regime, reason: string, actor: string, now: string): Change => {
  assertRunning(c, 'resume_clock');
  const clock = clockOfCase(c, regime);
  const pausedAt = clock.pausedAt;
  if (!pausedAt) throw new ConflictError('the clock is not paused', { action: 'resume' });
  const shifted = shiftForPause(
    {
      finalResponseDueAt: c.finalResponseDueAt,
      checkpoints: c.checkpoints,
      ...(c.acknowledgementDueAt ? { acknowledgementDueAt: c.acknowledgementDueAt } : {}),
      ...(clock.summaryResolutionEndsAt ? { summaryResolutionEndsAt: clock.summaryResolutionEndsAt } : {}),
      ...(clock.extendedDueAt ? { extendedDueAt: clock.extendedDueAt } : {}),
      ...(clock.customerUpdatesDueAt ? { customerUpdatesDueAt: clock.customerUpdatesDueAt } : {}),
    },
    pausedAt,
    now,
    regime,
  );
  const pausedMs = Date.parse(now) - Date.parse(pausedAt);
  const { pausedAt: _p, pauseReason: _r, ...rest } = clock;
  const nextClock: CaseClock = {
    ...rest,
    pausedMs: (clock.pausedMs ?? 0) + pausedMs,
    ...(shifted.summaryResolutionEndsAt ? { summaryResolutionEndsAt: shifted.summaryResolutionEndsAt } : {}),
    ...(shifted.extendedDueAt ? { extendedDueAt: shifted.extendedDueAt } : {}),
    ...(shifted.customerUpdatesDueAt ? { customerUpdatesDueAt: shifted.customerUpdatesDueAt } : {}),
  };
  const due = shifted.finalResponseDueAt ?? c.finalResponseDueAt;
  return {
    case: {
      ...c,
      finalResponseDueAt: due,
      checkpoints: shifted.checkpoints,
      ...(shifted.acknowledgementDueAt ? { acknowledgementDueAt: shifted.acknowledgementDueAt } : {}),
      cycles: withCurrentCycle(c, (cy) => ({
        ...cy,
        dueAt: due,
        ...(cy.acknowledgementDueAt && shifted.acknowledgementDueAt ? { acknowledgementDueAt: shifted.acknowledgementDueAt } : {}),
        ...(cy.summaryResolutionEndsAt && shifted.summaryResolutionEndsAt ? { summaryResolutionEndsAt: shifted.summaryResolutionEndsAt } : {}),
      })),
      clock: nextClock,
    },
    result: undefined,
    drafts: [
      {
        actor,
        action: 'clock.resumed',
        data: { reason, pausedAt, resumedAt: now, pausedFor: isoDuration(pausedMs), pausedForMs: pausedMs, cycle: currentCycle(c).n, finalResponseDueAt: { from: c.finalResponseDueAt, to: due } },
      },
    ],
  };
};

/**
 * Extends the current cycle to the regime's extended deadline (UK_FCA_PSD exceptional circumstances: 35 business
 * days; US_CFPB: 60 calendar days), once per cycle and only before the current deadline has passed (the holding or
 * "in progress" response is due within the original window). Regimes with no fixed extended deadline answer 409.
 */
export const extendClock = (c: Case, regime: Regime, reason: string, actor: string, now: string): Change => {
  assertRunning(c, 'extend_clock');
  if (!regime.extension.allowed || !regime.extension.clock) {
    throw new ConflictError(`the ${regime.id} regime has no fixed extended deadline: ${regime.extension.condition}`, { regime: regime.id, action: 'extend' });
  }
  const clock = clockOfCase(c, regime);
  const cycle = currentCycle(c);
  if (clock.extendedAt || clock.clockId === regime.extension.clock) {
    throw new ConflictError(`cycle ${cycle.n} was already extended${clock.extendedAt ? ` at ${clock.extendedAt}` : ''}; an extension is allowed once per cycle`, { cycle: cycle.n, action: 'extend' });
  }
  if (clock.pausedAt) throw new ConflictError('resume the paused clock before extending it', { pausedAt: clock.pausedAt, action: 'extend' });
  if (Date.parse(now) > Date.parse(c.finalResponseDueAt)) {
    throw new ConflictError(`the deadline ${c.finalResponseDueAt} has passed; an extension must be taken within the original window`, { finalResponseDueAt: c.finalResponseDueAt, action: 'extend' });
  }
  const deadline = computeDeadline(regime, cycle.startedAt, { extended: true });
  const fields = clockFields(regime, deadline);
  // A checkpoint that already fired and still lies in the past on the new schedule keeps its firedAt; the others are pending again.
  const fired = new Map(c.checkpoints.filter((k) => k.firedAt).map((k) => [k.percent, k.firedAt!]));
  const checkpoints = fields.checkpoints.map((k) => (fired.has(k.percent) && Date.parse(k.at) <= Date.parse(now) ? { ...k, firedAt: fired.get(k.percent)! } : k));
  return {
    case: {
      ...c,
      finalResponseDueAt: deadline.dueAt,
      checkpoints,
      cycles: withCycleDue(c, deadline.dueAt),
      clock: {
        ...fields.clock,
        ...(clock.pausedMs ? { pausedMs: clock.pausedMs } : {}),
        // Extending the final-response clock does not move the acknowledgement deadline, missed or not.
        ...(clock.acknowledgementMissedAt ? { acknowledgementMissedAt: clock.acknowledgementMissedAt } : {}),
        extendedAt: now,
        extensionReason: reason,
      },
    },
    result: undefined,
    drafts: [
      {
        actor,
        action: 'clock.extended',
        data: {
          justification: reason,
          cycle: cycle.n,
          from: c.finalResponseDueAt,
          to: deadline.dueAt,
          clock: fields.clock.clockId,
          amount: fields.clock.amount,
          unit: fields.clock.unit,
          citation: regime.extension.citation,
        },
      },
    ],
  };
};

/**
 * Records why the final response is delayed and when it is expected: what the holding letter must state (DISP
 * 1.6.2R(2)(a); the CPC 2025 after 40 business days; RG 271 IDR delay notification). The expected date may not lie
 * before today (the regime's local date); a later record replaces an earlier one, each audited.
 */
export const recordDelay = (c: Case, regime: Regime, body: { reason: string; expectedBy: string }, actor: string, now: string): Change => {
  assertRunning(c, 'delay_clock');
  const today = localDay(now, regime.calendar);
  if (body.expectedBy < today) {
    throw new InvalidInputError('expectedBy is in the past', [{ field: 'body.expectedBy', message: `must be ${today} or later (local date of the ${regime.id} regime)` }]);
  }
  const clock = clockOfCase(c, regime);
  const delay = { reason: body.reason, expectedBy: body.expectedBy, recordedAt: now, by: actor };
  return {
    case: { ...c, clock: { ...clock, delay } },
    result: undefined,
    drafts: [{ actor, action: 'clock.delay_recorded', data: { reason: body.reason, expectedBy: body.expectedBy, cycle: currentCycle(c).n, finalResponseDueAt: c.finalResponseDueAt, previous: clock.delay ? { expectedBy: clock.delay.expectedBy } : null } }],
  };
};

/**
 * Moves a running case to another business location's calendar (`regime` is the case's regime at that location):
 * the current cycle is recounted from its receipt, keeping an extension, a recorded delay and a missed acknowledgement.
 * Checkpoints already fired that still lie in the past keep their firedAt; the others are pending again, so the
 * stream re-plans (upserts or removes) the case's timers through the deadline control.
 */
export const relocateClock = (c: Case, regime: Regime, reason: string | undefined, actor: string, now: string): Change => {
  assertRunning(c, 'reclassify');
  const clock = clockOfCase(c, regime);
  if (clock.pausedAt || clock.pausedMs) throw new ConflictError('a paused cycle cannot be recounted on another calendar', { action: 'calendar' });
  const from = c.clock?.calendar ?? null;
  if (from === regime.calendar.region) throw new ConflictError(`the case already counts on ${String(from)}`, { calendar: from });
  const cycle = currentCycle(c);
  const deadline = computeDeadline(regime, cycle.startedAt, { extended: Boolean(clock.extendedAt) });
  const fields = clockFields(regime, deadline);
  const fired = new Map(c.checkpoints.filter((k) => k.firedAt).map((k) => [k.percent, k.firedAt!]));
  const checkpoints = fields.checkpoints.map((k) => (fired.has(k.percent) && Date.parse(k.at) <= Date.parse(now) ? { ...k, firedAt: fired.get(k.percent)! } : k));
  const keep = <K extends keyof CaseClock>(k: K) => (clock[k] !== undefined ? { [k]: clock[k] } : {});
  return {
    case: {
      ...c,
      calendar: regime.calendar.region ?? undefined,
      finalResponseDueAt: deadline.dueAt,
      ...(fields.acknowledgementDueAt ? { acknowledgementDueAt: fields.acknowledgementDueAt } : {}),
      checkpoints,
      cycles: withCurrentCycle(c, (cy) => ({
        ...cy,
        dueAt: deadline.dueAt,
        ...(deadline.acknowledgementDueAt ? { acknowledgementDueAt: deadline.acknowledgementDueAt } : {}),
        ...(deadline.summaryResolutionEndsAt ? { summaryResolutionEndsAt: deadline.summaryResolutionEndsAt } : {}),
      })),
      clock: { ...fields.clock, ...keep('extendedAt'), ...keep('extensionReason'), ...keep('delay'), ...keep('acknowledgementMissedAt') },
    },
    result: undefined,
    drafts: [
      {
        actor,
        action: 'clock.recounted',
        data: {
          reason: reason ?? null,
          cycle: cycle.n,
          calendar: { from, to: regime.calendar.region },
          timeZone: regime.calendar.timeZone,
          previousFinalResponseDueAt: c.finalResponseDueAt,
          ...clockAudit(deadline),
        },
      },
    ],
  };
};
