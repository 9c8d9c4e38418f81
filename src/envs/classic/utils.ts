/**
 * Helpers shared by the classic-control environments: reset-option parsing (Gymnasium's
 * `maybe_parse_reset_bounds`), the assignable physical state, render-mode checks, continuous action
 * reading, and numpy-compatible float arithmetic (floor-mod, float32 rounding).
 */
import { InvalidActionError, InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { isTypedArray } from '../../core/spaces/space.js';

/** Render modes the classic-control environments support (text only; no pixel renderer). */
export const CLASSIC_RENDER_MODES: readonly string[] = ['ansi'];

/** `resetMask` is tolerated in reset options because vector environments may pass it through. */
const PASS_THROUGH_RESET_KEYS = ['resetMask'];

/** Checks the `renderMode` constructor option and returns it (null when not given). */
export function checkRenderMode(owner: string, mode: unknown): string | null {
  if (mode === undefined || mode === null) return null;
  if (typeof mode !== 'string' || !CLASSIC_RENDER_MODES.includes(mode)) {
    throw new InvalidArgumentError(
      `${owner}: renderMode must be one of ${CLASSIC_RENDER_MODES.map((m) => `'${m}'`).join(', ')} or null, got ${describeValue(mode)}`,
    );
  }
  return mode;
}

/** Gymnasium's `verify_number_and_cast`, strict: only real (non-NaN) numbers are accepted. */
export function verifyNumber(owner: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new InvalidArgumentError(`${owner}: reset option '${name}' must be a number, got ${describeValue(value)}`);
  }
  return value;
}

/** Throws `UnknownOptionError` for reset-option keys other than `allowed` (and pass-through keys). */
export function checkResetOptions(owner: string, options: Record<string, unknown> | undefined, allowed: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object') {
    throw new InvalidArgumentError(`${owner}: reset options must be an object, got ${describeValue(options)}`);
  }
  checkOptions(`${owner}.reset() options`, options, [...allowed, ...PASS_THROUGH_RESET_KEYS]);
}

/**
 * Gymnasium's `maybe_parse_reset_bounds`: `[low, high]` for the uniform initial state, taken from
 * `options.low` / `options.high` when present, the defaults otherwise; `low > high` is an error.
 */
export function parseResetBounds(
  owner: string,
  options: Record<string, unknown> | undefined,
  defaultLow: number,
  defaultHigh: number,
): [number, number] {
  checkResetOptions(owner, options, ['low', 'high']);
  if (options === undefined || options === null) return [defaultLow, defaultHigh];
  const low = 'low' in options ? verifyNumber(owner, 'low', options.low) : defaultLow;
  const high = 'high' in options ? verifyNumber(owner, 'high', options.high) : defaultHigh;
  if (low > high) throw new InvalidArgumentError(`${owner}: reset option low (${low}) must not exceed high (${high})`);
  return [low, high];
}

/**
 * Copies an assigned physical state into `target` after checking its length and that every value is
 * finite (a non-finite state would make the dynamics meaningless, and Acrobot's angle wrapping loop forever).
 */
export function assignState(owner: string, target: Float64Array, value: unknown): void {
  if (!(Array.isArray(value) || isTypedArray(value))) {
    throw new InvalidArgumentError(`${owner}: state must be an array of ${target.length} numbers, got ${describeValue(value)}`);
  }
  const values = value as ArrayLike<unknown>;
  if (values.length !== target.length) {
    throw new InvalidArgumentError(`${owner}: state must have ${target.length} elements, got ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidArgumentError(`${owner}: state element ${i} must be a finite number, got ${describeValue(v)}`);
    }
  }
  for (let i = 0; i < values.length; i++) target[i] = values[i] as number;
}

/**
 * Reads a one-element continuous action (a typed array, number[] or bare number) as a float32 value,
 * as the float32 action space stores it. Finite out-of-range values are allowed (the env clips them,
 * as Gymnasium does); NaN, a wrong shape or a non-number throw `InvalidActionError`.
 */
export function readScalarAction(owner: string, action: unknown): number {
  let v: unknown;
  if (typeof action === 'number') v = action;
  else if ((isTypedArray(action) || Array.isArray(action)) && (action as ArrayLike<unknown>).length === 1) v = (action as ArrayLike<unknown>)[0];
  else {
    const shape = isTypedArray(action) || Array.isArray(action) ? `${(action as ArrayLike<unknown>).length} elements` : describeValue(action);
    throw new InvalidActionError(`${owner}: action must have shape [1] (one number), got ${shape}`, action);
  }
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new InvalidActionError(`${owner}: action must be a number, got ${describeValue(v)}`, action);
  }
  return Math.fround(v);
}

/** numpy's float `%` (np.remainder): the result takes the sign of the divisor. */
export function floorMod(x: number, m: number): number {
  let r = x % m;
  if (r !== 0) {
    if (r < 0 !== m < 0) r += m;
  } else {
    r = m < 0 ? -0 : 0;
  }
  return r;
}

/** Fixed-width signed number for text renders, e.g. `+0.0123`. */
export function signed(x: number, digits = 3): string {
  return (x >= 0 ? '+' : '') + x.toFixed(digits);
}

/**
 * A tiny character canvas for ansi renders: `width` x `height` cells; `plot(x, y, ch)` takes
 * coordinates in [-1, 1] (y up) and ignores points outside.
 */
export class TextCanvas {
  private readonly rows: string[][];

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.rows = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  }

  plot(x: number, y: number, ch: string): void {
    const col = Math.round(((x + 1) / 2) * (this.width - 1));
    const row = Math.round(((1 - y) / 2) * (this.height - 1));
    if (col < 0 || col >= this.width || row < 0 || row >= this.height) return;
    this.rows[row]![col] = ch;
  }

  /** Plots a straight segment from (x0, y0) to (x1, y1) with `ch`. */
  line(x0: number, y0: number, x1: number, y1: number, ch: string): void {
    const steps = 2 * Math.max(this.width, this.height);
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      this.plot(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, ch);
    }
  }

  toString(): string {
    return this.rows.map((r) => r.join('').replace(/\s+$/, '')).join('\n');
  }
}
