// Issue 25, finding 5 (spoofed inbound email): the reproduction (From: the victim, Subject: Re: <their reference>,
// spf=fail, dmarc=fail, X-SES-Virus-Verdict: FAIL) and its variants through POST /local/inbound-email, where the same
// verdict headers drive the same logic as in AWS. A virus is a recorded rejection; unauthenticated mail never reaches
// the victim's case, their customer record or their evidence: it opens a complaint of its own marked unverifiedSender.
// The rules themselves (RFC 8601 parsing, topmost trusted header only, alignment, configuration) are tested pure.
import { uniqueDigits } from '../support/ids';
import { ChannelIntakeService, type ChannelIntakeDeps } from '#domain/channel-intake';
import { aligned, assessSender, parseAuthenticationResults, type MailAuthSettings } from '#domain/mail-auth';
import { verdictHeadersOf } from '#adapters/mail/mailparser';
import { REDACTED, redactCase } from '#domain/retention';
import { openedCase } from '../unit/fixtures';
import { ConfigError, loadConfig } from '#http/config';
import type { InboundRejection } from '#schemas/channels';
import { expectProblem, localClock, settle, startTestApi, type TestApi } from '../support/api';

const CRLF = '\r\n';
const SES = 'amazonses.com';
let seq = 0;

/** SES's own headers as it prepends them (topmost), for an SPF/DKIM/DMARC outcome and virus/spam verdicts. */
const ses = (o: { spf: string; dkim: string; dmarc: string; domain: string; virus?: string; spam?: string }) => [
  `X-SES-Spam-Verdict: ${o.spam ?? 'PASS'}`,
  `X-SES-Virus-Verdict: ${o.virus ?? 'PASS'}`,
  `Authentication-Results: ${SES}; spf=${o.spf} (spfCheck: domain of ${o.domain} does not designate 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=bounce@${o.domain}; helo=mx.${o.domain};${CRLF} dkim=${o.dkim} header.i=@${o.domain}; dmarc=${o.dmarc} header.from=${o.domain};`,
];

const message = (o: { top?: string[]; from: string; subject: string; text: string; inner?: string[] }) =>
  Buffer.from(
    [
      ...(o.top ?? []),
      ...(o.inner ?? []),
      `From: ${o.from}`,
      'To: complaints@example.org',
      `Subject: ${o.subject}`,
      `Message-ID: <spoof-test-${++seq}-${localClock.nowMs()}@mail.test>`,
      'Date: Tue, 01 Dec 2026 09:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      o.text,
      '',
    ].join(CRLF),
  );

