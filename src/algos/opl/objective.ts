/**
 * Off-policy learning objectives: an IPS or DR estimate of a softmax policy's value on logged bandit
 * feedback, with optional entropy bonus and L2 penalty, and its exact gradient.
 *
 * With π = softmax(z), w_i = π(a_i|x_i)/π_0(a_i|x_i) (clipped at `maxWeight` when given) and q̂ the reward model:
 *   IPS  J = (1/n) Σ_i w_i r_i
 *   DR   J = (1/n) Σ_i [ Σ_a π(a|x_i) q̂(x_i, a) + w_i (r_i − q̂(x_i, a_i)) ]
 *   plus entropy · (1/n) Σ_i H(π(·|x_i)) − (l2/2) · ||θ||² (the policy's `l2Mask`, default all parameters).
 * The gradient goes through the logits: ∂J/∂z_{i,b} is computed in closed form and mapped back to θ by the
 * policy's `backward`:
 *   IPS  (1/n) w_i r_i (1[b = a_i] − π_ib)                       (0 where the weight is clipped)
 *   DR   (1/n) [ π_ib (q̂_ib − Σ_a π_ia q̂_ia) + w_i (r_i − q̂_{i,a_i}) (1[b = a_i] − π_ib) ]
 *   H    −(1/n) π_ib (log π_ib + H_i)
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import type { BanditLog } from '../../data/bandit-log.js';
import { softmaxRows, type TrainablePolicy } from './policy.js';

export type OplEstimator = 'ips' | 'dr';

export interface OplObjectiveOptions {
  estimator: OplEstimator;
  /** q̂(x_i, a): nRounds × nActions (required for 'dr'). */
  estimatedRewards?: Float64Array;
  /** Weight of the mean policy entropy (default 0). */
  entropy?: number;
  /** L2 penalty coefficient on the parameters (default 0). */
  l2?: number;
  /** Importance weights above this are clipped (default ∞). */
  maxWeight?: number;
}

export const OBJECTIVE_KEYS = ['estimator', 'estimatedRewards', 'entropy', 'l2', 'maxWeight'] as const;

export interface OplObjectiveValue {
  /** The full objective (estimate + entropy bonus − L2 penalty). */
  value: number;
  /** The IPS or DR estimate alone. */
  estimate: number;
  /** ∂value/∂θ (same length as the policy's params). */
  grad: Float64Array;
}

/** Checks the objective options against a log; returns them with defaults filled in. */
export function resolveObjectiveOptions(log: BanditLog, options: OplObjectiveOptions): Required<Omit<OplObjectiveOptions, 'estimatedRewards'>> & { estimatedRewards: Float64Array | undefined } {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`OPL objective options must be an object, got ${describeValue(options)}`);
  checkOptions('OPL objective', options, OBJECTIVE_KEYS);
  const { estimator, estimatedRewards, entropy = 0, l2 = 0, maxWeight = Infinity } = options;
  if (estimator !== 'ips' && estimator !== 'dr') throw new InvalidArgumentError(`OPL objective: estimator must be 'ips' or 'dr', got ${describeValue(estimator)}`);
  if (estimator === 'dr') {
    if (!(estimatedRewards instanceof Float64Array) || estimatedRewards.length !== log.nRounds * log.nActions) {
      throw new InvalidArgumentError(`OPL objective 'dr' needs estimatedRewards: a Float64Array of nRounds × nActions = ${log.nRounds} × ${log.nActions} values, got ${describeValue(estimatedRewards)}`);
    }
    for (let k = 0; k < estimatedRewards.length; k++) {
      if (!Number.isFinite(estimatedRewards[k]!)) {
        throw new InvalidArgumentError(`OPL objective: estimatedRewards row ${Math.floor(k / log.nActions)}, action ${k % log.nActions} must be finite, got ${estimatedRewards[k]}`);
      }
    }
  }
  if (!(entropy >= 0 && entropy < Infinity)) throw new InvalidArgumentError(`OPL objective: entropy must be a finite number >= 0, got ${describeValue(entropy)}`);
  if (!(l2 >= 0 && l2 < Infinity)) throw new InvalidArgumentError(`OPL objective: l2 must be a finite number >= 0, got ${describeValue(l2)}`);
  if (!(maxWeight > 0)) throw new InvalidArgumentError(`OPL objective: maxWeight must be > 0 (Infinity for no clipping), got ${describeValue(maxWeight)}`);
  return { estimator, estimatedRewards: estimator === 'dr' ? estimatedRewards : undefined, entropy, l2, maxWeight };
}

