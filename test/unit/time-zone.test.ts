// shared/domain/time-zone.ts replaced Luxon in every function (issue 28): each function must give what the Luxon
// call it replaced gives, over zones with DST changes at odd hours, half-hour and 45-minute offsets, year ends and
// 29 February.
import fc from 'fast-check';
import { DateTime, Duration, IANAZone } from 'luxon';
import { endOfLocal, isValidTimeZone, isoDuration, lastOfMonth, localDateOf, nextMonth, plusDays, plusUtcYears, plusYears, startOfLocalDay, zoneOffsetMinutes } from '#domain/time-zone';
import { reportRange } from '#domain/reporting/figures';
import { InvalidInputError } from '#domain/errors';
import { propertyRuns } from '../support/property';

const ZONES = [
  'Europe/London',
  'Europe/Dublin',
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'America/Havana',
  'America/St_Johns',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Australia/Adelaide',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Gaza',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Africa/Casablanca',
  'UTC',
  'Etc/GMT+5',
];
const FROM = Date.UTC(2015, 0, 1);
const TO = Date.UTC(2042, 0, 1);

/**
 * Instants near the zone's offset changes, both sides to the millisecond (read daily: no zone changes twice a day).
 * Each day's offset is read once (it is the next day's "before"), and a zone's instants are found once for both tests
 * that read them: Luxon's offset goes through Intl, and the scan reads ten thousand days per zone.
 */
const found = new Map<string, number[]>();
const instantsAround = (zone: string): number[] => {
  const known = found.get(zone);
  if (known) return known;
  const out: number[] = [];
  const z = IANAZone.create(zone);
  let offset = z.offset(FROM);
  for (let t = FROM; t < TO; t += 86_400_000) {
    const next = t + 86_400_000;
    const before = offset;
    offset = z.offset(next);
    if (before === offset) continue;
    let lo = t;
    let hi = next;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (z.offset(mid) === before) lo = mid;
      else hi = mid;
    }
    out.push(lo - 3_600_000, lo - 1, lo, hi, hi + 1, hi + 3_600_000, hi + 86_400_000 - 1);
  }
  found.set(zone, out);
  return out;
};

