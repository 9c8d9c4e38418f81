/**
 * Learning curves from training runs: reads each run's `metrics.jsonl` (SB3 metric names, one record per
 * line), groups runs that differ only by seed (directory names ending in `-s<seed>`, as `teleo train`
 * writes them), and summarises each group pointwise — the mean, and a spread across seeds (± std, IQR or
 * min–max). Runs of a group logged at different steps are interpolated onto the steps of the longest run,
 * within the range that every run covers.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InvalidArgumentError, InvalidDataError, describeValue } from '../core/errors.js';
import { closeMatches } from '../core/options.js';
import { sortedQuantile } from '../core/quantile.js';
import { interpolateAt } from '../train/experiments/curves.js';
import type { LineSeries } from './chart.js';

export type Spread = 'std' | 'iqr' | 'minmax' | 'none';
export const SPREADS: readonly Spread[] = ['std', 'iqr', 'minmax', 'none'];

export interface RunCurve {
  /** The run directory. */
  dir: string;
  /** Group (arm) name: the directory name without its seed suffix. */
  group: string;
  x: number[];
  y: number[];
}

export interface CurveGroup {
  label: string;
  runs: RunCurve[];
  x: number[];
  mean: number[];
  lower: number[] | null;
  upper: number[] | null;
}

/** Parses a metrics.jsonl file: one JSON object of numbers per non-empty line. */
export function readMetricsFile(path: string): Record<string, number>[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidDataError(`Cannot read metrics file '${path}': ${(err as Error).message}`, { cause: err });
  }
  const records: Record<string, number>[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new InvalidDataError(`${path}: line ${i + 1} is not valid JSON: ${describeValue(line, 60)}`, { row: i });
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new InvalidDataError(`${path}: line ${i + 1} must be a JSON object of metrics, got ${describeValue(value)}`, { row: i });
    }
    records.push(value as Record<string, number>);
  });
  return records;
}

/** Directory name without a trailing seed marker: "ppo-CartPole-v1-s3" → "ppo-CartPole-v1". */
export function groupName(dir: string): string {
  const name = basename(resolve(dir));
  const stripped = name.replace(/([-_.](s|seed)[-_=]?\d+)$/i, '');
  return stripped === '' ? name : stripped;
}

/**
 * The run directories under each input: the input itself when it holds a metrics.jsonl, else its
 * subdirectories (one or two levels down) that do — e.g. an experiment directory of seed runs.
 */
export function findRunDirs(inputs: readonly string[]): string[] {
  if (inputs.length === 0) throw new InvalidArgumentError('Give at least one run directory');
  const found: string[] = [];
  for (const input of inputs) {
    if (!existsSync(input) || !statSync(input).isDirectory()) throw new InvalidArgumentError(`Run directory '${input}' does not exist or is not a directory`);
    if (existsSync(join(input, 'metrics.jsonl'))) {
      found.push(input);
      continue;
    }
    const below: string[] = [];
    const visit = (dir: string, depth: number) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.isDirectory()) continue;
        const sub = join(dir, entry.name);
        if (existsSync(join(sub, 'metrics.jsonl'))) below.push(sub);
        else if (depth < 2) visit(sub, depth + 1);
      }
    };
    visit(input, 1);
    if (below.length === 0) throw new InvalidDataError(`'${input}' has no metrics.jsonl, and none of its subdirectories has one: not a run directory`);
    found.push(...below);
  }
  return found;
}

/** The (x, y) pairs of one run: records that have both keys; a later record at the same x replaces earlier ones. */
export function runCurve(dir: string, metric: string, xKey: string): RunCurve {
  const path = join(dir, 'metrics.jsonl');
  const records = readMetricsFile(path);
  const byX = new Map<number, number>();
  const keys = new Set<string>();
  records.forEach((r, i) => {
    for (const k of Object.keys(r)) keys.add(k);
    const x = r[xKey];
    const y = r[metric];
    if (x === undefined || y === undefined) return;
    for (const [name, v] of [[xKey, x], [metric, y]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidDataError(`${path}: record ${i + 1} has ${name} = ${describeValue(v)}, not a finite number`, { column: name, row: i });
    }
    byX.set(x, y);
  });
  if (byX.size === 0) {
    const missing = [metric, xKey].find((k) => !keys.has(k)) ?? metric;
    const hint = closeMatches(missing, keys);
    throw new InvalidDataError(
      `${path} has no record with both '${metric}' and '${xKey}'` +
        (keys.has(missing) ? '' : ` (no '${missing}' at all${hint.length > 0 ? `; did you mean ${hint.map((h) => `'${h}'`).join(', ')}?` : `; metrics: ${[...keys].sort().join(', ')}`})`),
      { column: missing },
    );
  }
  const x = [...byX.keys()].sort((a, b) => a - b);
  return { dir, group: groupName(dir), x, y: x.map((v) => byX.get(v)!) };
}

/** Mean and spread of a group of runs at common x values. */
export function summarizeGroup(label: string, runs: RunCurve[], spread: Spread): CurveGroup {
  if (!SPREADS.includes(spread)) throw new InvalidArgumentError(`Unknown spread ${describeValue(spread)}; use one of ${SPREADS.join(', ')}`);
  const start = Math.max(...runs.map((r) => r.x[0]!));
  const end = Math.min(...runs.map((r) => r.x[r.x.length - 1]!));
  if (start > end) {
    throw new InvalidDataError(`The runs of '${label}' cover disjoint ranges of steps (${runs.map((r) => `${r.x[0]}–${r.x[r.x.length - 1]}`).join(', ')}): nothing to average`);
  }
  const longest = runs.reduce((a, b) => (b.x.length > a.x.length ? b : a));
  const x = longest.x.filter((v) => v >= start && v <= end);
  const mean: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  for (const at of x) {
    const values = runs.map((r) => interpolateAt(r.x, r.y, at)).sort((a, b) => a - b);
    const m = values.reduce((s, v) => s + v, 0) / values.length;
    mean.push(m);
    if (spread === 'std') {
      const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1)) : 0;
      lower.push(m - sd);
      upper.push(m + sd);
    } else if (spread === 'iqr') {
      lower.push(sortedQuantile(values, 0.25));
      upper.push(sortedQuantile(values, 0.75));
    } else {
      lower.push(values[0]!);
      upper.push(values[values.length - 1]!);
    }
  }
  const band = spread !== 'none' && runs.length > 1;
  return { label, runs, x, mean, lower: band ? lower : null, upper: band ? upper : null };
}

/** Runs grouped by name (first-seen order) and summarised. */
export function groupCurves(curves: readonly RunCurve[], spread: Spread): CurveGroup[] {
  const groups = new Map<string, RunCurve[]>();
  for (const c of curves) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  return [...groups].map(([label, runs]) => summarizeGroup(label, runs, spread));
}

/** Chart series for the groups: "label (n seeds)", with a band when the group has a spread. */
export function groupSeries(groups: readonly CurveGroup[]): LineSeries[] {
  return groups.map((g) => ({
    label: g.runs.length > 1 ? `${g.label} (${g.runs.length} seeds)` : g.label,
    x: g.x,
    y: g.mean,
    ...(g.lower && g.upper ? { band: { lower: g.lower, upper: g.upper } } : {}),
  }));
}

export const SPREAD_NOTES: Record<Spread, string> = {
  std: 'line: mean; shaded: ± 1 std across seeds',
  iqr: 'line: mean; shaded: IQR across seeds',
  minmax: 'line: mean; shaded: min–max across seeds',
  none: 'line: mean across seeds',
};
