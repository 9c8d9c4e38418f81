/**
 * TD3 on Pendulum-v1: env-steps/s with one gradient step per env step at batch 256 (SB3's defaults except
 * the network, [256, 256] here to compare with SAC; `--net 400,300` is SB3's TD3 default), plus the CPU
 * time per env step (the steadier figure on a shared machine) and the load average.
 *
 *   npx tsx bench/td3-pendulum.ts [--seed 0] [--steps 3000] [--net 256,256] [--learning-starts 100]
 */
import { loadavg } from 'node:os';
import { initBackend } from '../src/core/backend.js';
import '../src/envs/classic/index.js';
import { TD3 } from '../src/algos/td3/index.js';
import { describeMachine } from '../src/cli/machine.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const backend = await initBackend(arg('backend', 'wasm'));
const steps = Number(arg('steps', '3000'));
const netArch = arg('net', '256,256').split(',').map(Number);
const model = new TD3('Pendulum-v1', { seed: Number(arg('seed', '0')), learningStarts: Number(arg('learning-starts', '100')), policyKwargs: { netArch } });
const start = performance.now();
const cpu0 = process.cpuUsage();
await model.learn({ totalTimesteps: steps });
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
const last10 = model.recentEpisodes.slice(-10);
console.log(
  `TD3 Pendulum-v1 [${netArch.join(', ')}], ${steps} steps, ${backend.name} (${backend.threads ?? 1} thread(s)): ${(steps / seconds).toFixed(1)} env-steps/s, ` +
    `${((cpu.user + cpu.system) / 1000 / steps).toFixed(1)} CPU ms per env step, ${seconds.toFixed(1)} s, final rolling-10 mean ` +
    `${(last10.reduce((a, e) => a + e.r, 0) / Math.max(1, last10.length)).toFixed(1)}; ${describeMachine()}; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
);
model.close();
