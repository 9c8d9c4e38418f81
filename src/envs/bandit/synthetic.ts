/**
 * Synthetic logged bandit feedback, the equivalent of Open Bandit Pipeline's `SyntheticBanditDataset`
 * (obp/dataset/synthetic.py), with the exact ground truth so that true policy values are known.
 *
 * Same generative model as OBP:
 * - contexts x ~ N(0, I_d); actions described by `actionContext` (one-hot by default);
 * - expected reward q(x, a) from a reward function (`logisticRewardFunction`, `linearRewardFunction`, or
 *   yours); without one, q(a) ~ U(0, 1) independent of x;
 * - behaviour policy π_b(·|x) = softmax(β · q(x, ·)) (or of `behaviorPolicyFunction`'s logits), with
 *   `nDeficientActions` actions per round given probability 0 (a uniformly random subset);
 * - binary rewards r ~ Bernoulli(q(x, a)); continuous rewards r ~ N(μ(x, a), rewardStd²) truncated to
 *   [0, 1e10], whose mean E[r|x,a] is reported as `expectedReward` (and used as the behaviour logits).
 *
 * Differences from OBP, on purpose (the distributions are otherwise the same; the arrays cannot be, numpy's
 * generator differs from Teleo's `Rng`):
 * - OBP re-seeds action sampling and the truncated-normal draws with the fixed `random_state` on every
 *   batch, so two batches from one dataset share those draws; here one stream runs through all batches.
 * - OBP draws continuous rewards around the already-truncated mean, so their true mean differs slightly
 *   from its `expected_reward`; here rewards are drawn around μ, so `expectedReward` is exactly E[r|x,a].
 * Kept as OBP computes it: the reward functions' "z-score" step subtracts mean/std from every logit
 * (`q - q.mean() / q.std()`, Python's precedence), not (q − mean)/std; `zScore: false` skips it. The
 * coefficients of the reward and behaviour functions are drawn from a stream fixed by the seed, so every
 * batch of a dataset shares them, as in OBP.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Rng, assertValidSeed } from '../../core/rng.js';
import { BanditLog } from '../../data/bandit-log.js';
import { sampleTruncatedNormal, truncatedNormalMean } from './truncated-normal.js';

/** What a reward or behaviour function sees: n contexts (row-major) and the action features. */
export interface BanditFunctionInput {
  context: Float64Array;
  nRounds: number;
  dimContext: number;
  actionContext: Float64Array;
  nActions: number;
  dimActionContext: number;
  /** A generator for the function's coefficients; the same stream (same draws) on every call of a dataset. */
  rng: Rng;
}

/** Returns an n × nActions row-major array (expected rewards, or behaviour-policy logits). */
export type BanditFunction = (input: BanditFunctionInput) => Float64Array;

export type RewardType = 'binary' | 'continuous';

export interface SyntheticBanditOptions {
  nActions: number;
  dimContext?: number;
  rewardType?: RewardType;
  /** q(x, a); `undefined` gives context-free q(a) ~ U(0, 1). Binary rewards need values in [0, 1]. */
  rewardFunction?: BanditFunction;
  /** Standard deviation of continuous rewards (before truncation). */
  rewardStd?: number;
  /** nActions × dimActionContext features (row-major); one-hot when omitted. */
  actionContext?: Float64Array;
  /** Logits of the behaviour policy; `undefined` uses the expected reward. */
  behaviorPolicyFunction?: BanditFunction;
  /** Inverse temperature of the softmax behaviour policy (negative: worse than uniform). */
  beta?: number;
  nDeficientActions?: number;
  seed?: number;
}

const OPTION_KEYS = [
  'nActions',
  'dimContext',
  'rewardType',
  'rewardFunction',
  'rewardStd',
  'actionContext',
  'behaviorPolicyFunction',
  'beta',
  'nDeficientActions',
  'seed',
] as const;

/** Lower and upper truncation of continuous rewards, as in OBP. */
const CONTINUOUS_REWARD_MIN = 0;

