// The deadline computation as it was before issue 28's fast path (shared/domain/calendar.ts and deadlines.ts at
// c3e5f79), kept as the reference the property test compares the fast path with: one day at a time, ISO strings
// between steps, and the zone offset taken from Luxon for every 15-minute bucket (uncached). Do not optimise.
import { IANAZone } from 'luxon';
import type { ClockId, CutOffRule, Regime, RegimeCalendar, RegimeClock } from '#schemas/regime';
import { CalendarConfigError } from '#domain/calendar';
import { CHECKPOINT_PERCENTS, type Checkpoint, type Deadline, type DeadlineOptions, type TimeBasis } from '#domain/deadlines';
import { ConflictError } from '#domain/errors';
import { HOLIDAY_TABLE } from '#domain/holiday-table';

export type BusinessCalendar = RegimeCalendar;

const DAY_MS = 86_400_000;
/** A calendar with no business day for this many days in a row is misconfigured (closures for a decade). */
const MAX_SCAN_DAYS = 3_700;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;


// ---- day numbers: days since 1970-01-01; date-only arithmetic needs no zone ----

const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** ISO weekday (1 = Monday … 7 = Sunday); day 0 (1970-01-01) was a Thursday. */
const isoWeekday = (n: number): number => ((((n + 3) % 7) + 7) % 7) + 1;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

// ---- holiday data: the build-time table (holiday-table.ts, generated from date-holidays) ----

const TABLE_FIRST_DAY = dayNumber(`${HOLIDAY_TABLE.firstYear}-01-01`);
const TABLE_LAST_DAY = dayNumber(`${HOLIDAY_TABLE.lastYear}-12-31`);
const holidayDays = new Map<string, Set<number>>();

/** A region is usable when the build's holiday table has it; date-holidays itself never loads at run time. */
export const assertKnownRegion = (region: string): void => {
  // Own properties only: a configured region such as "constructor" is unknown, not Object.prototype's member.
  if (!Object.hasOwn(HOLIDAY_TABLE.regions, region)) {
    throw new CalendarConfigError(
      `unknown holiday calendar ${region}: not in this build's holiday table (a date-holidays code such as GB-ENG; add it with HOLIDAY_TABLE_REGIONS and run npm run holidays:table)`,
    );
  }
};

/** The years the holiday table covers: a business-day count outside them is refused, never answered without holidays. */
export const holidayTableYears = (): { firstYear: number; lastYear: number; source: string } => ({ firstYear: HOLIDAY_TABLE.firstYear, lastYear: HOLIDAY_TABLE.lastYear, source: HOLIDAY_TABLE.source });

const holidaysOf = (region: string, types: readonly string[]): Set<number> => {
  const key = `${region}|${types.join(',')}`;
  let days = holidayDays.get(key);
  if (!days) {
    assertKnownRegion(region);
    const byType = HOLIDAY_TABLE.regions[region]!;
    const w = HOLIDAY_TABLE.digits;
    days = new Set();
    for (const t of types) {
      const s = Object.hasOwn(byType, t) ? byType[t]! : '';
      for (let i = 0; i < s.length; i += w) days.add(TABLE_FIRST_DAY + parseInt(s.slice(i, i + w), 36));
    }
    holidayDays.set(key, days);
  }
  return days;
};

const checkInTable = (day: number): void => {
  if (day < TABLE_FIRST_DAY || day > TABLE_LAST_DAY) {
    throw new CalendarConfigError(
      `no holiday data for ${dayString(day)}: this build's holiday table covers ${HOLIDAY_TABLE.firstYear}–${HOLIDAY_TABLE.lastYear} (set HOLIDAY_TABLE_FIRST_YEAR / HOLIDAY_TABLE_LAST_YEAR and run npm run holidays:table)`,
    );
  }
};

/** Public holidays of a region in a year, as local ISO dates (for docs and tests). */
export const holidaysIn = (region: string, year: number, types: readonly string[] = ['public']): string[] => {
  checkInTable(dayNumber(`${year}-01-01`));
  return [...holidaysOf(region, types)].filter((d) => new Date(d * DAY_MS).getUTCFullYear() === year).sort((a, b) => a - b).map(dayString);
};

