/**
 * `teleo train sac|td3|dqn <env>`: builds the learner (RL-Zoo's DQN preset where one exists, else SB3's
 * defaults; a JSON config merges over it), prints the run header and progress, writes
 * `<out>/metrics.jsonl`, `<out>/model/` and `<out>/run.json`, and ends with the mean return of
 * deterministic evaluation episodes. `--resume <dir>` continues a saved run (its replay buffer is saved
 * with it, so the continuation is exact). The CLI's option parsing lives in `src/cli/train-command.ts`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { initBackend, parseBackendName } from '../../core/backend.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { spec } from '../../envs/registration.js';
import { reportFinalEvaluation } from '../../train/final-report.js';
import { MetricsLogger } from '../../train/logger.js';
import { ProgressCallback } from '../../train/progress.js';
import { formatRunHeader } from '../../train/run-header.js';
import { DQN, DQN_ZOO_PRESETS } from '../dqn/index.js';
import { SAC } from '../sac/index.js';
import { TD3 } from '../td3/index.js';
import type { OffPolicyAlgorithm, OffPolicyConfig } from './off-policy.js';

export const OFF_POLICY_ALGOS = ['sac', 'td3', 'dqn'] as const;
export type OffPolicyAlgoName = (typeof OFF_POLICY_ALGOS)[number];

export interface OffPolicyTrainOptions {
  preset?: string;
  seed?: number;
  totalTimesteps?: number;
  numEnvs?: number;
  /** Parsed JSON config merged over the preset. */
  config?: Record<string, unknown>;
  out?: string;
  resume?: string;
  backend?: string;
  evalEpisodes: number;
  progress?: boolean;
}

type Model = OffPolicyAlgorithm<OffPolicyConfig>;

function build(algo: OffPolicyAlgoName, envId: string, config: Record<string, unknown>, logger: MetricsLogger): Model {
  if (algo === 'sac') return new SAC(envId, config, { logger });
  if (algo === 'td3') return new TD3(envId, config, { logger });
  return new DQN(envId, config, { logger });
}

function load(algo: OffPolicyAlgoName, dir: string, logger: MetricsLogger): Promise<Model> {
  if (algo === 'sac') return SAC.load(dir, { logger });
  if (algo === 'td3') return TD3.load(dir, { logger });
  return DQN.load(dir, { logger });
}

export async function runOffPolicyTraining(algo: OffPolicyAlgoName, envId: string, opts: OffPolicyTrainOptions, io: { out(t: string): void; err(t: string): void }): Promise<{ meanReturn: number; out: string }> {
  spec(envId);
  let resumeDir: string | null = null;
  if (opts.resume !== undefined) {
    resumeDir = [opts.resume, join(opts.resume, 'model')].find((d) => existsSync(join(d, `${algo}.json`))) ?? null;
    if (resumeDir === null) throw new InvalidArgumentError(`${opts.resume}: no ${algo.toUpperCase()} checkpoint here (expected ${join(opts.resume, `${algo}.json`)} or ${join(opts.resume, 'model', `${algo}.json`)})`);
  }
  const backend = await initBackend(parseBackendName(opts.backend ?? process.env.TELEO_BACKEND ?? 'auto'));
  let model: Model;
  let presetName: string | null = null;
  let total: number;
  let out: string;
  if (resumeDir !== null) {
    if (opts.preset !== undefined || opts.config !== undefined || opts.numEnvs !== undefined || opts.seed !== undefined) {
      throw new InvalidArgumentError('--resume continues a saved run with its own config: drop --preset, --config, --num-envs and --seed');
    }
    out = resolve(opts.out ?? join(resumeDir, '..'));
    model = await load(algo, resumeDir, new MetricsLogger(join(out, 'metrics.jsonl')));
    if (model.envId !== envId) {
      model.close();
      throw new InvalidArgumentError(`--resume ${opts.resume}: the checkpoint trains '${model.envId}', not '${envId}'`);
    }
    total = opts.totalTimesteps ?? model.totalTimesteps - model.numTimesteps;
    if (total <= 0) {
      model.close();
      throw new InvalidArgumentError(`--resume ${opts.resume}: the run already reached its ${model.totalTimesteps} steps; pass --total-timesteps to train more`);
    }
  } else {
    let config: Record<string, unknown> = {};
    let presetTotal: number | undefined;
    const zoo = algo === 'dqn' ? DQN_ZOO_PRESETS[envId] : undefined;
    const wanted = opts.preset ?? (zoo !== undefined ? 'zoo' : 'none');
    if (wanted === 'zoo') {
      if (zoo === undefined) throw new InvalidArgumentError(`No 'zoo' preset for ${algo.toUpperCase()} on ${envId} (presets: ${algo === 'dqn' ? Object.keys(DQN_ZOO_PRESETS).join(', ') : 'none'}); use --preset none`);
      config = { ...zoo.config };
      presetTotal = zoo.totalTimesteps;
      presetName = 'zoo';
    } else if (wanted !== 'none') {
      throw new InvalidArgumentError(`Unknown preset '${wanted}' (available: zoo, none)`);
    }
    if (opts.config !== undefined) {
      const file = opts.config;
      config = { ...config, ...file, policyKwargs: { ...((config.policyKwargs as object) ?? {}), ...((file.policyKwargs as object) ?? {}) } };
    }
    if (opts.numEnvs !== undefined) config.nEnvs = opts.numEnvs;
    config.seed = opts.seed ?? (config.seed as number | undefined) ?? 0;
    total = opts.totalTimesteps ?? presetTotal ?? (algo === 'dqn' ? 100_000 : 20_000);
    out = resolve(opts.out ?? join('runs', `${algo}-${envId}-s${config.seed}`));
    if (existsSync(join(out, 'metrics.jsonl'))) throw new InvalidArgumentError(`${out} already holds a run (metrics.jsonl); choose another --out or --resume it`);
    model = build(algo, envId, config, new MetricsLogger(join(out, 'metrics.jsonl')));
  }
  const config = model.config as unknown as Record<string, unknown>;
  io.out(formatRunHeader({ algo, envId, seed: model.seed, backend, totalTimesteps: total, config, preset: presetName, out, resumedFrom: resumeDir }));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'run.json'), JSON.stringify({ algo, envId, seed: model.seed, preset: presetName, backend, config }, null, 1));
  const started = performance.now();
  const startSteps = model.numTimesteps;
  try {
    const callbacks = opts.progress === false ? [] : [new ProgressCallback({ write: (line) => io.err(line) })];
    await model.learn({ totalTimesteps: total, callbacks, resetNumTimesteps: resumeDir === null });
    const seconds = (performance.now() - started) / 1000;
    await model.save(join(out, 'model'), { replayBuffer: true });
    return reportFinalEvaluation(model, { envId, out, evalEpisodes: opts.evalEpisodes, seconds, startSteps }, io);
  } finally {
    model.close();
  }
}
