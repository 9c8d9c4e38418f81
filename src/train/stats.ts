/**
 * Statistics for reporting results over seeds, following rliable (Agarwal et al., 2021, "Deep RL at the Edge
 * of the Statistical Precipice"): the interquartile mean (IQM) as the point estimate and a stratified
 * percentile-bootstrap confidence interval around it.
 *
 * - `iqm` is rliable's `aggregate_iqm`, i.e. `scipy.stats.trim_mean(x, proportiontocut=0.25)`: sort, drop
 *   `floor(0.25 · n)` values at each end, average the rest. There is no fractional weighting at the cut points:
 *   for n = 5 the IQM is the mean of the middle 3 values, for n = 7 of the middle 5.
 * - `quantile` interpolates linearly between order statistics (numpy's default `linear` method).
 * - `stratifiedBootstrapCI` resamples runs with replacement within each task (never across tasks), applies the
 *   statistic to each resample and returns the `alpha/2` and `1 − alpha/2` quantiles of the replicates
 *   (rliable's `StratifiedBootstrap` with `method='percentile'`). It is deterministic for a given seed.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { sortedQuantile } from '../core/quantile.js';
import { Rng } from '../core/rng.js';

function checkedValues(name: string, values: ArrayLike<number>): number[] {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new InvalidArgumentError(`${name} needs an array of numbers, got ${String(values)}`);
  }
  if (values.length === 0) throw new InvalidArgumentError(`${name} needs at least one value, got an empty array`);
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidArgumentError(`${name}: value at index ${i} must be a finite number, got ${String(v)}`);
    }
    out[i] = v;
  }
  return out;
}

function sortedCopy(name: string, values: ArrayLike<number>): number[] {
  return checkedValues(name, values).sort((a, b) => a - b);
}

function sum(values: ArrayLike<number>, from = 0, to = values.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += values[i]!;
  return s;
}

/** Arithmetic mean. */
export function mean(values: ArrayLike<number>): number {
  const v = checkedValues('mean', values);
  return sum(v) / v.length;
}

function checkProbability(name: string, q: unknown): number {
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new InvalidArgumentError(`${name}: q must be a number in [0, 1], got ${String(q)}`);
  return q;
}

/** The q-quantile (q in [0, 1]), interpolating linearly like `numpy.quantile`. */
export function quantile(values: ArrayLike<number>, q: number): number {
  checkProbability('quantile', q);
  return sortedQuantile(sortedCopy('quantile', values), q);
}

/** Several quantiles of the same values (sorted once). */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = sortedCopy('quantiles', values);
  return qs.map((q) => sortedQuantile(sorted, checkProbability('quantiles', q)));
}

/** The median (the 0.5-quantile). */
export function median(values: ArrayLike<number>): number {
  return sortedQuantile(sortedCopy('median', values), 0.5);
}

/**
 * Mean after removing `floor(proportionToCut · n)` of the smallest and of the largest values, exactly as
 * `scipy.stats.trim_mean` (which cuts less rather than weighting a partial value).
 */
export function trimMean(values: ArrayLike<number>, proportionToCut: number): number {
  if (typeof proportionToCut !== 'number' || !(proportionToCut >= 0 && proportionToCut < 0.5)) {
    throw new InvalidArgumentError(`trimMean: proportionToCut must be a number in [0, 0.5), got ${String(proportionToCut)}`);
  }
  const sorted = sortedCopy('trimMean', values);
  const cut = Math.floor(proportionToCut * sorted.length);
  return sum(sorted, cut, sorted.length - cut) / (sorted.length - 2 * cut);
}

/** Interquartile mean: the mean of the middle 50% (`trimMean(values, 0.25)`, as rliable). */
export function iqm(values: ArrayLike<number>): number {
  return trimMean(values, 0.25);
}

