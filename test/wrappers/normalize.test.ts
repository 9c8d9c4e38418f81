import { describe, expect, it } from 'vitest';
import { Box, InvalidArgumentError, UnknownOptionError } from '../../src/core/index.js';
import { NormalizeObservation } from '../../src/envs/wrappers/normalize-observation.js';
import { NormalizeReward } from '../../src/envs/wrappers/normalize-reward.js';
import { RunningMeanStd } from '../../src/envs/wrappers/running-mean-std.js';
import { pooledMoments } from './moments.js';
import { DictObsEnv, ScriptedEnv } from './toy-envs.js';

describe('RunningMeanStd', () => {
  it('batch updates agree with the pooled closed form, whatever the batching', () => {
    const rows = [[1, 10], [2, 30], [4, -5], [8, 0], [-3, 7]];
    const oneByOne = new RunningMeanStd({ shape: [2] });
    for (const r of rows) oneByOne.update(r, 1);
    const batched = new RunningMeanStd({ shape: [2] });
    batched.update(rows.slice(0, 2).flat(), 2);
    batched.update(rows.slice(2).flat(), 3);
    const ref = pooledMoments(rows);
    for (const rms of [oneByOne, batched]) {
      expect(rms.count).toBeCloseTo(ref.count, 12);
      for (let j = 0; j < 2; j++) {
        expect(rms.mean[j]).toBeCloseTo(ref.mean[j]!, 10);
        expect(rms.var[j]).toBeCloseTo(ref.var[j]!, 10);
      }
    }
  });

  it('round-trips its state through JSON and validates it', () => {
    const a = new RunningMeanStd({ shape: [3] });
    a.update([1, 2, 3, 4, 5, 7], 2);
    const b = new RunningMeanStd({ shape: [3] });
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    expect(b.getState()).toEqual(a.getState());
    expect(() => b.setState({ mean: [0, 0], var: [1, 1], count: 1 })).toThrow(/3 numbers/);
    expect(() => b.setState({ mean: [0, 0, 0], var: [1, -1, 1], count: 1 })).toThrow(InvalidArgumentError);
    expect(() => b.setState({ mean: [0, 0, 0], var: [1, 1, 1], count: 0 })).toThrow(/count/);
    expect(() => a.update([1, 2], 1)).toThrow(/3 values/);
    expect(() => new RunningMeanStd({ shape: [2], eps: 1 } as never)).toThrow(UnknownOptionError);
  });
});

/** Raw observations of a ScriptedEnv rollout (the same seed gives the same stream). */
function rawObservations(seed: number, steps: number): number[][] {
  const env = new ScriptedEnv({ obsDim: 3 });
  const out = [Array.from(env.reset({ seed })[0])];
  for (let i = 0; i < steps; i++) out.push(Array.from(env.step(0)[0]));
  return out;
}

describe('NormalizeObservation', () => {
  it('normalises with the running moments of every observation seen so far (reset included)', () => {
    const raw = rawObservations(7, 30);
    const env = new NormalizeObservation(new ScriptedEnv({ obsDim: 3 }));
    const outs = [env.reset({ seed: 7 })[0]];
    for (let i = 0; i < 30; i++) outs.push(env.step(0)[0]);
    for (const k of [0, 1, 5, 30]) {
      const ref = pooledMoments(raw.slice(0, k + 1));
      expect(outs[k]).toBeInstanceOf(Float32Array);
      for (let j = 0; j < 3; j++) {
        const expected = (raw[k]![j]! - ref.mean[j]!) / Math.sqrt(ref.var[j]! + 1e-8);
        expect(outs[k]![j]).toBeCloseTo(expected, 4);
      }
    }
    // After 31 draws of N(j, (j+1)^2) the running moments are near the true ones.
    expect(Math.sqrt(env.obsRms.var[2]!)).toBeGreaterThan(1.5);
    expect(env.observationSpace.equals(new Box(-Infinity, Infinity, [3], 'float32'))).toBe(true);
  });

  it('freezes the statistics when updateRunningMean is false', () => {
    const env = new NormalizeObservation(new ScriptedEnv());
    env.reset({ seed: 1 });
    env.step(0);
    env.updateRunningMean = false;
    const before = env.getState();
    env.step(0);
    env.step(0);
    expect(env.getState()).toEqual(before);
  });

  it('restoring the state reproduces the outputs', () => {
    const a = new NormalizeObservation(new ScriptedEnv());
    a.reset({ seed: 3 });
    for (let i = 0; i < 10; i++) a.step(0);
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const b = new NormalizeObservation(new ScriptedEnv());
    b.setState(saved);
    const [oa] = a.reset({ seed: 99 });
    const [ob] = b.reset({ seed: 99 });
    expect(Array.from(ob)).toEqual(Array.from(oa));
    for (let i = 0; i < 5; i++) expect(Array.from(b.step(0)[0])).toEqual(Array.from(a.step(0)[0]));
    const fresh = new NormalizeObservation(new ScriptedEnv());
    expect(Array.from(fresh.reset({ seed: 99 })[0])).not.toEqual(Array.from(oa));
  });

  it('validates its options and the observation space', () => {
    expect(() => new NormalizeObservation(new ScriptedEnv(), { epsilon: 0 })).toThrow(InvalidArgumentError);
    expect(() => new NormalizeObservation(new ScriptedEnv(), { gamma: 1 } as never)).toThrow(UnknownOptionError);
    expect(() => new NormalizeObservation(new DictObsEnv() as never)).toThrow(/FlattenObservation/);
    const env = new NormalizeObservation(new ScriptedEnv());
    expect(() => env.setState({ obsRms: { mean: [0], var: [1], count: 1 } })).toThrow(InvalidArgumentError);
  });
});

