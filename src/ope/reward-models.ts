/**
 * Reward models q̂(x, a) ≈ E[r | x, a] for the direct method and doubly robust estimators, in plain
 * TypeScript: ridge regression (closed form) and L2-penalised logistic regression (Newton / IRLS).
 *
 * Two feature layouts:
 * - `joint` (OBP's `RegressionModel` default): one model on [1, x, actionContext[a]] (one-hot action when the
 *   log has no action features). It has no context × action interactions, so it is misspecified whenever
 *   the best action depends on the context — which is exactly what makes DM biased.
 * - `per-action`: one model per action on [1, x], fitted on that action's rounds.
 * The intercept is not penalised (as scikit-learn); `alpha` is the L2 penalty (scikit-learn's Ridge alpha,
 * and 1/C of its LogisticRegression).
 *
 * Any model implementing `RewardModel` (e.g. `MLPRewardModel`, a tfjs MLP) works with `fitPredict`/`fitPredictCrossFit`.
 */
import { InvalidArgumentError, describeValue } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import type { BanditLog } from '../data/bandit-log.js';
import { addOuterUpper, solveSpd, symmetrize } from './linalg.js';

export interface RewardModelFitOptions {
  /** Rounds of the log to train on (default: all). */
  rows?: Int32Array;
  /** Per-round weights, indexed by round of the log (length nRounds); default 1. */
  sampleWeight?: Float64Array;
}

export interface RewardModel {
  readonly name: string;
  /** Fits on (x_i, a_i, r_i) of the chosen rounds, replacing any earlier fit. */
  fit(log: BanditLog, options?: RewardModelFitOptions): void;
  /** q̂(x_i, a) for `nRounds` contexts (row-major, dimContext wide): an nRounds × nActions array. */
  predict(context: Float64Array, nRounds: number): Float64Array;
  /** An unfitted model with the same settings (one per cross-fitting fold and position). */
  clone(): RewardModel;
}

export type FeatureLayout = 'joint' | 'per-action';

export interface LinearRewardModelOptions {
  /** L2 penalty on the non-intercept coefficients (default 1). */
  alpha?: number;
  features?: FeatureLayout;
}

export interface LogisticRewardModelOptions extends LinearRewardModelOptions {
  /** Newton iterations at most (default 100). */
  maxIter?: number;
  /** Stop when the largest coefficient change is below this (default 1e-8). */
  tol?: number;
}

/** Fitted shape shared by both models: which features, and the coefficients. */
interface Layout {
  features: FeatureLayout;
  nActions: number;
  dimContext: number;
  /** Action features for the joint layout: nActions × dimAction. */
  actionFeatures: Float64Array;
  dimAction: number;
  /** Number of coefficients of one model. */
  p: number;
}

abstract class LinearFamilyModel implements RewardModel {
  abstract readonly name: string;
  protected readonly alpha: number;
  protected readonly features: FeatureLayout;
  protected layout: Layout | undefined;
  /** joint: p coefficients; per-action: nActions × p. */
  protected coef: Float64Array | undefined;

