import { InvalidSpaceError } from '../errors.js';
import {
  Space,
  TYPED_ARRAY_OF,
  isIntegerDType,
  isTypedArray,
  shapeSize,
  toJSONNumber,
  type NumericDType,
  type SpaceJSON,
  type TypedArray,
} from './space.js';

const INT_RANGE: Partial<Record<NumericDType, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

function describeArray(a: ArrayLike<number>): string {
  const items = Array.from(a).slice(0, 6);
  return `[${items.join(', ')}${a.length > 6 ? ', ...' : ''}]`;
}

/**
 * A (possibly unbounded) box in R^n: Gymnasium's `Box(low, high, shape, dtype)`.
 * Elements are flat typed arrays of the box's dtype, row-major for multi-dimensional shapes.
 * `contains` also accepts plain number arrays and, for one-element boxes, a bare number.
 */
export class Box extends Space<TypedArray> {
  readonly low: TypedArray;
  readonly high: TypedArray;
  readonly size: number;
  private readonly boundedBelow: Uint8Array;
  private readonly boundedAbove: Uint8Array;

  constructor(
    low: number | ArrayLike<number>,
    high: number | ArrayLike<number>,
    shape?: readonly number[],
    dtype: NumericDType = 'float32',
    seed?: number,
  ) {
    const resolvedShape = Box.resolveShape(low, high, shape);
    super(resolvedShape, dtype, undefined);
    if (!(dtype in TYPED_ARRAY_OF)) throw new InvalidSpaceError(`Box dtype must be one of ${Object.keys(TYPED_ARRAY_OF).join(', ')}, got ${dtype}`);
    const size = shapeSize(resolvedShape);
    this.size = size;
    const Ctor = TYPED_ARRAY_OF[dtype];
    this.low = new Ctor(size);
    this.high = new Ctor(size);
    this.boundedBelow = new Uint8Array(size);
    this.boundedAbove = new Uint8Array(size);
    const range = INT_RANGE[dtype];
    for (let i = 0; i < size; i++) {
      let lo = typeof low === 'number' ? low : low[i]!;
      let hi = typeof high === 'number' ? high : high[i]!;
      if (Number.isNaN(lo) || Number.isNaN(hi)) throw new InvalidSpaceError('Box bounds must not be NaN');
      if (lo > hi) throw new InvalidSpaceError(`Box low must be <= high, got low[${i}]=${lo} > high[${i}]=${hi}`);
      if (range) {
        // Integer boxes map infinite bounds to the dtype's range, as Gymnasium does.
        lo = lo === -Infinity ? range[0] : lo;
        hi = hi === Infinity ? range[1] : hi;
        if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new InvalidSpaceError(`Integer Box bounds must be integers, got [${lo}, ${hi}]`);
        if (lo < range[0] || hi > range[1]) throw new InvalidSpaceError(`Box bounds [${lo}, ${hi}] exceed the range of ${dtype}`);
      }
      this.low[i] = lo;
      this.high[i] = hi;
      this.boundedBelow[i] = this.low[i]! > -Infinity ? 1 : 0;
      this.boundedAbove[i] = this.high[i]! < Infinity ? 1 : 0;
    }
    if (seed !== undefined) this.seed(seed);
  }

