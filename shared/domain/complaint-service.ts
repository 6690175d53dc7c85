// Complaint use cases: load, authorise, apply a lifecycle change, persist it atomically with its audit events.
import type { Case, ClockActionBody, CloseBody, CreateComplaintBody, ListComplaintsQuery, ReclassifyBody, UnverifiedSender } from '#schemas/complaint';
import type { AuditEvent, CreateNoteBody, CreateTaskBody, Note, PatchTaskBody, Task } from '#schemas/children';
import type { CaseChild, CaseRecord, CaseRepository } from '#ports/case-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { ApprovalRules } from '#schemas/resolution';
import { assertMayLowerFacts, loweredFacts } from './approval-rules';
import { replanAfterChange, replanChildren } from './resolution-service';
import { assertMayAct, assertVisible, canView, type CaseActorRule } from './access';
import { decideTriage, intakeEscalation, triageAtIntake, triageView, withTriage, type TriageDeps } from './triage';
import { TriageSettings, type TriageDecisionBody, type TriageView } from '#schemas/triage';
import { mutateCase, systemMutate } from './case-mutation';
import { appendEvents, EMPTY_HEAD, verifyChain, type ChainVerdict } from './audit-chain';
import { checkAgainstAnchor } from './audit-digest';
import type { CaseAnchor, DigestBody, TimelineAnchored } from '#schemas/audit-digest';
import { planAssignment, pickMember, type AssignmentRules } from './assignment';
import { ConflictError, InvalidInputError, NotFoundError } from './errors';
import { isReservedExternalSystem, RESERVED_SYSTEMS_TEXT } from './reserved-systems';
import * as life from './lifecycle';
import type { Principal } from './principal';
import { formatReference } from './reference';
import { atLocation, getRegime, listRegimes, regimeOfCase, type RegimeOptions } from './regimes';
import { fireTimer, type IgnoredReason, type Timer } from './timers';
import { buildDeadlineBoard } from './deadline-board';
import { markDuplicate, markSpam, unmark } from './honest-metrics';
import { chooseOwner, rotation, serviceTarget } from './availability';
import { own } from './own';
import type { StaffDirectory } from '#ports/staff-directory';
import type { DeadlineBoard } from '#schemas/reports';
import { asPage, pageOfList, type Page, type PageRequest } from './pages';

export interface ComplaintServiceDeps {
  repo: CaseRepository;
  clock: Clock;
  ids: IdGenerator;
  assignment: AssignmentRules;
  regimes?: RegimeOptions;
  /** How long a task may stay blocked before its case is raised to at_risk (24–48 h; default 24 h). */
  dependencyBlockedMs?: number;
  /** Triage at intake (models and the organisation's settings); without it cases open without suggestions. */
  triage?: TriageDeps;
  /**
   * The organisation's triage settings where no model is loaded (functions that decide on suggestions but never open
   * complaints, so their bundles carry no model); `triage.settings` wins when both are given.
   */
  triageSettings?: TriageSettings;
  /** Staff availability, capacity and skills; without it assignment is plain round-robin. */
  staff?: StaffDirectory;
  /** The approval rules and stage timeout a re-plan uses when a reclassification changes a fact they read. */
  approvals?: { rules?: ApprovalRules; stageTimeoutMs?: number };
}

export interface OpenOptions {
  repeatOf?: { caseId: string; reference: string };
  notes?: CreateNoteBody[];
  /** Set only by signed channel intake (helpdesk HMAC, SES email): it may use the reserved external-reference systems. */
  signedChannel?: boolean;
  /** Email whose sender could not be authenticated: the case says so until a person links it (#domain/mail-auth). */
  unverifiedSender?: UnverifiedSender;
}

/** Where a case's newest anchor is found (the audit digest service). */
export interface AnchorLookup {
  latest(caseId: string): Promise<(CaseAnchor & { digest: DigestBody }) | undefined>;
}

export type TimerOutcome = { outcome: 'fired'; caseId: string; version: number; risk: Case['risk'] } | { outcome: 'ignored'; caseId: string; reason: IgnoredReason | 'unknown_case' };



export class ComplaintService {
  constructor(private readonly deps: ComplaintServiceDeps) {}

  regimes(q: PageRequest) {
    return pageOfList(listRegimes(this.deps.regimes), (r) => r.id, q);
  }

