/**
 * Ant-v5 (Gymnasium's MuJoCo task): make a four-legged ant walk forward (+x).
 *
 * Observation (float64, 105): qpos[2:] (torso z, quaternion, 8 joint angles: 13), qvel (14), then the
 * external contact forces `cfrc_ext` of bodies 1..13 clipped to [-1, 1] (78); 29 without contact forces
 * (`includeCfrcExtInObservation: false`), +2 with `excludeCurrentPositionsFromObservation: false`.
 * Action (float32, 8): torques in [-1, 1] (hip/ankle of legs 4, 1, 2, 3). Reward = torso x-velocity
 * (`reward_forward`) + 1 while healthy (`reward_survive`) − 0.5 Σa² (`reward_ctrl`) − 5e-4 Σ clip(cfrc_ext)²
 * over all bodies (`reward_contact`). Healthy: finite state and 0.2 ≤ torso z ≤ 1.0; terminates when
 * unhealthy. Reset: qpos `+ U(-0.1, 0.1)` (quaternion included, as in Gymnasium), qvel `+ 0.1 N(0,1)`.
 * frame_skip 5 (dt 0.05 s).
 */
import { checkOptions } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { Box } from '../../core/spaces/box.js';
import type { StepResult } from '../env.js';
import { ANT_MJCF } from './models/ant.js';
import { MujocoEnv, type MujocoEnvOptions } from './mujoco-env.js';
import { bool, finite, range, type Range } from './env-options.js';

export interface AntOptions extends MujocoEnvOptions {
  frameSkip?: number;
  forwardRewardWeight?: number;
  ctrlCostWeight?: number;
  contactCostWeight?: number;
  healthyReward?: number;
  terminateWhenUnhealthy?: boolean;
  /** Closed interval for the torso height. */
  healthyZRange?: Range;
  /** Clipping range of the contact forces (cost and observation). */
  contactForceRange?: Range;
  excludeCurrentPositionsFromObservation?: boolean;
  includeCfrcExtInObservation?: boolean;
}

const OPTION_KEYS = [
  'frameSkip',
  'resetNoiseScale',
  'dynamicsRandomization',
  'forwardRewardWeight',
  'ctrlCostWeight',
  'contactCostWeight',
  'healthyReward',
  'terminateWhenUnhealthy',
  'healthyZRange',
  'contactForceRange',
  'excludeCurrentPositionsFromObservation',
  'includeCfrcExtInObservation',
];

export class AntEnv extends MujocoEnv {
  readonly forwardRewardWeight: number;
  readonly ctrlCostWeight: number;
  readonly contactCostWeight: number;
  readonly healthyReward: number;
  readonly terminateWhenUnhealthy: boolean;
  readonly healthyZRange: Range;
  readonly contactForceRange: Range;
  readonly excludeCurrentPositionsFromObservation: boolean;
  readonly includeCfrcExtInObservation: boolean;
  private readonly torso: number;

  constructor(options: AntOptions = {}) {
    checkOptions('AntEnv', options, OPTION_KEYS);
    super(ANT_MJCF, options.frameSkip ?? 5, 0.1, options);
    const n = 'AntEnv';
    this.forwardRewardWeight = finite(n, 'forwardRewardWeight', options.forwardRewardWeight, 1);
    this.ctrlCostWeight = finite(n, 'ctrlCostWeight', options.ctrlCostWeight, 0.5);
    this.contactCostWeight = finite(n, 'contactCostWeight', options.contactCostWeight, 5e-4);
    this.healthyReward = finite(n, 'healthyReward', options.healthyReward, 1.0);
    this.terminateWhenUnhealthy = bool(n, 'terminateWhenUnhealthy', options.terminateWhenUnhealthy, true);
    this.healthyZRange = range(n, 'healthyZRange', options.healthyZRange, [0.2, 1.0]);
    this.contactForceRange = range(n, 'contactForceRange', options.contactForceRange, [-1.0, 1.0]);
    this.excludeCurrentPositionsFromObservation = bool(n, 'excludeCurrentPositionsFromObservation', options.excludeCurrentPositionsFromObservation, true);
    this.includeCfrcExtInObservation = bool(n, 'includeCfrcExtInObservation', options.includeCfrcExtInObservation, true);
    this.torso = this.nameToId('body', 'torso');
    const m = this.model;
    const size = m.nq + m.nv - (this.excludeCurrentPositionsFromObservation ? 2 : 0) + (this.includeCfrcExtInObservation ? 6 * (m.nbody - 1) : 0);
    this.observationSpace = new Box(-Infinity, Infinity, [size], 'float64');
  }

