/**
 * CartPole-v1: Gymnasium's `CartPoleEnv` (Barto, Sutton & Anderson's cart-pole), same equations,
 * constants, float64 state and float32 observations, so trajectories match Gymnasium's to rounding.
 *
 * State `[x, xDot, theta, thetaDot]`; action 0 pushes the cart left, 1 right. Reward +1 per step
 * (with `suttonBartoReward`: 0 per step, -1 on termination). The episode terminates when |x| > 2.4
 * or |theta| > 12°.
 */
import { InvalidArgumentError, ResetNeededError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Box } from '../../core/spaces/box.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import { CLASSIC_RENDER_MODES, assignState, checkRenderMode, parseResetBounds, signed } from './utils.js';

export type CartPoleKinematics = 'euler' | 'semi-implicit euler';

export interface CartPoleOptions {
  /** Reward 0 per step and -1 on termination (Sutton & Barto's original), instead of +1 per step. */
  suttonBartoReward?: boolean;
  /** Integrator (Gymnasium's `kinematics_integrator` attribute): 'euler' (default) or 'semi-implicit euler'. */
  kinematicsIntegrator?: CartPoleKinematics;
  renderMode?: string | null;
}

const OPTION_KEYS = ['suttonBartoReward', 'kinematicsIntegrator', 'renderMode'];
const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_POLE + MASS_CART;
const HALF_LENGTH = 0.5;
const POLE_MASS_LENGTH = MASS_POLE * HALF_LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

export class CartPoleEnv extends Env<Float32Array, number> {
  readonly gravity = GRAVITY;
  readonly masscart = MASS_CART;
  readonly masspole = MASS_POLE;
  readonly totalMass = TOTAL_MASS;
  /** Half the pole's length. */
  readonly length = HALF_LENGTH;
  readonly polemassLength = POLE_MASS_LENGTH;
  readonly forceMag = FORCE_MAG;
  /** Seconds between state updates. */
  readonly tau = TAU;
  readonly thetaThresholdRadians = THETA_THRESHOLD;
  readonly xThreshold = X_THRESHOLD;
  readonly suttonBartoReward: boolean;
  private _kinematicsIntegrator: CartPoleKinematics = 'euler';
  private readonly _state = new Float64Array(4);
  private hasState = false;
  /** Steps taken since termination (null while not terminated), as Gymnasium tracks it. */
  stepsBeyondTerminated: number | null = null;

  constructor(options: CartPoleOptions = {}) {
    super();
    checkOptions('CartPoleEnv', options, OPTION_KEYS);
    const sb = options.suttonBartoReward ?? false;
    if (typeof sb !== 'boolean') throw new InvalidArgumentError(`CartPoleEnv: suttonBartoReward must be a boolean, got ${describeValue(sb)}`);
    this.suttonBartoReward = sb;
    if (options.kinematicsIntegrator !== undefined) this.kinematicsIntegrator = options.kinematicsIntegrator;
    this.renderMode = checkRenderMode('CartPoleEnv', options.renderMode);
    this.metadata = { renderModes: [...CLASSIC_RENDER_MODES], renderFps: 50 };
    // The angle bound is twice the failure threshold so the terminating observation is still inside.
    const high = [this.xThreshold * 2, Infinity, this.thetaThresholdRadians * 2, Infinity];
    this.observationSpace = new Box(high.map((h) => -h), high, [4], 'float32');
    this.actionSpace = new Discrete(2);
  }

  get kinematicsIntegrator(): CartPoleKinematics {
    return this._kinematicsIntegrator;
  }
  set kinematicsIntegrator(value: CartPoleKinematics) {
    if (value !== 'euler' && value !== 'semi-implicit euler') {
      throw new InvalidArgumentError(`CartPoleEnv: kinematicsIntegrator must be 'euler' or 'semi-implicit euler', got ${describeValue(value)}`);
    }
    this._kinematicsIntegrator = value;
  }

