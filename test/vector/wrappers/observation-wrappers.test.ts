import { describe, expect, it } from 'vitest';
import { Box, InvalidArgumentError } from '../../../src/core/index.js';
import { FlattenObservation } from '../../../src/envs/vector/wrappers/flatten-observation.js';
import { TransformObservation } from '../../../src/envs/vector/wrappers/transform-observation.js';
import { FlattenObservation as SingleFlattenObservation } from '../../../src/envs/wrappers/flatten-observation.js';
import { TimeLimit } from '../../../src/envs/wrappers/time-limit.js';
import { CountingDiscreteEnv, ScriptedEnv } from '../../wrappers/toy-envs.js';
import { ToyVectorEnv } from './toy-vector-env.js';

describe('vector FlattenObservation', () => {
  it('one-hot encodes Discrete observations per sub-env, like the single-env wrapper', () => {
    const env = new FlattenObservation(new ToyVectorEnv([new CountingDiscreteEnv(), new CountingDiscreteEnv()]));
    expect(env.singleObservationSpace.shape).toEqual([5]);
    expect(env.observationSpace.shape).toEqual([2, 5]);
    const [o0] = env.reset({ seed: 0 });
    expect(Array.from(o0)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    const single = new SingleFlattenObservation(new CountingDiscreteEnv());
    single.reset({ seed: 0 });
    for (let s = 0; s < 6; s++) {
      const [o] = env.step(new Int32Array([0, 0]));
      const [so] = single.step(0);
      expect(Array.from(o.subarray(0, 5))).toEqual(Array.from(so));
      expect(Array.from(o.subarray(5))).toEqual(Array.from(so));
    }
  });

  it('keeps Box batches (as float32) and flattens SAME_STEP final observations', () => {
    const make = () => new ScriptedEnv({ obsDim: 2, truncateAt: 2 });
    const raw = new ToyVectorEnv([make()], 'SAME_STEP');
    const env = new FlattenObservation(new ToyVectorEnv([make()], 'SAME_STEP'));
    expect(env.observationSpace.equals(new Box(-Infinity, Infinity, [1, 2], 'float32'))).toBe(true);
    expect(Array.from(env.reset({ seed: 2 })[0])).toEqual(Array.from(raw.reset({ seed: 2 })[0]));
    env.step(new Int32Array([0]));
    raw.step(new Int32Array([0]));
    const [obs, , , trunc, infos] = env.step(new Int32Array([0]));
    const [rawObs, , , , rawInfos] = raw.step(new Int32Array([0]));
    expect(trunc[0]).toBe(1);
    expect(obs).toBeInstanceOf(Float32Array);
    expect(Array.from(obs)).toEqual(Array.from(rawObs));
    const finals = infos.final_obs as unknown[];
    expect(finals[0]).toBeInstanceOf(Float32Array);
    expect(Array.from(finals[0] as Float32Array)).toEqual(Array.from((rawInfos.final_obs as Float32Array[])[0]!));
  });

  it('one-hot encodes the SAME_STEP final observation of a Discrete sub-env', () => {
    const env = new FlattenObservation(new ToyVectorEnv([new TimeLimit(new CountingDiscreteEnv(), 2)], 'SAME_STEP'));
    env.reset({ seed: 0 });
    env.step(new Int32Array([0])); // observation 3
    const [obs, , , trunc, infos] = env.step(new Int32Array([0])); // observation 4, truncated, reset to 2
    expect(trunc[0]).toBe(1);
    expect(Array.from(obs)).toEqual([1, 0, 0, 0, 0]);
    expect(Array.from((infos.final_obs as Float64Array[])[0]!)).toEqual([0, 0, 1, 0, 0]);
  });
});

describe('vector TransformObservation', () => {
  it('applies fn to whole batches on reset and step and derives the batched space from the single one', () => {
    const make = () => [new ScriptedEnv({ obsDim: 2 }), new ScriptedEnv({ obsDim: 2 })];
    const raw = new ToyVectorEnv(make());
    const single = new Box(-Infinity, Infinity, [1], 'float64');
    const sumPairs = (o: Float32Array) => new Float64Array([o[0]! + o[1]!, o[2]! + o[3]!]);
    const env = new TransformObservation(new ToyVectorEnv(make()), sumPairs, undefined, single);
    expect(env.singleObservationSpace).toBe(single);
    expect(env.observationSpace.equals(new Box(-Infinity, Infinity, [2, 1], 'float64'))).toBe(true);
    expect(Array.from(env.reset({ seed: 1 })[0])).toEqual(Array.from(sumPairs(raw.reset({ seed: 1 })[0])));
    expect(Array.from(env.step(new Int32Array([0, 0]))[0])).toEqual(Array.from(sumPairs(raw.step(new Int32Array([0, 0]))[0])));
    const same = new TransformObservation(new ToyVectorEnv(make()), (o: Float32Array) => o);
    expect(same.observationSpace.shape).toEqual([2, 2]);
    expect(() => new TransformObservation(new ToyVectorEnv(make()), 1 as never)).toThrow(InvalidArgumentError);
  });
});
