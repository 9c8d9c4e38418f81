/** `teleo reproduce`: the registry (unknown names, close matches), a quick ad-load run with its frontier plot. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './fixtures/cli.js';
import { registerReproduction, reproductionNames } from '../src/cli/reproduce-command.js';
import { PNG_SIGNATURE } from '../src/plot/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teleo-cli-reproduce-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('teleo reproduce', () => {
  it('knows ppo-cartpole and adload; an unknown name lists them with close matches', async () => {
    expect(reproductionNames()).toEqual(expect.arrayContaining(['adload', 'ppo-cartpole']));
    const { code, err } = await cli('reproduce', 'ppo-cartpol');
    expect(code).toBe(1);
    expect(err).toMatch(/Unknown reproduction 'ppo-cartpole?'; available: .*adload.*ppo-cartpole.*Did you mean: 'ppo-cartpole'/);
  });

  it('adload --quick: prints estimates with CIs and true values, writes the report and the frontier plot', async () => {
    const out = join(dir, 'adload');
    const { code, out: text, err } = await cli('reproduce', 'adload', '--quick', '--seeds', '1', '--out', out);
    expect(code, err).toBe(0);
    expect(text).toMatch(/Off-policy estimates on the held-out log/);
    expect(text).toMatch(/\| dr-learned \| satisfaction \| [\d.]+ \|/);
    expect(text).toContain(`Outputs in ${out}:`);
    const frontier = join(out, 'frontier.png');
    expect(text).toContain(frontier);
    expect(readFileSync(frontier).subarray(0, 8).equals(Buffer.from(PNG_SIGNATURE))).toBe(true);
    for (const f of ['adload-report.md', 'adload-frontier.json', join('experiment', 'results.json')]) expect(existsSync(join(out, f)), f).toBe(true);
  }, 60_000);

  it('a full run whose checks fail exits 1; a quick one only warns', async () => {
    registerReproduction('always-fails', { description: 'test double', run: async () => ({ files: [], ok: false }) });
    const full = await cli('reproduce', 'always-fails', '--out', join(dir, 'f'));
    expect(full.code).toBe(1);
    expect(full.err).toMatch(/some checks did not pass/);
    const quick = await cli('reproduce', 'always-fails', '--quick', '--out', join(dir, 'q'));
    expect(quick.code).toBe(0);
    expect(quick.err).toMatch(/quick runs are smoke runs/);
  });

  it('rejects a bad --seeds', async () => {
    const { code, err } = await cli('reproduce', 'adload', '--seeds', '0');
    expect(code).toBe(1);
    expect(err).toMatch(/expected an integer >= 1/);
  });
});
