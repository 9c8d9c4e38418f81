/** Experiment runner: definitions, parallel workers = sequential, aggregation, failing and crashing runs, files. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { iqm, stratifiedBootstrapCI } from '../../src/train/stats.js';
import { defineExperiment, failureSummary, runExperiment, type ExperimentResults } from '../../src/train/experiments/index.js';
import { crashExperiment, failingExperiment, toyExperiment } from '../fixtures/toy-experiments.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'teleo-exp-'));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Everything but timings. */
function comparable(r: ExperimentResults) {
  return { arms: r.arms, runs: r.runs.map(({ durationMs: _, ...rest }) => rest), failures: r.failures, ok: r.ok };
}

const quiet = { print: false, bootstrap: { reps: 300 } } as const;

describe('defineExperiment', () => {
  const base = {
    name: 'valid',
    arms: { a: { run: () => ({ x: 1 }) } },
    seeds: [0, 1],
    metrics: [{ key: 'x', higherIsBetter: true }],
    budget: 10,
  };

  it('validates the definition with errors that name the problem', () => {
    expect(defineExperiment(base).metrics[0]).toEqual({ key: 'x', higherIsBetter: true, label: 'x' });
    expect(() => defineExperiment({ ...base, arms: {} })).toThrow(/at least one arm/);
    expect(() => defineExperiment({ ...base, arms: { a: {} as never } })).toThrow(/arm 'a' needs a run\(ctx\) function/);
    expect(() => defineExperiment({ ...base, seeds: [0, -1] })).toThrow(/seeds\[1\] must be a non-negative safe integer/);
    expect(() => defineExperiment({ ...base, seeds: [3, 3] })).toThrow(/seed 3 is listed twice/);
    expect(() => defineExperiment({ ...base, metrics: [{ key: 'x' } as never] })).toThrow(/higherIsBetter/);
    expect(() => defineExperiment({ ...base, budget: 0 })).toThrow(/budget must be a positive number/);
    expect(() => defineExperiment({ ...base, baseline: 'b' })).toThrow(/baseline 'b' is not one of the arms/);
    expect(() => defineExperiment({ ...base, module: './here.ts' })).toThrow(/module must be a URL/);
    expect(() => defineExperiment({ ...base, seed: 1 } as never)).toThrow(/unknown field 'seed'/);
    expect(() => defineExperiment({ ...base, name: 'toy', module: 'file:///elsewhere.ts' })).toThrow(/already defined in/);
  });

  it('refuses parallel runs without a module, and unknown arms or options', async () => {
    const exp = defineExperiment(base);
    await expect(runExperiment(exp, { parallel: 2, print: false })).rejects.toThrow(/pass module: import.meta.url/);
    await expect(runExperiment(exp, { arms: ['z'], print: false })).rejects.toThrow(/unknown arm 'z'/);
    await expect(runExperiment(exp, { seed: 1 } as never)).rejects.toThrow(InvalidArgumentError);
  });
});

