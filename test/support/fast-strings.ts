// fast-check's `fc.string({ unit: 'binary' })` without its one-off cost: building any string arbitrary asks its unit
// which of fast-check's "dangerous strings" (__proto__, constructor, …) it can produce, and the 'binary' unit answers
// from a reverse table of all 1.1 million code points, built on first use: about 2 s of CPU in each test file.
import fc from 'fast-check';

/** What fast-check's 'binary' unit draws from (fullAlphabetRanges): every code point but the surrogate halves. */
const BINARY_RANGES = [
  [0, 0xd7ff],
  [0xe000, 0x10ffff],
] as const;

/** One code point of BINARY_RANGES, as a string: exactly the values the unit's reverse table holds. */
const isBinaryUnit = (value: unknown): value is string => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2) return false;
  const cp = value.codePointAt(0)!;
  return String.fromCodePoint(cp) === value && (cp <= 0xd7ff || cp >= 0xe000);
};

/** An arbitrary that generates and shrinks as `inner` does, and answers canShrinkWithoutContext with `accepts`. */
class CheckedUnit<T> extends fc.Arbitrary<T> {
  constructor(
    private readonly inner: fc.Arbitrary<T>,
    private readonly accepts: (value: unknown) => value is T,
  ) {
    super();
  }
  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    return this.inner.generate(mrng, biasFactor);
  }
  canShrinkWithoutContext(value: unknown): value is T {
    return this.accepts(value);
  }
  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    return this.inner.shrink(value, context);
  }
}

let binaryUnit: fc.Arbitrary<string> | undefined;

/**
 * `fc.string({ unit: 'binary', ...constraints })`, the same arbitrary: the unit is fast-check's own construction
 * (mapToConstant over the same ranges, in the same order), so it draws the same values for the same seed, and the
 * dangerous-string check gets the same answers from the ranges instead of the table. One unit for every call, as
 * fast-check shares its own (it keeps the dangerous-string slices per unit).
 */
export const binaryString = (constraints: Omit<fc.StringConstraints, 'unit'> = {}): fc.Arbitrary<string> => {
  binaryUnit ??= new CheckedUnit(fc.mapToConstant(...BINARY_RANGES.map(([from, to]) => ({ num: to - from + 1, build: (i: number) => String.fromCodePoint(from + i) }))), isBinaryUnit);
  return fc.string({ ...constraints, unit: binaryUnit });
};
