// The complaint (case) resource: request bodies, the case object and list queries.
import * as z from 'zod';
import { FeedbackRequest } from './feedback';
import { IsoTimestamp, Money, Text, Ulid, UserId, Cursor, ListLimit, pageOf } from './common';
import { EscalationSummary, Waiver } from './escalation';
import { ClockId, ClockUnit, IsoDate } from './regime';

import { CATEGORIES, CHANNELS, Category, Channel, ExternalIdText, Severity, SourceRecordType } from './classification';
import { CaseTriage, Priority } from './triage';
import { Redress } from './redress';
import { CaseMarking, ClosureOutcome, Inactivity, Withdrawal } from './marking';
import { Release } from './release';
export { CATEGORIES, CHANNELS, Category, Channel, Severity };
export const STATUSES = ['open', 'awaiting_approval', 'resolved', 'closed'] as const;
export const Status = /* @__PURE__ */ z.enum(STATUSES);
export type Status = z.infer<typeof Status>;
export const RISKS = ['on_track', 'at_risk', 'overdue'] as const;
export const Risk = /* @__PURE__ */ z.enum(RISKS);
export type Risk = z.infer<typeof Risk>;
export const Sensitivity = /* @__PURE__ */ z.enum(['standard', 'restricted']);
export type Sensitivity = z.infer<typeof Sensitivity>;
export const RegimeId = /* @__PURE__ */ z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be a regime id such as UK_FCA_DISP');
/** A business location's holiday calendar (date-holidays country[-state] code), one of the regime's `locations`. */
export const LocationCalendar = /* @__PURE__ */ z
  .string()
  .regex(/^[A-Z]{2}(-[A-Z]{2,3})?$/, 'must be a holiday calendar such as GB-SCT or AU-VIC')
  .meta({ description: 'Holiday calendar of the business location (branch or servicing office) handling the case; one of the regime’s `locations` (GET /v1/regimes). Default: the regime’s calendar', example: 'GB-SCT' });

export const Customer = /* @__PURE__ */ z
  .object({
    id: /* @__PURE__ */ z.string().trim().min(1).max(128),
    name: /* @__PURE__ */ Text(200),
    email: /* @__PURE__ */ z.email().max(254).optional(),
    phone: /* @__PURE__ */ z.string().regex(/^\+?[0-9 ()-]{5,32}$/, 'must be a phone number').optional(),
    vulnerable: /* @__PURE__ */ z.boolean().optional(),
    tier: /* @__PURE__ */ z.enum(['standard', 'priority', 'premier']).optional().meta({ description: 'Customer tier: with the impact (severity) it sets the internal service target (ASSIGNMENT_RULES.serviceTargets)' }),
  })
  .strict()
  .meta({ id: 'Customer' });

export const ExternalRef = /* @__PURE__ */ z
  .object({
    system: /* @__PURE__ */ z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, 'must be a system name'),
    id: /* @__PURE__ */ z.string().trim().min(1).max(128),
  })
  .strict()
  .meta({ id: 'ExternalRef' });

/**
 * An email complaint whose sender could not be authenticated: SES's verdicts (DMARC, SPF, DKIM, spam) did not show
 * that the From address sent it. Such mail never joins an existing case; it opens this one for a person to check
 * with the customer and link (or mark as spam or a duplicate). `email` is the claimed From address.
 */
export const UnverifiedSender = /* @__PURE__ */ z
  .object({
    email: /* @__PURE__ */ z.string().max(254).meta({ description: 'The From address the message claims (not proven)' }),
    reasons: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).min(1).meta({ description: 'Why the sender is not verified, e.g. "dmarc=fail", "spam verdict FAIL", "no Authentication-Results from amazonses.com at the top of the message"' }),
  })
  .meta({ id: 'UnverifiedSender' });
export type UnverifiedSender = z.infer<typeof UnverifiedSender>;

export const RootCause = /* @__PURE__ */ z
  .object({
    category: /* @__PURE__ */ Text(64),
    description: /* @__PURE__ */ Text(4000),
    vulnerabilityNotConsidered: /* @__PURE__ */ z
      .boolean()
      .optional()
      .meta({ description: 'The complaint relates to, or was caused by, the firm’s failure to consider or respond to the customer’s vulnerability (a data point of the FCA consolidated complaints return, PS25/19)' }),
  })
  .strict()
  .meta({ id: 'RootCause' });

