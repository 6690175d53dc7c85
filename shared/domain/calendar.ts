// Business-day arithmetic: public holidays from the build's table (generated from date-holidays), IANA zones from the
// platform's Intl tz data (time-zone.ts), business time.
//
// Wall-clock semantics follow Luxon's, the reference (`plus({ days })` keeps 09:00 at 09:00 across a DST change; a
// local time inside a spring-forward gap moves forward), but no function loads Luxon for them (70 KB, issue 28):
// time-zone.ts reads validation and the UTC offset of an instant from Intl exactly as Luxon's `IANAZone` does (a
// test compares them). Hot paths (100,000s of deadlines) pass no string between steps: they work on epoch-day
// integers and milliseconds, with each zone's offsets read every 4th midnight into per-day tables (a change is
// searched to its 15-minute bucket), and each calendar's business days, opening hours and business time kept as
// prefix sums per 32 days, so n business days or t of business time cost a lookup per 32 days rather than a step per
// day (issue 28: 10× the deadlines per second, and fewer Intl readings on a cold start). The property tests check
// the results against Luxon's own `DateTime.plus` and against the day-by-day implementation this replaced
// (test/property/deadline-reference.ts).
// Holidays never come from a hand-written table: date-holidays (maintained, per country and region, no network)
// is the only source, read at build time by `npm run holidays:table` into holiday-table.ts, so no function loads
// date-holidays, moment-timezone or astronomia at run time (issue 28).
//
// Definitions used everywhere in this module (the report and the regime docs repeat them):
// - A *day* is an ISO date (YYYY-MM-DD) in the calendar's time zone.
// - A *business day* is a day that is not a weekend day, not a holiday of the calendar's region of one of
//   its holiday types, and not an organisation closure.
// - *Business time* is time inside business hours (default 09:00–17:00 local) on business days; outside it
//   the clock does not run. So "7.5 business days" of a 09:00–17:00 calendar is 60 hours of working time.
// - A business-day deadline of n days after day D is the *close of business* (local) of the n-th business
//   day after D; D itself is never counted ("within 15 business days of the day on which it received").
import { isValidTimeZone, zoneOffsetMinutes } from './time-zone';
import type { CutOffRule, RegimeCalendar } from '#schemas/regime';
import { HOLIDAY_TABLE } from './holiday-table';

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

// ---- ISO strings without a Date: the day part from the civil calendar, cached per day number ----

/** Day numbers of 1000-01-01 and 9999-12-31: inside them the fast formatter equals Date#toISOString (four-digit years). */
const FAST_FIRST_DAY = -354_285;
const FAST_LAST_DAY = 2_932_896;
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayStrings = new Map<number, string>();

/** YYYY-MM-DD of a day number (H. Hinnant's civil_from_days), as Date#toISOString().slice(0, 10) gives it. */
const civilDay = (n: number): string => {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return `${yoe + era * 400 + (m <= 2 ? 1 : 0)}-${PAD2[m]!}-${PAD2[d]!}`;
};

const dayString = (n: number): string => {
  let s = dayStrings.get(n);
  if (s === undefined) {
    s = n >= FAST_FIRST_DAY && n <= FAST_LAST_DAY ? civilDay(n) : new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (dayStrings.size > 100_000) dayStrings.clear();
    dayStrings.set(n, s);
  }
  return s;
};

