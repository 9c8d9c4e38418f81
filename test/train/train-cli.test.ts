/** `teleo train ppo` / `teleo eval` on tiny budgets: outputs, files, resume, and bad input. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIO } from '../../src/cli/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teleo-train-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): CliIO & { outText: () => string; errText: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (t) => out.push(t), err: (t) => err.push(t), outText: () => out.join('\n'), errText: () => err.join('\n') };
}

describe('teleo train / eval', () => {
  it('trains, writes metrics and a model, evaluates, and resumes', async () => {
    const run = join(dir, 'run');
    const config = join(dir, 'small.json');
    writeFileSync(config, JSON.stringify({ nSteps: 16, nEpochs: 1, batchSize: 64, policyKwargs: { netArch: [16] } }));
    const io = capture();
    const code = await runCli(['train', 'ppo', 'CartPole-v1', '--total-timesteps', '256', '--config', config, '--num-envs', '4', '--seed', '3', '--out', run, '--backend', 'wasm', '--eval-episodes', '2'], io);
    expect(code, io.errText()).toBe(0);
    expect(io.outText()).toMatch(/backend: +wasm/);
    expect(io.outText()).toMatch(/preset: +zoo/);
    expect(io.outText()).toMatch(/Final mean return: \d+(\.\d)? ± [\d.]+ over 2 deterministic episodes/);
    const lines = readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(4);
    expect(lines[3]['time/total_timesteps']).toBe(256);
    expect(lines[3]).toHaveProperty('train/approx_kl');
    expect(existsSync(join(run, 'model', 'model.safetensors'))).toBe(true);

    const resumed = capture();
    expect(await runCli(['train', 'ppo', 'CartPole-v1', '--resume', run, '--total-timesteps', '128', '--no-progress'], resumed), resumed.errText()).toBe(0);
    const after = readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(after.at(-1)['time/total_timesteps']).toBe(384);

    const evalIo = capture();
    expect(await runCli(['eval', run, '--episodes', '2'], evalIo), evalIo.errText()).toBe(0);
    expect(evalIo.outText()).toMatch(/CartPole-v1: mean return [\d.]+ ± [\d.]+ over 2 episodes/);
  });

  it.each([
    [['train', 'a2c', 'CartPole-v1'], /Unknown algorithm 'a2c'/],
    [['train', 'ppo', 'CartPol-v1'], /Did you mean: 'CartPole-v1'/],
    [['train', 'ppo', 'CartPole-v1', '--preset', 'zooo'], /did you mean 'zoo'/],
    [['train', 'ppo', 'CartPole-v1', '--config', 'c.yaml'], /YAML configs are not supported/],
    [['eval', '/nonexistent/run'], /no PPO checkpoint here/],
  ])('%j fails with a named error', async (args, message) => {
    const io = capture();
    expect(await runCli(args as string[], io)).toBe(1);
    expect(io.errText()).toMatch(message);
  });

  it('rejects an unknown config key', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ n_steps: 16 }));
    const io = capture();
    expect(await runCli(['train', 'ppo', 'CartPole-v1', '--config', bad, '--out', join(dir, 'bad-run')], io)).toBe(1);
    expect(io.errText()).toMatch(/'n_steps': unknown key/);
  });
});
