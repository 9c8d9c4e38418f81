/**
 * MountainCarContinuous-v0: Gymnasium's `Continuous_MountainCarEnv`, same equations and constants.
 *
 * State `[position, velocity]`; action a force in [-1, 1] (float32; finite out-of-range forces are
 * clipped, as in Gymnasium), scaled by power 0.0015. Reward -0.1·action² per step (the unclipped
 * action, as in Gymnasium), plus 100 on reaching position >= 0.45 with velocity >= `goalVelocity`,
 * which terminates the episode.
 *
 * Gymnasium stores this env's state as float32 after every step (the reset state is float64), and
 * numpy then does part of the arithmetic in float32: float32 op Python float stays float32, and a
 * float32 compared with a Python float compares in float32. `step` tracks which values are float32
 * and rounds with `Math.fround` where numpy would, so results match Gymnasium's bit for bit in
 * the same cases. An assigned `state` counts as float64 (like assigning a float64 numpy array).
 */
import { ResetNeededError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Box } from '../../core/spaces/box.js';
import type { TypedArray } from '../../core/spaces/space.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import { checkGoalVelocity, renderMountainCarTrack } from './mountain-car.js';
import { CLASSIC_RENDER_MODES, assignState, checkRenderMode, parseResetBounds, readScalarAction } from './utils.js';

export interface ContinuousMountainCarOptions {
  /** Minimum velocity at the goal for the episode to terminate; default 0. */
  goalVelocity?: number;
  renderMode?: string | null;
}

const OPTION_KEYS = ['goalVelocity', 'renderMode'];
const MIN_ACTION = -1.0;
const MAX_ACTION = 1.0;
const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.45;
const POWER = 0.0015;
// The same constants as numpy sees them when the other operand is float32.
const POWER_F32 = Math.fround(POWER);
const MIN_POSITION_F32 = Math.fround(MIN_POSITION);
const MAX_POSITION_F32 = Math.fround(MAX_POSITION);
const MAX_SPEED_F32 = Math.fround(MAX_SPEED);
const GOAL_POSITION_F32 = Math.fround(GOAL_POSITION);

export class ContinuousMountainCarEnv extends Env<Float32Array, TypedArray> {
  readonly minAction = MIN_ACTION;
  readonly maxAction = MAX_ACTION;
  readonly minPosition = MIN_POSITION;
  readonly maxPosition = MAX_POSITION;
  readonly maxSpeed = MAX_SPEED;
  readonly goalPosition = GOAL_POSITION;
  readonly goalVelocity: number;
  readonly power = POWER;
  private readonly goalVelocityF32: number;
  private readonly _state = new Float64Array(2);
  private hasState = false;
  /** Whether the state holds float32 values (true after a step, as in Gymnasium). */
  private stateIsFloat32 = false;

  constructor(options: ContinuousMountainCarOptions = {}) {
    super();
    checkOptions('ContinuousMountainCarEnv', options, OPTION_KEYS);
    this.goalVelocity = checkGoalVelocity('ContinuousMountainCarEnv', options.goalVelocity);
    this.goalVelocityF32 = Math.fround(this.goalVelocity);
    this.renderMode = checkRenderMode('ContinuousMountainCarEnv', options.renderMode);
    this.metadata = { renderModes: [...CLASSIC_RENDER_MODES], renderFps: 30 };
    this.actionSpace = new Box(MIN_ACTION, MAX_ACTION, [1], 'float32');
    this.observationSpace = new Box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED], [2], 'float32');
  }

  /** The physical state `[position, velocity]` (live), or null before the first reset. */
  get state(): Float64Array | null {
    return this.hasState ? this._state : null;
  }
  set state(value: ArrayLike<number>) {
    assignState('ContinuousMountainCarEnv', this._state, value);
    this.hasState = true;
    this.stateIsFloat32 = false;
  }

  /** Options `{ low, high }` override the initial position range [-0.6, -0.4]; velocity starts at 0. */
  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    const [low, high] = parseResetBounds('ContinuousMountainCarEnv', args.options, -0.6, -0.4);
    this._state[0] = this.rng.uniform(low, high);
    this._state[1] = 0;
    this.hasState = true;
    this.stateIsFloat32 = false;
    return [new Float32Array(this._state), {}];
  }

  override step(action: TypedArray): StepResult<Float32Array> {
    const a = readScalarAction('ContinuousMountainCarEnv', action);
    if (!this.hasState) throw new ResetNeededError('ContinuousMountainCarEnv: call reset() before step()');
    const f32 = this.stateIsFloat32;
    let position = this._state[0]!;
    let velocity = this._state[1]!;

    // force = min(max(a, -1), 1): stays float32 unless replaced by a (Python float) bound.
    let delta: number;
    const cosArg = f32 ? Math.fround(3 * position) : 3 * position;
    const slope = 0.0025 * Math.cos(cosArg);
    if (a < MIN_ACTION || a > MAX_ACTION) {
      const force = a < MIN_ACTION ? MIN_ACTION : MAX_ACTION;
      delta = force * POWER - slope;
    } else {
      delta = Math.fround(Math.fround(a * POWER_F32) - Math.fround(slope));
    }
    velocity = f32 ? Math.fround(velocity + Math.fround(delta)) : velocity + delta;
    let velocityF32 = f32;
    if (velocityF32 ? velocity > MAX_SPEED_F32 : velocity > MAX_SPEED) {
      velocity = MAX_SPEED;
      velocityF32 = false;
    }
    if (velocityF32 ? velocity < -MAX_SPEED_F32 : velocity < -MAX_SPEED) {
      velocity = -MAX_SPEED;
      velocityF32 = false;
    }
    position = f32 ? Math.fround(position + Math.fround(velocity)) : position + velocity;
    let positionF32 = f32;
    if (positionF32 ? position > MAX_POSITION_F32 : position > MAX_POSITION) {
      position = MAX_POSITION;
      positionF32 = false;
    }
    if (positionF32 ? position < MIN_POSITION_F32 : position < MIN_POSITION) {
      position = MIN_POSITION;
      positionF32 = false;
    }
    // Inelastic collision with the left wall.
    if ((positionF32 ? position === MIN_POSITION_F32 : position === MIN_POSITION) && velocity < 0) {
      velocity = 0;
      velocityF32 = false;
    }
    const terminated =
      (positionF32 ? position >= GOAL_POSITION_F32 : position >= GOAL_POSITION) &&
      (velocityF32 ? velocity >= this.goalVelocityF32 : velocity >= this.goalVelocity);
    const reward = (terminated ? 100.0 : 0) - a * a * 0.1;
    const obs = new Float32Array(2);
    obs[0] = position;
    obs[1] = velocity;
    this._state[0] = obs[0]!;
    this._state[1] = obs[1]!;
    this.stateIsFloat32 = true;
    return [obs, reward, terminated, false, {}];
  }

  /** With renderMode 'ansi': the track with the car and the goal flag, and the state in numbers. */
  override render(): string | null {
    if (this.renderMode === null) return null;
    if (!this.hasState) throw new ResetNeededError('ContinuousMountainCarEnv: call reset() before render()');
    return renderMountainCarTrack(this._state[0]!, this._state[1]!, GOAL_POSITION);
  }
}
