/** Ad-load simulator: exact ground truth vs Monte Carlo, logging propensities, determinism, bad input. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnknownOptionError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { AdloadSimulator, USER_TYPES, policyDist } from '../../src/envs/bandit/adload.js';
import { AdloadLoggingPolicy } from '../../src/envs/bandit/adload-logging-policy.js';

const sim = new AdloadSimulator();
const K = sim.nActions;
const logging = new AdloadLoggingPolicy({ nActions: K });

/**
 * |mean(x)| within z standard errors of 0, the standard error computed from per-cluster sums (a user's fetches
 * share the latent type and features, so their residuals are correlated).
 */
function expectMeanZero(values: number[], clusters?: ArrayLike<number>, z = 4): void {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sums = new Map<number, { s: number; c: number }>();
  values.forEach((v, i) => {
    const key = clusters ? clusters[i]! : i;
    const e = sums.get(key) ?? { s: 0, c: 0 };
    e.s += v;
    e.c += 1;
    sums.set(key, e);
  });
  let ss = 0;
  for (const { s, c } of sums.values()) ss += (s - mean * c) ** 2;
  const se = Math.sqrt((ss * sums.size) / (sums.size - 1)) / n;
  expect(Math.abs(mean)).toBeLessThan(z * se + 1e-12);
}

describe('AdloadSimulator ground truth', () => {
  it('the type posterior is calibrated, including the evidence from the position', () => {
    const fetches = sim.sampleFetches(Rng.fromSeed(1), 4000);
    const post = new Float64Array(3);
    for (const [lo, hi] of [[0, 1], [1, 4], [4, sim.nPositions]] as const) {
      const residuals: number[][] = [[], [], []];
      const users: number[] = [];
      for (let i = 0; i < fetches.nRounds; i++) {
        const p = fetches.position[i]!;
        if (p < lo || p >= hi) continue;
        sim.typePosterior(fetches.context[i * sim.dimContext]!, fetches.context[i * sim.dimContext + 1]!, p, post);
        for (let t = 0; t < 3; t++) residuals[t]!.push((fetches.userType[i] === t ? 1 : 0) - post[t]!);
        users.push(fetches.userId[i]!);
      }
      for (let t = 0; t < 3; t++) expectMeanZero(residuals[t]!, users);
    }
  });

  it('a posterior that ignored the position would be miscalibrated late in sessions (the test above has power)', () => {
    const fetches = sim.sampleFetches(Rng.fromSeed(2), 4000);
    const heavy = USER_TYPES.indexOf('heavy');
    let gap = 0;
    let count = 0;
    const post = new Float64Array(3);
    for (let i = 0; i < fetches.nRounds; i++) {
      if (fetches.position[i]! < 5) continue;
      sim.typePosterior(fetches.context[i * sim.dimContext]!, fetches.context[i * sim.dimContext + 1]!, 0, post);
      gap += (fetches.userType[i] === heavy ? 1 : 0) - post[heavy]!;
      count++;
    }
    expect(gap / count).toBeGreaterThan(0.05);
  });

  it('exact expected outcomes match sampled outcomes (per action, any policy)', () => {
    const rng = Rng.fromSeed(3);
    const fetches = sim.sampleFetches(rng, 6000);
    const expected = sim.expectedOutcomes(fetches);
    const { actions, dist } = sim.sampleActions(rng, fetches, logging);
    const outcomes = sim.sampleOutcomes(rng, fetches, actions);
    const satRes: number[] = [];
    const revRes: number[] = [];
    for (let i = 0; i < fetches.nRounds; i++) {
      satRes.push(outcomes.satisfaction[i]! - expected.satisfaction[i * K + actions[i]!]!);
      revRes.push(outcomes.revenue[i]! - expected.revenue[i * K + actions[i]!]!);
    }
    expectMeanZero(satRes, fetches.userId);
    expectMeanZero(revRes, fetches.userId);
    // The policy's exact value on these fetches vs the realised means.
    const truth = sim.trueValue(expected, dist);
    expectMeanZero(Array.from(outcomes.satisfaction, (s) => s - truth.satisfaction), fetches.userId);
    expectMeanZero(Array.from(outcomes.revenue, (r) => r - truth.revenue), fetches.userId);
  });

  it('per type: satisfaction falls and revenue rises with the ad load; light users tire faster later in a session', () => {
    for (let t = 0; t < 3; t++) {
      for (let p = 0; p < sim.nPositions; p++) {
        for (let a = 1; a < K; a++) {
          expect(sim.satisfactionProb(t, p, a)).toBeLessThan(sim.satisfactionProb(t, p, a - 1));
          expect(sim.expectedRevenue(t, p, a)).toBeGreaterThan(sim.expectedRevenue(t, p, a - 1));
        }
      }
    }
    const light = 0;
    const heavy = 2;
    const adCost = (t: number, p: number) => sim.satisfactionProb(t, p, 0) - sim.satisfactionProb(t, p, 1);
    expect(adCost(light, sim.nPositions - 1)).toBeGreaterThan(adCost(light, 0));
    expect(adCost(light, 0)).toBeGreaterThan(adCost(heavy, 0));
  });

  it('the oracle beats every static ad load on satisfaction + λ·revenue', () => {
    const fetches = sim.sampleFetches(Rng.fromSeed(4), 500);
    const expected = sim.expectedOutcomes(fetches);
    for (const lambda of [0.1, 0.3]) {
      const o = sim.trueValue(expected, sim.oracleDist(expected, lambda));
      for (let k = 0; k < K; k++) {
        const dist = new Float64Array(fetches.nRounds * K);
        for (let i = 0; i < fetches.nRounds; i++) dist[i * K + k] = 1;
        const s = sim.trueValue(expected, dist);
        expect(o.satisfaction + lambda * o.revenue).toBeGreaterThanOrEqual(s.satisfaction + lambda * s.revenue);
      }
    }
  });
});

