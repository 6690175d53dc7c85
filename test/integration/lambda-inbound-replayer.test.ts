// The replay route's Lambda adapter against a stand-in of Lambda's Invoke API on 127.0.0.1 (the HTTP the SDK sends and
// reads): a synchronous invocation of the named function with the request as its payload; the function's reply is
// checked; a function error (X-Amz-Function-Error) is an error of the replay, never a result or a refusal.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaInboundReplayer } from '#adapters/aws/lambda-inbound-replayer';
import type { InboundReplayInvocation } from '#schemas/channels';

const ARN = 'arn:aws:lambda:eu-west-2:123456789012:function:complaints-inbound-email';
const request: InboundReplayInvocation = { kind: 'replay', rejectionId: '01JC0000000000000000000001', actor: 'ops-1' };

interface Seen {
  method: string;
  path: string;
  invocationType: string | undefined;
  body: unknown;
}

/** What the stand-in answers next: status, extra headers and body. */
let answer: { status: number; headers?: Record<string, string>; body: string };
const seen: Seen[] = [];
let server: Server;
let endpoint: string;

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

beforeAll(async () => {
  // The SDK signs with whatever credentials the environment gives; the stand-in does not check them.
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
  server = createServer((req, res) => {
    void readBody(req).then((text) => {
      seen.push({ method: req.method ?? '', path: decodeURIComponent(req.url ?? ''), invocationType: req.headers['x-amz-invocation-type'] as string | undefined, body: text ? (JSON.parse(text) as unknown) : undefined });
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
});

const replayer = () => new LambdaInboundReplayer({ functionArn: ARN, region: 'eu-west-2', endpoint });

describe('LambdaInboundReplayer', () => {
  it('invokes the named function synchronously with the request as its payload, and answers its refusal', async () => {
    answer = { status: 200, body: JSON.stringify({ ok: false, refusal: 'gone', message: 'the stored message is no longer in the inbound mail store' }) };
    await expect(replayer().replay(request)).resolves.toEqual({ ok: false, refusal: 'gone', message: 'the stored message is no longer in the inbound mail store' });
    expect(seen).toEqual([{ method: 'POST', path: `/2015-03-31/functions/${ARN}/invocations`, invocationType: 'RequestResponse', body: request }]);
  });

  it('a function error is an error of the replay, with what the function reported', async () => {
    answer = { status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: JSON.stringify({ errorType: 'ProvisionedThroughputExceededException', errorMessage: 'Rate exceeded' }) };
    await expect(replayer().replay(request)).rejects.toThrow(/failed the replay \(Unhandled\).*Rate exceeded/);
  });

  it('a payload that is not a reply is an error too (a timeout report, another event kind’s result)', async () => {
    answer = { status: 200, body: JSON.stringify({ outcome: 'ignored', reason: 'not_object_created' }) };
    await expect(replayer().replay(request)).rejects.toThrow(/unexpected reply/);
  });
});
