/**
 * Learning check (`npm run test:learning`): SAC with SB3's defaults reaches a rolling-10 training return of
 * ≥ −200 on Pendulum-v1 within 20k env steps (RL-Zoo: ≈ −150 at 20k), and its deterministic policy then
 * averages ≥ −200 over 10 evaluation episodes, on every seed. Each run stops once the rolling mean gets
 * there. TELEO_SAC_LEARNING_SEEDS (default 1) and TELEO_SAC_LEARNING_BUDGET (default 20000) resize it.
 */
import { describe, expect, it } from 'vitest';
import { SAC } from '../../src/algos/sac/index.js';
import { initBackend } from '../../src/core/backend.js';
import { make } from '../../src/envs/index.js';
import { Callback } from '../../src/train/callbacks.js';
import { evaluatePolicy } from '../../src/train/evaluate.js';

const SEEDS = Number(process.env.TELEO_SAC_LEARNING_SEEDS ?? 1);
const BUDGET = Number(process.env.TELEO_SAC_LEARNING_BUDGET ?? 20_000);
const THRESHOLD = -200;

/** Stops training once the mean of the last 10 training episodes reaches the threshold. */
class StopAtRolling10 extends Callback {
  reachedAt: number | null = null;
  constructor(private readonly sac: SAC) {
    super();
  }
  override onStep(): boolean {
    const eps = this.sac.recentEpisodes;
    if (eps.length < 10) return true;
    const mean = eps.slice(-10).reduce((a, e) => a + e.r, 0) / 10;
    if (mean < THRESHOLD) return true;
    this.reachedAt = this.sac.numTimesteps;
    return false;
  }
}

describe('SAC on Pendulum-v1 (SB3 defaults)', () => {
  it(`reaches a rolling-10 return of ${THRESHOLD} within ${BUDGET} steps and evaluates ≥ ${THRESHOLD}`, async () => {
    await initBackend();
    for (let seed = 0; seed < SEEDS; seed++) {
      const start = performance.now();
      const model = new SAC('Pendulum-v1', { seed, statsWindowSize: 10 });
      const stop = new StopAtRolling10(model);
      await model.learn({ totalTimesteps: BUDGET, callbacks: stop });
      const env = make('Pendulum-v1');
      const { meanReward } = evaluatePolicy(model, env, { nEvalEpisodes: 10, seed: 1000 });
      env.close();
      console.log(`seed ${seed}: rolling-10 ≥ ${THRESHOLD} at ${stop.reachedAt ?? 'never'} steps, ${((performance.now() - start) / 1000).toFixed(1)} s; deterministic eval ${meanReward.toFixed(1)}`);
      model.close();
      expect(stop.reachedAt).not.toBeNull();
      expect(meanReward).toBeGreaterThanOrEqual(THRESHOLD);
    }
  });
});
