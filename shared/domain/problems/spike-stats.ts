// Is a day's volume a spike: the weekday-seasonal Poisson test with a rolling deviation guard (jstat). Its own module
// so only the daily signals job bundles jstat.
import { jStat } from 'jstat';

// ---------- spikes ----------

export interface SpikeSettings {
  /** How many earlier same weekdays form the baseline (seasonal by weekday). */
  baselineWeeks: number;
  /** One-sided Poisson p-value below which a count is significant. */
  alpha: number;
  /** And at least this many standard deviations above the baseline mean (the rolling deviation guards over-dispersion). */
  minZ: number;
  /** And at least this many complaints (a jump from 0 to 2 is not an incident). */
  minCount: number;
}

export const DEFAULT_SPIKE_SETTINGS: SpikeSettings = { baselineWeeks: 8, alpha: 0.001, minZ: 3, minCount: 5 };

export interface SpikeTest {
  count: number;
  baselineMean: number;
  baselineSd: number;
  /** P(X ≥ count) for X ~ Poisson(baseline mean). */
  pValue: number;
  z: number;
  spike: boolean;
}

/**
 * Today's count against the same weekday of the previous weeks (`sameWeekday`, oldest first). The baseline mean has a
 * floor of 0.5 per day so a series that was silent does not make every single complaint significant.
 */
export const testSpike = (count: number, sameWeekday: readonly number[], s: SpikeSettings = DEFAULT_SPIKE_SETTINGS): SpikeTest => {
  const k = sameWeekday.length;
  const mean = k ? sameWeekday.reduce((x, y) => x + y, 0) / k : 0;
  const variance = k > 1 ? sameWeekday.reduce((x, y) => x + (y - mean) ** 2, 0) / (k - 1) : 0;
  const lambda = Math.max(mean, 0.5);
  // Poisson noise is the least spread a count can have: the deviation never goes below √λ.
  const sd = Math.max(Math.sqrt(variance), Math.sqrt(lambda));
  const pValue = count <= 0 ? 1 : 1 - jStat.poisson.cdf(count - 1, lambda);
  const z = (count - mean) / sd;
  return { count, baselineMean: mean, baselineSd: sd, pValue, z, spike: k > 0 && count >= s.minCount && pValue < s.alpha && z >= s.minZ };
};

