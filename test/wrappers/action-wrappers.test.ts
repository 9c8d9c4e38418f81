import { describe, expect, it } from 'vitest';
import { Box, InvalidActionError, InvalidArgumentError } from '../../src/core/index.js';
import { ClipAction } from '../../src/envs/wrappers/clip-action.js';
import { RescaleAction } from '../../src/envs/wrappers/rescale-action.js';
import { TransformAction } from '../../src/envs/wrappers/transform-action.js';
import { ActionRecorderEnv, ScriptedEnv } from './toy-envs.js';

describe('ClipAction', () => {
  it('clips each component into the env bounds and passes in-range actions unchanged', () => {
    const inner = new ActionRecorderEnv([-1, 0], [1, 2]);
    const env = new ClipAction(inner);
    env.reset({ seed: 0 });
    env.step(new Float32Array([-5, 7]));
    env.step(new Float32Array([0.25, 1.5]));
    env.step(new Float32Array([1, 0]));
    expect(inner.received.map((a) => Array.from(a))).toEqual([[-1, 2], [0.25, 1.5], [1, 0]]);
    expect(inner.received[0]).toBeInstanceOf(Float32Array);
    expect(env.actionSpace.equals(new Box(-Infinity, Infinity, [2], 'float32'))).toBe(true);
  });

  it('rejects wrong shapes, NaN and non-Box action spaces', () => {
    const env = new ClipAction(new ActionRecorderEnv(-1, 1, [2]));
    env.reset({ seed: 0 });
    expect(() => env.step(new Float32Array([0, 0, 0]))).toThrow(InvalidActionError);
    expect(() => env.step(new Float32Array([NaN, 0]))).toThrow(/NaN/);
    expect(() => new ClipAction(new ScriptedEnv() as never)).toThrow(InvalidArgumentError);
  });
});

describe('RescaleAction', () => {
  it('maps [minAction, maxAction] affinely onto [low, high] (bounds and midpoints)', () => {
    const inner = new ActionRecorderEnv([-2, 0], [2, 10], undefined, 'float64');
    const env = new RescaleAction(inner, -1, 1);
    env.reset({ seed: 0 });
    for (const a of [[-1, -1], [1, 1], [0, 0], [0.5, -0.5]]) env.step(new Float64Array(a));
    expect(inner.received.map((a) => Array.from(a))).toEqual([[-2, 0], [2, 10], [0, 5], [1, 2.5]]);
    expect(env.actionSpace.equals(new Box(-1, 1, [2], 'float64'))).toBe(true);
  });

  it('accepts per-component targets and keeps in-range float32 actions inside the env bounds', () => {
    const inner = new ActionRecorderEnv([0.1, -3], [0.7, 3]);
    const env = new RescaleAction(inner, [0, 10], [1, 20]);
    env.reset({ seed: 0 });
    env.step(new Float32Array([1, 10]));
    env.step(new Float32Array([0.3, 15]));
    const [top, mid] = inner.received;
    expect(top![0]).toBe((inner.actionSpace as Box).high[0]);
    expect(top![1]).toBe(-3);
    expect(mid![0]).toBeCloseTo(0.1 + 0.3 * 0.6, 6);
    expect(mid![1]).toBeCloseTo(0, 6);
  });

  it('shifts unbounded components when the infinities match', () => {
    const inner = new ActionRecorderEnv([-Infinity, 0], [Infinity, 4], undefined, 'float64');
    const env = new RescaleAction(inner, [-Infinity, -1], [Infinity, 1]);
    env.reset({ seed: 0 });
    env.step(new Float64Array([123, 0]));
    expect(Array.from(inner.received[0]!)).toEqual([123, 2]);
    expect(() => new RescaleAction(inner, [-1, -1], [1, 1])).toThrow(/infinite bounds/);
  });

  it('validates its arguments', () => {
    const make = () => new ActionRecorderEnv(-1, 1, [2]);
    expect(() => new RescaleAction(make(), 1, 1)).toThrow(/minAction must be < maxAction/);
    expect(() => new RescaleAction(make(), 2, 1)).toThrow(InvalidArgumentError);
    expect(() => new RescaleAction(make(), [0, 0, 0], 1)).toThrow(/3 values/);
    expect(() => new RescaleAction(make(), NaN, 1)).toThrow(InvalidArgumentError);
    expect(() => new RescaleAction(new ScriptedEnv() as never, 0, 1)).toThrow(/requires a Box action space/);
    const env = new RescaleAction(make(), 0, 1);
    env.reset({ seed: 0 });
    expect(() => env.step(new Float32Array([0.5]))).toThrow(InvalidActionError);
  });

  it('composes with ClipAction outside it (clip to the rescaled range, then map)', () => {
    const inner = new ActionRecorderEnv(-2, 2, [1], 'float64');
    const env = new ClipAction(new RescaleAction(inner, 0, 1));
    env.reset({ seed: 0 });
    env.step(new Float32Array([3]));
    env.step(new Float32Array([-3]));
    expect(inner.received.map((a) => a[0])).toEqual([2, -2]);
  });
});

describe('TransformAction', () => {
  it('applies fn before the env sees the action and can declare a new action space', () => {
    const inner = new ActionRecorderEnv(-1, 1, [1], 'float64');
    const space = new Box(-10, 10, [1], 'float64') as never;
    const env = new TransformAction(inner, (a: Float64Array) => a.map((v) => v / 10), space);
    env.reset({ seed: 0 });
    env.step(new Float64Array([5]));
    expect(inner.received[0]![0]).toBe(0.5);
    expect(env.actionSpace).toBe(space);
    expect(() => new TransformAction(inner, 3 as never)).toThrow(InvalidArgumentError);
  });
});
