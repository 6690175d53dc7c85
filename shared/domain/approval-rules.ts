// Approval rules as data (control 5): which approval stages a proposed resolution needs, and who may decide one.
// Pure: amounts are compared as exact decimals (scaled bigints), never as floats.
import { hasRole, type Principal } from './principal';
import { ConflictError, ForbiddenError, InvalidInputError } from './errors';
import type { Case } from '#schemas/complaint';
import { SEVERITIES } from '#schemas/classification';
import { findAdmissions } from './outbound-text';
import type { Money } from '#schemas/common';
import {
  APPROVAL_CHECKS,
  APPROVAL_ROLES,
  type Approval,
  type ApprovalCheck,
  type ApprovalReason,
  type ApprovalRole,
  type ApprovalRules,
  type ApprovalStage,
  type ProposeResolutionBody,
} from '#schemas/resolution';
import { redressTotal } from '#schemas/redress';

const nested = (supervisorAbove: string, complianceAbove: string) => [
  { above: supervisorAbove, roles: ['supervisor' as const] },
  { above: complianceAbove, roles: ['supervisor' as const, 'compliance' as const] },
];

/**
 * The defaults: compensation above 250 needs a supervisor, above 1,000 a supervisor then compliance (in each of
 * GBP, EUR, USD and AUD); compensation in any other currency is treated as the highest tier until configured;
 * a policy exception needs compliance, legal exposure legal, a vulnerable customer a supervisor who checks the
 * vulnerability, and reputational risk the head of complaints (admin).
 */
export const DEFAULT_APPROVAL_RULES: ApprovalRules = {
  compensation: {
    thresholds: {
      GBP: nested('250.00', '1000.00'),
      EUR: nested('250.00', '1000.00'),
      USD: nested('250.00', '1000.00'),
      AUD: nested('250.00', '1000.00'),
    },
    unconfiguredCurrency: { roles: ['supervisor', 'compliance'] },
  },
  policyException: { roles: ['compliance'] },
  legalExposure: { roles: ['legal'] },
  vulnerableCustomer: { roles: ['supervisor'], checks: ['vulnerability'] },
  reputationalRisk: { roles: ['admin'] },
};

// ---- exact decimals -------------------------------------------------------------------------------------------

/** Money.amount allows at most 4 decimals; every amount is held as an integer count of 1/10,000ths. */
const SCALE_DIGITS = 4;
const DECIMAL = /^(\d+)(?:\.(\d{1,4}))?$/;

const toUnits = (amount: string): bigint => {
  const m = DECIMAL.exec(amount);
  if (!m) throw new RangeError(`not a decimal amount: ${JSON.stringify(amount)}`);
  return BigInt(`${m[1]}${(m[2] ?? '').padEnd(SCALE_DIGITS, '0')}`);
};

