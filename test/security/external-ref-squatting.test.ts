// Issue 25, finding 6 (helpdesk reference squatting): the external-reference systems of the signed channels (each
// helpdesk provider's, generic.<name>, email's Message-IDs) are reserved for them. The public create route answers 400
// naming body.externalRef.system and writes nothing, so the genuine signed escalation of that ticket opens its own case.
import { readFileSync } from 'node:fs';
import { sign } from '#domain/helpdesk';
import { expectProblem, localClock, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

let api: TestApi;
let secrets: Record<string, string>;
let intake: string;
let handler: string;
let supervisor: string;

beforeAll(async () => {
  api = await startTestApi();
  secrets = JSON.parse(readFileSync(api.stack.helpdeskSecretsFile, 'utf8')) as Record<string, string>;
  intake = await api.token('intake-bot', [], { scope: 'complaints/intake' });
  handler = await api.token('hana', ['handler']);
  supervisor = await api.token('sam', ['supervisor']);
});
afterAll(() => api.close());

/** POST /v1/complaints through the typed client: the reserved systems are plain strings in the contract. */
const create = (token: string, over: Record<string, unknown>) => settle(api.client(token).POST('/v1/complaints', { body: validComplaint(over) }));

const escalateZendesk = (ticketId: string) => {
  const body = JSON.stringify({
    ticket: {
      id: ticketId,
      subject: 'Card blocked abroad',
      description: 'My card was blocked for four days while travelling.',
      requester: { id: 77, name: 'Grace Hopper', email: 'grace@example.com' },
      comments: [{ author: { name: 'Grace Hopper', role: 'end-user' }, body: 'The original ticket history that must not be dropped.' }],
    },
  });
  const timestamp = new Date(localClock.nowMs()).toISOString();
  // Raw: a signed delivery; the signature covers these exact bytes, so the body is sent as signed.
  return api.raw('POST', '/v1/intake/helpdesk/zendesk', {
    rawBody: body,
    headers: { 'content-type': 'application/json', 'x-zendesk-webhook-signature': sign('zendesk', secrets.zendesk!, timestamp, body), 'x-zendesk-webhook-signature-timestamp': timestamp },
  });
};

describe('external references of signed channels are reserved for the signed routes', () => {
  it.each(['zendesk', 'Zendesk', 'jira', 'servicenow', 'generic.acme-desk', 'email', 'email.unverified'])('POST /v1/complaints with externalRef.system %s is 400 naming the field, for every role that may create', async (system) => {
    for (const token of [intake, handler, supervisor]) {
      const res = await create(token, { channel: 'helpdesk', externalRef: { system, id: '4711' } });
      expectProblem(res, 400);
      expect(res.body.detail).toContain('reserved for signed channel intake');
      expect(res.body.errors).toEqual([{ field: 'body.externalRef.system', message: expect.stringContaining('/v1/intake/helpdesk/{provider}') }]);
    }
  });

  it('a squatter cannot pre-empt a predictable ticket id: the signed escalation opens its own case with its history', async () => {
    const ticketId = String(900_000 + (localClock.nowMs() % 1000));
    const squat = await create(intake, { channel: 'helpdesk', externalRef: { system: 'zendesk', id: ticketId } });
    expectProblem(squat, 400);
    const genuine = await escalateZendesk(ticketId);
    expect(genuine.status).toBe(201);
    expect(genuine.body).toMatchObject({ outcome: 'created', case: { externalRef: { system: 'zendesk', id: ticketId }, customer: { name: 'Grace Hopper' } }, notesAdded: 1 });
  });

  it('a system of the organisation’s own (not a signed channel) is still accepted and de-duplicated', async () => {
    const externalRef = { system: 'crm', id: `C-${localClock.nowMs()}` };
    const first = await create(intake, { externalRef });
    expect(first.status).toBe(201);
    expect(first.body.externalRef).toEqual(externalRef);
    expectProblem(await create(intake, { externalRef }), 409);
  });
});
