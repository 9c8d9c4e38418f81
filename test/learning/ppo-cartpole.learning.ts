/**
 * Learning check (`npm run test:learning`): PPO with RL-Zoo's CartPole-v1 preset reaches a rolling-20
 * training return ≥ 475 within 100k env steps on at least 9 of 10 seeds. Each run stops as soon as it gets
 * there. CI can shrink it: TELEO_PPO_LEARNING_SEEDS (default 10) seeds, of which all but one must pass,
 * and TELEO_PPO_LEARNING_BUDGET (default 100000) steps.
 */
import { describe, expect, it } from 'vitest';
import { PPO, ppoPreset } from '../../src/algos/ppo/index.js';
import { initBackend } from '../../src/core/backend.js';
import '../../src/envs/index.js';
import { Callback } from '../../src/train/callbacks.js';

const SEEDS = Number(process.env.TELEO_PPO_LEARNING_SEEDS ?? 10);
const BUDGET = Number(process.env.TELEO_PPO_LEARNING_BUDGET ?? 100_000);
const THRESHOLD = 475;

/** Stops training once the rolling training return reaches the threshold. */
class StopAtReturn extends Callback {
  reachedAt: number | null = null;
  override onStep(): boolean {
    const m = this.trainingModel;
    if (m.episodeRewardMean >= THRESHOLD) {
      this.reachedAt = m.numTimesteps;
      return false;
    }
    return true;
  }
}

describe('PPO on CartPole-v1 (zoo preset)', () => {
  it(`reaches a rolling-20 return of ${THRESHOLD} within ${BUDGET} steps on ${SEEDS - 1} of ${SEEDS} seeds`, async () => {
    await initBackend();
    const reached: Array<number | null> = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const model = new PPO('CartPole-v1', { ...ppoPreset('zoo', 'CartPole-v1').config, seed, statsWindowSize: 20 });
      const stop = new StopAtReturn();
      const start = performance.now();
      await model.learn({ totalTimesteps: BUDGET, callbacks: [stop] });
      reached.push(stop.reachedAt);
      console.log(`seed ${seed}: ${stop.reachedAt === null ? `not reached (rolling return ${model.episodeRewardMean.toFixed(1)})` : `reached at ${stop.reachedAt} steps`} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
      model.close();
    }
    const successes = reached.filter((r) => r !== null).length;
    expect(successes).toBeGreaterThanOrEqual(Math.max(1, SEEDS - 1));
  });
});