export const CreateComplaintBody = /* @__PURE__ */ z
  .object({
    customer: Customer,
    channel: Channel,
    summary: /* @__PURE__ */ Text(300),
    description: /* @__PURE__ */ Text(20000),
    product: /* @__PURE__ */ Text(120),
    category: Category,
    regime: RegimeId,
    calendar: /* @__PURE__ */ LocationCalendar.optional(),
    receivedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    allegedLoss: /* @__PURE__ */ Money.optional(),
    sensitivity: /* @__PURE__ */ Sensitivity.optional(),
    severity: /* @__PURE__ */ Severity.optional(),
    externalRef: /* @__PURE__ */ ExternalRef.optional().meta({
      description: 'Your system’s reference (de-duplicated). The systems zendesk, jira, servicenow, generic.<name>, email and email.<name> are reserved for signed channel intake (400 here)',
    }),
    ownerId: /* @__PURE__ */ UserId.optional().meta({ description: 'Explicit owner; otherwise assigned by rule' }),
    sourceRecordType: /* @__PURE__ */ SourceRecordType.optional().meta({ description: 'What the record this complaint came from was in its own system (helpdesk escalations)' }),
    incidentIds: /* @__PURE__ */ z.array(ExternalIdText).max(20).optional().meta({ description: 'Service-desk incident/problem ids (ServiceNow INC…/PRB…, Jira keys) the complaint relates to: problems link through them' }),
  })
  .strict()
  .meta({ id: 'CreateComplaint' });
export type CreateComplaintBody = z.infer<typeof CreateComplaintBody>;

export const ReclassifyBody = /* @__PURE__ */ z
  .object({
    category: /* @__PURE__ */ Category.optional(),
    severity: /* @__PURE__ */ Severity.optional(),
    product: /* @__PURE__ */ Text(120).optional(),
    vulnerable: /* @__PURE__ */ z.boolean().optional(),
    sensitivity: /* @__PURE__ */ Sensitivity.optional(),
    legalExposure: /* @__PURE__ */ z.boolean().optional(),
    reputationalRisk: /* @__PURE__ */ z.boolean().optional(),
    calendar: /* @__PURE__ */ LocationCalendar.optional().meta({ description: 'Move the case to another business location’s calendar: every pending due time and timer of the running cycle is recounted' }),
    reason: /* @__PURE__ */ Text(2000)
      .optional()
      .meta({
        description:
          'Why (recorded in the audit trail). Required to lower a risk flag (legalExposure, reputationalRisk, vulnerable), the sensitivity (restricted → standard) or the severity: only a supervisor who does not own the case may lower one (403 for the owner); anyone who may reclassify may raise one',
      }),
  })
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== 'reason'), { message: 'at least one field to change is required' })
  .meta({ id: 'Reclassify' });
export type ReclassifyBody = z.infer<typeof ReclassifyBody>;

export const ReassignBody = /* @__PURE__ */ z.object({ ownerId: UserId, reason: /* @__PURE__ */ Text(2000) }).strict().meta({ id: 'Reassign' });
export const AcknowledgeBody = /* @__PURE__ */ z
  .object({ channel: /* @__PURE__ */ Channel.optional(), text: /* @__PURE__ */ Text(20000).optional() })
  .strict()
  .meta({ id: 'Acknowledge' });
/**
 * ASIC RG 271: a complaint resolved to the complainant's complete satisfaction by the end of the fifth business day
 * after receipt needs no written IDR response unless the complainant asks for one. Recorded (and audited) at close.
 */
export const InformalResolution = /* @__PURE__ */ z
  .object({
    resolvedAt: /* @__PURE__ */ IsoTimestamp.meta({ description: 'When the complainant confirmed the complaint was resolved to their satisfaction' }),
    writtenResponseRequested: /* @__PURE__ */ z.boolean().meta({ description: 'Whether the complainant asked for a written response (then one must be sent)' }),
    note: /* @__PURE__ */ Text(2000).meta({ description: 'How and with whom the resolution was confirmed' }),
  })
  .strict()
  .meta({ id: 'InformalResolution' });
export type InformalResolution = z.infer<typeof InformalResolution>;

