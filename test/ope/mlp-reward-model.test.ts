/** MLPRewardModel: learns context × action interactions ridge cannot, works in cross-fitting/DR, seeded, leak-free. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { initBackend } from '../../src/core/backend.js';
import { BackendUnavailableError, InvalidArgumentError, InvalidSeedError, UnknownOptionError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { BanditLog } from '../../src/data/bandit-log.js';
import { SyntheticBanditDataset, type BanditFunctionInput } from '../../src/envs/bandit/synthetic.js';
import { MLPRewardModel, RidgeRewardModel, dr, fitPredictCrossFit, ips } from '../../src/ope/index.js';

/** XOR-like truth: action 0 pays x0·x1, action 1 pays −x0·x1 (a linear model's best fit of either is 0). */
const xorReward = (x0: number, x1: number, a: number) => (a === 0 ? x0 * x1 : -x0 * x1);

/** n rounds, 2-d N(0, I) contexts, uniform actions over 2, reward = f(x, a) + N(0, noise²). */
function xorLog(n: number, seed: number, noise = 0.1, f = xorReward): BanditLog {
  const rng = Rng.fromSeed(seed);
  const context = rng.fillNormal(new Float64Array(n * 2));
  const action = new Int32Array(n);
  const reward = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    action[i] = rng.integers(0, 2);
    reward[i] = f(context[2 * i]!, context[2 * i + 1]!, action[i]!) + noise * rng.normal();
  }
  return new BanditLog({ nActions: 2, dimContext: 2, context, action, reward, pscore: new Float64Array(n).fill(0.5) });
}

/** Mean squared error of q̂ against the truth over all (round, action) pairs of a held-out log. */
function heldOutMse(model: { predict(c: Float64Array, n: number): Float64Array }, test: BanditLog): number {
  const q = model.predict(test.context, test.nRounds);
  let sum = 0;
  for (let i = 0; i < test.nRounds; i++) {
    for (let a = 0; a < 2; a++) sum += (q[i * 2 + a]! - xorReward(test.context[2 * i]!, test.context[2 * i + 1]!, a)) ** 2;
  }
  return sum / (2 * test.nRounds);
}

/** A small, fast configuration for the tests. */
const SMALL = { hiddenSizes: [32, 32], epochs: 40, batchSize: 64, learningRate: 3e-3 } as const;

describe('MLPRewardModel before initBackend', () => {
  it('fit throws BackendUnavailableError naming initBackend', () => {
    const model = new MLPRewardModel(); // constructing needs no backend
    expect(() => model.fit(xorLog(20, 0))).toThrow(BackendUnavailableError);
    expect(() => model.fit(xorLog(20, 0))).toThrow(/await initBackend\(\)/);
  });
});

