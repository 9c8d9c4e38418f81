/**
 * The GRPO-family policy loss on a batch of N response sequences padded to T tokens: the PPO clipped
 * surrogate with a configurable clip rule, optional dual-clip, optional k3 KL to a reference policy, and
 * one of the loss aggregations of verl / TRL / DCPO. Differentiable w.r.t. the current log-probs only
 * (everything else is a constant), through kernels that have gradients in `src/nn/gradients.ts`.
 *
 * Per token (r = exp(clamp(log π − log π_old, −20, 20)); verl clamps the log-ratio the same way):
 *   ℓ = max(−A·r, −A·clip(r, lo, hi))                             (PPO pessimistic surrogate)
 *   ℓ = min(ℓ, −A·c)  only where A < 0, when dual-clip c is set   (verl `clip_ratio_c`; Ye et al. 2020)
 *   ℓ += klCoef · k3,  k3 = clamp(e^d − d − 1, −10, 10), d = clamp(log π_ref − log π, −20, 20)
 *     (verl `kl_penalty` 'low_var_kl'; TRL adds β·k3 per token before aggregating, which is the same because
 *     the aggregation is linear; verl aggregates the KL with the same mode and adds it times kl_loss_coef.)
 * Clip rules: 'symmetric' [1−ε, 1+ε] (epsLow = epsHigh = ε); 'decoupled' [1−ε_low, 1+ε_high] (DAPO clip-higher);
 * 'dcpo-dynamic' per-token [lo(q), hi(q)] from q = π_old(token), see `dcpoRatioBounds`.
 * Dual-clip composes with every rule the same way: it only caps the loss of negative-advantage tokens whose
 * ratio exceeds c, independently of ε_low/ε_high (verl `compute_policy_loss_vanilla`, DCPO `compute_policy_loss_dcpo`).
 *
 * Aggregations (each is Σ_{i,t} w_{i,t}·ℓ_{i,t} with m the mask, so they are computed as one weighted sum):
 *   'token-mean'              Σ mℓ / Σ m                                   (DAPO; TRL 'bnpo'/'dapo')
 *   'seq-mean-token-mean'     mean over sequences with tokens of Σ_t mℓ / Σ_t m   (original GRPO; TRL 'grpo')
 *   'seq-mean-token-sum'      mean over sequences with tokens of Σ_t mℓ
 *   'seq-mean-token-sum-norm' Σ mℓ / (N · maxResponseLength)                (Dr.GRPO)
 *   'group-token-mean-sum'    Σ_groups (Σ_{group} mℓ / Σ_{group} m)          (DCPO only-token-mean)
 * Dr.GRPO's constant: TRL's `dr_grpo` and the Dr.GRPO paper divide the batch sum by N·L_max (L_max = the
 * generation budget, `max_completion_length`); verl's `seq-mean-token-sum-norm` divides by L_max only (its
 * `loss_scale_factor`, default the padded response length). We follow TRL: the two differ by the constant N,
 * i.e. only a learning-rate scale. DCPO's only-token-mean is `masked_mean(...).sum()` per micro-batch with one
 * prompt's group per micro-batch; we take one group per `groupOf` value and sum over groups.
 *
 * Statistics (over masked tokens; verl's definitions): clipFractionHigh = A > 0 and r > hi, clipFractionLow =
 * A < 0 and r < lo (the tokens where the clipped branch is the active, strictly larger loss: verl `pg_clipfrac`
 * = low + high, TRL `clip_ratio/low_mean`, `high_mean`); dualClipFraction = A < 0 and r > c (verl's
 * `pg_clipfrac_lower`); approxKl = mean((r − 1) − log r) to π_old (the k3 estimator, as Teleo's PPO logs; verl's
 * `ppo_kl` is the k1 mean(log π_old − log π)); klToRef = mean k3 to the reference (0 without one); ratioMean.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import '../../nn/gradients.js';

export type ClipRuleType = 'symmetric' | 'decoupled' | 'dcpo-dynamic';
export const CLIP_RULE_TYPES: readonly ClipRuleType[] = ['symmetric', 'decoupled', 'dcpo-dynamic'];

export interface ClipRule {
  type: ClipRuleType;
  epsLow: number;
  epsHigh: number;
  /** Dual-clip constant c > 1 for negative advantages (verl `clip_ratio_c`); undefined: off. */
  dualClipC?: number;
  /**
   * 'dcpo-dynamic' only: cap on the upper ratio bound. Default max(dualClipC, 10), as DCPO's
   * `get_clip_low_high` (`clip_ratio_c = max(clip_ratio_c, 10)`; the bound for q → 0 is unbounded otherwise).
   */
  ratioCap?: number;
}