export interface SyntheticBanditBatch {
  log: BanditLog;
  /** q(x_i, a): n × nActions, row-major (the mean reward of each action in each round). */
  expectedReward: Float64Array;
  /** π_b(a | x_i): n × nActions, row-major. */
  piB: Float64Array;
  /** Exact value Σ_i Σ_a π(a|x_i) q(x_i, a) / n of a policy given as an n × nActions distribution. */
  policyValue(actionDist: Float64Array): number;
}

export class SyntheticBanditDataset {
  readonly nActions: number;
  readonly dimContext: number;
  readonly rewardType: RewardType;
  readonly rewardStd: number;
  readonly beta: number;
  readonly nDeficientActions: number;
  readonly seed: number;
  readonly actionContext: Float64Array;
  readonly dimActionContext: number;
  private readonly rewardFunction: BanditFunction | undefined;
  private readonly behaviorPolicyFunction: BanditFunction | undefined;
  /** Context-free expected rewards when no reward function is given. */
  private readonly contextFreeReward: Float64Array | undefined;
  private readonly rewardCoefState: readonly number[];
  private readonly behaviorCoefState: readonly number[];
  private readonly rng: Rng;

  constructor(options: SyntheticBanditOptions) {
    checkOptions('SyntheticBanditDataset', options, OPTION_KEYS);
    const {
      nActions,
      dimContext = 1,
      rewardType = 'binary',
      rewardStd = 1,
      beta = 1,
      nDeficientActions = 0,
      seed = 12345,
    } = options;
    if (!Number.isSafeInteger(nActions) || nActions < 2) throw new InvalidArgumentError(`nActions must be an integer >= 2, got ${describeValue(nActions)}`);
    if (!Number.isSafeInteger(dimContext) || dimContext < 1) throw new InvalidArgumentError(`dimContext must be an integer >= 1, got ${describeValue(dimContext)}`);
    if (rewardType !== 'binary' && rewardType !== 'continuous') {
      throw new InvalidArgumentError(`rewardType must be 'binary' or 'continuous', got ${describeValue(rewardType)}`);
    }
    if (!(rewardStd > 0 && rewardStd < Infinity)) throw new InvalidArgumentError(`rewardStd must be positive and finite, got ${describeValue(rewardStd)}`);
    if (!Number.isFinite(beta)) throw new InvalidArgumentError(`beta must be a finite number, got ${describeValue(beta)}`);
    if (!Number.isSafeInteger(nDeficientActions) || nDeficientActions < 0 || nDeficientActions > nActions - 1) {
      throw new InvalidArgumentError(`nDeficientActions must be an integer in [0, nActions - 1 = ${nActions - 1}], got ${describeValue(nDeficientActions)}`);
    }
    assertValidSeed(seed);
    for (const key of ['rewardFunction', 'behaviorPolicyFunction'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'function') {
        throw new InvalidArgumentError(`${key} must be a function, got ${describeValue(options[key])}`);
      }
    }
    this.nActions = nActions;
    this.dimContext = dimContext;
    this.rewardType = rewardType;
    this.rewardStd = rewardStd;
    this.beta = beta;
    this.nDeficientActions = nDeficientActions;
    this.seed = seed;
    this.rewardFunction = options.rewardFunction;
    this.behaviorPolicyFunction = options.behaviorPolicyFunction;

    if (options.actionContext === undefined) {
      this.actionContext = new Float64Array(nActions * nActions);
      for (let a = 0; a < nActions; a++) this.actionContext[a * nActions + a] = 1;
      this.dimActionContext = nActions;
    } else {
      const ac = options.actionContext;
      if (!(ac instanceof Float64Array) || ac.length === 0 || ac.length % nActions !== 0 || !ac.every(Number.isFinite)) {
        throw new InvalidArgumentError(`actionContext must be a finite Float64Array of nActions (${nActions}) × k values, got ${describeValue(ac)}`);
      }
      this.actionContext = ac;
      this.dimActionContext = ac.length / nActions;
    }

    // Separate streams: the data stream, and fixed coefficient streams re-created for every batch.
    const [rewardCoef, behaviorCoef, contextFree, data] = Rng.fromSeed(seed).spawn(4) as [Rng, Rng, Rng, Rng];
    this.rewardCoefState = rewardCoef.getState();
    this.behaviorCoefState = behaviorCoef.getState();
    this.rng = data;
    if (this.rewardFunction === undefined) {
      this.contextFreeReward = new Float64Array(nActions);
      for (let a = 0; a < nActions; a++) this.contextFreeReward[a] = contextFree.random();
    }
  }

