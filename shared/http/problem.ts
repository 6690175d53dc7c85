// The one mapping from any thrown error to an RFC 9457 problem+json response; nothing internal leaks.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type DomainErrorKind } from '#domain/errors';
import type { Problem } from '#schemas/common';
import { HttpError } from './errors';

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors']);
const TYPE_BASE = 'https://complaints.example/problems/';

const DOMAIN_STATUS: Record<DomainErrorKind, { status: number; title: string; slug: string }> = {
  invalid: { status: 400, title: 'Bad Request', slug: 'invalid-input' },
  unauthorized: { status: 401, title: 'Unauthorized', slug: 'unauthorized' },
  forbidden: { status: 403, title: 'Forbidden', slug: 'forbidden' },
  not_found: { status: 404, title: 'Not Found', slug: 'not-found' },
  conflict: { status: 409, title: 'Conflict', slug: 'conflict' },
  precondition_failed: { status: 412, title: 'Precondition Failed', slug: 'stale-version' },
  gone: { status: 410, title: 'Gone', slug: 'gone' },
  throttled: { status: 429, title: 'Too Many Requests', slug: 'throttled' },
};

const HTTP_SLUG: Record<number, string> = {
  400: 'invalid-input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  410: 'gone',
  412: 'stale-version',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'throttled',
  503: 'unavailable',
};

/** The answers that tell the client when to try again (`retry-after`, seconds; set below); OpenAPI documents it on them. */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

export const problemResponse = (problem: Problem, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode: problem.status,
  headers: { 'content-type': 'application/problem+json', ...headers },
  body: JSON.stringify(problem),
});

export const problem = (status: number, title: string, detail?: string, extra: Partial<Problem> & Record<string, unknown> = {}): Problem => ({
  type: `${TYPE_BASE}${HTTP_SLUG[status] ?? 'error'}`,
  title,
  status,
  ...(detail ? { detail } : {}),
  ...extra,
});

export interface MappedError {
  problem: Problem;
  headers: Record<string, string>;
  /** True for faults that are ours (5xx): log them in full, tell the client nothing. */
  internal: boolean;
}

export const toProblem = (err: unknown): MappedError => {
  // Powertools wraps a failed read or write of the idempotency record (a throttle, a 5xx) in its own error: the AWS
  // error inside decides the answer, as it would without the wrapper (the chaos run met a throttled in-progress write).
  if (errName(err) === 'IdempotencyPersistenceLayerError' && (err as { cause?: unknown }).cause instanceof Error) {
    const inner = (err as { cause: Error }).cause;
    if (isThrottle(inner) || isServiceFault(inner)) return toProblem(inner);
  }
  if (err instanceof HttpError) {
    return { problem: problem(err.status, err.title, err.message, err.errors ? { errors: err.errors } : {}), headers: err.headers, internal: false };
  }
  if (err instanceof DomainError) {
    const m = DOMAIN_STATUS[err.kind];
    const extra: Record<string, unknown> = { type: `${TYPE_BASE}${m.slug}` };
    if ('errors' in err && Array.isArray(err.errors) && err.errors.length) extra.errors = err.errors;
    if ('details' in err && err.details && typeof err.details === 'object') {
      // Extension members may add context but never replace the RFC 9457 core members.
      for (const [k, v] of Object.entries(err.details)) if (!RESERVED.has(k)) extra[k] = v;
    }
    // A throttled credential may try again later (the attempt window is the token's life; say one minute to clients).
    return { problem: problem(m.status, m.title, err.message, extra), headers: err.kind === 'throttled' ? { 'retry-after': '60' } : {}, internal: false };
  }
  if (isIdempotencyConflict(err)) {
    return { problem: problem(409, 'Conflict', idempotencyDetail(err), { type: `${TYPE_BASE}idempotency-conflict` }), headers: {}, internal: false };
  }
  if (isThrottle(err)) {
    return { problem: problem(429, 'Too Many Requests', 'the service is busy; retry with backoff'), headers: { 'retry-after': '1' }, internal: false };
  }
  if (isServiceFault(err)) {
    // An AWS service answered 5xx on every attempt the SDK's retry policy allowed: the same request may simply be sent
    // again (writes are transactions, creations de-duplicate), so say when, and log it as ours.
    return { problem: problem(503, 'Service Unavailable', 'a service this request depends on is unavailable; retry it shortly'), headers: { 'retry-after': '1' }, internal: true };
  }
  if (isOutOfTime(err)) {
    // Ours to log (internal), but the client's answer is the one API Gateway gives for a function that ran out of
    // time: unavailable, try again. Every write is a transaction and creations de-duplicate on their Idempotency-Key
    // or external reference, so the retry either finds what a late-finishing attempt wrote or writes it once.
    return { problem: problem(503, 'Service Unavailable', 'the request did not finish within the time limit; retry it shortly'), headers: { 'retry-after': '1' }, internal: true };
  }
  return { problem: problem(500, 'Internal Server Error', 'an unexpected error occurred; it has been logged'), headers: {}, internal: true };
};

/** middy's early answer when the Lambda's remaining time is nearly gone (`timeoutEarlyInMillis`). */
const isOutOfTime = (err: unknown): boolean => errName(err) === 'TimeoutError' && (err as { cause?: { package?: unknown } }).cause?.package === '@middy/core';

/** An AWS SDK error the service marked as its own fault (5xx), after the SDK's retries. */
const isServiceFault = (err: unknown): boolean => {
  const e = err as { $fault?: unknown; $metadata?: { httpStatusCode?: unknown } } | null;
  if (!(err instanceof Error) || !e) return false;
  const status = e.$metadata?.httpStatusCode;
  return e.$fault === 'server' || (typeof status === 'number' && status >= 500);
};

const errName = (err: unknown): string => (err instanceof Error ? err.name : '');

const isIdempotencyConflict = (err: unknown): boolean =>
  ['IdempotencyValidationError', 'IdempotencyAlreadyInProgressError', 'IdempotencyInconsistentStateError'].includes(errName(err));

const idempotencyDetail = (err: unknown): string =>
  errName(err) === 'IdempotencyValidationError'
    ? 'this Idempotency-Key was already used with a different request body'
    : 'a request with this Idempotency-Key is still in progress; retry shortly';

/**
 * Capacity throttling, and write contention that outlasted the adapters' retries: a transaction cancelled only
 * because its items were held by concurrent ones (nothing was written; the same request may simply be sent again).
 */
const isThrottle = (err: unknown): boolean => {
  if (['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'TransactionConflictException'].includes(errName(err))) return true;
  if (errName(err) !== 'TransactionCanceledException') return false;
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  const codes = reasons.map((r) => r.Code ?? 'None');
  const contention = ['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded'];
  return codes.some((c) => contention.includes(c)) && codes.every((c) => contention.includes(c) || c === 'None');
};
