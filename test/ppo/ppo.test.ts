/** PPO end to end on CartPole: short learning runs, metrics names, predict, save/load, exact resume, no leaks. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PPO, type PPOConfigInput } from '../../src/algos/ppo/index.js';
import { initBackend } from '../../src/core/backend.js';
import { CorruptFileError, InvalidArgumentError, InvalidStateError, NumericalError } from '../../src/core/errors.js';
import '../../src/envs/index.js';
import { makeVec } from '../../src/envs/vector/make-vec.js';

const SMALL: PPOConfigInput = { nEnvs: 2, nSteps: 16, batchSize: 16, nEpochs: 2, policyKwargs: { netArch: [16, 16] } };
let dir: string;

beforeAll(async () => {
  await initBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'teleo-ppo-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function weightsOf(model: PPO): Record<string, number[]> {
  return Object.fromEntries(Object.entries(model.policy.params.getWeights()).map(([k, v]) => [k, Array.from(v)]));
}

describe('PPO', () => {
  it('learns for a few rollouts and logs metrics under SB3 names', async () => {
    const model = new PPO('CartPole-v1', { ...SMALL, seed: 1 });
    await model.learn({ totalTimesteps: 320 });
    expect(model.numTimesteps).toBe(320);
    expect(model.iteration).toBe(10);
    const last = model.logger.records.at(-1)!;
    for (const key of [
      'rollout/ep_rew_mean',
      'rollout/ep_len_mean',
      'train/approx_kl',
      'train/clip_fraction',
      'train/entropy_loss',
      'train/policy_gradient_loss',
      'train/value_loss',
      'train/explained_variance',
      'train/learning_rate',
      'time/fps',
      'time/total_timesteps',
    ]) {
      expect(last[key], key).toBeTypeOf('number');
    }
    expect(last['time/total_timesteps']).toBe(320);
    expect(last['train/entropy_loss']).toBeLessThan(0);
    expect(last['train/entropy_loss']).toBeGreaterThan(-Math.log(2) - 1e-6);
    model.close();
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const run = async (seed: number) => {
      const m = new PPO('CartPole-v1', { ...SMALL, seed });
      await m.learn({ totalTimesteps: 128 });
      const w = weightsOf(m);
      m.close();
      return w;
    };
    const a = await run(3);
    expect(await run(3)).toEqual(a);
    expect(await run(4)).not.toEqual(a);
  });

  it('train(2N) equals train(N) + save + load + train(N)', async () => {
    const config = { ...SMALL, seed: 7, normalize: true, clipRangeVf: 0.2 };
    const full = new PPO('CartPole-v1', config);
    await full.learn({ totalTimesteps: 64 });
    await full.learn({ totalTimesteps: 64, resetNumTimesteps: false });

    const first = new PPO('CartPole-v1', config);
    await first.learn({ totalTimesteps: 64 });
    const path = join(dir, 'resume');
    await first.save(path);
    first.close();
    const resumed = await PPO.load(path);
    await resumed.learn({ totalTimesteps: 64, resetNumTimesteps: false });

    expect(resumed.numTimesteps).toBe(full.numTimesteps);
    expect(weightsOf(resumed)).toEqual(weightsOf(full));
    expect(resumed.optimizer.getState()).toEqual(full.optimizer.getState());
    const obs = new Float32Array([0.01, -0.02, 0.03, 0.04]);
    expect(resumed.predict(obs, { deterministic: true })).toBe(full.predict(obs, { deterministic: true }));
    full.close();
    resumed.close();
  });

  it('resumes exactly with continuous actions (Pendulum, normalised)', async () => {
    const config: PPOConfigInput = { nEnvs: 2, nSteps: 24, batchSize: 16, nEpochs: 2, normalize: true, seed: 11, policyKwargs: { netArch: [8] } };
    const full = new PPO('Pendulum-v1', config);
    await full.learn({ totalTimesteps: 96 });
    await full.learn({ totalTimesteps: 48, resetNumTimesteps: false });
    const first = new PPO('Pendulum-v1', config);
    await first.learn({ totalTimesteps: 96 });
    await first.save(join(dir, 'pendulum-resume'));
    first.close();
    const resumed = await PPO.load(join(dir, 'pendulum-resume'));
    await resumed.learn({ totalTimesteps: 48, resetNumTimesteps: false });
    expect(weightsOf(resumed)).toEqual(weightsOf(full));
    expect(resumed.logger.records.at(-1)).toMatchObject({ 'time/total_timesteps': 144, 'train/std': full.logger.records.at(-1)!['train/std'] });
    full.close();
    resumed.close();
  });

  it('save → load → predict gives identical actions (continuous, normalised)', async () => {
    const model = new PPO('Pendulum-v1', { nEnvs: 2, nSteps: 32, batchSize: 32, nEpochs: 1, normalize: true, seed: 2, policyKwargs: { netArch: [8] } });
    await model.learn({ totalTimesteps: 64 });
    const path = join(dir, 'pendulum');
    await model.save(path);
    const loaded = await PPO.load(path);
    const obs = new Float32Array([0.5, -0.5, 1, 0.1, 0.2, -3]);
    const a = model.predict(obs, { deterministic: true }) as Float32Array;
    expect(a).toBeInstanceOf(Float32Array);
    expect(a.length).toBe(2);
    expect(Array.from(loaded.predict(obs, { deterministic: true }) as Float32Array)).toEqual(Array.from(a));
    for (const x of a) expect(Math.abs(x)).toBeLessThanOrEqual(2);
    model.close();
    loaded.close();
  });

  it('rejects bad input with typed errors', async () => {
    expect(() => new PPO('CartPole-v1', { nStep: 5 } as never)).toThrow(/'nStep': unknown key/);
    expect(() => new PPO('CartPole-v1', { gamma: 2 })).toThrow(InvalidArgumentError);
    expect(() => new PPO('CartPole-v1', { policyKwargs: { activationFn: 'gelu' } } as never)).toThrow(/policyKwargs.activationFn/);
    expect(() => new PPO(makeVec('CartPole-v1', { numEnvs: 2 }))).toThrow(/SAME_STEP/);
    const model = new PPO('CartPole-v1', { ...SMALL, seed: 0 });
    expect(() => model.predict(new Float32Array(3))).toThrow(InvalidArgumentError);
    await expect(model.learn({ totalTimesteps: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(PPO.load(join(dir, 'missing'))).rejects.toThrow(CorruptFileError);
    await model.save(join(dir, 'cartpole'));
    await expect(PPO.load(join(dir, 'cartpole'), { env: makeVec('Acrobot-v1', { numEnvs: 2, autoresetMode: 'SAME_STEP' }) })).rejects.toThrow(/spaces differ/);
    model.close();
    expect(InvalidStateError).toBeDefined();
  });

  it('keeps the tensor count flat over 50 updates', async () => {
    const model = new PPO('CartPole-v1', { nEnvs: 1, nSteps: 8, batchSize: 8, nEpochs: 1, seed: 5, policyKwargs: { netArch: [8] } });
    await model.learn({ totalTimesteps: 8 });
    const before = tf.memory().numTensors;
    await model.learn({ totalTimesteps: 8 * 50, resetNumTimesteps: false });
    expect(model.nGradientSteps).toBe(51);
    expect(tf.memory().numTensors).toBe(before);
    model.close();
  });
});

describe('PPO numerical failures', () => {
  it('stops with a NumericalError naming the update and the parameter', async () => {
    await initBackend('wasm');
    const model = new PPO('CartPole-v1', { nEnvs: 1, nSteps: 8, batchSize: 8, nEpochs: 1, seed: 0, policyKwargs: { netArch: [4] } });
    await model.learn({ totalTimesteps: 8 });
    model.policy.jsValues()[2]![0] = NaN; // parameter 2 is actor.1.weight
    const err = await model.learn({ totalTimesteps: 8, resetNumTimesteps: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NumericalError);
    expect((err as Error).message).toMatch(/PPO update 2 .*actor\.1\.weight\[0\] is not finite/);
    model.close();
  });
});