// ---- zone offsets, cached per 15-minute bucket (every real offset change happens on a quarter hour) ----

const BUCKET_MS = 900_000;

/** The definition, uncached: the zone's offset at the start of the instant's 15-minute bucket (Luxon, Intl). */
const offsetMs = (zone: IANAZone, ms: number): number => zone.offset(Math.floor(ms / BUCKET_MS) * BUCKET_MS) * 60_000;

// ---- compiled calendars ----

interface Compiled {
  cal: BusinessCalendar;
  zone: IANAZone;
  weekend: Set<number>;
  closures: Set<number>;
  openMin: number;
  closeMin: number;
  /** The region's holiday days of the calendar's types (undefined without a region). */
  holidays: Set<number> | undefined;
  business: Map<number, boolean>;
  hours: Map<number, [number, number]>;
}

const compiled = new WeakMap<BusinessCalendar, Compiled>();

/** Checks a calendar once (zone, region, hours, weekend) and caches its lookups. */
export const compileCalendar = (cal: BusinessCalendar): Compiled => {
  let c = compiled.get(cal);
  if (c) return c;
  if (!IANAZone.isValidZone(cal.timeZone)) throw new CalendarConfigError(`unknown IANA time zone ${cal.timeZone}`);
  if (cal.region) assertKnownRegion(cal.region);
  const weekend = new Set(cal.weekend);
  if ([1, 2, 3, 4, 5, 6, 7].every((d) => weekend.has(d))) throw new CalendarConfigError('a calendar needs at least one working weekday');
  if (minutesOf(cal.businessHours.open) >= minutesOf(cal.businessHours.close)) throw new CalendarConfigError('business hours must open before they close');
  for (const d of cal.closures) if (!ISO_DAY.test(d) || !Number.isFinite(dayNumber(d))) throw new CalendarConfigError(`closure ${d} is not an ISO date`);
  c = {
    cal,
    zone: IANAZone.create(cal.timeZone),
    weekend,
    closures: new Set(cal.closures.map(dayNumber)),
    openMin: minutesOf(cal.businessHours.open),
    closeMin: minutesOf(cal.businessHours.close),
    holidays: cal.region ? holidaysOf(cal.region, cal.holidayTypes) : undefined,
    business: new Map(),
    hours: new Map(),
  };
  compiled.set(cal, c);
  return c;
};