  private static resolveShape(
    low: number | ArrayLike<number>,
    high: number | ArrayLike<number>,
    shape?: readonly number[],
  ): number[] {
    if (shape !== undefined) {
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw new InvalidSpaceError(`Box shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
      }
      const size = shapeSize(shape);
      for (const [name, b] of [['low', low], ['high', high]] as const) {
        if (typeof b !== 'number' && b.length !== size) {
          throw new InvalidSpaceError(`Box ${name} has ${b.length} elements but shape ${JSON.stringify(shape)} needs ${size}`);
        }
      }
      return [...shape];
    }
    if (typeof low !== 'number') {
      if (typeof high !== 'number' && high.length !== low.length) {
        throw new InvalidSpaceError(`Box low and high lengths differ (${low.length} vs ${high.length})`);
      }
      return [low.length];
    }
    if (typeof high !== 'number') return [high.length];
    throw new InvalidSpaceError('Box needs a shape when low and high are both scalars');
  }

  override get flatDim(): number {
    return this.size;
  }

  /** Whether every dimension is bounded on both sides ('both'), or the given side. */
  isBounded(manner: 'both' | 'below' | 'above' = 'both'): boolean {
    const below = this.boundedBelow.every((b) => b === 1);
    const above = this.boundedAbove.every((b) => b === 1);
    return manner === 'both' ? below && above : manner === 'below' ? below : above;
  }

  /**
   * Gymnasium's sampling rule per dimension: uniform on [low, high] when bounded, normal when unbounded,
   * shifted exponential when bounded on one side; integer boxes sample floor(uniform(low, high + 1)).
   */
  override sample(): TypedArray {
    const out = new TYPED_ARRAY_OF[this.dtype!](this.size);
    const rng = this.rng;
    const integer = isIntegerDType(this.dtype!);
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i]!;
      const hi = this.high[i]!;
      const b = this.boundedBelow[i]! === 1;
      const a = this.boundedAbove[i]! === 1;
      let v: number;
      if (b && a) v = integer ? Math.floor(rng.uniform(lo, hi + 1)) : rng.uniform(lo, hi);
      else if (!b && !a) v = rng.normal();
      else if (b) v = lo + rng.exponential();
      else v = hi - rng.exponential();
      if (integer) v = Math.min(Math.max(Math.floor(v), lo), hi);
      out[i] = v;
    }
    return out;
  }

  override explain(x: unknown): string | null {
    let values: ArrayLike<number>;
    if (typeof x === 'number') {
      if (this.size !== 1) return `expected an array of shape [${this.shape!.join(', ')}], got the number ${x}`;
      values = [x];
    } else if (isTypedArray(x)) {
      values = x;
    } else if (Array.isArray(x)) {
      if (!x.every((v) => typeof v === 'number')) return 'expected an array of numbers';
      values = x as number[];
    } else {
      return `expected a typed array or number[] of shape [${this.shape!.join(', ')}], got ${x === null ? 'null' : typeof x}`;
    }
    if (values.length !== this.size) {
      return `expected ${this.size} elements (shape [${this.shape!.join(', ')}]), got ${values.length}`;
    }
    const integer = isIntegerDType(this.dtype!);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) return `element ${i} is NaN`;
      if (integer && !Number.isInteger(v)) return `element ${i} is ${v}, not an integer (dtype ${this.dtype})`;
      if (v < this.low[i]! || v > this.high[i]!) {
        return `element ${i} is ${v}, outside [${this.low[i]}, ${this.high[i]}]`;
      }
    }
    return null;
  }

  override equals(other: Space<unknown>): boolean {
    if (!(other instanceof Box) || other.dtype !== this.dtype || other.size !== this.size) return false;
    if (other.shape!.length !== this.shape!.length || other.shape!.some((d, i) => d !== this.shape![i])) return false;
    for (let i = 0; i < this.size; i++) {
      if (!Object.is(this.low[i], other.low[i]) || !Object.is(this.high[i], other.high[i])) return false;
    }
    return true;
  }

  override toJSON(): SpaceJSON {
    return { type: 'Box', low: Array.from(this.low, toJSONNumber), high: Array.from(this.high, toJSONNumber), shape: [...this.shape!], dtype: this.dtype! };
  }

  override flattenInto(x: TypedArray, out: TypedArray, offset: number): void {
    const src = typeof x === 'number' ? [x as number] : x;
    for (let i = 0; i < this.size; i++) out[offset + i] = src[i]!;
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): TypedArray {
    const out = new TYPED_ARRAY_OF[this.dtype!](this.size);
    for (let i = 0; i < this.size; i++) out[i] = flat[offset + i]!;
    return out;
  }

  override copyElement(x: TypedArray): TypedArray {
    return x.slice();
  }

  override toString(): string {
    const uniform = (a: TypedArray) => a.every((v) => v === a[0]);
    const fmt = (a: TypedArray) => (a.length > 0 && uniform(a) ? String(a[0]) : describeArray(a));
    return `Box(${fmt(this.low)}, ${fmt(this.high)}, (${this.shape!.join(', ')}${this.shape!.length === 1 ? ',' : ''}), ${this.dtype})`;
  }
}
