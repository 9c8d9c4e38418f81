/** Statistics: IQM as scipy's trim_mean(0.25), quantiles, stratified bootstrap CI (determinism, coverage). */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { iqm, mean, median, quantile, quantiles, stratifiedBootstrapCI, summarize, trimMean } from '../../src/train/stats.js';

describe('IQM and location statistics', () => {
  it('IQM drops floor(n/4) values at each end (scipy trim_mean(0.25)), whatever the input order', () => {
    expect(iqm([4, 1, 3, 2])).toBe((2 + 3) / 2); // n = 4: drop 1 each side
    expect(iqm([100, 2, 1, 4, 3])).toBe((2 + 3 + 4) / 3); // n = 5: floor(1.25) = 1, no partial weights
    expect(iqm([5, 1, 3, 2, 9, 7, 4])).toBeCloseTo((2 + 3 + 4 + 5 + 7) / 5, 14); // n = 7: floor(1.75) = 1
    expect(iqm([7, 0, 6, 1, 5, 2, 4, 3])).toBe((2 + 3 + 4 + 5) / 4); // n = 8: drop 2 each side
    expect(iqm([-1e9, 1, 2, 1e9])).toBe(1.5); // outliers have no influence
    expect(iqm([3])).toBe(3);
    expect(iqm(Float64Array.of(1, 2, 3))).toBe(2); // n = 3: nothing dropped
  });

  it('trimMean with other proportions, mean, median and numpy-style linear quantiles', () => {
    expect(trimMean([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.1)).toBe(5.5);
    expect(trimMean([1, 2, 3, 4, 50], 0)).toBe(12);
    expect(mean([1, 2, 3, 10])).toBe(4);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // numpy.quantile([1, 2, 3, 4], 0.25) = 1.75: h = 3 · 0.25 = 0.75 between the 1st and 2nd order statistics.
    expect(quantile([4, 3, 2, 1], 0.25)).toBe(1.75);
    expect(quantiles([10, 20, 30], [0, 0.5, 1, 0.9])).toEqual([10, 20, 30, 28]);
  });

  it('rejects empty input, non-finite values and bad parameters with the problem named', () => {
    expect(() => iqm([])).toThrow(/at least one value/);
    expect(() => mean([1, NaN])).toThrow(/index 1 must be a finite number, got NaN/);
    expect(() => quantile([1], 1.5)).toThrow(/q must be a number in \[0, 1\]/);
    expect(() => trimMean([1, 2], 0.5)).toThrow(InvalidArgumentError);
  });
});

describe('stratifiedBootstrapCI', () => {
  const statMean = (s: number[][]) => mean(s.flat());

  it('is deterministic for a seed and an Rng, and different for another seed', () => {
    const scores = [[1, 5, 2, 8, 3, 9, 4]];
    const a = stratifiedBootstrapCI(scores, statMean, { reps: 500, seed: 11 });
    const b = stratifiedBootstrapCI(scores, statMean, { reps: 500, seed: 11 });
    const c = stratifiedBootstrapCI(scores, statMean, { reps: 500, rng: Rng.fromSeed(11) });
    const d = stratifiedBootstrapCI(scores, statMean, { reps: 500, seed: 12 });
    expect(a).toEqual(b);
    expect(c).toEqual(a);
    expect(d).not.toEqual(a);
    expect(a[0]).toBeLessThan(mean(scores[0]!));
    expect(a[1]).toBeGreaterThan(mean(scores[0]!));
    // The default (no seed) is seed 0, so it is reproducible too.
    expect(stratifiedBootstrapCI(scores, statMean, { reps: 100 })).toEqual(stratifiedBootstrapCI(scores, statMean, { reps: 100, seed: 0 }));
  });

  it('resamples within tasks only', () => {
    // Task A is all 0 (3 runs), task B all 1 (5 runs): any within-task resample has mean exactly 5/8, while
    // resampling across tasks would spread it.
    const [lo, hi] = stratifiedBootstrapCI([[0, 0, 0], [1, 1, 1, 1, 1]], statMean, { reps: 200, seed: 1 });
    expect(lo).toBe(5 / 8);
    expect(hi).toBe(5 / 8);
    // The resample passed to the statistic has each task's run count.
    const shapes = new Set<string>();
    stratifiedBootstrapCI([[1, 2], [3, 4, 5]], (s) => (shapes.add(s.map((t) => t.length).join('x')), 0), { reps: 5 });
    expect([...shapes]).toEqual(['2x3']);
  });

  it('covers the true mean of normal data at the rate the percentile bootstrap should', () => {
    // For the mean of n normal samples the percentile interval is ≈ x̄ ± z·s_n/√n with s_n the 1/n standard
    // deviation, so its coverage is P(|T_{n−1}| ≤ z·√((n−1)/n)): 0.936 at n = 30, alpha = 0.05 and 0.488 at
    // alpha = 0.5 (Student t, computed with scipy). With M = 300 trials the observed rate has a binomial standard
    // deviation ≤ 0.029; the bounds are that expectation ± 4 standard deviations.
    const sampleMean = (s: number[][]) => {
      let total = 0;
      for (const x of s[0]!) total += x;
      return total / s[0]!.length;
    };
    const rng = Rng.fromSeed(2024);
    const n = 30;
    const M = 300;
    let covered95 = 0;
    let covered50 = 0;
    for (let m = 0; m < M; m++) {
      const sample = Array.from({ length: n }, () => rng.normal(3, 2));
      const [lo95, hi95] = stratifiedBootstrapCI([sample], sampleMean, { reps: 1000, rng });
      const [lo50, hi50] = stratifiedBootstrapCI([sample], sampleMean, { reps: 1000, alpha: 0.5, rng });
      if (lo95 <= 3 && 3 <= hi95) covered95++;
      if (lo50 <= 3 && 3 <= hi50) covered50++;
    }
    const sd95 = Math.sqrt((0.936 * 0.064) / M);
    const sd50 = Math.sqrt((0.488 * 0.512) / M);
    expect(covered95 / M).toBeGreaterThan(0.936 - 4 * sd95);
    expect(covered95 / M).toBeLessThan(0.936 + 4 * sd95);
    expect(covered50 / M).toBeGreaterThan(0.488 - 4 * sd50);
    expect(covered50 / M).toBeLessThan(0.488 + 4 * sd50);
  });

  it('rejects bad input', () => {
    expect(() => stratifiedBootstrapCI([], statMean)).toThrow(/at least one task/);
    expect(() => stratifiedBootstrapCI([[1], []], statMean)).toThrow(/task 1.*at least one value/);
    expect(() => stratifiedBootstrapCI([[1, 2]], statMean, { reps: 0 })).toThrow(/reps must be a positive integer/);
    expect(() => stratifiedBootstrapCI([[1, 2]], statMean, { alpha: 1 })).toThrow(/alpha must be a number in \(0, 1\)/);
    expect(() => stratifiedBootstrapCI([[1, 2]], statMean, { level: 0.9 } as never)).toThrow(/unknown option 'level'/);
    expect(() => stratifiedBootstrapCI([[1, 2]], () => NaN, { reps: 3 })).toThrow(/statistic returned NaN/);
  });
});

describe('summarize', () => {
  it('returns IQM, its CI, n, mean and median', () => {
    const runs = [10, 12, 11, 30, 9, 13];
    const s = summarize(runs, { reps: 500, seed: 3 });
    expect(s.n).toBe(6);
    expect(s.iqm).toBe(iqm(runs));
    expect(s.mean).toBeCloseTo(85 / 6, 12);
    expect(s.median).toBe(11.5);
    expect(s.ci).toEqual(stratifiedBootstrapCI([runs], (x) => iqm(x[0]!), { reps: 500, seed: 3 }));
    expect(s.ci[0]).toBeLessThanOrEqual(s.iqm);
    expect(s.ci[1]).toBeGreaterThanOrEqual(s.iqm);
    expect(summarize([5])).toEqual({ iqm: 5, ci: [5, 5], n: 1, mean: 5, median: 5 });
  });
});
