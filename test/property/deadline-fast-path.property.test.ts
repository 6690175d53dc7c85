// The deadline fast path (issue 28: day numbers, zone-offset tables filled 4 days at a time, business-day prefix
// sums per 32 days, ISO strings without Date) gives exactly what the day-by-day implementation it replaced gives
// (deadline-reference.ts, which reads every zone offset from Luxon): every regime and calendar, receipt instants
// anywhere in the holiday table and bunched around DST changes, year ends and 29 February, results and refusals alike.
import fc from 'fast-check';
import { IANAZone } from 'luxon';
import {
  addBusinessDays,
  addBusinessTime,
  addCalendarTime,
  businessDayDeadline,
  businessTimeBetween,
  closeOfBusiness,
  effectiveReceiptDay,
  isBusinessDay,
  localDay,
  nextBusinessDay,
  openOfBusiness,
  type BusinessCalendar,
} from '#domain/calendar';
import { clockDueFrom, computeDeadline } from '#domain/deadlines';
import { HOLIDAY_TABLE } from '#domain/holiday-table';
import { atLocation, getRegime, REGIME_IDS, type RegimeOptions } from '#domain/regimes';
import type { ClockId } from '#schemas/regime';
import * as ref from './deadline-reference';

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What a call gives: its value, or the error it throws (class and message). */
const outcome = (f: () => unknown): unknown => {
  try {
    return { value: f() };
  } catch (e) {
    return { threw: (e as Error).name, message: (e as Error).message };
  }
};

const FIRST_YEAR = HOLIDAY_TABLE.firstYear;
const LAST_YEAR = HOLIDAY_TABLE.lastYear;
const LEAP_YEARS = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i).filter((y) => y % 4 === 0);

const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);
const within = (centre: number, spread: number) => fc.integer({ min: -spread, max: spread }).map((o) => centre + o);
const year = fc.integer({ min: FIRST_YEAR, max: LAST_YEAR });

/** Zones with DST at 01:00/02:00, at midnight (Santiago), by half an hour (Lord Howe), changes a week apart (Gaza, 2040), half-hour offsets, none. */
const ZONES = ['Europe/London', 'Europe/Dublin', 'America/New_York', 'Australia/Sydney', 'Australia/Adelaide', 'Australia/Lord_Howe', 'America/Santiago', 'America/St_Johns', 'Asia/Kolkata', 'Asia/Gaza', 'UTC'];

/** Every offset change of those zones in the table's years, to the minute (read from Luxon: daily, then bisected). */
const TRANSITIONS: number[] = ZONES.flatMap((name) => {
  const zone = IANAZone.create(name);
  const out: number[] = [];
  for (let t = utc(FIRST_YEAR - 1, 12, 1); t < utc(LAST_YEAR + 1, 1, 31); t += DAY) {
    if (zone.offset(t) === zone.offset(t + DAY)) continue;
    let lo = t;
    let hi = t + DAY;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (zone.offset(mid) === zone.offset(t)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
});

/**
 * Receipt instants: anywhere in the table's years (and a little outside, where a region's calendar is refused);
 * within two hours of a DST change, or a whole number of days (up to 70) before one at about the same time of day (so
 * a calendar clock ends in the gap or the repeated hour); within two days of year ends and of 29 February; to the ms.
 */
const instantMs = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: utc(FIRST_YEAR - 1, 12, 20), max: utc(LAST_YEAR + 1, 1, 10) }) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -120, max: 120 }), fc.integer({ min: -1, max: 1 })).map(([t, m, ms]) => t + m * 60_000 + ms) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: 0, max: 70 }), fc.integer({ min: -150, max: 150 })).map(([t, d, m]) => t - d * DAY + m * 60_000) },
  { weight: 2, arbitrary: fc.tuple(year, fc.constantFrom(3, 4, 9, 10, 11), fc.integer({ min: 1, max: 30 })).chain(([y, m, d]) => within(utc(y, m, d), 2 * DAY)) },
  { weight: 2, arbitrary: year.chain((y) => within(utc(y, 1, 1), 2 * DAY)) },
  { weight: 2, arbitrary: fc.constantFrom(...LEAP_YEARS).chain((y) => within(utc(y, 2, 29), 2 * DAY)) },
);
/** Mostly the canonical form; sometimes another form of the same instant (an offset, no milliseconds). */
const instant = fc.tuple(instantMs, fc.integer({ min: 0, max: 9 })).map(([ms, form]) => {
  const iso = new Date(ms).toISOString();
  if (form === 0) return iso.replace('Z', '+00:00');
  if (form === 1) return `${iso.slice(0, 19)}Z`;
  return iso;
});

