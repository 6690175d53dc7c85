// Triage at intake on the local stack: what a suggestion costs (the committed local model: load once, then per
// complaint), what it adds to POST /v1/complaints (measured side by side, interleaved), and the model's held-out
// accuracy per field as `npm run triage:train` recorded it (re-measured here with the same inference code).
//
// `npm run bench` starts it as `node --import tsx bench/triage.ts --json FILE --no-report` (BENCH_ONLY=triage);
// standalone: `npx tsx bench/triage.ts [--json FILE] [--no-report]`.
//
// 1. Model load: the adapter's import, then parse + restore of the committed model file (the first intake of a cold function).
// 2. Per suggestion: LocalTriageModel.predict over every held-out complaint, BENCH_TRIAGE_PASSES passes after one
//    warm-up pass; p50/p99 per complaint.
// 3. Intake: BENCH_TRIAGE_CREATES rounds, each one POST /v1/complaints (triage inline, local model) and one runTriage
//    call on the same text (the domain's model chain with its timeout), interleaved; the ratio of medians is the share
//    of case creation spent on triage.
import { performance } from 'node:perf_hooks';
import { runStandalone } from './standalone';
import { expectStatus, typed } from './api-client';
import { benchComplaint } from './fixtures/complaint';
import { envInt, ms, percentile, round, say, table } from './stats';

export interface TriageBenchSettings {
  passes: number;
  creates: number;
}
export const triageSettings = (): TriageBenchSettings => ({ passes: envInt('BENCH_TRIAGE_PASSES', 5, 1), creates: envInt('BENCH_TRIAGE_CREATES', 60, 5) });

export interface TriageBenchResult {
  settings: TriageBenchSettings;
  model: { id: string; version: string; fileBytes: number; jsonBytes: number; importMs: number; loadMs: number; heldOut: Record<string, number>; remeasuredCategory: number };
  perSuggestion: { complaints: number; p50Ms: number; p99Ms: number; meanMs: number };
  intake: { runs: number; createP50Ms: number; createP99Ms: number; triageP50Ms: number; triageP99Ms: number; triageShareOfCreate: number };
  checks: { name: string; ok: boolean; hard: boolean; detail: string }[];
}

const runTriageBench = async (): Promise<TriageBenchResult> => {
  const s = triageSettings();
  const checks: TriageBenchResult['checks'] = [];

  // 1. Load (what a cold function pays once).
  const t0 = performance.now();
  const { LocalTriageModel, LocalModelFile, committedModelJson } = await import('#adapters/local/triage/local-triage-model');
  const { MODEL_DEFLATED } = await import('#adapters/local/triage/model');
  const t1 = performance.now();
  const MODEL_JSON = committedModelJson();
  const model = new LocalTriageModel(LocalModelFile.parse(JSON.parse(MODEL_JSON)));
  const loadMs = performance.now() - t1;
  const importMs = performance.now() - t0 - loadMs;

  // 2. Per suggestion, over the held-out split.
  const { loadDataset } = await import('../tools/triage/dataset');
  const heldOut = loadDataset().filter((r) => r.split === 'test');
  let right = 0;
  for (const r of heldOut) if (model.predict(r).category.value === r.labels.category) right++; // warm-up pass, and the re-measure
  const times: number[] = [];
  for (let pass = 0; pass < s.passes; pass++) {
    for (const r of heldOut) {
      const a = performance.now();
      model.predict(r);
      times.push(performance.now() - a);
    }
  }
  say(`  ${times.length} suggestions: p50 ${ms(percentile(times, 50))} ms, p99 ${ms(percentile(times, 99))} ms`);

  // 3. Intake, side by side with the chain alone.
  process.env.TRIAGE = JSON.stringify({ models: ['local'] });
  const { startStack } = await import('../infra/local/stack');
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, projection: false, log: () => {} });
  const { runTriage } = await import('#domain/triage');
  const { triageModels } = await import('#http/triage-container');
  const { config } = await import('#http/config');
  const chain = { models: triageModels(), settings: config().triage };
  const api = typed(stack);
  const creates: number[] = [];
  const chains: number[] = [];
  try {
    for (let i = 0; i < s.creates + 5; i++) {
      const r = heldOut[i % heldOut.length]!;
      const body = benchComplaint(r.summary, { description: r.description, product: r.product, channel: r.channel, category: 'other' });
      const a = performance.now();
      await expectStatus(api(['bench-intake', ['intake']]).POST('/v1/complaints', { body }), 201, 'create a case');
      const created = performance.now() - a;
      const b = performance.now();
      await runTriage(chain, body);
      const triaged = performance.now() - b;
      if (i >= 5) {
        creates.push(created);
        chains.push(triaged);
      }
    }
  } finally {
    await stack.stop();
  }
  const createP50 = percentile(creates, 50);
  const triageP50 = percentile(chains, 50);
  say(`  intake: create p50 ${ms(createP50)} ms, triage alone p50 ${ms(triageP50)} ms`);
  checks.push({ name: 'triage per suggestion under 50 ms (p99)', ok: percentile(times, 99) < 50, hard: false, detail: `${ms(percentile(times, 99))} ms` });
  const file = LocalModelFile.parse(JSON.parse(MODEL_JSON));
  return {
    settings: s,
    model: { id: model.modelId, version: model.modelVersion, fileBytes: Buffer.byteLength(MODEL_DEFLATED), jsonBytes: Buffer.byteLength(MODEL_JSON), importMs: round(importMs, 1), loadMs: round(loadMs, 1), heldOut: file.heldOut, remeasuredCategory: round(right / heldOut.length, 3) },
    perSuggestion: { complaints: times.length, p50Ms: round(percentile(times, 50), 2), p99Ms: round(percentile(times, 99), 2), meanMs: round(times.reduce((x, y) => x + y, 0) / times.length, 2) },
    intake: {
      runs: creates.length,
      createP50Ms: round(createP50, 1),
      createP99Ms: round(percentile(creates, 99), 1),
      triageP50Ms: round(triageP50, 2),
      triageP99Ms: round(percentile(chains, 99), 2),
      triageShareOfCreate: round(triageP50 / createP50, 3),
    },
    checks,
  };
};

export const triageReport = (r: TriageBenchResult): string =>
  [
    `Triage (${r.model.id} ${r.model.version}, model file ${(r.model.fileBytes / 1024).toFixed(0)} KB)`,
    table(
      ['What', 'Result'],
      [
        ['Adapter import (natural, the model module, zod schemas; tsx, unbundled)', `${ms(r.model.importMs)} ms`],
        ['Model load (parse + restore, once per process)', `${ms(r.model.loadMs)} ms`],
        [`Per suggestion (${r.perSuggestion.complaints} held-out complaints)`, `p50 ${ms(r.perSuggestion.p50Ms)} ms, p99 ${ms(r.perSuggestion.p99Ms)} ms`],
        [`POST /v1/complaints with triage inline (${r.intake.runs} runs)`, `p50 ${ms(r.intake.createP50Ms)} ms, p99 ${ms(r.intake.createP99Ms)} ms`],
        ['The model chain alone, same complaints, interleaved', `p50 ${ms(r.intake.triageP50Ms)} ms, p99 ${ms(r.intake.triageP99Ms)} ms: ${(r.intake.triageShareOfCreate * 100).toFixed(1)} % of a create`],
        ['Held-out accuracy (triage:train)', Object.entries(r.model.heldOut).map(([k, v]) => `${k} ${(v * 100).toFixed(1)} %`).join(', ')],
      ],
    ),
  ].join('\n');

if (require.main === module) runStandalone('triage', runTriageBench, triageReport);
