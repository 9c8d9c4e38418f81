/**
 * Batching of space elements for vector environments (Gymnasium's `batch_space`, `create_empty_array`,
 * `concatenate`, `iterate`).
 *
 * Every leaf of a batched element is ONE flat typed array holding `n` items back to back (env-major), so
 * a batch can live in a `SharedArrayBuffer` and be written by worker threads without any copying:
 * - Box(shape S, dtype d)      → Box([n, ...S], d), a typed array of n * size(S)
 * - Discrete(k, start)         → MultiDiscrete(n × k), an Int32Array of n
 * - MultiDiscrete(nvec)        → int32 Box([n, len(nvec)]), an Int32Array of n * len(nvec)
 * - MultiBinary(shape)         → int8 Box([n, ...shape]) in {0, 1}, an Int8Array
 * - Dict / Tuple               → Dict / Tuple of the batched subspaces
 */
import { InvalidActionError, InvalidArgumentError, InvalidSpaceError } from '../../core/errors.js';
import { Box } from '../../core/spaces/box.js';
import { Dict } from '../../core/spaces/dict.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { MultiBinary } from '../../core/spaces/multi-binary.js';
import { MultiDiscrete } from '../../core/spaces/multi-discrete.js';
import { TYPED_ARRAY_OF, isTypedArray, type NumericDType, type Space, type TypedArray } from '../../core/spaces/space.js';
import { Tuple } from '../../core/spaces/tuple.js';

function assertBatchSize(n: number): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`Batch size must be a positive integer, got ${String(n)}`);
}

/** The space of `n` stacked elements of `space` (see the module comment for each space type). */
export function batchSpace(space: Space<any>, n: number): Space<any> {
  assertBatchSize(n);
  if (space instanceof Box) {
    const low = new Float64Array(n * space.size);
    const high = new Float64Array(n * space.size);
    for (let i = 0; i < n; i++) {
      low.set(space.low, i * space.size);
      high.set(space.high, i * space.size);
    }
    return new Box(low, high, [n, ...space.shape!], space.dtype!);
  }
  if (space instanceof Discrete) return new MultiDiscrete(new Array(n).fill(space.n), new Array(n).fill(space.start));
  if (space instanceof MultiDiscrete) {
    const k = space.nvec.length;
    const low = new Float64Array(n * k);
    const high = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        low[i * k + j] = space.start[j]!;
        high[i * k + j] = space.start[j]! + space.nvec[j]! - 1;
      }
    }
    return new Box(low, high, [n, k], 'int32');
  }
  if (space instanceof MultiBinary) return new Box(0, 1, [n, ...space.shape!], 'int8');
  if (space instanceof Dict) {
    const spaces: Record<string, Space<unknown>> = {};
    for (const k of space.keys) spaces[k] = batchSpace(space.spaces[k]!, n);
    return new Dict(spaces);
  }
  if (space instanceof Tuple) return new Tuple(space.spaces.map((s) => batchSpace(s, n)));
  throw new InvalidSpaceError(`batchSpace: unsupported space ${String(space)}`);
}

/** dtype and per-item length of a leaf space's batch storage. */
function leafLayout(space: Space<unknown>): { dtype: NumericDType; size: number } {
  if (space instanceof Box) return { dtype: space.dtype!, size: space.size };
  if (space instanceof Discrete) return { dtype: 'int32', size: 1 };
  if (space instanceof MultiDiscrete) return { dtype: 'int32', size: space.nvec.length };
  if (space instanceof MultiBinary) return { dtype: 'int8', size: space.size };
  throw new InvalidSpaceError(`No batch layout for ${String(space)}`);
}

export interface CreateBatchOptions {
  /** Allocate every leaf on a `SharedArrayBuffer` (so worker threads can write into it). */
  shared?: boolean;
}

/**
 * Zero-filled storage for `n` elements of `space` (an element of `batchSpace(space, n)`).
 * Discrete items are initialised to `start` so the batch is a valid element from the outset.
 */
export function createBatch(space: Space<any>, n: number, options: CreateBatchOptions = {}): any {
  assertBatchSize(n);
  if (space instanceof Dict) {
    const out: Record<string, unknown> = {};
    for (const k of space.keys) out[k] = createBatch(space.spaces[k]!, n, options);
    return out;
  }
  if (space instanceof Tuple) return space.spaces.map((s) => createBatch(s, n, options));
  const { dtype, size } = leafLayout(space);
  const Ctor = TYPED_ARRAY_OF[dtype];
  const length = n * size;
  const array: TypedArray = options.shared
    ? new (Ctor as unknown as new (buffer: SharedArrayBuffer) => TypedArray)(new SharedArrayBuffer(length * Ctor.BYTES_PER_ELEMENT))
    : new Ctor(length);
  if (space instanceof Discrete && space.start !== 0) array.fill(space.start);
  if (space instanceof MultiDiscrete) for (let i = 0; i < n; i++) array.set(space.start, i * size);
  if (space instanceof Box) for (let i = 0; i < n; i++) for (let j = 0; j < size; j++) array[i * size + j] = Math.min(Math.max(0, space.low[j]!), space.high[j]!);
  return array;
}

