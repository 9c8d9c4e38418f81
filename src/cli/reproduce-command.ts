/**
 * `teleo reproduce <name>`: runs a named reproduction and writes its results (table, JSON, report, plot)
 * under `--out`. Registered: `ppo-cartpole` (PPO on CartPole-v1, RL-Zoo preset vs SB3 defaults, learning
 * curves → curves.png), `adload` (the ad-load off-policy pipeline: OPE estimates with CIs next to true
 * values, the λ frontier → frontier.png) and `dcpo` (GRPO vs DAPO vs DCPO from one SFT warm start,
 * `src/experiments/dcpo.ts`). Unknown names get close matches.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CommanderError, type Command } from 'commander';
import { InvalidArgumentError } from '../core/errors.js';
import { closeMatches } from '../core/options.js';
import { reproduceAdload } from '../experiments/adload/reproduce.js';
import { reproducePpoCartpole } from '../experiments/ppo-cartpole.js';
import { reproduceDcpo } from '../experiments/dcpo.js';
import { plotFrontier } from '../plot/frontier-plot.js';
import { failureSummary } from '../train/experiments/report.js';
import type { CliIO } from './io.js';
import { integerAtLeast } from './option-parsers.js';

export interface ReproductionRun {
  /** Seeds to run (undefined: the reproduction's default). */
  seeds: number[] | undefined;
  out: string;
  quick: boolean;
  io: CliIO;
}

export interface Reproduction {
  description: string;
  /** Runs it, writes under `out`; returns the files written and whether its checks passed. */
  run(options: ReproductionRun): Promise<{ files: string[]; ok: boolean }>;
}

const reproductions = new Map<string, Reproduction>();

/** Adds (or replaces) a named reproduction. */
export function registerReproduction(name: string, reproduction: Reproduction): void {
  reproductions.set(name, reproduction);
}

export function reproductionNames(): string[] {
  return [...reproductions.keys()].sort();
}

export function getReproduction(name: string): Reproduction {
  const found = reproductions.get(name);
  if (found) return found;
  const hint = closeMatches(name, reproductions.keys());
  throw new InvalidArgumentError(
    `Unknown reproduction '${name}'; available: ${reproductionNames().join(', ')}${hint.length > 0 ? `. Did you mean: ${hint.map((h) => `'${h}'`).join(', ')}?` : ''}`,
  );
}

registerReproduction('ppo-cartpole', {
  description: 'PPO on CartPole-v1: RL-Zoo preset vs SB3 defaults over 10 seeds (quick: 3 seeds, 30k steps)',
  async run({ seeds, out, quick, io }) {
    const results = await reproducePpoCartpole({ quick, out, onLog: (line) => io.err(line), ...(seeds ? { seeds } : {}) });
    // The runner's writeResults draws curves.png from the saved learning curves.
    const curves = join(out, 'curves.png');
    if (!results.ok) io.err(failureSummary(results));
    return { files: [join(out, 'results.json'), join(out, 'results.md'), curves], ok: results.ok };
  },
});

registerReproduction('adload', {
  description: 'Ad-load balancing by off-policy learning: OPE with CIs vs true values, λ frontier, heterogeneity (5 seeds)',
  async run({ seeds, out, quick, io }) {
    const result = await reproduceAdload({ quick, out, onLog: (line) => io.err(line), ...(seeds ? { seeds } : {}) });
    io.out(result.markdown.trimEnd());
    const frontier = plotFrontier(result.frontier, join(out, 'frontier.png'), {
      title: `Ad-load frontier, mean over ${result.seeds.length} seed${result.seeds.length === 1 ? '' : 's'} (λ weighs revenue)`,
    });
    const ok = Object.values(result.claims.pass).every(Boolean);
    return {
      files: [join(out, 'adload-report.md'), join(out, 'adload-frontier.json'), join(out, 'experiment', 'results.json'), frontier],
      ok,
    };
  },
});

registerReproduction('dcpo', {
  description: 'GRPO vs DAPO vs DCPO on addition from one SFT warm start, 3 seeds: token clip fraction, response utilisation, accuracy gain (quick: tiny sizes)',
  async run({ seeds, out, quick, io }) {
    const result = await reproduceDcpo({ quick, out, onLog: (line) => io.err(line), ...(seeds ? { seeds } : {}) });
    io.out(result.markdown.trimEnd());
    if (!result.results.ok) io.err(failureSummary(result.results));
    const ok = result.results.ok && result.checks.every((c) => c.met);
    return { files: [join(out, 'dcpo-report.md'), join(out, 'experiment', 'results.json'), join(out, 'experiment', 'results.md'), join(out, 'experiment', 'curves.png')], ok };
  },
});

export interface ReproduceCommandOptions {
  seeds?: number;
  out?: string;
  quick?: boolean;
}

/** Runs a reproduction; resolves to its exit status (1 when one of its checks failed in a full run). */
export async function runReproduce(name: string, opts: ReproduceCommandOptions, io: CliIO): Promise<number> {
  const reproduction = getReproduction(name);
  const out = resolve(opts.out ?? join('results', name));
  const seeds = opts.seeds === undefined ? undefined : Array.from({ length: opts.seeds }, (_, i) => i);
  io.err(`teleo reproduce ${name}${opts.quick ? ' (quick)' : ''}: ${reproduction.description}`);
  const { files, ok } = await reproduction.run({ seeds, out, quick: opts.quick ?? false, io });
  io.out('');
  io.out(`Outputs in ${out}:`);
  // Only what was written (e.g. no curves.png when every run failed).
  for (const f of files.filter((path) => existsSync(path))) io.out(`  ${f}`);
  if (!ok) io.err(`teleo reproduce ${name}: some checks did not pass (see the report)${opts.quick ? '; quick runs are smoke runs, the checks are meant for the full sizes' : ''}`);
  return ok || opts.quick ? 0 : 1;
}

export function addReproduceCommand(program: Command, io: CliIO): void {
  program
    .command('reproduce')
    .description(`Run a named reproduction and write its table, JSON, report and plot (${reproductionNames().join(', ')})`)
    .argument('<name>', `reproduction: ${reproductionNames().join(', ')}`)
    .option('--seeds <n>', 'number of seeds (seeds 0..n-1; default: the reproduction’s own)', integerAtLeast(1))
    .option('--out <dir>', 'output directory (default results/<name>)')
    .option('--quick', 'a smaller, faster smoke run')
    .action(async (name: string, opts: ReproduceCommandOptions) => {
      const code = await runReproduce(name, opts, io);
      // Already reported: exit 1 without a second message.
      if (code !== 0) throw new CommanderError(code, 'teleo.reproduce.checks', '');
    });
}
