// Issue 25, finding 1 (complaints lost on ordinary words): user text equal to a JavaScript property name
// ("constructor", "__proto__", "toString"…) never reads Object.prototype. The sentiment lexicon, the model's
// vocabulary and every data-keyed table are own-property lookups; a model answer is validated as finite numbers; a
// failing triage never blocks intake. A fast-check property drives every free-text field of every intake path (API,
// each helpdesk provider, email) with those words and random Unicode: no 5xx, and every email ends as a case, an
// attachment to one, or a recorded rejection.
// Raw requests by design: it sends random text the contract may refuse (a 400 is an accepted answer), signed helpdesk
// deliveries byte for byte and raw email to the local-only /local/inbound-email, and reads back with the same helper.
import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { sign } from '#domain/helpdesk';
import { runTriage, triageAtIntake, type TriageFailure } from '#domain/triage';
import { retentionPeriod, RETENTION_PERIODS } from '#domain/retention';
import { profileOf } from '#domain/letters';
import { own } from '#domain/own';
import { assertKnownRegion, CalendarConfigError } from '#domain/calendar';
import { sentimentOf } from '#adapters/local/triage/text-model';
import { localTriageModel } from '#adapters/local/triage/local-triage-model';
import { HELPDESK_PROVIDERS, type HelpdeskProvider } from '#schemas/channels';
import { ModelOutput, TriageSettings, type ModelOutput as ModelOutputT } from '#schemas/triage';
import type { TriageModel } from '#ports/triage-model';
import { complaintBody, localClock, startTestApi, type ApiResponse, type TestApi } from '../support/api';
import { binaryString } from '../support/fast-strings';

// Each property run makes six requests against DynamoDB Local; on a loaded 2-core machine that passes jest's default.
jest.setTimeout(180_000);

/** Every property name of Object.prototype and Function.prototype: the words that broke intake. */
const PROTOTYPE_WORDS = [...new Set([...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Function.prototype)])];
const SENTENCE = `The building ${PROTOTYPE_WORDS.join(' and the ')} damaged my wall.`;

describe('own-property lookups of user text (no I/O)', () => {
  it('lists the words the issue names', () => {
    expect(PROTOTYPE_WORDS).toEqual(expect.arrayContaining(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'apply', 'bind', 'call', 'caller', 'arguments']));
  });

  it.each(PROTOTYPE_WORDS)('sentiment of a complaint saying "%s" is a finite score (the AFINN lexicon is read as a Map)', (word) => {
    const s = sentimentOf(`The ${word} broke my window and I am very angry`);
    expect(Number.isFinite(s.score)).toBe(true);
    expect(Number.isFinite(s.confidence)).toBe(true);
    // "angry" (−3) is the only scored word: the property name adds nothing.
    expect(s).toEqual(sentimentOf('The thing broke my window and I am very angry'));
  });

  it('the local model answers a complaint made of every prototype word with schema-valid, finite output', () => {
    const out = localTriageModel().predict({ summary: SENTENCE, description: SENTENCE, channel: 'web', product: 'constructor' });
    expect(ModelOutput.safeParse(out).success).toBe(true);
  });

  it.each(PROTOTYPE_WORDS)('configured tables keyed by data answer "%s" with nothing inherited', (word) => {
    expect(own({ a: 1 }, word)).toBeUndefined();
    // An unknown regime gets the organisation's default period and letter profile, not Object.prototype's member.
    expect(retentionPeriod(word, {}).years).toBe(RETENTION_PERIODS.INTERNAL_STANDARD!.years);
    expect(profileOf(word)).toEqual(profileOf('NO_SUCH_REGIME'));
    expect(profileOf(word).family).toBe('default');
    // A configured holiday region named like a prototype member is unknown (configuration error), not "found".
    expect(() => assertKnownRegion(word)).toThrow(CalendarConfigError);
    expect(() => assertKnownRegion(`GB-${word}`)).toThrow(CalendarConfigError);
  });
});