export type LossAggregation = 'token-mean' | 'seq-mean-token-mean' | 'seq-mean-token-sum' | 'seq-mean-token-sum-norm' | 'group-token-mean-sum';
export const LOSS_AGGREGATION_MODES: readonly LossAggregation[] = ['token-mean', 'seq-mean-token-mean', 'seq-mean-token-sum', 'seq-mean-token-sum-norm', 'group-token-mean-sum'];

export interface PolicyLossInput {
  /** [N, T] log-probs of the response tokens under the current policy (differentiable). */
  logProbs: tf.Tensor2D;
  /** [N·T] log-probs of the same tokens under π_old. */
  oldLogProbs: Float32Array;
  /** [N·T] log-probs under the reference policy (for the KL term and `klToRef`). */
  refLogProbs?: Float32Array;
  /** [N] per sequence (broadcast over its tokens) or [N·T] per token. */
  advantages: Float32Array;
  /** [N·T] 1 = a response token counted in the loss, 0 = not (prompt, padding, tool output). */
  mask: Float32Array;
  /** [N] group (prompt) index of each sequence; required by 'group-token-mean-sum'. */
  groupOf?: Int32Array;
  /** Dr.GRPO's constant L_max; required by 'seq-mean-token-sum-norm'. */
  maxResponseLength?: number;
}

export interface PolicyLossConfig {
  clip: ClipRule;
  aggregation: LossAggregation;
  /** Coefficient of the k3 KL to the reference (verl `kl_loss_coef`, TRL `beta`); default 0. */
  klCoef?: number;
}

export interface PolicyLossStats {
  clipFraction: number;
  clipFractionLow: number;
  clipFractionHigh: number;
  dualClipFraction: number;
  approxKl: number;
  klToRef: number;
  ratioMean: number;
  /** Number of masked (counted) tokens the fractions are over. */
  tokenCount: number;
}

const LOG_RATIO_LIMIT = 20;
const K3_LIMIT = 10;
/** Stand-in for "no dual-clip cap" on tokens with A ≥ 0 (finite, so no Inf arithmetic in float32). */
const NO_CAP = 3e38;

/**
 * DCPO's dynamic-adaptive ratio bounds for a token whose old probability is q (lime-RL/DCPO `get_clip_low_high`):
 *   lo = ½ + ½·√max(1 − 4ε_low/q, 0),   hi = min(½ + ½·√(1 + 4ε_high/q), cap)   (cap default 10).
 * They solve |(p/q − 1)·p| ≤ ε with p = r·q. For q = 0 we return the limit [½, cap] (the released code returns
 * lo = 1 at exactly q = 0, a discontinuity that only float underflow can reach).
 */
export function dcpoRatioBounds(oldProb: number, epsLow: number, epsHigh: number, cap = 10): [number, number] {
  if (!Number.isFinite(oldProb) || oldProb < 0 || oldProb > 1 + 1e-5) throw new InvalidArgumentError(`oldProb must be a probability in [0, 1], got ${describeValue(oldProb)}`);
  checkPositive('epsLow', epsLow);
  checkPositive('epsHigh', epsHigh);
  if (!(cap > 1) || !Number.isFinite(cap)) throw new InvalidArgumentError(`cap must be a finite number > 1, got ${describeValue(cap)}`);
  return boundsUnchecked(oldProb, epsLow, epsHigh, cap);
}

function boundsUnchecked(q: number, epsLow: number, epsHigh: number, cap: number): [number, number] {
  if (q <= 0) return [0.5, cap];
  const lo = 0.5 + 0.5 * Math.sqrt(Math.max(1 - (4 * epsLow) / q, 0));
  const hi = Math.min(0.5 + 0.5 * Math.sqrt(1 + (4 * epsHigh) / q), cap);
  return [lo, hi];
}

function checkPositive(name: string, value: number): void {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new InvalidArgumentError(`${name} must be a finite number > 0, got ${describeValue(value)}`);
}

