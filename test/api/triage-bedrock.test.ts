// Triage through the Bedrock adapter and the real SDK client, against a stand-in Converse endpoint on loopback (no
// network, no AWS): a valid answer becomes the suggestion; a timeout, a 5xx or an answer outside the schema leaves the
// case created (201) with triage `unavailable` and the reason, never a 5xx.
import { createServer, type Http2Server, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { settle, startTestApi, validComplaint, type TestApi } from '../support/api';

type Mode = 'ok' | 'hang' | 'error' | 'garbage';
let mode: Mode = 'ok';
let requests: { path: string; body: string }[] = [];
let bedrock: Http2Server;
const sessions = new Set<ServerHttp2Session>();
let api: TestApi;
let intake: string;

const ANSWER = {
  category: { value: 'billing', confidence: 0.97 },
  severity: { value: 'high', confidence: 0.9 },
  regulatory: { value: true, confidence: 0.88 },
  vulnerability: { vulnerable: { value: false, confidence: 0.9 }, indicators: [] },
  sentiment: { score: -0.3, confidence: 0.7 },
};

beforeAll(async () => {
  // The SDK's Bedrock Runtime client speaks HTTP/2 (h2c on an http:// endpoint), as it does to AWS.
  bedrock = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ path: req.url, body });
      if (mode === 'hang') return; // never answers: the chain's timeout must hold
      if (mode === 'error') {
        res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' });
        return res.end(JSON.stringify({ message: 'model failure' }));
      }
      const text = mode === 'garbage' ? 'Sorry, I cannot help with that.' : JSON.stringify(ANSWER);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ output: { message: { role: 'assistant', content: [{ text }] } }, stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, metrics: { latencyMs: 1 } }));
    });
  });
  bedrock.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((r) => bedrock.listen(0, '127.0.0.1', r));
  const port = (bedrock.address() as AddressInfo).port;
  api = await startTestApi({
    TRIAGE: JSON.stringify({ models: ['bedrock'], timeoutMs: 400, bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0' }),
    BEDROCK_ENDPOINT: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
    AWS_SECRET_ACCESS_KEY: 'local-test-secret',
  });
  intake = await api.token('web-form', ['intake']);
});
afterAll(async () => {
  await api?.close();
  for (const session of sessions) session.destroy();
  await new Promise((r) => bedrock.close(r));
});
beforeEach(() => {
  requests = [];
});

const create = () => settle(api.client(intake).POST('/v1/complaints', { body: validComplaint({ category: 'other', ownerId: 'olive', severity: undefined }) }));

it('uses the Bedrock answer, validated, as the suggestion (Converse API, the configured model)', async () => {
  mode = 'ok';
  const res = await create();
  expect(res.status).toBe(201);
  expect(res.body.triage).toMatchObject({ status: 'suggested', modelId: 'anthropic.claude-3-haiku-20240307-v1:0', modelVersion: 'converse-v1' });
  expect(res.body).toMatchObject({ category: 'billing', severity: 'high', regulatory: true });
  expect(requests).toHaveLength(1);
  expect(decodeURIComponent(requests[0]!.path)).toBe('/model/anthropic.claude-3-haiku-20240307-v1:0/converse');
  expect(JSON.parse(requests[0]!.body)).toMatchObject({ inferenceConfig: { temperature: 0 }, messages: [{ role: 'user' }] });
});

it.each([
  ['times out', 'hang', /timeout/],
  ['answers 500', 'error', /InternalServerException|model failure/],
  ['answers outside the schema', 'garbage', /no JSON object/],
] as const)('still creates the case when Bedrock %s: triage unavailable, fields as the intake gave them', async (_, m, reason) => {
  mode = m;
  const t0 = performance.now();
  const res = await create();
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ category: 'other', severity: 'medium', priority: 'standard' });
  expect(res.body.triage).toMatchObject({ status: 'unavailable', modelId: 'anthropic.claude-3-haiku-20240307-v1:0' });
  expect(res.body.triage.unavailableReason).toMatch(reason);
  expect(res.body.triage.fields).toBeUndefined();
  // The timeout bounds the wait (400 ms budget, one attempt: the SDK does not retry inside it).
  expect(performance.now() - t0).toBeLessThan(3000);
  const olive = api.client(await api.token('olive', ['handler']));
  const path = { id: res.body.id as string };
  const view = await settle(olive.GET('/v1/complaints/{id}/triage', { params: { path } }));
  expect(view.body).toMatchObject({ status: 'unavailable' });
  const decided = await settle(olive.POST('/v1/complaints/{id}/triage/decisions', { params: { path }, body: { field: 'category', value: 'billing', reason: 'x' } }));
  expect(decided.status).toBe(409);
});
