// Resolution, approvals and escalation: request bodies, the approval-rules configuration and the output shapes.
import * as z from 'zod';
import { Cursor, IsoTimestamp, ListLimit, Money, Text, Ulid, WholeListLimit, pageOf } from './common';
import { Channel, RootCause } from './complaint';
import { Redress, amountUnits, redressPaid } from './redress';

/** A decimal amount such as "250.00" (the same format as Money.amount), used for thresholds. */
const Amount = Money.shape.amount;
const Currency = Money.shape.currency;

export const RESOLUTION_DECISIONS = ['upheld', 'partially_upheld', 'not_upheld'] as const;
export const ResolutionDecision = /* @__PURE__ */ z.enum(RESOLUTION_DECISIONS);
export type ResolutionDecision = z.infer<typeof ResolutionDecision>;

export const Remedy = /* @__PURE__ */ z
  .object({
    compensation: /* @__PURE__ */ Money.optional(),
    policyException: /* @__PURE__ */ z.boolean().optional().meta({ description: 'The remedy departs from written policy (needs compliance approval)' }),
    description: /* @__PURE__ */ Text(4000),
    redress: /* @__PURE__ */ Redress.optional().meta({ description: 'The redress by component (financial loss, goodwill, distress and inconvenience, waived amounts, other non-cash remedies), as the complaints return counts it' }),
  })
  .strict()
  .superRefine((r, ctx) => {
    // Two statements of the money paid must agree: `compensation` is what approval thresholds and letters read.
    if (!r.compensation || !r.redress) return;
    const paid = redressPaid(r.redress);
    if (r.compensation.currency !== r.redress.currency) ctx.addIssue({ code: 'custom', path: ['redress', 'currency'], message: `must be the compensation's currency (${r.compensation.currency})` });
    else if (amountUnits(r.compensation.amount) !== amountUnits(paid.amount))
      ctx.addIssue({ code: 'custom', path: ['compensation', 'amount'], message: `must equal the money paid in the redress (financial loss + goodwill + distress and inconvenience = ${paid.amount})` });
  })
  .meta({ id: 'Remedy' });
export type Remedy = z.infer<typeof Remedy>;

/**
 * Which DISP 1 Annex 3R wording the UK final response (and summary resolution communication) carries:
 * `not_waived` Annex 3R(1), the respondent does not consent to waive the six-month limit of DISP 2.8.2R(1);
 * `out_of_time_not_waived` Annex 3R(2), the complaint is out of time and the respondent does not consent to waive;
 * `waived` the respondent consents to waive the time limits. Part of the resolution, so it is approved with it.
 */
export const TIME_LIMIT_WORDINGS = ['not_waived', 'out_of_time_not_waived', 'waived'] as const;
export const TimeLimitWording = /* @__PURE__ */ z.enum(TIME_LIMIT_WORDINGS).meta({ description: 'DISP 1 Annex 3R variant (UK regimes): whether the firm consents to waive the Financial Ombudsman Service time limits' });
export type TimeLimitWording = z.infer<typeof TimeLimitWording>;

export const ProposeResolutionBody = /* @__PURE__ */ z
  .object({
    decision: ResolutionDecision,
    remedy: /* @__PURE__ */ Remedy.optional(),
    rootCause: RootCause,
    finalResponse: /* @__PURE__ */ Text(20000).meta({
      description:
        'The explanation the final-response letter is built around, sent once every approval stage has approved (exactly this text: other text is a new proposal). Text that admits liability needs legal approval (rule admission_of_liability)',
    }),
    timeLimitWording: /* @__PURE__ */ TimeLimitWording.optional().meta({ description: 'DISP 1 Annex 3R variant for UK regimes (default not_waived)' }),
  })
  .strict()
  .meta({ id: 'ProposeResolution' });
export type ProposeResolutionBody = z.infer<typeof ProposeResolutionBody>;

/** Roles that approve, in the one order stages run: supervisor → compliance → legal → admin (head of complaints). */
export const APPROVAL_ROLES = ['supervisor', 'compliance', 'legal', 'admin'] as const;
export const ApprovalRole = /* @__PURE__ */ z.enum(APPROVAL_ROLES);
export type ApprovalRole = z.infer<typeof ApprovalRole>;

/** Extra checks an approver must confirm besides the outcome itself. */
export const APPROVAL_CHECKS = ['vulnerability'] as const;
export const ApprovalCheck = /* @__PURE__ */ z.enum(APPROVAL_CHECKS);
export type ApprovalCheck = z.infer<typeof ApprovalCheck>;

export const APPROVAL_RULE_IDS = [
  'compensation_threshold',
  'compensation_unconfigured_currency',
  'policy_exception',
  'legal_exposure',
  'vulnerable_customer',
  'reputational_risk',
  'admission_of_liability',
] as const;
export const ApprovalRuleId = /* @__PURE__ */ z.enum(APPROVAL_RULE_IDS);
export type ApprovalRuleId = z.infer<typeof ApprovalRuleId>;

