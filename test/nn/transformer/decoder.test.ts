/** CausalDecoder: per-token log-probs (padding, causality, entropy), gradients vs finite differences, seeding, leaks. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidStateError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { Adam } from '../../../src/nn/optim/adam.js';
import { CausalDecoder } from '../../../src/nn/transformer/index.js';
import { BACKENDS, maxAbsDiff, use } from '../helpers.js';
import { padRight, take, tinyModel } from './helpers.js';

const CONFIG = { vocabSize: 9, contextLength: 12, dModel: 16, nLayers: 2, nHeads: 4 };

describe.each(BACKENDS)('CausalDecoder on %s', (backend) => {
  it('scores a right-padded batch exactly as each sequence alone, and ignores later tokens (causal)', async () => {
    await use(backend);
    const model = tinyModel(CONFIG, 1);
    const seqs = [[1, 3, 4, 5, 6, 7, 8, 2], [1, 8, 8, 2], [1, 5, 2]];
    const L = 8;
    const batch = take(model.tokenLogProbs(padRight(seqs, L), 3, L));
    seqs.forEach((s, b) => {
      const alone = take(model.tokenLogProbs(Int32Array.from(s), 1, s.length));
      expect(maxAbsDiff(batch.subarray(b * (L - 1), b * (L - 1) + s.length - 1), alone)).toBeLessThan(1e-5);
    });
    // Changing a later token never changes earlier log-probs.
    const changed = take(model.tokenLogProbs(Int32Array.from([1, 3, 4, 5, 6, 3, 3, 3]), 1, 8));
    expect(maxAbsDiff(changed.subarray(0, 4), batch.subarray(0, 4))).toBeLessThan(1e-6);
    expect(maxAbsDiff(changed.subarray(4), batch.subarray(4, 7))).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('log-probs are the log-softmax of nextTokenLogits at the next token, entropy is that of the same distribution', async () => {
    await use(backend);
    const model = tinyModel(CONFIG, 2);
    const tokens = padRight([[1, 4, 5, 6, 2], [1, 7, 3, 2, 0]]);
    const logits = take(model.nextTokenLogits(tokens, 2, 5));
    const { logProbs, entropy } = model.tokenLogProbsAndEntropy(tokens, 2, 5);
    const lp = take(logProbs);
    const ent = take(entropy);
    const V = CONFIG.vocabSize;
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < 4; t++) {
        const row = Array.from(logits.subarray((b * 5 + t) * V, (b * 5 + t + 1) * V));
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
        const logp = row.map((v) => v - lse);
        expect(lp[b * 4 + t]).toBeCloseTo(logp[tokens[b * 5 + t + 1]!]!, 5);
        expect(ent[b * 4 + t]).toBeCloseTo(-logp.reduce((s, v) => s + Math.exp(v) * v, 0), 5);
      }
    }
    model.dispose();
  });

  it('gradients of a log-prob + entropy objective match central finite differences', async () => {
    await use(backend);
    const config = { vocabSize: 6, contextLength: 7, dModel: 8, nLayers: 2, nHeads: 2, dMlp: 12 }; // context > length: unused positions get zero gradient
    const model = tinyModel(config, 3, 0.5);
    const tokens = padRight([[1, 3, 4, 5, 2], [1, 5, 2, 0, 0]]);
    const rng = Rng.fromSeed(4);
    const r1 = tf.tensor2d(rng.fillNormal(new Float32Array(8)), [2, 4]);
    const r2 = tf.tensor2d(rng.fillNormal(new Float32Array(8)), [2, 4]);
    const objective = () =>
      tf.tidy(() => {
        const { logProbs, entropy } = model.tokenLogProbsAndEntropy(tokens, 2, 5);
        return tf.add(tf.sum(tf.mul(logProbs, r1)), tf.sum(tf.mul(entropy, r2))) as tf.Scalar;
      });
    const { value, grads } = tf.variableGrads(objective, model.params.variables());
    value.dispose();
    const weights = model.getWeights();
    const h = 3e-3; // small enough that no ReLU kink is crossed at these weights, large enough for float32
    let checked = 0;
    for (const [name, variable] of model.params.entries()) {
      const analytic = take(grads[variable.name]!);
      const base = weights.get(name)!;
      // Three entries of every parameter tensor (first, middle, last).
      for (const i of new Set([0, base.length >> 1, base.length - 1])) {
        const at = (delta: number) => {
          const w = new Map(weights);
          const v = Float32Array.from(base);
          v[i] = v[i]! + delta;
          w.set(name, v);
          model.setWeights(w);
          return take(objective())[0]!;
        };
        const numeric = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs(analytic[i]! - numeric), `${name}[${i}]: analytic ${analytic[i]} numeric ${numeric}`).toBeLessThan(4e-3 * Math.max(1, Math.abs(numeric)));
        checked++;
      }
    }
    model.setWeights(weights);
    expect(checked).toBeGreaterThan(60);
    r1.dispose();
    r2.dispose();
    model.dispose();
  });
});

describe('CausalDecoder construction and bookkeeping', () => {
  it('initialises deterministically from the seed, GPT-2 style', async () => {
    await use('wasm');
    const a = new CausalDecoder(CONFIG, 7);
    const b = new CausalDecoder(CONFIG, 7);
    const c = new CausalDecoder(CONFIG, 8);
    const wa = a.getWeights();
    for (const [name, w] of b.getWeights()) expect(w).toEqual(wa.get(name));
    expect(maxAbsDiff(c.getWeights().get('tokEmb')!, wa.get('tokEmb')!)).toBeGreaterThan(0);
    const std = (w: Float32Array) => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std(wa.get('blocks.0.mlp.w1')!)).toBeGreaterThan(0.018);
    expect(std(wa.get('blocks.0.mlp.w1')!)).toBeLessThan(0.022);
    // Residual projections scaled by 1/sqrt(2·nLayers) = 1/2.
    expect(std(wa.get('blocks.1.mlp.w2')!)).toBeGreaterThan(0.009);
    expect(std(wa.get('blocks.1.mlp.w2')!)).toBeLessThan(0.011);
    expect(Array.from(wa.get('blocks.0.ln1.gamma')!).every((v) => v === 1)).toBe(true);
    expect(a.config).toEqual({ ...CONFIG, dMlp: 64 });
    expect(a.params.numParams).toBe(9 * 16 + 12 * 16 + 2 * (4 * 16 + 16 * 48 + 48 + 16 * 16 + 16 + 16 * 64 + 64 + 64 * 16 + 16) + 2 * 16 + 16 * 9 + 9);
    for (const m of [a, b, c]) m.dispose();
  });

  it('rejects bad configs, seeds and token batches with typed errors', async () => {
    await use('wasm');
    expect(() => new CausalDecoder({ ...CONFIG, nHeads: 3 }, 0)).toThrow(/divisible/);
    expect(() => new CausalDecoder({ ...CONFIG, vocabSize: 0 }, 0)).toThrow(InvalidArgumentError);
    expect(() => new CausalDecoder({ ...CONFIG, dmodel: 8 } as never, 0)).toThrow(/unknown key 'dmodel'/);
    expect(() => new CausalDecoder(CONFIG, -1)).toThrow(/Seed/);
    const model = new CausalDecoder(CONFIG, 0);
    expect(() => model.tokenLogProbs(new Int32Array(13), 1, 13)).toThrow(/exceeds the model's context length 12/);
    expect(() => model.tokenLogProbs(new Int32Array(6), 2, 4)).toThrow(/expected batch·length/);
    expect(() => model.tokenLogProbs(Int32Array.from([1, 9]), 1, 2)).toThrow(/token id 9/);
    expect(() => model.tokenLogProbs([1, 2] as never, 1, 2)).toThrow(/Int32Array/);
    model.dispose();
    expect(() => model.tokenLogProbs(Int32Array.from([1, 2]), 1, 2)).toThrow(InvalidStateError);
  });

  it('setWeights/getWeights round-trip and reject a wrong shape', async () => {
    await use('wasm');
    const a = tinyModel(CONFIG, 5);
    const b = new CausalDecoder(CONFIG, 6);
    b.setWeights(a.getWeights());
    const tokens = Int32Array.from([1, 3, 4, 2]);
    expect(take(b.tokenLogProbs(tokens, 1, 4))).toEqual(take(a.tokenLogProbs(tokens, 1, 4)));
    const bad = a.getWeights();
    bad.set('tokEmb', new Float32Array(3));
    expect(() => b.setWeights(bad)).toThrow(/tokEmb/);
    a.dispose();
    b.dispose();
  });

  it('keeps tf.memory().numTensors flat over generate + gradient steps', async () => {
    await use('wasm');
    const model = tinyModel(CONFIG, 9);
    const adam = new Adam(model.params, { lr: 1e-3 });
    const rng = Rng.fromSeed(1);
    const round = () => {
      const gen = model.generate([Int32Array.from([1, 3]), Int32Array.from([1, 4, 5, 6])], { maxNewTokens: 5, rng, topP: 0.9 });
      const seqs = gen.responses.map((r, i) => [...(i === 0 ? [1, 3] : [1, 4, 5, 6]), ...r]);
      const L = Math.max(...seqs.map((s) => s.length));
      adam.minimize(() => tf.neg(tf.mean(model.tokenLogProbsAndEntropy(padRight(seqs, L), 2, L).logProbs)) as tf.Scalar);
    };
    round();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) round();
    expect(tf.memory().numTensors).toBe(before);
    const variables = model.params.size;
    model.dispose();
    expect(tf.memory().numTensors).toBe(before - variables);
  });
});
