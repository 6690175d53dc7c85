// Property tests of the business-day calendar and regime deadlines (pure, no I/O): holidays, additivity, DST, ordering.
import fc from 'fast-check';
import { HOLIDAY_TABLE } from '#domain/holiday-table';
import { DateTime } from 'luxon';
import {
  addBusinessDays,
  addBusinessTime,
  addCalendarTime,
  businessDayDeadline,
  businessTimeBetween,
  effectiveReceiptDay,
  holidaysIn,
  isBusinessDay,
  localDay,
  type BusinessCalendar,
} from '#domain/calendar';
import { CHECKPOINT_PERCENTS, computeDeadline, shiftForPause } from '#domain/deadlines';
import { getRegime, listRegimes, REGIME_IDS, type RegimeOptions } from '#domain/regimes';

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) };
const HOUR = 3_600_000;

const CALENDARS: [string, string][] = [
  ['GB-ENG', 'Europe/London'],
  ['GB-SCT', 'Europe/London'],
  ['IE', 'Europe/Dublin'],
  ['AU-NSW', 'Australia/Sydney'],
  ['US', 'America/New_York'],
];

// The years of the build's holiday table, less a year at its end so that 60 business days (and a year of skipped days) stay inside it.
// From the 2nd of January: an instant on the 1st is still the year before in the Americas.
const FIRST = new Date(`${HOLIDAY_TABLE.firstYear}-01-02T00:00:00Z`);
const LAST = new Date(`${HOLIDAY_TABLE.lastYear - 1}-12-31T00:00:00Z`);
const isoDay = fc.date({ min: FIRST, max: LAST, noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const instant = fc.date({ min: FIRST, max: LAST, noInvalidDate: true }).map((d) => d.toISOString());

const calendar: fc.Arbitrary<BusinessCalendar> = fc
  .tuple(fc.constantFrom(...CALENDARS), fc.array(isoDay, { maxLength: 20 }))
  .map(([[region, timeZone], closures]) => ({
    region,
    timeZone,
    weekend: [6, 7],
    businessHours: { open: '09:00', close: '17:00' },
    holidayTypes: ['public'] as ['public'],
    closures,
  }));

/** A business day, checked against the raw inputs rather than isBusinessDay itself. */
const isWorkingDay = (day: string, cal: BusinessCalendar): boolean => {
  const weekday = DateTime.fromISO(day, { zone: 'UTC' }).weekday;
  return !cal.weekend.includes(weekday) && !cal.closures.includes(day) && !(cal.region && holidaysIn(cal.region, Number(day.slice(0, 4))).includes(day));
};

const regimeOptions: fc.Arbitrary<RegimeOptions> = fc.record(
  {
    internalStandardDays: fc.integer({ min: 1, max: 90 }),
    internalStandardUnit: fc.constantFrom('calendar_days' as const, 'business_days' as const),
    closures: fc.array(isoDay, { maxLength: 10 }),
    calendars: fc.constantFrom<NonNullable<RegimeOptions['calendars']>>(
      {},
      { UK_FCA_DISP: { region: 'GB-SCT' }, UK_FCA_PSD: { region: 'GB-SCT' } },
      { INTERNAL_STANDARD: { region: 'GB-ENG', timeZone: 'Europe/London' } },
    ),
  },
  { requiredKeys: [] },
);

describe('business days', () => {
  it('a business-day due date never falls on a weekend, holiday or closure of its calendar, and ends at close of business', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 60 }), fc.boolean(), (cal, receivedAt, n, cutOff) => {
        const day0 = effectiveReceiptDay(receivedAt, cal, cutOff ? { time: '17:00', nonBusinessDays: true } : null);
        const due = businessDayDeadline(day0, n, cal);
        const dueDay = localDay(due, cal);
        expect(isWorkingDay(dueDay, cal)).toBe(true);
        expect(isBusinessDay(dueDay, cal)).toBe(true);
        expect(DateTime.fromISO(due, { zone: cal.timeZone }).toFormat('HH:mm')).toBe('17:00');
        expect(Date.parse(due)).toBeGreaterThan(Date.parse(receivedAt));
      }),
      RUNS,
    );
  });

  it('every day skipped between two consecutive business days is a non-working day', () => {
    fc.assert(
      fc.property(calendar, isoDay, (cal, day) => {
        const next = addBusinessDays(day, 1, cal);
        for (let d = DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: 1 }); d.toISODate()! < next; d = d.plus({ days: 1 })) {
          expect(isWorkingDay(d.toISODate()!, cal)).toBe(false);
        }
        expect(isWorkingDay(next, cal)).toBe(true);
      }),
      RUNS,
    );
  });

  it('adding n then m business days equals adding n + m', () => {
    fc.assert(
      fc.property(calendar, isoDay, fc.nat({ max: 40 }), fc.nat({ max: 40 }), (cal, day, n, m) => {
        expect(addBusinessDays(addBusinessDays(day, n, cal), m, cal)).toBe(addBusinessDays(day, n + m, cal));
      }),
      RUNS,
    );
  });

  it('business time is additive and businessTimeBetween inverts addBusinessTime', () => {
    const span = fc.integer({ min: 0, max: 30 * 8 * HOUR });
    fc.assert(
      fc.property(calendar, instant, span, span, (cal, t, a, b) => {
        const ta = addBusinessTime(t, a, cal);
        expect(addBusinessTime(ta, b, cal)).toBe(addBusinessTime(t, a + b, cal));
        expect(businessTimeBetween(t, ta, cal)).toBe(a);
      }),
      RUNS,
    );
  });
});

