// Approval rules as data: the stages each kind of resolution needs, exact money thresholds, the request schemas
// of resolution/approval/escalation routes, and the four-eyes checks on who may decide a stage.
import {
  DEFAULT_APPROVAL_RULES,
  assertMayDecide,
  assertPending,
  compareAmounts,
  eligibleRoles,
  formatMoney,
  planApprovals,
  type ApprovalCaseFacts,
  type ProposedOutcome,
} from '#domain/approval-rules';
import { CHECKPOINT_PERCENTS } from '#domain/deadlines';
import { ConflictError, ForbiddenError } from '#domain/errors';
import {
  ApprovalDecisionBody,
  ApprovalRules,
  ApprovalStage,
  FinalResponseBody,
  ProposeResolutionBody,
  ResolutionProposal,
  type ApprovalRole,
} from '#schemas/resolution';
import { EscalationBody, EscalationWaiverBody, WAIVER_CHECKPOINT_PERCENTS, waiverTarget } from '#schemas/escalation';
import type { Role } from '#schemas/common';
import type * as z from 'zod';

const NO_FLAGS: ApprovalCaseFacts = { vulnerable: false, legalExposure: false, reputationalRisk: false };
const gbp = (amount: string): ProposedOutcome => ({ remedy: { compensation: { amount, currency: 'GBP' }, description: 'goodwill payment' } });
const money = (amount: string, currency: string): ProposedOutcome => ({ remedy: { compensation: { amount, currency }, description: 'goodwill payment' } });
const roles = (outcome: ProposedOutcome, facts: Partial<ApprovalCaseFacts> = {}): ApprovalRole[] => planApprovals(outcome, { ...NO_FLAGS, ...facts }).map((s) => s.role);
const pathsOf = (r: z.ZodSafeParseResult<unknown>): string[] => (r.success ? [] : r.error.issues.map((i) => i.path.join('.')));

/** The reference case: third delayed delivery, missed appointment, £180 claimed loss; the owner offers more. */
const REFERENCE_PROPOSAL = {
  decision: 'upheld',
  remedy: { compensation: { amount: '300.00', currency: 'GBP' }, description: 'Refund of the £180 loss plus £120 for the missed appointment and repeated delays' },
  rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity three weeks running; no re-routing rule' },
  finalResponse: 'We uphold your complaint. We will pay you £300.00 within 5 working days …',
} as const;