export const CloseBody = /* @__PURE__ */ z
  .object({
    followUpAction: /* @__PURE__ */ Text(4000),
    rootCause: /* @__PURE__ */ RootCause.optional(),
    informalResolution: /* @__PURE__ */ InformalResolution.optional().meta({ description: 'AU regimes (RG 271): closed without a written IDR response, resolved to the complainant’s satisfaction within 5 business days' }),
    outcome: /* @__PURE__ */ ClosureOutcome.optional().meta({
      description:
        'How the cycle ends (default resolved). closed_inactive: the customer stopped responding after a documented chase (`inactivity`); withdrawn: the customer withdrew it (`withdrawal`). Neither counts as a resolution in the KPIs; the regime’s rules still apply (FCA regimes: the final response must have been sent)',
    }),
    inactivity: /* @__PURE__ */ Inactivity.optional(),
    withdrawal: /* @__PURE__ */ Withdrawal.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.outcome === 'closed_inactive' && !b.inactivity) ctx.addIssue({ code: 'custom', path: ['inactivity'], message: 'required when outcome is closed_inactive' });
    if (b.outcome === 'withdrawn' && !b.withdrawal) ctx.addIssue({ code: 'custom', path: ['withdrawal'], message: 'required when outcome is withdrawn' });
    if (b.inactivity && b.outcome !== 'closed_inactive') ctx.addIssue({ code: 'custom', path: ['inactivity'], message: 'only with outcome closed_inactive' });
    if (b.withdrawal && b.outcome !== 'withdrawn') ctx.addIssue({ code: 'custom', path: ['withdrawal'], message: 'only with outcome withdrawn' });
  })
  .meta({ id: 'Close' });
export type CloseBody = z.infer<typeof CloseBody>;
export const ReopenBody = /* @__PURE__ */ z.object({ reason: /* @__PURE__ */ Text(4000) }).strict().meta({ id: 'Reopen' });

/** Minimum length of the justification for an extension: a regulatory action that must say why. */
export const EXTENSION_REASON_MIN = 20;
export const CLOCK_ACTIONS = ['pause', 'resume', 'extend', 'delay'] as const;
export const ClockActionBody = /* @__PURE__ */ z
  .discriminatedUnion('action', [
    /* @__PURE__ */ z.object({ action: /* @__PURE__ */ z.literal('pause'), reason: /* @__PURE__ */ Text(2000).meta({ description: 'Why the clock stops (e.g. waiting for the customer)' }) }).strict(),
    /* @__PURE__ */ z.object({ action: /* @__PURE__ */ z.literal('resume'), reason: /* @__PURE__ */ Text(2000).meta({ description: 'Why the clock runs again' }) }).strict(),
    /* @__PURE__ */ z
      .object({
        action: /* @__PURE__ */ z.literal('extend'),
        reason: /* @__PURE__ */ z
          .string()
          .trim()
          .min(EXTENSION_REASON_MIN, `an extension needs a justification of at least ${EXTENSION_REASON_MIN} characters`)
          .max(2000)
          .meta({ description: 'Justification of the exceptional circumstances (recorded and audited)' }),
      })
      .strict(),
    /* @__PURE__ */ z
      .object({
        action: /* @__PURE__ */ z.literal('delay'),
        reason: /* @__PURE__ */ Text(2000).meta({ description: 'Why the firm is not yet in a position to give its final response (stated in the holding letter)' }),
        expectedBy: /* @__PURE__ */ IsoDate.meta({ description: 'When the firm expects to give it (local date of the regime; stated in the holding letter)' }),
      })
      .strict(),
  ])
  .meta({ id: 'ClockAction', description: 'Pause or resume the clock (where the regime allows it), extend it to the regime’s extended deadline, or record why the final response is delayed and when it is expected (the holding letter states both)' });
export type ClockActionBody = z.infer<typeof ClockActionBody>;

export const Handoff = /* @__PURE__ */ z.object({ from: /* @__PURE__ */ z.string().nullable(), to: /* @__PURE__ */ z.string(), by: /* @__PURE__ */ z.string(), at: IsoTimestamp, reason: /* @__PURE__ */ z.string() });
export const Checkpoint = /* @__PURE__ */ z.object({ percent: /* @__PURE__ */ z.number().int(), at: IsoTimestamp, firedAt: /* @__PURE__ */ IsoTimestamp.optional() });

