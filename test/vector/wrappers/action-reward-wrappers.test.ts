import { describe, expect, it } from 'vitest';
import { Box, InvalidActionError, InvalidArgumentError } from '../../../src/core/index.js';
import { ClipAction } from '../../../src/envs/vector/wrappers/clip-action.js';
import { RescaleAction } from '../../../src/envs/vector/wrappers/rescale-action.js';
import { TransformAction } from '../../../src/envs/vector/wrappers/transform-action.js';
import { TransformReward } from '../../../src/envs/vector/wrappers/transform-reward.js';
import { ClipAction as SingleClipAction } from '../../../src/envs/wrappers/clip-action.js';
import { RescaleAction as SingleRescaleAction } from '../../../src/envs/wrappers/rescale-action.js';
import { ActionRecorderEnv, ScriptedEnv } from '../../wrappers/toy-envs.js';
import { ToyVectorEnv } from './toy-vector-env.js';

const recorders = () => [new ActionRecorderEnv([-1, 0], [1, 4]), new ActionRecorderEnv([-1, 0], [1, 4])];

describe('vector ClipAction', () => {
  it('clips each sub-env action like the single-env wrapper', () => {
    const inner = recorders();
    const env = new ClipAction(new ToyVectorEnv(inner));
    env.reset({ seed: 0 });
    const batch = new Float32Array([-3, 9, 0.5, 2]);
    env.step(batch);
    const single = new SingleClipAction(new ActionRecorderEnv([-1, 0], [1, 4]));
    expect(Array.from(inner[0]!.received[0]!)).toEqual(Array.from(single.action(batch.slice(0, 2))));
    expect(Array.from(inner[1]!.received[0]!)).toEqual([0.5, 2]);
    expect(Array.from(inner[0]!.received[0]!)).toEqual([-1, 4]);
    expect(env.singleActionSpace.equals(new Box(-Infinity, Infinity, [2], 'float32'))).toBe(true);
    expect(env.actionSpace.shape).toEqual([2, 2]);
    expect(() => env.step(new Float32Array([0, 0, 0]))).toThrow(InvalidActionError);
    expect(() => new ClipAction(new ToyVectorEnv([new ScriptedEnv()]))).toThrow(InvalidArgumentError);
  });
});

describe('vector RescaleAction', () => {
  it('maps every sub-env action like the single-env wrapper (bounds and midpoints)', () => {
    const inner = recorders();
    const env = new RescaleAction(new ToyVectorEnv(inner), -1, 1);
    env.reset({ seed: 0 });
    env.step(new Float32Array([-1, 1, 0, 0]));
    expect(inner.map((e) => Array.from(e.received[0]!))).toEqual([[-1, 4], [0, 2]]);
    const single = new SingleRescaleAction(new ActionRecorderEnv([-1, 0], [1, 4]), -1, 1);
    const batch = new Float32Array([0.25, -0.5, 0.9, 0.1]);
    env.step(batch);
    expect(Array.from(inner[1]!.received[1]!)).toEqual(Array.from(single.action(batch.slice(2))));
    expect(env.singleActionSpace.equals(new Box(-1, 1, [2], 'float32'))).toBe(true);
    expect(env.actionSpace.equals(new Box(-1, 1, [2, 2], 'float32'))).toBe(true);
  });

  it('accepts per-component targets and validates them', () => {
    const inner = recorders();
    const env = new RescaleAction(new ToyVectorEnv(inner), [0, 0], [1, 2]);
    env.reset({ seed: 0 });
    env.step(new Float32Array([1, 1, 0, 2]));
    expect(inner.map((e) => Array.from(e.received[0]!))).toEqual([[1, 2], [-1, 4]]);
    expect(() => new RescaleAction(new ToyVectorEnv(recorders()), [0, 0, 0], 1)).toThrow(/3 values/);
    expect(() => new RescaleAction(new ToyVectorEnv(recorders()), 1, 0)).toThrow(/minAction must be < maxAction/);
  });
});

describe('vector TransformReward', () => {
  it('applies fn to the reward batch and checks its result', () => {
    const env = new TransformReward(new ToyVectorEnv([new ScriptedEnv({ rewards: [1] }), new ScriptedEnv({ rewards: [3] })]), (r) => r.map((v) => v * 10));
    env.reset({ seed: 0 });
    expect(Array.from(env.step(new Int32Array([0, 0]))[1])).toEqual([10, 30]);
    const bad = new TransformReward(new ToyVectorEnv([new ScriptedEnv()]), () => new Float64Array(3));
    bad.reset({ seed: 0 });
    expect(() => bad.step(new Int32Array([0]))).toThrow(InvalidArgumentError);
  });
});

describe('vector TransformAction', () => {
  it('applies fn to the action batch and derives the batched space from a single one', () => {
    const inner = recorders();
    const single = new Box(-10, 10, [2], 'float32');
    const env = new TransformAction(new ToyVectorEnv(inner), (a: Float32Array) => a.map((v) => v / 10), undefined, single);
    expect(env.actionSpace.equals(new Box(-10, 10, [2, 2], 'float32'))).toBe(true);
    env.reset({ seed: 0 });
    env.step(new Float32Array([10, 20, -5, 0]));
    expect(inner.map((e) => Array.from(e.received[0]!))).toEqual([[1, 2], [-0.5, 0]]);
    expect(() => new TransformAction(new ToyVectorEnv(recorders()), undefined as never)).toThrow(InvalidArgumentError);
  });
});