describe('planApprovals: one rule at a time', () => {
  it.each<[string, ProposedOutcome, Partial<ApprovalCaseFacts>, ApprovalRole[]]>([
    ['not upheld, no remedy, no flags → none', {}, {}, []],
    ['a remedy without compensation → none', { remedy: { description: 'apology and corrected records' } }, {}, []],
    ['compensation 300 GBP (reference case) → supervisor', gbp('300.00'), {}, ['supervisor']],
    ['compensation 1,500 GBP → supervisor then compliance', gbp('1500.00'), {}, ['supervisor', 'compliance']],
    ['compensation 200 GBP → none', gbp('200'), {}, []],
    ['compensation of nothing → none', gbp('0'), {}, []],
    ['compensation of nothing in an unconfigured currency → none', money('0.00', 'JPY'), {}, []],
    ['300 EUR → supervisor', money('300', 'EUR'), {}, ['supervisor']],
    ['300 USD → supervisor', money('300', 'USD'), {}, ['supervisor']],
    ['1,000.01 AUD → supervisor then compliance', money('1000.01', 'AUD'), {}, ['supervisor', 'compliance']],
    ['policy exception → compliance', { remedy: { policyException: true, description: 'refund outside the 30-day window' } }, {}, ['compliance']],
    ['policy exception false → none', { remedy: { policyException: false, description: 'standard refund' } }, {}, []],
    ['legal exposure → legal', {}, { legalExposure: true }, ['legal']],
    ['vulnerable customer → supervisor', {}, { vulnerable: true }, ['supervisor']],
    ['reputational risk → admin', {}, { reputationalRisk: true }, ['admin']],
  ])('%s', (_name, outcome, facts, expected) => {
    expect(roles(outcome, facts)).toEqual(expected);
  });

  it('the reference case: one supervisor stage, saying which threshold it crossed', () => {
    const body = ProposeResolutionBody.parse(REFERENCE_PROPOSAL);
    expect(planApprovals(body, NO_FLAGS)).toEqual([
      { stage: 1, role: 'supervisor', reasons: [{ rule: 'compensation_threshold', detail: 'compensation 300.00 GBP above the 250.00 GBP threshold' }] },
    ]);
  });

  it('above the higher threshold: both stages cite the highest threshold crossed', () => {
    expect(planApprovals(gbp('1500'), NO_FLAGS)).toEqual([
      { stage: 1, role: 'supervisor', reasons: [{ rule: 'compensation_threshold', detail: 'compensation 1,500.00 GBP above the 1,000.00 GBP threshold' }] },
      { stage: 2, role: 'compliance', reasons: [{ rule: 'compensation_threshold', detail: 'compensation 1,500.00 GBP above the 1,000.00 GBP threshold' }] },
    ]);
  });

  it('a vulnerable customer adds the vulnerability check to the supervisor stage', () => {
    expect(planApprovals({}, { ...NO_FLAGS, vulnerable: true })).toEqual([
      { stage: 1, role: 'supervisor', reasons: [{ rule: 'vulnerable_customer', detail: 'the customer is flagged as vulnerable' }], checks: ['vulnerability'] },
    ]);
  });

  it('a currency with no threshold is treated conservatively: supervisor then compliance, saying why', () => {
    const stages = planApprovals(money('50000', 'JPY'), NO_FLAGS);
    expect(stages.map((s) => s.role)).toEqual(['supervisor', 'compliance']);
    expect(stages[0]?.reasons).toEqual([{ rule: 'compensation_unconfigured_currency', detail: 'compensation 50,000 JPY: no approval threshold configured for JPY' }]);
  });

  it('the decision alone changes nothing: not upheld for a vulnerable customer still needs the supervisor', () => {
    const body = ProposeResolutionBody.parse({ ...REFERENCE_PROPOSAL, decision: 'not_upheld', remedy: undefined });
    expect(roles(body, { vulnerable: true })).toEqual(['supervisor']);
    expect(roles(body)).toEqual([]);
  });
});

describe('planApprovals: thresholds are exact decimals', () => {
  it.each<[string, ApprovalRole[]]>([
    ['250.00', []],
    ['250', []],
    ['250.0000', []],
    ['250.0001', ['supervisor']],
    ['250.01', ['supervisor']],
    ['1000', ['supervisor']],
    ['1000.00', ['supervisor']],
    ['1000.0', ['supervisor']],
    ['1000.0001', ['supervisor', 'compliance']],
  ])('%s GBP → %j', (amount, expected) => {
    expect(roles(gbp(amount))).toEqual(expected);
  });

  it('"1000" and "1000.00" plan identically', () => {
    expect(planApprovals(gbp('1000'), NO_FLAGS)).toEqual(planApprovals(gbp('1000.00'), NO_FLAGS));
  });

  it('compares beyond float precision (these two are the same double)', () => {
    const rules: ApprovalRules = {
      ...DEFAULT_APPROVAL_RULES,
      compensation: { ...DEFAULT_APPROVAL_RULES.compensation, thresholds: { GBP: [{ above: '999999999999999.9998', roles: ['supervisor'] }] } },
    };
    expect(Number('999999999999999.9999')).toBe(Number('999999999999999.9998'));
    expect(planApprovals(gbp('999999999999999.9999'), NO_FLAGS, rules).map((s) => s.role)).toEqual(['supervisor']);
    expect(planApprovals(gbp('999999999999999.9998'), NO_FLAGS, rules)).toEqual([]);
  });

  it.each<[string, string, -1 | 0 | 1]>([
    ['1000', '1000.00', 0],
    ['0.1', '0.10', 0],
    ['999.9999', '1000', -1],
    ['1000.0001', '1000', 1],
    ['10', '9.99', 1],
  ])('compareAmounts(%s, %s) = %d', (a, b, expected) => {
    expect(compareAmounts(a, b)).toBe(expected);
  });

  it('refuses something that is not a decimal amount', () => {
    expect(() => compareAmounts('1e3', '1')).toThrow(RangeError);
    expect(() => compareAmounts('-5', '1')).toThrow(RangeError);
    expect(() => formatMoney({ amount: '1,000', currency: 'GBP' })).toThrow(RangeError);
  });

  it('formats a code the runtime does not know as a two-decimal currency', () => {
    expect(formatMoney({ amount: '7', currency: 'X1' })).toBe('7.00 X1');
  });

  it.each<[string, string, string]>([
    ['1500', 'GBP', '1,500.00 GBP'],
    ['1000.5', 'EUR', '1,000.50 EUR'],
    ['1234567.1234', 'USD', '1,234,567.1234 USD'],
    ['250.1000', 'AUD', '250.10 AUD'],
    ['0', 'GBP', '0.00 GBP'],
    ['50000', 'JPY', '50,000 JPY'],
    ['12.5', 'BHD', '12.500 BHD'],
  ])('formatMoney(%s %s) = %s', (amount, currency, expected) => {
    expect(formatMoney({ amount, currency })).toBe(expected);
  });
});

