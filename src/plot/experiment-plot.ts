/**
 * `plotExperiment`: the learning curves kept in an experiment's results.json (written by `runExperiment`),
 * one line per arm — the pointwise IQM over seeds with its bootstrap confidence band — as `curves.png`.
 * Curves that runs returned with x values (`{ x, y }`) are drawn at those x (the runner's common grid, see
 * train/experiments/curves.ts); plain-array curves (and results written before x was kept) have no x, so
 * point i of an arm's n points is drawn at (i + 1)/n of the budget.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, InvalidDataError, describeValue } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import type { ExperimentResults } from '../train/experiments/report.js';
import type { LineSeries } from './chart.js';
import { writeChart } from './png.js';

export interface PlotExperimentOptions {
  /** Curve metric to plot (default: the first curve metric of the experiment). */
  metric?: string;
  /** Output file (default `<resultsDir>/curves.png`). */
  out?: string;
}

/** Reads `results.json` from a directory (or the file itself). */
export function readExperimentResults(pathOrDir: string): ExperimentResults {
  const path = pathOrDir.endsWith('.json') ? pathOrDir : join(pathOrDir, 'results.json');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InvalidDataError(`Cannot read experiment results '${path}': ${(err as Error).message}`, { cause: err });
  }
  const r = value as Partial<ExperimentResults> | null;
  if (!r || typeof r !== 'object' || !r.experiment || !Array.isArray(r.experiment.arms) || !r.arms || typeof r.arms !== 'object') {
    throw new InvalidDataError(`${path} is not an experiment results file (no experiment.arms / arms)`);
  }
  return r as ExperimentResults;
}

/** Curve metrics of the results (keys whose summary has a pointwise curve in some arm). */
export function curveMetrics(results: ExperimentResults): string[] {
  return results.experiment.metrics.map((m) => m.key).filter((key) => results.experiment.arms.some((a) => results.arms[a]?.metrics[key]?.curve));
}

/** The chart's line series: one per arm that has the curve (IQM with its CI band). */
export function experimentCurveSeries(results: ExperimentResults, metric: string): LineSeries[] {
  const series: LineSeries[] = [];
  for (const arm of results.experiment.arms) {
    const curve = results.arms[arm]?.metrics[metric]?.curve;
    if (!curve) continue;
    const label = `${arm}${arm === results.experiment.baseline ? ' (baseline)' : ''} (${results.arms[arm]!.ok} seeds)`;
    // Without x, assume a fixed logging interval (e.g. one point per rollout): point i of n sits at (i + 1)/n
    // of the budget, which puts arms that log at different rates on one axis.
    const budget = results.experiment.budget;
    const n = curve.iqm.length;
    const x = curve.x ?? curve.iqm.map((_, i) => ((i + 1) / n) * budget);
    series.push({ label, x, y: curve.iqm, band: { lower: curve.lo, upper: curve.hi } });
  }
  return series;
}

/** The x-axis title: the metric's xLabel when every plotted arm has x values, else the budget note. */
export function experimentXLabel(results: ExperimentResults, metric: string): string {
  const curves = results.experiment.arms.map((a) => results.arms[a]?.metrics[metric]?.curve).filter((c) => c);
  const withX = curves.filter((c) => c!.x !== undefined).length;
  const xLabel = results.experiment.metrics.find((m) => m.key === metric)?.xLabel ?? 'x';
  const spread = `budget (${results.experiment.budget}; curve points spread evenly over it)`;
  if (withX === curves.length) return xLabel;
  return withX === 0 ? spread : `${xLabel}; arms without x: ${spread}`;
}

/** Writes the curve chart of an experiment; returns its path. */
export function plotExperiment(resultsDir: string, options: PlotExperimentOptions = {}): string {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`plotExperiment options must be an object, got ${describeValue(options)}`);
  checkOptions('plotExperiment', options, ['metric', 'out']);
  const results = readExperimentResults(resultsDir);
  return plotExperimentResults(results, options.out ?? join(resultsDir.endsWith('.json') ? join(resultsDir, '..') : resultsDir, 'curves.png'), options.metric);
}

/** Writes the curve chart of in-memory results to `out`. */
export function plotExperimentResults(results: ExperimentResults, out: string, metric?: string): string {
  const available = curveMetrics(results);
  if (available.length === 0) throw new InvalidDataError(`Experiment '${results.experiment.name}' has no learning-curve metric to plot`);
  const key = metric ?? available[0]!;
  if (!available.includes(key)) {
    throw new InvalidArgumentError(`Experiment '${results.experiment.name}' has no curve metric '${key}'; curve metrics: ${available.join(', ')}`);
  }
  const spec = results.experiment.metrics.find((m) => m.key === key);
  const level = Math.round((1 - results.bootstrap.alpha) * 100);
  return writeChart(out, {
    title: `${results.experiment.name}: ${spec?.label ?? key}`,
    xLabel: experimentXLabel(results, key),
    yLabel: spec?.label ?? key,
    lines: experimentCurveSeries(results, key),
    legendNote: `line: IQM over seeds; shaded: ${level}% bootstrap CI`,
  });
}