export const ApprovalReason = /* @__PURE__ */ z
  .object({ rule: ApprovalRuleId, detail: /* @__PURE__ */ z.string().meta({ example: 'compensation 1,500.00 GBP above the 1,000.00 GBP threshold' }) })
  .meta({ id: 'ApprovalReason' });
export type ApprovalReason = z.infer<typeof ApprovalReason>;

export const ApprovalStage = /* @__PURE__ */ z
  .object({
    stage: /* @__PURE__ */ z.number().int().min(1).meta({ description: '1-based position; stages run one after another' }),
    role: ApprovalRole,
    reasons: /* @__PURE__ */ z.array(ApprovalReason).min(1),
    checks: /* @__PURE__ */ z.array(ApprovalCheck).optional(),
  })
  .meta({ id: 'ApprovalStage', description: 'One approval a proposed resolution needs, and every rule that asks for it' });
export type ApprovalStage = z.infer<typeof ApprovalStage>;

// Organisation configuration. Control 5 is mandatory, so a rule may change who approves but never be switched off.
const Requirement = /* @__PURE__ */ z
  .object({ roles: /* @__PURE__ */ z.array(ApprovalRole).min(1), checks: /* @__PURE__ */ z.array(ApprovalCheck).optional() })
  .strict();

export const CompensationTier = /* @__PURE__ */ z
  .object({
    above: /* @__PURE__ */ Amount.meta({ description: 'Compensation strictly above this amount (exact decimal comparison) needs these roles' }),
    roles: /* @__PURE__ */ z.array(ApprovalRole).min(1),
  })
  .strict();
export type CompensationTier = z.infer<typeof CompensationTier>;

export const ApprovalRules = /* @__PURE__ */ z
  .object({
    compensation: /* @__PURE__ */ z
      .object({
        thresholds: /* @__PURE__ */ z.record(Currency, /* @__PURE__ */ z.array(CompensationTier).min(1)).meta({ description: 'Tiers per ISO-4217 currency; every tier crossed adds its roles' }),
        unconfiguredCurrency: /* @__PURE__ */ Requirement.meta({ description: 'Roles for compensation in a currency with no tiers (conservative by default)' }),
      })
      .strict(),
    policyException: Requirement,
    legalExposure: Requirement,
    vulnerableCustomer: Requirement,
    reputationalRisk: Requirement,
    admissionOfLiability: /* @__PURE__ */ Requirement.optional().meta({
      description: 'Who approves a final response whose text admits liability (default: legal; the rule cannot be switched off)',
    }),
  })
  .strict()
  .meta({ id: 'ApprovalRules', description: 'Which proposed resolutions need which approvals (organisation-configurable)' });
export type ApprovalRules = z.infer<typeof ApprovalRules>;

export const APPROVAL_DECISIONS = ['approve', 'reject'] as const;
export const ApprovalDecision = /* @__PURE__ */ z.enum(APPROVAL_DECISIONS);

/** A comment is optional on approval and required on rejection: it is what the owner is sent back with. */
export const ApprovalDecisionBody = /* @__PURE__ */ z
  .object({
    decision: ApprovalDecision,
    comment: /* @__PURE__ */ Text(4000).optional().meta({ description: 'Required to reject (returned to the case owner); optional to approve' }),
  })
  .strict()
  .refine((b) => b.decision === 'approve' || b.comment !== undefined, { message: 'a comment is required to reject', path: ['comment'] })
  .meta({ id: 'ApprovalDecision' });
export type ApprovalDecisionBody = z.infer<typeof ApprovalDecisionBody>;

export const FinalResponseBody = /* @__PURE__ */ z
  .object({
    channel: /* @__PURE__ */ Channel.optional(),
    text: /* @__PURE__ */ Text(20000)
      .optional()
      .meta({
        description:
          'What goes out is always the final-response letter for the case’s regime built around the approved resolution’s finalResponse (decision, remedy, referral rights and time limit), kept as evidence. `text`, if given, must be that approved finalResponse (or the letter as previewed); any other text is 409: propose it (POST …/resolution) and it needs the same approvals',
      }),
  })
  .strict()
  .meta({ id: 'FinalResponse' });
export type FinalResponseBody = z.infer<typeof FinalResponseBody>;

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'timed_out', 'superseded'] as const;
export const ApprovalStatus = /* @__PURE__ */ z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

