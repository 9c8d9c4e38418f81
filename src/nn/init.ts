/**
 * Weight initialisers computed in JavaScript from Teleo's seeded `Rng` (never tfjs's random ops), so one
 * seed gives bit-identical initial weights on every backend. Shapes follow Teleo's `Linear` layout:
 * a weight is `[fanIn, fanOut]` (y = xW + b), stored row-major in a Float32Array.
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';

/**
 * Creates `size` initial values for a parameter of a layer with the given fans: a weight has
 * `size = fanIn·fanOut`, a bias `size = fanOut` (matrix-only initialisers such as `orthogonal` reject that).
 */
export type Initializer = (size: number, fanIn: number, fanOut: number, rng: Rng) => Float32Array;

function checkFans(name: string, fanIn: number, fanOut: number): void {
  if (!Number.isSafeInteger(fanIn) || fanIn < 1 || !Number.isSafeInteger(fanOut) || fanOut < 1) {
    throw new InvalidArgumentError(`${name} needs positive integer fanIn and fanOut, got (${fanIn}, ${fanOut})`);
  }
}

function checkGain(name: string, gain: number): void {
  if (typeof gain !== 'number' || !Number.isFinite(gain) || gain < 0) {
    throw new InvalidArgumentError(`${name} gain must be a finite non-negative number, got ${gain}`);
  }
}

/**
 * Orthogonal initialisation (Saxe et al. 2014), as used by CleanRL/SB3 PPO: a Gaussian matrix is
 * orthonormalised (Gram–Schmidt with re-orthogonalisation in float64, equivalent to QR with a positive
 * diagonal R) and scaled by `gain`. For fanIn ≥ fanOut the columns are orthonormal (WᵀW = gain²·I),
 * otherwise the rows are (WWᵀ = gain²·I).
 */
export function orthogonal(gain = 1): Initializer {
  checkGain('orthogonal', gain);
  return (size, fanIn, fanOut, rng) => {
    checkFans('orthogonal', fanIn, fanOut);
    if (size !== fanIn * fanOut) {
      throw new InvalidArgumentError(`orthogonal initialises [fanIn, fanOut] matrices only, got size ${size} for fans (${fanIn}, ${fanOut}); use zeros() for biases`);
    }
    // Orthonormalise the k = min(fanIn, fanOut) vectors of length n = max(fanIn, fanOut).
    const n = Math.max(fanIn, fanOut);
    const k = Math.min(fanIn, fanOut);
    const vecs = new Float64Array(k * n);
    for (let i = 0; i < vecs.length; i++) vecs[i] = rng.normal();
    for (let j = 0; j < k; j++) {
      const vj = vecs.subarray(j * n, (j + 1) * n);
      // Two passes of classical Gram–Schmidt ("twice is enough") keep orthogonality at float64 precision.
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i < j; i++) {
          const vi = vecs.subarray(i * n, (i + 1) * n);
          let dot = 0;
          for (let t = 0; t < n; t++) dot += vi[t]! * vj[t]!;
          for (let t = 0; t < n; t++) vj[t]! -= dot * vi[t]!;
        }
      }
      let norm = 0;
      for (let t = 0; t < n; t++) norm += vj[t]! * vj[t]!;
      norm = Math.sqrt(norm);
      if (!(norm > 1e-10)) throw new InvalidArgumentError('orthogonal: degenerate random matrix (try another seed)');
      for (let t = 0; t < n; t++) vj[t]! /= norm;
    }
    const out = new Float32Array(fanIn * fanOut);
    for (let r = 0; r < fanIn; r++) {
      for (let c = 0; c < fanOut; c++) {
        // fanIn >= fanOut: vector c is column c of W; otherwise vector r is row r of W.
        out[r * fanOut + c] = gain * (fanIn >= fanOut ? vecs[c * n + r]! : vecs[r * n + c]!);
      }
    }
    return out;
  };
}

/** Glorot/Xavier uniform: U(−b, b) with b = gain·√(6 / (fanIn + fanOut)). */
export function xavierUniform(gain = 1): Initializer {
  checkGain('xavierUniform', gain);
  return (size, fanIn, fanOut, rng) => {
    checkFans('xavierUniform', fanIn, fanOut);
    return uniformFill(size, gain * Math.sqrt(6 / (fanIn + fanOut)), rng);
  };
}

/**
 * PyTorch's default `nn.Linear` initialisation (used by SB3's SAC/TD3 networks): weights and biases
 * U(−1/√fanIn, 1/√fanIn).
 */
export function fanInUniform(): Initializer {
  return (size, fanIn, fanOut, rng) => {
    checkFans('fanInUniform', fanIn, fanOut);
    return uniformFill(size, 1 / Math.sqrt(fanIn), rng);
  };
}

/** All zeros (the usual bias initialiser). */
export function zeros(): Initializer {
  return (size) => new Float32Array(size);
}

/** Every entry equal to `value` (e.g. an initial log-std). */
export function constant(value: number): Initializer {
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`constant initialiser needs a finite value, got ${value}`);
  return (size) => new Float32Array(size).fill(value);
}

function uniformFill(size: number, bound: number, rng: Rng): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniform(-bound, bound);
  return out;
}
