// Deadline regime: the published shape of a regulatory (or internal) complaint-handling clock policy.
import * as z from 'zod';

export const ClockUnit = z.enum(['calendar_days', 'weeks']);
export const RegimeClock = z.object({
  id: z.enum(['acknowledgement', 'final_response']),
  amount: z.number().int().positive(),
  unit: ClockUnit,
  citation: z.string(),
  description: z.string(),
});
export const Regime = z
  .object({
    id: z.string(),
    name: z.string(),
    jurisdiction: z.string(),
    citation: z.string(),
    timeZone: z.string(),
    clocks: z.array(RegimeClock),
    mayPause: z.boolean(),
    notes: z.string().optional(),
  })
  .meta({ id: 'Regime' });
export type Regime = z.infer<typeof Regime>;
export type RegimeClock = z.infer<typeof RegimeClock>;
export const RegimeList = z.object({ items: z.array(Regime) }).meta({ id: 'RegimeList' });
