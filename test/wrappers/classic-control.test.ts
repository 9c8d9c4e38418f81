import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/index.js';
import '../../src/envs/classic/index.js';
import { make } from '../../src/envs/registration.js';
import { ClipAction } from '../../src/envs/wrappers/clip-action.js';
import { FrameStackObservation } from '../../src/envs/wrappers/frame-stack-observation.js';
import { NormalizeObservation } from '../../src/envs/wrappers/normalize-observation.js';
import { RecordEpisodeStatistics, type EpisodeStatistics } from '../../src/envs/wrappers/record-episode-statistics.js';
import { RescaleAction } from '../../src/envs/wrappers/rescale-action.js';

describe('wrappers on classic-control envs', () => {
  it('RecordEpisodeStatistics on CartPole-v1: return equals length (reward 1 per step)', () => {
    const env = new RecordEpisodeStatistics(make('CartPole-v1'));
    const rng = Rng.fromSeed(0);
    for (let e = 0; e < 3; e++) {
      env.reset({ seed: e });
      let steps = 0;
      let sum = 0;
      for (;;) {
        const [, r, term, trunc, info] = env.step(rng.integers(0, 2));
        steps += 1;
        sum += r;
        if (term || trunc) {
          expect(info.episode as EpisodeStatistics).toMatchObject({ r: sum, l: steps });
          break;
        }
      }
    }
    expect(env.lengthQueue).toEqual(env.returnQueue);
    expect(env.episodeCount).toBe(3);
  });

  it('RescaleAction + ClipAction on Pendulum-v1 drive the same dynamics as raw torques', () => {
    const raw = make('Pendulum-v1');
    const wrapped = new ClipAction(new RescaleAction(make('Pendulum-v1'), -1, 1));
    raw.reset({ seed: 3 });
    wrapped.reset({ seed: 3 });
    // unit actions 1, -0.5, 5 (clipped to 1) are torques 2, -1, 2
    const pairs: [number, number][] = [[1, 2], [-0.5, -1], [5, 2], [0, 0]];
    for (const [unit, torque] of pairs) {
      const [o1, r1] = raw.step(new Float32Array([torque]));
      const [o2, r2] = wrapped.step(new Float32Array([unit]));
      expect(Array.from(o2)).toEqual(Array.from(o1));
      expect(r2).toBe(r1);
    }
  });

  it('NormalizeObservation and FrameStackObservation produce elements of their declared spaces', () => {
    const norm = new NormalizeObservation(make('CartPole-v1'));
    const stack = new FrameStackObservation(make('Pendulum-v1'), 4);
    expect(stack.observationSpace.shape).toEqual([4, 3]);
    expect(norm.observationSpace.contains(norm.reset({ seed: 0 })[0])).toBe(true);
    expect(stack.observationSpace.contains(stack.reset({ seed: 0 })[0])).toBe(true);
    for (let i = 0; i < 20; i++) {
      expect(norm.observationSpace.contains(norm.step(i % 2)[0])).toBe(true);
      expect(stack.observationSpace.contains(stack.step(new Float32Array([0.5]))[0])).toBe(true);
    }
    expect(norm.obsRms.count).toBeCloseTo(21 + 1e-4, 9);
  });
});
