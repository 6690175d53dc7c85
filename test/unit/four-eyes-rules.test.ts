// Issue 25 (findings 2 and 3), pure: who may lower a guarded fact, when approvals given cover the rules' plan, how a
// standing proposal is re-planned after a flag changes, the approved-text rule and the admission-of-liability scan.
import { assertApprovalsCover, assertMayLowerFacts, coversStage, loweredFacts, planApprovals, uncoveredStages } from '#domain/approval-rules';
import { ConflictError, ForbiddenError, InvalidInputError } from '#domain/errors';
import { assertNoAdmission, findAdmissions } from '#domain/outbound-text';
import { assertApprovedText, decideApproval, proposeResolution, replanApprovals } from '#domain/resolution';
import type { Case } from '#schemas/complaint';
import { Approval as ApprovalSchema, Resolution as ResolutionSchema, type Approval, type ProposeResolutionBody, type Resolution } from '#schemas/resolution';
import { at, DAY, NOW, openedCase, principal } from './fixtures';

const LATER = at(NOW, 10 * DAY);
const STAGE_TIMEOUT = 2 * DAY;
const ulid = (prefix: string, n: number): string => `${prefix}${String(n).padStart(26 - prefix.length, '0')}`;
const BODY: ProposeResolutionBody = {
  decision: 'upheld',
  remedy: { compensation: { amount: '300.00', currency: 'GBP' }, description: 'Goodwill payment' },
  rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity' },
  finalResponse: 'We will pay you £300.00.',
};

describe('lowering a guarded fact', () => {
  const base = openedCase({ legalExposure: true, reputationalRisk: true, vulnerable: true, sensitivity: 'restricted', severity: 'high' });

  it('finds each fact lowered, and none raised', () => {
    expect(loweredFacts(base, { ...base, legalExposure: false, severity: 'medium', sensitivity: 'standard' })).toEqual([
      { field: 'legalExposure', from: true, to: false },
      { field: 'sensitivity', from: 'restricted', to: 'standard' },
      { field: 'severity', from: 'high', to: 'medium' },
    ]);
    expect(loweredFacts(openedCase(), { ...openedCase(), legalExposure: true, severity: 'critical', vulnerable: true, sensitivity: 'restricted' })).toEqual([]);
  });

  it('the owner never (whatever their role), a handler never, a supervisor or admin only with a reason', () => {
    const lowered = loweredFacts(base, { ...base, vulnerable: false });
    expect(() => assertMayLowerFacts(principal('alice', 'handler'), base, lowered, 'why')).toThrow(ForbiddenError);
    expect(() => assertMayLowerFacts(principal('alice', 'supervisor'), base, lowered, 'why')).toThrow(/four eyes/);
    expect(() => assertMayLowerFacts(principal('hal', 'handler'), base, lowered, 'why')).toThrow(ForbiddenError);
    expect(() => assertMayLowerFacts(principal('carl', 'compliance'), base, lowered, 'why')).toThrow(ForbiddenError);
    expect(() => assertMayLowerFacts(principal('sue', 'supervisor'), base, lowered, '  ')).toThrow(InvalidInputError);
    expect(() => assertMayLowerFacts(principal('sue', 'supervisor'), base, lowered, 'Checked with the customer')).not.toThrow();
    expect(() => assertMayLowerFacts(principal('ann', 'admin'), base, lowered, 'Checked with the customer')).not.toThrow();
    expect(() => assertMayLowerFacts(principal('alice', 'handler'), base, [], undefined)).not.toThrow();
  });
});

