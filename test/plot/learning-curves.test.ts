/** Learning curves from metrics.jsonl: reading, grouping by seed, mean and spread, interpolation, bad files. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidDataError } from '../../src/core/errors.js';
import { sortedQuantile } from '../../src/core/quantile.js';
import { Rng } from '../../src/core/rng.js';
import { findRunDirs, groupCurves, groupName, runCurve, summarizeGroup, type RunCurve } from '../../src/plot/learning-curves.js';

const dir = mkdtempSync(join(tmpdir(), 'teleo-curves-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeRun(name: string, records: object[]): string {
  const run = join(dir, name);
  mkdirSync(run, { recursive: true });
  writeFileSync(join(run, 'metrics.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return run;
}

describe('learning curves', () => {
  it('names groups without the seed suffix', () => {
    expect(groupName('runs/ppo-CartPole-v1-s3')).toBe('ppo-CartPole-v1');
    expect(groupName('/x/y/a2c_seed7')).toBe('a2c');
    expect(groupName('runs/baseline')).toBe('baseline');
  });

  it('reads (x, y) pairs, skipping records without the metric', () => {
    const run = writeRun('single-s0', [
      { 'time/total_timesteps': 100, 'train/loss': 1 },
      { 'time/total_timesteps': 200, 'rollout/ep_rew_mean': 20 },
      { 'time/total_timesteps': 300, 'rollout/ep_rew_mean': 35 },
    ]);
    const c = runCurve(run, 'rollout/ep_rew_mean', 'time/total_timesteps');
    expect(c).toMatchObject({ group: 'single', x: [200, 300], y: [20, 35] });
  });

  it('mean and spread across seeds pointwise (std with n − 1, IQR, min–max), one run → no band', () => {
    const runs: RunCurve[] = [1, 2, 3, 4].map((k) => ({ dir: `r-s${k}`, group: 'r', x: [0, 10], y: [k, 10 * k] }));
    const std = summarizeGroup('r', runs, 'std');
    expect(std.mean).toEqual([2.5, 25]);
    const sd0 = Math.sqrt(((1.5 ** 2 + 0.5 ** 2) * 2) / 3);
    expect(std.lower![0]).toBeCloseTo(2.5 - sd0, 12);
    expect(std.upper![1]).toBeCloseTo(25 + 10 * sd0, 12);
    const iqr = summarizeGroup('r', runs, 'iqr');
    expect(iqr.lower).toEqual([1.75, 17.5]);
    expect(iqr.upper).toEqual([3.25, 32.5]);
    expect(summarizeGroup('r', runs, 'minmax').upper).toEqual([4, 40]);
    expect(summarizeGroup('r', runs.slice(0, 1), 'std').lower).toBeNull();
  });

  it('IQR band = the shared sortedQuantile (numpy linear) of the seeds at each x, for odd and even seed counts', () => {
    const rng = Rng.fromSeed(5);
    for (const seeds of [2, 3, 4, 7]) {
      const runs: RunCurve[] = Array.from({ length: seeds }, (_, k) => ({ dir: `q-s${k}`, group: 'q', x: [0, 1, 2], y: [0, 1, 2].map(() => rng.normal(0, 3)) }));
      const g = summarizeGroup('q', runs, 'iqr');
      g.x.forEach((_, i) => {
        const sorted = runs.map((r) => r.y[i]!).sort((p, q) => p - q);
        expect(g.lower![i]).toBe(sortedQuantile(sorted, 0.25));
        expect(g.upper![i]).toBe(sortedQuantile(sorted, 0.75));
        // numpy's linear rule by hand: position (n − 1)·q between order statistics.
        const h = (sorted.length - 1) * 0.75;
        const lo = Math.floor(h);
        expect(g.upper![i]).toBeCloseTo(sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)]!) - sorted[lo]!), 12);
      });
    }
  });

  it('interpolates runs logged at different steps onto the longest run, within the common range', () => {
    const a: RunCurve = { dir: 'a', group: 'g', x: [0, 10, 20, 30], y: [0, 10, 20, 30] };
    const b: RunCurve = { dir: 'b', group: 'g', x: [0, 20], y: [0, 40] };
    const g = summarizeGroup('g', [a, b], 'none');
    expect(g.x).toEqual([0, 10, 20]);
    expect(g.mean).toEqual([0, 15, 30]);
    expect(() => summarizeGroup('g', [a, { dir: 'c', group: 'g', x: [40, 50], y: [1, 2] }], 'std')).toThrow(/disjoint ranges/);
  });

  it('groups run directories by name, finding seed runs under an experiment directory', () => {
    const exp = join(dir, 'exp');
    for (const seed of [0, 1]) {
      for (const arm of ['ppo', 'a2c']) {
        const run = join(exp, `${arm}-s${seed}`);
        mkdirSync(run, { recursive: true });
        writeFileSync(join(run, 'metrics.jsonl'), [1, 2, 3].map((t) => JSON.stringify({ 'time/total_timesteps': t * 100, r: t * (arm === 'ppo' ? 2 : 1) + seed })).join('\n'));
      }
    }
    const runs = findRunDirs([exp]);
    expect(runs).toHaveLength(4);
    const groups = groupCurves(runs.map((r) => runCurve(r, 'r', 'time/total_timesteps')), 'std');
    expect(groups.map((g) => [g.label, g.runs.length])).toEqual([
      ['a2c', 2],
      ['ppo', 2],
    ]);
    expect(groups[1]!.mean).toEqual([2.5, 4.5, 6.5]);
  });

  it('bad input → InvalidDataError naming the file, line or metric', () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'metrics.jsonl'), '{"a": 1}\n{not json\n');
    expect(() => runCurve(broken, 'a', 'b')).toThrow(/line 2 is not valid JSON/);
    const run = writeRun('metricless', [{ 'time/total_timesteps': 1, 'rollout/ep_rew_mean': 3 }]);
    expect(() => runCurve(run, 'rollout/ep_rew_men', 'time/total_timesteps')).toThrow(/no 'rollout\/ep_rew_men' at all; did you mean 'rollout\/ep_rew_mean'/);
    const nan = writeRun('nan', [{ x: 1, y: 'NaN' }]);
    expect(() => runCurve(nan, 'y', 'x')).toThrow(InvalidDataError);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(() => findRunDirs([empty])).toThrow(/not a run directory/);
    expect(() => findRunDirs([join(dir, 'missing')])).toThrow(/does not exist/);
  });
});
