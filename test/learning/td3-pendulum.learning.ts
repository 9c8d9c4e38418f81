/**
 * Learning check (`npm run test:learning`): TD3 with RL-Zoo's Pendulum-v1 hyper-parameters (γ 0.98,
 * buffer 200k, learningStarts 10k, Gaussian exploration noise σ = 0.1, lr 1e-3, [400, 300], one gradient
 * step per env step) reaches a rolling-10 training return of ≥ −200 within 20k env steps, and its
 * deterministic policy then averages ≥ −200 over 10 evaluation episodes, on every seed. Each run stops
 * once the rolling mean gets there. TELEO_TD3_PENDULUM_SEEDS (default 1) and TELEO_TD3_PENDULUM_BUDGET
 * (default 20000) resize it.
 */
import { describe, expect, it } from 'vitest';
import { TD3 } from '../../src/algos/td3/index.js';
import { initBackend } from '../../src/core/backend.js';
import { make } from '../../src/envs/index.js';
import { Callback } from '../../src/train/callbacks.js';
import { evaluatePolicy } from '../../src/train/evaluate.js';

const SEEDS = Number(process.env.TELEO_TD3_PENDULUM_SEEDS ?? 1);
const BUDGET = Number(process.env.TELEO_TD3_PENDULUM_BUDGET ?? 20_000);
// A seed takes ~10–15 min on a quiet 2-core machine but can take ~50 under heavy load; vitest's 30-min default
// would then fail a run that learned.
const HOURS_PER_SEED = 2;
const THRESHOLD = -200;
const ZOO_PENDULUM = {
  gamma: 0.98,
  bufferSize: 200_000,
  learningStarts: 10_000,
  actionNoise: { type: 'normal', sigma: 0.1 },
  learningRate: 1e-3,
  trainFreq: 1,
  gradientSteps: 1,
  policyKwargs: { netArch: [400, 300] },
} as const;

/** Stops training once the mean of the last 10 training episodes reaches the threshold. */
class StopAtRolling10 extends Callback {
  reachedAt: number | null = null;
  seconds = Number.NaN;
  constructor(private readonly td3: TD3, private readonly start: number) {
    super();
  }
  override onStep(): boolean {
    const eps = this.td3.recentEpisodes;
    if (eps.length < 10) return true;
    const mean = eps.slice(-10).reduce((a, e) => a + e.r, 0) / 10;
    if (mean < THRESHOLD) return true;
    this.reachedAt = this.td3.numTimesteps;
    this.seconds = (performance.now() - this.start) / 1000;
    return false;
  }
}

describe('TD3 on Pendulum-v1 (RL-Zoo hyper-parameters)', () => {
  it(`reaches a rolling-10 return of ${THRESHOLD} within ${BUDGET} steps and evaluates ≥ ${THRESHOLD}`, async () => {
    await initBackend();
    for (let seed = 0; seed < SEEDS; seed++) {
      const start = performance.now();
      const model = new TD3('Pendulum-v1', { ...ZOO_PENDULUM, actionNoise: { ...ZOO_PENDULUM.actionNoise }, policyKwargs: { netArch: [400, 300] }, seed, statsWindowSize: 10 });
      const stop = new StopAtRolling10(model, start);
      await model.learn({ totalTimesteps: BUDGET, callbacks: stop });
      const env = make('Pendulum-v1');
      const { meanReward } = evaluatePolicy(model, env, { nEvalEpisodes: 10, seed: 1000 });
      env.close();
      const trainedSteps = model.numTimesteps - ZOO_PENDULUM.learningStarts;
      console.log(
        `seed ${seed}: rolling-10 ≥ ${THRESHOLD} at ${stop.reachedAt ?? 'never'} steps (${stop.seconds.toFixed(1)} s; ${trainedSteps} gradient steps), deterministic eval ${meanReward.toFixed(1)}, total ${((performance.now() - start) / 1000).toFixed(1)} s`,
      );
      model.close();
      expect(stop.reachedAt).not.toBeNull();
      expect(meanReward).toBeGreaterThanOrEqual(THRESHOLD);
    }
  }, SEEDS * HOURS_PER_SEED * 3_600_000);
});
