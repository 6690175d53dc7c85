// WebhookSender over node:http/https: one POST with a timeout, no redirects followed, at most 1 KiB of the response
// read (a sanitised excerpt is kept). When deployed, every address the host resolves to is checked before connecting
// and the connection goes to the checked address (no DNS rebinding between check and connect): the SSRF guard.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isBlockedAddress, sanitiseExcerpt, type SendResult } from '#domain/webhooks';
import type { DeliveryErrorClass } from '#schemas/webhooks';
import type { WebhookRequest, WebhookSender } from '#ports/webhook-sender';

const EXCERPT_BYTES = 1024;

class BlockedAddressError extends Error {
  readonly code = 'EBLOCKED';
}

/** A lookup that resolves every address and refuses the host if any of them is private, loopback, link-local or metadata. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const blocked = addresses.find((a) => isBlockedAddress(a.address));
    if (blocked || !addresses.length) return callback(new BlockedAddressError(`${hostname} resolves to a blocked address${blocked ? ` (${blocked.address})` : ''}`), '', 0);
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
  /** `guardAddresses`: true when deployed (SSRF guard); local mode delivers to a receiver on 127.0.0.1. */
  constructor(private readonly opts: { guardAddresses: boolean }) {}

  send(req: WebhookRequest): Promise<SendResult> {
    const started = process.hrtime.bigint();
    const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
    const url = new URL(req.url);
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
          ...(this.opts.guardAddresses ? { lookup: guardedLookup } : {}),
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
