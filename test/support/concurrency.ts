// Fixtures made side by side: a test that needs many cases (a full page of them, say) waits on each round trip in turn
// otherwise. Bounded: the cases of one year share a reference counter, and a burst of writes on one item outlasts its
// retries on a loaded machine.

/** fn(0) … fn(count - 1), at most `limit` at a time; the results in index order. */
export const times = async <T>(count: number, fn: (i: number) => Promise<T>, limit = 6): Promise<T[]> => {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
};
