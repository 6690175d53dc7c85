// Subscriber webhooks against the local stack and a real receiver on an ephemeral 127.0.0.1 port: signed deliveries,
// helpdesk sync-back (externalRef), retries after 500s as the clock moves, the dead-letter record, deletion, bad input.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '#domain/webhooks';
import type { components } from '@complaints/client';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';
import { machineNowMs } from '../support/clock';

type CreateWebhook = components['schemas']['CreateWebhook'];

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver that records every request and answers with the next scripted status per path (200 once the script runs out). */
class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, number[]>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = this.scripts.get(path)?.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? `boom\u0007 ${'x'.repeat(500)}` : 'ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  script(path: string, statuses: number[]): void {
    this.scripts.set(path, [...statuses]);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

let api: TestApi;
const receiver = new Receiver();
let admin: string;
let supervisor: string;
let intake: string;

beforeAll(async () => {
  await receiver.start();
  api = await startTestApi({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_BACKOFF_BASE_SECONDS: '60' });
});
// Tokens expire after an hour of local time, and these tests move the clock.
beforeEach(async () => {
  admin = await api.token('ada-admin', ['admin']);
  supervisor = await api.token('sam', ['supervisor']);
  intake = await api.token('web-form', ['intake']);
});
afterAll(async () => {
  await api.close();
  await receiver.close();
});

