// Deadline computations per second: `computeDeadline` over 100,000 deterministic cases across every regime, on one core.
//
// Runs on the main thread of one Node process (no workers). `npm run bench` starts it as a fresh child
// process (`node --import tsx bench/deadlines.ts --json FILE --no-report`) so that the cold first pass really
// is cold (no holiday set decoded, no zone-offset table or business-day block built) whatever ran before;
// standalone: `npx tsx bench/deadlines.ts` prints progress and the report. Goal (issue 28): ≥ 100,000 per second,
// the median of the timed passes' wall-clock rates; each pass's rate per CPU second is reported beside it, since
// on a shared machine the process gets less than a core (CPU ÷ wall).
//
// Cases: seeded PRNG (mulberry32, no Math.random), spread evenly over `listRegimes()`, receipt instants uniform
// over 2025-01-01 … 2028-12-31 (UTC, any second of the day), so cut-offs, weekends, public holidays and DST
// changes are all hit (the coverage line counts them); ~10 % `{ extended: true }` where the regime has a fixed
// extension clock. Pass 0 is the cold pass and the warm-up; passes 1…N are timed. Every pass runs the regimes as
// blocks (each regime's cases, in their random time order, timed as one block), starting at a rotating regime, so
// the per-regime figures come from the same passes as the overall one and no regime is always first.
import { writeFileSync } from 'node:fs';
import { IANAZone } from 'luxon';
import { computeDeadline, type DeadlineOptions } from '#domain/deadlines';
import { holidaysIn, isBusinessDay, localDay } from '#domain/calendar';
import { listRegimes } from '#domain/regimes';
import type { Regime } from '#schemas/regime';
import { median, round, say, table, envInt } from './stats';


export interface DeadlineBenchSettings {
  cases: number;
  /** Timed passes after the cold (warm-up) pass. */
  passes: number;
  seed: number;
  receivedFrom: string;
  receivedTo: string;
  /** Share of the cases of a regime with a fixed extension clock computed `{ extended: true }`. */
  extendedShare: number;
}

/** Issue 28: deadline computations per second across all regimes, one core. */
export const DEADLINE_GOAL_PER_S = 100_000;

/** BENCH_DEADLINE_CASES, BENCH_DEADLINE_PASSES, BENCH_DEADLINE_SEED. */
export const deadlineSettings = (): DeadlineBenchSettings => ({
  cases: envInt('BENCH_DEADLINE_CASES', 100_000, 1_000),
  passes: envInt('BENCH_DEADLINE_PASSES', 5, 3),
  seed: envInt('BENCH_DEADLINE_SEED', 20_250_101, 0),
  receivedFrom: '2025-01-01T00:00:00.000Z',
  receivedTo: '2028-12-31T23:59:59.000Z',
  extendedShare: 0.1,
});

/** Governing clock kind: what separates the cheap regimes from the dear ones. */
export type RegimeKind = 'calendar' | 'calendar + business-day side clocks' | 'business-day';

export interface RegimeFigures {
  id: string;
  kind: RegimeKind;
  finalClock: string;
  /** Clocks counted in business days (holidays, cut-off, business hours). */
  businessDayClocks: string[];
  timeZone: string;
  holidayRegion: string | null;
  cases: number;
  extended: number;
  /** Median over the timed passes of this regime's block throughput. */
  medianPerS: number;
  minPerS: number;
  maxPerS: number;
  /** Median µs per computation (1e6 ÷ medianPerS). */
  medianUs: number;
  /** Calendar-only regimes' median throughput ÷ this one's: how many times dearer a computation is. */
  costVsCalendar: number;
  coldMs: number;
  perPassPerS: number[];
}

