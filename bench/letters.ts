// Letters and the satisfaction follow-up on the local stack: what rendering a letter costs, what keeping the exact
// text sent as evidence adds to the acknowledgement (measured side by side with a plain case mutation, interleaved),
// and what the public feedback route costs when it accepts, refuses a used link and refuses a forged one.
//
// `npm run bench` starts it as `node --import tsx bench/letters.ts --json FILE --no-report` (BENCH_ONLY=letters);
// standalone: `npx tsx bench/letters.ts [--json FILE] [--no-report]`.
//
// 1. Render: every kind × every regime through the Handlebars renderer (templates precompiled at build, on
//    handlebars/runtime), BENCH_LETTER_PASSES passes after a warm-up; p50/p99 per letter, and the first (cold) render.
// 2. Sending: BENCH_LETTER_ROUNDS rounds, each a fresh case: POST …/acknowledgement (render + vault write + the case
//    transaction) and POST …/notes on another fresh case (the case transaction alone), interleaved; ratio of medians.
// 3. Feedback: per round, a case whose follow-up is issued (the follow-up as its timer leaves it, arranged on the case
//    item) and its signed link; POST /v1/feedback/{token} accepted (200), the same link again (410), a forged one (401).
import { performance } from 'node:perf_hooks';
import { runStandalone } from './standalone';
import { anonymous, expectOnly, expectStatus, typed } from './api-client';
import { benchComplaint } from './fixtures/complaint';
import { envInt, ms, percentile, round, say, table } from './stats';

export interface LetterBenchSettings {
  passes: number;
  rounds: number;
}
export const letterSettings = (): LetterBenchSettings => ({ passes: envInt('BENCH_LETTER_PASSES', 20, 1), rounds: envInt('BENCH_LETTER_ROUNDS', 40, 5) });

const dist = (xs: number[]) => ({ p50Ms: round(percentile(xs, 50), 2), p99Ms: round(percentile(xs, 99), 2) });

export interface LetterBenchResult {
  settings: LetterBenchSettings;
  render: { letters: number; coldMs: number; p50Ms: number; p99Ms: number; bytesP50: number };
  sending: { runs: number; acknowledgement: { p50Ms: number; p99Ms: number }; note: { p50Ms: number; p99Ms: number }; ratio: number };
  feedback: { runs: number; accepted: { p50Ms: number; p99Ms: number }; used: { p50Ms: number; p99Ms: number }; forged: { p50Ms: number; p99Ms: number } };
  checks: { name: string; ok: boolean; hard: boolean; detail: string }[];
}

