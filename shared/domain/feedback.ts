// Satisfaction follow-up (pure): scheduling it with the final response, the signed link's payload, and recording
// the customer's answer exactly once. The link is single-use because the answer and the "used" mark are the same
// write: the response lands on the case item in the versioned case transaction, so of two concurrent submissions
// one commits and the other, retried on the fresh case, finds the response and is refused (410).
import type { Case } from '#schemas/complaint';
import type { FeedbackBody, FeedbackRequest } from '#schemas/feedback';
import { GoneError, UnauthorizedError } from './errors';
import type { Change } from './lifecycle';
import { stripControls } from './letters';
import { caseFacts, FEEDBACK_ACTOR } from './timers';

export const DEFAULT_FEEDBACK_FOLLOW_UP_DAYS = 7;
export const DEFAULT_FEEDBACK_LINK_DAYS = 30;
/** Attempts one link may make (any answer: accepted, refused as used or expired) before it is throttled (429). */
export const DEFAULT_FEEDBACK_MAX_ATTEMPTS = 10;

export interface FeedbackPolicy {
  followUpDays: number;
  linkValidDays: number;
}

/**
 * The follow-up of the cycle just answered, recorded on the case with its final response (regime-independent).
 * A repeated final response of the same cycle cannot happen (the case is resolved), so this only adds or replaces.
 */
export const scheduleFollowUp = (c: Case, now: string, policy: FeedbackPolicy): Case => {
  const cycle = c.cycles[c.cycles.length - 1]?.n ?? 1;
  const request: FeedbackRequest = { cycle, followUpAt: new Date(Date.parse(now) + policy.followUpDays * 86_400_000).toISOString(), linkValidDays: policy.linkValidDays };
  return { ...c, feedback: [...(c.feedback ?? []).filter((f) => f.cycle !== cycle), request] };
};

/** What a feedback token carries (signed): the case, the request's token id and the expiry (epoch seconds). */
export interface FeedbackClaims {
  caseId: string;
  tokenId: string;
  expiresAt: string;
}

const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

/** The signed part of a token: `v1.<base64url(JSON)>`; the signature is appended after a dot by the signer. */
export const encodeClaims = (c: FeedbackClaims): string => `v1.${b64url(JSON.stringify({ c: c.caseId, t: c.tokenId, e: Math.floor(Date.parse(c.expiresAt) / 1000) }))}`;

const CASE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const TOKEN_ID = /^[a-z0-9]{1,16}$/;

/** Splits a token into its signed part and signature and reads the claims; anything malformed is forged (401). */
export const parseToken = (token: string): { signed: string; signature: string; claims: FeedbackClaims } => {
  const parts = token.split('.');
  const forged = () => new UnauthorizedError('the feedback link is not valid');
  if (parts.length !== 3 || parts[0] !== 'v1' || !parts[1] || !parts[2]) throw forged();
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw forged();
  }
  const o = raw as { c?: unknown; t?: unknown; e?: unknown };
  if (typeof o.c !== 'string' || !CASE_ID.test(o.c) || typeof o.t !== 'string' || !TOKEN_ID.test(o.t) || typeof o.e !== 'number' || !Number.isInteger(o.e)) throw forged();
  return { signed: `${parts[0]}.${parts[1]}`, signature: parts[2], claims: { caseId: o.c, tokenId: o.t, expiresAt: new Date(o.e * 1000).toISOString() } };
};

/** An expired link is refused whatever the case says (410), before anything is read or written. */
export const assertNotExpired = (claims: FeedbackClaims, now: string): void => {
  if (Date.parse(now) >= Date.parse(claims.expiresAt)) throw new GoneError(`this feedback link expired at ${claims.expiresAt}`);
};

/** The case's request a token answers, checked against the case: the token must be the one the case issued. */
export const requestFor = (c: Case, claims: FeedbackClaims): FeedbackRequest => {
  const f = c.feedback?.find((r) => r.tokenId === claims.tokenId);
  // A validly signed token the case never issued (e.g. after a restore) is refused like a forgery: we did not issue it for this case.
  if (!f || !f.expiresAt || Math.floor(Date.parse(f.expiresAt) / 1000) !== Math.floor(Date.parse(claims.expiresAt) / 1000)) {
    throw new UnauthorizedError('the feedback link is not valid');
  }
  if (f.response) throw new GoneError('this feedback link has already been used');
  return f;
};

/** Removes control characters (kept: line breaks and tabs) so a comment stays plain text wherever it is shown. */
export const sanitiseComment = (s: string): string => stripControls(s.replace(/\r\n?/g, '\n'), true).trim();

/** Records the answer on the case and marks the link used (the same write). */
export const recordFeedback = (c: Case, claims: FeedbackClaims, body: FeedbackBody, now: string): Change<FeedbackRequest> => {
  assertNotExpired(claims, now);
  const f = requestFor(c, claims);
  const comment = body.comment === undefined ? undefined : sanitiseComment(body.comment);
  const answered: FeedbackRequest = { ...f, response: { score: body.score, ...(comment ? { comment } : {}), receivedAt: now } };
  return {
    case: { ...c, feedback: (c.feedback ?? []).map((r) => (r.tokenId === claims.tokenId ? answered : r)) },
    result: answered,
    drafts: [
      {
        actor: FEEDBACK_ACTOR,
        action: 'feedback.received',
        data: { ...caseFacts(c), cycle: f.cycle, tokenId: f.tokenId ?? null, score: body.score, comment: comment ?? null, category: c.category },
      },
    ],
  };
};
