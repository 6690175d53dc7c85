// The local triage model: natural Bayes classifiers trained by `npm run triage:train`, loaded from the committed model file
// (no training at start, no network); used by `npm start`, the tests, and in AWS as the fallback when Bedrock fails.
import { join } from 'node:path';
import * as z from 'zod';
import type { BayesClassifier } from 'natural/lib/natural/classifiers';
import { CATEGORIES, SEVERITIES } from '#schemas/classification';
import { VULNERABILITY_CUES, type ModelOutput } from '#schemas/triage';
import type { TriageInput, TriageModel } from '#ports/triage-model';
import { modelText, posterior, restore, sentencesOf, sentimentOf } from './text-model';
import modelJson from './model.json';

export const LOCAL_MODEL_ID = 'local-nb';
export const MODEL_FILE = join(__dirname, 'model.json');

export type FieldName = 'category' | 'severity' | 'regulatory' | 'vulnerability';

export const LocalModelFile = z.object({
  modelId: z.string(),
  version: z.string(),
  dataset: z.object({ file: z.string(), sha256: z.string(), train: z.number().int(), heldOut: z.number().int() }),
  /** Accuracy on the held-out split, per field (cues: exact set of cues; vulnerable: any cue or none). */
  heldOut: z.object({
    category: z.number(),
    severity: z.number(),
    regulatory: z.number(),
    vulnerable: z.number(),
    cues: z.number(),
    /** Share of angry / calm held-out complaints whose sentiment is at or below −0.5 (the default priority rule). */
    sentimentAngryFlagged: z.number(),
    sentimentCalmFlagged: z.number(),
  }),
  classifiers: z.record(z.string(), z.object({ temperature: z.number().positive(), classifier: z.record(z.string(), z.unknown()) })),
});
export type LocalModelFile = z.infer<typeof LocalModelFile>;

const round = (n: number) => Math.round(n * 1000) / 1000;
/** Cues below this probability are not shown at all (noise). */
const INDICATOR_FLOOR = 0.15;

export class LocalTriageModel implements TriageModel {
  readonly modelId: string;
  readonly modelVersion: string;
  private restored: Map<string, { c: BayesClassifier; t: number }> | undefined;

  constructor(readonly file: LocalModelFile) {
    this.modelId = file.modelId;
    this.modelVersion = file.version;
  }

  /**
   * The classifiers, restored on the first suggestion: every function that builds the complaint service holds the
   * model, but only those that open complaints use it, so the others' cold start does not pay for the restore.
   */
  private get classifiers(): Map<string, { c: BayesClassifier; t: number }> {
    this.restored ??= new Map(Object.entries(this.file.classifiers).map(([name, entry]) => [name, { c: restore(entry.classifier), t: entry.temperature }]));
    return this.restored;
  }

  private top(name: string, text: string): { label: string; p: number } {
    const entry = this.classifiers.get(name);
    if (!entry) throw new Error(`the model file has no ${name} classifier`);
    return posterior(entry.c, text, entry.t)[0]!;
  }

  /**
   * Per cue, the highest probability any one sentence gives it; `none` is the chance that no sentence carries a cue
   * (one minus the strongest cue). The cue classifier is trained on sentences (see tools/triage/train.ts).
   */
  static cueProbabilities(c: BayesClassifier, text: string, temperature: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const sentence of sentencesOf(text)) {
      for (const { label, p } of posterior(c, sentence, temperature)) if (label !== 'none') out[label] = Math.max(out[label] ?? 0, p);
    }
    out.none = 1 - Math.max(0, ...Object.values(out));
    return out;
  }

  /** Synchronous inference (a few milliseconds): the suggestion for one complaint. */
  predict(input: TriageInput): ModelOutput {
    const text = modelText(input);
    const category = this.top('category', text);
    const severity = this.top('severity', text);
    const regulatory = this.top('regulatory', text);
    const entry = this.classifiers.get('vulnerability');
    if (!entry) throw new Error('the model file has no vulnerability classifier');
    const probs = LocalTriageModel.cueProbabilities(entry.c, text, entry.t);
    const none = probs.none ?? 1;
    const indicators = VULNERABILITY_CUES.filter((cue) => (probs[cue] ?? 0) >= INDICATOR_FLOOR)
      .map((cue) => ({ cue, confidence: round(probs[cue] ?? 0) }))
      .sort((a, b) => b.confidence - a.confidence);
    if (!(CATEGORIES as readonly string[]).includes(category.label) || !(SEVERITIES as readonly string[]).includes(severity.label)) {
      throw new Error(`the model file predicts labels outside the schema (${category.label}, ${severity.label})`);
    }
    return {
      category: { value: category.label as ModelOutput['category']['value'], confidence: round(category.p) },
      severity: { value: severity.label as ModelOutput['severity']['value'], confidence: round(severity.p) },
      regulatory: { value: regulatory.label === 'true', confidence: round(regulatory.p) },
      vulnerability: { indicators, vulnerable: { value: none < 0.5, confidence: round(Math.max(none, 1 - none)) } },
      sentiment: sentimentOf(`${input.summary}. ${input.description}`),
    };
  }

  async suggest(input: TriageInput, signal: AbortSignal): Promise<ModelOutput> {
    signal.throwIfAborted();
    return this.predict(input);
  }
}

let shared: LocalTriageModel | undefined;
/** The committed model, parsed once per process. */
export const localTriageModel = (): LocalTriageModel => (shared ??= new LocalTriageModel(LocalModelFile.parse(modelJson)));
