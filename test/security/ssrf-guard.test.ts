// Issue 25, finding 7 (SSRF guard bypass): every address form an attacker can write into a webhook URL, or make a
// name resolve to, is classified with ipaddr.js after unmapping IPv4-mapped IPv6, and refused unless public unicast,
// both when the subscription is made and at connect time. No test here sends a packet anywhere but loopback:
// net.Socket#connect is replaced by a stub that records the attempt and fails it, so a refused address is proven to be
// refused before any socket connects, and an allowed public one only shows that a connect was attempted.
import { createServer, type Server } from 'node:http';
import * as net from 'node:net';
import type { LookupAddress } from 'node:dns';
import { guardedLookup, HttpWebhookSender, type Resolver } from '#adapters/webhook/http-sender';
import { checkWebhookUrl, classifyAddress } from '#domain/webhooks';
import { InvalidInputError } from '#domain/errors';

/** [url as a subscriber would write it, the address it means, ipaddr.js's range of it] */
const BLOCKED: [string, string, string][] = [
  ['http://2130706433/', '127.0.0.1', 'loopback'],
  ['http://0177.0.0.1/', '127.0.0.1', 'loopback'],
  ['http://0x7f.0.0.1/', '127.0.0.1', 'loopback'],
  ['http://0x7f000001/', '127.0.0.1', 'loopback'],
  ['http://127.1/', '127.0.0.1', 'loopback'],
  ['https://127.0.0.1/', '127.0.0.1', 'loopback'],
  ['https://[::ffff:7f00:1]/', '127.0.0.1', 'loopback'],
  ['https://[::ffff:127.0.0.1]/', '127.0.0.1', 'loopback'],
  ['https://[0:0:0:0:0:ffff:7f00:1]/', '127.0.0.1', 'loopback'],
  ['https://[::1]/', '::1', 'loopback'],
  ['https://[::]/', '::', 'unspecified'],
  ['https://0.0.0.0/', '0.0.0.0', 'unspecified'],
  ['https://0/', '0.0.0.0', 'unspecified'],
  ['https://[64:ff9b::7f00:1]/', '64:ff9b::7f00:1', 'rfc6052'],
  ['https://[64:ff9b::a9fe:a9fe]/', '64:ff9b::a9fe:a9fe', 'rfc6052'],
  ['https://[fec0::1]/', 'fec0::1', 'deprecatedSiteLocal'],
  ['https://169.254.169.254/latest/meta-data/', '169.254.169.254', 'linkLocal'],
  ['https://[::ffff:a9fe:a9fe]/', '169.254.169.254', 'linkLocal'],
  ['https://[fe80::1]/', 'fe80::1', 'linkLocal'],
  ['https://[fc00::1]/', 'fc00::1', 'uniqueLocal'],
  ['https://[fd00:ec2::254]/', 'fd00:ec2::254', 'uniqueLocal'],
  ['https://100.64.0.1/', '100.64.0.1', 'carrierGradeNat'],
  ['https://100.127.255.254/', '100.127.255.254', 'carrierGradeNat'],
  ['https://224.0.0.1/', '224.0.0.1', 'multicast'],
  ['https://[ff02::1]/', 'ff02::1', 'multicast'],
  ['https://255.255.255.255/', '255.255.255.255', 'broadcast'],
  ['https://10.0.0.1/', '10.0.0.1', 'private'],
  ['https://172.16.0.1/', '172.16.0.1', 'private'],
  ['https://172.31.255.255/', '172.31.255.255', 'private'],
  ['https://192.168.1.1/', '192.168.1.1', 'private'],
  ['https://[::ffff:10.1.2.3]/', '10.1.2.3', 'private'],
  ['https://[2002:7f00:1::1]/', '2002:7f00:1::1', '6to4'],
  ['https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', '2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
  ['https://[::127.0.0.1]/', '::7f00:1', 'nonGlobalIpv6'],
  ['https://192.0.2.1/', '192.0.2.1', 'reserved'],
  ['https://198.18.0.1/', '198.18.0.1', 'reserved'],
  ['https://240.0.0.1/', '240.0.0.1', 'reserved'],
  ['https://[2001:db8::1]/', '2001:db8::1', 'reserved'],
  ['https://[100::1]/', '100::1', 'discard'],
];

const PUBLIC: [string, string][] = [
  ['https://8.8.8.8/', '8.8.8.8'],
  ['https://1.1.1.1/hook', '1.1.1.1'],
  ['https://172.32.0.1/', '172.32.0.1'],
  ['https://100.128.0.1/', '100.128.0.1'],
  ['https://[::ffff:8.8.8.8]/', '8.8.8.8'],
  ['https://[2606:4700:4700::1111]/', '2606:4700:4700::1111'],
  ['https://[2a00:1450:4009:81f::200e]/', '2a00:1450:4009:81f::200e'],
];

const deployed = { allowLoopback: false };
const local = { allowLoopback: true };
const hostOf = (url: string) => {
  const h = new URL(url).hostname;
  return h.startsWith('[') ? h.slice(1, -1) : h;
};

/** Every attempted connect, as [host, port]; the stub fails the socket instead of connecting it. */
let connects: [string, number][] = [];
beforeEach(() => {
  connects = [];
  jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    const opts = (Array.isArray(first) ? first[0] : first) as { host?: string; port?: number };
    connects.push([String(opts.host), Number(opts.port)]);
    process.nextTick(() => this.destroy(Object.assign(new Error('test stub: no connection is made'), { code: 'ETESTSTUB' })));
    return this;
  });
});
afterEach(() => jest.restoreAllMocks());