export interface DeadlineBenchResult {
  settings: DeadlineBenchSettings;
  regimeCount: number;
  /** What "single core" means here, and the CPU time over wall time of the timed passes (≈ 1 = one core busy). */
  singleCore: { runsOn: string; workerThreads: 0; cpuOverWall: number };
  node: string;
  computationsPerSecond: { median: number; min: number; max: number; perPass: number[]; passMs: number[] };
  /** The same passes per second of this process's CPU time (user + system): what one whole core would do. */
  computationsPerCpuSecond: { median: number; perPass: number[] };
  cold: { ms: number; perS: number; warmMedianOverCold: number; oneOffMs: number };
  regimes: RegimeFigures[];
  kinds: { kind: RegimeKind; regimes: string[]; medianPerS: number; costVsCalendar: number }[];
  checksum: { distinctDueDates: number; fingerprint: string; passesDifferingFromCold: number };
  coverage: {
    receivedOnWeekend: number;
    receivedOnPublicHoliday: number;
    receivedAtOrAfterCutOff: number;
    receivedWithin12hOfDstChange: number;
    deadlineAcrossDstChange: number;
    extended: number;
  };
  durationS: number;
}

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; the same seed gives the same cases on every machine. */
const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

interface Block {
  regime: Regime;
  receivedAt: string[];
  opts: (DeadlineOptions | undefined)[];
  /** Output slots, reused every pass: the due dates keep the work observable. */
  dueAt: string[];
}

const EXTENDED: DeadlineOptions = { extended: true };

const extensionClock = (r: Regime) => (r.extension.allowed ? r.extension.clock : undefined);

const kindOf = (r: Regime): RegimeKind => {
  const final = r.clocks.find((c) => c.id === 'final_response');
  if (final?.unit === 'business_days') return 'business-day';
  return r.clocks.some((c) => c.unit === 'business_days') ? 'calendar + business-day side clocks' : 'calendar';
};

const clockText = (r: Regime): string => {
  const final = r.clocks.find((c) => c.id === 'final_response');
  const ext = extensionClock(r);
  const extClock = ext && r.clocks.find((c) => c.id === ext);
  const unit = (u: string) => u.replace('_', ' ');
  return final ? `${final.amount} ${unit(final.unit)}${extClock ? ` (ext. ${extClock.amount})` : ''}` : '?';
};

/** Cases spread evenly over the regimes (the first `cases % regimes` get one more), each regime's in random time order. */
const generate = (regimes: Regime[], s: DeadlineBenchSettings): Block[] => {
  const rand = mulberry32(s.seed);
  const from = Date.parse(s.receivedFrom) / 1000;
  const spanS = Date.parse(s.receivedTo) / 1000 - from + 1;
  return regimes.map((regime, i) => {
    const n = Math.floor(s.cases / regimes.length) + (i < s.cases % regimes.length ? 1 : 0);
    const extensible = extensionClock(regime) !== undefined;
    const receivedAt: string[] = [];
    const opts: (DeadlineOptions | undefined)[] = [];
    for (let k = 0; k < n; k++) {
      receivedAt.push(new Date((from + Math.floor(rand() * spanS)) * 1000).toISOString());
      const ext = rand() < s.extendedShare;
      opts.push(extensible && ext ? EXTENDED : undefined);
    }
    return { regime, receivedAt, opts, dueAt: new Array<string>(n).fill('') };
  });
};

/** One pass over every block, starting at block `start`; returns each block's time in ms (index = block). */
const runPass = (blocks: Block[], start: number): number[] => {
  const ms = new Array<number>(blocks.length).fill(0);
  for (let k = 0; k < blocks.length; k++) {
    const b = (start + k) % blocks.length;
    const { regime, receivedAt, opts, dueAt } = blocks[b]!;
    const t = performance.now();
    for (let j = 0; j < receivedAt.length; j++) dueAt[j] = computeDeadline(regime, receivedAt[j]!, opts[j]).dueAt;
    ms[b] = performance.now() - t;
  }
  return ms;
};

/** FNV-1a over every due date in case order: equal across machines and runs unless deadline results change. */
const fingerprint = (blocks: Block[]): string => {
  let h = 0x811c9dc5;
  for (const b of blocks)
    for (const d of b.dueAt)
      for (let i = 0; i < d.length; i++) {
        h ^= d.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
      }
  return (h >>> 0).toString(16).padStart(8, '0');
};

