/**
 * Aggregation of an experiment's runs: per arm and metric, the IQM over seeds with its stratified-bootstrap
 * confidence interval (see `../stats.ts`). A scalar metric is summarised over its per-seed values; a curve
 * metric (an array per run) is summarised pointwise along the curve, and its headline numbers use each run's
 * final value. Every summary draws its bootstrap from a fresh generator seeded with `bootstrap.seed`, so the
 * result does not depend on run order or on which arms ran.
 */
import { summarize, type Summary } from '../stats.js';
import type { Experiment, RunMetrics } from './define.js';
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

/**
 * Fixes each declared metric's kind (number or curve) from the first successful run in job order and marks
 * later runs that return the other kind as failed, so that every summary mixes like with like.
 */
export function enforceMetricKinds(experiment: Experiment, runs: RunRecord[]): void {
  const kinds = new Map<string, 'scalar' | 'curve'>();
  for (const run of runs) {
    if (!run.ok || run.metrics === null) continue;
    for (const { key } of experiment.metrics) {
      const kind = Array.isArray(run.metrics[key]) ? 'curve' : 'scalar';
      const expected = kinds.get(key);
      if (expected === undefined) kinds.set(key, kind);
      else if (expected !== kind) {
        run.ok = false;
        run.metrics = null;
        run.error = {
          name: 'InvalidArgumentError',
          message: `metric '${key}' is a ${kind === 'curve' ? 'curve (array)' : 'number'} here but a ${expected === 'curve' ? 'curve (array)' : 'number'} in earlier runs`,
        };
        break;
      }
    }
  }
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
      const isCurve = Array.isArray(values[0]);
      const finals = values.map((v) => (Array.isArray(v) ? v[v.length - 1]! : v));
      metrics[m.key] = {
        key: m.key,
        label: m.label,
        higherIsBetter: m.higherIsBetter,
        kind: isCurve ? 'curve' : 'scalar',
        ...summarize(finals, bootstrap),
        curve: isCurve ? summarizeCurve(values as number[][], bootstrap) : null,
      };
    }
    out[arm] = { arm, runs: armRuns.length, ok: okRuns.length, failed: armRuns.length - okRuns.length, metrics };
  }
  return out;
}
