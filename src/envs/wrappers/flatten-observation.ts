/**
 * Gymnasium's `FlattenObservation`: observations become flat Boxes (`flattenSpace` / `flatten`),
 * e.g. Discrete becomes a one-hot vector and Dict entries are concatenated in sorted key order.
 */
import type { Box } from '../../core/spaces/box.js';
import type { Space, TypedArray } from '../../core/spaces/space.js';
import { flatten, flattenSpace } from '../../core/spaces/utils.js';
import type { Env } from '../env.js';
import { ObservationWrapper } from '../wrapper.js';

export class FlattenObservation<Obs = unknown, Act = unknown> extends ObservationWrapper<TypedArray, Obs, Act> {
  private readonly innerSpace: Space<Obs>;

  constructor(env: Env<Obs, Act>) {
    super(env);
    this.innerSpace = env.observationSpace;
    this.observationSpace = flattenSpace(env.observationSpace) as Box as Space<TypedArray>;
  }

  override observation(obs: Obs): TypedArray {
    return flatten(this.innerSpace, obs);
  }
}
