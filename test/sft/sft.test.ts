/**
 * trainSFT on the copy fixture (learnable in seconds): reaches full held-out accuracy, stops at the
 * first evaluation that reaches the target, is reproducible from its seed, saves and loads to the same
 * evaluation; plus config validation and demonstration noise.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSequencePolicyForTask } from '../../src/algos/sequence/index.js';
import { corruptResponse, parseSFTConfig, saveSFTModel, trainSFT, type SFTConfigInput } from '../../src/algos/sft/index.js';
import { initBackend } from '../../src/core/backend.js';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { makeTextTask } from '../../src/envs/text/index.js';
import { Tokenizer } from '../../src/nn/transformer/index.js';
import { evaluateSequencePolicy } from '../../src/train/sequence-eval.js';
import { makeCopyTask } from './copy-task.js';

const SMALL: SFTConfigInput = { dModel: 32, nLayers: 1, nHeads: 2, contextLength: 12, learningRate: 3e-3, batchSize: 16, evalProblems: 25, logEvery: 5 };
const dirs: string[] = [];

beforeAll(async () => {
  await initBackend('wasm');
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('trainSFT', () => {
  it('learns the copy task to full held-out accuracy and stops there; save → load gives the same evaluation', async () => {
    const task = makeCopyTask();
    const evals: number[] = [];
    const result = await trainSFT(task, { ...SMALL, targetAccuracy: 1, maxSteps: 300, evalEvery: 10 }, { onEval: (_, e) => evals.push(e.accuracy) });
    try {
      expect(result.stopReason).toBe('target-accuracy');
      expect(result.finalEval.accuracy).toBe(1);
      expect(result.steps).toBeLessThan(300);
      expect(result.steps % 10).toBe(0);
      // Every earlier evaluation was below the target: it stopped at the first that reached it.
      expect(evals.slice(0, -1).every((a) => a < 1)).toBe(true);
      expect(evals.length).toBe(result.steps / 10);
      const losses = result.history.filter((r) => r['train/loss'] !== undefined).map((r) => r['train/loss']!);
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! / 2);

      const dir = mkdtempSync(join(tmpdir(), 'teleo-sft-'));
      dirs.push(dir);
      await saveSFTModel(join(dir, 'model'), result, task);
      const loaded = await loadSequencePolicyForTask(dir, task);
      try {
        expect(loaded.extra.trainer).toBe('sft');
        expect(loaded.extra.task).toBe('copy');
        expect((loaded.extra.finalEval as { accuracy: number }).accuracy).toBe(1);
        expect(loaded.tokenizer.equals(result.tokenizer)).toBe(true);
        const problems = task.problems({ split: 'test', count: 20, seed: 7 });
        const opts = { k: [1, 2], samples: 3, maxNewTokens: 4 };
        const before = evaluateSequencePolicy(result.model, result.tokenizer, task, problems, { ...opts, rng: Rng.fromSeed(5) });
        const after = evaluateSequencePolicy(loaded.model, loaded.tokenizer, task, problems, { ...opts, rng: Rng.fromSeed(5) });
        expect(after).toEqual(before);
        expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).sftConfig.batchSize).toBe(16);
      } finally {
        loaded.model.dispose();
      }
      await expect(loadSequencePolicyForTask(dir, makeTextTask('addition'))).rejects.toThrow(/does not match task 'addition'/);
      await expect(loadSequencePolicyForTask(join(dir, 'nothing'), task)).rejects.toThrow(InvalidArgumentError);
    } finally {
      result.model.dispose();
    }
  });

  it('is reproducible from its seed, and trains to maxSteps without a target', async () => {
    const task = makeCopyTask();
    const config: SFTConfigInput = { ...SMALL, targetAccuracy: null, maxSteps: 6, evalEvery: 100, seed: 4, demonstrationNoise: 0.5, warmupSteps: 10 };
    const tensorsBefore = tf.memory().numTensors;
    const a = await trainSFT(task, config);
    const b = await trainSFT(task, config);
    try {
      expect(a.stopReason).toBe('max-steps');
      expect(a.steps).toBe(6);
      // Linear warm-up: the record at step 5 used 5/10 of the learning rate.
      expect(a.history[0]).toMatchObject({ step: 5, 'train/learning_rate': 3e-3 * 0.5 });
      // One evaluation: at the last step (6 is not a multiple of evalEvery).
      expect(a.history.filter((r) => r['eval/accuracy'] !== undefined).map((r) => r.step)).toEqual([6]);
      expect(b.history).toEqual(a.history.map((r) => (r['train/response_tokens_per_s'] !== undefined || r['eval/seconds'] !== undefined ? expect.anything() : r)));
      const wa = a.model.getWeights();
      const wb = b.model.getWeights();
      for (const [name, values] of wa) expect(wb.get(name)).toEqual(values);
    } finally {
      a.model.dispose();
      b.model.dispose();
    }
    // Training and evaluation leave no tensors behind: only the models' variables, now disposed.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});

describe('SFT config and noise', () => {
  it('fills documented defaults and rejects bad or unknown keys with typed errors', async () => {
    const d = parseSFTConfig({});
    expect(d).toMatchObject({ dModel: 64, nLayers: 2, nHeads: 4, learningRate: 1e-3, targetAccuracy: 0.4, demonstrationNoise: 0 });
    expect(() => parseSFTConfig({ learningrate: 1 })).toThrow(/'learningrate': unknown key/);
    expect(() => parseSFTConfig({ learningRate: -1 })).toThrow(/'learningRate'/);
    expect(() => parseSFTConfig({ targetAccuracy: 1.5 })).toThrow(/'targetAccuracy'/);
    expect(() => parseSFTConfig({ dModel: 30, nHeads: 4 })).toThrow(/multiple of 'nHeads'/);
    expect(() => parseSFTConfig('fast')).toThrow(InvalidArgumentError);
    await expect(trainSFT(makeTextTask('addition'), { contextLength: 8 })).rejects.toThrow(/needs a context of 14, the model's is 8/);
  });

  it('corruptResponse changes exactly one non-EOS token to another alphabet token', () => {
    const rng = Rng.fromSeed(0);
    const response = Int32Array.from([3, 4, 5, Tokenizer.EOS]);
    for (let i = 0; i < 200; i++) {
      const noisy = corruptResponse(response, 8, rng);
      const changed = [...noisy].map((id, j) => (id !== response[j] ? j : -1)).filter((j) => j >= 0);
      expect(changed.length).toBe(1);
      expect(changed[0]).toBeLessThan(3);
      expect(noisy[changed[0]!]).toBeGreaterThanOrEqual(3);
      expect(noisy[changed[0]!]).toBeLessThan(8);
    }
  });
});
