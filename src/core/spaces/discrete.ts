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

/** `{start, start+1, ..., start+n-1}`: Gymnasium's `Discrete(n, start)`. Elements are numbers. */
export class Discrete extends Space<number> {
  readonly n: number;
  readonly start: number;

  constructor(n: number, start = 0, seed?: number) {
    if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidSpaceError(`Discrete n must be a positive integer, got ${n}`);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(start + n)) {
      throw new InvalidSpaceError(`Discrete start must be an integer (with start + n a safe integer), got ${start}`);
    }
    super([], 'int32', seed);
    this.n = n;
    this.start = start;
  }

  /**
   * A uniform element. Options (Gymnasium's `sample(mask=..., probability=...)`):
   * - `{ mask }` (or a bare mask): length n, 1 = allowed; uniform among the allowed elements,
   *   or `start` when none is allowed.
   * - `{ probability }`: length n, entries in [0, 1] summing to 1; element `start + i` has probability p[i].
   */
  override sample(options?: ArrayLike<number> | SampleOptions<ArrayLike<number>, ArrayLike<number>>): number {
    const { mask, probability } = resolveSampleArgs(this, options);
    return this.start + sampleIndex(this.rng, this.n, mask, probability, this);
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
    const v = isTypedArray(x) ? (x as TypedArray)[0]! : x; // `contains` accepts a one-element typed array too
    const hot = v - this.start;
    // An out-of-range value would otherwise set a bit in the neighbouring segment of a composite space.
    if (!Number.isInteger(hot) || hot < 0 || hot >= this.n) {
      throw new InvalidArgumentError(`${this.toString()}: cannot flatten ${String(v)}, not an element of the space`);
    }
    for (let i = 0; i < this.n; i++) out[offset + i] = 0;
    out[offset + hot] = 1;
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
