/**
 * Gymnasium's vector `NormalizeReward`: each sub-env keeps its own discounted return
 * `G_i <- G_i * gamma * (1 - terminated_i) + reward_i`; one shared running variance is updated with the
 * returns of the active sub-envs each step and every reward is divided by `sqrt(var + epsilon)`.
 *
 * In NEXT_STEP / DISABLED autoreset mode the step after an episode end only resets that sub-env: its
 * return is left untouched and not fed to the statistics. In SAME_STEP mode a finished sub-env's return
 * restarts at zero right away. `reset()` clears the returns of the sub-envs it resets.
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import { checkOptions } from '../../../core/options.js';
import type { NormalizeRewardOptions } from '../../wrappers/normalize-reward.js';
import { RunningMeanStd, type RunningMeanStdState } from '../../wrappers/running-mean-std.js';
import { requireDiscount, requirePositive } from '../../wrappers/space-helpers.js';
import { VectorWrapper, type VectorEnv, type VectorResetArgs, type VectorResetResult, type VectorStepResult } from '../vector-env.js';
import { resetMaskOf } from './reset-mask.js';

export interface VectorNormalizeRewardState {
  returnRms: RunningMeanStdState;
  /** Per sub-env discounted returns (optional when restoring; must have numEnvs entries). */
  discountedReturns?: number[];
}

export class NormalizeReward<Obs = unknown, Act = unknown> extends VectorWrapper<Obs, Act> {
  readonly gamma: number;
  readonly epsilon: number;
  readonly returnRms = new RunningMeanStd();
  /** Per sub-env discounted return. */
  readonly discountedReturns: Float64Array;
  /** When false the statistics are frozen (e.g. for evaluation) but still applied. */
  updateRunningMean = true;
  private readonly prevDones: Uint8Array;

  constructor(env: VectorEnv<Obs, Act>, options: NormalizeRewardOptions = {}) {
    super(env);
    checkOptions('vector NormalizeReward', options, ['gamma', 'epsilon']);
    this.gamma = requireDiscount(options.gamma ?? 0.99, 'vector NormalizeReward');
    this.epsilon = requirePositive(options.epsilon ?? 1e-8, 'vector NormalizeReward', 'epsilon');
    this.discountedReturns = new Float64Array(this.numEnvs);
    this.prevDones = new Uint8Array(this.numEnvs);
  }

  override reset(args?: VectorResetArgs): VectorResetResult<Obs> {
    const result = this.env.reset(args) as VectorResetResult<Obs>;
    const mask = resetMaskOf(args, this.numEnvs, 'vector NormalizeReward');
    for (let i = 0; i < this.numEnvs; i++) {
      if (mask !== null && !mask[i]) continue;
      this.discountedReturns[i] = 0;
      this.prevDones[i] = 0;
    }
    return result;
  }

  override step(actions: Act): VectorStepResult<Obs> {
    const [obs, rewards, terminations, truncations, infos] = this.env.step(actions) as VectorStepResult<Obs>;
    const n = this.numEnvs;
    const sameStep = this.autoresetMode === 'SAME_STEP';
    const active: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!sameStep && this.prevDones[i]) continue;
      this.discountedReturns[i] = this.discountedReturns[i]! * this.gamma * (terminations[i] ? 0 : 1) + rewards[i]!;
      active.push(this.discountedReturns[i]!);
    }
    if (this.updateRunningMean && active.length > 0) this.returnRms.update(active, active.length);
    for (let i = 0; i < n; i++) {
      this.prevDones[i] = terminations[i] || truncations[i] ? 1 : 0;
      if (sameStep && this.prevDones[i]) this.discountedReturns[i] = 0;
    }
    const scale = 1 / Math.sqrt(this.returnRms.var[0]! + this.epsilon);
    const scaled = new Float64Array(n);
    for (let i = 0; i < n; i++) scaled[i] = rewards[i]! * scale;
    return [obs, scaled, terminations, truncations, infos];
  }

  getState(): VectorNormalizeRewardState {
    return { returnRms: this.returnRms.getState(), discountedReturns: Array.from(this.discountedReturns) };
  }

  setState(state: VectorNormalizeRewardState): void {
    if (typeof state !== 'object' || state === null) throw new InvalidArgumentError('NormalizeReward.setState expects { returnRms, discountedReturns? }');
    checkOptions('NormalizeReward.setState', state, ['returnRms', 'discountedReturns']);
    const g = state.discountedReturns;
    if (g !== undefined && (!Array.isArray(g) || g.length !== this.numEnvs || !g.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
      throw new InvalidArgumentError(`NormalizeReward.setState discountedReturns must be ${this.numEnvs} finite numbers (one per sub-env)`);
    }
    this.returnRms.setState(state.returnRms);
    if (g !== undefined) this.discountedReturns.set(g);
  }
}
