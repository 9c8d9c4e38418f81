/**
 * Finding and loading a saved sequence policy for a task: accepts a run directory (holding `model.json`
 * and `model.safetensors`) or the model's path stem, and refuses a checkpoint whose tokenizer is not the
 * task's (its token ids would mean other characters) with a typed error.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../core/errors.js';
import type { TextTask } from '../../envs/text/index.js';
import { loadSequenceModel, type CausalDecoder, type Tokenizer } from '../../nn/transformer/index.js';
import { assertTokenizerMatchesTask } from './encoding.js';

/** File stem of the model inside a run directory (`<run>/model.json` + `<run>/model.safetensors`). */
export const RUN_MODEL_STEM = 'model';

/**
 * The path stem (without `.json` / `.safetensors`) of the model at `location`: a run directory, a stem, or
 * either file. `InvalidArgumentError` saying what was looked for when there is none.
 */
export function resolveSequenceModelPath(location: string): string {
  const stem = location.replace(/\.(json|safetensors)$/, '');
  if (existsSync(`${stem}.json`) && existsSync(`${stem}.safetensors`)) return stem;
  const inRun = join(location, RUN_MODEL_STEM);
  if (existsSync(`${inRun}.json`) && existsSync(`${inRun}.safetensors`)) return inRun;
  throw new InvalidArgumentError(`${location}: no sequence model here (expected ${inRun}.json and ${inRun}.safetensors, or ${stem}.json and ${stem}.safetensors)`);
}

/** Loads the model at `location` and checks that its tokenizer is `task`'s. */
export async function loadSequencePolicyForTask(
  location: string,
  task: TextTask,
): Promise<{ model: CausalDecoder; tokenizer: Tokenizer; extra: Record<string, unknown>; path: string }> {
  const path = resolveSequenceModelPath(location);
  const { model, tokenizer, extra } = await loadSequenceModel(path);
  try {
    assertTokenizerMatchesTask(tokenizer, task, `checkpoint ${path}`);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, tokenizer, extra, path };
}
