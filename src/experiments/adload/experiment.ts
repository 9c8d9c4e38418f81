/**
 * The ad-load reproduction as an experiment for the runner: arms are the candidate policies (static ad loads,
 * the logging policy, DM-greedy, IPS- and DR-learned, the oracle), each seed runs the whole pipeline once
 * (memoised per process and configuration, so all arms of a seed share one simulation), and the metrics are:
 *
 * - trueSatisfaction, trueRevenue, trueObjective: exact per-fetch values (satisfaction + λ·revenue for the
 *   objective) on the seed's fresh A/B contexts;
 * - abSatisfaction, abRevenue: what the simulated online A/B test measured;
 * - drErrorSatisfaction, drErrorRevenue: |DR estimate − true value| on the held-out evaluation log;
 * - drCoverage: the fraction of the two objectives whose true value lies inside the DR bootstrap CI.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { defineExperiment, type Experiment } from '../../train/experiments/index.js';
import { resolveAdloadConfig, type AdloadConfig } from './config.js';
import { makeAdloadWorld, runAdloadSeed, OBJECTIVES, type AdloadSeedResult } from './pipeline.js';

export const ADLOAD_ARMS = ['static-0', 'static-1', 'static-2', 'static-3', 'static-4', 'logging', 'dm-greedy', 'ips-learned', 'dr-learned', 'oracle'] as const;

const cache = new Map<string, AdloadSeedResult>();

/** The pipeline's result for (seed, config), computed once per process. */
export function cachedAdloadSeed(seed: number, config: AdloadConfig): AdloadSeedResult {
  const key = `${seed}:${JSON.stringify(config)}`;
  let result = cache.get(key);
  if (!result) {
    result = runAdloadSeed(seed, config, makeAdloadWorld());
    cache.set(key, result);
  }
  return result;
}

/** Forgets memoised pipeline results (they hold the logs). */
export function clearAdloadCache(): void {
  cache.clear();
}

export function armMetrics(result: AdloadSeedResult, arm: string): Record<string, number> {
  const report = result.policies[arm];
  if (!report) throw new InvalidArgumentError(`the ad-load pipeline has no policy '${arm}'`);
  let covered = 0;
  for (const objective of OBJECTIVES) {
    const ci = report.ope[objective].dr;
    const truth = report.trueValue[objective];
    if (ci.lower <= truth && truth <= ci.upper) covered++;
  }
  return {
    trueSatisfaction: report.abTrueValue.satisfaction,
    trueRevenue: report.abTrueValue.revenue,
    trueObjective: report.abTrueValue.satisfaction + result.lambda * report.abTrueValue.revenue,
    abSatisfaction: report.ab.satisfaction.mean,
    abRevenue: report.ab.revenue.mean,
    drErrorSatisfaction: Math.abs(report.ope.satisfaction.dr.estimate - report.trueValue.satisfaction),
    drErrorRevenue: Math.abs(report.ope.revenue.dr.estimate - report.trueValue.revenue),
    drCoverage: covered / OBJECTIVES.length,
  };
}

/** The experiment definition; `budget` is the number of training sessions. */
export function adloadExperiment(options: { quick?: boolean; config?: Partial<AdloadConfig>; seeds?: number[] } = {}): Experiment {
  const base = resolveAdloadConfig(options.config ?? {}, options.quick ?? false);
  const arms = Object.fromEntries(
    ADLOAD_ARMS.map((arm) => [
      arm,
      {
        run: ({ seed, budget }: { seed: number; budget: number }) => armMetrics(cachedAdloadSeed(seed, { ...base, nTrainSessions: budget }), arm),
      },
    ]),
  );
  return defineExperiment({
    name: options.quick ? 'adload-quick' : 'adload',
    description: 'Ad-load balancing by off-policy learning (Sagtani et al., WSDM 2024) on the ad-load simulator',
    arms,
    seeds: options.seeds ?? [0, 1, 2, 3, 4],
    metrics: [
      { key: 'trueObjective', higherIsBetter: true, label: `True sat + λ·rev` },
      { key: 'trueSatisfaction', higherIsBetter: true, label: 'True satisfaction' },
      { key: 'trueRevenue', higherIsBetter: true, label: 'True revenue' },
      { key: 'drErrorSatisfaction', higherIsBetter: false, label: '|DR err| sat' },
      { key: 'drErrorRevenue', higherIsBetter: false, label: '|DR err| rev' },
      { key: 'drCoverage', higherIsBetter: true, label: 'DR CI coverage' },
    ],
    budget: base.nTrainSessions,
    baseline: 'logging',
  });
}
