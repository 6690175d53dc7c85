// Time zones, calendar dates and durations from the platform (Intl, Date) instead of Luxon, so no function bundles it
// (70 KB, issue 28). Each function gives what the Luxon call it replaced gave; test/unit/time-zone.test.ts compares
// them with Luxon (kept for that comparison) over zones, instants, DST changes and leap days.

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone, reading the local wall-clock fields of an instant (throws RangeError for an unknown zone). */
const formatterOf = (zone: string): Intl.DateTimeFormat => {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
};

/** Whether the platform knows the IANA zone (Luxon's `IANAZone.isValidZone`). */
export const isValidTimeZone = (zone: string): boolean => {
  if (!zone) return false;
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
};

/** Date.UTC for any year (Date.UTC reads 0–99 as 1900–1999); fields past their range carry over, as in Date.UTC. */
const utcOf = (year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number => {
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (year < 0 || year >= 100) return t;
  const d = new Date(t);
  d.setUTCFullYear(d.getUTCFullYear() - 1900);
  return d.getTime();
};

/** The zone's UTC offset at an instant, in minutes (Luxon's `IANAZone.offset`): local wall clock − UTC, whole seconds. */
export const zoneOffsetMinutes = (zone: string, ms: number): number => {
  const f: Record<string, number> = {};
  let bc = false;
  for (const p of formatterOf(zone).formatToParts(new Date(ms))) {
    if (p.type === 'era') bc = p.value === 'BC' || p.value === 'B';
    else if (p.type !== 'literal') f[p.type] = Number(p.value);
  }
  const year = bc ? 1 - f.year! : f.year!;
  const local = utcOf(year, f.month!, f.day!, f.hour === 24 ? 0 : f.hour!, f.minute!, f.second!, 0);
  const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
  return (local - wholeSecond) / 60_000;
};

/** Local wall-clock fields of an instant at an offset (minutes). */
const wallClock = (ms: number, offset: number) => {
  const local = new Date(ms + offset * 60_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), weekday: local.getUTCDay() || 7 };
};

/**
 * The instant of a local wall-clock reading, starting from a guessed offset (minutes) as Luxon does: a reading in a
 * gap moves forward by it, one that occurs twice takes the offset the guess lands on.
 */
const instantOf = (zone: string, local: number, guess: number): { ms: number; offset: number } => {
  let ms = local - guess * 60_000;
  const o2 = zoneOffsetMinutes(zone, ms);
  if (o2 === guess) return { ms, offset: guess };
  ms -= (o2 - guess) * 60_000;
  const o3 = zoneOffsetMinutes(zone, ms);
  if (o2 === o3) return { ms, offset: o2 };
  return { ms: local - Math.min(o2, o3) * 60_000, offset: Math.max(o2, o3) };
};

/**
 * The last millisecond of the local day, or of the local ISO week (Monday to Sunday), that holds `now`, as an ISO
 * instant in UTC: Luxon's `DateTime.fromISO(now, { zone }).endOf('day' | 'week').toUTC().toISO()`.
 */
export const endOfLocal = (unit: 'day' | 'week', now: string, zone: string): string => {
  const nowMs = Date.parse(now);
  const offset = zoneOffsetMinutes(zone, nowMs);
  const w = wallClock(nowMs, offset);
  const days = unit === 'day' ? 1 : 7;
  // plus({ day | week: 1 }): the same wall-clock time a day (week) later, from the current offset.
  const timeOfDay = (((nowMs + offset * 60_000) % DAY_MS) + DAY_MS) % DAY_MS;
  const later = instantOf(zone, utcOf(w.year, w.month, w.day + days, 0, 0, 0, 0) + timeOfDay, offset);
  // startOf('day' | 'week') of that instant, from its offset; then one millisecond less.
  const l = wallClock(later.ms, later.offset);
  const back = unit === 'day' ? 0 : l.weekday - 1;
  const start = instantOf(zone, utcOf(l.year, l.month, l.day - back, 0, 0, 0, 0), later.offset);
  return new Date(start.ms - 1).toISOString();
};

/**
 * `years` calendar years after an instant, in UTC; 29 February becomes 28 February in a common year
 * (Luxon's `DateTime.fromISO(at, { zone: 'utc' }).plus({ years })`).
 */
