/** Dict and Tuple: key order, seeding of subspaces, masks, contains, copies, JSON. */
import { describe, expect, it } from 'vitest';
import {
  Box,
  Dict,
  Discrete,
  InvalidArgumentError,
  InvalidSeedError,
  InvalidSpaceError,
  MultiBinary,
  MultiDiscrete,
  Tuple,
  spaceFromJSON,
  type Space,
} from '../../src/core/index.js';

function nested(seed?: number): Dict {
  return new Dict(
    {
      pos: new Box(-1, 1, [2]),
      action: new Discrete(3),
      inner: new Tuple([new MultiBinary(2), new Dict({ z: new Discrete(5, 1), a: new MultiDiscrete([2, 3]) })]),
    },
    seed,
  );
}

describe('Dict', () => {
  it('sorts keys, so the order does not depend on insertion order', () => {
    const a = new Dict({ b: new Discrete(2), a: new Discrete(3), c: new Box(0, 1, [1]) });
    const b = new Dict({ c: new Box(0, 1, [1]), a: new Discrete(3), b: new Discrete(2) });
    expect(a.keys).toEqual(['a', 'b', 'c']);
    expect(Object.keys(a.sample())).toEqual(['a', 'b', 'c']);
    expect(a.equals(b)).toBe(true);
    expect(a.toString()).toBe("Dict('a': Discrete(3), 'b': Discrete(2), 'c': Box(0, 1, (1,), float32))");
  });

  it('rejects entries that are not spaces', () => {
    expect(() => new Dict({ a: 3 as never })).toThrow(InvalidSpaceError);
  });

  it('seeding is deterministic through every level of nesting', () => {
    const a = nested(42);
    const b = nested(42);
    for (let i = 0; i < 5; i++) expect(a.sample()).toEqual(b.sample());
    expect(nested(43).sample()).not.toEqual(nested(42).sample());
    const seeds = a.seed(7);
    expect(seeds[0]).toBe(7);
    expect(seeds.length).toBe(8); // dict + action + inner(tuple + multibinary + dict + a + z) + pos
    expect(a.seed(7)).toEqual(seeds);
    b.seed(7);
    expect(a.sample()).toEqual(b.sample());
    expect(() => a.seed(-3)).toThrow(InvalidSeedError);
  });

  it('gives subspaces different seeds, so equal subspaces do not sample in lockstep', () => {
    const d = new Dict({ x: new Discrete(1000), y: new Discrete(1000) }, 1);
    const xs = Array.from({ length: 20 }, () => d.sample());
    expect(xs.some((s) => s.x !== s.y)).toBe(true);
  });

  it('samples are contained and masks go to the named subspaces', () => {
    const d = nested(3);
    for (let i = 0; i < 50; i++) expect(d.contains(d.sample())).toBe(true);
    for (let i = 0; i < 50; i++) {
      const s = d.sample({ mask: { action: [0, 0, 1], pos: null, inner: [[2, 1], null] } });
      expect(s.action).toBe(2);
      expect((s.inner as unknown[])[0]).toHaveProperty('1', 1);
    }
    const p = d.sample({ probability: { action: [1, 0, 0], pos: null, inner: null } });
    expect(p.action).toBe(0);
    expect(() => d.sample({ mask: { action: [0, 0, 1] } })).toThrow(InvalidArgumentError);
    expect(() => d.sample({ mask: { action: [0, 0, 1], pos: null, inner: null, extra: null } })).toThrow(InvalidArgumentError);
  });

  it('contains requires exactly the space keys with valid values', () => {
    const d = new Dict({ a: new Discrete(2), b: new Box(0, 1, [1]) });
    expect(d.contains({ a: 1, b: [0.5] })).toBe(true);
    expect(d.contains({ a: 1 })).toBe(false);
    expect(d.contains({ a: 1, b: [0.5], c: 0 })).toBe(false);
    expect(d.contains({ a: 2, b: [0.5] })).toBe(false);
    expect(d.contains({ a: 1, b: [0.5], constructor: 1 })).toBe(false);
    expect(d.contains(Object.create({ a: 1, b: [0.5] }))).toBe(false); // inherited keys do not count
    expect(d.contains([1, [0.5]])).toBe(false);
    expect(d.contains(null)).toBe(false);
    expect(d.explain({ a: 2, b: [0.5] })).toContain("key 'a'");
  });

  it('copyElement is deep', () => {
    const d = nested(0);
    const x = d.sample();
    const y = d.copyElement(x);
    expect(y).toEqual(x);
    (y.pos as Float32Array)[0] = 99;
    expect((x.pos as Float32Array)[0]).not.toBe(99);
  });
});

describe('Tuple', () => {
  it('rejects non-spaces', () => {
    expect(() => new Tuple([new Discrete(2), {} as never])).toThrow(InvalidSpaceError);
    expect(() => new Tuple('ab' as never)).toThrow(InvalidSpaceError);
  });

  it('seeds deterministically and samples contained arrays', () => {
    const a = new Tuple([new Discrete(3), new Box(0, 1, [2]), new MultiDiscrete([2, 2])], 5);
    const b = new Tuple([new Discrete(3), new Box(0, 1, [2]), new MultiDiscrete([2, 2])], 5);
    for (let i = 0; i < 5; i++) {
      const x = a.sample();
      expect(x).toEqual(b.sample());
      expect(a.contains(x)).toBe(true);
    }
  });

  it('passes per-entry masks and probabilities', () => {
    const t = new Tuple([new Discrete(3), new MultiBinary(2)], 1);
    for (let i = 0; i < 20; i++) {
      const [d, m] = t.sample([[0, 1, 0], [1, 0]]);
      expect(d).toBe(1);
      expect(m).toEqual(new Int8Array([1, 0]));
      expect(t.sample({ probability: [[0, 0, 1], null] })[0]).toBe(2);
    }
    expect(() => t.sample({ mask: [[0, 1, 0]] })).toThrow(InvalidArgumentError);
  });

  it('contains checks length and entries', () => {
    const t = new Tuple([new Discrete(2), new Box(0, 1, [1])]);
    expect(t.contains([1, [0]])).toBe(true);
    for (const x of [[1], [1, [0], 0], [2, [0]], { 0: 1, 1: [0] }, null]) expect(t.contains(x)).toBe(false);
  });
});

describe('JSON round trip of composite spaces', () => {
  it('rebuilds equal spaces, including infinite bounds, from JSON text', () => {
    const spaces: Space<unknown>[] = [
      nested(),
      new Tuple([new Box(-Infinity, Infinity, [3], 'float64'), new Dict({ k: new Box([-Infinity, 0], [0, Infinity], undefined, 'int32') })]),
    ];
    for (const space of spaces) {
      const text = JSON.stringify(space.toJSON());
      const rebuilt = spaceFromJSON(JSON.parse(text));
      expect(rebuilt.equals(space)).toBe(true);
      expect(JSON.stringify(rebuilt.toJSON())).toBe(text);
      rebuilt.seed(9);
      space.seed(9);
      expect(rebuilt.sample()).toEqual(space.sample());
    }
  });

  it('rejects malformed JSON descriptions', () => {
    for (const bad of [null, 3, { type: 'Graph' }, { type: 'Box', low: ['x'], high: [1], shape: [1], dtype: 'float32' }, { type: 'Tuple', spaces: {} }]) {
      expect(() => spaceFromJSON(bad as never)).toThrow(InvalidSpaceError);
    }
  });
});
