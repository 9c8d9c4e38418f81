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
 *
 * Each estimator reads the typed arrays in one pass, checking as it goes that π_e's rows are distributions
 * and q̂ is finite, and accumulates the sums that give the estimate and its variance (shifted by the first
 * round's value, so that no precision is lost to a large mean). It allocates nothing per round: the
 * round-wise values are materialised by a second pass only when `roundValues` is first read (or a `ci` is
 * asked for) — so do not modify the inputs before reading it. Array layouts: see `inputs.ts`.
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
  readonly estimator: EstimatorName;
  readonly estimate: number;
  /** The round-wise values whose mean is the estimate (computed on first access). */
  readonly roundValues: Float64Array;
  readonly stdErr: number;
  readonly ci?: ConfidenceInterval;
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

/** How the estimators transform the importance weight w before it multiplies r (IPS) or r − q̂ (DR). */
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
  return finish('ips', log, weightedRewardKernel(log, actionDist, Weighting.Clip, lambda), options);
}

/** Self-normalised IPS: Σ w_i r_i / Σ w_i. */
export function snips(log: BanditLog, actionDist: PolicyDistribution, options: EstimateOptions = {}): OpeResult {
  checkEstimateOptions('snips', options, ['ci']);
  return finish('snips', log, weightedRewardKernel(log, actionDist, Weighting.SelfNormalized, Infinity), options);
}

/** Direct method: the reward model's value of the evaluation policy. */
export function dm(log: BanditLog, actionDist: PolicyDistribution, estimatedRewards: Float64Array, options: EstimateOptions = {}): OpeResult {
  checkEstimateOptions('dm', options, ['ci']);
  // DR whose correction is always switched off.
  return finish('dm', log, doublyRobustKernel(log, actionDist, estimatedRewards, Weighting.Switch, -1), options);
}

/** Doubly robust, with optional clipping of the weights at `lambda` (default ∞). */
export function dr(log: BanditLog, actionDist: PolicyDistribution, estimatedRewards: Float64Array, options: LambdaOptions = {}): OpeResult {
  checkEstimateOptions('dr', options, ['lambda', 'ci']);
  const lambda = resolveLambda('dr', options.lambda, Infinity);
  return finish('dr', log, doublyRobustKernel(log, actionDist, estimatedRewards, Weighting.Clip, lambda), options);
}

/** Self-normalised doubly robust: the correction term is divided by mean(w). */
export function sndr(log: BanditLog, actionDist: PolicyDistribution, estimatedRewards: Float64Array, options: EstimateOptions = {}): OpeResult {
  checkEstimateOptions('sndr', options, ['ci']);
  return finish('sndr', log, doublyRobustKernel(log, actionDist, estimatedRewards, Weighting.SelfNormalized, Infinity), options);
}

/** Switch-DR: the correction term only where w <= lambda (default ∞, i.e. DR); DM elsewhere. */
export function switchDr(log: BanditLog, actionDist: PolicyDistribution, estimatedRewards: Float64Array, options: LambdaOptions = {}): OpeResult {
  checkEstimateOptions('switchDr', options, ['lambda', 'ci']);
  const lambda = resolveLambda('switchDr', options.lambda, Infinity);
  return finish('switch-dr', log, doublyRobustKernel(log, actionDist, estimatedRewards, Weighting.Switch, lambda), options);
}

