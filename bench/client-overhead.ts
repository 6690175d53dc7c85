// What the typed client (@complaints/client over openapi-fetch) adds per call over a hand-written fetch: (1) client
// side only, against a fetch that answers at once (no network, no server), and (2) against the local stack, the two
// interleaved. Standalone: `npx tsx bench/client-overhead.ts` (BENCH_OVERHEAD_CALLS, default 2000 in-process, 200 on the stack).
import { createComplaintsClient } from '@complaints/client';
import { benchComplaint } from './fixtures/complaint';
import { envInt, percentile, say } from './stats';

const CASE = { id: '01JABCDEFGHJKMNPQRSTVWXYZ0', reference: 'CMP-2026-000001', status: 'open', summary: 'x'.repeat(200), checkpoints: [{ percent: 50, at: '2026-12-06T00:00:00.000Z' }] };
const BODY = JSON.stringify(CASE);
const answer = (): Response => new Response(BODY, { status: 200, headers: { 'content-type': 'application/json', etag: '"1"' } });

const base = 'http://127.0.0.1:9';
const rawGet = async (f: typeof fetch, url: string, token: string) => {
  const res = await f(`${url}/v1/complaints/${CASE.id}`, { method: 'GET', headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
};

const stats = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(3)} ms, p99 ${percentile(xs, 99).toFixed(3)} ms, mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3)} ms`;

const inProcess = async (n: number) => {
  const immediate = (() => Promise.resolve(answer())) as typeof fetch;
  const typed = createComplaintsClient({ baseUrl: base, token: () => 'token', fetch: immediate });
  const raw: number[] = [];
  const viaClient: number[] = [];
  for (let i = 0; i < n + 200; i++) {
    const a = performance.now();
    await rawGet(immediate, base, 'token');
    const b = performance.now();
    await typed.GET('/v1/complaints/{id}', { params: { path: { id: CASE.id } } });
    const c = performance.now();
    if (i >= 200) {
      raw.push(b - a);
      viaClient.push(c - b);
    }
  }
  say(`in-process (fetch answers at once), ${n} GET /v1/complaints/{id} each, interleaved:`);
  say(`  hand-written fetch: ${stats(raw)}`);
  say(`  typed client:       ${stats(viaClient)}  → +${(percentile(viaClient, 50) - percentile(raw, 50)).toFixed(3)} ms p50 per call`);
};

const onStack = async (n: number) => {
  const { startStack } = await import('../infra/local/stack');
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, projection: false, log: () => {} });
  try {
    const token = (await stack.issuer.issue({ sub: 'bench-overhead', groups: ['supervisor'] })).token;
    const typed = createComplaintsClient({ baseUrl: stack.api.url, token: () => token });
    const created = await typed.POST('/v1/complaints', { body: benchComplaint('client overhead') });
    if (!created.data) throw new Error(`create: ${created.response.status}`);
    const id = created.data.id;
    const times: Record<'raw' | 'request' | 'typed', number[]> = { raw: [], request: [], typed: [] };
    const orders = [['raw', 'request', 'typed'], ['typed', 'raw', 'request'], ['request', 'typed', 'raw']] as const;
    for (let i = 0; i < n + 20; i++) {
      // Rotate which goes first, so none always meets a warmer server.
      for (const which of orders[i % 3]!) {
        const a = performance.now();
        if (which === 'raw') {
          const res = await fetch(`${stack.api.url}/v1/complaints/${id}`, { headers: { authorization: `Bearer ${token}` } });
          JSON.parse(await res.text());
          if (res.status !== 200) throw new Error(`raw: ${res.status}`);
        } else if (which === 'request') {
          // What openapi-fetch hands to fetch: a Request object rather than a URL and init.
          const res = await fetch(new Request(`${stack.api.url}/v1/complaints/${id}`, { headers: { authorization: `Bearer ${token}` } }));
          JSON.parse(await res.text());
          if (res.status !== 200) throw new Error(`request: ${res.status}`);
        } else {
          const res = await typed.GET('/v1/complaints/{id}', { params: { path: { id } } });
          if (res.response.status !== 200) throw new Error(`typed: ${res.response.status}`);
        }
        if (i >= 20) times[which].push(performance.now() - a);
      }
    }
    say(`local stack, ${n} GET /v1/complaints/{id} each, interleaved:`);
    say(`  hand-written fetch(url, init): ${stats(times.raw)}`);
    say(`  fetch(new Request(url, init)): ${stats(times.request)}  → ${(percentile(times.request, 50) - percentile(times.raw, 50)).toFixed(2)} ms p50 difference`);
    say(`  typed client:                  ${stats(times.typed)}  → ${(percentile(times.typed, 50) - percentile(times.raw, 50)).toFixed(2)} ms p50 difference`);
  } finally {
    await stack.stop();
  }
};

const main = async () => {
  await inProcess(envInt('BENCH_OVERHEAD_CALLS', 2000, 100));
  await onStack(Math.max(50, Math.round(envInt('BENCH_OVERHEAD_CALLS', 2000, 100) / 10)));
};

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`✗ ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
