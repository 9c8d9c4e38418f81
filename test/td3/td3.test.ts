/**
 * TD3 on fixed batches: critic loss (smoothed, clipped target actions, twin-min, termination) and actor
 * loss against JavaScript hand computations, delayed actor and target updates, exploration noise,
 * flat tensor count, determinism.
 */
import { expectDescentSteps } from '../fixtures/descent-check.js';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TD3 } from '../../src/algos/td3/index.js';
import { initBackend } from '../../src/core/backend.js';
import { Rng } from '../../src/core/rng.js';
import type { ReplaySample } from '../../src/data/replay-buffer.js';
import '../../src/envs/classic/index.js';

type Weights = Record<string, Float32Array>;

function mlp(w: Weights, name: string, x: number[], outAct: 'linear' | 'tanh' = 'linear'): number[] {
  let h = x;
  for (let i = 0; w[`${name}.${i}.weight`] !== undefined; i++) {
    const W = w[`${name}.${i}.weight`]!;
    const b = w[`${name}.${i}.bias`]!;
    const next = Array.from(b, Number);
    for (let j = 0; j < b.length; j++) for (let k = 0; k < h.length; k++) next[j]! += h[k]! * W[k * b.length + j]!;
    const last = w[`${name}.${i + 1}.weight`] === undefined;
    h = last ? (outAct === 'tanh' ? next.map(Math.tanh) : next) : next.map((v) => Math.max(0, v));
  }
  return h;
}

function fixedBatch(B: number, seed: number): ReplaySample {
  const r = Rng.fromSeed(seed);
  const u = (n: number, s = 1) => Float32Array.from({ length: n }, () => r.uniform(-s, s));
  return {
    batchSize: B,
    observations: u(3 * B),
    actions: u(B),
    rewards: u(B, 5),
    nextObservations: u(3 * B),
    terminations: Float32Array.from({ length: B }, (_, i) => (i % 4 === 1 ? 1 : 0)),
    discounts: new Float32Array(B).fill(0.99),
  };
}

const small = { seed: 1, policyKwargs: { netArch: [8] }, batchSize: 16, learningStarts: 32, tau: 0.5, targetPolicyNoise: 2, targetNoiseClip: 0.5 };

