/**
 * Categorical distribution over `A` actions, batched: logits `[batch, A]`, optionally with an
 * invalid-action mask (`true`/1 = allowed). Masked-out logits are replaced by a large negative number
 * (as SB3's MaskablePPO does), so they get probability 0, are never sampled, and their terms are
 * excluded from the entropy. Build it inside `tf.tidy` (it creates tensors); sampling draws its uniform
 * numbers from Teleo's `Rng` in JavaScript, so it is seeded and identical on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../gradients.js'; // registers the gradients tfjs-core leaves out
import { InvalidArgumentError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';

/** Logit given to masked-out actions: exp() of it underflows to exactly 0 in float32. */
export const MASKED_LOGIT = -1e8;

export class Categorical {
  readonly numActions: number;
  readonly batchSize: number;
  /** Logits with masked actions set to `MASKED_LOGIT`. */
  readonly logits: tf.Tensor2D;
  /** Normalised log-probabilities, `[batch, A]`. */
  readonly logProbs: tf.Tensor2D;
  /** Boolean `[batch, A]` mask, or null when every action is allowed. */
  readonly mask: tf.Tensor2D | null;

  constructor(logits: tf.Tensor, mask?: tf.Tensor | ArrayLike<number | boolean> | null) {
    if (logits.rank !== 2 || logits.dtype !== 'float32' || logits.shape[1]! < 1) {
      throw new InvalidArgumentError(`Categorical needs float32 logits of shape [batch, numActions], got ${logits.dtype} [${logits.shape.join(', ')}]`);
    }
    const [batch, n] = logits.shape as [number, number];
    this.batchSize = batch;
    this.numActions = n;
    this.mask = mask === undefined || mask === null ? null : toMask(mask, batch, n);
    this.logits = (this.mask === null ? logits : tf.where(this.mask, logits, tf.fill([batch, n], MASKED_LOGIT))) as tf.Tensor2D;
    this.logProbs = tf.logSoftmax(this.logits) as tf.Tensor2D;
  }

  /** Probabilities, `[batch, A]`. */
  probs(): tf.Tensor2D {
    return tf.exp(this.logProbs);
  }

  /** log π(a) for int32 actions `[batch]`. */
  logProb(actions: tf.Tensor | Int32Array): tf.Tensor1D {
    const a = actions instanceof Int32Array ? tf.tensor1d(actions, 'int32') : actions;
    if (a.rank !== 1 || a.shape[0] !== this.batchSize || a.dtype !== 'int32') {
      throw new InvalidArgumentError(`Categorical.logProb needs int32 actions of shape [${this.batchSize}], got ${a.dtype} [${a.shape.join(', ')}]`);
    }
    return tf.sum(tf.mul(this.logProbs, tf.oneHot(a as tf.Tensor1D, this.numActions)), 1) as tf.Tensor1D;
  }

  /** Entropy −Σ p log p per row, over the allowed actions only. */
  entropy(): tf.Tensor1D {
    let terms = tf.mul(this.probs(), this.logProbs);
    if (this.mask !== null) terms = tf.where(this.mask, terms, tf.zerosLike(terms));
    return tf.neg(tf.sum(terms, 1)) as tf.Tensor1D;
  }

  /** The most likely allowed action per row (int32 `[batch]`). */
  mode(): tf.Tensor1D {
    return tf.argMax(this.logits, 1) as tf.Tensor1D;
  }

  /** One action per row (int32 `[batch]`), by inverse-CDF sampling with `rng`. */
  sample(rng: Rng): tf.Tensor1D {
    return tf.tensor1d(this.sampleArray(rng), 'int32');
  }

  /** Like `sample` but returns the actions as a JS array (no upload). */
  sampleArray(rng: Rng): Int32Array {
    const p = this.probs();
    const probs = p.dataSync() as Float32Array;
    p.dispose();
    const n = this.numActions;
    const out = new Int32Array(this.batchSize);
    for (let b = 0; b < this.batchSize; b++) {
      const u = rng.random();
      let cum = 0;
      let chosen = -1;
      let lastPositive = 0;
      for (let a = 0; a < n; a++) {
        const pa = probs[b * n + a]!;
        if (pa > 0) lastPositive = a;
        cum += pa;
        if (u < cum && pa > 0) {
          chosen = a;
          break;
        }
      }
      // Rounding can leave the cumulative sum just below u: fall back to the last action that has mass.
      out[b] = chosen >= 0 ? chosen : lastPositive;
    }
    return out;
  }
}

function toMask(mask: tf.Tensor | ArrayLike<number | boolean>, batch: number, n: number): tf.Tensor2D {
  let values: ArrayLike<number | boolean>;
  if (mask instanceof tf.Tensor) {
    if (mask.size !== batch * n) throw new InvalidArgumentError(`Categorical mask must have ${batch}×${n} entries, got shape [${mask.shape.join(', ')}]`);
    values = mask.dataSync() as ArrayLike<number>;
  } else {
    if (mask.length !== batch * n) throw new InvalidArgumentError(`Categorical mask must have ${batch}×${n} entries, got ${mask.length}`);
    values = mask;
  }
  const bools = new Uint8Array(batch * n);
  for (let b = 0; b < batch; b++) {
    let any = false;
    for (let a = 0; a < n; a++) {
      const allowed = Boolean(values[b * n + a]);
      bools[b * n + a] = allowed ? 1 : 0;
      any ||= allowed;
    }
    if (!any) throw new InvalidArgumentError(`Categorical mask row ${b} allows no action`);
  }
  return tf.tensor2d(bools, [batch, n], 'bool');
}
