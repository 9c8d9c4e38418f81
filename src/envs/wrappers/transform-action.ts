/**
 * Gymnasium's `TransformAction`: applies `fn` to every action before the wrapped env sees it;
 * `actionSpace` (optional) is the space of the actions the wrapper accepts.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { Space } from '../../core/spaces/space.js';
import type { Env } from '../env.js';
import { ActionWrapper } from '../wrapper.js';

export class TransformAction<WAct, Act = WAct, Obs = unknown> extends ActionWrapper<WAct, Act, Obs> {
  readonly fn: (action: WAct) => Act;

  constructor(env: Env<Obs, Act>, fn: (action: WAct) => Act, actionSpace?: Space<WAct>) {
    super(env);
    if (typeof fn !== 'function') throw new InvalidArgumentError(`TransformAction fn must be a function, got ${typeof fn}`);
    if (actionSpace !== undefined) this.actionSpace = actionSpace;
    this.fn = fn;
  }

  override action(action: WAct): Act {
    return this.fn(action);
  }
}