/** `new Date(ms).toISOString()`, several times faster (no Date object); outside years 1000–9999 (or NaN) it is that call. */
export const isoOf = (ms: number): string => {
  const day = Math.floor(ms / DAY_MS);
  if (!(day >= FAST_FIRST_DAY && day <= FAST_LAST_DAY) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  let r = ms - day * DAY_MS;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const sec = Math.floor(r / 1000);
  return `${dayString(day)}T${PAD2[h]!}:${PAD2[m]!}:${PAD2[sec]!}.${PAD3[r - sec * 1000]!}Z`;
};

const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The instant of a string in the canonical UTC form `YYYY-MM-DDTHH:MM:SS.sssZ` (what every stored instant is, and
 * what isoOf writes back, character for character), by arithmetic; NaN for any other string, even a valid instant.
 */
export const canonicalInstant = (s: string): number => {
  if (s.length !== 24 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) return Number.NaN;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const mo = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  const h = digit(s, 11) * 10 + digit(s, 12);
  const mi = digit(s, 14) * 10 + digit(s, 15);
  const sec = digit(s, 17) * 10 + digit(s, 18);
  const frac = digit(s, 20) * 100 + digit(s, 21) * 10 + digit(s, 22);
  // NaN fails every comparison below, so a non-digit falls through to Date.parse too.
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (!(y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && d <= DAYS_IN_MONTH[mo - 1]! + (mo === 2 && leap ? 1 : 0) && h <= 23 && mi <= 59 && sec <= 59 && frac >= 0)) return Number.NaN;
  // days_from_civil (H. Hinnant)
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const day = era * 146_097 + doe - 719_468;
  return day * DAY_MS + h * 3_600_000 + mi * 60_000 + sec * 1000 + frac;
};

/** Date.parse, by arithmetic for the canonical form. */
export const parseInstant = (s: string): number => {
  const ms = canonicalInstant(s);
  return Number.isNaN(ms) ? Date.parse(s) : ms;
};
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

// ---- zone offsets: per-day tables, read from Intl every 4 days ----
//
// The offset of an instant is the zone's offset at the start of its 15-minute bucket (every real offset change
// happens on a quarter hour). A table of 64 days holds, per UTC day, the offset at 00:00 UTC and, for the day of a
// change, the first bucket with the new offset. It is filled 4 days at a time, when an instant in them is first
// looked up: the zone (Intl, through time-zone.ts) read at the two midnights that bound them and, where the readings
// differ, the 384 buckets between bisected (9 more readings); against one reading per 15-minute bucket before. That is the bucket definition exactly wherever a zone changes its
// offset at most once in 4 days: every zone Intl knows does in 2015–2042 (read every 6 hours on 2026-12-07; the
// closest pair, Asia/Gaza and Asia/Hebron in October 2040, is 7 days apart), and test/unit/calendar-zones.test.ts
// checks the zones the shipped regimes and locations use.

const BUCKET_MS = 900_000;
const BLOCK_DAYS = 64;
const SAMPLE_BITS = 2;
const SAMPLE_DAYS = 1 << SAMPLE_BITS;
const SEGMENTS = BLOCK_DAYS / SAMPLE_DAYS;
const SAMPLE_BUCKETS = (SAMPLE_DAYS * DAY_MS) / BUCKET_MS;

interface OffsetBlock {
  index: number;
  /** The zone's offset (ms) at every 4th midnight of the block, read when first needed (NaN: not yet). */
  readings: Float64Array;
  /** Which 4-day segments are filled in (a segment is filled when an instant in it is first looked up). */
  filled: Uint8Array;
  /** Offset (ms) at 00:00 UTC of each day. */
  start: Float64Array;
  /** First instant of the day with the next day's offset (NaN: no change that day). */
  changeAt: Float64Array;
  /** Offset (ms) from changeAt on. */
  after: Float64Array;
}

interface ZoneOffsets {
  zone: string;
  blocks: Map<number, OffsetBlock>;
  last: OffsetBlock | undefined;
}

const zoneOffsets = new Map<string, ZoneOffsets>();

const zoneOffsetsOf = (zone: string): ZoneOffsets => {
  let z = zoneOffsets.get(zone);
  if (!z) zoneOffsets.set(zone, (z = { zone, blocks: new Map(), last: undefined }));
  return z;
};

const newOffsetBlock = (z: ZoneOffsets, index: number): OffsetBlock => {
  const block = {
    index,
    readings: new Float64Array(SEGMENTS + 1).fill(Number.NaN),
    filled: new Uint8Array(SEGMENTS),
    start: new Float64Array(BLOCK_DAYS),
    changeAt: new Float64Array(BLOCK_DAYS).fill(Number.NaN),
    after: new Float64Array(BLOCK_DAYS),
  };
  if (z.blocks.size > 4_096) z.blocks.clear();
  z.blocks.set(index, block);
  return block;
};

/** Fills one 4-day segment: two readings at its ends (shared with its neighbours), and a bisection if they differ. */
const fillSegment = (z: ZoneOffsets, block: OffsetBlock, seg: number): void => {
  const at = (ms: number) => zoneOffsetMinutes(z.zone, ms) * 60_000;
  const first = block.index * BLOCK_DAYS + seg * SAMPLE_DAYS;
  const segment = first * DAY_MS;
  const before = Number.isNaN(block.readings[seg]!) ? (block.readings[seg] = at(segment)) : block.readings[seg]!;
  const next = Number.isNaN(block.readings[seg + 1]!) ? (block.readings[seg + 1] = at(segment + SAMPLE_DAYS * DAY_MS)) : block.readings[seg + 1]!;
  // The first bucket of the segment that has the next reading's offset (none: the offset holds all 4 days).
  let change = Number.POSITIVE_INFINITY;
  if (next !== before) {
    let lo = 1;
    let hi = SAMPLE_BUCKETS;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at(segment + mid * BUCKET_MS) === next) hi = mid;
      else lo = mid + 1;
    }
    change = segment + lo * BUCKET_MS;
  }
  for (let d = 0; d < SAMPLE_DAYS; d++) {
    const i = seg * SAMPLE_DAYS + d;
    const dayStart = segment + d * DAY_MS;
    block.start[i] = dayStart >= change ? next : before;
    block.after[i] = dayStart + DAY_MS > change ? next : before;
    if (change > dayStart && change < dayStart + DAY_MS) block.changeAt[i] = change;
  }
  block.filled[seg] = 1;
};

