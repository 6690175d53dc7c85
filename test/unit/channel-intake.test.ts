// Channel intake, pure parts: each provider's signature scheme (constant-time check, replay window, rotation),
// each provider's mapping onto a complaint (and the fields named when it does not map), and the MIME checks.
import { createHmac } from 'node:crypto';
import { checkStructure, NodemailerMailParser } from '#adapters/mail/mailparser';
import { mapTicket, parseSignatureTimestamp, REPLAY_WINDOW_MS, sign, verifySignature } from '#domain/helpdesk';
import { MalformedMessageError } from '#ports/mail-parser';
import type { HelpdeskProvider } from '#schemas/channels';

const NOW = '2026-12-01T10:00:00.000Z';
const SECRET = 'dGhpcy1pcy1hLXRlc3Qtc2VjcmV0';
const BODY = Buffer.from('{"ticket":{"id":42}}');

describe('helpdesk signatures', () => {
  it('Zendesk: base64 HMAC-SHA256 of timestamp + body, as Zendesk documents it', () => {
    const ts = '2026-12-01T09:59:30Z';
    const expected = createHmac('sha256', SECRET).update(ts + BODY.toString()).digest('base64');
    expect(sign('zendesk', SECRET, ts, BODY)).toBe(expected);
    const headers = { 'x-zendesk-webhook-signature': expected, 'x-zendesk-webhook-signature-timestamp': ts };
    expect(verifySignature('zendesk', [SECRET], headers, BODY, NOW)).toEqual({ ok: true });
  });

  it.each(['jira', 'servicenow', 'generic'] as const)('%s: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>"> with Unix seconds', (provider) => {
    const ts = String(Date.parse(NOW) / 1000 - 10);
    const expected = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${BODY.toString()}`).digest('hex')}`;
    expect(sign(provider, SECRET, ts, BODY)).toBe(expected);
    expect(verifySignature(provider, [SECRET], { 'x-complaints-signature': expected, 'x-complaints-timestamp': ts }, BODY, NOW)).toEqual({ ok: true });
  });

  const headersFor = (provider: HelpdeskProvider, ts: string, sig: string): Record<string, string> =>
    provider === 'zendesk' ? { 'x-zendesk-webhook-signature': sig, 'x-zendesk-webhook-signature-timestamp': ts } : { 'x-complaints-signature': sig, 'x-complaints-timestamp': ts };

  it.each(['zendesk', 'jira'] as const)('%s: refuses missing headers, a wrong secret, a changed body, a stale or future timestamp', (provider) => {
    const ts = new Date(Date.parse(NOW) - 1000).toISOString();
    const good = sign(provider, SECRET, ts, BODY);
    const check = (h: Record<string, string>, body = BODY, secrets = [SECRET]) => verifySignature(provider, secrets, h, body, NOW);
    expect(check({})).toEqual({ ok: false, reason: 'missing_signature' });
    const onlySig = Object.fromEntries(Object.entries(headersFor(provider, ts, good)).filter(([k]) => k.endsWith('signature')));
    expect(check(onlySig)).toEqual({ ok: false, reason: 'missing_timestamp' });
    expect(check(headersFor(provider, 'soon', good))).toEqual({ ok: false, reason: 'bad_timestamp' });
    expect(check(headersFor(provider, ts, good), Buffer.from('{"ticket":{"id":43}}'))).toEqual({ ok: false, reason: 'mismatch' });
    expect(check(headersFor(provider, ts, sign(provider, 'another-secret-entirely', ts, BODY)))).toEqual({ ok: false, reason: 'mismatch' });
    expect(check(headersFor(provider, ts, `${good}x`))).toEqual({ ok: false, reason: 'mismatch' });
    for (const offset of [-(REPLAY_WINDOW_MS + 1000), REPLAY_WINDOW_MS + 1000]) {
      const at = new Date(Date.parse(NOW) + offset).toISOString();
      expect(check(headersFor(provider, at, sign(provider, SECRET, at, BODY)))).toEqual({ ok: false, reason: 'stale' });
    }
    expect(check(headersFor(provider, ts, good), BODY, [])).toEqual({ ok: false, reason: 'no_secret' });
  });

  it('accepts the old secret during a rotation ([new, old]) and nothing else', () => {
    const ts = String(Date.parse(NOW) / 1000);
    const h = { 'x-complaints-signature': sign('generic', 'old-secret-0000000000', ts, BODY), 'x-complaints-timestamp': ts };
    expect(verifySignature('generic', ['new-secret-0000000000', 'old-secret-0000000000'], h, BODY, NOW)).toEqual({ ok: true });
    expect(verifySignature('generic', ['new-secret-0000000000'], h, BODY, NOW)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('reads Unix seconds, Unix milliseconds and ISO-8601 instants, and nothing else', () => {
    expect(parseSignatureTimestamp('1764583200')).toBe(1764583200000);
    expect(parseSignatureTimestamp('1764583200123')).toBe(1764583200123);
    expect(parseSignatureTimestamp('2026-12-01T10:00:00Z')).toBe(Date.parse(NOW));
    for (const bad of ['', 'now', '12', '2026-13-45T99:00:00Z', '1e9']) expect(parseSignatureTimestamp(bad)).toBeUndefined();
  });
});

describe('helpdesk mappings', () => {
  const d = { regime: 'UK_FCA_DISP', now: NOW };

  it('Zendesk: category from a complaint_ tag, history oldest first (internal notes marked), inline files decoded', () => {
    const r = mapTicket(
      'zendesk',
      {
        ticket: {
          id: 77,
          subject: 'Billing error',
          description: 'Charged twice',
          created_at: '2026-11-30T10:00:00Z',
          tags: ['vip', 'complaint_billing'],
          requester: { id: 5, name: 'Ada', email: 'ada@example.com', phone: 'not a phone' },
          comments: [{ id: 9, author: { name: 'Bob', role: 'agent' }, body: 'Refund pending', public: false }],
          attachments: [{ fileName: 'a.pdf', contentType: 'Application/PDF', contentBase64: Buffer.from('pdf').toString('base64') }],
        },
      },
      d,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.ticket.externalRef).toEqual({ system: 'zendesk', id: '77' });
    expect(r.ticket.complaint).toMatchObject({ channel: 'helpdesk', category: 'billing', product: 'unspecified', regime: 'UK_FCA_DISP', receivedAt: '2026-11-30T10:00:00.000Z', customer: { id: 'zendesk-5', name: 'Ada', email: 'ada@example.com' } });
    expect(r.ticket.complaint.customer).not.toHaveProperty('phone');
    expect(r.ticket.history).toEqual([{ kind: 'call_note', body: '[zendesk comment 9 (internal)] Bob: Refund pending' }]);
    expect(r.ticket.attachments[0]).toMatchObject({ fileName: 'a.pdf', contentType: 'application/pdf', content: Buffer.from('pdf') });
  });

  it('a receipt time in the future (a skewed helpdesk clock) is dropped: the escalation time is the receipt', () => {
    const r = mapTicket('generic', { system: 'desk', ticketId: 't1', subject: 's', description: 'd', openedAt: '2027-01-01T00:00:00Z', customer: { id: 'c', name: 'n' } }, d);
    expect(r.ok && r.ticket.complaint.receivedAt).toBeUndefined();
  });

  it('Jira, ServiceNow and generic map to their external systems and customer ids', () => {
    const jira = mapTicket('jira', { issue: { key: 'HELP-1', fields: { summary: 's', description: 'd', reporter: { accountId: 'a1', displayName: 'Al' } } }, complaint: { category: 'policy' } }, d);
    const snow = mapTicket('servicenow', { sys_id: 'a'.repeat(32), number: 'INC1', short_description: 's', description: 'd', caller: { sys_id: 'u1', name: 'Kay' } }, d);
    const gen = mapTicket('generic', { system: 'acme', ticketId: 9, subject: 's', description: 'd', customer: { id: 'c9', name: 'Mo' } }, d);
    expect(jira.ok && [jira.ticket.externalRef, jira.ticket.complaint.customer.id, jira.ticket.complaint.category]).toEqual([{ system: 'jira', id: 'HELP-1' }, 'jira-a1', 'policy']);
    expect(snow.ok && [snow.ticket.externalRef.system, snow.ticket.complaint.summary]).toEqual(['servicenow', 'INC1: s']);
    expect(gen.ok && [gen.ticket.externalRef, gen.ticket.complaint.customer.id]).toEqual([{ system: 'generic.acme', id: '9' }, 'acme-c9']);
  });

  it('names every field that does not map (missing, wrong type, unknown)', () => {
    const r = mapTicket('servicenow', { sys_id: 'nope', number: 'INC2', short_description: '', caller: { name: 'x' }, surprise: 1 }, d);
    expect(r.ok).toBe(false);
    const fields = r.ok ? [] : r.errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.sys_id', 'body.short_description', 'body.description', 'body.caller.sys_id', 'body.surprise']));
  });
});

describe('MIME parsing', () => {
  const parser = new NodemailerMailParser();
  const CRLF = '\r\n';

  it('reads sender, subject, text and attachments (names made safe)', async () => {
    const raw = Buffer.from(
      [
        'From: "Ada L." <ADA@Example.com>',
        'Subject: =?UTF-8?B?UmU6IENNUC0yMDI2LTAwMDAwMSDigJMgbW9yZQ==?=',
        'Message-ID: <m1@example.com>',
        'Content-Type: multipart/mixed; boundary="x"',
        '',
        '--x',
        'Content-Type: text/plain',
        '',
        'Body text',
        '--x',
        'Content-Type: application/pdf',
        'Content-Disposition: attachment; filename="../../etc/passwd.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('%PDF').toString('base64'),
        '--x--',
        '',
      ].join(CRLF),
    );
    const mail = await parser.parse(raw);
    expect(mail).toMatchObject({ messageId: '<m1@example.com>', from: { address: 'ada@example.com', name: 'Ada L.' }, subject: 'Re: CMP-2026-000001 – more', text: 'Body text' });
    expect(mail.attachments).toEqual([{ fileName: '.._.._etc_passwd.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF') }]);
  });

  it.each([
    ['empty', ''],
    ['no header block', 'just some words'],
    ['a body line in the headers', 'From: a@example.com\r\nthis is not a header\r\n\r\nbody'],
    ['no From header', 'Subject: hi\r\n\r\nbody'],
    ['multipart without boundary', 'From: a@example.com\r\nContent-Type: multipart/mixed\r\n\r\nbody'],
    ['boundary never used', 'From: a@example.com\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\nbody'],
  ])('refuses a malformed message: %s', (_name, raw) => {
    expect(() => checkStructure(Buffer.from(raw))).toThrow(MalformedMessageError);
  });

  it('a From header without an address parses, and says there is no sender', async () => {
    const mail = await parser.parse(Buffer.from('From: undisclosed-recipients:;\r\nSubject: x\r\n\r\nbody'));
    expect(mail.from).toBeUndefined();
  });
});
