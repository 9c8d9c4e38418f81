/**
 * Shared logic of Hopper-v5 and Walker2d-v5 (planar walkers with a slide-slide-hinge root): reward =
 * forward velocity + healthy bonus − control cost, termination when unhealthy (torso height or pitch out
 * of range, or for Hopper any state entry out of range), velocities clipped to ±10 in the observation,
 * uniform reset noise on qpos and qvel. The `info` keys follow Gymnasium.
 */
import { checkOptions } from '../../core/options.js';
import { finite, bool, range, type Range } from './env-options.js';
import type { Rng } from '../../core/rng.js';
import { Box } from '../../core/spaces/box.js';
import type { StepResult } from '../env.js';
import { MujocoEnv, type MujocoEnvOptions } from './mujoco-env.js';


export interface PlanarWalkerOptions extends MujocoEnvOptions {
  frameSkip?: number;
  forwardRewardWeight?: number;
  ctrlCostWeight?: number;
  healthyReward?: number;
  terminateWhenUnhealthy?: boolean;
  /** Open interval for the torso height qpos[1]. */
  healthyZRange?: Range;
  /** Open interval for the torso pitch qpos[2]. */
  healthyAngleRange?: Range;
  excludeCurrentPositionsFromObservation?: boolean;
}

export interface PlanarWalkerDefaults {
  frameSkip: number;
  resetNoiseScale: number;
  healthyZRange: Range;
  healthyAngleRange: Range;
}

const BASE_KEYS = [
  'frameSkip',
  'resetNoiseScale',
  'dynamicsRandomization',
  'forwardRewardWeight',
  'ctrlCostWeight',
  'healthyReward',
  'terminateWhenUnhealthy',
  'healthyZRange',
  'healthyAngleRange',
  'excludeCurrentPositionsFromObservation',
];

const VELOCITY_CLIP = 10;

export abstract class PlanarWalkerEnv extends MujocoEnv {
  readonly forwardRewardWeight: number;
  readonly ctrlCostWeight: number;
  readonly healthyReward: number;
  readonly terminateWhenUnhealthy: boolean;
  readonly healthyZRange: Range;
  readonly healthyAngleRange: Range;
  readonly excludeCurrentPositionsFromObservation: boolean;

  constructor(xml: string, options: PlanarWalkerOptions, defaults: PlanarWalkerDefaults, extraKeys: string[] = []) {
    checkOptions(new.target.name, options, [...BASE_KEYS, ...extraKeys]);
    super(xml, options.frameSkip ?? defaults.frameSkip, defaults.resetNoiseScale, options);
    const name = this.constructor.name;
    this.forwardRewardWeight = finite(name, 'forwardRewardWeight', options.forwardRewardWeight, 1.0);
    this.ctrlCostWeight = finite(name, 'ctrlCostWeight', options.ctrlCostWeight, 1e-3);
    this.healthyReward = finite(name, 'healthyReward', options.healthyReward, 1.0);
    this.terminateWhenUnhealthy = bool(name, 'terminateWhenUnhealthy', options.terminateWhenUnhealthy, true);
    this.healthyZRange = range(name, 'healthyZRange', options.healthyZRange, defaults.healthyZRange);
    this.healthyAngleRange = range(name, 'healthyAngleRange', options.healthyAngleRange, defaults.healthyAngleRange);
    this.excludeCurrentPositionsFromObservation = bool(
      name,
      'excludeCurrentPositionsFromObservation',
      options.excludeCurrentPositionsFromObservation,
      true,
    );
    const size = this.model.nq + this.model.nv - (this.excludeCurrentPositionsFromObservation ? 1 : 0);
    this.observationSpace = new Box(-Infinity, Infinity, [size], 'float64');
  }

  /** Whether the walker is upright: height and pitch inside their open intervals (plus subclass checks). */
  get isHealthy(): boolean {
    const q = this.qpos;
    const z = q[1]!;
    const angle = q[2]!;
    return (
      this.healthyZRange[0] < z &&
      z < this.healthyZRange[1] &&
      this.healthyAngleRange[0] < angle &&
      angle < this.healthyAngleRange[1] &&
      this.extraHealthy()
    );
  }

  protected extraHealthy(): boolean {
    return true;
  }

  controlCost(action: ArrayLike<number>): number {
    let sum = 0;
    for (let i = 0; i < action.length; i++) sum += action[i]! * action[i]!;
    return this.ctrlCostWeight * sum;
  }

  protected resetModel(rng: Rng): void {
    const s = this.resetNoiseScale;
    this.setState(this.uniformNoise(rng, this.initQpos, s), this.uniformNoise(rng, this.initQvel, s));
  }

  protected getObs(): Float64Array {
    const skip = this.excludeCurrentPositionsFromObservation ? 1 : 0;
    const q = this.qpos;
    const v = this.qvel;
    const obs = new Float64Array(q.length - skip + v.length);
    obs.set(q.subarray(skip));
    const off = q.length - skip;
    for (let i = 0; i < v.length; i++) obs[off + i] = Math.min(VELOCITY_CLIP, Math.max(-VELOCITY_CLIP, v[i]!));
    return obs;
  }

  protected override resetInfo(): Record<string, unknown> {
    const q = this.qpos;
    return { x_position: q[0]!, z_distance_from_origin: q[1]! - this.initQpos[1]! };
  }

  step(action: Float32Array): StepResult<Float64Array> {
    const a = this.checkAction(action);
    const xBefore = this.qpos[0]!;
    this.doSimulation(a);
    const q = this.qpos;
    const xAfter = q[0]!;
    const xVelocity = (xAfter - xBefore) / this.dt;
    const healthy = this.isHealthy;
    const forward = this.forwardRewardWeight * xVelocity;
    const survive = healthy ? this.healthyReward : 0;
    const ctrlCost = this.controlCost(a);
    const info = {
      x_position: xAfter,
      z_distance_from_origin: q[1]! - this.initQpos[1]!,
      x_velocity: xVelocity,
      reward_forward: forward,
      reward_ctrl: -ctrlCost,
      reward_survive: survive,
    };
    const terminated = !healthy && this.terminateWhenUnhealthy;
    return [this.getObs(), forward + survive - ctrlCost, terminated, false, info];
  }
}