describe('approvals covering the plan', () => {
  const approval = (over: Partial<Approval>): Pick<Approval, 'role' | 'reasons' | 'checks' | 'status'> => ({
    role: 'supervisor',
    status: 'approved',
    reasons: [{ rule: 'compensation_threshold', detail: 'compensation 300.00 GBP above the 250.00 GBP threshold' }],
    ...over,
  });

  it('a stage is covered only by an approval of its role that saw every reason and check', () => {
    const [money] = planApprovals(BODY, openedCase());
    const [both] = planApprovals(BODY, openedCase({ vulnerable: true }));
    expect(coversStage(approval({}), money!)).toBe(true);
    expect(coversStage(approval({}), both!)).toBe(false);
    expect(coversStage(approval({ reasons: both!.reasons }), both!)).toBe(false); // the vulnerability check was not confirmed
    expect(coversStage(approval({ reasons: both!.reasons, checks: ['vulnerability'] }), both!)).toBe(true);
    expect(uncoveredStages([money!], [approval({ status: 'pending' })])).toEqual([money]);
  });

  it('the final response is refused (409) while a stage the rules now require is not approved', () => {
    const plan = planApprovals(BODY, openedCase({ legalExposure: true }));
    expect(() => assertApprovalsCover(plan, [approval({})])).toThrow(ConflictError);
    expect(() => assertApprovalsCover(plan, [approval({}), approval({ role: 'legal', reasons: plan[1]!.reasons })])).not.toThrow();
  });
});

describe('re-planning a standing proposal', () => {
  const proposed = (c: Case) => proposeResolution(c, BODY, planApprovals(BODY, c), { resolutionId: ulid('01JRES', 1), approvalIds: [ulid('01JAPR', 1)] }, 'alice', NOW, STAGE_TIMEOUT);
  const ids = { resolutionId: ulid('01JRES', 2), approvalIds: [1, 2, 3, 4].map((n) => ulid('01JAPR', 20 + n)) };

  it('carries an approval whose facts did not change, adds the new stage, and the case awaits approval', () => {
    const p = proposed(openedCase());
    const decided = decideApproval(p.case, p.result.resolution, p.result.approvals, p.result.approvals[0]!.id, { decision: 'approve' }, principal('sue', 'supervisor'), NOW, STAGE_TIMEOUT);
    const flagged: Case = { ...decided.case, legalExposure: true };
    const out = replanApprovals(flagged, decided.result.resolution, [decided.result.approval], planApprovals(BODY, flagged), ids, 'alice', LATER, STAGE_TIMEOUT, { action: 'complaint.reclassified' })!;
    expect(out.case).toMatchObject({ status: 'awaiting_approval', resolution: { id: ids.resolutionId, round: 2, status: 'pending', stages: 2, approvedStages: 1 } });
    expect(out.result.approvals.map((a) => [a.stage, a.role, a.status, a.carriedFrom ?? null, a.dueAt ?? null])).toEqual([
      [1, 'supervisor', 'approved', p.result.approvals[0]!.id, null],
      [2, 'legal', 'pending', null, at(LATER, 2 * DAY)],
    ]);
    expect(out.result.replaced.status).toBe('superseded');
    expect(ResolutionSchema.parse(out.result.resolution)).toMatchObject({ replaces: p.result.resolution.id, proposedBy: 'alice' });
    for (const a of out.result.approvals) ApprovalSchema.parse(a);
    // The carried approval's decider counts for four eyes: sue may not also decide the legal stage (nor could she).
    const legal = out.result.approvals[1]!;
    expect(() => decideApproval(out.case, out.result.resolution, out.result.approvals, legal.id, { decision: 'approve' }, principal('sue', 'legal'), LATER, STAGE_TIMEOUT)).toThrow(ForbiddenError);
    const done = decideApproval(out.case, out.result.resolution, out.result.approvals, legal.id, { decision: 'approve' }, principal('lee', 'legal'), LATER, STAGE_TIMEOUT);
    expect(done.case).toMatchObject({ status: 'open', resolution: { status: 'approved', approvedStages: 2 } });
  });

  it('supersedes a pending stage; does nothing when every stage now required is already covered, or the response went out', () => {
    const p = proposed(openedCase());
    const flagged: Case = { ...p.case, vulnerable: true };
    const out = replanApprovals(flagged, p.result.resolution, p.result.approvals, planApprovals(BODY, flagged), ids, 'alice', LATER, STAGE_TIMEOUT, {})!;
    expect(out.result.superseded.map((a) => [a.id, a.status])).toEqual([[p.result.approvals[0]!.id, 'superseded']]);
    expect(out.result.approvals.map((a) => [a.role, a.status, a.checks ?? []])).toEqual([['supervisor', 'pending', ['vulnerability']]]);
    const unchanged: Case = { ...p.case, severity: 'critical' };
    expect(replanApprovals(unchanged, p.result.resolution, p.result.approvals, planApprovals(BODY, unchanged), ids, 'alice', LATER, STAGE_TIMEOUT, {})).toBeUndefined();
    expect(replanApprovals({ ...flagged, status: 'resolved' }, p.result.resolution, p.result.approvals, planApprovals(BODY, flagged), ids, 'alice', LATER, STAGE_TIMEOUT, {})).toBeUndefined();
  });

  it('re-plans a proposal that needed no approval at all once a flag is raised (the issue reproduction)', () => {
    const c = openedCase();
    const small = { ...BODY, remedy: { description: 'Apology' } };
    const p = proposeResolution(c, small, [], { resolutionId: ulid('01JRES', 1), approvalIds: [] }, 'alice', NOW, STAGE_TIMEOUT);
    expect(p.result.resolution.status).toBe('not_required');
    const flagged: Case = { ...p.case, legalExposure: true, reputationalRisk: true };
    const out = replanApprovals(flagged, p.result.resolution, [], planApprovals(small, flagged), ids, 'alice', LATER, STAGE_TIMEOUT, {})!;
    expect(out.result.approvals.map((a) => a.role)).toEqual(['legal', 'admin']);
    expect(out.drafts[0]).toMatchObject({ action: 'resolution.replanned', data: { replacedStatus: 'not_required', supersededApprovalIds: [] } });
  });
});

