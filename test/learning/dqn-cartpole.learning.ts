/**
 * Learning check (`npm run test:learning`): DQN with RL-Zoo's CartPole-v1 preset (50k env steps) solves
 * CartPole-v1: the greedy policy's mean return over 20 evaluation episodes is ≥ 475 on at least 2 of 3
 * seeds. TELEO_DQN_LEARNING_SEEDS (default 3) and TELEO_DQN_LEARNING_BUDGET (default 50000) shrink it.
 */
import { describe, expect, it } from 'vitest';
import { DQN, DQN_ZOO_PRESETS } from '../../src/algos/dqn/index.js';
import { initBackend } from '../../src/core/backend.js';
import { make } from '../../src/envs/index.js';
import { evaluatePolicy } from '../../src/train/evaluate.js';

const SEEDS = Number(process.env.TELEO_DQN_LEARNING_SEEDS ?? 3);
const preset = DQN_ZOO_PRESETS['CartPole-v1']!;
const BUDGET = Number(process.env.TELEO_DQN_LEARNING_BUDGET ?? preset.totalTimesteps);

describe('DQN on CartPole-v1 (zoo preset)', () => {
  it(`reaches a greedy mean return ≥ 475 within ${BUDGET} steps on ${Math.ceil((2 * SEEDS) / 3)} of ${SEEDS} seeds`, async () => {
    await initBackend();
    const results: number[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const start = performance.now();
      const model = new DQN('CartPole-v1', { ...preset.config, seed });
      await model.learn({ totalTimesteps: BUDGET });
      const env = make('CartPole-v1');
      const { meanReward } = evaluatePolicy(model, env, { nEvalEpisodes: 20, seed: 1000 });
      env.close();
      results.push(meanReward);
      console.log(`seed ${seed}: greedy mean return ${meanReward.toFixed(1)} after ${BUDGET} steps, ${((performance.now() - start) / 1000).toFixed(1)} s`);
      model.close();
    }
    expect(results.filter((r) => r >= 475).length).toBeGreaterThanOrEqual(Math.ceil((2 * SEEDS) / 3));
  });
});