/** The running clock of the current cycle, as computed at intake or reopen (absent on cases stored before it existed). */
export const CaseClock = /* @__PURE__ */ z
  .object({
    receiptDate: /* @__PURE__ */ IsoDate.meta({ description: 'The day of receipt, local to the regime: day 0 of every rule clock (DISP 1.5.1R, DISP 1.6.2AR)' }),
    startsAt: /* @__PURE__ */ IsoTimestamp.meta({ description: 'When the final-response clock starts to run' }),
    basis: /* @__PURE__ */ z.enum(['business_time', 'calendar_time']).meta({ description: 'Checkpoints are shares of business time or of elapsed time' }),
    clockId: ClockId,
    amount: /* @__PURE__ */ z.number().int(),
    unit: ClockUnit,
    timeZone: /* @__PURE__ */ z.string(),
    calendar: /* @__PURE__ */ z.string().nullable().meta({ description: 'Public-holiday calendar (e.g. GB-ENG)' }),
    summaryResolutionEndsAt: /* @__PURE__ */ IsoTimestamp.optional(),
    extendedDueAt: /* @__PURE__ */ IsoTimestamp.optional().meta({ description: 'The deadline an allowed extension would give' }),
    customerUpdatesDueAt: /* @__PURE__ */ z.array(IsoTimestamp).optional(),
    pausedAt: /* @__PURE__ */ IsoTimestamp.optional().meta({ description: 'Set while the clock is paused (regimes that allow a pause); cleared on resume' }),
    pauseReason: /* @__PURE__ */ z.string().optional(),
    pausedMs: /* @__PURE__ */ z.number().int().optional().meta({ description: 'Total elapsed time this cycle has spent paused, in milliseconds' }),
    extendedAt: /* @__PURE__ */ IsoTimestamp.optional().meta({ description: 'When this cycle was extended to the regime’s extended deadline (at most once per cycle)' }),
    extensionReason: /* @__PURE__ */ z.string().optional().meta({ description: 'The recorded justification for the extension' }),
    delay: /* @__PURE__ */ z
      .object({ reason: /* @__PURE__ */ z.string(), expectedBy: IsoDate, recordedAt: IsoTimestamp, by: /* @__PURE__ */ z.string() })
      .optional()
      .meta({ description: 'Why the final response is delayed and when it is expected (DISP 1.6.2R(2)(a); CPC 2025 beyond 40 business days): what the holding letter states' }),
    acknowledgementMissedAt: /* @__PURE__ */ IsoTimestamp.optional().meta({ description: 'When the acknowledgement deadline of this cycle passed without an acknowledgement' }),
  })
  .meta({ id: 'CaseClock' });
export type CaseClock = z.infer<typeof CaseClock>;

/** An investigation task blocked on a dependency: past `raiseAt` it raises the case to at_risk (DependencyBlocked). */
export const BlockedDependency = /* @__PURE__ */ z
  .object({
    taskId: Ulid,
    since: IsoTimestamp,
    raiseAt: /* @__PURE__ */ IsoTimestamp.meta({ description: 'When the block has lasted the configured threshold (24–48 h)' }),
    raisedAt: /* @__PURE__ */ IsoTimestamp.optional().meta({ description: 'When the case was raised to at_risk for it' }),
  })
  .meta({ id: 'BlockedDependency' });
export type BlockedDependency = z.infer<typeof BlockedDependency>;
/**
 * One clock cycle: the first receipt, then one per reopen. Besides its clock it keeps what reporting needs of it after
 * a reopen has replaced the case-level fields: the acknowledgement, the response (decision and compensation) and the close.
 */
export const Cycle = /* @__PURE__ */ z.object({
  n: /* @__PURE__ */ z.number().int(),
  startedAt: IsoTimestamp,
  dueAt: IsoTimestamp,
  stoppedAt: /* @__PURE__ */ IsoTimestamp.optional(),
  reason: /* @__PURE__ */ z.string().optional(),
  acknowledgementDueAt: /* @__PURE__ */ IsoTimestamp.optional(),
  acknowledgedAt: /* @__PURE__ */ IsoTimestamp.optional(),
  summaryResolutionEndsAt: /* @__PURE__ */ IsoTimestamp.optional(),
  respondedAt: /* @__PURE__ */ IsoTimestamp.optional().meta({ description: 'When the final response of this cycle was sent' }),
  decision: /* @__PURE__ */ z.enum(['upheld', 'partially_upheld', 'not_upheld']).optional(),
  compensation: /* @__PURE__ */ Money.optional().meta({ description: 'Compensation paid with the final response of this cycle' }),
  redress: /* @__PURE__ */ Redress.optional().meta({ description: 'The redress of the final response of this cycle, by component (from the approved resolution)' }),
  closedAt: /* @__PURE__ */ IsoTimestamp.optional(),
  outcome: /* @__PURE__ */ ClosureOutcome.optional().meta({ description: 'How the cycle was closed (absent: resolved)' }),
});
export type Cycle = z.infer<typeof Cycle>;

