/**
 * InvertedPendulum-v5 (Gymnasium's MuJoCo task): push a cart along a rail to keep a hinged pole upright.
 *
 * Observation (float64, 4): `[cart position, pole angle, cart velocity, pole angular velocity]` (qpos then
 * qvel). Action (float32, 1): slider force in [-3, 3] (×100 gear). Reward +1 per step while the pole is
 * within 0.2 rad of vertical (`info.reward_survive`); the episode terminates when |angle| > 0.2 or the
 * observation is non-finite. Reset: qpos and qvel each `+ U(-0.01, 0.01)`. frame_skip 2 (dt 0.04 s).
 */
import { checkOptions } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { Box } from '../../core/spaces/box.js';
import type { StepResult } from '../env.js';
import { INVERTED_PENDULUM_MJCF } from './models/inverted-pendulum.js';
import { MujocoEnv, type MujocoEnvOptions } from './mujoco-env.js';

export interface InvertedPendulumOptions extends MujocoEnvOptions {
  /** Physics steps per action (Gymnasium: 2). */
  frameSkip?: number;
}

const OPTION_KEYS = ['frameSkip', 'resetNoiseScale', 'dynamicsRandomization'];
const MAX_ANGLE = 0.2;

export class InvertedPendulumEnv extends MujocoEnv {
  constructor(options: InvertedPendulumOptions = {}) {
    checkOptions('InvertedPendulumEnv', options, OPTION_KEYS);
    super(INVERTED_PENDULUM_MJCF, options.frameSkip ?? 2, 0.01, options);
    this.observationSpace = new Box(-Infinity, Infinity, [4], 'float64');
  }

  protected resetModel(rng: Rng): void {
    const s = this.resetNoiseScale;
    this.setState(this.uniformNoise(rng, this.initQpos, s), this.uniformNoise(rng, this.initQvel, s));
  }

  protected getObs(): Float64Array {
    const obs = new Float64Array(4);
    obs.set(this.qpos);
    obs.set(this.qvel, 2);
    return obs;
  }

  step(action: Float32Array): StepResult<Float64Array> {
    this.doSimulation(this.checkAction(action));
    const obs = this.getObs();
    const terminated = !obs.every(Number.isFinite) || Math.abs(obs[1]!) > MAX_ANGLE;
    const reward = terminated ? 0 : 1;
    return [obs, reward, terminated, false, { reward_survive: reward }];
  }
}
