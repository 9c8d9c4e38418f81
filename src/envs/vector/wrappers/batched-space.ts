/**
 * The batched form of a single-env space (Box → Box with a leading numEnvs dimension, Discrete →
 * MultiDiscrete), as `batchSpace` in `src/envs/vector/` defines it for these cases.
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import { Box } from '../../../core/spaces/box.js';
import { Discrete } from '../../../core/spaces/discrete.js';
import { MultiDiscrete } from '../../../core/spaces/multi-discrete.js';
import type { Space } from '../../../core/spaces/space.js';
import { stackBox } from '../../wrappers/space-helpers.js';

export function batchedSpace(single: Space<unknown>, numEnvs: number): Space<unknown> {
  if (single instanceof Box) return stackBox(single, numEnvs);
  if (single instanceof Discrete) return new MultiDiscrete(new Array<number>(numEnvs).fill(single.n), new Array<number>(numEnvs).fill(single.start));
  throw new InvalidArgumentError(`Cannot derive the batched space of ${single.toString()} here; pass the batched space as well`);
}
