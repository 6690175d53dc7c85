// The tests' "now": one fixed instant per suite (TEST_NOW overrides it for the awkward-date runs), which the local
// stack's controllable clock is set to; tests take dates from here or from that clock, never from the machine's date.
import { localClock, type LocalClock } from '#adapters/local/local-clock';

/** A Monday morning in London with every regime's clock well clear of holidays: the instant suites start at. */
export const DEFAULT_TEST_NOW = '2026-11-16T09:30:00.000Z';

const parse = (text: string): number => {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new Error(`TEST_NOW is not an ISO instant: ${text}`);
  return ms;
};

/** The suite's fixed instant in ms: TEST_NOW (e.g. 2026-12-24T16:30:00Z) when set, else DEFAULT_TEST_NOW. */
export const testNowMs = (): number => parse(process.env.TEST_NOW || DEFAULT_TEST_NOW);

/** The suite's fixed instant as a UTC ISO string. */
export const testNow = (): string => new Date(testNowMs()).toISOString();

/** An instant `days` (may be fractional or negative) from the suite's fixed instant, as a UTC ISO string. */
export const testDaysFromNow = (days: number): string => new Date(testNowMs() + days * 86_400_000).toISOString();

/**
 * The machine's own time, for the parts that read it themselves rather than the controllable clock: s3rver's
 * signature expiry, the AWS SDK's presigner (download links' expiry), webhook signature timestamps (receivers check
 * them against their own clocks), and a production default that is the system clock. Everything else uses testNow().
 */
export const machineNowMs = (): number => Date.now();

let pinned = false;

/**
 * Sets the local clock to read `at` (default: the suite's fixed instant) from now on; it then runs with real time and
 * moves forward on POST /local/clock. Jest gives each test file its own module registry, so this runs once per suite:
 * a restarted stack in the same file keeps the time its clock reached.
 */
export const pinLocalClock = (at: number = testNowMs(), clock: LocalClock = localClock): void => {
  clock.setOffset(at - Date.now());
  pinned = true;
};

/** Pins the local clock unless this suite already did (startTestApi calls it). */
export const pinLocalClockOnce = (clock: LocalClock = localClock): void => {
  if (!pinned) pinLocalClock(testNowMs(), clock);
};

/** The local clock's current reading in ms (the fixed instant plus however far the suite moved it). */
export const clockNowMs = (clock: LocalClock = localClock): number => clock.nowMs();