/** Exact comparison of two decimal strings: -1, 0 or 1 ("1000" equals "1000.00"). */
export const compareAmounts = (a: string, b: string): -1 | 0 | 1 => {
  const x = toUnits(a);
  const y = toUnits(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

const minorDigitsCache = new Map<string, number>();

/** ISO-4217 minor units (GBP 2, JPY 0, BHD 3) as the runtime's ICU knows them; 2 for codes it does not. */
const minorDigits = (currency: string): number => {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorDigitsCache.set(currency, digits);
  }
  return digits;
};

/** "1500" GBP → "1,500.00 GBP": grouped, at least the currency's minor units, never dropping a significant digit. */
export const formatMoney = ({ amount, currency }: Money): string => {
  const m = DECIMAL.exec(amount);
  if (!m) throw new RangeError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const whole = (m[1] ?? '0').replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const significant = (m[2] ?? '').replace(/0+$/, '');
  const fraction = significant.padEnd(minorDigits(currency), '0');
  return `${whole}${fraction ? `.${fraction}` : ''} ${currency}`;
};

// ---- planning -------------------------------------------------------------------------------------------------

/** The case flags the rules read (the case itself satisfies this); `product` is quoted in the final-response letter. */
export type ApprovalCaseFacts = Pick<Case, 'vulnerable' | 'legalExposure' | 'reputationalRisk'> & Partial<Pick<Case, 'product'>>;

/** The part of a proposal the rules read (a whole ProposeResolutionBody satisfies this). */
export type ProposedOutcome = Pick<ProposeResolutionBody, 'remedy'> & Partial<Pick<ProposeResolutionBody, 'finalResponse'>>;

/** Who approves an admission of liability when the organisation's rules do not say (the rule is never off). */
export const DEFAULT_ADMISSION_ROLES: ApprovalRules['reputationalRisk'] = { roles: ['legal'] };

interface Need {
  role: ApprovalRole;
  reason: ApprovalReason;
  checks: readonly ApprovalCheck[];
}

const needsOf = (roles: readonly ApprovalRole[], reason: ApprovalReason, checks: readonly ApprovalCheck[] = []): Need[] =>
  roles.map((role) => ({ role, reason, checks }));

const compensationNeeds = (compensation: Money, rules: ApprovalRules['compensation']): Need[] => {
  // Nothing paid needs no sign-off, whatever the currency.
  if (toUnits(compensation.amount) === 0n) return [];
  const shown = formatMoney(compensation);
  const tiers = Object.hasOwn(rules.thresholds, compensation.currency) ? rules.thresholds[compensation.currency] : undefined;
  if (!tiers) {
    const { roles, checks } = rules.unconfiguredCurrency;
    return needsOf(roles, { rule: 'compensation_unconfigured_currency', detail: `compensation ${shown}: no approval threshold configured for ${compensation.currency}` }, checks);
  }
  // Every tier crossed adds its roles; each role is justified by the highest tier that asks for it.
  const crossed = tiers.filter((t) => compareAmounts(compensation.amount, t.above) > 0).sort((a, b) => compareAmounts(b.above, a.above));
  const needs: Need[] = [];
  for (const tier of crossed) {
    const detail = `compensation ${shown} above the ${formatMoney({ amount: tier.above, currency: compensation.currency })} threshold`;
    for (const role of tier.roles) if (!needs.some((n) => n.role === role)) needs.push({ role, reason: { rule: 'compensation_threshold', detail }, checks: [] });
  }
  return needs;
};

/**
 * The ordered approval stages a proposed resolution needs on this case: one stage per role, in the fixed order
 * supervisor → compliance → legal → admin, each listing every rule that asks for it (and the checks they add).
 * No rule applies → no stages (the final response may go out at once). The decision itself (upheld or not)
 * changes nothing: a not-upheld outcome for a vulnerable customer still needs its supervisor.
 */
export const planApprovals = (resolution: ProposedOutcome, facts: ApprovalCaseFacts, rules: ApprovalRules = DEFAULT_APPROVAL_RULES): ApprovalStage[] => {
  const needs: Need[] = [];
  // With a redress breakdown the thresholds apply to the whole redress (money paid and costs borne, such as a waived
  // debt), so moving money out of `compensation` into another component cannot dodge an approval.
  const redress = resolution.remedy?.redress;
  const compensation = redress ? redressTotal(redress) : resolution.remedy?.compensation;
  if (compensation) needs.push(...compensationNeeds(compensation, rules.compensation));
  if (resolution.remedy?.policyException === true) {
    needs.push(...needsOf(rules.policyException.roles, { rule: 'policy_exception', detail: 'the remedy is an exception to policy' }, rules.policyException.checks));
  }
  if (facts.legalExposure) {
    needs.push(...needsOf(rules.legalExposure.roles, { rule: 'legal_exposure', detail: 'the case is flagged for legal exposure' }, rules.legalExposure.checks));
  }
  if (facts.vulnerable) {
    needs.push(...needsOf(rules.vulnerableCustomer.roles, { rule: 'vulnerable_customer', detail: 'the customer is flagged as vulnerable' }, rules.vulnerableCustomer.checks));
  }
  if (facts.reputationalRisk) {
    needs.push(...needsOf(rules.reputationalRisk.roles, { rule: 'reputational_risk', detail: 'the case is flagged as a reputational risk' }, rules.reputationalRisk.checks));
  }
  // Everything the final-response letter says in the organisation's voice besides its fixed template: an admission of
  // liability in it goes out only with legal's approval.
  const admissions = findAdmissions(resolution.finalResponse, resolution.remedy?.description, facts.product);
  if (admissions.length) {
    const req = rules.admissionOfLiability ?? DEFAULT_ADMISSION_ROLES;
    needs.push(...needsOf(req.roles, { rule: 'admission_of_liability', detail: `the final response admits liability (${admissions.map((a) => `"${a}"`).join(', ')})` }, req.checks));
  }

  const stages: ApprovalStage[] = [];
  for (const role of APPROVAL_ROLES) {
    const mine = needs.filter((n) => n.role === role);
    if (mine.length === 0) continue;
    const reasons: ApprovalReason[] = [];
    for (const { reason } of mine) if (!reasons.some((r) => r.rule === reason.rule && r.detail === reason.detail)) reasons.push(reason);
    const checks = APPROVAL_CHECKS.filter((c) => mine.some((n) => n.checks.includes(c)));
    stages.push({ stage: stages.length + 1, role, reasons, ...(checks.length > 0 ? { checks } : {}) });
  }
  return stages;
};

// ---- four eyes ------------------------------------------------------------------------------------------------

/**
 * Who may decide a stage of each role. The head of complaints (admin) outranks a supervisor and may decide
 * supervisor stages; compliance and legal sign-offs are specialist and independent, so nobody stands in for them,
 * and an admin stage (reputational risk) is the head of complaints' own.
 */
const ELIGIBLE: Record<ApprovalRole, readonly ApprovalRole[]> = {
  supervisor: ['supervisor', 'admin'],
  compliance: ['compliance'],
  legal: ['legal'],
  admin: ['admin'],
};

export const eligibleRoles = (role: ApprovalRole): readonly ApprovalRole[] => ELIGIBLE[role];

/**
 * Four eyes (403 on failure): the approver is neither the case owner nor the proposer, holds a role that may
 * decide this stage, and has not decided another stage of the same case. `priorDeciders` are the people who
 * decided the other stages of the current proposal (the caller leaves out superseded rounds, so a supervisor who
 * rejected round 1 may review the supervisor stage of round 2).
 */
export const assertMayDecide = (
  approver: Pick<Principal, 'sub' | 'roles'>,
  approval: Pick<Approval, 'stage' | 'role'>,
  caseOwnerId: string,
  proposerId: string,
  priorDeciders: readonly string[],
): void => {
  if (approver.sub === caseOwnerId) throw new ForbiddenError('four eyes: the case owner may not decide an approval on their own case');
  if (approver.sub === proposerId) throw new ForbiddenError('four eyes: the proposer may not decide an approval of their own proposal');
  const eligible = ELIGIBLE[approval.role];
  if (!eligible.some((r) => approver.roles.includes(r))) {
    throw new ForbiddenError(`approval stage ${approval.stage} needs a ${eligible.join(' or ')} to decide it`);
  }
  if (priorDeciders.includes(approver.sub)) throw new ForbiddenError('four eyes: one person may not decide two approval stages of the same case');
};

/** A decision on a stage that is no longer pending is a 409 (no double resume of the workflow). */
export const assertPending = (approval: Pick<Approval, 'id' | 'status'>): void => {
  if (approval.status !== 'pending') throw new ConflictError(`approval ${approval.id} is already ${approval.status}`, { approvalStatus: approval.status });
};

// ---- the facts the plan reads: who may lower them, and whether the approvals given still cover them -------------

/**
 * Case facts whose lowering weakens a control: the three risk flags the approval plan reads, the visibility of a
 * restricted case, and the severity. Raising any of them only adds scrutiny, so the owner may; lowering one is a
 * second person's decision (issue 25, finding 2): a supervisor or the head of complaints, never the case owner (a
 * supervisor who owns the case included: four eyes is about persons, not rank), always with a recorded reason.
 */
export const GUARDED_FACTS = ['legalExposure', 'reputationalRisk', 'vulnerable', 'sensitivity', 'severity'] as const;
export type GuardedFact = (typeof GUARDED_FACTS)[number];
export type GuardedFacts = Pick<Case, GuardedFact>;

/** Who may lower a guarded fact (besides not owning the case). */
export const FACT_LOWERING_ROLES = ['supervisor', 'admin'] as const;

const factRank = (field: GuardedFact, value: unknown): number => {
  if (field === 'sensitivity') return value === 'restricted' ? 1 : 0;
  if (field === 'severity') return SEVERITIES.indexOf(value as Case['severity']);
  return value === true ? 1 : 0;
};

export interface LoweredFact {
  field: GuardedFact;
  from: unknown;
  to: unknown;
}

/** The guarded facts `after` holds at a lower level than `before`. */
export const loweredFacts = (before: GuardedFacts, after: GuardedFacts): LoweredFact[] =>
  GUARDED_FACTS.filter((f) => factRank(f, after[f]) < factRank(f, before[f])).map((field) => ({ field, from: before[field] ?? null, to: after[field] ?? null }));

/**
 * 403 when the caller may not lower these facts (the owner, or a role below supervisor), 400 when a permitted lowering
 * comes without a reason. `reasonField` names the request field the reason is read from, for the 400's errors[].
 */
export const assertMayLowerFacts = (p: Pick<Principal, 'sub' | 'roles'>, c: Pick<Case, 'ownerId'>, lowered: readonly LoweredFact[], reason: string | undefined, reasonField = 'body.reason'): void => {
  if (lowered.length === 0) return;
  const fields = lowered.map((l) => l.field).join(', ');
  if (c.ownerId === p.sub) {
    throw new ForbiddenError(`four eyes: the case owner may raise but not lower ${fields}; a supervisor or the head of complaints lowers it, with a reason`);
  }
  if (!hasRole(p as Principal, ...FACT_LOWERING_ROLES)) throw new ForbiddenError(`lowering ${fields} needs a ${FACT_LOWERING_ROLES.join(' or ')}`);
  if (!reason?.trim()) throw new InvalidInputError(`lowering ${fields} needs a reason (recorded in the audit trail)`, [{ field: reasonField, message: `required to lower ${fields}` }]);
};

/** The case facts planApprovals reads: a change to one of them while a proposal stands re-plans its approvals. */
export const APPROVAL_FACTS = ['legalExposure', 'reputationalRisk', 'vulnerable'] as const satisfies readonly (keyof ApprovalCaseFacts)[];

export const approvalFactsChanged = (before: ApprovalCaseFacts, after: ApprovalCaseFacts): boolean =>
  APPROVAL_FACTS.some((k) => Boolean(before[k]) !== Boolean(after[k])) || before.product !== after.product; // the product is quoted in the letter the admission rule scans

/**
 * Whether an approval given covers a stage the rules now require: same role, and every reason and check of the
 * requirement was in front of the approver when they decided. An approver who signed off "compensation above £250"
 * did not sign off "the customer is vulnerable": that needs a fresh decision, even from the same role.
 */
export const coversStage = (a: Pick<Approval, 'role' | 'reasons' | 'checks'>, s: Pick<ApprovalStage, 'role' | 'reasons' | 'checks'>): boolean =>
  a.role === s.role &&
  s.reasons.every((r) => a.reasons.some((x) => x.rule === r.rule && x.detail === r.detail)) &&
  (s.checks ?? []).every((k) => (a.checks ?? []).includes(k));

/** The stages of `plan` that no approved approval covers (empty: the approvals given still authorise the outcome). */
export const uncoveredStages = (plan: readonly ApprovalStage[], approvals: readonly Pick<Approval, 'role' | 'reasons' | 'checks' | 'status'>[]): ApprovalStage[] =>
  plan.filter((s) => !approvals.some((a) => a.status === 'approved' && coversStage(a, s)));

/**
 * The last gate before a final response goes out (409): the approvals given to the proposal must cover what the rules
 * require on the case as it is now. The re-plan normally keeps them in step; this holds even if it did not.
 */
export const assertApprovalsCover = (plan: readonly ApprovalStage[], approvals: readonly Pick<Approval, 'role' | 'reasons' | 'checks' | 'status'>[]): void => {
  const missing = uncoveredStages(plan, approvals);
  if (missing.length === 0) return;
  throw new ConflictError(`the final response needs approval by ${missing.map((s) => s.role).join(', ')} (${missing.flatMap((s) => s.reasons.map((r) => r.detail)).join('; ')}) before it may be sent`, {
    code: 'approvals_outstanding',
    missing: missing.map((s) => ({ role: s.role, reasons: s.reasons.map((r) => r.rule) })),
  });
};
