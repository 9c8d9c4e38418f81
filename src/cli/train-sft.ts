/**
 * `teleo train sft <task>`: SFT warm start of a tiny decoder on a text task's scripted demonstrations.
 * Prints the run header, progress lines on stderr, writes `<out>/metrics.jsonl`, `<out>/run.json` and the
 * model (`<out>/model.json` + `<out>/model.safetensors`, the input of `teleo train grpo --init <out>`),
 * and ends with the held-out greedy accuracy. The `train` command routes `sft` here (`train-command.ts`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError as CommanderArgumentError } from 'commander';
import { parseSFTConfig, saveSFTModel, trainSFT, type SFTConfigInput, type SFTRecord } from '../algos/sft/index.js';
import { RUN_MODEL_STEM } from '../algos/sequence/checkpoint.js';
import { initBackend, parseBackendName } from '../core/backend.js';
import { InvalidArgumentError } from '../core/errors.js';
import { makeTextTask } from '../envs/text/index.js';
import { MetricsLogger } from '../train/logger.js';
import { formatBackend } from '../train/run-header.js';
import type { CliIO } from './io.js';
import { readConfigFile } from './train-command.js';

export interface SFTTrainOptions {
  seed?: number;
  out?: string;
  backend?: string;
  config?: string;
  progress?: boolean;
  targetAccuracy?: number;
  maxSteps?: number;
  /** `key=value` strings; values are read as JSON when they parse (numbers, booleans), else as text. */
  taskOption?: string[];
}

/** Options of `teleo train` that only SFT reads (registered on the `train` command). */
export function addSFTTrainOptions(command: Command): Command {
  return command
    .option('--target-accuracy <x>', 'sft: stop when held-out greedy accuracy reaches this (default 0.4)', fraction)
    .option('--max-steps <n>', 'sft: most optimizer steps (default 3000)', positiveInteger)
    .option('--task-option <key=value>', 'sft: a text-task option, e.g. difficulty=2 (repeatable)', (value: string, previous: string[] = []) => [...previous, value]);
}

function fraction(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!(n > 0 && n <= 1)) throw new CommanderArgumentError('expected a number in (0, 1].');
  return n;
}

function positiveInteger(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new CommanderArgumentError('expected an integer >= 1.');
  return n;
}

/** `['digits=2', 'reverse=true']` → `{ digits: 2, reverse: true }`. */
export function parseTaskOptions(pairs: readonly string[] = []): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`--task-option ${JSON.stringify(pair)}: expected key=value`);
    const key = pair.slice(0, eq).trim();
    const text = pair.slice(eq + 1).trim();
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    options[key] = value;
  }
  return options;
}

function progressLine(record: SFTRecord, maxSteps: number, lastLoss: number, started: number): string {
  const seconds = (performance.now() - started) / 1000;
  return `[step ${record.step}/${maxSteps}] loss ${Number.isNaN(lastLoss) ? '—' : lastLoss.toFixed(3)} | held-out accuracy ${record['eval/accuracy']!.toFixed(3)} | ${seconds.toFixed(1)} s`;
}

export async function runTrainSFT(
  taskName: string,
  opts: SFTTrainOptions,
  io: CliIO,
): Promise<{ accuracy: number; steps: number; stopReason: string; out: string }> {
  const notForSFT = Object.entries({ preset: '--preset', totalTimesteps: '--total-timesteps', numEnvs: '--num-envs', resume: '--resume' })
    .filter(([key]) => (opts as Record<string, unknown>)[key] !== undefined)
    .map(([, flag]) => flag);
  if (notForSFT.length > 0) throw new InvalidArgumentError(`teleo train sft does not take ${notForSFT.join(', ')} (it trains for --max-steps or until --target-accuracy)`);
  const taskOptions = parseTaskOptions(opts.taskOption);
  const task = makeTextTask(taskName, taskOptions); // typed error with close matches before anything else
  let config: SFTConfigInput = opts.config === undefined ? {} : (readConfigFile(opts.config) as SFTConfigInput);
  if (opts.seed !== undefined) config = { ...config, seed: opts.seed };
  if (opts.targetAccuracy !== undefined) config = { ...config, targetAccuracy: opts.targetAccuracy };
  if (opts.maxSteps !== undefined) config = { ...config, maxSteps: opts.maxSteps };
  const parsed = parseSFTConfig(config);
  const out = resolve(opts.out ?? join('runs', `sft-${task.name}-s${parsed.seed}`));
  if (existsSync(join(out, 'metrics.jsonl'))) throw new InvalidArgumentError(`${out} already holds a run (metrics.jsonl); choose another --out`);
  const backend = await initBackend(parseBackendName(opts.backend ?? process.env.TELEO_BACKEND ?? 'auto'));

  io.out(
    [
      `teleo train sft ${task.name}`,
      `  backend:   ${formatBackend(backend)}`,
      `  seed:      ${parsed.seed}`,
      `  steps:     at most ${parsed.maxSteps.toLocaleString('en-US')}${parsed.targetAccuracy === null ? '' : `, until held-out greedy accuracy >= ${parsed.targetAccuracy}`}`,
      `  task:      ${task.name} ${JSON.stringify(task.options)}`,
      `  output:    ${out}`,
      `  config:    ${JSON.stringify(parsed)}`,
    ].join('\n'),
  );
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'run.json'), JSON.stringify({ algo: 'sft', task: task.name, taskOptions: task.options, seed: parsed.seed, backend, config: parsed }, null, 1));
  const logger = new MetricsLogger(join(out, 'metrics.jsonl'));
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let lastLoss = NaN;
  const result = await trainSFT(task, parsed, {
    onLog: (record) => {
      for (const [key, value] of Object.entries(record)) if (key !== 'step') logger.record(key, value);
      logger.dump(record.step!);
      if (record['train/loss'] !== undefined) lastLoss = record['train/loss'];
      if (record['eval/accuracy'] !== undefined && opts.progress !== false) io.err(progressLine(record, parsed.maxSteps, lastLoss, started));
    },
  });
  try {
    await saveSFTModel(join(out, RUN_MODEL_STEM), result, task);
  } finally {
    result.model.dispose();
  }
  const cpu = process.cpuUsage(cpuStart);
  const e = result.finalEval;
  const why = result.stopReason === 'target-accuracy' ? `target ${parsed.targetAccuracy} reached` : 'step budget used';
  io.out(`held-out greedy accuracy ${e.accuracy.toFixed(3)} (mean reward ${e.meanReward.toFixed(3)}, ${e.problems} problems) after ${result.steps} steps (${why}) in ${result.seconds.toFixed(1)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`);
  io.out(`saved ${join(out, RUN_MODEL_STEM)}.json / .safetensors`);
  return { accuracy: e.accuracy, steps: result.steps, stopReason: result.stopReason, out };
}