  constructor(owner: string, options: LinearRewardModelOptions, allowed: readonly string[]) {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`${owner} options must be an object, got ${describeValue(options)}`);
    checkOptions(owner, options, allowed);
    const { alpha = 1, features = 'joint' } = options;
    if (!(alpha >= 0 && alpha < Infinity)) throw new InvalidArgumentError(`${owner}: alpha must be a finite number >= 0, got ${describeValue(alpha)}`);
    if (features !== 'joint' && features !== 'per-action') {
      throw new InvalidArgumentError(`${owner}: features must be 'joint' or 'per-action', got ${describeValue(features)}`);
    }
    this.alpha = alpha;
    this.features = features;
  }

  abstract clone(): RewardModel;

  /** Fits one model's coefficients on the given rows (all with the same feature function). */
  protected abstract fitCoefficients(rows: Int32Array, features: (row: number, out: Float64Array) => void, y: Float64Array, w: Float64Array | undefined, p: number): Float64Array;

  /** Maps the linear predictor to a predicted reward. */
  protected abstract link(eta: number): number;

  fit(log: BanditLog, options: RewardModelFitOptions = {}): void {
    checkOptions(`${this.name}.fit`, options, ['rows', 'sampleWeight']);
    const rows = options.rows ?? allRows(log.nRounds);
    if (!(rows instanceof Int32Array) || rows.length === 0) throw new InvalidArgumentError(`${this.name}.fit: rows must be a non-empty Int32Array, got ${describeValue(rows)}`);
    for (let j = 0; j < rows.length; j++) {
      if (rows[j]! < 0 || rows[j]! >= log.nRounds) throw new InvalidArgumentError(`${this.name}.fit: rows[${j}] = ${rows[j]} is outside [0, ${log.nRounds})`);
    }
    const w = options.sampleWeight;
    if (w !== undefined) {
      if (!(w instanceof Float64Array) || w.length !== log.nRounds) {
        throw new InvalidArgumentError(`${this.name}.fit: sampleWeight must be a Float64Array of nRounds = ${log.nRounds} values`);
      }
      for (let j = 0; j < rows.length; j++) {
        const v = w[rows[j]!]!;
        if (!(v >= 0 && v < Infinity)) throw new InvalidArgumentError(`${this.name}.fit: sampleWeight[${rows[j]}] must be finite and >= 0, got ${v}`);
      }
    }
    this.checkTargets(log.reward, rows);
    const d = log.dimContext;
    const K = log.nActions;
    const ctx = log.context;
    if (this.features === 'joint') {
      const { actionFeatures, dimAction } = actionFeatureTable(log);
      const p = 1 + d + dimAction;
      this.layout = { features: 'joint', nActions: K, dimContext: d, actionFeatures, dimAction, p };
      const featuresOf = (i: number, out: Float64Array) => {
        out[0] = 1;
        for (let j = 0; j < d; j++) out[1 + j] = ctx[i * d + j]!;
        const a = log.action[i]!;
        for (let j = 0; j < dimAction; j++) out[1 + d + j] = actionFeatures[a * dimAction + j]!;
      };
      this.coef = this.fitCoefficients(rows, featuresOf, log.reward, w, p);
    } else {
      const p = 1 + d;
      this.layout = { features: 'per-action', nActions: K, dimContext: d, actionFeatures: new Float64Array(0), dimAction: 0, p };
      const featuresOf = (i: number, out: Float64Array) => {
        out[0] = 1;
        for (let j = 0; j < d; j++) out[1 + j] = ctx[i * d + j]!;
      };
      const byAction: number[][] = Array.from({ length: K }, () => []);
      for (let j = 0; j < rows.length; j++) byAction[log.action[rows[j]!]!]!.push(rows[j]!);
      const coef = new Float64Array(K * p);
      for (let a = 0; a < K; a++) {
        if (byAction[a]!.length === 0) {
          // No data for this action: predict the mean reward of all training rounds.
          coef[a * p] = this.fallbackIntercept(log.reward, rows, w);
          continue;
        }
        coef.set(this.fitCoefficients(Int32Array.from(byAction[a]!), featuresOf, log.reward, w, p), a * p);
      }
      this.coef = coef;
    }
  }

  predict(context: Float64Array, nRounds: number): Float64Array {
    const layout = this.layout;
    const coef = this.coef;
    if (!layout || !coef) throw new InvalidArgumentError(`${this.name}.predict called before fit`);
    const { nActions: K, dimContext: d, p } = layout;
    if (!(context instanceof Float64Array) || context.length !== nRounds * d) {
      throw new InvalidArgumentError(`${this.name}.predict: context must be a Float64Array of nRounds × dimContext = ${nRounds} × ${d} values`);
    }
    const out = new Float64Array(nRounds * K);
    if (layout.features === 'joint') {
      const { actionFeatures, dimAction } = layout;
      const actionPart = new Float64Array(K);
      for (let a = 0; a < K; a++) {
        let s = 0;
        for (let j = 0; j < dimAction; j++) s += coef[1 + d + j]! * actionFeatures[a * dimAction + j]!;
        actionPart[a] = s;
      }
      for (let i = 0; i < nRounds; i++) {
        let base = coef[0]!;
        for (let j = 0; j < d; j++) base += coef[1 + j]! * context[i * d + j]!;
        for (let a = 0; a < K; a++) out[i * K + a] = this.link(base + actionPart[a]!);
      }
    } else {
      for (let i = 0; i < nRounds; i++) {
        for (let a = 0; a < K; a++) {
          const c = a * p;
          let eta = coef[c]!;
          for (let j = 0; j < d; j++) eta += coef[c + 1 + j]! * context[i * d + j]!;
          out[i * K + a] = this.link(eta);
        }
      }
    }
    return out;
  }

  protected checkTargets(_reward: Float64Array, _rows: Int32Array): void {}

  protected fallbackIntercept(reward: Float64Array, rows: Int32Array, w: Float64Array | undefined): number {
    let sum = 0;
    let total = 0;
    for (let j = 0; j < rows.length; j++) {
      const weight = w ? w[rows[j]!]! : 1;
      sum += weight * reward[rows[j]!]!;
      total += weight;
    }
    return total > 0 ? sum / total : 0;
  }

  /** The L2 penalty of coefficient j (the intercept, j = 0, only gets a tiny one for numerical stability). */
  protected penalty(j: number, totalWeight: number): number {
    return j === 0 ? 1e-10 * totalWeight : this.alpha;
  }
}

