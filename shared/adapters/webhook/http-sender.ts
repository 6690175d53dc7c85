// WebhookSender over node:http/https: one POST with a timeout, no redirects followed, at most 1 KiB of the response
// read (a sanitised excerpt is kept). The SSRF guard runs on every attempt, at connect time: an IP literal is
// classified before any socket exists (Node never calls a lookup for literals), and a name is resolved by a lookup
// that classifies every address and hands the socket only checked ones (no DNS rebinding between check and connect).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { classifyAddress, literalAddress, sanitiseExcerpt, type SendResult, type UrlRules } from '#domain/webhooks';
import type { DeliveryErrorClass } from '#schemas/webhooks';
import type { WebhookRequest, WebhookSender } from '#ports/webhook-sender';

const EXCERPT_BYTES = 1024;

class BlockedAddressError extends Error {
  readonly code = 'EBLOCKED';
}

/** The resolver the guard asks (node:dns lookup with `all`); tests inject one so no name is ever resolved or reached. */
export type Resolver = (hostname: string, options: { all: true; family: number }, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolver: Resolver = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/**
 * A lookup that resolves every address of the host and refuses the host if any of them is outside public unicast
 * (or loopback, when `rules.allowLoopback`): one bad answer among good ones is an attack, not a fallback.
 */
export const guardedLookup =
  (rules: UrlRules, resolve: Resolver = systemResolver): LookupFunction =>
  (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    resolve(hostname, { all: true, family }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const blocked = addresses.map((a) => classifyAddress(a.address, rules)).find((v) => !v.allowed);
      if (blocked || !addresses.length) return callback(new BlockedAddressError(`${hostname} resolves to a blocked address${blocked ? ` (${blocked.address}: ${blocked.range})` : ''}`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };

const classify = (err: NodeJS.ErrnoException): DeliveryErrorClass => {
  if (err instanceof BlockedAddressError || err.code === 'EBLOCKED') return 'blocked_address';
  if (err.code === 'ETIMEDOUT' || err.name === 'TimeoutError') return 'timeout';
  if (err.code === 'ECONNREFUSED') return 'connection_refused';
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return 'dns';
  if (err.code?.startsWith('ERR_TLS') || err.code?.startsWith('CERT_') || err.code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || err.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') return 'tls';
  return 'network';
};

export class HttpWebhookSender implements WebhookSender {
  private readonly lookup: LookupFunction;

  /**
   * The guard is always on. `allowLoopback` is the one explicit exception, for local mode (a receiver on 127.0.0.1);
   * private, link-local and every other special-purpose range stay refused there too. `resolve` is for tests.
   */
  constructor(private readonly opts: { allowLoopback: boolean; resolve?: Resolver }) {
    this.lookup = guardedLookup({ allowLoopback: opts.allowLoopback }, opts.resolve);
  }

  send(req: WebhookRequest): Promise<SendResult> {
    const started = process.hrtime.bigint();
    const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return Promise.resolve({ ok: false, statusCode: null, latencyMs: elapsed(), errorClass: 'network' });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return Promise.resolve({ ok: false, statusCode: null, latencyMs: elapsed(), errorClass: 'blocked_address' });
    // Node connects to a literal without any lookup, so the literal is judged here, before a socket exists.
    const literal = literalAddress(url);
    if (literal !== undefined && !classifyAddress(literal, { allowLoopback: this.opts.allowLoopback }).allowed) {
      return Promise.resolve({ ok: false, statusCode: null, latencyMs: elapsed(), errorClass: 'blocked_address' });
    }
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const done = (r: SendResult) => {
        if (!settled) {
          settled = true;
          resolve(r);
        }
      };
      const request = client.request(
        url,
        {
          method: 'POST',
          headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
          timeout: req.timeoutMs,
          // A fresh connection per attempt: a pooled socket could outlive the address check.
          agent: false,
          lookup: this.lookup,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if (size < EXCERPT_BYTES) chunks.push(c.subarray(0, EXCERPT_BYTES - size));
            size += c.length;
            if (size >= EXCERPT_BYTES) res.destroy();
          });
          const finish = () => {
            const status = res.statusCode ?? 0;
            const excerpt = sanitiseExcerpt(Buffer.concat(chunks).toString('utf8'));
            const extra = excerpt ? { excerpt } : {};
            if (status >= 200 && status < 300) done({ ok: true, statusCode: status, latencyMs: elapsed(), ...extra });
            else done({ ok: false, statusCode: status, latencyMs: elapsed(), errorClass: status >= 300 && status < 400 ? 'redirect' : 'http_status', ...extra });
          };
          res.on('end', finish);
          res.on('close', finish);
          res.on('error', finish);
        },
      );
      request.on('timeout', () => {
        request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
      });
      request.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, statusCode: null, latencyMs: elapsed(), errorClass: classify(err) }));
      request.end(req.body);
    });
  }
}
