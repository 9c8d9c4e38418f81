/**
 * Gymnasium's vector `NormalizeObservation`: one running mean/variance shared by all sub-envs, updated
 * with each batch of observations; observations are returned as float32 `(obs - mean) / sqrt(var + eps)`.
 * Like Gymnasium it needs NEXT_STEP autoreset and refuses partial resets.
 */
import { InvalidArgumentError, InvalidObservationError } from '../../../core/errors.js';
import { checkOptions } from '../../../core/options.js';
import { Box } from '../../../core/spaces/box.js';
import type { Space, TypedArray } from '../../../core/spaces/space.js';
import {
  arrayObservationShape,
  normalizeRows,
  restoreNormalizeObservationState,
  type NormalizeObservationOptions,
  type NormalizeObservationState,
} from '../../wrappers/normalize-observation.js';
import { RunningMeanStd } from '../../wrappers/running-mean-std.js';
import { requirePositive } from '../../wrappers/space-helpers.js';
import { batchSpace } from '../batching.js';
import { VectorWrapper, type VectorEnv, type VectorResetArgs, type VectorResetResult, type VectorStepResult } from '../vector-env.js';
import { resetMaskOf } from './reset-mask.js';

export class NormalizeObservation<Act = unknown> extends VectorWrapper<Float32Array, Act, Float32Array> {
  readonly epsilon: number;
  readonly obsRms: RunningMeanStd;
  /** When false the statistics are frozen (e.g. for evaluation) but still applied. */
  updateRunningMean = true;

  constructor(env: VectorEnv<TypedArray, Act>, options: NormalizeObservationOptions = {}) {
    super(env);
    checkOptions('vector NormalizeObservation', options, ['epsilon']);
    this.epsilon = requirePositive(options.epsilon ?? 1e-8, 'vector NormalizeObservation', 'epsilon');
    if (env.autoresetMode !== 'NEXT_STEP') {
      throw new InvalidArgumentError(`vector NormalizeObservation requires autoresetMode NEXT_STEP, got ${env.autoresetMode}`);
    }
    const shape = arrayObservationShape(env.singleObservationSpace, 'vector NormalizeObservation');
    const single = new Box(-Infinity, Infinity, shape, 'float32');
    this.singleObservationSpace = single as Space<unknown> as Space<Float32Array>;
    this.observationSpace = batchSpace(single, this.numEnvs);
    this.obsRms = new RunningMeanStd({ shape });
  }

  override reset(args?: VectorResetArgs): VectorResetResult<Float32Array> {
    const mask = resetMaskOf(args, this.numEnvs, 'vector NormalizeObservation');
    if (mask !== null && !mask.every((m) => m)) {
      throw new InvalidArgumentError('vector NormalizeObservation does not support partial resets: options.resetMask must select every sub-env');
    }
    const [obs, infos] = this.env.reset(args) as VectorResetResult<TypedArray>;
    return [this.observations(obs), infos];
  }

  override step(actions: Act): VectorStepResult<Float32Array> {
    const [obs, rewards, terminations, truncations, infos] = this.env.step(actions) as VectorStepResult<TypedArray>;
    return [this.observations(obs), rewards, terminations, truncations, infos];
  }

  /** Normalises a batch of numEnvs observations (updating the statistics first unless frozen). */
  observations(obs: TypedArray): Float32Array {
    const n = this.numEnvs;
    if (obs.length !== n * this.obsRms.size) {
      throw new InvalidObservationError(
        `vector NormalizeObservation expected ${n} observations of ${this.obsRms.size} values (${n * this.obsRms.size} in all), got ${obs.length}`,
      );
    }
    if (this.updateRunningMean) this.obsRms.update(obs, n);
    return normalizeRows(obs, this.obsRms, this.epsilon, n);
  }

  getState(): NormalizeObservationState {
    return { obsRms: this.obsRms.getState() };
  }

  setState(state: NormalizeObservationState): void {
    restoreNormalizeObservationState(this.obsRms, state);
  }
}
