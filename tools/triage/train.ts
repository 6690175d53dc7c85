// `npm run triage:train`: trains the local triage model (natural Bayes classifiers) on the data set's training split,
// measures it on the held-out split and writes the committed model file that `npm start` and the tests load.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { MODEL_FILE, LOCAL_MODEL_ID, LocalModelFile, modelModule, type FieldName, LocalTriageModel } from '#adapters/local/triage/local-triage-model';
import type { BayesClassifier } from 'natural/lib/natural/classifiers';
import Bayes from 'natural/lib/natural/classifiers/bayes_classifier';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { modelText, posterior, sentencesOf, type TrainedBayes } from '#adapters/local/triage/text-model';
import { DATASET_FILE, loadDataset, type LabelledComplaint } from './dataset';

type Labeller = (c: LabelledComplaint) => string;
const FIELDS: Record<FieldName, Labeller> = {
  category: (c) => c.labels.category,
  severity: (c) => c.labels.severity,
  regulatory: (c) => String(c.labels.regulatory),
  // One classifier over `none` and the cues: a cue sentence is a small part of a complaint, and competing cue classes
  // cancel the words every complaint shares, which binary per-cue classifiers (6 % positives each) could not.
  vulnerability: (c) => c.labels.vulnerability[0] ?? 'none',
};
const TEMPERATURES = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32];

/**
 * A classifier whose vocabulary has no prototype: natural counts training tokens with `features[token] || 0`, which
 * for a word such as "constructor" reads Object.prototype (training on real complaints from the feedback export).
 */
const newClassifier = (): BayesClassifier => Object.assign(new Bayes(PorterStemmer), { features: Object.create(null) as Record<string, number> });

/** A classifier without its training documents (they are only needed to retrain; the counts are the model). */
const serialise = (c: BayesClassifier): Record<string, unknown> => {
  const json = JSON.parse(JSON.stringify(c)) as Record<string, unknown>;
  json.docs = [];
  return json;
};

const train = (rows: LabelledComplaint[], label: Labeller) => {
  const c = newClassifier();
  for (const r of rows) {
    if (label !== FIELDS.vulnerability) {
      c.addDocument(modelText(r), label(r));
      continue;
    }
    // Vulnerability is learnt sentence by sentence: every sentence of a complaint without a cue is `none`; those of a
    // complaint with cues count towards each cue. Sentences every complaint shares end up mostly `none`; a cue sentence,
    // seen only in complaints with that cue, ends up with its cue.
    const labels = r.labels.vulnerability.length ? r.labels.vulnerability : ['none'];
    for (const sentence of sentencesOf(modelText(r))) for (const l of labels) c.addDocument(sentence, l);
  }
  c.train();
  return c;
};

/** The temperature with the lowest log loss on a validation quarter of the training split (the held-out split stays unseen). */
const pickTemperature = (rows: LabelledComplaint[], label: Labeller): number => {
  const fit = rows.filter((_, i) => i % 4 !== 0);
  const val = rows.filter((_, i) => i % 4 === 0);
  // The live classifier is read as inference reads the model file's (its vocabulary and apparatus' counts).
  const c: TrainedBayes = train(fit, label);
  const probability = (r: LabelledComplaint, t: number) =>
    label === FIELDS.vulnerability ? LocalTriageModel.cueProbabilities(c, modelText(r), t)[label(r)] ?? 0 : posterior(c, modelText(r), t).find((x) => x.label === label(r))?.p ?? 0;
  const loss = (t: number) => val.reduce((s, r) => s - Math.log(Math.max(1e-9, probability(r, t))), 0);
  return TEMPERATURES.reduce((best, t) => (loss(t) < loss(best) ? t : best), 1);
};

const main = () => {
  const started = Date.now();
  const rows = loadDataset();
  const trainRows = rows.filter((r) => r.split === 'train');
  const test = rows.filter((r) => r.split === 'test');
  const dataHash = createHash('sha256').update(readFileSync(DATASET_FILE)).digest('hex');
  const classifiers: Record<string, { temperature: number; classifier: Record<string, unknown> }> = {};
  for (const [field, label] of Object.entries(FIELDS)) {
    classifiers[field] = { temperature: pickTemperature(trainRows, label), classifier: serialise(train(trainRows, label)) };
  }
  const draft = LocalModelFile.parse({
    modelId: LOCAL_MODEL_ID,
    version: `1.${dataHash.slice(0, 12)}`,
    dataset: { file: 'tools/triage/data/complaints.jsonl', sha256: dataHash, train: trainRows.length, heldOut: test.length },
    heldOut: { category: 0, severity: 0, regulatory: 0, vulnerable: 0, cues: 0, sentimentAngryFlagged: 0, sentimentCalmFlagged: 0 },
    classifiers,
  });
  // Held-out accuracy, measured with the same inference code the API runs.
  const model = new LocalTriageModel(draft);
  let cat = 0, sev = 0, reg = 0, vul = 0, cues = 0, angry = 0, angryNeg = 0, calm = 0, calmNeg = 0;
  for (const r of test) {
    const out = model.predict(r);
    if (out.category.value === r.labels.category) cat++;
    if (out.severity.value === r.labels.severity) sev++;
    if (out.regulatory.value === r.labels.regulatory) reg++;
    const top = out.vulnerability.indicators[0];
    const flagged = out.vulnerability.vulnerable.value;
    if (flagged === r.labels.vulnerability.length > 0) vul++;
    // The cue is right when the complaint has none and none is flagged, or the top indicator is one of its cues.
    if (r.labels.vulnerability.length === 0 ? !flagged : Boolean(flagged && top && r.labels.vulnerability.includes(top.cue))) cues++;
    // The priority rule's default: sentiment at or below −0.5.
    if (r.labels.tone === 'angry') {
      angry++;
      if (out.sentiment.score <= -0.5) angryNeg++;
    }
    if (r.labels.tone === 'calm') {
      calm++;
      if (out.sentiment.score <= -0.5) calmNeg++;
    }
  }
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const file = {
    ...draft,
    heldOut: {
      category: round(cat / test.length),
      severity: round(sev / test.length),
      regulatory: round(reg / test.length),
      vulnerable: round(vul / test.length),
      cues: round(cues / test.length),
      sentimentAngryFlagged: round(angry ? angryNeg / angry : 0),
      sentimentCalmFlagged: round(calm ? calmNeg / calm : 0),
    },
  };
  writeFileSync(MODEL_FILE, modelModule(file));
  console.log(`trained ${file.modelId} ${file.version} on ${trainRows.length} complaints in ${Date.now() - started} ms; held-out (${test.length}):`, file.heldOut);
  console.log('temperatures:', Object.fromEntries(Object.entries(classifiers).map(([k, v]) => [k, v.temperature])));
};

main();