/** DR with optimistic shrinkage: weights λw/(w² + λ). `lambda` is required (λ = 0 gives DM, ∞ gives DR). */
export function dros(log: BanditLog, actionDist: PolicyDistribution, estimatedRewards: Float64Array, options: LambdaOptions): OpeResult {
  checkEstimateOptions('dros', options, ['lambda', 'ci']);
  if (options.lambda === undefined) throw new InvalidArgumentError('dros needs options.lambda (the shrinkage hyperparameter, >= 0)');
  const lambda = resolveLambda('dros', options.lambda, Infinity);
  return finish('dros', log, doublyRobustKernel(log, actionDist, estimatedRewards, Weighting.Shrink, lambda), options);
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

/**
 * Sums over rounds of a round value written v_i = A_i + c·B_i, where c is only known after the pass (the
 * self-normalising 1/mean(w); 0 otherwise). Sums are of A_i − A_0 and B_i − B_0 (shifted by round 0), so
 * the variance keeps its precision when the mean is large.
 */
interface RoundSums {
  a0: number;
  b0: number;
  sa: number;
  sb: number;
  saa: number;
  sbb: number;
  sab: number;
  weightSum: number;
}

/** One pass over the rounds: returns the sums and, when `out` is given, writes v_i = A_i + c·B_i into it. */
type Kernel = (out: Float64Array | undefined, c: number) => RoundSums;

// Running state of a pass, carried from chunk to chunk: the RoundSums fields, then the first bad row (or -1).
const A0 = 0;
const B0 = 1;
const SA = 2;
const SB = 3;
const SAA = 4;
const SBB = 5;
const SAB = 6;
const WEIGHT_SUM = 7;
const BAD_ROW = 8;

/**
 * Rounds per call of a chunk function. Many short calls let V8 compile the loops as ordinary optimised
 * functions; one long call per pass would run them as on-stack-replacement code, measurably slower.
 */
const CHUNK = 8192;

/** Fills the running state for rounds [start, end) (stopping at a bad row), writing v_i into `out` if given. */
type Chunk = (start: number, end: number, out: Float64Array | undefined, c: number, state: Float64Array) => void;

/** A kernel that runs `chunk` over the n rounds and reports the first bad row through `reportBad`. */
function chunkedKernel(n: number, chunk: Chunk, reportBad: (row: number) => never): Kernel {
  return (out, c) => {
    const state = new Float64Array(9);
    state[BAD_ROW] = -1;
    for (let start = 0; start < n && state[BAD_ROW] === -1; start += CHUNK) chunk(start, Math.min(n, start + CHUNK), out, c, state);
    if (state[BAD_ROW]! >= 0) reportBad(state[BAD_ROW]!);
    return {
      a0: state[A0]!,
      b0: state[B0]!,
      sa: state[SA]!,
      sb: state[SB]!,
      saa: state[SAA]!,
      sbb: state[SBB]!,
      sab: state[SAB]!,
      weightSum: state[WEIGHT_SUM]!,
    };
  };
}

/** IPS family: A = min(w, λ)·r (clipped IPS), or B = w·r (self-normalised, c = 1/mean(w)). */
function weightedRewardKernel(log: BanditLog, policy: PolicyDistribution, weighting: Weighting, lambda: number): Kernel {
  const actionDist = distributionValues(log, policy);
  const checked = policy instanceof ActionDistribution;
  const P = positionsOf(log, actionDist, 'actionDist');
  const { action, pscore, reward, position, nActions: K } = log;
  const selfNormalized = weighting === Weighting.SelfNormalized;
  return chunkedKernel(
    log.nRounds,
    (start, end, out, c, state) => weightedRewardChunk(start, end, out, c, state, actionDist, checked, P, K, action, pscore, reward, position, selfNormalized, lambda),
    (row) => reportBadRow(log, actionDist, undefined, P, row),
  );
}

function weightedRewardChunk(
  start: number,
  end: number,
  out: Float64Array | undefined,
  c: number,
  state: Float64Array,
  actionDist: Float64Array,
  checked: boolean,
  P: number,
  K: number,
  action: Int32Array,
  pscore: Float64Array,
  reward: Float64Array,
  position: Int32Array | undefined,
  selfNormalized: boolean,
  lambda: number,
): void {
  // Only one of A (clipped IPS) and B (self-normalised) is non-zero: accumulate it as "x" and store it in
  // its own slots, so the loop carries two sums instead of five.
  const xSlot = selfNormalized ? B0 : A0;
  const sumSlot = selfNormalized ? SB : SA;
  const squareSlot = selfNormalized ? SBB : SAA;
  const stride = K * P;
  let x0 = state[xSlot]!;
  let sx = state[sumSlot]!;
  let sxx = state[squareSlot]!;
  let weightSum = state[WEIGHT_SUM]!;
  const cap = selfNormalized ? Infinity : lambda;
  const scale = selfNormalized ? c : 1;
  for (let i = start; i < end; i++) {
    const base = i * stride + (P === 1 ? 0 : position![i]!);
    if (!checked) {
      // The row is a distribution iff its smallest entry is >= 0 and it sums to 1 (NaN fails both).
      // Checked after the inner loop, with no call inside it, which keeps the loop fast.
      let mass = 0;
      let smallest = 0;
      const stop = base + K * P;
      for (let k = base; k < stop; k += P) {
        const p = actionDist[k]!;
        mass += p;
        smallest = p < smallest ? p : smallest;
      }
      if (!(smallest >= 0 && Math.abs(mass - 1) <= DISTRIBUTION_TOLERANCE)) {
        state[BAD_ROW] = i;
        return;
      }
    }
    const w = actionDist[base + action[i]! * P]! / pscore[i]!;
    weightSum += w;
    const x = (w < cap ? w : cap) * reward[i]!;
    if (i === 0) x0 = x;
    const dx = x - x0;
    sx += dx;
    sxx += dx * dx;
    if (out) out[i] = x * scale;
  }
  state[xSlot] = x0;
  state[sumSlot] = sx;
  state[squareSlot] = sxx;
  state[WEIGHT_SUM] = weightSum;
}

/**
 * DR family: A = q̂(x, π_e) (+ ŵ·(r − q̂(x, a)) except for SNDR), B = w·(r − q̂(x, a)) for SNDR.
 * DM is Switch with λ < 0 (no correction anywhere).
 */
function doublyRobustKernel(log: BanditLog, policy: PolicyDistribution, estimatedRewards: Float64Array, weighting: Weighting, lambda: number): Kernel {
  // The rows are read in full anyway (for q̂(x, π_e)), so they are checked whatever the input type.
  const actionDist = distributionValues(log, policy);
  const P = positionsOf(log, actionDist, 'actionDist');
  checkSameLayout(log, actionDist, estimatedRewards, 'estimatedRewards');
  const { action, pscore, reward, position, nActions: K } = log;
  return chunkedKernel(
    log.nRounds,
    (start, end, out, c, state) => doublyRobustChunk(start, end, out, c, state, actionDist, estimatedRewards, P, K, action, pscore, reward, position, weighting, lambda),
    (row) => reportBadRow(log, actionDist, estimatedRewards, P, row),
  );
}

function doublyRobustChunk(
  start: number,
  end: number,
  out: Float64Array | undefined,
  c: number,
  state: Float64Array,
  actionDist: Float64Array,
  estimatedRewards: Float64Array,
  P: number,
  K: number,
  action: Int32Array,
  pscore: Float64Array,
  reward: Float64Array,
  position: Int32Array | undefined,
  weighting: Weighting,
  lambda: number,
): void {
  const stride = K * P;
  let a0 = state[A0]!;
  let b0 = state[B0]!;
  let sa = state[SA]!;
  let sb = state[SB]!;
  let saa = state[SAA]!;
  let sbb = state[SBB]!;
  let sab = state[SAB]!;
  let weightSum = state[WEIGHT_SUM]!;
  for (let i = start; i < end; i++) {
    const base = i * stride + (P === 1 ? 0 : position![i]!);
    let dmValue = 0;
    let mass = 0;
    let smallest = 0;
    let qSum = 0;
    const stop = base + K * P;
    for (let k = base; k < stop; k += P) {
      const p = actionDist[k]!;
      const q = estimatedRewards[k]!;
      dmValue += p * q;
      mass += p;
      qSum += q;
      smallest = p < smallest ? p : smallest;
    }
    // qSum is finite iff every q̂ is (a NaN or ±Infinity makes it NaN or infinite).
    if (!(smallest >= 0 && Math.abs(mass - 1) <= DISTRIBUTION_TOLERANCE && qSum - qSum === 0)) {
      state[BAD_ROW] = i;
      return;
    }
    const k = base + action[i]! * P;
    const w = actionDist[k]! / pscore[i]!;
    const residual = reward[i]! - estimatedRewards[k]!;
    weightSum += w;
    let wHat: number;
    if (weighting === Weighting.Clip) wHat = w < lambda ? w : lambda;
    else if (weighting === Weighting.Switch) wHat = w <= lambda ? w : 0;
    else if (weighting === Weighting.Shrink) {
      // λw/(w² + λ); its limits: w itself as λ → ∞, and 0 at w = 0 (also when λ = 0).
      wHat = lambda === Infinity ? w : w === 0 ? 0 : (lambda * w) / (w * w + lambda);
    } else wHat = 0;
    // numpy's average(q̂, weights=π) divides by Σπ, as OBP.
    const A = dmValue / mass + wHat * residual;
    const B = weighting === Weighting.SelfNormalized ? w * residual : 0;
    if (i === 0) {
      a0 = A;
      b0 = B;
    }
    const da = A - a0;
    const db = B - b0;
    sa += da;
    sb += db;
    saa += da * da;
    sbb += db * db;
    sab += da * db;
    if (out) out[i] = A + c * B;
  }
  state[A0] = a0;
  state[B0] = b0;
  state[SA] = sa;
  state[SB] = sb;
  state[SAA] = saa;
  state[SBB] = sbb;
  state[SAB] = sab;
  state[WEIGHT_SUM] = weightSum;
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

function finish(estimator: EstimatorName, log: BanditLog, kernel: Kernel, options: EstimateOptions): OpeResult {
  const n = log.nRounds;
  const sums = kernel(undefined, 0);
  if ((estimator === 'snips' || estimator === 'sndr') && !(sums.weightSum > 0)) {
    throw new InvalidArgumentError(`${estimator} is undefined: the evaluation policy gives probability 0 to every logged action (all weights are 0)`);
  }
  // The self-normalising constant 1/mean(w) (B is 0 for the other estimators, so c is irrelevant there).
  const c = n / sums.weightSum;
  const cb = sums.sb === 0 && sums.b0 === 0 ? 0 : c;
  const shift = sums.a0 + cb * sums.b0;
  const su = sums.sa + cb * sums.sb;
  const suu = sums.saa + 2 * cb * sums.sab + cb * cb * sums.sbb;
  const estimate = shift + su / n;
  const variance = n > 1 ? Math.max(0, (suu - (su * su) / n) / (n - 1)) : NaN;
  const stdErr = Math.sqrt(variance / n);
  let roundValues: Float64Array | undefined;
  const materialize = (): Float64Array => {
    if (!roundValues) {
      roundValues = new Float64Array(n);
      kernel(roundValues, cb);
    }
    return roundValues;
  };
  const result: { -readonly [K in keyof OpeResult]: OpeResult[K] } = {
    estimator,
    estimate,
    stdErr,
    get roundValues() {
      return materialize();
    },
  } as OpeResult;
  if (options.ci !== undefined) result.ci = bootstrapCI(materialize(), options.ci);
  return result;
}
