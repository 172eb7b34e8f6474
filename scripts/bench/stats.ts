/** The benchmark's arithmetic: medians, percentiles, ratios and the verdicts against targets. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100): the smallest sample with at least p% at or below it. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]!;
}

/** a ÷ b, or NaN when either is missing or b is zero. */
export function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return NaN;
  return a / b;
}

/** Megabytes (10^6 bytes, as throughput is usually quoted) per second for `chars` UTF-16 code units. */
export function megabytesPerSecond(chars: number, ms: number): number {
  if (ms <= 0) return NaN;
  return chars / 1e6 / (ms / 1000);
}

export type Verdict = 'pass' | 'fail' | 'n/a';

export function atMost(value: number, limit: number): Verdict {
  if (!Number.isFinite(value)) return 'n/a';
  return value <= limit ? 'pass' : 'fail';
}

export function atLeast(value: number, limit: number): Verdict {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= limit ? 'pass' : 'fail';
}

/** Fixed-width number for tables: "12.3", "0.42", "1234"; "–" for missing values. */
export function fmt(x: number | null | undefined, digits?: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const d = digits ?? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2);
  return x.toFixed(d);
}
