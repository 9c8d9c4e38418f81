/**
 * Acrobot-v1: Gymnasium's `AcrobotEnv` (Sutton's two-link under-actuated arm), same dynamics
 * ("book" equations by default, `bookOrNips = 'nips'` for the NeurIPS paper's), the same one-step
 * RK4 integration over dt = 0.2, angle wrapping and velocity bounds.
 *
 * State `[theta1, theta2, dtheta1, dtheta2]` (float64; the reset state is float32-rounded, as in
 * Gymnasium); observation `[cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2]` (float32); actions 0, 1, 2 apply
 * torque -1, 0, +1 to the joint between the links. Reward -1 per step and 0 on the terminating step,
 * when the free end rises above the bar: -cos θ1 - cos(θ2 + θ1) > 1.
 *
 * The RK4 step works on scalars (no arrays) and keeps numpy's operation order.
 */
import { InvalidArgumentError, ResetNeededError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Box } from '../../core/spaces/box.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import { CLASSIC_RENDER_MODES, TextCanvas, assignState, checkRenderMode, parseResetBounds, signed } from './utils.js';

export type AcrobotDynamics = 'book' | 'nips';

export interface AcrobotOptions {
  /** Dynamics equations (Gymnasium's `book_or_nips` attribute): 'book' (default) or 'nips'. */
  bookOrNips?: AcrobotDynamics;
  renderMode?: string | null;
}

const OPTION_KEYS = ['bookOrNips', 'renderMode'];
const PI = Math.PI;
const DT = 0.2;
const LINK_LENGTH_1 = 1.0;
const LINK_MASS_1 = 1.0;
const LINK_MASS_2 = 1.0;
const LINK_COM_POS_1 = 0.5;
const LINK_COM_POS_2 = 0.5;
const LINK_MOI = 1.0;
const GRAVITY = 9.8;
const MAX_VEL_1 = 4 * PI;
const MAX_VEL_2 = 9 * PI;
const AVAIL_TORQUE = [-1.0, 0.0, +1];

