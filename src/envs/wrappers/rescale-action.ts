/**
 * Gymnasium's `RescaleAction`: the wrapper accepts actions in `[minAction, maxAction]` and maps them
 * affinely onto the wrapped env's Box `[low, high]`. Components that are unbounded in the env's space
 * must be unbounded (the same infinity) in the target range too; they are shifted, not scaled.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { Box } from '../../core/spaces/box.js';
import { TYPED_ARRAY_OF, type TypedArray } from '../../core/spaces/space.js';
import { assertInSpace, type Env } from '../env.js';
import { ActionWrapper } from '../wrapper.js';
import { requireBox } from './space-helpers.js';

/** An affine map from a rescaled Box back onto the original Box, `original = (rescaled - intercept) / gradient`. */
export class BoxRescaling {
  /** The Box of rescaled actions, `[minAction, maxAction]`. */
  readonly rescaled: Box;
  readonly original: Box;
  private readonly gradient: Float64Array;
  private readonly intercept: Float64Array;

  constructor(original: Box, minAction: number | ArrayLike<number>, maxAction: number | ArrayLike<number>, owner: string) {
    const n = original.size;
    const lo = BoxRescaling.expand(minAction, n, 'minAction', owner);
    const hi = BoxRescaling.expand(maxAction, n, 'maxAction', owner);
    this.gradient = new Float64Array(n);
    this.intercept = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const low = original.low[i]!;
      const high = original.high[i]!;
      if (!(lo[i]! < hi[i]!)) {
        throw new InvalidArgumentError(
          `${owner} minAction must be < maxAction in every component (the map has no inverse otherwise), got ${lo[i]} >= ${hi[i]} at index ${i}`,
        );
      }
      if ((!Number.isFinite(lo[i]!) || !Number.isFinite(low)) && lo[i] !== low) {
        throw new InvalidArgumentError(`${owner}: component ${i} has low ${low} and minAction ${lo[i]}; infinite bounds must match exactly`);
      }
      if ((!Number.isFinite(hi[i]!) || !Number.isFinite(high)) && hi[i] !== high) {
        throw new InvalidArgumentError(`${owner}: component ${i} has high ${high} and maxAction ${hi[i]}; infinite bounds must match exactly`);
      }
      const minFinite = Number.isFinite(lo[i]!);
      const maxFinite = Number.isFinite(hi[i]!);
      const g = minFinite && maxFinite ? (hi[i]! - lo[i]!) / (high - low) : 1;
      this.gradient[i] = g;
      this.intercept[i] = minFinite ? lo[i]! - g * low : maxFinite ? hi[i]! - high : 0;
    }
    this.original = original;
    this.rescaled = new Box(lo, hi, original.shape!, original.dtype!);
  }

  private static expand(v: number | ArrayLike<number>, n: number, name: string, owner: string): Float64Array {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) throw new InvalidArgumentError(`${owner} ${name} must not be NaN`);
      return new Float64Array(n).fill(v);
    }
    if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number') {
      throw new InvalidArgumentError(`${owner} ${name} must be a number or an array of numbers, got ${String(v)}`);
    }
    if (v.length !== n) throw new InvalidArgumentError(`${owner} ${name} has ${v.length} values but the action space has ${n}`);
    const out = Float64Array.from(v);
    if (out.some((x, i) => Number.isNaN(x) || typeof v[i] !== 'number')) throw new InvalidArgumentError(`${owner} ${name} must contain only numbers`);
    return out;
  }

  /** Maps a rescaled action onto the original Box, writing a typed array of the original dtype. */
  toOriginal(action: ArrayLike<number> | number): TypedArray {
    const src = typeof action === 'number' ? [action] : action;
    const box = this.original;
    const out = new TYPED_ARRAY_OF[box.dtype!](box.size);
    for (let i = 0; i < box.size; i++) {
      const a = src[i]!;
      let v = (a - this.intercept[i]!) / this.gradient[i]!;
      // An in-range action must stay in range despite rounding (the env checks its bounds exactly).
      if (a >= this.rescaled.low[i]! && a <= this.rescaled.high[i]!) v = Math.min(Math.max(v, box.low[i]!), box.high[i]!);
      out[i] = v;
    }
    return out;
  }
}

export class RescaleAction<Obs = unknown> extends ActionWrapper<TypedArray, TypedArray, Obs> {
  readonly minAction: number | ArrayLike<number>;
  readonly maxAction: number | ArrayLike<number>;
  private readonly rescaling: BoxRescaling;
  /** An unbounded Box of the action shape: checks shape and NaN without judging the range. */
  private readonly shapeCheck: Box;

  constructor(env: Env<Obs, TypedArray>, minAction: number | ArrayLike<number>, maxAction: number | ArrayLike<number>) {
    super(env);
    const box = requireBox(env.actionSpace, 'RescaleAction', 'action space');
    this.rescaling = new BoxRescaling(box, minAction, maxAction, 'RescaleAction');
    this.minAction = minAction;
    this.maxAction = maxAction;
    this.actionSpace = this.rescaling.rescaled;
    this.shapeCheck = new Box(-Infinity, Infinity, box.shape!, 'float64');
  }

  override action(action: TypedArray): TypedArray {
    // Only shape and NaN are checked here; out-of-range actions map linearly and the env judges them.
    assertInSpace(this.shapeCheck, action, 'RescaleAction');
    return this.rescaling.toOriginal(action);
  }
}