  /** q(x, a) for n contexts (n × nActions), before the truncation correction of continuous rewards. */
  calcExpectedReward(context: Float64Array, nRounds: number): Float64Array {
    const K = this.nActions;
    if (this.contextFreeReward) {
      const out = new Float64Array(nRounds * K);
      for (let i = 0; i < nRounds; i++) out.set(this.contextFreeReward, i * K);
      return out;
    }
    const q = this.rewardFunction!(this.functionInput(context, nRounds, this.rewardCoefState));
    checkFunctionOutput(q, nRounds * K, 'rewardFunction');
    return q;
  }

  /** A new batch of n rounds; successive calls continue the dataset's random stream. */
  obtainBatch(nRounds: number): SyntheticBanditBatch {
    if (!Number.isSafeInteger(nRounds) || nRounds < 1) throw new InvalidArgumentError(`nRounds must be a positive integer, got ${describeValue(nRounds)}`);
    const K = this.nActions;
    const d = this.dimContext;
    const rng = this.rng;
    const context = rng.fillNormal(new Float64Array(nRounds * d));

    const mu = this.calcExpectedReward(context, nRounds);
    let expectedReward = mu;
    if (this.rewardType === 'continuous') {
      expectedReward = new Float64Array(mu.length);
      for (let k = 0; k < mu.length; k++) expectedReward[k] = truncatedNormalMean(mu[k]!, this.rewardStd, CONTINUOUS_REWARD_MIN);
    } else {
      for (let k = 0; k < mu.length; k++) {
        const p = mu[k]!;
        if (!(p >= 0 && p <= 1)) {
          throw new InvalidArgumentError(`binary rewards need expected rewards in [0, 1]; rewardFunction gave ${p} at round ${Math.floor(k / K)}, action ${k % K}`);
        }
      }
    }

    let logits = expectedReward;
    if (this.behaviorPolicyFunction) {
      logits = this.behaviorPolicyFunction(this.functionInput(context, nRounds, this.behaviorCoefState));
      checkFunctionOutput(logits, nRounds * K, 'behaviorPolicyFunction');
    }
    const piB = this.behaviorPolicy(logits, nRounds);

    const action = new Int32Array(nRounds);
    const pscore = new Float64Array(nRounds);
    const reward = new Float64Array(nRounds);
    for (let i = 0; i < nRounds; i++) {
      // Inverse-CDF draw: the first action whose cumulative probability exceeds u (OBP's sample_action_fast).
      const u = rng.random();
      let cum = 0;
      let a = -1;
      let lastSupported = 0;
      for (let j = 0; j < K; j++) {
        const p = piB[i * K + j]!;
        if (p > 0) lastSupported = j;
        cum += p;
        if (cum > u) {
          a = j;
          break;
        }
      }
      if (a < 0) a = lastSupported; // rounding left the cumulative sum just below u
      action[i] = a;
      pscore[i] = piB[i * K + a]!;
      reward[i] =
        this.rewardType === 'binary'
          ? rng.random() < mu[i * K + a]!
            ? 1
            : 0
          : sampleTruncatedNormal(rng, mu[i * K + a]!, this.rewardStd, CONTINUOUS_REWARD_MIN);
    }

    const log = new BanditLog({
      nActions: K,
      dimContext: d,
      context,
      action,
      reward,
      pscore,
      actionContext: this.actionContext,
      dimActionContext: this.dimActionContext,
    });
    return {
      log,
      expectedReward,
      piB,
      policyValue: (actionDist: Float64Array) => policyValue(expectedReward, actionDist, K),
    };
  }

  private functionInput(context: Float64Array, nRounds: number, coefState: readonly number[]): BanditFunctionInput {
    return {
      context,
      nRounds,
      dimContext: this.dimContext,
      actionContext: this.actionContext,
      nActions: this.nActions,
      dimActionContext: this.dimActionContext,
      rng: Rng.fromState(coefState),
    };
  }

