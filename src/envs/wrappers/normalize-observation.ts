/**
 * Gymnasium's `NormalizeObservation`: centres each observation coordinate on a running mean and scales
 * it to unit running variance, `(obs - mean) / sqrt(var + epsilon)`, returned as float32.
 */
import { InvalidArgumentError, InvalidObservationError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Box } from '../../core/spaces/box.js';
import { MultiBinary } from '../../core/spaces/multi-binary.js';
import { MultiDiscrete } from '../../core/spaces/multi-discrete.js';
import type { Space, TypedArray } from '../../core/spaces/space.js';
import type { Env } from '../env.js';
import { ObservationWrapper } from '../wrapper.js';
import { RunningMeanStd, type RunningMeanStdState } from './running-mean-std.js';
import { requirePositive } from './space-helpers.js';

export interface NormalizeObservationOptions {
  /** Added to the variance under the square root (default 1e-8). */
  epsilon?: number;
}

export interface NormalizeObservationState {
  obsRms: RunningMeanStdState;
}

/** The shape of an array-valued space, or an error naming `owner`: normalisation works coordinate-wise. */
export function arrayObservationShape(space: Space<unknown>, owner: string): readonly number[] {
  if (space instanceof Box || space instanceof MultiDiscrete || space instanceof MultiBinary) return space.shape!;
  throw new InvalidArgumentError(
    `${owner} requires a Box, MultiDiscrete or MultiBinary observation space, got ${space.toString()} (wrap with FlattenObservation first)`,
  );
}

/** Writes `(x - mean) / sqrt(var + epsilon)` for `rows` samples into a new Float32Array. */
export function normalizeRows(x: ArrayLike<number>, rms: RunningMeanStd, epsilon: number, rows: number): Float32Array {
  const n = rms.size;
  const out = new Float32Array(rows * n);
  const scale = new Float64Array(n);
  for (let j = 0; j < n; j++) scale[j] = 1 / Math.sqrt(rms.var[j]! + epsilon);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) out[r * n + j] = (x[r * n + j]! - rms.mean[j]!) * scale[j]!;
  }
  return out;
}

/** Restores `{ obsRms }` (the state of the single and the vector wrapper) into `obsRms`, checked first. */
export function restoreNormalizeObservationState(obsRms: RunningMeanStd, state: NormalizeObservationState): void {
  if (typeof state !== 'object' || state === null) throw new InvalidArgumentError('NormalizeObservation.setState expects { obsRms }');
  checkOptions('NormalizeObservation.setState', state, ['obsRms']);
  obsRms.setState(state.obsRms);
}

export class NormalizeObservation<Act = unknown> extends ObservationWrapper<Float32Array, TypedArray, Act> {
  readonly epsilon: number;
  readonly obsRms: RunningMeanStd;
  /** When false the statistics are frozen (e.g. for evaluation) but still applied. */
  updateRunningMean = true;

  constructor(env: Env<TypedArray, Act>, options: NormalizeObservationOptions = {}) {
    super(env);
    checkOptions('NormalizeObservation', options, ['epsilon']);
    this.epsilon = requirePositive(options.epsilon ?? 1e-8, 'NormalizeObservation', 'epsilon');
    const shape = arrayObservationShape(env.observationSpace, 'NormalizeObservation');
    this.observationSpace = new Box(-Infinity, Infinity, shape, 'float32') as Space<unknown> as Space<Float32Array>;
    this.obsRms = new RunningMeanStd({ shape });
  }

  override observation(obs: TypedArray): Float32Array {
    const values = typeof obs === 'number' ? [obs] : obs;
    if (values.length !== this.obsRms.size) {
      throw new InvalidObservationError(`NormalizeObservation expected an observation of ${this.obsRms.size} values, got ${values.length}`);
    }
    if (this.updateRunningMean) this.obsRms.update(values, 1);
    return normalizeRows(values, this.obsRms, this.epsilon, 1);
  }

  getState(): NormalizeObservationState {
    return { obsRms: this.obsRms.getState() };
  }

  setState(state: NormalizeObservationState): void {
    restoreNormalizeObservationState(this.obsRms, state);
  }
}
