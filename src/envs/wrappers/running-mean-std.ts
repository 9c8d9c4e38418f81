/**
 * Running mean / variance / count of a stream of vectors, updated batch by batch with the parallel
 * (Chan et al.) combination rule that Gymnasium and Stable-Baselines3 use. Its state is plain JSON
 * (`getState` / `setState`) so normalisation statistics can travel inside checkpoints.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { shapeSize } from '../../core/spaces/space.js';

export interface RunningMeanStdState {
  mean: number[];
  var: number[];
  count: number;
}

export interface RunningMeanStdOptions {
  /** Shape of one sample; `[]` (the default) tracks scalars. */
  shape?: readonly number[];
  /** Initial pseudo-count, so the first update does not divide by zero (Gymnasium: 1e-4). */
  epsilon?: number;
}

export class RunningMeanStd {
  readonly shape: readonly number[];
  /** Number of values per sample (product of `shape`). */
  readonly size: number;
  readonly mean: Float64Array;
  readonly var: Float64Array;
  count: number;

  constructor(options: RunningMeanStdOptions = {}) {
    checkOptions('RunningMeanStd', options, ['shape', 'epsilon']);
    const shape = options.shape ?? [];
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new InvalidArgumentError(`RunningMeanStd shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    const epsilon = options.epsilon ?? 1e-4;
    if (!(typeof epsilon === 'number' && epsilon > 0 && Number.isFinite(epsilon))) {
      throw new InvalidArgumentError(`RunningMeanStd epsilon must be a finite number > 0, got ${epsilon}`);
    }
    this.shape = Object.freeze([...shape]);
    this.size = shapeSize(shape);
    this.mean = new Float64Array(this.size);
    this.var = new Float64Array(this.size).fill(1);
    this.count = epsilon;
  }

  /**
   * Folds in `batchCount` samples stored row-major in `batch` (`batchCount * size` values).
   * The batch variance is the population variance, as `np.var`.
   */
  update(batch: ArrayLike<number>, batchCount = 1): void {
    if (!Number.isInteger(batchCount) || batchCount <= 0) {
      throw new InvalidArgumentError(`RunningMeanStd.update batchCount must be a positive integer, got ${batchCount}`);
    }
    const n = this.size;
    if (batch.length !== batchCount * n) {
      throw new InvalidArgumentError(
        `RunningMeanStd.update expected ${batchCount} samples of ${n} values (${batchCount * n} in all), got ${batch.length}`,
      );
    }
    const batchMean = new Float64Array(n);
    const batchVar = new Float64Array(n);
    for (let row = 0; row < batchCount; row++) {
      for (let j = 0; j < n; j++) batchMean[j] += batch[row * n + j]!;
    }
    for (let j = 0; j < n; j++) batchMean[j] /= batchCount;
    // Two-pass variance: accurate even when the values sit far from zero.
    for (let row = 0; row < batchCount; row++) {
      for (let j = 0; j < n; j++) {
        const d = batch[row * n + j]! - batchMean[j]!;
        batchVar[j] += d * d;
      }
    }
    for (let j = 0; j < n; j++) batchVar[j] /= batchCount;
    this.updateFromMoments(batchMean, batchVar, batchCount);
  }

  /** Combines the running moments with a batch's mean, (population) variance and count. */
  updateFromMoments(batchMean: ArrayLike<number>, batchVar: ArrayLike<number>, batchCount: number): void {
    if (batchMean.length !== this.size || batchVar.length !== this.size) {
      throw new InvalidArgumentError(
        `RunningMeanStd.updateFromMoments expected moments of ${this.size} values, got ${batchMean.length} and ${batchVar.length}`,
      );
    }
    if (!(batchCount > 0)) throw new InvalidArgumentError(`RunningMeanStd batchCount must be > 0, got ${batchCount}`);
    const count = this.count;
    const total = count + batchCount;
    for (let j = 0; j < this.size; j++) {
      const delta = batchMean[j]! - this.mean[j]!;
      const m2 = this.var[j]! * count + batchVar[j]! * batchCount + delta * delta * count * batchCount / total;
      this.mean[j] = this.mean[j]! + delta * batchCount / total;
      this.var[j] = m2 / total;
    }
    this.count = total;
  }

  /** A JSON-safe copy of the statistics. */
  getState(): RunningMeanStdState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  /** Restores statistics from `getState()`; the shape must match. */
  setState(state: RunningMeanStdState): void {
    if (typeof state !== 'object' || state === null) {
      throw new InvalidArgumentError(`RunningMeanStd.setState expects { mean, var, count }, got ${String(state)}`);
    }
    checkOptions('RunningMeanStd.setState', state, ['mean', 'var', 'count']);
    const { mean, var: variance, count } = state;
    for (const [name, values] of [['mean', mean], ['var', variance]] as const) {
      if (!Array.isArray(values) || values.length !== this.size) {
        throw new InvalidArgumentError(
          `RunningMeanStd.setState ${name} must be an array of ${this.size} numbers (shape [${this.shape.join(', ')}]), got ${
            Array.isArray(values) ? `${values.length} values` : typeof values
          }`,
        );
      }
      if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        throw new InvalidArgumentError(`RunningMeanStd.setState ${name} must contain only finite numbers`);
      }
    }
    if (!variance.every((v) => v >= 0)) throw new InvalidArgumentError('RunningMeanStd.setState var must be non-negative');
    if (typeof count !== 'number' || !Number.isFinite(count) || count <= 0) {
      throw new InvalidArgumentError(`RunningMeanStd.setState count must be a finite number > 0, got ${count}`);
    }
    this.mean.set(mean);
    this.var.set(variance);
    this.count = count;
  }
}