/** Evidence registered on the case by status (maintained with every registration and verification). */
export const EvidenceCounts = /* @__PURE__ */ z.object({ pending: /* @__PURE__ */ z.number().int(), verified: /* @__PURE__ */ z.number().int(), rejected: /* @__PURE__ */ z.number().int() }).meta({ id: 'EvidenceCounts' });
export type EvidenceCounts = z.infer<typeof EvidenceCounts>;

export const Case = /* @__PURE__ */ z
  .object({
    id: Ulid,
    reference: /* @__PURE__ */ z.string().regex(/^CMP-\d{4}-(?:\d{6,}|X\d{9})$/),
    status: Status,
    ownerId: /* @__PURE__ */ z.string(),
    team: /* @__PURE__ */ z.string().optional(),
    handoffs: /* @__PURE__ */ z.array(Handoff),
    handoffCount: /* @__PURE__ */ z.number().int(),
    regime: RegimeId,
    calendar: /* @__PURE__ */ LocationCalendar.optional(),
    receivedAt: IsoTimestamp,
    acknowledgedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    acknowledgementDueAt: /* @__PURE__ */ IsoTimestamp.optional(),
    finalResponseDueAt: IsoTimestamp,
    clock: /* @__PURE__ */ CaseClock.optional(),
    checkpoints: /* @__PURE__ */ z.array(Checkpoint),
    blockedDependencies: /* @__PURE__ */ z.array(BlockedDependency).optional(),
    cycles: /* @__PURE__ */ z.array(Cycle),
    risk: Risk,
    escalations: /* @__PURE__ */ z.array(EscalationSummary),
    waivers: /* @__PURE__ */ z.array(Waiver).optional().meta({ description: 'Recorded decisions not to escalate a raised risk' }),
    category: Category,
    severity: Severity,
    vulnerable: /* @__PURE__ */ z.boolean(),
    sensitivity: Sensitivity,
    legalExposure: /* @__PURE__ */ z.boolean(),
    reputationalRisk: /* @__PURE__ */ z.boolean(),
    customer: Customer,
    /** A regulated (reportable) complaint rather than a general expression of dissatisfaction; set by triage or a person. */
    regulatory: /* @__PURE__ */ z.boolean().optional(),
    /** Handling priority: `high` when the triage rule saw strong negative sentiment or a vulnerability cue (priorityReasons say which). */
    priority: /* @__PURE__ */ Priority.optional(),
    priorityReasons: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).optional(),
    /** Suggested classification at intake with confidences, and the human decisions on it (GET …/triage). */
    triage: /* @__PURE__ */ CaseTriage.optional(),
    channel: Channel,
    summary: /* @__PURE__ */ z.string(),
    description: /* @__PURE__ */ z.string(),
    product: /* @__PURE__ */ z.string(),
    allegedLoss: /* @__PURE__ */ Money.optional(),
    externalRef: /* @__PURE__ */ ExternalRef.optional(),
    /** What the source record was (a helpdesk escalation's ticket: complaint, incident or service request). */
    sourceRecordType: /* @__PURE__ */ SourceRecordType.optional(),
    /** Service-desk incident/problem ids the complaint relates to (problem records link through them). */
    incidentIds: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).optional(),
    /** Set on an email complaint whose sender could not be authenticated (issue 25, finding 5). */
    unverifiedSender: /* @__PURE__ */ UnverifiedSender.optional(),
    /** A repeat complaint: the closed case of the same external ticket that this one follows. */
    repeatOf: /* @__PURE__ */ z.object({ caseId: Ulid, reference: /* @__PURE__ */ z.string() }).optional(),
    resolution: /* @__PURE__ */ z.record(/* @__PURE__ */ z.string(), /* @__PURE__ */ z.unknown()).optional(),
    rootCause: /* @__PURE__ */ RootCause.optional(),
    followUpAction: /* @__PURE__ */ z.string().optional(),
    /** RG 271: closed without a written IDR response (resolved to the complainant's satisfaction within 5 business days). */
    informalResolution: /* @__PURE__ */ InformalResolution.optional(),
    closedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    /** The internal service target from customer tier and impact; the regulatory deadline binds when it is sooner. */
    serviceTarget: /* @__PURE__ */ z
      .object({ tier: /* @__PURE__ */ z.string(), impact: /* @__PURE__ */ z.string(), hours: /* @__PURE__ */ z.number(), dueAt: IsoTimestamp, binding: /* @__PURE__ */ z.enum(['internal', 'regulatory']) })
      .optional()
      .meta({ description: 'Internal service target (tier × impact hours from receipt) or the regulatory deadline, whichever is sooner' }),
    /** The owner is out of office while a deadline falls due: flagged to the supervisors with a suggested owner. */
    ownerAbsence: /* @__PURE__ */ z
      .object({ from: IsoTimestamp, to: IsoTimestamp, suggestedOwnerId: /* @__PURE__ */ z.string().nullable(), flaggedAt: IsoTimestamp, flaggedBy: /* @__PURE__ */ z.string() })
      .optional()
      .meta({ description: 'The owner is away while the deadline falls due (PUT /v1/staff/{id}/availability); cleared by a reassignment' }),
    /** Requests to release the case outside the organisation, with their approvals (issue 32 item 6). */
    releases: /* @__PURE__ */ z.array(Release).optional(),
    /** Spam or a duplicate (issue 32): out of the KPIs and returns, still visible and exportable; reversible. */
    marking: /* @__PURE__ */ CaseMarking.optional(),
    legalHold: /* @__PURE__ */ z.boolean(),
    reopenCount: /* @__PURE__ */ z.number().int(),
    openTaskCount: /* @__PURE__ */ z.number().int(),
    evidenceCounts: /* @__PURE__ */ EvidenceCounts.optional(),
    /** The compliance export being built (one at a time per case; a second request returns it). */
    activeExportId: /* @__PURE__ */ Ulid.optional(),
    /** End of the record-keeping period (set when the case closes: the regime's retention from closure). */
    retainUntil: /* @__PURE__ */ IsoTimestamp.optional(),
    /** Satisfaction follow-ups, one per cycle with a final response (scheduled, link issued, answered). */
    feedback: /* @__PURE__ */ z.array(FeedbackRequest).optional(),
    /** Personal data removed at the end of retention; the facts, outcome and audit chain remain. */
    redaction: /* @__PURE__ */ z.object({ at: IsoTimestamp, by: /* @__PURE__ */ z.string(), reason: /* @__PURE__ */ z.string(), events: /* @__PURE__ */ z.number().int(), items: /* @__PURE__ */ z.number().int() }).optional(),
    version: /* @__PURE__ */ z.number().int(),
    createdBy: /* @__PURE__ */ z.string(),
    createdAt: IsoTimestamp,
    updatedAt: IsoTimestamp,
  })
  .meta({ id: 'Case', description: 'A formal complaint case' });
