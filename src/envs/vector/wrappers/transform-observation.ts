/**
 * Gymnasium's vector `TransformObservation`: applies `fn` to each batch of observations (from `reset`
 * and `step`). When the transformed observations leave the env's spaces, pass the new batched
 * `observationSpace` and/or `singleObservationSpace`; given only the single space, the batched one
 * is derived from it.
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import type { Space } from '../../../core/spaces/space.js';
import { VectorWrapper, type VectorEnv, type VectorResetArgs, type VectorResetResult, type VectorStepResult } from '../vector-env.js';
import { batchSpace } from '../batching.js';

export class TransformObservation<WObs = unknown, Obs = unknown, Act = unknown> extends VectorWrapper<WObs, Act> {
  readonly fn: (obs: Obs) => WObs;

  constructor(env: VectorEnv<Obs, Act>, fn: (obs: Obs) => WObs, observationSpace?: Space<WObs>, singleObservationSpace?: Space<unknown>) {
    super(env);
    if (typeof fn !== 'function') throw new InvalidArgumentError(`vector TransformObservation fn must be a function, got ${typeof fn}`);
    if (singleObservationSpace !== undefined) this.singleObservationSpace = singleObservationSpace;
    if (observationSpace !== undefined) this.observationSpace = observationSpace;
    else if (singleObservationSpace !== undefined) this.observationSpace = batchSpace(singleObservationSpace, this.numEnvs);
    this.fn = fn;
  }

  override reset(args?: VectorResetArgs): VectorResetResult<WObs> {
    const [obs, infos] = this.env.reset(args) as VectorResetResult<Obs>;
    return [this.fn(obs), infos];
  }

  override step(actions: Act): VectorStepResult<WObs> {
    const [obs, rewards, terminations, truncations, infos] = this.env.step(actions) as VectorStepResult<Obs>;
    return [this.fn(obs), rewards, terminations, truncations, infos];
  }
}
