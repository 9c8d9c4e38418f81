/**
 * Reads sub-env i's element out of a batched element, following the batching convention of
 * `vector-env.ts`: array-valued spaces (Box, MultiDiscrete, MultiBinary) are one flat env-major typed
 * array, Discrete is one number per env, Dict and Tuple batch entry by entry.
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import { Dict } from '../../../core/spaces/dict.js';
import { Discrete } from '../../../core/spaces/discrete.js';
import type { Space, TypedArray } from '../../../core/spaces/space.js';
import { Tuple } from '../../../core/spaces/tuple.js';

export function elementAt(space: Space<unknown>, batched: unknown, index: number): unknown {
  if (space instanceof Discrete) return (batched as ArrayLike<number>)[index];
  if (space instanceof Dict) {
    const obj = batched as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of space.keys) out[k] = elementAt(space.spaces[k]!, obj[k], index);
    return out;
  }
  if (space instanceof Tuple) return space.spaces.map((s, j) => elementAt(s, (batched as unknown[])[j], index));
  if (space.shape !== null) {
    const size = space.flatDim;
    return (batched as TypedArray).subarray(index * size, (index + 1) * size);
  }
  throw new InvalidArgumentError(`Cannot read a sub-env element of ${space.toString()}`);
}
