/**
 * Off-policy learning by gradient ascent on an IPS or DR objective (see `objective.ts`) with Adam on typed
 * arrays. Full-batch by default (deterministic without any randomness); with `batchSize`, minibatches are
 * drawn from a seeded permutation each epoch, so a seed fixes the result. Starts from the given policy (a
 * copy; default: a zero-weight, i.e. uniform, linear softmax policy) and returns the trained copy.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Rng } from '../../core/rng.js';
import type { BanditLog } from '../../data/bandit-log.js';
import { TypedAdam } from './adam.js';
import { LinearSoftmaxPolicy } from './linear-softmax.js';
import { OBJECTIVE_KEYS, checkPolicyFits, evaluateObjective, resolveObjectiveOptions, type OplObjectiveOptions } from './objective.js';
import type { TrainablePolicy } from './policy.js';

export interface TrainOffPolicyOptions extends OplObjectiveOptions {
  /** Starting policy (copied; default: uniform linear softmax). */
  policy?: TrainablePolicy;
  /** Passes over the data (default 300). With full batches, one pass is one step. */
  epochs?: number;
  learningRate?: number;
  /** Rounds per step (default: all, i.e. full-batch). */
  batchSize?: number;
  /** Seed of the minibatch order (required with batchSize). */
  seed?: number;
}

const TRAIN_KEYS = [...OBJECTIVE_KEYS, 'policy', 'epochs', 'learningRate', 'batchSize', 'seed'];

export interface TrainOffPolicyResult {
  policy: TrainablePolicy;
  /** The objective's estimate term on the whole log after each epoch. */
  estimates: Float64Array;
}

export function trainOffPolicy(log: BanditLog, options: TrainOffPolicyOptions): TrainOffPolicyResult {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`trainOffPolicy options must be an object, got ${describeValue(options)}`);
  checkOptions('trainOffPolicy', options, TRAIN_KEYS);
  const { policy: start, epochs = 300, learningRate = 0.05, batchSize, seed, ...objectiveOptions } = options;
  const opts = resolveObjectiveOptions(log, objectiveOptions);
  if (!Number.isSafeInteger(epochs) || epochs < 1) throw new InvalidArgumentError(`trainOffPolicy: epochs must be a positive integer, got ${describeValue(epochs)}`);
  const n = log.nRounds;
  if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize < 1)) {
    throw new InvalidArgumentError(`trainOffPolicy: batchSize must be a positive integer, got ${describeValue(batchSize)}`);
  }
  const miniBatch = batchSize !== undefined && batchSize < n;
  if (miniBatch && seed === undefined) throw new InvalidArgumentError('trainOffPolicy: minibatches (batchSize < nRounds) need a seed');
  const rng = miniBatch ? Rng.fromSeed(seed!) : undefined;
  const policy = start ? start.clone() : new LinearSoftmaxPolicy(log.nActions, log.dimContext);
  checkPolicyFits(policy, log);
  const adam = new TypedAdam(policy.params.length, { learningRate });
  const estimates = new Float64Array(epochs);
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (!miniBatch) {
      const { grad, estimate } = evaluateObjective(policy, log, opts);
      adam.ascend(policy.params, grad);
      estimates[epoch] = estimate;
      continue;
    }
    const order = rng!.permutation(n);
    for (let startRow = 0; startRow < n; startRow += batchSize!) {
      const rows = order.subarray(startRow, Math.min(n, startRow + batchSize!));
      adam.ascend(policy.params, evaluateObjective(policy, log, opts, rows).grad);
    }
    estimates[epoch] = evaluateObjective(policy, log, opts).estimate;
  }
  for (let k = 0; k < policy.params.length; k++) {
    if (!Number.isFinite(policy.params[k]!)) throw new InvalidArgumentError(`trainOffPolicy diverged (parameter ${k} is ${policy.params[k]}); lower learningRate or add l2`);
  }
  return { policy, estimates };
}
