// Resolution, approvals and the final response (pure): proposing, the staged four-eyes decisions, rejection and
// re-proposal, and the final response that stops the clock.
import { planApprovals } from '#domain/approval-rules';
import { ConflictError, ForbiddenError } from '#domain/errors';
import { caseResolution, decideApproval, proposeResolution, sendFinalResponse, type Approver, type ProposalIds } from '#domain/resolution';
import { plannedTimers } from '#domain/timers';
import { Case as CaseSchema, type Case } from '#schemas/complaint';
import { Approval as ApprovalSchema, Resolution as ResolutionSchema, type Approval, type ApprovalDecisionBody, type ProposeResolutionBody, type Resolution } from '#schemas/resolution';
import type { Change } from '#domain/lifecycle';
import * as life from '#domain/lifecycle';
import { getRegime } from '#domain/regimes';
import { at, DAY, NOW, openedCase, principal } from './fixtures';

const PROPOSED_AT = at(NOW, 10 * DAY);
const STAGE_TIMEOUT = 2 * DAY;
const ROOT_CAUSE = { category: 'carrier_capacity', description: 'Regional carrier over capacity; no re-routing rule' };
const FINAL_TEXT = 'We uphold your complaint and will pay you £1,500.00 within 5 working days.';

const ulid = (prefix: string, n: number): string => `${prefix}${String(n).padStart(26 - prefix.length, '0')}`;
const idsFor = (round: number, stages: number): ProposalIds => ({
  resolutionId: ulid('01JRES', round),
  approvalIds: Array.from({ length: stages }, (_, i) => ulid('01JAPR', round * 10 + i + 1)),
});

const proposal = (over: Partial<ProposeResolutionBody> = {}): ProposeResolutionBody => ({
  decision: 'upheld',
  remedy: { compensation: { amount: '1500.00', currency: 'GBP' }, description: 'Refund plus goodwill for repeated delays' },
  rootCause: ROOT_CAUSE,
  finalResponse: FINAL_TEXT,
  ...over,
});
const NO_REMEDY = proposal({ decision: 'not_upheld', remedy: undefined, finalResponse: 'We do not uphold your complaint.' });

// People: alice owns the case (and proposes); the approvers hold the roles the stages ask for.
const OWNER = 'alice';
const sue: Approver = principal('sue', 'supervisor');
const sid: Approver = principal('sid', 'supervisor');
const carl: Approver = principal('carl', 'compliance');
const cleo: Approver = principal('cleo', 'compliance');
const ann: Approver = principal('ann', 'admin');
const hal: Approver = principal('hal', 'handler');
/** One person holding both roles the two stages ask for. */
const dual: Approver = principal('dual', 'supervisor', 'compliance');

interface World {
  c: Case;
  resolution: Resolution;
  approvals: Approval[];
}

/** Proposes on `c` with the stages the default rules plan for the body (1,500 GBP → supervisor then compliance). */
const propose = (c: Case, body: ProposeResolutionBody = proposal(), opts: { actor?: string; now?: string; round?: number } = {}) => {
  const stages = planApprovals(body, c);
  const change = proposeResolution(c, body, stages, idsFor(opts.round ?? 1, stages.length), opts.actor ?? OWNER, opts.now ?? PROPOSED_AT, STAGE_TIMEOUT);
  const world: World = { c: change.case, resolution: change.result.resolution, approvals: change.result.approvals };
  return { change, world, stages };
};

const stageOf = (w: World, stage: number): Approval => {
  const a = w.approvals.find((x) => x.stage === stage);
  if (!a) throw new Error(`no stage ${stage}`);
  return a;
};

/** Decides a stage and folds the result back into the world, as the service stores it. */
const decide = (w: World, stage: number, who: Approver, body: ApprovalDecisionBody = { decision: 'approve' }, now = at(PROPOSED_AT, DAY)) => {
  const change = decideApproval(w.c, w.resolution, w.approvals, stageOf(w, stage).id, body, who, now, STAGE_TIMEOUT);
  const updated = [change.result.approval, ...(change.result.next ? [change.result.next] : []), ...change.result.superseded];
  const world: World = { c: change.case, resolution: change.result.resolution, approvals: w.approvals.map((a) => updated.find((u) => u.id === a.id) ?? a) };
  return { change, world };
};

