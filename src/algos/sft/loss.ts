/**
 * Teacher-forced cross-entropy of SFT: the negative log-likelihood of the demonstration's response tokens
 * averaged over those tokens (token-mean over the whole batch, so long and short responses weigh each
 * token equally). Prompt and padding positions are masked out.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../core/errors.js';
import type { PackedSequences } from '../sequence/encoding.js';

/** −Σ mask·logProbs / Σ mask for `logProbs` of shape [B, L−1] and a mask of the same size. Differentiable. */
export function maskedTokenNLL(logProbs: tf.Tensor2D, mask: Float32Array): tf.Scalar {
  if (logProbs.size !== mask.length) {
    throw new InvalidArgumentError(`maskedTokenNLL: ${logProbs.size} log-probs but a mask of ${mask.length}`);
  }
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i]!;
  if (!(count > 0)) throw new InvalidArgumentError('maskedTokenNLL: the mask selects no token');
  return tf.tidy(() => {
    const m = tf.tensor2d(mask, logProbs.shape as [number, number], 'float32');
    return tf.neg(tf.div(tf.sum(tf.mul(logProbs, m)), count)) as tf.Scalar;
  });
}

/** What the loss needs from a model: teacher-forced per-token log-probs (`CausalDecoder.tokenLogProbs`). */
export interface TokenLogProbModel {
  tokenLogProbs(tokens: Int32Array, batch: number, length: number): tf.Tensor2D;
}

/** The SFT loss of a packed batch under `model`. Differentiable w.r.t. the model's parameters. */
export function sftLoss(model: TokenLogProbModel, packed: PackedSequences): tf.Scalar {
  return tf.tidy(() => maskedTokenNLL(model.tokenLogProbs(packed.tokens, packed.batch, packed.length), packed.mask));
}
