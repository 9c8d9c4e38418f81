/**
 * Shape checks shared by the OPE estimators and reward models.
 *
 * An evaluation policy is given as its action distribution over the logged rounds, a Float64Array laid out
 * like OBP's `action_dist` (n, nActions, nPositions), row-major: π(a | x_i, position p) is at
 * `(i * nActions + a) * nPositions + p`. With nPositions = 1 that is simply n × nActions. Estimated rewards
 * q̂(x_i, a, p) use the same layout. When nPositions > 1 the log must have a `position` column; the
 * estimators read, for each round, the distribution at that round's position. A one-position distribution
 * may be used with a log that has positions (the policy then ignores the position).
 */
import { InvalidArgumentError, describeValue } from '../core/errors.js';
import type { BanditLog } from '../data/bandit-log.js';

/** Tolerance of the "each row sums to 1" check (numpy's allclose: 1e-5 relative + 1e-8 absolute). */
export const DISTRIBUTION_TOLERANCE = 1.001e-5;

/** The number of positions (third dimension) of an (n, nActions, nPositions) array for this log. */
export function positionsOf(log: BanditLog, values: unknown, name: string): number {
  if (!(values instanceof Float64Array)) {
    throw new InvalidArgumentError(`${name} must be a Float64Array of n × nActions (× nPositions) values, got ${describeValue(values)}`);
  }
  const perPosition = log.nRounds * log.nActions;
  const ratio = values.length / perPosition;
  // An int32, so that index arithmetic in the estimators' loops stays in small integers.
  const P = ratio | 0;
  if (P !== ratio || P < 1) {
    throw new InvalidArgumentError(
      `${name} has ${values.length} values; expected nRounds × nActions (× nPositions) = ${log.nRounds} × ${log.nActions} (× P)`,
    );
  }
  if (P > 1) {
    if (!log.position) throw new InvalidArgumentError(`${name} has ${P} positions but the log has no position column`);
    if (log.nPositions > P) {
      throw new InvalidArgumentError(`${name} has ${P} positions but the log's positions go up to ${log.nPositions - 1}`);
    }
  }
  return P;
}

/** Throws unless `values` and `actionDist` have the same layout. */
export function checkSameLayout(log: BanditLog, actionDist: Float64Array, values: unknown, name: string): void {
  const P = positionsOf(log, values, name);
  const PDist = actionDist.length / (log.nRounds * log.nActions);
  if (P !== PDist) {
    throw new InvalidArgumentError(`${name} has ${P} position(s) but actionDist has ${PDist}; they must have the same shape`);
  }
}

export function badDistributionRow(i: number, a: number, p: number): never {
  throw new InvalidArgumentError(`actionDist row ${i}, action ${a}: probability must be in [0, 1], got ${p}`);
}

export function badDistributionSum(i: number, sum: number): never {
  throw new InvalidArgumentError(`actionDist row ${i} sums to ${sum}, not 1 (it must be a probability distribution over actions)`);
}

export function badEstimatedReward(i: number, a: number, q: number): never {
  throw new InvalidArgumentError(`estimatedRewards row ${i}, action ${a}: value must be finite, got ${q}`);
}
