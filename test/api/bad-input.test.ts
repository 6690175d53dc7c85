// Bad input over HTTP: every case gets the documented 4xx problem+json and writes nothing to the table.
// Raw requests by design: every request here sends what the contract forbids (malformed JSON, missing, unknown and
// mistyped members, wrong content types, forged tokens), which the typed client cannot express.
import { generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { complaintBody, expectProblem, localClock, startTestApi, type ApiResponse, type TestApi } from '../support/api';
import { rawDocClient } from '../support/dynamo';
import { AUDIENCE, ISSUER } from '../../infra/local/token-issuer';

let api: TestApi;
let t: { intake: string; supervisor: string; alice: string; bob: string; machine: string };
const doc = rawDocClient();
const UNKNOWN_ULID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** Every item of the case table, keyed by PK|SK: the strongest "nothing was written" check. */
const snapshot = async (): Promise<Record<string, string>> => {
  const items: Record<string, string> = {};
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: api.tables.cases, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of out.Items ?? []) items[`${String(item.PK)}|${String(item.SK)}`] = JSON.stringify(item);
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
};

/** Acts, asserts the problem response, and asserts the table is byte-for-byte what it was before. */
const rejected = async (status: number, act: () => Promise<ApiResponse>): Promise<ApiResponse> => {
  const before = await snapshot();
  const res = await act();
  expectProblem(res, status);
  expect(await snapshot()).toEqual(before);
  return res;
};

const fields = (res: ApiResponse): string[] => (res.body.errors as { field: string }[]).map((e) => e.field);
const ids = (res: ApiResponse): string[] => (res.body.items as { id: string }[]).map((x) => x.id);

const openCase = async (over: Record<string, unknown> = {}) => {
  const res = await api.raw('POST', '/v1/complaints', { token: t.supervisor, body: complaintBody({ ownerId: 'alice', ...over }) });
  expect(res.status).toBe(201);
  return res.body as { id: string; version: number };
};

const timelineLength = async (id: string): Promise<number> =>
  ((await api.raw('GET', `/v1/complaints/${id}/timeline`, { token: t.supervisor })).body as { items: unknown[] }).items.length;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());
// Minted per test: one test moves the clock past their one-hour lifetime.
beforeEach(async () => {
  t = {
    intake: await api.token('web-form', ['intake']),
    supervisor: await api.token('sam', ['supervisor']),
    alice: await api.token('alice', ['handler']),
    bob: await api.token('bob', ['handler']),
    machine: await api.token('helpdesk-bot', [], { scope: 'complaints/intake' }),
  };
});

