/**
 * GRPOTrainer on a toy task (reward 1 iff the response starts with 'a') with a tiny random decoder:
 * one step changes the weights and logs every metric; GRPO and DCPO raise the reward within a few dozen
 * steps; dynamic sampling refills and counts generation calls; a verifier that throws and prompts with
 * constant rewards never stop a run; same seed → same run; the tensor count stays flat; save → load →
 * continue equals an uninterrupted run; a tokenizer that is not the task's is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRPOTrainer, GRPO_PRESET_NAMES, grpoPreset, parseGRPOConfig, STEP_METRICS, type GRPOConfigInput } from '../../src/algos/grpo/index.js';
import { initBackend } from '../../src/core/backend.js';
import { InvalidArgumentError, UnknownOptionError } from '../../src/core/errors.js';
import { CausalDecoder, Tokenizer } from '../../src/nn/transformer/index.js';
import { makeToyTask, toyModel, TOY_CONFIG } from './trainer-fixtures.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'teleo-grpo-test-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  await initBackend('wasm');
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function trainerFor(config: GRPOConfigInput, taskOptions = {}, modelSeed = 0): GRPOTrainer {
  const task = makeToyTask(taskOptions);
  const { model, tokenizer } = toyModel(task, modelSeed);
  return new GRPOTrainer(model, tokenizer, task, { ...TOY_CONFIG, ...config });
}

function weightsOf(trainer: GRPOTrainer): Float32Array {
  const all = [...trainer.model.getWeights().values()];
  const out = new Float32Array(all.reduce((n, w) => n + w.length, 0));
  let k = 0;
  for (const w of all) {
    out.set(w, k);
    k += w.length;
  }
  return out;
}

/** The training keys of each step record (evaluation timing aside). */
function trainingRecords(trainer: GRPOTrainer): Record<string, number>[] {
  return trainer.logger.records
    .filter((r) => r['rollout/reward_mean'] !== undefined)
    .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('time/step') && !k.endsWith('tokens_per_s'))));
}

