// Fixtures made side by side: a test that needs many cases (a full page of them, say) waits on each round trip in turn
// otherwise. Bounded: the cases of one year share a reference counter, and a burst of writes on one item outlasts its
// retries on a loaded machine.
import { mapLimit } from '#domain/map-limit';

/** fn(0) … fn(count - 1), at most `limit` at a time; the results in index order. */
export const times = <T>(count: number, fn: (i: number) => Promise<T>, limit = 6): Promise<T[]> =>
  mapLimit(Array.from({ length: count }, (_, i) => i), limit, fn);