export const Approval = /* @__PURE__ */ z
  .object({
    id: Ulid,
    caseId: Ulid,
    resolutionId: Ulid,
    stage: /* @__PURE__ */ z.number().int().min(1),
    role: ApprovalRole,
    status: ApprovalStatus,
    reasons: /* @__PURE__ */ z.array(ApprovalReason),
    checks: /* @__PURE__ */ z.array(ApprovalCheck).optional(),
    proposedBy: /* @__PURE__ */ z.string(),
    createdAt: IsoTimestamp,
    decidedBy: /* @__PURE__ */ z.string().optional(),
    decidedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    comment: /* @__PURE__ */ z.string().optional(),
    dueAt: /* @__PURE__ */ IsoTimestamp.optional().meta({ description: 'When the stage times out and escalates to the next approver level' }),
    escalationLevel: /* @__PURE__ */ z.number().int().min(0).meta({ description: '0 until the stage first times out' }),
    carriedFrom: /* @__PURE__ */ Ulid.optional().meta({
      description: 'Set on a stage of a re-planned round: the approval of the replaced round that still covers it (same role, every reason and check now required was in front of its approver)',
    }),
  })
  .meta({ id: 'Approval' });
export type Approval = z.infer<typeof Approval>;

/** A stage open for a decision: pending and given its due time (later stages open when the one before is approved). */
export const isOpenStage = (a: Pick<Approval, 'status' | 'dueAt'>): boolean => a.status === 'pending' && a.dueAt !== undefined;

/**
 * Where a proposed resolution stands: `not_required` (no stage applies) and `approved` allow the final response;
 * `pending` and `rejected` answer 409 there; `superseded` once a later proposal replaces it.
 */
export const RESOLUTION_STATUSES = ['not_required', 'pending', 'approved', 'rejected', 'superseded'] as const;
export const ResolutionStatus = /* @__PURE__ */ z.enum(RESOLUTION_STATUSES);
export type ResolutionStatus = z.infer<typeof ResolutionStatus>;

export const Resolution = /* @__PURE__ */ z
  .object({
    id: Ulid,
    caseId: Ulid,
    round: /* @__PURE__ */ z.number().int().min(1).meta({ description: '1 for the first proposal; +1 for each re-proposal' }),
    decision: ResolutionDecision,
    remedy: /* @__PURE__ */ Remedy.optional(),
    rootCause: RootCause,
    finalResponse: /* @__PURE__ */ z.string(),
    timeLimitWording: /* @__PURE__ */ TimeLimitWording.optional(),
    status: ResolutionStatus,
    proposedBy: /* @__PURE__ */ z.string(),
    proposedAt: IsoTimestamp,
    replaces: /* @__PURE__ */ Ulid.optional().meta({
      description: 'Set on a round the system re-planned because a fact the approval rules read (a risk flag) changed while the proposal stood: the round it replaces (same outcome and text)',
    }),
  })
  .meta({ id: 'Resolution' });
export type Resolution = z.infer<typeof Resolution>;

/** What `POST …/resolution` answers: the stored resolution and the approval stages the rules require (possibly none). */
export const ResolutionProposal = /* @__PURE__ */ Resolution.extend({ stages: /* @__PURE__ */ z.array(ApprovalStage) }).meta({ id: 'ResolutionProposal' });
export type ResolutionProposal = z.infer<typeof ResolutionProposal>;

export const ApprovalIdParams = /* @__PURE__ */ z.object({ approvalId: Ulid }).strict();


export const ApprovalPage = /* @__PURE__ */ pageOf(Approval, 'ApprovalPage');

/** The approvers' queue (GET /v1/approvals): pending stages open for a decision, oldest first. */
export const PendingApprovalsQuery = /* @__PURE__ */ z.object({ status: /* @__PURE__ */ z.literal('pending').default('pending'), limit: ListLimit, cursor: /* @__PURE__ */ Cursor.optional() }).strict();

/**
 * One approval stage of a case as GET /v1/complaints/{id}/approvals lists it: the stored stage (the inbox's shape) and
 * whether it is open for a decision now. A pending stage that is not open waits for the stage before it.
 */
export const CaseApproval = /* @__PURE__ */ Approval.extend({
  open: /* @__PURE__ */ z.boolean().meta({ description: 'Pending and open for a decision now (it has a dueAt); a pending stage that is not open waits for the stage before it to be approved' }),
}).meta({ id: 'CaseApproval' });
export type CaseApproval = z.infer<typeof CaseApproval>;

export const CaseApprovalList = /* @__PURE__ */ pageOf(CaseApproval, 'CaseApprovalList');

/** A case's approval stages (GET /v1/complaints/{id}/approvals): every round, or one proposal's with resolutionId. */
export const CaseApprovalsQuery = /* @__PURE__ */ z
  .object({
    resolutionId: /* @__PURE__ */ Ulid.optional().meta({ description: 'Only the stages of this proposal (the case’s resolution.id for the current round); an id the case never had lists nothing' }),
    limit: WholeListLimit,
    cursor: /* @__PURE__ */ Cursor.optional(),
  })
  .strict();
