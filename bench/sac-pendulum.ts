/**
 * SAC on Pendulum-v1: env-steps/s (one gradient step per env step, [256, 256], batch 256 — SB3's defaults)
 * and the time and steps until the rolling mean of the last 10 episode returns first reaches −200.
 *
 *   npx tsx bench/sac-pendulum.ts [--seeds 0,1,2] [--steps 20000] [--backend wasm] [--stop-at-threshold] [--learning-starts 100]
 *   TELEO_WASM_THREADS=2 npx tsx bench/sac-pendulum.ts …                # the multi-threaded wasm build
 *   npx tsx bench/sac-pendulum.ts --update-only [--rounds 5]   # ms per gradient step on a fixed batch
 *
 * Prints one line per seed and a markdown summary. SB3 on this project's 2-core dev machine (issue 5):
 * 44–49 env-steps/s, −200 after 4.2k–5.0k steps, 83–109 s.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/core/backend.js';
import { Rng } from '../src/core/rng.js';
import '../src/envs/classic/index.js';
import { SAC } from '../src/algos/sac/index.js';
import { Callback } from '../src/train/callbacks.js';
import { describeMachine } from '../src/cli/machine.js';
import { loadavg } from 'node:os';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/** Records when the rolling-10 mean of finished training episodes first reaches the threshold. */
class RollingThreshold extends Callback {
  reachedAt: { steps: number; seconds: number } | null = null;
  private seen = 0;
  constructor(
    private readonly sac: SAC,
    private readonly threshold: number,
    private readonly start: number,
    private readonly stopWhenReached = false,
  ) {
    super();
  }
  override onStep(): boolean {
    const eps = this.sac.recentEpisodes;
    if (this.sac.episodeCount !== this.seen) {
      this.seen = this.sac.episodeCount;
      if (this.reachedAt === null && eps.length >= 10) {
        const last = eps.slice(-10);
        const mean = last.reduce((a, e) => a + e.r, 0) / 10;
        if (mean >= this.threshold) this.reachedAt = { steps: this.sac.numTimesteps, seconds: (performance.now() - this.start) / 1000 };
      }
    }
    return !(this.stopWhenReached && this.reachedAt !== null);
  }
}

const backend = await initBackend(arg('backend', 'wasm'));
if (process.argv.includes('--update-only')) {
  // One SAC gradient step (critic, actor, α, Polyak) at [256, 256], batch 256, on a fixed batch.
  const model = new SAC('Pendulum-v1', { seed: 0, learningStarts: 512 });
  await model.learn({ totalTimesteps: 512 });
  const batch = model.replayBuffer.sample(256, Rng.fromSeed(1));
  for (let i = 0; i < 5; i++) model.trainOnBatch(batch);
  const before = tf.memory().numTensors;
  // Wall time and this process's CPU time per step: on a shared machine the CPU time is the steadier
  // measure (wasm runs on the main thread; with wasm threads it also counts the workers).
  const perRound: number[] = [];
  const cpuPerRound: number[] = [];
  for (let r = 0; r < Number(arg('rounds', '5')); r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    for (let i = 0; i < 20; i++) model.trainOnBatch(batch);
    const cpu = process.cpuUsage(c);
    perRound.push((performance.now() - t) / 20);
    cpuPerRound.push((cpu.user + cpu.system) / 1000 / 20);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const kernels = (await tf.profile(() => void model.trainOnBatch(batch))).kernels.length;
  console.log(
    `SAC gradient step, [256, 256], batch 256, ${backend.name}${backend.threads !== undefined ? ` (${backend.threads} thread${backend.threads === 1 ? '' : 's'})` : ''}: ` +
      `median ${median(perRound).toFixed(1)} ms wall, ${median(cpuPerRound).toFixed(1)} ms CPU (rounds, wall: ${perRound.map((x) => x.toFixed(1)).join(', ')}), ` +
      `${kernels} kernels, tensors ${before} → ${tf.memory().numTensors}; ${describeMachine()}; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
  );
  model.close();
  process.exit(0);
}
const seeds = arg('seeds', '0,1,2').split(',').map(Number);
const steps = Number(arg('steps', '20000'));
// --stop-at-threshold: end each run once the rolling-10 mean reaches −200 (the time-to-threshold measurement).
const stopAtThreshold = process.argv.includes('--stop-at-threshold');
const learningStarts = Number(arg('learning-starts', '100'));
const rows: string[] = [];
for (const seed of seeds) {
  const model = new SAC('Pendulum-v1', { seed, learningStarts });
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const cb = new RollingThreshold(model, -200, start, stopAtThreshold);
  await model.learn({ totalTimesteps: steps, callbacks: cb });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const done = model.numTimesteps;
  const last10 = model.recentEpisodes.slice(-10);
  const final = last10.reduce((a, e) => a + e.r, 0) / last10.length;
  const line = `| ${seed} | ${done} | ${(done / seconds).toFixed(1)} | ${((cpu.user + cpu.system) / 1000 / done).toFixed(1)} | ${cb.reachedAt?.steps ?? '—'} | ${cb.reachedAt?.seconds.toFixed(1) ?? '—'} | ${final.toFixed(1)} | ${seconds.toFixed(1)} | ${loadavg()[0]!.toFixed(1)} |`;
  console.log(line);
  rows.push(line);
  model.close();
}
console.log(`\nSAC Pendulum-v1, up to ${steps} steps${stopAtThreshold ? ' (stopping at −200)' : ''}, learningStarts ${learningStarts}, backend ${backend.name} (${backend.threads ?? 1} thread(s)); ${describeMachine()}`);
console.log('| seed | env steps | env-steps/s | CPU ms per env step | steps to −200 | s to −200 | final rolling-10 mean | total s | load (1 min) at end |\n|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
