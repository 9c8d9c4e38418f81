/**
 * Hopper-v5 (Gymnasium's MuJoCo task): make a one-legged hopper hop forward.
 *
 * Observation (float64, 11): qpos[1:] (rootz, rooty, thigh, leg, foot) then qvel (6) clipped to ±10; 12
 * with `excludeCurrentPositionsFromObservation: false`. Action (float32, 3): torques in [-1, 1].
 * Reward = x-velocity (`reward_forward`) + 1 while healthy (`reward_survive`) − 1e-3 Σa² (`reward_ctrl`).
 * Healthy: 0.7 < z, −0.2 < pitch < 0.2, and every state entry but rootx/rootz in (−100, 100); terminates
 * when unhealthy. Reset: qpos, qvel `+ U(-5e-3, 5e-3)`. frame_skip 4 (dt 0.008 s).
 */
import { HOPPER_MJCF } from './models/hopper.js';
import { range, type Range } from './env-options.js';
import { PlanarWalkerEnv, type PlanarWalkerOptions } from './planar-walker.js';

export interface HopperOptions extends PlanarWalkerOptions {
  /** Open interval for every entry of the state vector after rootx and rootz. */
  healthyStateRange?: Range;
}

export class HopperEnv extends PlanarWalkerEnv {
  readonly healthyStateRange: Range;

  constructor(options: HopperOptions = {}) {
    super(
      HOPPER_MJCF,
      options,
      { frameSkip: 4, resetNoiseScale: 5e-3, healthyZRange: [0.7, Infinity], healthyAngleRange: [-0.2, 0.2] },
      ['healthyStateRange'],
    );
    this.healthyStateRange = range('HopperEnv', 'healthyStateRange', options.healthyStateRange, [-100, 100]);
  }

  protected override extraHealthy(): boolean {
    const [lo, hi] = this.healthyStateRange;
    const q = this.qpos;
    const v = this.qvel;
    for (let i = 2; i < q.length; i++) if (!(lo < q[i]! && q[i]! < hi)) return false;
    for (let i = 0; i < v.length; i++) if (!(lo < v[i]! && v[i]! < hi)) return false;
    return true;
  }
}