const toMs = (t: string | number): number => {
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(t)}`);
  return ms;
};

/** Local day number and minutes after local midnight of an instant. */
const localOf = (c: Compiled, ms: number): { day: number; minutes: number } => {
  const local = ms + offsetMs(c.zone, ms);
  const day = Math.floor(local / DAY_MS);
  return { day, minutes: Math.floor((local - day * DAY_MS) / 60_000) };
};

/** The local ISO date of an instant in the calendar's zone. */
export const localDay = (instant: string | number, cal: BusinessCalendar): string => dayString(localOf(compileCalendar(cal), toMs(instant)).day);

/** A day given either as YYYY-MM-DD (already local) or as an instant (converted to its local date). */
const dayOf = (c: Compiled, day: string): number => (ISO_DAY.test(day) ? dayNumber(day) : localOf(c, toMs(day)).day);

/**
 * The instant at which a local wall-clock reading (ms since the local epoch) occurs. A reading that occurs
 * twice (clocks go back) resolves to the first, the earlier and so safer deadline; one that never occurs
 * (clocks go forward) moves forward by the gap, as Luxon does.
 */
const localToUtc = (c: Compiled, local: number): number => {
  const before = offsetMs(c.zone, local - DAY_MS);
  const after = offsetMs(c.zone, local + DAY_MS);
  const a = local - before;
  if (before === after) return a;
  const b = local - after;
  const aValid = offsetMs(c.zone, a) === before;
  const bValid = offsetMs(c.zone, b) === after;
  if (aValid && bValid) return Math.min(a, b);
  if (aValid) return a;
  if (bValid) return b;
  return local - Math.min(before, after);
};

/** The instant a local wall-clock time occurs on a local day (DST-correct; a time inside a gap moves forward). */
export const atLocalTime = (day: string, hhmm: string, cal: BusinessCalendar): number => {
  const c = compileCalendar(cal);
  return localToUtc(c, dayOf(c, day) * DAY_MS + minutesOf(hhmm) * 60_000);
};

const isBusinessDayC = (c: Compiled, day: number): boolean => {
  let b = c.business.get(day);
  if (b === undefined) {
    // A region's day outside the table is refused even on a weekend: its neighbours would be guessed, not known.
    if (c.holidays) checkInTable(day);
    b = !c.weekend.has(isoWeekday(day)) && !c.closures.has(day) && !c.holidays?.has(day);
    if (c.business.size > 100_000) c.business.clear();
    c.business.set(day, b);
  }
  return b;
};

/** True when the day (YYYY-MM-DD, or the local date of an instant) is a working day of the calendar. */
export const isBusinessDay = (day: string, cal: BusinessCalendar): boolean => {
  const c = compileCalendar(cal);
  return isBusinessDayC(c, dayOf(c, day));
};

const nextBusinessDayC = (c: Compiled, day: number): number => {
  for (let d = day + 1; d <= day + MAX_SCAN_DAYS; d++) if (isBusinessDayC(c, d)) return d;
  throw new CalendarConfigError(`no business day within ${MAX_SCAN_DAYS} days after ${dayString(day)}`);
};

/** The first business day strictly after `day`. */
export const nextBusinessDay = (day: string, cal: BusinessCalendar): string => {
  const c = compileCalendar(cal);
  return dayString(nextBusinessDayC(c, dayOf(c, day)));
};

const addBusinessDaysC = (c: Compiled, day: number, n: number): number => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`business days must be a whole number ≥ 0, got ${n}`);
  let d = day;
  for (let i = 0; i < n; i++) d = nextBusinessDayC(c, d);
  return d;
};

/**
 * The n-th business day after `day` (which is itself never counted, business day or not); n = 0 returns `day`.
 * So addBusinessDays(addBusinessDays(d, n), m) === addBusinessDays(d, n + m).
 */
export const addBusinessDays = (day: string, n: number, cal: BusinessCalendar): string => {
  const c = compileCalendar(cal);
  return dayString(addBusinessDaysC(c, dayOf(c, day), n));
};

const hoursOf = (c: Compiled, day: number): [number, number] => {
  let h = c.hours.get(day);
  if (!h) {
    h = [localToUtc(c, day * DAY_MS + c.openMin * 60_000), localToUtc(c, day * DAY_MS + c.closeMin * 60_000)];
    if (c.hours.size > 100_000) c.hours.clear();
    c.hours.set(day, h);
  }
  return h;
};

/** Close of business (local) on a day, as a UTC ISO string: the moment a business-day deadline ends. */
export const closeOfBusiness = (day: string, cal: BusinessCalendar): string => {
  const c = compileCalendar(cal);
  return new Date(hoursOf(c, dayOf(c, day))[1]).toISOString();
};

/** Opening of business (local) on a day, as a UTC ISO string. */
export const openOfBusiness = (day: string, cal: BusinessCalendar): string => {
  const c = compileCalendar(cal);
  return new Date(hoursOf(c, dayOf(c, day))[0]).toISOString();
};

/**
 * Day 0 of a business-day clock. Without a cut-off it is the local date of receipt: what every rule clock uses
 * (DISP 1.5.1R, DISP 1.6.2AR count from "the day on which it is received"). A cut-off is only ever the
 * organisation's policy (deadlines.ts passes one for `basis: 'policy'` clocks alone): a receipt at or after the
 * cut-off time, or (if the policy says so) on a non-business day, then counts from the next business day.
 */
export const effectiveReceiptDay = (receivedAt: string, cal: BusinessCalendar, cutOff: Pick<CutOffRule, 'time' | 'nonBusinessDays'> | null): string => {
  const c = compileCalendar(cal);
  const { day, minutes } = localOf(c, toMs(receivedAt));
  if (!cutOff) return dayString(day);
  if (!isBusinessDayC(c, day)) return dayString(cutOff.nonBusinessDays ? nextBusinessDayC(c, day) : day);
  return dayString(minutes >= minutesOf(cutOff.time) ? nextBusinessDayC(c, day) : day);
};

/** Close of business on the n-th business day after `day` (n ≥ 1): the due instant of an n-business-day clock. */
export const businessDayDeadline = (day: string, n: number, cal: BusinessCalendar): string => {
  const c = compileCalendar(cal);
  return new Date(hoursOf(c, addBusinessDaysC(c, dayOf(c, day), n))[1]).toISOString();
};

/** Business time (ms inside business hours on business days) between two instants; negative when `to` is before `from`. */
export const businessTimeBetween = (from: string | number, to: string | number, cal: BusinessCalendar): number => {
  const a = toMs(from);
  const b = toMs(to);
  if (b < a) return -businessTimeBetween(b, a, cal);
  const c = compileCalendar(cal);
  const last = localOf(c, b).day;
  const first = localOf(c, a).day;
  if (last - first > MAX_SCAN_DAYS * 10) throw new RangeError('business time span too long');
  let total = 0;
  for (let d = first; d <= last; d++) {
    if (!isBusinessDayC(c, d)) continue;
    const [open, close] = hoursOf(c, d);
    const s = Math.max(open, a);
    const e = Math.min(close, b);
    if (e > s) total += e - s;
  }
  return total;
};

/**
 * The instant `ms` of business time after `from`. Zero returns `from` unchanged; otherwise the walk starts at
 * `from` (or the next opening) and ends inside business hours, at close of business when the time runs out
 * exactly at a close (never at the next morning's opening).
 */
export const addBusinessTime = (from: string | number, ms: number, cal: BusinessCalendar): string => {
  const start = toMs(from);
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`business time must be ≥ 0 ms, got ${ms}`);
  if (ms === 0) return new Date(start).toISOString();
  const c = compileCalendar(cal);
  let remaining = ms;
  const first = localOf(c, start).day;
  for (let d = first; d <= first + MAX_SCAN_DAYS * 10; d++) {
    if (!isBusinessDayC(c, d)) continue;
    const [open, close] = hoursOf(c, d);
    const s = Math.max(open, start);
    if (close <= s) continue;
    if (remaining <= close - s) return new Date(s + remaining).toISOString();
    remaining -= close - s;
  }
  throw new RangeError('business time span too long');
};

/** Wall-clock calendar arithmetic in the calendar's zone: 09:00 stays 09:00 across a DST change. */
export const addCalendarTime = (from: string | number, amount: { days?: number; weeks?: number }, cal: BusinessCalendar): string => {
  const c = compileCalendar(cal);
  const ms = toMs(from);
  const days = (amount.days ?? 0) + 7 * (amount.weeks ?? 0);
  if (!Number.isInteger(days)) throw new RangeError(`calendar days must be whole, got ${days}`);
  return new Date(localToUtc(c, ms + offsetMs(c.zone, ms) + days * DAY_MS)).toISOString();
};

// ---- deadlines.ts ----

const MAX_UPDATES = 24;

const iso = (ms: number): string => new Date(ms).toISOString();

const clockOf = (regime: Regime, id: ClockId): RegimeClock | undefined => regime.clocks.find((c) => c.id === id);

interface Timing {
  startsAt: number;
  dueAt: number;
  basis: TimeBasis;
}

/** Start and end of one clock counted from a receipt instant and its (cut-off adjusted) day 0. */
const timingOf = (regime: Regime, clock: Pick<RegimeClock, 'amount' | 'unit'>, receivedMs: number, day0: string, multiple = 1): Timing => {
  const cal = regime.calendar;
  const amount = clock.amount * multiple;
  if (clock.unit === 'business_days') {
    return {
      basis: 'business_time',
      startsAt: Date.parse(openOfBusiness(nextBusinessDay(day0, cal), cal)),
      dueAt: Date.parse(businessDayDeadline(day0, amount, cal)),
    };
  }
  const span = clock.unit === 'weeks' ? { weeks: amount } : { days: amount };
  return { basis: 'calendar_time', startsAt: receivedMs, dueAt: Date.parse(addCalendarTime(receivedMs, span, cal)) };
};

/** Checkpoints at 50/75/90/100 % of the clock: business time for business-day clocks, elapsed time otherwise. */
const checkpointsOf = (regime: Regime, t: Timing): Checkpoint[] => {
  const total = t.basis === 'business_time' ? businessTimeBetween(t.startsAt, t.dueAt, regime.calendar) : t.dueAt - t.startsAt;
  return CHECKPOINT_PERCENTS.map((percent) => {
    if (percent === 100) return { percent, at: iso(t.dueAt) };
    const share = Math.round((total * percent) / 100);
    return { percent, at: t.basis === 'business_time' ? addBusinessTime(t.startsAt, share, regime.calendar) : iso(t.startsAt + share) };
  });
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

/**
 * Day 0 of a clock: the local date of receipt for every rule or guidance clock; a policy clock alone takes the
 * regime's cut-off (the organisation's acknowledgement standard), which may move it to the next business day.
 */
const dayZero =
  (regime: Regime, receivedMs: number) =>
  (clock: Pick<RegimeClock, 'basis'>): string =>
    effectiveReceiptDay(iso(receivedMs), regime.calendar, clock.basis === 'policy' ? regime.cutOff : null);

/** Every due time of a case received at `receivedAt` under `regime`. Pure: no clock, no I/O. */
export const referenceComputeDeadline = (regime: Regime, receivedAt: string, opts: DeadlineOptions = {}): Deadline => {
  const receivedMs = Date.parse(receivedAt);
  if (!Number.isFinite(receivedMs)) throw new RangeError(`receivedAt is not an instant: ${receivedAt}`);
  const cal = regime.calendar;
  const receiptDay = localDay(receivedMs, cal);
  const day0 = dayZero(regime, receivedMs);
  const governing = finalClock(regime, opts.extended ?? false);
  const main = timingOf(regime, governing, receivedMs, day0(governing));

  const due = (id: ClockId): string | undefined => {
    const c = clockOf(regime, id);
    return c && (c.from ?? 'receipt') === 'receipt' ? iso(timingOf(regime, c, receivedMs, day0(c)).dueAt) : undefined;
  };
  const ack = due('acknowledgement');
  const summary = due('summary_resolution');
  const extendedId = regime.extension.allowed ? regime.extension.clock : undefined;
  const extendedDue = !opts.extended && extendedId ? due(extendedId) : undefined;

  const update = clockOf(regime, 'customer_update');
  const updates: string[] = [];
  if (update?.recurring) {
    for (let k = 1; k <= MAX_UPDATES; k++) {
      const at = timingOf(regime, update, receivedMs, day0(update), k).dueAt;
      if (at > main.dueAt) break;
      updates.push(iso(at));
    }
  }

  return {
    startedAt: iso(receivedMs),
    receiptDate: receiptDay,
    clockStartsAt: iso(main.startsAt),
    basis: main.basis,
    clock: { id: governing.id, amount: governing.amount, unit: governing.unit },
    dueAt: iso(main.dueAt),
    ...(ack ? { acknowledgementDueAt: ack } : {}),
    ...(summary ? { summaryResolutionEndsAt: summary } : {}),
    ...(extendedDue ? { extendedDueAt: extendedDue } : {}),
    ...(updates.length ? { customerUpdatesDueAt: updates } : {}),
    checkpoints: checkpointsOf(regime, main),
  };
};

/**
 * The due time of a clock counted from another event, e.g. IE_CBI_CPC's outcome letter within 5 business days
 * of concluding the investigation. No cut-off applies to such events: the day of the event is day 0.
 */
export const referenceClockDueFrom = (regime: Regime, id: ClockId, from: string): string => {
  const clock = clockOf(regime, id);
  if (!clock) throw new ConflictError(`the ${regime.id} regime has no ${id} clock`, { regime: regime.id, clock: id });
  const ms = Date.parse(from);
  return iso(timingOf(regime, clock, ms, effectiveReceiptDay(iso(ms), regime.calendar, null)).dueAt);
};

