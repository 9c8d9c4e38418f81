/**
 * Contextual policies for off-policy learning: the interface every policy implements (an action distribution
 * for a batch of contexts, in the layout the OPE estimators read), the trainable extension (parameters and a
 * backward pass from logit gradients, so a linear or an MLP policy fits the same trainer), and two fixed
 * baselines: a static policy (always the same action) and a greedy policy (argmax of a score, e.g. the
 * reward model's q̂ — the "direct method" policy).
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';

export interface ContextualPolicy {
  readonly nActions: number;
  /** π(a | x_i) for nRounds contexts (row-major): an nRounds × nActions array, rows summing to 1. */
  actionDist(context: Float64Array, nRounds: number): Float64Array;
}

/** A differentiable policy π = softmax(logits(x; θ)). */
export interface TrainablePolicy extends ContextualPolicy {
  readonly dimContext: number;
  /** θ, updated in place by the optimiser. */
  readonly params: Float64Array;
  /** Logits z(x_i, ·; θ): nRounds × nActions. */
  logits(context: Float64Array, nRounds: number): Float64Array;
  /** Adds Σ_i Σ_b logitGrad[i, b] · ∂z(x_i, b)/∂θ to `grad` (length params.length). */
  backward(context: Float64Array, nRounds: number, logitGrad: Float64Array, grad: Float64Array): void;
  /** An independent copy (same parameters). */
  clone(): TrainablePolicy;
}

/** Always the same action (e.g. "always k ads"). */
export class StaticPolicy implements ContextualPolicy {
  readonly nActions: number;
  readonly action: number;

  constructor(nActions: number, action: number) {
    checkActionCount('StaticPolicy', nActions);
    if (!Number.isSafeInteger(action) || action < 0 || action >= nActions) {
      throw new InvalidArgumentError(`StaticPolicy: action must be an integer in [0, ${nActions}), got ${describeValue(action)}`);
    }
    this.nActions = nActions;
    this.action = action;
  }

  actionDist(_context: Float64Array, nRounds: number): Float64Array {
    const out = new Float64Array(nRounds * this.nActions);
    for (let i = 0; i < nRounds; i++) out[i * this.nActions + this.action] = 1;
    return out;
  }
}

/** Scores of every action for a batch of contexts (nRounds × nActions), e.g. q̂_sat + λ·q̂_rev. */
export type ActionScorer = (context: Float64Array, nRounds: number) => Float64Array;

/** The deterministic policy argmax_a score(x, a) (ties: the lowest action). */
export class GreedyPolicy implements ContextualPolicy {
  readonly nActions: number;
  private readonly score: ActionScorer;

  constructor(nActions: number, score: ActionScorer) {
    checkActionCount('GreedyPolicy', nActions);
    if (typeof score !== 'function') throw new InvalidArgumentError(`GreedyPolicy needs a score function, got ${describeValue(score)}`);
    this.nActions = nActions;
    this.score = score;
  }

  actionDist(context: Float64Array, nRounds: number): Float64Array {
    const K = this.nActions;
    const q = this.score(context, nRounds);
    if (!(q instanceof Float64Array) || q.length !== nRounds * K) {
      throw new InvalidArgumentError(`GreedyPolicy: the score function returned ${describeValue(q)}, expected ${nRounds} × ${K} values`);
    }
    const out = new Float64Array(nRounds * K);
    for (let i = 0; i < nRounds; i++) {
      let best = 0;
      for (let a = 1; a < K; a++) if (q[i * K + a]! > q[i * K + best]!) best = a;
      if (!Number.isFinite(q[i * K + best]!)) throw new InvalidArgumentError(`GreedyPolicy: score of round ${i} is not finite`);
      out[i * K + best] = 1;
    }
    return out;
  }
}

export function checkActionCount(owner: string, nActions: unknown): void {
  if (!Number.isSafeInteger(nActions) || (nActions as number) < 2) {
    throw new InvalidArgumentError(`${owner}: nActions must be an integer >= 2, got ${describeValue(nActions)}`);
  }
}

/** Softmax of each row of an n × K logit array, written to `out` (max-shifted, so large logits are safe). */
export function softmaxRows(logits: Float64Array, nRounds: number, K: number, out: Float64Array = new Float64Array(nRounds * K)): Float64Array {
  for (let i = 0; i < nRounds; i++) {
    const o = i * K;
    let max = -Infinity;
    for (let a = 0; a < K; a++) if (logits[o + a]! > max) max = logits[o + a]!;
    let total = 0;
    for (let a = 0; a < K; a++) {
      const e = Math.exp(logits[o + a]! - max);
      out[o + a] = e;
      total += e;
    }
    for (let a = 0; a < K; a++) out[o + a] = out[o + a]! / total;
  }
  return out;
}
