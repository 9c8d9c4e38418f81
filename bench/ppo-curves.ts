/**
 * Learning curves of PPO with RL-Zoo's presets on Acrobot-v1 and Pendulum-v1 (or `--env`): the mean training
 * return over the last 100 episodes (SB3's `rollout/ep_rew_mean`) at evenly spaced step counts, per seed and
 * as the median over seeds, plus a final deterministic evaluation (10 episodes) and the run time.
 *
 *   npx tsx bench/ppo-curves.ts [--env Acrobot-v1,Pendulum-v1] [--seeds 3] [--budget <steps>] [--points 10] [--json]
 *
 * `--budget` defaults to the preset's RL-Zoo budget (Acrobot 1e6, Pendulum 1e5).
 */
import os from 'node:os';
import { PPO, ppoPreset } from '../src/algos/ppo/index.js';
import { describeMachine } from '../src/cli/machine.js';
import { initBackend, type BackendName } from '../src/core/backend.js';
import '../src/envs/index.js';
import { make } from '../src/envs/registration.js';
import { evaluatePolicy } from '../src/train/evaluate.js';
import { formatBackend } from '../src/train/run-header.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
};
const envIds = arg('env', 'Acrobot-v1,Pendulum-v1').split(',');
const seeds = Number(arg('seeds', '3'));
const points = Number(arg('points', '10'));
const backend = await initBackend(arg('backend', 'wasm') as BackendName);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const report: Record<string, unknown> = { machine: describeMachine(), backend: formatBackend(backend), envs: {} };
for (const envId of envIds) {
  const preset = ppoPreset('zoo', envId);
  const budget = Number(arg('budget', String(preset.totalTimesteps)));
  const marks = Array.from({ length: points }, (_, i) => Math.round(((i + 1) * budget) / points));
  const curves: number[][] = [];
  const finals: number[] = [];
  const seconds: number[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const model = new PPO(envId, { ...preset.config, seed });
    const curve: number[] = [];
    model.logger.onDump((r) => {
      while (curve.length < marks.length && r['time/total_timesteps']! >= marks[curve.length]!) curve.push(r['rollout/ep_rew_mean'] ?? NaN);
    });
    const start = performance.now();
    await model.learn({ totalTimesteps: budget });
    seconds.push((performance.now() - start) / 1000);
    const env = make(envId);
    finals.push(evaluatePolicy(model, env, { nEvalEpisodes: 10, seed: 1000 + seed }).meanReward);
    env.close();
    curves.push(curve);
    process.stderr.write(`${envId} seed ${seed}: ${curve.map((x) => x.toFixed(0)).join(' ')} | eval ${finals.at(-1)!.toFixed(1)} | ${seconds.at(-1)!.toFixed(1)} s\n`);
    model.close();
  }
  const med = marks.map((_, i) => median(curves.map((c) => c[i] ?? NaN)));
  (report.envs as Record<string, unknown>)[envId] = { budget, marks, medianCurve: med, curves, finalEval: finals, seconds };
  console.log(`${envId} (zoo preset, ${budget} steps, ${seeds} seeds; ${report.backend}; ${report.machine}; load ${os.loadavg()[0]!.toFixed(2)})`);
  console.log(`  steps:          ${marks.join(' ')}`);
  console.log(`  median return:  ${med.map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`  final eval (deterministic, 10 episodes): median ${median(finals).toFixed(1)}; per seed ${finals.map((x) => x.toFixed(1)).join(', ')}`);
  console.log(`  wall time: median ${median(seconds).toFixed(1)} s`);
}
if (process.argv.includes('--json')) console.log(JSON.stringify(report));