describe('time zones without Luxon', () => {
  it('knows the zones Luxon knows', () => {
    for (const zone of [...ZONES, 'Europe/Atlantis', '', 'utc', 'Not a zone', 'America/Argentina/Buenos_Aires', 'EST5EDT']) expect([zone, isValidTimeZone(zone)]).toEqual([zone, IANAZone.isValidZone(zone)]);
  });

  it.each(ZONES)('%s: the offset of every instant around every change, 2015–2042, as Luxon reads it', (zone) => {
    const z = IANAZone.create(zone);
    const instants = instantsAround(zone);
    const wrong = instants.filter((ms) => zoneOffsetMinutes(zone, ms) !== z.offset(ms));
    expect(wrong.slice(0, 5).map((ms) => [new Date(ms).toISOString(), zoneOffsetMinutes(zone, ms), z.offset(ms)])).toEqual([]);
  });

  it('the offset of random instants (with milliseconds, before 1970 and far ahead) as Luxon reads it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), (zone, ms) => {
        expect(zoneOffsetMinutes(zone, ms)).toBe(IANAZone.create(zone).offset(ms));
      }),
      { numRuns: propertyRuns(3_000) },
    );
  });

  it.each(ZONES)('%s: end of the local day and week around every change, as Luxon computes them', (zone) => {
    const instants = instantsAround(zone).filter((_, i) => i % 7 < 3 || i % 7 === 6).flatMap((ms) => [ms, ms - 3 * 86_400_000]);
    for (const ms of instants) {
      const now = new Date(ms).toISOString();
      const local = DateTime.fromISO(now, { zone });
      expect([now, endOfLocal('day', now, zone)]).toEqual([now, local.endOf('day').toUTC().toISO()]);
      expect([now, endOfLocal('week', now, zone)]).toEqual([now, local.endOf('week').toUTC().toISO()]);
    }
  });

  it('end of the local day and week at random instants, as Luxon computes them', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: FROM, max: TO }), (zone, ms) => {
        const now = new Date(ms).toISOString();
        const local = DateTime.fromISO(now, { zone });
        expect(endOfLocal('day', now, zone)).toBe(local.endOf('day').toUTC().toISO());
        expect(endOfLocal('week', now, zone)).toBe(local.endOf('week').toUTC().toISO());
      }),
      { numRuns: propertyRuns(2_000) },
    );
  });

  it('adds calendar years in UTC as Luxon does (29 February to 28 February, offsets read, milliseconds kept)', () => {
    const luxon = (at: string, years: number) => DateTime.fromISO(at, { zone: 'utc' }).plus({ years }).toJSDate().toISOString();
    for (const [at, years] of [
      ['2024-02-29T10:11:12.345Z', 1],
      ['2024-02-29T10:11:12.345Z', 4],
      ['2023-12-31T23:59:59.999Z', 7],
      ['2025-03-30T01:30:00+01:00', 6],
      ['2026-12-07T02:00:00Z', 100],
    ] as const)
      expect(plusUtcYears(at, years)).toBe(luxon(at, years));
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.integer({ min: 1, max: 100 }), (ms, years) => {
        const at = new Date(ms).toISOString();
        expect(plusUtcYears(at, years)).toBe(luxon(at, years));
      }),
      { numRuns: propertyRuns(2_000) },
    );
    expect(() => plusUtcYears('not a date', 1)).toThrow(RangeError);
  });

  it('writes durations as Luxon does (hours, minutes, fractional seconds; zero; negative)', () => {
    const luxon = (ms: number) => Duration.fromMillis(ms).shiftTo('hours', 'minutes', 'seconds').normalize().toISO();
    for (const ms of [0, 1, 999, 1_000, 1_500, 59_999, 60_000, 3_600_000, 3_723_500, 93_784_005, 30 * 86_400_000 + 1, -1_500, -3_723_500]) expect([ms, isoDuration(ms)]).toEqual([ms, luxon(ms)]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400_000 }), (ms) => {
        expect(isoDuration(ms)).toBe(luxon(ms));
      }),
      { numRuns: propertyRuns(3_000) },
    );
  });

  it.each(ZONES)('%s: the local date of an instant and the start of a local day around every change, as Luxon gives them', (zone) => {
    for (const ms of instantsAround(zone)) {
      const at = new Date(ms).toISOString();
      const luxonDay = DateTime.fromISO(at, { zone: 'utc' }).setZone(zone).toISODate()!;
      expect([at, localDateOf(at, zone)]).toEqual([at, luxonDay]);
      // The next local day's start, the spike detector's day end: its first instant (a midnight in a gap is the gap's
      // end; one that occurs twice, its first time). Its Luxon version added a day to the day's start, which after a
      // midnight in a gap kept the gap's hour (an hour late), and for a midnight that occurs twice Luxon picks by the
      // offset in force on the day the code runs.
      const next = DateTime.fromISO(luxonDay, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;
      const start = Date.parse(startOfLocalDay(next, zone));
      expect([next, DateTime.fromMillis(start, { zone }).toISODate(), DateTime.fromMillis(start - 1, { zone }).toISODate()]).toEqual([next, next, luxonDay]);
    }
  });

  it('local dates of instants with other offsets or none, and a text that is no instant, as the Luxon code gave them', () => {
    expect(localDateOf('2026-12-31T23:30:00.000Z', 'Europe/Berlin')).toBe('2027-01-01');
    expect(localDateOf('2026-12-31T23:30:00+01:00', 'UTC')).toBe('2026-12-31');
    expect(localDateOf('2026-12-31T23:30:00-05:00', 'Europe/London')).toBe('2027-01-01');
    // No offset: read as UTC, as fromISO(at, { zone: 'utc' }) reads it (never the machine's zone).
    expect(localDateOf('2026-12-31T23:30:00', 'Asia/Kolkata')).toBe('2027-01-01');
    expect(localDateOf('2027-03-28', 'America/New_York')).toBe('2027-03-27');
    expect(localDateOf('not a date', 'UTC')).toBe('not a date');
  });

  it('calendar-date arithmetic as Luxon does it (days across year ends and 29 February; years clamp 29 February; months)', () => {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.integer({ min: -800, max: 800 }), fc.integer({ min: 0, max: 10 }), (ms, days, years) => {
        const d = day(ms);
        const l = DateTime.fromISO(d, { zone: 'utc' });
        expect([d, days, plusDays(d, days)]).toEqual([d, days, l.plus({ days }).toISODate()]);
        expect([d, years, plusYears(d, years)]).toEqual([d, years, l.plus({ years }).toISODate()]);
        expect([d, nextMonth(d)]).toEqual([d, l.startOf('month').plus({ months: 1 }).toISODate()]);
        expect([d, lastOfMonth(d)]).toEqual([d, l.endOf('month').toISODate()]);
      }),
      { numRuns: propertyRuns(3_000) },
    );
    expect(plusYears('2028-02-29', 5)).toBe('2033-02-28');
    expect(plusYears('2028-02-29', 4)).toBe('2032-02-29');
    expect(lastOfMonth('2028-02-10')).toBe('2028-02-29');
    expect(nextMonth('2026-12-31')).toBe('2027-01-01');
  });

  it('a report range resolves to the days and whole months the Luxon version read (zones, defaults, 5-year limit)', () => {
    // The version this replaced, kept here as the reference.
    const luxonRange = (q: { from?: string; to?: string }, now: string, zone: string, defaultDays: number) => {
      const today = DateTime.fromISO(now, { zone: 'utc' }).setZone(zone).startOf('day');
      const to = q.to ? DateTime.fromISO(q.to, { zone }) : today;
      const from = q.from ? DateTime.fromISO(q.from, { zone }) : to.minus({ days: defaultDays - 1 });
      if (from > to || to > from.plus({ years: 5 })) return 'refused';
      const out: string[] = [];
      for (let month = from.startOf('month'); month <= to; month = month.plus({ months: 1 })) {
        const last = month.endOf('month').startOf('day');
        if (month >= from && last <= to) {
          out.push(`M#${month.toFormat('yyyy-MM')}`);
          continue;
        }
        for (let d = month < from ? from : month; d <= last && d <= to; d = d.plus({ days: 1 })) out.push(`D#${d.toISODate()!}`);
      }
      return { from: from.toISODate(), to: to.toISODate(), scopes: out };
    };
    const ours = (q: { from?: string; to?: string }, now: string, zone: string, defaultDays: number) => {
      try {
        const r = reportRange(q, now, zone, defaultDays);
        return { from: r.from, to: r.to, scopes: r.scopes.map((s) => s.replace(/^.*?([MD])#/, '$1#')) };
      } catch (err) {
        if (err instanceof InvalidInputError) return 'refused';
        throw err;
      }
    };
    const day = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) }).map((ms) => new Date(ms).toISOString().slice(0, 10));
    // Zones whose clocks change at midnight: there the Luxon version stepped from a day's start that a gap had moved
    // to 01:00, so every later day started at 01:00, after the end-of-month day it compared with, and the range lost
    // days. Whole local days are calendar dates whatever the clocks do; those zones are checked by example below.
    const MIDNIGHT_CHANGES = new Set(['America/Santiago', 'America/Havana', 'Asia/Gaza']);
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES.filter((z) => !MIDNIGHT_CHANGES.has(z))),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2032, 0, 1) }),
        fc.option(day, { nil: undefined }),
        fc.option(day, { nil: undefined }),
        fc.constantFrom(1, 30, 90, 400),
        (zone, nowMs, from, to, defaultDays) => {
          const q = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
          const now = new Date(nowMs).toISOString();
          expect([q, now, zone, ours(q, now, zone, defaultDays)]).toEqual([q, now, zone, luxonRange(q, now, zone, defaultDays)]);
        },
      ),
      { numRuns: propertyRuns(300) },
    );
    // Cuba's clocks went from 00:00 to 01:00 on 13 March 2022. A range across it still ends on its last day: the Luxon
    // version's days after the change began at 01:00, so the 16th, compared with the 16th at 00:00, was left out.
    const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `D#2022-03-${String(from + i).padStart(2, '0')}`);
    expect(ours({ from: '2022-03-10', to: '2022-03-16' }, '2022-04-02T12:00:00Z', 'America/Havana', 30)).toEqual({ from: '2022-03-10', to: '2022-03-16', scopes: days(10, 16) });
    expect(luxonRange({ from: '2022-03-10', to: '2022-03-16' }, '2022-04-02T12:00:00Z', 'America/Havana', 30)).toEqual({ from: '2022-03-10', to: '2022-03-16', scopes: days(10, 15) });
    // Five years to the day is allowed; a day more is not; 29 February 2028 + 5 years is 28 February 2033.
    expect(ours({ from: '2028-02-29', to: '2033-02-28' }, '2030-01-01T00:00:00Z', 'UTC', 30)).not.toBe('refused');
    expect(ours({ from: '2028-02-29', to: '2033-03-01' }, '2030-01-01T00:00:00Z', 'UTC', 30)).toBe('refused');
  });
});
