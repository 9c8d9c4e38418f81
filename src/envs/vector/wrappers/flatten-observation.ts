/**
 * Gymnasium's vector `FlattenObservation`: each sub-env's observation is flattened as by the single-env
 * `FlattenObservation` (Discrete → one-hot, Dict entries concatenated in sorted key order), giving a
 * batch of shape [numEnvs, flatDim]. In SAME_STEP mode the `final_obs` entries of the infos are
 * flattened too.
 */
import { InvalidObservationError } from '../../../core/errors.js';
import type { Space, TypedArray } from '../../../core/spaces/space.js';
import { flatDType, flattenSpace } from '../../../core/spaces/utils.js';
import { VectorWrapper, type VectorEnv, type VectorResetArgs, type VectorResetResult, type VectorStepResult } from '../vector-env.js';
import { batchSpace, readBatchItem } from '../batching.js';
import { transformFinalObservations } from './final-observations.js';

export class FlattenObservation<Act = unknown> extends VectorWrapper<TypedArray, Act, TypedArray> {
  private readonly innerSingleSpace: Space<unknown>;
  private readonly flatDim: number;

  constructor(env: VectorEnv<unknown, Act>) {
    super(env);
    this.innerSingleSpace = env.singleObservationSpace;
    const flat = flattenSpace(env.singleObservationSpace);
    this.flatDim = flat.size;
    this.singleObservationSpace = flat as Space<unknown> as Space<TypedArray>;
    this.observationSpace = batchSpace(flat, this.numEnvs);
  }

  override reset(args?: VectorResetArgs): VectorResetResult<TypedArray> {
    const [obs, infos] = this.env.reset(args);
    return [this.observations(obs), infos];
  }

  override step(actions: Act): VectorStepResult<TypedArray> {
    const [obs, rewards, terminations, truncations, infos] = this.env.step(actions);
    const flatInfos = transformFinalObservations(infos, this.autoresetMode, (o) => this.flattenOne(o));
    return [this.observations(obs), rewards, terminations, truncations, flatInfos];
  }

  /** Flattens a batch of numEnvs observations into one [numEnvs, flatDim] array. */
  observations(obs: unknown): TypedArray {
    const out = this.newFlat(this.numEnvs * this.flatDim);
    for (let i = 0; i < this.numEnvs; i++) {
      const element = readBatchItem(this.innerSingleSpace, obs, i);
      const why = this.innerSingleSpace.explain(element);
      if (why !== null) throw new InvalidObservationError(`vector FlattenObservation: sub-env ${i} observation is invalid: ${why}`);
      this.innerSingleSpace.flattenInto(element, out, i * this.flatDim);
    }
    return out;
  }

  private flattenOne(obs: unknown): TypedArray {
    const out = this.newFlat(this.flatDim);
    this.innerSingleSpace.flattenInto(obs, out, 0);
    return out;
  }

  private newFlat(n: number): TypedArray {
    return flatDType(this.innerSingleSpace) === 'float32' ? new Float32Array(n) : new Float64Array(n);
  }
}
