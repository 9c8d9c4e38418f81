/** Off-policy learning on the ad-load simulator: learned policies beat the logging policy; determinism; Adam. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { AdloadSimulator } from '../../src/envs/bandit/adload.js';
import { AdloadLoggingPolicy } from '../../src/envs/bandit/adload-logging-policy.js';
import { TypedAdam } from '../../src/algos/opl/adam.js';
import { LinearSoftmaxPolicy } from '../../src/algos/opl/linear-softmax.js';
import { trainOffPolicy } from '../../src/algos/opl/train.js';
import { crossFitObjectives, combine, objectiveView } from '../../src/experiments/adload/pipeline.js';
import { resolveAdloadConfig } from '../../src/experiments/adload/config.js';
import { BanditLog } from '../../src/data/bandit-log.js';

const sim = new AdloadSimulator();
const logging = new AdloadLoggingPolicy({ nActions: sim.nActions });
const LAMBDA = 0.2;

function scalarLog(log: BanditLog): BanditLog {
  const view = objectiveView(log, 'satisfaction');
  return new BanditLog({ ...view.columns(), reward: combine(log.objectives.satisfaction!, log.objectives.revenue!, LAMBDA) });
}

describe('trainOffPolicy', () => {
  const { log } = sim.simulateLog(Rng.fromSeed(11), 800, logging);
  const train = scalarLog(log);
  const test = sim.sampleFetches(Rng.fromSeed(12), 1500);
  const expected = sim.expectedOutcomes(test);
  const objective = (dist: Float64Array) => {
    const v = sim.trueValue(expected, dist);
    return v.satisfaction + LAMBDA * v.revenue;
  };
  const loggingValue = objective(logging.actionDist(test.context, test.nRounds));

  it('IPS- and DR-learned policies improve the true objective over the logging policy', () => {
    const q = crossFitObjectives(log, resolveAdloadConfig({ nFolds: 2 }), 0);
    const ipsPolicy = trainOffPolicy(train, { estimator: 'ips', epochs: 150, l2: 1e-4 }).policy;
    const drPolicy = trainOffPolicy(train, { estimator: 'dr', estimatedRewards: combine(q.satisfaction, q.revenue, LAMBDA), epochs: 150, l2: 1e-4 }).policy;
    const ipsValue = objective(ipsPolicy.actionDist(test.context, test.nRounds));
    const drValue = objective(drPolicy.actionDist(test.context, test.nRounds));
    // The oracle is about 0.06 above logging here; the learners must recover at least half of that.
    expect(ipsValue).toBeGreaterThan(loggingValue + 0.03);
    expect(drValue).toBeGreaterThan(loggingValue + 0.03);
  });

  it('is deterministic for a seed (full batch and minibatches) and the estimate rises during training', () => {
    const full1 = trainOffPolicy(train, { estimator: 'ips', epochs: 40 });
    const full2 = trainOffPolicy(train, { estimator: 'ips', epochs: 40 });
    expect(full2.policy.params).toEqual(full1.policy.params);
    expect(full1.estimates[39]!).toBeGreaterThan(full1.estimates[0]!);
    const mini1 = trainOffPolicy(train, { estimator: 'ips', epochs: 3, batchSize: 256, seed: 5 });
    const mini2 = trainOffPolicy(train, { estimator: 'ips', epochs: 3, batchSize: 256, seed: 5 });
    const mini3 = trainOffPolicy(train, { estimator: 'ips', epochs: 3, batchSize: 256, seed: 6 });
    expect(mini2.policy.params).toEqual(mini1.policy.params);
    expect(mini3.policy.params).not.toEqual(mini1.policy.params);
    expect(() => trainOffPolicy(train, { estimator: 'ips', batchSize: 256 })).toThrow(/seed/);
  });

  it('starts from (a copy of) a given policy', () => {
    const start = new LinearSoftmaxPolicy(sim.nActions, sim.dimContext);
    start.params[0] = 1;
    const { policy } = trainOffPolicy(train, { estimator: 'ips', epochs: 1, policy: start });
    expect(start.params[0]).toBe(1);
    expect(policy.params[0]).not.toBe(1);
  });
});

describe('TypedAdam', () => {
  it('climbs to the maximum of a concave quadratic', () => {
    const target = [1.5, -2, 0.25];
    const params = new Float64Array(3);
    const adam = new TypedAdam(3, { learningRate: 0.05 });
    for (let step = 0; step < 2000; step++) {
      adam.ascend(params, Float64Array.from(params, (p, k) => -(p - target[k]!)));
    }
    params.forEach((p, k) => expect(p).toBeCloseTo(target[k]!, 3));
  });
});