describe('NormalizeReward', () => {
  it('divides by the std of the discounted return, reset by termination only (Gymnasium 1.x rule)', () => {
    const gamma = 0.5;
    const rewards = [1, 2, 3];
    const env = new NormalizeReward(new ScriptedEnv({ rewards, terminateAt: 3 }), { gamma });
    env.reset({ seed: 0 });
    const returns: number[] = [];
    const expectedReturns = [1, 2.5, 3, 2.5, 3.25, 3];
    for (let k = 0; k < 6; k++) {
      if (k === 3) env.reset(); // reset does not clear the accumulator
      const [, r, terminated] = env.step(0);
      returns.push(env.discountedReturn);
      expect(terminated).toBe(k % 3 === 2);
      const ref = pooledMoments(expectedReturns.slice(0, k + 1).map((g) => [g]));
      expect(r).toBeCloseTo(rewards[k % 3]! / Math.sqrt(ref.var[0]! + 1e-8), 10);
    }
    expect(returns).toEqual(expectedReturns);
  });

  it('carries the return over a truncation', () => {
    const env = new NormalizeReward(new ScriptedEnv({ rewards: [1], truncateAt: 2 }), { gamma: 0.5 });
    env.reset({ seed: 0 });
    env.step(0);
    env.step(0); // truncated
    env.reset();
    env.step(0);
    expect(env.discountedReturn).toBeCloseTo(1 + 0.5 * (1 + 0.5 * 1), 12);
  });

  it('freezes and restores its statistics', () => {
    const a = new NormalizeReward(new ScriptedEnv({ rewards: [1, -2, 0.5], terminateAt: 4 }));
    a.reset({ seed: 0 });
    for (let i = 0; i < 7; i++) a.step(0);
    const b = new NormalizeReward(new ScriptedEnv({ rewards: [1, -2, 0.5], terminateAt: 4 }));
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    a.updateRunningMean = false;
    b.updateRunningMean = false;
    const state = a.getState();
    a.reset({ seed: 1 });
    b.reset({ seed: 1 });
    for (let i = 0; i < 3; i++) expect(b.step(0)[1]).toBe(a.step(0)[1]);
    expect(a.getState().returnRms).toEqual(state.returnRms);
  });

  it('validates gamma and epsilon', () => {
    expect(() => new NormalizeReward(new ScriptedEnv(), { gamma: 1.5 })).toThrow(/gamma/);
    expect(() => new NormalizeReward(new ScriptedEnv(), { gamma: -0.1 })).toThrow(InvalidArgumentError);
    expect(() => new NormalizeReward(new ScriptedEnv(), { epsilon: -1 })).toThrow(/epsilon/);
    expect(() => new NormalizeReward(new ScriptedEnv()).setState({ returnRms: { mean: [0], var: [1], count: 1 }, discountedReturn: NaN })).toThrow(
      InvalidArgumentError,
    );
  });
});
