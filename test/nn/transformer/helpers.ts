/** Shared helpers for the transformer tests: tiny models with weights large enough to give peaked distributions. */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../../src/core/rng.js';
import { CausalDecoder, type DecoderConfig } from '../../../src/nn/transformer/index.js';

/** A seeded decoder whose weights are redrawn as N(0, std²) (the default 0.02 gives near-uniform outputs). */
export function tinyModel(config: DecoderConfig, seed: number, std = 0.3): CausalDecoder {
  const model = new CausalDecoder(config, seed);
  const rng = Rng.fromSeed(seed + 1000);
  const weights = model.getWeights();
  for (const [name, w] of weights) {
    if (name.endsWith('gamma')) for (let i = 0; i < w.length; i++) w[i] = 1 + 0.2 * rng.normal();
    else rng.fillNormal(w, 0, std);
  }
  model.setWeights(weights);
  return model;
}

/** Reads and disposes a tensor. */
export function take(t: tf.Tensor): Float32Array {
  const v = Float32Array.from(t.dataSync() as Float32Array);
  t.dispose();
  return v;
}

/** A right-padded `[batch, length]` token matrix from sequences. */
export function padRight(seqs: ArrayLike<number>[], length = Math.max(...seqs.map((s) => s.length))): Int32Array {
  const out = new Int32Array(seqs.length * length);
  seqs.forEach((s, b) => out.set(Array.from(s), b * length));
  return out;
}