const offsetMs = (z: ZoneOffsets, ms: number): number => {
  const day = Math.floor(ms / DAY_MS);
  const index = Math.floor(day / BLOCK_DAYS);
  let block = z.last;
  if (block?.index !== index) z.last = block = z.blocks.get(index) ?? newOffsetBlock(z, index);
  const i = day - index * BLOCK_DAYS;
  const seg = i >> SAMPLE_BITS;
  if (block.filled[seg] === 0) fillSegment(z, block, seg);
  return ms >= block.changeAt[i]! ? block.after[i]! : block.start[i]!;
};

// ---- compiled calendars ----

/** Days per business block: small enough that a first computation reads the zone only around the days it needs. */
const BUSINESS_DAYS = 32;

/**
 * 32 days of a calendar (days index·32 … index·32 + 31): which are business days, their opening hours as instants
 * and prefix sums of both, so that counting n business days or t of business time is a lookup per block. Only built
 * where every day is answerable: a calendar with a region needs every day of the block inside the holiday table
 * (else the day-by-day path runs, and refuses the first day outside it exactly as before).
 */
interface BusinessBlock {
  index: number;
  first: number;
  /** cum[i]: business days among the block's first i days (cum[32]: all). */
  cum: Int32Array;
  /** nth[k]: index in the block of its k-th business day (0-based). */
  nth: Int8Array;
  open: Float64Array;
  close: Float64Array;
  /** ms[i]: business time (ms) of the block's first i days, whole days (a business day's close − open, never < 0). */
  ms: Float64Array;
  /** Close of business as an ISO string, per day, filled when first asked for. */
  closeIso: (string | undefined)[];
}

interface Compiled {
  cal: BusinessCalendar;
  zone: ZoneOffsets;
  weekend: Set<number>;
  closures: Set<number>;
  openMin: number;
  closeMin: number;
  /** The region's holiday days of the calendar's types (undefined without a region). */
  holidays: Set<number> | undefined;
  /** Business blocks by index; null: a block the day-by-day path answers. */
  blocks: Map<number, BusinessBlock | null>;
  last: BusinessBlock | null | undefined;
  lastIndex: number;
}

const compiled = new WeakMap<BusinessCalendar, Compiled>();