const HOUR_MS = 3_600_000;

const coverageOf = (blocks: Block[]): DeadlineBenchResult['coverage'] => {
  const cov = { receivedOnWeekend: 0, receivedOnPublicHoliday: 0, receivedAtOrAfterCutOff: 0, receivedWithin12hOfDstChange: 0, deadlineAcrossDstChange: 0, extended: 0 };
  const holidays = new Map<string, Set<string>>();
  const holidaySet = (region: string, year: number) => {
    const key = `${region}|${year}`;
    let set = holidays.get(key);
    if (!set) holidays.set(key, (set = new Set(holidaysIn(region, year))));
    return set;
  };
  for (const { regime, receivedAt, opts, dueAt } of blocks) {
    const cal = regime.calendar;
    const zone = IANAZone.create(cal.timeZone);
    const cutOffMin = regime.cutOff ? Number(regime.cutOff.time.slice(0, 2)) * 60 + Number(regime.cutOff.time.slice(3, 5)) : undefined;
    for (let j = 0; j < receivedAt.length; j++) {
      const ms = Date.parse(receivedAt[j]!);
      const day = localDay(ms, cal);
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
      const weekend = cal.weekend.includes(weekday);
      if (weekend) cov.receivedOnWeekend++;
      else if (cal.region && holidaySet(cal.region, Number(day.slice(0, 4))).has(day)) cov.receivedOnPublicHoliday++;
      if (cutOffMin !== undefined && isBusinessDay(day, cal)) {
        const local = ms + zone.offset(ms) * 60_000;
        if (Math.floor((local % 86_400_000) / 60_000) >= cutOffMin) cov.receivedAtOrAfterCutOff++;
      }
      if (zone.offset(ms - 12 * HOUR_MS) !== zone.offset(ms + 12 * HOUR_MS)) cov.receivedWithin12hOfDstChange++;
      if (zone.offset(ms) !== zone.offset(Date.parse(dueAt[j]!))) cov.deadlineAcrossDstChange++;
      if (opts[j]?.extended) cov.extended++;
    }
  }
  return cov;
};

const perS = (n: number, ms: number) => (ms > 0 ? (1000 * n) / ms : Number.NaN);

export const fmtRate = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-GB') : '–');

