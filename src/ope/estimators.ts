/**
 * Off-policy estimators of a policy's value from logged bandit feedback, defined exactly as Open Bandit
 * Pipeline's (obp/ope/estimators.py). With importance weight w_i = π_e(a_i|x_i)/π_b(a_i|x_i) (π_b(a_i|x_i)
 * is the log's `pscore`), reward model q̂ and q̂(x, π_e) = Σ_a π_e(a|x) q̂(x, a), the round-wise values are:
 *
 * - IPS       min(w_i, λ) r_i                                   (λ = ∞: vanilla IPS)
 * - SNIPS     w_i r_i / mean(w)
 * - DM        q̂(x_i, π_e)
 * - DR        q̂(x_i, π_e) + min(w_i, λ) (r_i − q̂(x_i, a_i))     (λ < ∞: pessimistic shrinkage)
 * - SNDR      q̂(x_i, π_e) + w_i (r_i − q̂(x_i, a_i)) / mean(w)
 * - Switch-DR q̂(x_i, π_e) + w_i 1{w_i ≤ λ} (r_i − q̂(x_i, a_i))
 * - DRos      q̂(x_i, π_e) + ŵ_i (r_i − q̂(x_i, a_i)),  ŵ = λ w / (w² + λ)   (λ = ∞: DR)
 *
 * The estimate is the mean of the round-wise values, `stdErr` = sd(values)/√n (sample sd, n − 1), and `ci`
 * (when `ci: { rng, reps?, alpha? }` is given) a percentile bootstrap over the round-wise values, as
 * OBP's `estimate_interval` (which, for the self-normalised estimators, keeps the full-sample mean(w)).
 * Each estimator reads the typed arrays in one pass (plus a pass over the round values for the variance) and
 * checks as it goes that the evaluation distribution is a distribution and q̂ is finite.
 * Array layouts: see `inputs.ts`.
 */
import { InvalidArgumentError, describeValue } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import type { BanditLog } from '../data/bandit-log.js';
import { ActionDistribution } from './action-distribution.js';
import { bootstrapCI, resolveBootstrapOptions, type BootstrapOptions, type ConfidenceInterval } from './bootstrap.js';
import {
  DISTRIBUTION_TOLERANCE,
  badDistributionRow,
  badDistributionSum,
  badEstimatedReward,
  checkSameLayout,
  positionsOf,
} from './inputs.js';

export type EstimatorName = 'ips' | 'snips' | 'dm' | 'dr' | 'sndr' | 'switch-dr' | 'dros';

export interface OpeResult {
  estimator: EstimatorName;
  estimate: number;
  /** The round-wise values whose mean is the estimate. */
  roundValues: Float64Array;
  stdErr: number;
  ci?: ConfidenceInterval;
}

/** π_e over the logged rounds: a raw array (checked on every call) or an `ActionDistribution` (checked once). */
export type PolicyDistribution = Float64Array | ActionDistribution;

export interface EstimateOptions {
  /** Bootstrap confidence interval settings; no interval when omitted. */
  ci?: BootstrapOptions;
}

export interface LambdaOptions extends EstimateOptions {
  /** Clipping / switching / shrinkage hyperparameter, >= 0 (Infinity allowed). */
  lambda?: number;
}

/** How a DR-family estimator transforms the importance weight before the correction term. */
const enum Weighting {
  Clip = 0,
  Switch = 1,
  Shrink = 2,
  SelfNormalized = 3,
}

/** Inverse propensity scoring, with optional clipping of the weights at `lambda` (default ∞). */
export function ips(log: BanditLog, actionDist: PolicyDistribution, options: LambdaOptions = {}): OpeResult {
  checkEstimateOptions('ips', options, ['lambda', 'ci']);
  const lambda = resolveLambda('ips', options.lambda, Infinity);
  return finish('ips', weightedRewards(log, actionDist, lambda, false), options);
}

/** Self-normalised IPS: Σ w_i r_i / Σ w_i. */
export function snips(log: BanditLog, actionDist: PolicyDistribution, options: EstimateOptions = {}): OpeResult {
  checkEstimateOptions('snips', options, ['ci']);
  return finish('snips', weightedRewards(log, actionDist, Infinity, true), options);
}

/** Direct method: the reward model's value of the evaluation policy. */
export function dm(log: BanditLog, policy: PolicyDistribution, estimatedRewards: Float64Array, options: EstimateOptions = {}): OpeResult {
  checkEstimateOptions('dm', options, ['ci']);
  const actionDist = distributionValues(log, policy);
  const P = positionsOf(log, actionDist, 'actionDist');
  checkSameLayout(log, actionDist, estimatedRewards, 'estimatedRewards');
  const n = log.nRounds;
  const K = log.nActions;
  const position = log.position;
  const values = new Float64Array(n);
  const stride = K * P;
  let badRow = -1;
  for (let i = 0; i < n; i++) {
    const base = i * stride + (P === 1 ? 0 : position![i]!);
    let value = 0;
    let mass = 0;
    let smallest = 0;
    let qSum = 0;
    for (let a = 0; a < K; a++) {
      const k = base + a * P;
      const p = actionDist[k]!;
      const q = estimatedRewards[k]!;
      value += p * q;
      mass += p;
      qSum += q;
      if (p < smallest) smallest = p;
    }
    if (!(smallest >= 0 && Math.abs(mass - 1) <= DISTRIBUTION_TOLERANCE && qSum - qSum === 0)) {
      badRow = i;
      break;
    }
    values[i] = value / mass; // numpy's average(q, weights=π) normalises by Σπ, as OBP
  }
  if (badRow >= 0) reportBadRow(log, actionDist, estimatedRewards, P, badRow);
  return finish('dm', values, options);
}

