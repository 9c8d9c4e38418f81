/**
 * The `Space` base class: Gymnasium's `gymnasium.spaces.Space` in TypeScript.
 *
 * Element representations:
 * - Box → a flat typed array in row-major order (`Float32Array` for float32, `Float64Array` for float64, ...)
 * - Discrete → a number
 * - MultiDiscrete → `Int32Array`, MultiBinary → `Int8Array`
 * - Dict → a plain object keyed like the space, Tuple → an array
 */
import { InvalidArgumentError } from '../errors.js';
import { checkOptions } from '../options.js';
import { Rng, assertValidSeed, makeRng } from '../rng.js';

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

export type NumericDType = 'float32' | 'float64' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32';

export type TypedArrayConstructor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor;

export const TYPED_ARRAY_OF: Record<NumericDType, TypedArrayConstructor> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
};

export function isTypedArray(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array);
}

export function isIntegerDType(dtype: NumericDType): boolean {
  return dtype !== 'float32' && dtype !== 'float64';
}

export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A number that survives JSON: infinities are written as strings. */
export type JSONNumber = number | 'inf' | '-inf';

export function toJSONNumber(v: number): JSONNumber {
  return v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v;
}

export function fromJSONNumber(v: JSONNumber): number {
  return v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v;
}

/** JSON description of a space, enough to rebuild it with `spaceFromJSON` (used across worker threads). */
export type SpaceJSON =
  | { type: 'Box'; low: JSONNumber[]; high: JSONNumber[]; shape: number[]; dtype: NumericDType }
  | { type: 'Discrete'; n: number; start: number }
  | { type: 'MultiDiscrete'; nvec: number[]; start: number[]; shape: number[] }
  | { type: 'MultiBinary'; shape: number[] }
  | { type: 'Dict'; spaces: Record<string, SpaceJSON> }
  | { type: 'Tuple'; spaces: SpaceJSON[] };

/**
 * Gymnasium's `sample(mask=..., probability=...)`. At most one of the two may be given; what each
 * looks like depends on the space (e.g. a 0/1 array of length n for `Discrete`).
 */
export interface SampleOptions<Mask = unknown, Probability = unknown> {
  mask?: Mask | null;
  probability?: Probability | null;
}

const NO_SAMPLE_ARGS = Object.freeze({ mask: null, probability: null });

/**
 * Normalises the argument of `sample()`: nothing, a bare mask (an array or typed array, the older
 * positional form), or `{ mask }` / `{ probability }`. Throws on unknown keys or when both are given.
 */
export function resolveSampleArgs(space: { toString(): string }, arg: unknown): { mask: unknown; probability: unknown } {
  if (arg === undefined || arg === null) return NO_SAMPLE_ARGS; // hot path: no strings built
  const owner = space.toString();
  if (Array.isArray(arg) || isTypedArray(arg)) return { mask: arg, probability: null };
  if (typeof arg !== 'object') {
    throw new InvalidArgumentError(`${owner}.sample() takes { mask } or { probability }, got ${typeof arg}`);
  }
  checkOptions(`${owner}.sample()`, arg, ['mask', 'probability']);
  const { mask = null, probability = null } = arg as SampleOptions;
  if (mask !== null && probability !== null) {
    throw new InvalidArgumentError(`${owner}.sample() takes only one of mask and probability, got both`);
  }
  return { mask, probability };
}

/** np.isclose(sum, 1) with numpy's default tolerances. */
const PROBABILITY_SUM_TOLERANCE = 1e-8 + 1e-5;

/**
 * Checks a probability vector of length `n` (entries in [0, 1], sum 1 within numpy's `isclose`)
 * and returns it as an array.
 */
export function checkProbability(owner: string, p: unknown, n: number): ArrayLike<number> {
  if (!Array.isArray(p) && !isTypedArray(p)) {
    throw new InvalidArgumentError(`${owner}: probability must be an array of ${n} numbers, got ${p === null ? 'null' : typeof p}`);
  }
  const a = p as ArrayLike<unknown>;
  if (a.length !== n) throw new InvalidArgumentError(`${owner}: probability must have length ${n}, got ${a.length}`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new InvalidArgumentError(`${owner}: probability values must be in [0, 1], got ${String(v)} at index ${i}`);
    }
    sum += v;
  }
  if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
    throw new InvalidArgumentError(`${owner}: probability must sum to 1, got ${sum}`);
  }
  return a as ArrayLike<number>;
}

