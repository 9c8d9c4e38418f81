/**
 * Pendulum-v1: Gymnasium's `PendulumEnv` (inverted pendulum swing-up), same equations and constants.
 *
 * State `[theta, thetaDot]` (float64; theta = 0 is upright); observation `[cos θ, sin θ, θ̇]` (float32);
 * action a torque in [-2, 2] (float32; finite out-of-range torques are clipped, as in Gymnasium).
 * Reward -(normalize(θ)² + 0.1·θ̇² + 0.001·u²). Never terminates; `make` truncates at 200 steps.
 *
 * Gymnasium computes the torque terms in float32 (numpy keeps the action's dtype when it meets a
 * Python float); this port rounds the same intermediate values with `Math.fround`.
 */
import { InvalidArgumentError, ResetNeededError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Box } from '../../core/spaces/box.js';
import type { TypedArray } from '../../core/spaces/space.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import {
  CLASSIC_RENDER_MODES,
  TextCanvas,
  assignState,
  checkRenderMode,
  checkResetOptions,
  floorMod,
  readScalarAction,
  signed,
  verifyNumber,
} from './utils.js';

export interface PendulumOptions {
  /** Gravitational acceleration (m/s²); default 10. */
  g?: number;
  renderMode?: string | null;
}

const OPTION_KEYS = ['g', 'renderMode'];
const TWO_PI = 2 * Math.PI;
/** `np.float32(0.001)`: the torque cost weight as numpy applies it to a float32 torque. */
const TORQUE_COST_F32 = Math.fround(0.001);

/** Gymnasium's `angle_normalize`: ((x + π) mod 2π) − π with numpy's floor-mod. */
export function angleNormalize(x: number): number {
  return floorMod(x + Math.PI, TWO_PI) - Math.PI;
}

export class PendulumEnv extends Env<Float32Array, TypedArray> {
  readonly maxSpeed = 8;
  readonly maxTorque = 2.0;
  readonly dt = 0.05;
  readonly g: number;
  readonly m = 1.0;
  readonly l = 1.0;
  /** The torque applied at the last step (after clipping), or null; for rendering. */
  lastU: number | null = null;
  private readonly _state = new Float64Array(2);
  private hasState = false;

  constructor(options: PendulumOptions = {}) {
    super();
    checkOptions('PendulumEnv', options, OPTION_KEYS);
    const g = options.g ?? 10.0;
    if (typeof g !== 'number' || !Number.isFinite(g)) throw new InvalidArgumentError(`PendulumEnv: g must be a finite number, got ${describeValue(g)}`);
    this.g = g;
    this.renderMode = checkRenderMode('PendulumEnv', options.renderMode);
    this.metadata = { renderModes: [...CLASSIC_RENDER_MODES], renderFps: 30 };
    this.actionSpace = new Box(-this.maxTorque, this.maxTorque, [1], 'float32');
    this.observationSpace = new Box([-1, -1, -this.maxSpeed], [1, 1, this.maxSpeed], [3], 'float32');
  }

  /** The physical state `[theta, thetaDot]` (float64; live), or null before the first reset. */
  get state(): Float64Array | null {
    return this.hasState ? this._state : null;
  }
  set state(value: ArrayLike<number>) {
    assignState('PendulumEnv', this._state, value);
    this.hasState = true;
  }

  /**
   * Options: `xInit` (default π) and `yInit` (default 1) set the symmetric ranges of the initial
   * angle and angular velocity (Gymnasium's `x_init`, `y_init`).
   */
  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    const options = args.options;
    checkResetOptions('PendulumEnv', options, ['xInit', 'yInit']);
    const x = options && 'xInit' in options ? verifyNumber('PendulumEnv', 'xInit', options.xInit) : Math.PI;
    const y = options && 'yInit' in options ? verifyNumber('PendulumEnv', 'yInit', options.yInit) : 1.0;
    const rng = this.rng;
    this._state[0] = rng.uniform(-x, x);
    this._state[1] = rng.uniform(-y, y);
    this.hasState = true;
    this.lastU = null;
    return [this.observation(), {}];
  }

  override step(action: TypedArray): StepResult<Float32Array> {
    let u = readScalarAction('PendulumEnv', action);
    if (!this.hasState) throw new ResetNeededError('PendulumEnv: call reset() before step()');
    const th = this._state[0]!;
    const thdot = this._state[1]!;
    const { g, m, l, dt } = this;
    // np.clip on the float32 action; the bounds ±2 are exact in float32.
    u = u < -this.maxTorque ? -this.maxTorque : u > this.maxTorque ? this.maxTorque : u;
    this.lastU = u;
    const an = angleNormalize(th);
    const costs = an * an + 0.1 * (thdot * thdot) + Math.fround(TORQUE_COST_F32 * Math.fround(u * u));
    let newthdot = thdot + (((3 * g) / (2 * l)) * Math.sin(th) + Math.fround((3.0 / (m * (l * l))) * u)) * dt;
    newthdot = newthdot < -this.maxSpeed ? -this.maxSpeed : newthdot > this.maxSpeed ? this.maxSpeed : newthdot;
    const newth = th + newthdot * dt;
    this._state[0] = newth;
    this._state[1] = newthdot;
    return [this.observation(), -costs, false, false, {}];
  }

  private observation(): Float32Array {
    const obs = new Float32Array(3);
    const theta = this._state[0]!;
    obs[0] = Math.cos(theta);
    obs[1] = Math.sin(theta);
    obs[2] = this._state[1]!;
    return obs;
  }

  /** With renderMode 'ansi': the pendulum drawn on a small grid (pivot `o`, bob `@`) and the state in numbers. */
  override render(): string | null {
    if (this.renderMode === null) return null;
    if (!this.hasState) throw new ResetNeededError('PendulumEnv: call reset() before render()');
    const [theta, thetaDot] = this._state;
    const canvas = new TextCanvas(21, 11);
    // theta = 0 points up; positive theta turns counter-clockwise.
    const bx = -Math.sin(theta!) * 0.9;
    const by = Math.cos(theta!) * 0.9;
    canvas.line(0, 0, bx, by, '.');
    canvas.plot(bx, by, '@');
    canvas.plot(0, 0, 'o');
    const torque = this.lastU === null ? 'none' : signed(this.lastU);
    return `${canvas.toString()}\ntheta=${signed(angleNormalize(theta!))} theta_dot=${signed(thetaDot!)} torque=${torque}`;
  }
}
