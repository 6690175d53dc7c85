// A case timer: what a one-time schedule carries to the checkpoint handler (EventBridge Scheduler's `Input`).
import * as z from 'zod';
import { IsoTimestamp, Ulid } from './common';

export const TIMER_KINDS = ['checkpoint', 'acknowledgement', 'dependency', 'feedback'] as const;
export const TimerKind = /* @__PURE__ */ z.enum(TIMER_KINDS);

/** Schedule names: 1–64 of [0-9a-zA-Z-_.] (EventBridge Scheduler). */
export const TimerName = /* @__PURE__ */ z.string().regex(/^[0-9A-Za-z_.-]{1,64}$/);

export const Timer = /* @__PURE__ */ z
  .object({
    name: TimerName,
    caseId: Ulid,
    cycle: /* @__PURE__ */ z.number().int().min(1),
    kind: TimerKind,
    percent: /* @__PURE__ */ z.number().int().min(1).max(100).optional(),
    taskId: /* @__PURE__ */ Ulid.optional(),
    at: IsoTimestamp,
  })
  .strict()
  .meta({ id: 'Timer', description: 'A per-case one-time timer: a deadline checkpoint, the acknowledgement deadline, a blocked dependency or the satisfaction follow-up' });
export type Timer = z.infer<typeof Timer>;