/** Checks a calendar once (zone, region, hours, weekend) and caches its lookups. */
export const compileCalendar = (cal: BusinessCalendar): Compiled => {
  let c = compiled.get(cal);
  if (c) return c;
  if (!isValidTimeZone(cal.timeZone)) throw new CalendarConfigError(`unknown IANA time zone ${cal.timeZone}`);
  if (cal.region) assertKnownRegion(cal.region);
  const weekend = new Set(cal.weekend);
  if ([1, 2, 3, 4, 5, 6, 7].every((d) => weekend.has(d))) throw new CalendarConfigError('a calendar needs at least one working weekday');
  if (minutesOf(cal.businessHours.open) >= minutesOf(cal.businessHours.close)) throw new CalendarConfigError('business hours must open before they close');
  for (const d of cal.closures) if (!ISO_DAY.test(d) || !Number.isFinite(dayNumber(d))) throw new CalendarConfigError(`closure ${d} is not an ISO date`);
  c = {
    cal,
    zone: zoneOffsetsOf(cal.timeZone),
    weekend,
    closures: new Set(cal.closures.map(dayNumber)),
    openMin: minutesOf(cal.businessHours.open),
    closeMin: minutesOf(cal.businessHours.close),
    holidays: cal.region ? holidaysOf(cal.region, cal.holidayTypes) : undefined,
    blocks: new Map(),
    last: undefined,
    lastIndex: Number.NaN,
  };
  compiled.set(cal, c);
  return c;
};

