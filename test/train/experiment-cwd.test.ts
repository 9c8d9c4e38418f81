/**
 * Worker processes load TypeScript from any working directory: tsx is resolved from the package, not from
 * the cwd (a bare `--import tsx` fails outside the repository, as the first test shows).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTsxLoader } from '../../src/train/experiments/run.js';

const elsewhere = mkdtempSync(join(tmpdir(), 'teleo-cwd-'));
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const script = fileURLToPath(new URL('./fixtures/run-from-elsewhere.ts', import.meta.url));

describe('experiment workers from another working directory', () => {
  it('resolves tsx from the package; a bare specifier does not resolve there', () => {
    expect(resolveTsxLoader(null)).toBe(tsx);
    const bare = spawnSync(process.execPath, ['--import', 'tsx', '-e', '0'], { cwd: elsewhere, encoding: 'utf8' });
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toMatch(/Cannot find package 'tsx'/);
  });

  it('runs the toy experiment in 2 workers from a directory outside the repository', () => {
    const child = spawnSync(process.execPath, ['--import', tsx, script], { cwd: elsewhere, encoding: 'utf8', timeout: 60_000 });
    expect(child.status, child.stderr).toBe(0);
    const summary = JSON.parse(child.stdout.trim().split('\n').pop()!) as { cwd: string; ok: boolean; failures: unknown[]; runs: number };
    expect(summary.failures).toEqual([]);
    expect(summary).toMatchObject({ ok: true, runs: 6 });
    expect(summary.cwd).not.toContain(process.cwd());
  }, 60_000);
});
