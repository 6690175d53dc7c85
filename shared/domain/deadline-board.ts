// The deadline board: counts of live risk from the index attributes every case item carries. Pure.
import { endOfLocal } from './time-zone';
import type { Risk, Status } from '#schemas/complaint';
import type { DeadlineBoard, DeadlineCounts } from '#schemas/reports';
import { RUNNING_CLOCK_STATUSES } from './deadlines';

/** What the board needs of one active case (the repository projects exactly this). */
export interface DeadlineRow {
  ownerId: string;
  regime: string;
  status: Status;
  dueAt: string;
  /** When the case turns at risk (75 % checkpoint, or earlier through a blocked dependency). */
  atRiskAt: string;
  /** Risk frozen while the clock is paused. */
  pausedRisk?: Risk;
}

const empty = (): DeadlineCounts => ({ open: 0, running: 0, paused: 0, dueToday: 0, dueThisWeek: 0, atRisk: 0, overdue: 0 });

/** The same rule as a case's presented risk, read from the index attributes. */
export const rowRisk = (r: DeadlineRow, now: string): Risk => {
  if (r.pausedRisk) return r.pausedRisk;
  if (now > r.dueAt) return 'overdue';
  return r.atRiskAt && r.atRiskAt <= now ? 'at_risk' : 'on_track';
};

const byCount = (a: DeadlineCounts, b: DeadlineCounts) => b.overdue - a.overdue || b.atRisk - a.atRisk || b.dueToday - a.dueToday || b.open - a.open;

export const buildDeadlineBoard = (rows: Iterable<DeadlineRow>, now: string, timeZone: string): DeadlineBoard => {
  const todayEndsAt = endOfLocal('day', now, timeZone);
  const weekEndsAt = endOfLocal('week', now, timeZone);
  const totals = empty();
  const owners = new Map<string, DeadlineCounts>();
  const regimes = new Map<string, DeadlineCounts>();
  const running = new Set<string>(RUNNING_CLOCK_STATUSES);
  for (const r of rows) {
    const groups = [totals, owners.get(r.ownerId) ?? owners.set(r.ownerId, empty()).get(r.ownerId)!, regimes.get(r.regime) ?? regimes.set(r.regime, empty()).get(r.regime)!];
    const add = (key: keyof DeadlineCounts) => groups.forEach((g) => g[key]++);
    add('open');
    if (!running.has(r.status)) continue;
    add('running');
    if (r.pausedRisk) add('paused');
    const risk = rowRisk(r, now);
    if (risk === 'overdue') add('overdue');
    if (risk === 'at_risk') add('atRisk');
    if (!r.pausedRisk && r.dueAt >= now) {
      if (r.dueAt <= todayEndsAt) add('dueToday');
      if (r.dueAt <= weekEndsAt) add('dueThisWeek');
    }
  }
  return {
    asOf: now,
    timeZone,
    todayEndsAt,
    weekEndsAt,
    totals,
    byOwner: [...owners].map(([ownerId, c]) => ({ ownerId, ...c })).sort((a, b) => byCount(a, b) || a.ownerId.localeCompare(b.ownerId)),
    byRegime: [...regimes].map(([regime, c]) => ({ regime, ...c })).sort((a, b) => byCount(a, b) || a.regime.localeCompare(b.regime)),
  };
};