const runLetterBench = async (): Promise<LetterBenchResult> => {
  const s = letterSettings();
  const checks: LetterBenchResult['checks'] = [];

  // 1. Render, in-process (what the preview and the send do before any I/O).
  const { HandlebarsLetterRenderer } = await import('#adapters/letters/handlebars-letters');
  const { DEFAULT_LETTERHEAD, letterModel, profileOf } = await import('#domain/letters');
  const { listRegimes } = await import('#domain/regimes');
  const { openCase } = await import('#domain/lifecycle');
  const { LETTER_KINDS } = await import('#schemas/letters');
  const renderer = new HandlebarsLetterRenderer();
  const now = new Date().toISOString();
  const resolution = {
    id: '01JABCDEFGHJKMNPQRSTVWXYZ5', caseId: '01JABCDEFGHJKMNPQRSTVWXYZ0', round: 1, decision: 'partially_upheld' as const,
    remedy: { description: 'Re-delivery free of charge.', compensation: { amount: '75.00', currency: 'GBP' } },
    rootCause: { category: 'carrier', description: 'Carrier short of drivers' }, finalResponse: 'We reviewed the delivery logs.', status: 'approved' as const, proposedBy: 'olive', proposedAt: now,
  };
  const jobs = listRegimes().flatMap((regime) => {
    const opened = openCase(benchComplaint('Late delivery', { regime: regime.id, receivedAt: now }) as Parameters<typeof openCase>[0], { id: '01JABCDEFGHJKMNPQRSTVWXYZ0', reference: 'CMP-2026-000001', ownerId: 'olive', assignmentRule: 'explicit', regime, actor: 'bench', now }).case;
    // A holding letter states the recorded delay (PSD: the extension's reasons), so record both as POST …/clock would.
    const why = 'We are waiting for the carrier’s delivery logs';
    const c = opened.clock ? { ...opened, clock: { ...opened.clock, extendedAt: now, extensionReason: why, delay: { reason: why, expectedBy: now.slice(0, 10), recordedAt: now, by: 'olive' } } } : opened;
    return LETTER_KINDS.map((kind) => () => renderer.render(kind, profileOf(regime.id).family, letterModel({ kind, case: c, regime, resolution, letterhead: DEFAULT_LETTERHEAD, now })));
  });
  const c0 = performance.now();
  jobs[0]!();
  const coldMs = performance.now() - c0;
  for (const j of jobs) j(); // warm-up: every template compiled
  const renders: number[] = [];
  const sizes: number[] = [];
  for (let pass = 0; pass < s.passes; pass++) {
    for (const j of jobs) {
      const a = performance.now();
      const out = j();
      renders.push(performance.now() - a);
      sizes.push(Buffer.byteLength(out.text));
    }
  }
  say(`  ${renders.length} letters: p50 ${ms(percentile(renders, 50))} ms, p99 ${ms(percentile(renders, 99))} ms (cold ${ms(coldMs)} ms)`);

  // 2 and 3 on the local stack.
  const { startStack } = await import('../infra/local/stack');
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, projection: false, log: () => {} });
  const { GetCommand, PutCommand } = await import('@aws-sdk/lib-dynamodb');
  const { caseOfItem, itemWithCase } = await import('#adapters/aws/dynamo/case-codec');
  const { dynamo } = await import('#http/container');
  const { feedbackService } = await import('#http/letters-container');
  const { keys } = await import('#adapters/aws/dynamo/table-model');
  const supervisor: [string, ['supervisor']] = ['bench-sam', ['supervisor']];
  const owner: [string, ['handler']] = ['olive', ['handler']];
  const api = typed(stack);
  const open = async () => (await expectStatus(api(supervisor).POST('/v1/complaints', { body: benchComplaint('Letters bench', { ownerId: 'olive' }) }), 201, 'create a case')).id;
  const acks: number[] = [];
  const notes: number[] = [];
  const accepted: number[] = [];
  const used: number[] = [];
  const forged: number[] = [];
  // The feedback link is the customer's: no token, as the contract has it.
  const customer = anonymous(stack);
  const feedback = async (token: string, expect: number): Promise<number> => {
    const a = performance.now();
    await expectOnly(customer.POST('/v1/feedback/{token}', { params: { path: { token } }, body: { score: 4 } }), expect, 'POST /v1/feedback/{token}');
    return performance.now() - a;
  };
  try {
    for (let i = 0; i < s.rounds + 3; i++) {
      const [x, y] = [await open(), await open()];
      const a = performance.now();
      await expectStatus(api(owner).POST('/v1/complaints/{id}/acknowledgement', { params: { path: { id: x } }, body: {} }), 200, 'acknowledge');
      const ack = performance.now() - a;
      const b = performance.now();
      await expectStatus(api(owner).POST('/v1/complaints/{id}/notes', { params: { path: { id: y } }, body: { kind: 'call_note', body: 'Customer called about the delay.' } }), 201, 'add a note');
      const note = performance.now() - b;

      const at = new Date().toISOString();
      const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
      // The follow-up as its timer leaves it on the stored case (compressed: read, change, put back at its version).
      const stored = (await dynamo().doc.send(new GetCommand({ TableName: stack.tables.cases, Key: keys.case(x), ConsistentRead: true }))).Item ?? {};
      const followedUp = { ...caseOfItem(stored), feedback: [{ cycle: 1, followUpAt: at, linkValidDays: 30, requestedAt: at, tokenId: 'c1', expiresAt }] };
      await dynamo().doc.send(new PutCommand({ TableName: stack.tables.cases, Item: itemWithCase(stored, followedUp), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': stored.version } }));
      // The client encodes the path parameter.
      const token = await feedbackService().token({ caseId: x, tokenId: 'c1', expiresAt });
      const ok = await feedback(token, 200);
      const again = await feedback(token, 410);
      const fake = await feedback(`${token.slice(0, -4)}AAAA`, 401);
      if (i >= 3) {
        acks.push(ack);
        notes.push(note);
        accepted.push(ok);
        used.push(again);
        forged.push(fake);
      }
    }
  } finally {
    await stack.stop();
  }
  const ratio = round(percentile(acks, 50) / percentile(notes, 50), 2);
  say(`  acknowledgement (letter kept) p50 ${ms(percentile(acks, 50))} ms vs note p50 ${ms(percentile(notes, 50))} ms: ×${ratio}`);
  checks.push({ name: 'a letter renders in under 5 ms (p99)', ok: percentile(renders, 99) < 5, hard: false, detail: `${ms(percentile(renders, 99))} ms` });
  checks.push({ name: 'a forged feedback link is refused faster than an accepted one is recorded (p50)', ok: percentile(forged, 50) < percentile(accepted, 50), hard: false, detail: `${ms(percentile(forged, 50))} vs ${ms(percentile(accepted, 50))} ms` });
  return {
    settings: s,
    render: { letters: renders.length, coldMs: round(coldMs, 1), ...dist(renders), bytesP50: percentile(sizes, 50) },
    sending: { runs: acks.length, acknowledgement: dist(acks), note: dist(notes), ratio },
    feedback: { runs: accepted.length, accepted: dist(accepted), used: dist(used), forged: dist(forged) },
    checks,
  };
};

export const lettersReport = (r: LetterBenchResult): string =>
  [
    'Letters and feedback',
    table(
      ['What', 'Result'],
      [
        [`Render a letter (${r.render.letters}: every kind × regime × ${r.settings.passes} passes)`, `p50 ${ms(r.render.p50Ms)} ms, p99 ${ms(r.render.p99Ms)} ms; first (compile) ${ms(r.render.coldMs)} ms; ${r.render.bytesP50} bytes p50`],
        [`POST …/acknowledgement: render + vault write + transaction (${r.sending.runs} runs)`, `p50 ${ms(r.sending.acknowledgement.p50Ms)} ms, p99 ${ms(r.sending.acknowledgement.p99Ms)} ms`],
        ['POST …/notes: the case transaction alone, interleaved', `p50 ${ms(r.sending.note.p50Ms)} ms, p99 ${ms(r.sending.note.p99Ms)} ms: acknowledgement ×${r.sending.ratio}`],
        [`POST /v1/feedback/{token} accepted (${r.feedback.runs} runs)`, `p50 ${ms(r.feedback.accepted.p50Ms)} ms, p99 ${ms(r.feedback.accepted.p99Ms)} ms`],
        ['… the same link again (410)', `p50 ${ms(r.feedback.used.p50Ms)} ms, p99 ${ms(r.feedback.used.p99Ms)} ms`],
        ['… a forged link (401, no table access)', `p50 ${ms(r.feedback.forged.p50Ms)} ms, p99 ${ms(r.feedback.forged.p99Ms)} ms`],
      ],
    ),
  ].join('\n');

if (require.main === module) runStandalone('letters', runLetterBench, lettersReport);
