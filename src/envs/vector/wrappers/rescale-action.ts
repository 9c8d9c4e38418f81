/**
 * Gymnasium's vector `RescaleAction`: each sub-env accepts actions in `[minAction, maxAction]`, mapped
 * affinely onto the single action space's Box `[low, high]` (see the single-env `RescaleAction`).
 */
import { Box } from '../../../core/spaces/box.js';
import type { Space, TypedArray } from '../../../core/spaces/space.js';
import { assertInSpace } from '../../env.js';
import { BoxRescaling } from '../../wrappers/rescale-action.js';
import { requireBox } from '../../wrappers/space-helpers.js';
import { batchSpace } from '../batching.js';
import { VectorWrapper, type VectorEnv, type VectorStepResult } from '../vector-env.js';

function tile(v: number | ArrayLike<number>, times: number): number | number[] {
  if (typeof v === 'number') return v;
  const out: number[] = [];
  for (let k = 0; k < times; k++) for (let i = 0; i < v.length; i++) out.push(v[i]!);
  return out;
}

export class RescaleAction<Obs = unknown> extends VectorWrapper<Obs, TypedArray, unknown, TypedArray> {
  readonly minAction: number | ArrayLike<number>;
  readonly maxAction: number | ArrayLike<number>;
  /** The rescaling of the whole batch (bounds tiled numEnvs times). */
  private readonly rescaling: BoxRescaling;
  private readonly shapeCheck: Box;

  constructor(env: VectorEnv<Obs, TypedArray>, minAction: number | ArrayLike<number>, maxAction: number | ArrayLike<number>) {
    super(env);
    const single = requireBox(env.singleActionSpace, 'vector RescaleAction', 'single action space');
    // Validates the arguments against one sub-env first, so errors name single-env indices.
    const singleRescaling = new BoxRescaling(single, minAction, maxAction, 'vector RescaleAction');
    const n = this.numEnvs;
    const batched = batchSpace(single, n) as Box;
    const lengthOk = (v: number | ArrayLike<number>) => typeof v === 'number' || v.length === single.size;
    this.rescaling = new BoxRescaling(
      batched,
      lengthOk(minAction) ? tile(minAction, n) : minAction,
      lengthOk(maxAction) ? tile(maxAction, n) : maxAction,
      'vector RescaleAction',
    );
    this.minAction = minAction;
    this.maxAction = maxAction;
    this.singleActionSpace = singleRescaling.rescaled as Space<unknown> as Space<TypedArray>;
    this.actionSpace = this.rescaling.rescaled as Space<unknown> as Space<TypedArray>;
    this.shapeCheck = new Box(-Infinity, Infinity, batched.shape!, 'float64');
  }

  override step(actions: TypedArray): VectorStepResult<Obs> {
    return this.env.step(this.actions(actions)) as VectorStepResult<Obs>;
  }

  /** The batch of actions mapped onto the env's bounds. */
  actions(actions: TypedArray): TypedArray {
    assertInSpace(this.shapeCheck, actions, 'vector RescaleAction');
    return this.rescaling.toOriginal(actions);
  }
}
