/**
 * `teleo train ppo <env>`: trains PPO with a preset (RL-Zoo's tuned values by default where one exists),
 * prints the run header and progress, writes `<out>/metrics.jsonl`, `<out>/model/` (the checkpoint) and
 * `<out>/run.json`, and ends with the mean return of 10 deterministic evaluation episodes.
 * `--resume <dir>` continues a saved run exactly (same backend). Configs: JSON only (no YAML parser is installed).
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError as CommanderArgumentError } from 'commander';
import { PPO, configToJSON, PPO_PRESETS, ppoPreset, type PPOConfigInput } from '../algos/ppo/index.js';
import { OFF_POLICY_ALGOS, runOffPolicyTraining, type OffPolicyAlgoName } from '../algos/off-policy/run-training.js';
import { initBackend, parseBackendName } from '../core/backend.js';
import { InvalidArgumentError } from '../core/errors.js';
import { spec } from '../envs/registration.js';
import { reportFinalEvaluation } from '../train/final-report.js';
import { MetricsLogger } from '../train/logger.js';
import { ProgressCallback } from '../train/progress.js';
import { formatRunHeader } from '../train/run-header.js';
import type { CliIO } from './io.js';
import { addSFTTrainOptions, runTrainSFT, type SFTTrainOptions } from './train-sft.js';
import { addGRPOTrainOptions, runTrainGRPO, type GRPOTrainOptions } from './train-grpo.js';

/** Default budgets where the preset's RL-Zoo budget is more than the README job needs. */
export const DEFAULT_TIMESTEPS: Record<string, number> = { 'CartPole-v1': 50_000 };

export interface TrainOptions {
  preset?: string;
  seed?: number;
  totalTimesteps?: number;
  numEnvs?: number;
  config?: string;
  out?: string;
  resume?: string;
  backend?: string;
  evalEpisodes: number;
  progress?: boolean;
}

function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min) throw new CommanderArgumentError(`expected an integer >= ${min}.`);
    return n;
  };
}

/** Reads a JSON config file (YAML is refused with a clear message). */
export function readConfigFile(path: string): PPOConfigInput {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') {
    throw new InvalidArgumentError(`--config ${path}: YAML configs are not supported (no YAML parser is installed); use a .json file`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidArgumentError(`--config ${path}: cannot read the file (${(err as Error).message})`);
  }
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
    return value as PPOConfigInput;
  } catch (err) {
    throw new InvalidArgumentError(`--config ${path}: not a JSON config object (${(err as Error).message})`);
  }
}

/** The directory holding `ppo.json`: the given one, or its `model/` subdirectory (a run directory). */
export function resolveModelDir(dir: string): string {
  if (existsSync(join(dir, 'ppo.json'))) return dir;
  if (existsSync(join(dir, 'model', 'ppo.json'))) return join(dir, 'model');
  throw new InvalidArgumentError(`${dir}: no PPO checkpoint here (expected ${join(dir, 'ppo.json')} or ${join(dir, 'model', 'ppo.json')})`);
}

function savedBackend(modelDir: string): string | undefined {
  try {
    return JSON.parse(readFileSync(join(modelDir, 'ppo.json'), 'utf8'))?.backend?.name;
  } catch {
    return undefined;
  }
}

