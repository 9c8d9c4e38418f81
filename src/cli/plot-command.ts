/**
 * `teleo plot <run-dir>...`: learning curves of training runs as a PNG — runs that differ only by seed
 * (`…-s0`, `…-s1`) become one line with its spread; an experiment output directory (with results.json and no
 * run metrics) is drawn from its saved curves (IQM and bootstrap band per arm). Prints the file written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/errors.js';
import { formatNumber } from '../train/experiments/report.js';
import { plotExperiment } from '../plot/experiment-plot.js';
import { DEFAULT_METRIC, DEFAULT_X, plotRuns } from '../plot/plot-runs.js';
import { SPREADS, type Spread } from '../plot/learning-curves.js';
import type { CliIO } from './io.js';

export interface PlotCommandOptions {
  metric?: string;
  x: string;
  out?: string;
  spread: string;
  title?: string;
}

function isExperimentDir(dir: string): boolean {
  return existsSync(join(dir, 'results.json')) && !existsSync(join(dir, 'metrics.jsonl'));
}

export function runPlot(dirs: string[], opts: PlotCommandOptions, io: CliIO): string {
  if (!(SPREADS as readonly string[]).includes(opts.spread)) throw new InvalidArgumentError(`--spread ${opts.spread}: use one of ${SPREADS.join(', ')}`);
  if (dirs.length === 1 && isExperimentDir(dirs[0]!)) {
    const path = plotExperiment(dirs[0]!, { ...(opts.metric ? { metric: opts.metric } : {}), ...(opts.out ? { out: opts.out } : {}) });
    io.out(`Wrote ${path}`);
    return path;
  }
  const out = opts.out ?? (dirs.length === 1 ? join(dirs[0]!, 'learning-curve.png') : 'learning-curves.png');
  const { path, groups } = plotRuns(dirs, {
    out,
    metric: opts.metric ?? DEFAULT_METRIC,
    x: opts.x,
    spread: opts.spread as Spread,
    ...(opts.title ? { title: opts.title } : {}),
  });
  for (const g of groups) {
    const last = g.mean.length - 1;
    io.out(`${g.label}: ${g.runs.length} run${g.runs.length === 1 ? '' : 's'}, final ${formatNumber(g.mean[last]!)} at ${formatNumber(g.x[last]!)}`);
  }
  io.out(`Wrote ${path}`);
  return path;
}

export function addPlotCommand(program: Command, io: CliIO): void {
  program
    .command('plot')
    .description('Plot learning curves of runs (mean and spread across seeds) as a PNG: teleo plot runs/ppo-CartPole-v1-s0 runs/ppo-CartPole-v1-s1')
    .argument('<run-dir...>', 'run directories (with metrics.jsonl), directories of seed runs, or one experiment output directory (results.json)')
    .option('--metric <name>', `y metric (default ${DEFAULT_METRIC}; for an experiment: its first curve metric)`)
    .option('--x <name>', 'x metric', DEFAULT_X)
    .option('--out <file>', 'output .png or .svg (default: <run-dir>/learning-curve.png for one run, ./learning-curves.png for several; curves.png for an experiment)')
    .option('--spread <kind>', `spread across seeds: ${SPREADS.join(', ')}`, 'std')
    .option('--title <text>', 'chart title')
    .action((dirs: string[], opts: PlotCommandOptions) => {
      runPlot(dirs, opts, io);
    });
}
