/** Validation of text-task options: each helper returns the value (or its default) or throws a typed error naming it. */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';

export function integerOption(owner: string, name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${owner}: option '${name}' must be an integer in [${min}, ${max}], got ${describeValue(value)}`);
  }
  return value;
}

export function booleanOption(owner: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(`${owner}: option '${name}' must be a boolean, got ${describeValue(value)}`);
  return value;
}

/** A fraction strictly between 0 and 1 (both splits must be able to hold problems). */
export function openFractionOption(owner: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new InvalidArgumentError(`${owner}: option '${name}' must be a number strictly between 0 and 1, got ${describeValue(value)}`);
  }
  return value;
}

/** A plain object option (or undefined); anything else is a typed error. */
export function objectOption(owner: string, name: string, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(`${owner}: option '${name}' must be an object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}
