/** The experiment chart draws curves with x values at their x, and falls back to the budget spread without. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { experimentCurveSeries, experimentXLabel, plotExperiment } from '../../src/plot/experiment-plot.js';
import { runExperiment, type ExperimentResults } from '../../src/train/experiments/index.js';
import { xcurveExperiment } from '../train/fixtures/curve-shared-experiments.js';

const dir = mkdtempSync(join(tmpdir(), 'teleo-exp-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('experiment curves with x values', () => {
  it('plots each arm at its grid x with the metric xLabel; arms without x spread over the budget', async () => {
    const out = join(dir, 'xcurve');
    const results = await runExperiment(xcurveExperiment, { parallel: 1, print: false, out, bootstrap: { reps: 50 } });
    const series = experimentCurveSeries(results, 'curve');
    expect(series).toHaveLength(2);
    for (const s of series) {
      const curve = results.arms[s.label.split(' ')[0]!]!.metrics.curve!.curve!;
      expect(Array.from(s.x)).toEqual(curve.x);
      expect(Array.from(s.y)).toEqual(curve.iqm);
    }
    expect(experimentXLabel(results, 'curve')).toBe('env steps');
    const svg = readFileSync(plotExperiment(out, { out: join(dir, 'xcurve.svg') }), 'utf8');
    expect(svg).toContain('env steps');
    expect(svg).not.toContain('spread evenly');

    // Results written before x was kept (or an arm of plain arrays): the x of point i of n is (i + 1)/n of the budget.
    const old = JSON.parse(JSON.stringify(results)) as ExperimentResults;
    delete old.arms.fast!.metrics.curve!.curve!.x;
    const n = old.arms.fast!.metrics.curve!.curve!.iqm.length;
    const fast = experimentCurveSeries(old, 'curve').find((s) => s.label.startsWith('fast'))!;
    expect(Array.from(fast.x)).toEqual(Array.from({ length: n }, (_, i) => ((i + 1) / n) * 1000));
    expect(experimentXLabel(old, 'curve')).toBe('env steps; arms without x: budget (1000; curve points spread evenly over it)');
    delete old.arms.slow!.metrics.curve!.curve!.x;
    expect(experimentXLabel(old, 'curve')).toBe('budget (1000; curve points spread evenly over it)');
  });
});
