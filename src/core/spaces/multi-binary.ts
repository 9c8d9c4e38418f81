import { InvalidArgumentError, InvalidSpaceError } from '../errors.js';
import { Space, isTypedArray, resolveSampleArgs, shapeSize, type SampleOptions, type SpaceJSON, type TypedArray } from './space.js';

/** Binary arrays of a fixed shape: Gymnasium's `MultiBinary(n)`. Elements are flat `Int8Array`s of 0/1. */
export class MultiBinary extends Space<Int8Array> {
  readonly size: number;

  constructor(n: number | readonly number[], seed?: number) {
    const shape = typeof n === 'number' ? [n] : [...n];
    if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new InvalidSpaceError(`MultiBinary n must be a positive integer or shape, got ${JSON.stringify(n)}`);
    }
    super(shape, 'int8', seed);
    this.size = shapeSize(shape);
  }

  /**
   * Independent fair coin flips. Options (Gymnasium's): `{ mask }` (or a bare mask) with one entry per
   * element, 0 or 1 to fix the element, 2 to flip a coin; or `{ probability }`, the chance of each element being 1.
   */
  override sample(options?: ArrayLike<number> | SampleOptions<ArrayLike<number>, ArrayLike<number>>): Int8Array {
    const owner = () => `${this.toString()}.sample`; // built only for error messages
    const { mask, probability } = resolveSampleArgs(this, options);
    const given = (mask ?? probability) as ArrayLike<unknown> | null;
    if (given !== null && (!(Array.isArray(given) || isTypedArray(given)) || given.length !== this.size)) {
      throw new InvalidArgumentError(`${owner()}: ${mask !== null ? 'mask' : 'probability'} must be an array of ${this.size} numbers`);
    }
    const out = new Int8Array(this.size);
    for (let i = 0; i < this.size; i++) {
      if (given === null) {
        out[i] = this.rng.integers(0, 2);
      } else if (mask !== null) {
        const m = given[i];
        if (m !== 0 && m !== 1 && m !== 2) throw new InvalidArgumentError(`${owner()}: mask values must be 0, 1 or 2, got ${String(m)} at index ${i}`);
        out[i] = m === 2 ? this.rng.integers(0, 2) : m;
      } else {
        const p = given[i];
        if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
          throw new InvalidArgumentError(`${owner()}: probability values must be in [0, 1], got ${String(p)} at index ${i}`);
        }
        out[i] = this.rng.random() < p ? 1 : 0;
      }
    }
    return out;
  }

  override explain(x: unknown): string | null {
    if (!isTypedArray(x) && !Array.isArray(x)) return `expected an Int8Array or number[] of ${this.size} elements`;
    const a = x as ArrayLike<unknown>;
    if (a.length !== this.size) return `expected ${this.size} elements, got ${a.length}`;
    for (let i = 0; i < a.length; i++) if (a[i] !== 0 && a[i] !== 1) return `element ${i} is ${String(a[i])}, not 0 or 1`;
    return null;
  }

  override equals(other: Space<unknown>): boolean {
    return other instanceof MultiBinary && other.shape!.length === this.shape!.length && other.shape!.every((d, i) => d === this.shape![i]);
  }

  override toJSON(): SpaceJSON {
    return { type: 'MultiBinary', shape: [...this.shape!] };
  }

  override get flatDim(): number {
    return this.size;
  }

  override flattenInto(x: Int8Array, out: TypedArray, offset: number): void {
    for (let i = 0; i < this.size; i++) out[offset + i] = x[i]!;
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): Int8Array {
    const out = new Int8Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = flat[offset + i]!;
    return out;
  }

  override copyElement(x: Int8Array): Int8Array {
    return Int8Array.from(x);
  }

  override toString(): string {
    return `MultiBinary(${this.shape!.length === 1 ? this.shape![0] : `(${this.shape!.join(', ')})`})`;
  }
}