const REGIONS: [string, string][] = [
  ['GB-ENG', 'Europe/London'],
  ['GB-SCT', 'Europe/London'],
  ['IE', 'Europe/Dublin'],
  ['AU-NSW', 'Australia/Sydney'],
  ['AU-SA', 'Australia/Adelaide'],
  ['US', 'America/New_York'],
];
const isoDay = fc.integer({ min: utc(FIRST_YEAR, 1, 1), max: utc(LAST_YEAR, 12, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10));

const calendar: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    place: fc.oneof(
      fc.constantFrom(...REGIONS).map(([region, timeZone]) => ({ region, timeZone })),
      fc.constantFrom(...ZONES).map((timeZone) => ({ region: null, timeZone })),
      // A region counted in another zone (a branch working to its own clock).
      fc.tuple(fc.constantFrom(...REGIONS), fc.constantFrom(...ZONES)).map(([[region], timeZone]) => ({ region, timeZone })),
    ),
    weekend: fc.constantFrom<number[]>([6, 7], [5, 6], [7], [6]),
    hours: fc.constantFrom<BusinessCalendar['businessHours']>({ open: '09:00', close: '17:00' }, { open: '00:00', close: '23:45' }, { open: '08:30', close: '18:15' }, { open: '01:30', close: '02:45' }),
    holidayTypes: fc.constantFrom<BusinessCalendar['holidayTypes']>(['public'], ['public', 'bank']),
    closures: fc.array(isoDay, { maxLength: 30 }),
  })
  .map(({ place, weekend, hours, holidayTypes, closures }) => ({ ...place, weekend, businessHours: hours, holidayTypes, closures }));

const regimeOptions: fc.Arbitrary<RegimeOptions> = fc.record(
  {
    internalStandardDays: fc.integer({ min: 1, max: 90 }),
    internalStandardUnit: fc.constantFrom('calendar_days' as const, 'business_days' as const),
    closures: fc.array(isoDay, { maxLength: 10 }),
    calendars: fc.constantFrom<NonNullable<RegimeOptions['calendars']>>(
      {},
      { UK_FCA_DISP: { region: 'GB-SCT' }, UK_FCA_PSD: { region: 'GB-NIR' } },
      { INTERNAL_STANDARD: { region: 'GB-ENG', timeZone: 'Europe/London' } },
      { INTERNAL_STANDARD: { region: null, timeZone: 'Australia/Lord_Howe' }, US_CFPB: { timeZone: 'America/Chicago' } },
      { INTERNAL_STANDARD: { region: 'AU-SA', timeZone: 'Australia/Adelaide' }, IE_CBI_CPC: { timeZone: 'America/Santiago' } },
    ),
  },
  { requiredKeys: [] },
);

/** Every regime, with the organisation's options and at any of its business locations. */
const regime = fc
  .tuple(fc.constantFrom(...REGIME_IDS), regimeOptions, fc.nat())
  .map(([id, opts, pick]) => {
    const r = getRegime(id, opts);
    return atLocation(r, r.locations[pick % r.locations.length]?.region);
  });

