/** PPO loss terms on a fixed batch, against the formulas computed by hand in float64 JavaScript. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActorCriticPolicy, parsePPOConfig, ppoLoss } from '../../src/algos/ppo/index.js';
import { initBackend } from '../../src/core/backend.js';
import { Rng } from '../../src/core/rng.js';
import { Box } from '../../src/core/spaces/box.js';
import { Discrete } from '../../src/core/spaces/discrete.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const B = 6;
const OBS = new Box(-5, 5, [3], 'float32');

function fixedBatch(rng: Rng) {
  return {
    obs: rng.fillNormal(new Float32Array(B * 3)),
    oldLogProbs: Float32Array.from({ length: B }, () => -0.3 - rng.random()),
    advantages: rng.fillNormal(new Float32Array(B)),
    returns: rng.fillNormal(new Float32Array(B)),
    oldValues: rng.fillNormal(new Float32Array(B), 0, 0.1),
  };
}

function handLoss(logp: number[], ent: number[], v: number[], b: ReturnType<typeof fixedBatch>, clip: number, clipVf: number | null) {
  const mean = (xs: number[]) => xs.reduce((a, c) => a + c, 0) / xs.length;
  const ratio = logp.map((l, i) => Math.exp(l - b.oldLogProbs[i]!));
  const pg = -mean(ratio.map((r, i) => Math.min(b.advantages[i]! * r, b.advantages[i]! * Math.min(1 + clip, Math.max(1 - clip, r)))));
  const vPred = v.map((x, i) => (clipVf === null ? x : b.oldValues[i]! + Math.min(clipVf, Math.max(-clipVf, x - b.oldValues[i]!))));
  const vl = mean(vPred.map((x, i) => (b.returns[i]! - x) ** 2));
  const el = -mean(ent);
  const kl = mean(ratio.map((r) => r - 1 - Math.log(r)));
  const cf = mean(ratio.map((r) => (Math.abs(r - 1) > clip ? 1 : 0)));
  return { pg, vl, el, kl, cf };
}

describe('ppoLoss', () => {
  it('matches a hand computation for a Categorical policy (with value clipping)', () => {
    const cfg = parsePPOConfig({ policyKwargs: { netArch: [5] } });
    const policy = new ActorCriticPolicy(OBS, new Discrete(3), cfg.policyKwargs, Rng.fromSeed(0));
    const rng = Rng.fromSeed(9);
    const b = fixedBatch(rng);
    const actions = Int32Array.from({ length: B }, () => rng.integers(0, 3));
    const [clip, clipVf, entCoef, vfCoef] = [0.1, 0.05, 0.01, 0.5];
    tf.tidy(() => {
      const obsT = tf.tensor2d(b.obs, [B, 3]);
      const logits = Array.from(policy.actor.apply(obsT).dataSync());
      const values = Array.from(policy.critic.apply(obsT).dataSync());
      const logp: number[] = [];
      const ent: number[] = [];
      for (let i = 0; i < B; i++) {
        const z = logits.slice(i * 3, i * 3 + 3);
        const lse = Math.log(z.reduce((a, x) => a + Math.exp(x), 0));
        logp.push(z[actions[i]!]! - lse);
        ent.push(-z.reduce((a, x) => a + Math.exp(x - lse) * (x - lse), 0));
      }
      const h = handLoss(logp, ent, values, b, clip, clipVf);
      const { loss, stats } = ppoLoss(
        policy,
        {
          observations: obsT,
          actions: tf.tensor1d(actions, 'int32'),
          oldLogProbs: tf.tensor1d(b.oldLogProbs),
          advantages: tf.tensor1d(b.advantages),
          returns: tf.tensor1d(b.returns),
          oldValues: tf.tensor1d(b.oldValues),
        },
        { clipRange: clip, clipRangeVf: clipVf, entCoef, vfCoef },
      );
      const s = stats.dataSync();
      expect(s[0]).toBeCloseTo(h.pg, 5);
      expect(s[1]).toBeCloseTo(h.vl, 5);
      expect(s[2]).toBeCloseTo(h.el, 5);
      expect(s[3]).toBeCloseTo(h.kl, 5);
      expect(s[4]).toBeCloseTo(h.cf, 6);
      expect(h.cf).toBeGreaterThan(0); // the batch does exercise the clip
      expect(loss.dataSync()[0]).toBeCloseTo(h.pg + entCoef * h.el + vfCoef * h.vl, 5);
    });
    policy.dispose();
  });

  it('matches a hand computation for a diagonal Gaussian policy', () => {
    const cfg = parsePPOConfig({ policyKwargs: { netArch: [4], logStdInit: -0.5 } });
    const policy = new ActorCriticPolicy(OBS, new Box(-1, 1, [2], 'float32'), cfg.policyKwargs, Rng.fromSeed(1));
    const rng = Rng.fromSeed(10);
    const b = fixedBatch(rng);
    const actions = rng.fillNormal(new Float32Array(B * 2));
    tf.tidy(() => {
      const obsT = tf.tensor2d(b.obs, [B, 3]);
      const mean = Array.from(policy.actor.apply(obsT).dataSync());
      const values = Array.from(policy.critic.apply(obsT).dataSync());
      const logStd = -0.5;
      const logp: number[] = [];
      const ent: number[] = [];
      for (let i = 0; i < B; i++) {
        let lp = 0;
        for (let d = 0; d < 2; d++) {
          const z = (actions[i * 2 + d]! - mean[i * 2 + d]!) / Math.exp(logStd);
          lp += -0.5 * z * z - logStd - 0.5 * Math.log(2 * Math.PI);
        }
        logp.push(lp);
        ent.push(2 * (0.5 + 0.5 * Math.log(2 * Math.PI) + logStd));
      }
      const h = handLoss(logp, ent, values, b, 0.2, null);
      const { stats } = ppoLoss(
        policy,
        {
          observations: obsT,
          actions: tf.tensor2d(actions, [B, 2]),
          oldLogProbs: tf.tensor1d(b.oldLogProbs),
          advantages: tf.tensor1d(b.advantages),
          returns: tf.tensor1d(b.returns),
          oldValues: tf.tensor1d(b.oldValues),
        },
        { clipRange: 0.2, clipRangeVf: null, entCoef: 0, vfCoef: 0.5 },
      );
      const s = stats.dataSync();
      expect(s[0]).toBeCloseTo(h.pg, 4);
      expect(s[1]).toBeCloseTo(h.vl, 5);
      expect(s[2]).toBeCloseTo(h.el, 5);
      expect(s[3]).toBeCloseTo(h.kl, 4);
    });
    policy.dispose();
  });

  it('the JS acting path agrees with the tfjs evaluation', () => {
    const cfg = parsePPOConfig({});
    const policy = new ActorCriticPolicy(OBS, new Discrete(4), cfg.policyKwargs, Rng.fromSeed(2));
    const obs = Rng.fromSeed(3).fillNormal(new Float32Array(B * 3));
    const acted = policy.act(obs, B, Rng.fromSeed(4), false);
    tf.tidy(() => {
      const { values, logProbs } = policy.evaluate(tf.tensor2d(obs, [B, 3]), tf.tensor1d(acted.actions as Int32Array, 'int32'));
      const v = values.dataSync();
      const lp = logProbs.dataSync();
      for (let i = 0; i < B; i++) {
        expect(acted.values[i]).toBeCloseTo(v[i]!, 5);
        expect(acted.logProbs[i]).toBeCloseTo(lp[i]!, 5);
      }
    });
    policy.dispose();
  });
});
