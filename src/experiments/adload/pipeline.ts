/**
 * One seed of the ad-load reproduction: simulate a training log and a held-out evaluation log with the
 * stochastic logging policy, fit cross-fitted reward models per objective, learn policies for
 * satisfaction + λ·revenue (greedy DM, IPS-learned, DR-learned), evaluate every candidate (static k, logging,
 * learned, oracle) off-policy on the held-out log with each estimator and a bootstrap CI, and run an online
 * A/B test: fresh sessions, each policy's actions, the measured means next to the exact true values.
 *
 * Position is a context feature here, so the logs are handed to the OPE code without their position column
 * (the estimators would otherwise treat positions as slots with one reward model each).
 */
import { Rng } from '../../core/rng.js';
import { BanditLog } from '../../data/bandit-log.js';
import { AdloadSimulator, policyDist, type AdloadFetches, type AdloadValue } from '../../envs/bandit/adload.js';
import { AdloadLoggingPolicy } from '../../envs/bandit/adload-logging-policy.js';
import { GreedyPolicy, StaticPolicy, type ContextualPolicy } from '../../algos/opl/policy.js';
import { trainOffPolicy } from '../../algos/opl/train.js';
import { dm, dr, dros, ips, sndr, snips, switchDr, type OpeResult } from '../../ope/estimators.js';
import { LogisticRewardModel, RidgeRewardModel, type RewardModel } from '../../ope/reward-models.js';
import { fitPredictCrossFit } from '../../ope/cross-fit.js';
import type { AdloadConfig } from './config.js';

export const OBJECTIVES = ['satisfaction', 'revenue'] as const;
export type Objective = (typeof OBJECTIVES)[number];
export const ESTIMATORS = ['ips', 'snips', 'dm', 'dr', 'sndr', 'switch-dr', 'dros'] as const;
export type EstimatorKey = (typeof ESTIMATORS)[number];
/** Weight threshold of Switch-DR and shrinkage of DRos (fixed, not tuned per log). */
export const SWITCH_DR_LAMBDA = 20;
export const DROS_LAMBDA = 20;

export interface AdloadWorld {
  sim: AdloadSimulator;
  logging: AdloadLoggingPolicy;
}

export function makeAdloadWorld(): AdloadWorld {
  const sim = new AdloadSimulator();
  return { sim, logging: new AdloadLoggingPolicy({ nActions: sim.nActions }) };
}

/** The log with `reward` set to one objective and no position column (position is in the context). */
export function objectiveView(log: BanditLog, objective: Objective): BanditLog {
  const { position: _p, nPositions: _n, ...columns } = log.columns();
  return new BanditLog({ ...columns, reward: log.objectives[objective]! });
}

/** Per-objective reward models: logistic for the binary satisfaction, ridge for revenue; per-action features. */
export function rewardModelFor(objective: Objective, alpha: number): RewardModel {
  return objective === 'satisfaction' ? new LogisticRewardModel({ alpha, features: 'per-action' }) : new RidgeRewardModel({ alpha, features: 'per-action' });
}

/** Cross-fitted q̂ (n × nActions) per objective; both objectives use the same folds. */
export function crossFitObjectives(log: BanditLog, config: AdloadConfig, seed: number): Record<Objective, Float64Array> {
  const out = {} as Record<Objective, Float64Array>;
  for (const objective of OBJECTIVES) {
    out[objective] = fitPredictCrossFit(objectiveView(log, objective), rewardModelFor(objective, config.rewardModelAlpha), config.nFolds, Rng.fromSeed(seed));
  }
  return out;
}

/** Reward models fitted on the whole log, for predicting on new contexts (the DM-greedy policy). */
export function fitObjectiveModels(log: BanditLog, config: AdloadConfig): Record<Objective, RewardModel> {
  const out = {} as Record<Objective, RewardModel>;
  for (const objective of OBJECTIVES) {
    const model = rewardModelFor(objective, config.rewardModelAlpha);
    model.fit(objectiveView(log, objective));
    out[objective] = model;
  }
  return out;
}

/** a + λ·b, element-wise. */
export function combine(sat: Float64Array, rev: Float64Array, lambda: number): Float64Array {
  const out = new Float64Array(sat.length);
  for (let k = 0; k < out.length; k++) out[k] = sat[k]! + lambda * rev[k]!;
  return out;
}

