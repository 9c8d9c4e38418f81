/**
 * Swimmer-v5 (Gymnasium's MuJoCo task): make a three-link swimmer swim forward through a viscous fluid.
 *
 * Observation (float64, 8): qpos[2:] (body angle, 2 joint angles) then qvel (5); 10 with
 * `excludeCurrentPositionsFromObservation: false`. Action (float32, 2): joint torques in [-1, 1].
 * Reward = x-velocity (`reward_forward`) − 1e-4 Σa² (`reward_ctrl`); never terminates. Reset: qpos, qvel
 * `+ U(-0.1, 0.1)`. frame_skip 4 (dt 0.04 s).
 */
import { checkOptions } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { Box } from '../../core/spaces/box.js';
import type { StepResult } from '../env.js';
import { SWIMMER_MJCF } from './models/swimmer.js';
import { MujocoEnv, type MujocoEnvOptions } from './mujoco-env.js';
import { bool, finite } from './env-options.js';

export interface SwimmerOptions extends MujocoEnvOptions {
  frameSkip?: number;
  forwardRewardWeight?: number;
  ctrlCostWeight?: number;
  excludeCurrentPositionsFromObservation?: boolean;
}

const OPTION_KEYS = ['frameSkip', 'resetNoiseScale', 'dynamicsRandomization', 'forwardRewardWeight', 'ctrlCostWeight', 'excludeCurrentPositionsFromObservation'];

export class SwimmerEnv extends MujocoEnv {
  readonly forwardRewardWeight: number;
  readonly ctrlCostWeight: number;
  readonly excludeCurrentPositionsFromObservation: boolean;

  constructor(options: SwimmerOptions = {}) {
    checkOptions('SwimmerEnv', options, OPTION_KEYS);
    super(SWIMMER_MJCF, options.frameSkip ?? 4, 0.1, options);
    this.forwardRewardWeight = finite('SwimmerEnv', 'forwardRewardWeight', options.forwardRewardWeight, 1.0);
    this.ctrlCostWeight = finite('SwimmerEnv', 'ctrlCostWeight', options.ctrlCostWeight, 1e-4);
    this.excludeCurrentPositionsFromObservation = bool('SwimmerEnv', 'excludeCurrentPositionsFromObservation', options.excludeCurrentPositionsFromObservation, true);
    const size = this.model.nq + this.model.nv - (this.excludeCurrentPositionsFromObservation ? 2 : 0);
    this.observationSpace = new Box(-Infinity, Infinity, [size], 'float64');
  }

  protected resetModel(rng: Rng): void {
    const s = this.resetNoiseScale;
    this.setState(this.uniformNoise(rng, this.initQpos, s), this.uniformNoise(rng, this.initQvel, s));
  }

  protected getObs(): Float64Array {
    return this.positionsThenVelocities(this.excludeCurrentPositionsFromObservation ? 2 : 0);
  }

  protected override resetInfo(): Record<string, unknown> {
    const q = this.qpos;
    return { x_position: q[0]!, y_position: q[1]!, distance_from_origin: Math.hypot(q[0]!, q[1]!) };
  }

  step(action: Float32Array): StepResult<Float64Array> {
    const a = this.checkAction(action);
    const x0 = this.qpos[0]!;
    const y0 = this.qpos[1]!;
    this.doSimulation(a);
    const q = this.qpos;
    const xVelocity = (q[0]! - x0) / this.dt;
    const yVelocity = (q[1]! - y0) / this.dt;
    let sq = 0;
    for (let i = 0; i < a.length; i++) sq += a[i]! * a[i]!;
    const forward = this.forwardRewardWeight * xVelocity;
    const ctrlCost = this.ctrlCostWeight * sq;
    const info = {
      x_position: q[0]!,
      y_position: q[1]!,
      distance_from_origin: Math.hypot(q[0]!, q[1]!),
      x_velocity: xVelocity,
      y_velocity: yVelocity,
      reward_forward: forward,
      reward_ctrl: -ctrlCost,
    };
    return [this.getObs(), forward - ctrlCost, false, false, info];
  }
}
