/**
 * Gymnasium's `ClipAction`: clips each action into the wrapped env's Box bounds. The wrapper's own
 * action space is the unbounded Box of the same shape and dtype (any finite action is accepted).
 */
import { Box } from '../../core/spaces/box.js';
import { TYPED_ARRAY_OF, type TypedArray } from '../../core/spaces/space.js';
import { assertInSpace, type Env } from '../env.js';
import { ActionWrapper } from '../wrapper.js';
import { requireBox } from './space-helpers.js';

/** Clips `action` (typed array, number[] or a bare number for one-element boxes) into `box`. */
export function clipIntoBox(box: Box, action: ArrayLike<number> | number): TypedArray {
  const src = typeof action === 'number' ? [action] : action;
  const out = new TYPED_ARRAY_OF[box.dtype!](box.size);
  for (let i = 0; i < box.size; i++) out[i] = Math.min(Math.max(src[i]!, box.low[i]!), box.high[i]!);
  return out;
}

export class ClipAction<Obs = unknown> extends ActionWrapper<TypedArray, TypedArray, Obs> {
  private readonly bounds: Box;

  constructor(env: Env<Obs, TypedArray>) {
    super(env);
    this.bounds = requireBox(env.actionSpace, 'ClipAction', 'action space');
    this.actionSpace = new Box(-Infinity, Infinity, this.bounds.shape!, this.bounds.dtype!);
  }

  override action(action: TypedArray): TypedArray {
    // Shape and NaN are still checked here: clipping cannot repair them.
    assertInSpace(this.actionSpace, action, 'ClipAction');
    return clipIntoBox(this.bounds, action);
  }
}
