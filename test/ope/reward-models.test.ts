/** Ridge and logistic reward models; fitPredict with cross-fitting, positions and weighted fitting. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { BanditLog } from '../../src/data/bandit-log.js';
import { LogisticRewardModel, RidgeRewardModel, fitPredict, fitPredictCrossFit, type RewardModel, type RewardModelFitOptions } from '../../src/ope/index.js';

/** n rounds, 2-d contexts, uniformly random actions among K, reward = f(x, a) (+ noise when given). */
function makeLog(n: number, K: number, f: (x0: number, x1: number, a: number, rng: Rng) => number, seed = 0, extra: Partial<ConstructorParameters<typeof BanditLog>[0]> = {}): BanditLog {
  const rng = Rng.fromSeed(seed);
  const context = rng.fillNormal(new Float64Array(n * 2));
  const action = new Int32Array(n);
  const reward = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    action[i] = rng.integers(0, K);
    reward[i] = f(context[2 * i]!, context[2 * i + 1]!, action[i]!, rng);
  }
  return new BanditLog({ nActions: K, dimContext: 2, context, action, reward, pscore: new Float64Array(n).fill(1 / K), ...extra });
}

describe('RidgeRewardModel', () => {
  it('joint features recover an additive linear reward exactly (tiny penalty)', () => {
    const effect = [0, 0.5, -1];
    const log = makeLog(200, 3, (x0, x1, a) => 1 + 2 * x0 - x1 + effect[a]!);
    const model = new RidgeRewardModel({ alpha: 1e-9 });
    model.fit(log);
    const q = model.predict(new Float64Array([0.3, -0.2, 1, 1]), 2);
    const expected = [
      [1 + 0.6 + 0.2 + 0, 1 + 0.6 + 0.2 + 0.5, 1 + 0.6 + 0.2 - 1],
      [1 + 2 - 1 + 0, 1 + 2 - 1 + 0.5, 1 + 2 - 1 - 1],
    ];
    for (let i = 0; i < 2; i++) for (let a = 0; a < 3; a++) expect(q[i * 3 + a]).toBeCloseTo(expected[i]![a]!, 6);
  });

  it('per-action features recover per-action slopes (interactions) that the joint model cannot', () => {
    const slopes = [[1, 0], [-1, 2], [0, -3]];
    const f = (x0: number, x1: number, a: number) => 0.5 * a + slopes[a]![0]! * x0 + slopes[a]![1]! * x1;
    const log = makeLog(300, 3, f);
    const perAction = new RidgeRewardModel({ alpha: 1e-9, features: 'per-action' });
    perAction.fit(log);
    const joint = new RidgeRewardModel({ alpha: 1e-9 });
    joint.fit(log);
    const x = new Float64Array([0.7, -1.2]);
    const qp = perAction.predict(x, 1);
    const qj = joint.predict(x, 1);
    let jointError = 0;
    for (let a = 0; a < 3; a++) {
      expect(qp[a]).toBeCloseTo(f(0.7, -1.2, a), 6);
      jointError += Math.abs(qj[a]! - f(0.7, -1.2, a));
    }
    expect(jointError).toBeGreaterThan(1);
  });

  it('the penalty shrinks coefficients but not the intercept; sample weights act like repeated rows', () => {
    const log = makeLog(100, 2, (x0, _x1, a) => 3 + x0 + a);
    const heavy = new RidgeRewardModel({ alpha: 1e6 });
    heavy.fit(log);
    const mean = log.reward.reduce((s, r) => s + r, 0) / log.nRounds;
    const q = heavy.predict(new Float64Array([2, 2]), 1);
    expect(q[0]).toBeCloseTo(mean, 2); // all slopes ~0, intercept = mean reward
    // Weight 2 on the first row == that row appearing twice.
    const weights = new Float64Array(100).fill(1);
    weights[0] = 2;
    const weighted = new RidgeRewardModel({ alpha: 0.5 });
    weighted.fit(log, { sampleWeight: weights });
    const repeated = new RidgeRewardModel({ alpha: 0.5 });
    repeated.fit(log.select([0, ...Array.from({ length: 100 }, (_, i) => i)]));
    const probe = new Float64Array([0.1, 0.2]);
    const a = weighted.predict(probe, 1);
    const b = repeated.predict(probe, 1);
    for (let k = 0; k < 2; k++) expect(a[k]).toBeCloseTo(b[k]!, 10);
  });

  it('rejects bad options and use before fit', () => {
    expect(() => new RidgeRewardModel({ alpha: -1 })).toThrow(InvalidArgumentError);
    expect(() => new RidgeRewardModel({ features: 'mlp' as 'joint' })).toThrow(/features/);
    expect(() => new RidgeRewardModel().predict(new Float64Array(2), 1)).toThrow(/before fit/);
    const model = new RidgeRewardModel();
    model.fit(makeLog(10, 2, () => 1));
    expect(() => model.predict(new Float64Array(3), 2)).toThrow(/2 × 2/);
  });
});

