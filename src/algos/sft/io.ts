/**
 * Saving an SFT result as a sequence-model checkpoint (`<path>.safetensors` + `<path>.json`, written
 * atomically by `saveSequenceModel`). The JSON's extra fields record where the model came from, so a
 * GRPO run started from it can rebuild the same task and report the warm start:
 * `{ trainer: 'sft', task, taskOptions (the task's resolved options), sftConfig, steps, stopReason, seconds, finalEval, history }`.
 */
import type { TextTask } from '../../envs/text/index.js';
import { saveSequenceModel } from '../../nn/transformer/index.js';
import type { SFTResult } from './sft.js';

export interface SFTCheckpointExtra {
  trainer: 'sft';
  task: string;
  taskOptions: Record<string, unknown>;
  sftConfig: SFTResult['config'];
  steps: number;
  stopReason: SFTResult['stopReason'];
  seconds: number;
  finalEval: SFTResult['finalEval'];
  history: SFTResult['history'];
}

export function sftCheckpointExtra(result: SFTResult, task: Pick<TextTask, 'name' | 'options'>): SFTCheckpointExtra {
  return {
    trainer: 'sft',
    task: task.name,
    taskOptions: { ...task.options },
    sftConfig: result.config,
    steps: result.steps,
    stopReason: result.stopReason,
    seconds: result.seconds,
    finalEval: result.finalEval,
    history: result.history,
  };
}

/** Saves the SFT model, its tokenizer and `sftCheckpointExtra(...)` at `path` (a stem). */
export async function saveSFTModel(path: string, result: SFTResult, task: Pick<TextTask, 'name' | 'options'>): Promise<void> {
  await saveSequenceModel(path, result.model, result.tokenizer, { ...sftCheckpointExtra(result, task) });
}
