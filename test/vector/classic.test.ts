/** makeVec with a built-in env: CartPole-v1 in worker threads agrees with the sync version. */
import { afterEach, describe, expect, it } from 'vitest';
import '../../src/envs/classic/index.js';
import { makeVec } from '../../src/envs/vector/make-vec.js';
import type { VectorEnv } from '../../src/envs/vector/vector-env.js';

let open: VectorEnv<any, any, any, any>[] = [];
afterEach(() => {
  for (const e of open) e.close();
  open = [];
});

describe('makeVec CartPole-v1', () => {
  it('async and sync vector envs give identical batches', () => {
    const runs = (['async', 'sync'] as const).map((vectorizationMode) => {
      const envs = makeVec('CartPole-v1', { numEnvs: 4, vectorizationMode });
      open.push(envs);
      expect(envs.spec?.id).toBe('CartPole-v1');
      expect(envs.singleObservationSpace.shape).toEqual([4]);
      const out: unknown[] = [envs.reset({ seed: 11 })];
      for (let t = 0; t < 60; t++) out.push(envs.step(Int32Array.of(t % 2, 1, 0, (t >> 2) % 2)));
      return out;
    });
    expect(runs[0]).toEqual(runs[1]);
    // some episode ended (and was autoreset) within 60 steps
    const ended = runs[0]!.slice(1).some((r) => Array.from((r as [unknown, unknown, Uint8Array])[2]).some((v) => v === 1));
    expect(ended).toBe(true);
  });
});