export const plusUtcYears = (at: string, years: number): string => {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not an instant: ${at}`);
  const year = d.getUTCFullYear() + years;
  const month = d.getUTCMonth() + 1;
  const lastDay = new Date(utcOf(year, month + 1, 0, 0, 0, 0, 0)).getUTCDate();
  return new Date(utcOf(year, month, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds())).toISOString();
};

/**
 * An ISO 8601 duration in hours, minutes and (fractional) seconds, e.g. PT26H3M4.5S, PT0S
 * (Luxon's `Duration.fromMillis(ms).shiftTo('hours', 'minutes', 'seconds').normalize().toISO()`).
 */
export const isoDuration = (ms: number): string => {
  const sign = ms < 0 ? -1 : 1;
  const abs = Math.abs(ms);
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const seconds = Math.round(abs % 60_000) / 1000;
  let s = 'PT';
  if (hours) s += `${sign * hours}H`;
  if (minutes) s += `${sign * minutes}M`;
  if (seconds) s += `${sign * seconds}S`;
  return s === 'PT' ? 'PT0S' : s;
};

/** An ISO instant with or without its offset, as Luxon's `fromISO(at, { zone: 'utc' })` reads it (none: UTC). */
const instantMs = (at: string): number => Date.parse(at.length > 10 && !/(?:Z|[+-]\d\d(?::?\d\d)?)$/i.test(at) ? `${at}Z` : at);

/** The calendar date (YYYY-MM-DD) of a UTC day count's midnight, for any year 0–9999. */
const dayOfMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Midnight UTC of a calendar date (YYYY-MM-DD). */
const msOfDay = (day: string): number => utcOf(Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10)), 0, 0, 0, 0);

/**
 * The local calendar date (YYYY-MM-DD) of an instant in a zone: Luxon's
 * `DateTime.fromISO(at, { zone: 'utc' }).setZone(zone).toISODate()`. Not an instant: its first ten characters.
 */
export const localDateOf = (at: string, zone: string): string => {
  const ms = instantMs(at);
  if (Number.isNaN(ms)) return at.slice(0, 10);
  return dayOfMs(ms + zoneOffsetMinutes(zone, ms) * 60_000);
};

/** Days since 1970-01-01 of a calendar date (YYYY-MM-DD): the difference of two is their distance in calendar days. */
export const civilDay = (day: string): number => msOfDay(day) / DAY_MS;

/** A calendar date `days` later (earlier when negative). */
export const plusDays = (day: string, days: number): string => dayOfMs(msOfDay(day) + days * DAY_MS);

/** A calendar date `years` later; 29 February becomes 28 February in a common year (Luxon's `plus({ years })`). */
export const plusYears = (day: string, years: number): string => {
  const year = Number(day.slice(0, 4)) + years;
  const month = Number(day.slice(5, 7));
  const lastDay = new Date(utcOf(year, month + 1, 0, 0, 0, 0, 0)).getUTCDate();
  return dayOfMs(utcOf(year, month, Math.min(Number(day.slice(8, 10)), lastDay), 0, 0, 0, 0));
};

/** The first day of the month after the one holding `day`. */
export const nextMonth = (day: string): string => {
  const d = new Date(msOfDay(day));
  return dayOfMs(utcOf(d.getUTCFullYear(), d.getUTCMonth() + 2, 1, 0, 0, 0, 0));
};

/** The last day of the month holding `day`. */
export const lastOfMonth = (day: string): string => plusDays(nextMonth(day), -1);

/**
 * The instant the local day `day` starts in a zone, as an ISO instant in UTC: its first instant (a midnight in a DST
 * gap is the end of the gap; one that occurs twice, its first time; Luxon's `DateTime.fromISO(day, { zone })` picks
 * by the offset in force when it runs).
 */
export const startOfLocalDay = (day: string, zone: string): string => {
  const local = msOfDay(day);
  // The offsets a day either side (no zone changes twice in two days): each that puts the midnight at an instant
  // with that very offset is a reading of it; the first wins. None: the midnight is in a gap.
  const readings = [zoneOffsetMinutes(zone, local - DAY_MS), zoneOffsetMinutes(zone, local + DAY_MS)]
    .map((offset) => local - offset * 60_000)
    .filter((ms) => zoneOffsetMinutes(zone, ms) * 60_000 === local - ms);
  return new Date(readings.length ? Math.min(...readings) : instantOf(zone, local, zoneOffsetMinutes(zone, local)).ms).toISOString();
};
