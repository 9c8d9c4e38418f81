/**
 * InvertedDoublePendulum-v5 (Gymnasium's MuJoCo task): balance two stacked poles on a cart.
 *
 * Observation (float64, 9): `[cart x, sin θ1, sin θ2, cos θ1, cos θ2, qvel (3) clipped to ±10, constraint
 * force on the slider clipped to ±10]`. Action (float32, 1): slider force in [-1, 1] (×500 gear).
 * Reward = 10 while the tip is above 1 m (`reward_survive`) − (0.01 x_tip² + (y_tip − 2)²)
 * (`distance_penalty`) − (1e-3 ω1² + 5e-3 ω2²) (`velocity_penalty`), with (x_tip, y_tip) the tip site's
 * world x and z. Terminates when the tip's height is ≤ 1. Reset: qpos `+ U(-0.1, 0.1)`, qvel `+ 0.1 N(0,1)`.
 * frame_skip 5 (dt 0.05 s).
 */
import { checkOptions } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { Box } from '../../core/spaces/box.js';
import type { StepResult } from '../env.js';
import { INVERTED_DOUBLE_PENDULUM_MJCF } from './models/inverted-double-pendulum.js';
import { MujocoEnv, type MujocoEnvOptions } from './mujoco-env.js';
import { finite } from './env-options.js';

export interface InvertedDoublePendulumOptions extends MujocoEnvOptions {
  frameSkip?: number;
  healthyReward?: number;
}

const OPTION_KEYS = ['frameSkip', 'resetNoiseScale', 'dynamicsRandomization', 'healthyReward'];
const CLIP = 10;
const clip = (x: number) => Math.min(CLIP, Math.max(-CLIP, x));

export class InvertedDoublePendulumEnv extends MujocoEnv {
  readonly healthyReward: number;
  private readonly tipSite: number;

  constructor(options: InvertedDoublePendulumOptions = {}) {
    checkOptions('InvertedDoublePendulumEnv', options, OPTION_KEYS);
    super(INVERTED_DOUBLE_PENDULUM_MJCF, options.frameSkip ?? 5, 0.1, options);
    this.healthyReward = finite('InvertedDoublePendulumEnv', 'healthyReward', options.healthyReward, 10.0);
    this.tipSite = this.nameToId('site', 'tip');
    this.observationSpace = new Box(-Infinity, Infinity, [9], 'float64');
  }

  protected resetModel(rng: Rng): void {
    const s = this.resetNoiseScale;
    this.setState(this.uniformNoise(rng, this.initQpos, s), this.normalNoise(rng, this.initQvel, s));
  }

  protected getObs(): Float64Array {
    const q = this.qpos;
    const v = this.qvel;
    const frc = this.data.qfrc_constraint as Float64Array;
    return Float64Array.of(q[0]!, Math.sin(q[1]!), Math.sin(q[2]!), Math.cos(q[1]!), Math.cos(q[2]!), clip(v[0]!), clip(v[1]!), clip(v[2]!), clip(frc[0]!));
  }

  /** World position of the tip of the second pole. */
  tipPosition(): Float64Array {
    const i = this.tipSite;
    return (this.data.site_xpos as Float64Array).slice(3 * i, 3 * i + 3);
  }

  step(action: Float32Array): StepResult<Float64Array> {
    this.doSimulation(this.checkAction(action));
    const [x, , y] = this.tipPosition() as unknown as [number, number, number];
    const obs = this.getObs();
    const terminated = y <= 1;
    const v = this.qvel;
    const distPenalty = 0.01 * x * x + (y - 2) * (y - 2);
    const velPenalty = 1e-3 * v[1]! * v[1]! + 5e-3 * v[2]! * v[2]!;
    const alive = terminated ? 0 : this.healthyReward;
    const info = { reward_survive: alive, distance_penalty: -distPenalty, velocity_penalty: -velPenalty };
    return [obs, alive - distPenalty - velPenalty, terminated, false, info];
  }
}