/** The objective and its gradient for the policy's current parameters on (a subset of) the log's rounds. */
export function oplObjective(policy: TrainablePolicy, log: BanditLog, options: OplObjectiveOptions, rows?: Int32Array): OplObjectiveValue {
  const opts = resolveObjectiveOptions(log, options);
  checkPolicyFits(policy, log);
  return evaluateObjective(policy, log, opts, rows);
}

/** `oplObjective` without re-checking options (the trainer checks once, then calls this every step). */
export function evaluateObjective(
  policy: TrainablePolicy,
  log: BanditLog,
  opts: ReturnType<typeof resolveObjectiveOptions>,
  rows?: Int32Array,
): OplObjectiveValue {
  const K = log.nActions;
  const d = log.dimContext;
  const m = rows ? rows.length : log.nRounds;
  // Gather the rows (a minibatch) into contiguous arrays.
  const context = rows ? new Float64Array(m * d) : log.context;
  if (rows) for (let j = 0; j < m; j++) context.set(log.context.subarray(rows[j]! * d, rows[j]! * d + d), j * d);
  const row = (j: number) => (rows ? rows[j]! : j);

  const pi = softmaxRows(policy.logits(context, m), m, K);
  const logitGrad = new Float64Array(m * K);
  const q = opts.estimatedRewards;
  let estimate = 0;
  let entropySum = 0;
  for (let j = 0; j < m; j++) {
    const i = row(j);
    const o = j * K;
    const a = log.action[i]!;
    const rawW = pi[o + a]! / log.pscore[i]!;
    const clipped = rawW > opts.maxWeight;
    const w = clipped ? opts.maxWeight : rawW;
    let residual = log.reward[i]!;
    if (q) {
      const qo = i * K;
      let dmValue = 0;
      for (let b = 0; b < K; b++) dmValue += pi[o + b]! * q[qo + b]!;
      residual -= q[qo + a]!;
      estimate += dmValue;
      for (let b = 0; b < K; b++) logitGrad[o + b] = pi[o + b]! * (q[qo + b]! - dmValue);
    }
    estimate += w * residual;
    if (!clipped) {
      const coef = w * residual;
      for (let b = 0; b < K; b++) logitGrad[o + b] = logitGrad[o + b]! - coef * pi[o + b]!;
      logitGrad[o + a] = logitGrad[o + a]! + coef;
    }
    if (opts.entropy > 0) {
      let h = 0;
      for (let b = 0; b < K; b++) {
        const p = pi[o + b]!;
        if (p > 0) h -= p * Math.log(p);
      }
      entropySum += h;
      for (let b = 0; b < K; b++) {
        const p = pi[o + b]!;
        if (p > 0) logitGrad[o + b] = logitGrad[o + b]! - opts.entropy * p * (Math.log(p) + h);
      }
    }
  }
  for (let k = 0; k < logitGrad.length; k++) logitGrad[k] = logitGrad[k]! / m;
  const grad = new Float64Array(policy.params.length);
  policy.backward(context, m, logitGrad, grad);
  estimate /= m;
  let value = estimate + (opts.entropy * entropySum) / m;
  if (opts.l2 > 0) {
    const theta = policy.params;
    let sq = 0;
    for (let k = 0; k < theta.length; k++) {
      sq += theta[k]! * theta[k]!;
      grad[k] = grad[k]! - opts.l2 * theta[k]!;
    }
    value -= 0.5 * opts.l2 * sq;
  }
  return { value, estimate, grad };
}

export function checkPolicyFits(policy: TrainablePolicy, log: BanditLog): void {
  if (!policy || typeof policy.logits !== 'function' || typeof policy.backward !== 'function' || !(policy.params instanceof Float64Array)) {
    throw new InvalidArgumentError(`OPL needs a TrainablePolicy (params, logits, backward), got ${describeValue(policy)}`);
  }
  if (policy.nActions !== log.nActions) throw new InvalidArgumentError(`OPL: the policy has ${policy.nActions} actions but the log has ${log.nActions}`);
  if (policy.dimContext !== log.dimContext) throw new InvalidArgumentError(`OPL: the policy expects ${policy.dimContext} context features but the log has ${log.dimContext}`);
}