describe('the deadline fast path equals the day-by-day reference', () => {
  it('computeDeadline: every regime, calendar, location and option; every receipt instant; extended or not', () => {
    fc.assert(
      fc.property(regime, instant, fc.boolean(), (r, receivedAt, extended) => {
        const opts = { extended: extended && !!r.extension.clock };
        const fast = outcome(() => computeDeadline(r, receivedAt, opts));
        const reference = outcome(() => ref.referenceComputeDeadline(r, receivedAt, opts));
        expect(fast).toEqual(reference);
        // The same keys in the same order: a stored deadline serialises as it always did.
        expect(JSON.stringify(fast)).toBe(JSON.stringify(reference));
      }),
      RUNS,
    );
  });

  it('clockDueFrom: every clock of every regime from any instant', () => {
    fc.assert(
      fc.property(regime, instant, fc.constantFrom<ClockId>('acknowledgement', 'final_response', 'outcome_notification', 'customer_update', 'summary_resolution'), (r, from, id) => {
        expect(outcome(() => clockDueFrom(r, id, from))).toEqual(outcome(() => ref.referenceClockDueFrom(r, id, from)));
      }),
      RUNS,
    );
  });

  it('business days: next, n-th, close and opening of business, day 0 with and without a cut-off', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 130 }), fc.constantFrom(null, { time: '17:00', nonBusinessDays: true }, { time: '12:30', nonBusinessDays: false }), (cal, at, n, cutOff) => {
        const day0 = outcome(() => effectiveReceiptDay(at, cal, cutOff));
        expect(day0).toEqual(outcome(() => ref.effectiveReceiptDay(at, cal, cutOff)));
        const day = localDay(at, cal);
        expect(day).toBe(ref.localDay(at, cal));
        expect(outcome(() => isBusinessDay(day, cal))).toEqual(outcome(() => ref.isBusinessDay(day, cal)));
        expect(outcome(() => nextBusinessDay(day, cal))).toEqual(outcome(() => ref.nextBusinessDay(day, cal)));
        expect(outcome(() => addBusinessDays(day, n, cal))).toEqual(outcome(() => ref.addBusinessDays(day, n, cal)));
        expect(outcome(() => businessDayDeadline(day, n, cal))).toEqual(outcome(() => ref.businessDayDeadline(day, n, cal)));
        expect(outcome(() => closeOfBusiness(day, cal))).toEqual(outcome(() => ref.closeOfBusiness(day, cal)));
        expect(outcome(() => openOfBusiness(at, cal))).toEqual(outcome(() => ref.openOfBusiness(at, cal)));
      }),
      RUNS,
    );
  });

  it('business time between two instants, and business time added to an instant', () => {
    // Spans and amounts to the ms, and whole hours and quarter hours, which end exactly at a close or an opening.
    const span = fc.oneof(fc.integer({ min: -60 * DAY, max: 60 * DAY }), fc.integer({ min: -60 * 96, max: 60 * 96 }).map((q) => q * 900_000));
    const amount = fc.oneof(fc.integer({ min: 0, max: 60 * 24 * HOUR }), fc.integer({ min: 0, max: 600 }).map((h) => h * HOUR), fc.integer({ min: 0, max: 2400 }).map((q) => q * 900_000));
    fc.assert(
      fc.property(calendar, instant, span, amount, (cal, at, span, add) => {
        const to = new Date(Date.parse(at) + span).toISOString();
        expect(outcome(() => businessTimeBetween(at, to, cal))).toEqual(outcome(() => ref.businessTimeBetween(at, to, cal)));
        expect(outcome(() => addBusinessTime(at, add, cal))).toEqual(outcome(() => ref.addBusinessTime(at, add, cal)));
      }),
      RUNS,
    );
  });

  it('calendar days and weeks across DST changes, year ends and 29 February', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: -400, max: 400 }), fc.integer({ min: 0, max: 12 }), (cal, at, days, weeks) => {
        expect(outcome(() => addCalendarTime(at, { days, weeks }, cal))).toEqual(outcome(() => ref.addCalendarTime(at, { days, weeks }, cal)));
      }),
      RUNS,
    );
  });

  it('refuses the same inputs with the same errors: an unparsable instant, a count that is not whole', () => {
    const r = getRegime('UK_FCA_PSD');
    for (const bad of ['', 'yesterday', '2026-02-30T10:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-01-01T24:00:00.000Z']) {
      expect([bad, outcome(() => computeDeadline(r, bad))]).toEqual([bad, outcome(() => ref.referenceComputeDeadline(r, bad))]);
      expect([bad, outcome(() => clockDueFrom(r, 'final_response', bad))]).toEqual([bad, outcome(() => ref.referenceClockDueFrom(r, 'final_response', bad))]);
      expect([bad, outcome(() => businessTimeBetween(bad, '2026-01-05T10:00:00.000Z', r.calendar))]).toEqual([bad, outcome(() => ref.businessTimeBetween(bad, '2026-01-05T10:00:00.000Z', r.calendar))]);
    }
    for (const n of [-1, 1.5, Number.NaN]) expect(outcome(() => addBusinessDays('2026-01-05', n, r.calendar))).toEqual(outcome(() => ref.addBusinessDays('2026-01-05', n, r.calendar)));
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(outcome(() => addBusinessTime('2026-01-05T10:00:00.000Z', ms, r.calendar))).toEqual(outcome(() => ref.addBusinessTime('2026-01-05T10:00:00.000Z', ms, r.calendar)));
  });
});
