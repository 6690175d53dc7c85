// Shared zod building blocks: the one definition of ids, money, timestamps and the problem document.
import * as z from 'zod';

export const ROLES = ['intake', 'handler', 'supervisor', 'compliance', 'legal', 'admin'] as const;
export const Role = /* @__PURE__ */ z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const INTAKE_SCOPE = 'complaints/intake';

/** ULID: 26 Crockford base32 characters. */
export const Ulid = /* @__PURE__ */ z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID');

/** Opaque user id from the identity provider (`sub`). */
export const UserId = /* @__PURE__ */ z.string().trim().min(1).max(128).regex(/^[\w.@:+-]+$/, 'must be a user id');

export const IsoTimestamp = /* @__PURE__ */ z.iso.datetime({ offset: true }).meta({ description: 'ISO-8601 timestamp', example: '2026-11-23T10:00:00.000Z' });

export const Money = /* @__PURE__ */ z
  .object({
    amount: /* @__PURE__ */ z.string().regex(/^(0|[1-9]\d{0,14})(\.\d{1,4})?$/, 'must be a non-negative decimal string such as "250.00"'),
    currency: /* @__PURE__ */ z.string().regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code such as "GBP"'),
  })
  .strict()
  .meta({ id: 'Money', description: 'Money as a decimal string and an ISO-4217 currency code' });
export type Money = z.infer<typeof Money>;

export const ProblemFieldError = /* @__PURE__ */ z.object({
  field: /* @__PURE__ */ z.string(),
  message: /* @__PURE__ */ z.string(),
});

/**
 * The extension members a problem may carry besides the RFC 9457 core (a 409's context: which state refused the
 * action, what would allow it). A domain ConflictError's details are typed by this schema, so a member the server
 * sends is a member the document names.
 */
export const ProblemExtensions = /* @__PURE__ */ z.object({
  code: /* @__PURE__ */ z.enum(['approvals_outstanding', 'admission_of_liability', 'final_response_not_approved']).optional().meta({ description: 'Which rule refused a final response' }),
  action: /* @__PURE__ */ z.string().optional().meta({ description: 'The refused action (e.g. close, reopen, pause, extend)' }),
  currentStatus: /* @__PURE__ */ z.string().optional().meta({ description: 'The case status that refused the action' }),
  allowedFrom: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).optional().meta({ description: 'The case statuses the action is allowed from' }),
  cycle: /* @__PURE__ */ z.number().int().optional().meta({ description: 'The clock cycle concerned' }),
  stoppedAt: /* @__PURE__ */ z.string().optional().meta({ description: 'When the cycle’s clock stopped (ISO-8601)' }),
  pausedAt: /* @__PURE__ */ z.string().optional().meta({ description: 'Since when the clock is paused (ISO-8601)' }),
  finalResponseDueAt: /* @__PURE__ */ z.string().optional().meta({ description: 'The deadline that has passed (ISO-8601)' }),
  windowEndsAt: /* @__PURE__ */ z.string().optional().meta({ description: 'End of the informal-resolution window (ISO-8601)' }),
  redactedAt: /* @__PURE__ */ z.string().optional().meta({ description: 'When the case’s personal data was redacted (ISO-8601)' }),
  calendar: /* @__PURE__ */ z.string().nullable().optional().meta({ description: 'The calendar the case already counts on' }),
  regime: /* @__PURE__ */ z.string().optional().meta({ description: 'The deadline regime concerned' }),
  clock: /* @__PURE__ */ z.string().optional().meta({ description: 'The regime clock that does not exist' }),
  rule: /* @__PURE__ */ z.string().optional().meta({ description: 'The rule (with its citation) that refused the action' }),
  setting: /* @__PURE__ */ z.string().optional().meta({ description: 'The configuration setting that would allow it' }),
  timeLimitWording: /* @__PURE__ */ z.string().optional().meta({ description: 'The Annex 3R wording variant concerned' }),
  kind: /* @__PURE__ */ z.string().optional().meta({ description: 'The letter kind concerned' }),
  openTaskCount: /* @__PURE__ */ z.number().int().optional().meta({ description: 'Investigation tasks still open or blocked' }),
  escalationId: /* @__PURE__ */ z.string().optional().meta({ description: 'The escalation still open' }),
  escalationStatus: /* @__PURE__ */ z.string().optional().meta({ description: 'The escalation’s status' }),
  checkpoint: /* @__PURE__ */ z.number().optional().meta({ description: 'The checkpoint (percent of the deadline) concerned' }),
  taskId: /* @__PURE__ */ z.string().optional().meta({ description: 'The task concerned' }),
  missing: /* @__PURE__ */ z
    .array(/* @__PURE__ */ z.object({ role: /* @__PURE__ */ z.string(), reasons: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()) }))
    .optional()
    .meta({ description: 'The approvals still missing: each role with the rules that require it' }),
  phrases: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).optional().meta({ description: 'The phrases read as an admission of liability' }),
  approvalStatus: /* @__PURE__ */ z.string().optional().meta({ description: 'The approval stage’s status' }),
  evidenceStatus: /* @__PURE__ */ z.string().optional().meta({ description: 'The evidence item’s status' }),
  legalHold: /* @__PURE__ */ z.boolean().optional().meta({ description: 'The legal hold as it already is' }),
  resolutionId: /* @__PURE__ */ z.string().optional().meta({ description: 'The proposal concerned' }),
  resolutionStatus: /* @__PURE__ */ z.string().optional().meta({ description: 'The proposal’s status' }),
  openStage: /* @__PURE__ */ z.number().int().nullable().optional().meta({ description: 'The approval stage to decide first' }),
  reason: /* @__PURE__ */ z.string().optional().meta({ description: 'Why a replayed message is still refused' }),
  retryable: /* @__PURE__ */ z.boolean().optional().meta({ description: 'True when the same request may simply be sent again' }),
  triageStatus: /* @__PURE__ */ z.string().optional().meta({ description: 'The triage status (none, unavailable)' }),
  existingId: /* @__PURE__ */ z.string().nullable().optional().meta({ description: 'The case that already holds the external reference' }),
  building: /* @__PURE__ */ z.number().int().optional().meta({ description: 'The report generation being rebuilt' }),
  caseId: /* @__PURE__ */ z.string().optional().meta({ description: 'The case concerned' }),
  problemStatus: /* @__PURE__ */ z.string().optional().meta({ description: 'The problem record’s status' }),
  fixedAt: /* @__PURE__ */ z.string().optional().meta({ description: 'When the problem’s fix went live (ISO-8601)' }),
  suggestionId: /* @__PURE__ */ z.string().optional().meta({ description: 'The problem suggestion concerned' }),
  suggestionStatus: /* @__PURE__ */ z.string().optional().meta({ description: 'The suggestion’s status (pending, accepted, dismissed)' }),
  activeExportId: /* @__PURE__ */ z.string().optional().meta({ description: 'The export of the case still running' }),
  marking: /* @__PURE__ */ z.string().optional().meta({ description: 'How the case is already marked (spam, duplicate)' }),
  original: /* @__PURE__ */ z.string().optional().meta({ description: 'The case named as the original, itself marked' }),
  quietUntil: /* @__PURE__ */ z.string().optional().meta({ description: 'Until when the customer may still answer the last chase (ISO-8601)' }),
  releaseStatus: /* @__PURE__ */ z.string().optional().meta({ description: 'The release request’s status' }),
});
export type ProblemExtensions = z.infer<typeof ProblemExtensions>;

