// Pages of a list held in memory (the regimes, a verified chain's events): the position is the key of the last item
// returned, so a page never skips or repeats an item while the list only grows at its end.
import { InvalidInputError } from './errors';

export interface PageRequest {
  limit: number;
  /** The position a previous page ended at (already opened from its sealed cursor by the HTTP layer). */
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export const invalidPosition = () => new InvalidInputError('cursor is not valid for this list', [{ field: 'query.cursor', message: 'pass the nextCursor of the previous page' }]);

export const pageOfList = <T>(all: readonly T[], keyOf: (item: T) => string, q: PageRequest): Page<T> => {
  let from = 0;
  if (q.cursor !== undefined) {
    const at = all.findIndex((x) => keyOf(x) === q.cursor);
    if (at < 0) throw invalidPosition();
    from = at + 1;
  }
  const items = all.slice(from, from + q.limit);
  const last = items[items.length - 1];
  return { items, ...(from + q.limit < all.length && last !== undefined ? { nextCursor: keyOf(last) } : {}) };
};

/** A repository's child page (`next`) as a list page (`nextCursor`). */
export const asPage = <T>(p: { items: T[]; next?: string }): Page<T> => ({ items: p.items, ...(p.next !== undefined ? { nextCursor: p.next } : {}) });