describe('GRPOTrainer', () => {
  it('one step changes the weights and records every step metric; evaluation records accuracy and pass@k', async () => {
    const trainer = trainerFor({ ...grpoPreset('grpo'), evalInterval: 1 });
    try {
      const before = weightsOf(trainer);
      await trainer.learn({ steps: 1 });
      const after = weightsOf(trainer);
      expect(after.some((w, i) => w !== before[i])).toBe(true);
      const records = trainer.logger.records;
      expect(records).toHaveLength(2); // step 0 (warm-start evaluation) and step 1
      const step = records[1]!;
      for (const key of STEP_METRICS) {
        expect(step[key], key).toBeTypeOf('number');
        expect(Number.isFinite(step[key]), key).toBe(true);
      }
      for (const key of ['eval/accuracy', 'eval/pass@1', 'eval/pass@2', 'eval/reward_mean', 'eval/response_length']) expect(records[0]![key], key).toBeTypeOf('number');
      expect(step['eval/accuracy']).toBeTypeOf('number');
      expect(step['rollout/generation_calls']).toBe(1);
      expect(step['train/groups']).toBe(TOY_CONFIG.promptsPerStep);
      expect(step['train/updates']).toBe(TOY_CONFIG.promptsPerStep / TOY_CONFIG.miniBatchPrompts);
      expect(step['rollout/component/first']).toBeCloseTo(step['rollout/accuracy']!, 12);
      // The presets warm the learning rate up over 10 updates: after this step's 2 updates it is at 2/10.
      expect(step['train/learning_rate']).toBeCloseTo((TOY_CONFIG.learningRate * 2) / 10, 12);
      // β > 0 in the grpo preset: the KL to the frozen start is measured (0 before the first update moves the policy).
      expect(step['train/kl_ref']).toBeGreaterThanOrEqual(0);
      expect(trainer.numSteps).toBe(1);
      expect(trainer.generationCalls).toBe(1);
    } finally {
      trainer.dispose();
    }
  });

  it.each(['grpo', 'dcpo'])('%s raises the reward on the toy task within 25 steps', async (preset) => {
    const trainer = trainerFor({ ...grpoPreset(preset), promptsPerStep: 8, miniBatchPrompts: 4, numGenerations: 8, learningRate: 3e-2 });
    try {
      await trainer.learn({ steps: 25 });
      const rewards = trainingRecords(trainer).map((r) => r['rollout/reward_mean']!);
      const first = (rewards[0]! + rewards[1]! + rewards[2]!) / 3;
      const last = (rewards[22]! + rewards[23]! + rewards[24]!) / 3;
      expect(first).toBeLessThan(0.6);
      expect(last).toBeGreaterThan(0.9);
    } finally {
      trainer.dispose();
    }
  });

  it('dynamic sampling drops constant-reward groups, generates more and counts the calls', async () => {
    // Every even-indexed pool problem accepts any response: those groups are constant and dropped.
    const trainer = trainerFor({ ...grpoPreset('dapo'), overlongBufferLength: null, maxGenerationBatches: 5 }, { alwaysCorrectEvery: 2 });
    try {
      await trainer.learn({ steps: 3 });
      const records = trainingRecords(trainer);
      let total = 0;
      for (const r of records) {
        total += r['rollout/generation_calls']!;
        expect(r['rollout/generated_groups']).toBe(r['rollout/generation_calls']! * TOY_CONFIG.promptsPerStep);
        // Every trained group has a non-constant accuracy, so a non-zero advantage.
        expect(r['train/response_utilisation']).toBeGreaterThan(0);
        expect(r['rollout/nonzero_adv_group_frac']).toBeCloseTo(r['train/groups']! / r['rollout/generated_groups']!, 12);
      }
      expect(records.some((r) => r['rollout/generation_calls']! > 1)).toBe(true);
      expect(trainer.generationCalls).toBe(total);
    } finally {
      trainer.dispose();
    }
  });

  it('dynamic sampling with only constant groups stops at maxGenerationBatches and skips the update', async () => {
    const trainer = trainerFor({ ...grpoPreset('dapo'), overlongBufferLength: null, maxGenerationBatches: 3 }, { alwaysCorrectEvery: 1 });
    try {
      const before = weightsOf(trainer);
      await trainer.learn({ steps: 1 });
      const [r] = trainingRecords(trainer);
      expect(r!['rollout/generation_calls']).toBe(3);
      expect(r!['train/groups']).toBe(0);
      expect(r!['train/updates']).toBe(0);
      expect(r!['rollout/zero_adv_group_frac']).toBe(1);
      expect(weightsOf(trainer)).toEqual(before);
    } finally {
      trainer.dispose();
    }
  });

  it('a verifier that throws gives reward 0 and the verifier-error flag, and training continues', async () => {
    const trainer = trainerFor({ ...grpoPreset('dcpo') }, { throwEvery: 3 });
    try {
      await trainer.learn({ steps: 3 });
      const records = trainingRecords(trainer);
      expect(records).toHaveLength(3);
      expect(records.some((r) => (r['rollout/flag/verifier-error'] ?? 0) > 0)).toBe(true);
    } finally {
      trainer.dispose();
    }
  });

  it('is deterministic for a seed, and another seed gives another run', async () => {
    const run = async (seed: number) => {
      const trainer = trainerFor({ ...grpoPreset('dapo'), seed });
      try {
        await trainer.learn({ steps: 3 });
        return { records: trainingRecords(trainer), weights: weightsOf(trainer) };
      } finally {
        trainer.dispose();
      }
    };
    const a = await run(3);
    const b = await run(3);
    const c = await run(4);
    expect(b.records).toEqual(a.records);
    expect(b.weights).toEqual(a.weights);
    expect(c.weights).not.toEqual(a.weights);
  });

  it('keeps the tensor count flat over steps (KL reference and dynamic sampling included)', async () => {
    const trainer = trainerFor({ ...grpoPreset('grpo'), dynamicSampling: true, evalInterval: 2 });
    try {
      await trainer.learn({ steps: 1 });
      const start = tf.memory().numTensors;
      await trainer.learn({ steps: 4 });
      expect(tf.memory().numTensors).toBe(start);
    } finally {
      trainer.dispose();
    }
  });

  it.each(['grpo', 'dcpo'])('%s: save → load → continue equals an uninterrupted run (optimizer, SAS, pool, RNG, reference)', async (preset) => {
    const config = { ...grpoPreset(preset), beta: 0.01, seed: 11 };
    const straight = trainerFor(config);
    const dir = join(tempDir(), 'ckpt');
    let resumed: GRPOTrainer | null = null;
    const first = trainerFor(config);
    try {
      await straight.learn({ steps: 4 });
      await first.learn({ steps: 2 });
      await first.save(dir);
      resumed = await GRPOTrainer.load(dir, makeToyTask());
      expect(resumed.numSteps).toBe(2);
      await resumed.learn({ steps: 2 });
      expect(weightsOf(resumed)).toEqual(weightsOf(straight));
      expect(trainingRecords(resumed)).toEqual(trainingRecords(straight).slice(2));
      expect(resumed.generationCalls).toBe(straight.generationCalls);
    } finally {
      straight.dispose();
      first.dispose();
      resumed?.dispose();
    }
  });

  it('refuses a prompt that does not fit the model’s context before training starts', () => {
    const task = makeToyTask();
    const tokenizer = new Tokenizer(task.alphabet);
    // Prompts are BOS + 3 characters: a context of 4 leaves no room to generate.
    const model = new CausalDecoder({ vocabSize: tokenizer.vocabSize, contextLength: 4, dModel: 16, nLayers: 1, nHeads: 2 }, 0);
    try {
      expect(() => new GRPOTrainer(model, tokenizer, task, TOY_CONFIG)).toThrow(InvalidArgumentError);
      expect(() => new GRPOTrainer(model, tokenizer, task, TOY_CONFIG)).toThrow(/prompt of training problem .* is 4 tokens long .* the model's is 4/);
    } finally {
      model.dispose();
    }
  });

  it('refuses a tokenizer that is not the task’s, and a checkpoint of another task', async () => {
    const task = makeToyTask();
    const { model } = toyModel(task);
    try {
      const other = new Tokenizer(['a', 'b', 'c', 'd', 'x']);
      expect(() => new GRPOTrainer(model, other, task, TOY_CONFIG)).toThrow(InvalidArgumentError);
      expect(() => new GRPOTrainer(model, other, task, TOY_CONFIG)).toThrow(/tokenizer/);
    } finally {
      model.dispose();
    }
    const trainer = trainerFor({});
    const dir = join(tempDir(), 'ckpt');
    try {
      await trainer.save(dir);
      const renamed = { ...makeToyTask(), name: 'other-task' };
      await expect(GRPOTrainer.load(dir, renamed)).rejects.toThrow(/trains task 'starts-with-a'/);
    } finally {
      trainer.dispose();
    }
  });
});

describe('GRPO config and presets', () => {
  it('every preset parses, with the rule each paper uses', () => {
    const parsed = Object.fromEntries(GRPO_PRESET_NAMES.map((name) => [name, parseGRPOConfig(grpoPreset(name))]));
    expect(parsed.grpo!.clipType).toBe('symmetric');
    expect(parsed.grpo!.lossType).toBe('seq-mean-token-mean');
    expect(parsed.drgrpo!.scaleRewards).toBe('none');
    expect(parsed.drgrpo!.lossType).toBe('seq-mean-token-sum-norm');
    expect(parsed.dapo!).toMatchObject({ clipType: 'decoupled', epsilon: 0.2, epsilonHigh: 0.28, dualClipC: 10, dynamicSampling: true, lossType: 'token-mean', beta: 0 });
    expect(parsed.dcpo!).toMatchObject({ clipType: 'dcpo-dynamic', advantageEstimator: 'dcpo', lossType: 'group-token-mean-sum', dynamicSampling: false, beta: 0 });
  });

  it('rejects unknown keys, bad values and inconsistent settings with the key named', () => {
    expect(() => parseGRPOConfig({ numGeneration: 8 })).toThrow(/'numGeneration': unknown key/);
    expect(() => parseGRPOConfig({ numGenerations: 1 })).toThrow(/'numGenerations'/);
    expect(() => parseGRPOConfig({ lossType: 'sum' })).toThrow(/unknown loss type 'sum'/);
    expect(() => parseGRPOConfig({ epsilon: 0.2, epsilonHigh: 0.3, clipType: 'symmetric' })).toThrow(/'clipType'/);
    expect(() => parseGRPOConfig({ advantageEstimator: 'dcpo', scaleRewards: 'none' })).toThrow(/'scaleRewards'/);
    expect(() => parseGRPOConfig({ passAtK: [8], evalSamples: 4 })).toThrow(/'passAtK'/);
    expect(parseGRPOConfig({ lossType: 'dr_grpo' }).lossType).toBe('seq-mean-token-sum-norm');
    expect(parseGRPOConfig({ epsilonHigh: 0.28 }).clipType).toBe('decoupled');
    expect(() => grpoPreset('dcp')).toThrow(/Did you mean: 'dcpo'/);
    const task = makeToyTask();
    const { model, tokenizer } = toyModel(task);
    try {
      expect(() => new GRPOTrainer(model, tokenizer, task, TOY_CONFIG, { log: true } as never)).toThrow(UnknownOptionError);
    } finally {
      model.dispose();
    }
  });
});
