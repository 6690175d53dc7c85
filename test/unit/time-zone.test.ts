// shared/domain/time-zone.ts replaced Luxon in the case functions (issue 28): each function must give what the Luxon
// call it replaced gives, over zones with DST changes at odd hours, half-hour and 45-minute offsets, year ends and
// 29 February.
import fc from 'fast-check';
import { DateTime, Duration, IANAZone } from 'luxon';
import { endOfLocal, isValidTimeZone, isoDuration, plusUtcYears, zoneOffsetMinutes } from '#domain/time-zone';

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
      { numRuns: 3_000 },
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
      { numRuns: 2_000 },
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
      { numRuns: 2_000 },
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
      { numRuns: 3_000 },
    );
  });
});