export const runDeadlineBench = (settings: DeadlineBenchSettings = deadlineSettings(), log: (line: string) => void = say): DeadlineBenchResult => {
  const t0 = performance.now();
  // Under bench/run.ts, progress shows the run's elapsed time, as its other phases do.
  const base = Number(process.env.BENCH_ELAPSED_BASE_S ?? 0) || 0;
  const elapsed = () => `${(base + (performance.now() - t0) / 1000).toFixed(0)} s`;
  const regimes = listRegimes();
  const blocks = generate(regimes, settings);
  const total = blocks.reduce((n, b) => n + b.receivedAt.length, 0);
  log(
    `  ${total.toLocaleString('en-GB')} cases (seed ${settings.seed}) over ${regimes.length} regimes, received ${settings.receivedFrom.slice(0, 10)} … ${settings.receivedTo.slice(0, 10)}; ` +
      `single core: main thread of one Node ${process.version} process (pid ${process.pid}), no workers`,
  );

  // Pass 0: cold (loads date-holidays, fills holiday, zone-offset and business-day caches) and the warm-up.
  const coldBlockMs = runPass(blocks, 0);
  const coldMs = coldBlockMs.reduce((a, b) => a + b, 0);
  const reference = blocks.map((b) => [...b.dueAt]);
  log(`  cold pass (warm-up): ${(coldMs / 1000).toFixed(2)} s = ${fmtRate(perS(total, coldMs))}/s  [${elapsed()}]`);

  const passMs: number[] = [];
  const passCpuMs: number[] = [];
  const blockMs: number[][] = blocks.map(() => []);
  let differing = 0;
  const cpuTimed = process.cpuUsage();
  let wallTimed = 0;
  for (let p = 1; p <= settings.passes; p++) {
    const w = performance.now();
    const cpuPass = process.cpuUsage();
    const ms = runPass(blocks, p % blocks.length);
    const cpuUsed = process.cpuUsage(cpuPass);
    passCpuMs.push((cpuUsed.user + cpuUsed.system) / 1000);
    wallTimed += performance.now() - w;
    ms.forEach((m, b) => blockMs[b]!.push(m));
    const sum = ms.reduce((a, b) => a + b, 0);
    passMs.push(sum);
    if (blocks.some((b, i) => b.dueAt.some((d, j) => d !== reference[i]![j]))) differing++;
    log(`  pass ${p}/${settings.passes}: ${(sum / 1000).toFixed(2)} s = ${fmtRate(perS(total, sum))}/s  [${elapsed()}]`);
  }
  const cpu = process.cpuUsage(cpuTimed);

  const passRates = passMs.map((m) => perS(total, m));
  const rateMedian = median(passRates);
  const regimeRates = blocks.map((b, i) => blockMs[i]!.map((m) => perS(b.receivedAt.length, m)));
  // Pooled per pass: cases of the group ÷ time of the group's blocks.
  const kindRate = (kind: RegimeKind): number => {
    const idx = blocks.map((b, i) => (kindOf(b.regime) === kind ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) return Number.NaN;
    const n = idx.reduce((a, i) => a + blocks[i]!.receivedAt.length, 0);
    return median(passMs.map((_, p) => perS(n, idx.reduce((a, i) => a + blockMs[i]![p]!, 0))));
  };
  const calendarRate = kindRate('calendar');
  const kinds = (['calendar', 'calendar + business-day side clocks', 'business-day'] as const)
    .map((kind) => ({ kind, regimes: blocks.filter((b) => kindOf(b.regime) === kind).map((b) => b.regime.id), medianPerS: round(kindRate(kind), 0), costVsCalendar: round(calendarRate / kindRate(kind), 2) }))
    .filter((k) => k.regimes.length > 0);

  const distinct = new Set<string>();
  for (const b of blocks) for (const d of b.dueAt) distinct.add(d);
  const coverage = coverageOf(blocks);
  const result: DeadlineBenchResult = {
    settings,
    regimeCount: regimes.length,
    singleCore: { runsOn: 'main thread of one Node process, no worker threads', workerThreads: 0, cpuOverWall: round((cpu.user + cpu.system) / 1000 / wallTimed, 2) },
    node: process.version,
    computationsPerSecond: {
      median: round(rateMedian, 0),
      min: round(Math.min(...passRates), 0),
      max: round(Math.max(...passRates), 0),
      perPass: passRates.map((r) => round(r, 0)),
      passMs: passMs.map((m) => round(m, 1)),
    },
    computationsPerCpuSecond: { median: round(median(passCpuMs.map((m) => perS(total, m))), 0), perPass: passCpuMs.map((m) => round(perS(total, m), 0)) },
    cold: { ms: round(coldMs, 1), perS: round(perS(total, coldMs), 0), warmMedianOverCold: round(rateMedian / perS(total, coldMs), 2), oneOffMs: round(coldMs - median(passMs), 1) },
    regimes: blocks.map((b, i) => {
      const rates = regimeRates[i]!;
      const m = median(rates);
      return {
        id: b.regime.id,
        kind: kindOf(b.regime),
        finalClock: clockText(b.regime),
        businessDayClocks: b.regime.clocks.filter((c) => c.unit === 'business_days').map((c) => c.id),
        timeZone: b.regime.calendar.timeZone,
        holidayRegion: b.regime.calendar.region,
        cases: b.receivedAt.length,
        extended: b.opts.filter((o) => o?.extended).length,
        medianPerS: round(m, 0),
        minPerS: round(Math.min(...rates), 0),
        maxPerS: round(Math.max(...rates), 0),
        medianUs: round(1e6 / m, 2),
        costVsCalendar: round(calendarRate / m, 2),
        coldMs: round(coldBlockMs[i]!, 1),
        perPassPerS: rates.map((r) => round(r, 0)),
      };
    }),
    kinds,
    checksum: { distinctDueDates: distinct.size, fingerprint: fingerprint(blocks), passesDifferingFromCold: differing },
    coverage,
    durationS: round((performance.now() - t0) / 1000, 1),
  };
  return result;
};

/** The report table and summary lines (printed standalone, and by bench/run.ts in its Results section). */
export const deadlineReport = (r: DeadlineBenchResult): string => {
  const c = r.computationsPerSecond;
  const s = r.settings;
  const lines = [
    `Deadline computations per second: computeDeadline over ${s.cases.toLocaleString('en-GB')} cases across all ${r.regimeCount} regimes, single core (${r.singleCore.runsOn}; CPU ÷ wall ${r.singleCore.cpuOverWall.toFixed(2)}), node ${r.node}`,
    `  per CPU second of this process (what one whole core does): median ${fmtRate(r.computationsPerCpuSecond.median)}/s; goal ≥ ${fmtRate(DEADLINE_GOAL_PER_S)}/s (wall-clock median)`,
    `  median ${fmtRate(c.median)}/s over ${s.passes} timed passes (min ${fmtRate(c.min)}, max ${fmtRate(c.max)}) after 1 warm-up pass; ` +
      `cold first pass (decodes holiday sets, builds zone-offset tables and business-day blocks, JIT) ${fmtRate(r.cold.perS)}/s, ${(r.cold.ms / 1000).toFixed(2)} s: warm median = ${r.cold.warmMedianOverCold.toFixed(2)}× cold, ≈ ${ms0(r.cold.oneOffMs)} ms one-off (cold − warm median pass)`,
    '',
    table(
      ['regime', 'kind', 'final clock', 'cases', 'extended', 'median /s', 'min /s', 'max /s', 'µs each', 'cost ÷ calendar-only', 'cold ms'],
      r.regimes.map((g) => [g.id, g.kind, g.finalClock, g.cases, g.extended, fmtRate(g.medianPerS), fmtRate(g.minPerS), fmtRate(g.maxPerS), g.medianUs.toFixed(1), `${g.costVsCalendar.toFixed(2)}×`, ms0(g.coldMs)]),
    ),
    '',
    `  by governing clock (pooled per pass, median): ${r.kinds.map((k) => `${k.kind} ${fmtRate(k.medianPerS)}/s (${k.costVsCalendar.toFixed(2)}× the cost)`).join('; ')}`,
    `  checksum: ${r.checksum.distinctDueDates.toLocaleString('en-GB')} distinct due dates, fingerprint ${r.checksum.fingerprint} (seed ${s.seed}); timed passes differing from the cold pass: ${r.checksum.passesDifferingFromCold}`,
    `  coverage: ${r.coverage.receivedOnWeekend.toLocaleString('en-GB')} received on a weekend, ${r.coverage.receivedOnPublicHoliday} on a public holiday, ${r.coverage.receivedAtOrAfterCutOff.toLocaleString('en-GB')} at/after a cut-off, ` +
      `${r.coverage.receivedWithin12hOfDstChange} within 12 h of a DST change, ${r.coverage.deadlineAcrossDstChange.toLocaleString('en-GB')} with a deadline across one, ${r.coverage.extended.toLocaleString('en-GB')} extended`,
  ];
  return lines.join('\n');
};

const ms0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');

// Standalone: `npx tsx bench/deadlines.ts [--json FILE] [--no-report]`.
if (require.main === module) {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  if (jsonAt >= 0 && !jsonFile) throw new Error('--json needs a file name');
  const result = runDeadlineBench();
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  if (!args.includes('--no-report')) say(`\n${deadlineReport(result)}`);
}
