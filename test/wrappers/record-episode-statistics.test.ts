import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, TeleoError, UnknownOptionError } from '../../src/core/index.js';
import type { EpisodeStatistics } from '../../src/envs/wrappers/record-episode-statistics.js';
import { RecordEpisodeStatistics } from '../../src/envs/wrappers/record-episode-statistics.js';
import { TimeLimit } from '../../src/envs/wrappers/time-limit.js';
import { ScriptedEnv } from './toy-envs.js';

describe('RecordEpisodeStatistics', () => {
  it('reports the return and length of a terminated episode only on its last step', () => {
    const env = new RecordEpisodeStatistics(new ScriptedEnv({ rewards: [1, 2, 3.5], terminateAt: 3 }));
    env.reset({ seed: 0 });
    const infos = [env.step(0)[4], env.step(0)[4], env.step(0)[4]];
    expect('episode' in infos[0]!).toBe(false);
    expect('episode' in infos[1]!).toBe(false);
    const ep = infos[2]!.episode as EpisodeStatistics;
    expect(ep.r).toBe(6.5);
    expect(ep.l).toBe(3);
    expect(ep.t).toBeGreaterThanOrEqual(0);
    expect(ep.t).toBeLessThan(5);
    expect(infos[2]!.t).toBe(3); // the env's own info is kept
    expect(env.episodeCount).toBe(1);
  });

  it('reports truncated episodes and keeps bounded queues of the most recent episodes', () => {
    const env = new RecordEpisodeStatistics(new TimeLimit(new ScriptedEnv({ rewards: [0.5] }), 4), { bufferLength: 2 });
    const returns: number[] = [];
    for (let e = 0; e < 3; e++) {
      env.reset({ seed: e });
      for (let i = 0; i < 4; i++) {
        const info = env.step(0)[4];
        if (i < 3) expect(info.episode).toBeUndefined();
        else returns.push((info.episode as EpisodeStatistics).r);
      }
    }
    expect(returns).toEqual([2, 2, 2]);
    expect(env.returnQueue).toEqual([2, 2]);
    expect(env.lengthQueue).toEqual([4, 4]);
    expect(env.timeQueue).toHaveLength(2);
    expect(env.episodeCount).toBe(3);
  });

  it('restarts the counters on reset (an abandoned episode is not recorded)', () => {
    const env = new RecordEpisodeStatistics(new ScriptedEnv({ rewards: [1], terminateAt: 2 }));
    env.reset({ seed: 0 });
    env.step(0);
    env.reset();
    env.step(0);
    const ep = env.step(0)[4].episode as EpisodeStatistics;
    expect(ep).toMatchObject({ r: 2, l: 2 });
    expect(env.returnQueue).toEqual([2]);
  });

  it('uses statsKey and refuses to overwrite an existing info key', () => {
    const env = new RecordEpisodeStatistics(new ScriptedEnv({ terminateAt: 1 }), { statsKey: 'stats' });
    env.reset({ seed: 0 });
    expect(env.step(0)[4].stats).toMatchObject({ r: 1, l: 1 });
    const clash = new RecordEpisodeStatistics(new ScriptedEnv({ terminateAt: 1 }), { statsKey: 't' });
    clash.reset({ seed: 0 });
    expect(() => clash.step(0)).toThrow(TeleoError);
  });

  it('validates options', () => {
    expect(() => new RecordEpisodeStatistics(new ScriptedEnv(), { bufferLength: 0 })).toThrow(InvalidArgumentError);
    expect(() => new RecordEpisodeStatistics(new ScriptedEnv(), { statsKey: '' })).toThrow(InvalidArgumentError);
    expect(() => new RecordEpisodeStatistics(new ScriptedEnv(), { dequeSize: 3 } as never)).toThrow(UnknownOptionError);
  });
});
