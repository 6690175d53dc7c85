// Escalations (control 3): what raises one, the record and its summary on the case, acknowledgements and waivers
// (a recorded decision not to escalate a raised risk). No import of complaint.ts: the case schema embeds the summary.
import * as z from 'zod';
import { IsoTimestamp, Text, Ulid } from './common';

export const EscalationBody = /* @__PURE__ */ z.object({ reason: /* @__PURE__ */ Text(2000) }).strict().meta({ id: 'RaiseEscalation' });
export type EscalationBody = z.infer<typeof EscalationBody>;

/** Minimum length of the written justification for not escalating a raised risk (control 3). */
export const WAIVER_JUSTIFICATION_MIN = 20;
/** The deadline checkpoints (deadlines.ts CHECKPOINT_PERCENTS); a unit test keeps the two in step. */
export const WAIVER_CHECKPOINT_PERCENTS = [50, 75, 90, 100] as const;
export const DEPENDENCY_CHECKPOINT_PREFIX = 'dependency:';

const CHECKPOINT_MESSAGE = 'must be a checkpoint percent (50, 75, 90 or 100) or "dependency:<taskId>"';

export const WaiverCheckpoint = /* @__PURE__ */ z
  .union([/* @__PURE__ */ z.literal(50), /* @__PURE__ */ z.literal(75), /* @__PURE__ */ z.literal(90), /* @__PURE__ */ z.literal(100), /* @__PURE__ */ z.string().regex(/^dependency:[0-9A-HJKMNP-TV-Z]{26}$/, CHECKPOINT_MESSAGE)], {
    error: CHECKPOINT_MESSAGE,
  })
  .meta({
    description: 'The raised risk not escalated: a deadline checkpoint percent, or "dependency:<taskId>" for a blocked investigation task',
    example: 75,
  });
export type WaiverCheckpoint = z.infer<typeof WaiverCheckpoint>;

export const EscalationWaiverBody = /* @__PURE__ */ z
  .object({
    checkpoint: WaiverCheckpoint,
    justification: /* @__PURE__ */ z
      .string()
      .trim()
      .min(WAIVER_JUSTIFICATION_MIN, `a decision not to escalate needs a justification of at least ${WAIVER_JUSTIFICATION_MIN} characters`)
      .max(2000)
      .meta({ description: 'Why escalation is not needed (recorded with who decided in the audit trail)' }),
  })
  .strict()
  .meta({ id: 'EscalationWaiver' });
export type EscalationWaiverBody = z.infer<typeof EscalationWaiverBody>;

export type WaiverTarget = { kind: 'checkpoint'; percent: (typeof WAIVER_CHECKPOINT_PERCENTS)[number] } | { kind: 'dependency'; taskId: string };

/** What a validated waiver checkpoint points at. */
export const waiverTarget = (checkpoint: WaiverCheckpoint): WaiverTarget =>
  typeof checkpoint === 'number' ? { kind: 'checkpoint', percent: checkpoint } : { kind: 'dependency', taskId: checkpoint.slice(DEPENDENCY_CHECKPOINT_PREFIX.length) };


/** What raised an escalation: identifiers only (the reason text lives on the record, never in a workflow payload). */
export const EscalationTrigger = /* @__PURE__ */ z
  .discriminatedUnion('kind', [
    /* @__PURE__ */ z.object({ kind: /* @__PURE__ */ z.literal('checkpoint'), percent: /* @__PURE__ */ z.number().int(), cycle: /* @__PURE__ */ z.number().int().min(1) }).strict(),
    /* @__PURE__ */ z.object({ kind: /* @__PURE__ */ z.literal('dependency'), taskId: Ulid, cycle: /* @__PURE__ */ z.number().int().min(1) }).strict(),
    /* @__PURE__ */ z.object({ kind: /* @__PURE__ */ z.literal('manual') }).strict().meta({ description: 'Raised by the case owner' }),
    /* @__PURE__ */ z.object({ kind: /* @__PURE__ */ z.literal('override') }).strict().meta({ description: 'Raised by a supervisor over the owner' }),
    /* @__PURE__ */ z.object({ kind: /* @__PURE__ */ z.literal('triage') }).strict().meta({ description: 'Raised at intake by the triage priority rule (TRIAGE.priority.escalate): strong negative sentiment or a vulnerability cue' }),
  ])
  .meta({ id: 'EscalationTrigger' });
export type EscalationTrigger = z.infer<typeof EscalationTrigger>;

