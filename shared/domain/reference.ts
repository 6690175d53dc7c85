// Human case references: CMP-YYYY-NNNNNN from an atomic per-year counter.
export const formatReference = (year: number, seq: number): string => `CMP-${year}-${String(seq).padStart(6, '0')}`;
