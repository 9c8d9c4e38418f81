import { ResetNeededError } from '../../core/errors.js';
import type { Env, ResetArgs, ResetResult, StepResult } from '../env.js';
import { Wrapper } from '../wrapper.js';

/**
 * Throws `ResetNeededError` when `step()` is called before `reset()`, or after an episode ended
 * (terminated or truncated) without a new `reset()`; and when `render()` is called before `reset()`
 * unless `disableRenderOrderEnforcing`. Gymnasium's `OrderEnforcing`, made strict about stepping past the end.
 */
export class OrderEnforcing<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act, Obs, Act> {
  private hasReset = false;
  private episodeOver = false;
  readonly disableRenderOrderEnforcing: boolean;

  constructor(env: Env<Obs, Act>, options: { disableRenderOrderEnforcing?: boolean } = {}) {
    super(env);
    this.disableRenderOrderEnforcing = options.disableRenderOrderEnforcing ?? false;
  }

  /** Whether `reset()` has been called. */
  get hasResetBeenCalled(): boolean {
    return this.hasReset;
  }

  override reset(args: ResetArgs = {}): ResetResult<Obs> {
    const result = this.env.reset(args);
    this.hasReset = true;
    this.episodeOver = false;
    return result;
  }

  override step(action: Act): StepResult<Obs> {
    if (!this.hasReset) throw new ResetNeededError('Cannot call env.step() before calling env.reset()');
    if (this.episodeOver) {
      throw new ResetNeededError('Cannot call env.step() after the episode ended (terminated or truncated); call env.reset() first');
    }
    const result = this.env.step(action);
    if (result[2] || result[3]) this.episodeOver = true;
    return result;
  }

  override render(): unknown {
    if (!this.disableRenderOrderEnforcing && !this.hasReset) {
      throw new ResetNeededError('Cannot call env.render() before calling env.reset()');
    }
    return this.env.render();
  }
}