describe('LogisticRewardModel', () => {
  it('recovers the probabilities of a logistic reward model from binary data', () => {
    const eta = (x0: number, x1: number, a: number) => -0.5 + 1.5 * x0 - x1 + [0, 1, -1][a]!;
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    const log = makeLog(20000, 3, (x0, x1, a, rng) => (rng.random() < sigmoid(eta(x0, x1, a)) ? 1 : 0), 5);
    const model = new LogisticRewardModel({ alpha: 1e-6 });
    model.fit(log);
    const probe = new Float64Array([0.5, -0.5, -1, 0.3, 1.2, 1.5]);
    const q = model.predict(probe, 3);
    for (let i = 0; i < 3; i++) {
      for (let a = 0; a < 3; a++) expect(Math.abs(q[i * 3 + a]! - sigmoid(eta(probe[2 * i]!, probe[2 * i + 1]!, a)))).toBeLessThan(0.03);
    }
  });

  it('satisfies the first-order condition of its penalised loss (unpenalised intercept: mean residual 0)', () => {
    const log = makeLog(500, 2, (x0, _x1, a, rng) => (rng.random() < 0.3 + 0.2 * a + 0.1 * Math.tanh(x0) ? 1 : 0), 6);
    const model = new LogisticRewardModel({ alpha: 2 });
    model.fit(log);
    const q = model.predict(log.context, log.nRounds);
    let residual = 0;
    for (let i = 0; i < log.nRounds; i++) residual += q[i * 2 + log.action[i]!]! - log.reward[i]!;
    expect(Math.abs(residual)).toBeLessThan(1e-6);
  });

  it('stays finite on separable data and rejects rewards outside [0, 1]', () => {
    const separable = makeLog(200, 2, (x0) => (x0 > 0 ? 1 : 0), 7);
    const model = new LogisticRewardModel({ alpha: 1e-3, features: 'per-action' });
    model.fit(separable);
    const q = model.predict(new Float64Array([2, 0, -2, 0]), 2);
    expect(q[0]).toBeGreaterThan(0.99);
    expect(q[2]).toBeLessThan(0.01);
    expect(() => new LogisticRewardModel().fit(makeLog(10, 2, () => 2))).toThrow(/\[0, 1\]/);
  });
});

/** A model that records what it was trained on and predicts the training-set size. */
class RecordingModel implements RewardModel {
  readonly name = 'RecordingModel';
  static fits: Array<{ rows: number[]; weights?: Float64Array }> = [];
  private trained = 0;
  fit(_log: BanditLog, options: RewardModelFitOptions = {}): void {
    const rows = Array.from(options.rows!);
    RecordingModel.fits.push(options.sampleWeight ? { rows, weights: options.sampleWeight } : { rows });
    this.trained = rows.length;
  }
  predict(_context: Float64Array, n: number): Float64Array {
    return new Float64Array(n * 2).fill(this.trained);
  }
  clone(): RecordingModel {
    return new RecordingModel();
  }
}