  /** Contact forces of every body (`nbody × 6`), clipped to `contactForceRange` (as last computed). */
  clippedContactForces(): Float64Array {
    const raw = this.data.cfrc_ext as Float64Array;
    const [lo, hi] = this.contactForceRange;
    const out = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = Math.min(hi, Math.max(lo, raw[i]!));
    return out;
  }

  get isHealthy(): boolean {
    const q = this.qpos;
    const v = this.qvel;
    for (let i = 0; i < q.length; i++) if (!Number.isFinite(q[i]!)) return false;
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
    return this.healthyZRange[0] <= q[2]! && q[2]! <= this.healthyZRange[1];
  }

  protected resetModel(rng: Rng): void {
    const s = this.resetNoiseScale;
    this.setState(this.uniformNoise(rng, this.initQpos, s), this.normalNoise(rng, this.initQvel, s));
  }

  protected getObs(): Float64Array {
    const skip = this.excludeCurrentPositionsFromObservation ? 2 : 0;
    const obs = this.positionsThenVelocities(skip, new Float64Array(this.observationSpace.shape![0]!));
    if (this.includeCfrcExtInObservation) obs.set(this.clippedContactForces().subarray(6), this.qpos.length - skip + this.qvel.length);
    return obs;
  }

  protected override resetInfo(): Record<string, unknown> {
    const q = this.qpos;
    return { x_position: q[0]!, y_position: q[1]!, distance_from_origin: Math.hypot(q[0]!, q[1]!) };
  }

  private torsoXY(): [number, number] {
    const xpos = this.data.xpos as Float64Array;
    return [xpos[3 * this.torso]!, xpos[3 * this.torso + 1]!];
  }

  step(action: Float32Array): StepResult<Float64Array> {
    const a = this.checkAction(action);
    const [x0, y0] = this.torsoXY();
    this.doSimulation(a);
    // Contact forces are computed lazily by MuJoCo; Gymnasium runs this after every step.
    this.mj.mj_rnePostConstraint(this.model, this.data);
    const [x1, y1] = this.torsoXY();
    const xVelocity = (x1 - x0) / this.dt;
    const yVelocity = (y1 - y0) / this.dt;
    const healthy = this.isHealthy;
    const forward = this.forwardRewardWeight * xVelocity;
    const survive = healthy ? this.healthyReward : 0;
    let sq = 0;
    for (let i = 0; i < a.length; i++) sq += a[i]! * a[i]!;
    const ctrlCost = this.ctrlCostWeight * sq;
    const forces = this.clippedContactForces();
    let fsq = 0;
    for (let i = 0; i < forces.length; i++) fsq += forces[i]! * forces[i]!;
    const contactCost = this.contactCostWeight * fsq;
    const q = this.qpos;
    const info = {
      x_position: q[0]!,
      y_position: q[1]!,
      distance_from_origin: Math.hypot(q[0]!, q[1]!),
      x_velocity: xVelocity,
      y_velocity: yVelocity,
      reward_forward: forward,
      reward_ctrl: -ctrlCost,
      reward_contact: -contactCost,
      reward_survive: survive,
    };
    const terminated = !healthy && this.terminateWhenUnhealthy;
    return [this.getObs(), forward + survive - ctrlCost - contactCost, terminated, false, info];
  }
}
