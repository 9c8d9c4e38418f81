/** The closed-form PPO gradient (fast path) equals tfjs's autodiff of the reference loss. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActorCriticPolicy, LOSS_STATS, parsePPOConfig, ppoLoss, ppoLossAndGradients, type PPOLossCoefficients } from '../../src/algos/ppo/index.js';
import { initBackend } from '../../src/core/backend.js';
import { Rng } from '../../src/core/rng.js';
import { Box } from '../../src/core/spaces/box.js';
import { Discrete } from '../../src/core/spaces/discrete.js';
import type { Space } from '../../src/core/spaces/space.js';

beforeAll(async () => {
  await initBackend('wasm');
});

function compare(actionSpace: Space<unknown>, netArch: number[], c: PPOLossCoefficients, seed: number, activationFn: 'tanh' | 'relu' = 'tanh') {
  const B = 300; // large enough that the 64-wide layers take the backend matMul path
  const obsDim = 5;
  const cfg = parsePPOConfig({ policyKwargs: { netArch, activationFn, logStdInit: -0.3 } });
  const policy = new ActorCriticPolicy(new Box(-9, 9, [obsDim], 'float32'), actionSpace, cfg.policyKwargs, Rng.fromSeed(seed));
  // Larger output gains than PPO's 0.01 so that ratios move away from 1 and the clip engages.
  const rng = Rng.fromSeed(seed + 100);
  const obs = rng.fillNormal(new Float32Array(B * obsDim));
  const discrete = policy.actionKind === 'discrete';
  const actions = discrete ? Int32Array.from({ length: B }, () => rng.integers(0, policy.actDim)) : rng.fillNormal(new Float32Array(B * policy.actDim));
  const acted = policy.act(obs, B, Rng.fromSeed(seed + 1), false);
  // Old log-probs around the current ones so that some ratios fall outside [1-ε, 1+ε].
  const oldLogProbs = Float32Array.from(acted.logProbs, (_, i) => (discrete ? -Math.log(policy.actDim) : -2) + 0.3 * rng.normal() + 0 * i);
  const mb = {
    batch: B,
    observations: obs,
    actions,
    oldLogProbs,
    advantages: rng.fillNormal(new Float32Array(B)),
    returns: rng.fillNormal(new Float32Array(B)),
    oldValues: rng.fillNormal(new Float32Array(B), 0, 0.3),
  };
  const fast = ppoLossAndGradients(policy.fastParams(), mb, c);
  const vars = policy.params.variables();
  let stats: Float32Array = new Float32Array(0);
  const { value, grads } = tf.variableGrads(() => {
    const r = ppoLoss(
      policy,
      {
        observations: tf.tensor2d(obs, [B, obsDim]),
        actions: discrete ? tf.tensor1d(actions as Int32Array, 'int32') : tf.tensor2d(actions as Float32Array, [B, policy.actDim]),
        oldLogProbs: tf.tensor1d(mb.oldLogProbs),
        advantages: tf.tensor1d(mb.advantages),
        returns: tf.tensor1d(mb.returns),
        oldValues: tf.tensor1d(mb.oldValues),
      },
      c,
    );
    stats = r.stats.dataSync() as Float32Array;
    return r.loss;
  }, vars);
  expect(fast.loss).toBeCloseTo(value.dataSync()[0]!, 4);
  LOSS_STATS.forEach((name, k) => expect(fast.stats[k], name).toBeCloseTo(stats[k]!, 4));
  expect(stats[4]).toBeGreaterThan(0); // some ratios are clipped
  expect(fast.grads.length).toBe(vars.length);
  vars.forEach((v, i) => {
    const expected = grads[v.name]!.dataSync();
    const got = fast.grads[i]!;
    expect(got.length).toBe(expected.length);
    let scale = 1e-6;
    for (const x of expected) scale = Math.max(scale, Math.abs(x));
    for (let j = 0; j < got.length; j++) expect(Math.abs(got[j]! - expected[j]!), `${policy.params.names()[i]}[${j}]`).toBeLessThan(2e-4 * scale + 1e-6);
  });
  value.dispose();
  tf.dispose(grads);
  policy.dispose();
}

describe('ppoLossAndGradients', () => {
  it('matches autodiff for a Categorical policy with entropy bonus and value clipping', () => {
    compare(new Discrete(3), [64, 64], { clipRange: 0.2, clipRangeVf: 0.1, entCoef: 0.05, vfCoef: 0.5 }, 1);
  });

  it('matches autodiff for a diagonal Gaussian policy (ReLU, no value clipping)', () => {
    compare(new Box(-1, 1, [2], 'float32'), [32, 64], { clipRange: 0.1, clipRangeVf: null, entCoef: 0.01, vfCoef: 0.25 }, 2, 'relu');
  });
});
