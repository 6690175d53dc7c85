// Subscriber webhook rules (pure): the signature receivers verify, the retry schedule, which URLs and addresses a
// delivery may reach, and how an attempt's outcome moves a delivery (pending → delivered | dead_lettered).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Delivery, DeliveryAttempt, DeliveryErrorClass } from '#schemas/webhooks';
import { InvalidInputError } from './errors';

// ---------- signing ----------

export const SIGNATURE_HEADER = 'x-webhook-signature';
export const TIMESTAMP_HEADER = 'x-webhook-timestamp';
export const DELIVERY_ID_HEADER = 'x-webhook-id';
export const EVENT_TYPE_HEADER = 'x-webhook-event-type';
export const ATTEMPT_HEADER = 'x-webhook-attempt';

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the timestamp is signed, so a replayed old delivery is detectable. */
export const signature = (secret: string, timestamp: number, body: string): string => `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** What a receiver does (the README shows the same in a snippet): recompute, compare in constant time, refuse stale timestamps. */
export const verifySignature = (secret: string, headers: { timestamp: string | undefined; signature: string | undefined }, body: string, nowMs: number, toleranceMs = 5 * 60_000): boolean => {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts) || Math.abs(nowMs - ts * 1000) > toleranceMs) return false;
  const expected = Buffer.from(signature(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
};

// ---------- retry schedule ----------

export interface BackoffOptions {
  /** Delay before the second attempt (before jitter). */
  baseMs: number;
  /** Longest delay between two attempts. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 30_000, capMs: 6 * 3_600_000 };

/**
 * Delay after failed attempt `attempt` (1-based): exponential (base × 2^(attempt−1), capped) with "equal jitter", i.e.
 * uniformly between half and all of it, so many receivers failing together do not retry in lockstep, and no retry
 * comes sooner than half the schedule. `random` is in [0, 1).
 */
export const backoffDelayMs = (attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: number = Math.random()): number => {
  const exp = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * Math.min(Math.max(random, 0), 1));
};

// ---------- where a delivery may go ----------

export interface UrlRules {
  /** Local mode: http(s) to a loopback address is allowed (a receiver on 127.0.0.1). Never when deployed. */
  allowLoopback: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const bad = (message: string) => new InvalidInputError(`url: ${message}`, [{ field: 'body.url', message }]);

/** The subscription URL rule (400 naming `url`): https only when deployed, loopback http only in local mode, no credentials, no literal private address. */
export const checkWebhookUrl = (raw: string, rules: UrlRules): URL => {
  const url = new URL(raw);
  if (url.username || url.password) throw bad('must not carry credentials');
  const host = url.hostname.toLowerCase();
  const loopback = LOOPBACK_HOSTS.has(host);
  if (loopback) {
    if (!rules.allowLoopback) throw bad('loopback addresses are allowed in local mode only');
    return url;
  }
  if (url.protocol !== 'https:') throw bad(rules.allowLoopback ? 'must be https (http only to 127.0.0.1 in local mode)' : 'must be https');
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(literal) && isBlockedAddress(literal)) throw bad('must not point at a private, loopback, link-local or metadata address');
  return url;
};

const v4 = (ip: string): number[] => ip.split('.').map(Number);

/**
 * Addresses no deployed delivery may connect to (SSRF): loopback, private (RFC 1918, unique-local), link-local (the
 * instance metadata service 169.254.169.254 and fd00:ec2::254 among them), carrier-grade NAT, "this network",
 * multicast and reserved ranges; an IPv4-mapped IPv6 address is judged by its IPv4 address.
 */
export const isBlockedAddress = (ip: string): boolean => {
  const kind = isIP(ip);
  if (kind === 4) {
    const [a = 0, b = 0] = v4(ip);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 192 && b === 0) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a >= 224
    );
  }
  if (kind === 6) {
    const x = ip.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(x);
    if (mapped) return isBlockedAddress(mapped[1]!);
    if (x === '::' || x === '::1') return true;
    const first = parseInt(x.split(':')[0] || '0', 16);
    return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
  }
  return true;
};

// ---------- attempts ----------

/** What one HTTP attempt came to (the sender's result). */
export type SendResult = { ok: true; statusCode: number; latencyMs: number; excerpt?: string } | { ok: false; statusCode: number | null; latencyMs: number; errorClass: DeliveryErrorClass; excerpt?: string };

/** At most 200 printable characters of a receiver's response: enough to diagnose, never their whole body. */
export const sanitiseExcerpt = (text: string): string | undefined => {
  // Control characters (terminal escapes, NUL) become spaces: the excerpt is shown in consoles and logs.
  const clean = [...text]
    .map((ch) => ((ch.codePointAt(0) ?? 0) < 0x20 || ((ch.codePointAt(0) ?? 0) >= 0x7f && (ch.codePointAt(0) ?? 0) <= 0x9f) ? ' ' : ch))
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return clean || undefined;
};

/** The delivery after attempt `n` with `result` at `now`: delivered, rescheduled with backoff, or dead-lettered after the last attempt. */
export const afterAttempt = (d: Delivery, result: SendResult, now: string, backoff: BackoffOptions, random: number = Math.random()): Delivery => {
  const attempt: DeliveryAttempt = {
    attempt: d.attempts.length + 1,
    at: now,
    statusCode: result.statusCode,
    latencyMs: Math.max(0, Math.round(result.latencyMs)),
    ok: result.ok,
    errorClass: result.ok ? null : result.errorClass,
    ...(result.excerpt ? { excerpt: result.excerpt } : {}),
  };
  const attempts = [...d.attempts, attempt];
  if (result.ok) return { ...d, attempts, status: 'delivered', nextAttemptAt: null, deliveredAt: now };
  if (attempts.length >= d.maxAttempts) return { ...d, attempts, status: 'dead_lettered', nextAttemptAt: null, deadLetteredAt: now };
  return { ...d, attempts, status: 'pending', nextAttemptAt: new Date(Date.parse(now) + backoffDelayMs(attempts.length, backoff, random)).toISOString() };
};
