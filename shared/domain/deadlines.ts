// Deadline calculation: the single place that turns a regime and a receipt into clock start, due times and checkpoints.
//
// - Calendar clocks (`calendar_days`, `weeks`) run from the receipt instant to the same local wall-clock time
//   n days later in the regime's zone (09:00 stays 09:00 across a DST change). Their checkpoints are shares of
//   the elapsed (calendar) time.
// - Business-day clocks count from the day of receipt (day 0, the local date, never counted, business day or not)
//   and end at close of business on the n-th business day: DISP 1.5.1R "the third business day following the day
//   on which it is received", DISP 1.6.2AR "15 business days after the day on which it received the complaint".
//   Only a clock that is the organisation's own policy (`basis: 'policy'`) moves its day 0 by the regime's cut-off
//   (a receipt after close of business, or on a non-business day, acknowledged as if received the next business
//   day); the deleted DISP 1.5.3G is no rule. The clock runs in business time (business hours on business days,
//   see calendar.ts), starting at the opening of the first business day after day 0, so 15 business days of
//   09:00–17:00 are 120 working hours and the 50 % checkpoint falls 60 working hours in.
import type { ClockId, ClockUnit, Regime, RegimeClock } from '#schemas/regime';
import type { Risk } from '#schemas/complaint';
import { addBusinessTime, businessTimeBetween, calendarCore, canonicalInstant, isoOf, type CompiledCalendar } from './calendar';
import { ConflictError } from './errors';

export const CHECKPOINT_PERCENTS = [50, 75, 90, 100] as const;
/** A case is at risk once this share of its clock has elapsed. */
export const AT_RISK_PERCENT = 75;
/** Statuses whose final-response clock is still running: the only cases a risk filter can match. */
export const RUNNING_CLOCK_STATUSES = ['open', 'awaiting_approval'] as const;
/** Periodic-update due dates listed ahead (the scheduler re-derives later ones while the case stays open). */
const MAX_UPDATES = 24;

export type TimeBasis = 'business_time' | 'calendar_time';

export interface Checkpoint {
  percent: number;
  at: string;
  firedAt?: string;
}

export interface Deadline {
  /** The receipt instant (UTC); a cycle starts here. */
  startedAt: string;
  /** The day of receipt (day 0 of every rule clock), as a local date in the regime's zone. */
  receiptDate: string;
  /** When the governing clock starts to run (the receipt instant for calendar clocks). */
  clockStartsAt: string;
  basis: TimeBasis;
  /** The clock that governs `dueAt` and the checkpoints: final_response, or the extended one once extended. */
  clock: { id: ClockId; amount: number; unit: ClockUnit };
  dueAt: string;
  acknowledgementDueAt?: string;
  /** End of the summary-resolution window (UK_FCA_DISP: close of business on the third business day). */
  summaryResolutionEndsAt?: string;
  /** The deadline an allowed extension would give, while not yet extended. */
  extendedDueAt?: string;
  /** Periodic customer updates due up to the final response (IE_CBI_CPC: every 20 business days). */
  customerUpdatesDueAt?: string[];
  checkpoints: Checkpoint[];
}

export interface DeadlineOptions {
  /** Use the regime's extension clock (for example UK_FCA_PSD exceptional circumstances: 35 business days). */
  extended?: boolean;
}

// Module-level bindings of what the hot path calls: under tsx (the bench, npm start) an imported name is a getter
// read on every use; bound once here, a call is a plain property read, as in the bundled function.
const iso = isoOf;
const parseCanonical = canonicalInstant;
const core = { ...calendarCore };

const clockOf = (regime: Regime, id: ClockId): RegimeClock | undefined => regime.clocks.find((c) => c.id === id);

const basisOf = (unit: ClockUnit): TimeBasis => (unit === 'business_days' ? 'business_time' : 'calendar_time');

interface Timing {
  startsAt: number;
  dueAt: number;
  basis: TimeBasis;
  /** The due instant as ISO, where the calendar already had it (close of business). */
  dueIso?: string;
}

/**
 * Start and end of one clock counted from a receipt instant and its (cut-off adjusted) day 0: day numbers and epoch
 * milliseconds throughout (calendar.ts's numeric core), strings only for the result.
 */
const timingOf = (c: CompiledCalendar, clock: Pick<RegimeClock, 'amount' | 'unit'>, receivedMs: number, day0: number, multiple = 1): Timing => {
  const amount = clock.amount * multiple;
  if (clock.unit === 'business_days') {
    const startsAt = core.open(c, core.nextBusinessDay(c, day0));
    const dueDay = core.addBusinessDays(c, day0, amount);
    return { basis: 'business_time', startsAt, dueAt: core.close(c, dueDay), dueIso: core.closeIso(c, dueDay) };
  }
  const days = clock.unit === 'weeks' ? 7 * amount : amount;
  if (!Number.isInteger(days)) throw new RangeError(`calendar days must be whole, got ${days}`);
  return { basis: 'calendar_time', startsAt: receivedMs, dueAt: core.addCalendarDays(c, receivedMs, days) };
};

const dueIsoOf = (t: Timing): string => t.dueIso ?? iso(t.dueAt);

