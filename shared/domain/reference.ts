// Human case references: CMP-YYYY-NNNNNN from a per-year counter, widened past 999,999 so that the order stays right.

/** The six-digit form holds up to this sequence number. */
export const NARROW_REFERENCE_MAX = 999_999;
/** The widened form: `X` (after every digit in ASCII) and nine digits, up to a billion cases a year. */
export const WIDE_REFERENCE_MAX = 999_999_999;

/**
 * CMP-2026-000042 up to 999,999; from 1,000,000 CMP-2026-X001000000. Written as text, references sort in the order of
 * their numbers within a year (`X` sorts after every digit, and the widened numbers all have nine), so a list sorted
 * by reference does not put CMP-2026-1000000 before CMP-2026-999999.
 */
export const formatReference = (year: number, seq: number): string => {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq > WIDE_REFERENCE_MAX) throw new RangeError(`reference sequence ${seq} is outside 1..${WIDE_REFERENCE_MAX}`);
  return seq <= NARROW_REFERENCE_MAX ? `CMP-${year}-${String(seq).padStart(6, '0')}` : `CMP-${year}-X${String(seq).padStart(9, '0')}`;
};

/** A reference in either form (whole token). */
export const REFERENCE_PATTERN = /CMP-\d{4}-(?:\d{6}|X\d{9})/;
