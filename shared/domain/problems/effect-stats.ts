// Did a fix work: the exact Poisson rate ratio (jstat's beta quantiles). Its own module so only the effect route bundles jstat.
import { jStat } from 'jstat';

// ---------- did the fix work? ----------

export interface Exposure {
  /** Complaints counted in the window. */
  count: number;
  /** The window's length in weeks (the exposure the count is a rate over). */
  weeks: number;
}

export type EffectVerdict = 'reduced' | 'no_evidence_of_change' | 'increased';

export interface RateRatio {
  beforePerWeek: number;
  afterPerWeek: number;
  /** after rate / before rate; null when nothing was counted before (no rate to compare with). */
  ratio: number | null;
  /** Exact (conditional binomial, Clopper-Pearson) confidence interval of the ratio. */
  lower: number | null;
  upper: number | null;
  confidence: number;
  verdict: EffectVerdict;
}

/**
 * The exact test of two Poisson rates: given n = a + b events, the after-count a is Binomial(n, p) with
 * p = Ta·RR / (Ta·RR + Tb). A Clopper-Pearson interval for p (beta quantiles) maps to one for RR through
 * RR = p/(1-p) · Tb/Ta. This is what R's poisson.test(c(a, b), c(Ta, Tb)) reports.
 */
export const rateRatio = (before: Exposure, after: Exposure, confidence = 0.95): RateRatio => {
  if (!(before.weeks > 0 && after.weeks > 0)) throw new RangeError('both windows need a positive length');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be between 0 and 1');
  const a = after.count;
  const b = before.count;
  const n = a + b;
  const base = { beforePerWeek: b / before.weeks, afterPerWeek: a / after.weeks, confidence };
  if (n === 0) return { ...base, ratio: null, lower: null, upper: null, verdict: 'no_evidence_of_change' };
  const alpha = 1 - confidence;
  const pLow = a === 0 ? 0 : jStat.beta.inv(alpha / 2, a, n - a + 1);
  const pHigh = a === n ? 1 : jStat.beta.inv(1 - alpha / 2, a + 1, n - a);
  const toRatio = (p: number) => (p >= 1 ? Infinity : (p / (1 - p)) * (before.weeks / after.weeks));
  const lower = toRatio(pLow);
  const upper = toRatio(pHigh);
  const ratio = b === 0 ? null : base.afterPerWeek / base.beforePerWeek;
  const verdict: EffectVerdict = upper < 1 ? 'reduced' : lower > 1 ? 'increased' : 'no_evidence_of_change';
  return { ...base, ratio, lower, upper: Number.isFinite(upper) ? upper : null, verdict };
};

