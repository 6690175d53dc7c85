// The controllable clock of the embedded stack: real time plus an offset that POST /local/clock advances.
import type { Clock } from '#ports/clock';

export class LocalClock implements Clock {
  private offsetMs = 0;
  private readonly listeners = new Set<(offsetMs: number) => void>();

  now(): string {
    return new Date(Date.now() + this.offsetMs).toISOString();
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Restores a persisted offset (the local stack keeps it across restarts). */
  setOffset(ms: number): void {
    this.offsetMs = ms;
  }

  advance(ms: number): string {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    for (const fn of this.listeners) fn(this.offsetMs);
    return this.now();
  }

  onChange(fn: (offsetMs: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** One clock per process: the local server and every in-process handler read the same one. */
export const localClock = new LocalClock();

/** ISO-8601 duration (PnDTnHnMnS, PnW) to milliseconds; months and years are ambiguous and refused. */
export const parseDuration = (text: string): number | undefined => {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, w, d, h, min, sec] = m;
  return ((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 * 3600 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(sec ?? 0)) * 1000;
};
