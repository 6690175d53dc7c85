// The HTTP sender against real loopback sockets: the SSRF guard refuses a host that resolves to a blocked address
// (deployed mode) before any byte is sent; local mode reaches 127.0.0.1 (its one explicit exception); timeouts and excerpts are classified.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpWebhookSender } from '#adapters/webhook/http-sender';

let server: Server;
let url = '';
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000).unref();
    if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    res.writeHead(req.url === '/fail' ? 500 : 204).end(req.url === '/fail' ? 'nope' : undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://localhost:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const send = (sender: HttpWebhookSender, path: string, timeoutMs = 1_000) => sender.send({ url: `${url}${path}`, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs });

describe('HttpWebhookSender', () => {
  it('deployed: a host resolving to loopback is refused after DNS resolution, nothing reaches it', async () => {
    const before = hits;
    expect(await send(new HttpWebhookSender({ allowLoopback: false }), '/ok')).toMatchObject({ ok: false, statusCode: null, errorClass: 'blocked_address' });
    expect(hits).toBe(before);
  });

  it('local: delivers to the loopback receiver and classifies what comes back (never following a redirect)', async () => {
    const local = new HttpWebhookSender({ allowLoopback: true });
    expect(await send(local, '/ok')).toMatchObject({ ok: true, statusCode: 204 });
    expect(await send(local, '/fail')).toMatchObject({ ok: false, statusCode: 500, errorClass: 'http_status', excerpt: 'nope' });
    expect(await send(local, '/redirect')).toMatchObject({ ok: false, statusCode: 302, errorClass: 'redirect' });
    expect(await send(local, '/slow', 200)).toMatchObject({ ok: false, statusCode: null, errorClass: 'timeout' });
  });
});
