/** flatten / unflatten / flattenSpace / flatDType: Gymnasium's layout, dtypes and round trips. */
import { describe, expect, it } from 'vitest';
import {
  Box,
  Dict,
  Discrete,
  InvalidArgumentError,
  InvalidSpaceError,
  MultiBinary,
  MultiDiscrete,
  Tuple,
  flatDType,
  flatdim,
  flatten,
  flattenSpace,
  unflatten,
  type Space,
} from '../../src/core/index.js';

describe('flatten layout (Gymnasium)', () => {
  it('one-hot encodes Discrete relative to start', () => {
    const space = new Discrete(4, 10);
    expect(flatdim(space)).toBe(4);
    expect([...flatten(space, 12)]).toEqual([0, 0, 1, 0]);
    expect(unflatten(space, [0, 0, 0, 1])).toBe(13);
  });

  it('concatenates one one-hot per MultiDiscrete variable', () => {
    const space = new MultiDiscrete([2, 3], [0, -1]);
    expect(flatdim(space)).toBe(5);
    expect([...flatten(space, new Int32Array([1, 0]))]).toEqual([0, 1, 0, 1, 0]);
    expect(unflatten(space, [1, 0, 0, 0, 1])).toEqual(new Int32Array([0, 1]));
  });

  it('copies Box and MultiBinary elements row-major', () => {
    const box = new Box(0, 9, [2, 2]);
    expect([...flatten(box, new Float32Array([1, 2, 3, 4]))]).toEqual([1, 2, 3, 4]);
    const mb = new MultiBinary([2, 2]);
    expect([...flatten(mb, new Int8Array([1, 0, 0, 1]))]).toEqual([1, 0, 0, 1]);
  });

  it('concatenates Dict entries in sorted key order and Tuple entries in order', () => {
    const dict = new Dict({ z: new Discrete(2), a: new Box(0, 5, [2]) });
    expect([...flatten(dict, { z: 1, a: new Float32Array([3, 4]) })]).toEqual([3, 4, 0, 1]);
    const tuple = new Tuple([new Discrete(3), new MultiBinary(2)]);
    expect([...flatten(tuple, [2, new Int8Array([1, 1])])]).toEqual([0, 0, 1, 1, 1]);
  });

  it('refuses to flatten values outside the space instead of corrupting a neighbouring segment', () => {
    const tuple = new Tuple([new Discrete(2), new Discrete(2)]);
    expect(() => flatten(tuple, [2, 0])).toThrow(InvalidArgumentError);
    expect(() => flatten(new MultiDiscrete([2, 2]), new Int32Array([0, 5]))).toThrow(InvalidArgumentError);
    expect(() => flatten(new Discrete(3), 1.5)).toThrow(InvalidArgumentError);
  });

  it('rejects flat vectors that are not valid encodings', () => {
    expect(() => unflatten(new Discrete(3), [0, 0, 0])).toThrow(InvalidArgumentError);
    expect(() => unflatten(new MultiDiscrete([2, 2]), [1, 0, 0, 0])).toThrow(InvalidArgumentError);
    expect(() => unflatten(new MultiDiscrete([2, 2]), [1, 1, 0, 1])).toThrow(InvalidArgumentError);
    expect(() => unflatten(new Discrete(3), [0, 1])).toThrow(InvalidSpaceError);
    expect(() => flatten(new Discrete(3), 1, new Float64Array(2))).toThrow(InvalidSpaceError);
  });
});

describe('flatten/unflatten round trips', () => {
  const spaces: Array<[string, Space<any>]> = [
    ['Box', new Box(-1, 1, [2, 3])],
    ['int Box', new Box(-5, 5, [4], 'int16')],
    ['Discrete', new Discrete(5, -2)],
    ['MultiDiscrete', new MultiDiscrete([3, 1, 4], [1, 0, -2])],
    ['MultiBinary', new MultiBinary([2, 3])],
    [
      'nested Dict',
      new Dict({
        b: new Tuple([new Discrete(3), new Box(0, 1, [2], 'float64')]),
        a: new Dict({ y: new MultiBinary(3), x: new MultiDiscrete([2, 2]) }),
      }),
    ],
  ];

  it.each(spaces)('%s: unflatten(flatten(x)) equals x and the flat vector lies in flattenSpace', (_, space) => {
    space.seed(0);
    const flatSpace = flattenSpace(space);
    expect(flatSpace.size).toBe(flatdim(space));
    for (let i = 0; i < 30; i++) {
      const x = space.sample();
      const flat = flatten(space, x);
      expect(flat.length).toBe(flatdim(space));
      expect(flatSpace.contains(flat)).toBe(true);
      const back = unflatten(space, flat);
      expect(space.contains(back)).toBe(true);
      expect(back).toEqual(x);
    }
  });
});

describe('flattened dtype (numpy promotion, int64 mapped to float64)', () => {
  it.each<[string, Space<any>, string]>([
    ['float32 Box', new Box(0, 1, [2]), 'float32'],
    ['float64 Box', new Box(0, 1, [2], 'float64'), 'float64'],
    ['uint8 Box', new Box(0, 255, [2], 'uint8'), 'uint8'],
    ['MultiBinary', new MultiBinary(3), 'int8'],
    ['Discrete (int64 one-hot)', new Discrete(3), 'float64'],
    ['float32 Box + MultiBinary', new Dict({ a: new Box(0, 1, [2]), b: new MultiBinary(2) }), 'float32'],
    ['float32 Box + uint8 Box', new Tuple([new Box(0, 1, [2]), new Box(0, 1, [2], 'uint8')]), 'float32'],
    ['float32 Box + int32 Box', new Tuple([new Box(0, 1, [2]), new Box(0, 1, [2], 'int32')]), 'float64'],
    ['float32 Box + Discrete', new Tuple([new Box(0, 1, [2]), new Discrete(2)]), 'float64'],
    ['int8 + uint8', new Tuple([new MultiBinary(2), new Box(0, 1, [2], 'uint8')]), 'int16'],
    ['uint8 + uint16', new Tuple([new Box(0, 1, [1], 'uint16'), new Box(0, 1, [2], 'uint8')]), 'uint16'],
  ])('%s flattens to %s', (_, space, dtype) => {
    expect(flatDType(space)).toBe(dtype);
    expect(flattenSpace(space).dtype).toBe(dtype);
    space.seed(1);
    const flat = flatten(space, space.sample());
    expect(flat.constructor.name.toLowerCase()).toBe(`${dtype}array`);
  });

  it('keeps bounds, including infinite and integer-unbounded sides, in flattenSpace', () => {
    const space = new Dict({
      a: new Box([-Infinity, 0], [Infinity, 2], undefined, 'float64'),
      b: new Discrete(2),
      c: new Box(-Infinity, 3, [1], 'int32'),
    });
    const flat = flattenSpace(space);
    expect([...flat.low]).toEqual([-Infinity, 0, 0, 0, -Infinity]);
    expect([...flat.high]).toEqual([Infinity, 2, 1, 1, 3]);
    const intBox = new Box(-Infinity, 3, [2], 'int32');
    expect(flattenSpace(intBox).equals(intBox)).toBe(true);
    expect(flattenSpace(new Box(0, 1, [2, 2])).shape).toEqual([4]);
  });
});