describe('a triage failure never blocks intake', () => {
  const settings = TriageSettings.parse({ timeoutMs: 200 });
  const body = complaintBody() as Parameters<typeof triageAtIntake>[1];
  const modelAnswering = (answer: unknown, modelId = 'broken'): TriageModel => ({ modelId, modelVersion: '1', suggest: () => Promise.resolve(answer as ModelOutputT) });
  const good = localTriageModel().predict({ summary: 'Late delivery', description: 'Third missed slot', channel: 'web', product: 'home-delivery' });

  it('a model answering NaN or Infinity is a failed model: the next one answers', async () => {
    const nan = modelAnswering({ ...good, sentiment: { score: Number.NaN, confidence: 0.5 } }, 'nan-model');
    const inf = modelAnswering({ ...good, category: { ...good.category, confidence: Number.POSITIVE_INFINITY } }, 'inf-model');
    const run = await runTriage({ models: [nan, inf, localTriageModel()], settings }, body);
    expect(run.modelId).toBe('local-nb');
    expect(run.fallbacks.map((f) => f.modelId)).toEqual(['nan-model', 'inf-model']);
    expect(run.fallbacks[0]!.reason).toMatch(/^Error: invalid output: sentiment\.score: /);
  });

  it('when every model fails, the case opens without suggestions and each failure is reported (logged and counted by the container)', async () => {
    const failures: TriageFailure[] = [];
    const out = await triageAtIntake({ models: [modelAnswering({ ...good, sentiment: { score: Number.NaN, confidence: 1 } })], settings, onFailure: (f) => failures.push(f) }, body, '2026-12-01T09:00:00.000Z');
    expect(out.body).toEqual(body);
    expect(out.triage).toMatchObject({ status: 'unavailable', unavailableReason: expect.stringContaining('invalid output') });
    expect(failures.map((f) => f.kind)).toEqual(['fallback', 'unavailable']);
  });

  it('a reporter that throws does not fail the intake either', async () => {
    const out = await triageAtIntake({ models: [], settings, onFailure: () => { throw new Error('metrics down'); } }, body, '2026-12-01T09:00:00.000Z');
    expect(out.triage.status).toBe('unavailable');
  });
});

