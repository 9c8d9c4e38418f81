/** Shared assertions for the classic-control tests. */
import { expect } from 'vitest';

/** Every element of `actual` within `tol` of `expected` (same length). */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (!(diff <= tol)) throw new Error(`element ${i}: got ${actual[i]}, expected ${expected[i]} (|diff| ${diff} > ${tol})`);
  }
}

/** The float32 observation numpy's `np.array(values, dtype=np.float32)` would give. */
export function float32(values: readonly number[]): Float32Array {
  return Float32Array.from(values);
}

/** Min and max of each column of `rows`. */
export function columnRanges(rows: ArrayLike<number>[]): { min: number[]; max: number[] } {
  const n = rows[0]!.length;
  const min = new Array<number>(n).fill(Infinity);
  const max = new Array<number>(n).fill(-Infinity);
  for (const r of rows) {
    for (let i = 0; i < n; i++) {
      min[i] = Math.min(min[i]!, r[i]!);
      max[i] = Math.max(max[i]!, r[i]!);
    }
  }
  return { min, max };
}