export interface LearnedPolicies {
  'dm-greedy': ContextualPolicy;
  'ips-learned': ContextualPolicy;
  'dr-learned': ContextualPolicy;
}

/** The three learners for satisfaction + λ·revenue on a training log (q̂ cross-fitted for DR, full-fit for DM). */
export function learnPolicies(
  trainLog: BanditLog,
  lambda: number,
  config: AdloadConfig,
  crossFitted: Record<Objective, Float64Array>,
  models: Record<Objective, RewardModel>,
): LearnedPolicies {
  const scalar = objectiveView(trainLog, 'satisfaction');
  const log = new BanditLog({ ...scalar.columns(), reward: combine(trainLog.objectives.satisfaction!, trainLog.objectives.revenue!, lambda) });
  const common = { epochs: config.epochs, learningRate: config.learningRate, l2: config.l2 };
  const ipsPolicy = trainOffPolicy(log, { ...common, estimator: 'ips' }).policy;
  const drPolicy = trainOffPolicy(log, { ...common, estimator: 'dr', estimatedRewards: combine(crossFitted.satisfaction, crossFitted.revenue, lambda) }).policy;
  const K = trainLog.nActions;
  const greedy = new GreedyPolicy(K, (context, n) => combine(models.satisfaction.predict(context, n), models.revenue.predict(context, n), lambda));
  return { 'dm-greedy': greedy, 'ips-learned': ipsPolicy, 'dr-learned': drPolicy };
}

/** The oracle for satisfaction + λ·revenue: argmax of the exact expected outcomes (uses the simulator's truth). */
export function oraclePolicy(sim: AdloadSimulator, lambda: number): ContextualPolicy {
  const K = sim.nActions;
  return {
    nActions: K,
    actionDist(context: Float64Array, nRounds: number): Float64Array {
      // Rebuild the fetches the posterior needs (position from the scaled position feature).
      const d = sim.dimContext;
      const position = new Int32Array(nRounds);
      for (let i = 0; i < nRounds; i++) position[i] = Math.round(context[i * d + 2]! * (sim.nPositions - 1));
      const fetches: AdloadFetches = { nRounds, context, position, userType: new Int32Array(nRounds), userId: new Int32Array(nRounds), sessionId: new Int32Array(nRounds) };
      return sim.oracleDist(sim.expectedOutcomes(fetches), lambda);
    },
  };
}

/** Candidate policies: static k for every k, the logging policy, the learners and the oracle. */
export function candidatePolicies(world: AdloadWorld, learned: LearnedPolicies, lambda: number): Record<string, ContextualPolicy> {
  const K = world.sim.nActions;
  const out: Record<string, ContextualPolicy> = {};
  for (let k = 0; k < K; k++) out[`static-${k}`] = new StaticPolicy(K, k);
  out.logging = world.logging;
  Object.assign(out, learned);
  out.oracle = oraclePolicy(world.sim, lambda);
  return out;
}

export interface EstimateWithCi {
  estimate: number;
  stdErr: number;
  lower: number;
  upper: number;
}

export interface PolicyReport {
  /** Exact mean per-fetch value on the evaluation log's contexts (what the OPE estimates target). */
  trueValue: AdloadValue;
  /** Exact value on the A/B test's fresh contexts. */
  abTrueValue: AdloadValue;
  /** Measured means (and standard errors) of the online A/B test. */
  ab: Record<Objective, { mean: number; stdErr: number }>;
  ope: Record<Objective, Record<EstimatorKey, EstimateWithCi>>;
}

export interface AdloadSeedResult {
  seed: number;
  lambda: number;
  nTrainRounds: number;
  nEvalRounds: number;
  nAbRounds: number;
  policies: Record<string, PolicyReport>;
  learned: LearnedPolicies;
  /** The A/B fetches (fresh contexts with latent types), for the heterogeneity analysis. */
  abFetches: AdloadFetches;
  /** Cross-fitted q̂ and full-fit models of the training log, reused by the λ sweep. */
  train: { log: BanditLog; crossFitted: Record<Objective, Float64Array>; models: Record<Objective, RewardModel> };
}

function withCi(result: OpeResult): EstimateWithCi {
  return { estimate: result.estimate, stdErr: result.stdErr, lower: result.ci!.lower, upper: result.ci!.upper };
}

