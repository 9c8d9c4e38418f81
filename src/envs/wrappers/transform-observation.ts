/**
 * Gymnasium's `TransformObservation`: applies `fn` to every observation from `reset` and `step`.
 * Pass `observationSpace` when the transformed observations leave the wrapped env's space.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { Space } from '../../core/spaces/space.js';
import type { Env } from '../env.js';
import { ObservationWrapper } from '../wrapper.js';

export class TransformObservation<WObs, Obs = WObs, Act = unknown> extends ObservationWrapper<WObs, Obs, Act> {
  readonly fn: (obs: Obs) => WObs;

  constructor(env: Env<Obs, Act>, fn: (obs: Obs) => WObs, observationSpace?: Space<WObs>) {
    super(env);
    if (typeof fn !== 'function') throw new InvalidArgumentError(`TransformObservation fn must be a function, got ${typeof fn}`);
    if (observationSpace !== undefined) this.observationSpace = observationSpace;
    this.fn = fn;
  }

  override observation(obs: Obs): WObs {
    return this.fn(obs);
  }
}
