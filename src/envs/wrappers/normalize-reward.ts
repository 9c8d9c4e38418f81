/**
 * Gymnasium's `NormalizeReward`: divides each reward by the running standard deviation of the
 * discounted return, `reward / sqrt(var + epsilon)` (the mean is not subtracted, as in Gymnasium).
 *
 * The return accumulator follows Gymnasium 1.x exactly: `G <- G * gamma * (1 - terminated) + reward`,
 * so a terminating step zeroes the carried return before adding its own reward, truncation carries it
 * over, and `reset()` does not clear it.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import type { Env, StepResult } from '../env.js';
import { Wrapper } from '../wrapper.js';
import { RunningMeanStd, type RunningMeanStdState } from './running-mean-std.js';
import { requireDiscount, requirePositive } from './space-helpers.js';

export interface NormalizeRewardOptions {
  /** Discount of the return whose variance is tracked (default 0.99). */
  gamma?: number;
  /** Added to the variance under the square root (default 1e-8). */
  epsilon?: number;
}

export interface NormalizeRewardState {
  returnRms: RunningMeanStdState;
  /** The discounted return accumulated so far (optional when restoring). */
  discountedReturn?: number;
}

export class NormalizeReward<Obs = unknown, Act = unknown> extends Wrapper<Obs, Act, Obs, Act> {
  readonly gamma: number;
  readonly epsilon: number;
  readonly returnRms = new RunningMeanStd();
  /** The running discounted return `G`. */
  discountedReturn = 0;
  /** When false the statistics are frozen (e.g. for evaluation) but still applied. */
  updateRunningMean = true;

  constructor(env: Env<Obs, Act>, options: NormalizeRewardOptions = {}) {
    super(env);
    checkOptions('NormalizeReward', options, ['gamma', 'epsilon']);
    this.gamma = requireDiscount(options.gamma ?? 0.99, 'NormalizeReward');
    this.epsilon = requirePositive(options.epsilon ?? 1e-8, 'NormalizeReward', 'epsilon');
  }

  override step(action: Act): StepResult<Obs> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    this.discountedReturn = this.discountedReturn * this.gamma * (terminated ? 0 : 1) + reward;
    if (this.updateRunningMean) this.returnRms.update([this.discountedReturn], 1);
    return [obs, reward / Math.sqrt(this.returnRms.var[0]! + this.epsilon), terminated, truncated, info];
  }

  getState(): NormalizeRewardState {
    return { returnRms: this.returnRms.getState(), discountedReturn: this.discountedReturn };
  }

  setState(state: NormalizeRewardState): void {
    if (typeof state !== 'object' || state === null) throw new InvalidArgumentError('NormalizeReward.setState expects { returnRms, discountedReturn? }');
    checkOptions('NormalizeReward.setState', state, ['returnRms', 'discountedReturn']);
    const g = state.discountedReturn;
    if (g !== undefined && (typeof g !== 'number' || !Number.isFinite(g))) {
      throw new InvalidArgumentError(`NormalizeReward.setState discountedReturn must be a finite number, got ${String(g)}`);
    }
    this.returnRms.setState(state.returnRms);
    if (g !== undefined) this.discountedReturn = g;
  }
}
