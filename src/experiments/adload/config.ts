/**
 * Settings of the ad-load reproduction (simulate → fit reward models → learn → evaluate off-policy → A/B),
 * with the defaults used for the reported numbers and a `quick` variant for smoke runs.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';

export interface AdloadConfig {
  /** Sessions in the log used for learning (about 3.8 fetches per session). */
  nTrainSessions: number;
  /** Sessions in the held-out log used for off-policy evaluation. */
  nEvalSessions: number;
  /** Fresh sessions per policy in the simulated online A/B test. */
  nAbSessions: number;
  /** Revenue weight of the learning objective satisfaction + λ·revenue for the policy arms. */
  lambda: number;
  /** λ values of the frontier sweep. */
  lambdas: number[];
  /** Full-batch Adam steps of the IPS/DR learners. */
  epochs: number;
  learningRate: number;
  l2: number;
  /** Bootstrap resamples of every OPE confidence interval. */
  bootstrapReps: number;
  /** Cross-fitting folds of the reward models. */
  nFolds: number;
  /** L2 penalty of the reward models. */
  rewardModelAlpha: number;
}

export const DEFAULT_ADLOAD_CONFIG: Readonly<AdloadConfig> = Object.freeze({
  nTrainSessions: 5000,
  nEvalSessions: 5000,
  nAbSessions: 5000,
  // At λ = 0.15 the best static ad load is an interior one (2 ads); near a corner (0 or 4 ads) no policy can
  // dominate it, since always-0 maximises satisfaction and always-4 revenue.
  lambda: 0.15,
  lambdas: [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5],
  epochs: 300,
  learningRate: 0.05,
  l2: 1e-4,
  bootstrapReps: 200,
  nFolds: 2,
  rewardModelAlpha: 1,
});

/** Small sizes for tests and smoke runs (the claims are checked on the default sizes). */
export const QUICK_ADLOAD_CONFIG: Readonly<AdloadConfig> = Object.freeze({
  ...DEFAULT_ADLOAD_CONFIG,
  nTrainSessions: 1500,
  nEvalSessions: 1500,
  nAbSessions: 1500,
  lambdas: [0, 0.1, 0.15, 0.2, 0.3],
  epochs: 150,
  bootstrapReps: 100,
});

const KEYS = Object.keys(DEFAULT_ADLOAD_CONFIG);

/** Defaults (or the quick ones) overridden by `overrides`, checked. */
export function resolveAdloadConfig(overrides: Partial<AdloadConfig> = {}, quick = false): AdloadConfig {
  checkOptions('adload config', overrides, KEYS);
  const config: AdloadConfig = { ...(quick ? QUICK_ADLOAD_CONFIG : DEFAULT_ADLOAD_CONFIG), ...overrides };
  config.lambdas = [...config.lambdas];
  const bad = (key: string, what: string): never => {
    throw new InvalidArgumentError(`adload config: ${key} must be ${what}, got ${describeValue((config as unknown as Record<string, unknown>)[key])}`);
  };
  for (const key of ['nTrainSessions', 'nEvalSessions', 'nAbSessions', 'epochs', 'bootstrapReps'] as const) {
    if (!Number.isSafeInteger(config[key]) || config[key] < 1) bad(key, 'a positive integer');
  }
  if (!Number.isSafeInteger(config.nFolds) || config.nFolds < 2) bad('nFolds', 'an integer >= 2 (cross-fitting)');
  for (const key of ['lambda', 'l2', 'rewardModelAlpha'] as const) if (!(config[key] >= 0 && config[key] < Infinity)) bad(key, 'a finite number >= 0');
  if (!(config.learningRate > 0 && config.learningRate < Infinity)) bad('learningRate', 'a positive finite number');
  if (!Array.isArray(config.lambdas) || config.lambdas.length === 0 || !config.lambdas.every((l) => l >= 0 && l < Infinity)) {
    bad('lambdas', 'a non-empty array of finite numbers >= 0');
  }
  return config;
}
