/**
 * PPO on CartPole-v1 with RL-Zoo's preset: env-steps per second (training included) and wall-clock time until
 * the rolling-20 training return first reaches 475, per seed, with the median and IQR over seeds. Each run
 * stops at 475 (or at the budget). Also reports the split between rollout collection and updates, and the
 * process's CPU time (user + system), which other load on a shared machine inflates far less than wall time.
 *
 *   npx tsx bench/ppo-cartpole.ts [--seeds 5] [--budget 100000] [--backend wasm] [--json]
 *
 * Numbers go to docs/benchmarks.md with the command, the machine line and the load average printed here.
 */
import os from 'node:os';
import { PPO, ppoPreset } from '../src/algos/ppo/index.js';
import { describeMachine } from '../src/cli/machine.js';
import { initBackend, type BackendName } from '../src/core/backend.js';
import '../src/envs/index.js';
import { Callback } from '../src/train/callbacks.js';
import { formatBackend } from '../src/train/run-header.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
};
const seeds = Number(arg('seeds', '5'));
const budget = Number(arg('budget', '100000'));
const backend = await initBackend(arg('backend', 'wasm') as BackendName);

class StopAt475 extends Callback {
  override onStep(): boolean {
    return !(this.trainingModel.episodeRewardMean >= 475);
  }
}

interface SeedResult {
  seed: number;
  reached: boolean;
  steps: number;
  seconds: number;
  sps: number;
  cpuSeconds: number;
  collectShare: number;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

const results: SeedResult[] = [];
for (let seed = 0; seed < seeds; seed++) {
  const model = new PPO('CartPole-v1', { ...ppoPreset('zoo', 'CartPole-v1').config, seed, statsWindowSize: 20 });
  // Time spent in rollout collection, measured through the callback hooks.
  let collectMs = 0;
  let rolloutStart = 0;
  const timer = new (class extends Callback {
    override onRolloutStart(): void {
      rolloutStart = performance.now();
    }
    override onRolloutEnd(): void {
      collectMs += performance.now() - rolloutStart;
    }
  })();
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await model.learn({ totalTimesteps: budget, callbacks: [timer, new StopAt475()] });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const reached = model.episodeRewardMean >= 475;
  results.push({ seed, reached, steps: model.numTimesteps, seconds, sps: model.numTimesteps / seconds, cpuSeconds, collectShare: collectMs / 1000 / seconds });
  process.stderr.write(`seed ${seed}: ${reached ? 'reached 475' : 'did not reach 475'} after ${model.numTimesteps} steps, ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} CPU s), ${Math.round(model.numTimesteps / seconds)} steps/s\n`);
  model.close();
}

const fmt = (xs: number[], digits: number) => `${quantile(xs, 0.5).toFixed(digits)} (IQR ${quantile(xs, 0.25).toFixed(digits)}–${quantile(xs, 0.75).toFixed(digits)})`;
const ok = results.filter((r) => r.reached);
const summary = {
  machine: describeMachine(),
  loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
  backend: formatBackend(backend),
  command: `npx tsx bench/ppo-cartpole.ts --seeds ${seeds} --budget ${budget} --backend ${backend.name}`,
  reached: `${ok.length}/${results.length}`,
  stepsTo475: ok.length > 0 ? fmt(ok.map((r) => r.steps), 0) : 'n/a',
  secondsTo475: ok.length > 0 ? fmt(ok.map((r) => r.seconds), 1) : 'n/a',
  cpuSecondsTo475: ok.length > 0 ? fmt(ok.map((r) => r.cpuSeconds), 1) : 'n/a',
  stepsPerSecond: fmt(results.map((r) => r.sps), 0),
  stepsPerCpuSecond: fmt(results.map((r) => r.steps / r.cpuSeconds), 0),
  collectionShareOfTime: fmt(results.map((r) => r.collectShare), 2),
  runs: results,
};
if (process.argv.includes('--json')) console.log(JSON.stringify(summary, null, 1));
else {
  console.log(`PPO CartPole-v1 (zoo preset), ${summary.backend}; ${summary.machine}; load average ${summary.loadAverage.join(' ')}`);
  console.log(`  ${summary.command}`);
  console.log(`  reached 475: ${summary.reached}`);
  console.log(`  steps to 475:   ${summary.stepsTo475}`);
  console.log(`  seconds to 475: ${summary.secondsTo475}`);
  console.log(`  CPU s to 475:   ${summary.cpuSecondsTo475}`);
  console.log(`  env-steps/s:    ${summary.stepsPerSecond} (training included)`);
  console.log(`  env-steps/CPU s: ${summary.stepsPerCpuSecond}`);
  console.log(`  share of time in rollout collection: ${summary.collectionShareOfTime}`);
}