  /** softmax(β · logits) per round, over a random subset of nActions − nDeficientActions actions. */
  private behaviorPolicy(logits: Float64Array, nRounds: number): Float64Array {
    const K = this.nActions;
    const piB = new Float64Array(nRounds * K);
    const supported = new Uint8Array(K);
    const order = new Int32Array(K);
    const nSupported = K - this.nDeficientActions;
    for (let i = 0; i < nRounds; i++) {
      const row = i * K;
      if (this.nDeficientActions > 0) {
        // A uniformly random subset of nSupported actions (OBP takes the top of Gumbel noise: same law).
        for (let j = 0; j < K; j++) order[j] = j;
        supported.fill(0);
        for (let j = 0; j < nSupported; j++) {
          const k = this.rng.integers(j, K);
          const tmp = order[j]!;
          order[j] = order[k]!;
          order[k] = tmp;
          supported[order[j]!] = 1;
        }
      } else {
        supported.fill(1);
      }
      let max = -Infinity;
      for (let j = 0; j < K; j++) if (supported[j] && this.beta * logits[row + j]! > max) max = this.beta * logits[row + j]!;
      let sum = 0;
      for (let j = 0; j < K; j++) {
        const e = supported[j] ? Math.exp(this.beta * logits[row + j]! - max) : 0;
        piB[row + j] = e;
        sum += e;
      }
      for (let j = 0; j < K; j++) piB[row + j] = piB[row + j]! / sum;
    }
    return piB;
  }
}

/** Σ_i Σ_a π(a|x_i) q(x_i, a) / n: the exact value of a policy on the rounds' contexts. */
export function policyValue(expectedReward: Float64Array, actionDist: Float64Array, nActions: number): number {
  if (!(actionDist instanceof Float64Array) || actionDist.length !== expectedReward.length) {
    throw new InvalidArgumentError(
      `actionDist must be a Float64Array of n × nActions = ${expectedReward.length} values, got ${describeValue(actionDist)}`,
    );
  }
  const n = expectedReward.length / nActions;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let value = 0;
    let mass = 0;
    for (let a = 0; a < nActions; a++) {
      const p = actionDist[i * nActions + a]!;
      if (!(p >= 0)) throw new InvalidArgumentError(`actionDist row ${i}, action ${a}: probability must be >= 0, got ${p}`);
      value += p * expectedReward[i * nActions + a]!;
      mass += p;
    }
    if (Math.abs(mass - 1) > 1e-6) throw new InvalidArgumentError(`actionDist row ${i} sums to ${mass}, not 1`);
    total += value;
  }
  return total / n;
}

