/** `teleo bench env <id>`: measures env-steps per second of a random agent (see `throughput.ts`). */
import { Command, InvalidArgumentError as CommanderArgumentError, Option } from 'commander';
import { InvalidArgumentError } from '../core/errors.js';
import type { CliIO } from './io.js';
import { describeMachine, machineInfo } from './machine.js';
import { formatRate } from './table.js';
import { measureThroughput, type ThroughputMode, type ThroughputResult } from './throughput.js';

type VectorChoice = 'none' | 'sync' | 'async';

interface BenchEnvOptions {
  numEnvs: number;
  vector?: VectorChoice;
  steps: number;
  warmup?: number;
  seed: number;
  raw?: boolean;
  json?: boolean;
  envsPerWorker: number;
}

/** Commander argument parser for integers >= `min` (rejects "1e3", "2.5", "12abc"). */
function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min) throw new CommanderArgumentError(`expected an integer >= ${min}.`);
    return n;
  };
}

/** Resolves --vector/--num-envs/--raw into a measurement mode. */
export function benchMode(opts: Pick<BenchEnvOptions, 'numEnvs' | 'vector' | 'raw'>): ThroughputMode {
  const vector = opts.vector ?? (opts.numEnvs > 1 ? 'sync' : 'none');
  if (vector === 'none') {
    if (opts.numEnvs !== 1) {
      throw new InvalidArgumentError(`--num-envs ${opts.numEnvs} needs a vector env: use --vector sync or --vector async`);
    }
    return opts.raw ? 'raw' : 'make';
  }
  if (opts.raw) throw new InvalidArgumentError('--raw applies only to a single env (--vector none)');
  return vector;
}

function describeMode(r: ThroughputResult): string {
  switch (r.mode) {
    case 'raw':
      return 'raw env (no wrappers)';
    case 'make':
      return 'make() env (checker, time limit, order enforcing)';
    case 'sync':
      return `SyncVectorEnv of ${r.numEnvs}`;
    case 'async':
      return `AsyncVectorEnv of ${r.numEnvs} (${r.workers} worker thread${r.workers === 1 ? '' : 's'})`;
  }
}

export function formatBenchResult(r: ThroughputResult, machine = describeMachine()): string {
  const episodes = `, ${r.episodes.toLocaleString('en-US')} episodes`;
  return [
    `${r.envId}: ${describeMode(r)}`,
    `  ${formatRate(r.stepsPerSecond)} env-steps/s`,
    `  ${r.steps.toLocaleString('en-US')} env-steps timed in ${r.seconds.toFixed(3)} s (${r.warmupSteps.toLocaleString('en-US')} warm-up steps excluded)${episodes}`,
    `  machine: ${machine}`,
  ].join('\n');
}

export function addBenchCommand(program: Command, io: CliIO): void {
  const bench = program.command('bench').description('Benchmarks');
  bench
    .command('env')
    .description('Measure env-steps/s of a random agent on a registered environment')
    .argument('<id>', 'environment id, e.g. CartPole-v1')
    .option('--num-envs <n>', 'sub-environments (needs --vector sync|async when > 1)', integerAtLeast(1), 1)
    .addOption(new Option('--vector <mode>', 'none: one env; sync/async: a vector env (default: none, or sync when --num-envs > 1)').choices(['none', 'sync', 'async']))
    .option('--envs-per-worker <n>', 'sub-environments per worker thread with --vector async', integerAtLeast(1), 1)
    .option('--steps <n>', 'env-steps to time', integerAtLeast(1), 1_000_000)
    .option('--warmup <n>', 'untimed env-steps first (default: steps/10, at most 10000)', integerAtLeast(0))
    .option('--seed <s>', 'seed for the env and the action sampler', integerAtLeast(0), 0)
    .option('--raw', 'time the unwrapped env instead of make() with its wrappers')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: BenchEnvOptions) => {
      const mode = benchMode(opts);
      const result = await measureThroughput({
        envId: id,
        mode,
        numEnvs: opts.numEnvs,
        steps: opts.steps,
        warmupSteps: opts.warmup,
        seed: opts.seed,
        envsPerWorker: opts.envsPerWorker,
      });
      io.out(opts.json ? JSON.stringify({ ...result, machine: machineInfo() }, null, 2) : formatBenchResult(result));
    });
}