  /**
   * `opts` serves channel intake: `repeatOf` opens a repeat complaint that takes over the external reference of
   * that closed case (only while it still points there: concurrent deliveries open one), and `notes` (the ticket's
   * history) are written in the same transaction as the case.
   */
  async open(p: Principal, body: CreateComplaintBody, opts: OpenOptions = {}): Promise<Case> {
    const { repo, clock, ids } = this.deps;
    if (body.externalRef && !opts.signedChannel && isReservedExternalSystem(body.externalRef.system)) {
      // Checked before anything is spent or written: the reference belongs to the signed route (issue 25, finding 6).
      const message = `externalRef.system "${body.externalRef.system}" is reserved for signed channel intake (${RESERVED_SYSTEMS_TEXT}): escalate the ticket through POST /v1/intake/helpdesk/{provider}, or name your own system`;
      throw new InvalidInputError(message, [{ field: 'body.externalRef.system', message }]);
    }
    const now = clock.now();
    // Triage first: confident suggestions pre-fill open fields, which the assignment rules then see (see #domain/triage).
    const triaged = this.deps.triage ? await triageAtIntake(this.deps.triage, body, now) : undefined;
    if (triaged) body = triaged.body;
    const regime = atLocation(getRegime(body.regime, this.deps.regimes), body.calendar);
    const plan = planAssignment(
      this.deps.assignment,
      { category: body.category, channel: body.channel, regime: body.regime, product: body.product, vulnerable: body.customer.vulnerable ?? false },
      body.ownerId,
    );
    life.clockStart(body, now, regime); // fail fast, before spending a counter value
    if (body.externalRef && !opts.repeatOf) {
      // A repeated delivery should not burn a reference number; the transaction still guards the race.
      const existingId = await repo.findIdByExternalRef(body.externalRef.system, body.externalRef.id);
      if (existingId) throw new ConflictError(`a complaint already exists for ${body.externalRef.system} ${body.externalRef.id}`, { existingId });
    }
    const year = new Date(now).getUTCFullYear();
    const counter = await repo.allocateSequence(year, plan.kind === 'team' ? plan.team : undefined);
    let ownerId = plan.kind === 'explicit' ? plan.ownerId : pickMember(this.deps.assignment, plan.team, counter.teamCount ?? counter.seq);
    // Routing that knows who is there: the round-robin order from the pick, passing over whoever is away, lacks the
    // skills or is at capacity; if nobody fits, the pick keeps the case (never ownerless) and the audit says so.
    const staff = this.deps.staff;
    const routed =
      plan.kind === 'team' && staff
        ? await (async () => {
            const ordered = rotation(own(this.deps.assignment.teams, plan.team) ?? [ownerId], counter.teamCount ?? counter.seq);
            return chooseOwner(ordered, await staff.many(ordered), { category: body.category, regime: body.regime }, now, (id, cap) => staff.openCaseCount(id, cap));
          })()
        : undefined;
    if (routed) ownerId = routed.ownerId;
    const change = life.openCase(body, {
      id: ids.next(),
      reference: formatReference(year, counter.seq),
      ownerId,
      ...(plan.kind === 'team' ? { team: plan.team } : {}),
      assignmentRule: plan.rule,
      regime,
      actor: p.sub,
      now,
      ...(opts.repeatOf ? { repeatOf: opts.repeatOf } : {}),
      ...(opts.unverifiedSender ? { unverifiedSender: opts.unverifiedSender } : {}),
    });
    if (routed && (routed.skipped.length || routed.fallback)) {
      change.drafts = change.drafts.map((d) => (d.action === 'owner.assigned' ? { ...d, data: { ...d.data, skipped: routed.skipped, fallback: routed.fallback } } : d));
    }
    const target = serviceTarget(this.deps.assignment, change.case);
    if (target) {
      change.case = { ...change.case, serviceTarget: target };
      change.drafts = change.drafts.map((d) => (d.action === 'complaint.received' ? { ...d, data: { ...d.data, serviceTarget: target } } : d));
    }
    // The triage (suggestions, regulatory flag, priority) joins the opening change: one transaction, one chain.
    if (triaged && this.deps.triage) Object.assign(change, withTriage(change, triaged, this.deps.triage.settings));
    const escalated = triaged && this.deps.triage ? intakeEscalation(change, this.deps.triage.settings, { id: ids.next(), actor: p.sub, now }) : undefined;
    if (escalated) Object.assign(change, { case: escalated.case, drafts: escalated.drafts });
    const notes = (opts.notes ?? []).map((n) => life.addNote(change.case, n, { noteId: ids.next() }, p.sub, now));
    const { events, head } = appendEvents(EMPTY_HEAD, [...change.drafts, ...notes.flatMap((n) => n.drafts)], now);
    await repo.create({
      case: change.case,
      head,
      events,
      ...(notes.length || escalated
        ? { children: [...notes.map((n): CaseChild => ({ kind: 'note', note: n.result })), ...(escalated ? [{ kind: 'escalation', escalation: escalated.result } as CaseChild] : [])] }
        : {}),
      ...(opts.repeatOf ? { takesExternalRefFrom: opts.repeatOf.caseId } : {}),
    });
    return change.case;
  }

