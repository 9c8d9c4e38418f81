/** KV-cache generation: equality with full recomputation, greedy/top-k/top-p rules, stop tokens, lengths, context. */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, NumericalError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { Tokenizer, chooseToken, checkSamplingRule, type CausalDecoder, type Generation } from '../../../src/nn/transformer/index.js';
import { BACKENDS, use } from '../helpers.js';
import { padRight, take, tinyModel } from './helpers.js';

const CONFIG = { vocabSize: 10, contextLength: 16, dModel: 16, nLayers: 2, nHeads: 2 };
const PROMPTS = [[1, 3], [1, 4, 5, 6, 7, 8, 3], [1, 9, 9, 5], [1]].map((p) => Int32Array.from(p));

/** Full next-token log-distributions along prompt + response, recomputed without the cache: [step][token]. */
function recomputed(model: CausalDecoder, prompt: Int32Array, response: Int32Array): number[][] {
  const seq = Int32Array.from([...prompt, ...response]);
  const V = model.config.vocabSize;
  const logits = take(model.nextTokenLogits(seq, 1, seq.length));
  const rows: number[][] = [];
  for (let s = 0; s < response.length; s++) {
    const row = Array.from(logits.subarray((prompt.length - 1 + s) * V, (prompt.length + s) * V));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0));
    rows.push(row.map((v) => v - lse));
  }
  return rows;
}

function rank(row: number[], token: number): number {
  return row.filter((v, i) => v > row[token]! || (v === row[token]! && i < token)).length;
}

describe.each(BACKENDS)('generate on %s', (backend) => {
  it('KV-cache log-probs equal tokenLogProbs of the full sequences, with prompts of different lengths', async () => {
    await use(backend);
    const model = tinyModel(CONFIG, 1);
    const gen = model.generate(PROMPTS, { maxNewTokens: 8, rng: Rng.fromSeed(2) });
    expect(gen.responses.some((r) => r.length >= 4)).toBe(true);
    const seqs = PROMPTS.map((p, i) => [...p, ...gen.responses[i]!]);
    const L = Math.max(...seqs.map((s) => s.length));
    const batch = take(model.tokenLogProbs(padRight(seqs, L), seqs.length, L));
    PROMPTS.forEach((p, i) => {
      const r = gen.responses[i]!;
      expect(gen.logProbs[i]!.length).toBe(r.length);
      for (let s = 0; s < r.length; s++) {
        expect(Math.abs(gen.logProbs[i]![s]! - batch[i * (L - 1) + p.length - 1 + s]!)).toBeLessThan(1e-4);
      }
    });
    // A prompt generated alone gives the same tokens as in the batch only if the rng draws line up, so compare
    // the distribution instead: the batch's per-token log-probs also match each sequence scored alone.
    const alone = recomputed(model, PROMPTS[1]!, gen.responses[1]!);
    gen.responses[1]!.forEach((t, s) => expect(Math.abs(alone[s]![t]! - gen.logProbs[1]![s]!)).toBeLessThan(1e-4));
    model.dispose();
  });

  it('greedy picks the argmax of the recomputed distribution; topK = 1 and temperature 0 equal greedy', async () => {
    await use(backend);
    const model = tinyModel(CONFIG, 3);
    const greedy = model.generate(PROMPTS, { maxNewTokens: 6, rng: Rng.fromSeed(0), greedy: true, stopTokens: [] });
    PROMPTS.forEach((p, i) => {
      const rows = recomputed(model, p, greedy.responses[i]!);
      greedy.responses[i]!.forEach((t, s) => expect(rank(rows[s]!, t)).toBe(0));
    });
    const top1 = model.generate(PROMPTS, { maxNewTokens: 6, rng: Rng.fromSeed(5), topK: 1, stopTokens: [] });
    const cold = model.generate(PROMPTS, { maxNewTokens: 6, rng: Rng.fromSeed(6), temperature: 0, stopTokens: [] });
    expect(top1.responses).toEqual(greedy.responses);
    expect(cold.responses).toEqual(greedy.responses);
    model.dispose();
  });
});