/** Runs `fn` and returns what it threw (failing the test if it threw nothing). */
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, none was thrown');
};

const approvedWorld = (): World => decide(decide(propose(openedCase()).world, 1, sue).world, 2, carl).world;

describe('proposeResolution', () => {
  it('no stage required → not_required, the case stays open, the root cause is copied and round 1 is audited', () => {
    const c = openedCase();
    const { change, stages } = propose(c, NO_REMEDY);
    expect(stages).toEqual([]);
    expect(change.result.approvals).toEqual([]);
    expect(change.result.resolution).toEqual({
      id: idsFor(1, 0).resolutionId,
      caseId: c.id,
      round: 1,
      decision: 'not_upheld',
      rootCause: ROOT_CAUSE,
      finalResponse: 'We do not uphold your complaint.',
      status: 'not_required',
      proposedBy: OWNER,
      proposedAt: PROPOSED_AT,
    });
    expect(change.case.status).toBe('open');
    expect(change.case.rootCause).toEqual(ROOT_CAUSE);
    expect(caseResolution(change.case)).toEqual({ id: idsFor(1, 0).resolutionId, round: 1, status: 'not_required', decision: 'not_upheld', stages: 0, approvedStages: 0, proposedAt: PROPOSED_AT });
    expect(change.drafts).toEqual([
      {
        actor: OWNER,
        action: 'resolution.proposed',
        data: { resolutionId: idsFor(1, 0).resolutionId, round: 1, decision: 'not_upheld', remedy: null, rootCause: ROOT_CAUSE, timeLimitWording: 'not_waived', stages: [] },
      },
    ]);
    expect(ResolutionSchema.parse(change.result.resolution)).toEqual(change.result.resolution);
    expect(CaseSchema.parse(change.case)).toEqual(change.case);
  });

  it('the DISP 1 Annex 3R variant is part of the proposal, so the approvers approve it with the outcome (audited)', () => {
    const { change } = propose(openedCase(), { ...NO_REMEDY, timeLimitWording: 'out_of_time_not_waived' });
    expect(change.result.resolution.timeLimitWording).toBe('out_of_time_not_waived');
    expect(change.drafts[0]!.data).toMatchObject({ timeLimitWording: 'out_of_time_not_waived' });
  });

  it('does not change the case it was given', () => {
    const c = openedCase();
    const before = structuredClone(c);
    propose(c);
    expect(c).toEqual(before);
  });

  it('1,500 GBP → awaiting approval with one approval per stage in order; only stage 1 is open (dueAt)', () => {
    const c = openedCase();
    const body = proposal();
    const { change, stages } = propose(c, body);
    expect(stages.map((s) => [s.stage, s.role])).toEqual([
      [1, 'supervisor'],
      [2, 'compliance'],
    ]);
    const ids = idsFor(1, 2);
    expect(change.case.status).toBe('awaiting_approval');
    expect(change.case.rootCause).toEqual(ROOT_CAUSE);
    expect(change.result.resolution).toMatchObject({ id: ids.resolutionId, round: 1, status: 'pending', remedy: body.remedy, proposedBy: OWNER, proposedAt: PROPOSED_AT });
    expect(caseResolution(change.case)).toEqual({ id: ids.resolutionId, round: 1, status: 'pending', decision: 'upheld', stages: 2, approvedStages: 0, proposedAt: PROPOSED_AT });

    const [first, second] = change.result.approvals;
    expect(change.result.approvals).toHaveLength(2);
    expect(first).toEqual({
      id: ids.approvalIds[0],
      caseId: c.id,
      resolutionId: ids.resolutionId,
      stage: 1,
      role: 'supervisor',
      status: 'pending',
      reasons: stages[0]!.reasons,
      proposedBy: OWNER,
      createdAt: PROPOSED_AT,
      dueAt: at(PROPOSED_AT, STAGE_TIMEOUT),
      escalationLevel: 0,
    });
    expect(second).toMatchObject({ id: ids.approvalIds[1], stage: 2, role: 'compliance', status: 'pending', reasons: stages[1]!.reasons, escalationLevel: 0 });
    expect(second).not.toHaveProperty('dueAt');
    for (const a of change.result.approvals) expect(ApprovalSchema.parse(a)).toEqual(a);

    expect(change.drafts).toHaveLength(1);
    expect(change.drafts[0]).toMatchObject({ actor: OWNER, action: 'resolution.proposed' });
    expect(change.drafts[0]!.data).toMatchObject({
      round: 1,
      remedy: body.remedy,
      stages: [
        { stage: 1, role: 'supervisor', reasons: ['compensation 1,500.00 GBP above the 1,000.00 GBP threshold'] },
        { stage: 2, role: 'compliance', reasons: ['compensation 1,500.00 GBP above the 1,000.00 GBP threshold'] },
      ],
    });
    expect(CaseSchema.parse(change.case)).toEqual(change.case);
  });

  it('a stage with checks carries them (vulnerable customer → the supervisor checks the vulnerability)', () => {
    const { change } = propose(openedCase({ vulnerable: true }), NO_REMEDY);
    expect(change.case.status).toBe('awaiting_approval');
    expect(change.result.approvals).toEqual([expect.objectContaining({ stage: 1, role: 'supervisor', checks: ['vulnerability'] })]);
  });

  it('a second proposal while the first is pending → 409: the case is awaiting approval', () => {
    const { world } = propose(openedCase());
    const err = thrown(() => propose(world.c, proposal(), { round: 2 }));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details).toMatchObject({ currentStatus: 'awaiting_approval', action: 'propose_resolution' });
  });

  it('a pending proposal also blocks a case that is open (the summary is checked, not only the status)', () => {
    const { world } = propose(openedCase());
    const err = thrown(() => propose({ ...world.c, status: 'open' }, proposal(), { round: 2 }));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details).toEqual({ resolutionId: world.resolution.id, resolutionStatus: 'pending' });
  });

  it.each(['closed', 'resolved'] as const)('proposing on a %s case → 409', (status) => {
    const err = thrown(() => propose(openedCase({ status, ...(status === 'closed' ? { closedAt: NOW } : {}) })));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details).toMatchObject({ currentStatus: status, action: 'propose_resolution' });
  });

  it('refuses ids that do not match the stages one for one', () => {
    const body = proposal();
    const stages = planApprovals(body, openedCase());
    expect(() => proposeResolution(openedCase(), body, stages, idsFor(1, 1), OWNER, PROPOSED_AT, STAGE_TIMEOUT)).toThrow('one approval id per stage');
  });
});

