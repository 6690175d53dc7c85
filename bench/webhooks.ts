// Subscriber webhook delivery lag on the local stack: from a committed change (POST /v1/complaints answered 201, so
// its transaction committed) to a real receiver on 127.0.0.1 holding the signed ComplaintOpened delivery. The path
// is the production one: table stream → case-stream handler (outbox) → published event → delivery function (as the
// bus rule's queue would hand it over) → signed HTTP POST. Measured side by side, interleaved round-robin, at the
// timer tick `npm start` uses (1 s: the stream poller runs once a tick) and at 100 ms, to separate the tick's share
// from the pipeline's own cost. In AWS the stream and SQS deliver within a second without a tick.
//
// `npm run bench` starts it as `node --import tsx bench/webhooks.ts --json FILE --no-report` (BENCH_ONLY=webhooks);
// standalone: `npx tsx bench/webhooks.ts [--json FILE] [--no-report]`. BENCH_WEBHOOK_EVENTS sets events per tick setting.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { runStandalone } from './standalone';
import { expectStatus, typed } from './api-client';
import { benchComplaint } from './fixtures/complaint';
import { envInt, ms, percentile, round, say, table } from './stats';

export interface WebhookBenchResult {
  settings: { events: number; ticksMs: number[] };
  lag: { tickMs: number; events: number; p50Ms: number; p99Ms: number; maxMs: number }[];
  /** Every delivery's signature verified with the subscription's secret. */
  signaturesVerified: number;
  checks: { name: string; ok: boolean; hard: boolean; detail: string }[];
}

const TICKS = [1000, 100];

const runWebhookBench = async (): Promise<WebhookBenchResult> => {
  const events = envInt('BENCH_WEBHOOK_EVENTS', 40, 5);
  const checks: WebhookBenchResult['checks'] = [];
  // Received at: performance.now() of this process, keyed by case id (the detail carries it).
  const receivedAt = new Map<string, number>();
  const bodies: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const caseId = (JSON.parse(body) as { detail: { caseId: string } }).detail.caseId;
      if (!receivedAt.has(caseId)) receivedAt.set(caseId, at);
      bodies.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bench`;

  const { startStack } = await import('../infra/local/stack');
  const { verifySignature } = await import('#domain/webhooks');
  const lags = new Map<number, number[]>(TICKS.map((t) => [t, []]));
  let verified = 0;
  // One stack (the handlers' container binds to one table per process); its timer loop is restarted at each round's
  // tick, so the two settings interleave round-robin on the same stack and the same machine load.
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, projection: false, retentionJob: false, log: () => {} });
  let secret = '';
  try {
    const api = typed(stack);
    const hook = await expectStatus(api(['bench-admin', ['admin']]).POST('/v1/webhooks', { body: { url, eventTypes: ['ComplaintOpened'] } }), 201, 'subscribe');
    secret = hook.secret;
    for (let i = 0; i < events + 2; i++) {
      for (const tickMs of TICKS) {
        await stack.timers.stop();
        stack.timers.start(tickMs);
        const created = await expectStatus(api(['bench-intake', ['intake']]).POST('/v1/complaints', { body: benchComplaint(`Webhook lag ${i}`) }), 201, 'create a case');
        const committedAt = performance.now();
        const id = created.id;
        // Wait for the delivery (polling our own map, never the stack: its timer loop runs by itself).
        const deadline = committedAt + 30_000;
        while (!receivedAt.has(id) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
        const got = receivedAt.get(id);
        if (got === undefined) throw new Error(`no delivery for ${id} within 30 s (tick ${tickMs} ms)`);
        // The first two rounds warm the handlers up (module loads, first connections).
        if (i >= 2) lags.get(tickMs)!.push(got - committedAt);
        // Land the next commit anywhere in the tick, so the lags sample the whole interval.
        await new Promise((r) => setTimeout(r, Math.random() * tickMs));
      }
    }
  } finally {
    await stack.stop();
    await new Promise<void>((r) => receiver.close(() => r()));
  }
  for (const b of bodies) {
    if (verifySignature(secret, { timestamp: String(b.headers['x-webhook-timestamp']), signature: String(b.headers['x-webhook-signature']) }, b.body, Date.now())) verified++;
  }
  const lag = TICKS.map((tickMs) => {
    const v = lags.get(tickMs)!;
    return { tickMs, events: v.length, p50Ms: round(percentile(v, 50), 1), p99Ms: round(percentile(v, 99), 1), maxMs: round(Math.max(...v), 1) };
  });
  for (const l of lag) say(`  tick ${l.tickMs} ms: ${l.events} deliveries, lag p50 ${ms(l.p50Ms)} ms, p99 ${ms(l.p99Ms)} ms`);
  checks.push({ name: 'every delivery signed with its subscription secret', ok: verified === bodies.length, hard: true, detail: `${verified}/${bodies.length}` });
  const npmStart = lag[0]!;
  checks.push({ name: 'local delivery lag p99 within two stream ticks (npm start)', ok: npmStart.p99Ms <= 2 * npmStart.tickMs + 500, hard: false, detail: `${ms(npmStart.p99Ms)} ms at tick ${npmStart.tickMs} ms` });
  return { settings: { events, ticksMs: TICKS }, lag, signaturesVerified: verified, checks };
};

export const webhooksReport = (r: WebhookBenchResult): string =>
  [
    'Subscriber webhooks: commit (201) → signed delivery received on 127.0.0.1 (local stack, interleaved)',
    table(
      ['Stream tick', 'Deliveries', 'p50', 'p99', 'max'],
      r.lag.map((l) => [`${l.tickMs} ms${l.tickMs === 1000 ? ' (npm start)' : ''}`, l.events, `${ms(l.p50Ms)} ms`, `${ms(l.p99Ms)} ms`, `${ms(l.maxMs)} ms`]),
    ),
    `Signatures verified: ${r.signaturesVerified}`,
  ].join('\n');

if (require.main === module) runStandalone('webhooks', runWebhookBench, webhooksReport);