describe('planApprovals: several rules together', () => {
  it('everything at once → four stages in the fixed order, reasons and checks merged per role', () => {
    const outcome: ProposedOutcome = { remedy: { compensation: { amount: '1500.00', currency: 'GBP' }, policyException: true, description: 'out-of-policy refund' } };
    const stages = planApprovals(outcome, { vulnerable: true, legalExposure: true, reputationalRisk: true });
    expect(stages).toEqual([
      {
        stage: 1,
        role: 'supervisor',
        reasons: [
          { rule: 'compensation_threshold', detail: 'compensation 1,500.00 GBP above the 1,000.00 GBP threshold' },
          { rule: 'vulnerable_customer', detail: 'the customer is flagged as vulnerable' },
        ],
        checks: ['vulnerability'],
      },
      {
        stage: 2,
        role: 'compliance',
        reasons: [
          { rule: 'compensation_threshold', detail: 'compensation 1,500.00 GBP above the 1,000.00 GBP threshold' },
          { rule: 'policy_exception', detail: 'the remedy is an exception to policy' },
        ],
      },
      { stage: 3, role: 'legal', reasons: [{ rule: 'legal_exposure', detail: 'the case is flagged for legal exposure' }] },
      { stage: 4, role: 'admin', reasons: [{ rule: 'reputational_risk', detail: 'the case is flagged as a reputational risk' }] },
    ]);
    for (const s of stages) expect(ApprovalStage.safeParse(s).success).toBe(true);
  });

  it.each<[string, ProposedOutcome, Partial<ApprovalCaseFacts>, ApprovalRole[]]>([
    ['300 GBP + vulnerable → one supervisor stage', gbp('300'), { vulnerable: true }, ['supervisor']],
    ['300 GBP + policy exception → supervisor, compliance', { remedy: { compensation: { amount: '300', currency: 'GBP' }, policyException: true, description: 'x' } }, {}, ['supervisor', 'compliance']],
    ['1,500 GBP + policy exception → supervisor, compliance (one compliance stage)', { remedy: { compensation: { amount: '1500', currency: 'GBP' }, policyException: true, description: 'x' } }, {}, ['supervisor', 'compliance']],
    ['reputational + legal → legal, admin', {}, { reputationalRisk: true, legalExposure: true }, ['legal', 'admin']],
    ['reputational + 300 GBP → supervisor, admin', gbp('300'), { reputationalRisk: true }, ['supervisor', 'admin']],
  ])('%s', (_name, outcome, facts, expected) => {
    expect(roles(outcome, facts)).toEqual(expected);
  });

  it('stages are numbered 1..n without gaps', () => {
    expect(planApprovals({}, { vulnerable: false, legalExposure: true, reputationalRisk: true }).map((s) => [s.stage, s.role])).toEqual([
      [1, 'legal'],
      [2, 'admin'],
    ]);
  });
});

