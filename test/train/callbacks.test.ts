/** Training callbacks, progress display, metrics logger and evaluatePolicy with a small PPO model. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PPO, type PPOConfigInput } from '../../src/algos/ppo/index.js';
import { initBackend } from '../../src/core/backend.js';
import { InvalidArgumentError } from '../../src/core/errors.js';
import '../../src/envs/index.js';
import { make } from '../../src/envs/registration.js';
import { Callback, CheckpointCallback, EvalCallback, StopTrainingOnRewardThreshold } from '../../src/train/callbacks.js';
import { evaluatePolicy } from '../../src/train/evaluate.js';
import { MetricsLogger } from '../../src/train/logger.js';
import { ProgressCallback } from '../../src/train/progress.js';

const SMALL: PPOConfigInput = { nEnvs: 2, nSteps: 8, batchSize: 16, nEpochs: 1, policyKwargs: { netArch: [8] } };
let dir: string;
beforeAll(async () => {
  await initBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'teleo-callbacks-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('callbacks', () => {
  it('calls the hooks in order and stops when onStep returns false', async () => {
    const events: string[] = [];
    class Recorder extends Callback {
      override onTrainingStart() {
        events.push('start');
      }
      override onRolloutStart() {
        events.push('rollout');
      }
      override onStep() {
        events.push('step');
        return this.nCalls < 12;
      }
      override onRolloutEnd() {
        events.push('end');
      }
      override onTrainingEnd() {
        events.push('done');
      }
    }
    const model = new PPO('CartPole-v1', { ...SMALL, seed: 0 });
    await model.learn({ totalTimesteps: 1000, callbacks: new Recorder() });
    expect(events.filter((e) => e === 'step').length).toBe(12);
    expect(model.numTimesteps).toBe(24);
    expect(model.iteration).toBe(1); // the second rollout was cut short and not trained on
    expect(events.slice(0, 3)).toEqual(['start', 'rollout', 'step']);
    expect(events.at(-1)).toBe('done');
    model.close();
  });

  it('EvalCallback evaluates, records eval/* metrics, saves the best model and stops on a threshold', async () => {
    const model = new PPO('CartPole-v1', { ...SMALL, seed: 1 });
    const stop = new StopTrainingOnRewardThreshold({ rewardThreshold: 1 }); // any return ≥ 1 stops
    const evalCb = new EvalCallback({ evalEnv: make('CartPole-v1'), evalFreq: 8, nEvalEpisodes: 2, bestModelSavePath: dir, callbackOnNewBest: stop });
    await model.learn({ totalTimesteps: 400, callbacks: [evalCb] });
    expect(evalCb.evaluations.length).toBe(1);
    expect(model.numTimesteps).toBe(16);
    expect(existsSync(join(dir, 'best_model', 'ppo.json'))).toBe(true);
    model.close();
  });

  it('CheckpointCallback saves loadable checkpoints named by step count', async () => {
    const model = new PPO('CartPole-v1', { ...SMALL, seed: 2 });
    const ckpt = new CheckpointCallback({ saveFreq: 8, savePath: join(dir, 'ckpt') });
    await model.learn({ totalTimesteps: 32, callbacks: ckpt });
    expect(ckpt.saved.map((p) => p.split('/').at(-1))).toEqual(['rl_model_16_steps', 'rl_model_32_steps']);
    const loaded = await PPO.load(ckpt.saved[1]!);
    expect(loaded.numTimesteps).toBe(32);
    loaded.close();
    model.close();
    expect(() => new CheckpointCallback({ saveFreq: 0, savePath: dir })).toThrow(InvalidArgumentError);
  });

  it('ProgressCallback prints plain lines off a TTY; the logger writes JSONL', async () => {
    const lines: string[] = [];
    const path = join(dir, 'run', 'metrics.jsonl');
    const model = new PPO('CartPole-v1', { ...SMALL, seed: 3 }, { logger: new MetricsLogger(path) });
    await model.learn({ totalTimesteps: 32, callbacks: new ProgressCallback({ tty: false, intervalSeconds: 0, write: (l) => lines.push(l) }) });
    expect(lines.at(-1)).toMatch(/^\[100%\] 32\/32 steps \| \d+ steps\/s \| ETA 0s \| mean return/);
    const records = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => r['time/total_timesteps'])).toEqual([16, 32]);
    model.close();
  });

  it('evaluatePolicy is reproducible for a seed', () => {
    const policy = { predict: (obs: ArrayLike<number>) => (obs[2]! > 0 ? 1 : 0) };
    const a = evaluatePolicy(policy, make('CartPole-v1'), { nEvalEpisodes: 3, seed: 5 });
    const b = evaluatePolicy(policy, make('CartPole-v1'), { nEvalEpisodes: 3, seed: 5 });
    expect(a).toEqual(b);
    expect(a.episodeRewards.length).toBe(3);
    expect(a.meanReward).toBeGreaterThan(20); // the lean-following policy beats random (~22)
    expect(() => evaluatePolicy(policy, make('CartPole-v1'), { nEvalEpisodes: 0 })).toThrow(InvalidArgumentError);
  });
});