const toMs = (t: string | number): number => {
  const ms = typeof t === 'number' ? t : parseInstant(t);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(t)}`);
  return ms;
};

/** Local day number of an instant. */
const localDayN = (c: Compiled, ms: number): number => Math.floor((ms + offsetMs(c.zone, ms)) / DAY_MS);

/** The local ISO date of an instant in the calendar's zone. */
export const localDay = (instant: string | number, cal: BusinessCalendar): string => dayString(localDayN(compileCalendar(cal), toMs(instant)));

/** A day given either as YYYY-MM-DD (already local) or as an instant (converted to its local date). */
const dayOf = (c: Compiled, day: string): number => (ISO_DAY.test(day) ? dayNumber(day) : localDayN(c, toMs(day)));

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

const openMs = (c: Compiled, day: number): number => localToUtc(c, day * DAY_MS + c.openMin * 60_000);
const closeMs = (c: Compiled, day: number): number => localToUtc(c, day * DAY_MS + c.closeMin * 60_000);

/** The day-by-day definition: not a weekend day, closure or holiday (a region's day outside the table is refused). */
const isBusinessDayStep = (c: Compiled, day: number): boolean => {
  // A region's day outside the table is refused even on a weekend: its neighbours would be guessed, not known.
  if (c.holidays) checkInTable(day);
  return !c.weekend.has(isoWeekday(day)) && !c.closures.has(day) && !c.holidays?.has(day);
};

const buildBlock = (c: Compiled, index: number): BusinessBlock | null => {
  const first = index * BUSINESS_DAYS;
  if (c.holidays && (first < TABLE_FIRST_DAY || first + BUSINESS_DAYS - 1 > TABLE_LAST_DAY)) return null;
  const cum = new Int32Array(BUSINESS_DAYS + 1);
  const nth = new Int8Array(BUSINESS_DAYS);
  const open = new Float64Array(BUSINESS_DAYS);
  const close = new Float64Array(BUSINESS_DAYS);
  const ms = new Float64Array(BUSINESS_DAYS + 1);
  for (let i = 0; i < BUSINESS_DAYS; i++) {
    const day = first + i;
    const business = isBusinessDayStep(c, day);
    open[i] = openMs(c, day);
    close[i] = closeMs(c, day);
    if (business) nth[cum[i]!] = i;
    cum[i + 1] = cum[i]! + (business ? 1 : 0);
    ms[i + 1] = ms[i]! + (business ? Math.max(0, close[i]! - open[i]!) : 0);
  }
  return { index, first, cum, nth, open, close, ms, closeIso: new Array<string | undefined>(BUSINESS_DAYS) };
};

/** The business block holding `day`, or null where the day-by-day path answers. */
const blockOf = (c: Compiled, day: number): BusinessBlock | null => {
  const index = Math.floor(day / BUSINESS_DAYS);
  if (index === c.lastIndex) return c.last ?? null;
  let block = c.blocks.get(index);
  if (block === undefined) {
    if (c.blocks.size > 4_096) c.blocks.clear();
    c.blocks.set(index, (block = buildBlock(c, index)));
  }
  c.lastIndex = index;
  c.last = block;
  return block;
};

const isBusinessDayC = (c: Compiled, day: number): boolean => {
  const b = blockOf(c, day);
  if (!b) return isBusinessDayStep(c, day);
  const i = day - b.first;
  return b.cum[i + 1] !== b.cum[i];
};

/** True when the day (YYYY-MM-DD, or the local date of an instant) is a working day of the calendar. */
export const isBusinessDay = (day: string, cal: BusinessCalendar): boolean => {
  const c = compileCalendar(cal);
  return isBusinessDayC(c, dayOf(c, day));
};

const nextBusinessDayStep = (c: Compiled, day: number): number => {
  for (let d = day + 1; d <= day + MAX_SCAN_DAYS; d++) if (isBusinessDayStep(c, d)) return d;
  throw new CalendarConfigError(`no business day within ${MAX_SCAN_DAYS} days after ${dayString(day)}`);
};

/**
 * The n-th business day after `day` (n ≥ 0; 0 is `day`): whole blocks at a time. A block the day-by-day path must
 * answer (outside the holiday table), or one without a business day (where the scan limit could apply), hands the
 * rest of the count to that path from the last business day found, so it refuses exactly what it always refused.
 */
const addBusinessDaysC = (c: Compiled, day: number, n: number): number => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`business days must be a whole number ≥ 0, got ${n}`);
  let remaining = n;
  let from = day;
  let d = day + 1;
  while (remaining > 0) {
    const b = blockOf(c, d);
    const i = b ? d - b.first : 0;
    const available = b ? b.cum[BUSINESS_DAYS]! - b.cum[i]! : 0;
    if (!b || available === 0) {
      for (; remaining > 0; remaining--) from = nextBusinessDayStep(c, from);
      return from;
    }
    if (remaining <= available) return b.first + b.nth[b.cum[i]! + remaining - 1]!;
    remaining -= available;
    from = b.first + b.nth[b.cum[BUSINESS_DAYS]! - 1]!;
    d = b.first + BUSINESS_DAYS;
  }
  return from;
};

const nextBusinessDayC = (c: Compiled, day: number): number => addBusinessDaysC(c, day, 1);

/** The first business day strictly after `day`. */
export const nextBusinessDay = (day: string, cal: BusinessCalendar): string => {
  const c = compileCalendar(cal);
  return dayString(nextBusinessDayC(c, dayOf(c, day)));
};

/**
 * The n-th business day after `day` (which is itself never counted, business day or not); n = 0 returns `day`.
 * So addBusinessDays(addBusinessDays(d, n), m) === addBusinessDays(d, n + m).
 */
export const addBusinessDays = (day: string, n: number, cal: BusinessCalendar): string => {
  const c = compileCalendar(cal);
  return dayString(addBusinessDaysC(c, dayOf(c, day), n));
};

/** Opening of business on a day, as an instant (from its block when there is one). */
const openAt = (c: Compiled, day: number): number => {
  const b = blockOf(c, day);
  return b ? b.open[day - b.first]! : openMs(c, day);
};

/** Close of business on a day, as an instant. */
const closeAt = (c: Compiled, day: number): number => {
  const b = blockOf(c, day);
  return b ? b.close[day - b.first]! : closeMs(c, day);
};

/** Close of business of a day as an ISO string (kept per day: many deadlines end at the same close). */
const closeIsoC = (c: Compiled, day: number): string => {
  const b = blockOf(c, day);
  if (!b) return isoOf(closeMs(c, day));
  const i = day - b.first;
  return (b.closeIso[i] ??= isoOf(b.close[i]!));
};

/** Close of business (local) on a day, as a UTC ISO string: the moment a business-day deadline ends. */
export const closeOfBusiness = (day: string, cal: BusinessCalendar): string => {
  const c = compileCalendar(cal);
  return closeIsoC(c, dayOf(c, day));
};

/** Opening of business (local) on a day, as a UTC ISO string. */
export const openOfBusiness = (day: string, cal: BusinessCalendar): string => {
  const c = compileCalendar(cal);
  return isoOf(openAt(c, dayOf(c, day)));
};

/** Day 0 (a day number) of a business-day clock for a receipt instant: see effectiveReceiptDay. */
const receiptDayC = (c: Compiled, ms: number, cutOff: Pick<CutOffRule, 'time' | 'nonBusinessDays'> | null): number => {
  const local = ms + offsetMs(c.zone, ms);
  const day = Math.floor(local / DAY_MS);
  if (!cutOff) return day;
  const minutes = Math.floor((local - day * DAY_MS) / 60_000);
  if (!isBusinessDayC(c, day)) return cutOff.nonBusinessDays ? nextBusinessDayC(c, day) : day;
  return minutes >= minutesOf(cutOff.time) ? nextBusinessDayC(c, day) : day;
};

/**
 * Day 0 of a business-day clock. Without a cut-off it is the local date of receipt: what every rule clock uses
 * (DISP 1.5.1R, DISP 1.6.2AR count from "the day on which it is received"). A cut-off is only ever the
 * organisation's policy (deadlines.ts passes one for `basis: 'policy'` clocks alone): a receipt at or after the
 * cut-off time, or (if the policy says so) on a non-business day, then counts from the next business day.
 */
export const effectiveReceiptDay = (receivedAt: string, cal: BusinessCalendar, cutOff: Pick<CutOffRule, 'time' | 'nonBusinessDays'> | null): string => {
  const c = compileCalendar(cal);
  return dayString(receiptDayC(c, toMs(receivedAt), cutOff));
};

/** Close of business on the n-th business day after `day` (n ≥ 1): the due instant of an n-business-day clock. */
export const businessDayDeadline = (day: string, n: number, cal: BusinessCalendar): string => {
  const c = compileCalendar(cal);
  return closeIsoC(c, addBusinessDaysC(c, dayOf(c, day), n));
};

/** Business time of one day between two instants (0 on a non-business day). */
const dayBusinessTime = (c: Compiled, day: number, a: number, b: number): number => {
  if (!isBusinessDayC(c, day)) return 0;
  const s = Math.max(openAt(c, day), a);
  const e = Math.min(closeAt(c, day), b);
  return e > s ? e - s : 0;
};

/** Business time of the whole days first … last (every one strictly between the instants measured), by block sums. */
const wholeDaysBusinessTime = (c: Compiled, first: number, last: number): number => {
  let total = 0;
  let d = first;
  while (d <= last) {
    const b = blockOf(c, d);
    if (!b) {
      total += dayBusinessTime(c, d, -Infinity, Infinity);
      d++;
      continue;
    }
    const i = d - b.first;
    const j = Math.min(last - b.first, BUSINESS_DAYS - 1);
    total += b.ms[j + 1]! - b.ms[i]!;
    d = b.first + j + 1;
  }
  return total;
};

/**
 * Business time (ms) between two instants a ≤ b, as the sum over their local days first … last of each business
 * day's hours clamped to [a, b]. A day two or more days after `first` and before `last` opens after a and closes
 * before b (local days follow instants up to a DST shift, always < 24 h), so those count whole, from block sums;
 * the two days at each end are clamped one by one.
 */
const businessTimeBetweenC = (c: Compiled, a: number, b: number): number => {
  const last = localDayN(c, b);
  const first = localDayN(c, a);
  if (last - first > MAX_SCAN_DAYS * 10) throw new RangeError('business time span too long');
  if (last - first < 4) {
    let total = 0;
    for (let d = first; d <= last; d++) total += dayBusinessTime(c, d, a, b);
    return total;
  }
  return (
    dayBusinessTime(c, first, a, b) +
    dayBusinessTime(c, first + 1, a, b) +
    wholeDaysBusinessTime(c, first + 2, last - 2) +
    dayBusinessTime(c, last - 1, a, b) +
    dayBusinessTime(c, last, a, b)
  );
};

/** Business time (ms inside business hours on business days) between two instants; negative when `to` is before `from`. */
export const businessTimeBetween = (from: string | number, to: string | number, cal: BusinessCalendar): number => {
  const a = toMs(from);
  const b = toMs(to);
  if (b < a) return -businessTimeBetween(b, a, cal);
  return businessTimeBetweenC(compileCalendar(cal), a, b);
};

/**
 * The instant `ms` (> 0) of business time after `start`: each day's hours from max(open, start), in day order. The
 * first two days are stepped; later ones open after `start` (see businessTimeBetweenC), so they go by block sums,
 * and the day the time runs out is found by binary search in its block.
 */
const addBusinessTimeC = (c: Compiled, start: number, ms: number): number => {
  let remaining = ms;
  const first = localDayN(c, start);
  const end = first + MAX_SCAN_DAYS * 10;
  let d = first;
  while (d <= end) {
    const b = d < first + 2 ? undefined : blockOf(c, d);
    if (!b) {
      if (isBusinessDayC(c, d)) {
        const close = closeAt(c, d);
        const s = Math.max(openAt(c, d), start);
        if (close > s) {
          if (remaining <= close - s) return s + remaining;
          remaining -= close - s;
        }
      }
      d++;
      continue;
    }
    const i = d - b.first;
    const last = Math.min(BUSINESS_DAYS - 1, end - b.first);
    const available = b.ms[last + 1]! - b.ms[i]!;
    if (remaining > available) {
      remaining -= available;
      d = b.first + last + 1;
      continue;
    }
    // The first day j ≥ i whose running total reaches `remaining` (a business day with business time: see above).
    const target = b.ms[i]! + remaining;
    let lo = i;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b.ms[mid + 1]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return b.open[lo]! + (target - b.ms[lo]!);
  }
  throw new RangeError('business time span too long');
};

/**
 * The instant `ms` of business time after `from`. Zero returns `from` unchanged; otherwise the walk starts at
 * `from` (or the next opening) and ends inside business hours, at close of business when the time runs out
 * exactly at a close (never at the next morning's opening).
 */
export const addBusinessTime = (from: string | number, ms: number, cal: BusinessCalendar): string => {
  const start = toMs(from);
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`business time must be ≥ 0 ms, got ${ms}`);
  if (ms === 0) return isoOf(start);
  return isoOf(addBusinessTimeC(compileCalendar(cal), start, ms));
};

/** Wall-clock calendar days in the calendar's zone: the same local time `days` later. */
const addCalendarDaysC = (c: Compiled, ms: number, days: number): number => localToUtc(c, ms + offsetMs(c.zone, ms) + days * DAY_MS);

/** Wall-clock calendar arithmetic in the calendar's zone: 09:00 stays 09:00 across a DST change. */
export const addCalendarTime = (from: string | number, amount: { days?: number; weeks?: number }, cal: BusinessCalendar): string => {
  const c = compileCalendar(cal);
  const ms = toMs(from);
  const days = (amount.days ?? 0) + 7 * (amount.weeks ?? 0);
  if (!Number.isInteger(days)) throw new RangeError(`calendar days must be whole, got ${days}`);
  return isoOf(addCalendarDaysC(c, ms, days));
};

/**
 * The numeric core for deadlines.ts (day numbers and epoch milliseconds, no strings between steps): what the
 * exported string functions above compute, for a calendar compiled once.
 */
export const calendarCore = {
  compile: compileCalendar,
  localDay: localDayN,
  dayString,
  receiptDay: receiptDayC,
  nextBusinessDay: nextBusinessDayC,
  addBusinessDays: addBusinessDaysC,
  open: openAt,
  closeIso: closeIsoC,
  close: closeAt,
  businessTimeBetween: (c: Compiled, a: number, b: number): number => (b < a ? -businessTimeBetweenC(c, b, a) : businessTimeBetweenC(c, a, b)),
  addBusinessTime: (c: Compiled, start: number, ms: number): number => {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`business time must be ≥ 0 ms, got ${ms}`);
    return ms === 0 ? start : addBusinessTimeC(c, start, ms);
  },
  addCalendarDays: addCalendarDaysC,
};

export type CompiledCalendar = Compiled;
