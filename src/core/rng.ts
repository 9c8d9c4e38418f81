/**
 * Seeded random number generation. All randomness in Teleo flows through `Rng`
 * (xoroshiro128+ from `pure-rand`), never through `Math.random()`.
 *
 * - `Rng.fromSeed(seed)` mixes a non-negative safe integer into a full 128-bit state (splitmix32),
 *   so nearby seeds give unrelated streams.
 * - `rng.spawn(n)` derives `n` independent child streams (jump-ahead), e.g. one per env or per component.
 * - `rng.getState()` / `Rng.fromState()` make the generator checkpointable.
 */
import { webcrypto } from 'node:crypto';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { InvalidArgumentError, InvalidSeedError } from './errors.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_53_INV = 1 / 9007199254740992;

/** Throws `InvalidSeedError` unless `seed` is a non-negative safe integer. */
export function assertValidSeed(seed: unknown): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new InvalidSeedError(seed);
}

/** A fresh seed from the operating system's entropy source (used only when the caller gives no seed). */
export function entropySeed(): number {
  const words = webcrypto.getRandomValues(new Uint32Array(2));
  // 53 bits: 21 high bits + 32 low bits.
  return (words[0]! & 0x1fffff) * TWO_POW_32 + words[1]!;
}

/** murmur3's 32-bit finaliser: a bijection on 32-bit words with full avalanche. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

export type RngState = readonly [number, number, number, number];

export class Rng {
  private gen: JumpableRandomGenerator;

  private constructor(gen: JumpableRandomGenerator) {
    this.gen = gen;
  }

  /** A generator determined entirely by `seed` (a non-negative safe integer). */
  static fromSeed(seed: number): Rng {
    assertValidSeed(seed);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    const mix = { s: lo ^ Math.imul(hi, 0x27d4eb2d) ^ 0x5bd1e995 };
    const words: number[] = [splitmix32(mix), splitmix32(mix), splitmix32(mix), splitmix32(mix) ^ hi];
    if (hi !== 0) {
      // Seeds >= 2^32 can collide with smaller seeds in `mix`; without this their states would differ only
      // in a few bits of the last word and the two streams would start almost identical. (Seeds below
      // 2^32 skip this, so their streams are unchanged.)
      for (let j = 0; j < 3; j++) words[j] = words[j]! ^ fmix32((hi + Math.imul(j + 1, 0x9e3779b9)) | 0);
    }
    if (!words.some((w) => w !== 0)) words[0] = 1; // the all-zero state is a fixed point
    return new Rng(xoroshiro128plusFromState(words));
  }

  /** A generator seeded from OS entropy; returns the seed used so it can be reported. */
  static fromEntropy(): { rng: Rng; seed: number } {
    const seed = entropySeed();
    return { rng: Rng.fromSeed(seed), seed };
  }

  /** Restores a generator from `getState()`. */
  static fromState(state: readonly number[]): Rng {
    const isWord = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 4294967295;
    if (!Array.isArray(state) || state.length !== 4 || !state.every(isWord)) {
      throw new InvalidArgumentError(`Rng state must be an array of 4 32-bit integers (from getState()), got ${JSON.stringify(state)}`);
    }
    if (state.every((v) => (v | 0) === 0)) {
      throw new InvalidArgumentError('Rng state must not be all zeros (xoroshiro128+ would only ever return 0)');
    }
    return new Rng(xoroshiro128plusFromState(state.map((v) => v | 0)));
  }

  /** The generator's full state (4 int32 words), suitable for JSON checkpoints. */
  getState(): RngState {
    const s = this.gen.getState();
    return [s[0]!, s[1]!, s[2]!, s[3]!];
  }

  /** An independent copy that continues the same stream. */
  clone(): Rng {
    return new Rng(this.gen.clone());
  }

  /**
   * `n` independent child generators. Child i starts 2^64·(i+1) draws ahead of this generator's current
   * state; this generator then moves past all children, so later draws do not overlap them.
   */
  spawn(n: number): Rng[] {
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`spawn(n) needs a non-negative integer, got ${n}`);
    const children: Rng[] = [];
    const cursor = this.gen.clone();
    for (let i = 0; i < n; i++) {
      cursor.jump();
      children.push(new Rng(cursor.clone()));
    }
    cursor.jump();
    this.gen = cursor;
    return children;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    return this.gen.next() >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.gen.next() >>> 5; // 27 bits
    const lo = this.gen.next() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_POW_53_INV;
  }

  /** Uniform double in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /** Uniform integer in [low, high) (numpy's `integers` convention). */
  integers(low: number, high: number): number {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) {
      throw new InvalidArgumentError(`integers(low, high) needs safe integers with low < high, got (${low}, ${high})`);
    }
    const range = high - low;
    if (range <= TWO_POW_32) {
      // Rejection sampling on 32 bits avoids modulo bias. The result is taken from the high bits
      // (x / bucket, not x % range): the lowest bits of xoroshiro128+ are weak (bit 0 is an LFSR).
      const bucket = Math.floor(TWO_POW_32 / range);
      const limit = bucket * range;
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return low + Math.floor(x / bucket);
    }
    return low + Math.floor(this.random() * range);
  }

  /** Standard normal (Marsaglia polar method) scaled to N(mean, std²). */
  normal(mean = 0, std = 1): number {
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    return mean + std * u * Math.sqrt((-2 * Math.log(s)) / s);
  }

  /** Exponential with the given scale (mean). */
  exponential(scale = 1): number {
    return -scale * Math.log1p(-this.random());
  }

  /** Fills `out` with uniform doubles in [low, high). */
  fillUniform<T extends Float32Array | Float64Array>(out: T, low = 0, high = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(low, high);
    return out;
  }

  /** Fills `out` with N(mean, std²) samples. */
  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: any }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integers(0, i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** Index drawn from unnormalised non-negative weights. */
  choiceIndex(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w >= 0 && w < Infinity)) throw new InvalidArgumentError(`choiceIndex weights must be finite and non-negative, got ${w} at index ${i}`);
      total += w;
    }
    if (!(total > 0)) throw new InvalidArgumentError('choiceIndex needs weights with a positive sum');
    let r = this.random() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    // Rounding left r >= 0: fall back to the last index that can be drawn at all.
    let last = weights.length - 1;
    while (weights[last] === 0) last--;
    return last;
  }
}

/** Returns `[rng, seed]` like Gymnasium's `np_random(seed)`: seeded when given, from entropy otherwise. */
export function makeRng(seed?: number | null): [Rng, number] {
  if (seed === undefined || seed === null) {
    const { rng, seed: s } = Rng.fromEntropy();
    return [rng, s];
  }
  return [Rng.fromSeed(seed), seed];
}