describe('every intake path with prototype words and random Unicode (local stack)', () => {
  let api: TestApi;
  let secrets: Record<string, string>;
  let admin: string;
  let n = 0;

  beforeAll(async () => {
    api = await startTestApi({ HELPDESK_DEFAULT_REGIME: 'UK_FCA_DISP' });
    secrets = JSON.parse(readFileSync(api.stack.helpdeskSecretsFile, 'utf8')) as Record<string, string>;
    admin = await api.token('sec-admin', ['admin', 'supervisor']);
  });
  afterAll(() => api.close());

  const intake = () => api.token('sec-intake', ['intake']);

  const deliver = (provider: HelpdeskProvider, payload: unknown): Promise<ApiResponse> => {
    const body = JSON.stringify(payload);
    const nowMs = localClock.nowMs();
    const timestamp = provider === 'zendesk' ? new Date(nowMs).toISOString() : String(Math.floor(nowMs / 1000));
    const [sigHeader, tsHeader] = provider === 'zendesk' ? ['x-zendesk-webhook-signature', 'x-zendesk-webhook-signature-timestamp'] : ['x-complaints-signature', 'x-complaints-timestamp'];
    return api.raw('POST', `/v1/intake/helpdesk/${provider}`, { rawBody: body, headers: { 'content-type': 'application/json', [sigHeader]: sign(provider, secrets[provider]!, timestamp, body), [tsHeader]: timestamp } });
  };

  /** Each provider's payload with text `t(i)` in every free-text field (i tells the fields apart). */
  const HELPDESK: Record<HelpdeskProvider, (id: string, t: (i: number) => string) => unknown> = {
    zendesk: (id, t) => ({
      ticket: {
        id,
        subject: t(0),
        description: t(1),
        tags: [t(2).slice(0, 100)],
        requester: { id: `r-${id}`, name: t(3).slice(0, 200), email: `z.${id}@example.com` },
        comments: [{ id: 1, author: { name: t(4).slice(0, 200), role: 'end-user' }, body: t(5) }],
        attachments: [{ fileName: t(6).slice(0, 255), contentType: 'image/jpeg', url: 'https://example.zendesk.com/a.jpg' }],
      },
      complaint: { product: t(7).slice(0, 120) },
    }),
    jira: (id, t) => ({
      issue: {
        key: `SEC-${id}`,
        fields: {
          summary: t(0),
          description: t(1),
          labels: [t(2).slice(0, 100)],
          reporter: { accountId: t(3).slice(0, 100), displayName: t(4).slice(0, 200) },
          comment: { comments: [{ author: { displayName: t(5).slice(0, 200) }, body: t(6) }] },
        },
      },
      complaint: { product: t(7).slice(0, 120) },
    }),
    servicenow: (id, t) => ({
      sys_id: id.padStart(32, '0').slice(-32).replace(/[^0-9a-f]/g, 'a'),
      number: `INC${id}`,
      short_description: t(0),
      description: t(1),
      caller: { sys_id: t(2).slice(0, 100), name: t(3).slice(0, 200) },
      work_notes: [{ author: t(4).slice(0, 200), value: t(5) }],
      complaint: { product: t(7).slice(0, 120) },
    }),
    generic: (id, t) => ({
      system: 'sec-desk',
      ticketId: id,
      subject: t(0),
      description: t(1),
      customer: { id: t(2).slice(0, 100), name: t(3).slice(0, 200) },
      history: [{ author: t(4).slice(0, 200), fromCustomer: true, body: t(5) }],
      complaint: { product: t(7).slice(0, 120) },
    }),
  };

  /** RFC 2047 encoded-word: any Unicode (and any line break) survives a header. */
  const encoded = (s: string) => `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
  const email = (o: { fromName: string; address: string; subject: string; text: string }) =>
    Buffer.from(
      [
        `From: ${encoded(o.fromName)} <${o.address}>`,
        'To: complaints@example.org',
        `Subject: ${encoded(o.subject)}`,
        `Message-ID: <sec-${++n}-${localClock.nowMs()}@mail.example.com>`,
        'Date: Tue, 01 Dec 2026 09:00:00 +0000',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        o.text,
        '',
      ].join('\r\n'),
    );

  const expectNo5xx = (what: string, res: ApiResponse) => expect({ what, status: res.status, body: res.status >= 500 ? res.text.slice(0, 300) : '' }).toEqual({ what, status: expect.any(Number), body: '' });

  /** An email ends as a case (new or the sender's, which is then readable), or as a rejection listed for its day. */
  const expectEmailAccounted = async (res: ApiResponse) => {
    expectNo5xx('email', res);
    if (res.status === 201 || res.status === 200) {
      expect(['created', 'attached', 'existing']).toContain(res.body.outcome);
      expect((await api.raw('GET', `/v1/complaints/${res.body.caseId as string}`, { token: admin })).status).toBe(200);
      return;
    }
    expect(res.status).toBe(422);
    const r = res.body.rejection as { id: string; receivedAt: string };
    const listed = await api.raw('GET', `/v1/intake/rejections?day=${r.receivedAt.slice(0, 10)}`, { token: admin });
    expect((listed.body.items as { id: string }[]).map((x) => x.id)).toContain(r.id);
  };

  /** One submission through every intake path, with `t(i)` in every free-text field. */
  const everyPath = async (t: (i: number) => string): Promise<ApiResponse[]> => {
    const id = `${++n}${localClock.nowMs() % 100_000}`;
    const created = await api.raw('POST', '/v1/complaints', {
      token: await intake(),
      body: complaintBody({
        customer: { id: t(2).slice(0, 128), name: t(3).slice(0, 200), email: `api.${id}@example.com` },
        summary: t(0),
        description: t(1),
        product: t(7).slice(0, 120),
        externalRef: { system: 'crm', id: `${t(4).slice(0, 100)}-${id}` },
      }),
    });
    expectNo5xx('POST /v1/complaints', created);
    if (created.status !== 201) expect(created.status).toBe(400);
    const tickets: ApiResponse[] = [];
    for (const provider of HELPDESK_PROVIDERS) {
      const res = await deliver(provider, HELPDESK[provider](id, t));
      expectNo5xx(`helpdesk ${provider}`, res);
      if (res.status !== 201) expect(res.status).toBe(400);
      tickets.push(res);
    }
    const mailed = await api.raw('POST', '/local/inbound-email', { rawBody: email({ fromName: t(3), address: `mail.${id}@example.com`, subject: t(0), text: t(1) }), headers: { 'content-type': 'message/rfc822' } });
    await expectEmailAccounted(mailed);
    return [created, ...tickets, mailed];
  };

  it('a complaint made of every prototype word opens on every path (201), triaged, with a valid audit chain', async () => {
    const [created, ...rest] = await everyPath((i) => (i === 0 ? 'The building constructor damaged my wall; __proto__ toString valueOf' : SENTENCE));
    expect(created!.status).toBe(201);
    expect(created!.body.triage).toMatchObject({ status: 'suggested', sentiment: { score: expect.any(Number) } });
    for (const res of rest) expect(res.status).toBe(201);
    const timeline = await api.raw('GET', `/v1/complaints/${created!.body.id as string}/timeline`, { token: admin });
    expect(timeline.body.chain.valid).toBe(true);
  });

  it.each(PROTOTYPE_WORDS)('"%s" alone as the text of every field: no 5xx on any path', async (word) => {
    const res = await everyPath(() => word);
    // A word shorter than a field's minimum is a 400 naming it; every other submission opens its case.
    for (const r of res) expect([200, 201, 400, 422]).toContain(r.status);
  });

  it('property: any mix of prototype words and random Unicode in every free-text field never answers 5xx, and every email is accounted for', async () => {
    const word = fc.oneof(fc.constantFrom(...PROTOTYPE_WORDS), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), binaryString({ minLength: 1, maxLength: 6 }));
    const text = fc.array(word, { minLength: 1, maxLength: 8 }).map((ws) => ws.join(' '));
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 8, maxLength: 8 }), async (texts) => {
        await everyPath((i) => texts[i]!);
      }),
      // Small on purpose: each run is six requests (about 30 s in all); the word-by-word cases above cover every name.
      { numRuns: 20 },
    );
  });
});
