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
    id: z.string().trim().min(1).max(128),
    name: Text(200),
    email: z.email().max(254).optional(),
    phone: z.string().regex(/^\+?[0-9 ()-]{5,32}$/, 'must be a phone number').optional(),
    vulnerable: z.boolean().optional(),
    tier: z.enum(['standard', 'priority', 'premier']).optional().meta({ description: 'Customer tier: with the impact (severity) it sets the internal service target (ASSIGNMENT_RULES.serviceTargets)' }),
  })
  .strict()
  .meta({ id: 'Customer' });

export const ExternalRef = /* @__PURE__ */ z
  .object({
    system: z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, 'must be a system name'),
    id: z.string().trim().min(1).max(128),
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
    email: z.string().max(254).meta({ description: 'The From address the message claims (not proven)' }),
    reasons: z.array(z.string()).min(1).meta({ description: 'Why the sender is not verified, e.g. "dmarc=fail", "spam verdict FAIL", "no Authentication-Results from amazonses.com at the top of the message"' }),
  })
  .meta({ id: 'UnverifiedSender' });
export type UnverifiedSender = z.infer<typeof UnverifiedSender>;

export const RootCause = /* @__PURE__ */ z
  .object({
    category: Text(64),
    description: Text(4000),
    vulnerabilityNotConsidered: z
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
    summary: Text(300),
    description: Text(20000),
    product: Text(120),
    category: Category,
    regime: RegimeId,
    calendar: LocationCalendar.optional(),
    receivedAt: IsoTimestamp.optional(),
    allegedLoss: Money.optional(),
    sensitivity: Sensitivity.optional(),
    severity: Severity.optional(),
    externalRef: ExternalRef.optional().meta({
      description: 'Your system’s reference (de-duplicated). The systems zendesk, jira, servicenow, generic.<name>, email and email.<name> are reserved for signed channel intake (400 here)',
    }),
    ownerId: UserId.optional().meta({ description: 'Explicit owner; otherwise assigned by rule' }),
    sourceRecordType: SourceRecordType.optional().meta({ description: 'What the record this complaint came from was in its own system (helpdesk escalations)' }),
    incidentIds: z.array(ExternalIdText).max(20).optional().meta({ description: 'Service-desk incident/problem ids (ServiceNow INC…/PRB…, Jira keys) the complaint relates to: problems link through them' }),
  })
  .strict()
  .meta({ id: 'CreateComplaint' });
export type CreateComplaintBody = z.infer<typeof CreateComplaintBody>;