describe('generate sampling rules and stopping', () => {
  it('top-k and top-p never sample outside the allowed set (recomputed from the model)', async () => {
    await use('wasm');
    const model = tinyModel(CONFIG, 4, 0.5);
    const rng = Rng.fromSeed(11);
    const prompts = Array.from({ length: 16 }, (_, i) => PROMPTS[i % PROMPTS.length]!);
    let outsideTop3 = 0;
    let sampled = 0;
    const k = model.generate(prompts, { maxNewTokens: 8, rng, topK: 3, stopTokens: [] });
    prompts.forEach((p, i) => {
      const rows = recomputed(model, p, k.responses[i]!);
      k.responses[i]!.forEach((t, s) => {
        sampled++;
        if (rank(rows[s]!, t) >= 3) outsideTop3++;
      });
    });
    expect(sampled).toBe(16 * 8);
    expect(outsideTop3).toBe(0);
    // Nucleus: the chosen token's rank is below the size of the smallest prefix whose mass reaches p.
    const topP = 0.6;
    const n = model.generate(prompts, { maxNewTokens: 8, rng, topP, temperature: 1.5, stopTokens: [] });
    let outsideNucleus = 0;
    const distinct = new Set<number>();
    prompts.forEach((p, i) => {
      const rows = recomputed(model, p, n.responses[i]!);
      n.responses[i]!.forEach((t, s) => {
        const probs = rows[s]!.map((v) => Math.exp(v / 1.5));
        const total = probs.reduce((a, b) => a + b, 0);
        const sorted = [...probs].sort((a, b) => b - a);
        let mass = 0;
        let size = 0;
        while (mass < topP * total) mass += sorted[size++]!;
        if (rank(rows[s]!, t) >= size) outsideNucleus++;
        distinct.add(rank(rows[s]!, t));
      });
    });
    expect(outsideNucleus).toBe(0);
    expect(distinct.size).toBeGreaterThan(1); // it does sample, not just argmax
    model.dispose();
  });

  it('chooseToken matches the renormalised top-k / top-p probabilities (fixed seed, 20k draws)', () => {
    const logits = Float32Array.from([0, Math.log(4), Math.log(2), Math.log(3), Math.log(1)]); // p ∝ 1,4,2,3,1
    // Sorted masses 4, 3, 2, 1, 1 (of 11): top-p 0.7 needs 4+3+2 = 9/11; top-k 2 then top-p 0.5 keeps 4 (4/7 ≥ 0.5).
    const cases: Array<[{ topK?: number; topP?: number }, number[]]> = [
      [{ topK: 2 }, [0, 4 / 7, 0, 3 / 7, 0]],
      [{ topP: 0.7 }, [0, 4 / 9, 2 / 9, 3 / 9, 0]],
      [{ topK: 2, topP: 0.5 }, [0, 1, 0, 0, 0]],
      [{}, [1 / 11, 4 / 11, 2 / 11, 3 / 11, 1 / 11]],
    ];
    const rng = Rng.fromSeed(3);
    const scratch = new Float64Array(5);
    const order = new Int32Array(5);
    for (const [opts, expected] of cases) {
      const rule = checkSamplingRule(opts, 5);
      const counts = new Array(5).fill(0);
      const draws = 20_000;
      for (let i = 0; i < draws; i++) counts[chooseToken(logits, 0, 5, rule, rng, scratch, order)]++;
      counts.forEach((c, i) => {
        if (expected[i] === 0 || expected[i] === 1) expect(c).toBe(expected[i]! * draws);
        // 5 standard deviations of a binomial proportion.
        else expect(Math.abs(c / draws - expected[i]!)).toBeLessThan(5 * Math.sqrt((expected[i]! * (1 - expected[i]!)) / draws));
      });
    }
  });

  it('stops at stop tokens (included), at maxNewTokens and at the context length; finished sequences stop growing', async () => {
    await use('wasm');
    const model = tinyModel(CONFIG, 5);
    // Make EOS overwhelmingly likely everywhere.
    const w = model.getWeights();
    w.get('head.bias')![Tokenizer.EOS] = 60;
    model.setWeights(w);
    const eos = model.generate(PROMPTS, { maxNewTokens: 5, rng: Rng.fromSeed(1) });
    expect(eos.finishReasons).toEqual(['stop', 'stop', 'stop', 'stop']);
    for (const r of eos.responses) expect(Array.from(r)).toEqual([Tokenizer.EOS]);
    const noStop = model.generate(PROMPTS, { maxNewTokens: 5, rng: Rng.fromSeed(1), stopTokens: [] });
    expect(noStop.finishReasons).toEqual(['length', 'length', 'length', 'length']);
    for (const r of noStop.responses) expect(r.length).toBe(5);
    // A prompt of 14 tokens in a 16-token context gets 2 tokens; one of 16 gets none.
    const long = Int32Array.from({ length: 14 }, (_, i) => 3 + (i % 6));
    const full = Int32Array.from({ length: 16 }, (_, i) => 3 + (i % 6));
    const ctx = model.generate([long, PROMPTS[0]!, full], { maxNewTokens: 6, rng: Rng.fromSeed(1), stopTokens: [] });
    expect(ctx.finishReasons).toEqual(['context', 'length', 'context']);
    expect(ctx.responses.map((r) => r.length)).toEqual([2, 6, 0]);
    expect(() => model.generate([Int32Array.from({ length: 17 }, () => 3)], { maxNewTokens: 1, rng: Rng.fromSeed(1) })).toThrow(
      /17 tokens, more than the model's context length 16/,
    );
    const none = model.generate(PROMPTS, { maxNewTokens: 0, rng: Rng.fromSeed(1) });
    expect(none.responses.every((r) => r.length === 0) && none.finishReasons.every((f) => f === 'length')).toBe(true);
    model.dispose();
  });

  it('mixes finish reasons in one batch without letting finished sequences grow; log-probs stay exact as the batch shrinks', async () => {
    await use('wasm');
    const model = tinyModel(CONFIG, 6, 0.6);
    const w = model.getWeights();
    w.get('head.bias')![3] = 5; // make the stop token 3 common
    model.setWeights(w);
    const prompts = Array.from({ length: 24 }, (_, i) => PROMPTS[i % 4]!);
    // Stop on a frequent token so sequences end at different steps.
    const gen = model.generate(prompts, { maxNewTokens: 7, rng: Rng.fromSeed(8), stopTokens: [3, 5] });
    const lengths = new Set(gen.responses.map((r) => r.length));
    expect(lengths.size).toBeGreaterThan(1);
    gen.responses.forEach((r, i) => {
      const stopAt = Array.from(r).findIndex((t) => t === 3 || t === 5);
      if (gen.finishReasons[i] === 'stop') expect(stopAt).toBe(r.length - 1);
      else expect(stopAt).toBe(-1);
    });
    // At least half stop before the last step while others run to maxNewTokens, so finished rows are dropped
    // from the cache mid-generation (batch 24 → ≤ 12 → …).
    expect(gen.responses.filter((r) => r.length < 7).length).toBeGreaterThanOrEqual(12);
    expect(gen.responses.filter((r) => r.length === 7).length).toBeGreaterThan(0);
    const seqs = prompts.map((p, i) => [...p, ...gen.responses[i]!]);
    const L = Math.max(...seqs.map((s) => s.length));
    const batch = take(model.tokenLogProbs(padRight(seqs, L), seqs.length, L));
    prompts.forEach((p, i) => {
      gen.responses[i]!.forEach((_, s) => expect(Math.abs(gen.logProbs[i]![s]! - batch[i * (L - 1) + p.length - 1 + s]!)).toBeLessThan(1e-4));
    });
    model.dispose();
  });

  it('is deterministic for a seed, validates its options, and reports non-finite logits without leaking', async () => {
    await use('wasm');
    const model = tinyModel(CONFIG, 7);
    const tensorsBefore = tf.memory().numTensors;
    const run = (seed: number): Generation => model.generate(PROMPTS, { maxNewTokens: 6, rng: Rng.fromSeed(seed), topK: 5, temperature: 0.8 });
    expect(run(1)).toEqual(run(1));
    expect(run(1).responses).not.toEqual(run(2).responses);
    const rng = Rng.fromSeed(0);
    expect(() => model.generate(PROMPTS, { maxNewTokens: -1, rng })).toThrow(/maxNewTokens/);
    expect(() => model.generate(PROMPTS, { maxNewTokens: 2, rng, topP: 0 })).toThrow(/topP/);
    expect(() => model.generate(PROMPTS, { maxNewTokens: 2, rng, topK: 0 })).toThrow(/topK/);
    expect(() => model.generate(PROMPTS, { maxNewTokens: 2, rng, temperature: -1 })).toThrow(/temperature/);
    expect(() => model.generate(PROMPTS, { maxNewTokens: 2, rng, stopTokens: [10] })).toThrow(/token id 10/);
    expect(() => model.generate([new Int32Array(0)], { maxNewTokens: 2, rng })).toThrow(/prompt 0 is empty/);
    expect(() => model.generate(PROMPTS, { maxNewTokens: 2, rng, seed: 1 } as never)).toThrow(InvalidArgumentError);
    expect(model.generate([], { maxNewTokens: 2, rng })).toEqual({ responses: [], logProbs: [], finishReasons: [] });
    const w = model.getWeights();
    w.get('head.bias')![4] = 1e38;
    w.get('head.weight')!.fill(1e38); // overflows to ±Infinity/NaN logits
    model.setWeights(w);
    expect(() => model.generate(PROMPTS, { maxNewTokens: 2, rng })).toThrow(NumericalError);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    model.dispose();
  });
});
