/**
 * Tanh-squashed diagonal Gaussian (SAC's policy): u ~ N(mean, std²), a = tanh(u) ∈ (−1, 1)^D, with
 *   log π(a) = log N(u) − Σ_d log(1 − tanh²(u_d)),
 * where the log-det term is evaluated in the numerically stable form
 *   log(1 − tanh²(u)) = 2·(log 2 − u − softplus(−2u)),
 * exact for all u (no ε fudge, no log(0) for saturated actions). Rescaling to the env's bounds is left to
 * the caller (or a RescaleAction wrapper); log π here is the density of the action in (−1, 1) (as in SB3).
 * The density of `scale·a + bias` is lower by Σ_d log(scale_d) (CleanRL's SAC includes that constant,
 * which shifts the effective entropy target). The entropy has no closed form, so there is no `entropy()`:
 * SAC estimates it as −log π(a) of a sample (`rsample` returns both).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../core/rng.js';
import { DiagGaussian } from './diag-gaussian.js';

const LOG2 = Math.log(2);

/** Largest |a| used when inverting tanh in `logProb(action)`, to keep atanh finite. */
export const TANH_ACTION_LIMIT = 1 - 1e-6;

export class TanhGaussian {
  /** The Gaussian over the pre-squash variable u. */
  readonly base: DiagGaussian;

  constructor(mean: tf.Tensor, logStd: tf.Tensor) {
    this.base = new DiagGaussian(mean, logStd);
  }

  get batchSize(): number {
    return this.base.batchSize;
  }

  get dim(): number {
    return this.base.dim;
  }

  /** A reparameterised sample a = tanh(mean + std·ε) and its log-probability (computed from u, exactly). */
  rsample(rng: Rng): { action: tf.Tensor2D; logProb: tf.Tensor1D } {
    const u = this.base.sample(rng);
    return { action: tf.tanh(u), logProb: this.logProbFromPreTanh(u) };
  }

  /** a = tanh(u) for a sample u. */
  sample(rng: Rng): tf.Tensor2D {
    return tf.tanh(this.base.sample(rng));
  }

  /** tanh(mean): the deterministic action. */
  mode(): tf.Tensor2D {
    return tf.tanh(this.base.mean);
  }

  /**
   * log π(a) for squashed actions a; u = atanh(a) after clipping a to ±`TANH_ACTION_LIMIT`. Prefer
   * `rsample`'s logProb, which never inverts tanh.
   */
  logProb(action: tf.Tensor): tf.Tensor1D {
    this.base.checkAction(action, 'TanhGaussian.logProb');
    const u = tf.atanh(tf.clipByValue(action, -TANH_ACTION_LIMIT, TANH_ACTION_LIMIT));
    return this.logProbFromPreTanh(u);
  }

  /** log π(tanh(u)) for pre-squash values u `[batch, dim]`. */
  logProbFromPreTanh(u: tf.Tensor): tf.Tensor1D {
    const logDet = tf.mul(tf.sub(tf.sub(LOG2, u), tf.softplus(tf.mul(u, -2))), 2);
    return tf.sub(this.base.logProb(u), tf.sum(logDet, 1)) as tf.Tensor1D;
  }
}
