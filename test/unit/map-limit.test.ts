// mapLimit: every item once, never more than `limit` at a time, results in the items' order.
import { mapLimit } from '#domain/map-limit';

describe('mapLimit', () => {
  it('runs every item once, at most `limit` at a time, and answers in the items’ order', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    const out = await mapLimit([5, 1, 4, 2, 3, 0, 6], 3, async (n, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      for (let k = 0; k < n; k++) await Promise.resolve();
      seen.push(i);
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('answers an empty list with an empty list, and rejects with the first failure', async () => {
    await expect(mapLimit([], 4, async () => 1)).resolves.toEqual([]);
    await expect(mapLimit([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error('two'); return n; })).rejects.toThrow('two');
  });
});
