import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, TeleoError } from '../../../src/core/index.js';
import { RecordEpisodeStatistics, type VectorEpisodeStatistics } from '../../../src/envs/vector/wrappers/record-episode-statistics.js';
import { RecordEpisodeStatistics as SingleRecordEpisodeStatistics, type EpisodeStatistics } from '../../../src/envs/wrappers/record-episode-statistics.js';
import { ScriptedEnv } from '../../wrappers/toy-envs.js';
import { ToyVectorEnv } from './toy-vector-env.js';

const actions = new Int32Array([0, 0]);

/** (step index, env, r, l) of every reported episode over `steps` steps. */
function episodesOf(env: RecordEpisodeStatistics, steps: number): [number, number, number, number][] {
  env.reset({ seed: 0 });
  const out: [number, number, number, number][] = [];
  for (let s = 1; s <= steps; s++) {
    const infos = env.step(actions)[4];
    const mask = infos._episode as boolean[] | undefined;
    if (!mask) continue;
    const ep = infos.episode as VectorEpisodeStatistics;
    mask.forEach((m, i) => {
      if (m) out.push([s, i, ep.r[i]!, ep.l[i]!]);
      else expect([ep.r[i], ep.l[i], ep.t[i]]).toEqual([0, 0, 0]);
    });
  }
  return out;
}

const makeEnvs = () => [new ScriptedEnv({ rewards: [1, 2], terminateAt: 2 }), new ScriptedEnv({ rewards: [0.5], truncateAt: 3 })];

describe('vector RecordEpisodeStatistics', () => {
  it('NEXT_STEP: the autoreset step does not count towards the next episode', () => {
    const env = new RecordEpisodeStatistics(new ToyVectorEnv(makeEnvs(), 'NEXT_STEP'));
    // env 0: episodes on steps 1-2, 4-5, 7-8 (3 and 6 are autoreset steps); env 1: steps 1-3, 5-7.
    expect(episodesOf(env, 8)).toEqual([
      [2, 0, 3, 2],
      [3, 1, 1.5, 3],
      [5, 0, 3, 2],
      [7, 1, 1.5, 3],
      [8, 0, 3, 2],
    ]);
    expect(env.episodeCount).toBe(5);
    expect(env.returnQueue).toEqual([3, 1.5, 3, 1.5, 3]);
    expect(env.lengthQueue).toEqual([2, 3, 2, 3, 2]);
  });

  it('SAME_STEP: every step counts and statistics restart right after an episode end', () => {
    const env = new RecordEpisodeStatistics(new ToyVectorEnv(makeEnvs(), 'SAME_STEP'), { bufferLength: 3 });
    expect(episodesOf(env, 6)).toEqual([
      [2, 0, 3, 2],
      [3, 1, 1.5, 3],
      [4, 0, 3, 2],
      [6, 0, 3, 2],
      [6, 1, 1.5, 3],
    ]);
    expect(env.returnQueue).toEqual([3, 3, 1.5]);
  });

  it('agrees with single-env RecordEpisodeStatistics on each sub-env', () => {
    const vec = new RecordEpisodeStatistics(new ToyVectorEnv(makeEnvs(), 'SAME_STEP'));
    const vecEpisodes = episodesOf(vec, 9).map(([, i, r, l]) => ({ i, r, l }));
    const singles = makeEnvs().map((e) => new SingleRecordEpisodeStatistics(e));
    const singleEpisodes: { i: number; r: number; l: number }[] = [];
    singles.forEach((e, i) => e.reset({ seed: i }));
    for (let s = 0; s < 9; s++) {
      singles.forEach((e, i) => {
        const [, , term, trunc, info] = e.step(0);
        if (term || trunc) {
          const ep = info.episode as EpisodeStatistics;
          singleEpisodes.push({ i, r: ep.r, l: ep.l });
          e.reset();
        }
      });
    }
    expect(vecEpisodes).toEqual(singleEpisodes);
  });

  it('DISABLED: a masked reset restarts only the selected sub-envs', () => {
    const env = new RecordEpisodeStatistics(new ToyVectorEnv(makeEnvs(), 'DISABLED'));
    env.reset({ seed: 0 });
    env.step(actions);
    const infos = env.step(actions)[4]; // env 0 terminates after 2 steps
    expect(infos._episode).toEqual([true, false]);
    expect(() => env.reset({ options: { resetMask: [false, false] } })).toThrow(InvalidArgumentError);
    env.reset({ options: { resetMask: [true, false] } });
    const third = env.step(actions)[4]; // env 1 truncates here (its 3rd step)
    expect(third._episode).toEqual([false, true]);
    env.reset({ options: { resetMask: [false, true] } });
    const ep = env.step(actions)[4].episode as VectorEpisodeStatistics;
    expect([ep.r[0], ep.l[0]]).toEqual([3, 2]);
    expect(env.lengthQueue).toEqual([2, 3, 2]);
  });

  it('refuses to overwrite an existing info key', () => {
    const env = new RecordEpisodeStatistics(new ToyVectorEnv(makeEnvs(), 'NEXT_STEP'), { statsKey: 't' });
    env.reset({ seed: 0 });
    env.step(actions);
    expect(() => env.step(actions)).toThrow(TeleoError);
  });
});
