import { describe, expect, it } from 'vitest';
import { Box, Dict, InvalidArgumentError, MultiDiscrete, UnknownOptionError } from '../../src/core/index.js';
import { FlattenObservation } from '../../src/envs/wrappers/flatten-observation.js';
import { FrameStackObservation } from '../../src/envs/wrappers/frame-stack-observation.js';
import { TransformObservation } from '../../src/envs/wrappers/transform-observation.js';
import { TransformReward } from '../../src/envs/wrappers/transform-reward.js';
import { CountingDiscreteEnv, DictObsEnv, ScriptedEnv } from './toy-envs.js';

describe('FlattenObservation', () => {
  it('flattens Dict observations in sorted key order, with Discrete as a one-hot', () => {
    const env = new FlattenObservation(new DictObsEnv());
    // keys sorted: mode (Discrete(3) -> 3 one-hot entries), pos (Box [2])
    expect(env.observationSpace.shape).toEqual([5]);
    const [obs0] = env.reset({ seed: 0 });
    expect(Array.from(obs0)).toEqual([1, 0, 0, 0, 0]);
    env.step(0);
    const [obs2] = env.step(0);
    expect(Array.from(obs2)).toEqual([0, 0, 1, Math.fround(0.2), Math.fround(-0.2)].map((v) => expect.closeTo(v, 6)));
    expect(env.observationSpace.contains(obs2)).toBe(true);
  });

  it('flattens a Discrete observation with start to a one-hot of x - start', () => {
    const env = new FlattenObservation(new CountingDiscreteEnv());
    expect(Array.from(env.reset({ seed: 0 })[0])).toEqual([1, 0, 0, 0, 0]);
    expect(Array.from(env.step(0)[0])).toEqual([0, 1, 0, 0, 0]);
    expect((env.observationSpace as unknown as Box).high.every((v) => v === 1)).toBe(true);
  });
});

describe('TransformObservation', () => {
  it('applies fn on reset and step and uses the given space', () => {
    const space = new Box(-Infinity, Infinity, [1], 'float64');
    const env = new TransformObservation(new ScriptedEnv({ obsDim: 2 }), (o: Float32Array) => new Float64Array([o[0]! + o[1]!]), space);
    const ref = new ScriptedEnv({ obsDim: 2 });
    const [o] = env.reset({ seed: 4 });
    const [r] = ref.reset({ seed: 4 });
    expect(o[0]).toBe(r[0]! + r[1]!);
    const [o1] = env.step(0);
    const [r1] = ref.step(0);
    expect(o1[0]).toBe(r1[0]! + r1[1]!);
    expect(env.observationSpace).toBe(space);
    expect(new TransformObservation(new ScriptedEnv(), (x: Float32Array) => x).observationSpace.shape).toEqual([3]);
    expect(() => new TransformObservation(new ScriptedEnv(), null as never)).toThrow(InvalidArgumentError);
  });
});

describe('TransformReward', () => {
  it('applies fn to each reward', () => {
    const env = new TransformReward(new ScriptedEnv({ rewards: [1, -2] }), (r) => 2 * r + 1);
    env.reset({ seed: 0 });
    expect([env.step(0)[1], env.step(0)[1]]).toEqual([3, -3]);
    expect(() => new TransformReward(new ScriptedEnv(), 'x' as never)).toThrow(InvalidArgumentError);
  });
});

describe('FrameStackObservation', () => {
  it("pads with the reset observation by default and rolls oldest-first", () => {
    const ref = new ScriptedEnv({ obsDim: 2 });
    const seen = [Array.from(ref.reset({ seed: 5 })[0])];
    for (let i = 0; i < 4; i++) seen.push(Array.from(ref.step(0)[0]));
    const env = new FrameStackObservation(new ScriptedEnv({ obsDim: 2 }), 3);
    expect(env.observationSpace.shape).toEqual([3, 2]);
    const [o0] = env.reset({ seed: 5 });
    expect(o0).toBeInstanceOf(Float32Array);
    expect(Array.from(o0)).toEqual([...seen[0]!, ...seen[0]!, ...seen[0]!]);
    const [o1] = env.step(0);
    expect(Array.from(o1)).toEqual([...seen[0]!, ...seen[0]!, ...seen[1]!]);
    env.step(0);
    const [o3] = env.step(0);
    expect(Array.from(o3)).toEqual([...seen[1]!, ...seen[2]!, ...seen[3]!]);
    expect(Array.from(o1)).toEqual([...seen[0]!, ...seen[0]!, ...seen[1]!]); // returned arrays are copies
    const [again] = env.reset({ seed: 5 });
    expect(Array.from(again)).toEqual(Array.from(o0));
  });

  it("pads with the space's zero element ('zero') or a custom observation", () => {
    const zero = new FrameStackObservation(new ScriptedEnv({ obsDim: 2 }), 3, { paddingType: 'zero' });
    const [z] = zero.reset({ seed: 1 });
    expect(Array.from(z.slice(0, 4))).toEqual([0, 0, 0, 0]);
    const custom = new FrameStackObservation(new ScriptedEnv({ obsDim: 2 }), 2, { padding: new Float32Array([7, -7]) });
    const [c] = custom.reset({ seed: 1 });
    expect(Array.from(c.slice(0, 2))).toEqual([7, -7]);
    expect(Array.from(c.slice(2))).toEqual(Array.from(z.slice(4)));
  });

  it('stacks Discrete observations into a MultiDiscrete and clips the zero padding into Box bounds', () => {
    const env = new FrameStackObservation(new CountingDiscreteEnv(), 3, { paddingType: 'zero' });
    expect(env.observationSpace.equals(new MultiDiscrete([5, 5, 5], [2, 2, 2]))).toBe(true);
    expect(Array.from(env.reset({ seed: 0 })[0])).toEqual([2, 2, 2]); // zero of Discrete(5, start 2) is 2
    expect(Array.from(env.step(0)[0])).toEqual([2, 2, 3]);
    expect(Array.from(env.step(0)[0])).toEqual([2, 3, 4]);
    expect(env.observationSpace.contains(env.step(0)[0])).toBe(true);
  });

  it('stacks Dict observations entry by entry', () => {
    const env = new FrameStackObservation(new DictObsEnv(), 2);
    expect(env.observationSpace.equals(new Dict({ pos: new Box(-1, 1, [2, 2], 'float32'), mode: new MultiDiscrete([3, 3]) }))).toBe(true);
    env.reset({ seed: 0 });
    const [obs] = env.step(0);
    expect(Array.from(obs.mode)).toEqual([0, 1]);
    expect(Array.from(obs.pos)).toEqual([0, 0, Math.fround(0.1), Math.fround(-0.1)]);
    expect(env.observationSpace.contains(obs)).toBe(true);
  });

  it('validates stackSize and padding', () => {
    expect(() => new FrameStackObservation(new ScriptedEnv(), 0)).toThrow(InvalidArgumentError);
    expect(() => new FrameStackObservation(new ScriptedEnv(), 1.5)).toThrow(/stackSize/);
    expect(() => new FrameStackObservation(new ScriptedEnv(), 2, { paddingType: 'zeros' as never })).toThrow(/unknown padding 'zeros'/);
    expect(() => new FrameStackObservation(new ScriptedEnv({ obsDim: 2 }), 2, { paddingType: new Float32Array([1]) })).toThrow(InvalidArgumentError);
    expect(() => new FrameStackObservation(new ScriptedEnv(), 2, { pad: 'zero' } as never)).toThrow(UnknownOptionError);
  });
});
