/** Rng: determinism, checkpointing, spawning, distribution checks and seed validation. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidSeedError, Rng, assertValidSeed, makeRng } from '../../src/core/index.js';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.random());
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function variance(xs: number[]): number {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
}

function correlation(xs: number[], ys: number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Wilson–Hilferty approximation of the chi-square quantile with `df` degrees of freedom at normal score `z`. */
function chiSquareQuantile(df: number, z: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

/** z for an upper tail of 1e-6: a correct generator fails such a check about once in a million seeds. */
const Z_1E6 = 4.753;

describe('Rng determinism', () => {
  it('gives the same stream for the same seed, across instances', () => {
    expect(draws(Rng.fromSeed(123), 50)).toEqual(draws(Rng.fromSeed(123), 50));
    const a = Rng.fromSeed(2 ** 40 + 7);
    const b = Rng.fromSeed(2 ** 40 + 7);
    for (let i = 0; i < 20; i++) {
      expect(a.integers(0, 1000)).toBe(b.integers(0, 1000));
      expect(a.normal()).toBe(b.normal());
      expect(a.exponential(2)).toBe(b.exponential(2));
    }
  });

  it('gives different streams for nearby seeds', () => {
    const firsts = new Set(Array.from({ length: 200 }, (_, s) => Rng.fromSeed(s).random()));
    expect(firsts.size).toBe(200);
    expect(Math.abs(correlation(draws(Rng.fromSeed(0), 5000), draws(Rng.fromSeed(1), 5000)))).toBeLessThan(5 / Math.sqrt(5000));
  });

  it('separates large seeds whose low and high words mix to the same value', () => {
    // Before the fix these pairs started with states one bit apart, so their first draws agreed to ~1e-13.
    for (const low of [0, 1, 12345, 0x7fffffff]) {
      const a = Rng.fromSeed(low);
      const b = Rng.fromSeed(2 ** 32 + ((low ^ 0x27d4eb2d) >>> 0));
      expect(Math.abs(a.random() - b.random())).toBeGreaterThan(1e-6);
    }
  });

  it('makeRng returns the seed it used, and an entropy seed that reproduces the stream', () => {
    const [rng, seed] = makeRng(99);
    expect(seed).toBe(99);
    expect(rng.random()).toBe(Rng.fromSeed(99).random());
    const [fresh, entropy] = makeRng();
    assertValidSeed(entropy);
    expect(fresh.random()).toBe(Rng.fromSeed(entropy).random());
  });
});

describe('Rng checkpointing', () => {
  it('getState/fromState continues the same stream, also through JSON', () => {
    const rng = Rng.fromSeed(7);
    draws(rng, 13);
    const state = rng.getState();
    const restored = Rng.fromState(JSON.parse(JSON.stringify(state)) as number[]);
    expect(draws(restored, 30)).toEqual(draws(rng, 30));
  });

  it('clone continues the same stream independently of the original', () => {
    const rng = Rng.fromSeed(8);
    const copy = rng.clone();
    const expected = draws(rng, 10);
    expect(draws(copy, 10)).toEqual(expected);
  });

  it('rejects malformed states', () => {
    for (const bad of [[1, 2, 3], [1, 2, 3, 4.5], [0, 0, 0, 0], [1, 2, 3, 2 ** 33], ['1', 2, 3, 4], null]) {
      expect(() => Rng.fromState(bad as number[])).toThrow(InvalidArgumentError);
    }
  });
});

describe('Rng.spawn', () => {
  it('is deterministic and advances the parent past the children', () => {
    const a = Rng.fromSeed(11);
    const b = Rng.fromSeed(11);
    const ca = a.spawn(3);
    const cb = b.spawn(3);
    for (let i = 0; i < 3; i++) expect(draws(ca[i]!, 20)).toEqual(draws(cb[i]!, 20));
    expect(draws(a, 20)).toEqual(draws(b, 20));
    // The parent's stream after spawning is not its stream without spawning.
    expect(draws(Rng.fromSeed(11), 5)).not.toEqual(draws(Rng.fromSeed(11).spawn(1)[0]!, 5));
  });

  it('gives children that are uncorrelated with each other and with the parent', () => {
    const parent = Rng.fromSeed(12);
    const [c0, c1] = parent.spawn(2);
    const n = 5000;
    const x0 = draws(c0!, n);
    const x1 = draws(c1!, n);
    const xp = draws(parent, n);
    const bound = 5 / Math.sqrt(n); // five standard errors of a correlation under independence
    expect(Math.abs(correlation(x0, x1))).toBeLessThan(bound);
    expect(Math.abs(correlation(x0, xp))).toBeLessThan(bound);
    expect(new Set([...x0, ...x1, ...xp]).size).toBe(3 * n);
  });

  it('rejects a bad count', () => {
    expect(() => Rng.fromSeed(1).spawn(-1)).toThrow(InvalidArgumentError);
    expect(() => Rng.fromSeed(1).spawn(1.5)).toThrow(InvalidArgumentError);
    expect(Rng.fromSeed(1).spawn(0)).toEqual([]);
  });
});

describe('Rng distributions', () => {
  it('random() and uniform() stay in their half-open ranges', () => {
    const rng = Rng.fromSeed(3);
    let bad = 0;
    for (let i = 0; i < 10000; i++) {
      const r = rng.random();
      const u = rng.uniform(-2, 5);
      if (!(r >= 0 && r < 1 && u >= -2 && u < 5)) bad++;
    }
    expect(bad).toBe(0);
  });

  it.each([
    [0, 7],
    [-3, 7],
    [10, 11 + 9], // ten values
    [0, 2],
  ])('integers(%i, %i) is uniform (chi-square at p = 1e-6)', (low, high) => {
    const rng = Rng.fromSeed(2024);
    const k = high - low;
    const n = 20000 * k;
    const counts = new Array<number>(k).fill(0);
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.integers(low, high);
      if (Number.isInteger(v) && v >= low && v < high) counts[v - low]!++;
      else outOfRange++;
    }
    expect(outOfRange).toBe(0);
    const expected = n / k;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(chiSquareQuantile(k - 1, Z_1E6));
  });

  it('integers() over ranges wider than 2^32 stays in range and reaches both halves', () => {
    const rng = Rng.fromSeed(5);
    const high = 2 ** 40;
    let upper = 0;
    for (let i = 0; i < 2000; i++) {
      const v = rng.integers(0, high);
      expect(Number.isInteger(v) && v >= 0 && v < high).toBe(true);
      if (v >= high / 2) upper++;
    }
    expect(Math.abs(upper - 1000)).toBeLessThan(5 * Math.sqrt(500)); // binomial(2000, 1/2): sd = sqrt(500)
  });

  it('integers() rejects empty and non-integer ranges', () => {
    const rng = Rng.fromSeed(1);
    for (const [lo, hi] of [[3, 3], [4, 3], [0, 1.5], [Number.NaN, 3], [0, 2 ** 60]]) {
      expect(() => rng.integers(lo!, hi!)).toThrow(InvalidArgumentError);
    }
  });

  it('normal(mean, std) has the requested mean and variance', () => {
    const rng = Rng.fromSeed(6);
    const n = 40000;
    const xs = Array.from({ length: n }, () => rng.normal(3, 2));
    // Five standard errors: sd(mean) = 2/sqrt(n); sd(sample variance) ~ 4 * sqrt(2/n).
    expect(Math.abs(mean(xs) - 3)).toBeLessThan((5 * 2) / Math.sqrt(n));
    expect(Math.abs(variance(xs) - 4)).toBeLessThan(5 * 4 * Math.sqrt(2 / n));
  });

  it('exponential(scale) is non-negative with mean scale', () => {
    const rng = Rng.fromSeed(9);
    const n = 40000;
    const xs = Array.from({ length: n }, () => rng.exponential(2));
    expect(xs.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
    expect(Math.abs(mean(xs) - 2)).toBeLessThan((5 * 2) / Math.sqrt(n)); // sd = scale
  });

  it('permutation() is a permutation and choiceIndex() follows the weights', () => {
    const rng = Rng.fromSeed(10);
    const p = rng.permutation(50);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const counts = [0, 0, 0, 0];
    const n = 30000;
    for (let i = 0; i < n; i++) counts[rng.choiceIndex([1, 0, 3, 0])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[3]).toBe(0);
    expect(Math.abs(counts[2]! / n - 0.75)).toBeLessThan(5 * Math.sqrt((0.75 * 0.25) / n));
    expect(() => rng.choiceIndex([1, -1, 1])).toThrow(InvalidArgumentError);
    expect(() => rng.choiceIndex([0, 0])).toThrow(InvalidArgumentError);
    expect(() => rng.choiceIndex([1, Number.NaN])).toThrow(InvalidArgumentError);
  });
});

describe('seed validation', () => {
  const bad: unknown[] = [-1, 1.5, Number.NaN, Infinity, -Infinity, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, '3', null, undefined, {}, 3n];
  it.each(bad.map((b) => [String(b), b]))('Rng.fromSeed(%s) throws InvalidSeedError', (_, seed) => {
    expect(() => Rng.fromSeed(seed as number)).toThrow(InvalidSeedError);
  });

  it('accepts 0 and Number.MAX_SAFE_INTEGER', () => {
    expect(() => Rng.fromSeed(0)).not.toThrow();
    expect(() => Rng.fromSeed(Number.MAX_SAFE_INTEGER)).not.toThrow();
  });

  it('names the bad value in the message and has a stable code', () => {
    try {
      Rng.fromSeed(-5);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidSeedError);
      expect((e as InvalidSeedError).code).toBe('INVALID_SEED');
      expect((e as Error).message).toContain('-5');
    }
  });
});

describe('no Math.random in src/', () => {
  function sourceFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return /\.(ts|js|mjs)$/.test(name) ? [path] : [];
    });
  }

  it('every source file draws randomness through Rng', () => {
    const offenders = sourceFiles(join(import.meta.dirname, '../../src')).filter((file) => {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      return /Math\s*\.\s*random\b/.test(code);
    });
    expect(offenders).toEqual([]);
  });
});
