/**
 * `teleo train grpo <task> --init <sft-run> [--preset grpo|drgrpo|dapo|dcpo] [--steps N] [--seed S] [--out DIR]`:
 * GRPO-family training of a warm-started sequence policy on a text task. The warm start is required (a
 * from-scratch policy solves nothing, so every group has zero advantage): without `--init` the command
 * says to run `teleo train sft <task>` first. The task is rebuilt with the options recorded in the
 * checkpoint; a checkpoint trained on another task, or whose tokenizer is not the task's, is refused with
 * a typed error. Prints a header, one progress line per step on stderr, writes `<out>/metrics.jsonl`,
 * `<out>/run.json` and the trainer checkpoint `<out>/checkpoint/` (its `model.json` is itself an `--init`
 * input), and ends with the held-out greedy accuracy before and after. `--resume <out>/checkpoint`
 * continues a saved run exactly. The `train` command routes `grpo` here (`train-command.ts`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError as CommanderArgumentError } from 'commander';
import { GRPO_PRESET_NAMES, GRPOTrainer, grpoConfigToJSON, grpoPreset, type GRPOConfigInput } from '../algos/grpo/index.js';
import { loadSequencePolicyForTask, resolveSequenceModelPath } from '../algos/sequence/checkpoint.js';
import { initBackend, parseBackendName, type BackendInfo } from '../core/backend.js';
import { InvalidArgumentError } from '../core/errors.js';
import { makeTextTask, type TextTask } from '../envs/text/index.js';
import { MetricsLogger, type MetricRecord } from '../train/logger.js';
import { formatBackend } from '../train/run-header.js';
import type { CliIO } from './io.js';
import { readConfigFile } from './train-command.js';

export interface GRPOTrainOptions {
  preset?: string;
  init?: string;
  steps?: number;
  seed?: number;
  out?: string;
  config?: string;
  resume?: string;
  backend?: string;
  progress?: boolean;
}

/** Default training steps of `teleo train grpo` (a few minutes on 2 cores with the default model). */
export const DEFAULT_GRPO_STEPS = 60;
/** Default preset (the method the reproduction is about). */
export const DEFAULT_GRPO_PRESET = 'grpo';

/** Options of `teleo train` that only GRPO reads (registered on the `train` command). */
export function addGRPOTrainOptions(command: Command): Command {
  return command
    .option('--init <sft-run>', 'grpo: the warm-start policy (an SFT run directory or model path; see teleo train sft)')
    .option('--steps <n>', `grpo: training steps (default ${DEFAULT_GRPO_STEPS})`, (value: string) => {
      const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n) || n < 1) throw new CommanderArgumentError('expected an integer >= 1.');
      return n;
    });
}