export const Problem = /* @__PURE__ */ z
  .object({
    type: /* @__PURE__ */ z.string(),
    title: /* @__PURE__ */ z.string(),
    status: /* @__PURE__ */ z.number().int(),
    detail: /* @__PURE__ */ z.string().optional(),
    instance: /* @__PURE__ */ z.string().optional(),
    errors: /* @__PURE__ */ z.array(ProblemFieldError).optional(),
    ...ProblemExtensions.shape,
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details, with the extension members a 409 may carry' });
export type Problem = z.infer<typeof Problem>;

export const ListLimit = /* @__PURE__ */ z.coerce.number().int().min(1).max(100).default(25).meta({ description: 'Items per page (1–100)' });
/** The lists of one case (tasks, notes, evidence, timeline) and the regimes: by default a whole short list in one page. */
export const WholeListLimit = /* @__PURE__ */ z.coerce.number().int().min(1).max(100).default(100).meta({ description: 'Items per page (1–100; default 100)' });
export const Cursor = /* @__PURE__ */ z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an opaque cursor')
  .meta({ description: 'The nextCursor of the previous page: opaque and sealed (AES-256-GCM) to this route, your identity and the same filters; any other cursor is 400' });

/** The query of a list: `limit` and `cursor`, and nothing else (an unknown parameter is 400). */
export const pageQuery = (limit: z.ZodType<number, unknown> = ListLimit) => z.object({ limit, cursor: Cursor.optional() }).strict();

/** The lists of one case (tasks, notes, evidence, timeline) and the regimes: limit (default 100) and cursor. */
export const CaseListQuery = /* @__PURE__ */ pageQuery(WholeListLimit);

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: Cursor.optional().meta({ description: 'Pass as `cursor` for the next page; absent on the last page' }) }).meta({ id });

export const Text = (max: number) => z.string().trim().min(1).max(max);
