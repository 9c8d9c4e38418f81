/**
 * The SFT loss: token-mean NLL over masked positions, by hand; and on a tiny decoder, the loss of packed
 * greedy generations equals minus the mean of the log-probs the KV-cache sampler reported for the same
 * tokens (an independent path, so it also checks the mask alignment). No tensor leaks over Adam steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodePrompt, packSequences } from '../../src/algos/sequence/index.js';
import { maskedTokenNLL, sftLoss } from '../../src/algos/sft/index.js';
import { initBackend } from '../../src/core/backend.js';
import { Rng } from '../../src/core/rng.js';
import { Adam } from '../../src/nn/optim/adam.js';
import { CausalDecoder, Tokenizer } from '../../src/nn/transformer/index.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('SFT loss', () => {
  it('is minus the mean log-prob of the masked tokens, with gradient −mask/count', () => {
    const values = [Math.log(0.5), Math.log(0.25), Math.log(0.1), Math.log(0.2), Math.log(0.9), Math.log(0.3)];
    const mask = Float32Array.from([0, 1, 1, 1, 0, 0]);
    const logProbs = tf.tensor2d(values, [2, 3]);
    const loss = maskedTokenNLL(logProbs, mask);
    expect(loss.dataSync()[0]).toBeCloseTo(-(Math.log(0.25) + Math.log(0.1) + Math.log(0.2)) / 3, 5);
    const grad = tf.grad((x: tf.Tensor) => maskedTokenNLL(x as tf.Tensor2D, mask))(logProbs);
    Array.from(grad.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(-mask[i]! / 3, 6));
    tf.dispose([logProbs, loss, grad]);
    expect(() => maskedTokenNLL(tf.zeros([1, 2]) as tf.Tensor2D, new Float32Array(2))).toThrow(/selects no token/);
    expect(() => maskedTokenNLL(tf.zeros([1, 2]) as tf.Tensor2D, new Float32Array(3))).toThrow(/2 log-probs but a mask of 3/);
  });

  it('on a tiny decoder equals −mean of the sampler’s log-probs of the same response tokens', () => {
    const tokenizer = new Tokenizer(['0', '1', '2', '+', '=']);
    const model = new CausalDecoder({ vocabSize: tokenizer.vocabSize, contextLength: 16, dModel: 16, nLayers: 1, nHeads: 2 }, 3);
    try {
      const prompts = ['1+2=', '12+21=', '2='].map((p) => encodePrompt(tokenizer, p));
      const generation = model.generate(prompts, { maxNewTokens: 4, rng: Rng.fromSeed(1), greedy: true });
      const packed = packSequences(prompts, generation.responses, 16);
      const all = generation.logProbs.flatMap((lp) => Array.from(lp));
      expect(all.length).toBe(packed.mask.reduce((a, m) => a + m, 0));
      const loss = sftLoss(model, packed);
      expect(loss.dataSync()[0]).toBeCloseTo(-all.reduce((a, b) => a + b, 0) / all.length, 4);
      loss.dispose();
    } finally {
      model.dispose();
    }
  });

  it('keeps the tensor count flat over Adam steps', () => {
    const tokenizer = new Tokenizer(['a', 'b']);
    const model = new CausalDecoder({ vocabSize: tokenizer.vocabSize, contextLength: 8, dModel: 8, nLayers: 1, nHeads: 2 }, 0);
    const adam = new Adam(model.params, { lr: 1e-2, maxGradNorm: 1 });
    const packed = packSequences([encodePrompt(tokenizer, 'ab')], [Int32Array.from([3, 4, Tokenizer.EOS])], 8);
    const first = adam.minimize(() => sftLoss(model, packed)).loss;
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 20; i++) last = adam.minimize(() => sftLoss(model, packed)).loss;
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first);
    model.dispose();
  });
});
