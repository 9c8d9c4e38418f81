/**
 * Reacher-v5 (Gymnasium's MuJoCo task): move a two-link arm's fingertip to a random target.
 *
 * Observation (float64, 10): `[cos θ0, cos θ1, sin θ0, sin θ1, target x, target y, ω0, ω1,
 * (fingertip − target).x, (fingertip − target).y]`. Action (float32, 2): joint torques in [-1, 1].
 * Reward = −‖fingertip − target‖ (`reward_dist`, 3-D body positions) − Σa² (`reward_ctrl`), each with a
 * weight; never terminates (50-step time limit). Reset: arm angles `+ U(-0.1, 0.1)`, arm velocities
 * `+ U(-0.005, 0.005)`, target uniform in the disc of radius 0.2 (rejection sampling), target at rest.
 * frame_skip 2 (dt 0.02 s).
 */
import { checkOptions } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { Box } from '../../core/spaces/box.js';
import type { StepResult } from '../env.js';
import { REACHER_MJCF } from './models/reacher.js';
import { MujocoEnv, type MujocoEnvOptions } from './mujoco-env.js';
import { finite } from './env-options.js';

export interface ReacherOptions extends Omit<MujocoEnvOptions, 'resetNoiseScale'> {
  frameSkip?: number;
  rewardDistWeight?: number;
  rewardControlWeight?: number;
}

const OPTION_KEYS = ['frameSkip', 'dynamicsRandomization', 'rewardDistWeight', 'rewardControlWeight'];

export class ReacherEnv extends MujocoEnv {
  readonly rewardDistWeight: number;
  readonly rewardControlWeight: number;
  /** The target position drawn at the last reset. */
  readonly goal = new Float64Array(2);
  private readonly fingertipBody: number;
  private readonly targetBody: number;

  constructor(options: ReacherOptions = {}) {
    checkOptions('ReacherEnv', options, OPTION_KEYS);
    super(REACHER_MJCF, options.frameSkip ?? 2, 0.1, options);
    this.rewardDistWeight = finite('ReacherEnv', 'rewardDistWeight', options.rewardDistWeight, 1);
    this.rewardControlWeight = finite('ReacherEnv', 'rewardControlWeight', options.rewardControlWeight, 1);
    this.fingertipBody = this.nameToId('body', 'fingertip');
    this.targetBody = this.nameToId('body', 'target');
    this.observationSpace = new Box(-Infinity, Infinity, [10], 'float64');
  }

  protected resetModel(rng: Rng): void {
    const qpos = this.uniformNoise(rng, this.initQpos, 0.1);
    for (;;) {
      this.goal[0] = rng.uniform(-0.2, 0.2);
      this.goal[1] = rng.uniform(-0.2, 0.2);
      if (Math.hypot(this.goal[0], this.goal[1]) < 0.2) break;
    }
    qpos[2] = this.goal[0];
    qpos[3] = this.goal[1];
    const qvel = this.uniformNoise(rng, this.initQvel, 0.005);
    qvel[2] = 0;
    qvel[3] = 0;
    this.setState(qpos, qvel);
  }

  /** fingertip − target, world frame (3-D). */
  fingertipToTarget(): [number, number, number] {
    const xpos = this.data.xpos as Float64Array;
    const f = 3 * this.fingertipBody;
    const t = 3 * this.targetBody;
    return [xpos[f]! - xpos[t]!, xpos[f + 1]! - xpos[t + 1]!, xpos[f + 2]! - xpos[t + 2]!];
  }

  protected getObs(): Float64Array {
    const q = this.qpos;
    const v = this.qvel;
    const d = this.fingertipToTarget();
    return Float64Array.of(Math.cos(q[0]!), Math.cos(q[1]!), Math.sin(q[0]!), Math.sin(q[1]!), q[2]!, q[3]!, v[0]!, v[1]!, d[0], d[1]);
  }

  step(action: Float32Array): StepResult<Float64Array> {
    const a = this.checkAction(action);
    this.doSimulation(a);
    const obs = this.getObs();
    const d = this.fingertipToTarget();
    const rewardDist = -Math.hypot(d[0], d[1], d[2]) * this.rewardDistWeight;
    let sq = 0;
    for (let i = 0; i < a.length; i++) sq += a[i]! * a[i]!;
    const rewardCtrl = -sq * this.rewardControlWeight;
    return [obs, rewardDist + rewardCtrl, false, false, { reward_dist: rewardDist, reward_ctrl: rewardCtrl }];
  }
}
