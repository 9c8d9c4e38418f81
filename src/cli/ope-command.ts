/**
 * `teleo ope <log.arrow> --policy <file>`: off-policy evaluation of a policy (see `policy-file.ts` for the
 * file formats) on a logged-bandit-feedback file — per estimator the estimate, its standard error and a
 * seeded bootstrap confidence interval. Model-based estimators (dm, dr, sndr, switch-dr, dros) get a ridge,
 * logistic or MLP reward model with k-fold cross-fitting (the MLP needs a tensor backend, which the command loads). Policies give one distribution per round, so a log's
 * positions are ignored (every position uses the round's distribution).
 */
import type { Command } from 'commander';
import { initBackend } from '../core/backend.js';
import { InvalidArgumentError, InvalidDataError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { BanditLog } from '../data/bandit-log.js';
import { readBanditLog } from '../data/bandit-log-arrow.js';
import { fitPredict } from '../ope/cross-fit.js';
import type { EstimatorName } from '../ope/estimators.js';
import { ESTIMATOR_NAMES, LAMBDA_ESTIMATORS, MODEL_BASED_ESTIMATORS, parseEstimatorName, runEstimator } from '../ope/registry.js';
import { MLPRewardModel } from '../ope/mlp-reward-model.js';
import { LogisticRewardModel, RidgeRewardModel, type FeatureLayout, type RewardModel } from '../ope/reward-models.js';
import type { CliIO } from './io.js';
import { commaList, finiteNumber, integerAtLeast } from './option-parsers.js';
import { readPolicyFile } from './policy-file.js';
import { textTable } from './table.js';

export interface OpeCommandOptions {
  policy: string;
  estimators: string;
  rewardModel?: string;
  features: string;
  folds: number;
  seed: number;
  reps: number;
  alpha: number;
  lambda?: number;
  objective?: string;
  json?: boolean;
}

export interface OpeRow {
  estimator: EstimatorName;
  estimate: number;
  stdErr: number;
  ciLower: number;
  ciUpper: number;
}

export interface OpeReport {
  log: string;
  policy: string;
  nRounds: number;
  nActions: number;
  objective: string;
  rewardModel: string | null;
  folds: number;
  alpha: number;
  rows: OpeRow[];
}

const DEFAULT_ESTIMATORS = 'ips,snips,dm,dr,sndr';

/** The log with `objective` as its reward and without positions (policies here are position-free). */
function evaluationView(log: BanditLog, objective: string | undefined): BanditLog {
  let reward = log.reward;
  if (objective !== undefined && objective !== 'reward') {
    const column = log.objectives[objective];
    const names = Object.keys(log.objectives);
    if (!column) throw new InvalidArgumentError(`--objective ${objective}: the log has ${names.length > 0 ? `objectives ${names.join(', ')} (and reward)` : 'no named objectives, only reward'}`);
    reward = column;
  }
  return new BanditLog({
    nActions: log.nActions,
    dimContext: log.dimContext,
    context: log.context,
    action: log.action,
    reward,
    pscore: log.pscore,
    ...(log.actionContext ? { actionContext: log.actionContext, dimActionContext: log.dimActionContext } : {}),
  });
}

function isBinary(values: Float64Array): boolean {
  return values.every((v) => v === 0 || v === 1);
}

export function runOpe(logPath: string, opts: OpeCommandOptions, io: CliIO): OpeReport {
  const estimators = [...new Set(commaList(opts.estimators))].map(parseEstimatorName);
  if (estimators.length === 0) throw new InvalidArgumentError(`--estimators is empty; choose from ${ESTIMATOR_NAMES.join(', ')}`);
  if (opts.rewardModel !== undefined && opts.rewardModel !== 'ridge' && opts.rewardModel !== 'logistic' && opts.rewardModel !== 'mlp') {
    throw new InvalidArgumentError(`--reward-model ${opts.rewardModel}: use ridge, logistic or mlp`);
  }
  if (opts.features !== 'joint' && opts.features !== 'per-action') throw new InvalidArgumentError(`--features ${opts.features}: use joint or per-action`);
  if (!(opts.alpha > 0 && opts.alpha < 1)) throw new InvalidArgumentError(`--alpha must be in (0, 1), got ${opts.alpha}`);
  if (opts.lambda !== undefined && opts.lambda < 0) throw new InvalidArgumentError(`--lambda must be >= 0, got ${opts.lambda}`);

  // Read and check everything before estimating anything.
  const policy = readPolicyFile(opts.policy);
  const log = evaluationView(readBanditLog(logPath), opts.objective);
  const dist = policy.distribution(log);
  if (opts.folds > log.nRounds) throw new InvalidArgumentError(`--folds ${opts.folds} is more than the log's ${log.nRounds} rounds`);

  const needsModel = estimators.some((e) => MODEL_BASED_ESTIMATORS.has(e));
  const modelName = opts.rewardModel ?? (isBinary(log.reward) ? 'logistic' : 'ridge');
  if (needsModel && modelName === 'logistic' && !log.reward.every((r) => r >= 0 && r <= 1)) {
    throw new InvalidDataError('--reward-model logistic needs rewards in [0, 1]; this log has others (use --reward-model ridge)', { column: 'reward' });
  }
  // Independent streams: folds, then one per estimator (by its place in ESTIMATOR_NAMES, so an estimator's
  // interval does not depend on which others are listed).
  const [foldRng, ...ciRngs] = Rng.fromSeed(opts.seed).spawn(1 + ESTIMATOR_NAMES.length) as [Rng, ...Rng[]];
  let estimatedRewards: Float64Array | undefined;
  if (needsModel) {
    const features = opts.features as FeatureLayout;
    // The MLP (seeded by --seed) picks its loss itself: bce for 0/1 rewards, else mse.
    const model: RewardModel =
      modelName === 'mlp' ? new MLPRewardModel({ features, seed: opts.seed }) : modelName === 'logistic' ? new LogisticRewardModel({ features }) : new RidgeRewardModel({ features });
    estimatedRewards = fitPredict(log, model, opts.folds > 1 ? { nFolds: opts.folds, rng: foldRng } : {});
  }
  const rows = estimators.map((name): OpeRow => {
    const rng = ciRngs[ESTIMATOR_NAMES.indexOf(name)]!;
    const r = runEstimator(name, log, dist, {
      ...(MODEL_BASED_ESTIMATORS.has(name) ? { estimatedRewards: estimatedRewards! } : {}),
      ...(opts.lambda !== undefined && LAMBDA_ESTIMATORS.has(name) ? { lambda: opts.lambda } : {}),
      ci: { rng, reps: opts.reps, alpha: opts.alpha },
    });
    return { estimator: name, estimate: r.estimate, stdErr: r.stdErr, ciLower: r.ci!.lower, ciUpper: r.ci!.upper };
  });
  const report: OpeReport = {
    log: logPath,
    policy: opts.policy,
    nRounds: log.nRounds,
    nActions: log.nActions,
    objective: opts.objective ?? 'reward',
    rewardModel: needsModel ? `${modelName} (${opts.features} features, ${opts.folds > 1 ? `${opts.folds}-fold cross-fitting` : 'no cross-fitting'})` : null,
    folds: opts.folds,
    alpha: opts.alpha,
    rows,
  };
  if (opts.json) {
    io.out(JSON.stringify(report, null, 2));
    return report;
  }
  const level = Number(((1 - opts.alpha) * 100).toFixed(2));
  const f = (x: number) => x.toFixed(5);
  io.out(`Log ${logPath}: ${log.nRounds} rounds, ${log.nActions} actions; objective: ${report.objective}`);
  io.out(`Policy ${opts.policy} (${policy.type})${report.rewardModel ? `; reward model: ${report.rewardModel}` : ''}`);
  io.out('');
  io.out(
    textTable(
      [{ header: 'estimator' }, { header: 'estimate', align: 'right' }, { header: 'std. error', align: 'right' }, { header: `${level}% CI (bootstrap, ${opts.reps} resamples)`, align: 'right' }],
      rows.map((r) => [r.estimator, f(r.estimate), f(r.stdErr), `[${f(r.ciLower)}, ${f(r.ciUpper)}]`]),
    ),
  );
  return report;
}

export function addOpeCommand(program: Command, io: CliIO): void {
  program
    .command('ope')
    .description('Off-policy evaluation of a policy on logged bandit feedback: teleo ope log.arrow --policy policy.json')
    .argument('<log.arrow>', 'logged bandit feedback (Arrow IPC, e.g. from teleo bandit simulate)')
    .requiredOption(
      '--policy <file>',
      'evaluation policy, JSON: {"type":"linear-softmax","nActions":K,"dimContext":d,"weights":[[bias,w1..wd] per action]} | ' +
        '{"type":"action-distribution","nActions":K,"probabilities":[[p0..pK-1] per logged round, or one row for all]} | {"type":"static","nActions":K,"action":a}',
    )
    .option('--estimators <list>', `comma-separated, from ${ESTIMATOR_NAMES.join(', ')}`, DEFAULT_ESTIMATORS)
    .option('--reward-model <kind>', 'ridge, logistic or mlp (default: logistic for 0/1 rewards, else ridge)')
    .option('--features <layout>', 'reward-model features: per-action (one model per action) or joint (OBP default)', 'per-action')
    .option('--folds <k>', 'cross-fitting folds for the reward model (1: none)', integerAtLeast(1), 3)
    .option('--lambda <x>', 'clipping/switching/shrinkage hyperparameter of ips, dr, switch-dr and dros (dros needs it)', finiteNumber)
    .option('--objective <name>', "a named objective column of the log to evaluate instead of 'reward' (e.g. revenue)")
    .option('--reps <n>', 'bootstrap resamples', integerAtLeast(1), 1000)
    .option('--alpha <a>', 'CI level is 1 - alpha', finiteNumber, 0.05)
    .option('--seed <s>', 'seed of the folds and the bootstrap', integerAtLeast(0), 0)
    .option('--json', 'print the report as JSON')
    .action(async (logPath: string, opts: OpeCommandOptions) => {
      if (opts.rewardModel === 'mlp') await initBackend(); // MLPRewardModel trains with tfjs
      runOpe(logPath, opts, io);
    });
}