describe('fitPredict / fitPredictCrossFit', () => {
  it('k-fold: every round is predicted by a model that did not train on it; fold sizes as KFold', () => {
    RecordingModel.fits = [];
    const log = makeLog(23, 2, () => 0);
    const q = fitPredictCrossFit(log, new RecordingModel(), 5, Rng.fromSeed(1));
    expect(RecordingModel.fits.length).toBe(5);
    const trainSizes = RecordingModel.fits.map((f) => f.rows.length).sort();
    expect(trainSizes).toEqual([18, 18, 18, 19, 19]); // held-out folds of 5, 5, 5, 4, 4
    // q̂ for round i = size of the training set that produced it; the held-out rounds partition 0..22.
    const heldOut = RecordingModel.fits.map((f) => new Set(Array.from({ length: 23 }, (_, i) => i).filter((i) => !f.rows.includes(i))));
    const seen = new Set<number>();
    heldOut.forEach((rows, k) => {
      for (const i of rows) {
        expect(seen.has(i)).toBe(false);
        seen.add(i);
        expect(q[i * 2]).toBe(RecordingModel.fits[k]!.rows.length);
      }
    });
    expect(seen.size).toBe(23);
    // Same seed, same folds; k = 1 trains once on everything.
    RecordingModel.fits = [];
    fitPredictCrossFit(log, new RecordingModel(), 5, Rng.fromSeed(1));
    const again = RecordingModel.fits.map((f) => f.rows.join());
    RecordingModel.fits = [];
    fitPredictCrossFit(log, new RecordingModel(), 5, Rng.fromSeed(1));
    expect(RecordingModel.fits.map((f) => f.rows.join())).toEqual(again);
    RecordingModel.fits = [];
    expect(Array.from(fitPredict(log, new RecordingModel())).every((v) => v === 23)).toBe(true);
  });

  it('fits one model per position and fills each position layer', () => {
    const position = new Int32Array(400).map((_, i) => i % 2);
    const log = makeLog(400, 2, (x0, _x1, a) => x0 + a, 3, { position });
    // Shift rewards by position so that the two models differ: reward += 10 · position.
    const shifted = new BanditLog({ ...log.columns(), reward: log.reward.map((r, i) => r + 10 * position[i]!) });
    const q = fitPredict(shifted, new RidgeRewardModel({ alpha: 1e-9 }));
    expect(q.length).toBe(400 * 2 * 2);
    for (const i of [0, 1, 57]) {
      const x0 = shifted.context[2 * i]!;
      for (let a = 0; a < 2; a++) {
        expect(q[(i * 2 + a) * 2 + 0]).toBeCloseTo(x0 + a, 6);
        expect(q[(i * 2 + a) * 2 + 1]).toBeCloseTo(x0 + a + 10, 6);
      }
    }
  });

  it("'iw' and 'mrdr' fitting pass OBP's sample weights", () => {
    const log = new BanditLog({ ...makeLog(4, 2, () => 1).columns(), action: new Int32Array([0, 1, 1, 0]), pscore: new Float64Array([0.5, 0.25, 0.8, 1]) });
    const pi = new Float64Array([0.2, 0.8, 0.4, 0.6, 0, 1, 1, 0]);
    RecordingModel.fits = [];
    fitPredict(log, new RecordingModel(), { fittingMethod: 'iw', actionDist: pi });
    expect(Array.from(RecordingModel.fits[0]!.weights!)).toEqual([0.2 / 0.5, 0.6 / 0.25, 1 / 0.8, 1 / 1]);
    RecordingModel.fits = [];
    fitPredict(log, new RecordingModel(), { fittingMethod: 'mrdr', actionDist: pi });
    const expected = [(0.2 * 0.5) / 0.25, (0.6 * 0.75) / 0.0625, (1 * 0.2) / 0.64, 0];
    Array.from(RecordingModel.fits[0]!.weights!).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    expect(() => fitPredict(log, new RecordingModel(), { fittingMethod: 'iw' })).toThrow(/actionDist/);
    expect(() => fitPredict(log, new RecordingModel(), { nFolds: 2 })).toThrow(/rng/);
    expect(() => fitPredict(log, new RecordingModel(), { nFolds: 5, rng: Rng.fromSeed(0) })).toThrow(/nFolds/);
  });
});
