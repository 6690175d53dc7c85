// Subscriber webhook rules (pure): the signature receivers verify, the retry schedule, which URLs and addresses a
// delivery may reach, and how an attempt's outcome moves a delivery (pending → delivered | dead_lettered).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
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

/** The only range a deployed delivery may reach; ipaddr.js names every special-purpose range otherwise. */
const PUBLIC = 'unicast';
/** IPv6 global unicast is 2000::/3; ipaddr.js calls anything it has no name for `unicast` (e.g. ::7f00:1, IPv4-compatible). */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];

/** What an address is: `range` is ipaddr.js's name (loopback, private, linkLocal, rfc6052 …) of the unmapped address. */
export type AddressVerdict = { allowed: boolean; address: string; range: string };

/**
 * Classifies an address with ipaddr.js (issue 25, finding 7): an IPv4-mapped IPv6 address (::ffff:7f00:1) is judged
 * as the IPv4 address it carries, then only `unicast` passes, plus loopback when `allowLoopback` says so (local mode,
 * explicitly). Refused: loopback, private (RFC 1918), unique-local fc00::/7, link-local (169.254/16, fe80::/10: the
 * instance metadata service), carrier-grade NAT, unspecified, broadcast, multicast, reserved, NAT64 64:ff9b::/96,
 * 6to4, Teredo, site-local fec0::/10, and IPv6 outside global unicast. Anything that is no address is refused too.
 */
export const classifyAddress = (ip: string, rules: UrlRules = { allowLoopback: false }): AddressVerdict => {
  if (!ipaddr.isValid(ip)) return { allowed: false, address: ip, range: 'invalid' };
  const addr = ipaddr.process(ip);
  let range: string = addr.range();
  if (range === PUBLIC && addr.kind() === 'ipv6' && !(addr as ipaddr.IPv6).match(GLOBAL_UNICAST_V6)) range = 'nonGlobalIpv6';
  const allowed = range === PUBLIC || (range === 'loopback' && rules.allowLoopback);
  return { allowed, address: addr.toString(), range };
};

/** Whether no delivery under `rules` may connect to this address (the default: deployed, loopback refused too). */
export const isBlockedAddress = (ip: string, rules: UrlRules = { allowLoopback: false }): boolean => !classifyAddress(ip, rules).allowed;

/** The host of a parsed URL as an address, when it is an IP literal (the URL parser has already normalised it). */
export const literalAddress = (url: URL): string | undefined => {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) ? host : undefined;
};

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.']);

const bad = (message: string) => new InvalidInputError(`url: ${message}`, [{ field: 'body.url', message }]);

/**
 * The subscription URL rule (400 naming `url`): https only when deployed, loopback (http too) only in local mode, no
 * credentials, no literal address outside public unicast. Names are checked again where it matters, at connect time
 * (the sender's guard), since DNS can answer differently later.
 */
export const checkWebhookUrl = (raw: string, rules: UrlRules): URL => {
  const url = new URL(raw);
  if (url.username || url.password) throw bad('must not carry credentials');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad('must be https');
  const literal = literalAddress(url);
  const host = url.hostname.toLowerCase();
  const verdict = literal ? classifyAddress(literal, { allowLoopback: false }) : undefined;
  if (verdict?.range === 'loopback' || LOOPBACK_NAMES.has(host) || host.endsWith('.localhost')) {
    if (!rules.allowLoopback) throw bad('loopback addresses are allowed in local mode only');
    return url;
  }
  if (url.protocol !== 'https:') throw bad(rules.allowLoopback ? 'must be https (http only to 127.0.0.1 in local mode)' : 'must be https');
  if (verdict && !verdict.allowed) throw bad(`must not point at a private, loopback, link-local, metadata or other special-purpose address (${verdict.address} is ${verdict.range})`);
  return url;
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