export async function runTrain(algo: string, envId: string, opts: TrainOptions, io: CliIO): Promise<{ meanReturn: number; out: string }> {
  const offPolicy = algo.toLowerCase() as OffPolicyAlgoName;
  if ((OFF_POLICY_ALGOS as readonly string[]).includes(offPolicy)) {
    const { config, ...rest } = opts;
    return runOffPolicyTraining(offPolicy, envId, { ...rest, ...(config === undefined ? {} : { config: readConfigFile(config) as Record<string, unknown> }) }, io);
  }
  if (algo.toLowerCase() !== 'ppo') throw new InvalidArgumentError(`Unknown algorithm '${algo}' (available: ppo, ${OFF_POLICY_ALGOS.join(', ')})`);
  spec(envId); // UnknownEnvError with suggestions before anything else
  const modelDirToResume = opts.resume === undefined ? null : resolveModelDir(opts.resume);
  const backendName = opts.backend ?? (modelDirToResume !== null ? savedBackend(modelDirToResume) : undefined) ?? process.env.TELEO_BACKEND ?? 'auto';
  const backend = await initBackend(parseBackendName(backendName));

  let model: PPO;
  let presetName: string | null = null;
  let total: number;
  let out: string;
  if (modelDirToResume !== null) {
    if (opts.preset !== undefined || opts.config !== undefined || opts.numEnvs !== undefined || opts.seed !== undefined) {
      throw new InvalidArgumentError('--resume continues a saved run with its own config: drop --preset, --config, --num-envs and --seed');
    }
    out = resolve(opts.out ?? join(modelDirToResume, '..'));
    model = await PPO.load(modelDirToResume, { logger: new MetricsLogger(join(out, 'metrics.jsonl')) });
    if (model.envId !== envId) throw new InvalidArgumentError(`--resume ${opts.resume}: the checkpoint trains '${model.envId}', not '${envId}'`);
    const remaining = model.totalTimesteps - model.numTimesteps;
    total = opts.totalTimesteps ?? (remaining > 0 ? remaining : 0);
    if (total <= 0) throw new InvalidArgumentError(`--resume ${opts.resume}: the run already reached its ${model.totalTimesteps} steps; pass --total-timesteps to train more`);
  } else {
    let config: PPOConfigInput = {};
    let presetTotal: number | undefined;
    const wanted = opts.preset ?? (PPO_PRESETS.zoo?.[envId] !== undefined ? 'zoo' : 'none');
    if (wanted !== 'none') {
      const preset = ppoPreset(wanted, envId);
      config = preset.config;
      presetTotal = preset.totalTimesteps;
      presetName = wanted;
    }
    if (opts.config !== undefined) {
      const file = readConfigFile(opts.config);
      config = { ...config, ...file, policyKwargs: { ...(config.policyKwargs ?? {}), ...(file.policyKwargs ?? {}) } };
    }
    if (opts.numEnvs !== undefined) config.nEnvs = opts.numEnvs;
    config.seed = opts.seed ?? (config.seed as number | undefined) ?? 0;
    total = opts.totalTimesteps ?? DEFAULT_TIMESTEPS[envId] ?? presetTotal ?? 100_000;
    out = resolve(opts.out ?? join('runs', `ppo-${envId}-s${config.seed}`));
    if (existsSync(join(out, 'metrics.jsonl'))) {
      throw new InvalidArgumentError(`${out} already holds a run (metrics.jsonl); choose another --out or --resume it`);
    }
    model = new PPO(envId, config, { logger: new MetricsLogger(join(out, 'metrics.jsonl')) });
  }

  io.out(
    formatRunHeader({
      algo: 'ppo',
      envId,
      seed: model.seed,
      backend,
      totalTimesteps: total,
      config: configToJSON(model.config),
      preset: presetName,
      out,
      resumedFrom: modelDirToResume,
    }),
  );
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'run.json'), JSON.stringify({ algo: 'ppo', envId, seed: model.seed, preset: presetName, backend, config: configToJSON(model.config) }, null, 1));
  const started = performance.now();
  const startSteps = model.numTimesteps;
  const callbacks = opts.progress === false ? [] : [new ProgressCallback({ write: (line) => io.err(line) })];
  try {
    await model.learn({ totalTimesteps: total, callbacks, resetNumTimesteps: modelDirToResume === null });
    const seconds = (performance.now() - started) / 1000;
    await model.save(join(out, 'model'));
    return reportFinalEvaluation(model, { envId, out, evalEpisodes: opts.evalEpisodes, seconds, startSteps }, io);
  } finally {
    model.close();
  }
}

export function addTrainCommand(program: Command, io: CliIO): void {
  const train = program
    .command('train')
    .description('Train an agent: teleo train ppo CartPole-v1')
    .argument('<algo>', `algorithm (ppo, ${OFF_POLICY_ALGOS.join(', ')}, sft, grpo)`)
    .argument('<env>', 'environment id (a text task for sft and grpo)')
    .option('--preset <name>', "hyper-parameter preset: 'zoo' (RL-Zoo's tuned values; the default where one exists) or 'none' (SB3 defaults)")
    .option('--seed <n>', 'seed (default 0)', integerAtLeast(0))
    .option('--total-timesteps <n>', 'environment steps to train for', integerAtLeast(1))
    .option('--num-envs <n>', 'parallel environments (overrides the preset)', integerAtLeast(1))
    .option('--config <file.json>', "the algorithm's config as JSON (SB3 kwargs in camelCase; TRL GRPOConfig names for grpo), merged over the preset")
    .option('--out <dir>', 'run directory (default runs/<algo>-<env>-s<seed>; grpo: runs/grpo-<preset>-<task>-s<seed>)')
    .option('--resume <dir>', 'continue a saved run (a run directory or its model/ directory)')
    .option('--backend <name>', "tensor backend: auto, tfjs-node, wasm, cpu (default $TELEO_BACKEND or auto)")
    .option('--eval-episodes <n>', 'deterministic evaluation episodes at the end', integerAtLeast(1), 10)
    .option('--no-progress', 'no progress display');
  addGRPOTrainOptions(addSFTTrainOptions(train)).action(async (algo: string, envId: string, opts: TrainOptions & SFTTrainOptions & GRPOTrainOptions) => {
    // `teleo train grpo <task> --init <sft-run>`: GRPO-family training of a warm-started sequence policy (src/cli/train-grpo.ts).
    if (algo.toLowerCase() === 'grpo') {
      await runTrainGRPO(envId, opts, io);
      return;
    }
    // `teleo train sft <task>`: the SFT warm start of a sequence policy on a text task (src/cli/train-sft.ts).
    if (algo.toLowerCase() === 'sft') {
      await runTrainSFT(envId, opts, io);
      return;
    }
    await runTrain(algo, envId, opts, io);
  });
}