/** A resolver with fixed answers: no name is ever resolved for real. */
const resolverFor =
  (answers: Record<string, string[]>): Resolver =>
  (hostname, _options, callback) =>
    callback(null, (answers[hostname] ?? []).map((address): LookupAddress => ({ address, family: net.isIP(address) })));

const post = (sender: HttpWebhookSender, url: string) => sender.send({ url, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 1_000 });

describe('address classification (ipaddr.js, IPv4-mapped unmapped first)', () => {
  it(`has at least 30 forms that must be refused (${BLOCKED.length})`, () => expect(BLOCKED.length).toBeGreaterThanOrEqual(30));

  it.each(BLOCKED)('%s means %s (%s) and is refused', (url, address, range) => {
    expect(classifyAddress(hostOf(url), deployed)).toEqual({ allowed: false, address, range });
  });

  it.each(PUBLIC)('%s means %s (public unicast) and passes', (url, address) => {
    expect(classifyAddress(hostOf(url), deployed)).toEqual({ allowed: true, address, range: 'unicast' });
  });

  it('the raw forms the URL parser normalises are classified the same when met unparsed', () => {
    for (const raw of ['2130706433', '0177.0.0.1', '0x7f.0.0.1', '::ffff:127.0.0.1', '::ffff:7f00:1']) expect(classifyAddress(raw, deployed)).toEqual({ allowed: false, address: '127.0.0.1', range: 'loopback' });
    expect(classifyAddress('hooks.example.com', deployed)).toMatchObject({ allowed: false, range: 'invalid' });
  });

  it('local mode allows loopback, explicitly and only loopback', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:7f00:1']) expect(classifyAddress(ip, local)).toMatchObject({ allowed: true, range: 'loopback' });
    for (const ip of ['10.0.0.1', '169.254.169.254', 'fd00:ec2::254', '64:ff9b::7f00:1', '0.0.0.0']) expect(classifyAddress(ip, local).allowed).toBe(false);
  });
});

describe('subscription time: POST /v1/webhooks URL rule (deployed)', () => {
  it.each(BLOCKED)('%s is a 400 naming body.url', (url) => {
    let caught: unknown;
    try {
      checkWebhookUrl(url, deployed);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).errors.map((e) => e.field)).toEqual(['body.url']);
  });

  it.each(PUBLIC)('%s is accepted', (url) => expect(checkWebhookUrl(url, deployed).href).toBe(new URL(url).href));
});

