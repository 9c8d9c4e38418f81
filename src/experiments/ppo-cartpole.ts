/**
 * The `ppo-cartpole` experiment: PPO on CartPole-v1 over 10 seeds, RL-Zoo's tuned preset (`ppo-zoo`)
 * against SB3's default hyper-parameters (`ppo-default`, the baseline). Per run it reports the final
 * deterministic mean return (10 episodes), the steps and seconds until the rolling-20 training return first
 * reaches 475 (censored at the budget when it never does), whether it did, wall time and env-steps/s, and
 * the learning curve with the env steps at which it was logged. `reproducePpoCartpole` runs it through the
 * experiment runner (IQM + bootstrap CIs).
 */
import { join } from 'node:path';
import { PPO, ppoPreset, type PPOConfigInput } from '../algos/ppo/index.js';
import { initBackend } from '../core/backend.js';
import { InvalidArgumentError } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { assertValidSeed } from '../core/rng.js';
import '../envs/index.js';
import { make } from '../envs/registration.js';
import { defineExperiment, runExperiment, type Experiment } from '../train/experiments/index.js';
import type { ExperimentResults } from '../train/experiments/report.js';
import { evaluatePolicy } from '../train/evaluate.js';

export const PPO_CARTPOLE_THRESHOLD = 475;
/** Training episodes in the rolling mean compared with the threshold (as the peer measurements). */
export const PPO_CARTPOLE_WINDOW = 20;

export interface PpoCartpoleRun {
  finalReturn: number;
  stepsTo475: number;
  secondsTo475: number;
  reached475: number;
  wallSeconds: number;
  sps: number;
  /** Rolling-20 training return after each rollout. */
  curve: number[];
  /** Env steps (`time/total_timesteps`) at each point of `curve`. */
  curveSteps: number[];
}

/** One PPO run on CartPole-v1 with `config` for `budget` env steps. */
export async function runPpoCartpole(config: PPOConfigInput, seed: number, budget: number): Promise<PpoCartpoleRun> {
  await initBackend();
  const model = new PPO('CartPole-v1', { ...config, seed, statsWindowSize: PPO_CARTPOLE_WINDOW });
  const curve: number[] = [];
  const curveSteps: number[] = [];
  let stepsTo475 = NaN;
  let secondsTo475 = NaN;
  const start = performance.now();
  model.logger.onDump((record) => {
    const r = record['rollout/ep_rew_mean'];
    curve.push(r ?? 0);
    curveSteps.push(record['time/total_timesteps']!);
    if (Number.isNaN(stepsTo475) && r !== undefined && r >= PPO_CARTPOLE_THRESHOLD) {
      stepsTo475 = record['time/total_timesteps']!;
      secondsTo475 = (performance.now() - start) / 1000;
    }
  });
  try {
    await model.learn({ totalTimesteps: budget });
    const wallSeconds = (performance.now() - start) / 1000;
    const env = make('CartPole-v1');
    const evaluation = evaluatePolicy(model, env, { nEvalEpisodes: 10, deterministic: true, seed: 10_000 + seed });
    env.close();
    const reached = !Number.isNaN(stepsTo475);
    return {
      finalReturn: evaluation.meanReward,
      stepsTo475: reached ? stepsTo475 : model.numTimesteps,
      secondsTo475: reached ? secondsTo475 : wallSeconds,
      reached475: reached ? 1 : 0,
      wallSeconds,
      sps: model.numTimesteps / wallSeconds,
      curve,
      curveSteps,
    };
  } finally {
    model.close();
  }
}

export const PPO_CARTPOLE_ARMS: Record<string, { description: string; config: () => PPOConfigInput }> = {
  'ppo-default': { description: "SB3's default PPO hyper-parameters (1 env, 2048 steps, 10 epochs, batch 64)", config: () => ({}) },
  'ppo-zoo': { description: "RL-Zoo's tuned CartPole-v1 hyper-parameters", config: () => ppoPreset('zoo', 'CartPole-v1').config },
};

export function ppoCartpoleExperiment(options: { seeds?: number[]; budget?: number } = {}): Experiment {
  return defineExperiment({
    name: 'ppo-cartpole',
    description: 'PPO on CartPole-v1: RL-Zoo preset vs SB3 defaults',
    module: import.meta.url,
    arms: Object.fromEntries(
      Object.entries(PPO_CARTPOLE_ARMS).map(([name, arm]) => [
        name,
        {
          description: arm.description,
          run: async ({ seed, budget }) => {
            const { curve, curveSteps, ...scalars } = await runPpoCartpole(arm.config(), seed, budget);
            return { ...scalars, curve: { x: curveSteps, y: curve } };
          },
        },
      ]),
    ),
    seeds: options.seeds ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    metrics: [
      { key: 'finalReturn', higherIsBetter: true, label: 'Final return' },
      { key: 'stepsTo475', higherIsBetter: false, label: 'Steps to 475' },
      { key: 'secondsTo475', higherIsBetter: false, label: 'Seconds to 475' },
      { key: 'reached475', higherIsBetter: true, label: 'Reached 475' },
      { key: 'wallSeconds', higherIsBetter: false, label: 'Wall s' },
      { key: 'sps', higherIsBetter: true, label: 'Steps/s' },
      { key: 'curve', higherIsBetter: true, label: 'Rolling-20 return', xLabel: 'env steps' },
    ],
    budget: options.budget ?? 100_000,
    baseline: 'ppo-default',
  });
}

/** The experiment as registered for worker processes (10 seeds, 100k steps). */
export const ppoCartpole = ppoCartpoleExperiment();

export interface ReproducePpoCartpoleOptions {
  seeds?: number[];
  /** Directory for the results (table, JSON, plot); none by default. */
  out?: string;
  /** 3 seeds and 30k steps: a smoke run. */
  quick?: boolean;
  /** Worker processes (default: the runner's choice). */
  parallel?: number;
  onLog?: (line: string) => void;
}

export async function reproducePpoCartpole(options: ReproducePpoCartpoleOptions = {}): Promise<ExperimentResults> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('reproducePpoCartpole options must be an object');
  checkOptions('reproducePpoCartpole', options, ['seeds', 'out', 'quick', 'parallel', 'onLog']);
  const quick = options.quick ?? false;
  const seeds = options.seeds ?? (quick ? [0, 1, 2] : [...ppoCartpole.seeds]);
  if (!Array.isArray(seeds) || seeds.length === 0) throw new InvalidArgumentError('reproducePpoCartpole: seeds must be a non-empty array');
  seeds.forEach((s) => assertValidSeed(s));
  return runExperiment(ppoCartpole, {
    seeds,
    budget: quick ? 30_000 : ppoCartpole.budget,
    ...(options.parallel === undefined ? {} : { parallel: options.parallel }),
    ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
    ...(options.out === undefined ? {} : { out: join(options.out) }),
  });
}
