import { describe, expect, it } from 'vitest';
import { EpisodeStats } from '../../src/train/episode-stats.js';

describe('EpisodeStats', () => {
  it('accumulates per env, keeps a window of finished episodes and counts them all', () => {
    const stats = new EpisodeStats(2, 2);
    expect(stats.meanReturn).toBeNaN();
    stats.step(0, 1);
    stats.step(1, 5);
    stats.step(0, 2);
    stats.finish(0); // env 0: return 3, length 2
    expect(stats.returns[0]).toBe(0);
    expect(stats.returns[1]).toBe(5);
    stats.step(1, 1);
    stats.finish(1); // env 1: return 6, length 2
    stats.step(0, 10);
    stats.finish(0); // env 0: return 10, length 1 — pushes the first episode out of the window of 2
    expect(stats.count).toBe(3);
    expect(stats.recent).toEqual([
      { r: 6, l: 2 },
      { r: 10, l: 1 },
    ]);
    expect(stats.meanReturn).toBe(8);
    expect(stats.meanLength).toBe(1.5);
    stats.step(1, 4);
    stats.restartAll();
    expect([...stats.returns, ...stats.lengths]).toEqual([0, 0, 0, 0]);
    expect(stats.count).toBe(3);
  });
});