describe('spoofed inbound email against the local stack', () => {
  let api: TestApi;
  let sup: string;
  let compliance: string;
  const victim = `victim.${uniqueDigits()}@bank-customer.test`;
  const domain = 'bank-customer.test';
  let victimCase: { id: string; reference: string; customerId: string };

  beforeAll(async () => {
    api = await startTestApi();
    sup = await api.token('sam', ['supervisor']);
    compliance = await api.token('cora', ['compliance']);
    const res = await send(message({ top: ses({ spf: 'pass', dkim: 'pass', dmarc: 'pass', domain }), from: `Victor Tim <${victim}>`, subject: 'My mortgage payment was taken twice', text: 'Please refund the duplicate payment.' }));
    expect(res.status).toBe(201);
    const c = await getCase(res.body.caseId as string);
    expect(c.unverifiedSender).toBeUndefined();
    victimCase = { id: c.id, reference: c.reference, customerId: c.customer.id };
  });
  afterAll(() => api.close());

  // Raw: the local stand-in for SES receipt (a local-only route, outside the contract) takes the message as it arrived.
  const send = (raw: Buffer) => api.raw('POST', '/local/inbound-email', { rawBody: raw, headers: { 'content-type': 'message/rfc822' } });
  const getCase = async (id: string) => (await settle(api.client(sup).GET('/v1/complaints/{id}', { params: { path: { id } } }))).body;
  const notesOf = async (id: string) => (await settle(api.client(sup).GET('/v1/complaints/{id}/notes', { params: { path: { id } } }))).body.items as { body: string }[];
  const evidenceOf = async (id: string) => {
    await api.s3Idle();
    return (await settle(api.client(sup).GET('/v1/complaints/{id}/evidence', { params: { path: { id } } }))).body.items as { fileName: string; status: string }[];
  };
  const victimUntouched = async () => {
    expect((await notesOf(victimCase.id)).map((n) => n.body).join('\n')).not.toContain('SPOOF');
    expect((await evidenceOf(victimCase.id)).map((e) => e.fileName)).toEqual(['message.eml']);
    const mine = (await settle(api.client(compliance).GET('/v1/customers/{customerId}/complaints', { params: { path: { customerId: victimCase.customerId } } }))).body.items as { id: string }[];
    expect(mine.map((c) => c.id)).toEqual([victimCase.id]);
  };

  it('the reproduction: spf=fail, dmarc=fail and X-SES-Virus-Verdict FAIL is rejected (422) and recorded; the victim’s case is untouched', async () => {
    const res = await send(message({ top: ses({ spf: 'fail', dkim: 'none', dmarc: 'fail', domain, virus: 'FAIL' }), from: victim, subject: `Re: ${victimCase.reference}`, text: 'SPOOF with a payload attached.' }));
    expect(res.status).toBe(422);
    expect(res.body.rejection).toMatchObject({ reason: 'virus', from: victim, subject: `Re: ${victimCase.reference}` });
    const day = new Date(localClock.nowMs()).toISOString().slice(0, 10);
    const listed = (await settle(api.client(compliance).GET('/v1/intake/rejections', { params: { query: { day } } }))).body.items as InboundRejection[];
    expect(listed.map((r) => r.id)).toContain(res.body.rejection.id);
    await victimUntouched();
  });

  it('dmarc=fail naming the victim’s reference opens a complaint of its own, marked unverifiedSender, never the victim’s', async () => {
    const res = await send(message({ top: ses({ spf: 'fail', dkim: 'none', dmarc: 'fail', domain }), from: `Victor Tim <${victim}>`, subject: `Re: ${victimCase.reference}`, text: 'SPOOF: please change my payout account.' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ outcome: 'created', unverifiedSender: true });
    expect(res.body.caseId).not.toBe(victimCase.id);
    const c = await getCase(res.body.caseId as string);
    expect(c).toMatchObject({ channel: 'email', unverifiedSender: { email: victim, reasons: ['dmarc=fail'] }, externalRef: { system: 'email.unverified' } });
    // Not filed under the victim: no customer email, no customer id of theirs.
    expect(c.customer.email).toBeUndefined();
    expect(c.customer.id).not.toBe(victimCase.customerId);
    const notes = (await notesOf(c.id)).map((n) => n.body);
    expect(notes.some((b) => b.includes('UNVERIFIED SENDER') && b.includes('SPOOF'))).toBe(true);
    expect(notes.some((b) => b.includes(`The subject names ${victimCase.reference}; unverified mail is never added to an existing case.`))).toBe(true);
    // The message is kept as what arrived, named unverified, on the new case only.
    expect((await evidenceOf(c.id)).map((e) => e.fileName)).toEqual(['message-unverified-sender.eml']);
    await api.pump(); // the stream consumers (events, webhooks) take the new case like any other
    await victimUntouched();
  });

  it('a forged "pass" header written by the sender below SES’s own is ignored: SES’s topmost verdict decides', async () => {
    const forged = [`Authentication-Results: ${SES}; spf=pass smtp.mailfrom=${victim}; dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}`, 'X-SES-Virus-Verdict: PASS', 'X-SES-Spam-Verdict: PASS'];
    const res = await send(message({ top: ses({ spf: 'softfail', dkim: 'fail', dmarc: 'fail', domain }), inner: forged, from: victim, subject: `Re: ${victimCase.reference}`, text: 'SPOOF with a forged header.' }));
    expect(res.body).toMatchObject({ outcome: 'created', unverifiedSender: true });
    await victimUntouched();
  });

  it('a forged header alone (no SES header above it, or another authserv-id) proves nothing', async () => {
    for (const top of [
      [`Authentication-Results: ${SES}; spf=pass smtp.mailfrom=${victim}; dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}`].map((h) => h.replace(SES, 'mx.attacker.test')),
      ['Received: from mx.attacker.test by relay.test; Tue, 01 Dec 2026 09:00:00 +0000'],
    ]) {
      const res = await send(message({ top, from: victim, subject: `Re: ${victimCase.reference}`, text: 'SPOOF without SES.' }));
      expect(res.body).toMatchObject({ outcome: 'created', unverifiedSender: true });
    }
    await victimUntouched();
  });

  it('failing both SPF and DKIM (no DMARC record) is unverified too; a stranger’s own authenticated domain cannot claim the victim', async () => {
    const both = await send(message({ top: ses({ spf: 'fail', dkim: 'fail', dmarc: 'none', domain }), from: victim, subject: `Re: ${victimCase.reference}`, text: 'SPOOF, no DMARC.' }));
    expect(both.body).toMatchObject({ outcome: 'created', unverifiedSender: true });
    const c = await getCase(both.body.caseId as string);
    expect(c.unverifiedSender.reasons).toEqual(['neither spf nor dkim passed (spf=fail dkim=fail dmarc=none)']);
    // SPF and DKIM pass, but for the attacker's domain, not the From domain: no alignment, no proof.
    const unaligned = await send(message({ top: ses({ spf: 'pass', dkim: 'pass', dmarc: 'none', domain: 'attacker.test' }), from: victim, subject: `Re: ${victimCase.reference}`, text: 'SPOOF, unaligned.' }));
    expect(unaligned.body).toMatchObject({ outcome: 'created', unverifiedSender: true });
    await victimUntouched();
  });

  it('an authenticated attacker who tied their own address to the victim’s customer id (public route) still cannot write into the case', async () => {
    const intake = await api.token('intake-bot', [], { scope: 'complaints/intake' });
    const attacker = `mallory.${uniqueDigits()}@attacker.test`;
    const planted = await settle(
      api.client(intake).POST('/v1/complaints', {
        body: { customer: { id: victimCase.customerId, name: 'Victor Tim', email: attacker }, channel: 'web', summary: 'planted', description: 'planted', product: 'p', category: 'other', regime: 'UK_FCA_DISP' },
      }),
    );
    expect(planted.status).toBe(201);
    const res = await send(message({ top: ses({ spf: 'pass', dkim: 'pass', dmarc: 'pass', domain: 'attacker.test' }), from: attacker, subject: `Re: ${victimCase.reference}`, text: 'SPOOF from an authenticated stranger.' }));
    expect(res.body.outcome).toBe('created');
    expect(res.body.caseId).not.toBe(victimCase.id);
    expect((await notesOf(victimCase.id)).map((n) => n.body).join('\n')).not.toContain('SPOOF');
  });

  it('the genuine reply, authenticated by SES, still joins the victim’s case', async () => {
    const res = await send(message({ top: ses({ spf: 'pass', dkim: 'pass', dmarc: 'pass', domain }), from: victim, subject: `Re: ${victimCase.reference}`, text: 'Here is my bank statement.' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'attached', caseId: victimCase.id });
    expect(res.body.unverifiedSender).toBeUndefined();
  });

  it('an unverified complaint cannot be squatted through the public route (its reference system is reserved)', async () => {
    const intake = await api.token('intake-bot', [], { scope: 'complaints/intake' });
    const res = await settle(
      api.client(intake).POST('/v1/complaints', {
        body: { customer: { id: 'x', name: 'X' }, channel: 'email', summary: 's', description: 'd', product: 'p', category: 'other', regime: 'UK_FCA_DISP', externalRef: { system: 'email.unverified', id: '<a@b>' } },
      }),
    );
    expectProblem(res, 400);
  });
});

describe('sender assessment rules (pure)', () => {
  const settings: MailAuthSettings = { authservId: SES, trustUnauthenticated: false };
  const h = (name: string, value: string) => ({ name, value });
  const sesHeaders = (ar: string, virus = 'PASS', spam = 'PASS') => [h('X-SES-Spam-Verdict', spam), h('X-SES-Virus-Verdict', virus), h('Authentication-Results', ar)];

  it('parses RFC 8601: comments, quoted values, versions, properties, and SES’s separate SPF identities', () => {
    const ar = parseAuthenticationResults(
      'AmazonSES.com 1; spf=pass (spfCheck: domain of a.test designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; envelope-from=x@a.test; helo=mx.a.test; dkim/1=pass (good "sig") header.d=a.test header.s="sel;1"; dmarc=pass header.from=a.test',
    );
    expect(ar?.authservId).toBe('amazonses.com');
    expect(ar?.results.map((r) => [r.method, r.result, Object.fromEntries(r.props)])).toEqual([
      ['spf', 'pass', { 'client-ip': '192.0.2.1', 'envelope-from': 'x@a.test', helo: 'mx.a.test' }],
      ['dkim', 'pass', { 'header.d': 'a.test', 'header.s': 'sel;1' }],
      ['dmarc', 'pass', { 'header.from': 'a.test' }],
    ]);
    expect(parseAuthenticationResults('example.net; none')).toEqual({ authservId: 'example.net', results: [] });
    expect(parseAuthenticationResults('spf=pass')).toBeUndefined();
  });

  it('decides by the brief: DMARC fail, or neither SPF nor DKIM (aligned), is unverified; a virus FAIL anywhere is a rejection', () => {
    const cases: [string, ReturnType<typeof assessSender>['kind']][] = [
      ['amazonses.com; spf=pass smtp.mailfrom=a@bank.test; dkim=pass header.d=bank.test; dmarc=pass header.from=bank.test', 'verified'],
      ['amazonses.com; spf=pass smtp.mailfrom=bounce@mail.bank.test; dkim=none; dmarc=none', 'verified'],
      ['amazonses.com; spf=fail smtp.mailfrom=a@bank.test; dkim=pass header.i=@bank.test; dmarc=none', 'verified'],
      ['amazonses.com; spf=pass smtp.mailfrom=a@bank.test; dkim=pass header.d=bank.test; dmarc=fail header.from=bank.test', 'unverified'],
      ['amazonses.com; spf=fail smtp.mailfrom=a@bank.test; dkim=fail header.d=bank.test; dmarc=none', 'unverified'],
      ['amazonses.com; spf=softfail smtp.mailfrom=a@bank.test; dkim=none; dmarc=none', 'unverified'],
      ['amazonses.com; spf=pass smtp.mailfrom=a@evil.test; dkim=pass header.d=evil.test; dmarc=none', 'unverified'],
      ['amazonses.com; dmarc=pass header.from=evil.test', 'unverified'],
      ['mx.evil.test; spf=pass smtp.mailfrom=a@bank.test; dkim=pass header.d=bank.test; dmarc=pass header.from=bank.test', 'unverified'],
    ];
    for (const [ar, kind] of cases) expect({ ar, kind: assessSender(sesHeaders(ar), 'ada@bank.test', settings).kind }).toEqual({ ar, kind });
    const good = 'amazonses.com; spf=pass smtp.mailfrom=a@bank.test; dkim=pass header.d=bank.test; dmarc=pass header.from=bank.test';
    expect(assessSender(sesHeaders(good, 'FAIL'), 'ada@bank.test', settings).kind).toBe('virus');
    expect(assessSender([...sesHeaders(good), h('X-SES-Virus-Verdict', 'FAIL')], 'ada@bank.test', settings).kind).toBe('virus');
    expect(assessSender(sesHeaders(good, 'PROCESSING_FAILED'), 'ada@bank.test', settings)).toMatchObject({ kind: 'unverified', reasons: ['virus verdict PROCESSING_FAILED'] });
    expect(assessSender(sesHeaders(good, 'PASS', 'FAIL'), 'ada@bank.test', settings)).toMatchObject({ kind: 'unverified', reasons: ['spam verdict FAIL'] });
  });

  it('only the topmost Authentication-Results counts: a forged pass below, or a forged one above with another authserv-id, is not trusted', () => {
    const fail = 'amazonses.com; spf=fail smtp.mailfrom=x@evil.test; dkim=none; dmarc=fail header.from=bank.test';
    const forgedPass = 'amazonses.com; spf=pass smtp.mailfrom=a@bank.test; dkim=pass header.d=bank.test; dmarc=pass header.from=bank.test';
    expect(assessSender([...sesHeaders(fail), h('Authentication-Results', forgedPass)], 'ada@bank.test', settings).kind).toBe('unverified');
    expect(assessSender([h('Authentication-Results', forgedPass.replace(SES, 'mx.evil.test')), ...sesHeaders(forgedPass)], 'ada@bank.test', settings)).toMatchObject({
      kind: 'unverified',
      reasons: [`no Authentication-Results from ${SES} at the top of the message`],
    });
  });

  it('no verdict headers: unverified, unless local mode is configured to trust such mail (verdict headers present are still judged)', () => {
    expect(assessSender([], 'ada@bank.test', settings)).toMatchObject({ kind: 'unverified', reasons: ['no virus verdict', `no Authentication-Results from ${SES} at the top of the message`] });
    expect(assessSender([], 'ada@bank.test', { ...settings, trustUnauthenticated: true }).kind).toBe('verified');
    expect(assessSender([h('Authentication-Results', 'amazonses.com; dmarc=fail')], 'ada@bank.test', { ...settings, trustUnauthenticated: true }).kind).toBe('unverified');
  });

  it('relaxed alignment: same domain or a subdomain, never a bare top-level domain', () => {
    expect([aligned('bank.test', 'bank.test'), aligned('mail.bank.test', 'bank.test'), aligned('@bank.test', 'ada@bank.test')]).toEqual([true, true, true]);
    expect([aligned('test', 'bank.test'), aligned('evilbank.test', 'bank.test'), aligned('', 'bank.test')]).toEqual([false, false, false]);
  });

  it('the claimed address is personal data: retention redacts it with the rest', () => {
    const c = openedCase({ unverifiedSender: { email: 'ada@bank.test', reasons: ['dmarc=fail'] } });
    expect(redactCase(c).unverifiedSender).toEqual({ email: REDACTED, reasons: ['dmarc=fail'] });
  });

  it('the parser hands over the verdict headers in message order, unfolded', () => {
    const raw = Buffer.from(['X-SES-Spam-Verdict: PASS', 'Authentication-Results: amazonses.com;', '\tspf=pass', 'From: a@b.test', 'authentication-results: forged; dmarc=pass', '', 'body'].join(CRLF));
    expect(verdictHeadersOf(raw)).toEqual([
      { name: 'X-SES-Spam-Verdict', value: 'PASS' },
      { name: 'Authentication-Results', value: 'amazonses.com;\tspf=pass' },
      { name: 'authentication-results', value: 'forged; dmarc=pass' },
    ]);
  });
});

describe('configuration', () => {
  it('INBOUND_EMAIL_UNVERIFIED defaults to open_unverified; trusting unauthenticated mail is refused outside local mode', () => {
    expect(loadConfig({})).toMatchObject({ INBOUND_EMAIL_UNVERIFIED: 'open_unverified', INBOUND_EMAIL_AUTHSERV_ID: 'amazonses.com', INBOUND_EMAIL_TRUST_UNAUTHENTICATED: false });
    expect(() => loadConfig({ INBOUND_EMAIL_UNVERIFIED: 'drop' })).toThrow(ConfigError);
    expect(() => loadConfig({ INBOUND_EMAIL_TRUST_UNAUTHENTICATED: 'true' })).toThrow(/local mode only/);
    expect(loadConfig({ INTEGRATIONS: 'local', INBOUND_EMAIL_TRUST_UNAUTHENTICATED: 'true' }).INBOUND_EMAIL_TRUST_UNAUTHENTICATED).toBe(true);
  });

  it('INBOUND_EMAIL_UNVERIFIED=reject records the message as a rejection and opens nothing', async () => {
    const recorded: InboundRejection[] = [];
    const unused = new Proxy({}, { get: () => { throw new Error('reject mode must not open or store anything'); } });
    const deps = {
      complaints: unused,
      evidence: unused,
      writer: unused,
      repo: unused,
      clock: { now: () => '2026-12-01T10:00:00.000Z' },
      ids: { next: () => '01JABCDEFGHJKMNPQRSTVWXYZ0' },
      inbound: { recordRejection: async (r: InboundRejection) => void recorded.push(r) },
      policy: { allowedContentTypes: ['message/rfc822'], maxBytes: 1_000_000, uploadTtlMs: 900_000 },
      emailRegime: 'INTERNAL_STANDARD',
      mailAuth: { authservId: SES, trustUnauthenticated: false, unverified: 'reject' },
    } as unknown as ChannelIntakeDeps;
    const out = await new ChannelIntakeService(deps).receiveEmail(
      { from: { address: 'ada@bank.test' }, subject: 'Re: CMP-2026-000025', text: 'x', attachments: [], verdictHeaders: [{ name: 'Authentication-Results', value: 'amazonses.com; dmarc=fail' }] },
      { objectKey: 'inbound/2026-12-01/x', bytes: Buffer.from('raw') },
    );
    expect(out).toMatchObject({ outcome: 'rejected', rejection: { reason: 'unverified_sender', from: 'ada@bank.test', detail: expect.stringContaining('dmarc=fail') } });
    expect(recorded).toHaveLength(1);
  });
});
