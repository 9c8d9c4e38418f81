/**
 * Gymnasium's `TimeLimit`: truncates episodes after `maxEpisodeSteps` steps.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { Env, ResetArgs, ResetResult, StepResult } from '../env.js';
import { Wrapper } from '../wrapper.js';

/**
 * Truncates episodes after `maxEpisodeSteps` steps: `truncated` becomes true on that step
 * (`terminated` is passed through unchanged, so both can be true).
 */
export class TimeLimit<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act, Obs, Act> {
  readonly maxEpisodeSteps: number;
  /** Steps taken in the current episode. */
  elapsedSteps = 0;

  constructor(env: Env<Obs, Act>, maxEpisodeSteps: number) {
    super(env);
    if (!Number.isSafeInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new InvalidArgumentError(`TimeLimit maxEpisodeSteps must be a positive integer, got ${String(maxEpisodeSteps)}`);
    }
    this.maxEpisodeSteps = maxEpisodeSteps;
  }

  override step(action: Act): StepResult<Obs> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    this.elapsedSteps += 1;
    return [obs, reward, terminated, truncated || this.elapsedSteps >= this.maxEpisodeSteps, info];
  }

  override reset(args: ResetArgs = {}): ResetResult<Obs> {
    this.elapsedSteps = 0;
    return this.env.reset(args);
  }
}