export const ReclassifyBody = /* @__PURE__ */ z
  .object({
    category: Category.optional(),
    severity: Severity.optional(),
    product: Text(120).optional(),
    vulnerable: z.boolean().optional(),
    sensitivity: Sensitivity.optional(),
    legalExposure: z.boolean().optional(),
    reputationalRisk: z.boolean().optional(),
    calendar: LocationCalendar.optional().meta({ description: 'Move the case to another business location’s calendar: every pending due time and timer of the running cycle is recounted' }),
    reason: Text(2000)
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

export const ReassignBody = /* @__PURE__ */ z.object({ ownerId: UserId, reason: Text(2000) }).strict().meta({ id: 'Reassign' });
export const AcknowledgeBody = /* @__PURE__ */ z
  .object({ channel: Channel.optional(), text: Text(20000).optional() })
  .strict()
  .meta({ id: 'Acknowledge' });
/**
 * ASIC RG 271: a complaint resolved to the complainant's complete satisfaction by the end of the fifth business day
 * after receipt needs no written IDR response unless the complainant asks for one. Recorded (and audited) at close.
 */
export const InformalResolution = /* @__PURE__ */ z
  .object({
    resolvedAt: IsoTimestamp.meta({ description: 'When the complainant confirmed the complaint was resolved to their satisfaction' }),
    writtenResponseRequested: z.boolean().meta({ description: 'Whether the complainant asked for a written response (then one must be sent)' }),
    note: Text(2000).meta({ description: 'How and with whom the resolution was confirmed' }),
  })
  .strict()
  .meta({ id: 'InformalResolution' });
export type InformalResolution = z.infer<typeof InformalResolution>;

export const CloseBody = /* @__PURE__ */ z
  .object({
    followUpAction: Text(4000),
    rootCause: RootCause.optional(),
    informalResolution: InformalResolution.optional().meta({ description: 'AU regimes (RG 271): closed without a written IDR response, resolved to the complainant’s satisfaction within 5 business days' }),
    outcome: ClosureOutcome.optional().meta({
      description:
        'How the cycle ends (default resolved). closed_inactive: the customer stopped responding after a documented chase (`inactivity`); withdrawn: the customer withdrew it (`withdrawal`). Neither counts as a resolution in the KPIs; the regime’s rules still apply (FCA regimes: the final response must have been sent)',
    }),
    inactivity: Inactivity.optional(),
    withdrawal: Withdrawal.optional(),
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
export const ReopenBody = /* @__PURE__ */ z.object({ reason: Text(4000) }).strict().meta({ id: 'Reopen' });

/** Minimum length of the justification for an extension: a regulatory action that must say why. */
export const EXTENSION_REASON_MIN = 20;
export const CLOCK_ACTIONS = ['pause', 'resume', 'extend', 'delay'] as const;
export const ClockActionBody = /* @__PURE__ */ z
  .discriminatedUnion('action', [
    z.object({ action: z.literal('pause'), reason: Text(2000).meta({ description: 'Why the clock stops (e.g. waiting for the customer)' }) }).strict(),
    z.object({ action: z.literal('resume'), reason: Text(2000).meta({ description: 'Why the clock runs again' }) }).strict(),
    z
      .object({
        action: z.literal('extend'),
        reason: z
          .string()
          .trim()
          .min(EXTENSION_REASON_MIN, `an extension needs a justification of at least ${EXTENSION_REASON_MIN} characters`)
          .max(2000)
          .meta({ description: 'Justification of the exceptional circumstances (recorded and audited)' }),
      })
      .strict(),
    z
      .object({
        action: z.literal('delay'),
        reason: Text(2000).meta({ description: 'Why the firm is not yet in a position to give its final response (stated in the holding letter)' }),
        expectedBy: IsoDate.meta({ description: 'When the firm expects to give it (local date of the regime; stated in the holding letter)' }),
      })
      .strict(),
  ])
  .meta({ id: 'ClockAction', description: 'Pause or resume the clock (where the regime allows it), extend it to the regime’s extended deadline, or record why the final response is delayed and when it is expected (the holding letter states both)' });
export type ClockActionBody = z.infer<typeof ClockActionBody>;

export const Handoff = /* @__PURE__ */ z.object({ from: z.string().nullable(), to: z.string(), by: z.string(), at: IsoTimestamp, reason: z.string() });
export const Checkpoint = /* @__PURE__ */ z.object({ percent: z.number().int(), at: IsoTimestamp, firedAt: IsoTimestamp.optional() });

/** The running clock of the current cycle, as computed at intake or reopen (absent on cases stored before it existed). */
export const CaseClock = /* @__PURE__ */ z
  .object({
    receiptDate: IsoDate.meta({ description: 'The day of receipt, local to the regime: day 0 of every rule clock (DISP 1.5.1R, DISP 1.6.2AR)' }),
    startsAt: IsoTimestamp.meta({ description: 'When the final-response clock starts to run' }),
    basis: z.enum(['business_time', 'calendar_time']).meta({ description: 'Checkpoints are shares of business time or of elapsed time' }),
    clockId: ClockId,
    amount: z.number().int(),
    unit: ClockUnit,
    timeZone: z.string(),
    calendar: z.string().nullable().meta({ description: 'Public-holiday calendar (e.g. GB-ENG)' }),
    summaryResolutionEndsAt: IsoTimestamp.optional(),
    extendedDueAt: IsoTimestamp.optional().meta({ description: 'The deadline an allowed extension would give' }),
    customerUpdatesDueAt: z.array(IsoTimestamp).optional(),
    pausedAt: IsoTimestamp.optional().meta({ description: 'Set while the clock is paused (regimes that allow a pause); cleared on resume' }),
    pauseReason: z.string().optional(),
    pausedMs: z.number().int().optional().meta({ description: 'Total elapsed time this cycle has spent paused, in milliseconds' }),
    extendedAt: IsoTimestamp.optional().meta({ description: 'When this cycle was extended to the regime’s extended deadline (at most once per cycle)' }),
    extensionReason: z.string().optional().meta({ description: 'The recorded justification for the extension' }),
    delay: z
      .object({ reason: z.string(), expectedBy: IsoDate, recordedAt: IsoTimestamp, by: z.string() })
      .optional()
      .meta({ description: 'Why the final response is delayed and when it is expected (DISP 1.6.2R(2)(a); CPC 2025 beyond 40 business days): what the holding letter states' }),
    acknowledgementMissedAt: IsoTimestamp.optional().meta({ description: 'When the acknowledgement deadline of this cycle passed without an acknowledgement' }),
  })
  .meta({ id: 'CaseClock' });
export type CaseClock = z.infer<typeof CaseClock>;

/** An investigation task blocked on a dependency: past `raiseAt` it raises the case to at_risk (DependencyBlocked). */
export const BlockedDependency = /* @__PURE__ */ z
  .object({
    taskId: Ulid,
    since: IsoTimestamp,
    raiseAt: IsoTimestamp.meta({ description: 'When the block has lasted the configured threshold (24–48 h)' }),
    raisedAt: IsoTimestamp.optional().meta({ description: 'When the case was raised to at_risk for it' }),
  })
  .meta({ id: 'BlockedDependency' });
export type BlockedDependency = z.infer<typeof BlockedDependency>;
/**
 * One clock cycle: the first receipt, then one per reopen. Besides its clock it keeps what reporting needs of it after
 * a reopen has replaced the case-level fields: the acknowledgement, the response (decision and compensation) and the close.
 */
export const Cycle = /* @__PURE__ */ z.object({
  n: z.number().int(),
  startedAt: IsoTimestamp,
  dueAt: IsoTimestamp,
  stoppedAt: IsoTimestamp.optional(),
  reason: z.string().optional(),
  acknowledgementDueAt: IsoTimestamp.optional(),
  acknowledgedAt: IsoTimestamp.optional(),
  summaryResolutionEndsAt: IsoTimestamp.optional(),
  respondedAt: IsoTimestamp.optional().meta({ description: 'When the final response of this cycle was sent' }),
  decision: z.enum(['upheld', 'partially_upheld', 'not_upheld']).optional(),
  compensation: Money.optional().meta({ description: 'Compensation paid with the final response of this cycle' }),
  redress: Redress.optional().meta({ description: 'The redress of the final response of this cycle, by component (from the approved resolution)' }),
  closedAt: IsoTimestamp.optional(),
  outcome: ClosureOutcome.optional().meta({ description: 'How the cycle was closed (absent: resolved)' }),
});
export type Cycle = z.infer<typeof Cycle>;

/** Evidence registered on the case by status (maintained with every registration and verification). */
export const EvidenceCounts = /* @__PURE__ */ z.object({ pending: z.number().int(), verified: z.number().int(), rejected: z.number().int() }).meta({ id: 'EvidenceCounts' });
export type EvidenceCounts = z.infer<typeof EvidenceCounts>;

export const Case = /* @__PURE__ */ z
  .object({
    id: Ulid,
    reference: z.string().regex(/^CMP-\d{4}-(?:\d{6,}|X\d{9})$/),
    status: Status,
    ownerId: z.string(),
    team: z.string().optional(),
    handoffs: z.array(Handoff),
    handoffCount: z.number().int(),
    regime: RegimeId,
    calendar: LocationCalendar.optional(),
    receivedAt: IsoTimestamp,
    acknowledgedAt: IsoTimestamp.optional(),
    acknowledgementDueAt: IsoTimestamp.optional(),
    finalResponseDueAt: IsoTimestamp,
    clock: CaseClock.optional(),
    checkpoints: z.array(Checkpoint),
    blockedDependencies: z.array(BlockedDependency).optional(),
    cycles: z.array(Cycle),
    risk: Risk,
    escalations: z.array(EscalationSummary),
    waivers: z.array(Waiver).optional().meta({ description: 'Recorded decisions not to escalate a raised risk' }),
    category: Category,
    severity: Severity,
    vulnerable: z.boolean(),
    sensitivity: Sensitivity,
    legalExposure: z.boolean(),
    reputationalRisk: z.boolean(),
    customer: Customer,
    /** A regulated (reportable) complaint rather than a general expression of dissatisfaction; set by triage or a person. */
    regulatory: z.boolean().optional(),
    /** Handling priority: `high` when the triage rule saw strong negative sentiment or a vulnerability cue (priorityReasons say which). */
    priority: Priority.optional(),
    priorityReasons: z.array(z.string()).optional(),
    /** Suggested classification at intake with confidences, and the human decisions on it (GET …/triage). */
    triage: CaseTriage.optional(),
    channel: Channel,
    summary: z.string(),
    description: z.string(),
    product: z.string(),
    allegedLoss: Money.optional(),
    externalRef: ExternalRef.optional(),
    /** What the source record was (a helpdesk escalation's ticket: complaint, incident or service request). */
    sourceRecordType: SourceRecordType.optional(),
    /** Service-desk incident/problem ids the complaint relates to (problem records link through them). */
    incidentIds: z.array(z.string()).optional(),
    /** Set on an email complaint whose sender could not be authenticated (issue 25, finding 5). */
    unverifiedSender: UnverifiedSender.optional(),
    /** A repeat complaint: the closed case of the same external ticket that this one follows. */
    repeatOf: z.object({ caseId: Ulid, reference: z.string() }).optional(),
    resolution: z.record(z.string(), z.unknown()).optional(),
    rootCause: RootCause.optional(),
    followUpAction: z.string().optional(),
    /** RG 271: closed without a written IDR response (resolved to the complainant's satisfaction within 5 business days). */
    informalResolution: InformalResolution.optional(),
    closedAt: IsoTimestamp.optional(),
    /** The internal service target from customer tier and impact; the regulatory deadline binds when it is sooner. */
    serviceTarget: z
      .object({ tier: z.string(), impact: z.string(), hours: z.number(), dueAt: IsoTimestamp, binding: z.enum(['internal', 'regulatory']) })
      .optional()
      .meta({ description: 'Internal service target (tier × impact hours from receipt) or the regulatory deadline, whichever is sooner' }),
    /** The owner is out of office while a deadline falls due: flagged to the supervisors with a suggested owner. */
    ownerAbsence: z
      .object({ from: IsoTimestamp, to: IsoTimestamp, suggestedOwnerId: z.string().nullable(), flaggedAt: IsoTimestamp, flaggedBy: z.string() })
      .optional()
      .meta({ description: 'The owner is away while the deadline falls due (PUT /v1/staff/{id}/availability); cleared by a reassignment' }),
    /** Requests to release the case outside the organisation, with their approvals (issue 32 item 6). */
    releases: z.array(Release).optional(),
    /** Spam or a duplicate (issue 32): out of the KPIs and returns, still visible and exportable; reversible. */
    marking: CaseMarking.optional(),
    legalHold: z.boolean(),
    reopenCount: z.number().int(),
    openTaskCount: z.number().int(),
    evidenceCounts: EvidenceCounts.optional(),
    /** The compliance export being built (one at a time per case; a second request returns it). */
    activeExportId: Ulid.optional(),
    /** End of the record-keeping period (set when the case closes: the regime's retention from closure). */
    retainUntil: IsoTimestamp.optional(),
    /** Satisfaction follow-ups, one per cycle with a final response (scheduled, link issued, answered). */
    feedback: z.array(FeedbackRequest).optional(),
    /** Personal data removed at the end of retention; the facts, outcome and audit chain remain. */
    redaction: z.object({ at: IsoTimestamp, by: z.string(), reason: z.string(), events: z.number().int(), items: z.number().int() }).optional(),
    version: z.number().int(),
    createdBy: z.string(),
    createdAt: IsoTimestamp,
    updatedAt: IsoTimestamp,
  })
  .meta({ id: 'Case', description: 'A formal complaint case' });
export type Case = z.infer<typeof Case>;

export const ComplaintIdParams = /* @__PURE__ */ z.object({ id: Ulid }).strict();

export const CustomerParams = /* @__PURE__ */ z.object({ customerId: Customer.shape.id }).strict();
export const CustomerComplaintsQuery = /* @__PURE__ */ z.object({ limit: ListLimit, cursor: Cursor.optional() }).strict();

export const ListComplaintsQuery = /* @__PURE__ */ z
  .object({
    owner: z.union([z.literal('me'), UserId]).optional(),
    status: Status.optional(),
    dueBefore: IsoTimestamp.optional(),
    risk: Risk.optional(),
    category: Category.optional(),
    regime: RegimeId.optional().meta({ description: 'Only cases running under this regime (an id of GET /v1/regimes; another id is 400)', example: 'UK_FCA_DISP' }),
    limit: ListLimit,
    cursor: Cursor.optional(),
  })
  .strict();
export type ListComplaintsQuery = z.infer<typeof ListComplaintsQuery>;

export const CasePage = /* @__PURE__ */ pageOf(Case, 'CasePage');
