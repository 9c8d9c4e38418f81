/** `teleo train sft <task>`: run directory, metrics, checkpoint with its provenance, and bad input. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { parseTaskOptions, runTrainSFT } from '../../src/cli/train-sft.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'teleo-sft-cli-'));
  dirs.push(d);
  return d;
}
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

describe('teleo train sft', () => {
  it('trains, logs and saves a run through the CLI', async () => {
    const dir = tmp();
    const cfg = join(dir, 'sft.json');
    writeFileSync(cfg, JSON.stringify({ dModel: 16, nLayers: 1, nHeads: 2, contextLength: 12, batchSize: 8, evalEvery: 2, evalProblems: 5, logEvery: 1 }));
    const out = join(dir, 'run');
    const c = capture();
    const code = await runCli(
      ['train', 'sft', 'addition', '--task-option', 'difficulty=2', '--task-option', 'reverseDigits=true', '--max-steps', '4', '--target-accuracy', '0.9', '--seed', '3', '--config', cfg, '--out', out, '--backend', 'wasm'],
      c.io,
    );
    expect(c.err.filter((l) => l.startsWith('teleo:'))).toEqual([]);
    expect(code).toBe(0);
    expect(c.out[0]).toMatch(/^teleo train sft addition/);
    expect(c.out.join('\n')).toMatch(/"reverseDigits":true/);
    expect(c.out.join('\n')).toMatch(/held-out greedy accuracy \d\.\d{3} .* after 4 steps \(step budget used\)/);
    expect(c.err.some((l) => /^\[step 2\/4\] loss \d/.test(l))).toBe(true);
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics.filter((m) => m['train/loss'] !== undefined).map((m) => m['time/total_timesteps'])).toEqual([1, 2, 3, 4]);
    expect(metrics.filter((m) => m['eval/accuracy'] !== undefined).length).toBe(2);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run).toMatchObject({ algo: 'sft', task: 'addition', taskOptions: { difficulty: 2, reverseDigits: true }, seed: 3 });
    const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(model).toMatchObject({ trainer: 'sft', task: 'addition', steps: 4, stopReason: 'max-steps', sftConfig: { seed: 3, dModel: 16, targetAccuracy: 0.9 } });
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
    // The same directory again is refused rather than appended to.
    const again = capture();
    expect(await runCli(['train', 'sft', 'addition', '--out', out, '--backend', 'wasm'], again.io)).toBe(1);
    expect(again.err.join('\n')).toMatch(/already holds a run/);
  }, 60_000);

  it('rejects unknown tasks, bad task options and PPO-only flags with clear messages', async () => {
    await expect(runTrainSFT('adition', {}, capture().io)).rejects.toThrow(/Did you mean 'addition'/);
    await expect(runTrainSFT('addition', { taskOption: ['digits'] }, capture().io)).rejects.toThrow(/expected key=value/);
    await expect(runTrainSFT('addition', { taskOption: ['digits=2'] }, capture().io)).rejects.toThrow(/digits/);
    await expect(runTrainSFT('addition', { totalTimesteps: 5 } as never, capture().io)).rejects.toThrow(/does not take --total-timesteps/);
    const c = capture();
    expect(await runCli(['train', 'sft', 'addition', '--target-accuracy', '1.5'], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/expected a number in \(0, 1\]/);
    expect(parseTaskOptions(['difficulty=2', 'reverseDigits=true', 'name=abc'])).toEqual({ difficulty: 2, reverseDigits: true, name: 'abc' });
  });
});
