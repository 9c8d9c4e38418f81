/** Gymnasium's vector `TransformReward`: applies `fn` to the batch of rewards (a Float64Array of numEnvs). */
import { InvalidArgumentError } from '../../../core/errors.js';
import { VectorWrapper, type VectorEnv, type VectorStepResult } from '../vector-env.js';

export class TransformReward<Obs = unknown, Act = unknown> extends VectorWrapper<Obs, Act> {
  readonly fn: (rewards: Float64Array) => Float64Array;

  constructor(env: VectorEnv<Obs, Act>, fn: (rewards: Float64Array) => Float64Array) {
    super(env);
    if (typeof fn !== 'function') throw new InvalidArgumentError(`vector TransformReward fn must be a function, got ${typeof fn}`);
    this.fn = fn;
  }

  override step(actions: Act): VectorStepResult<Obs> {
    const [obs, rewards, terminations, truncations, infos] = this.env.step(actions) as VectorStepResult<Obs>;
    const out = this.fn(rewards);
    if (!(out instanceof Float64Array) || out.length !== this.numEnvs) {
      throw new InvalidArgumentError(`vector TransformReward fn must return a Float64Array of ${this.numEnvs} rewards`);
    }
    return [obs, out, terminations, truncations, infos];
  }
}
