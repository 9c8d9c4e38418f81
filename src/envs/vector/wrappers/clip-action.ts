/**
 * Gymnasium's vector `ClipAction`: clips every sub-env's action into the single action space's Box
 * bounds. The wrapper accepts any finite batch of the right shape (unbounded Box spaces).
 */
import { Box } from '../../../core/spaces/box.js';
import type { Space, TypedArray } from '../../../core/spaces/space.js';
import { assertInSpace } from '../../env.js';
import { clipIntoBox } from '../../wrappers/clip-action.js';
import { requireBox } from '../../wrappers/space-helpers.js';
import { batchSpace } from '../batching.js';
import { VectorWrapper, type VectorEnv, type VectorStepResult } from '../vector-env.js';

export class ClipAction<Obs = unknown> extends VectorWrapper<Obs, TypedArray, unknown, TypedArray> {
  /** The env's batched action Box: the bounds actions are clipped into. */
  private readonly bounds: Box;

  constructor(env: VectorEnv<Obs, TypedArray>) {
    super(env);
    const single = requireBox(env.singleActionSpace, 'vector ClipAction', 'single action space');
    this.bounds = batchSpace(single, this.numEnvs) as Box;
    const unbounded = new Box(-Infinity, Infinity, single.shape!, single.dtype!);
    this.singleActionSpace = unbounded as Space<unknown> as Space<TypedArray>;
    this.actionSpace = batchSpace(unbounded, this.numEnvs);
  }

  override step(actions: TypedArray): VectorStepResult<Obs> {
    return this.env.step(this.actions(actions)) as VectorStepResult<Obs>;
  }

  /** The clipped batch of actions. */
  actions(actions: TypedArray): TypedArray {
    assertInSpace(this.actionSpace, actions, 'vector ClipAction');
    return clipIntoBox(this.bounds, actions);
  }
}