/** Ridge regression (squared loss), solved in closed form. */
export class RidgeRewardModel extends LinearFamilyModel {
  readonly name = 'RidgeRewardModel';
  private readonly options: LinearRewardModelOptions;

  constructor(options: LinearRewardModelOptions = {}) {
    super('RidgeRewardModel', options, ['alpha', 'features']);
    this.options = { ...options };
  }

  clone(): RidgeRewardModel {
    return new RidgeRewardModel(this.options);
  }

  protected link(eta: number): number {
    return eta;
  }

  protected fitCoefficients(rows: Int32Array, featuresOf: (row: number, out: Float64Array) => void, y: Float64Array, w: Float64Array | undefined, p: number): Float64Array {
    const A = new Float64Array(p * p);
    const b = new Float64Array(p);
    const f = new Float64Array(p);
    let totalWeight = 0;
    for (let j = 0; j < rows.length; j++) {
      const i = rows[j]!;
      const weight = w ? w[i]! : 1;
      if (weight === 0) continue;
      featuresOf(i, f);
      addOuterUpper(A, f, weight, p);
      const wy = weight * y[i]!;
      for (let c = 0; c < p; c++) b[c] = b[c]! + wy * f[c]!;
      totalWeight += weight;
    }
    symmetrize(A, p);
    for (let c = 0; c < p; c++) A[c * p + c] = A[c * p + c]! + this.penalty(c, totalWeight);
    return solveSpd(A, b, p, 'ridge normal-equation matrix');
  }
}

/** L2-penalised logistic regression for rewards in [0, 1] (binary, or fractional), fitted by Newton's method. */
export class LogisticRewardModel extends LinearFamilyModel {
  readonly name = 'LogisticRewardModel';
  private readonly options: LogisticRewardModelOptions;
  private readonly maxIter: number;
  private readonly tol: number;

  constructor(options: LogisticRewardModelOptions = {}) {
    super('LogisticRewardModel', options, ['alpha', 'features', 'maxIter', 'tol']);
    const { maxIter = 100, tol = 1e-8 } = options;
    if (!Number.isSafeInteger(maxIter) || maxIter < 1) throw new InvalidArgumentError(`LogisticRewardModel: maxIter must be a positive integer, got ${describeValue(maxIter)}`);
    if (!(tol > 0)) throw new InvalidArgumentError(`LogisticRewardModel: tol must be positive, got ${describeValue(tol)}`);
    this.options = { ...options };
    this.maxIter = maxIter;
    this.tol = tol;
  }

  clone(): LogisticRewardModel {
    return new LogisticRewardModel(this.options);
  }

  protected link(eta: number): number {
    return 1 / (1 + Math.exp(-eta));
  }