export interface BootstrapOptions {
  /** Bootstrap replications (default 2000). */
  reps?: number;
  /** 1 − confidence level (default 0.05: a 95% interval). */
  alpha?: number;
  /** Generator for the resampling; it is advanced. Takes precedence over `seed`. */
  rng?: Rng;
  /** Seed for a fresh generator when no `rng` is given (default 0, so results are reproducible). */
  seed?: number;
}

const BOOTSTRAP_KEYS = ['reps', 'alpha', 'rng', 'seed'];

function bootstrapSettings(owner: string, options: BootstrapOptions): { reps: number; alpha: number; rng: Rng } {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${owner}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!BOOTSTRAP_KEYS.includes(key)) {
      throw new InvalidArgumentError(`${owner} got an unknown option '${key}' (accepted options: ${BOOTSTRAP_KEYS.join(', ')})`);
    }
  }
  const reps = options.reps ?? 2000;
  if (!Number.isSafeInteger(reps) || reps < 1) throw new InvalidArgumentError(`${owner}: reps must be a positive integer, got ${String(reps)}`);
  const alpha = options.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) {
    throw new InvalidArgumentError(`${owner}: alpha must be a number in (0, 1), got ${String(alpha)}`);
  }
  if (options.rng !== undefined && !(options.rng instanceof Rng)) throw new InvalidArgumentError(`${owner}: rng must be an Rng`);
  return { reps, alpha, rng: options.rng ?? Rng.fromSeed(options.seed ?? 0) };
}

/**
 * Stratified percentile-bootstrap confidence interval of `statistic` over `scoresByTask[task][run]`.
 * Each replicate resamples the runs of every task with replacement (tasks may have different run counts) and
 * calls `statistic` with the resampled `number[][]`; the arrays are reused between replicates, so the statistic
 * must not keep them. Returns `[lo, hi]`.
 */
export function stratifiedBootstrapCI(
  scoresByTask: readonly ArrayLike<number>[],
  statistic: (scoresByTask: number[][]) => number,
  options: BootstrapOptions = {},
): [number, number] {
  const { reps, alpha, rng } = bootstrapSettings('stratifiedBootstrapCI', options);
  if (!Array.isArray(scoresByTask) || scoresByTask.length === 0) {
    throw new InvalidArgumentError('stratifiedBootstrapCI needs scores for at least one task (an array of arrays of runs)');
  }
  if (typeof statistic !== 'function') throw new InvalidArgumentError('stratifiedBootstrapCI: statistic must be a function');
  const tasks = scoresByTask.map((runs, j) => checkedValues(`stratifiedBootstrapCI (task ${j})`, runs));
  const resampled = tasks.map((runs) => new Array<number>(runs.length));
  const replicates = new Float64Array(reps);
  for (let b = 0; b < reps; b++) {
    for (let j = 0; j < tasks.length; j++) {
      const runs = tasks[j]!;
      const out = resampled[j]!;
      for (let i = 0; i < runs.length; i++) out[i] = runs[rng.integers(0, runs.length)]!;
    }
    const value = statistic(resampled);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidArgumentError(`stratifiedBootstrapCI: statistic returned ${String(value)} on a resample; it must return a finite number`);
    }
    replicates[b] = value;
  }
  replicates.sort();
  return [sortedQuantile(replicates, alpha / 2), sortedQuantile(replicates, 1 - alpha / 2)];
}

export interface Summary {
  /** Interquartile mean of the runs. */
  iqm: number;
  /** Bootstrap confidence interval of the IQM (95% by default). */
  ci: [number, number];
  n: number;
  mean: number;
  median: number;
}

/** IQM with its bootstrap CI, plus mean and median, of one score per run (e.g. one per seed). */
export function summarize(runs: ArrayLike<number>, options: BootstrapOptions = {}): Summary {
  const values = checkedValues('summarize', runs);
  return {
    iqm: iqm(values),
    ci: stratifiedBootstrapCI([values], (s) => iqm(s[0]!), options),
    n: values.length,
    mean: sum(values) / values.length,
    median: sortedQuantile([...values].sort((a, b) => a - b), 0.5),
  };
}