describe('DST', () => {
  it('calendar-day deadlines keep the local wall-clock time of receipt across DST changes (Luxon as the oracle)', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 120 }), (cal, receivedAt, days) => {
        const local = DateTime.fromISO(receivedAt, { zone: cal.timeZone });
        fc.pre(local.hour >= 4); // clocks change between 01:00 and 03:00 local in these zones
        const due = addCalendarTime(receivedAt, { days }, cal);
        const dueLocal = DateTime.fromISO(due, { zone: cal.timeZone });
        expect(dueLocal.toFormat('HH:mm:ss.SSS')).toBe(local.toFormat('HH:mm:ss.SSS'));
        expect(dueLocal.toISODate()).toBe(local.plus({ days }).toISODate());
        expect(due).toBe(local.plus({ days }).toUTC().toISO());
      }),
      RUNS,
    );
  });

  it('a DST change never moves a deadline by more than the hour it adds or removes, at any hour', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 120 }), (cal, receivedAt, days) => {
        const drift = Date.parse(addCalendarTime(receivedAt, { days }, cal)) - Date.parse(receivedAt) - days * 24 * HOUR;
        expect(Math.abs(drift)).toBeLessThanOrEqual(HOUR);
      }),
      RUNS,
    );
  });

  it('regime deadlines: business-day ones end at 17:00 local and calendar ones at the local time of receipt', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REGIME_IDS), instant, (id, receivedAt) => {
        const r = getRegime(id);
        const d = computeDeadline(r, receivedAt);
        const dueLocal = DateTime.fromISO(d.dueAt, { zone: r.timeZone });
        const rcvLocal = DateTime.fromISO(receivedAt, { zone: r.timeZone });
        if (d.basis === 'business_time') expect(dueLocal.toFormat('HH:mm')).toBe('17:00');
        else if (rcvLocal.hour >= 4) expect(dueLocal.toFormat('HH:mm:ss')).toBe(rcvLocal.toFormat('HH:mm:ss'));
        for (const at of [d.acknowledgementDueAt, d.summaryResolutionEndsAt, ...(d.customerUpdatesDueAt ?? [])]) {
          if (at) expect(DateTime.fromISO(at, { zone: r.timeZone }).toFormat('HH:mm')).toBe('17:00');
        }
      }),
      RUNS,
    );
  });
});

describe('regime deadlines', () => {
  const regime = fc.tuple(fc.constantFrom(...REGIME_IDS), regimeOptions).map(([id, opts]) => getRegime(id, opts));

  it('due ≥ clock start ≥ receipt; checkpoints ordered 50 < 75 < 90 < 100 = due', () => {
    fc.assert(
      fc.property(regime, instant, fc.boolean(), (r, receivedAt, extend) => {
        const extended = extend && !!r.extension.clock;
        const d = computeDeadline(r, receivedAt, { extended });
        const t = (s: string) => Date.parse(s);
        expect(t(d.clockStartsAt)).toBeGreaterThanOrEqual(t(receivedAt));
        expect(t(d.dueAt)).toBeGreaterThan(t(d.clockStartsAt));
        expect(d.checkpoints.map((c) => c.percent)).toEqual([...CHECKPOINT_PERCENTS]);
        const ats = d.checkpoints.map((c) => t(c.at));
        for (let i = 1; i < ats.length; i++) expect(ats[i]).toBeGreaterThan(ats[i - 1]!);
        expect(ats[0]).toBeGreaterThan(t(d.clockStartsAt));
        expect(d.checkpoints[3]!.at).toBe(d.dueAt);
        if (d.acknowledgementDueAt) expect(t(d.acknowledgementDueAt)).toBeGreaterThan(t(receivedAt));
        if (d.extendedDueAt) expect(t(d.extendedDueAt)).toBeGreaterThan(t(d.dueAt));
        if (d.basis === 'business_time') {
          // Percentages are of business time: 50 % of the clock has elapsed at the 50 % checkpoint.
          const total = businessTimeBetween(d.clockStartsAt, d.dueAt, r.calendar);
          expect(businessTimeBetween(d.clockStartsAt, d.checkpoints[0]!.at, r.calendar)).toBe(Math.round(total / 2));
          expect(isBusinessDay(d.dueAt, r.calendar)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('a pause keeps the order, never brings a due time forward, and a zero-length pause changes nothing', () => {
    const pausable = fc.tuple(regimeOptions, instant, fc.integer({ min: 0, max: 60 * 24 * HOUR }), fc.integer({ min: 0, max: 20 * 24 * HOUR }));
    fc.assert(
      fc.property(pausable, ([opts, receivedAt, after, length]) => {
        const r = getRegime('INTERNAL_STANDARD', opts);
        const d = computeDeadline(r, receivedAt);
        const pausedAt = new Date(Date.parse(receivedAt) + after).toISOString();
        expect(shiftForPause(d, pausedAt, pausedAt, r)).toEqual(d);
        const out = shiftForPause(d, pausedAt, new Date(Date.parse(pausedAt) + length).toISOString(), r);
        expect(Date.parse(out.dueAt)).toBeGreaterThanOrEqual(Date.parse(d.dueAt));
        const ats = out.checkpoints.map((c) => Date.parse(c.at));
        for (let i = 1; i < ats.length; i++) expect(ats[i]).toBeGreaterThan(ats[i - 1]!);
        expect(out.checkpoints[3]!.at).toBe(out.dueAt);
      }),
      RUNS,
    );
  });

  it('the registry is stable: every regime id resolves and lists in one order', () => {
    expect(listRegimes().map((r) => r.id)).toEqual([...REGIME_IDS]);
  });
});