describe('decideApproval', () => {
  const pending = () => propose(openedCase()).world;

  it('approving stage 1 opens stage 2 with its own due time; the case still awaits approval', () => {
    const w = pending();
    const decidedAt = at(PROPOSED_AT, DAY);
    const { change } = decide(w, 1, sue, { decision: 'approve' }, decidedAt);
    expect(change.result.approval).toEqual({ ...stageOf(w, 1), status: 'approved', decidedBy: 'sue', decidedAt });
    expect(change.result.next).toEqual({ ...stageOf(w, 2), dueAt: at(decidedAt, STAGE_TIMEOUT) });
    expect(change.result.superseded).toEqual([]);
    expect(change.result.resolution).toEqual(w.resolution);
    expect(change.result.resolution.status).toBe('pending');
    expect(change.case.status).toBe('awaiting_approval');
    expect(caseResolution(change.case)).toMatchObject({ status: 'pending', stages: 2, approvedStages: 1 });
    expect(change.drafts).toEqual([
      {
        actor: 'sue',
        action: 'approval.approved',
        data: { reference: 'CMP-2026-000001', ownerId: 'alice', team: null, regime: 'UK_FCA_DISP', approvalId: stageOf(w, 1).id, resolutionId: w.resolution.id, stage: 1, role: 'supervisor', comment: null },
      },
    ]);
  });

  it('approving the last stage (another person) approves the resolution and returns the case to open', () => {
    const after1 = decide(pending(), 1, sue, { decision: 'approve', comment: 'Proportionate' }).world;
    const decidedAt = at(PROPOSED_AT, 2 * DAY);
    const { change } = decide(after1, 2, carl, { decision: 'approve' }, decidedAt);
    expect(change.result.approval).toMatchObject({ stage: 2, status: 'approved', decidedBy: 'carl', decidedAt });
    expect(change.result).not.toHaveProperty('next');
    expect(change.result.resolution).toEqual({ ...after1.resolution, status: 'approved' });
    expect(change.case.status).toBe('open');
    expect(caseResolution(change.case)).toMatchObject({ status: 'approved', stages: 2, approvedStages: 2 });
    expect(change.drafts.map((d) => d.action)).toEqual(['approval.approved', 'resolution.approved']);
    expect(change.drafts[0]).toMatchObject({ actor: 'carl', data: { stage: 2, role: 'compliance' } });
    expect(change.drafts[1]).toEqual({ actor: 'carl', action: 'resolution.approved', data: { resolutionId: after1.resolution.id, round: 1, stages: 2 } });
    expect(CaseSchema.parse(change.case)).toEqual(change.case);
  });

  it('an admin may decide a supervisor stage', () => {
    expect(decide(pending(), 1, ann).change.result.approval).toMatchObject({ status: 'approved', decidedBy: 'ann' });
  });

  describe('four eyes → 403', () => {
    it('the case owner, even holding the role (proposed here by a colleague)', () => {
      const w = propose(openedCase(), proposal(), { actor: 'pat' }).world;
      const err = thrown(() => decide(w, 1, principal(OWNER, 'handler', 'supervisor')));
      expect(err).toBeInstanceOf(ForbiddenError);
      expect((err as Error).message).toMatch(/case owner/);
    });

    it('the proposer, even once the case has passed to another owner', () => {
      const w = pending();
      const err = thrown(() => decide({ ...w, c: { ...w.c, ownerId: 'bob' } }, 1, principal(OWNER, 'supervisor')));
      expect(err).toBeInstanceOf(ForbiddenError);
      expect((err as Error).message).toMatch(/proposer/);
    });

    it('a handler without the stage role', () => {
      const err = thrown(() => decide(pending(), 1, hal));
      expect(err).toBeInstanceOf(ForbiddenError);
      expect((err as Error).message).toMatch(/needs a supervisor or admin/);
    });

    it('a supervisor on a compliance stage (nobody stands in for compliance)', () => {
      const after1 = decide(pending(), 1, sue).world;
      expect(thrown(() => decide(after1, 2, sid))).toBeInstanceOf(ForbiddenError);
    });

    it('the same person deciding stage 2 after stage 1, though holding both roles', () => {
      const after1 = decide(pending(), 1, dual).world;
      const err = thrown(() => decide(after1, 2, dual));
      expect(err).toBeInstanceOf(ForbiddenError);
      expect((err as Error).message).toMatch(/two approval stages/);
      // Someone else with the role may.
      expect(decide(after1, 2, cleo).change.result.resolution.status).toBe('approved');
    });
  });

  it('deciding stage 2 before stage 1 → 409 naming the open stage', () => {
    const err = thrown(() => decide(pending(), 2, carl));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details).toEqual({ openStage: 1 });
  });

  it('a second decision on a decided stage → 409', () => {
    const after1 = decide(pending(), 1, sue).world;
    for (const decision of ['approve', 'reject'] as const) {
      const err = thrown(() => decide(after1, 1, sid, { decision, comment: 'again' }));
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).details).toEqual({ approvalStatus: 'approved' });
    }
  });

  it('an approval that is not part of the proposal → 409', () => {
    const w = pending();
    expect(thrown(() => decideApproval(w.c, w.resolution, w.approvals, ulid('01JAPR', 99), { decision: 'approve' }, sue, PROPOSED_AT, STAGE_TIMEOUT))).toBeInstanceOf(ConflictError);
  });

  it('rejecting stage 1 returns the case to its owner with the comment and supersedes stage 2', () => {
    const w = pending();
    const decidedAt = at(PROPOSED_AT, DAY);
    const comment = 'Compensation exceeds the loss; propose a proportionate amount';
    const { change } = decide(w, 1, sue, { decision: 'reject', comment }, decidedAt);
    expect(change.result.approval).toEqual({ ...stageOf(w, 1), status: 'rejected', decidedBy: 'sue', decidedAt, comment });
    expect(change.result.resolution).toEqual({ ...w.resolution, status: 'rejected' });
    expect(change.result.superseded).toEqual([{ ...stageOf(w, 2), status: 'superseded' }]);
    expect(change.result).not.toHaveProperty('next');
    expect(change.case.status).toBe('open');
    expect(caseResolution(change.case)).toMatchObject({ status: 'rejected', approvedStages: 0 });
    expect(change.drafts).toEqual([
      {
        actor: 'sue',
        action: 'approval.rejected',
        data: { reference: 'CMP-2026-000001', ownerId: OWNER, team: null, regime: 'UK_FCA_DISP', approvalId: stageOf(w, 1).id, resolutionId: w.resolution.id, stage: 1, role: 'supervisor', comment, returnedTo: OWNER },
      },
    ]);
  });

  it('rejecting the last stage after stage 1 approved: nothing left to supersede, the resolution is rejected', () => {
    const after1 = decide(pending(), 1, sue).world;
    const { change } = decide(after1, 2, carl, { decision: 'reject', comment: 'Policy exception not justified' });
    expect(change.result.superseded).toEqual([]);
    expect(change.result.resolution.status).toBe('rejected');
    expect(change.case.status).toBe('open');
    expect(change.drafts[0]!.data).toMatchObject({ stage: 2, returnedTo: OWNER });
  });

  it('once rejected, the superseded stage cannot be decided (409)', () => {
    const rejected = decide(pending(), 1, sue, { decision: 'reject', comment: 'No' }).world;
    const err = thrown(() => decide(rejected, 2, carl));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details).toEqual({ resolutionStatus: 'rejected' });
  });

  it('after a rejection a re-proposal is round 2 with new approvals; the supervisor who rejected round 1 may decide round 2', () => {
    const round1 = pending();
    const rejected = decide(round1, 1, sue, { decision: 'reject', comment: 'Too generous' }).world;
    const body2 = proposal({ remedy: { compensation: { amount: '1200.00', currency: 'GBP' }, description: 'Refund plus proportionate goodwill' } });
    const reproposedAt = at(PROPOSED_AT, 3 * DAY);
    const { change, world: round2 } = propose(rejected.c, body2, { round: 2, now: reproposedAt });

    const ids2 = idsFor(2, 2);
    expect(change.result.resolution).toMatchObject({ id: ids2.resolutionId, round: 2, status: 'pending', remedy: body2.remedy });
    expect(change.result.approvals.map((a) => [a.id, a.stage, a.role, a.status, a.resolutionId])).toEqual([
      [ids2.approvalIds[0], 1, 'supervisor', 'pending', ids2.resolutionId],
      [ids2.approvalIds[1], 2, 'compliance', 'pending', ids2.resolutionId],
    ]);
    expect(change.result.approvals[0]!.dueAt).toBe(at(reproposedAt, STAGE_TIMEOUT));
    expect(change.case.status).toBe('awaiting_approval');
    expect(caseResolution(change.case)).toEqual({ id: ids2.resolutionId, round: 2, status: 'pending', decision: 'upheld', stages: 2, approvedStages: 0, proposedAt: reproposedAt });
    expect(change.drafts[0]!.data).toMatchObject({ resolutionId: ids2.resolutionId, round: 2 });

    // Prior deciders come from the current proposal only: sue rejected round 1 and may review round 2.
    const after1 = decide(round2, 1, sue);
    expect(after1.change.result.approval).toMatchObject({ status: 'approved', decidedBy: 'sue' });
    const done = decide(after1.world, 2, carl).change;
    expect(done.result.resolution).toMatchObject({ round: 2, status: 'approved' });
    expect(done.drafts[1]).toMatchObject({ action: 'resolution.approved', data: { round: 2 } });
  });

  it('a round-1 approval cannot be decided once round 2 is the current proposal (409)', () => {
    const round1 = pending();
    const rejected = decide(round1, 1, sue, { decision: 'reject', comment: 'Too generous' }).world;
    const round2 = propose(rejected.c, proposal(), { round: 2 }).world;
    // The stale round-1 resolution, even were its stage still pending, is not the case's current proposal.
    const stale: World = { c: round2.c, resolution: { ...round1.resolution, status: 'pending' }, approvals: round1.approvals.map((a) => ({ ...a, status: 'pending' as const })) };
    const err = thrown(() => decide(stale, 1, sid));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details).toEqual({ resolutionStatus: 'pending' });
  });
});

