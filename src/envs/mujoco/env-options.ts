/** Validation of MuJoCo env constructor options: each throws InvalidArgumentError naming the env and option. */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';

export type Range = readonly [number, number];

export function finite(owner: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`${owner}: ${name} must be a finite number, got ${describeValue(value)}`);
  }
  return value;
}

export function bool(owner: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`${owner}: ${name} must be a boolean, got ${describeValue(value)}`);
  return value;
}

export function range(owner: string, name: string, value: unknown, fallback: Range): Range {
  if (value === undefined) return fallback;
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    !value.every((x) => typeof x === 'number' && !Number.isNaN(x)) ||
    !(value[0] <= value[1])
  ) {
    throw new InvalidArgumentError(`${owner}: ${name} must be [low, high] with low <= high, got ${describeValue(value)}`);
  }
  return [value[0], value[1]];
}
