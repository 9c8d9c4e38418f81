/** OPL objectives: gradients vs finite differences, agreement with the OPE estimators, bad input. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { BanditLog } from '../../src/data/bandit-log.js';
import { LinearSoftmaxPolicy } from '../../src/algos/opl/linear-softmax.js';
import { oplObjective, type OplObjectiveOptions } from '../../src/algos/opl/objective.js';
import { GreedyPolicy, StaticPolicy } from '../../src/algos/opl/policy.js';
import { dr, ips } from '../../src/ope/estimators.js';

const K = 4;
const D = 3;

/** A small random log with a random (context-free) logging distribution and random q̂. */
function randomLog(seed: number, n = 60): { log: BanditLog; qHat: Float64Array } {
  const rng = Rng.fromSeed(seed);
  const context = rng.fillNormal(new Float64Array(n * D));
  const action = new Int32Array(n);
  const pscore = new Float64Array(n);
  const reward = new Float64Array(n);
  const probs = [0.1, 0.2, 0.3, 0.4];
  for (let i = 0; i < n; i++) {
    action[i] = rng.choiceIndex(probs);
    pscore[i] = probs[action[i]!]!;
    reward[i] = rng.normal(0.5, 1);
  }
  const qHat = rng.fillNormal(new Float64Array(n * K), 0.3, 0.5);
  return { log: new BanditLog({ nActions: K, dimContext: D, context, action, reward, pscore }), qHat };
}

function randomPolicy(seed: number): LinearSoftmaxPolicy {
  return new LinearSoftmaxPolicy(K, D, Rng.fromSeed(seed).fillNormal(new Float64Array(K * (D + 1)), 0, 0.7));
}

describe('oplObjective', () => {
  const cases: Array<[string, (q: Float64Array) => OplObjectiveOptions]> = [
    ['ips', () => ({ estimator: 'ips' })],
    ['dr', (q) => ({ estimator: 'dr', estimatedRewards: q })],
    ['ips + entropy + l2', () => ({ estimator: 'ips', entropy: 0.3, l2: 0.1 })],
    ['dr + entropy + l2', (q) => ({ estimator: 'dr', estimatedRewards: q, entropy: 0.2, l2: 0.05 })],
    ['ips clipped', () => ({ estimator: 'ips', maxWeight: 3 })],
  ];
  for (const [name, makeOptions] of cases) {
    it(`gradient matches central finite differences (${name})`, () => {
      const { log, qHat } = randomLog(1);
      const policy = randomPolicy(2);
      const options = makeOptions(qHat);
      const { grad, value } = oplObjective(policy, log, options);
      expect(Number.isFinite(value)).toBe(true);
      const h = 1e-6;
      for (let k = 0; k < policy.params.length; k++) {
        const plus = policy.clone() as LinearSoftmaxPolicy;
        const minus = policy.clone() as LinearSoftmaxPolicy;
        plus.params[k] = plus.params[k]! + h;
        minus.params[k] = minus.params[k]! - h;
        const fd = (oplObjective(plus, log, options).value - oplObjective(minus, log, options).value) / (2 * h);
        expect(Math.abs(grad[k]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    });
  }

  it('agrees with the OPE estimators (IPS, clipped IPS, DR) for the same policy', () => {
    const { log, qHat } = randomLog(3, 200);
    const policy = randomPolicy(4);
    const dist = policy.actionDist(log.context, log.nRounds);
    expect(oplObjective(policy, log, { estimator: 'ips' }).estimate).toBeCloseTo(ips(log, dist).estimate, 12);
    expect(oplObjective(policy, log, { estimator: 'ips', maxWeight: 2 }).estimate).toBeCloseTo(ips(log, dist, { lambda: 2 }).estimate, 12);
    expect(oplObjective(policy, log, { estimator: 'dr', estimatedRewards: qHat }).estimate).toBeCloseTo(dr(log, dist, qHat).estimate, 12);
  });

  it('a policy equal to a uniform logging policy has IPS estimate = mean reward', () => {
    const { log } = randomLog(5, 100);
    const uniformLog = new BanditLog({ ...log.columns(), pscore: new Float64Array(log.nRounds).fill(1 / K) });
    const mean = uniformLog.reward.reduce((s, r) => s + r, 0) / uniformLog.nRounds;
    expect(oplObjective(new LinearSoftmaxPolicy(K, D), uniformLog, { estimator: 'ips' }).estimate).toBeCloseTo(mean, 12);
  });

  it('rejects bad input with typed errors', () => {
    const { log, qHat } = randomLog(6);
    const policy = randomPolicy(7);
    expect(() => oplObjective(policy, log, { estimator: 'dr' })).toThrow(/estimatedRewards/);
    expect(() => oplObjective(policy, log, { estimator: 'dm' as never })).toThrow(InvalidArgumentError);
    expect(() => oplObjective(policy, log, { estimator: 'ips', entropy: -1 })).toThrow(/entropy/);
    expect(() => oplObjective(new LinearSoftmaxPolicy(K + 1, D), log, { estimator: 'ips' })).toThrow(/actions/);
    const badQ = Float64Array.from(qHat);
    badQ[5] = NaN;
    expect(() => oplObjective(policy, log, { estimator: 'dr', estimatedRewards: badQ })).toThrow(/row 1, action 1/);
    expect(() => new LinearSoftmaxPolicy(K, D, new Float64Array(3))).toThrow(/params/);
  });
});

describe('baseline policies', () => {
  it('static and greedy policies are one-hot distributions; greedy breaks ties towards the lowest action', () => {
    const context = new Float64Array(2 * D);
    expect(Array.from(new StaticPolicy(K, 2).actionDist(context, 2))).toEqual([0, 0, 1, 0, 0, 0, 1, 0]);
    const greedy = new GreedyPolicy(K, () => Float64Array.from([0, 3, 3, 1, 5, 0, 0, 0]));
    expect(Array.from(greedy.actionDist(context, 2))).toEqual([0, 1, 0, 0, 1, 0, 0, 0]);
    expect(() => new StaticPolicy(K, K)).toThrow(InvalidArgumentError);
  });
});
