// The zone-offset tables of shared/domain/calendar.ts read a zone every 4th midnight and bisect between readings that
// differ, so they are exact for a zone that changes its offset at most once in any 4 days. Every zone the shipped
// regimes and their business locations count in does so, in every year of the holiday table (read from Luxon at every
// UTC midnight; the whole tz database was checked the same way, every 6 hours, when the tables were introduced).
import { IANAZone } from 'luxon';
import { HOLIDAY_TABLE } from '#domain/holiday-table';
import { listRegimes } from '#domain/regimes';

const DAY = 86_400_000;
const STEP = DAY;

describe('zones of the shipped regimes and locations', () => {
  const zones = [...new Set(listRegimes().flatMap((r) => [r.calendar.timeZone, ...r.locations.map((l) => l.timeZone)]))].sort();

  it('include every zone a shipped calendar uses', () => {
    expect(zones).toEqual(expect.arrayContaining(['Europe/London', 'Europe/Dublin', 'America/New_York', 'Australia/Sydney', 'Australia/Adelaide', 'UTC']));
  });

  it.each(zones)('%s changes its offset at most once in any 4 days of the holiday table years', (name) => {
    const zone = IANAZone.create(name);
    const from = Date.UTC(HOLIDAY_TABLE.firstYear - 1, 11, 1);
    const to = Date.UTC(HOLIDAY_TABLE.lastYear + 1, 1, 1);
    const changes: number[] = [];
    let previous = zone.offset(from);
    for (let t = from + STEP; t <= to; t += STEP) {
      const offset = zone.offset(t);
      if (offset !== previous) changes.push(t);
      previous = offset;
    }
    const close = changes.slice(1).filter((t, i) => t - changes[i]! <= 4 * DAY + STEP);
    expect(close.map((t) => new Date(t).toISOString())).toEqual([]);
  });
});
