/**
 * Learning check (`npm run test:learning`): GRPO raises held-out accuracy on 3-digit addition from an SFT
 * warm start. One warm start (SFT seed 0, stopped at 0.4 held-out greedy accuracy, trained here), then
 * GRPO runs of 400 steps with seeds 0, 1, 2 under the config defaults; greedy accuracy and sampled
 * pass@1 on 512 held-out problems before and after each run. Asserts that the lower end of the 95 %
 * paired bootstrap CI of the mean gain (over problems and seeds, `pairedGainCI`) is above 0 for both.
 * The settings were chosen on a different held-out draw (see `docs/benchmarks.md`, "GRPO on addition").
 * TELEO_GRPO_LEARNING_STEPS overrides the step budget.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairedGainCI, runSeed, type SeedResult } from '../../bench/grpo-addition.js';
import type { GRPOConfigInput } from '../../src/algos/grpo/index.js';
import { saveSFTModel, trainSFT } from '../../src/algos/sft/index.js';
import { initBackend } from '../../src/core/backend.js';
import { Rng } from '../../src/core/rng.js';
import { makeTextTask } from '../../src/envs/text/index.js';

const STEPS = Number(process.env.TELEO_GRPO_LEARNING_STEPS ?? 400);
const SEEDS = [0, 1, 2];
const HELD_OUT = 512;
/**
 * The config defaults (learning rate 1e-4, 16 prompts × G 8 per step, 4 updates per step). Chosen on
 * held-out draw 1 (8 single-seed runs: learning rate 3e-4 and 1e-3 collapse; 32 prompts per step gains
 * no more per sample; 150 → 300 → 600 steps keep raising accuracy, 400 lies between); the check
 * evaluates on draw 0.
 */
const GRPO_ADDITION_CONFIG: GRPOConfigInput = {};

function mean(xs: Float64Array): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

describe('GRPO on addition from an SFT warm start', () => {
  it(`raises held-out greedy accuracy and pass@1 over ${SEEDS.length} seeds (95 % CI of the gain above 0)`, async () => {
    await initBackend();
    const task = makeTextTask('addition');
    const dir = await mkdtemp(join(tmpdir(), 'teleo-grpo-learning-'));
    try {
      const sft = await trainSFT(task, { seed: 0, targetAccuracy: 0.4 });
      console.log(`SFT warm start: held-out greedy accuracy ${sft.finalEval.accuracy.toFixed(3)} after ${sft.steps} steps, ${sft.seconds.toFixed(0)} s`);
      expect(sft.stopReason).toBe('target-accuracy');
      const init = join(dir, 'warm-start');
      await saveSFTModel(init, sft, task);
      sft.model.dispose();

      const problems = task.problems({ split: 'test', count: HELD_OUT, seed: 0 });
      const results: SeedResult[] = [];
      for (const seed of SEEDS) {
        const r = await runSeed(init, seed, STEPS, GRPO_ADDITION_CONFIG, problems, 4, (line) => console.log(line));
        results.push(r);
        console.log(
          `GRPO seed ${seed}: greedy ${mean(r.before.greedy).toFixed(3)} → ${mean(r.after.greedy).toFixed(3)}, ` +
            `pass@1 ${mean(r.before.sampled).toFixed(3)} → ${mean(r.after.sampled).toFixed(3)}, ${r.seconds.toFixed(0)} s`,
        );
      }
      const rng = Rng.fromSeed(12_345);
      const greedy = pairedGainCI(results.map((r) => r.before.greedy), results.map((r) => r.after.greedy), rng);
      const pass1 = pairedGainCI(results.map((r) => r.before.sampled), results.map((r) => r.after.sampled), rng);
      console.log(`mean gain: greedy ${greedy.mean.toFixed(4)} [${greedy.low.toFixed(4)}, ${greedy.high.toFixed(4)}], pass@1 ${pass1.mean.toFixed(4)} [${pass1.low.toFixed(4)}, ${pass1.high.toFixed(4)}]`);
      expect(greedy.low).toBeGreaterThan(0);
      expect(pass1.low).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