/** Validates a clip rule; returns the dual-clip constant (or null) and the dcpo cap. */
export function checkClipRule(rule: ClipRule): { dualClipC: number | null; ratioCap: number } {
  if (typeof rule !== 'object' || rule === null) throw new InvalidArgumentError(`clip rule must be an object, got ${describeValue(rule)}`);
  checkOptions('ClipRule', rule, ['type', 'epsLow', 'epsHigh', 'dualClipC', 'ratioCap']);
  if (!CLIP_RULE_TYPES.includes(rule.type)) throw new InvalidArgumentError(`Unknown clip rule type ${describeValue(rule.type)} (expected one of: ${CLIP_RULE_TYPES.join(', ')})`);
  checkPositive('epsLow', rule.epsLow);
  checkPositive('epsHigh', rule.epsHigh);
  if (rule.type !== 'dcpo-dynamic' && rule.epsLow >= 1) throw new InvalidArgumentError(`epsLow must be below 1 (the lower ratio bound is 1 − epsLow), got ${rule.epsLow}`);
  if (rule.type === 'symmetric' && rule.epsLow !== rule.epsHigh) {
    throw new InvalidArgumentError(`'symmetric' clipping uses one ε, but epsLow is ${rule.epsLow} and epsHigh ${rule.epsHigh} (use 'decoupled')`);
  }
  const c = rule.dualClipC;
  if (c !== undefined && (!(c > 1) || !Number.isFinite(c))) throw new InvalidArgumentError(`dualClipC must be a finite number > 1, got ${describeValue(c)}`);
  if (rule.ratioCap !== undefined && rule.type !== 'dcpo-dynamic') throw new InvalidArgumentError(`ratioCap applies only to 'dcpo-dynamic' clipping (got type '${rule.type}')`);
  const ratioCap = rule.ratioCap ?? Math.max(c ?? 10, 10);
  if (!(ratioCap > 1) || !Number.isFinite(ratioCap)) throw new InvalidArgumentError(`ratioCap must be a finite number > 1, got ${describeValue(rule.ratioCap)}`);
  return { dualClipC: c ?? null, ratioCap };
}

/**
 * Per-token weights w with loss = Σ w·ℓ for an aggregation (see the header). Sequences or groups without any
 * masked token get weight 0 and are not counted in the means; an all-masked batch gives all-zero weights.
 */
export function aggregationWeights(
  mask: Float32Array,
  n: number,
  t: number,
  aggregation: LossAggregation,
  options: { groupOf?: Int32Array; maxResponseLength?: number } = {},
): Float32Array {
  if (!LOSS_AGGREGATION_MODES.includes(aggregation)) {
    throw new InvalidArgumentError(`Unknown loss aggregation ${describeValue(aggregation)} (expected one of: ${LOSS_AGGREGATION_MODES.join(', ')})`);
  }
  if (mask.length !== n * t) throw new InvalidArgumentError(`mask has ${mask.length} entries, expected N·T = ${n}·${t} = ${n * t}`);
  const rowCounts = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let j = i * t; j < (i + 1) * t; j++) {
      const m = mask[j]!;
      if (m !== 0 && m !== 1) throw new InvalidArgumentError(`mask[${j}] must be 0 or 1, got ${describeValue(m)}`);
      c += m;
    }
    rowCounts[i] = c;
    total += c;
  }
  const rowWeight = new Float64Array(n); // weight of each counted token of row i
  switch (aggregation) {
    case 'token-mean':
      rowWeight.fill(total > 0 ? 1 / total : 0);
      break;
    case 'seq-mean-token-mean':
    case 'seq-mean-token-sum': {
      let sequences = 0;
      for (let i = 0; i < n; i++) if (rowCounts[i]! > 0) sequences++;
      for (let i = 0; i < n; i++) {
        if (rowCounts[i]! === 0) continue;
        rowWeight[i] = aggregation === 'seq-mean-token-mean' ? 1 / (rowCounts[i]! * sequences) : 1 / sequences;
      }
      break;
    }
    case 'seq-mean-token-sum-norm': {
      const lMax = options.maxResponseLength;
      if (lMax === undefined || !(lMax > 0) || !Number.isFinite(lMax)) {
        throw new InvalidArgumentError(`'seq-mean-token-sum-norm' needs maxResponseLength, a finite number > 0 (Dr.GRPO's constant), got ${describeValue(lMax)}`);
      }
      rowWeight.fill(1 / (n * lMax));
      break;
    }
    case 'group-token-mean-sum': {
      const groupOf = options.groupOf;
      if (groupOf === undefined || groupOf.length !== n) {
        throw new InvalidArgumentError(`'group-token-mean-sum' needs groupOf with one group index per sequence (${n}), got ${groupOf === undefined ? 'none' : groupOf.length}`);
      }
      const groupCounts = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const g = groupOf[i]!;
        if (!Number.isInteger(g) || g < 0) throw new InvalidArgumentError(`groupOf[${i}] must be a non-negative integer, got ${describeValue(g)}`);
        groupCounts.set(g, (groupCounts.get(g) ?? 0) + rowCounts[i]!);
      }
      for (let i = 0; i < n; i++) {
        const c = groupCounts.get(groupOf[i]!)!;
        rowWeight[i] = c > 0 ? 1 / c : 0;
      }
      break;
    }
  }
  const w = new Float32Array(n * t);
  for (let i = 0; i < n; i++) {
    const rw = rowWeight[i]!;
    if (rw === 0) continue;
    for (let j = i * t; j < (i + 1) * t; j++) w[j] = mask[j]! * rw;
  }
  return w;
}

