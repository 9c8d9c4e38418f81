/** OPE estimators on a 4-round, 3-action log computed by hand; positions; bad input; bootstrap. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnknownOptionError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { BanditLog } from '../../src/data/bandit-log.js';
import { ActionDistribution, bootstrapCI, dm, dr, dros, ips, parseEstimatorName, percentile, runEstimator, sndr, snips, switchDr } from '../../src/ope/index.js';

// Round i: logged action a_i, reward r_i, propensity π_b(a_i|x_i); π_e and q̂ over the 3 actions.
//   i  a  r  pscore  π_e             q̂                 w = π_e(a)/pscore   residual r − q̂(a)
//   0  0  1  0.5     [0.2 0.5 0.3]   [0.6 0.2 0.4]     0.2/0.5  = 0.4      0.4
//   1  1  0  0.25    [0.5 0.5 0  ]   [0.5 0.1 0.9]     0.5/0.25 = 2       -0.1
//   2  2  1  0.2     [0   0   1  ]   [0.3 0.3 0.8]     1/0.2    = 5        0.2
//   3  0  0  0.8     [1   0   0  ]   [0.2 0.6 0.5]     1/0.8    = 1.25    -0.2
// q̂(x_i, π_e) = 0.34, 0.3, 0.8, 0.2.
const log = new BanditLog({
  nActions: 3,
  dimContext: 1,
  context: new Float64Array([0, 1, 2, 3]),
  action: new Int32Array([0, 1, 2, 0]),
  reward: new Float64Array([1, 0, 1, 0]),
  pscore: new Float64Array([0.5, 0.25, 0.2, 0.8]),
});
const piE = new Float64Array([0.2, 0.5, 0.3, 0.5, 0.5, 0, 0, 0, 1, 1, 0, 0]);
const qHat = new Float64Array([0.6, 0.2, 0.4, 0.5, 0.1, 0.9, 0.3, 0.3, 0.8, 0.2, 0.6, 0.5]);
const dmTerms = [0.34, 0.3, 0.8, 0.2];
const w = [0.4, 2, 5, 1.25];
const residual = [0.4, -0.1, 0.2, -0.2];
const meanW = (0.4 + 2 + 5 + 1.25) / 4; // 2.1625

function expectValues(actual: Float64Array, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 12));
}

function sampleStdErr(values: number[]): number {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const ss = values.reduce((a, v) => a + (v - m) ** 2, 0);
  return Math.sqrt(ss / (values.length - 1) / values.length);
}

describe('estimators on a hand-computed log', () => {
  it('IPS and clipped IPS', () => {
    const vanilla = ips(log, piE);
    expectValues(vanilla.roundValues, [0.4, 0, 5, 0]);
    expect(vanilla.estimate).toBeCloseTo(1.35, 12);
    // deviations from 1.35: -0.95, -1.35, 3.65, -1.35 → Σ² = 17.87; sqrt(17.87 / 3 / 4)
    expect(vanilla.stdErr).toBeCloseTo(Math.sqrt(17.87 / 12), 12);
    const clipped = ips(log, piE, { lambda: 2 });
    expectValues(clipped.roundValues, [0.4, 0, 2, 0]);
    expect(clipped.estimate).toBeCloseTo(0.6, 12);
    expect(ips(log, piE, { lambda: 0 }).estimate).toBe(0);
  });

  it('SNIPS', () => {
    const result = snips(log, piE);
    expectValues(result.roundValues, [0.4 / meanW, 0, 5 / meanW, 0]);
    expect(result.estimate).toBeCloseTo(5.4 / 8.65, 12); // Σ w r / Σ w
  });

  it('round values are materialised on first access and the sums agree with them', () => {
    const result = sndr(log, piE, qHat);
    const values = result.roundValues;
    expect(result.roundValues).toBe(values); // cached
    const mean = values.reduce((a, b) => a + b, 0) / 4;
    expect(result.estimate).toBeCloseTo(mean, 14);
    expect(result.stdErr).toBeCloseTo(sampleStdErr(Array.from(values)), 14);
    // A large common offset does not cost precision in the variance (sums are shifted by round 0).
    // (Naive Σv² − (Σv)²/n would lose ~4e-4 of the variance here.)
    const shifted = dm(log, piE, qHat.map((q) => q + 1e6));
    expect(shifted.stdErr).toBeCloseTo(sampleStdErr(dmTerms), 8);
  });

  it('DM', () => {
    const result = dm(log, piE, qHat);
    expectValues(result.roundValues, dmTerms);
    expect(result.estimate).toBeCloseTo(0.41, 12);
    expect(result.stdErr).toBeCloseTo(sampleStdErr(dmTerms), 12);
  });

  it('DR and clipped DR', () => {
    const values = [0.34 + 0.4 * 0.4, 0.3 + 2 * -0.1, 0.8 + 5 * 0.2, 0.2 + 1.25 * -0.2]; // 0.5, 0.1, 1.8, -0.05
    const result = dr(log, piE, qHat);
    expectValues(result.roundValues, values);
    expect(result.estimate).toBeCloseTo(0.5875, 12);
    expect(result.stdErr).toBeCloseTo(sampleStdErr(values), 12);
    const clipped = dr(log, piE, qHat, { lambda: 2 });
    expectValues(clipped.roundValues, [0.5, 0.1, 0.8 + 2 * 0.2, -0.05]);
    expect(clipped.estimate).toBeCloseTo(0.4375, 12);
  });

  it('SNDR', () => {
    const result = sndr(log, piE, qHat);
    expectValues(
      result.roundValues,
      dmTerms.map((d, i) => d + (w[i]! * residual[i]!) / meanW),
    );
  });

  it('Switch-DR keeps the correction only where w <= lambda', () => {
    const result = switchDr(log, piE, qHat, { lambda: 2 }); // w = 5 falls back to DM
    expectValues(result.roundValues, [0.5, 0.1, 0.8, -0.05]);
    expect(result.estimate).toBeCloseTo(0.3375, 12);
    expect(switchDr(log, piE, qHat).estimate).toBeCloseTo(0.5875, 12); // λ = ∞ is DR
    expect(switchDr(log, piE, qHat, { lambda: 0 }).estimate).toBeCloseTo(0.41, 12); // λ = 0 is DM
  });

  it('DRos shrinks weights to λw/(w² + λ)', () => {
    const result = dros(log, piE, qHat, { lambda: 1 });
    expectValues(result.roundValues, [0.34 + (0.4 / 1.16) * 0.4, 0.3 + (2 / 5) * -0.1, 0.8 + (5 / 26) * 0.2, 0.2 + (1.25 / 2.5625) * -0.2]);
    expect(dros(log, piE, qHat, { lambda: Infinity }).estimate).toBeCloseTo(0.5875, 12);
    expect(dros(log, piE, qHat, { lambda: 0 }).estimate).toBeCloseTo(0.41, 12);
  });

  it('reads the action distribution at each round’s position', () => {
    const withPositions = new BanditLog({ ...log.columns(), position: new Int32Array([1, 0, 1, 0]) });
    // (n, K, P = 2): the layer at the round's position holds π_e / q̂; the other layer is a different distribution.
    const P = 2;
    const dist = new Float64Array(4 * 3 * P);
    const q = new Float64Array(4 * 3 * P);
    for (let i = 0; i < 4; i++) {
      const pos = withPositions.position![i]!;
      for (let a = 0; a < 3; a++) {
        dist[(i * 3 + a) * P + pos] = piE[i * 3 + a]!;
        dist[(i * 3 + a) * P + (1 - pos)] = a === 2 ? 1 : 0;
        q[(i * 3 + a) * P + pos] = qHat[i * 3 + a]!;
        q[(i * 3 + a) * P + (1 - pos)] = 100;
      }
    }
    expect(ips(withPositions, dist).estimate).toBeCloseTo(1.35, 12);
    expect(dr(withPositions, dist, q).estimate).toBeCloseTo(0.5875, 12);
    expect(() => ips(log, dist)).toThrow(/no position column/);
  });
});

describe('ActionDistribution (checked once)', () => {
  it('gives the same results as the raw array', () => {
    const checked = new ActionDistribution(piE, { nRounds: 4, nActions: 3 });
    expect(ips(log, checked).estimate).toBeCloseTo(1.35, 12);
    expect(ips(log, checked, { lambda: 2 }).estimate).toBeCloseTo(0.6, 12);
    expect(snips(log, checked).estimate).toBeCloseTo(5.4 / 8.65, 12);
    expect(dm(log, checked, qHat).estimate).toBeCloseTo(0.41, 12);
    expect(dr(log, checked, qHat).estimate).toBeCloseTo(0.5875, 12);
  });

  it('rejects bad rows on construction and a shape that does not fit the log', () => {
    const unnormalised = Float64Array.from(piE);
    unnormalised[11] = 0.5;
    expect(() => new ActionDistribution(unnormalised, { nRounds: 4, nActions: 3 })).toThrow(/row 3 sums to 1.5/);
    const nan = Float64Array.from(piE);
    nan[2] = NaN;
    expect(() => new ActionDistribution(nan, { nRounds: 4, nActions: 3 })).toThrow(/row 0, action 2/);
    expect(() => new ActionDistribution(piE, { nRounds: 3, nActions: 3 })).toThrow(InvalidArgumentError);
    const other = new ActionDistribution(new Float64Array(12).fill(0.5), { nRounds: 6, nActions: 2 });
    expect(() => ips(log, other)).toThrow(/6 rounds × 2 actions/);
  });
});

describe('estimator input checks', () => {
  it('rejects malformed action distributions and reward estimates, naming the row', () => {
    expect(() => ips(log, new Float64Array(11))).toThrow(InvalidArgumentError);
    const unnormalised = Float64Array.from(piE);
    unnormalised[4] = 0.4;
    expect(() => ips(log, unnormalised)).toThrow(/row 1 sums to 0.9/);
    const negative = Float64Array.from(piE);
    negative[0] = -0.2;
    negative[1] = 0.9;
    expect(() => snips(log, negative)).toThrow(/row 0, action 0/);
    const nanQ = Float64Array.from(qHat);
    nanQ[7] = NaN;
    expect(() => dr(log, piE, nanQ)).toThrow(/estimatedRewards row 2, action 1/);
    expect(() => dm(log, piE, new Float64Array(24))).toThrow(/position/);
    // No logged action has positive probability under this policy: SNIPS/SNDR are 0/0.
    const disjoint = new Float64Array([0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(ips(log, disjoint).estimate).toBe(0);
    expect(() => snips(log, disjoint)).toThrow(/probability 0 to every logged action/);
    expect(() => sndr(log, disjoint, qHat)).toThrow(/snDR|sndr/);
  });

  it('rejects bad hyperparameters and options', () => {
    expect(() => ips(log, piE, { lambda: -1 })).toThrow(/lambda/);
    expect(() => ips(log, piE, { lambda: NaN })).toThrow(/lambda/);
    expect(() => dros(log, piE, qHat, {} as { lambda: number })).toThrow(/lambda/);
    expect(() => snips(log, piE, { lambda: 1 } as never)).toThrow(UnknownOptionError);
    expect(() => ips(log, piE, { ci: { rng: Rng.fromSeed(0), alpha: 1.5 } })).toThrow(/alpha/);
    expect(() => ips(log, piE, { ci: { reps: 10 } as never })).toThrow(/Rng/);
  });
});

describe('bootstrap confidence interval', () => {
  it('percentile interpolates linearly like numpy', () => {
    const sorted = new Float64Array([1, 2, 3, 4]);
    expect(percentile(sorted, 25)).toBeCloseTo(1.75, 14);
    expect(percentile(sorted, 97.5)).toBeCloseTo(3.925, 14);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 100)).toBe(4);
  });

  it('is reproducible with a seed, degenerate for constant values, and attached to results', () => {
    const values = new Float64Array([0.1, 0.5, 0.2, 0.9, 0.4, 0.3]);
    const a = bootstrapCI(values, { rng: Rng.fromSeed(3), reps: 200 });
    const b = bootstrapCI(values, { rng: Rng.fromSeed(3), reps: 200 });
    expect(a).toEqual(b);
    expect(a.lower).toBeLessThan(a.upper);
    expect(a.lower).toBeGreaterThanOrEqual(0.1);
    expect(a.upper).toBeLessThanOrEqual(0.9);
    const flat = bootstrapCI(new Float64Array(5).fill(0.7), { rng: Rng.fromSeed(1), reps: 50, alpha: 0.1 });
    expect(flat.lower).toBeCloseTo(0.7, 14);
    expect(flat.upper).toBeCloseTo(0.7, 14);
    const result = dr(log, piE, qHat, { ci: { rng: Rng.fromSeed(4), reps: 300 } });
    expect(result.ci!.reps).toBe(300);
    expect(result.ci!.lower).toBeLessThanOrEqual(result.estimate);
    expect(result.ci!.upper).toBeGreaterThanOrEqual(result.estimate);
  });

  it('matches the normal approximation on a large sample', () => {
    const rng = Rng.fromSeed(8);
    const values = rng.fillNormal(new Float64Array(2000), 1, 2);
    const ci = bootstrapCI(values, { rng, reps: 2000 });
    const { stdErr, estimate } = ips(
      new BanditLog({
        nActions: 2,
        dimContext: 1,
        context: new Float64Array(2000),
        action: new Int32Array(2000),
        reward: values,
        pscore: new Float64Array(2000).fill(1),
      }),
      new Float64Array(4000).map((_, k) => (k % 2 === 0 ? 1 : 0)),
    );
    // Half-widths agree with 1.96·SE to within the bootstrap's own Monte-Carlo error (~5%).
    expect((ci.upper - ci.lower) / 2 / (1.96 * stdErr)).toBeGreaterThan(0.9);
    expect((ci.upper - ci.lower) / 2 / (1.96 * stdErr)).toBeLessThan(1.1);
    expect(Math.abs((ci.upper + ci.lower) / 2 - estimate)).toBeLessThan(0.25 * stdErr);
  });
});

describe('estimators by name', () => {
  it('runs each estimator by name with the same result as the direct call', () => {
    expect(runEstimator('ips', log, piE, { lambda: 2 }).estimate).toBeCloseTo(0.6, 12);
    expect(runEstimator('snips', log, piE).estimate).toBeCloseTo(5.4 / 8.65, 12);
    expect(runEstimator('dm', log, piE, { estimatedRewards: qHat }).estimate).toBeCloseTo(0.41, 12);
    expect(runEstimator('dr', log, piE, { estimatedRewards: qHat }).estimate).toBeCloseTo(0.5875, 12);
    expect(runEstimator('switch-dr', log, piE, { estimatedRewards: qHat, lambda: 2 }).estimate).toBeCloseTo(0.3375, 12);
    expect(runEstimator('dros', log, piE, { estimatedRewards: qHat, lambda: 1 }).estimate).toBeCloseTo(dros(log, piE, qHat, { lambda: 1 }).estimate, 14);
    expect(runEstimator('sndr', log, piE, { estimatedRewards: qHat }).estimate).toBeCloseTo(sndr(log, piE, qHat).estimate, 14);
  });

  it('rejects unknown names, missing reward estimates and lambda where it means nothing', () => {
    expect(() => parseEstimatorName('snpis')).toThrow(/Did you mean: snips/);
    expect(() => runEstimator('dr', log, piE)).toThrow(/estimatedRewards/);
    expect(() => runEstimator('snips', log, piE, { lambda: 1 })).toThrow(UnknownOptionError);
  });
});
