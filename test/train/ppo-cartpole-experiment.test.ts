/** The ppo-cartpole experiment definition runs end to end on a tiny budget (in process). */
import { describe, expect, it } from 'vitest';
import { ppoCartpole, runPpoCartpole } from '../../src/experiments/ppo-cartpole.js';
import { runExperiment } from '../../src/train/experiments/index.js';

describe('ppo-cartpole experiment', () => {
  it('defines 10 seeds, two arms with the default as baseline', () => {
    expect(ppoCartpole.seeds).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...ppoCartpole.armNames].sort()).toEqual(['ppo-default', 'ppo-zoo']);
    expect(ppoCartpole.baseline).toBe('ppo-default');
  });

  it('reports every metric for a short run', async () => {
    const r = await runPpoCartpole({ nEnvs: 2, nSteps: 32, batchSize: 64, nEpochs: 1 }, 0, 256);
    expect(r.curve.length).toBe(4);
    // One point per rollout of 2 envs × 32 steps, at the env steps logged.
    expect(r.curveSteps).toEqual([64, 128, 192, 256]);
    expect(r.reached475).toBe(0);
    expect(r.stepsTo475).toBe(256);
    expect(r.finalReturn).toBeGreaterThan(0);
    expect(r.sps).toBeGreaterThan(0);
  });

  it('runs through the experiment runner', async () => {
    const results = await runExperiment(ppoCartpole, { seeds: [1], arms: ['ppo-zoo'], budget: 512, parallel: 1, print: false });
    expect(results.runs.length).toBe(1);
    expect(results.runs[0]!.ok).toBe(true);
    // The curve is stored with its env steps, and the summary keeps them as its x.
    const curve = results.runs[0]!.metrics!.curve as { x: number[]; y: number[] };
    expect(curve.x.length).toBe(curve.y.length);
    expect(curve.x[curve.x.length - 1]).toBeGreaterThanOrEqual(512);
    expect(results.arms['ppo-zoo']!.metrics.curve!.curve!.x).toEqual(curve.x);
    expect(results.experiment.metrics.find((m) => m.key === 'curve')!.xLabel).toBe('env steps');
  });
});
