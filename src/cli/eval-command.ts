/**
 * `teleo eval <run-dir>`: loads a saved PPO model (a run directory or its `model/`), runs deterministic
 * episodes on a fresh env and prints the mean return; `--render ansi` prints every frame as text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError as CommanderArgumentError } from 'commander';
import { PPO } from '../algos/ppo/index.js';
import { initBackend, parseBackendName } from '../core/backend.js';
import { InvalidArgumentError } from '../core/errors.js';
import { make } from '../envs/registration.js';
import { evaluatePolicy } from '../train/evaluate.js';
import type { CliIO } from './io.js';
import { resolveModelDir } from './train-command.js';

export interface EvalOptions {
  episodes: number;
  render?: string;
  seed: number;
  backend?: string;
  stochastic?: boolean;
}

function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min) throw new CommanderArgumentError(`expected an integer >= ${min}.`);
    return n;
  };
}

export async function runEval(runDir: string, opts: EvalOptions, io: CliIO): Promise<{ meanReturn: number }> {
  if (opts.render !== undefined && opts.render !== 'ansi') throw new InvalidArgumentError(`--render ${opts.render}: only 'ansi' is supported`);
  const modelDir = resolveModelDir(runDir);
  let saved: string | undefined;
  try {
    saved = JSON.parse(readFileSync(join(modelDir, 'ppo.json'), 'utf8'))?.backend?.name;
  } catch {
    saved = undefined;
  }
  await initBackend(parseBackendName(opts.backend ?? saved ?? process.env.TELEO_BACKEND ?? 'auto'));
  const model = await PPO.load(modelDir);
  try {
    const envId = model.envId!;
    const env = make(envId, { ...model.config.envKwargs, ...(opts.render === 'ansi' ? { renderMode: 'ansi' } : {}) });
    const onStep = opts.render === 'ansi' ? () => io.out(String(env.render())) : undefined;
    const result = evaluatePolicy(model, env, { nEvalEpisodes: opts.episodes, deterministic: !opts.stochastic, seed: opts.seed, ...(onStep ? { onStep } : {}) });
    env.close();
    result.episodeRewards.forEach((r, i) => io.out(`episode ${i + 1}: return ${r.toFixed(1)}, length ${result.episodeLengths[i]}`));
    io.out(`${envId}: mean return ${result.meanReward.toFixed(1)} ± ${result.stdReward.toFixed(1)} over ${opts.episodes} episodes (${opts.stochastic ? 'stochastic' : 'deterministic'})`);
    return { meanReturn: result.meanReward };
  } finally {
    model.close();
  }
}

export function addEvalCommand(program: Command, io: CliIO): void {
  program
    .command('eval')
    .description('Evaluate a saved model: teleo eval runs/ppo-CartPole-v1-s0')
    .argument('<run-dir>', 'a run directory (from teleo train) or a saved model directory')
    .option('--episodes <n>', 'episodes to run', integerAtLeast(1), 10)
    .option('--render <mode>', "print every frame ('ansi')")
    .option('--seed <n>', 'seed of the first episode', integerAtLeast(0), 0)
    .option('--stochastic', 'sample actions instead of taking the most likely one')
    .option('--backend <name>', 'tensor backend (default: the one the model was saved on)')
    .action(async (runDir: string, opts: EvalOptions) => {
      await runEval(runDir, opts, io);
    });
}
