/**
 * Reporting of experiment results: the per-arm table (plain text for stdout, Markdown for results.md), the
 * failure summary, and atomic writing of results.json / results.md (temp file + rename, never a partial file).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownTable, textTable, type Column } from '../../cli/table.js';
import { curveMetrics, plotExperimentResults } from '../../plot/experiment-plot.js';
import type { ArmSummary, BootstrapSettings, RunRecord } from './aggregate.js';
import type { SharedInputs } from './define.js';
import type { RunError } from './run-arm.js';

export interface ExperimentResults {
  experiment: {
    name: string;
    description: string;
    budget: number;
    seeds: number[];
    arms: string[];
    baseline: string | null;
    metrics: { key: string; label: string; higherIsBetter: boolean; xLabel?: string }[];
    module: string | null;
  };
  /** The `shared` inputs every run received (present when runExperiment was given some). */
  shared?: SharedInputs;
  bootstrap: BootstrapSettings;
  /** Worker processes used (1: runs executed in this process, one after another). */
  parallel: number;
  startedAt: string;
  durationMs: number;
  /** Per-arm summaries, arms in experiment order (baseline first). */
  arms: Record<string, ArmSummary>;
  /** Every run, ordered by arm then seed. */
  runs: RunRecord[];
  failures: { arm: string; seed: number; error: RunError }[];
  /** True when every run succeeded. */
  ok: boolean;
}

/** Compact number formatting for tables: 4 significant digits, exponent for very large or small values. */
export function formatNumber(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

function bestArm(results: ExperimentResults, key: string, higherIsBetter: boolean): string | null {
  let best: string | null = null;
  let bestValue = 0;
  for (const arm of results.experiment.arms) {
    const m = results.arms[arm]?.metrics[key];
    if (!m) continue;
    if (best === null || (higherIsBetter ? m.iqm > bestValue : m.iqm < bestValue)) {
      best = arm;
      bestValue = m.iqm;
    }
  }
  return best;
}

/** One row per arm: runs and, per metric, "IQM [lo, hi]"; the best IQM of each metric is marked. */
export function resultsTable(results: ExperimentResults, format: 'text' | 'markdown'): string {
  const { metrics, baseline } = results.experiment;
  const level = Math.round((1 - results.bootstrap.alpha) * 100);
  const columns: Column[] = [
    { header: 'arm' },
    { header: 'runs', align: 'right' },
    ...metrics.map((m) => {
      const isCurve = results.experiment.arms.some((a) => results.arms[a]?.metrics[m.key]?.kind === 'curve');
      return { header: `${m.label}${isCurve ? ' (final)' : ''} ${m.higherIsBetter ? '↑' : '↓'} IQM [${level}% CI]`, align: 'right' as const };
    }),
  ];
  const best = new Map(metrics.map((m) => [m.key, bestArm(results, m.key, m.higherIsBetter)]));
  const rows = results.experiment.arms.map((arm) => {
    const s = results.arms[arm]!;
    const cells = metrics.map((m) => {
      const v = s.metrics[m.key];
      if (!v) return '—';
      const text = `${formatNumber(v.iqm)} [${formatNumber(v.ci[0])}, ${formatNumber(v.ci[1])}]`;
      const isBest = best.get(m.key) === arm && results.experiment.arms.length > 1;
      if (!isBest) return text;
      return format === 'markdown' ? `**${text}**` : `*${text}`;
    });
    const name = arm === baseline ? `${arm} (baseline)` : arm;
    return [name, s.failed > 0 ? `${s.ok}/${s.runs}` : String(s.runs), ...cells];
  });
  return format === 'markdown' ? markdownTable(columns, rows) : textTable(columns, rows);
}

/** "6/6 runs succeeded", or the count and one line per failed run. */
export function failureSummary(results: ExperimentResults): string {
  const total = results.runs.length;
  const okCount = total - results.failures.length;
  const head = `${results.experiment.name}: ${okCount}/${total} runs succeeded`;
  if (results.failures.length === 0) return head;
  const lines = results.failures.map((f) => `  FAILED arm '${f.arm}' seed ${f.seed}: ${f.error.name}: ${f.error.message}`);
  return [`${head}, ${results.failures.length} failed:`, ...lines].join('\n');
}

export function resultsMarkdown(results: ExperimentResults): string {
  const { experiment: e, bootstrap: b } = results;
  const level = Math.round((1 - b.alpha) * 100);
  const parts = [
    `# Experiment ${e.name}`,
    '',
    ...(e.description ? [e.description, ''] : []),
    `Budget ${e.budget}; seeds ${e.seeds.join(', ')}; ${results.parallel > 1 ? `${results.parallel} worker processes` : 'run in one process'}; ` +
      `started ${results.startedAt}, took ${(results.durationMs / 1000).toFixed(1)} s.`,
    `Point estimate: interquartile mean (IQM) over seeds; interval: ${level}% stratified percentile bootstrap (${b.reps} resamples, seed ${b.seed}). ` +
      'Learning curves are summarised by their final value; best IQM per metric in bold.',
    ...(results.shared && Object.keys(results.shared).length > 0 ? [`Shared inputs: \`${JSON.stringify(results.shared)}\`.`] : []),
    '',
    resultsTable(results, 'markdown'),
    '',
    failureSummary(results)
      .split('\n')
      .map((l) => (l.startsWith('  ') ? `- ${l.trim()}` : l))
      .join('\n'),
    '',
  ];
  return parts.join('\n');
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * Writes results.json and results.md into `dir` (created if needed), and curves.png (IQM and CI band per
 * arm) when a metric is a learning curve and `plot` is not false; returns their paths.
 */
export function writeResults(dir: string, results: ExperimentResults, options: { plot?: boolean } = {}): { json: string; markdown: string; plot: string | null } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'results.json');
  const markdown = join(dir, 'results.md');
  writeAtomic(json, JSON.stringify(results, null, 2) + '\n');
  writeAtomic(markdown, resultsMarkdown(results));
  const plot = options.plot !== false && curveMetrics(results).length > 0 ? plotExperimentResults(results, join(dir, 'curves.png')) : null;
  return { json, markdown, plot };
}
