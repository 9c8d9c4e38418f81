/** Discrete, MultiDiscrete and MultiBinary: sampling (plain, mask, probability), contains, JSON. */
import { describe, expect, it } from 'vitest';
import {
  Discrete,
  InvalidArgumentError,
  InvalidSpaceError,
  MultiBinary,
  MultiDiscrete,
  UnknownOptionError,
  spaceFromJSON,
} from '../../src/core/index.js';

function frequencies(draw: () => number, values: number[], n: number): number[] {
  const counts = new Map(values.map((v) => [v, 0]));
  for (let i = 0; i < n; i++) {
    const v = draw();
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  expect([...counts.keys()].sort((a, b) => a - b)).toEqual([...values].sort((a, b) => a - b));
  return values.map((v) => counts.get(v)! / n);
}

/** Five binomial standard errors around p. */
function within(freq: number, p: number, n: number): boolean {
  return Math.abs(freq - p) <= 5 * Math.sqrt((p * (1 - p)) / n) + 1e-12;
}

describe('Discrete', () => {
  it('validates n and start', () => {
    for (const make of [() => new Discrete(0), () => new Discrete(-1), () => new Discrete(2.5), () => new Discrete(3, 0.5), () => new Discrete(Number.NaN)]) {
      expect(make).toThrow(InvalidSpaceError);
    }
  });

  it('samples uniformly over {start, ..., start + n - 1}, deterministically for a seed', () => {
    const space = new Discrete(4, -2, 1);
    const n = 8000;
    const f = frequencies(() => space.sample(), [-2, -1, 0, 1], n);
    for (const p of f) expect(within(p, 0.25, n)).toBe(true);
    const a = new Discrete(10, 0, 3);
    const b = new Discrete(10, 0, 3);
    expect(Array.from({ length: 20 }, () => a.sample())).toEqual(Array.from({ length: 20 }, () => b.sample()));
  });

  it('samples uniformly among the allowed actions with { mask } (or a bare mask)', () => {
    const space = new Discrete(5, 10, 2);
    const n = 6000;
    const f = frequencies(() => space.sample({ mask: new Int8Array([0, 1, 0, 1, 1]) }), [11, 13, 14], n);
    for (const p of f) expect(within(p, 1 / 3, n)).toBe(true);
    for (let i = 0; i < 200; i++) expect([12]).toContain(space.sample([0, 0, 1, 0, 0]));
  });

  it('returns start when the mask allows nothing (Gymnasium)', () => {
    expect(new Discrete(3, 7, 0).sample({ mask: [0, 0, 0] })).toBe(7);
  });

  it('follows { probability }', () => {
    const space = new Discrete(3, 0, 4);
    const n = 10000;
    const p = [0.2, 0, 0.8];
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[space.sample({ probability: p })]!++;
    expect(counts[1]).toBe(0);
    expect(within(counts[0]! / n, 0.2, n)).toBe(true);
    expect(within(counts[2]! / n, 0.8, n)).toBe(true);
    expect(new Discrete(3, 5, 0).sample({ probability: new Float64Array([0, 0, 1]) })).toBe(7);
  });

  it('rejects malformed masks and probabilities', () => {
    const space = new Discrete(3);
    const bad: unknown[] = [
      { mask: [1, 1] },
      { mask: [1, 2, 0] },
      { mask: [1, 0.5, 0] },
      { mask: 'abc' },
      { probability: [0.5, 0.5] },
      { probability: [0.5, 0.6, 0] },
      { probability: [-0.1, 0.6, 0.5] },
      { probability: [Number.NaN, 0.5, 0.5] },
      { mask: [1, 1, 1], probability: [1, 0, 0] },
      3,
    ];
    for (const options of bad) expect(() => space.sample(options as never)).toThrow(InvalidArgumentError);
    expect(() => space.sample({ mask: [1, 1, 1], weights: [1] } as never)).toThrow(UnknownOptionError);
  });

  it('contains only integers in range (not NaN, Infinity, strings, booleans)', () => {
    const space = new Discrete(3, 1);
    expect([1, 2, 3].every((v) => space.contains(v))).toBe(true);
    expect(space.contains(new Int32Array([2]))).toBe(true);
    for (const x of [0, 4, 1.5, Number.NaN, Infinity, -Infinity, '1', true, null, undefined, [1], new Int32Array([1, 2])]) {
      expect(space.contains(x)).toBe(false);
    }
  });

  it('round-trips through JSON', () => {
    const space = new Discrete(7, -3);
    expect(spaceFromJSON(JSON.parse(JSON.stringify(space.toJSON()))).equals(space)).toBe(true);
    expect(space.equals(new Discrete(7))).toBe(false);
    expect(space.toString()).toBe('Discrete(7, start=-3)');
  });
});

describe('MultiDiscrete', () => {
  it('validates nvec and start', () => {
    for (const make of [
      () => new MultiDiscrete([]),
      () => new MultiDiscrete([2, 0]),
      () => new MultiDiscrete([2, 1.5]),
      () => new MultiDiscrete([2, 3], [0]),
      () => new MultiDiscrete([2, 3], [0, 0.5]),
      () => new MultiDiscrete([2], [2 ** 31 - 1]), // the largest element would not fit in int32
    ]) {
      expect(make).toThrow(InvalidSpaceError);
    }
  });

  it('samples each variable uniformly in its range, as Int32Array', () => {
    const space = new MultiDiscrete([2, 5], [1, -2], 0);
    const x = space.sample();
    expect(x).toBeInstanceOf(Int32Array);
    const n = 5000;
    const f = frequencies(() => space.sample()[1]!, [-2, -1, 0, 1, 2], n);
    for (const p of f) expect(within(p, 0.2, n)).toBe(true);
    for (let i = 0; i < 100; i++) expect(space.contains(space.sample())).toBe(true);
  });

  it('applies per-variable masks and probabilities, null meaning unrestricted', () => {
    const space = new MultiDiscrete([3, 4], [0, 10], 1);
    for (let i = 0; i < 100; i++) {
      const x = space.sample({ mask: [[0, 0, 1], null] });
      expect(x[0]).toBe(2);
      expect(x[1]! >= 10 && x[1]! < 14).toBe(true);
      expect(space.sample([[0, 0, 0], [0, 1, 0, 0]])).toEqual(new Int32Array([0, 11])); // no allowed value: start
      expect(space.sample({ probability: [[0, 1, 0], [0, 0, 0, 1]] })).toEqual(new Int32Array([1, 13]));
    }
    expect(() => space.sample({ mask: [[1, 1, 1]] })).toThrow(InvalidArgumentError);
    expect(() => space.sample({ mask: [[1, 1], [1, 1, 1, 1]] })).toThrow(InvalidArgumentError);
    expect(() => space.sample({ probability: [[0.5, 0.5, 0.5], null] })).toThrow(InvalidArgumentError);
  });

  it('contains checks length, integrality and ranges', () => {
    const space = new MultiDiscrete([2, 3], [0, -1]);
    expect(space.contains([1, 1])).toBe(true);
    expect(space.contains(new Int32Array([0, -1]))).toBe(true);
    for (const x of [[2, 0], [0, -2], [0, 2], [0], [0, 0, 0], [0.5, 0], [Number.NaN, 0], ['0', 0], 0, null]) {
      expect(space.contains(x)).toBe(false);
    }
  });

  it('round-trips through JSON, start included', () => {
    const space = new MultiDiscrete([2, 3], [5, -1]);
    const rebuilt = spaceFromJSON(JSON.parse(JSON.stringify(space.toJSON())));
    expect(rebuilt.equals(space)).toBe(true);
    expect(rebuilt.equals(new MultiDiscrete([2, 3]))).toBe(false);
  });
});

describe('MultiBinary', () => {
  it('validates n', () => {
    for (const make of [() => new MultiBinary(0), () => new MultiBinary([]), () => new MultiBinary([2, 0]), () => new MultiBinary(1.5)]) {
      expect(make).toThrow(InvalidSpaceError);
    }
  });

  it('samples fair coins as Int8Array of the full shape', () => {
    const space = new MultiBinary([2, 3], 0);
    expect(space.shape).toEqual([2, 3]);
    const n = 3000;
    let ones = 0;
    for (let i = 0; i < n; i++) {
      const x = space.sample();
      expect(x.length).toBe(6);
      for (const v of x) ones += v;
    }
    expect(within(ones / (6 * n), 0.5, 6 * n)).toBe(true);
  });

  it('mask fixes 0/1 entries and flips coins for 2; probability sets P(1)', () => {
    const space = new MultiBinary(4, 1);
    const n = 4000;
    let freeOnes = 0;
    let pOnes = 0;
    for (let i = 0; i < n; i++) {
      const x = space.sample({ mask: [0, 1, 2, 1] });
      expect([x[0], x[1], x[3]]).toEqual([0, 1, 1]);
      freeOnes += x[2]!;
      const y = space.sample({ probability: [0, 1, 0.3, 1] });
      expect([y[0], y[1], y[3]]).toEqual([0, 1, 1]);
      pOnes += y[2]!;
    }
    expect(within(freeOnes / n, 0.5, n)).toBe(true);
    expect(within(pOnes / n, 0.3, n)).toBe(true);
    expect(() => space.sample({ mask: [0, 1, 3, 1] })).toThrow(InvalidArgumentError);
    expect(() => space.sample({ mask: [0, 1] })).toThrow(InvalidArgumentError);
    expect(() => space.sample({ probability: [0, 1, 1.2, 1] })).toThrow(InvalidArgumentError);
  });

  it('contains only 0/1 arrays of the right size', () => {
    const space = new MultiBinary(3);
    expect(space.contains([0, 1, 1])).toBe(true);
    expect(space.contains(new Int8Array([1, 1, 1]))).toBe(true);
    for (const x of [[0, 2, 1], [0, 1], [0, 1, 1, 1], [0, 0.5, 1], [Number.NaN, 0, 0], [false, true, true], 1, null]) {
      expect(space.contains(x)).toBe(false);
    }
  });

  it('round-trips through JSON', () => {
    const space = new MultiBinary([2, 2]);
    expect(spaceFromJSON(JSON.parse(JSON.stringify(space.toJSON()))).equals(space)).toBe(true);
    expect(space.equals(new MultiBinary(4))).toBe(false);
  });
});