  /** The physical state `[x, xDot, theta, thetaDot]` (float64; live), or null before the first reset. */
  get state(): Float64Array | null {
    return this.hasState ? this._state : null;
  }
  set state(value: ArrayLike<number>) {
    assignState('CartPoleEnv', this._state, value);
    this.hasState = true;
  }

  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    const [low, high] = parseResetBounds('CartPoleEnv', args.options, -0.05, 0.05);
    const rng = this.rng;
    for (let i = 0; i < 4; i++) this._state[i] = rng.uniform(low, high);
    this.hasState = true;
    this.stepsBeyondTerminated = null;
    return [new Float32Array(this._state), {}];
  }

  override step(action: number): StepResult<Float32Array> {
    if (action !== 0 && action !== 1) {
      this.assertAction(action);
      action = typeof action === 'number' ? action : (action as ArrayLike<number>)[0]!;
    }
    if (!this.hasState) throw new ResetNeededError('CartPoleEnv: call reset() before step()');
    const s = this._state;
    let x = s[0]!;
    let xDot = s[1]!;
    let theta = s[2]!;
    let thetaDot = s[3]!;
    const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
    const costheta = Math.cos(theta);
    const sintheta = Math.sin(theta);
    // Florian (2005), "Correct equations for the dynamics of the cart-pole system", in Gymnasium's order.
    const temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sintheta) / TOTAL_MASS;
    const thetaacc =
      (GRAVITY * sintheta - costheta * temp) /
      (HALF_LENGTH * (4.0 / 3.0 - (MASS_POLE * (costheta * costheta)) / TOTAL_MASS));
    const xacc = temp - (POLE_MASS_LENGTH * thetaacc * costheta) / TOTAL_MASS;
    if (this._kinematicsIntegrator === 'euler') {
      x = x + TAU * xDot;
      xDot = xDot + TAU * xacc;
      theta = theta + TAU * thetaDot;
      thetaDot = thetaDot + TAU * thetaacc;
    } else {
      xDot = xDot + TAU * xacc;
      x = x + TAU * xDot;
      thetaDot = thetaDot + TAU * thetaacc;
      theta = theta + TAU * thetaDot;
    }
    s[0] = x;
    s[1] = xDot;
    s[2] = theta;
    s[3] = thetaDot;
    const terminated =
      x < -X_THRESHOLD || x > X_THRESHOLD || theta < -THETA_THRESHOLD || theta > THETA_THRESHOLD;
    let reward: number;
    if (!terminated) {
      reward = this.suttonBartoReward ? 0.0 : 1.0;
    } else if (this.stepsBeyondTerminated === null) {
      // The pole just fell.
      this.stepsBeyondTerminated = 0;
      reward = this.suttonBartoReward ? -1.0 : 1.0;
    } else {
      // Stepping past termination is undefined behaviour; Gymnasium gives 0 (or -1) reward.
      this.stepsBeyondTerminated += 1;
      reward = this.suttonBartoReward ? -1.0 : 0.0;
    }
    const obs = new Float32Array(4);
    obs[0] = x;
    obs[1] = xDot;
    obs[2] = theta;
    obs[3] = thetaDot;
    return [obs, reward, terminated, false, {}];
  }

  /** With renderMode 'ansi': the track with the cart and the pole's lean, and the state in numbers. */
  override render(): string | null {
    if (this.renderMode === null) return null;
    if (!this.hasState) throw new ResetNeededError('CartPoleEnv: call reset() before render()');
    const [x, xDot, theta, thetaDot] = this._state;
    const width = 49;
    const col = Math.round(((x! + this.xThreshold) / (2 * this.xThreshold)) * (width - 1));
    const track = Array.from({ length: width }, () => '-');
    const lean = theta! > 0.05 ? '/' : theta! < -0.05 ? '\\' : '|';
    const pole = Array.from({ length: width }, () => ' ');
    if (col >= 0 && col < width) {
      track[col] = '#';
      pole[col] = lean;
    }
    const deg = (theta! * 180) / Math.PI;
    return [
      ` ${pole.join('').trimEnd()}`,
      `|${track.join('')}|`,
      `x=${signed(x!)} x_dot=${signed(xDot!)} theta=${signed(deg, 1)}deg theta_dot=${signed(thetaDot!)}`,
    ].join('\n');
  }
}