const subscribe = async (path: string, body: Omit<CreateWebhook, 'url'>) => {
  const res = await settle(api.client(admin).POST('/v1/webhooks', { body: { url: `${receiver.url}${path}`, ...body } }));
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
};
const deliveries = async (id: string) => {
  const res = await settle(api.client(admin).GET('/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 100 } } }));
  expect(res.status).toBe(200);
  return res.body.items as { status: string; eventType: string; attempts: { attempt: number; statusCode: number | null; ok: boolean; errorClass: string | null; latencyMs: number; excerpt?: string }[]; nextAttemptAt: string | null; deadLetteredAt?: string }[];
};
const openCase = async (over: Record<string, unknown> = {}) => {
  const res = await settle(api.client(intake).POST('/v1/complaints', { body: validComplaint(over) }));
  expect(res.status).toBe(201);
  return res.body as { id: string; reference: string };
};
const close = async (id: string) => {
  const res = await settle(api.client(supervisor).POST('/v1/complaints/{id}/close', { params: { path: { id } }, body: { followUpAction: 'Tell the helpdesk', rootCause: { category: 'process', description: 'Slot overbooked' } } }));
  expect(res.status).toBe(200);
};
const remove = (id: string) => settle(api.client(admin).DELETE('/v1/webhooks/{id}', { params: { path: { id } } }));
const clockNow = async () => Date.parse(await api.now());

describe('subscriber webhooks', () => {
  it('a status change of a helpdesk case reaches the subscriber, signed, with its externalRef (sync-back); other cases do not', async () => {
    const hook = await subscribe('/crm', { eventTypes: ['ComplaintOpened', 'FinalResponseSent', 'ComplaintClosed', 'ComplaintReopened'], externalRefSystem: 'crm', description: 'CRM sync-back' });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // The signed helpdesk systems (zendesk …) are reserved for their route (test/security/external-ref-squatting.test.ts).
    const helpdesk = await openCase({ channel: 'helpdesk', externalRef: { system: 'crm', id: 'ZD-4711' } });
    await openCase({ channel: 'web' });
    await close(helpdesk.id);
    await api.pump();

    // Delivery order is not guaranteed (SQS standard queue in AWS, stream shards locally): receivers order by auditSeq.
    const got = receiver.at('/crm').sort((a, b) => JSON.parse(a.body).detail.auditSeq - JSON.parse(b.body).detail.auditSeq);
    expect(got.map((r) => JSON.parse(r.body).type)).toEqual(['ComplaintOpened', 'ComplaintClosed']);
    const closed = JSON.parse(got[1]!.body);
    expect(closed).toMatchObject({
      type: 'ComplaintClosed',
      schemaVersion: 1,
      id: expect.stringMatching(new RegExp(`^${helpdesk.id}:\\d+$`)),
      detail: { caseId: helpdesk.id, reference: helpdesk.reference, status: 'closed', externalRef: { system: 'crm', id: 'ZD-4711' }, channel: 'helpdesk', rootCauseCategory: 'process' },
    });
    expect(got[1]!.body).not.toContain('Slot overbooked');
    for (const r of got) {
      const headers = { timestamp: r.headers['x-webhook-timestamp'] as string, signature: r.headers['x-webhook-signature'] as string };
      expect(verifySignature(hook.secret, headers, r.body, machineNowMs())).toBe(true);
      expect(verifySignature('whsec_wrong', headers, r.body, machineNowMs())).toBe(false);
      expect(verifySignature(hook.secret, headers, `${r.body} `, machineNowMs())).toBe(false);
      expect(r.headers['x-webhook-event-type']).toBe(JSON.parse(r.body).type);
    }
    const listed = await deliveries(hook.id);
    expect(listed.map((d) => [d.eventType, d.status, d.attempts.length]).sort()).toEqual([
      ['ComplaintClosed', 'delivered', 1],
      ['ComplaintOpened', 'delivered', 1],
    ]);
    expect(listed[0]!.attempts[0]).toMatchObject({ attempt: 1, statusCode: 200, ok: true, errorClass: null, latencyMs: expect.any(Number) });
  });

  it('retries after 500s with backoff as the clock moves, and shows every attempt', async () => {
    const hook = await subscribe('/flaky', { eventTypes: ['ComplaintOpened'] });
    receiver.script('/flaky', [500, 500]);
    await openCase();
    await api.pump();
    let [d] = await deliveries(hook.id);
    expect(d).toMatchObject({ status: 'pending', attempts: [{ attempt: 1, statusCode: 500, ok: false, errorClass: 'http_status' }] });
    // Equal jitter: the first retry comes 30–60 s later (base 60 s), never sooner.
    const due = Date.parse(d!.nextAttemptAt!) - (await clockNow());
    expect(due).toBeGreaterThanOrEqual(29_000);
    expect(due).toBeLessThanOrEqual(60_000);
    expect(d!.attempts[0]!.excerpt).toMatch(/^boom x+$/);
    expect(d!.attempts[0]!.excerpt!.length).toBeLessThanOrEqual(200);

    await api.advanceClock('PT20S');
    expect((await deliveries(hook.id))[0]!.attempts).toHaveLength(1);
    await api.advanceClock('PT1M');
    [d] = await deliveries(hook.id);
    expect(d!.attempts.map((a) => a.statusCode)).toEqual([500, 500]);
    await api.advanceClock('PT2M');
    [d] = await deliveries(hook.id);
    expect(d).toMatchObject({ status: 'delivered', nextAttemptAt: null });
    expect(d!.attempts.map((a) => [a.attempt, a.statusCode, a.ok])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    // Every attempt carried the same event id and body; the attempt header counts up.
    expect(receiver.at('/flaky').map((r) => r.headers['x-webhook-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(receiver.at('/flaky').map((r) => r.body)).size).toBe(1);
  });

  it('dead-letters a delivery after the last attempt (WEBHOOK_MAX_ATTEMPTS) and never tries again', async () => {
    const hook = await subscribe('/down', { eventTypes: ['ComplaintOpened'] });
    receiver.script('/down', [503, 503, 503, 503, 503]);
    await openCase();
    await api.pump();
    await api.advanceClock('PT2M');
    await api.advanceClock('PT4M');
    const [d] = await deliveries(hook.id);
    expect(d).toMatchObject({ status: 'dead_lettered', nextAttemptAt: null, deadLetteredAt: expect.any(String) });
    expect(d!.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503]);
    await api.advanceClock('PT1H');
    expect(receiver.at('/down')).toHaveLength(3);
  });

  it('records an unreachable receiver as a connection failure, not a crash', async () => {
    const hook = await settle(api.client(admin).POST('/v1/webhooks', { body: { url: 'http://127.0.0.1:9/closed-port', eventTypes: ['ComplaintOpened'] } }));
    await openCase();
    await api.pump();
    const [d] = await deliveries(hook.body.id as string);
    expect(d!.attempts[0]).toMatchObject({ statusCode: null, ok: false, errorClass: 'connection_refused' });
    await remove(hook.body.id as string);
  });

  it('deleting stops future deliveries, cancels pending retries, and keeps the history readable', async () => {
    const hook = await subscribe('/bye', { eventTypes: ['ComplaintOpened'] });
    receiver.script('/bye', [500]);
    await openCase();
    await api.pump();
    const removed = await remove(hook.id);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: hook.id, status: 'deleted', deletedBy: 'ada-admin' });
    expectProblem(await remove(hook.id), 404);
    await openCase();
    await api.advanceClock('PT5M');
    const history = await deliveries(hook.id);
    expect(history.map((d) => d.status)).toEqual(['cancelled']);
    expect(receiver.at('/bye')).toHaveLength(1);
    const list = await settle(api.client(admin).GET('/v1/webhooks', { params: { query: { limit: 100 } } }));
    expect(list.body.items.find((w: { id: string }) => w.id === hook.id)).toMatchObject({ status: 'deleted' });
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
  });

  it('lists subscriptions newest first with a cursor', async () => {
    const first = await settle(api.client(admin).GET('/v1/webhooks', { params: { query: { limit: 2 } } }));
    expect(first.body.items).toHaveLength(2);
    const second = await settle(api.client(admin).GET('/v1/webhooks', { params: { query: { limit: 2, cursor: first.body.nextCursor as string } } }));
    expect(second.status).toBe(200);
    expect(second.body.items[0].id < first.body.items[1].id).toBe(true);
    expectProblem(await settle(api.client(admin).GET('/v1/webhooks', { params: { query: { cursor: 'bm90LW91cnM' } } })), 400);
  });

  describe('bad input', () => {
    const post = (body: CreateWebhook, token = admin) => settle(api.client(token).POST('/v1/webhooks', { body }));
    // Raw: an unknown event type or a `secret` member is outside the contract, so the typed client cannot send it.
    const postRaw = (body: unknown) => api.raw('POST', '/v1/webhooks', { token: admin, body });
    const fields = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

    it('400 naming the field: not http(s), http to a non-loopback host, credentials in the URL, unknown or no event types', async () => {
      for (const [body, field] of [
        [{ url: 'ftp://127.0.0.1/x', eventTypes: ['ComplaintOpened'] }, 'body.url'],
        [{ url: 'http://example.com/hook', eventTypes: ['ComplaintOpened'] }, 'body.url'],
        [{ url: 'https://user:pw@example.com/hook', eventTypes: ['ComplaintOpened'] }, 'body.url'],
        [{ url: 'https://10.0.0.8/hook', eventTypes: ['ComplaintOpened'] }, 'body.url'],
        [{ url: `${receiver.url}/x`, eventTypes: [] }, 'body.eventTypes'],
        [{ url: `${receiver.url}/x`, eventTypes: ['ComplaintOpened', 'ComplaintOpened'] }, 'body.eventTypes'],
      ] satisfies [CreateWebhook, string][]) {
        const res = await post(body);
        expectProblem(res, 400);
        expect({ body, fields: fields(res) }).toEqual({ body, fields: expect.arrayContaining([field]) });
      }
      for (const [body, field] of [
        [{ url: `${receiver.url}/x`, eventTypes: ['NoSuchEvent'] }, 'body.eventTypes.0'],
        [{ url: `${receiver.url}/x`, eventTypes: ['ComplaintOpened'], secret: 'mine' }, 'body.secret'],
      ] as const) {
        const res = await postRaw(body);
        expectProblem(res, 400);
        expect({ body, fields: fields(res) }).toEqual({ body, fields: expect.arrayContaining([field]) });
      }
    });

    it('401 without a token, 403 for anyone but an admin, 404 for an unknown subscription, 400 for a malformed id', async () => {
      // Raw: without a token (the contract requires one).
      expectProblem(await api.raw('POST', '/v1/webhooks', { body: { url: `${receiver.url}/x`, eventTypes: ['ComplaintOpened'] } }), 401);
      expectProblem(await post({ url: `${receiver.url}/x`, eventTypes: ['ComplaintOpened'] }, supervisor), 403);
      expectProblem(await settle(api.client(admin).GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: '01JABCDEFGHJKMNPQRSTVWXYZ0' } } })), 404);
      expectProblem(await remove('01JABCDEFGHJKMNPQRSTVWXYZ0'), 404);
      expectProblem(await settle(api.client(admin).GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: 'not-a-ulid' } } })), 400);
    });
  });
});
