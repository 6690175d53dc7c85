// Small numeric and formatting helpers for the benchmark.

/** Linear-interpolated percentile (p in 0..100) of an unsorted sample. */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
};

export const median = (values: readonly number[]): number => percentile(values, 50);

export const round = (n: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)}`;

export const ms = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '–');

/** Renders rows as a plain-text table; numeric-looking cells are right-aligned. */
export const table = (head: string[], rows: (string | number)[][]): string => {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = (s: string) => /^[-+]?[\d.,]+\s*(×|%|ms|KB)?$/.test(s) || s === '–';
  // A column is right-aligned (header included) when every body cell in it is a number.
  const right = head.map((_, i) => i > 0 && rows.length > 0 && cells.slice(1).every((r) => numeric(r[i] ?? '')));
  const line = (r: string[]) => r.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
};

export const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** A whole-number setting from the environment (BENCH_*), with its default and lower bound. */
export const envInt = (name: string, fallback: number, min: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, got ${raw}`);
  return n;
};

/** Distribution of a measured quantity. */
export interface Spread {
  n: number;
  p50: number;
  p99: number;
  max: number;
  min: number;
  mean: number;
}
