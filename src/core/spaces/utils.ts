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

/**
 * dtype of the flattened form: float32 when every leaf is a float32 Box, otherwise float64.
 * (Gymnasium flattens Discrete to int64 one-hots; JavaScript has no int64 typed array, so one-hots are floats.)
 */
export function flatDType(space: Space<unknown>): NumericDType {
  const ls = leaves(space);
  if (ls.every((l) => l instanceof Box && l.dtype === 'float32')) return 'float32';
  if (ls.length === 1 && ls[0] instanceof Box) return ls[0].dtype!;
  return 'float64';
}

export function flatdim(space: Space<unknown>): number {
  return space.flatDim;
}

/** Flattens an element into a new typed array of `flatDType(space)` (or into `out`). */
export function flatten<T>(space: Space<T>, x: T, out?: TypedArray): TypedArray {
  const target = out ?? (flatDType(space) === 'float32' ? new Float32Array(space.flatDim) : newOfDType(flatDType(space), space.flatDim));
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
  if (space instanceof Box) return new Box(space.low, space.high, [space.size], space.dtype!);
  const lows: number[] = [];
  const highs: number[] = [];
  for (const leaf of leaves(space)) {
    if (leaf instanceof Box) {
      lows.push(...leaf.low);
      highs.push(...leaf.high);
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
  switch (json.type) {
    case 'Box':
      return new Box(json.low.map(fromJSONNumber), json.high.map(fromJSONNumber), json.shape, json.dtype);
    case 'Discrete':
      return new Discrete(json.n, json.start);
    case 'MultiDiscrete':
      return new MultiDiscrete(json.nvec, json.start);
    case 'MultiBinary':
      return new MultiBinary(json.shape);
    case 'Dict': {
      const spaces: Record<string, Space<unknown>> = {};
      for (const [k, v] of Object.entries(json.spaces)) spaces[k] = spaceFromJSON(v);
      return new Dict(spaces);
    }
    case 'Tuple':
      return new Tuple(json.spaces.map(spaceFromJSON));
    default:
      throw new InvalidSpaceError(`Unknown space type in JSON: ${JSON.stringify((json as { type?: unknown }).type)}`);
  }
}
