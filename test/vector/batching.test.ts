/** batchSpace, batch storage (plain and shared), item read/write, infos merging, Dict/Tuple vector envs. */
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { Box } from '../../src/core/spaces/box.js';
import { Dict } from '../../src/core/spaces/dict.js';
import { Discrete } from '../../src/core/spaces/discrete.js';
import { MultiBinary } from '../../src/core/spaces/multi-binary.js';
import { MultiDiscrete } from '../../src/core/spaces/multi-discrete.js';
import { Tuple } from '../../src/core/spaces/tuple.js';
import { batchSpace, copyBatch, createBatch, iterateBatch, readBatchItem, writeBatchItem } from '../../src/envs/vector/batching.js';
import { addInfo, infoOfEnv } from '../../src/envs/vector/infos.js';
import type { VectorEnv } from '../../src/envs/vector/vector-env.js';
import { KINDS, buildVector } from './helpers.js';

let open: VectorEnv<any, any, any, any>[] = [];
afterEach(() => {
  for (const e of open) e.close();
  open = [];
});

describe('batchSpace', () => {
  it('batches each space type as Gymnasium does', () => {
    const box = batchSpace(new Box([-1, 0], [1, 5], undefined, 'float64'), 3) as Box;
    expect(box).toBeInstanceOf(Box);
    expect(box.shape).toEqual([3, 2]);
    expect(box.dtype).toBe('float64');
    expect(Array.from(box.low)).toEqual([-1, 0, -1, 0, -1, 0]);
    expect(Array.from(box.high)).toEqual([1, 5, 1, 5, 1, 5]);
    const md = batchSpace(new Discrete(4, 2), 3) as MultiDiscrete;
    expect(md).toBeInstanceOf(MultiDiscrete);
    expect(Array.from(md.nvec)).toEqual([4, 4, 4]);
    expect(Array.from(md.start)).toEqual([2, 2, 2]);
    const mdBox = batchSpace(new MultiDiscrete([2, 5], [0, 1]), 2) as Box;
    expect(mdBox.shape).toEqual([2, 2]);
    expect(mdBox.dtype).toBe('int32');
    expect(Array.from(mdBox.low)).toEqual([0, 1, 0, 1]);
    expect(Array.from(mdBox.high)).toEqual([1, 5, 1, 5]);
    const mb = batchSpace(new MultiBinary([2, 3]), 4) as Box;
    expect(mb.shape).toEqual([4, 2, 3]);
    expect(mb.dtype).toBe('int8');
    const dict = batchSpace(new Dict({ a: new Discrete(2), b: new Tuple([new Box(0, 1, [2])]) }), 5) as Dict;
    expect(dict.spaces.a!.equals(new MultiDiscrete([2, 2, 2, 2, 2]))).toBe(true);
    expect((dict.spaces.b as Tuple).spaces[0]!.shape).toEqual([5, 2]);
    expect(() => batchSpace(new Discrete(2), 0)).toThrow(InvalidArgumentError);
  });

  it('a batch built item by item is an element of the batched space and reads back', () => {
    const space = new Dict({ pos: new Box(-2, 2, [2], 'float32'), act: new Discrete(3, 1), bits: new MultiBinary(3), md: new MultiDiscrete([2, 3]) });
    space.seed(4);
    const n = 4;
    const batch = createBatch(space, n);
    const items = Array.from({ length: n }, () => space.sample());
    items.forEach((x, i) => writeBatchItem(space, batch, i, x));
    expect(batchSpace(space, n).explain(batch)).toBeNull();
    expect([...iterateBatch(space, batch, n)]).toEqual(items);
    const copy = copyBatch(space, batch);
    writeBatchItem(space, batch, 0, items[1]);
    expect(readBatchItem(space, copy, 0)).toEqual(items[0]);
  });

  it('shared batches live on SharedArrayBuffers and start as valid elements', () => {
    const space = new Tuple([new Box(1, 2, [3]), new Discrete(5, 10)]);
    const batch = createBatch(space, 2, { shared: true }) as [Float32Array, Int32Array];
    expect(batch[0].buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(batch[1].buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(batchSpace(space, 2).explain(batch)).toBeNull();
  });
});

describe('infos merging', () => {
  it('builds a dict of arrays with _key masks', () => {
    const infos = {};
    addInfo(infos, { score: 1.5, ok: true, name: 'a', nested: { depth: 3 } }, 0, 3);
    addInfo(infos, { score: 2, nested: { depth: 4, extra: [1] } }, 2, 3);
    expect(infos).toEqual({
      score: Float64Array.of(1.5, 0, 2),
      _score: [true, false, true],
      ok: Uint8Array.of(1, 0, 0),
      _ok: [true, false, false],
      name: ['a', null, null],
      _name: [true, false, false],
      nested: { depth: Float64Array.of(3, 0, 4), _depth: [true, false, true], extra: [null, null, [1]], _extra: [false, false, true] },
      _nested: [true, false, true],
    });
    expect(infoOfEnv(infos, 2)).toEqual({ score: 2, nested: { depth: 4, extra: [1] } });
    expect(infoOfEnv(infos, 1)).toEqual({});
  });

  it('widens a typed column when a later env reports another type', () => {
    const infos: Record<string, unknown> = {};
    addInfo(infos, { v: 3 }, 0, 2);
    addInfo(infos, { v: 'three' }, 1, 2);
    expect(infos.v).toEqual([3, 'three']);
  });
});

describe.each(KINDS)('%s vector env with Dict observations and Tuple actions', (kind) => {
  it('batches every Dict entry and steps with a Tuple action batch', () => {
    const envs = buildVector(kind, [{ id: 'CountdownDict-v0' }, { id: 'CountdownDict-v0' }, { id: 'CountdownDict-v0' }]);
    open.push(envs);
    expect(envs.observationSpace.equals(batchSpace(envs.singleObservationSpace, 3))).toBe(true);
    const [obs] = envs.reset({ seed: 2 });
    expect(envs.observationSpace.explain(obs)).toBeNull();
    expect(Array.from(obs.counters as Int32Array)).toEqual([1, 0, 1, 0, 1, 0]);
    const actions = [Int32Array.of(0, 1, 1), Float32Array.of(0, 0.5, -0.5)];
    expect(envs.actionSpace.explain(actions)).toBeNull();
    const [obs2, rewards] = envs.step(actions);
    expect(Array.from(obs2.counters as Int32Array)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(obs2.phase as Int32Array)).toEqual([1, 1, 1]);
    expect(Array.from(rewards)).toEqual([10, 11, 11]);
    expect(() => envs.step([Int32Array.of(0, 1, 1), Float32Array.of(0, 2, 0)])).toThrow(/sub-environment 1.*entry 1/);
  });
});
