/**
 * Attribute access through wrapper chains, for `call` / `getAttr` / `setAttr` on vector envs (Gymnasium's
 * `get_wrapper_attr` / `set_wrapper_attr`): the outermost wrapper (or the env) that has the attribute wins.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { Env } from '../env.js';

function owner(env: Env<any, any>, name: string): Record<string, unknown> | null {
  let current: unknown = env;
  while (current !== null && typeof current === 'object') {
    if (name in current) return current as Record<string, unknown>;
    current = (current as { env?: unknown }).env;
  }
  return null;
}

function assertName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError(`attribute name must be a non-empty string, got ${String(name)}`);
}

/** The attribute `name`, or the result of calling it with `args` when it is a method. */
export function callAttr(env: Env<any, any>, name: string, args: readonly unknown[]): unknown {
  assertName(name);
  const target = owner(env, name);
  if (target === null) throw new InvalidArgumentError(`${env.toString()} has no attribute '${name}'`);
  const value = target[name];
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).apply(target, args as unknown[]) : value;
}

/** Sets `name` on the wrapper (or env) that already has it, else on the outermost env. */
export function setAttr(env: Env<any, any>, name: string, value: unknown): void {
  assertName(name);
  const target = owner(env, name) ?? (env as unknown as Record<string, unknown>);
  target[name] = value;
}

/** One value per env: `values` itself when it is an array of numEnvs entries, else `values` for every env. */
export function perEnvValues(values: unknown, numEnvs: number): unknown[] {
  if (Array.isArray(values)) {
    if (values.length !== numEnvs) throw new InvalidArgumentError(`setAttr: got ${values.length} values for ${numEnvs} environments`);
    return values;
  }
  return new Array<unknown>(numEnvs).fill(values);
}