/** Every estimator on one objective of the evaluation log. */
export function estimateAll(log: BanditLog, actionDist: Float64Array, qHat: Float64Array, reps: number, seed: number): Record<EstimatorKey, EstimateWithCi> {
  const ci = () => ({ rng: Rng.fromSeed(seed), reps });
  return {
    ips: withCi(ips(log, actionDist, { ci: ci() })),
    snips: withCi(snips(log, actionDist, { ci: ci() })),
    dm: withCi(dm(log, actionDist, qHat, { ci: ci() })),
    dr: withCi(dr(log, actionDist, qHat, { ci: ci() })),
    sndr: withCi(sndr(log, actionDist, qHat, { ci: ci() })),
    'switch-dr': withCi(switchDr(log, actionDist, qHat, { lambda: SWITCH_DR_LAMBDA, ci: ci() })),
    dros: withCi(dros(log, actionDist, qHat, { lambda: DROS_LAMBDA, ci: ci() })),
  };
}

/** Online A/B test: each policy acts on the same fresh fetches; outcomes are drawn from the simulator. */
export function abTest(sim: AdloadSimulator, fetches: AdloadFetches, policy: ContextualPolicy, rng: Rng): Record<Objective, { mean: number; stdErr: number }> {
  const { actions } = sim.sampleActions(rng, fetches, policy);
  const outcomes = sim.sampleOutcomes(rng, fetches, actions);
  const summary = (values: Float64Array) => {
    const n = values.length;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i]!;
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
    return { mean, stdErr: Math.sqrt(ss / (n - 1) / n) };
  };
  return { satisfaction: summary(outcomes.satisfaction), revenue: summary(outcomes.revenue) };
}

/** Runs the whole pipeline for one seed. Every random stream derives from `seed`. */
export function runAdloadSeed(seed: number, config: AdloadConfig, world: AdloadWorld = makeAdloadWorld()): AdloadSeedResult {
  const [trainRng, evalRng, abRng, abActionRng] = Rng.fromSeed(seed).spawn(4);
  const { sim, logging } = world;
  const train = sim.simulateLog(trainRng!, config.nTrainSessions, logging);
  // Held-out sessions get their own ids so the two logs never share a user or a session.
  const evaluation = sim.simulateLog(evalRng!, config.nEvalSessions, logging, { firstUserId: 1 << 24, firstSessionId: 1 << 24 });
  const trainCrossFitted = crossFitObjectives(train.log, config, seed);
  const trainModels = fitObjectiveModels(train.log, config);
  const learned = learnPolicies(train.log, config.lambda, config, trainCrossFitted, trainModels);
  const policies = candidatePolicies(world, learned, config.lambda);

  const evalExpected = sim.expectedOutcomes(evaluation.fetches);
  const evalQ = crossFitObjectives(evaluation.log, config, seed + 1);
  const evalViews = { satisfaction: objectiveView(evaluation.log, 'satisfaction'), revenue: objectiveView(evaluation.log, 'revenue') };
  const abFetches = sim.sampleFetches(abRng!, config.nAbSessions, { firstUserId: 2 << 24, firstSessionId: 2 << 24 });
  const abExpected = sim.expectedOutcomes(abFetches);
  const abRngs = abActionRng!.spawn(Object.keys(policies).length);

  const reports: Record<string, PolicyReport> = {};
  Object.entries(policies).forEach(([name, policy], index) => {
    const dist = policyDist(policy, evaluation.fetches, sim.nActions);
    const ope = {} as Record<Objective, Record<EstimatorKey, EstimateWithCi>>;
    for (const objective of OBJECTIVES) ope[objective] = estimateAll(evalViews[objective], dist, evalQ[objective], config.bootstrapReps, seed);
    reports[name] = {
      trueValue: sim.trueValue(evalExpected, dist),
      abTrueValue: sim.trueValue(abExpected, policyDist(policy, abFetches, sim.nActions)),
      ab: abTest(sim, abFetches, policy, abRngs[index]!),
      ope,
    };
  });
  return {
    seed,
    lambda: config.lambda,
    nTrainRounds: train.log.nRounds,
    nEvalRounds: evaluation.log.nRounds,
    nAbRounds: abFetches.nRounds,
    policies: reports,
    learned,
    abFetches,
    train: { log: train.log, crossFitted: trainCrossFitted, models: trainModels },
  };
}
