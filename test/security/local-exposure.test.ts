// Issue 25, finding 11 (local mode exposure): DynamoDB Local (which accepts any credentials), the S3 stand-in and the
// local API listen on 127.0.0.1 only, so nobody on the network reaches them; and the request log never shows a
// credential: the feedback link's token is logged as [redacted] (whatever the method, status or trailing segments).
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { randomBytes } from 'node:crypto';
import { DYNAMO_LOCAL_HOST, dynamoLocalCommand, startDynamoLocal, type RunningDynamo } from '../../infra/local/dynamodb-local';
import { startLocalS3, type LocalS3 } from '../../infra/local/s3-local';
import { compiledRoutes, loggedPath, REDACTED } from '../../infra/local/server';
import { startTestApi, type TestApi } from '../support/api';

jest.setTimeout(120_000);

/** Whether a TCP connection to host:port is accepted (true) or refused / unreachable (false). */
const accepts = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });

/** This machine's own addresses on its network interfaces (not loopback): where a neighbour would connect. */
const externalAddresses = (): string[] =>
  Object.values(networkInterfaces())
    .flat()
    .filter((a): a is NonNullable<typeof a> => Boolean(a) && !a!.internal && (a!.family === 'IPv4' || !a!.address.startsWith('fe80:')))
    .map((a) => a.address);

describe('local stand-ins listen on 127.0.0.1 only', () => {
  let dynamo: RunningDynamo;
  let s3: LocalS3;
  let api: TestApi;

  beforeAll(async () => {
    dynamo = await startDynamoLocal();
    s3 = await startLocalS3({ bucket: 'exposure-test', onObjectCreated: () => Promise.resolve() });
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
    await s3.stop();
    await dynamo.stop();
  });

  it('this machine has a non-loopback address to test from', () => {
    expect(externalAddresses().length).toBeGreaterThan(0);
  });

  it('DynamoDB Local is started through the loopback launcher (the jar has no host option) and answers on 127.0.0.1 only', async () => {
    expect(DYNAMO_LOCAL_HOST).toBe('127.0.0.1');
    const command = dynamoLocalCommand({ port: dynamo.port });
    expect(command.find((a) => a.endsWith('LoopbackDynamoDbLocal.java'))).toBeDefined();
    expect(command).toContain('-disableTelemetry');
    expect(new URL(dynamo.endpoint).hostname).toBe('127.0.0.1');
    expect(await accepts('127.0.0.1', dynamo.port)).toBe(true);
    for (const address of externalAddresses()) expect({ address, accepted: await accepts(address, dynamo.port) }).toEqual({ address, accepted: false });
  });

  it('the S3 stand-in answers on 127.0.0.1 only', async () => {
    const port = Number(new URL(s3.endpoint).port);
    expect(new URL(s3.endpoint).hostname).toBe('127.0.0.1');
    expect(await accepts('127.0.0.1', port)).toBe(true);
    for (const address of externalAddresses()) expect({ address, accepted: await accepts(address, port) }).toEqual({ address, accepted: false });
  });

  it('the local API answers on 127.0.0.1 only', async () => {
    const port = Number(new URL(api.url).port);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    for (const address of externalAddresses()) expect({ address, accepted: await accepts(address, port) }).toEqual({ address, accepted: false });
  });
});

describe('the request log never shows a feedback token', () => {
  const lines: string[] = [];
  let api: TestApi;
  const token = `${randomBytes(24).toString('base64url')}.${randomBytes(32).toString('base64url')}`;

  beforeAll(async () => {
    api = await startTestApi({}, { log: (line) => lines.push(line) });
  });
  afterAll(() => api.close());

  it('marks the feedback token as a credential in the route table', () => {
    const routes = compiledRoutes();
    expect(loggedPath(routes, `/v1/feedback/${token}`)).toBe(`/v1/feedback/${REDACTED}`);
    expect(loggedPath(routes, `/v1/feedback/${token}/`)).toBe(`/v1/feedback/${REDACTED}/`);
    expect(loggedPath(routes, `/v1/feedback/${token}/extra/segments`)).toBe(`/v1/feedback/${REDACTED}/extra/segments`);
    // Other ids are not credentials: they stay readable in the log.
    expect(loggedPath(routes, '/v1/complaints/01JABCDEFGHJKMNPQRSTVWXYZ0/notes')).toBe('/v1/complaints/01JABCDEFGHJKMNPQRSTVWXYZ0/notes');
  });

  it.each([
    ['POST', 'a forged token (401)', '', 401],
    ['GET', 'the wrong method (405)', '', 405],
    ['POST', 'a trailing slash (404)', '/', 404],
  ])('%s with %s: the request log line shows [redacted], and nothing the process writes holds the token', async (method, _case, suffix, status) => {
    const path = `/v1/feedback/${encodeURIComponent(token)}${suffix}`;
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return write(chunk, ...(rest as [BufferEncoding]));
    });
    const before = lines.length;
    try {
      // Raw on purpose: a GET and a trailing slash on the feedback route are outside the contract (the typed client has
      // no such operation), and the three rows share one request so they differ only in what they are about.
      const res = await api.raw(method, path, method === 'POST' ? { body: { score: 5 } } : {});
      expect(res.status).toBe(status);
    } finally {
      spy.mockRestore();
    }
    const logged = lines.slice(before);
    expect(logged).toEqual([expect.stringMatching(new RegExp(`^${method} /v1/feedback/\\[redacted\\]/? ${status} `))]);
    for (const text of [...logged, ...written]) {
      expect(text).not.toContain(token.slice(0, 24));
      expect(text).not.toContain(encodeURIComponent(token).slice(0, 24));
    }
  });
});
