/**
 * Walker2d-v5 (Gymnasium's MuJoCo task): make a planar biped walk forward.
 *
 * Observation (float64, 17): qpos[1:] (rootz, rooty, 6 leg angles) then qvel (9) clipped to ±10; 18 with
 * `excludeCurrentPositionsFromObservation: false`. Action (float32, 6): torques in [-1, 1] (right thigh,
 * leg, foot, then left). Reward = x-velocity + 1 while healthy − 1e-3 Σa² (`reward_forward`,
 * `reward_survive`, `reward_ctrl`). Healthy: 0.8 < z < 2 and −1 < pitch < 1; terminates when unhealthy.
 * Reset: qpos, qvel `+ U(-5e-3, 5e-3)`. frame_skip 4 (dt 0.008 s).
 */
import { WALKER2D_MJCF } from './models/walker2d.js';
import { PlanarWalkerEnv, type PlanarWalkerOptions } from './planar-walker.js';

export type Walker2dOptions = PlanarWalkerOptions;

export class Walker2dEnv extends PlanarWalkerEnv {
  constructor(options: Walker2dOptions = {}) {
    super(WALKER2D_MJCF, options, { frameSkip: 4, resetNoiseScale: 5e-3, healthyZRange: [0.8, 2.0], healthyAngleRange: [-1.0, 1.0] });
  }
}
