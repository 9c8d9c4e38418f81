/**
 * Time of one PPO gradient step on a CartPole-sized minibatch (obs 4, 2 actions, 64×64 tanh actor and
 * critic, batch 256): the fast path (`ppoLossAndGradients`, JS + backend matMuls) against tfjs's tape
 * (`ppoLoss` under `tf.variableGrads`). Run: `npx tsx bench/ppo-update.ts [--backend wasm] [--iters 200]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ActorCriticPolicy, parsePPOConfig, ppoLoss, ppoLossAndGradients } from '../src/algos/ppo/index.js';
import { initBackend } from '../src/core/backend.js';
import { Rng } from '../src/core/rng.js';
import { Box } from '../src/core/spaces/box.js';
import { Discrete } from '../src/core/spaces/discrete.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const backend = await initBackend(arg('backend', 'wasm') as 'wasm');
const iters = Number(arg('iters', '200'));
const B = 256;
const policy = new ActorCriticPolicy(new Box(-5, 5, [4], 'float32'), new Discrete(2), parsePPOConfig({}).policyKwargs, Rng.fromSeed(0));
const rng = Rng.fromSeed(1);
const mb = {
  batch: B,
  observations: rng.fillNormal(new Float32Array(B * 4)),
  actions: Int32Array.from({ length: B }, () => rng.integers(0, 2)),
  oldLogProbs: new Float32Array(B).fill(-0.69),
  advantages: rng.fillNormal(new Float32Array(B)),
  returns: rng.fillNormal(new Float32Array(B)),
  oldValues: new Float32Array(B),
};
const c = { clipRange: 0.2, clipRangeVf: null, entCoef: 0, vfCoef: 0.5 };
const vars = policy.params.variables();
const tape = () => {
  const { value, grads } = tf.variableGrads(
    () =>
      ppoLoss(
        policy,
        {
          observations: tf.tensor2d(mb.observations, [B, 4]),
          actions: tf.tensor1d(mb.actions, 'int32'),
          oldLogProbs: tf.tensor1d(mb.oldLogProbs),
          advantages: tf.tensor1d(mb.advantages),
          returns: tf.tensor1d(mb.returns),
          oldValues: tf.tensor1d(mb.oldValues),
        },
        c,
      ).loss,
    vars,
  );
  for (const v of vars) grads[v.name]!.dataSync();
  value.dispose();
  tf.dispose(grads);
};
const fast = () => ppoLossAndGradients(policy.fastParams(), mb, c);
function time(f: () => unknown): number {
  for (let i = 0; i < 20; i++) f();
  const t0 = performance.now();
  for (let i = 0; i < iters; i++) f();
  return (performance.now() - t0) / iters;
}
console.log(`backend ${backend.name}; batch ${B}; 64x64 tanh actor and critic`);
console.log(`tape (tf.variableGrads): ${time(tape).toFixed(2)} ms/step`);
console.log(`fast (ppoLossAndGradients): ${time(fast).toFixed(2)} ms/step`);