/**
 * Checkpoints at 50/75/90/100 % of the clock: business time for business-day clocks, elapsed time otherwise. (The
 * hot path defines no closure per call: a run under tsx names every function it creates, at a cost per creation.)
 */
const checkpointsOf = (c: CompiledCalendar, t: Timing): Checkpoint[] => {
  const business = t.basis === 'business_time';
  const total = business ? core.businessTimeBetween(c, t.startsAt, t.dueAt) : t.dueAt - t.startsAt;
  const out: Checkpoint[] = [];
  for (const percent of CHECKPOINT_PERCENTS) {
    if (percent === 100) {
      out.push({ percent, at: dueIsoOf(t) });
      continue;
    }
    const share = Math.round((total * percent) / 100);
    out.push({ percent, at: iso(business ? core.addBusinessTime(c, t.startsAt, share) : t.startsAt + share) });
  }
  return out;
};

const finalClock = (regime: Regime, extended: boolean): RegimeClock => {
  if (extended) {
    const id = regime.extension.allowed ? regime.extension.clock : undefined;
    const clock = id && clockOf(regime, id);
    if (!clock) throw new ConflictError(`the ${regime.id} regime has no fixed extended deadline`, { regime: regime.id });
    return clock;
  }
  const clock = clockOf(regime, 'final_response');
  if (!clock) throw new Error(`regime ${regime.id} has no final_response clock`);
  return clock;
};

/** What computeDeadline reads of a regime besides its calendar, found once per regime object (regimes are memoised). */
interface Plan {
  ack: RegimeClock | undefined;
  summary: RegimeClock | undefined;
  extended: RegimeClock | undefined;
  update: RegimeClock | undefined;
}
const plans = new WeakMap<Regime, Plan>();

const fromReceipt = (clock: RegimeClock | undefined): RegimeClock | undefined => (clock && (clock.from ?? 'receipt') === 'receipt' ? clock : undefined);

const planOf = (regime: Regime): Plan => {
  let p = plans.get(regime);
  if (!p) {
    const extendedId = regime.extension.allowed ? regime.extension.clock : undefined;
    const update = clockOf(regime, 'customer_update');
    p = {
      ack: fromReceipt(clockOf(regime, 'acknowledgement')),
      summary: fromReceipt(clockOf(regime, 'summary_resolution')),
      extended: extendedId ? fromReceipt(clockOf(regime, extendedId)) : undefined,
      update: update?.recurring ? update : undefined,
    };
    plans.set(regime, p);
  }
  return p;
};

/**
 * Day 0 of a clock: the local date of receipt for every rule or guidance clock; a policy clock alone takes the
 * regime's cut-off (the organisation's acknowledgement standard), which may move it to the next business day.
 */
const dayZero = (c: CompiledCalendar, regime: Regime, receivedMs: number, clock: Pick<RegimeClock, 'basis'>): number =>
  core.receiptDay(c, receivedMs, clock.basis === 'policy' ? regime.cutOff : null);

/** The due instant (ISO) of a clock counted from receipt, or undefined for no clock. */
const dueFromReceipt = (c: CompiledCalendar, regime: Regime, receivedMs: number, clock: RegimeClock | undefined): string | undefined =>
  clock && dueIsoOf(timingOf(c, clock, receivedMs, dayZero(c, regime, receivedMs, clock)));

/** Every due time of a case received at `receivedAt` under `regime`. Pure: no clock, no I/O. */
export const computeDeadline = (regime: Regime, receivedAt: string, opts: DeadlineOptions = {}): Deadline => {
  const canonicalMs = parseCanonical(receivedAt);
  const canonical = !Number.isNaN(canonicalMs);
  const receivedMs = canonical ? canonicalMs : Date.parse(receivedAt);
  if (!Number.isFinite(receivedMs)) throw new RangeError(`receivedAt is not an instant: ${receivedAt}`);
  const c = core.compile(regime.calendar);
  const receiptDay = core.dayString(core.localDay(c, receivedMs));
  const governing = finalClock(regime, opts.extended ?? false);
  const main = timingOf(c, governing, receivedMs, dayZero(c, regime, receivedMs, governing));

  const plan = planOf(regime);
  const ack = dueFromReceipt(c, regime, receivedMs, plan.ack);
  const summary = dueFromReceipt(c, regime, receivedMs, plan.summary);
  const extendedDue = !opts.extended ? dueFromReceipt(c, regime, receivedMs, plan.extended) : undefined;

  const updates: string[] = [];
  if (plan.update) {
    const start = dayZero(c, regime, receivedMs, plan.update);
    for (let k = 1; k <= MAX_UPDATES; k++) {
      const t = timingOf(c, plan.update, receivedMs, start, k);
      if (t.dueAt > main.dueAt) break;
      updates.push(dueIsoOf(t));
    }
  }

  const checkpoints = checkpointsOf(c, main);
  const out: Omit<Deadline, 'checkpoints'> & { checkpoints?: Checkpoint[] } = {
    // The canonical form is already its own ISO string; any other form of the instant is normalised.
    startedAt: canonical ? receivedAt : iso(receivedMs),
    receiptDate: receiptDay,
    clockStartsAt: iso(main.startsAt),
    basis: main.basis,
    clock: { id: governing.id, amount: governing.amount, unit: governing.unit },
    dueAt: dueIsoOf(main),
  };
  // Optional fields only when present, then the checkpoints: the key order every stored deadline has always had.
  if (ack) out.acknowledgementDueAt = ack;
  if (summary) out.summaryResolutionEndsAt = summary;
  if (extendedDue) out.extendedDueAt = extendedDue;
  if (updates.length) out.customerUpdatesDueAt = updates;
  out.checkpoints = checkpoints;
  return out as Deadline;
};

