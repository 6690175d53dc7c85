// Writes the labelled triage data set (tools/triage/data/complaints.jsonl) from the hand-written phrase banks, deterministically.
// Run: npx tsx tools/triage/generate-dataset.ts. The same seed always gives the same file, so the committed model is reproducible.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNELS } from '#schemas/complaint';
import { CHANNEL_STYLES, CUE_PHRASES, LARGE_LOSS, MONTHS, NAMES, SCENARIOS, SMALL_LOSS, TONE_CLOSERS, TONE_OPENERS, VULNERABILITY_CUES, type Sev, type Tone, type VulnerabilityCue } from './phrase-banks';
import { DATASET_FILE, type LabelledComplaint } from './dataset';

const SEVERITIES: Sev[] = ['low', 'medium', 'high', 'critical'];
// 1,800 keeps about 50 complaints per vulnerability cue now that there are fourteen (FG21/1's drivers).
const COUNT = 1800;
/** Every fifth record (after the seeded shuffle) is held out from training and only used to measure accuracy. */
const HOLD_OUT_EVERY = 5;

/** mulberry32: a small seeded PRNG, so the data set is the same on every machine. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export const generate = (seed = 20261201): LabelledComplaint[] => {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const fill = (s: string, ctx: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => ctx[k] ?? '');
  const out: LabelledComplaint[] = [];
  for (let i = 0; i < COUNT; i++) {
    // Round-robin over the scenarios keeps every category and scenario equally represented.
    const scenario = SCENARIOS[i % SCENARIOS.length]!;
    const channel = CHANNELS[Math.floor(i / SCENARIOS.length) % CHANNELS.length]!;
    const product = pick(scenario.products);
    const ctx = {
      product,
      days: String(3 + Math.floor(rand() * 25)),
      weeks: String(2 + Math.floor(rand() * 10)),
      date: `${1 + Math.floor(rand() * 28)} ${pick(MONTHS)}`,
      month: pick(MONTHS),
      ref: `HD-${10000 + Math.floor(rand() * 89999)}`,
      amount: String(200 + Math.floor(rand() * 40) * 50),
      name: pick(NAMES),
    };
    const r = rand();
    const cues: VulnerabilityCue[] = r < 0.4 ? [pick(VULNERABILITY_CUES)] : r < 0.46 ? [pick(VULNERABILITY_CUES), pick(VULNERABILITY_CUES)] : [];
    const uniqueCues = [...new Set(cues)];
    const large = rand() < 0.25;
    const tone: Tone = pick(['calm', 'frustrated', 'frustrated', 'angry'] as const);
    const style = CHANNEL_STYLES[channel]!;
    const parts = [
      pick(style.before),
      pick(TONE_OPENERS[tone]),
      pick(scenario.bodies),
      ...uniqueCues.map((c) => pick(CUE_PHRASES[c])),
      large ? pick(LARGE_LOSS) : pick(SMALL_LOSS),
      pick(TONE_CLOSERS[tone]),
      pick(style.after),
    ];
    let description = parts.map((p) => fill(p, ctx)).filter(Boolean).join(' ');
    if (channel === 'chat' || channel === 'social') description = description.toLowerCase();
    let sev = SEVERITIES.indexOf(scenario.severity);
    if (large) sev++;
    if (uniqueCues.length && scenario.severity !== 'low') sev++;
    out.push({
      id: `tri-${String(i + 1).padStart(4, '0')}`,
      channel,
      product,
      summary: fill(pick(scenario.summaries), ctx),
      description,
      labels: { category: scenario.category, severity: SEVERITIES[Math.min(sev, 3)]!, regulatory: scenario.regulatory, vulnerability: uniqueCues, tone },
      split: 'train',
    });
  }
  // A seeded shuffle, then every fifth record is held out: the split is deterministic and spread over every category.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out.map((c, i) => ({ ...c, split: i % HOLD_OUT_EVERY === 0 ? 'test' : 'train' }));
};

if (require.main === module) {
  const rows = generate();
  mkdirSync(join(DATASET_FILE, '..'), { recursive: true });
  writeFileSync(DATASET_FILE, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  console.log(`wrote ${rows.length} complaints (${rows.filter((r) => r.split === 'test').length} held out) to ${DATASET_FILE}`);
}