/** Checks a 0/1 action mask of length `n` and returns the allowed indices. */
export function allowedIndices(owner: string, mask: unknown, n: number): number[] {
  if (!Array.isArray(mask) && !isTypedArray(mask)) {
    throw new InvalidArgumentError(`${owner}: mask must be an array of ${n} zeros and ones, got ${mask === null ? 'null' : typeof mask}`);
  }
  const a = mask as ArrayLike<unknown>;
  if (a.length !== n) throw new InvalidArgumentError(`${owner}: mask must have length ${n}, got ${a.length}`);
  const allowed: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = a[i];
    if (m !== 0 && m !== 1) throw new InvalidArgumentError(`${owner}: mask values must be 0 or 1, got ${String(m)} at index ${i}`);
    if (m === 1) allowed.push(i);
  }
  return allowed;
}

/**
 * One discrete variable's draw, an index in [0, n): uniform among the indices `mask` allows (0 when it
 * allows none), from `probability`, or uniform when both are null. Error messages name
 * `${space}.sample`, plus the variable for a MultiDiscrete.
 */
export function sampleIndex(rng: Rng, n: number, mask: unknown, probability: unknown, space: { toString(): string }, variable?: number): number {
  if (mask === null && probability === null) return rng.integers(0, n);
  const owner = `${space.toString()}.sample${variable === undefined ? '' : ` (variable ${variable})`}`;
  if (mask !== null) {
    const allowed = allowedIndices(owner, mask, n);
    return allowed.length === 0 ? 0 : allowed[rng.integers(0, allowed.length)]!;
  }
  return rng.choiceIndex(checkProbability(owner, probability, n));
}

export abstract class Space<T = unknown> {
  /** Shape of an element (null for Dict/Tuple, like Gymnasium). */
  readonly shape: readonly number[] | null;
  /** Element dtype (null for Dict/Tuple). */
  readonly dtype: NumericDType | null;
  private _rng: Rng | null = null;

  protected constructor(shape: readonly number[] | null, dtype: NumericDType | null, seed?: number) {
    this.shape = shape === null ? null : Object.freeze([...shape]);
    this.dtype = dtype;
    if (seed !== undefined) this.seed(seed);
  }

  /** The space's generator (seeded from OS entropy on first use unless `seed()` was called). */
  get rng(): Rng {
    if (this._rng === null) this._rng = makeRng()[0];
    return this._rng;
  }

  /**
   * Seeds the space's sampler (and its subspaces'). Returns the seeds used, like Gymnasium.
   * Without an argument a seed is drawn from OS entropy.
   */
  seed(seed?: number): number[] {
    if (seed !== undefined) assertValidSeed(seed);
    const [rng, used] = makeRng(seed);
    this._rng = rng;
    return [used, ...this.seedChildren(rng)];
  }

  /** Composite spaces seed their children from their own generator. */
  protected seedChildren(_rng: Rng): number[] {
    return [];
  }

  /**
   * A random element of the space, drawn with the space's generator. Spaces that support it accept
   * `{ mask }` or `{ probability }` (Gymnasium's keyword arguments; see each space).
   */
  abstract sample(options?: unknown): T;

  /** Whether `x` is an element of the space. */
  contains(x: unknown): x is T {
    return this.explain(x) === null;
  }

  /** Why `x` is not an element of the space, or `null` if it is. Used for error messages. */
  abstract explain(x: unknown): string | null;

  /** Whether two spaces describe the same set (same type, shape, dtype and bounds). */
  abstract equals(other: Space<unknown>): boolean;

  /** JSON description (see `spaceFromJSON`). */
  abstract toJSON(): SpaceJSON;

  /** Number of elements of `flatten(space, x)`. */
  abstract get flatDim(): number;

  /** Writes the flattened form of `x` into `out` at `offset` (Gymnasium's `flatten` layout). */
  abstract flattenInto(x: T, out: TypedArray, offset: number): void;

  /** Reads an element back from its flattened form at `offset`. */
  abstract unflattenFrom(flat: ArrayLike<number>, offset: number): T;

  /** A deep copy of an element (typed arrays copied, objects rebuilt). */
  abstract copyElement(x: T): T;

  abstract toString(): string;
}
