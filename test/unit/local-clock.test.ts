// The controllable clock of the embedded stack: real time plus an offset that only moves forward.
import { LocalClock } from '#adapters/local/local-clock';

describe('LocalClock', () => {
  const T = Date.parse('2026-06-01T00:00:00.000Z');
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(T));
  afterEach(() => jest.restoreAllMocks());

  it('reads real time until advanced, then real time plus the offset', () => {
    const clock = new LocalClock();
    expect(clock.now()).toBe('2026-06-01T00:00:00.000Z');
    expect(clock.advance(36 * 3_600_000)).toBe('2026-06-02T12:00:00.000Z');
    expect(clock.nowMs()).toBe(T + 36 * 3_600_000);
    expect(clock.offset).toBe(36 * 3_600_000);
  });

  it('never moves backwards', () => {
    const clock = new LocalClock();
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => clock.advance(bad)).toThrow(RangeError);
    expect(clock.offset).toBe(0);
  });

  it('tells listeners about each advance until they unsubscribe, and restores a persisted offset silently', () => {
    const clock = new LocalClock();
    const seen: number[] = [];
    const off = clock.onChange((ms) => seen.push(ms));
    clock.advance(1000);
    clock.advance(500);
    off();
    clock.advance(1);
    clock.setOffset(10_000);
    expect(seen).toEqual([1000, 1500]);
    expect(clock.now()).toBe('2026-06-01T00:00:10.000Z');
  });
});