/** Doubly robust, with optional clipping of the weights at `lambda` (default ∞). */
export function dr(log: BanditLog, actionDist: PolicyDistribution, estimatedRewards: Float64Array, options: LambdaOptions = {}): OpeResult {
  checkEstimateOptions('dr', options, ['lambda', 'ci']);
  const lambda = resolveLambda('dr', options.lambda, Infinity);
  return finish('dr', doublyRobust(log, actionDist, estimatedRewards, Weighting.Clip, lambda), options);
}

/** Self-normalised doubly robust: the correction term is divided by mean(w). */
export function sndr(log: BanditLog, actionDist: PolicyDistribution, estimatedRewards: Float64Array, options: EstimateOptions = {}): OpeResult {
  checkEstimateOptions('sndr', options, ['ci']);
  return finish('sndr', doublyRobust(log, actionDist, estimatedRewards, Weighting.SelfNormalized, Infinity), options);
}

/** Switch-DR: the correction term only where w <= lambda (default ∞, i.e. DR); DM elsewhere. */
export function switchDr(log: BanditLog, actionDist: PolicyDistribution, estimatedRewards: Float64Array, options: LambdaOptions = {}): OpeResult {
  checkEstimateOptions('switchDr', options, ['lambda', 'ci']);
  const lambda = resolveLambda('switchDr', options.lambda, Infinity);
  return finish('switch-dr', doublyRobust(log, actionDist, estimatedRewards, Weighting.Switch, lambda), options);
}

/** DR with optimistic shrinkage: weights λw/(w² + λ). `lambda` is required (λ = 0 gives DM, ∞ gives DR). */
export function dros(log: BanditLog, actionDist: PolicyDistribution, estimatedRewards: Float64Array, options: LambdaOptions): OpeResult {
  checkEstimateOptions('dros', options, ['lambda', 'ci']);
  if (options.lambda === undefined) throw new InvalidArgumentError('dros needs options.lambda (the shrinkage hyperparameter, >= 0)');
  const lambda = resolveLambda('dros', options.lambda, Infinity);
  return finish('dros', doublyRobust(log, actionDist, estimatedRewards, Weighting.Shrink, lambda), options);
}

/** Unknown keys and bad bootstrap settings fail before any work is done. */
function checkEstimateOptions(owner: string, options: EstimateOptions, allowed: readonly string[]): void {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`${owner}: options must be an object, got ${describeValue(options)}`);
  checkOptions(owner, options, allowed);
  if (options.ci !== undefined) resolveBootstrapOptions(options.ci);
}

function resolveLambda(owner: string, lambda: number | undefined, fallback: number): number {
  if (lambda === undefined) return fallback;
  if (typeof lambda !== 'number' || !(lambda >= 0)) {
    throw new InvalidArgumentError(`${owner}: lambda must be a number >= 0 (Infinity allowed), got ${describeValue(lambda)}`);
  }
  return lambda;
}

/** Round values min(w, λ)·r (IPS) or w·r/mean(w) (SNIPS). */
function weightedRewards(log: BanditLog, policy: PolicyDistribution, lambda: number, selfNormalized: boolean): Float64Array {
  const actionDist = distributionValues(log, policy);
  const checked = policy instanceof ActionDistribution;
  const P = positionsOf(log, actionDist, 'actionDist');
  const n = log.nRounds;
  const K = log.nActions;
  const { action, pscore, reward, position } = log;
  const values = new Float64Array(n);
  const stride = K * P;
  let weightSum = 0;
  let badRow = -1;
  for (let i = 0; i < n; i++) {
    const base = i * stride + (P === 1 ? 0 : position![i]!);
    // The row is a distribution iff its smallest entry is >= 0 and it sums to 1 (NaN fails both).
    // Checked after the inner loop, without calls inside it, which keeps the loop fast.
    if (!checked) {
      let mass = 0;
      let smallest = 0;
      for (let a = 0; a < K; a++) {
        const p = actionDist[base + a * P]!;
        mass += p;
        if (p < smallest) smallest = p;
      }
      if (!(smallest >= 0 && Math.abs(mass - 1) <= DISTRIBUTION_TOLERANCE)) {
        badRow = i;
        break;
      }
    }
    const w = actionDist[base + action[i]! * P]! / pscore[i]!;
    weightSum += w;
    values[i] = (w < lambda ? w : lambda) * reward[i]!;
  }
  if (badRow >= 0) reportBadRow(log, actionDist, undefined, P, badRow);
  if (selfNormalized) {
    const scale = n / weightSum; // 1 / mean(w)
    for (let i = 0; i < n; i++) values[i] = values[i]! * scale;
  }
  return values;
}