describe('malformed and invalid bodies → 400 naming each field', () => {
  it('rejects malformed JSON with errors[]', async () => {
    const res = await rejected(400, () =>
      api.raw('POST', '/v1/complaints', { token: t.intake, rawBody: '{"customer": {"id": "c-1",', headers: { 'content-type': 'application/json' } }),
    );
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(fields(res)).toContain('body');
  });

  it('rejects malformed JSON on a case mutation without touching the case', async () => {
    const c = await openCase();
    await rejected(400, () => api.raw('PATCH', `/v1/complaints/${c.id}`, { token: t.alice, rawBody: '{severity: high}', headers: { 'content-type': 'application/json' } }));
    expect((await api.raw('GET', `/v1/complaints/${c.id}`, { token: t.alice })).body.version).toBe(1);
  });

  it('rejects wrong types, naming every offending field by its path', async () => {
    const body = complaintBody({
      customer: { id: 'cust-1', name: 42, vulnerable: 'yes' },
      summary: true,
      allegedLoss: { amount: 250, currency: 'GBP' },
      receivedAt: 1_700_000_000,
    });
    const res = await rejected(400, () => api.raw('POST', '/v1/complaints', { token: t.intake, body }));
    expect(fields(res)).toEqual(
      expect.arrayContaining(['body.customer.name', 'body.customer.vulnerable', 'body.summary', 'body.allegedLoss.amount', 'body.receivedAt']),
    );
  });

  it('rejects a body that is JSON but not an object', async () => {
    const res = await rejected(400, () => api.raw('POST', '/v1/complaints', { token: t.intake, body: ['not', 'an', 'object'] }));
    expect(fields(res)).toContain('body');
  });

  it('rejects unknown channel and category values', async () => {
    const res = await rejected(400, () => api.raw('POST', '/v1/complaints', { token: t.intake, body: complaintBody({ channel: 'carrier_pigeon', category: 'weather' }) }));
    expect(fields(res)).toEqual(expect.arrayContaining(['body.channel', 'body.category']));
  });

  it('rejects an unknown (well-formed) regime, naming regime', async () => {
    const res = await rejected(400, () => api.raw('POST', '/v1/complaints', { token: t.intake, body: complaintBody({ regime: 'MARS_CONSUMER_CODE' }) }));
    expect(fields(res).some((f) => /(^|\.)regime$/.test(f))).toBe(true);
  });

  it('rejects a malformed regime id, naming body.regime', async () => {
    const res = await rejected(400, () => api.raw('POST', '/v1/complaints', { token: t.intake, body: complaintBody({ regime: 'uk fca' }) }));
    expect(fields(res)).toContain('body.regime');
  });

  it('rejects an unknown severity on reclassify and leaves the case alone', async () => {
    const c = await openCase();
    const res = await rejected(400, () => api.raw('PATCH', `/v1/complaints/${c.id}`, { token: t.alice, body: { severity: 'apocalyptic' } }));
    expect(fields(res)).toContain('body.severity');
  });

  it('rejects a proposal whose compensation disagrees with its redress components, naming the field; a consistent one is proposed with them', async () => {
    const c = await openCase();
    const proposal = (compensation: string) => ({
      decision: 'upheld',
      remedy: { description: 'Refund and goodwill', compensation: { amount: compensation, currency: 'GBP' }, redress: { currency: 'GBP', financialLoss: '120.00', goodwill: '30.00', waived: '15.00' } },
      rootCause: { category: 'Carrier delay', description: 'Depot missed the slot', vulnerabilityNotConsidered: false },
      finalResponse: 'We uphold your complaint.',
    });
    const res = await rejected(400, () => api.raw('POST', `/v1/complaints/${c.id}/resolution`, { token: t.alice, body: proposal('100.00') }));
    expect(fields(res)).toEqual(['body.remedy.compensation.amount']);
    const ok = await api.raw('POST', `/v1/complaints/${c.id}/resolution`, { token: t.alice, body: proposal('150.00') });
    expect(ok.status).toBe(201);
    expect(ok.body.remedy.redress).toEqual({ currency: 'GBP', financialLoss: '120.00', goodwill: '30.00', waived: '15.00' });
  });

  it('rejects unknown extra fields (strict bodies), naming them', async () => {
    const res = await rejected(400, () =>
      api.raw('POST', '/v1/complaints', { token: t.intake, body: { ...complaintBody(), isAdmin: true, customer: { id: 'c-9', name: 'Eve', role: 'admin' } } }),
    );
    expect(fields(res)).toEqual(expect.arrayContaining(['body.isAdmin', 'body.customer.role']));
  });

  it('rejects a receivedAt in the future, naming receivedAt', async () => {
    const tomorrow = new Date(localClock.nowMs() + 86_400_000).toISOString();
    const res = await rejected(400, () => api.raw('POST', '/v1/complaints', { token: t.intake, body: complaintBody({ receivedAt: tomorrow }) }));
    expect(fields(res).some((f) => /(^|\.)receivedAt$/.test(f))).toBe(true);
  });
});

