/** SyntheticBanditDataset (OBP's generator): determinism, behaviour policy, reward laws, ground truth. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnknownOptionError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import {
  SyntheticBanditDataset,
  linearBehaviorPolicy,
  linearRewardFunction,
  logisticRewardFunction,
  policyValue,
  type BanditFunctionInput,
} from '../../src/envs/bandit/synthetic.js';
import { normalHazard, normalSurvival, sampleTruncatedNormal, truncatedNormalMean } from '../../src/envs/bandit/truncated-normal.js';

function meanAndSe(xs: ArrayLike<number>): { mean: number; se: number } {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m += xs[i]!;
  m /= xs.length;
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i]! - m) ** 2;
  return { mean: m, se: Math.sqrt(ss / (xs.length - 1) / xs.length) };
}

describe('SyntheticBanditDataset', () => {
  it('is determined by its seed; batches continue the stream', () => {
    const make = (seed: number) => new SyntheticBanditDataset({ nActions: 4, dimContext: 3, rewardFunction: logisticRewardFunction, beta: 2, seed });
    const a = make(7).obtainBatch(50);
    const b = make(7).obtainBatch(50);
    expect(Array.from(b.log.context)).toEqual(Array.from(a.log.context));
    expect(Array.from(b.log.action)).toEqual(Array.from(a.log.action));
    expect(Array.from(b.log.reward)).toEqual(Array.from(a.log.reward));
    expect(Array.from(make(8).obtainBatch(50).log.context)).not.toEqual(Array.from(a.log.context));
    const ds = make(7);
    ds.obtainBatch(50);
    expect(Array.from(ds.obtainBatch(50).log.context)).not.toEqual(Array.from(a.log.context));
  });

  it('logs a softmax(β q) behaviour policy and its propensities', () => {
    const beta = 2.5;
    const { log, piB, expectedReward } = new SyntheticBanditDataset({ nActions: 3, dimContext: 2, rewardFunction: logisticRewardFunction, beta, seed: 1 }).obtainBatch(200);
    for (let i = 0; i < log.nRounds; i++) {
      let sum = 0;
      for (let a = 0; a < 3; a++) sum += piB[i * 3 + a]!;
      expect(sum).toBeCloseTo(1, 12);
      expect(log.pscore[i]).toBe(piB[i * 3 + log.action[i]!]);
      // log-odds between actions = β × difference of expected rewards
      expect(Math.log(piB[i * 3 + 1]! / piB[i * 3]!)).toBeCloseTo(beta * (expectedReward[i * 3 + 1]! - expectedReward[i * 3]!), 10);
    }
    // One-hot action context by default, stored in the log.
    expect(Array.from(log.actionContext!)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('samples actions with the behaviour probabilities (chi-square on a context-free dataset)', () => {
    const ds = new SyntheticBanditDataset({ nActions: 4, beta: 3, seed: 3 });
    const n = 40000;
    const { log, piB } = ds.obtainBatch(n);
    const counts = new Float64Array(4);
    for (let i = 0; i < n; i++) counts[log.action[i]!]!++;
    let chi2 = 0;
    for (let a = 0; a < 4; a++) chi2 += (counts[a]! - n * piB[a]!) ** 2 / (n * piB[a]!);
    expect(chi2).toBeLessThan(16.27); // chi-square(3) 0.999 quantile
  });

  it('binary rewards are Bernoulli(q(x, a))', () => {
    const { log, expectedReward } = new SyntheticBanditDataset({ nActions: 3, dimContext: 2, rewardFunction: logisticRewardFunction, seed: 4 }).obtainBatch(20000);
    const diff = new Float64Array(log.nRounds);
    for (let i = 0; i < log.nRounds; i++) {
      expect(log.reward[i] === 0 || log.reward[i] === 1).toBe(true);
      diff[i] = log.reward[i]! - expectedReward[i * 3 + log.action[i]!]!;
    }
    const { mean, se } = meanAndSe(diff);
    expect(Math.abs(mean)).toBeLessThan(4 * se);
  });

  it('continuous rewards are truncated at 0 and have mean expectedReward', () => {
    const ds = new SyntheticBanditDataset({ nActions: 3, dimContext: 2, rewardType: 'continuous', rewardFunction: linearRewardFunction, rewardStd: 1.5, seed: 5 });
    const { log, expectedReward } = ds.obtainBatch(20000);
    const diff = new Float64Array(log.nRounds);
    for (let i = 0; i < log.nRounds; i++) {
      expect(log.reward[i]).toBeGreaterThanOrEqual(0);
      diff[i] = log.reward[i]! - expectedReward[i * 3 + log.action[i]!]!;
    }
    const { mean, se } = meanAndSe(diff);
    expect(Math.abs(mean)).toBeLessThan(4 * se);
    // expectedReward is the truncated-normal mean of the linear q.
    // (The z-score step depends on the whole batch, as in OBP, so recompute on the whole batch.)
    const mu = ds.calcExpectedReward(log.context, log.nRounds);
    for (const k of [0, 1, 2, 3 * 777 + 1]) expect(expectedReward[k]).toBeCloseTo(truncatedNormalMean(mu[k]!, 1.5, 0), 12);
  });

  it('nDeficientActions gives that many zero-probability actions per round, never logged', () => {
    const { log, piB } = new SyntheticBanditDataset({ nActions: 5, dimContext: 2, rewardFunction: logisticRewardFunction, nDeficientActions: 2, seed: 6 }).obtainBatch(300);
    const zerosAt = new Float64Array(5);
    for (let i = 0; i < log.nRounds; i++) {
      let zeros = 0;
      for (let a = 0; a < 5; a++) if (piB[i * 5 + a] === 0) (zeros++, zerosAt[a]!++);
      expect(zeros).toBe(2);
      expect(log.pscore[i]).toBeGreaterThan(0);
    }
    for (let a = 0; a < 5; a++) expect(zerosAt[a]).toBeGreaterThan(0); // the deficient subset varies
  });

  it('accepts a custom behaviour policy (linear logits, standardised)', () => {
    const { log, piB } = new SyntheticBanditDataset({ nActions: 3, dimContext: 2, rewardFunction: logisticRewardFunction, behaviorPolicyFunction: linearBehaviorPolicy, beta: 1, seed: 2 }).obtainBatch(100);
    expect(log.nRounds).toBe(100);
    for (let i = 0; i < 100; i++) expect(log.pscore[i]).toBe(piB[i * 3 + log.action[i]!]);
  });

  it('rejects bad options', () => {
    expect(() => new SyntheticBanditDataset({ nActions: 1 })).toThrow(InvalidArgumentError);
    expect(() => new SyntheticBanditDataset({ nActions: 3, rewardType: 'ordinal' as 'binary' })).toThrow(/rewardType/);
    expect(() => new SyntheticBanditDataset({ nActions: 3, nDeficientActions: 3 })).toThrow(/nDeficientActions/);
    expect(() => new SyntheticBanditDataset({ nActions: 3, beta: NaN })).toThrow(/beta/);
    expect(() => new SyntheticBanditDataset({ nActions: 3, seed: -1 })).toThrow(/Seed/);
    expect(() => new SyntheticBanditDataset({ nActions: 3, temperature: 1 } as never)).toThrow(UnknownOptionError);
    expect(() => new SyntheticBanditDataset({ nActions: 3, rewardFunction: linearRewardFunction }).obtainBatch(10)).toThrow(/\[0, 1\]/);
    expect(() => new SyntheticBanditDataset({ nActions: 3 }).obtainBatch(0)).toThrow(/nRounds/);
  });
});

describe('reward functions', () => {
  const input = (seed: number): BanditFunctionInput => ({
    context: new Float64Array([0.5, -1, 2, 0.25, -0.75, 1.5]),
    nRounds: 3,
    dimContext: 2,
    actionContext: new Float64Array([1, 0, 0, 1]),
    nActions: 2,
    dimActionContext: 2,
    rng: Rng.fromSeed(seed),
  });

  it('linear: x̃ᵀθx + ãᵀθa + x̃ᵀMã with U(-1, 1) coefficients drawn in order θx, θa, M', () => {
    const q = linearRewardFunction(input(11), { zScore: false });
    const rng = Rng.fromSeed(11);
    const thetaX = Array.from({ length: 3 }, () => rng.uniform(-1, 1));
    const thetaA = Array.from({ length: 3 }, () => rng.uniform(-1, 1));
    const M = Array.from({ length: 9 }, () => rng.uniform(-1, 1));
    const ctx = [[1, 0.5, -1], [1, 2, 0.25], [1, -0.75, 1.5]];
    const act = [[1, 1, 0], [1, 0, 1]];
    for (let i = 0; i < 3; i++) {
      for (let a = 0; a < 2; a++) {
        let expected = 0;
        for (let r = 0; r < 3; r++) expected += thetaX[r]! * ctx[i]![r]! + thetaA[r]! * act[a]![r]!;
        for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) expected += ctx[i]![r]! * M[r * 3 + c]! * act[a]![c]!;
        expect(q[i * 2 + a]).toBeCloseTo(expected, 12);
      }
    }
  });

  it("OBP's z-score step subtracts mean/std from every value; logistic is its sigmoid", () => {
    const raw = linearRewardFunction(input(12), { zScore: false });
    const z = linearRewardFunction(input(12));
    const mean = raw.reduce((s, v) => s + v, 0) / raw.length;
    const std = Math.sqrt(raw.reduce((s, v) => s + (v - mean) ** 2, 0) / raw.length);
    const logistic = logisticRewardFunction(input(12));
    for (let j = 0; j < raw.length; j++) {
      expect(z[j]).toBeCloseTo(raw[j]! - mean / std, 12);
      expect(logistic[j]).toBeCloseTo(1 / (1 + Math.exp(-z[j]!)), 14);
    }
  });

  it('policyValue averages Σ_a π(a|x) q(x, a) over rounds and checks the distribution', () => {
    const q = new Float64Array([0.2, 0.8, 0.5, 0.1]);
    expect(policyValue(q, new Float64Array([0.5, 0.5, 1, 0]), 2)).toBeCloseTo((0.5 + 0.5) / 2, 14);
    expect(() => policyValue(q, new Float64Array([0.5, 0.4, 1, 0]), 2)).toThrow(/row 0 sums/);
    expect(() => policyValue(q, new Float64Array(3), 2)).toThrow(InvalidArgumentError);
  });
});

describe('truncated normal', () => {
  it('survival function and hazard match known values', () => {
    expect(normalSurvival(0)).toBeCloseTo(0.5, 15);
    expect(normalSurvival(1.96)).toBeCloseTo(0.024997895148220435, 14);
    expect(normalSurvival(-1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalSurvival(6) / 9.865876450376946e-10).toBeCloseTo(1, 10);
    // E[Z | Z > α] is continuous where the two formulas meet (α = 5) and ≈ α + 1/α for large α.
    expect(normalHazard(5 - 1e-9)).toBeCloseTo(normalHazard(5 + 1e-9), 7);
    expect(normalHazard(40)).toBeCloseTo(40 + 1 / 40 - 2 / 40 ** 3 + 10 / 40 ** 5, 8);
  });

  it('sampler has the analytic mean, in the body and in the tail', () => {
    const rng = Rng.fromSeed(9);
    for (const [mean, std] of [[1, 1], [-2, 0.5], [-10, 2]] as const) {
      const xs = new Float64Array(20000);
      for (let k = 0; k < xs.length; k++) {
        xs[k] = sampleTruncatedNormal(rng, mean, std, 0);
        expect(xs[k]).toBeGreaterThanOrEqual(0);
      }
      const { mean: m, se } = meanAndSe(xs);
      expect(Math.abs(m - truncatedNormalMean(mean, std, 0))).toBeLessThan(4 * se);
    }
  });
});