  protected override checkTargets(reward: Float64Array, rows: Int32Array): void {
    for (let j = 0; j < rows.length; j++) {
      const r = reward[rows[j]!]!;
      if (!(r >= 0 && r <= 1)) throw new InvalidArgumentError(`LogisticRewardModel needs rewards in [0, 1]; round ${rows[j]} has reward ${r}`);
    }
  }

  protected fitCoefficients(rows: Int32Array, featuresOf: (row: number, out: Float64Array) => void, y: Float64Array, w: Float64Array | undefined, p: number): Float64Array {
    let totalWeight = 0;
    for (let j = 0; j < rows.length; j++) totalWeight += w ? w[rows[j]!]! : 1;
    const pen = new Float64Array(p);
    for (let c = 0; c < p; c++) pen[c] = this.penalty(c, totalWeight);
    const f = new Float64Array(p);
    let beta = new Float64Array(p);
    let loss = this.loss(beta, rows, featuresOf, y, w, pen, f);
    for (let iter = 0; iter < this.maxIter; iter++) {
      const H = new Float64Array(p * p);
      const g = new Float64Array(p);
      for (let j = 0; j < rows.length; j++) {
        const i = rows[j]!;
        const weight = w ? w[i]! : 1;
        if (weight === 0) continue;
        featuresOf(i, f);
        let eta = 0;
        for (let c = 0; c < p; c++) eta += beta[c]! * f[c]!;
        const mu = 1 / (1 + Math.exp(-eta));
        const resid = weight * (mu - y[i]!);
        for (let c = 0; c < p; c++) g[c] = g[c]! + resid * f[c]!;
        addOuterUpper(H, f, weight * mu * (1 - mu), p);
      }
      symmetrize(H, p);
      for (let c = 0; c < p; c++) {
        g[c] = g[c]! + pen[c]! * beta[c]!;
        H[c * p + c] = H[c * p + c]! + pen[c]!;
      }
      const step = solveSpd(H, g, p, 'logistic Hessian');
      // Damped Newton: halve the step until the penalised loss does not increase.
      let scale = 1;
      let next = new Float64Array(p);
      let nextLoss = Infinity;
      for (let halvings = 0; halvings < 30; halvings++) {
        for (let c = 0; c < p; c++) next[c] = beta[c]! - scale * step[c]!;
        nextLoss = this.loss(next, rows, featuresOf, y, w, pen, f);
        if (nextLoss <= loss) break;
        scale /= 2;
      }
      if (!(nextLoss <= loss)) break; // no descent possible: at the optimum up to rounding
      let maxChange = 0;
      for (let c = 0; c < p; c++) maxChange = Math.max(maxChange, Math.abs(next[c]! - beta[c]!));
      beta = next;
      loss = nextLoss;
      if (maxChange < this.tol) break;
    }
    return beta;
  }

  /** Σ w [log(1 + e^η) − y η] + ½ Σ pen_c β_c². */
  private loss(beta: Float64Array, rows: Int32Array, featuresOf: (row: number, out: Float64Array) => void, y: Float64Array, w: Float64Array | undefined, pen: Float64Array, f: Float64Array): number {
    const p = beta.length;
    let total = 0;
    for (let j = 0; j < rows.length; j++) {
      const i = rows[j]!;
      const weight = w ? w[i]! : 1;
      if (weight === 0) continue;
      featuresOf(i, f);
      let eta = 0;
      for (let c = 0; c < p; c++) eta += beta[c]! * f[c]!;
      const softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
      total += weight * (softplus - y[i]! * eta);
    }
    for (let c = 0; c < p; c++) total += 0.5 * pen[c]! * beta[c]! * beta[c]!;
    return total;
  }
}

function allRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/** The log's action features, or the one-hot encoding of actions when it has none. */
function actionFeatureTable(log: BanditLog): { actionFeatures: Float64Array; dimAction: number } {
  if (log.actionContext) return { actionFeatures: log.actionContext, dimAction: log.dimActionContext };
  const K = log.nActions;
  const actionFeatures = new Float64Array(K * K);
  for (let a = 0; a < K; a++) actionFeatures[a * K + a] = 1;
  return { actionFeatures, dimAction: K };
}
