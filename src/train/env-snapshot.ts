/**
 * Snapshots of environment state for exact resume. Environments have no state API of their own, so this
 * records the plain-data fields (numbers, booleans, strings, null, typed arrays, plain arrays of numbers,
 * and `Rng` generators by their state) of a vector env, of each sub-env and of every wrapper around it,
 * and writes them back into freshly made envs of the same kind. That covers the classic-control envs,
 * the standard wrappers (TimeLimit's step count, OrderEnforcing's flags) and SyncVectorEnv's bookkeeping;
 * it cannot capture state held in closures or `#private` fields — `restoreEnvSnapshot` checks that the
 * wrapper chain matches and raises otherwise, and callers fall back to a seeded reset.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { Env } from '../envs/env.js';
import type { VectorEnv } from '../envs/vector/vector-env.js';

type Encoded =
  | number
  | boolean
  | string
  | null
  | { typed: string; data: number[] }
  | { rng: number[] }
  | { numbers: number[] };

export interface ObjectSnapshot {
  className: string;
  fields: Record<string, Encoded>;
}

export interface EnvSnapshot {
  vector: ObjectSnapshot;
  /** Per sub-env, the wrapper chain from the outermost wrapper to the unwrapped env. */
  envs: ObjectSnapshot[][];
}

const TYPED = { Float64Array, Float32Array, Int32Array, Uint8Array, Int8Array, Uint32Array, Int16Array, Uint16Array } as const;
type TypedName = keyof typeof TYPED;

function encode(value: unknown): Encoded | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Rng) return { rng: [...value.getState()] };
  if (ArrayBuffer.isView(value) && (value.constructor.name as string) in TYPED) {
    const arr = Array.from(value as unknown as ArrayLike<number>);
    return arr.every(Number.isFinite) ? { typed: value.constructor.name, data: arr } : undefined;
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v))) return { numbers: [...value] };
  return undefined;
}

function snapshotObject(obj: object): ObjectSnapshot {
  const fields: Record<string, Encoded> = {};
  for (const key of Object.keys(obj)) {
    const encoded = encode((obj as Record<string, unknown>)[key]);
    if (encoded !== undefined) fields[key] = encoded;
  }
  return { className: obj.constructor.name, fields };
}

function chainOf(env: Env<unknown, unknown>): object[] {
  const chain: object[] = [];
  let current: unknown = env;
  while (current instanceof Env) {
    chain.push(current);
    current = (current as unknown as { env?: unknown }).env;
  }
  return chain;
}

function subEnvsOf(vec: VectorEnv<unknown, unknown, unknown, unknown>): Env<unknown, unknown>[] {
  const envs = (vec as unknown as { envs?: unknown }).envs;
  if (!Array.isArray(envs) || !envs.every((e) => e instanceof Env)) {
    throw new InvalidArgumentError(`Cannot snapshot ${vec.constructor.name}: only vector envs that hold their sub-envs in this thread (SyncVectorEnv)`);
  }
  return envs as Env<unknown, unknown>[];
}

/** The plain-data state of a (sync) vector env and all its sub-envs. */
export function snapshotEnv(vec: VectorEnv<unknown, unknown, unknown, unknown>): EnvSnapshot {
  return { vector: snapshotObject(vec), envs: subEnvsOf(vec).map((env) => chainOf(env).map(snapshotObject)) };
}

function restoreObject(obj: object, snap: ObjectSnapshot, where: string): void {
  if (obj.constructor.name !== snap.className) {
    throw new InvalidArgumentError(`Env snapshot: ${where} is a ${obj.constructor.name}, the snapshot holds a ${snap.className}`);
  }
  const target = obj as Record<string, unknown>;
  for (const [key, value] of Object.entries(snap.fields)) {
    const current = target[key];
    if (value !== null && typeof value === 'object') {
      if ('rng' in value) target[key] = Rng.fromState(value.rng);
      else if ('typed' in value) {
        const Ctor = TYPED[value.typed as TypedName];
        if (Ctor === undefined) throw new InvalidArgumentError(`Env snapshot: ${where}.${key} has unknown array type ${value.typed}`);
        if (current instanceof Ctor && current.length === value.data.length) current.set(value.data);
        else target[key] = Ctor.from(value.data);
      } else target[key] = [...value.numbers];
    } else {
      target[key] = value;
    }
  }
}

/** Writes a snapshot back into `vec` (same env id, wrappers and number of envs). */
export function restoreEnvSnapshot(vec: VectorEnv<unknown, unknown, unknown, unknown>, snap: EnvSnapshot): void {
  const envs = subEnvsOf(vec);
  if (envs.length !== snap.envs.length) {
    throw new InvalidArgumentError(`Env snapshot holds ${snap.envs.length} sub-envs, the vector env has ${envs.length}`);
  }
  const chains = envs.map(chainOf);
  chains.forEach((chain, i) => {
    if (chain.length !== snap.envs[i]!.length) {
      throw new InvalidArgumentError(`Env snapshot: sub-env ${i} has ${chain.length} wrapper layers, the snapshot ${snap.envs[i]!.length}`);
    }
  });
  restoreObject(vec, snap.vector, 'the vector env');
  chains.forEach((chain, i) => chain.forEach((obj, j) => restoreObject(obj, snap.envs[i]![j]!, `sub-env ${i} layer ${j}`)));
}
