/**
 * DQN on fixed batches: Huber loss against a hand computation (max and Double-DQN targets, termination),
 * the linear ε schedule, target copies every targetUpdateInterval steps, ε-greedy acting, flat tensor
 * count, and exact resume from a checkpoint.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DQN, linearEpsilon } from '../../src/algos/dqn/index.js';
import { initBackend } from '../../src/core/backend.js';
import { Rng } from '../../src/core/rng.js';
import { Callback } from '../../src/train/callbacks.js';
import type { ReplaySample } from '../../src/data/replay-buffer.js';
import '../../src/envs/classic/index.js';

type Weights = Record<string, Float32Array>;

function mlp(w: Weights, name: string, x: number[]): number[] {
  let h = x;
  for (let i = 0; w[`${name}.${i}.weight`] !== undefined; i++) {
    const W = w[`${name}.${i}.weight`]!;
    const b = w[`${name}.${i}.bias`]!;
    const next = Array.from(b, Number);
    for (let j = 0; j < b.length; j++) for (let k = 0; k < h.length; k++) next[j]! += h[k]! * W[k * b.length + j]!;
    h = w[`${name}.${i + 1}.weight`] === undefined ? next : next.map((v) => Math.max(0, v));
  }
  return h;
}

const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));
const huber = (d: number) => (Math.abs(d) <= 1 ? 0.5 * d * d : Math.abs(d) - 0.5);

function fixedBatch(B: number, seed: number): ReplaySample {
  const r = Rng.fromSeed(seed);
  const u = (n: number, s = 1) => Float32Array.from({ length: n }, () => r.uniform(-s, s));
  return {
    batchSize: B,
    observations: u(4 * B, 2),
    actions: Float32Array.from({ length: B }, () => r.integers(0, 2)),
    rewards: u(B, 3),
    nextObservations: u(4 * B, 2),
    terminations: Float32Array.from({ length: B }, (_, i) => (i % 3 === 0 ? 1 : 0)),
    discounts: new Float32Array(B).fill(0.9),
  };
}

const small = { seed: 2, policyKwargs: { netArch: [8] }, batchSize: 16, learningStarts: 20, targetUpdateInterval: 5, trainFreq: 1 };

describe('DQN', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('has SB3 defaults and only takes Discrete actions', () => {
    const m = new DQN('CartPole-v1', { seed: 0 });
    expect(m.config).toMatchObject({ learningRate: 1e-4, batchSize: 32, tau: 1, trainFreq: 4, gradientSteps: 1, targetUpdateInterval: 10_000, explorationFraction: 0.1, explorationInitialEps: 1, explorationFinalEps: 0.05, maxGradNorm: 10, doubleQ: false });
    expect(m.config.policyKwargs.netArch).toEqual([64, 64]);
    m.close();
    expect(() => new DQN('Pendulum-v1', {})).toThrow(/supports Discrete action spaces, got Box/);
  });

  it('follows a linear ε schedule', () => {
    expect(linearEpsilon(1, 1, 0.05, 0.1)).toBe(1);
    expect(linearEpsilon(0.95, 1, 0.05, 0.1)).toBeCloseTo(0.525, 12);
    expect(linearEpsilon(0.5, 1, 0.05, 0.1)).toBe(0.05);
  });

  for (const doubleQ of [false, true]) {
    it(`matches the hand-computed Huber loss (${doubleQ ? 'Double-DQN' : 'max'} target, terminations stop the bootstrap)`, () => {
      const m = new DQN('CartPole-v1', { ...small, doubleQ });
      // Make the target differ from the online net so the two targets differ.
      const r = Rng.fromSeed(4);
      const shifted = Object.fromEntries(Object.entries(m.qTargetParams.getWeights()).map(([k, v]) => [k, v.map((x) => x + r.uniform(-0.5, 0.5))]));
      m.qTargetParams.setWeights(shifted);
      const online = m.qParams.getWeights();
      const target = m.qTargetParams.getWeights();
      const batch = fixedBatch(16, 9);
      let expected = 0;
      let plainMax = 0;
      for (let i = 0; i < 16; i++) {
        const s2 = Array.from(batch.nextObservations.subarray(4 * i, 4 * i + 4));
        const qt = mlp(target, 'q_net', s2);
        const v = doubleQ ? qt[argmax(mlp(online, 'q_net', s2))]! : Math.max(...qt);
        const y = batch.rewards[i]! + 0.9 * (1 - batch.terminations[i]!) * v;
        const q = mlp(online, 'q_net', Array.from(batch.observations.subarray(4 * i, 4 * i + 4)))[batch.actions[i]!]!;
        expected += huber(q - y) / 16;
        plainMax += huber(q - (batch.rewards[i]! + 0.9 * (1 - batch.terminations[i]!) * Math.max(...qt))) / 16;
      }
      if (doubleQ) expect(expected).not.toBeCloseTo(plainMax, 6);
      expect(m.trainOnBatch(batch)).toBeCloseTo(expected, 4);
      expect(m.qParams.getWeights()).not.toEqual(online);
      m.close();
    });
  }

  it('copies the target every targetUpdateInterval vector steps and acts ε-greedily', async () => {
    const m = new DQN('CartPole-v1', { ...small, learningStarts: 0, batchSize: 4, explorationFraction: 0.5 });
    const equalAt: number[] = [];
    class Watch extends Callback {
      override onStep(): boolean {
        const online = m.qParams.getWeights();
        const target = m.qTargetParams.getWeights();
        if (Object.keys(online).every((k) => online[k]!.every((v, j) => v === target[k]![j]))) equalAt.push(m.numTimesteps);
        return true;
      }
    }
    await m.learn({ totalTimesteps: 16, callbacks: new Watch() });
    // As in SB3, training starts after the first step past learningStarts (a batch of 4 drawn with
    // replacement from 1 transition), so the nets differ from step 2 on; the copy happens at steps 5, 10, 15.
    expect(equalAt).toEqual([1, 5, 10, 15]);
    const obs = new Float32Array([0.01, 0.2, -0.03, -0.3]);
    const greedy = argmax(Array.from(m.qValues(obs, 1)));
    expect(m.predict(obs, { deterministic: true })).toBe(greedy);
    m.explorationRate = 1;
    const draws = Array.from({ length: 400 }, () => m.predict(obs) as number);
    expect(draws.filter((a) => a === 1 - greedy).length).toBeGreaterThan(150);
    m.explorationRate = 0;
    expect(Array.from({ length: 20 }, () => m.predict(obs))).toEqual(new Array(20).fill(greedy));
    m.close();
  });

  it('keeps the tensor count flat and resumes exactly from a checkpoint with its replay buffer', async () => {
    const a = new DQN('CartPole-v1', small);
    await a.learn({ totalTimesteps: 40 });
    const n = tf.memory().numTensors;
    const dir = mkdtempSync(join(tmpdir(), 'teleo-dqn-'));
    dirs.push(dir);
    await a.save(dir, { replayBuffer: true });
    await a.learn({ totalTimesteps: 40, resetNumTimesteps: false });
    expect(tf.memory().numTensors).toBe(n);
    const b = await DQN.load(dir);
    await b.learn({ totalTimesteps: 40, resetNumTimesteps: false });
    expect(b.qParams.getWeights()).toEqual(a.qParams.getWeights());
    expect(b.qTargetParams.getWeights()).toEqual(a.qTargetParams.getWeights());
    expect(b.explorationRate).toBe(a.explorationRate);
    a.close();
    b.close();
  });
});
