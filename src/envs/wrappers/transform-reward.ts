/** Gymnasium's `TransformReward`: applies `fn` to every reward returned by `step`. */
import { InvalidArgumentError } from '../../core/errors.js';
import type { Env } from '../env.js';
import { RewardWrapper } from '../wrapper.js';

export class TransformReward<Obs = unknown, Act = unknown> extends RewardWrapper<Obs, Act> {
  readonly fn: (reward: number) => number;

  constructor(env: Env<Obs, Act>, fn: (reward: number) => number) {
    super(env);
    if (typeof fn !== 'function') throw new InvalidArgumentError(`TransformReward fn must be a function, got ${typeof fn}`);
    this.fn = fn;
  }

  override reward(reward: number): number {
    return this.fn(reward);
  }
}