function checkFinite(name: string, values: Float32Array, mask: Float32Array, perToken: boolean, t: number): void {
  for (let j = 0; j < values.length; j++) {
    const counted = perToken ? mask[j]! !== 0 : true;
    if (counted && !Number.isFinite(values[j]!)) throw new InvalidArgumentError(`${name}[${j}] must be finite${perToken ? ' on masked tokens' : ''}, got ${describeValue(values[j])}${perToken ? ` (sequence ${Math.floor(j / t)}, token ${j % t})` : ''}`);
  }
}

/**
 * The loss to minimise (a scalar, differentiable w.r.t. `input.logProbs`) and a function returning the
 * statistics as plain numbers. The statistics are computed from a copy of the log-probs taken here, so
 * `stats()` may be called after the tensors are disposed. Intermediate tensors are released before returning.
 */
export function policyLoss(input: PolicyLossInput, config: PolicyLossConfig): { loss: tf.Scalar; stats: () => PolicyLossStats } {
  checkOptions('policyLoss config', config, ['clip', 'aggregation', 'klCoef']);
  checkOptions('policyLoss input', input, ['logProbs', 'oldLogProbs', 'refLogProbs', 'advantages', 'mask', 'groupOf', 'maxResponseLength']);
  const { logProbs, oldLogProbs, refLogProbs, advantages, mask } = input;
  if (!(logProbs instanceof tf.Tensor) || logProbs.rank !== 2) throw new InvalidArgumentError(`logProbs must be a rank-2 tensor [N, T], got ${logProbs instanceof tf.Tensor ? `shape [${logProbs.shape}]` : describeValue(logProbs)}`);
  const [n, t] = logProbs.shape as [number, number];
  const size = n * t;
  const klCoef = config.klCoef ?? 0;
  if (!(klCoef >= 0) || !Number.isFinite(klCoef)) throw new InvalidArgumentError(`klCoef must be a finite number >= 0, got ${describeValue(config.klCoef)}`);
  const { dualClipC, ratioCap } = checkClipRule(config.clip);
  const weights = aggregationWeights(mask, n, t, config.aggregation, {
    ...(input.groupOf === undefined ? {} : { groupOf: input.groupOf }),
    ...(input.maxResponseLength === undefined ? {} : { maxResponseLength: input.maxResponseLength }),
  });
  if (!(oldLogProbs instanceof Float32Array) || oldLogProbs.length !== size) throw new InvalidArgumentError(`oldLogProbs must be a Float32Array of N·T = ${size} entries, got ${oldLogProbs instanceof Float32Array ? oldLogProbs.length : describeValue(oldLogProbs)}`);
  if (refLogProbs !== undefined && (!(refLogProbs instanceof Float32Array) || refLogProbs.length !== size)) {
    throw new InvalidArgumentError(`refLogProbs must be a Float32Array of N·T = ${size} entries, got ${refLogProbs instanceof Float32Array ? refLogProbs.length : describeValue(refLogProbs)}`);
  }
  if (klCoef > 0 && refLogProbs === undefined) throw new InvalidArgumentError(`klCoef is ${klCoef} but no refLogProbs were given`);
  const perTokenAdvantages = advantages.length === size;
  if (!(advantages instanceof Float32Array) || (advantages.length !== n && !perTokenAdvantages)) {
    throw new InvalidArgumentError(`advantages must be a Float32Array of N = ${n} (per sequence) or N·T = ${size} (per token) entries, got ${advantages instanceof Float32Array ? advantages.length : describeValue(advantages)}`);
  }
  checkFinite('oldLogProbs', oldLogProbs, mask, true, t);
  if (refLogProbs !== undefined) checkFinite('refLogProbs', refLogProbs, mask, true, t);
  checkFinite('advantages', advantages, mask, perTokenAdvantages, t);

  // Constants: unmasked entries are zeroed so garbage there (NaN padding) cannot reach the weighted sum.
  const advAt = (j: number): number => (perTokenAdvantages ? advantages[j]! : advantages[Math.floor(j / t)]!);
  const old = new Float32Array(size);
  const negAdv = new Float32Array(size);
  const ref = refLogProbs === undefined ? null : new Float32Array(size);
  const dynamic = config.clip.type === 'dcpo-dynamic';
  const lo = dynamic ? new Float32Array(size) : null;
  const hi = dynamic ? new Float32Array(size) : null;
  const dualCap = dualClipC === null ? null : new Float32Array(size);
  for (let j = 0; j < size; j++) {
    const counted = mask[j] !== 0;
    const a = counted ? advAt(j) : 0;
    old[j] = counted ? oldLogProbs[j]! : 0;
    negAdv[j] = -a;
    if (ref !== null) ref[j] = counted ? refLogProbs![j]! : 0;
    if (lo !== null && hi !== null) [lo[j], hi[j]] = boundsUnchecked(Math.exp(old[j]!), config.clip.epsLow, config.clip.epsHigh, ratioCap);
    if (dualCap !== null) dualCap[j] = a < 0 ? -a * dualClipC! : NO_CAP;
  }

  const loss = tf.tidy(() => {
    const shape: [number, number] = [n, t];
    const logRatio = tf.clipByValue(tf.sub(logProbs, tf.tensor2d(old, shape)), -LOG_RATIO_LIMIT, LOG_RATIO_LIMIT);
    const ratio = tf.exp(logRatio);
    const negA = tf.tensor2d(negAdv, shape);
    const clipped = dynamic
      ? tf.minimum(tf.maximum(ratio, tf.tensor2d(lo!, shape)), tf.tensor2d(hi!, shape))
      : tf.clipByValue(ratio, 1 - config.clip.epsLow, 1 + config.clip.epsHigh);
    // Ties (ratio inside the bounds) send the gradient to the unclipped branch (Maximum's convention).
    let perToken = tf.maximum(tf.mul(negA, ratio), tf.mul(negA, clipped));
    if (dualCap !== null) perToken = tf.minimum(perToken, tf.tensor2d(dualCap, shape));
    if (klCoef > 0) {
      const d = tf.clipByValue(tf.sub(tf.tensor2d(ref!, shape), logProbs), -LOG_RATIO_LIMIT, LOG_RATIO_LIMIT);
      const k3 = tf.clipByValue(tf.sub(tf.sub(tf.exp(d), d), 1), -K3_LIMIT, K3_LIMIT);
      perToken = tf.add(perToken, tf.mul(k3, klCoef));
    }
    return tf.sum(tf.mul(perToken, tf.tensor2d(weights, shape))) as tf.Scalar;
  });

  const current = logProbs.dataSync() as Float32Array;
  const snapshot = Float32Array.from(current);
  let cached: PolicyLossStats | null = null;
  const stats = (): PolicyLossStats => {
    if (cached !== null) return cached;
    let count = 0;
    let low = 0;
    let high = 0;
    let dual = 0;
    let kl = 0;
    let klRef = 0;
    let ratioSum = 0;
    const fixedLo = 1 - config.clip.epsLow;
    const fixedHi = 1 + config.clip.epsHigh;
    for (let j = 0; j < size; j++) {
      if (mask[j] === 0) continue;
      count++;
      const lr = Math.min(Math.max(snapshot[j]! - old[j]!, -LOG_RATIO_LIMIT), LOG_RATIO_LIMIT);
      const r = Math.exp(lr);
      const a = -negAdv[j]!;
      const l = lo === null ? fixedLo : lo[j]!;
      const h = hi === null ? fixedHi : hi[j]!;
      if (a < 0 && r < l) low++;
      if (a > 0 && r > h) high++;
      if (dualClipC !== null && a < 0 && r > dualClipC) dual++;
      kl += r - 1 - lr;
      ratioSum += r;
      if (ref !== null) {
        const d = Math.min(Math.max(ref[j]! - snapshot[j]!, -LOG_RATIO_LIMIT), LOG_RATIO_LIMIT);
        klRef += Math.min(Math.max(Math.exp(d) - d - 1, -K3_LIMIT), K3_LIMIT);
      }
    }
    const per = (x: number): number => (count > 0 ? x / count : 0);
    cached = {
      clipFraction: per(low + high),
      clipFractionLow: per(low),
      clipFractionHigh: per(high),
      dualClipFraction: per(dual),
      approxKl: per(kl),
      klToRef: per(klRef),
      ratioMean: per(ratioSum),
      tokenCount: count,
    };
    return cached;
  };
  return { loss, stats };
}
