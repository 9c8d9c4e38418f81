/**
 * Small space utilities shared by the wrappers: checking that a space is a Box, the "zero" element of a
 * space (Gymnasium's `create_zero_array`), and argument checks.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { Box } from '../../core/spaces/box.js';
import { Dict } from '../../core/spaces/dict.js';
import { Discrete } from '../../core/spaces/discrete.js';
import { MultiBinary } from '../../core/spaces/multi-binary.js';
import { MultiDiscrete } from '../../core/spaces/multi-discrete.js';
import type { Space } from '../../core/spaces/space.js';
import { Tuple } from '../../core/spaces/tuple.js';

/** Throws `InvalidArgumentError` naming `owner` unless `space` is a Box. */
export function requireBox(space: Space<unknown>, owner: string, what: string): Box {
  if (!(space instanceof Box)) {
    throw new InvalidArgumentError(`${owner} requires a Box ${what}, got ${space.toString()}`);
  }
  return space;
}

/**
 * The element of `space` closest to zero: zeros clipped into a Box's bounds, `start` for Discrete and
 * MultiDiscrete, all-zero MultiBinary, and recursively for Dict/Tuple.
 */
export function zeroElement(space: Space<unknown>): unknown {
  if (space instanceof Box) {
    const out = space.low.slice().fill(0);
    for (let i = 0; i < out.length; i++) {
      if (space.low[i]! > 0) out[i] = space.low[i]!;
      else if (space.high[i]! < 0) out[i] = space.high[i]!;
    }
    return out;
  }
  if (space instanceof Discrete) return space.start;
  if (space instanceof MultiDiscrete) return space.start.slice();
  if (space instanceof MultiBinary) return new Int8Array(space.size);
  if (space instanceof Dict) {
    const out: Record<string, unknown> = {};
    for (const k of space.keys) out[k] = zeroElement(space.spaces[k]!);
    return out;
  }
  if (space instanceof Tuple) return space.spaces.map(zeroElement);
  throw new InvalidArgumentError(`No zero element is defined for ${space.toString()}`);
}

/** A value that must be a finite number strictly greater than zero (epsilons). */
export function requirePositive(value: unknown, owner: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`${owner} ${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

/** A discount factor in [0, 1]. */
export function requireDiscount(value: unknown, owner: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError(`${owner} gamma must be a number in [0, 1], got ${String(value)}`);
  }
  return value;
}

/** A positive integer (stack sizes, buffer lengths). */
export function requirePositiveInteger(value: unknown, owner: string, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`${owner} ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
