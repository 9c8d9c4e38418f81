import { describe, expect, it } from 'vitest';
import { Box, InvalidArgumentError } from '../../../src/core/index.js';
import { NormalizeObservation } from '../../../src/envs/vector/wrappers/normalize-observation.js';
import { NormalizeReward } from '../../../src/envs/vector/wrappers/normalize-reward.js';
import { NormalizeReward as SingleNormalizeReward } from '../../../src/envs/wrappers/normalize-reward.js';
import { pooledMoments } from '../../wrappers/moments.js';
import { ScriptedEnv } from '../../wrappers/toy-envs.js';
import { ToyVectorEnv } from './toy-vector-env.js';

const twoEnvs = () => [new ScriptedEnv({ obsDim: 2, rewards: [1, 2, 3], terminateAt: 3 }), new ScriptedEnv({ obsDim: 2, rewards: [-1], truncateAt: 2 })];
const actions = new Int32Array([0, 0]);

describe('vector NormalizeObservation', () => {
  it('pools every sub-env observation into one running mean/variance', () => {
    const raw = new ToyVectorEnv(twoEnvs());
    const rows: number[][] = [];
    const batches = [raw.reset({ seed: 3 })[0]];
    for (let s = 0; s < 6; s++) batches.push(raw.step(actions)[0]);
    const env = new NormalizeObservation(new ToyVectorEnv(twoEnvs()));
    const outs = [env.reset({ seed: 3 })[0]];
    for (let s = 0; s < 6; s++) outs.push(env.step(actions)[0]);
    batches.forEach((b, k) => {
      rows.push([b[0]!, b[1]!], [b[2]!, b[3]!]);
      const ref = pooledMoments(rows);
      expect(outs[k]).toBeInstanceOf(Float32Array);
      for (let i = 0; i < 4; i++) {
        const j = i % 2;
        expect(outs[k]![i]).toBeCloseTo((b[i]! - ref.mean[j]!) / Math.sqrt(ref.var[j]! + 1e-8), 4);
      }
    });
    expect(env.singleObservationSpace.equals(new Box(-Infinity, Infinity, [2], 'float32'))).toBe(true);
    expect(env.observationSpace.shape).toEqual([2, 2]);
  });

  it('restores its state and freezes on request', () => {
    const a = new NormalizeObservation(new ToyVectorEnv(twoEnvs()));
    a.reset({ seed: 1 });
    for (let s = 0; s < 4; s++) a.step(actions);
    const b = new NormalizeObservation(new ToyVectorEnv(twoEnvs()));
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    a.updateRunningMean = false;
    b.updateRunningMean = false;
    expect(Array.from(b.reset({ seed: 8 })[0])).toEqual(Array.from(a.reset({ seed: 8 })[0]));
    expect(Array.from(b.step(actions)[0])).toEqual(Array.from(a.step(actions)[0]));
    expect(b.getState()).toEqual(a.getState());
  });

  it('requires NEXT_STEP autoreset and refuses partial resets', () => {
    expect(() => new NormalizeObservation(new ToyVectorEnv(twoEnvs(), 'SAME_STEP'))).toThrow(/NEXT_STEP/);
    const env = new NormalizeObservation(new ToyVectorEnv(twoEnvs()));
    expect(() => env.reset({ options: { resetMask: [true, false] } })).toThrow(/partial resets/);
    expect(() => env.reset({ seed: 0, options: { resetMask: [true, true] } })).not.toThrow();
    expect(() => new NormalizeObservation(new ToyVectorEnv(twoEnvs()), { epsilon: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('vector NormalizeReward', () => {
  it('keeps per-env discounted returns, skips NEXT_STEP autoreset steps, and shares one variance', () => {
    const gamma = 0.9;
    const env = new NormalizeReward(new ToyVectorEnv(twoEnvs()), { gamma });
    env.reset({ seed: 0 });
    // Hand-computed returns. env 0: rewards 1,2,3 (terminates on 3), autoreset, 1,...
    // env 1: reward -1 every step, truncates every 2nd step, then an autoreset step.
    const g0 = [1, 1 * gamma + 2, 3, null, 3 * gamma + 1, (3 * gamma + 1) * gamma + 2];
    const g1 = [-1, -1 - gamma, null, (-1 - gamma) * gamma - 1, ((-1 - gamma) * gamma - 1) * gamma - 1, null];
    const r0 = [1, 2, 3, 0, 1, 2];
    const r1 = [-1, -1, 0, -1, -1, 0];
    const seen: number[][] = [];
    for (let s = 0; s < 6; s++) {
      const [, rewards] = env.step(actions);
      for (const g of [g0[s], g1[s]]) if (g !== null) seen.push([g!]);
      const variance = pooledMoments(seen).var[0]!;
      expect(rewards[0]).toBeCloseTo(r0[s]! / Math.sqrt(variance + 1e-8), 10);
      expect(rewards[1]).toBeCloseTo(r1[s]! / Math.sqrt(variance + 1e-8), 10);
    }
    expect(env.discountedReturns[0]).toBeCloseTo(g0[5]!, 12);
    expect(env.discountedReturns[1]).toBeCloseTo(g1[4]!, 12);
  });

  it('with one NEXT_STEP sub-env agrees with the single-env wrapper on every real step', () => {
    const make = () => new ScriptedEnv({ rewards: [0.5, -1, 2], terminateAt: 4 });
    const vec = new NormalizeReward(new ToyVectorEnv([make()]));
    const single = new SingleNormalizeReward(make());
    vec.reset({ seed: 0 });
    single.reset({ seed: 0 });
    let pendingReset = false;
    for (let s = 0; s < 14; s++) {
      const [, rewards, term, trunc] = vec.step(new Int32Array([0]));
      if (pendingReset) {
        single.reset();
        pendingReset = false;
        expect(rewards[0]).toBe(0);
        continue;
      }
      const [, r, t] = single.step(0);
      expect(rewards[0]).toBeCloseTo(r, 12);
      expect(term[0] === 1).toBe(t);
      pendingReset = term[0] === 1 || trunc[0] === 1;
    }
    expect(vec.returnRms.getState()).toEqual(single.returnRms.getState());
  });

  it('SAME_STEP restarts a finished sub-env return immediately', () => {
    const env = new NormalizeReward(new ToyVectorEnv([new ScriptedEnv({ rewards: [1], truncateAt: 2 })], 'SAME_STEP'), { gamma: 0.5 });
    env.reset({ seed: 0 });
    env.step(new Int32Array([0]));
    env.step(new Int32Array([0])); // truncates and resets in the same step
    expect(env.discountedReturns[0]).toBe(0);
    env.step(new Int32Array([0]));
    expect(env.discountedReturns[0]).toBe(1);
  });

  it('round-trips its state and validates it', () => {
    const a = new NormalizeReward(new ToyVectorEnv(twoEnvs()));
    a.reset({ seed: 0 });
    for (let s = 0; s < 5; s++) a.step(actions);
    const b = new NormalizeReward(new ToyVectorEnv(twoEnvs()));
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    expect(b.getState()).toEqual(a.getState());
    expect(() => b.setState({ returnRms: a.getState().returnRms, discountedReturns: [1] })).toThrow(/2 finite numbers/);
    expect(() => new NormalizeReward(new ToyVectorEnv(twoEnvs()), { gamma: 2 })).toThrow(InvalidArgumentError);
  });
});