describe('TD3', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('has SB3 defaults', () => {
    const m = new TD3('Pendulum-v1', { seed: 0 });
    expect(m.config).toMatchObject({ learningRate: 1e-3, batchSize: 256, tau: 0.005, policyDelay: 2, targetPolicyNoise: 0.2, targetNoiseClip: 0.5, actionNoise: null, trainFreq: 1, gradientSteps: 1 });
    expect(m.config.policyKwargs.netArch).toEqual([400, 300]);
    m.close();
    expect(() => new TD3('Pendulum-v1', { policyDelay: 0 })).toThrow(/policyDelay/);
  });

  it('matches hand-computed critic and actor losses; updates the actor and targets every policyDelay steps', () => {
    const m = new TD3('Pendulum-v1', small);
    const batch = fixedBatch(16, 3);
    for (const step of [1, 2]) {
      const actor = m.actorParams.getWeights();
      const actorT = m.actorTargetParams.getWeights();
      const criticT = m.criticTargetParams.getWeights();
      const critic = m.criticParams.getWeights();
      const rng = Rng.fromSeed(10 + step);
      const check = rng.clone();
      let expected = 0;
      const noise = Array.from({ length: 16 }, () => Math.min(0.5, Math.max(-0.5, 2 * check.normal())));
      for (let i = 0; i < 16; i++) {
        const s2 = Array.from(batch.nextObservations.subarray(3 * i, 3 * i + 3));
        const a2 = Math.min(1, Math.max(-1, mlp(actorT, 'actor', s2, 'tanh')[0]! + noise[i]!));
        const q = Math.min(mlp(criticT, 'qf0', [...s2, a2])[0]!, mlp(criticT, 'qf1', [...s2, a2])[0]!);
        const y = batch.rewards[i]! + 0.99 * (1 - batch.terminations[i]!) * q;
        const sa = [...batch.observations.subarray(3 * i, 3 * i + 3), batch.actions[i]!];
        expected += ((mlp(critic, 'qf0', sa)[0]! - y) ** 2 + (mlp(critic, 'qf1', sa)[0]! - y) ** 2) / 16;
      }
      const stats = m.trainOnBatch(batch, rng);
      expect(stats.criticLoss).toBeCloseTo(expected, 4);
      if (step === 1) {
        expect(stats.actorLoss).toBeNaN();
        expect(m.actorParams.getWeights()).toEqual(actor);
        expect(m.criticTargetParams.getWeights()).toEqual(criticT);
      } else {
        const criticNew = m.criticParams.getWeights();
        let actorLoss = 0;
        for (let i = 0; i < 16; i++) {
          const s = Array.from(batch.observations.subarray(3 * i, 3 * i + 3));
          actorLoss -= mlp(criticNew, 'qf0', [...s, mlp(actor, 'actor', s, 'tanh')[0]!])[0]! / 16;
        }
        expect(stats.actorLoss).toBeCloseTo(actorLoss, 4);
        expect(m.actorParams.getWeights()).not.toEqual(actor);
        const actorNew = m.actorParams.getWeights();
        const actorTNew = m.actorTargetParams.getWeights();
        const criticTNew = m.criticTargetParams.getWeights();
        for (const n of Object.keys(actorNew)) actorNew[n]!.forEach((v, j) => expect(actorTNew[n]![j]).toBeCloseTo(0.5 * v + 0.5 * actorT[n]![j]!, 5));
        for (const n of Object.keys(criticNew)) criticNew[n]!.forEach((v, j) => expect(criticTNew[n]![j]).toBeCloseTo(0.5 * v + 0.5 * criticT[n]![j]!, 5));
      }
    }
    m.close();
  });

  it('moves the actor and critic against finite-difference gradients of their losses', () => {
    const m = new TD3('Pendulum-v1', { ...small, learningRate: 1e-4, policyDelay: 1 });
    const batch = fixedBatch(16, 5);
    const actor0 = m.actorParams.getWeights();
    const critic0 = m.criticParams.getWeights();
    const actorT = m.actorTargetParams.getWeights();
    const criticT = m.criticTargetParams.getWeights();
    const check = Rng.fromSeed(21);
    const noise = Array.from({ length: 16 }, () => Math.min(0.5, Math.max(-0.5, 2 * check.normal())));
    const obsOf = (i: number) => Array.from(batch.observations.subarray(3 * i, 3 * i + 3));
    const criticLoss = (c: Weights) => {
      let l = 0;
      for (let i = 0; i < 16; i++) {
        const s2 = Array.from(batch.nextObservations.subarray(3 * i, 3 * i + 3));
        const a2 = Math.min(1, Math.max(-1, mlp(actorT, 'actor', s2, 'tanh')[0]! + noise[i]!));
        const y = batch.rewards[i]! + 0.99 * (1 - batch.terminations[i]!) * Math.min(mlp(criticT, 'qf0', [...s2, a2])[0]!, mlp(criticT, 'qf1', [...s2, a2])[0]!);
        const sa = [...obsOf(i), batch.actions[i]!];
        l += ((mlp(c, 'qf0', sa)[0]! - y) ** 2 + (mlp(c, 'qf1', sa)[0]! - y) ** 2) / 16;
      }
      return l;
    };
    m.trainOnBatch(batch, Rng.fromSeed(21));
    const critic1 = m.criticParams.getWeights();
    const actorLoss = (a: Weights) => {
      let l = 0;
      for (let i = 0; i < 16; i++) l -= mlp(critic1, 'qf0', [...obsOf(i), mlp(a, 'actor', obsOf(i), 'tanh')[0]!])[0]! / 16;
      return l;
    };
    const actor1 = m.actorParams.getWeights();
    const checked =
      expectDescentSteps(critic0, critic1, criticLoss, ['qf0.0.weight', 'qf1.1.weight', 'qf1.0.bias']) +
      expectDescentSteps(actor0, actor1, actorLoss, ['actor.0.weight', 'actor.1.weight', 'actor.1.bias']);
    expect(checked).toBeGreaterThan(10);
    m.close();
  });

  it('adds clipped Gaussian exploration noise when configured, none by default', () => {
    const quiet = new TD3('Pendulum-v1', small);
    const noisy = new TD3('Pendulum-v1', { ...small, actionNoise: { type: 'normal', sigma: 0.5 } });
    const obs = new Float32Array([0.1, 0.2, 0.3]);
    const explore = (m: TD3) => (m as unknown as { explorationActions(o: Float32Array, n: number): Float32Array }).explorationActions(obs, 1)[0]!;
    const greedy = quiet.predict(obs) as Float32Array;
    expect(explore(quiet) * 2).toBeCloseTo(greedy[0]!, 5); // Pendulum's bounds are ±2
    const draws = Array.from({ length: 200 }, () => explore(noisy));
    expect(new Set(draws).size).toBeGreaterThan(150);
    expect(Math.max(...draws.map(Math.abs))).toBeLessThanOrEqual(1);
    quiet.close();
    noisy.close();
  });

  it('keeps the tensor count flat and is deterministic for a seed', async () => {
    const a = new TD3('Pendulum-v1', small);
    await a.learn({ totalTimesteps: 50 });
    const n = tf.memory().numTensors;
    await a.learn({ totalTimesteps: 50, resetNumTimesteps: false });
    expect(tf.memory().numTensors).toBe(n);
    const b = new TD3('Pendulum-v1', small);
    await b.learn({ totalTimesteps: 50 });
    await b.learn({ totalTimesteps: 50, resetNumTimesteps: false });
    expect(b.actorParams.getWeights()).toEqual(a.actorParams.getWeights());
    expect(a.nUpdates).toBeGreaterThan(40);
    a.close();
    b.close();
  });
});
