/**
 * Reward-model predictions q̂(x_i, a, p) for every logged round, as OBP's `RegressionModel.fit_predict`:
 * with k > 1 folds (cross-fitting), round i's prediction comes from a model that never saw round i, which
 * keeps DR unbiased however the model overfits. Folds are a seeded random partition (scikit-learn's
 * shuffled KFold sizes: the first n mod k folds get one extra round). When the log has several positions,
 * one model is fitted per position on that position's rounds, and the output has nPositions layers.
 *
 * Fitting methods (OBP's `fitting_method`): 'normal' (unweighted), 'iw' (weights π_e(a_i|x_i)/π_b(a_i|x_i))
 * and 'mrdr' (weights π_e(a_i|x_i)(1 − π_b(a_i|x_i))/π_b(a_i|x_i)²); the last two need the evaluation
 * policy's `actionDist`.
 */
import { InvalidArgumentError, describeValue } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { Rng } from '../core/rng.js';
import type { BanditLog } from '../data/bandit-log.js';
import { ActionDistribution } from './action-distribution.js';
import { positionsOf } from './inputs.js';
import type { RewardModel } from './reward-models.js';

export type FittingMethod = 'normal' | 'iw' | 'mrdr';

export interface FitPredictOptions {
  /** Number of cross-fitting folds (default 1: fit and predict on all rounds). */
  nFolds?: number;
  /** Generator for the fold assignment; required when nFolds > 1. */
  rng?: Rng;
  fittingMethod?: FittingMethod;
  /** Evaluation policy distribution (layout of `inputs.ts`), for 'iw' and 'mrdr'. */
  actionDist?: Float64Array | ActionDistribution;
}

/** q̂ for every round: an n × nActions × nPositions array (nPositions = 1 for a log without positions). */
export function fitPredict(log: BanditLog, model: RewardModel, options: FitPredictOptions = {}): Float64Array {
  checkOptions('fitPredict', options, ['nFolds', 'rng', 'fittingMethod', 'actionDist']);
  const { nFolds = 1, rng, fittingMethod = 'normal', actionDist } = options;
  const n = log.nRounds;
  const K = log.nActions;
  if (!Number.isSafeInteger(nFolds) || nFolds < 1 || nFolds > n) {
    throw new InvalidArgumentError(`fitPredict: nFolds must be an integer in [1, nRounds = ${n}], got ${describeValue(nFolds)}`);
  }
  if (nFolds > 1 && !(rng instanceof Rng)) throw new InvalidArgumentError(`fitPredict: cross-fitting (nFolds = ${nFolds}) needs rng: an Rng`);
  if (!model || typeof model.fit !== 'function' || typeof model.predict !== 'function' || typeof model.clone !== 'function') {
    throw new InvalidArgumentError(`fitPredict: model must implement RewardModel (fit, predict, clone), got ${describeValue(model)}`);
  }
  const sampleWeight = fittingWeights(log, fittingMethod, actionDist);

  const P = log.position ? log.nPositions : 1;
  const out = new Float64Array(n * K * P);
  const folds = foldAssignment(n, nFolds, rng);
  for (let fold = 0; fold < nFolds; fold++) {
    for (let pos = 0; pos < P; pos++) {
      const train: number[] = [];
      const test: number[] = [];
      for (let i = 0; i < n; i++) {
        const heldOut = nFolds === 1 || folds[i] === fold;
        const trainable = nFolds === 1 || folds[i] !== fold;
        if (trainable && (P === 1 || log.position![i] === pos)) train.push(i);
        if (heldOut) test.push(i);
      }
      if (test.length === 0) continue;
      if (train.length === 0) {
        throw new InvalidArgumentError(`fitPredict: no training rounds for position ${pos}${nFolds > 1 ? ` in fold ${fold}` : ''}`);
      }
      const m = model.clone();
      m.fit(log, sampleWeight ? { rows: Int32Array.from(train), sampleWeight } : { rows: Int32Array.from(train) });
      // Predict every held-out round (all positions' rounds) at this position.
      const d = log.dimContext;
      const ctx = new Float64Array(test.length * d);
      for (let j = 0; j < test.length; j++) ctx.set(log.context.subarray(test[j]! * d, test[j]! * d + d), j * d);
      const q = m.predict(ctx, test.length);
      if (!(q instanceof Float64Array) || q.length !== test.length * K) {
        throw new InvalidArgumentError(`fitPredict: ${m.name}.predict returned ${describeValue(q)}, expected ${test.length} × ${K} values`);
      }
      for (let j = 0; j < test.length; j++) {
        const i = test[j]!;
        for (let a = 0; a < K; a++) out[(i * K + a) * P + pos] = q[j * K + a]!;
      }
    }
  }
  return out;
}

/** `fitPredict` with `k`-fold cross-fitting. */
export function fitPredictCrossFit(log: BanditLog, model: RewardModel, k: number, rng: Rng, options: Omit<FitPredictOptions, 'nFolds' | 'rng'> = {}): Float64Array {
  return fitPredict(log, model, { ...options, nFolds: k, rng });
}

/** Fold of each round: a random permutation cut into k contiguous blocks. */
function foldAssignment(n: number, k: number, rng: Rng | undefined): Int32Array {
  const folds = new Int32Array(n);
  if (k === 1) return folds;
  const perm = rng!.permutation(n);
  const base = Math.floor(n / k);
  const extra = n % k;
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = base + (f < extra ? 1 : 0);
    for (let j = start; j < start + size; j++) folds[perm[j]!] = f;
    start += size;
  }
  return folds;
}

function fittingWeights(log: BanditLog, method: FittingMethod, policy: Float64Array | ActionDistribution | undefined): Float64Array | undefined {
  if (method === 'normal') return undefined;
  if (method !== 'iw' && method !== 'mrdr') {
    throw new InvalidArgumentError(`fitPredict: fittingMethod must be 'normal', 'iw' or 'mrdr', got ${describeValue(method)}`);
  }
  if (policy === undefined) throw new InvalidArgumentError(`fitPredict: fittingMethod '${method}' needs actionDist (the evaluation policy)`);
  const actionDist = policy instanceof ActionDistribution ? policy.values : policy;
  const P = positionsOf(log, actionDist, 'actionDist');
  const K = log.nActions;
  const w = new Float64Array(log.nRounds);
  for (let i = 0; i < log.nRounds; i++) {
    const pe = actionDist[(i * K + log.action[i]!) * P + (P === 1 ? 0 : log.position![i]!)]!;
    if (!(pe >= 0 && pe <= 1)) throw new InvalidArgumentError(`actionDist row ${i}, action ${log.action[i]}: probability must be in [0, 1], got ${pe}`);
    const pb = log.pscore[i]!;
    w[i] = method === 'iw' ? pe / pb : (pe * (1 - pb)) / (pb * pb);
  }
  return w;
}
