/** Initialisers: orthogonality, bounds, seed determinism, and backend independence of initial weights. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { constant, fanInUniform, orthogonal, xavierUniform, zeros } from '../../src/nn/init.js';
import { MLP } from '../../src/nn/mlp.js';
import { use } from './helpers.js';

/** Gram matrix of the columns (or rows) of a row-major [r, c] matrix, in float64. */
function gram(w: Float32Array, r: number, c: number, ofColumns: boolean): number[][] {
  const k = ofColumns ? c : r;
  const n = ofColumns ? r : c;
  const at = (vec: number, t: number) => (ofColumns ? w[t * c + vec]! : w[vec * c + t]!);
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => {
    let s = 0;
    for (let t = 0; t < n; t++) s += at(i, t) * at(j, t);
    return s;
  }));
}

describe('orthogonal', () => {
  it.each([
    [64, 64, Math.SQRT2],
    [64, 4, 1],
    [4, 64, 0.01],
    [256, 3, 1],
  ])('a [%i, %i] weight with gain %f has orthonormal columns/rows scaled by the gain', (fanIn, fanOut, gain) => {
    const w = orthogonal(gain)(fanIn * fanOut, fanIn, fanOut, Rng.fromSeed(1));
    expect(w).toBeInstanceOf(Float32Array);
    const g = gram(w, fanIn, fanOut, fanIn >= fanOut); // WᵀW when fanIn ≥ fanOut, else WWᵀ
    for (let i = 0; i < g.length; i++) {
      for (let j = 0; j < g.length; j++) expect(Math.abs(g[i]![j]! - (i === j ? gain * gain : 0))).toBeLessThan(1e-5 * Math.max(1, gain * gain));
    }
  });

  it('is determined by the seed, and different seeds give different weights', () => {
    const init = orthogonal(1);
    const a = init(32 * 16, 32, 16, Rng.fromSeed(7));
    expect(init(32 * 16, 32, 16, Rng.fromSeed(7))).toEqual(a);
    expect(init(32 * 16, 32, 16, Rng.fromSeed(8))).not.toEqual(a);
  });

  it('rejects biases, bad fans and gains', () => {
    expect(() => orthogonal(1)(8, 4, 8, Rng.fromSeed(0))).toThrow(/matrices only/);
    expect(() => orthogonal(-1)).toThrow(InvalidArgumentError);
    expect(() => orthogonal(1)(0, 0, 3, Rng.fromSeed(0))).toThrow(/positive integer/);
  });
});

describe('uniform and constant initialisers', () => {
  it('xavierUniform and fanInUniform stay within their bounds and have the uniform variance', () => {
    const rng = Rng.fromSeed(2);
    const x = xavierUniform(2)(100 * 50, 100, 50, rng);
    const bound = 2 * Math.sqrt(6 / 150);
    expect(Math.max(...x.map(Math.abs))).toBeLessThanOrEqual(bound);
    const variance = x.reduce((s, v) => s + v * v, 0) / x.length;
    expect(Math.abs(variance - (bound * bound) / 3)).toBeLessThan(0.05 * (bound * bound) / 3);
    const f = fanInUniform()(64, 16, 64, rng);
    expect(Math.max(...f.map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...f.map(Math.abs))).toBeGreaterThan(0.2);
    expect(zeros()(5, 1, 5, rng)).toEqual(new Float32Array(5));
    expect([...constant(-0.5)(3, 1, 3, rng)]).toEqual([-0.5, -0.5, -0.5]);
  });
});

describe('MLP initial weights', () => {
  it('are identical on cpu and wasm for the same seed, and follow the PPO recipe', async () => {
    await use('cpu');
    const onCpu = new MLP([4, 64, 64, 2], 'tanh', { rng: Rng.fromSeed(11), outputGain: 0.01 }).params.getWeights();
    await use('wasm');
    const onWasm = new MLP([4, 64, 64, 2], 'tanh', { rng: Rng.fromSeed(11), outputGain: 0.01 }).params.getWeights();
    expect(onWasm).toEqual(onCpu);
    expect(onCpu['mlp.0.bias']).toEqual(new Float32Array(64));
    // Output layer [64, 2]: orthonormal columns scaled by 0.01.
    const g = gram(onCpu['mlp.2.weight']!, 64, 2, true);
    expect(g[0]![0]).toBeCloseTo(1e-4, 8);
    expect(g[0]![1]).toBeCloseTo(0, 8);
  });
});