/**
 * The due time of a clock counted from another event, e.g. IE_CBI_CPC's outcome letter within 5 business days
 * of concluding the investigation. No cut-off applies to such events: the day of the event is day 0.
 */
export const clockDueFrom = (regime: Regime, id: ClockId, from: string): string => {
  const clock = clockOf(regime, id);
  if (!clock) throw new ConflictError(`the ${regime.id} regime has no ${id} clock`, { regime: regime.id, clock: id });
  const ms = Date.parse(from);
  // An unparsable `from` is refused as Date#toISOString refuses it, before any calendar work.
  if (!Number.isFinite(ms)) throw new RangeError('Invalid time value');
  const c = core.compile(regime.calendar);
  return dueIsoOf(timingOf(c, clock, ms, core.receiptDay(c, ms, null)));
};

/** Risk of an open clock at `now`; a stopped clock is judged at the moment it stopped. */
export const riskAt = (d: { checkpoints: { percent: number; at: string; firedAt?: string }[]; dueAt: string }, now: string, stoppedAt?: string): Risk => {
  const t = Date.parse(stoppedAt ?? now);
  if (t > Date.parse(d.dueAt)) return 'overdue';
  // The breach checkpoint has fired (at or after the due instant): the deadline is missed.
  if (!stoppedAt && d.checkpoints.some((c) => c.percent === 100 && c.firedAt)) return 'overdue';
  if (stoppedAt) return 'on_track';
  const atRisk = d.checkpoints.find((c) => c.percent === AT_RISK_PERCENT);
  return atRisk && t >= Date.parse(atRisk.at) ? 'at_risk' : 'on_track';
};

/** The moment a running clock turns at-risk (stored so lists can filter by risk). */
export const atRiskFrom = (d: { checkpoints: { percent: number; at: string }[] }): string =>
  d.checkpoints.find((c) => c.percent === AT_RISK_PERCENT)?.at ?? '';

/** The due-time fields a pause moves, whichever object (a Deadline or a stored case) carries them. */
export interface PausableTimes {
  dueAt?: string;
  finalResponseDueAt?: string;
  acknowledgementDueAt?: string;
  summaryResolutionEndsAt?: string;
  extendedDueAt?: string;
  customerUpdatesDueAt?: string[];
  checkpoints: Checkpoint[];
}

/**
 * Moves every pending due time (later than `pausedAt`; checkpoints not yet fired) by the paused duration:
 * the business time paused for a business-day clock, the elapsed time for a calendar clock. Each time keeps
 * the clock time it still had left when the pause began, counted again from `resumedAt`.
 */
export const shiftForPause = <T extends PausableTimes>(d: T, pausedAt: string, resumedAt: string, regime: Regime): T => {
  if (!regime.mayPause) throw new ConflictError(`the ${regime.id} regime does not allow the clock to pause`, { regime: regime.id });
  const p = Date.parse(pausedAt);
  const r = Date.parse(resumedAt);
  if (!Number.isFinite(p) || !Number.isFinite(r) || r < p) throw new RangeError('resumedAt must be an instant not before pausedAt');
  const cal = regime.calendar;
  const unitOf = (id: ClockId): ClockUnit => clockOf(regime, id)?.unit ?? 'calendar_days';
  const shift =
    (unit: ClockUnit) =>
    (at: string): string => {
      const t = Date.parse(at);
      if (t <= p) return at;
      return basisOf(unit) === 'business_time' ? addBusinessTime(r, businessTimeBetween(p, t, cal), cal) : iso(r + (t - p));
    };
  const final = shift(unitOf('final_response'));
  const out: T = { ...d, checkpoints: d.checkpoints.map((c) => (c.firedAt ? c : { ...c, at: final(c.at) })) };
  if (d.dueAt) out.dueAt = final(d.dueAt);
  if (d.finalResponseDueAt) out.finalResponseDueAt = final(d.finalResponseDueAt);
  if (d.acknowledgementDueAt) out.acknowledgementDueAt = shift(unitOf('acknowledgement'))(d.acknowledgementDueAt);
  if (d.summaryResolutionEndsAt) out.summaryResolutionEndsAt = shift(unitOf('summary_resolution'))(d.summaryResolutionEndsAt);
  if (d.extendedDueAt) out.extendedDueAt = shift(unitOf('extended_final_response'))(d.extendedDueAt);
  if (d.customerUpdatesDueAt) out.customerUpdatesDueAt = d.customerUpdatesDueAt.map(shift(unitOf('customer_update')));
  return out;
};
