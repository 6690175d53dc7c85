// Approval rules as data (control 5): which approval stages a proposed resolution needs, and who may decide one.
// Pure: amounts are compared as exact decimals (scaled bigints), never as floats.
import type { Principal } from './principal';
import { ConflictError, ForbiddenError } from './errors';
import type { Case } from '#schemas/complaint';
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

/** The case flags the rules read (the case itself satisfies this). */
export type ApprovalCaseFacts = Pick<Case, 'vulnerable' | 'legalExposure' | 'reputationalRisk'>;

/** The part of a proposal the rules read (a whole ProposeResolutionBody satisfies this). */
export type ProposedOutcome = Pick<ProposeResolutionBody, 'remedy'>;

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
  if (approval.status !== 'pending') throw new ConflictError(`approval ${approval.id} is already ${approval.status}`, { status: approval.status });
};