describe('payload size and media type', () => {
  it('answers 413 for a body over 256 KB', async () => {
    const body = complaintBody({ description: 'x'.repeat(300 * 1024) });
    await rejected(413, () => api.raw('POST', '/v1/complaints', { token: t.intake, body }));
  });

  it('answers 415 for a body that is not declared JSON', async () => {
    const res = await rejected(415, () => api.raw('POST', '/v1/complaints', { token: t.intake, rawBody: JSON.stringify(complaintBody()), headers: { 'content-type': 'text/plain' } }));
    expect(res.body.detail).toMatch(/application\/json/);
  });

  it('answers 415 for a form-encoded body', async () => {
    await rejected(415, () =>
      api.raw('POST', '/v1/complaints', { token: t.intake, rawBody: 'channel=web&summary=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    );
  });
});

describe('authentication → 401', () => {
  const signedBy = async (key: KeyLike | Uint8Array, alg: string, claims: Record<string, unknown> = {}) => {
    const iat = Math.floor(localClock.nowMs() / 1000);
    return new SignJWT({ 'cognito:groups': ['admin', 'supervisor'], token_use: 'access', ...claims })
      .setProtectedHeader({ alg, kid: 'local-1' })
      .setSubject('mallory')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(key);
  };
  const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  it('rejects a request with no token', async () => {
    const res = await rejected(401, () => api.raw('POST', '/v1/complaints', { body: complaintBody() }));
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('rejects a malformed Authorization header', async () => {
    await rejected(401, () => api.raw('GET', '/v1/complaints', { headers: { authorization: `Basic ${Buffer.from('sam:pw').toString('base64')}` } }));
  });

  it('rejects a token once it has expired (clock moved past its one-hour life)', async () => {
    const token = await api.token('sam', ['supervisor']);
    expect((await api.raw('GET', '/v1/complaints', { token })).status).toBe(200);
    await api.advanceClock('PT61M');
    const res = await rejected(401, () => api.raw('POST', '/v1/complaints', { token, body: complaintBody() }));
    expect(res.body.detail).toMatch(/expired/);
  });

  it('rejects a token whose signature was altered', async () => {
    const [h, p, sig] = t.supervisor.split('.') as [string, string, string];
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    await rejected(401, () => api.raw('POST', '/v1/complaints', { token: `${h}.${p}.${flipped}`, body: complaintBody() }));
  });

  it('rejects a token whose claims were edited to escalate its groups', async () => {
    const [h, p, sig] = t.intake.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${h}.${b64url({ ...claims, 'cognito:groups': ['admin'] })}.${sig}`;
    await rejected(401, () => api.raw('GET', '/v1/complaints', { token: forged }));
  });

  it('rejects a well-formed token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await signedBy(privateKey, 'ES256');
    await rejected(401, () => api.raw('POST', '/v1/complaints', { token, body: complaintBody() }));
  });

  it('rejects an HMAC token and an unsigned (alg none) token', async () => {
    const hmac = await signedBy(new TextEncoder().encode('a-guessable-shared-secret-of-32-bytes!'), 'HS256');
    await rejected(401, () => api.raw('GET', '/v1/complaints', { token: hmac }));
    const iat = Math.floor(localClock.nowMs() / 1000);
    const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'mallory', 'cognito:groups': ['admin'], iss: ISSUER, aud: AUDIENCE, iat, exp: iat + 600 })}.`;
    await rejected(401, () => api.raw('GET', '/v1/complaints', { token: none }));
  });
});

describe('authorisation → 403', () => {
  it('forbids intake from listing complaints', async () => {
    await rejected(403, () => api.raw('GET', '/v1/complaints', { token: t.intake }));
  });

  it('forbids a machine client (scope complaints/intake) anything but creating', async () => {
    const created = await api.raw('POST', '/v1/complaints', { token: t.machine, body: complaintBody() });
    expect(created.status).toBe(201);
    await rejected(403, () => api.raw('GET', `/v1/complaints/${created.body.id}`, { token: t.machine }));
  });

  it('forbids a handler from reassigning the owner', async () => {
    const c = await openCase();
    await rejected(403, () => api.raw('POST', `/v1/complaints/${c.id}/owner`, { token: t.alice, body: { ownerId: 'bob', reason: 'I am busy' } }));
    expect(await timelineLength(c.id)).toBe(2);
  });

  it('forbids a handler who is not the owner from acknowledging', async () => {
    const c = await openCase();
    await rejected(403, () => api.raw('POST', `/v1/complaints/${c.id}/acknowledgement`, { token: t.bob, body: {} }));
    const got = await api.raw('GET', `/v1/complaints/${c.id}`, { token: t.alice });
    expect(got.body.acknowledgedAt).toBeUndefined();
    expect(got.body.version).toBe(1);
  });
});

describe('If-Match', () => {
  it('answers 412 for a stale version and changes nothing', async () => {
    const c = await openCase();
    const first = await api.raw('PATCH', `/v1/complaints/${c.id}`, { token: t.alice, body: { severity: 'high' }, headers: { 'if-match': '"1"' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    const res = await rejected(412, () => api.raw('PATCH', `/v1/complaints/${c.id}`, { token: t.alice, body: { severity: 'low' }, headers: { 'if-match': '"1"' } }));
    expect(res.body.detail).toMatch(/stale/);
    const got = await api.raw('GET', `/v1/complaints/${c.id}`, { token: t.alice });
    expect(got.body).toMatchObject({ version: 2, severity: 'high' });
  });

  it('answers 400 for an If-Match that is not an ETag', async () => {
    const c = await openCase();
    const res = await rejected(400, () => api.raw('PATCH', `/v1/complaints/${c.id}`, { token: t.alice, body: { severity: 'low' }, headers: { 'if-match': 'banana' } }));
    expect(fields(res)).toContain('header.if-match');
  });
});

describe('invalid state transitions and duplicates → 409', () => {
  it('refuses to reopen a case that is open', async () => {
    const c = await openCase();
    const res = await rejected(409, () => api.raw('POST', `/v1/complaints/${c.id}/reopen`, { token: t.alice, body: { reason: 'Customer called back' } }));
    expect(res.body).toMatchObject({ currentStatus: 'open', action: 'reopen' });
  });

  it('refuses to close a case twice', async () => {
    const c = await openCase();
    const close = { followUpAction: 'Review depot slots', rootCause: { category: 'capacity', description: 'Depot overbooked' } };
    expect((await api.raw('POST', `/v1/complaints/${c.id}/close`, { token: t.alice, body: close })).status).toBe(200);
    const res = await rejected(409, () => api.raw('POST', `/v1/complaints/${c.id}/close`, { token: t.alice, body: close }));
    expect(res.body).toMatchObject({ currentStatus: 'closed', action: 'close' });
    expect(await timelineLength(c.id)).toBe(3);
  });

  it('refuses a second case with the same externalRef; exactly one case remains', async () => {
    const externalRef = { system: 'crm', id: 'T-4711' };
    const first = await openCase({ externalRef });
    const before = await snapshot();
    const res = await api.raw('POST', '/v1/complaints', { token: t.intake, body: complaintBody({ externalRef, summary: 'Same ticket, escalated twice' }) });
    expectProblem(res, 409);
    expect(res.body.existingId).toBe(first.id);
    // The reference counter is allocated before the (failed) transaction; no case, audit or index item is written.
    const after = await snapshot();
    const withoutCounters = (s: Record<string, string>) => Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith('COUNTER#')));
    expect(withoutCounters(after)).toEqual(withoutCounters(before));
    const listed = await api.raw('GET', '/v1/complaints?limit=100', { token: t.supervisor });
    const same = (listed.body.items as { externalRef?: { system: string; id: string } }[]).filter((x) => x.externalRef?.system === 'crm' && x.externalRef.id === 'T-4711');
    expect(same).toHaveLength(1);
  });
});

describe('unknown and invisible resources', () => {
  it('answers 404 for a well-formed id that does not exist', async () => {
    await rejected(404, () => api.raw('GET', `/v1/complaints/${UNKNOWN_ULID}`, { token: t.supervisor }));
    await rejected(404, () => api.raw('PATCH', `/v1/complaints/${UNKNOWN_ULID}`, { token: t.supervisor, body: { severity: 'high' } }));
    await rejected(404, () => api.raw('POST', `/v1/complaints/${UNKNOWN_ULID}/notes`, { token: t.supervisor, body: { kind: 'call_note', body: 'hello' } }));
  });

  it('answers 400 for an id that is not a ULID', async () => {
    const res = await rejected(400, () => api.raw('GET', '/v1/complaints/not-a-ulid', { token: t.supervisor }));
    expect(fields(res)).toContain('path.id');
  });

  it('answers 404 for an unknown task of a known case', async () => {
    const c = await openCase();
    await rejected(404, () => api.raw('PATCH', `/v1/complaints/${c.id}/tasks/${UNKNOWN_ULID}`, { token: t.alice, body: { status: 'done' } }));
  });

  it('hides a restricted case from a handler who does not own it (404, and omitted from the list)', async () => {
    const c = await openCase({ sensitivity: 'restricted' });
    await rejected(404, () => api.raw('GET', `/v1/complaints/${c.id}`, { token: t.bob }));
    await rejected(404, () => api.raw('GET', `/v1/complaints/${c.id}/timeline`, { token: t.bob }));
    await rejected(404, () => api.raw('POST', `/v1/complaints/${c.id}/notes`, { token: t.bob, body: { kind: 'call_note', body: 'peek' } }));
    const bobs = await api.raw('GET', '/v1/complaints?limit=100', { token: t.bob });
    expect(bobs.status).toBe(200);
    expect(ids(bobs)).not.toContain(c.id);
    const alices = await api.raw('GET', '/v1/complaints?limit=100', { token: t.alice });
    expect(ids(alices)).toContain(c.id);
    expect((await api.raw('GET', `/v1/complaints/${c.id}`, { token: t.alice })).status).toBe(200);
  });
});

describe('list parameters', () => {
  it('answers 400 for a cursor that is not an opaque cursor', async () => {
    const res = await rejected(400, () => api.raw('GET', '/v1/complaints?cursor=%21%21%21', { token: t.supervisor }));
    expect(fields(res)).toContain('query.cursor');
  });

  it('answers 400 for a well-formed cursor that this query never issued', async () => {
    const garbage = Buffer.from('not json').toString('base64url');
    const wrongShape = Buffer.from(JSON.stringify([{ PK: 'CASE#x', SK: 'CASE' }])).toString('base64url');
    for (const cursor of [garbage, wrongShape]) {
      const res = await rejected(400, () => api.raw('GET', `/v1/complaints?cursor=${cursor}`, { token: t.supervisor }));
      expect(fields(res).some((f) => /(^|\.)cursor$/.test(f))).toBe(true);
    }
  });

  it('answers 400 for a limit above 100 (and for zero or text)', async () => {
    for (const limit of ['101', '0', 'lots']) {
      const res = await rejected(400, () => api.raw('GET', `/v1/complaints?limit=${limit}`, { token: t.supervisor }));
      expect(fields(res)).toContain('query.limit');
    }
  });

  it('answers 400 for unknown filters and filter values', async () => {
    const res = await rejected(400, () => api.raw('GET', '/v1/complaints?risk=doomed&colour=red&regime=constructor', { token: t.supervisor }));
    expect(fields(res)).toEqual(expect.arrayContaining(['query.risk', 'query.colour', 'query.regime']));
    // A regime id in form that no regime has is refused by the service, not matched against nothing.
    expect(fields(await rejected(400, () => api.raw('GET', '/v1/complaints?regime=XX_NO_SUCH_REGIME', { token: t.supervisor })))).toEqual(['query.regime']);
  });
});

describe('routing', () => {
  it('answers an unknown route with a 404 problem', async () => {
    await rejected(404, () => api.raw('GET', '/v1/complaint', { token: t.supervisor }));
    await rejected(404, () => api.raw('POST', '/v2/complaints', { token: t.supervisor, body: complaintBody() }));
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const res = await rejected(405, () => api.raw('DELETE', '/v1/complaints', { token: t.supervisor }));
    expect(res.headers.get('allow')).toEqual(expect.stringContaining('POST'));
    expect(res.headers.get('allow')).toEqual(expect.stringContaining('GET'));
    const c = await openCase();
    await rejected(405, () => api.raw('PUT', `/v1/complaints/${c.id}`, { token: t.supervisor, body: { severity: 'high' } }));
  });
});
