/** Gymnasium's `flatdim`, `flatten`, `unflatten`, `flatten_space`, plus JSON (de)serialisation of spaces. */
import { InvalidSpaceError } from '../errors.js';
import { Box } from './box.js';
import { Dict } from './dict.js';
import { Discrete } from './discrete.js';
import { MultiBinary } from './multi-binary.js';
import { MultiDiscrete } from './multi-discrete.js';
import { fromJSONNumber, type NumericDType, type Space, type SpaceJSON, type TypedArray } from './space.js';
import { Tuple } from './tuple.js';

function leaves(space: Space<unknown>): Space<unknown>[] {
  if (space instanceof Dict) return space.keys.flatMap((k) => leaves(space.spaces[k]!));
  if (space instanceof Tuple) return space.spaces.flatMap(leaves);
  return [space];
}

type DTypeInfo = { kind: 'f' | 'i' | 'u'; bits: number };

/** The dtype each leaf flattens to, as Gymnasium: Discrete and MultiDiscrete one-hots are int64. */
function leafDType(leaf: Space<unknown>): DTypeInfo {
  if (leaf instanceof Discrete || leaf instanceof MultiDiscrete) return { kind: 'i', bits: 64 };
  const dtype = leaf.dtype!;
  return { kind: dtype.startsWith('float') ? 'f' : dtype.startsWith('u') ? 'u' : 'i', bits: Number(dtype.replace(/\D/g, '')) };
}

/** numpy's `result_type` over leaf dtypes, restricted to the dtypes Teleo uses. */
function promote(dtypes: DTypeInfo[]): DTypeInfo {
  let floatBits = 0;
  let signedBits = 0;
  let unsignedBits = 0;
  for (const d of dtypes) {
    if (d.kind === 'f') floatBits = Math.max(floatBits, d.bits);
    else if (d.kind === 'i') signedBits = Math.max(signedBits, d.bits);
    else unsignedBits = Math.max(unsignedBits, d.bits);
  }
  // Integers alone: the smallest integer type holding all of them (a signed type must be wider than an unsigned one).
  const intKind: 'i' | 'u' = signedBits > 0 ? 'i' : 'u';
  let intBits = signedBits > 0 ? Math.max(signedBits, unsignedBits > 0 ? 2 * unsignedBits : 0) : unsignedBits;
  if (intBits > 64) intBits = 64; // uint64 does not occur here
  if (floatBits === 0) return { kind: intKind, bits: intBits };
  // float32 holds integers of up to 16 bits exactly; wider ones need float64.
  if (floatBits === 32 && intBits > 16) floatBits = 64;
  return { kind: 'f', bits: floatBits };
}

/**
 * dtype of the flattened form: numpy's type promotion over the leaves' dtypes, as Gymnasium's
 * `flatten_space` (e.g. float32 for Box(float32) + MultiBinary, float64 for Box(float32) + Discrete).
 * Discrete and MultiDiscrete one-hots are int64 in Gymnasium; JavaScript has no int64 typed array, so
 * wherever int64 would result Teleo uses float64 (exact for 0/1 and for integers below 2^53).
 */
export function flatDType(space: Space<unknown>): NumericDType {
  const ls = leaves(space);
  if (ls.length === 0) return 'float32'; // an empty Dict/Tuple: nothing to store
  const d = promote(ls.map(leafDType));
  if (d.bits === 64) return 'float64';
  return `${d.kind === 'f' ? 'float' : d.kind === 'i' ? 'int' : 'uint'}${d.bits}` as NumericDType;
}

export function flatdim(space: Space<unknown>): number {
  return space.flatDim;
}

/** Flattens an element into a new typed array of `flatDType(space)` (or into `out`). */
export function flatten<T>(space: Space<T>, x: T, out?: TypedArray): TypedArray {
  const target = out ?? newOfDType(flatDType(space), space.flatDim);
  if (target.length !== space.flatDim) throw new InvalidSpaceError(`flatten: out has ${target.length} elements, expected ${space.flatDim}`);
  space.flattenInto(x, target, 0);
  return target;
}

export function unflatten<T>(space: Space<T>, flat: ArrayLike<number>): T {
  if (flat.length !== space.flatDim) throw new InvalidSpaceError(`unflatten: got ${flat.length} elements, expected ${space.flatDim}`);
  return space.unflattenFrom(flat, 0);
}

/** The Box that `flatten(space, ·)` maps into. */
export function flattenSpace(space: Space<unknown>): Box {
  const dtype = flatDType(space);
  if (space instanceof Box) {
    const { low, high } = space.declaredBounds();
    return new Box(low, high, [space.size], space.dtype!);
  }
  const lows: number[] = [];
  const highs: number[] = [];
  for (const leaf of leaves(space)) {
    if (leaf instanceof Box) {
      // Declared bounds keep unbounded sides of integer boxes unbounded in the flat box.
      const { low, high } = leaf.declaredBounds();
      for (const v of low) lows.push(v);
      for (const v of high) highs.push(v);
    } else {
      for (let i = 0; i < leaf.flatDim; i++) {
        lows.push(0);
        highs.push(1);
      }
    }
  }
  return new Box(lows, highs, [lows.length], dtype);
}

function newOfDType(dtype: NumericDType, n: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'uint8':
      return new Uint8Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'uint16':
      return new Uint16Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'uint32':
      return new Uint32Array(n);
  }
}

/** Rebuilds a space from `space.toJSON()`. */
export function spaceFromJSON(json: SpaceJSON): Space<any> {
  if (typeof json !== 'object' || json === null) {
    throw new InvalidSpaceError(`spaceFromJSON needs an object from space.toJSON(), got ${json === null ? 'null' : typeof json}`);
  }
  switch (json.type) {
    case 'Box':
      if (!Array.isArray(json.low) || !Array.isArray(json.high)) throw new InvalidSpaceError('Box JSON needs low and high arrays');
      return new Box(json.low.map(fromJSONNumber), json.high.map(fromJSONNumber), json.shape, json.dtype);
    case 'Discrete':
      return new Discrete(json.n, json.start);
    case 'MultiDiscrete':
      return new MultiDiscrete(json.nvec, json.start);
    case 'MultiBinary':
      return new MultiBinary(json.shape);
    case 'Dict': {
      if (typeof json.spaces !== 'object' || json.spaces === null) throw new InvalidSpaceError('Dict JSON needs a spaces object');
      const spaces: Record<string, Space<unknown>> = {};
      for (const [k, v] of Object.entries(json.spaces)) spaces[k] = spaceFromJSON(v);
      return new Dict(spaces);
    }
    case 'Tuple':
      if (!Array.isArray(json.spaces)) throw new InvalidSpaceError('Tuple JSON needs a spaces array');
      return new Tuple(json.spaces.map(spaceFromJSON));
    default:
      throw new InvalidSpaceError(`Unknown space type in JSON: ${JSON.stringify((json as { type?: unknown }).type)}`);
  }
}
