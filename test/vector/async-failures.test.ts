/**
 * AsyncVectorEnv failure handling: a throwing sub-env, a worker that exits, a worker terminated from outside,
 * and start-up failures all surface as EnvWorkerError naming the env, and close() returns promptly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClosedEnvironmentError, EnvWorkerError, ResetNeededError } from '../../src/core/errors.js';
import { AsyncVectorEnv } from '../../src/envs/vector/async-vector-env.js';
import { SyncVectorEnv } from '../../src/envs/vector/sync-vector-env.js';
import { make } from '../../src/envs/registration.js';
import type { VectorEnv } from '../../src/envs/vector/vector-env.js';
import { episodeStep } from './helpers.js';

let open: VectorEnv<any, any, any, any>[] = [];
afterEach(() => {
  for (const e of open) if (!e.closed) e.close();
  open = [];
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

function timeClose(envs: VectorEnv<any, any, any, any>): number {
  const t0 = performance.now();
  envs.close();
  return performance.now() - t0;
}

describe('AsyncVectorEnv failures', () => {
  it('a throwing env gives EnvWorkerError with its index and message; the vector env recovers after reset', () => {
    const envs = new AsyncVectorEnv([{ id: 'Countdown-v0' }, { id: 'Countdown-v0', options: { k: 50, throwAtStep: 2 } }, { id: 'Countdown-v0' }]);
    open.push(envs);
    envs.reset({ seed: 1 });
    envs.step(Int32Array.of(0, 0, 0));
    const err = catchError(() => envs.step(Int32Array.of(0, 0, 0)));
    expect(err).toBeInstanceOf(EnvWorkerError);
    expect((err as EnvWorkerError).envIndex).toBe(1);
    expect((err as Error).message).toMatch(/Sub-environment 1: RangeError: countdown exploded at step 2/);
    expect(((err as Error).cause as Error).name).toBe('RangeError');
    expect(envs.closed).toBe(false);
    expect(() => envs.step(Int32Array.of(0, 0, 0))).toThrow(ResetNeededError);
    const [obs] = envs.reset();
    expect(episodeStep(obs, 1)).toEqual([2, 0]);
    const [obs2] = envs.step(Int32Array.of(1, 1, 1));
    expect(episodeStep(obs2, 1)).toEqual([2, 1]);
    expect(timeClose(envs)).toBeLessThan(1500);
  });

  it('the same throwing env in SyncVectorEnv gives the same error', () => {
    const envs = new SyncVectorEnv([() => make('Countdown-v0'), () => make('Countdown-v0', { k: 50, throwAtStep: 1 })]);
    open.push(envs);
    envs.reset();
    const err = catchError(() => envs.step(Int32Array.of(0, 0)));
    expect(err).toBeInstanceOf(EnvWorkerError);
    expect((err as EnvWorkerError).envIndex).toBe(1);
    expect(() => envs.step(Int32Array.of(0, 0))).toThrow(ResetNeededError);
  });

  it('a worker that exits mid-step is detected; the vector env closes itself', () => {
    const envs = new AsyncVectorEnv(
      [{ id: 'Countdown-v0' }, { id: 'Countdown-v0' }, { id: 'Countdown-v0', options: { k: 50, exitAtStep: 2 } }, { id: 'Countdown-v0' }],
      { envsPerWorker: 2 },
    );
    open.push(envs);
    expect(envs.workers.length).toBe(2);
    envs.reset();
    envs.step(Int32Array.of(0, 0, 0, 0));
    const t0 = performance.now();
    const err = catchError(() => envs.step(Int32Array.of(0, 0, 0, 0)));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(err).toBeInstanceOf(EnvWorkerError);
    expect((err as EnvWorkerError).envIndex).toBe(2); // first env of the second worker
    expect((err as Error).message).toMatch(/exited unexpectedly/);
    expect(envs.closed).toBe(true);
    expect(() => envs.step(Int32Array.of(0, 0, 0, 0))).toThrow(ClosedEnvironmentError);
    expect(() => envs.reset()).toThrow(/worker thread exited/);
    expect(timeClose(envs)).toBeLessThan(100);
  });

  it('a worker terminated from outside is detected even while the main thread blocks', () => {
    const envs = new AsyncVectorEnv(['Countdown-v0', 'Countdown-v0']);
    open.push(envs);
    envs.reset();
    void envs.workers[1]!.terminate();
    const t0 = performance.now();
    const err = catchError(() => envs.step(Int32Array.of(0, 0)));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(err).toBeInstanceOf(EnvWorkerError);
    expect((err as EnvWorkerError).envIndex).toBe(1);
    expect(envs.closed).toBe(true);
  });

  it('close() returns promptly even when an env hangs in close()', () => {
    const envs = new AsyncVectorEnv([{ id: 'Countdown-v0' }, { id: 'Countdown-v0', options: { hangOnClose: true } }], { closeTimeoutMs: 200 });
    open.push(envs);
    envs.reset();
    expect(timeClose(envs)).toBeLessThan(1000);
    expect(envs.closed).toBe(true);
  });

  it('callTimeoutMs bounds a step that hangs; the stuck worker is terminated', () => {
    const envs = new AsyncVectorEnv([{ id: 'Countdown-v0' }, { id: 'Countdown-v0', options: { burnMicros: 20_000_000 } }], { callTimeoutMs: 300 });
    open.push(envs);
    envs.reset();
    const t0 = performance.now();
    const err = catchError(() => envs.step(Int32Array.of(0, 0)));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(err).toBeInstanceOf(EnvWorkerError);
    expect((err as EnvWorkerError).envIndex).toBe(1);
    expect((err as Error).message).toMatch(/callTimeoutMs/);
    expect(envs.closed).toBe(true);
  });

  it('an env that fails to build in its worker is reported with its index', () => {
    const err = catchError(() => new AsyncVectorEnv([{ id: 'Countdown-v0' }, { id: 'Countdown-v0', module: new URL('../fixtures/missing-module.ts', import.meta.url).href }]));
    expect(err).toBeInstanceOf(EnvWorkerError);
    expect((err as EnvWorkerError).envIndex).toBe(1);
    expect((err as Error).message).toMatch(/missing-module/);
  });
});
