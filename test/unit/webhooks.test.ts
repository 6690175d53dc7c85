// Webhook rules without I/O: the signature receivers verify, the backoff schedule with jitter, the URL rules
// (https only when deployed), the SSRF address list, excerpts, and how an attempt moves a delivery.
import { afterAttempt, backoffDelayMs, checkWebhookUrl, isBlockedAddress, sanitiseExcerpt, signature, verifySignature } from '#domain/webhooks';
import { InvalidInputError } from '#domain/errors';
import type { Delivery } from '#schemas/webhooks';
import { createHmac } from 'node:crypto';

const NOW = '2026-03-02T09:00:00.000Z';
const T = Date.parse(NOW);

describe('signature', () => {
  const body = '{"id":"X:1","type":"ComplaintClosed"}';
  const ts = Math.floor(T / 1000);

  it('is sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>', () => {
    expect(signature('whsec_k', ts, body)).toBe(`sha256=${createHmac('sha256', 'whsec_k').update(`${ts}.${body}`).digest('hex')}`);
  });

  it('verifies only the same secret, timestamp and body, within five minutes', () => {
    const headers = { timestamp: String(ts), signature: signature('whsec_k', ts, body) };
    expect(verifySignature('whsec_k', headers, body, T)).toBe(true);
    expect(verifySignature('whsec_other', headers, body, T)).toBe(false);
    expect(verifySignature('whsec_k', headers, `${body} `, T)).toBe(false);
    expect(verifySignature('whsec_k', { ...headers, timestamp: String(ts + 1) }, body, T)).toBe(false);
    expect(verifySignature('whsec_k', headers, body, T + 5 * 60_000 + 1_000)).toBe(false);
    expect(verifySignature('whsec_k', { timestamp: undefined, signature: headers.signature }, body, T)).toBe(false);
    expect(verifySignature('whsec_k', { ...headers, signature: 'sha256=00' }, body, T)).toBe(false);
  });
});

describe('backoff', () => {
  const opts = { baseMs: 30_000, capMs: 3_600_000 };

  it('doubles per failed attempt, capped, with equal jitter (half to all of the step)', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, opts, 0.999999))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
    expect([1, 2, 3].map((n) => backoffDelayMs(n, opts, 0))).toEqual([15_000, 30_000, 60_000]);
    expect(backoffDelayMs(20, opts, 1)).toBe(3_600_000);
    expect(backoffDelayMs(20, opts, 0)).toBe(1_800_000);
  });

  it('spreads retries of many receivers failing together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(3, opts)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(60_000);
  });
});

describe('webhook URL rules', () => {
  const deployed = { allowLoopback: false };
  const local = { allowLoopback: true };
  const refused = (url: string, rules: { allowLoopback: boolean }) => {
    try {
      checkWebhookUrl(url, rules);
      return undefined;
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidInputError);
      return (err as InvalidInputError).errors[0]!.field;
    }
  };

  it('deployed (AWS config): https only, no loopback, no literal private or metadata address, no credentials', () => {
    expect(checkWebhookUrl('https://hooks.example.com/complaints', deployed).host).toBe('hooks.example.com');
    for (const url of ['http://hooks.example.com/x', 'http://127.0.0.1:8080/x', 'https://localhost/x', 'https://169.254.169.254/latest', 'https://10.1.2.3/x', 'https://[::1]/x', 'https://[fd00:ec2::254]/x', 'https://u:p@hooks.example.com/x']) {
      expect({ url, field: refused(url, deployed) }).toEqual({ url, field: 'body.url' });
    }
  });

  it('local mode: loopback over http too, still https for anything else', () => {
    expect(checkWebhookUrl('http://127.0.0.1:4000/hook', local).port).toBe('4000');
    expect(checkWebhookUrl('http://localhost:4000/hook', local).hostname).toBe('localhost');
    expect(refused('http://hooks.example.com/x', local)).toBe('body.url');
  });

  it('blocks private, loopback, link-local, CGNAT, multicast and mapped addresses; allows public ones', () => {
    for (const ip of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fc00::1', 'fd00:ec2::254', '::ffff:10.0.0.1', 'not-an-ip']) {
      expect({ ip, blocked: isBlockedAddress(ip) }).toEqual({ ip, blocked: true });
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect({ ip, blocked: isBlockedAddress(ip) }).toEqual({ ip, blocked: false });
  });
});

describe('attempts', () => {
  const pending: Delivery = {
    id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
    webhookId: '01JABCDEFGHJKMNPQRSTVWXYZ1',
    eventId: 'C:1',
    eventType: 'ComplaintClosed',
    caseId: 'C',
    status: 'pending',
    attempts: [],
    maxAttempts: 3,
    nextAttemptAt: NOW,
    createdAt: NOW,
  };
  const backoff = { baseMs: 30_000, capMs: 3_600_000 };
  const fail = { ok: false as const, statusCode: 500, latencyMs: 12.4, errorClass: 'http_status' as const, excerpt: 'boom' };

  it('a failure reschedules with backoff; a success delivers; the last failure is the dead-letter record', () => {
    const one = afterAttempt(pending, fail, NOW, backoff, 0.999999);
    expect(one).toMatchObject({ status: 'pending', nextAttemptAt: '2026-03-02T09:00:30.000Z', attempts: [{ attempt: 1, statusCode: 500, latencyMs: 12, ok: false, errorClass: 'http_status', excerpt: 'boom' }] });
    const two = afterAttempt(one, { ok: false, statusCode: null, latencyMs: 5000, errorClass: 'timeout' }, '2026-03-02T09:00:30.000Z', backoff, 0.999999);
    expect(two).toMatchObject({ status: 'pending', nextAttemptAt: '2026-03-02T09:01:30.000Z' });
    expect(afterAttempt(two, { ok: true, statusCode: 204, latencyMs: 3 }, '2026-03-02T09:01:30.000Z', backoff)).toMatchObject({ status: 'delivered', nextAttemptAt: null, deliveredAt: '2026-03-02T09:01:30.000Z' });
    const dead = afterAttempt(two, fail, '2026-03-02T09:01:30.000Z', backoff);
    expect(dead).toMatchObject({ status: 'dead_lettered', nextAttemptAt: null, deadLetteredAt: '2026-03-02T09:01:30.000Z' });
    expect(dead.attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
  });

  it('keeps at most 200 printable characters of a receiver body', () => {
    expect(sanitiseExcerpt(`err\u0000\u001b[31m\n${'y'.repeat(500)}`)).toBe(`err [31m ${'y'.repeat(500)}`.slice(0, 200));
    expect(sanitiseExcerpt(' \n ')).toBeUndefined();
  });
});
