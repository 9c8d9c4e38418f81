/**
 * HalfCheetah-v5 (Gymnasium's MuJoCo task): make a planar two-legged cheetah run forward.
 *
 * Observation (float64, 17): qpos without rootx (8: rootz, rooty, 6 leg angles) then qvel (9); with
 * `excludeCurrentPositionsFromObservation: false`, 18 with rootx first. Action (float32, 6): torques in
 * [-1, 1] for bthigh, bshin, bfoot, fthigh, fshin, ffoot. Reward = forwardRewardWeight × x-velocity
 * (`info.reward_forward`) − ctrlCostWeight × Σ a² (`info.reward_ctrl` is the negated cost); never
 * terminates (1000-step time limit). Reset: qpos `+ U(-0.1, 0.1)`, qvel `+ 0.1 × N(0, 1)`. frame_skip 5.
 */
import { checkOptions } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { Box } from '../../core/spaces/box.js';
import type { StepResult } from '../env.js';
import { HALF_CHEETAH_MJCF } from './models/half-cheetah.js';
import { bool, finite } from './env-options.js';
import { MujocoEnv, type MujocoEnvOptions } from './mujoco-env.js';

export interface HalfCheetahOptions extends MujocoEnvOptions {
  frameSkip?: number;
  forwardRewardWeight?: number;
  ctrlCostWeight?: number;
  excludeCurrentPositionsFromObservation?: boolean;
}

const OPTION_KEYS = [
  'frameSkip',
  'resetNoiseScale',
  'dynamicsRandomization',
  'forwardRewardWeight',
  'ctrlCostWeight',
  'excludeCurrentPositionsFromObservation',
];

export class HalfCheetahEnv extends MujocoEnv {
  readonly forwardRewardWeight: number;
  readonly ctrlCostWeight: number;
  readonly excludeCurrentPositionsFromObservation: boolean;

  constructor(options: HalfCheetahOptions = {}) {
    checkOptions('HalfCheetahEnv', options, OPTION_KEYS);
    super(HALF_CHEETAH_MJCF, options.frameSkip ?? 5, 0.1, options);
    this.forwardRewardWeight = finite('HalfCheetahEnv', 'forwardRewardWeight', options.forwardRewardWeight, 1.0);
    this.ctrlCostWeight = finite('HalfCheetahEnv', 'ctrlCostWeight', options.ctrlCostWeight, 0.1);
    const exclude = bool('HalfCheetahEnv', 'excludeCurrentPositionsFromObservation', options.excludeCurrentPositionsFromObservation, true);
    this.excludeCurrentPositionsFromObservation = exclude;
    const size = this.model.nq + this.model.nv - (exclude ? 1 : 0);
    this.observationSpace = new Box(-Infinity, Infinity, [size], 'float64');
  }

  protected resetModel(rng: Rng): void {
    const s = this.resetNoiseScale;
    this.setState(this.uniformNoise(rng, this.initQpos, s), this.normalNoise(rng, this.initQvel, s));
  }

  protected getObs(): Float64Array {
    return this.positionsThenVelocities(this.excludeCurrentPositionsFromObservation ? 1 : 0);
  }

  /** ctrlCostWeight × Σ a². */
  controlCost(action: ArrayLike<number>): number {
    let sum = 0;
    for (let i = 0; i < action.length; i++) sum += action[i]! * action[i]!;
    return this.ctrlCostWeight * sum;
  }

  step(action: Float32Array): StepResult<Float64Array> {
    const a = this.checkAction(action);
    const xBefore = this.qpos[0]!;
    this.doSimulation(a);
    const xAfter = this.qpos[0]!;
    const xVelocity = (xAfter - xBefore) / this.dt;
    const forward = this.forwardRewardWeight * xVelocity;
    const ctrlCost = this.controlCost(a);
    const info = { x_position: xAfter, x_velocity: xVelocity, reward_forward: forward, reward_ctrl: -ctrlCost };
    return [this.getObs(), forward - ctrlCost, false, false, info];
  }
}