describe('MLPRewardModel', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it.each(['joint', 'per-action'] as const)('learns an XOR-like reward that ridge cannot (%s features)', (features) => {
    const train = xorLog(1500, 1);
    const test = xorLog(1000, 2);
    const mlp = new MLPRewardModel({ ...SMALL, features, seed: 3 });
    mlp.fit(train);
    const ridge = new RidgeRewardModel({ features });
    ridge.fit(train);
    const mlpMse = heldOutMse(mlp, test);
    const ridgeMse = heldOutMse(ridge, test);
    // E[(x0·x1)²] = 1 and no linear function of (x, a) correlates with ±x0·x1, so ridge's error is ≈ 1 (its
    // coefficients only add estimation noise); the MLP must explain at least 90% of that variance.
    expect(ridgeMse).toBeGreaterThan(0.8);
    expect(mlpMse).toBeLessThan(0.1 * ridgeMse);
    expect(mlp.trainingLoss).toBeGreaterThan(0);
  });

  it('gives a DR estimate within 3 standard errors of the true value under 3-fold cross-fitting, with less variance than IPS', () => {
    // Binary rewards with an interaction: q(x, a) = sigmoid(2·s_a·x0·x1 + c_a), s = (1, −1, 0.5).
    const s = [1, -1, 0.5];
    const c = [0, 0.2, -0.3];
    const rewardFunction = ({ context, nRounds, nActions }: BanditFunctionInput) => {
      const q = new Float64Array(nRounds * nActions);
      for (let i = 0; i < nRounds; i++) {
        const xx = context[2 * i]! * context[2 * i + 1]!;
        for (let a = 0; a < nActions; a++) q[i * nActions + a] = 1 / (1 + Math.exp(-(2 * s[a]! * xx + c[a]!)));
      }
      return q;
    };
    const dataset = new SyntheticBanditDataset({ nActions: 3, dimContext: 2, rewardFunction, beta: -1, seed: 7 });
    const batch = dataset.obtainBatch(1500);
    const log = batch.log;
    // Evaluation policy: the true optimum (greedy on q), far from the (worse than uniform) behaviour policy.
    const K = 3;
    const target = new Float64Array(log.nRounds * K);
    for (let i = 0; i < log.nRounds; i++) {
      let best = 0;
      for (let a = 1; a < K; a++) if (batch.expectedReward[i * K + a]! > batch.expectedReward[i * K + best]!) best = a;
      target[i * K + best] = 1;
    }
    const truth = batch.policyValue(target);
    const model = new MLPRewardModel({ ...SMALL, features: 'per-action', seed: 1 });
    const qHat = fitPredictCrossFit(log, model, 3, Rng.fromSeed(11));
    for (const v of qHat) expect(v > 0 && v < 1).toBe(true); // bce chosen automatically for 0/1 rewards
    const estimate = dr(log, target, qHat);
    expect(Math.abs(estimate.estimate - truth)).toBeLessThan(3 * estimate.stdErr);
    expect(estimate.stdErr).toBeLessThan(ips(log, target).stdErr);
  });

  it('is deterministic for a seed, and clone() gives an unfitted model with the same settings', () => {
    const log = xorLog(300, 4);
    const options = { hiddenSizes: [8], epochs: 5, batchSize: 32, seed: 42 };
    const a = new MLPRewardModel(options);
    a.fit(log);
    const copy = a.clone();
    expect(copy).toBeInstanceOf(MLPRewardModel);
    expect(copy.hiddenSizes).toEqual([8]);
    expect(() => copy.predict(log.context, log.nRounds)).toThrow(/before fit/);
    copy.fit(log);
    const probe = xorLog(20, 5).context;
    expect(copy.predict(probe, 20)).toEqual(a.predict(probe, 20));
    const other = new MLPRewardModel({ ...options, seed: 43 });
    other.fit(log);
    expect(other.predict(probe, 20)).not.toEqual(a.predict(probe, 20));
  });

  it('leaves the tensor count unchanged after fit and predict, with and without weight decay', () => {
    const log = xorLog(200, 6);
    const before = tf.memory().numTensors;
    for (const weightDecay of [0, 1e-3]) {
      for (const features of ['joint', 'per-action'] as const) {
        const model = new MLPRewardModel({ hiddenSizes: [8, 8], epochs: 3, batchSize: 50, weightDecay, features });
        model.fit(log);
        model.fit(log, { rows: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) }); // a refit
        model.predict(log.context, log.nRounds);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('respects sample weights (bce: the weighted mean reward; zero-weight rounds ignored)', () => {
    // Reward 1 on odd rounds, 0 on even ones, independent of x; weight 3 on the odd rounds.
    const rng = Rng.fromSeed(8);
    const n = 400;
    const context = rng.fillNormal(new Float64Array(n * 2));
    const action = Int32Array.from({ length: n }, () => rng.integers(0, 2));
    const reward = Float64Array.from({ length: n }, (_, i) => i % 2);
    const log = new BanditLog({ nActions: 2, dimContext: 2, context, action, reward, pscore: new Float64Array(n).fill(0.5) });
    const meanPrediction = (sampleWeight?: Float64Array) => {
      const model = new MLPRewardModel({ hiddenSizes: [8], epochs: 30, batchSize: 50, learningRate: 1e-2, weightDecay: 1e-2, seed: 2 });
      model.fit(log, sampleWeight ? { sampleWeight } : {});
      const q = model.predict(context, n);
      return q.reduce((t, v) => t + v, 0) / q.length;
    };
    expect(Math.abs(meanPrediction() - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(meanPrediction(Float64Array.from({ length: n }, (_, i) => (i % 2 ? 3 : 1))) - 0.75)).toBeLessThan(0.05);
    // Zero weight on every rewarded round: nothing rewarded is seen, so predictions approach 0.
    expect(meanPrediction(Float64Array.from({ length: n }, (_, i) => (i % 2 ? 0 : 1)))).toBeLessThan(0.1);
  });

  it('joint: works on the log\'s action features when it has them', () => {
    // Two actions described by one feature, −1 and +1; reward = feature(a)·x0, an interaction.
    const base = xorLog(600, 12, 0.05, (x0, _x1, a) => (a === 0 ? -x0 : x0));
    const log = new BanditLog({ ...base.columns(), actionContext: new Float64Array([-1, 1]), dimActionContext: 1 });
    const mlp = new MLPRewardModel({ hiddenSizes: [16], epochs: 30, batchSize: 32, learningRate: 1e-2, seed: 1 });
    mlp.fit(log);
    const probe = new Float64Array([1.5, 0, -0.5, 2]);
    const q = mlp.predict(probe, 2);
    expect(q.length).toBe(4);
    for (const [i, x0] of [[0, 1.5], [1, -0.5]] as const) {
      expect(Math.abs(q[i * 2]! + x0)).toBeLessThan(0.2);
      expect(Math.abs(q[i * 2 + 1]! - x0)).toBeLessThan(0.2);
    }
  });

  it('per-action: an action without training rounds predicts the weighted mean training reward', () => {
    const log = xorLog(100, 10);
    const rows = Int32Array.from(Array.from({ length: 100 }, (_, i) => i).filter((i) => log.action[i] === 0));
    const model = new MLPRewardModel({ hiddenSizes: [4], epochs: 2, features: 'per-action' });
    model.fit(log, { rows });
    const mean = rows.reduce((t, i) => t + log.reward[i]!, 0) / rows.length;
    const q = model.predict(log.context.subarray(0, 6), 3);
    for (let i = 0; i < 3; i++) expect(q[i * 2 + 1]).toBeCloseTo(mean, 12);
  });

  it('rejects bad options and bad fit/predict input with typed errors', () => {
    expect(() => new MLPRewardModel({ hiddenSize: [4] } as never)).toThrow(UnknownOptionError);
    expect(() => new MLPRewardModel({ hiddenSizes: [0] })).toThrow(/hiddenSizes/);
    expect(() => new MLPRewardModel({ activation: 'gelu' as 'relu' })).toThrow(/activation/);
    expect(() => new MLPRewardModel({ epochs: 0 })).toThrow(/epochs/);
    expect(() => new MLPRewardModel({ batchSize: 1.5 })).toThrow(/batchSize/);
    expect(() => new MLPRewardModel({ learningRate: -1 })).toThrow(/learningRate/);
    expect(() => new MLPRewardModel({ weightDecay: Number.NaN })).toThrow(/weightDecay/);
    expect(() => new MLPRewardModel({ loss: 'hinge' as 'mse' })).toThrow(/loss/);
    expect(() => new MLPRewardModel({ features: 'both' as 'joint' })).toThrow(/features/);
    expect(() => new MLPRewardModel({ seed: -1 })).toThrow(InvalidSeedError);
    const model = new MLPRewardModel({ hiddenSizes: [4], epochs: 1, loss: 'bce' });
    expect(() => model.predict(new Float64Array(2), 1)).toThrow(/before fit/);
    const log = xorLog(30, 9);
    expect(() => model.fit(log)).toThrow(/\[0, 1\]/); // continuous rewards with bce
    const mse = new MLPRewardModel({ hiddenSizes: [4], epochs: 1 });
    expect(() => mse.fit(log, { rows: new Int32Array([0, 30]) })).toThrow(/outside/);
    expect(() => mse.fit(log, { sampleWeight: new Float64Array(3) })).toThrow(/sampleWeight/);
    expect(() => mse.fit(log, { sampleWeight: new Float64Array(30) })).toThrow(/0 on every/);
    mse.fit(log);
    expect(() => mse.predict(new Float64Array(3), 2)).toThrow(InvalidArgumentError);
  });
});

describe('teleo ope --reward-model mlp', () => {
  it('fits the MLP reward model with cross-fitting and reports model-based estimates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teleo-mlp-ope-'));
    try {
      const logPath = join(dir, 'log.arrow');
      const policyPath = join(dir, 'policy.json');
      writeFileSync(policyPath, JSON.stringify({ type: 'static', nActions: 3, action: 1 }));
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
      expect(await runCli(['bandit', 'simulate', '--rounds', '300', '--actions', '3', '--dim', '2', '--seed', '3', '--out', logPath], io), err.join('\n')).toBe(0);
      out.length = 0;
      const args = ['ope', logPath, '--policy', policyPath, '--estimators', 'dm,dr', '--reward-model', 'mlp', '--reps', '20', '--json'];
      expect(await runCli(args, io), err.join('\n')).toBe(0);
      const report = JSON.parse(out.join('\n')) as { rewardModel: string; rows: { estimator: string; estimate: number }[] };
      expect(report.rewardModel).toMatch(/^mlp \(per-action features, 3-fold cross-fitting\)/);
      for (const row of report.rows) expect(row.estimate > 0 && row.estimate < 1).toBe(true); // binary rewards
      out.length = 0;
      expect(await runCli(['ope', logPath, '--policy', policyPath, '--reward-model', 'forest'], io)).not.toBe(0);
      expect(err.join('\n')).toMatch(/ridge, logistic or mlp/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
