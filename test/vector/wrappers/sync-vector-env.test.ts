import { describe, expect, it } from 'vitest';
import { Box, Rng } from '../../../src/core/index.js';
import '../../../src/envs/classic/index.js';
import type { Env } from '../../../src/envs/env.js';
import { makeVec } from '../../../src/envs/vector/make-vec.js';
import { SyncVectorEnv } from '../../../src/envs/vector/sync-vector-env.js';
import type { AutoresetMode } from '../../../src/envs/vector/vector-env.js';
import { ClipAction } from '../../../src/envs/vector/wrappers/clip-action.js';
import { FlattenObservation } from '../../../src/envs/vector/wrappers/flatten-observation.js';
import { NormalizeObservation } from '../../../src/envs/vector/wrappers/normalize-observation.js';
import { RecordEpisodeStatistics, type VectorEpisodeStatistics } from '../../../src/envs/vector/wrappers/record-episode-statistics.js';
import { FlattenObservation as SingleFlattenObservation } from '../../../src/envs/wrappers/flatten-observation.js';
import { RecordEpisodeStatistics as SingleRecordEpisodeStatistics } from '../../../src/envs/wrappers/record-episode-statistics.js';
import { DictObsEnv, ScriptedEnv } from '../../wrappers/toy-envs.js';

const scripted = (): Env<any, any>[] => [
  new ScriptedEnv({ rewards: [1, 2], terminateAt: 2 }),
  new ScriptedEnv({ rewards: [0.5, 3], truncateAt: 3 }),
  new ScriptedEnv({ rewards: [-1], terminateAt: 4, truncateAt: 4 }),
];

describe('vector wrappers on SyncVectorEnv', () => {
  it.each(['NEXT_STEP', 'SAME_STEP'] as AutoresetMode[])(
    'RecordEpisodeStatistics (%s) matches single-env RecordEpisodeStatistics inside the sub-envs',
    (autoresetMode) => {
      const vec = new RecordEpisodeStatistics(new SyncVectorEnv(scripted(), { autoresetMode }), { statsKey: 'vecEpisode' });
      const inner = new SyncVectorEnv(scripted().map((e) => new SingleRecordEpisodeStatistics(e)), { autoresetMode });
      vec.reset({ seed: 0 });
      inner.reset({ seed: 0 });
      const actions = new Int32Array([0, 0, 0]);
      let episodes = 0;
      for (let s = 0; s < 12; s++) {
        const a = vec.step(actions)[4];
        const b = inner.step(actions)[4];
        // SAME_STEP moves the ended episode's info (merged as a dict of arrays) under final_info.
        const source = (autoresetMode === 'SAME_STEP' ? b.final_info : b) as Record<string, any> | undefined;
        const maskA = (a._vecEpisode as boolean[] | undefined) ?? [false, false, false];
        for (let i = 0; i < 3; i++) {
          const single = source?._episode?.[i] ? { r: source.episode.r[i], l: source.episode.l[i] } : undefined;
          expect(maskA[i]).toBe(single !== undefined);
          if (single !== undefined) {
            const stats = a.vecEpisode as VectorEpisodeStatistics;
            expect([stats.r[i], stats.l[i]]).toEqual([single.r, single.l]);
            episodes += 1;
          }
        }
      }
      expect(episodes).toBeGreaterThanOrEqual(8);
      expect(vec.episodeCount).toBe(episodes);
    },
  );

  it('FlattenObservation matches single-env FlattenObservation inside the sub-envs (Dict observations)', () => {
    const vec = new FlattenObservation(new SyncVectorEnv([new DictObsEnv(), new DictObsEnv()]));
    const inner = new SyncVectorEnv([new SingleFlattenObservation(new DictObsEnv()), new SingleFlattenObservation(new DictObsEnv())]);
    expect(vec.observationSpace.equals(inner.observationSpace)).toBe(true);
    expect(Array.from(vec.reset({ seed: 0 })[0])).toEqual(Array.from(inner.reset({ seed: 0 })[0] as Float32Array));
    for (let s = 0; s < 4; s++) {
      expect(Array.from(vec.step(new Int32Array([0, 1]))[0])).toEqual(Array.from(inner.step(new Int32Array([0, 1]))[0] as Float32Array));
    }
  });

  it('NormalizeObservation and ClipAction run on makeVec envs and stay inside their spaces', () => {
    const cart = new NormalizeObservation(makeVec('CartPole-v1', { numEnvs: 3 }));
    const rng = Rng.fromSeed(1);
    expect(cart.observationSpace.contains(cart.reset({ seed: 0 })[0])).toBe(true);
    for (let s = 0; s < 50; s++) {
      const [obs] = cart.step(Int32Array.from({ length: 3 }, () => rng.integers(0, 2)));
      expect(cart.observationSpace.contains(obs)).toBe(true);
    }
    expect(cart.obsRms.count).toBeCloseTo(51 * 3 + 1e-4, 9);
    const pendulum = new ClipAction(makeVec('Pendulum-v1', { numEnvs: 2 }));
    expect(pendulum.actionSpace.equals(new Box(-Infinity, Infinity, [2, 1], 'float32'))).toBe(true);
    pendulum.reset({ seed: 0 });
    expect(() => pendulum.step(new Float32Array([100, -100]))).not.toThrow();
  });
});
