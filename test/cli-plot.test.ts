/** `teleo plot` on run directories and on an experiment's results; frontier plot; bad input. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './fixtures/cli.js';
import { Rng } from '../src/core/rng.js';
import { experimentCurveSeries } from '../src/plot/experiment-plot.js';
import { PNG_SIGNATURE, frontierSeries, plotExperiment, plotFrontier, renderChartSvg } from '../src/plot/index.js';
import { runExperiment } from '../src/train/experiments/index.js';
import { toyExperiment } from './fixtures/toy-experiments.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teleo-cli-plot-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function isPng(path: string): boolean {
  return readFileSync(path).subarray(0, 8).equals(Buffer.from(PNG_SIGNATURE));
}

/** A run directory like `teleo train` writes: metrics.jsonl with SB3 names. */
function writeRun(name: string, seed: number, slope: number): string {
  const run = join(dir, 'runs', name);
  mkdirSync(run, { recursive: true });
  const rng = Rng.fromSeed(seed);
  const lines = Array.from({ length: 12 }, (_, i) => ({ 'time/total_timesteps': (i + 1) * 512, 'rollout/ep_rew_mean': slope * (i + 1) + rng.uniform(-5, 5), 'train/approx_kl': 0.01 }));
  writeFileSync(join(run, 'metrics.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return run;
}

describe('teleo plot', () => {
  it('overlays run groups (mean and spread across seeds) into a PNG and prints its path', async () => {
    const runs = [0, 1, 2].map((s) => writeRun(`ppo-CartPole-v1-s${s}`, s, 20)).concat([0, 1].map((s) => writeRun(`ppo-default-s${s}`, 10 + s, 8)));
    const out = join(dir, 'curves.png');
    const { code, out: text, err } = await cli('plot', ...runs, '--out', out, '--spread', 'iqr');
    expect(code, err).toBe(0);
    expect(text).toMatch(/^ppo-CartPole-v1: 3 runs, final \d+(\.\d+)? at 6144$/m);
    expect(text).toMatch(/^ppo-default: 2 runs, final/m);
    expect(text).toContain(`Wrote ${out}`);
    expect(isPng(out)).toBe(true);

    // The same through SVG: two line series, two bands.
    const svgPath = join(dir, 'curves.svg');
    expect((await cli('plot', join(dir, 'runs'), '--out', svgPath)).code).toBe(0);
    const svg = readFileSync(svgPath, 'utf8');
    expect((svg.match(/class="series line-series"/g) ?? []).length).toBe(2);
    expect((svg.match(/class="band"/g) ?? []).length).toBe(2);
    expect(svg).toContain('ppo-CartPole-v1 (3 seeds)');
  });

  it('plots another metric, and writes into the run directory by default', async () => {
    const run = writeRun('single', 5, 3);
    const { code, out } = await cli('plot', run, '--metric', 'train/approx_kl');
    expect(code).toBe(0);
    expect(out).toContain(`Wrote ${join(run, 'learning-curve.png')}`);
    expect(isPng(join(run, 'learning-curve.png'))).toBe(true);
  });

  it('plots an experiment directory from its results.json (IQM and CI band per arm)', async () => {
    const exp = join(dir, 'experiment');
    const results = await runExperiment(toyExperiment, { parallel: 1, print: false, out: exp, bootstrap: { reps: 50 } });
    // runExperiment already drew curves.png; plotExperiment redraws it (here as SVG to inspect).
    expect(isPng(join(exp, 'curves.png'))).toBe(true);
    const svgPath = plotExperiment(exp, { out: join(dir, 'exp.svg') });
    const svg = readFileSync(svgPath, 'utf8');
    expect((svg.match(/class="band"/g) ?? []).length).toBe(2);
    expect(svg).toContain('baseline (baseline) (3 seeds)');
    const iqm = results.arms.better!.metrics.curve!.curve!.iqm;
    expect(iqm).toHaveLength(5);
    // Curve points are spread over the budget: the last one sits at the budget.
    const better = experimentCurveSeries(results, 'curve').find((s) => s.label.startsWith('better'))!;
    expect(Array.from(better.x)).toEqual([20, 40, 60, 80, 100]);
    expect(Array.from(better.y)).toEqual(iqm);
    const { code, out } = await cli('plot', exp, '--out', join(dir, 'exp.png'));
    expect(code).toBe(0);
    expect(out).toContain('Wrote');
    expect(isPng(join(dir, 'exp.png'))).toBe(true);
    expect(() => plotExperiment(exp, { metric: 'score' })).toThrow(/no curve metric 'score'; curve metrics: curve/);
  });

  it('draws a frontier: one connected series per learner, fixed policies labelled', () => {
    const points = [
      { policy: 'static-0', lambda: null, satisfaction: 0.8, revenue: 0 },
      { policy: 'static-1', lambda: null, satisfaction: 0.7, revenue: 0.5 },
      ...[0, 0.1, 0.2].flatMap((lambda) => [
        { policy: 'dr-learned', lambda, satisfaction: 0.8 - lambda, revenue: lambda * 5 },
        { policy: 'ips-learned', lambda, satisfaction: 0.79 - lambda, revenue: lambda * 4 },
      ]),
    ];
    const series = frontierSeries(points, 'dr-learned');
    expect(series.map((s) => s.label)).toEqual(['dr-learned', 'ips-learned', 'fixed policies']);
    expect(series[0]!.points.map((p) => p.label)).toEqual(['λ=0', 'λ=0.1', 'λ=0.2']);
    expect(series[2]!.points.map((p) => p.label)).toEqual(['static-0', 'static-1']);
    const svg = renderChartSvg({ scatters: series });
    expect((svg.match(/class="series scatter-series"/g) ?? []).length).toBe(3);
    const png = plotFrontier(points, join(dir, 'frontier.png'));
    expect(isPng(png)).toBe(true);
  });

  it.each([
    [['plot', '/nonexistent/run'], /does not exist/],
    [['plot', 'RUNS', '--metric', 'rollout/ep_rew'], /no 'rollout\/ep_rew' at all; did you mean 'rollout\/ep_rew_mean'/],
    [['plot', 'RUNS', '--spread', 'var'], /--spread var: use one of std, iqr, minmax, none/],
    [['plot', 'RUNS', '--out', 'curves.jpg'], /must end in .png or .svg/],
  ])('bad input → exit 1 with a message (%#)', async (args, message) => {
    const resolved = args.map((a) => (a === 'RUNS' ? join(dir, 'runs') : a));
    const { code, err } = await cli(...resolved);
    expect(code).toBe(1);
    expect(err).toMatch(message);
    expect(err).toMatch(/^teleo: \w+Error: /);
  });
});

it('leaves no temporary files behind', () => {
  expect(existsSync(dir)).toBe(true);
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [e.name]));
  expect(walk(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});
