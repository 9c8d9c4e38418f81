/**
 * `reproduce dcpo --quick` end to end at smoke sizes: the warm start is trained once and then reused from
 * the output directory, every arm × seed run succeeds, the report carries the three signature checks,
 * and the CLI path (worker processes) writes the report and the runner's results.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { reproduceDcpo } from '../../src/experiments/dcpo.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('reproduce dcpo (quick)', () => {
  it('runs GRPO, DAPO and DCPO from one cached warm start and checks the signatures', async () => {
    const out = mkdtempSync(join(tmpdir(), 'teleo-dcpo-'));
    dirs.push(out);
    const lines: string[] = [];
    const first = await reproduceDcpo({ out, quick: true, seeds: [0, 1], parallel: 1, onLog: (l) => lines.push(l) });
    expect(first.warmStart.trained).toBe(true);
    expect(first.results.ok).toBe(true);
    expect(first.results.experiment.arms).toEqual(['grpo', 'dapo', 'dcpo']);
    expect(first.results.runs).toHaveLength(6);
    for (const run of first.results.runs) {
      const m = run.metrics!;
      expect(m.clipFraction).toBeGreaterThanOrEqual(0);
      expect(m.responseUtilisation).toBeLessThanOrEqual(1);
      expect(m.generationCallsPerStep).toBeGreaterThanOrEqual(1);
      // Every arm starts from the same warm start: the first held-out evaluation is the same number.
      expect((m.heldOutAccuracy as number[])[0]).toBe((first.results.runs[0]!.metrics!.heldOutAccuracy as number[])[0]);
    }
    // GRPO and DCPO never regenerate; only DAPO's dynamic sampling can.
    expect(first.results.arms.grpo!.metrics.generationCallsPerStep!.iqm).toBe(1);
    expect(first.results.arms.dcpo!.metrics.generationCallsPerStep!.iqm).toBe(1);
    expect(first.checks.map((c) => c.claim)).toHaveLength(3);
    expect(first.markdown).toContain('## DCPO signatures');
    expect(readFileSync(join(out, 'dcpo-report.md'), 'utf8')).toBe(first.markdown);
    expect(existsSync(join(out, 'experiment', 'results.json'))).toBe(true);

    // A second reproduction in the same directory reuses the warm start.
    const second = await reproduceDcpo({ out, quick: true, seeds: [0], parallel: 1 });
    expect(second.warmStart.trained).toBe(false);
    expect(second.warmStart.path).toBe(first.warmStart.path);
  });

  it('teleo reproduce dcpo --quick runs the arms in worker processes and prints the table and checks', async () => {
    const out = mkdtempSync(join(tmpdir(), 'teleo-dcpo-cli-'));
    dirs.push(out);
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runCli(['reproduce', 'dcpo', '--quick', '--seeds', '1', '--out', out], { out: (t) => stdout.push(t), err: (t) => stderr.push(t) });
    const text = stdout.join('\n');
    expect(code, stderr.join('\n')).toBe(0);
    expect(text).toContain('Token clip frac');
    expect(text).toMatch(/(MET|NOT MET): DCPO has a lower token clip fraction/);
    expect(existsSync(join(out, 'dcpo-report.md'))).toBe(true);
  }, 120_000);
});