describe('connect time: the sender (literals are never looked up, so they are judged before a socket exists)', () => {
  it.each(BLOCKED)('%s is refused as blocked_address before any connect', async (url) => {
    const out = await post(new HttpWebhookSender({ allowLoopback: false }), url);
    expect(out).toMatchObject({ ok: false, statusCode: null, errorClass: 'blocked_address' });
    expect(connects).toEqual([]);
  });

  it.each(PUBLIC)('%s passes the guard (the stub shows the connect attempt; nothing leaves the machine)', async (url) => {
    const out = await post(new HttpWebhookSender({ allowLoopback: false }), url);
    expect(out).toMatchObject({ ok: false, errorClass: 'network' });
    expect(connects.map(([host]) => host)).toEqual([hostOf(url)]);
  });
});

describe('connect time: names are resolved by the guard, every answer checked', () => {
  const lookupVia = (resolve: Resolver, host: string, rules = deployed) =>
    new Promise<{ err: NodeJS.ErrnoException | null; addresses: LookupAddress[] }>((done) =>
      guardedLookup(rules, resolve)(host, { all: true }, (err, addresses) => done({ err, addresses: (addresses as unknown as LookupAddress[]) ?? [] })),
    );

  it.each(BLOCKED)('a name resolving to %s (%s) is refused', async (_url, address) => {
    const out = await lookupVia(resolverFor({ 'hooks.attacker.test': [address] }), 'hooks.attacker.test');
    expect(out.err).toMatchObject({ code: 'EBLOCKED' });
  });

  it('one private answer among public ones refuses the host (no fallback to the good one); no answer refuses too', async () => {
    const resolve = resolverFor({ 'mixed.test': ['8.8.8.8', '10.0.0.1'], 'empty.test': [], 'ok.test': ['8.8.8.8', '2606:4700:4700::1111'] });
    expect((await lookupVia(resolve, 'mixed.test')).err).toMatchObject({ code: 'EBLOCKED' });
    expect((await lookupVia(resolve, 'empty.test')).err).toMatchObject({ code: 'EBLOCKED' });
    expect(await lookupVia(resolve, 'ok.test')).toEqual({ err: null, addresses: [{ address: '8.8.8.8', family: 4 }, { address: '2606:4700:4700::1111', family: 6 }] });
  });

});

describe('the reproduction against a real loopback receiver', () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('deployed: http://[::ffff:7f00:1]:PORT/ never reaches 127.0.0.1; local mode reaches it by its explicit loopback allowance', async () => {
    jest.restoreAllMocks(); // real sockets, loopback only
    const before = hits;
    expect(await post(new HttpWebhookSender({ allowLoopback: false }), `http://[::ffff:7f00:1]:${port}/`)).toMatchObject({ ok: false, errorClass: 'blocked_address' });
    expect(await post(new HttpWebhookSender({ allowLoopback: false }), `http://2130706433:${port}/`)).toMatchObject({ ok: false, errorClass: 'blocked_address' });
    expect(hits).toBe(before);
    expect(await post(new HttpWebhookSender({ allowLoopback: true }), `http://[::ffff:7f00:1]:${port}/`)).toMatchObject({ ok: true, statusCode: 204 });
    expect(hits).toBe(before + 1);
  });

  it('deployed: a name that resolves to loopback (or to loopback among public answers) is refused at lookup, before connecting', async () => {
    jest.restoreAllMocks(); // real sockets; the only address any answer could reach is 127.0.0.1
    const sender = new HttpWebhookSender({ allowLoopback: false, resolve: resolverFor({ 'rebind.attacker.test': ['127.0.0.1'], 'mixed.attacker.test': ['127.0.0.1', '::ffff:7f00:1'] }) });
    const before = hits;
    expect(await post(sender, `http://rebind.attacker.test:${port}/`)).toMatchObject({ ok: false, statusCode: null, errorClass: 'blocked_address' });
    expect(await post(sender, `http://mixed.attacker.test:${port}/`)).toMatchObject({ ok: false, statusCode: null, errorClass: 'blocked_address' });
    expect(hits).toBe(before);
    const localSender = new HttpWebhookSender({ allowLoopback: true, resolve: resolverFor({ 'receiver.local.test': ['127.0.0.1'] }) });
    expect(await post(localSender, `http://receiver.local.test:${port}/`)).toMatchObject({ ok: true, statusCode: 204 });
  });
});
