// `npm run holidays:table`: computes every configured calendar's holiday days from date-holidays into shared/domain/holiday-table.ts.
//
// The functions load that compact table instead of date-holidays (and the moment-timezone and astronomia it brings:
// ~1.4 MB and ~150 ms of init). Calendars: every region a shipped regime or business location uses, the regions named
// by REGIME_CALENDARS / REGIME_LOCATIONS in this environment, and HOLIDAY_TABLE_REGIONS (comma-separated) for any other.
// Years: HOLIDAY_TABLE_FIRST_YEAR (default 2015) to HOLIDAY_TABLE_LAST_YEAR (default this year + 15). `--check` only
// compares and exits 1 when the committed table differs from what date-holidays gives now.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listRegimes } from '#domain/regimes';
import { loadConfig } from '#http/config';
import { HOLIDAY_TYPES, checkRegion, libraryHolidays } from './holiday-source';

const OUT = join(__dirname, '..', 'shared', 'domain', 'holiday-table.ts');
const DAY_MS = 86_400_000;
/** Three base-36 digits per day: offsets up to 46,655 days (127 years) from 1 January of the first year. */
const DIGITS = 3;

const yearSetting = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1970 || n > 2200) throw new Error(`${name} must be a year (1970–2200), got ${raw}`);
  return n;
};

export const tableYears = (): { firstYear: number; lastYear: number } => {
  const firstYear = yearSetting('HOLIDAY_TABLE_FIRST_YEAR', 2015);
  const lastYear = yearSetting('HOLIDAY_TABLE_LAST_YEAR', new Date().getUTCFullYear() + 15);
  if (lastYear < firstYear) throw new Error(`HOLIDAY_TABLE_LAST_YEAR ${lastYear} is before HOLIDAY_TABLE_FIRST_YEAR ${firstYear}`);
  if (lastYear - firstYear > 120) throw new Error('the holiday table spans at most 120 years');
  return { firstYear, lastYear };
};

/** Every region a case can count under in this build: shipped regimes and locations, configured ones, extra ones. */
export const tableRegions = (env: NodeJS.ProcessEnv = process.env): string[] => {
  const regions = new Set<string>();
  for (const r of listRegimes()) {
    if (r.calendar.region) regions.add(r.calendar.region);
    for (const l of r.locations) if (l.region) regions.add(l.region);
  }
  const opts = loadConfig(env).regimes;
  for (const c of Object.values(opts.calendars ?? {})) if (c.region) regions.add(c.region);
  for (const ls of Object.values(opts.locations ?? {})) for (const l of ls) if (l.region) regions.add(l.region);
  for (const r of (env.HOLIDAY_TABLE_REGIONS ?? '').split(',').map((s) => s.trim())) if (r) regions.add(r);
  for (const r of regions) checkRegion(r);
  return [...regions].sort();
};

const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

export const renderTable = (regions: string[], firstYear: number, lastYear: number): string => {
  const base = dayNumber(`${firstYear}-01-01`);
  const encoded: Record<string, Record<string, string>> = {};
  for (const region of regions) {
    const byType: Record<string, string> = {};
    for (const type of HOLIDAY_TYPES) {
      let s = '';
      for (let y = firstYear; y <= lastYear; y++) for (const d of libraryHolidays(region, type, y)) s += (dayNumber(d) - base).toString(36).padStart(DIGITS, '0');
      byType[type] = s;
    }
    encoded[region] = byType;
  }
  const version = (JSON.parse(readFileSync(require.resolve('date-holidays/package.json'), 'utf8')) as { version: string }).version;
  const lines = Object.entries(encoded).map(([region, t]) => `    '${region}': { ${Object.entries(t).map(([k, v]) => `${k}: '${v}'`).join(', ')} },`);
  return [
    '// Holiday days of every configured calendar, generated from date-holidays by `npm run holidays:table`: do not edit.',
    '//',
    `// Each string lists a region's days of one holiday type as ${DIGITS} base-36 digits each: days after 1 January of firstYear.`,
    '// shared/domain/calendar.ts decodes it; test/unit/holiday-table.test.ts proves it equals date-holidays for every',
    '// calendar and year in range.',
    '',
    'export interface HolidayTable {',
    '  source: string;',
    '  firstYear: number;',
    '  lastYear: number;',
    '  digits: number;',
    '  regions: Record<string, Record<string, string>>;',
    '}',
    '',
    'export const HOLIDAY_TABLE: HolidayTable = {',
    `  source: 'date-holidays ${version}',`,
    `  firstYear: ${firstYear},`,
    `  lastYear: ${lastYear},`,
    `  digits: ${DIGITS},`,
    '  regions: {',
    ...lines,
    '  },',
    '};',
    '',
  ].join('\n');
};

if (require.main === module) {
  const { firstYear, lastYear } = tableYears();
  const regions = tableRegions();
  const text = renderTable(regions, firstYear, lastYear);
  if (process.argv.includes('--check')) {
    const same = readFileSync(OUT, 'utf8') === text;
    process.stdout.write(same ? 'holiday table is current\n' : 'holiday table differs from date-holidays: run npm run holidays:table\n');
    process.exit(same ? 0 : 1);
  }
  writeFileSync(OUT, text);
  process.stdout.write(`wrote ${OUT}: ${regions.length} calendars, ${firstYear}–${lastYear}, ${text.length.toLocaleString('en-GB')} bytes\n`);
}