/** Writes `element` (an element of `space`) as item `i` of `batch`. */
export function writeBatchItem(space: Space<any>, batch: any, i: number, element: any): void {
  if (space instanceof Dict) {
    for (const k of space.keys) writeBatchItem(space.spaces[k]!, batch[k], i, element[k]);
    return;
  }
  if (space instanceof Tuple) {
    space.spaces.forEach((s, j) => writeBatchItem(s, batch[j], i, element[j]));
    return;
  }
  const array = batch as TypedArray;
  if (space instanceof Discrete) {
    array[i] = typeof element === 'number' ? element : (element as ArrayLike<number>)[0]!;
    return;
  }
  const { size } = leafLayout(space);
  const offset = i * size;
  if (typeof element === 'number') {
    array[offset] = element; // one-element Box given as a bare number
    return;
  }
  const src = element as ArrayLike<number>;
  for (let j = 0; j < size; j++) array[offset + j] = src[j]!;
}

/**
 * Item `i` of `batch` as a fresh element of `space` (never a view into the batch). With `plain`, array
 * leaves come back as number[] holding the raw values (no typed-array conversion), for validation.
 */
export function readBatchItem(space: Space<any>, batch: any, i: number, plain = false): any {
  if (space instanceof Dict) {
    const out: Record<string, unknown> = {};
    for (const k of space.keys) out[k] = readBatchItem(space.spaces[k]!, batch[k], i, plain);
    return out;
  }
  if (space instanceof Tuple) return space.spaces.map((s, j) => readBatchItem(s, batch[j], i, plain));
  if (space instanceof Discrete) return Number((batch as ArrayLike<number>)[i]);
  const { dtype, size } = leafLayout(space);
  const out = plain ? new Array<number>(size) : new TYPED_ARRAY_OF[dtype](size);
  const src = batch as ArrayLike<number>;
  for (let j = 0; j < size; j++) out[j] = src[i * size + j]!;
  return out;
}

/** The `n` items of `batch`, in order (Gymnasium's `iterate`). */
export function* iterateBatch(space: Space<any>, batch: any, n: number): Generator<any> {
  for (let i = 0; i < n; i++) yield readBatchItem(space, batch, i);
}

/** A deep copy of a batch (typed arrays copied onto ordinary memory). */
export function copyBatch(space: Space<any>, batch: any): any {
  if (space instanceof Dict) {
    const out: Record<string, unknown> = {};
    for (const k of space.keys) out[k] = copyBatch(space.spaces[k]!, batch[k]);
    return out;
  }
  if (space instanceof Tuple) return space.spaces.map((s, j) => copyBatch(s, batch[j]));
  return (batch as TypedArray).slice();
}

/**
 * Throws `InvalidActionError` unless `batch` has the structure and leaf lengths of `n` items of `space`
 * (typed arrays or number arrays are accepted as leaves). Values are not checked here.
 */
export function assertBatchShape(space: Space<any>, batch: unknown, n: number, path = 'actions'): void {
  if (space instanceof Dict) {
    if (typeof batch !== 'object' || batch === null || Array.isArray(batch) || isTypedArray(batch)) {
      throw new InvalidActionError(`${path} must be an object with keys ${space.keys.join(', ')}`, batch);
    }
    for (const k of Object.keys(batch)) if (!(k in space.spaces)) throw new InvalidActionError(`${path} has an unexpected key '${k}'`, batch);
    for (const k of space.keys) assertBatchShape(space.spaces[k]!, (batch as Record<string, unknown>)[k], n, `${path}.${k}`);
    return;
  }
  if (space instanceof Tuple) {
    if (!Array.isArray(batch) || batch.length !== space.spaces.length) {
      throw new InvalidActionError(`${path} must be an array of ${space.spaces.length} batches`, batch);
    }
    space.spaces.forEach((s, j) => assertBatchShape(s, batch[j], n, `${path}[${j}]`));
    return;
  }
  const { size } = leafLayout(space);
  if (!isTypedArray(batch) && !(Array.isArray(batch) && batch.every((v) => typeof v === 'number'))) {
    throw new InvalidActionError(`${path} must be a typed array or number[] of ${n * size} values (${n} envs × ${size}), got ${describeKind(batch)}`, batch);
  }
  if ((batch as ArrayLike<number>).length !== n * size) {
    throw new InvalidActionError(
      `${path} must hold ${n * size} values (${n} envs × ${size} per env), got ${(batch as ArrayLike<number>).length}`,
      batch,
    );
  }
}

function describeKind(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array with non-number entries';
  return typeof x;
}

/** Copies every leaf of `source` (a batch; leaves may be number[]) into the matching leaf of `target`. */
export function copyBatchInto(space: Space<any>, target: any, source: any): void {
  if (space instanceof Dict) {
    for (const k of space.keys) copyBatchInto(space.spaces[k]!, target[k], source[k]);
    return;
  }
  if (space instanceof Tuple) {
    space.spaces.forEach((s, j) => copyBatchInto(s, target[j], source[j]));
    return;
  }
  (target as TypedArray).set(source as ArrayLike<number>);
}
