import { InvalidArgumentError, InvalidSpaceError } from '../errors.js';
import { Space, isTypedArray, type SpaceJSON, type TypedArray } from './space.js';

/** `{start, start+1, ..., start+n-1}`: Gymnasium's `Discrete(n, start)`. Elements are numbers. */
export class Discrete extends Space<number> {
  readonly n: number;
  readonly start: number;

  constructor(n: number, start = 0, seed?: number) {
    if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidSpaceError(`Discrete n must be a positive integer, got ${n}`);
    if (!Number.isSafeInteger(start)) throw new InvalidSpaceError(`Discrete start must be an integer, got ${start}`);
    super([], 'int32', seed);
    this.n = n;
    this.start = start;
  }

  /**
   * A uniform element; with `mask` (length n, 1 = allowed) a uniform element among the allowed ones,
   * or `start` when none is allowed (Gymnasium's behaviour).
   */
  override sample(mask?: ArrayLike<number>): number {
    if (mask === undefined) return this.start + this.rng.integers(0, this.n);
    if (mask.length !== this.n) throw new InvalidArgumentError(`Discrete(${this.n}).sample mask must have length ${this.n}, got ${mask.length}`);
    const allowed: number[] = [];
    for (let i = 0; i < this.n; i++) {
      const m = mask[i];
      if (m !== 0 && m !== 1) throw new InvalidArgumentError(`Discrete sample mask values must be 0 or 1, got ${m} at ${i}`);
      if (m === 1) allowed.push(i);
    }
    if (allowed.length === 0) return this.start;
    return this.start + allowed[this.rng.integers(0, allowed.length)]!;
  }

  override explain(x: unknown): string | null {
    let v = x;
    if (isTypedArray(x) && x.length === 1) v = x[0];
    if (typeof v !== 'number') return `expected an integer, got ${v === null ? 'null' : typeof v}`;
    if (Number.isNaN(v)) return 'got NaN';
    if (!Number.isInteger(v)) return `expected an integer, got ${v}`;
    if (v < this.start || v >= this.start + this.n) return `${v} is outside {${this.start}, ..., ${this.start + this.n - 1}}`;
    return null;
  }

  override equals(other: Space<unknown>): boolean {
    return other instanceof Discrete && other.n === this.n && other.start === this.start;
  }

  override toJSON(): SpaceJSON {
    return { type: 'Discrete', n: this.n, start: this.start };
  }

  override get flatDim(): number {
    return this.n;
  }

  /** One-hot of `x - start` (Gymnasium's flatten). */
  override flattenInto(x: number, out: TypedArray, offset: number): void {
    for (let i = 0; i < this.n; i++) out[offset + i] = 0;
    out[offset + (x - this.start)] = 1;
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): number {
    for (let i = 0; i < this.n; i++) if (flat[offset + i] !== 0) return this.start + i;
    throw new InvalidArgumentError('Discrete.unflatten: the one-hot vector has no non-zero entry');
  }

  override copyElement(x: number): number {
    return x;
  }

  override toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
