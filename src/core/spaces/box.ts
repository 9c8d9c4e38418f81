import { InvalidArgumentError, InvalidSpaceError } from '../errors.js';
import {
  Space,
  TYPED_ARRAY_OF,
  isIntegerDType,
  isTypedArray,
  resolveSampleArgs,
  shapeSize,
  toJSONNumber,
  type NumericDType,
  type SampleOptions,
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

const FLOAT32_MAX = 3.4028234663852886e38;

/** Shortest decimal that reads back as the same float32 (so 4.8 prints as 4.8, not 4.800000190734863). */
function shortFloat32(v: number): string {
  if (!Number.isFinite(v)) return numpyStyle(v);
  for (let digits = 1; digits <= 9; digits++) {
    const text = String(Number(v.toPrecision(digits)));
    if (Math.fround(Number(text)) === v) return text;
  }
  return String(v);
}

/** Infinities as numpy prints them ('inf', '-inf'), as in Gymnasium's reprs. */
function numpyStyle(v: number): string {
  return v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
}

function describeBound(a: ArrayLike<number>, dtype: NumericDType): string {
  const items = Array.from(a, dtype === 'float32' ? shortFloat32 : numpyStyle);
  if (items.length > 0 && items.every((x) => x === items[0])) return items[0]!;
  return `[${items.slice(0, 8).join(', ')}${items.length > 8 ? ', ...' : ''}]`;
}

/**
 * A (possibly unbounded) box in R^n: Gymnasium's `Box(low, high, shape, dtype)`.
 * Elements are flat typed arrays of the box's dtype, row-major for multi-dimensional shapes.
 * `contains` also accepts plain number arrays and, for one-element boxes, a bare number.
 * `T` is the element type; it defaults to any typed array and is inferred from context
 * (`const s: Space<Float32Array> = new Box(-1, 1, [3])`); it is not checked against `dtype`.
 */
export class Box<T extends TypedArray = TypedArray> extends Space<T> {
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
    if (!Object.hasOwn(TYPED_ARRAY_OF, dtype)) throw new InvalidSpaceError(`Box dtype must be one of ${Object.keys(TYPED_ARRAY_OF).join(', ')}, got ${dtype}`);
    const size = shapeSize(resolvedShape);
    this.size = size;
    const Ctor = TYPED_ARRAY_OF[dtype];
    this.low = new Ctor(size);
    this.high = new Ctor(size);
    this.boundedBelow = new Uint8Array(size);
    this.boundedAbove = new Uint8Array(size);
    const range = INT_RANGE[dtype];
    for (let i = 0; i < size; i++) {
      let lo = typeof low === 'number' ? low : low[i];
      let hi = typeof high === 'number' ? high : high[i];
      if (typeof lo !== 'number' || typeof hi !== 'number') {
        throw new InvalidSpaceError(`Box bounds must be numbers, got low[${i}]=${String(lo)}, high[${i}]=${String(hi)}`);
      }
      if (Number.isNaN(lo) || Number.isNaN(hi)) throw new InvalidSpaceError('Box bounds must not be NaN');
      if (lo > hi) throw new InvalidSpaceError(`Box low must be <= high, got low[${i}]=${lo} > high[${i}]=${hi}`);
      if (lo === Infinity || hi === -Infinity) throw new InvalidSpaceError(`Box bounds [${lo}, ${hi}] at ${i} describe an empty interval`);
      // Boundedness is decided by the bounds as given, before an integer box replaces infinities with
      // its dtype's range (Gymnasium does the same, so sampling stays normal/exponential there).
      this.boundedBelow[i] = lo > -Infinity ? 1 : 0;
      this.boundedAbove[i] = hi < Infinity ? 1 : 0;
      if (range) {
        if ((lo === -Infinity || hi === Infinity) && range[0] === 0) {
          throw new InvalidSpaceError(`Box with unsigned dtype ${dtype} does not support infinite bounds, got [${lo}, ${hi}] at ${i}`);
        }
        lo = lo === -Infinity ? range[0] : lo;
        hi = hi === Infinity ? range[1] : hi;
        if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new InvalidSpaceError(`Integer Box bounds must be integers, got [${lo}, ${hi}] at ${i}`);
        if (lo < range[0] || hi > range[1]) throw new InvalidSpaceError(`Box bounds [${lo}, ${hi}] exceed the range of ${dtype}`);
      } else if (dtype === 'float32' && (Math.abs(lo) > FLOAT32_MAX && lo !== -Infinity || Math.abs(hi) > FLOAT32_MAX && hi !== Infinity)) {
        throw new InvalidSpaceError(`Box bounds [${lo}, ${hi}] exceed the finite range of float32 (use ±Infinity for unbounded)`);
      }
      this.low[i] = lo;
      this.high[i] = hi;
    }
    if (seed !== undefined) this.seed(seed);
  }

  private static resolveShape(
    low: number | ArrayLike<number>,
    high: number | ArrayLike<number>,
    shape?: readonly number[],
  ): number[] {
    for (const [name, b] of [['low', low], ['high', high]] as const) {
      if (typeof b !== 'number' && !Array.isArray(b) && !isTypedArray(b)) {
        throw new InvalidSpaceError(`Box ${name} must be a number or an array of numbers, got ${b === null ? 'null' : typeof b}`);
      }
    }
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
    return [1]; // scalar bounds without a shape: one dimension, as Gymnasium
  }

  override get flatDim(): number {
    return this.size;
  }

  /** Whether every dimension is bounded on both sides ('both'), or the given side. */
  isBounded(manner: 'both' | 'below' | 'above' = 'both'): boolean {
    if (manner !== 'both' && manner !== 'below' && manner !== 'above') {
      throw new InvalidArgumentError(`Box.isBounded manner must be 'both', 'below' or 'above', got ${JSON.stringify(manner)}`);
    }
    const below = this.boundedBelow.every((b) => b === 1);
    const above = this.boundedAbove.every((b) => b === 1);
    return manner === 'both' ? below && above : manner === 'below' ? below : above;
  }

  /**
   * Gymnasium's sampling rule, per dimension: uniform on [low, high) when bounded on both sides,
   * low + Exp(1) when bounded only below, high - Exp(1) when bounded only above, N(0, 1) when unbounded.
   * Integer boxes draw from the same distributions with high + 1 in place of high, take the floor
   * and clip to the dtype's range, so every integer in [low, high] is reachable. Masks are not supported.
   */
  override sample(options?: SampleOptions<never, never>): T {
    const { mask, probability } = resolveSampleArgs(this, options);
    if (mask !== null || probability !== null) {
      throw new InvalidArgumentError(`${this.toString()}.sample() does not support ${mask !== null ? 'mask' : 'probability'}`);
    }
    const out = new TYPED_ARRAY_OF[this.dtype!](this.size) as T;
    const rng = this.rng;
    const range = INT_RANGE[this.dtype!];
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i]!;
      const hi = range ? this.high[i]! + 1 : this.high[i]!;
      const below = this.boundedBelow[i]! === 1;
      const above = this.boundedAbove[i]! === 1;
      let v: number;
      if (below && above) v = rng.uniform(lo, hi);
      else if (below) v = lo + rng.exponential();
      else if (above) v = hi - rng.exponential();
      else v = rng.normal();
      // Clipping to [low, high] also clips to the dtype's range (an infinite bound was replaced by it).
      if (range) v = Math.min(Math.max(Math.floor(v), lo), this.high[i]!);
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
    // Compare what would be stored: a float32 box rounds values to float32 (as numpy's cast does).
    const round32 = this.dtype === 'float32' && !(x instanceof Float32Array);
    for (let i = 0; i < values.length; i++) {
      const v = round32 ? Math.fround(values[i]!) : values[i]!;
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
      if (this.low[i] !== other.low[i] || this.high[i] !== other.high[i]) return false;
      if (this.boundedBelow[i] !== other.boundedBelow[i] || this.boundedAbove[i] !== other.boundedAbove[i]) return false;
    }
    return true;
  }

  override toJSON(): SpaceJSON {
    // Unbounded sides are written as infinities even for integer boxes (which store the dtype's range),
    // so that the rebuilt box samples the same way.
    const { low, high } = this.declaredBounds();
    return { type: 'Box', low: low.map(toJSONNumber), high: high.map(toJSONNumber), shape: [...this.shape!], dtype: this.dtype! };
  }

  /**
   * The bounds as declared: ±Infinity on unbounded sides. (`low`/`high` of an integer box hold its
   * dtype's range there instead.) `new Box(b.low, b.high, shape, dtype)` rebuilds an equal box.
   */
  declaredBounds(): { low: number[]; high: number[] } {
    return {
      low: Array.from(this.low, (v, i) => (this.boundedBelow[i] ? v : -Infinity)),
      high: Array.from(this.high, (v, i) => (this.boundedAbove[i] ? v : Infinity)),
    };
  }

  override flattenInto(x: T, out: TypedArray, offset: number): void {
    const src = typeof x === 'number' ? [x as number] : x;
    for (let i = 0; i < this.size; i++) out[offset + i] = src[i]!;
  }

  override unflattenFrom(flat: ArrayLike<number>, offset: number): T {
    const out = new TYPED_ARRAY_OF[this.dtype!](this.size) as T;
    for (let i = 0; i < this.size; i++) out[i] = flat[offset + i]!;
    return out;
  }

  override copyElement(x: T): T {
    return x.slice() as T;
  }

  override toString(): string {
    const fmt = (a: TypedArray) => describeBound(a, this.dtype!);
    return `Box(${fmt(this.low)}, ${fmt(this.high)}, (${this.shape!.join(', ')}${this.shape!.length === 1 ? ',' : ''}), ${this.dtype})`;
  }

}
