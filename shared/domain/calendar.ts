// Business-day arithmetic: public holidays from date-holidays, IANA time zones via Luxon, business time inside working hours.
//
// Why Luxon rather than @date-fns/tz: Luxon is one self-contained dependency with first-class IANA zones
// (`IANAZone`: validation and the UTC offset of any instant, from the platform's Intl tz data) and wall-clock
// semantics we adopt as the reference (`plus({ days })` keeps 09:00 at 09:00 across a DST change; a local
// time inside a spring-forward gap moves forward). @date-fns/tz is a `TZDate` class that still needs date-fns
// for the arithmetic. Hot paths (100,000s of deadlines) use only `IANAZone.offset`, cached per 15-minute
// bucket, and resolve local wall-clock readings here; the property tests check the result against Luxon's
// own `DateTime.plus`. Holidays never come from a hand-written table: date-holidays (maintained, per
// country and region, data bundled in the package, no network) is the only source.
//
// Definitions used everywhere in this module (the report and the regime docs repeat them):
// - A *day* is an ISO date (YYYY-MM-DD) in the calendar's time zone.
// - A *business day* is a day that is not a weekend day, not a holiday of the calendar's region of one of
//   its holiday types, and not an organisation closure.
// - *Business time* is time inside business hours (default 09:00–17:00 local) on business days; outside it
//   the clock does not run. So "7.5 business days" of a 09:00–17:00 calendar is 60 hours of working time.
// - A business-day deadline of n days after day D is the *close of business* (local) of the n-th business
//   day after D; D itself is never counted ("within 15 business days of the day on which it received").
import type Holidays from 'date-holidays';
import { IANAZone } from 'luxon';
import type { CutOffRule, RegimeCalendar } from '#schemas/regime';

export type BusinessCalendar = RegimeCalendar;

const DAY_MS = 86_400_000;
/** A calendar with no business day for this many days in a row is misconfigured (closures for a decade). */
const MAX_SCAN_DAYS = 3_700;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export class CalendarConfigError extends Error {
  override name = 'CalendarConfigError';
}

// ---- day numbers: days since 1970-01-01; date-only arithmetic needs no zone ----

const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** ISO weekday (1 = Monday … 7 = Sunday); day 0 (1970-01-01) was a Thursday. */
const isoWeekday = (n: number): number => ((((n + 3) % 7) + 7) % 7) + 1;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

// ---- holiday data (date-holidays), cached per region, holiday types and year ----

/**
 * date-holidays (with moment-timezone and its tz data) costs ~150 ms to load, so it loads on the first
 * holiday lookup rather than at cold start: handlers that never count business days never pay for it.
 */
let HolidaysCtor: typeof Holidays | undefined;
const holidaysLib = (): typeof Holidays => {
  if (!HolidaysCtor) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load; bundlers keep require() lazy too
    const mod = require('date-holidays') as typeof Holidays | { default: typeof Holidays };
    HolidaysCtor = 'default' in mod ? mod.default : mod;
  }
  return HolidaysCtor;
};

const parsers = new Map<string, Holidays>();
const holidayDays = new Map<string, Set<number>>();
let known: Holidays | undefined;

/** Splits GB-ENG into country GB and state ENG, checking both exist in date-holidays (it silently ignores unknown codes). */
export const assertKnownRegion = (region: string): void => {
  const [country, state, ...rest] = region.split('-');
  const Lib = holidaysLib();
  known ??= new Lib();
  const countries = known.getCountries('en');
  // Own properties only: a configured region such as "constructor" is unknown, not Object.prototype's member.
  if (!country || rest.length > 0 || !Object.hasOwn(countries, country)) throw new CalendarConfigError(`unknown holiday calendar ${region}`);
  const states = known.getStates(country, 'en');
  if (state && !(states && Object.hasOwn(states, state))) throw new CalendarConfigError(`unknown holiday calendar ${region} (no state ${state} in ${country})`);
};

const parserFor = (region: string): Holidays => {
  let h = parsers.get(region);
  if (!h) {
    assertKnownRegion(region);
    const [country, state] = region.split('-') as [string, string | undefined];
    const Lib = holidaysLib();
    h = state ? new Lib(country, state) : new Lib(country);
    parsers.set(region, h);
  }
  return h;
};

const holidaysOf = (region: string, types: readonly string[], year: number): Set<number> => {
  const key = `${region}|${types.join(',')}|${year}`;
  let days = holidayDays.get(key);
  if (!days) {
    days = new Set();
    for (const h of parserFor(region).getHolidays(year)) {
      if (!types.includes(h.type)) continue;
      // `date` is the local start ("2026-08-31 00:00:00"); a holiday may span several days.
      const first = dayNumber(h.date.slice(0, 10));
      const span = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
      for (let i = 0; i < span; i++) days.add(first + i);
    }
    holidayDays.set(key, days);
  }
  return days;
};

/** Public holidays of a region in a year, as local ISO dates (for docs and tests). */
export const holidaysIn = (region: string, year: number, types: readonly string[] = ['public']): string[] =>
  [...holidaysOf(region, types, year)].sort((a, b) => a - b).map(dayString);

// ---- zone offsets, cached per 15-minute bucket (every real offset change happens on a quarter hour) ----

const BUCKET_MS = 900_000;
const offsets = new Map<string, Map<number, number>>();

const offsetMs = (zone: IANAZone, ms: number): number => {
  let byBucket = offsets.get(zone.name);
  if (!byBucket) offsets.set(zone.name, (byBucket = new Map<number, number>()));
  const bucket = Math.floor(ms / BUCKET_MS);
  let off = byBucket.get(bucket);
  if (off === undefined) {
    if (byBucket.size > 200_000) byBucket.clear();
    off = zone.offset(bucket * BUCKET_MS) * 60_000;
    byBucket.set(bucket, off);
  }
  return off;
};

// ---- compiled calendars ----

interface Compiled {
  cal: BusinessCalendar;
  zone: IANAZone;
  weekend: Set<number>;
  closures: Set<number>;
  openMin: number;
  closeMin: number;
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
    b =
      !c.weekend.has(isoWeekday(day)) &&
      !c.closures.has(day) &&
      !(c.cal.region && holidaysOf(c.cal.region, c.cal.holidayTypes, new Date(day * DAY_MS).getUTCFullYear()).has(day));
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
