/** Validation of the arguments vector envs share: seeds, reset masks, autoreset and copy options, action batches. */
import { InvalidActionError, InvalidArgumentError } from '../../core/errors.js';
import { assertValidSeed } from '../../core/rng.js';
import type { Space } from '../../core/spaces/space.js';
import { assertBatchShape, readBatchItem } from './batching.js';
import type { AutoresetMode, VectorResetArgs } from './vector-env.js';

export const AUTORESET_MODES: readonly AutoresetMode[] = ['NEXT_STEP', 'SAME_STEP', 'DISABLED'];

export function parseAutoresetMode(mode: unknown, owner: string): AutoresetMode {
  if (mode === undefined) return 'NEXT_STEP';
  if (typeof mode !== 'string' || !AUTORESET_MODES.includes(mode as AutoresetMode)) {
    throw new InvalidArgumentError(`${owner}: autoresetMode must be one of ${AUTORESET_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  }
  return mode as AutoresetMode;
}

/** The `copy` option of a vector env: whether reset/step return a copy of the observation batch (default true). */
export function parseCopyOption(copy: unknown, owner: string): boolean {
  if (copy !== undefined && typeof copy !== 'boolean') throw new InvalidArgumentError(`${owner}: copy must be a boolean, got ${String(copy)}`);
  return copy ?? true;
}

/** One seed per env: `seed + i` for a number, the array itself (checked) for an array, all null for none. */
export function resolveSeeds(seed: VectorResetArgs['seed'], numEnvs: number): (number | null)[] {
  if (seed === undefined || seed === null) return new Array<number | null>(numEnvs).fill(null);
  if (typeof seed === 'number') {
    assertValidSeed(seed);
    assertValidSeed(seed + (numEnvs - 1)); // the last env's seed must be valid too
    return Array.from({ length: numEnvs }, (_, i) => seed + i);
  }
  if (!Array.isArray(seed)) throw new InvalidArgumentError(`reset: seed must be a number or an array of ${numEnvs} seeds, got ${typeof seed}`);
  if (seed.length !== numEnvs) throw new InvalidArgumentError(`reset: got ${seed.length} seeds for ${numEnvs} environments`);
  return seed.map((s) => {
    if (s === null || s === undefined) return null;
    assertValidSeed(s);
    return s;
  });
}

/** Splits `resetMask` off the reset options and checks it: numEnvs booleans (or 0/1), at least one set. */
export function splitResetOptions(
  options: VectorResetArgs['options'],
  numEnvs: number,
): { mask: Uint8Array | undefined; envOptions: Record<string, unknown> | undefined } {
  if (options === undefined || options === null) return { mask: undefined, envOptions: undefined };
  if (typeof options !== 'object') throw new InvalidArgumentError(`reset: options must be an object, got ${typeof options}`);
  const { resetMask, ...rest } = options;
  const envOptions = Object.keys(rest).length > 0 ? rest : undefined;
  if (resetMask === undefined) return { mask: undefined, envOptions };
  const m = resetMask as unknown;
  if (!(Array.isArray(m) || ArrayBuffer.isView(m)) || (m as ArrayLike<unknown>).length !== numEnvs) {
    throw new InvalidArgumentError(`reset: options.resetMask must be an array of ${numEnvs} booleans`);
  }
  const mask = new Uint8Array(numEnvs);
  for (let i = 0; i < numEnvs; i++) {
    const v = (m as ArrayLike<unknown>)[i];
    if (v !== true && v !== false && v !== 0 && v !== 1) throw new InvalidArgumentError(`reset: options.resetMask[${i}] must be a boolean, got ${String(v)}`);
    mask[i] = v === true || v === 1 ? 1 : 0;
  }
  if (!mask.some((v) => v === 1)) throw new InvalidArgumentError('reset: options.resetMask must select at least one environment');
  return { mask, envOptions };
}

/**
 * Throws `InvalidActionError` unless `actions` is a batch of `numEnvs` valid actions; the message names
 * the first offending env. Nothing is stepped before this passes.
 */
export function assertValidActions(singleSpace: Space<any>, actions: unknown, numEnvs: number): void {
  assertBatchShape(singleSpace, actions, numEnvs);
  for (let i = 0; i < numEnvs; i++) {
    const action = readBatchItem(singleSpace, actions, i, true);
    const why = singleSpace.explain(action);
    if (why !== null) throw new InvalidActionError(`Invalid action for sub-environment ${i} (${singleSpace.toString()}): ${why}`, action);
  }
}

/** Throws `InvalidArgumentError` unless every space equals the first (all sub-envs must agree). */
export function assertSameSpaces(kind: 'observation' | 'action', spaces: Space<any>[]): void {
  const first = spaces[0]!;
  for (let i = 1; i < spaces.length; i++) {
    if (!spaces[i]!.equals(first)) {
      throw new InvalidArgumentError(
        `Sub-environment ${i} has ${kind} space ${spaces[i]!.toString()}, but sub-environment 0 has ${first.toString()}; all sub-environments must share their spaces`,
      );
    }
  }
}
