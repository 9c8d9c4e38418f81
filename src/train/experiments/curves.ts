/**
 * Learning curves with x values (e.g. environment steps), as runs return them: `{ x, y }`. Runs of one arm
 * may log at different x; the summary puts them on one grid — the sorted union of every run's x, thinned to
 * the point count of the most detailed run — and reads each run there by linear interpolation between its
 * own points, only inside the x range it covers (never extrapolated), as a plain-array curve counts only the
 * runs that reached a point.
 */
import { InvalidArgumentError } from '../../core/errors.js';

/** A curve with its x values: y[i] was measured at x[i]; x strictly increasing. */
export interface CurvePoints {
  x: number[];
  y: number[];
}

/** True for a `{ x, y }` curve object (not an array, not a number). */
export function isCurvePoints(value: unknown): value is CurvePoints {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value) && 'x' in value && 'y' in value;
}

function finiteArray(key: string, part: string, value: unknown): number[] {
  if (!Array.isArray(value) && !(ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    throw new InvalidArgumentError(`metric '${key}': ${part} must be an array of numbers, got ${value === null ? 'null' : typeof value}`);
  }
  const arr = Array.from(value as ArrayLike<unknown>);
  if (arr.length === 0) throw new InvalidArgumentError(`metric '${key}': ${part} is an empty array`);
  const bad = arr.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) throw new InvalidArgumentError(`metric '${key}' has ${String(arr[bad])} at ${part}[${bad}]; curves must hold finite numbers`);
  return arr as number[];
}

/** Checks a `{ x, y }` curve (equal non-empty lengths, finite, x strictly increasing); returns plain arrays. */
export function validateCurvePoints(key: string, value: object): CurvePoints {
  const extra = Object.keys(value).filter((k) => k !== 'x' && k !== 'y');
  if (extra.length > 0) throw new InvalidArgumentError(`metric '${key}': a curve object has only x and y, got also ${extra.map((k) => `'${k}'`).join(', ')}`);
  const { x: rawX, y: rawY } = value as { x: unknown; y: unknown };
  const x = finiteArray(key, 'x', rawX);
  const y = finiteArray(key, 'y', rawY);
  if (x.length !== y.length) throw new InvalidArgumentError(`metric '${key}': x has ${x.length} values but y has ${y.length}`);
  for (let i = 1; i < x.length; i++) {
    if (!(x[i]! > x[i - 1]!)) throw new InvalidArgumentError(`metric '${key}': x must be strictly increasing, but x[${i}] = ${x[i]} follows x[${i - 1}] = ${x[i - 1]}`);
  }
  return { x, y };
}

/** Linear interpolation of (xs, ys) at `at`; xs ascending and `at` within [xs[0], xs[last]]. */
export function interpolateAt(xs: ArrayLike<number>, ys: ArrayLike<number>, at: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  if (at <= xs[0]!) return ys[0]!;
  if (at >= xs[hi]!) return ys[hi]!;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= at) lo = mid;
    else hi = mid;
  }
  const t = (at - xs[lo]!) / (xs[hi]! - xs[lo]!);
  return ys[lo]! + t * (ys[hi]! - ys[lo]!);
}

/**
 * The summary grid of several curves: the sorted union of their x values; when that has more points than
 * the most detailed curve, that many points picked evenly (by index) from it, first and last kept. Curves
 * logged on one schedule thus keep their exact x, and the summary costs no more than its longest curve.
 */
export function curveGrid(curves: readonly CurvePoints[]): number[] {
  const union = [...new Set(curves.flatMap((c) => c.x))].sort((a, b) => a - b);
  const size = Math.max(...curves.map((c) => c.x.length));
  if (union.length <= size) return union;
  if (size === 1) return [union[union.length - 1]!];
  return Array.from({ length: size }, (_, i) => union[Math.round((i * (union.length - 1)) / (size - 1))]!);
}

/** The values of the curves at `at`: one per curve whose x range covers it (interpolated). */
export function valuesAt(curves: readonly CurvePoints[], at: number): number[] {
  return curves.filter((c) => at >= c.x[0]! && at <= c.x[c.x.length - 1]!).map((c) => interpolateAt(c.x, c.y, at));
}