  async get(p: Principal, id: string): Promise<Case> {
    const rec = await this.load(id);
    assertVisible(p, rec.case);
    return life.present(rec.case, this.deps.clock.now());
  }

  /**
   * A conditional read (If-None-Match): `notModified` when the caller holds one of `known` versions, it is the
   * current one and no read of it could have differed from this one. Visibility is checked first, so a 304 tells
   * nobody more than a 200 would.
   */
  async getIfModified(p: Principal, id: string, known: readonly number[] | '*'): Promise<{ case: Case; notModified: boolean }> {
    const rec = await this.load(id);
    assertVisible(p, rec.case);
    const now = this.deps.clock.now();
    const held = known === '*' || known.includes(rec.case.version);
    return { case: life.present(rec.case, now), notModified: held && life.unchangedSinceWrite(rec.case, now) };
  }

  async list(p: Principal, q: ListComplaintsQuery): Promise<{ items: Case[]; nextCursor?: string }> {
    const now = this.deps.clock.now();
    // An id no regime has is the caller's mistake (400 naming the parameter), not an empty list.
    if (q.regime) getRegime(q.regime, this.deps.regimes, 'query.regime');
    const page = await this.deps.repo.list({
      ...(q.owner ? { ownerId: q.owner === 'me' ? p.sub : q.owner } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.dueBefore ? { dueBefore: new Date(q.dueBefore).toISOString() } : {}),
      ...(q.risk ? { risk: q.risk } : {}),
      ...(q.category ? { category: q.category } : {}),
      ...(q.regime ? { regime: q.regime } : {}),
      ...(q.cursor ? { cursor: q.cursor } : {}),
      limit: q.limit,
      now,
    });
    // Restricted cases the caller may not see are omitted, exactly as GET answers 404 for them.
    return { ...page, items: page.items.filter((c) => canView(p, c)).map((c) => life.present(c, now)) };
  }

  /** The triage suggestions of a case and the decisions on them (owner or supervisor, like reclassifying). */
  async triage(p: Principal, id: string): Promise<TriageView> {
    const rec = await this.load(id);
    assertMayAct(p, rec.case, 'owner_or_supervisor');
    return triageView(rec.case);
  }

  /** Accept or override one suggested field; the case changes through the versioned mutation (If-Match, audit). */
  async decideTriage(p: Principal, id: string, body: TriageDecisionBody, ifMatch?: number): Promise<{ case: Case; triage: TriageView }> {
    const settings = this.deps.triage?.settings ?? this.deps.triageSettings ?? TriageSettings.parse({});
    const out = await this.mutate(
      p,
      id,
      ifMatch,
      'owner_or_supervisor',
      (c, now) => this.guardedFacts(p, c, decideTriage(c, body, settings, p.sub, now), body.reason, 'reason', now),
      replanChildren,
    );
    return { case: out.case, triage: triageView(out.case) };
  }

  /**
   * PATCH: the owner may raise a risk flag, the sensitivity or the severity; lowering one needs a supervisor (not the
   * owner) and a reason; a change to a fact the approval rules read re-plans a standing proposal (issue 25, finding 2).
   */
  reclassify(p: Principal, id: string, body: ReclassifyBody, ifMatch?: number) {
    return this.mutate(p, id, ifMatch, 'owner_or_supervisor', (c, now) => this.guardedFacts(p, c, this.reclassified(p, c, body, now), body.reason, 'body.reason', now), replanChildren);
  }

  /** The change a PATCH makes; a new `calendar` (business location) recounts the running cycle on it, in the same write. */
  private reclassified(p: Principal, c: Case, body: ReclassifyBody, now: string): life.Change {
    const { calendar, ...rest } = body;
    if (calendar === undefined) return life.reclassify(c, body, p.sub);
    // A move can put a deadline later (another location's holidays): it must say why, and the audit keeps it.
    if (!body.reason) throw new InvalidInputError('a change of business location needs a reason', [{ field: 'body.reason', message: 'required when calendar changes' }]);
    const moved = life.relocateClock(c, atLocation(getRegime(c.regime, this.deps.regimes), calendar), body.reason, p.sub, now);
    if (!Object.keys(rest).some((k) => k !== 'reason')) return moved;
    const more = life.reclassify(moved.case, rest, p.sub);
    return { case: more.case, result: undefined, drafts: [...moved.drafts, ...more.drafts] };
  }

