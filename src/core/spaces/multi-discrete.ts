import { InvalidArgumentError, InvalidSpaceError } from '../errors.js';
import {
  Space,
  isTypedArray,
  resolveSampleArgs,
  sampleIndex,
  type SampleOptions,
  type SpaceJSON,
  type TypedArray,
} from './space.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * A vector of discrete variables, element i in `{start[i], ..., start[i]+nvec[i]-1}`:
 * Gymnasium's `MultiDiscrete(nvec, start)` (one-dimensional `nvec`). Elements are `Int32Array`s.
 */
export class MultiDiscrete extends Space<Int32Array> {
  readonly nvec: Int32Array;
  readonly start: Int32Array;

  constructor(nvec: ArrayLike<number>, start?: ArrayLike<number>, seed?: number) {
    const n = Array.from(nvec);
    if (n.length === 0 || !n.every((v) => Number.isInteger(v) && v > 0 && v <= 2147483647)) {
      throw new InvalidSpaceError(`MultiDiscrete nvec must be a non-empty array of positive integers, got ${JSON.stringify(n)}`);
    }
    const s = start === undefined ? n.map(() => 0) : Array.from(start);
    // Elements are Int32Arrays, so every element (start .. start + nvec - 1) must fit in int32.
    if (s.length !== n.length || !s.every((v, i) => Number.isInteger(v) && v >= INT32_MIN && v + n[i]! - 1 <= INT32_MAX)) {
      throw new InvalidSpaceError(
        `MultiDiscrete start must be ${n.length} integers with start + nvec - 1 within int32, got ${JSON.stringify(s)}`,
      );
    }
    super([n.length], 'int32', undefined);
    this.nvec = Int32Array.from(n);
    this.start = Int32Array.from(s);
    if (seed !== undefined) this.seed(seed);
  }

  /**
   * A uniform element. Options (Gymnasium's): `{ mask }` (or a bare mask), an array with one 0/1 mask per
   * variable (length nvec[i]; a variable whose mask allows nothing takes start[i]), or `{ probability }`,
   * an array with one probability vector per variable. A per-variable entry may be null (unrestricted).
   */
  override sample(options?: ArrayLike<unknown> | SampleOptions<ArrayLike<unknown>, ArrayLike<unknown>>): Int32Array {
    const { mask, probability } = resolveSampleArgs(this, options);
    const perVariable = (mask ?? probability) as ArrayLike<unknown> | null;
    if (perVariable !== null && perVariable.length !== this.nvec.length) {
      throw new InvalidArgumentError(
        `${this.toString()}.sample: expected ${this.nvec.length} per-variable ${mask !== null ? 'masks' : 'probabilities'}, got ${perVariable.length}`,
      );
    }
    const out = new Int32Array(this.nvec.length);
    for (let i = 0; i < out.length; i++) {
      const sub = perVariable === null ? null : (perVariable[i] ?? null);
      const k = sampleIndex(this.rng, this.nvec[i]!, mask !== null ? sub : null, mask !== null ? null : sub, this, i);
      out[i] = this.start[i]! + k;
    }
    return out;
  }

  override explain(x: unknown): string | null {
    if (!isTypedArray(x) && !Array.isArray(x)) return `expected an Int32Array or number[] of length ${this.nvec.length}`;
    const a = x as ArrayLike<unknown>;
    if (a.length !== this.nvec.length) return `expected ${this.nvec.length} elements, got ${a.length}`;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v !== 'number' || !Number.isInteger(v)) return `element ${i} is ${String(v)}, not an integer`;
      if (v < this.start[i]! || v >= this.start[i]! + this.nvec[i]!) {
        return `element ${i} is ${v}, outside {${this.start[i]}, ..., ${this.start[i]! + this.nvec[i]! - 1}}`;
      }
    }
    return null;
  }

  override equals(other: Space<unknown>): boolean {
    return (
      other instanceof MultiDiscrete &&
      other.nvec.length === this.nvec.length &&
      other.nvec.every((v, i) => v === this.nvec[i]) &&
      other.start.every((v, i) => v === this.start[i])
    );
  }

  override toJSON(): SpaceJSON {
    return { type: 'MultiDiscrete', nvec: Array.from(this.nvec), start: Array.from(this.start), shape: [...this.shape!] };
  }

  override get flatDim(): number {
    let s = 0;
    for (const v of this.nvec) s += v;
    return s;
  }

  /** Concatenated one-hots, one per variable (Gymnasium's flatten). */
  override flattenInto(x: Int32Array, out: TypedArray, offset: number): void {
    let o = offset;
    for (let i = 0; i < this.nvec.length; i++) {
      const n = this.nvec[i]!;
      const hot = x[i]! - this.start[i]!;
      // An out-of-range value would otherwise set a bit in the next variable's one-hot.
      if (!Number.isInteger(hot) || hot < 0 || hot >= n) {
        throw new InvalidArgumentError(`${this.toString()}: cannot flatten ${String(x[i])} at index ${i}, not an element of the space`);
      }
      for (let j = 0; j < n; j++) out[o + j] = 0;
      out[o + hot] = 1;
      o += n;
    }
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): Int32Array {
    const out = new Int32Array(this.nvec.length);
    let o = offset;
    for (let i = 0; i < this.nvec.length; i++) {
      const n = this.nvec[i]!;
      let hot = -1;
      for (let j = 0; j < n; j++) {
        if (flat[o + j] === 0) continue;
        if (hot >= 0) throw new InvalidArgumentError(`MultiDiscrete.unflatten: variable ${i} has more than one non-zero entry`);
        hot = j;
      }
      if (hot < 0) throw new InvalidArgumentError(`MultiDiscrete.unflatten: variable ${i} has no non-zero entry`);
      out[i] = this.start[i]! + hot;
      o += n;
    }
    return out;
  }

  override copyElement(x: Int32Array): Int32Array {
    return Int32Array.from(x);
  }

  override toString(): string {
    const start = this.start.some((v) => v !== 0) ? `, start=[${Array.from(this.start).join(', ')}]` : '';
    return `MultiDiscrete([${Array.from(this.nvec).join(', ')}]${start})`;
  }
}
