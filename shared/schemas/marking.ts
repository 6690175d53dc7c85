// Honest metrics (issue 32 item 4): marking a case as spam or a duplicate, and the closure outcomes that are not resolutions.
import * as z from 'zod';
import { IsoTimestamp, Text, Ulid } from './common';
import { Channel } from './classification';

export const MARKING_KINDS = ['spam', 'duplicate'] as const;

/** A supervisor's marking of a case: it leaves the KPIs and the returns, and stays visible and exportable. */
export const CaseMarking = /* @__PURE__ */ z
  .object({
    kind: /* @__PURE__ */ z.enum(MARKING_KINDS),
    duplicateOf: /* @__PURE__ */ z.object({ caseId: Ulid, reference: /* @__PURE__ */ z.string() }).optional().meta({ description: 'The case this one repeats (kind duplicate)' }),
    reason: /* @__PURE__ */ z.string(),
    by: /* @__PURE__ */ z.string(),
    at: IsoTimestamp,
  })
  .meta({ id: 'CaseMarking' });
export type CaseMarking = z.infer<typeof CaseMarking>;

export const MarkSpamBody = /* @__PURE__ */ z.object({ reason: /* @__PURE__ */ Text(2000) }).strict().meta({ id: 'MarkSpam' });
export const MarkDuplicateBody = /* @__PURE__ */ z
  .object({ caseId: /* @__PURE__ */ Ulid.meta({ description: 'The case this one duplicates (the one that stays counted)' }), reason: /* @__PURE__ */ Text(2000) })
  .strict()
  .meta({ id: 'MarkDuplicate' });
export const UnmarkBody = /* @__PURE__ */ z.object({ reason: /* @__PURE__ */ Text(2000) }).strict().meta({ id: 'Unmark' });

/** How a cycle ended when it was closed: resolved (the default), or one of the outcomes that are not a resolution. */
export const CLOSURE_OUTCOMES = ['resolved', 'closed_inactive', 'withdrawn'] as const;
export const ClosureOutcome = /* @__PURE__ */ z.enum(CLOSURE_OUTCOMES);
export type ClosureOutcome = z.infer<typeof ClosureOutcome>;

/** One documented attempt to reach a customer who stopped responding. */
export const ChaseAttempt = /* @__PURE__ */ z
  .object({
    at: IsoTimestamp,
    channel: Channel,
    note: /* @__PURE__ */ Text(2000).meta({ description: 'What was asked for and how (kept in the audit trail)' }),
  })
  .strict()
  .meta({ id: 'ChaseAttempt' });

export const Inactivity = /* @__PURE__ */ z
  .object({
    chases: /* @__PURE__ */ z.array(ChaseAttempt).min(1).max(20).meta({ description: 'The documented chase, oldest first (the organisation policy ORG.INACTIVITY.CHASE sets how many and how long)' }),
  })
  .strict()
  .meta({ id: 'Inactivity' });
export type Inactivity = z.infer<typeof Inactivity>;

export const Withdrawal = /* @__PURE__ */ z
  .object({
    at: /* @__PURE__ */ IsoTimestamp.meta({ description: 'When the customer withdrew the complaint' }),
    channel: Channel,
    note: /* @__PURE__ */ Text(2000).meta({ description: 'How the withdrawal was given (e.g. the customer’s email)' }),
  })
  .strict()
  .meta({ id: 'Withdrawal' });
export type Withdrawal = z.infer<typeof Withdrawal>;
