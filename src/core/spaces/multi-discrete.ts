import { InvalidSpaceError } from '../errors.js';
import { Space, isTypedArray, type SpaceJSON, type TypedArray } from './space.js';

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
    if (s.length !== n.length || !s.every((v) => Number.isInteger(v))) {
      throw new InvalidSpaceError(`MultiDiscrete start must be ${n.length} integers, got ${JSON.stringify(s)}`);
    }
    super([n.length], 'int32', undefined);
    this.nvec = Int32Array.from(n);
    this.start = Int32Array.from(s);
    if (seed !== undefined) this.seed(seed);
  }

  override sample(): Int32Array {
    const out = new Int32Array(this.nvec.length);
    for (let i = 0; i < out.length; i++) out[i] = this.start[i]! + this.rng.integers(0, this.nvec[i]!);
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
      for (let j = 0; j < n; j++) out[o + j] = 0;
      out[o + (x[i]! - this.start[i]!)] = 1;
      o += n;
    }
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): Int32Array {
    const out = new Int32Array(this.nvec.length);
    let o = offset;
    for (let i = 0; i < this.nvec.length; i++) {
      const n = this.nvec[i]!;
      let hot = 0;
      for (let j = 0; j < n; j++) if (flat[o + j] !== 0) hot = j;
      out[i] = this.start[i]! + hot;
      o += n;
    }
    return out;
  }

  override copyElement(x: Int32Array): Int32Array {
    return Int32Array.from(x);
  }

  override toString(): string {
    return `MultiDiscrete([${Array.from(this.nvec).join(', ')}])`;
  }
}
