/** Shared inputs: every run gets `ctx.shared` (a fresh copy), in process and in workers; validation; results. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { dcpoQuick } from '../../src/experiments/dcpo.js';
import { runExperiment } from '../../src/train/experiments/index.js';
import { sharedExperiment } from './fixtures/curve-shared-experiments.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const quiet = { print: false, bootstrap: { reps: 100 }, onLog: () => {} } as const;

describe('shared inputs', () => {
  it('reach every run unchanged by earlier runs, in process and in 2 workers, and are kept in the results', async () => {
    const shared = { offset: 40, tags: ['a', 'b'], nested: { path: '/tmp/model', n: null } };
    const out = mkdtempSync(join(tmpdir(), 'teleo-shared-'));
    dirs.push(out);
    for (const parallel of [1, 2]) {
      const results = await runExperiment(sharedExperiment, { ...quiet, parallel, shared, ...(parallel === 1 ? { out } : {}) });
      expect(results.ok, JSON.stringify(results.failures)).toBe(true);
      // Every run saw offset 40 and two tags, although each run mutates its copy.
      expect(results.runs.map((r) => r.metrics)).toEqual([0, 1, 2].map((s) => ({ value: 40 + s, tags: 2 })));
      expect(results.shared).toEqual(shared);
    }
    expect(shared).toEqual({ offset: 40, tags: ['a', 'b'], nested: { path: '/tmp/model', n: null } }); // the caller's object too
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).shared).toEqual(shared);
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain('Shared inputs: `{"offset":40');
  }, 60_000);

  it('runs get {} without shared inputs, and results carry no shared field', async () => {
    const results = await runExperiment(sharedExperiment, { ...quiet, parallel: 1 });
    expect(results.failures[0]!.error.message).toBe('shared inputs missing: {}');
    expect('shared' in results).toBe(false);
  });

  it('refuses inputs that are not JSON values, naming the path', async () => {
    const bad = (shared: unknown) => runExperiment(sharedExperiment, { ...quiet, parallel: 1, shared: shared as never });
    await expect(bad([1, 2])).rejects.toThrow(/shared must be a plain object of JSON values, got an array/);
    await expect(bad(null)).rejects.toThrow(InvalidArgumentError);
    await expect(bad({ a: { b: [1, NaN] } })).rejects.toThrow(/shared\.a\.b\[1\] is NaN/);
    await expect(bad({ when: new Date(0) })).rejects.toThrow(/shared\.when is a Date/);
    await expect(bad({ f: () => 1 })).rejects.toThrow(/shared\.f is a function/);
    await expect(bad({ big: 1n })).rejects.toThrow(/shared\.big is a bigint/);
    await expect(bad({ u: undefined })).rejects.toThrow(/shared\.u is undefined/);
  });

  it('the dcpo experiment takes its warm start from shared.warmStart and says so when it is missing', async () => {
    const results = await runExperiment(dcpoQuick, { ...quiet, parallel: 1, seeds: [0], arms: ['grpo'], shared: { warmStart: 7 } });
    expect(results.failures[0]!.error).toMatchObject({ name: 'InvalidArgumentError', message: expect.stringMatching(/needs the warm-start model path as shared input warmStart.*got 7$/) });
  });
});
