/**
 * Env throughput benchmark: env-steps/s of a random agent on the classic control envs, as a raw env,
 * through `make()`, and in sync/async vector envs, plus a CPU-heavy env where async workers can use
 * more than one core. Prints Markdown tables (results, then the ratio to Gymnasium reference numbers).
 *
 *   npx tsx bench/env-throughput.ts [--quick] [--repeats N] [--env ID ...]
 *
 * Each cell is the median of N runs (default 3; 1 with --quick). `--env` (repeatable) limits the run to
 * the given ids (the classic ids or bench/ExpensiveStep-v0). Progress goes to stderr.
 */
import os from 'node:os';
import '../src/envs/index.js';
import { describeMachine } from '../src/cli/machine.js';
import { formatRate, markdownTable, type Column } from '../src/cli/table.js';
import { measureThroughput, type ThroughputCase as Case } from '../src/cli/throughput.js';
import { EXPENSIVE_ENV_ID } from './expensive-env.js';

const CASES: Case[] = [
  { label: 'raw env', mode: 'raw', numEnvs: 1 },
  { label: 'make()', mode: 'make', numEnvs: 1 },
  { label: 'Sync ×8', mode: 'sync', numEnvs: 8 },
  { label: 'Async ×2', mode: 'async', numEnvs: 2 },
  { label: 'Async ×8', mode: 'async', numEnvs: 8 },
  { label: 'Async ×8, 2 workers', mode: 'async', numEnvs: 8, envsPerWorker: 4 },
];

const CLASSIC_IDS = ['CartPole-v1', 'Pendulum-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Acrobot-v1'];

/** Inner iterations per step of the CPU-heavy env (see bench/expensive-env.ts). */
const EXPENSIVE_WORK = 20_000;

/**
 * Gymnasium 1.3 env-steps/s on this machine type, as given by the team (not measured by this script).
 * Keys are `${envId}|${case label}`.
 */
const GYMNASIUM_REFERENCE: Record<string, number> = {
  'CartPole-v1|make()': 115_000,
  'CartPole-v1|Sync ×8': 85_000,
  'Pendulum-v1|make()': 37_000,
  'Acrobot-v1|make()': 18_000,
};

interface Args {
  quick: boolean;
  repeats: number;
  envs: string[];
}

function parseArgs(argv: string[]): Args {
  const known = [...CLASSIC_IDS, EXPENSIVE_ENV_ID];
  const args: Args = { quick: false, repeats: 0, envs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') args.quick = true;
    else if (a === '--repeats') {
      args.repeats = Number(argv[++i]);
      if (!Number.isInteger(args.repeats) || args.repeats < 1) throw new Error(`--repeats needs a positive integer, got ${argv[i]}`);
    } else if (a === '--env') {
      const id = argv[++i] ?? '';
      if (!known.includes(id)) throw new Error(`--env must be one of ${known.join(', ')}, got '${id}'`);
      args.envs.push(id);
    } else throw new Error(`unknown argument '${a}' (accepted: --quick, --repeats N, --env ID)`);
  }
  if (args.repeats === 0) args.repeats = args.quick ? 1 : 3;
  if (args.envs.length === 0) args.envs = known;
  return args;
}

/** Env-steps per measurement: enough for ~0.2–1 s per cell in full mode. */
function stepsFor(envId: string, c: Case, quick: boolean): number {
  let steps: number;
  if (envId === EXPENSIVE_ENV_ID) steps = 4_000;
  else if (c.mode === 'async') steps = 80_000;
  else steps = 2_000_000;
  return quick ? Math.max(c.numEnvs * 100, Math.floor(steps / 10)) : steps;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const { quick, repeats, envs: ids } = parseArgs(process.argv.slice(2));
  const rates = new Map<string, number>();
  /** (max - min) / median of each cell's runs. */
  const spreads: number[] = [];
  const load = os.loadavg();
  const started = Date.now();

  for (const id of ids) {
    for (const c of CASES) {
      const runs: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const result = await measureThroughput({
          envId: id,
          mode: c.mode,
          numEnvs: c.numEnvs,
          envsPerWorker: c.envsPerWorker ?? 1,
          steps: stepsFor(id, c, quick),
          seed: r,
          envOptions: id === EXPENSIVE_ENV_ID ? { work: EXPENSIVE_WORK } : {},
        });
        runs.push(result.stepsPerSecond);
      }
      rates.set(`${id}|${c.label}`, median(runs));
      spreads.push((Math.max(...runs) - Math.min(...runs)) / median(runs));
      process.stderr.write(`${id} ${c.label}: ${runs.map(formatRate).join(', ')} env-steps/s\n`);
    }
  }

  const columns: Column[] = [{ header: 'Env' }, ...CASES.map((c) => ({ header: c.label, align: 'right' as const }))];
  const rows = ids.map((id) => [
    id === EXPENSIVE_ENV_ID ? `${id} (work=${EXPENSIVE_WORK})` : id,
    ...CASES.map((c) => formatRate(rates.get(`${id}|${c.label}`)!)),
  ]);
  const comparison = Object.entries(GYMNASIUM_REFERENCE).filter(([key]) => rates.has(key)).map(([key, gym]) => {
    const [id, label] = key.split('|') as [string, string];
    const ours = rates.get(key)!;
    return [id, label, formatRate(ours), formatRate(gym), `${(ours / gym).toFixed(2)}×`];
  });

  const out = [
    `Command: ${['npx tsx bench/env-throughput.ts', ...process.argv.slice(2)].join(' ')}`,
    `Machine: ${describeMachine()}; load average before the run: ${load.map((l) => l.toFixed(2)).join(', ')}`,
    `Load average after the run: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}; total time ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    repeats > 1
      ? `Spread between the ${repeats} runs of a cell, (max - min) / median: median ${pct(median(spreads))}, largest ${pct(Math.max(...spreads))}.`
      : 'One run per cell (no spread measured).',
    '',
    `Env-steps/s, median of ${repeats} run${repeats === 1 ? '' : 's'}:`,
    '',
    markdownTable(columns, rows),
  ];
  if (comparison.length > 0) {
    out.push(
      '',
      'Compared with Gymnasium 1.3 (reference env-steps/s given for this machine type, not measured here):',
      '',
      markdownTable(
        [{ header: 'Env' }, { header: 'Setting' }, { header: 'Teleo', align: 'right' }, { header: 'Gymnasium 1.3', align: 'right' }, { header: 'Teleo / Gymnasium', align: 'right' }],
        comparison,
      ),
    );
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`env-throughput: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
  process.exitCode = 1;
});