function doublyRobust(log: BanditLog, policy: PolicyDistribution, estimatedRewards: Float64Array, weighting: Weighting, lambda: number): Float64Array {
  // The rows are read in full anyway (for q̂(x, π_e)), so they are checked whatever the input type.
  const actionDist = distributionValues(log, policy);
  const P = positionsOf(log, actionDist, 'actionDist');
  checkSameLayout(log, actionDist, estimatedRewards, 'estimatedRewards');
  const n = log.nRounds;
  const K = log.nActions;
  const { action, pscore, reward, position } = log;
  const values = new Float64Array(n);
  // SNDR needs mean(w) before it can scale the corrections: keep them aside.
  const corrections = weighting === Weighting.SelfNormalized ? new Float64Array(n) : undefined;
  const stride = K * P;
  let weightSum = 0;
  let badRow = -1;
  for (let i = 0; i < n; i++) {
    const base = i * stride + (P === 1 ? 0 : position![i]!);
    let dmValue = 0;
    let mass = 0;
    let smallest = 0;
    let qSum = 0;
    for (let a = 0; a < K; a++) {
      const k = base + a * P;
      const p = actionDist[k]!;
      const q = estimatedRewards[k]!;
      dmValue += p * q;
      mass += p;
      qSum += q;
      if (p < smallest) smallest = p;
    }
    // qSum is finite iff every q̂ is (a NaN or ±Infinity makes it NaN or infinite).
    if (!(smallest >= 0 && Math.abs(mass - 1) <= DISTRIBUTION_TOLERANCE && qSum - qSum === 0)) {
      badRow = i;
      break;
    }
    const k = base + action[i]! * P;
    const w = actionDist[k]! / pscore[i]!;
    const residual = reward[i]! - estimatedRewards[k]!;
    let wHat: number;
    if (weighting === Weighting.Clip) wHat = w < lambda ? w : lambda;
    else if (weighting === Weighting.Switch) wHat = w <= lambda ? w : 0;
    else if (weighting === Weighting.Shrink) {
      // λw/(w² + λ); its limits: w itself as λ → ∞, and 0 at w = 0 (also when λ = 0).
      wHat = lambda === Infinity ? w : w === 0 ? 0 : (lambda * w) / (w * w + lambda);
    } else wHat = w;
    weightSum += w;
    // numpy's average(q̂, weights=π) divides by Σπ, as OBP.
    if (corrections) {
      values[i] = dmValue / mass;
      corrections[i] = w * residual;
    } else values[i] = dmValue / mass + wHat * residual;
  }
  if (badRow >= 0) reportBadRow(log, actionDist, estimatedRewards, P, badRow);
  if (corrections) {
    const scale = n / weightSum;
    for (let i = 0; i < n; i++) values[i] = values[i]! + corrections[i]! * scale;
  }
  return values;
}

/** The raw array of a policy distribution, checking that a wrapped one was built for this log's shape. */
function distributionValues(log: BanditLog, policy: PolicyDistribution): Float64Array {
  if (policy instanceof ActionDistribution) {
    if (policy.nRounds !== log.nRounds || policy.nActions !== log.nActions) {
      throw new InvalidArgumentError(
        `actionDist is for ${policy.nRounds} rounds × ${policy.nActions} actions, but the log has ${log.nRounds} × ${log.nActions}`,
      );
    }
    return policy.values;
  }
  return policy;
}

/** Finds what is wrong with round i's entries and throws a message naming the row and action. */
function reportBadRow(log: BanditLog, actionDist: Float64Array, estimatedRewards: Float64Array | undefined, P: number, i: number): never {
  const K = log.nActions;
  const base = i * K * P + (P === 1 ? 0 : log.position![i]!);
  let mass = 0;
  for (let a = 0; a < K; a++) {
    const p = actionDist[base + a * P]!;
    if (!(p >= 0 && p <= 1)) badDistributionRow(i, a, p);
    if (estimatedRewards) {
      const q = estimatedRewards[base + a * P]!;
      if (q - q !== 0) badEstimatedReward(i, a, q);
    }
    mass += p;
  }
  badDistributionSum(i, mass);
}

function finish(estimator: EstimatorName, roundValues: Float64Array, options: EstimateOptions): OpeResult {
  const n = roundValues.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += roundValues[i]!;
  const estimate = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const dev = roundValues[i]! - estimate;
    ss += dev * dev;
  }
  const stdErr = n > 1 ? Math.sqrt(ss / (n - 1) / n) : NaN;
  const result: OpeResult = { estimator, estimate, roundValues, stdErr };
  if (options.ci !== undefined) result.ci = bootstrapCI(roundValues, options.ci);
  return result;
}
