/**
 * An evaluation policy's action distribution over logged rounds, checked once.
 *
 * Estimators accept a plain Float64Array (layout of `inputs.ts`) and check every row they read on each call;
 * checking costs a full read of the n × nActions array, which for IPS and SNIPS (which otherwise read one
 * entry per round) is most of the time. Wrapping the array in an `ActionDistribution` checks all rows
 * (every position) once — entries in [0, 1], rows summing to 1 — so that evaluating one policy with several
 * estimators pays for the check once. The array is kept by reference: do not modify it afterwards.
 */
import { InvalidArgumentError, describeValue } from '../core/errors.js';
import { DISTRIBUTION_TOLERANCE } from './inputs.js';

export class ActionDistribution {
  readonly values: Float64Array;
  readonly nRounds: number;
  readonly nActions: number;
  readonly nPositions: number;

  constructor(values: Float64Array, shape: { nRounds: number; nActions: number; nPositions?: number }) {
    const { nRounds, nActions, nPositions = 1 } = shape ?? ({} as never);
    for (const [key, v] of [['nRounds', nRounds], ['nActions', nActions], ['nPositions', nPositions]] as const) {
      if (!Number.isSafeInteger(v) || v < 1) throw new InvalidArgumentError(`ActionDistribution: ${key} must be a positive integer, got ${describeValue(v)}`);
    }
    if (!(values instanceof Float64Array) || values.length !== nRounds * nActions * nPositions) {
      throw new InvalidArgumentError(
        `ActionDistribution: values must be a Float64Array of nRounds × nActions × nPositions = ${nRounds} × ${nActions} × ${nPositions}, got ${describeValue(values)}`,
      );
    }
    const P = nPositions;
    for (let i = 0; i < nRounds; i++) {
      for (let pos = 0; pos < P; pos++) {
        const base = i * nActions * P + pos;
        // Smallest entry >= 0 and sum 1 (NaN fails both); the precise complaint is built only on failure.
        let mass = 0;
        let smallest = 0;
        for (let a = 0; a < nActions; a++) {
          const p = values[base + a * P]!;
          mass += p;
          if (p < smallest) smallest = p;
        }
        if (!(smallest >= 0 && Math.abs(mass - 1) <= DISTRIBUTION_TOLERANCE)) badRow(values, base, nActions, P, i, pos, mass);
      }
    }
    this.values = values;
    this.nRounds = nRounds;
    this.nActions = nActions;
    this.nPositions = nPositions;
  }
}

function badRow(values: Float64Array, base: number, nActions: number, P: number, i: number, pos: number, mass: number): never {
  const where = P > 1 ? `, position ${pos}` : '';
  for (let a = 0; a < nActions; a++) {
    const p = values[base + a * P]!;
    if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError(`actionDist row ${i}, action ${a}${where}: probability must be in [0, 1], got ${p}`);
  }
  throw new InvalidArgumentError(`actionDist row ${i}${where} sums to ${mass}, not 1`);
}