/**
 * `open` until someone at the current level (or an earlier one) acknowledges it; `waived` by a recorded decision not
 * to escalate; `unacknowledged` when the highest level's timeout lapsed without an acknowledgement; `resolved` when the
 * case itself was answered (final response sent, or closed) while the escalation was still open.
 */
export const ESCALATION_STATUSES = ['open', 'acknowledged', 'waived', 'unacknowledged', 'resolved'] as const;
export const EscalationStatus = /* @__PURE__ */ z.enum(ESCALATION_STATUSES);
export type EscalationStatus = z.infer<typeof EscalationStatus>;

/** Who is told at each escalation level: the team's supervisors, then the head of complaints (admin), then compliance. */
export const ESCALATION_LADDER = ['supervisor', 'admin', 'compliance'] as const;
export type EscalationRole = (typeof ESCALATION_LADDER)[number];

export const Escalation = /* @__PURE__ */ z
  .object({
    id: Ulid,
    caseId: Ulid,
    trigger: EscalationTrigger,
    reason: /* @__PURE__ */ z.string(),
    status: EscalationStatus,
    level: /* @__PURE__ */ z.number().int().min(1).meta({ description: 'Current level: 1 = team supervisors, 2 = head of complaints, 3 = compliance' }),
    raisedBy: /* @__PURE__ */ z.string(),
    raisedAt: IsoTimestamp,
    startedAt: /* @__PURE__ */ IsoTimestamp.optional().meta({ description: 'When the escalation workflow took it up' }),
    notifiedAt: /* @__PURE__ */ IsoTimestamp.optional().meta({ description: 'When the current level was notified' }),
    ackDueAt: /* @__PURE__ */ IsoTimestamp.optional().meta({ description: 'When the current level times out and the escalation goes up a level' }),
    acknowledgedBy: /* @__PURE__ */ z.string().optional(),
    acknowledgedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    acknowledgementNote: /* @__PURE__ */ z.string().optional(),
    waivedBy: /* @__PURE__ */ z.string().optional(),
    waivedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    justification: /* @__PURE__ */ z.string().optional(),
    closedAt: /* @__PURE__ */ IsoTimestamp.optional(),
  })
  .meta({ id: 'EscalationRecord' });
export type Escalation = z.infer<typeof Escalation>;

/** The summary the case carries for each escalation (the full record is an ESCALATION# item). */
export const EscalationSummary = /* @__PURE__ */ z
  .object({
    id: /* @__PURE__ */ z.string(),
    at: IsoTimestamp,
    reason: /* @__PURE__ */ z.string(),
    trigger: /* @__PURE__ */ EscalationTrigger.optional(),
    status: /* @__PURE__ */ EscalationStatus.optional(),
    level: /* @__PURE__ */ z.number().int().optional(),
  })
  .meta({ id: 'EscalationSummary' });
export type EscalationSummary = z.infer<typeof EscalationSummary>;

/** A recorded decision not to escalate a raised risk of one clock cycle. */
export const Waiver = /* @__PURE__ */ z
  .object({
    checkpoint: WaiverCheckpoint,
    cycle: /* @__PURE__ */ z.number().int().min(1),
    justification: /* @__PURE__ */ z.string(),
    waivedBy: /* @__PURE__ */ z.string(),
    waivedAt: IsoTimestamp,
    escalationId: /* @__PURE__ */ z.string().nullable().meta({ description: 'The open escalation the waiver stopped, if any' }),
  })
  .meta({ id: 'Waiver' });
export type Waiver = z.infer<typeof Waiver>;

export const AcknowledgeEscalationBody = /* @__PURE__ */ z
  .object({ note: /* @__PURE__ */ Text(2000).optional().meta({ description: 'What the acknowledging manager will do' }) })
  .strict()
  .meta({ id: 'AcknowledgeEscalation' });
export type AcknowledgeEscalationBody = z.infer<typeof AcknowledgeEscalationBody>;

export const EscalationParams = /* @__PURE__ */ z.object({ id: Ulid, escalationId: Ulid }).strict();

/** What `POST …/escalation-waivers` answers: the waiver and the escalation it stopped. */
export const WaiverResult = /* @__PURE__ */ z.object({ waiver: Waiver, escalation: /* @__PURE__ */ Escalation.nullable() }).meta({ id: 'WaiverResult' });
export type WaiverResult = z.infer<typeof WaiverResult>;
