// Customer satisfaction follow-up: the request recorded on the case, the public submission and its answer.
import * as z from 'zod';
import { IsoTimestamp, Ulid } from './common';

export const SCORES = [1, 2, 3, 4, 5] as const;
/** Longest comment kept (characters): a short free-text remark, not a second complaint. */
export const FEEDBACK_COMMENT_MAX = 2000;

/** One follow-up per cycle with a final response: scheduled, requested (link issued), answered. */
export const FeedbackRequest = /* @__PURE__ */ z
  .object({
    cycle: /* @__PURE__ */ z.number().int().min(1),
    followUpAt: /* @__PURE__ */ IsoTimestamp.meta({ description: 'When the feedback link goes to the customer (final response + FEEDBACK_FOLLOW_UP_DAYS)' }),
    linkValidDays: /* @__PURE__ */ z.number().int().min(1),
    requestedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    tokenId: /* @__PURE__ */ z.string().optional(),
    expiresAt: /* @__PURE__ */ IsoTimestamp.optional(),
    response: /* @__PURE__ */ z
      .object({ score: /* @__PURE__ */ z.number().int().min(1).max(5), comment: /* @__PURE__ */ z.string().optional(), receivedAt: IsoTimestamp })
      .optional(),
  })
  .meta({ id: 'FeedbackRequest' });
export type FeedbackRequest = z.infer<typeof FeedbackRequest>;

/** The token is checked by signature in the handler (forged → 401), so the path accepts any short printable string. */
export const FeedbackParams = /* @__PURE__ */ z.object({ token: /* @__PURE__ */ z.string().min(1).max(512).regex(/^[A-Za-z0-9._~-]+$/, 'must be a feedback token') }).strict();

export const FeedbackBody = /* @__PURE__ */ z
  .object({
    score: /* @__PURE__ */ z.number().int().min(1).max(5).meta({ description: 'Satisfaction 1 (very dissatisfied) to 5 (very satisfied)' }),
    comment: /* @__PURE__ */ z.string().trim().max(FEEDBACK_COMMENT_MAX).optional(),
  })
  .strict()
  .meta({ id: 'Feedback' });
export type FeedbackBody = z.infer<typeof FeedbackBody>;

export const FeedbackReceipt = /* @__PURE__ */ z
  .object({ caseId: Ulid, reference: /* @__PURE__ */ z.string(), cycle: /* @__PURE__ */ z.number().int(), score: /* @__PURE__ */ z.number().int(), receivedAt: IsoTimestamp })
  .meta({ id: 'FeedbackReceipt', description: 'The satisfaction recorded on the case' });
export type FeedbackReceipt = z.infer<typeof FeedbackReceipt>;