describe('approval rules are organisation data', () => {
  it('the defaults satisfy the configuration schema', () => {
    expect(ApprovalRules.parse(DEFAULT_APPROVAL_RULES)).toEqual(DEFAULT_APPROVAL_RULES);
  });

  it('an organisation can change tiers and roles; the stage order stays fixed and each role cites its highest tier', () => {
    const rules = ApprovalRules.parse({
      compensation: {
        thresholds: { GBP: [{ above: '5000', roles: ['legal'] }, { above: '100', roles: ['supervisor'] }] },
        unconfiguredCurrency: { roles: ['compliance'] },
      },
      policyException: { roles: ['compliance', 'admin'] },
      legalExposure: { roles: ['legal'] },
      vulnerableCustomer: { roles: ['compliance'], checks: ['vulnerability'] },
      reputationalRisk: { roles: ['admin'] },
    });
    expect(planApprovals(gbp('6000'), { ...NO_FLAGS, vulnerable: true }, rules)).toEqual([
      { stage: 1, role: 'supervisor', reasons: [{ rule: 'compensation_threshold', detail: 'compensation 6,000.00 GBP above the 100.00 GBP threshold' }] },
      { stage: 2, role: 'compliance', reasons: [{ rule: 'vulnerable_customer', detail: 'the customer is flagged as vulnerable' }], checks: ['vulnerability'] },
      { stage: 3, role: 'legal', reasons: [{ rule: 'compensation_threshold', detail: 'compensation 6,000.00 GBP above the 5,000.00 GBP threshold' }] },
    ]);
    expect(roles(money('10', 'USD'))).toEqual([]);
    expect(planApprovals(money('10', 'USD'), NO_FLAGS, rules).map((s) => s.role)).toEqual(['compliance']);
    expect(planApprovals({ remedy: { policyException: true, description: 'x' } }, NO_FLAGS, rules).map((s) => s.role)).toEqual(['compliance', 'admin']);
  });

  it('a rule can change who approves but cannot be switched off (control 5 is mandatory)', () => {
    const r = ApprovalRules.safeParse({ ...DEFAULT_APPROVAL_RULES, legalExposure: { roles: [] } });
    expect(pathsOf(r)).toEqual(['legalExposure.roles']);
  });

  it('refuses malformed thresholds, currencies and roles', () => {
    const tiers = (t: unknown) => ({ ...DEFAULT_APPROVAL_RULES, compensation: { ...DEFAULT_APPROVAL_RULES.compensation, thresholds: t } });
    expect(ApprovalRules.safeParse(tiers({ GBP: [{ above: 250, roles: ['supervisor'] }] })).success).toBe(false);
    expect(ApprovalRules.safeParse(tiers({ gbp: [{ above: '250', roles: ['supervisor'] }] })).success).toBe(false);
    expect(ApprovalRules.safeParse(tiers({ GBP: [{ above: '250', roles: ['handler'] }] })).success).toBe(false);
    expect(ApprovalRules.safeParse(tiers({ GBP: [] })).success).toBe(false);
  });
});

