/**
 * Diagonal Gaussian over `D`-dimensional actions, batched: mean `[batch, D]` and a log standard deviation
 * that is either state-independent (`[D]`, a trainable parameter as in PPO) or per-row (`[batch, D]`).
 * Sampling uses standard normal noise drawn from Teleo's `Rng` in JavaScript and uploaded, so it is
 * seeded and identical on every backend; the sample is a differentiable function of mean and logStd
 * (the reparameterisation trick). Build it inside `tf.tidy`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../gradients.js'; // registers the gradients tfjs-core leaves out
import { InvalidArgumentError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';

export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export class DiagGaussian {
  readonly batchSize: number;
  readonly dim: number;
  readonly mean: tf.Tensor2D;
  readonly logStd: tf.Tensor;

  constructor(mean: tf.Tensor, logStd: tf.Tensor) {
    if (mean.rank !== 2 || mean.dtype !== 'float32') {
      throw new InvalidArgumentError(`DiagGaussian needs a float32 mean of shape [batch, dim], got ${mean.dtype} [${mean.shape.join(', ')}]`);
    }
    const [batch, dim] = mean.shape as [number, number];
    const okShape = (logStd.rank === 1 && logStd.shape[0] === dim) || (logStd.rank === 2 && logStd.shape[0] === batch && logStd.shape[1] === dim);
    if (!okShape || logStd.dtype !== 'float32') {
      throw new InvalidArgumentError(`DiagGaussian logStd must be float32 [${dim}] or [${batch}, ${dim}], got ${logStd.dtype} [${logStd.shape.join(', ')}]`);
    }
    this.batchSize = batch;
    this.dim = dim;
    this.mean = mean as tf.Tensor2D;
    this.logStd = logStd;
  }

  /** Standard deviation, shaped like `logStd`. */
  std(): tf.Tensor {
    return tf.exp(this.logStd);
  }

  /** Σ_d log N(x_d; mean_d, std_d²) for x `[batch, dim]`. */
  logProb(x: tf.Tensor): tf.Tensor1D {
    this.checkAction(x, 'DiagGaussian.logProb');
    const z = tf.mul(tf.sub(x, this.mean), tf.exp(tf.neg(this.logStd)));
    const perDim = tf.add(tf.mul(tf.square(z), 0.5), this.logStd);
    return tf.sub(-this.dim * HALF_LOG_2PI, tf.sum(perDim, 1)) as tf.Tensor1D;
  }

  /** Differential entropy Σ_d (½ + ½ log 2π + logStd_d) per row. */
  entropy(): tf.Tensor1D {
    const sumLogStd = this.logStd.rank === 1 ? tf.broadcastTo(tf.sum(this.logStd), [this.batchSize]) : tf.sum(this.logStd, 1);
    return tf.add(sumLogStd, this.dim * (0.5 + HALF_LOG_2PI)) as tf.Tensor1D;
  }

  mode(): tf.Tensor2D {
    return this.mean;
  }

  /** mean + std·ε with ε ~ N(0, I) from `rng` (differentiable in mean and logStd). */
  sample(rng: Rng): tf.Tensor2D {
    return tf.add(this.mean, tf.mul(this.std(), this.noise(rng))) as tf.Tensor2D;
  }

  /** Standard normal noise `[batch, dim]` drawn from `rng` in row-major order. */
  noise(rng: Rng): tf.Tensor2D {
    return tf.tensor2d(rng.fillNormal(new Float32Array(this.batchSize * this.dim)), [this.batchSize, this.dim], 'float32');
  }

  /** Throws `InvalidArgumentError` unless x is a float32 `[batch, dim]` tensor. */
  checkAction(x: tf.Tensor, what: string): void {
    if (x.rank !== 2 || x.shape[0] !== this.batchSize || x.shape[1] !== this.dim || x.dtype !== 'float32') {
      throw new InvalidArgumentError(`${what} needs float32 actions of shape [${this.batchSize}, ${this.dim}], got ${x.dtype} [${x.shape.join(', ')}]`);
    }
  }
}
