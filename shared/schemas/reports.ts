// Report shapes.
import * as z from 'zod';
import { IsoTimestamp } from './common';

const Counts = {
  open: z.number().int().meta({ description: 'Cases not closed (open, awaiting approval, resolved)' }),
  running: z.number().int().meta({ description: 'Cases whose final-response clock runs (open, awaiting approval)' }),
  paused: z.number().int().meta({ description: 'Running cases whose clock is paused' }),
  dueToday: z.number().int().meta({ description: 'Running, not yet overdue, due by the end of today (organisation time zone)' }),
  dueThisWeek: z.number().int().meta({ description: 'Running, not yet overdue, due by the end of this ISO week (Sunday), today included' }),
  atRisk: z.number().int(),
  overdue: z.number().int(),
};

export const DeadlineCounts = z.object(Counts).meta({ id: 'DeadlineCounts' });
export type DeadlineCounts = z.infer<typeof DeadlineCounts>;

export const DeadlineBoard = z
  .object({
    asOf: IsoTimestamp,
    timeZone: z.string(),
    todayEndsAt: IsoTimestamp,
    weekEndsAt: IsoTimestamp,
    totals: DeadlineCounts,
    byOwner: z.array(z.object({ ownerId: z.string(), ...Counts })),
    byRegime: z.array(z.object({ regime: z.string(), ...Counts })),
  })
  .meta({ id: 'DeadlineBoard', description: 'Live deadline board: what is due today and this week, at risk and overdue, by owner and regime' });
export type DeadlineBoard = z.infer<typeof DeadlineBoard>;