describe('runExperiment', () => {
  it('gives the same results in 2 worker processes as sequentially in-process, with IQM and bootstrap CI per arm', async () => {
    const sequential = await runExperiment(toyExperiment, { ...quiet, parallel: 1 });
    const out = tempDir();
    const logs: string[] = [];
    const parallel = await runExperiment(toyExperiment, { ...quiet, parallel: 2, out, onLog: (l) => logs.push(l) });
    expect(parallel.parallel).toBe(2);
    expect(comparable(parallel)).toEqual(comparable(sequential));
    expect(parallel.ok).toBe(true);
    expect(logs).toContain('[better seed=2] finished 100 steps');

    // Baseline first, then the other arms; runs ordered by arm then seed.
    expect(parallel.experiment.arms).toEqual(['baseline', 'better']);
    expect(parallel.runs.map((r) => `${r.arm}/${r.seed}`)).toEqual(['baseline/0', 'baseline/1', 'baseline/2', 'better/0', 'better/1', 'better/2']);

    // The aggregates are IQM and the seeded stratified bootstrap of the per-seed values.
    for (const arm of ['baseline', 'better']) {
      const runs = parallel.runs.filter((r) => r.arm === arm);
      const scores = runs.map((r) => r.metrics!.score as number);
      const s = parallel.arms[arm]!.metrics.score!;
      expect(s.kind).toBe('scalar');
      expect(s.n).toBe(3);
      expect(s.iqm).toBe(iqm(scores));
      expect(s.ci).toEqual(stratifiedBootstrapCI([scores], (x) => iqm(x[0]!), { reps: 300, seed: 0 }));
      // Curves (returned as Float64Array) arrive as number[] and are summarised pointwise and by final value.
      const curves = runs.map((r) => r.metrics!.curve as number[]);
      expect(Array.isArray(curves[0])).toBe(true);
      const c = parallel.arms[arm]!.metrics.curve!;
      expect(c.kind).toBe('curve');
      expect(c.curve!.iqm).toEqual([0, 1, 2, 3, 4].map((p) => iqm(curves.map((k) => k[p]!))));
      expect(c.iqm).toBe(iqm(curves.map((k) => k[4]!)));
      c.curve!.iqm.forEach((v, p) => {
        expect(c.curve!.lo[p]).toBeLessThanOrEqual(v);
        expect(c.curve!.hi[p]).toBeGreaterThanOrEqual(v);
      });
    }
    expect(parallel.arms.better!.metrics.score!.iqm).toBeGreaterThan(parallel.arms.baseline!.metrics.score!.iqm);

    // Files: complete JSON equal to the returned results, a Markdown table, no temp files left behind.
    expect(readdirSync(out).sort()).toEqual(['curves.png', 'results.json', 'results.md']);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(parallel)));
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    expect(md).toMatch(/^# Experiment toy/);
    expect(md).toMatch(/\| baseline \(baseline\) \|/);
    expect(md).toMatch(/Return \(final\) ↑ IQM \[95% CI\]/);
    expect(md).toMatch(/cost ↓/);
    expect(md).toMatch(/\*\*\d/); // the best arm's cells are bold
    expect(md).toContain('toy: 6/6 runs succeeded');
  }, 60_000);

  it('records a throwing run and a malformed result with arm, seed and error; the other runs finish', async () => {
    const out = tempDir();
    const stdout: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    let results: ExperimentResults;
    try {
      results = await runExperiment(failingExperiment, { parallel: 1, out, bootstrap: { reps: 100 }, onLog: () => {} });
    } finally {
      spy.mockRestore();
    }
    expect(results.ok).toBe(false);
    expect(results.runs.filter((r) => r.ok)).toHaveLength(7);
    expect(results.failures.map((f) => [f.arm, f.seed, f.error.name])).toEqual([
      ['flaky', 1, 'RangeError'],
      ['malformed', 2, 'InvalidArgumentError'],
    ]);
    expect(results.failures[0]!.error.message).toBe('flaky arm exploded at seed 1');
    expect(results.failures[1]!.error.message).toMatch(/metric 'score' is NaN/);
    expect(results.arms.flaky!.ok).toBe(2);
    expect(results.arms.flaky!.metrics.score!.n).toBe(2);
    expect(results.arms.flaky!.metrics.score!.iqm).toBe(11); // seeds 0 and 2 → 10, 12
    const summary = failureSummary(results);
    expect(summary).toContain('toy-failing: 7/9 runs succeeded, 2 failed:');
    expect(summary).toContain("FAILED arm 'flaky' seed 1: RangeError: flaky arm exploded at seed 1");
    const printed = stdout.join('');
    expect(printed).toContain(summary);
    expect(printed).toMatch(/flaky +2\/3/);
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain("- FAILED arm 'malformed' seed 2");
  });

  it('records a worker process that dies as a failed run', async () => {
    const results = await runExperiment(crashExperiment, { ...quiet, parallel: 2, onLog: () => {} });
    expect(results.failures).toHaveLength(1);
    const [failure] = results.failures;
    expect([failure!.arm, failure!.seed, failure!.error.name]).toEqual(['crash', 1, 'WorkerExitError']);
    expect(failure!.error.message).toMatch(/exited with code 3 before reporting a result/);
    expect(failure!.error.message).toContain('about to crash');
    expect(results.runs.filter((r) => r.ok).map((r) => `${r.arm}/${r.seed}`)).toEqual(['fine/0', 'fine/1', 'crash/0']);
    expect(existsSync(join(process.cwd(), 'results.json'))).toBe(false); // nothing written without `out`
  }, 60_000);
});
