/** Box: construction rules, Gymnasium's sampling rules per bound type, contains edge cases, JSON. */
import { describe, expect, it } from 'vitest';
import { Box, InvalidArgumentError, InvalidSeedError, InvalidSpaceError, spaceFromJSON, type TypedArray } from '../../src/core/index.js';

function samples(box: Box, n: number): TypedArray[] {
  return Array.from({ length: n }, () => box.sample());
}

function column(xs: TypedArray[], i: number): number[] {
  return xs.map((x) => x[i]!);
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe('Box construction', () => {
  it('broadcasts scalar bounds over the shape and infers the shape from arrays', () => {
    const b = new Box(-1, 2, [2, 3]);
    expect(b.shape).toEqual([2, 3]);
    expect(b.size).toBe(6);
    expect(b.low).toBeInstanceOf(Float32Array);
    expect([...b.high]).toEqual([2, 2, 2, 2, 2, 2]);
    expect(new Box([0, 1], [2, 3]).shape).toEqual([2]);
    expect(new Box(0, [1, 2, 3]).shape).toEqual([3]);
    expect(new Box(0, 1).shape).toEqual([1]); // scalars without a shape: one dimension, like Gymnasium
  });

  it('rejects inconsistent parameters with InvalidSpaceError', () => {
    const bad: Array<() => unknown> = [
      () => new Box(1, 0, [2]),
      () => new Box([0, 2], [1, 1]),
      () => new Box(Number.NaN, 1, [1]),
      () => new Box(0, Number.NaN, [1]),
      () => new Box([0, 0], [1, 1, 1]),
      () => new Box([0, 0], 1, [3]),
      () => new Box(0, 1, [-1]),
      () => new Box(0, 1, [1.5]),
      () => new Box(0, 1, [2], 'float16' as never),
      () => new Box(0, 1, [2], 'toString' as never),
      () => new Box(Infinity, Infinity, [1]),
      () => new Box(-Infinity, -Infinity, [1]),
      () => new Box(0.5, 3, [1], 'int32'),
      () => new Box(-1, 300, [1], 'uint8'),
      () => new Box(-Infinity, 3, [1], 'uint8'), // unsigned dtypes cannot be unbounded
      () => new Box(0, Infinity, [1], 'uint16'),
      () => new Box(0, 1e39, [1], 'float32'),
      () => new Box(null as never, 1, [1]),
      () => new Box(['a', 'b'] as never, 1),
    ];
    for (const make of bad) expect(make).toThrow(InvalidSpaceError);
  });

  it('rejects invalid seeds with InvalidSeedError', () => {
    expect(() => new Box(0, 1, [2], 'float32', -1)).toThrow(InvalidSeedError);
    expect(() => new Box(0, 1, [2]).seed(0.5)).toThrow(InvalidSeedError);
  });
});

describe('Box.isBounded', () => {
  it('reports boundedness per side', () => {
    const both = new Box(-1, 1, [2]);
    expect([both.isBounded(), both.isBounded('below'), both.isBounded('above')]).toEqual([true, true, true]);
    const below = new Box(0, Infinity, [2]);
    expect([below.isBounded(), below.isBounded('below'), below.isBounded('above')]).toEqual([false, true, false]);
    const above = new Box(-Infinity, 0, [2]);
    expect([above.isBounded(), above.isBounded('below'), above.isBounded('above')]).toEqual([false, false, true]);
    const mixed = new Box([0, -Infinity], [1, 1]);
    expect([mixed.isBounded(), mixed.isBounded('below'), mixed.isBounded('above')]).toEqual([false, false, true]);
  });

  it('treats infinite bounds of integer boxes as unbounded even though low/high hold the dtype range', () => {
    const b = new Box(-Infinity, Infinity, [1], 'int8');
    expect([b.low[0], b.high[0]]).toEqual([-128, 127]);
    expect(b.isBounded('below')).toBe(false);
    expect(b.isBounded('above')).toBe(false);
    expect(new Box(-128, 127, [1], 'int8').isBounded()).toBe(true);
  });

  it('rejects an unknown manner', () => {
    expect(() => new Box(0, 1, [1]).isBounded('left' as never)).toThrow(InvalidArgumentError);
  });
});

describe('Box.sample', () => {
  it('is deterministic for a seed and returns the dtype', () => {
    const a = new Box(-1, 1, [3], 'float64', 5);
    const b = new Box(-1, 1, [3], 'float64', 5);
    expect(samples(a, 5)).toEqual(samples(b, 5));
    expect(a.sample()).toBeInstanceOf(Float64Array);
    a.seed(5);
    b.seed(5);
    expect(a.sample()).toEqual(b.sample());
  });

  it('samples bounded float dimensions uniformly', () => {
    const box = new Box([-2, 10], [2, 11], undefined, 'float32', 1);
    const xs = samples(box, 4000);
    expect(xs.every((x) => box.contains(x))).toBe(true);
    // Uniform on [-2, 2]: mean 0, sd 4/sqrt(12); five standard errors.
    expect(Math.abs(mean(column(xs, 0)))).toBeLessThan((5 * 4) / Math.sqrt(12 * 4000));
    expect(Math.abs(mean(column(xs, 1)) - 10.5)).toBeLessThan(5 / Math.sqrt(12 * 4000));
  });

  it('uses N(0,1) when unbounded and shifted exponentials when bounded on one side', () => {
    const box = new Box([-Infinity, 3, -Infinity], [Infinity, Infinity, -1], undefined, 'float64', 2);
    const n = 8000;
    const xs = samples(box, n);
    const unbounded = column(xs, 0);
    const below = column(xs, 1);
    const above = column(xs, 2);
    expect(unbounded.some((v) => v < 0)).toBe(true);
    expect(Math.abs(mean(unbounded))).toBeLessThan(5 / Math.sqrt(n));
    expect(below.every((v) => v >= 3)).toBe(true);
    expect(Math.abs(mean(below) - 4)).toBeLessThan(5 / Math.sqrt(n)); // 3 + Exp(1)
    expect(above.every((v) => v <= -1)).toBe(true);
    expect(Math.abs(mean(above) + 2)).toBeLessThan(5 / Math.sqrt(n)); // -1 - Exp(1)
  });

  it('reaches every integer of a bounded integer box, high included, uniformly', () => {
    const box = new Box(-2, 2, [1], 'int32', 3);
    const n = 10000;
    const counts = new Map<number, number>();
    for (const x of samples(box, n)) counts.set(x[0]!, (counts.get(x[0]!) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
    for (const c of counts.values()) expect(Math.abs(c / n - 0.2)).toBeLessThan(5 * Math.sqrt(0.16 / n));
  });

  it('samples one-sided integer boxes as floor(bound ± Exp(1)) with high + 1 for the upper side', () => {
    // Gymnasium: upper-bounded integer dims draw floor(high + 1 - Exp(1)), so P(x = high) = 1 - e^-1.
    const box = new Box([0, -Infinity], [Infinity, 5], undefined, 'int16', 4);
    const n = 10000;
    const xs = samples(box, n);
    const low = column(xs, 0);
    const high = column(xs, 1);
    expect(low.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    expect(high.every((v) => Number.isInteger(v) && v <= 5)).toBe(true);
    const p = 1 - Math.exp(-1);
    const se = Math.sqrt((p * (1 - p)) / n);
    expect(Math.abs(low.filter((v) => v === 0).length / n - p)).toBeLessThan(5 * se);
    expect(Math.abs(high.filter((v) => v === 5).length / n - p)).toBeLessThan(5 * se);
  });

  it('samples unbounded integer boxes as floor(N(0,1)), not uniformly over the dtype range', () => {
    const box = new Box(-Infinity, Infinity, [200], 'int32', 6);
    const x = box.sample();
    expect([...x].every((v) => Math.abs(v) < 10)).toBe(true);
    expect(box.contains(x)).toBe(true);
  });

  it('keeps samples of a full-range int8 box within the dtype range', () => {
    const box = new Box(-128, 127, [500], 'int8', 7);
    const x = box.sample();
    expect(x).toBeInstanceOf(Int8Array);
    expect(box.contains(x)).toBe(true);
  });

  it('rejects masks and probabilities', () => {
    const box = new Box(0, 1, [2]);
    expect(() => box.sample({ mask: [1, 1] } as never)).toThrow(InvalidArgumentError);
    expect(() => box.sample({ probability: [1, 0] } as never)).toThrow(InvalidArgumentError);
  });
});

describe('Box.contains', () => {
  const box = new Box([-1, 0], [1, 2]);

  it('accepts typed arrays, number arrays and boundary values', () => {
    expect(box.contains(new Float32Array([-1, 2]))).toBe(true);
    expect(box.contains(new Float64Array([0.5, 1]))).toBe(true);
    expect(box.contains([1, 0])).toBe(true);
  });

  it('rejects NaN, out-of-range values, ±Infinity in bounded dims, wrong shapes and wrong types', () => {
    const bad: unknown[] = [
      [Number.NaN, 0],
      [1.5, 0],
      [0, -0.001],
      [Infinity, 0],
      [0, -Infinity],
      [0],
      [0, 0, 0],
      new Float32Array(3),
      'ab',
      null,
      undefined,
      { 0: 0, 1: 0, length: 2 },
      [[0, 0]],
      ['0', '0'],
      [true, false],
      0.5, // a bare number only for one-element boxes
    ];
    for (const x of bad) {
      expect(box.contains(x)).toBe(false);
      expect(typeof box.explain(x)).toBe('string');
    }
  });

  it('accepts ±Infinity where the bound is infinite, as Gymnasium', () => {
    const open = new Box(-Infinity, Infinity, [2]);
    expect(open.contains([Infinity, -Infinity])).toBe(true);
    expect(open.contains([Number.NaN, 0])).toBe(false);
  });

  it('accepts a bare number for a one-element box', () => {
    const one = new Box(0, 1, [1]);
    expect(one.contains(0.25)).toBe(true);
    expect(one.contains(2)).toBe(false);
  });

  it('requires integers for integer dtypes', () => {
    const ints = new Box(0, 10, [2], 'int32');
    expect(ints.contains(new Int32Array([0, 10]))).toBe(true);
    expect(ints.contains([1, 2])).toBe(true);
    expect(ints.contains([1.5, 2])).toBe(false);
    expect(ints.contains([Infinity, 2])).toBe(false);
    expect(ints.explain([1.5, 2])).toContain('integer');
  });

  it('compares float32 boxes after rounding to float32, as numpy casts', () => {
    const unit = new Box(0, 1, [1], 'float32');
    expect(unit.contains([1 + 1e-9])).toBe(true); // rounds to 1 in float32
    expect(unit.contains([1 + 1e-6])).toBe(false);
    expect(unit.contains(new Float64Array([1 + 1e-9]))).toBe(true);
  });

  it('explains the first problem', () => {
    expect(box.explain([0, 5])).toContain('element 1');
    expect(box.explain([0])).toContain('expected 2 elements');
    expect(box.explain([Number.NaN, 0])).toContain('NaN');
  });
});

describe('Box equality, copies and JSON', () => {
  it('equals compares dtype, shape and bounds', () => {
    expect(new Box(0, 1, [2]).equals(new Box([0, 0], [1, 1]))).toBe(true);
    expect(new Box(0, 1, [2]).equals(new Box(0, 1, [2], 'float64'))).toBe(false);
    expect(new Box(0, 1, [2]).equals(new Box(0, 1, [1, 2]))).toBe(false);
    expect(new Box(0, 1, [2]).equals(new Box(0, 2, [2]))).toBe(false);
  });

  it('copyElement returns an independent copy of the same type', () => {
    const box = new Box(0, 1, [2], 'float64', 0);
    const x = box.sample();
    const y = box.copyElement(x);
    expect(y).toBeInstanceOf(Float64Array);
    expect(y).toEqual(x);
    y[0] = 5;
    expect(x[0]).not.toBe(5);
  });

  it.each([
    ['float32 bounded', new Box([-1, -2], [1, 2])],
    ['float64 infinite', new Box([-Infinity, 0], [Infinity, Infinity], undefined, 'float64')],
    ['int32 with infinite bounds', new Box([-Infinity, -3], [5, Infinity], undefined, 'int32')],
    ['uint8 image', new Box(0, 255, [2, 2, 3], 'uint8')],
  ])('toJSON/spaceFromJSON round-trips a %s box through JSON text', (_, box) => {
    const rebuilt = spaceFromJSON(JSON.parse(JSON.stringify(box.toJSON())));
    expect(rebuilt).toBeInstanceOf(Box);
    expect(rebuilt.equals(box)).toBe(true);
    for (const manner of ['both', 'below', 'above'] as const) {
      expect((rebuilt as Box).isBounded(manner)).toBe(box.isBounded(manner));
    }
    rebuilt.seed(1);
    box.seed(1);
    expect(rebuilt.sample()).toEqual(box.sample());
  });

  it('prints like Gymnasium', () => {
    expect(new Box(-1, 1, [3]).toString()).toBe('Box(-1, 1, (3,), float32)');
  });
});