describe('the approved text and the admission scan', () => {
  const resolution = { id: ulid('01JRES', 1), finalResponse: 'We will pay you £300.00.' } satisfies Pick<Resolution, 'id' | 'finalResponse'>;

  it('accepts the approved text (whitespace aside) or the letter; refuses any other text (409)', () => {
    expect(() => assertApprovedText(resolution, undefined)).not.toThrow();
    expect(() => assertApprovedText(resolution, ' We will pay you\r\n£300.00. ')).not.toThrow();
    expect(() => assertApprovedText(resolution, 'Dear Ada, …', ['Dear Ada, …'])).not.toThrow();
    expect(() => assertApprovedText(resolution, 'We admit liability and will pay you £30,000.00')).toThrow(ConflictError);
  });

  it('finds admissions through case, line breaks, invisible and compatibility characters, on whole words only', () => {
    expect(findAdmissions('We ADMIT\nthe error')).toEqual(['we admit']);
    expect(findAdmissions('it was our\u00a0\u200bfa\u00adult')).toEqual(['our fault']); // a no-break space, a zero-width space, a soft hyphen
    expect(findAdmissions('we ａｃｃｅｐｔ liability')).toEqual(['we accept liability']);
    expect(findAdmissions('not your fault', 'we administer', 'We are sorry')).toEqual([]);
    expect(findAdmissions(undefined, 'we are liable')).toEqual(['we are liable']);
    expect(() => assertNoAdmission('Thank you, we are sorry.', 'an acknowledgement', 'body.text')).not.toThrow();
    expect(() => assertNoAdmission('We admit it.', 'an acknowledgement', 'body.text')).toThrow(InvalidInputError);
    expect(() => assertNoAdmission('We admit it.', 'an acknowledgement')).toThrow(ConflictError);
  });

  it('plans a legal stage for an admission in the final response, the remedy or the product the letter quotes', () => {
    const rule = (b: ProposeResolutionBody, c = openedCase()) => planApprovals(b, c).flatMap((s) => s.reasons.map((r) => `${s.role}:${r.rule}`));
    expect(rule({ ...BODY, remedy: undefined, finalResponse: 'We accept responsibility.' })).toEqual(['legal:admission_of_liability']);
    expect(rule({ ...BODY, remedy: { description: 'As we were negligent, a refund' } })).toContain('legal:admission_of_liability');
    expect(rule({ ...BODY, remedy: undefined }, openedCase({ product: 'Our fault insurance' }))).toEqual(['legal:admission_of_liability']);
    expect(rule({ ...BODY, remedy: undefined })).toEqual([]);
  });
});