/** Gymnasium's `wrap`: shifts x by whole periods (M - m) into [m, M]. */
export function wrap(x: number, m: number, M: number): number {
  const diff = M - m;
  while (x > M) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

/** Gymnasium's `bound`: min(max(x, m), M). */
export function bound(x: number, m: number, M: number): number {
  const lo = x < m ? m : x;
  return M < lo ? M : lo;
}

export class AcrobotEnv extends Env<Float32Array, number> {
  static readonly dt = DT;
  static readonly LINK_LENGTH_1 = LINK_LENGTH_1;
  static readonly LINK_LENGTH_2 = 1.0;
  static readonly LINK_MASS_1 = LINK_MASS_1;
  static readonly LINK_MASS_2 = LINK_MASS_2;
  static readonly LINK_COM_POS_1 = LINK_COM_POS_1;
  static readonly LINK_COM_POS_2 = LINK_COM_POS_2;
  static readonly LINK_MOI = LINK_MOI;
  static readonly MAX_VEL_1 = MAX_VEL_1;
  static readonly MAX_VEL_2 = MAX_VEL_2;
  static readonly AVAIL_TORQUE: readonly number[] = AVAIL_TORQUE;

  /** Half-width of uniform noise added to the torque (0 = deterministic, Gymnasium's default). */
  torqueNoiseMax = 0.0;
  private _bookOrNips: AcrobotDynamics = 'book';
  private readonly _state = new Float64Array(4);
  private hasState = false;
  // Angular accelerations written by `accelerations` (avoids allocating a result per call).
  private ddtheta1 = 0;
  private ddtheta2 = 0;

  constructor(options: AcrobotOptions = {}) {
    super();
    checkOptions('AcrobotEnv', options, OPTION_KEYS);
    if (options.bookOrNips !== undefined) this.bookOrNips = options.bookOrNips;
    this.renderMode = checkRenderMode('AcrobotEnv', options.renderMode);
    this.metadata = { renderModes: [...CLASSIC_RENDER_MODES], renderFps: 15 };
    const high = [1.0, 1.0, 1.0, 1.0, MAX_VEL_1, MAX_VEL_2];
    this.observationSpace = new Box(high.map((h) => -h), high, [6], 'float32');
    this.actionSpace = new Discrete(3);
  }

  get bookOrNips(): AcrobotDynamics {
    return this._bookOrNips;
  }
  set bookOrNips(value: AcrobotDynamics) {
    if (value !== 'book' && value !== 'nips') {
      throw new InvalidArgumentError(`AcrobotEnv: bookOrNips must be 'book' or 'nips', got ${describeValue(value)}`);
    }
    this._bookOrNips = value;
  }

  /** The physical state `[theta1, theta2, dtheta1, dtheta2]` (float64; live), or null before the first reset. */
  get state(): Float64Array | null {
    return this.hasState ? this._state : null;
  }
  set state(value: ArrayLike<number>) {
    assignState('AcrobotEnv', this._state, value);
    this.hasState = true;
  }

  /** Options `{ low, high }` override the range [-0.1, 0.1] of all four initial state values. */
  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    const [low, high] = parseResetBounds('AcrobotEnv', args.options, -0.1, 0.1);
    const rng = this.rng;
    // Gymnasium casts the initial state to float32.
    for (let i = 0; i < 4; i++) this._state[i] = Math.fround(rng.uniform(low, high));
    this.hasState = true;
    return [this.observation(), {}];
  }

  override step(action: number): StepResult<Float32Array> {
    if (action !== 0 && action !== 1 && action !== 2) {
      this.assertAction(action);
      action = typeof action === 'number' ? action : (action as ArrayLike<number>)[0]!;
    }
    if (!this.hasState) throw new ResetNeededError('AcrobotEnv: call reset() before step()');
    let torque = AVAIL_TORQUE[action]!;
    if (this.torqueNoiseMax > 0) torque += this.rng.uniform(-this.torqueNoiseMax, this.torqueNoiseMax);

    // One RK4 step over [0, dt] of (theta1, theta2, dtheta1, dtheta2) with constant torque.
    const s = this._state;
    const y0 = s[0]!;
    const y1 = s[1]!;
    const y2 = s[2]!;
    const y3 = s[3]!;
    const dt = DT - 0;
    const dt2 = dt / 2.0;
    this.accelerations(y0, y1, y2, y3, torque);
    const k1a = y2;
    const k1b = y3;
    const k1c = this.ddtheta1;
    const k1d = this.ddtheta2;
    this.accelerations(y0 + dt2 * k1a, y1 + dt2 * k1b, y2 + dt2 * k1c, y3 + dt2 * k1d, torque);
    const k2a = y2 + dt2 * k1c;
    const k2b = y3 + dt2 * k1d;
    const k2c = this.ddtheta1;
    const k2d = this.ddtheta2;
    this.accelerations(y0 + dt2 * k2a, y1 + dt2 * k2b, y2 + dt2 * k2c, y3 + dt2 * k2d, torque);
    const k3a = y2 + dt2 * k2c;
    const k3b = y3 + dt2 * k2d;
    const k3c = this.ddtheta1;
    const k3d = this.ddtheta2;
    this.accelerations(y0 + dt * k3a, y1 + dt * k3b, y2 + dt * k3c, y3 + dt * k3d, torque);
    const k4a = y2 + dt * k3c;
    const k4b = y3 + dt * k3d;
    const k4c = this.ddtheta1;
    const k4d = this.ddtheta2;
    const w = dt / 6.0;
    s[0] = wrap(y0 + w * (k1a + 2 * k2a + 2 * k3a + k4a), -PI, PI);
    s[1] = wrap(y1 + w * (k1b + 2 * k2b + 2 * k3b + k4b), -PI, PI);
    s[2] = bound(y2 + w * (k1c + 2 * k2c + 2 * k3c + k4c), -MAX_VEL_1, MAX_VEL_1);
    s[3] = bound(y3 + w * (k1d + 2 * k2d + 2 * k3d + k4d), -MAX_VEL_2, MAX_VEL_2);

    const terminated = -Math.cos(s[0]!) - Math.cos(s[1]! + s[0]!) > 1.0;
    return [this.observation(), terminated ? 0.0 : -1.0, terminated, false, {}];
  }

  /**
   * Angular accelerations for the given state and torque `a` (Gymnasium's `_dsdt`, whose first two
   * derivatives are just the velocities); stores them in `ddtheta1` / `ddtheta2`.
   */
  private accelerations(theta1: number, theta2: number, dtheta1: number, dtheta2: number, a: number): void {
    const m1 = LINK_MASS_1;
    const m2 = LINK_MASS_2;
    const l1 = LINK_LENGTH_1;
    const lc1 = LINK_COM_POS_1;
    const lc2 = LINK_COM_POS_2;
    const I1 = LINK_MOI;
    const I2 = LINK_MOI;
    const g = GRAVITY;
    const cos2 = Math.cos(theta2);
    const sin2 = Math.sin(theta2);
    const d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cos2) + I1 + I2;
    const d2 = m2 * (lc2 * lc2 + l1 * lc2 * cos2) + I2;
    const phi2 = m2 * lc2 * g * Math.cos(theta1 + theta2 - PI / 2.0);
    const phi1 =
      -m2 * l1 * lc2 * (dtheta2 * dtheta2) * sin2 -
      2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sin2 +
      (m1 * lc1 + m2 * l1) * g * Math.cos(theta1 - PI / 2) +
      phi2;
    let ddtheta2: number;
    if (this._bookOrNips === 'nips') {
      // As written in the NeurIPS paper.
      ddtheta2 = (a + (d2 / d1) * phi1 - phi2) / (m2 * (lc2 * lc2) + I2 - (d2 * d2) / d1);
    } else {
      // As in the book and the Java implementation (an extra centripetal term).
      ddtheta2 =
        (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * sin2 - phi2) / (m2 * (lc2 * lc2) + I2 - (d2 * d2) / d1);
    }
    this.ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
    this.ddtheta2 = ddtheta2;
  }

  private observation(): Float32Array {
    const s = this._state;
    const obs = new Float32Array(6);
    obs[0] = Math.cos(s[0]!);
    obs[1] = Math.sin(s[0]!);
    obs[2] = Math.cos(s[1]!);
    obs[3] = Math.sin(s[1]!);
    obs[4] = s[2]!;
    obs[5] = s[3]!;
    return obs;
  }

  /** With renderMode 'ansi': both links on a small grid (pivot `o`, joint `+`, tip `@`, bar `=`) and the state. */
  override render(): string | null {
    if (this.renderMode === null) return null;
    if (!this.hasState) throw new ResetNeededError('AcrobotEnv: call reset() before render()');
    const [t1, t2, d1, d2] = this._state;
    const canvas = new TextCanvas(25, 13);
    // theta1 = 0 hangs straight down; coordinates scaled so the reach (2 links) fits in [-1, 1].
    const scale = 0.45;
    const jx = Math.sin(t1!) * scale;
    const jy = -Math.cos(t1!) * scale;
    const tx = jx + Math.sin(t1! + t2!) * scale;
    const ty = jy - Math.cos(t1! + t2!) * scale;
    canvas.line(-1, scale, 1, scale, '=');
    canvas.line(0, 0, jx, jy, '.');
    canvas.line(jx, jy, tx, ty, '.');
    canvas.plot(jx, jy, '+');
    canvas.plot(tx, ty, '@');
    canvas.plot(0, 0, 'o');
    return `${canvas.toString()}\ntheta1=${signed(t1!)} theta2=${signed(t2!)} dtheta1=${signed(d1!)} dtheta2=${signed(d2!)}`;
  }
}
