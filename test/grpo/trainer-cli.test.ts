/**
 * `teleo train grpo`: the warm start is required (the error says to run `teleo train sft` first), a
 * checkpoint whose tokenizer or task is not the task's is refused, and a tiny run trains, saves a
 * checkpoint and resumes from it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenizerForTask } from '../../src/algos/sequence/index.js';
import { cli } from '../fixtures/cli.js';
import { initBackend } from '../../src/core/backend.js';
import { makeTextTask } from '../../src/envs/text/index.js';
import { CausalDecoder, saveSequenceModel, Tokenizer } from '../../src/nn/transformer/index.js';

const root = mkdtempSync(join(tmpdir(), 'teleo-grpo-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Saves a tiny random decoder for `tokenizer` as an SFT-style run directory recording `task`. */
async function saveInit(name: string, tokenizer: Tokenizer, extra: Record<string, unknown>): Promise<string> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const model = new CausalDecoder({ vocabSize: tokenizer.vocabSize, contextLength: 16, dModel: 16, nLayers: 1, nHeads: 2 }, 0);
  try {
    await saveSequenceModel(join(dir, 'model'), model, tokenizer, extra);
  } finally {
    model.dispose();
  }
  return dir;
}

const TINY = { numGenerations: 2, promptsPerStep: 2, miniBatchPrompts: 1, promptPoolSize: 4, evalInterval: 1, evalProblems: 4, evalSamples: 1, passAtK: [1] };

beforeAll(async () => {
  await initBackend('wasm');
});

describe('teleo train grpo', () => {
  it('without --init says to train a warm start with teleo train sft first', async () => {
    const r = await cli(...['train', 'grpo', 'addition', '--out', join(root, 'no-init')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/InvalidArgumentError: .*--init/);
    expect(r.err).toContain('teleo train sft addition');
  });

  it('refuses a checkpoint whose tokenizer is not the task’s', async () => {
    const init = await saveInit('wrong-tokenizer', new Tokenizer(['0', '1', '+', '=']), { task: 'addition', taskOptions: { difficulty: 1 } });
    const r = await cli(...['train', 'grpo', 'addition', '--init', init, '--out', join(root, 'wrong-tokenizer-run')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/InvalidArgumentError: The tokenizer of checkpoint .* does not match task 'addition'/);
  });

  it('refuses a checkpoint trained on another task, and an unknown preset', async () => {
    const mult = makeTextTask('multiplication');
    const init = await saveInit('other-task', tokenizerForTask(mult), { task: 'multiplication' });
    const r = await cli(...['train', 'grpo', 'addition', '--init', init, '--out', join(root, 'other-task-run')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/trained on task 'multiplication', not 'addition'/);
    const add = await saveInit('addition-init', tokenizerForTask(makeTextTask('addition')), { task: 'addition', taskOptions: { difficulty: 1 } });
    const p = await cli(...['train', 'grpo', 'addition', '--init', add, '--preset', 'dcp', '--out', join(root, 'bad-preset-run')]);
    expect(p.code).toBe(1);
    expect(p.err).toMatch(/Unknown GRPO preset 'dcp'.*Did you mean: 'dcpo'/);
  });

  it('trains from --init with a preset, writes metrics and a checkpoint, and --resume continues it', async () => {
    const init = await saveInit('init', tokenizerForTask(makeTextTask('addition', { difficulty: 1 })), { task: 'addition', taskOptions: { difficulty: 1 } });
    const config = join(root, 'tiny.json');
    writeFileSync(config, JSON.stringify(TINY));
    const out = join(root, 'run');
    const r = await cli(...['train', 'grpo', 'addition', '--init', init, '--preset', 'dcpo', '--steps', '2', '--config', config, '--seed', '3', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('preset:    dcpo');
    expect(r.out).toMatch(/held-out greedy accuracy \d\.\d{3} \(step 0\) → \d\.\d{3} \(step 2\)/);
    expect(r.err).toMatch(/\[step 2\/2\] reward/);
    const records = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((x) => x['time/total_timesteps'])).toEqual([0, 1, 2]);
    const state = JSON.parse(readFileSync(join(out, 'checkpoint', 'trainer.json'), 'utf8'));
    expect(state).toMatchObject({ task: 'addition', steps: 2, taskOptions: { difficulty: 1 } });
    expect(state.config).toMatchObject({ clipType: 'dcpo-dynamic', seed: 3, numGenerations: 2 });

    const resumed = await cli(...['train', 'grpo', 'addition', '--resume', join(out, 'checkpoint'), '--steps', '1', '--no-progress']);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toContain('resuming after step 2');
    expect(JSON.parse(readFileSync(join(out, 'checkpoint', 'trainer.json'), 'utf8')).steps).toBe(3);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(4);
  });
});
