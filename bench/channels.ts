// Channel intake on the local stack: signed helpdesk webhook latency (a new ticket → 201, the same ticket again → 200,
// measured interleaved) and throughput at a fixed concurrency; email parse time for a 10 MB message with attachments
// against a 100 KB one (the parser alone, in this process) and the whole intake through POST /local/inbound-email
// (S3 put, parse, case, evidence writes), also interleaved.
//
// `npm run bench` starts it as `node --import tsx bench/channels.ts --json FILE --no-report` (BENCH_ONLY=channels);
// standalone: `npx tsx bench/channels.ts [--json FILE] [--no-report]`. BENCH_CHANNEL_DELIVERIES, BENCH_CHANNEL_CONCURRENCY,
// BENCH_CHANNEL_THROUGHPUT, BENCH_CHANNEL_EMAIL_RUNS set the sample sizes.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { runStandalone } from './standalone';
import { envInt, median, ms, percentile, round, say, table } from './stats';

type Stats = { n: number; p50Ms: number; p99Ms: number; maxMs: number };
const stats = (v: number[]): Stats => ({ n: v.length, p50Ms: round(percentile(v, 50), 1), p99Ms: round(percentile(v, 99), 1), maxMs: round(Math.max(...v), 1) });

export interface ChannelBenchResult {
  settings: { deliveries: number; concurrency: number; throughputDeliveries: number; emailRuns: number };
  webhook: { created: Stats; repeated: Stats; throughput: { deliveries: number; concurrency: number; seconds: number; perSecond: number; statuses: Record<string, number> } };
  email: {
    sizes: { label: string; bytes: number; attachments: number }[];
    parse: { label: string; medianMs: number; minMs: number }[];
    intake: { label: string; medianMs: number; minMs: number; evidence: number }[];
    parseRatio: number;
  };
  checks: { name: string; ok: boolean; hard: boolean; detail: string }[];
}

const CRLF = '\r\n';

