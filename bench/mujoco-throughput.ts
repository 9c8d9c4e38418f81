/**
 * MuJoCo env throughput: env-steps/s (and physics steps/s = env-steps × frame_skip) of a random agent on
 * each MuJoCo task, as a raw env, through `make()`, and in sync/async vector envs (one env per worker, and
 * two workers with four envs each). Prints a Markdown table.
 *
 *   npx tsx bench/mujoco-throughput.ts [--quick] [--repeats N] [--steps N] [--env ID ...]
 *
 * Each cell is the median of N runs (default 3; 1 with --quick). Progress goes to stderr.
 */
import { describeMachine } from '../src/cli/machine.js';
import { formatRate, markdownTable, type Column } from '../src/cli/table.js';
import { measureThroughput, type ThroughputCase as Case } from '../src/cli/throughput.js';
import { make, registry } from '../src/envs/registration.js';
import { ready } from '../src/envs/mujoco/index.js';
import { MujocoEnv } from '../src/envs/mujoco/mujoco-env.js';

const CASES: Case[] = [
  { label: 'raw env', mode: 'raw', numEnvs: 1 },
  { label: 'make()', mode: 'make', numEnvs: 1 },
  { label: 'Sync ×4', mode: 'sync', numEnvs: 4 },
  { label: 'Async ×2', mode: 'async', numEnvs: 2 },
  { label: 'Async ×4', mode: 'async', numEnvs: 4 },
  // Two workers (one per core here) with several envs each: one message round trip per 4 env-steps.
  { label: 'Async 2 workers × 4', mode: 'async', numEnvs: 8, envsPerWorker: 4 },
];

function parseArgs(argv: string[]): { repeats: number; steps: number; envs: string[] } {
  let quick = false;
  let repeats = 0;
  let steps = 0;
  const envs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--repeats') repeats = Number(argv[++i]);
    else if (a === '--steps') steps = Number(argv[++i]);
    else if (a === '--env') envs.push(argv[++i]!);
    else throw new Error(`unknown argument ${a} (expected --quick, --repeats N, --steps N, --env ID)`);
  }
  return { repeats: repeats || (quick ? 1 : 3), steps: steps || (quick ? 5_000 : 20_000), envs };
}

function isMujocoId(id: string): boolean {
  const env = make(id);
  const yes = env.unwrapped instanceof MujocoEnv;
  env.close();
  return yes;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  await ready;
  const args = parseArgs(process.argv.slice(2));
  const ids = args.envs.length ? args.envs : [...registry.keys()].filter(isMujocoId);
  const columns: Column[] = [{ header: 'Env' }, { header: 'frame_skip', align: 'right' }, ...CASES.map((c) => ({ header: c.label, align: 'right' as const }))];
  const rows: string[][] = [];
  for (const id of ids) {
    const env = make(id);
    const frameSkip = (env.unwrapped as MujocoEnv).frameSkip;
    env.close();
    const row = [id, String(frameSkip)];
    for (const c of CASES) {
      const rates: number[] = [];
      for (let r = 0; r < args.repeats; r++) {
        const res = await measureThroughput({ envId: id, mode: c.mode, numEnvs: c.numEnvs, envsPerWorker: c.envsPerWorker, steps: args.steps, seed: r });
        rates.push(res.stepsPerSecond);
      }
      const rate = median(rates);
      process.stderr.write(`${id} ${c.label}: ${formatRate(rate)} env-steps/s\n`);
      row.push(`${formatRate(rate)} (${formatRate(rate * frameSkip)})`);
    }
    rows.push(row);
  }
  console.log(`MuJoCo env-steps/s (physics steps/s in parentheses), median of ${args.repeats}, ${args.steps} steps each; ${describeMachine()}\n`);
  console.log(markdownTable(columns, rows));
}

await main();
