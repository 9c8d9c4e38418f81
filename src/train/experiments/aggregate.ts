/**
 * Aggregation of an experiment's runs: per arm and metric, the IQM over seeds with its stratified-bootstrap
 * confidence interval (see `../stats.ts`). A scalar metric is summarised over its per-seed values; a curve
 * metric (an array or an `{ x, y }` curve per run) is summarised pointwise along the curve — plain arrays
 * point by point, curves with x on a common x grid (see curves.ts) — and its headline numbers use each
 * run's final value. Every summary draws its bootstrap from a fresh generator seeded with `bootstrap.seed`,
 * so the result does not depend on run order or on which arms ran.
 */
import { summarize, type Summary } from '../stats.js';
import { curveGrid, valuesAt, type CurvePoints } from './curves.js';
import { metricKind, type Experiment, type MetricKind, type MetricValue, type RunMetrics } from './define.js';
import type { RunError } from './run-arm.js';

export interface RunRecord {
  arm: string;
  seed: number;
  ok: boolean;
  /** The validated metrics (null when the run failed). */
  metrics: RunMetrics | null;
  error: RunError | null;
  durationMs: number;
}

export interface BootstrapSettings {
  reps: number;
  alpha: number;
  seed: number;
}

export interface CurveSummary {
  /** The x of each point, when the runs returned `{ x, y }` curves; absent for plain-array curves. */
  x?: number[];
  /** Runs that reached each point (curves may differ in length). */
  n: number[];
  iqm: number[];
  lo: number[];
  hi: number[];
}

export interface MetricSummary extends Summary {
  key: string;
  label: string;
  higherIsBetter: boolean;
  kind: 'scalar' | 'curve';
  /** Pointwise summary for curve metrics, null for scalars. */
  curve: CurveSummary | null;
}

export interface ArmSummary {
  arm: string;
  runs: number;
  ok: number;
  failed: number;
  /** null for a metric when no run of the arm succeeded. */
  metrics: Record<string, MetricSummary | null>;
}

const KIND_NAMES: Record<MetricKind, string> = { scalar: 'a number', curve: 'a curve (array)', xcurve: 'a curve with x values ({ x, y })' };

/**
 * Fixes each declared metric's kind (number, array or { x, y } curve) from the first successful run in job
 * order and marks later runs that return another kind as failed, so that every summary mixes like with like.
 */
export function enforceMetricKinds(experiment: Experiment, runs: RunRecord[]): void {
  const kinds = new Map<string, MetricKind>();
  for (const run of runs) {
    if (!run.ok || run.metrics === null) continue;
    for (const { key } of experiment.metrics) {
      const kind = metricKind(run.metrics[key]!);
      const expected = kinds.get(key);
      if (expected === undefined) kinds.set(key, kind);
      else if (expected !== kind) {
        run.ok = false;
        run.metrics = null;
        run.error = {
          name: 'InvalidArgumentError',
          message: `metric '${key}' is ${KIND_NAMES[kind]} here but ${KIND_NAMES[expected]} in earlier runs`,
        };
        break;
      }
    }
  }
}

function summarizeXCurve(curves: CurvePoints[], bootstrap: BootstrapSettings): CurveSummary {
  const x = curveGrid(curves);
  const out: CurveSummary = { x, n: [], iqm: [], lo: [], hi: [] };
  for (const at of x) {
    const s = summarize(valuesAt(curves, at), bootstrap);
    out.n.push(s.n);
    out.iqm.push(s.iqm);
    out.lo.push(s.ci[0]);
    out.hi.push(s.ci[1]);
  }
  return out;
}

function finalValue(value: MetricValue): number {
  if (typeof value === 'number') return value;
  const ys = Array.isArray(value) ? value : value.y;
  return ys[ys.length - 1]!;
}

function summarizeCurve(curves: number[][], bootstrap: BootstrapSettings): CurveSummary {
  const length = Math.max(...curves.map((c) => c.length));
  const out: CurveSummary = { n: [], iqm: [], lo: [], hi: [] };
  for (let p = 0; p < length; p++) {
    const values = curves.filter((c) => c.length > p).map((c) => c[p]!);
    const s = summarize(values, bootstrap);
    out.n.push(s.n);
    out.iqm.push(s.iqm);
    out.lo.push(s.ci[0]);
    out.hi.push(s.ci[1]);
  }
  return out;
}

export function aggregateRuns(experiment: Experiment, armNames: readonly string[], runs: readonly RunRecord[], bootstrap: BootstrapSettings): Record<string, ArmSummary> {
  const out: Record<string, ArmSummary> = {};
  for (const arm of armNames) {
    const armRuns = runs.filter((r) => r.arm === arm);
    const okRuns = armRuns.filter((r) => r.ok && r.metrics !== null);
    const metrics: Record<string, MetricSummary | null> = {};
    for (const m of experiment.metrics) {
      if (okRuns.length === 0) {
        metrics[m.key] = null;
        continue;
      }
      const values = okRuns.map((r) => r.metrics![m.key]!);
      const kind = metricKind(values[0]!);
      const finals = values.map(finalValue);
      metrics[m.key] = {
        key: m.key,
        label: m.label,
        higherIsBetter: m.higherIsBetter,
        kind: kind === 'scalar' ? 'scalar' : 'curve',
        ...summarize(finals, bootstrap),
        curve: kind === 'curve' ? summarizeCurve(values as number[][], bootstrap) : kind === 'xcurve' ? summarizeXCurve(values as CurvePoints[], bootstrap) : null,
      };
    }
    out[arm] = { arm, runs: armRuns.length, ok: okRuns.length, failed: armRuns.length - okRuns.length, metrics };
  }
  return out;
}