export type Case = z.infer<typeof Case>;

export const ComplaintIdParams = /* @__PURE__ */ z.object({ id: Ulid }).strict();

export const CustomerParams = /* @__PURE__ */ z.object({ customerId: Customer.shape.id }).strict();
export const CustomerComplaintsQuery = /* @__PURE__ */ z.object({ limit: ListLimit, cursor: /* @__PURE__ */ Cursor.optional() }).strict();

export const ListComplaintsQuery = /* @__PURE__ */ z
  .object({
    owner: /* @__PURE__ */ z.union([/* @__PURE__ */ z.literal('me'), UserId]).optional(),
    status: /* @__PURE__ */ Status.optional(),
    dueBefore: /* @__PURE__ */ IsoTimestamp.optional(),
    risk: /* @__PURE__ */ Risk.optional(),
    category: /* @__PURE__ */ Category.optional(),
    regime: /* @__PURE__ */ RegimeId.optional().meta({ description: 'Only cases running under this regime (an id of GET /v1/regimes; another id is 400)', example: 'UK_FCA_DISP' }),
    limit: ListLimit,
    cursor: /* @__PURE__ */ Cursor.optional(),
  })
  .strict();
export type ListComplaintsQuery = z.infer<typeof ListComplaintsQuery>;

export const CasePage = /* @__PURE__ */ pageOf(Case, 'CasePage');