function checkFunctionOutput(values: unknown, expected: number, name: string): asserts values is Float64Array {
  if (!(values instanceof Float64Array) || values.length !== expected) {
    throw new InvalidArgumentError(`${name} must return a Float64Array of nRounds × nActions = ${expected} values, got ${describeValue(values)}`);
  }
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k]!)) throw new InvalidArgumentError(`${name} returned a non-finite value ${values[k]} at index ${k}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reward and behaviour functions (OBP's degree-1 `_base_reward_function` / `_base_behavior_policy_function`)

/** [1, v_0, ..., v_{m-1}]: sklearn's PolynomialFeatures(degree=1) of a row. */
function withBias(src: Float64Array, offset: number, m: number, out: Float64Array): Float64Array {
  out[0] = 1;
  for (let j = 0; j < m; j++) out[j + 1] = src[offset + j]!;
  return out;
}

/**
 * Linear q(x, a) = x̃ᵀθ_x + ãᵀθ_a + x̃ᵀ M ã with x̃ = [1, x], ã = [1, actionContext[a]], coefficients
 * ~ U(−1, 1) drawn in the order θ_x, θ_a, M (row-major), then OBP's "z-score" (see the file header).
 */
export function linearRewardFunction(input: BanditFunctionInput, options: { zScore?: boolean } = {}): Float64Array {
  checkOptions('linearRewardFunction', options, ['zScore']);
  const { context, nRounds: n, dimContext: d, actionContext, nActions: K, dimActionContext: k, rng } = input;
  const dx = d + 1;
  const da = k + 1;
  const thetaX = new Float64Array(dx);
  const thetaA = new Float64Array(da);
  const M = new Float64Array(dx * da);
  rng.fillUniform(thetaX, -1, 1);
  rng.fillUniform(thetaA, -1, 1);
  rng.fillUniform(M, -1, 1);

  const actionFeatures = new Float64Array(K * da);
  const actionValue = new Float64Array(K);
  const tmp = new Float64Array(da);
  for (let a = 0; a < K; a++) {
    const at = withBias(actionContext, a * k, k, tmp);
    actionFeatures.set(at, a * da);
    let v = 0;
    for (let j = 0; j < da; j++) v += thetaA[j]! * at[j]!;
    actionValue[a] = v;
  }
  const q = new Float64Array(n * K);
  const xt = new Float64Array(dx);
  const xM = new Float64Array(da);
  for (let i = 0; i < n; i++) {
    withBias(context, i * d, d, xt);
    let cv = 0;
    for (let j = 0; j < dx; j++) cv += thetaX[j]! * xt[j]!;
    xM.fill(0);
    for (let r = 0; r < dx; r++) {
      const xr = xt[r]!;
      for (let c = 0; c < da; c++) xM[c] = xM[c]! + xr * M[r * da + c]!;
    }
    for (let a = 0; a < K; a++) {
      let inter = 0;
      for (let c = 0; c < da; c++) inter += xM[c]! * actionFeatures[a * da + c]!;
      q[i * K + a] = cv + actionValue[a]! + inter;
    }
  }
  if (options.zScore ?? true) {
    const { mean, std } = meanStd(q);
    const shift = mean / std; // OBP: `q - q.mean() / q.std()`
    for (let j = 0; j < q.length; j++) q[j] = q[j]! - shift;
  }
  return q;
}

/** Logistic q(x, a) = sigmoid(linear q): expected binary rewards (OBP's `logistic_reward_function`). */
export function logisticRewardFunction(input: BanditFunctionInput, options: { zScore?: boolean } = {}): Float64Array {
  const q = linearRewardFunction(input, options);
  for (let j = 0; j < q.length; j++) q[j] = 1 / (1 + Math.exp(-q[j]!));
  return q;
}

/**
 * Behaviour logits f(x, a) = x̃ᵀ M ã + θ_aᵀ ã with θ_a, M ~ U(0, 1), standardised over the batch
 * ((f − mean)/std): OBP's `linear_behavior_policy`.
 */
export function linearBehaviorPolicy(input: BanditFunctionInput): Float64Array {
  const { context, nRounds: n, dimContext: d, actionContext, nActions: K, dimActionContext: k, rng } = input;
  const dx = d + 1;
  const da = k + 1;
  const thetaA = rng.fillUniform(new Float64Array(da));
  const M = rng.fillUniform(new Float64Array(dx * da));
  const logits = new Float64Array(n * K);
  const xt = new Float64Array(dx);
  const at = new Float64Array(da);
  const xM = new Float64Array(da);
  for (let i = 0; i < n; i++) {
    withBias(context, i * d, d, xt);
    xM.fill(0);
    for (let r = 0; r < dx; r++) for (let c = 0; c < da; c++) xM[c] = xM[c]! + xt[r]! * M[r * da + c]!;
    for (let a = 0; a < K; a++) {
      withBias(actionContext, a * k, k, at);
      let v = 0;
      for (let c = 0; c < da; c++) v += (xM[c]! + thetaA[c]!) * at[c]!;
      logits[i * K + a] = v;
    }
  }
  const { mean, std } = meanStd(logits);
  for (let j = 0; j < logits.length; j++) logits[j] = (logits[j]! - mean) / std;
  return logits;
}

/** Mean and population standard deviation (numpy's default ddof = 0). */
function meanStd(values: Float64Array): { mean: number; std: number } {
  let mean = 0;
  for (let j = 0; j < values.length; j++) mean += values[j]!;
  mean /= values.length;
  let ss = 0;
  for (let j = 0; j < values.length; j++) ss += (values[j]! - mean) ** 2;
  return { mean, std: Math.sqrt(ss / values.length) };
}
