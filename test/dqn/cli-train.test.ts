/** `teleo train dqn|sac|td3` through `runTrain`: run directory, checkpoint with replay buffer, resume, bad input. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrain } from '../../src/cli/train-command.js';
import '../../src/envs/classic/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'teleo-offpolicy-cli-'));
  dirs.push(d);
  return d;
}
const io = () => {
  const lines: string[] = [];
  return { lines, io: { out: (t: string) => lines.push(t), err: () => {} } };
};

describe('teleo train (off-policy)', () => {
  it('trains DQN with the zoo preset and a JSON config, saves, and resumes', async () => {
    const dir = tmp();
    const cfg = join(dir, 'c.json');
    writeFileSync(cfg, JSON.stringify({ learningStarts: 50, trainFreq: 16, gradientSteps: 4, policyKwargs: { netArch: [16] } }));
    const out = join(dir, 'run');
    const a = io();
    await runTrain('dqn', 'CartPole-v1', { totalTimesteps: 200, config: cfg, out, evalEpisodes: 1, progress: false, backend: 'wasm' }, a.io);
    expect(a.lines[0]).toMatch(/teleo train dqn CartPole-v1/);
    expect(a.lines.join('\n')).toMatch(/preset:\s+zoo/);
    expect(existsSync(join(out, 'model', 'dqn.json'))).toBe(true);
    expect(existsSync(join(out, 'model', 'replay.safetensors'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).config.policyKwargs.netArch).toEqual([16]);
    const b = io();
    await runTrain('dqn', 'CartPole-v1', { resume: out, totalTimesteps: 100, evalEpisodes: 1, progress: false, backend: 'wasm' }, b.io);
    expect(b.lines.join('\n')).toMatch(/300 in all/);
  }, 60_000);

  it('rejects a preset that does not exist and an unknown algorithm', async () => {
    await expect(runTrain('sac', 'Pendulum-v1', { preset: 'zoo', evalEpisodes: 1, out: join(tmp(), 'x'), backend: 'wasm' }, io().io)).rejects.toThrow(/No 'zoo' preset for SAC/);
    await expect(runTrain('a2c', 'Pendulum-v1', { evalEpisodes: 1 }, io().io)).rejects.toThrow(/available: ppo, sac, td3, dqn/);
  });
});