describe('sendFinalResponse', () => {
  const RESPONDED_AT = at(PROPOSED_AT, 3 * DAY);
  const send = (w: Pick<World, 'c' | 'resolution'>, now = RESPONDED_AT, body: { channel?: string; text?: string } = {}): Change => sendFinalResponse(w.c, w.resolution, body, OWNER, now);

  it('while the proposal is pending → 409 (the case awaits approval)', () => {
    const w = propose(openedCase()).world;
    const err = thrown(() => send(w));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details).toMatchObject({ currentStatus: 'awaiting_approval', action: 'final_response' });
  });

  it('while stage 2 is still pending → 409', () => {
    const after1 = decide(propose(openedCase()).world, 1, sue).world;
    expect(thrown(() => send(after1))).toBeInstanceOf(ConflictError);
  });

  it('a pending proposal blocks it even on an open case (the resolution is checked, not only the status)', () => {
    const w = propose(openedCase()).world;
    const err = thrown(() => send({ ...w, c: { ...w.c, status: 'open' } }));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details).toEqual({ resolutionStatus: 'pending' });
  });

  it('after a rejection → 409', () => {
    const rejected = decide(propose(openedCase()).world, 1, sue, { decision: 'reject', comment: 'No' }).world;
    expect(rejected.c.status).toBe('open');
    const err = thrown(() => send(rejected));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details).toEqual({ resolutionStatus: 'rejected' });
  });

  it('with no proposal → 409', () => {
    expect(thrown(() => sendFinalResponse(openedCase(), undefined, {}, OWNER, RESPONDED_AT))).toBeInstanceOf(ConflictError);
  });

  it('with a resolution that is not the case’s current proposal → 409', () => {
    const approved = approvedWorld();
    const other = { ...approved.resolution, id: ulid('01JRES', 7) };
    expect(thrown(() => send({ c: approved.c, resolution: other }))).toBeInstanceOf(ConflictError);
  });

  it('redress by component is part of what is approved, and the final response records it on the cycle (the return counts it from there)', () => {
    const redress = { currency: 'GBP', financialLoss: '1200.00', goodwill: '100.00', distressAndInconvenience: '200.00', waived: '35.00', nonCash: [{ description: 'free transfer out', value: '25.00' }] };
    const body = proposal({ remedy: { description: 'Refund, goodwill and a waived fee', compensation: { amount: '1500.00', currency: 'GBP' }, redress } });
    const { world, change } = propose(openedCase(), body);
    // Proposed with the redress: the approvers see it (in the proposal and its audit event), 1,560.00 in all crosses both tiers.
    expect(world.resolution.remedy?.redress).toEqual(redress);
    expect(change.drafts[0]!.data).toMatchObject({ remedy: { redress } });
    expect(world.approvals.map((a) => a.role)).toEqual(['supervisor', 'compliance']);
    const approved = decide(decide(world, 1, sue).world, 2, carl).world;
    const sent = send(approved);
    expect(sent.case.cycles.at(-1)).toMatchObject({ compensation: { amount: '1500.00', currency: 'GBP' }, redress });
  });

  it('after approval: resolved, the current cycle stopped, audited within the deadline with the defaults', () => {
    const approved = approvedWorld();
    expect(approved.c.status).toBe('open');
    expect(plannedTimers(approved.c).length).toBeGreaterThan(0); // the clock still runs until the response goes
    const change = send(approved);
    expect(change.case.status).toBe('resolved');
    expect(change.case.rootCause).toEqual(ROOT_CAUSE);
    // The cycle keeps its answer for reporting: when, the decision and the compensation paid.
    expect(change.case.cycles).toEqual([
      { ...approved.c.cycles[0]!, stoppedAt: RESPONDED_AT, reason: 'final_response', respondedAt: RESPONDED_AT, decision: 'upheld', compensation: { amount: '1500.00', currency: 'GBP' } },
    ]);
    expect(change.drafts).toEqual([
      {
        actor: OWNER,
        action: 'final_response.sent',
        data: {
          resolutionId: approved.resolution.id,
          channel: 'web',
          text: FINAL_TEXT,
          decision: 'upheld',
          remedy: approved.resolution.remedy,
          finalResponseDueAt: approved.c.finalResponseDueAt,
          withinDeadline: true,
        },
      },
    ]);
    expect(CaseSchema.parse(change.case)).toEqual(change.case);
  });

  it('a not_required proposal may be answered at once; the given channel and text win over the defaults', () => {
    const w = propose(openedCase(), NO_REMEDY).world;
    const change = send(w, RESPONDED_AT, { channel: 'letter', text: 'Dear Ms Lovelace …' });
    expect(change.case.status).toBe('resolved');
    expect(change.drafts[0]!.data).toMatchObject({ channel: 'letter', text: 'Dear Ms Lovelace …', decision: 'not_upheld', remedy: null, withinDeadline: true });
  });

  it('withinDeadline: true exactly at the due time, false a millisecond after', () => {
    const w = propose(openedCase(), NO_REMEDY).world;
    const due = w.c.finalResponseDueAt;
    expect(send(w, due).drafts[0]!.data.withinDeadline).toBe(true);
    expect(send(w, at(due, 1)).drafts[0]!.data.withinDeadline).toBe(false);
    expect(send(w, at(due, 5 * DAY)).drafts[0]).toMatchObject({ data: { withinDeadline: false, finalResponseDueAt: due } });
  });

  it('stops only the current cycle of a reopened case', () => {
    const c = openedCase({
      cycles: [
        { n: 1, startedAt: NOW, dueAt: at(NOW, 56 * DAY), stoppedAt: at(NOW, 5 * DAY), reason: 'closed' },
        { n: 2, startedAt: at(NOW, 6 * DAY), dueAt: at(NOW, 62 * DAY) },
      ],
    });
    const w = propose(c, NO_REMEDY).world;
    const change = send(w);
    expect(change.case.cycles).toEqual([c.cycles[0], { ...c.cycles[1]!, stoppedAt: RESPONDED_AT, reason: 'final_response', respondedAt: RESPONDED_AT, decision: 'not_upheld' }]);
  });

  it('a resolved case plans no timers: the clock stopped, no checkpoint (nor a blocked dependency) fires', () => {
    const approved = approvedWorld();
    const withBlocked: Case = { ...approved.c, blockedDependencies: [{ taskId: ulid('01JTSK', 1), since: PROPOSED_AT, raiseAt: at(PROPOSED_AT, DAY) }] };
    expect(plannedTimers(withBlocked).map((t) => t.kind)).toEqual(expect.arrayContaining(['checkpoint', 'dependency']));
    const resolved = send({ c: withBlocked, resolution: approved.resolution }).case;
    expect(resolved.status).toBe('resolved');
    expect(plannedTimers(resolved)).toEqual([]);
    expect(plannedTimers(send(approved).case)).toEqual([]);
  });

  it('a resolved case takes no second final response (409)', () => {
    const approved = approvedWorld();
    const resolved = send(approved).case;
    const err = thrown(() => send({ c: resolved, resolution: approved.resolution }));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details).toMatchObject({ currentStatus: 'resolved', action: 'final_response' });
  });
});


describe('regressions', () => {
  it('a later stage cannot be approved while an earlier one is not approved (e.g. timed out)', () => {
    const w = propose(openedCase()).world;
    const stuck: World = { ...w, approvals: w.approvals.map((a) => (a.stage === 1 ? { ...a, status: 'timed_out' as const } : a)) };
    expect(thrown(() => decide(stuck, 2, carl))).toBeInstanceOf(ConflictError);
  });

  it('reopening supersedes the previous cycle’s approved proposal: the final response needs a new one', () => {
    const w = approvedWorld();
    const reopened = life.reopen({ ...w.c, status: 'closed', closedAt: PROPOSED_AT }, 'customer disputes the outcome', getRegime(w.c.regime), OWNER, at(PROPOSED_AT, 3 * DAY)).case;
    expect(caseResolution(reopened)?.status).toBe('superseded');
    expect(thrown(() => sendFinalResponse(reopened, w.resolution, {}, OWNER, at(PROPOSED_AT, 4 * DAY)))).toBeInstanceOf(ConflictError);
    const again = propose(reopened, proposal(), { round: 2, now: at(PROPOSED_AT, 4 * DAY) });
    expect(again.world.resolution.round).toBe(2);
  });
});