describe('request and response schemas', () => {
  it('ProposeResolutionBody accepts the reference proposal and a bare not-upheld outcome', () => {
    expect(ProposeResolutionBody.safeParse(REFERENCE_PROPOSAL).success).toBe(true);
    expect(ProposeResolutionBody.safeParse({ decision: 'not_upheld', rootCause: { category: 'none', description: 'delivered on time' }, finalResponse: 'We do not uphold …' }).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['an unknown decision', { decision: 'rejected' }, ['decision']],
    ['an unknown field', { approvedBy: 'me' }, ['']],
    ['money as a number', { remedy: { compensation: { amount: 300, currency: 'GBP' }, description: 'x' } }, ['remedy.compensation.amount']],
    ['a negative amount', { remedy: { compensation: { amount: '-1.00', currency: 'GBP' }, description: 'x' } }, ['remedy.compensation.amount']],
    ['a remedy without description', { remedy: { compensation: { amount: '1.00', currency: 'GBP' } } }, ['remedy.description']],
    ['a remedy with an unknown field', { remedy: { description: 'x', voucher: true } }, ['remedy']],
    ['a root cause without description', { rootCause: { category: 'x' } }, ['rootCause.description']],
    ['a blank final response', { finalResponse: '   ' }, ['finalResponse']],
    ['a final response over 20,000 characters', { finalResponse: 'x'.repeat(20001) }, ['finalResponse']],
  ])('ProposeResolutionBody refuses %s', (_name, patch, paths) => {
    expect(pathsOf(ProposeResolutionBody.safeParse({ ...REFERENCE_PROPOSAL, ...patch }))).toEqual(paths);
  });

  it('ApprovalDecisionBody: a rejection needs a comment, reported on comment', () => {
    expect(pathsOf(ApprovalDecisionBody.safeParse({ decision: 'reject' }))).toEqual(['comment']);
    expect(pathsOf(ApprovalDecisionBody.safeParse({ decision: 'reject', comment: '   ' }))).toEqual(['comment']);
    expect(ApprovalDecisionBody.safeParse({ decision: 'reject', comment: 'Compensation exceeds the documented loss without reasons' }).success).toBe(true);
  });

  it('ApprovalDecisionBody: an approval may carry a comment or not; anything else is refused', () => {
    expect(ApprovalDecisionBody.parse({ decision: 'approve' })).toEqual({ decision: 'approve' });
    expect(ApprovalDecisionBody.parse({ decision: 'approve', comment: ' fair remedy ' })).toEqual({ decision: 'approve', comment: 'fair remedy' });
    expect(pathsOf(ApprovalDecisionBody.safeParse({ decision: 'approved' }))).toEqual(['decision']);
    expect(pathsOf(ApprovalDecisionBody.safeParse({ decision: 'approve', comment: 'x'.repeat(4001) }))).toEqual(['comment']);
  });

  it('EscalationWaiverBody: a justification under 20 characters (after trimming) fails on justification', () => {
    expect(pathsOf(EscalationWaiverBody.safeParse({ checkpoint: 75, justification: 'customer replied ok' }))).toEqual(['justification']);
    expect(pathsOf(EscalationWaiverBody.safeParse({ checkpoint: 75, justification: `   ${'x'.repeat(19)}        ` }))).toEqual(['justification']);
    expect(pathsOf(EscalationWaiverBody.safeParse({ checkpoint: 75 }))).toEqual(['justification']);
    expect(EscalationWaiverBody.parse({ checkpoint: 75, justification: '  Operations confirmed the fix ships today  ' })).toEqual({
      checkpoint: 75,
      justification: 'Operations confirmed the fix ships today',
    });
  });

  it('EscalationWaiverBody: the checkpoint is a deadline percent or a blocked dependency', () => {
    const justification = 'Operations confirmed the fix ships today';
    expect(EscalationWaiverBody.safeParse({ checkpoint: 90, justification }).success).toBe(true);
    expect(EscalationWaiverBody.safeParse({ checkpoint: 'dependency:01JD7Q3ZV0M4K6S8T2W5X9Y1BC', justification }).success).toBe(true);
    for (const checkpoint of [60, '75', 'dependency:nope', 'dependency:', null, undefined]) {
      expect(pathsOf(EscalationWaiverBody.safeParse({ checkpoint, justification }))).toEqual(['checkpoint']);
    }
    expect(waiverTarget(75)).toEqual({ kind: 'checkpoint', percent: 75 });
    expect(waiverTarget('dependency:01JD7Q3ZV0M4K6S8T2W5X9Y1BC')).toEqual({ kind: 'dependency', taskId: '01JD7Q3ZV0M4K6S8T2W5X9Y1BC' });
  });

  it('the waivable percents are the deadline checkpoints', () => {
    expect([...WAIVER_CHECKPOINT_PERCENTS]).toEqual([...CHECKPOINT_PERCENTS]);
  });

  it('EscalationBody needs a reason; FinalResponseBody takes an optional channel and text', () => {
    expect(pathsOf(EscalationBody.safeParse({}))).toEqual(['reason']);
    expect(EscalationBody.safeParse({ reason: 'Customer threatens to go to the ombudsman' }).success).toBe(true);
    expect(FinalResponseBody.parse({})).toEqual({});
    expect(FinalResponseBody.safeParse({ channel: 'email', text: 'Our final response …' }).success).toBe(true);
    expect(pathsOf(FinalResponseBody.safeParse({ channel: 'pigeon' }))).toEqual(['channel']);
    expect(pathsOf(FinalResponseBody.safeParse({ text: '' }))).toEqual(['text']);
  });

  it('a ResolutionProposal carries the resolution and its stages', () => {
    const body = ProposeResolutionBody.parse(REFERENCE_PROPOSAL);
    const proposal = {
      ...body,
      id: '01JD7Q3ZV0M4K6S8T2W5X9Y1BC',
      caseId: '01JD7Q3ZV0M4K6S8T2W5X9Y1BD',
      round: 1,
      status: 'pending',
      proposedBy: 'olivia',
      proposedAt: '2026-03-10T10:00:00.000Z',
      stages: planApprovals(body, NO_FLAGS),
    };
    expect(ResolutionProposal.parse(proposal)).toEqual(proposal);
  });
});

describe('four eyes', () => {
  const OWNER = 'olivia';
  const supervisorStage = { stage: 1, role: 'supervisor' } as const;
  const who = (sub: string, ...r: Role[]) => ({ sub, roles: r });
  const decide = (approver: { sub: string; roles: Role[] }, approval: { stage: number; role: ApprovalRole } = supervisorStage, proposer = OWNER, prior: string[] = []) =>
    () => assertMayDecide(approver, approval, OWNER, proposer, prior);

  it('a supervisor who is neither owner nor proposer may decide the supervisor stage', () => {
    expect(decide(who('sam', 'supervisor'))).not.toThrow();
  });

  it('the case owner is refused even with the right role (the reference case’s 403)', () => {
    expect(decide(who(OWNER, 'handler', 'supervisor'))).toThrow(ForbiddenError);
    expect(decide(who(OWNER, 'handler', 'supervisor'))).toThrow(/case owner/);
  });

  it('the proposer is refused even after the case moved to another owner', () => {
    expect(decide(who('paul', 'supervisor'), supervisorStage, 'paul')).toThrow(/proposer/);
  });

  it('an approver without the stage’s role is refused', () => {
    expect(decide(who('hana', 'handler'))).toThrow(ForbiddenError);
    expect(decide(who('cora', 'compliance'))).toThrow(/needs a supervisor or admin/);
    expect(decide(who('sam', 'supervisor'), { stage: 2, role: 'compliance' })).toThrow(/needs a compliance/);
  });

  it.each<[ApprovalRole, boolean]>([
    ['supervisor', true],
    ['compliance', false],
    ['legal', false],
    ['admin', true],
  ])('the head of complaints (admin) may decide a %s stage: %s', (role, allowed) => {
    const attempt = decide(who('hoc', 'admin'), { stage: 1, role });
    if (allowed) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(ForbiddenError);
    expect(eligibleRoles(role).includes('admin')).toBe(allowed);
  });

  it('one person may not decide two stages of the same case', () => {
    const both = who('max', 'supervisor', 'compliance');
    expect(decide(both, { stage: 1, role: 'supervisor' })).not.toThrow();
    expect(decide(both, { stage: 2, role: 'compliance' }, OWNER, ['max'])).toThrow(/two approval stages/);
    expect(decide(who('cora', 'compliance'), { stage: 2, role: 'compliance' }, OWNER, ['max'])).not.toThrow();
  });

  it('a stage that is no longer pending cannot be decided again (409)', () => {
    expect(() => assertPending({ id: 'A1', status: 'pending' })).not.toThrow();
    for (const status of ['approved', 'rejected', 'timed_out', 'superseded'] as const) {
      expect(() => assertPending({ id: 'A1', status })).toThrow(ConflictError);
    }
  });
});
