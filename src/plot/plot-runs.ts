/**
 * `plotRuns`: the learning-curve chart of several training runs (one line per group of seeds, mean and
 * spread), written as a PNG (or SVG). What `teleo plot <run-dir>...` calls.
 */
import { InvalidArgumentError, describeValue } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { findRunDirs, groupCurves, groupSeries, runCurve, SPREAD_NOTES, SPREADS, type CurveGroup, type Spread } from './learning-curves.js';
import { writeChart } from './png.js';

export interface PlotRunsOptions {
  /** Output file (.png or .svg). */
  out: string;
  /** y metric (default 'rollout/ep_rew_mean'). */
  metric?: string;
  /** x metric (default 'time/total_timesteps'). */
  x?: string;
  /** Spread across seeds (default 'std'). */
  spread?: Spread;
  title?: string;
}

export interface PlotRunsResult {
  path: string;
  groups: CurveGroup[];
}

export const DEFAULT_METRIC = 'rollout/ep_rew_mean';
export const DEFAULT_X = 'time/total_timesteps';

export function plotRuns(inputs: readonly string[], options: PlotRunsOptions): PlotRunsResult {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`plotRuns options must be an object, got ${describeValue(options)}`);
  checkOptions('plotRuns', options, ['out', 'metric', 'x', 'spread', 'title']);
  const { out, metric = DEFAULT_METRIC, x = DEFAULT_X, spread = 'std' } = options;
  if (typeof out !== 'string' || out === '') throw new InvalidArgumentError('plotRuns needs an output path (out)');
  if (!SPREADS.includes(spread)) throw new InvalidArgumentError(`Unknown spread ${describeValue(spread)}; use one of ${SPREADS.join(', ')}`);
  const curves = findRunDirs(inputs).map((dir) => runCurve(dir, metric, x));
  const groups = groupCurves(curves, spread);
  const anySeeds = groups.some((g) => g.runs.length > 1);
  const path = writeChart(out, {
    title: options.title ?? `${metric} vs ${x}`,
    xLabel: x,
    yLabel: metric,
    lines: groupSeries(groups),
    ...(anySeeds ? { legendNote: SPREAD_NOTES[spread] } : {}),
  });
  return { path, groups };
}