describe('AdloadSimulator logging', () => {
  it('propensities are distributions with full support, and are the probabilities the actions were drawn with', () => {
    const { log, loggingDist } = sim.simulateLog(Rng.fromSeed(5), 4000, logging);
    const n = log.nRounds;
    for (let i = 0; i < n; i++) {
      let total = 0;
      for (let a = 0; a < K; a++) {
        expect(loggingDist[i * K + a]!).toBeGreaterThanOrEqual(logging.epsilon / K - 1e-15);
        total += loggingDist[i * K + a]!;
      }
      expect(total).toBeCloseTo(1, 12);
      expect(log.pscore[i]).toBe(loggingDist[i * K + log.action[i]!]);
    }
    for (let a = 0; a < K; a++) {
      // Count of action a vs its expected count Σ_i π_0(a|x_i), and the IPS identity E[1{a_i = a}/π_0(a|x_i)] = 1.
      let count = 0;
      let expectedCount = 0;
      let variance = 0;
      const ipsTerms: number[] = [];
      for (let i = 0; i < n; i++) {
        const p = loggingDist[i * K + a]!;
        const hit = log.action[i] === a ? 1 : 0;
        count += hit;
        expectedCount += p;
        variance += p * (1 - p);
        ipsTerms.push(hit / p - 1);
      }
      expect(Math.abs(count - expectedCount)).toBeLessThan(4 * Math.sqrt(variance));
      expectMeanZero(ipsTerms, log.userId);
    }
  });

  it('the log carries both objectives, positions, users and sessions', () => {
    const { log, fetches } = sim.simulateLog(Rng.fromSeed(6), 50, logging);
    expect(Object.keys(log.objectives).sort()).toEqual(['revenue', 'satisfaction']);
    expect(log.reward).toBe(log.objectives.satisfaction);
    expect(log.nPositions).toBe(sim.nPositions);
    expect(Array.from(log.position!)).toEqual(Array.from(fetches.position));
    // Positions count up within a session from 0; a user keeps the same features across sessions.
    for (let i = 1; i < log.nRounds; i++) {
      if (log.sessionId![i] === log.sessionId![i - 1]) expect(log.position![i]).toBe(log.position![i - 1]! + 1);
      else expect(log.position![i]).toBe(0);
      if (log.userId![i] === log.userId![i - 1]) expect(log.context[i * 5]).toBe(log.context[(i - 1) * 5]);
    }
    expect(new Set(log.sessionId).size).toBe(50);
    expect(new Set(log.userId).size).toBe(25);
  });

  it('is deterministic for a seed', () => {
    const a = sim.simulateLog(Rng.fromSeed(7), 200, logging).log;
    const b = sim.simulateLog(Rng.fromSeed(7), 200, logging).log;
    const c = sim.simulateLog(Rng.fromSeed(8), 200, logging).log;
    expect(b.context).toEqual(a.context);
    expect(b.action).toEqual(a.action);
    expect(b.objectives.revenue).toEqual(a.objectives.revenue);
    expect(b.objectives.satisfaction).toEqual(a.objectives.satisfaction);
    expect(c.context).not.toEqual(a.context);
  });
});

describe('bad input', () => {
  it('rejects unknown or invalid options with typed errors', () => {
    expect(() => new AdloadSimulator({ nPositon: 5 } as never)).toThrow(UnknownOptionError);
    expect(() => new AdloadSimulator({ featureNoise: 0 })).toThrow(/featureNoise/);
    expect(() => new AdloadSimulator({ maxAds: 0 })).toThrow(InvalidArgumentError);
    expect(() => new AdloadSimulator({ types: { ...sim.types, prior: [0.5, 0.5, 0.5] } })).toThrow(/prior/);
    expect(() => new AdloadLoggingPolicy({ nActions: K, epsilon: 0 })).toThrow(/epsilon/);
    expect(() => sim.sampleFetches(Rng.fromSeed(0), 0)).toThrow(/nSessions/);
  });

  it('rejects actions outside the action set and policies that are not distributions', () => {
    const fetches = sim.sampleFetches(Rng.fromSeed(0), 3);
    expect(() => sim.sampleOutcomes(Rng.fromSeed(0), fetches, new Int32Array(fetches.nRounds).fill(K))).toThrow(/outside/);
    const bad = { actionDist: (_c: Float64Array, n: number) => new Float64Array(n * K).fill(0.5) };
    expect(() => policyDist(bad, fetches, K)).toThrow(/sums to/);
  });
});