function readJson(path: string): Record<string, unknown> {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The task a warm-start checkpoint was trained on, rebuilt with its recorded options; refuses another task. */
function taskForInit(taskName: string, modelPath: string): TextTask {
  const extra = readJson(`${modelPath}.json`);
  const recorded = typeof extra.task === 'string' ? extra.task : null;
  const requested = makeTextTask(taskName, {}); // typed error with close matches for an unknown task
  if (recorded !== null && recorded !== requested.name) {
    throw new InvalidArgumentError(`--init ${modelPath}: the checkpoint was trained on task '${recorded}', not '${requested.name}'`);
  }
  const options = extra.taskOptions;
  return typeof options === 'object' && options !== null ? makeTextTask(requested.name, options as Record<string, unknown>) : requested;
}

function progressLine(record: MetricRecord, total: number, started: number): string {
  const f = (key: string, digits = 3) => (record[key] === undefined ? '—' : record[key]!.toFixed(digits));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const step = record['time/total_timesteps'] ?? 0;
  const evalPart = record['eval/accuracy'] === undefined ? '' : ` | held-out acc ${f('eval/accuracy')}`;
  if (record['rollout/reward_mean'] === undefined) return `[step ${step}/${total}]${evalPart} | ${seconds} s`;
  return (
    `[step ${step}/${total}] reward ${f('rollout/reward_mean')} acc ${f('rollout/accuracy')} | clip ${f('train/clip_frac', 4)} ` +
    `util ${f('rollout/response_utilisation', 2)} gen ${f('rollout/generation_calls', 0)} | entropy ${f('train/entropy')} len ${f('rollout/response_length', 1)}${evalPart} | ${seconds} s`
  );
}

export async function runTrainGRPO(
  taskName: string,
  opts: GRPOTrainOptions,
  io: CliIO,
): Promise<{ initialAccuracy: number; finalAccuracy: number; steps: number; out: string }> {
  const unused = Object.entries({ totalTimesteps: '--total-timesteps', numEnvs: '--num-envs', maxSteps: '--max-steps', targetAccuracy: '--target-accuracy', taskOption: '--task-option' })
    .filter(([key]) => (opts as Record<string, unknown>)[key] !== undefined)
    .map(([, flag]) => flag);
  if (unused.length > 0) throw new InvalidArgumentError(`teleo train grpo does not take ${unused.join(', ')} (use --steps; task options come from the --init checkpoint)`);

  let trainer: GRPOTrainer;
  let out: string;
  let presetName: string | null = null;
  let initPath: string | null = null;
  let backend: BackendInfo;
  if (opts.resume !== undefined) {
    if (opts.init !== undefined || opts.preset !== undefined || opts.config !== undefined || opts.seed !== undefined) {
      throw new InvalidArgumentError('--resume continues a saved GRPO run with its own policy and config: drop --init, --preset, --config and --seed');
    }
    const dir = resolve(opts.resume);
    const state = readJson(join(dir, 'trainer.json'));
    if (typeof state.task !== 'string') throw new InvalidArgumentError(`--resume ${opts.resume}: no GRPO checkpoint here (expected ${join(dir, 'trainer.json')})`);
    if (state.task !== makeTextTask(taskName, {}).name) throw new InvalidArgumentError(`--resume ${opts.resume}: the checkpoint trains task '${state.task}', not '${taskName}'`);
    const task = makeTextTask(state.task, (state.taskOptions as Record<string, unknown> | undefined) ?? {});
    out = resolve(opts.out ?? join(dir, '..'));
    backend = await initBackend(parseBackendName(opts.backend ?? process.env.TELEO_BACKEND ?? 'auto'));
    trainer = await GRPOTrainer.load(dir, task, { logger: new MetricsLogger(join(out, 'metrics.jsonl')) });
  } else {
    if (opts.init === undefined) {
      throw new InvalidArgumentError(
        `teleo train grpo needs a warm-start policy: pass --init <sft-run>. A from-scratch policy solves nothing, so every group ` +
          `would have zero advantage; train one first with \`teleo train sft ${taskName}\` and pass its run directory.`,
      );
    }
    initPath = resolveSequenceModelPath(resolve(opts.init));
    const task = taskForInit(taskName, initPath);
    presetName = opts.preset ?? DEFAULT_GRPO_PRESET;
    let config: GRPOConfigInput = grpoPreset(presetName);
    if (opts.config !== undefined) config = { ...config, ...(readConfigFile(opts.config) as GRPOConfigInput) };
    if (opts.seed !== undefined) config = { ...config, seed: opts.seed };
    const seed = config.seed ?? 0;
    out = resolve(opts.out ?? join('runs', `grpo-${presetName}-${task.name}-s${seed}`));
    if (existsSync(join(out, 'metrics.jsonl'))) throw new InvalidArgumentError(`${out} already holds a run (metrics.jsonl); choose another --out or --resume it`);
    backend = await initBackend(parseBackendName(opts.backend ?? process.env.TELEO_BACKEND ?? 'auto'));
    const { model, tokenizer } = await loadSequencePolicyForTask(initPath, task);
    try {
      trainer = new GRPOTrainer(model, tokenizer, task, config, { logger: new MetricsLogger(join(out, 'metrics.jsonl')) });
    } catch (err) {
      model.dispose();
      throw err;
    }
  }

  try {
    const steps = opts.steps ?? DEFAULT_GRPO_STEPS;
    const configJSON = grpoConfigToJSON(trainer.config);
    io.out(
      [
        `teleo train grpo ${trainer.task.name}`,
        `  backend:   ${formatBackend(backend)}`,
        `  seed:      ${trainer.config.seed}`,
        `  steps:     ${steps}${trainer.numSteps > 0 ? ` (resuming after step ${trainer.numSteps})` : ''}`,
        ...(presetName === null ? [] : [`  preset:    ${presetName}`]),
        ...(initPath === null ? [`  resumed:   ${resolve(opts.resume!)}`] : [`  init:      ${initPath}`]),
        `  task:      ${trainer.task.name} ${JSON.stringify(trainer.task.options)}`,
        `  output:    ${out}`,
        `  config:    ${JSON.stringify(configJSON)}`,
      ].join('\n'),
    );
    mkdirSync(out, { recursive: true });
    if (initPath !== null) {
      writeFileSync(
        join(out, 'run.json'),
        JSON.stringify({ algo: 'grpo', preset: presetName, task: trainer.task.name, taskOptions: trainer.task.options, init: initPath, seed: trainer.config.seed, config: configJSON }, null, 1),
      );
    }
    const started = performance.now();
    const startStep = trainer.numSteps;
    const total = startStep + steps;
    await trainer.learn({
      steps,
      onStep: (record) => {
        if (opts.progress !== false) io.err(progressLine(record, total, started));
      },
    });
    await trainer.save(join(out, 'checkpoint'));
    const evals = trainer.evaluations;
    const first = evals[0]?.result.accuracy ?? NaN;
    const last = evals[evals.length - 1]?.result.accuracy ?? NaN;
    const seconds = (performance.now() - started) / 1000;
    io.out(
      `held-out greedy accuracy ${first.toFixed(3)} (step ${evals[0]?.step ?? '—'}) → ${last.toFixed(3)} (step ${evals[evals.length - 1]?.step ?? '—'}), ` +
        `${trainer.heldOut.length} problems; ${trainer.numSteps - startStep} steps in ${seconds.toFixed(1)} s, ${trainer.generationCalls} generation calls in all`,
    );
    io.out(`saved ${join(out, 'checkpoint')} (resume with --resume ${join(out, 'checkpoint')}; its model.json is an --init input)`);
    return { initialAccuracy: first, finalAccuracy: last, steps: trainer.numSteps, out };
  } finally {
    trainer.dispose();
  }
}

export { GRPO_PRESET_NAMES };