  /**
   * The rule every change of a case's classification goes through, whichever route makes it (PATCH or a triage
   * decision): 403/400 for a lowering the caller may not make (recorded as `lowered` on the audit event when allowed),
   * then the re-plan of a standing proposal in the same transaction.
   */
  private async guardedFacts(p: Principal, before: Case, change: life.Change, reason: string | undefined, reasonField: string, now: string) {
    const lowered = loweredFacts(before, change.case);
    assertMayLowerFacts(p, before, lowered, reason, reasonField);
    const audited: life.Change = lowered.length ? { ...change, drafts: change.drafts.map((d, i) => (i === 0 ? { ...d, data: { ...d.data, lowered } } : d)) } : change;
    return replanAfterChange({ repo: this.deps.repo, ids: this.deps.ids, ...this.deps.approvals }, before, audited, p.sub, now);
  }

  reassign(p: Principal, id: string, body: { ownerId: string; reason: string }, ifMatch?: number) {
    return this.mutate(p, id, ifMatch, 'supervisor_or_admin', (c, now) => life.reassign(c, body.ownerId, body.reason, p.sub, now));
  }

  acknowledge(p: Principal, id: string, body: { channel?: string; text?: string }, ifMatch?: number) {
    return this.mutate(p, id, ifMatch, 'owner', (c, now) => life.acknowledge(c, body, p.sub, now));
  }

  async createTask(p: Principal, id: string, body: CreateTaskBody, ifMatch?: number): Promise<{ case: Case; task: Task }> {
    const taskId = this.deps.ids.next();
    const out = await this.mutate(p, id, ifMatch, 'owner_or_supervisor', (c, now) => life.addTask(c, body, { taskId }, p.sub, now), (t) => [{ kind: 'task', task: t }]);
    return { case: out.case, task: out.result };
  }

  async updateTask(p: Principal, id: string, taskId: string, body: PatchTaskBody, ifMatch?: number): Promise<{ case: Case; task: Task }> {
    const out = await this.mutate(
      p,
      id,
      ifMatch,
      'owner_or_supervisor',
      async (c, now) => {
        const task = await this.deps.repo.getTask(id, taskId);
        if (!task) throw new NotFoundError(`task ${taskId} not found`);
        return life.updateTask(c, task, body, p.sub, now, this.deps.dependencyBlockedMs ? { dependencyBlockedMs: this.deps.dependencyBlockedMs } : {});
      },
      (t) => [{ kind: 'task', task: t }],
    );
    return { case: out.case, task: out.result };
  }

  async addNote(p: Principal, id: string, body: CreateNoteBody, ifMatch?: number): Promise<{ case: Case; note: Note }> {
    const noteId = this.deps.ids.next();
    const out = await this.mutate(p, id, ifMatch, 'owner_supervisor_compliance_legal', (c, now) => life.addNote(c, body, { noteId }, p.sub, now), (n) => [{ kind: 'note', note: n }]);
    return { case: out.case, note: out.result };
  }

  close(p: Principal, id: string, body: CloseBody, ifMatch?: number) {
    return this.mutate(p, id, ifMatch, 'owner_or_supervisor', (c, now) => life.close(c, body, p.sub, now, { ...this.deps.regimes, regime: regimeOfCase(c, this.deps.regimes) }));
  }

  reopen(p: Principal, id: string, body: { reason: string }, ifMatch?: number) {
    return this.mutate(p, id, ifMatch, 'owner_or_supervisor', (c, now) => life.reopen(c, body.reason, regimeOfCase(c, this.deps.regimes), p.sub, now));
  }

  /** Spam: not a complaint; out of the KPIs and returns, still visible and exportable (supervisor, never the owner). */
  markSpam(p: Principal, id: string, body: { reason: string }, ifMatch?: number) {
    return this.mutate(p, id, ifMatch, 'supervisor_or_admin', (c, now) => markSpam(p, c, body.reason, now));
  }

  /** A duplicate of another case, which stays counted; the same rules as spam. */
  markDuplicate(p: Principal, id: string, body: { caseId: string; reason: string }, ifMatch?: number) {
    return this.mutate(p, id, ifMatch, 'supervisor_or_admin', async (c, now) => {
      const original = body.caseId === c.id ? c : (await this.deps.repo.get(body.caseId))?.case;
      // Unknown and invisible look the same: the answer tells nobody whether a guessed id exists.
      if (!original || !canView(p, original)) throw new InvalidInputError(`case ${body.caseId} not found`, [{ field: 'body.caseId', message: 'no such case' }]);
      return markDuplicate(p, c, original, body.reason, now);
    });
  }

