/** Curves with x values: validation, the common grid, pointwise IQM on it, kind checks, workers = in-process. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { iqm } from '../../src/train/stats.js';
import { curveGrid, interpolateAt, validateCurvePoints, valuesAt } from '../../src/train/experiments/curves.js';
import { defineExperiment, runExperiment, type ExperimentResults } from '../../src/train/experiments/index.js';
import { xcurveExperiment, xcurveOf, XCURVE_SLOPES } from './fixtures/curve-shared-experiments.js';

const quiet = { print: false, bootstrap: { reps: 200 } } as const;

function comparable(r: ExperimentResults) {
  return { arms: r.arms, runs: r.runs.map(({ durationMs: _, ...rest }) => rest), failures: r.failures };
}

describe('curves with x values', () => {
  it('validates { x, y } curves with errors that name the problem', () => {
    expect(validateCurvePoints('c', { x: Float32Array.from([1, 2]), y: [3, 4] })).toEqual({ x: [1, 2], y: [3, 4] });
    expect(() => validateCurvePoints('c', { x: [1, 2], y: [3] })).toThrow(/metric 'c': x has 2 values but y has 1/);
    expect(() => validateCurvePoints('c', { x: [1, 1], y: [3, 4] })).toThrow(/x must be strictly increasing, but x\[1\] = 1 follows x\[0\] = 1/);
    expect(() => validateCurvePoints('c', { x: [], y: [] })).toThrow(/x is an empty array/);
    expect(() => validateCurvePoints('c', { x: [1, 2], y: [3, NaN] })).toThrow(/NaN at y\[1\]/);
    expect(() => validateCurvePoints('c', { x: 'steps', y: [3] })).toThrow(/x must be an array of numbers, got string/);
    expect(() => validateCurvePoints('c', { x: [1], y: [3], z: [1] })).toThrow(/only x and y, got also 'z'/);
  });

  it('grid: exact x for one schedule; otherwise the union thinned to the longest curve, never extrapolated', () => {
    const a = { x: [10, 20, 30], y: [1, 2, 3] };
    expect(curveGrid([a, { x: [10, 20], y: [5, 6] }])).toEqual([10, 20, 30]);
    const b = { x: [15, 25, 35], y: [0, 10, 20] };
    // Union 10, 15, 20, 25, 30, 35 → 3 points evenly by index, first and last kept.
    expect(curveGrid([a, b])).toEqual([10, 25, 35]);
    expect(interpolateAt(b.x, b.y, 20)).toBe(5);
    expect(valuesAt([a, b], 25)).toEqual([2.5, 10]);
    expect(valuesAt([a, b], 10)).toEqual([1]); // b starts at 15
    expect(valuesAt([a, b], 35)).toEqual([20]); // a ends at 30
  });

  it('aggregates runs logged at different steps on the common grid (IQM of interpolated values, n covering)', async () => {
    const results = await runExperiment(xcurveExperiment, { ...quiet, parallel: 1 });
    expect(results.ok).toBe(true);
    for (const [arm, slope] of Object.entries(XCURVE_SLOPES)) {
      const curves = [0, 1, 2].map((s) => xcurveOf(s, slope));
      // Runs are stored with plain-array x and y.
      const stored = results.runs.filter((r) => r.arm === arm).map((r) => r.metrics!.curve);
      expect(stored).toEqual(curves);
      const summary = results.arms[arm]!.metrics.curve!;
      expect(summary.kind).toBe('curve');
      const grid = summary.curve!.x!;
      const union = [...new Set(curves.flatMap((c) => c.x))].sort((p, q) => p - q);
      expect(grid.length).toBe(Math.max(...curves.map((c) => c.x.length)));
      expect(grid[0]).toBe(union[0]);
      expect(grid[grid.length - 1]).toBe(union[union.length - 1]);
      grid.forEach((at, i) => {
        expect(union).toContain(at);
        // The curves are linear, so the interpolated value of seed s at x is slope·x + s exactly.
        const covering = curves.map((c, s) => ({ c, s })).filter(({ c }) => at >= c.x[0]! && at <= c.x[c.x.length - 1]!);
        expect(summary.curve!.n[i]).toBe(covering.length);
        expect(summary.curve!.iqm[i]).toBeCloseTo(iqm(covering.map(({ s }) => slope * at + s)), 12);
        expect(summary.curve!.lo[i]).toBeLessThanOrEqual(summary.curve!.iqm[i]! + 1e-12);
        expect(summary.curve!.hi[i]).toBeGreaterThanOrEqual(summary.curve!.iqm[i]! - 1e-12);
      });
      // Seed 2 logs furthest, so the last grid point has one run; the headline is each run's final y.
      expect(summary.curve!.n[grid.length - 1]).toBe(1);
      expect(summary.iqm).toBe(iqm(curves.map((c) => c.y[c.y.length - 1]!)));
      expect(summary.iqm).toBe(results.arms[arm]!.metrics.final!.iqm);
    }
    expect(results.experiment.metrics[0]!.xLabel).toBe('env steps');
  });

  it('gives the same results in worker processes as in process', async () => {
    const sequential = await runExperiment(xcurveExperiment, { ...quiet, parallel: 1 });
    const parallel = await runExperiment(xcurveExperiment, { ...quiet, parallel: 2, onLog: () => {} });
    expect(parallel.ok).toBe(true);
    expect(comparable(parallel)).toEqual(comparable(sequential));
  }, 60_000);

  it('marks a run whose curve kind differs from earlier runs as failed, and rejects bad curve objects', async () => {
    const mixed = defineExperiment({
      name: 'mixed-curves',
      arms: { a: { run: ({ seed }) => ({ c: seed === 0 ? { x: [1, 2], y: [1, 2] } : [1, 2] }) } },
      seeds: [0, 1],
      metrics: [{ key: 'c', higherIsBetter: true }],
      budget: 1,
    });
    const results = await runExperiment(mixed, { ...quiet, parallel: 1 });
    expect(results.failures).toHaveLength(1);
    expect(results.failures[0]!.seed).toBe(1);
    expect(results.failures[0]!.error.message).toBe("metric 'c' is a curve (array) here but a curve with x values ({ x, y }) in earlier runs");
    expect(results.arms.a!.metrics.c!.curve!.x).toEqual([1, 2]);

    const bad = defineExperiment({
      name: 'bad-curve',
      arms: { a: { run: () => ({ c: { x: [2, 1], y: [1, 2] } }) } },
      seeds: [0],
      metrics: [{ key: 'c', higherIsBetter: true }],
      budget: 1,
    });
    const failed = await runExperiment(bad, { ...quiet, parallel: 1 });
    expect(failed.failures[0]!.error).toMatchObject({ name: 'InvalidArgumentError', message: expect.stringMatching(/x must be strictly increasing/) });
    expect(() => defineExperiment({ name: 'bad-xlabel', arms: { a: { run: () => ({ c: 1 }) } }, seeds: [0], metrics: [{ key: 'c', higherIsBetter: true, xLabel: 3 as never }], budget: 1 })).toThrow(InvalidArgumentError);
  });
});
