/** End to end: Adam on tokenLogProbs makes a tiny decoder learn to reverse strings, checked by greedy generation. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { Adam } from '../../../src/nn/optim/adam.js';
import { CausalDecoder, Tokenizer } from '../../../src/nn/transformer/index.js';
import { use } from '../helpers.js';

describe('CausalDecoder training', () => {
  it('overfits a small string-reversal task in a few hundred Adam steps', async () => {
    await use('wasm');
    const tok = new Tokenizer(['a', 'b', 'c', 'd', '|']);
    const rng = Rng.fromSeed(1);
    const letters = 'abcd';
    const words = Array.from({ length: 16 }, () => Array.from({ length: 4 }, () => letters[rng.integers(0, 4)]).join(''));
    const prompts = words.map((w) => Int32Array.from([Tokenizer.BOS, ...tok.encode(`${w}|`)]));
    const targets = words.map((w) => [...tok.encode([...w].reverse().join('')), Tokenizer.EOS]);
    const L = 11; // BOS + 4 + '|' + 4 + EOS
    const tokens = new Int32Array(words.length * L);
    const mask = new Float32Array(words.length * (L - 1));
    words.forEach((_, b) => {
      tokens.set([...prompts[b]!, ...targets[b]!], b * L);
      // Log-prob entry t scores token t+1: the response tokens are 6..10, so entries 5..9.
      for (let t = 5; t < L - 1; t++) mask[b * (L - 1) + t] = 1;
    });
    const model = new CausalDecoder({ vocabSize: tok.vocabSize, contextLength: 12, dModel: 32, nLayers: 2, nHeads: 4 }, 3);
    const adam = new Adam(model.params, { lr: 3e-3 });
    const maskT = tf.tensor2d(mask, [words.length, L - 1]);
    const count = mask.reduce((a, b) => a + b, 0);
    let loss = Infinity;
    const initial = adam.minimize(() => tf.div(tf.neg(tf.sum(tf.mul(model.tokenLogProbs(tokens, words.length, L), maskT))), count) as tf.Scalar).loss;
    for (let step = 0; step < 300 && loss > 0.01; step++) {
      loss = adam.minimize(() => tf.div(tf.neg(tf.sum(tf.mul(model.tokenLogProbs(tokens, words.length, L), maskT))), count) as tf.Scalar).loss;
    }
    maskT.dispose();
    expect(initial).toBeGreaterThan(1.2); // ≈ log(8) at initialisation
    expect(loss).toBeLessThan(0.05);
    const gen = model.generate(prompts, { maxNewTokens: 8, rng: Rng.fromSeed(0), greedy: true });
    gen.responses.forEach((r, b) => expect(Array.from(r)).toEqual(targets[b]));
    expect(gen.finishReasons.every((f) => f === 'stop')).toBe(true);
    model.dispose();
  });
});
