/**
 * Estimators by name, for callers that pick them at run time (the CLI's `--estimators ips,snips,dr`):
 * which ones need a reward model, and one entry point that runs any of them.
 */
import { InvalidArgumentError, UnknownOptionError, describeValue } from '../core/errors.js';
import { closeMatches } from '../core/options.js';
import type { BanditLog } from '../data/bandit-log.js';
import type { BootstrapOptions } from './bootstrap.js';
import { dm, dr, dros, ips, sndr, snips, switchDr, type EstimatorName, type OpeResult, type PolicyDistribution } from './estimators.js';

export const ESTIMATOR_NAMES: readonly EstimatorName[] = ['ips', 'snips', 'dm', 'dr', 'sndr', 'switch-dr', 'dros'];

/** Estimators that need `estimatedRewards` (a reward model's q̂). */
export const MODEL_BASED_ESTIMATORS: ReadonlySet<EstimatorName> = new Set(['dm', 'dr', 'sndr', 'switch-dr', 'dros']);

/** Estimators that take a `lambda` hyperparameter (required for 'dros'). */
export const LAMBDA_ESTIMATORS: ReadonlySet<EstimatorName> = new Set(['ips', 'dr', 'switch-dr', 'dros']);

export interface RunEstimatorOptions {
  estimatedRewards?: Float64Array;
  lambda?: number;
  ci?: BootstrapOptions;
}

/** Throws `InvalidArgumentError` (with close matches) unless `name` is an estimator name. */
export function parseEstimatorName(name: string): EstimatorName {
  if ((ESTIMATOR_NAMES as readonly string[]).includes(name)) return name as EstimatorName;
  const hint = closeMatches(String(name), ESTIMATOR_NAMES);
  throw new InvalidArgumentError(
    `Unknown estimator ${describeValue(name)}; known: ${ESTIMATOR_NAMES.join(', ')}${hint.length > 0 ? `. Did you mean: ${hint.join(', ')}?` : ''}`,
  );
}

/** Runs the named estimator. */
export function runEstimator(name: EstimatorName, log: BanditLog, actionDist: PolicyDistribution, options: RunEstimatorOptions = {}): OpeResult {
  const estimator = parseEstimatorName(name);
  const { estimatedRewards, lambda, ci } = options;
  if (lambda !== undefined && !LAMBDA_ESTIMATORS.has(estimator)) throw new UnknownOptionError(estimator, 'lambda', ['estimatedRewards', 'ci']);
  if (MODEL_BASED_ESTIMATORS.has(estimator) && estimatedRewards === undefined) {
    throw new InvalidArgumentError(`${estimator} needs estimatedRewards (reward-model predictions, e.g. from fitPredictCrossFit)`);
  }
  const base = ci === undefined ? {} : { ci };
  const withLambda = lambda === undefined ? base : { ...base, lambda };
  const q = estimatedRewards!;
  switch (estimator) {
    case 'ips':
      return ips(log, actionDist, withLambda);
    case 'snips':
      return snips(log, actionDist, base);
    case 'dm':
      return dm(log, actionDist, q, base);
    case 'dr':
      return dr(log, actionDist, q, withLambda);
    case 'sndr':
      return sndr(log, actionDist, q, base);
    case 'switch-dr':
      return switchDr(log, actionDist, q, withLambda);
    case 'dros':
      return dros(log, actionDist, q, withLambda);
  }
}
