/**
 * MountainCar-v0: Gymnasium's `MountainCarEnv` (Moore's under-powered car in a valley), same
 * equations, constants, float64 state and float32 observations.
 *
 * State `[position, velocity]`; actions 0 (push left), 1 (no push), 2 (push right). Reward -1 per
 * step; the episode terminates when position >= 0.5 and velocity >= `goalVelocity`.
 */
import { InvalidArgumentError, ResetNeededError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Box } from '../../core/spaces/box.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../env.js';
import { CLASSIC_RENDER_MODES, assignState, checkRenderMode, parseResetBounds, signed } from './utils.js';

export interface MountainCarOptions {
  /** Minimum velocity at the goal for the episode to terminate; default 0. */
  goalVelocity?: number;
  renderMode?: string | null;
}

const OPTION_KEYS = ['goalVelocity', 'renderMode'];

/** Checks a `goalVelocity` option (shared with the continuous variant). */
export function checkGoalVelocity(owner: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`${owner}: goalVelocity must be a finite number, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * A one-line picture of the track from -1.2 to 0.6: the car `C`, the goal flag `F`, the valley floor
 * (position -π/6) marked `v`; the car's height sin(3x)·0.45 + 0.55 is printed beside it.
 */
export function renderMountainCarTrack(position: number, velocity: number, goalPosition: number): string {
  const width = 49;
  const min = -1.2;
  const max = 0.6;
  const col = (p: number) => Math.round(((p - min) / (max - min)) * (width - 1));
  const line = Array.from({ length: width }, () => '_');
  line[col(-Math.PI / 6)] = 'v';
  line[col(goalPosition)] = 'F';
  const c = col(position);
  if (c >= 0 && c < width) line[c] = 'C';
  const height = Math.sin(3 * position) * 0.45 + 0.55;
  return `[${line.join('')}]\nposition=${signed(position, 4)} velocity=${signed(velocity, 5)} height=${height.toFixed(3)} goal=${goalPosition}`;
}

export class MountainCarEnv extends Env<Float32Array, number> {
  readonly minPosition = -1.2;
  readonly maxPosition = 0.6;
  readonly maxSpeed = 0.07;
  readonly goalPosition = 0.5;
  readonly goalVelocity: number;
  readonly force = 0.001;
  readonly gravity = 0.0025;
  private readonly _state = new Float64Array(2);
  private hasState = false;

  constructor(options: MountainCarOptions = {}) {
    super();
    checkOptions('MountainCarEnv', options, OPTION_KEYS);
    this.goalVelocity = checkGoalVelocity('MountainCarEnv', options.goalVelocity);
    this.renderMode = checkRenderMode('MountainCarEnv', options.renderMode);
    this.metadata = { renderModes: [...CLASSIC_RENDER_MODES], renderFps: 30 };
    this.actionSpace = new Discrete(3);
    this.observationSpace = new Box([this.minPosition, -this.maxSpeed], [this.maxPosition, this.maxSpeed], [2], 'float32');
  }

  /** The physical state `[position, velocity]` (float64; live), or null before the first reset. */
  get state(): Float64Array | null {
    return this.hasState ? this._state : null;
  }
  set state(value: ArrayLike<number>) {
    assignState('MountainCarEnv', this._state, value);
    this.hasState = true;
  }

  /** Options `{ low, high }` override the initial position range [-0.6, -0.4]; velocity starts at 0. */
  override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
    super.reset(args);
    const [low, high] = parseResetBounds('MountainCarEnv', args.options, -0.6, -0.4);
    this._state[0] = this.rng.uniform(low, high);
    this._state[1] = 0;
    this.hasState = true;
    return [new Float32Array(this._state), {}];
  }

  override step(action: number): StepResult<Float32Array> {
    if (action !== 0 && action !== 1 && action !== 2) {
      this.assertAction(action);
      action = typeof action === 'number' ? action : (action as ArrayLike<number>)[0]!;
    }
    if (!this.hasState) throw new ResetNeededError('MountainCarEnv: call reset() before step()');
    let position = this._state[0]!;
    let velocity = this._state[1]!;
    velocity += (action - 1) * this.force + Math.cos(3 * position) * -this.gravity;
    velocity = velocity < -this.maxSpeed ? -this.maxSpeed : velocity > this.maxSpeed ? this.maxSpeed : velocity;
    position += velocity;
    position = position < this.minPosition ? this.minPosition : position > this.maxPosition ? this.maxPosition : position;
    // Inelastic collision with the left wall.
    if (position === this.minPosition && velocity < 0) velocity = 0;
    const terminated = position >= this.goalPosition && velocity >= this.goalVelocity;
    this._state[0] = position;
    this._state[1] = velocity;
    const obs = new Float32Array(2);
    obs[0] = position;
    obs[1] = velocity;
    return [obs, -1.0, terminated, false, {}];
  }

  /** With renderMode 'ansi': the track with the car and the goal flag, and the state in numbers. */
  override render(): string | null {
    if (this.renderMode === null) return null;
    if (!this.hasState) throw new ResetNeededError('MountainCarEnv: call reset() before render()');
    return renderMountainCarTrack(this._state[0]!, this._state[1]!, this.goalPosition);
  }
}