  /** Reverses a marking: the case counts again from this version on. */
  unmark(p: Principal, id: string, body: { reason: string }, ifMatch?: number) {
    return this.mutate(p, id, ifMatch, 'supervisor_or_admin', (c) => unmark(p, c, body.reason));
  }

  /** Pause, resume or extend the current cycle's clock where the case's regime allows it. */
  clockAction(p: Principal, id: string, body: ClockActionBody, ifMatch?: number) {
    return this.mutate(p, id, ifMatch, 'owner_or_supervisor', (c, now) => {
      const regime = regimeOfCase(c, this.deps.regimes);
      if (body.action === 'delay') return life.recordDelay(c, regime, body, p.sub, now);
      const apply = { pause: life.pauseClock, resume: life.resumeClock, extend: life.extendClock }[body.action];
      return apply(c, regime, body.reason, p.sub, now);
    });
  }

  /**
   * Applies a delivered timer (checkpoint, acknowledgement deadline, blocked dependency). At-least-once delivery
   * is expected: a duplicate, late or early delivery is ignored without a write (see timers.fireTimer), and a
   * concurrent edit of the case is retried on fresh state.
   */
  async fireTimer(t: Timer): Promise<TimerOutcome> {
    let ignored: IgnoredReason | undefined;
    const out = await systemMutate(this.deps, t.caseId, (c, now) => {
      const decided = fireTimer(c, t, now);
      if (decided.fired) return decided.change;
      ignored = decided.reason;
      return undefined;
    });
    if (out.kind === 'missing') return { outcome: 'ignored', caseId: t.caseId, reason: 'unknown_case' };
    if (out.kind === 'unchanged') return { outcome: 'ignored', caseId: t.caseId, reason: ignored! };
    return { outcome: 'fired', caseId: t.caseId, version: out.case.version, risk: out.case.risk };
  }

  /** Live deadline board over every case not closed; `timeZone` sets the organisation's day and week. */
  async deadlineBoard(timeZone: string): Promise<DeadlineBoard> {
    const now = this.deps.clock.now();
    return buildDeadlineBoard(await this.deps.repo.activeDeadlines(), now, timeZone);
  }

  async tasks(p: Principal, id: string, q: PageRequest): Promise<Page<Task>> {
    assertVisible(p, (await this.load(id)).case);
    return asPage(await this.deps.repo.pageTasks(id, q.limit, q.cursor));
  }

  async notes(p: Principal, id: string, q: PageRequest): Promise<Page<Note>> {
    assertVisible(p, (await this.load(id)).case);
    return asPage(await this.deps.repo.pageNotes(id, q.limit, q.cursor));
  }

  /**
   * The audit trail with its verdict. With `anchors` (the audit digests outside the table), the chain is also checked
   * against the newest digest that anchors the case: a chain rewritten or cut back after anchoring is not valid, however
   * self-consistent it is.
   */
  async timeline(
    p: Principal,
    id: string,
    q: PageRequest,
    anchors?: AnchorLookup,
  ): Promise<{ caseId: string; items: AuditEvent[]; nextCursor?: string; chain: ChainVerdict; anchored: TimelineAnchored | null }> {
    const rec = await this.load(id);
    assertVisible(p, rec.case);
    // Only up to the head read with the case: a note committed since then belongs to a later head (no false alarm).
    // The verdict needs every link, so the whole chain is read and verified whichever page is asked for.
    const [events, anchor] = await Promise.all([this.deps.repo.auditEvents(id, rec.head.seq), anchors?.latest(id)]);
    const ordered = [...events].sort((a, b) => a.seq - b.seq);
    const chain = verifyChain(ordered, rec.head);
    const page = pageOfList(ordered, (e) => String(e.seq), q);
    if (!anchor) return { caseId: id, ...page, chain, anchored: null };
    return { caseId: id, ...page, chain: checkAgainstAnchor(id, chain, events, anchor), anchored: { digestId: anchor.digestId, at: anchor.at, seq: anchor.leaf.seq } };
  }

  private async load(id: string): Promise<CaseRecord> {
    const rec = await this.deps.repo.get(id);
    if (!rec) throw new NotFoundError(`complaint ${id} not found`);
    return rec;
  }

  private mutate<T>(
    p: Principal,
    id: string,
    ifMatch: number | undefined,
    rule: CaseActorRule,
    apply: (c: Case, now: string) => life.Change<T> | Promise<life.Change<T>>,
    children: (result: T) => CaseChild[] = () => [],
  ): Promise<{ case: Case; result: T }> {
    return mutateCase(this.deps, p, id, ifMatch, rule, apply, children);
  }
}
