import { describe, expect, it } from 'vitest';
import { atLeast, atMost, fmt, median, megabytesPerSecond, percentile, ratio } from '../../../scripts/bench/stats';

describe('bench arithmetic', () => {
  it('takes the middle sample, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('reads nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([3, 1, 2], 50)).toBe(2);
  });

  it('gives NaN ratios for missing or zero denominators', () => {
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(NaN, 1)).toBeNaN();
  });

  it('turns characters and milliseconds into MB/s', () => {
    expect(megabytesPerSecond(2_000_000, 1000)).toBe(2);
    expect(megabytesPerSecond(500_000, 10)).toBe(50);
  });

  it('judges limits and leaves missing figures undecided', () => {
    expect(atMost(50, 50)).toBe('pass');
    expect(atMost(50.1, 50)).toBe('fail');
    expect(atLeast(9.9, 10)).toBe('fail');
    expect(atLeast(NaN, 10)).toBe('n/a');
  });

  it('formats numbers for tables', () => {
    expect(fmt(1234.5)).toBe('1235');
    expect(fmt(12.34)).toBe('12.3');
    expect(fmt(0.1234)).toBe('0.12');
    expect(fmt(NaN)).toBe('–');
  });
});
