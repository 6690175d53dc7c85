// Deadline calculation: the single place that turns a regime and a clock start into due times.
import type { Regime, RegimeClock } from '#schemas/regime';
import type { Risk } from '#schemas/complaint';

const DAY_MS = 86_400_000;
export const CHECKPOINT_PERCENTS = [50, 75, 90, 100] as const;
/** A case is at risk once this share of its clock has elapsed. */
export const AT_RISK_PERCENT = 75;

const clockMs = (clock: RegimeClock): number => (clock.unit === 'weeks' ? clock.amount * 7 : clock.amount) * DAY_MS;

const finalClock = (regime: Regime): RegimeClock => {
  const clock = regime.clocks.find((c) => c.id === 'final_response');
  if (!clock) throw new Error(`regime ${regime.id} has no final_response clock`);
  return clock;
};

export interface Deadline {
  startedAt: string;
  dueAt: string;
  checkpoints: { percent: number; at: string }[];
}

export const computeDeadline = (regime: Regime, startedAt: string): Deadline => {
  const start = Date.parse(startedAt);
  const span = clockMs(finalClock(regime));
  return {
    startedAt: new Date(start).toISOString(),
    dueAt: new Date(start + span).toISOString(),
    checkpoints: CHECKPOINT_PERCENTS.map((percent) => ({ percent, at: new Date(start + (span * percent) / 100).toISOString() })),
  };
};

/** Risk of an open clock at `now`; a stopped clock is judged at the moment it stopped. */
export const riskAt = (d: { checkpoints: { percent: number; at: string }[]; dueAt: string }, now: string, stoppedAt?: string): Risk => {
  const t = Date.parse(stoppedAt ?? now);
  if (t > Date.parse(d.dueAt)) return 'overdue';
  if (stoppedAt) return 'on_track';
  const atRisk = d.checkpoints.find((c) => c.percent === AT_RISK_PERCENT);
  return atRisk && t >= Date.parse(atRisk.at) ? 'at_risk' : 'on_track';
};

/** The moment a running clock turns at-risk (stored so lists can filter by risk). */
export const atRiskFrom = (d: { checkpoints: { percent: number; at: string }[] }): string =>
  d.checkpoints.find((c) => c.percent === AT_RISK_PERCENT)?.at ?? '';
