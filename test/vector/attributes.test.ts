/** call / getAttr / setAttr reach sub-envs through their wrappers, in Sync and Async vector envs. */
import { afterEach, describe, expect, it } from 'vitest';
import { EnvWorkerError, InvalidArgumentError } from '../../src/core/errors.js';
import type { VectorEnv } from '../../src/envs/vector/vector-env.js';
import { KINDS, buildVector } from './helpers.js';

let open: VectorEnv<any, any, any, any>[] = [];
afterEach(() => {
  for (const e of open) e.close();
  open = [];
});

type WithAttrs = VectorEnv<any, any, any, any> & {
  call(name: string, ...args: unknown[]): unknown[];
  getAttr(name: string): unknown[];
  setAttr(name: string, values: unknown): void;
};

describe.each(KINDS)('%s vector env attributes', (kind) => {
  it('reads, calls and sets attributes of the sub-envs', () => {
    const envs = buildVector(kind, [{ id: 'Countdown-v0', options: { k: 4, maxEpisodeSteps: 9 } }, { id: 'Countdown-v0', options: { k: 6, maxEpisodeSteps: 12 } }]) as WithAttrs;
    open.push(envs);
    expect(envs.getAttr('k')).toEqual([4, 6]); // on the unwrapped env, found through the wrappers
    expect(envs.getAttr('maxEpisodeSteps')).toEqual([9, 12]); // the TimeLimit wrapper's own attribute
    envs.reset({ seed: 0 });
    envs.step(Int32Array.of(0, 0));
    expect(envs.getAttr('stepInEpisode')).toEqual([1, 1]);
    envs.setAttr('stepInEpisode', [3, 5]);
    expect(envs.getAttr('stepInEpisode')).toEqual([3, 5]);
    envs.setAttr('stepInEpisode', 0);
    expect(envs.call('toString')).toHaveLength(2);
    expect(envs.render()).toEqual([null, null]);
    const [, , terms] = envs.step(Int32Array.of(0, 0));
    expect(Array.from(terms)).toEqual([0, 0]);
    expect(envs.getAttr('stepInEpisode')).toEqual([1, 1]);
    expect(() => envs.setAttr('k', [1, 2, 3])).toThrow(InvalidArgumentError);
    const err = (() => {
      try {
        envs.getAttr('noSuchAttribute');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(EnvWorkerError);
    expect((err as EnvWorkerError).envIndex).toBe(0);
    expect((err as Error).cause).toBeInstanceOf(kind === 'sync' ? InvalidArgumentError : Error);
    expect((err as Error).message).toMatch(/noSuchAttribute/);
    envs.step(Int32Array.of(0, 0)); // a failed call does not disturb stepping
  });
});
