/** Reads and validates the optional `options.resetMask` of a vector reset (partial resets). */
import { InvalidArgumentError } from '../../../core/errors.js';
import type { VectorResetArgs } from '../vector-env.js';

/** The reset mask as booleans, or null for a full reset. */
export function resetMaskOf(args: VectorResetArgs | undefined, numEnvs: number, owner: string): boolean[] | null {
  const mask = args?.options?.resetMask;
  if (mask === undefined || mask === null) return null;
  if (typeof mask !== 'object' || typeof mask.length !== 'number' || mask.length !== numEnvs) {
    throw new InvalidArgumentError(`${owner}: options.resetMask must have one entry per sub-env (${numEnvs})`);
  }
  const out = Array.from(mask, (v) => v === true || v === 1);
  if (!out.some((v) => v)) throw new InvalidArgumentError(`${owner}: options.resetMask must select at least one sub-env`);
  return out;
}