/** A multipart message of about `total` bytes: a text part and `n` binary attachments, base64 at 76 columns. */
const message = (total: number, n: number, id: string): Buffer => {
  const per = Math.floor((total * 0.74) / n);
  const boundary = `bench-${id}`;
  const parts = [
    [`--${boundary}`, 'Content-Type: text/plain; charset=utf-8', '', 'Please find the statements and photos attached. This is my formal complaint.'].join(CRLF),
    ...Array.from({ length: n }, (_, i) =>
      [`--${boundary}`, `Content-Type: application/pdf; name="statement-${i + 1}.pdf"`, 'Content-Transfer-Encoding: base64', `Content-Disposition: attachment; filename="statement-${i + 1}.pdf"`, '', randomBytes(per).toString('base64').replace(/.{76}/g, `$&${CRLF}`)].join(CRLF),
    ),
  ];
  // SES's verdicts, as it prepends them: the bench measures the authenticated path (a case for the customer).
  const ses = ['X-SES-Spam-Verdict: PASS', 'X-SES-Virus-Verdict: PASS', 'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=bounce@example.com; dkim=pass header.d=example.com; dmarc=pass header.from=example.com'];
  const head = [...ses, `From: Bench Customer <bench.${id}@example.com>`, 'To: complaints@example.org', `Subject: Formal complaint ${id}`, `Message-ID: <${id}@bench.example.com>`, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`];
  return Buffer.from([...head, '', ...parts, `--${boundary}--`, ''].join(CRLF));
};

const runChannelBench = async (): Promise<ChannelBenchResult> => {
  const deliveries = envInt('BENCH_CHANNEL_DELIVERIES', 150, 20);
  const concurrency = envInt('BENCH_CHANNEL_CONCURRENCY', 10, 1);
  const throughputDeliveries = envInt('BENCH_CHANNEL_THROUGHPUT', 300, 20);
  const emailRuns = envInt('BENCH_CHANNEL_EMAIL_RUNS', 5, 3);
  const checks: ChannelBenchResult['checks'] = [];
  // Email evidence up to 16 MiB per file (the message itself is kept as message.eml).
  process.env.INBOUND_EMAIL_MAX_BYTES ??= String(16 * 1024 * 1024);
  const { startStack } = await import('../infra/local/stack');
  const { sign } = await import('#domain/helpdesk');
  const { localClock } = await import('#adapters/local/local-clock');
  const { NodemailerMailParser } = await import('#adapters/mail/mailparser');
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, projection: false, retentionJob: false, log: () => {} });
  try {
    const secret = (JSON.parse(readFileSync(stack.helpdeskSecretsFile, 'utf8')) as Record<string, string>).generic!;
    let seq = 0;
    const ticket = () => ({
      system: 'bench-desk',
      ticketId: `b-${Date.now()}-${++seq}`,
      subject: 'Refund still missing after three weeks',
      description: 'The refund for order 1234 never arrived; I want a formal review.',
      customer: { id: `bc-${seq}`, name: 'Bench Customer', email: `bench.${seq}@example.com` },
      history: [
        { author: 'Bench Customer', fromCustomer: true, body: 'Any news on my refund?' },
        { author: 'Agent', body: 'Escalating to complaints.' },
      ],
      complaint: { regime: 'UK_FCA_DISP', category: 'billing', product: 'online-shop' },
    });
    const deliver = async (payload: unknown): Promise<{ status: number; ms: number }> => {
      const body = JSON.stringify(payload);
      const ts = String(Math.floor(localClock.nowMs() / 1000));
      const t = performance.now();
      // Raw: the HMAC signs the exact bytes sent, so the bench sends the string it signed (the typed client would serialise the body itself).
      const res = await fetch(`${stack.api.url}/v1/intake/helpdesk/generic`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-complaints-timestamp': ts, 'x-complaints-signature': sign('generic', secret, ts, body) },
        body,
      });
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - t };
    };

    // Warm-up: module loads and first connections of the intake function.
    for (let i = 0; i < 5; i++) {
      const p = ticket();
      await deliver(p);
      await deliver(p);
    }
    // Latency: a new ticket (201) then the same ticket again (200), interleaved, one at a time.
    const created: number[] = [];
    const repeated: number[] = [];
    let wrong = 0;
    for (let i = 0; i < deliveries; i++) {
      const p = ticket();
      const a = await deliver(p);
      const b = await deliver(p);
      if (a.status !== 201 || b.status !== 200) wrong++;
      created.push(a.ms);
      repeated.push(b.ms);
    }
    checks.push({ name: 'webhook intake: every new ticket 201, every repeat 200', ok: wrong === 0, hard: true, detail: `${wrong} unexpected of ${deliveries * 2}` });
    // Throughput: distinct new tickets from `concurrency` workers.
    const statuses: Record<string, number> = {};
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < throughputDeliveries) {
          next++;
          const r = await deliver(ticket());
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const throughput = { deliveries: throughputDeliveries, concurrency, seconds: round(seconds, 2), perSecond: round(throughputDeliveries / seconds, 1), statuses };
    checks.push({ name: 'webhook throughput: every delivery 201', ok: statuses['201'] === throughputDeliveries, hard: true, detail: JSON.stringify(statuses) });
    say(`  webhook: new p50 ${ms(percentile(created, 50))} ms p99 ${ms(percentile(created, 99))} ms; repeat p50 ${ms(percentile(repeated, 50))} ms; ${throughput.perSecond}/s at ${concurrency} connections`);

    // Email: 10 MB with four attachments vs 100 KB with one, interleaved.
    const sizes = [
      { label: '10 MB, 4 attachments', bytes: 10 * 1024 * 1024, attachments: 4 },
      { label: '100 KB, 1 attachment', bytes: 100 * 1024, attachments: 1 },
    ];
    const parser = new NodemailerMailParser();
    const parseMs = sizes.map(() => [] as number[]);
    const intakeMs = sizes.map(() => [] as number[]);
    const evidenceCounts = sizes.map(() => 0);
    const actualBytes = sizes.map(() => 0);
    for (let run = 0; run < emailRuns + 1; run++) {
      for (const [i, s] of sizes.entries()) {
        const raw = message(s.bytes, s.attachments, `r${run}-${i}-${Date.now()}`);
        actualBytes[i] = raw.length;
        let t = performance.now();
        const parsed = await parser.parse(raw);
        const p = performance.now() - t;
        if (parsed.attachments.length !== s.attachments) throw new Error(`parsed ${parsed.attachments.length} attachments, expected ${s.attachments}`);
        t = performance.now();
        // A local-only route (the SES inbound stand-in, outside the contract): raw fetch.
        const res = await fetch(`${stack.api.url}/local/inbound-email`, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: raw });
        const out = (await res.json()) as { outcome: string; evidence?: unknown[] };
        const e2e = performance.now() - t;
        if (res.status !== 201) throw new Error(`inbound email answered ${res.status}: ${JSON.stringify(out).slice(0, 300)}`);
        // The first round warms the parser and the intake up.
        if (run === 0) continue;
        parseMs[i]!.push(p);
        intakeMs[i]!.push(e2e);
        evidenceCounts[i] = out.evidence?.length ?? 0;
      }
    }
    await stack.s3.idle();
    const parse = sizes.map((s, i) => ({ label: s.label, medianMs: round(median(parseMs[i]!), 1), minMs: round(Math.min(...parseMs[i]!), 1) }));
    const intake = sizes.map((s, i) => ({ label: s.label, medianMs: round(median(intakeMs[i]!), 1), minMs: round(Math.min(...intakeMs[i]!), 1), evidence: evidenceCounts[i]! }));
    const parseRatio = round(parse[0]!.medianMs / parse[1]!.medianMs, 1);
    checks.push({ name: 'email: the 10 MB message and its attachments are all stored as evidence', ok: evidenceCounts[0] === sizes[0]!.attachments + 1, hard: true, detail: `${evidenceCounts[0]} evidence items` });
    say(`  email: parse ${parse.map((p) => `${p.label} ${ms(p.medianMs)} ms`).join(', ')}; intake ${intake.map((p) => `${p.label} ${ms(p.medianMs)} ms`).join(', ')}`);
    return {
      settings: { deliveries, concurrency, throughputDeliveries, emailRuns },
      webhook: { created: stats(created), repeated: stats(repeated), throughput },
      email: { sizes: sizes.map((s, i) => ({ ...s, bytes: actualBytes[i]! })), parse, intake, parseRatio },
      checks,
    };
  } finally {
    await stack.stop();
  }
};

export const channelsReport = (r: ChannelBenchResult): string =>
  [
    `Helpdesk webhook intake (generic provider, signed, local stack; ${r.webhook.created.n} new + ${r.webhook.repeated.n} repeated deliveries interleaved)`,
    table(
      ['Delivery', 'n', 'p50', 'p99', 'max'],
      [
        ['new ticket → 201 (case + 2 history notes)', r.webhook.created.n, `${ms(r.webhook.created.p50Ms)} ms`, `${ms(r.webhook.created.p99Ms)} ms`, `${ms(r.webhook.created.maxMs)} ms`],
        ['same ticket again → 200 (de-duplicated)', r.webhook.repeated.n, `${ms(r.webhook.repeated.p50Ms)} ms`, `${ms(r.webhook.repeated.p99Ms)} ms`, `${ms(r.webhook.repeated.maxMs)} ms`],
      ],
    ),
    `Throughput: ${r.webhook.throughput.deliveries} new tickets at ${r.webhook.throughput.concurrency} connections in ${r.webhook.throughput.seconds} s = ${r.webhook.throughput.perSecond} deliveries/s`,
    'Inbound email (interleaved; parse = mailparser + structure checks in-process; intake = POST /local/inbound-email end to end)',
    table(
      ['Message', 'Bytes', 'Parse median', 'Parse min', 'Intake median', 'Evidence items'],
      r.email.sizes.map((s, i) => [s.label, s.bytes.toLocaleString('en-GB'), `${ms(r.email.parse[i]!.medianMs)} ms`, `${ms(r.email.parse[i]!.minMs)} ms`, `${ms(r.email.intake[i]!.medianMs)} ms`, r.email.intake[i]!.evidence]),
    ),
    `Parse time ratio 10 MB / 100 KB: ${r.email.parseRatio}×`,
  ].join('\n');

if (require.main === module) runStandalone('channels', runChannelBench, channelsReport);
