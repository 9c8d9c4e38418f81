/**
 * Merging per-env info objects into the vector env's dict of arrays (Gymnasium's `VectorEnv._add_info`).
 *
 * For each key reported by env i: `infos[key][i] = value` and `infos['_' + key][i] = true`.
 * Storage per key is chosen from the first value seen: numbers → Float64Array, booleans → Uint8Array,
 * plain objects → a nested dict of arrays (merged recursively), anything else → an array filled with null.
 * `final_obs` always uses a plain array of per-env observations. If a later env reports a value that does
 * not fit the typed storage (a string where numbers were), the column is widened to a plain array.
 */
import type { Info } from '../env.js';
import type { VectorInfo } from './vector-env.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function newColumn(value: unknown, n: number): unknown[] | Float64Array | Uint8Array {
  if (typeof value === 'number') return new Float64Array(n);
  if (typeof value === 'boolean') return new Uint8Array(n);
  return new Array<unknown>(n).fill(null);
}

function fits(column: unknown, value: unknown): boolean {
  if (column instanceof Float64Array) return typeof value === 'number';
  if (column instanceof Uint8Array) return typeof value === 'boolean';
  return Array.isArray(column);
}

/** A plain-array copy of a typed column, keeping only the entries its mask marks as present. */
function widen(column: Float64Array | Uint8Array, mask: boolean[] | undefined): unknown[] {
  return Array.from(column, (v, i) => (mask?.[i] ? (column instanceof Uint8Array ? v === 1 : v) : null));
}

/** Adds env `index`'s `info` into `infos` (mutated and returned); `numEnvs` sizes new columns. */
export function addInfo(infos: VectorInfo, info: Info, index: number, numEnvs: number): VectorInfo {
  for (const [key, value] of Object.entries(info)) {
    const maskKey = `_${key}`;
    let mask = infos[maskKey] as boolean[] | undefined;
    if (!Array.isArray(mask)) mask = new Array<boolean>(numEnvs).fill(false);
    let column = infos[key];
    if (key !== 'final_obs' && isPlainObject(value)) {
      column = addInfo(isPlainObject(column) ? column : {}, value, index, numEnvs);
    } else {
      if (column === undefined || (key === 'final_obs' && !Array.isArray(column))) {
        column = key === 'final_obs' ? new Array<unknown>(numEnvs).fill(null) : newColumn(value, numEnvs);
      } else if (!fits(column, value)) {
        column = column instanceof Float64Array || column instanceof Uint8Array ? widen(column, mask) : new Array<unknown>(numEnvs).fill(null);
      }
      if (column instanceof Uint8Array) column[index] = value ? 1 : 0;
      else (column as unknown[] | Float64Array)[index] = value as number;
    }
    mask[index] = true;
    infos[key] = column;
    infos[maskKey] = mask;
  }
  return infos;
}

/** The per-env infos back out of a merged dict (the inverse of `addInfo`), for tests and debugging. */
export function infoOfEnv(infos: VectorInfo, index: number): Info {
  const out: Info = {};
  for (const [key, column] of Object.entries(infos)) {
    if (key.startsWith('_')) continue;
    const mask = infos[`_${key}`] as boolean[] | undefined;
    if (!mask?.[index]) continue;
    if (isPlainObject(column)) out[key] = infoOfEnv(column, index);
    else if (column instanceof Uint8Array) out[key] = column[index] === 1;
    else out[key] = (column as ArrayLike<unknown>)[index];
  }
  return out;
}
