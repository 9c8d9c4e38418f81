/**
 * Gymnasium's vector `TransformAction`: applies `fn` to each batch of actions before the wrapped vector
 * env sees it. Pass the accepted batched `actionSpace` and/or `singleActionSpace` when they change;
 * given only the single space, the batched one is derived from it.
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import type { Space } from '../../../core/spaces/space.js';
import { VectorWrapper, type VectorEnv, type VectorStepResult } from '../vector-env.js';
import { batchSpace } from '../batching.js';

export class TransformAction<WAct = unknown, Act = unknown, Obs = unknown> extends VectorWrapper<Obs, WAct> {
  readonly fn: (actions: WAct) => Act;

  constructor(env: VectorEnv<Obs, Act>, fn: (actions: WAct) => Act, actionSpace?: Space<WAct>, singleActionSpace?: Space<unknown>) {
    super(env);
    if (typeof fn !== 'function') throw new InvalidArgumentError(`vector TransformAction fn must be a function, got ${typeof fn}`);
    if (singleActionSpace !== undefined) this.singleActionSpace = singleActionSpace;
    if (actionSpace !== undefined) this.actionSpace = actionSpace;
    else if (singleActionSpace !== undefined) this.actionSpace = batchSpace(singleActionSpace, this.numEnvs);
    this.fn = fn;
  }

  override step(actions: WAct): VectorStepResult<Obs> {
    return this.env.step(this.fn(actions)) as VectorStepResult<Obs>;
  }
}
