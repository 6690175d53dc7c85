// Holiday days straight from date-holidays: what the build-time holiday table is generated from and tested against.
import Holidays from 'date-holidays';

/** The holiday types a calendar may close on (RegimeCalendar.holidayTypes). */
export const HOLIDAY_TYPES = ['public', 'bank'] as const;
export type HolidayType = (typeof HOLIDAY_TYPES)[number];

const DAY_MS = 86_400_000;
const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

const catalogue = new Holidays();

/** date-holidays silently ignores unknown codes, so a region is checked against its country and state lists first. */
export const checkRegion = (region: string): void => {
  const [country, state, ...rest] = region.split('-');
  const countries = catalogue.getCountries('en');
  if (!country || rest.length > 0 || !Object.hasOwn(countries, country)) throw new Error(`unknown holiday calendar ${region} (not a date-holidays country)`);
  const states = catalogue.getStates(country, 'en');
  if (state && !(states && Object.hasOwn(states, state))) throw new Error(`unknown holiday calendar ${region} (no state ${state} in ${country})`);
};

const libraries = new Map<string, Holidays>();
const libraryFor = (region: string): Holidays => {
  let h = libraries.get(region);
  if (!h) {
    checkRegion(region);
    const [country, state] = region.split('-') as [string, string | undefined];
    h = state ? new Holidays(country, state) : new Holidays(country);
    libraries.set(region, h);
  }
  return h;
};

/**
 * The local ISO dates in `year` on which a region has a holiday of `type`. A holiday that spans several days closes
 * each of them; a span reaching into the next year counts in the year it starts only, as the runtime lookup always
 * did (a day is judged by its own year's holiday list).
 */
export const libraryHolidays = (region: string, type: HolidayType, year: number): string[] => {
  const days = new Set<number>();
  for (const h of libraryFor(region).getHolidays(year)) {
    if (h.type !== type) continue;
    // `date` is the local start ("2026-08-31 00:00:00"); `end - start` is the span in the region's own zone.
    const first = dayNumber(h.date.slice(0, 10));
    const span = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
    for (let i = 0; i < span; i++) days.add(first + i);
  }
  return [...days].sort((a, b) => a - b).map(dayString).filter((d) => d.startsWith(`${year}-`));
};
