// The build-time holiday table equals date-holidays for every calendar, holiday type and year it covers, and a day outside it is refused.
import { readFileSync } from 'node:fs';
import { HOLIDAY_TABLE } from '#domain/holiday-table';
import { businessDayDeadline, CalendarConfigError, holidaysIn, holidayTableYears, isBusinessDay } from '#domain/calendar';
import { listRegimes } from '#domain/regimes';
import { HOLIDAY_TYPES, libraryHolidays } from '../../scripts/holiday-source';
import { renderTable, tableRegions } from '../../scripts/build-holiday-table';

const { firstYear, lastYear } = HOLIDAY_TABLE;
const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);
const regions = Object.keys(HOLIDAY_TABLE.regions);
/** The second Monday of a year's January (never a holiday of the shipped calendars). */
const mondayIn = (year: number): string => {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  return new Date(Date.UTC(year, 0, 1 + ((8 - jan1) % 7) + 7)).toISOString().slice(0, 10);
};

describe('the holiday table (npm run holidays:table)', () => {
  it('covers 2015 to at least 15 years after the year it was built in, from the installed date-holidays', () => {
    expect(firstYear).toBe(2015);
    expect(lastYear).toBeGreaterThanOrEqual(2041);
    const installed = JSON.parse(readFileSync(require.resolve('date-holidays/package.json'), 'utf8')) as { version: string };
    expect(HOLIDAY_TABLE.source).toBe(`date-holidays ${installed.version}`);
  });

  it('has every calendar a shipped regime or business location counts under', () => {
    const used = new Set(listRegimes().flatMap((r) => [r.calendar.region, ...r.locations.map((l) => l.region)]).filter((r): r is string => r !== null));
    expect([...used].filter((r) => !regions.includes(r))).toEqual([]);
    expect(regions).toEqual(tableRegions({}));
  });

  it.each(regions)('%s: every holiday type and year equals date-holidays', (region) => {
    for (const type of HOLIDAY_TYPES) {
      for (const year of years) {
        const fromLibrary = libraryHolidays(region, type, year);
        expect([region, type, year, holidaysIn(region, year, [type])]).toEqual([region, type, year, fromLibrary]);
      }
    }
  });

  it('is exactly what the generator writes for these calendars and years (nothing edited by hand)', () => {
    const committed = readFileSync(require.resolve('#domain/holiday-table'), 'utf8');
    expect(committed).toBe(renderTable(regions, firstYear, lastYear));
  });

  it('refuses a day outside the table with the years it covers and how to extend it, never answering without holidays', () => {
    const eng = listRegimes().find((r) => r.id === 'UK_FCA_DISP')!.calendar;
    expect(() => isBusinessDay(`${lastYear + 1}-01-05`, eng)).toThrow(CalendarConfigError);
    expect(() => isBusinessDay(`${firstYear - 1}-06-02`, eng)).toThrow(new RegExp(`covers ${firstYear}–${lastYear} \\(set HOLIDAY_TABLE_FIRST_YEAR`));
    expect(() => businessDayDeadline(`${lastYear}-12-20`, 15, eng)).toThrow(/no holiday data for/);
    expect(() => holidaysIn('GB-ENG', lastYear + 1)).toThrow(CalendarConfigError);
    expect(holidayTableYears()).toEqual({ firstYear, lastYear, source: HOLIDAY_TABLE.source });
  });

  it('keeps calendars without a region usable in any year (weekends and closures only)', () => {
    const utc = { region: null, timeZone: 'UTC', weekend: [6, 7], businessHours: { open: '09:00', close: '17:00' }, holidayTypes: ['public' as const], closures: [] };
    expect(isBusinessDay(mondayIn(lastYear + 5), utc)).toBe(true);
  });
});
