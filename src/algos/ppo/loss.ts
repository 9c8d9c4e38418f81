/**
 * PPO's loss on one minibatch (SB3's `PPO.train` inner step): clipped surrogate, optional clipped value
 * loss, entropy bonus; plus the diagnostics SB3 logs (approximate KL, clip fraction), computed from the
 * same forward pass so one `dataSync` returns them all.
 *
 *   ratio = exp(log π(a|s) − log π_old(a|s))
 *   L_pg  = −mean(min(A·ratio, A·clip(ratio, 1−ε, 1+ε)))
 *   V'    = V_old + clip(V − V_old, −ε_vf, ε_vf)   (or V when ε_vf is null)
 *   L_vf  = mean((R − V')²),  L_ent = −mean(H)
 *   loss  = L_pg + entCoef·L_ent + vfCoef·L_vf
 *   approxKl = mean((ratio − 1) − log ratio)   (Schulman's low-variance estimator)
 *   clipFraction = mean(|ratio − 1| > ε)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ActorCriticPolicy } from './policy.js';

export interface PPOMinibatch {
  observations: tf.Tensor2D;
  /** int32 `[B]` (discrete) or float32 `[B, actDim]` (continuous). */
  actions: tf.Tensor;
  oldLogProbs: tf.Tensor1D;
  /** Already normalised when advantage normalisation is on. */
  advantages: tf.Tensor1D;
  returns: tf.Tensor1D;
  oldValues: tf.Tensor1D;
}

export interface PPOLossCoefficients {
  clipRange: number;
  clipRangeVf: number | null;
  entCoef: number;
  vfCoef: number;
}

/** Order of the entries of `PPOLossResult.stats`. */
export const LOSS_STATS = ['policyGradientLoss', 'valueLoss', 'entropyLoss', 'approxKl', 'clipFraction'] as const;

export interface PPOLossResult {
  loss: tf.Scalar;
  /** `[policyGradientLoss, valueLoss, entropyLoss, approxKl, clipFraction]`. */
  stats: tf.Tensor1D;
}

export function ppoLoss(policy: ActorCriticPolicy, batch: PPOMinibatch, c: PPOLossCoefficients): PPOLossResult {
  const { values, logProbs, entropy } = policy.evaluate(batch.observations, batch.actions);
  const logRatio = tf.sub(logProbs, batch.oldLogProbs);
  const ratio = tf.exp(logRatio);
  const surrogate = tf.mul(batch.advantages, ratio);
  const clipped = tf.mul(batch.advantages, tf.clipByValue(ratio, 1 - c.clipRange, 1 + c.clipRange));
  const policyLoss = tf.neg(tf.mean(tf.minimum(surrogate, clipped)));
  const predicted =
    c.clipRangeVf === null
      ? values
      : tf.add(batch.oldValues, tf.clipByValue(tf.sub(values, batch.oldValues), -c.clipRangeVf, c.clipRangeVf));
  const valueLoss = tf.mean(tf.squaredDifference(batch.returns, predicted));
  const entropyLoss = tf.neg(tf.mean(entropy));
  const loss = tf.addN([policyLoss, tf.mul(entropyLoss, c.entCoef), tf.mul(valueLoss, c.vfCoef)]) as tf.Scalar;
  const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio));
  const clipFraction = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), c.clipRange), 'float32'));
  const stats = tf.stack([policyLoss, valueLoss, entropyLoss, approxKl, clipFraction]) as tf.Tensor1D;
  return { loss, stats };
}
