/** Distributions: log-probabilities and entropies against closed forms computed in float64, masks, seeded sampling. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { Categorical } from '../../src/nn/distributions/categorical.js';
import { DiagGaussian } from '../../src/nn/distributions/diag-gaussian.js';
import { TanhGaussian } from '../../src/nn/distributions/tanh-gaussian.js';
import { use } from './helpers.js';

const arr = (t: tf.Tensor) => Array.from(t.dataSync() as ArrayLike<number>);

beforeAll(() => use('wasm'));

describe('Categorical', () => {
  const logits = [
    [0.5, -1, 2, 0.1],
    [3, 3, -2, 0],
  ];
  const mask = [
    [1, 0, 1, 1],
    [0, 1, 0, 1],
  ];

  /** log-softmax over the allowed actions in float64 (−Infinity for masked ones). */
  function reference(row: number[], allowed: number[]): number[] {
    const valid = row.filter((_, i) => allowed[i]);
    const m = Math.max(...valid);
    const lse = m + Math.log(valid.reduce((s, v) => s + Math.exp(v - m), 0));
    return row.map((v, i) => (allowed[i] ? v - lse : -Infinity));
  }

  it('logProb and entropy match the closed form, with and without a mask', () => {
    tf.tidy(() => {
      for (const useMask of [false, true]) {
        const allowed = useMask ? mask : logits.map((r) => r.map(() => 1));
        const d = new Categorical(tf.tensor2d(logits), useMask ? mask.flat() : undefined);
        const actions = useMask ? [2, 3] : [1, 0];
        const lp = arr(d.logProb(tf.tensor1d(actions, 'int32')));
        const ent = arr(d.entropy());
        logits.forEach((row, b) => {
          const ref = reference(row, allowed[b]!);
          expect(lp[b]).toBeCloseTo(ref[actions[b]!]!, 5);
          const h = -ref.reduce((s, l) => (Number.isFinite(l) ? s + Math.exp(l) * l : s), 0);
          expect(ent[b]).toBeCloseTo(h, 5);
        });
        if (useMask) {
          const probs = arr(d.probs());
          mask.flat().forEach((m, i) => m === 0 && expect(probs[i]).toBe(0));
          expect(arr(d.mode())).toEqual([2, 1]); // argmax over allowed actions only (row 1: 3 at index 1, index 0 masked)
        }
      }
    });
  });

  it('samples with the right frequencies, never a masked action, and is seeded', () => {
    tf.tidy(() => {
      const n = 4000;
      const rowLogits = Array.from({ length: n }, () => logits[0]!).flat();
      const rowMask = Array.from({ length: n }, () => mask[0]!).flat();
      const d = new Categorical(tf.tensor2d(rowLogits, [n, 4]), rowMask);
      const a = d.sampleArray(Rng.fromSeed(3));
      expect(d.sampleArray(Rng.fromSeed(3))).toEqual(a);
      expect(arr(d.sample(Rng.fromSeed(3)))).toEqual(Array.from(a));
      const ref = reference(logits[0]!, mask[0]!).map(Math.exp);
      for (let k = 0; k < 4; k++) {
        const freq = a.filter((x) => x === k).length / n;
        // 5 standard errors of a binomial proportion.
        expect(Math.abs(freq - ref[k]!)).toBeLessThanOrEqual(5 * Math.sqrt((ref[k]! * (1 - ref[k]!)) / n) + 1e-12);
      }
      expect(a.includes(1)).toBe(false);
    });
  });

  it('gradient of logProb flows to the logits (∂/∂logit_j log p_a = [j = a] − p_j)', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([logits[0]!]);
      const g = arr(tf.grad((l: tf.Tensor) => tf.sum(new Categorical(l).logProb(new Int32Array([2]))))(x));
      const p = reference(logits[0]!, [1, 1, 1, 1]).map(Math.exp);
      g.forEach((v, j) => expect(v).toBeCloseTo((j === 2 ? 1 : 0) - p[j]!, 5));
    });
  });

  it('rejects bad logits, masks and actions', () => {
    tf.tidy(() => {
      expect(() => new Categorical(tf.tensor1d([1, 2]))).toThrow(InvalidArgumentError);
      expect(() => new Categorical(tf.tensor2d(logits), [1, 1, 1])).toThrow(/2×4 entries/);
      expect(() => new Categorical(tf.tensor2d(logits), [1, 1, 1, 1, 0, 0, 0, 0])).toThrow(/row 1 allows no action/);
      const d = new Categorical(tf.tensor2d(logits));
      expect(() => d.logProb(tf.tensor1d([0, 1, 2], 'int32'))).toThrow(/int32 actions of shape \[2\]/);
      expect(() => d.logProb(tf.tensor1d([0, 1], 'float32'))).toThrow(InvalidArgumentError);
    });
  });
});

const LOG_2PI = Math.log(2 * Math.PI);

describe('DiagGaussian', () => {
  it('logProb, entropy and sampling match the closed forms (state-independent and per-row logStd)', () => {
    tf.tidy(() => {
      const mean = [
        [0.5, -1],
        [2, 0.25],
      ];
      const x = [
        [0.1, -0.5],
        [1.5, 1],
      ];
      for (const perRow of [false, true]) {
        const logStd = perRow ? [[-0.5, 0.2], [0.3, -1]] : [[-0.5, 0.2], [-0.5, 0.2]];
        const d = new DiagGaussian(tf.tensor2d(mean), perRow ? tf.tensor2d(logStd) : tf.tensor1d(logStd[0]!));
        const lp = arr(d.logProb(tf.tensor2d(x)));
        const ent = arr(d.entropy());
        mean.forEach((m, b) => {
          let ref = 0;
          let h = 0;
          m.forEach((mu, j) => {
            const s = Math.exp(logStd[b]![j]!);
            ref += -0.5 * ((x[b]![j]! - mu) / s) ** 2 - Math.log(s) - 0.5 * LOG_2PI;
            h += 0.5 + 0.5 * LOG_2PI + Math.log(s);
          });
          expect(lp[b]).toBeCloseTo(ref, 5);
          expect(ent[b]).toBeCloseTo(h, 5);
        });
      }
      const n = 5000;
      const d = new DiagGaussian(tf.fill([n, 2], 1.5), tf.tensor1d([Math.log(2), Math.log(0.5)]));
      const s = arr(d.sample(Rng.fromSeed(4)));
      expect(arr(d.sample(Rng.fromSeed(4)))).toEqual(s);
      for (const [j, std] of [[0, 2], [1, 0.5]] as const) {
        const col = s.filter((_, i) => i % 2 === j);
        const mu = col.reduce((a, b) => a + b, 0) / n;
        const sd = Math.sqrt(col.reduce((a, b) => a + (b - mu) ** 2, 0) / (n - 1));
        expect(Math.abs(mu - 1.5)).toBeLessThan((5 * std) / Math.sqrt(n));
        expect(Math.abs(sd - std)).toBeLessThan(0.05 * std);
      }
    });
  });

  it('samples are differentiable in mean and logStd (reparameterisation)', () => {
    tf.tidy(() => {
      const eps = new DiagGaussian(tf.zeros([3, 2]), tf.zeros([2])).noise(Rng.fromSeed(5));
      const epsArr = arr(eps);
      const [gMean, gLogStd] = tf.grads((m: tf.Tensor, ls: tf.Tensor) => tf.sum(new DiagGaussian(m, ls).sample(Rng.fromSeed(5))))([tf.zeros([3, 2]), tf.zeros([2])]);
      expect(arr(gMean!)).toEqual([1, 1, 1, 1, 1, 1]);
      // d/dlogStd Σ exp(logStd)·ε = Σ_batch ε (at logStd = 0)
      expect(arr(gLogStd!)[0]).toBeCloseTo(epsArr[0]! + epsArr[2]! + epsArr[4]!, 5);
    });
  });

  it('entropy and logProb gradients reach a state-independent logStd with its own shape', () => {
    tf.tidy(() => {
      const mean = tf.zeros([5, 3]);
      const [gEnt] = tf.grads((ls: tf.Tensor) => tf.sum(new DiagGaussian(mean, ls).entropy()))([tf.zeros([3])]);
      expect(arr(gEnt!)).toEqual([5, 5, 5]); // ∂/∂logStd_d Σ_batch entropy = batch size
      const x = tf.fill([5, 3], 2);
      const [gLp] = tf.grads((ls: tf.Tensor) => tf.sum(new DiagGaussian(mean, ls).logProb(x)))([tf.zeros([3])]);
      // ∂/∂logStd_d log N(x; 0, e^{2 logStd}) = z² − 1 = 3 at logStd = 0, x = 2; summed over 5 rows.
      expect(gLp!.shape).toEqual([3]);
      arr(gLp!).forEach((v) => expect(v).toBeCloseTo(15, 4));
    });
  });

  it('rejects mismatched shapes', () => {
    tf.tidy(() => {
      expect(() => new DiagGaussian(tf.zeros([3, 2]), tf.zeros([3]))).toThrow(/logStd must be float32 \[2\] or \[3, 2\]/);
      expect(() => new DiagGaussian(tf.zeros([3, 2]), tf.zeros([2])).logProb(tf.zeros([3, 3]))).toThrow(InvalidArgumentError);
    });
  });
});

describe('TanhGaussian', () => {
  it('log-prob equals log N(u) − Σ log(1 − tanh²u) computed directly, also from the squashed action', () => {
    tf.tidy(() => {
      const mean = tf.tensor2d([[0.3, -0.7], [1.2, 0.1]]);
      const logStd = tf.tensor1d([-0.3, 0.4]);
      const d = new TanhGaussian(mean, logStd);
      const u = [0.2, -1.1, 1.7, 0.05];
      const uT = tf.tensor2d(u, [2, 2]);
      const lp = arr(d.logProbFromPreTanh(uT));
      const lpFromAction = arr(d.logProb(tf.tanh(uT)));
      const m = arr(mean);
      const ls = arr(logStd);
      for (let b = 0; b < 2; b++) {
        let ref = 0;
        for (let j = 0; j < 2; j++) {
          const s = Math.exp(ls[j]!);
          const uj = u[b * 2 + j]!;
          ref += -0.5 * ((uj - m[b * 2 + j]!) / s) ** 2 - Math.log(s) - 0.5 * LOG_2PI - Math.log(1 - Math.tanh(uj) ** 2);
        }
        expect(lp[b]).toBeCloseTo(ref, 4);
        expect(lpFromAction[b]).toBeCloseTo(ref, 3);
      }
    });
  });

  it('stays finite for saturated actions where the naive log(1 − tanh²u) is −Infinity', () => {
    tf.tidy(() => {
      const d = new TanhGaussian(tf.tensor2d([[20]]), tf.tensor1d([0]));
      const u = 20;
      expect(Math.log(1 - Math.fround(Math.tanh(u)) ** 2)).toBe(-Infinity);
      const lp = arr(d.logProbFromPreTanh(tf.tensor2d([[u]])))[0]!;
      // log N(u; u, 1) − 2(log 2 − u − softplus(−2u)), with softplus(−40) ≈ 4e-18.
      expect(lp).toBeCloseTo(-0.5 * LOG_2PI - 2 * (Math.log(2) - u), 3);
    });
  });

  it('rsample returns tanh of the Gaussian sample with matching log-prob, seeded, with gradients', () => {
    tf.tidy(() => {
      const mean = tf.tensor2d([[0.3, -0.7], [1.2, 0.1]]);
      const logStd = tf.tensor1d([-0.3, 0.4]);
      const d = new TanhGaussian(mean, logStd);
      const { action, logProb } = d.rsample(Rng.fromSeed(9));
      const u = arr(new DiagGaussian(mean, logStd).sample(Rng.fromSeed(9)));
      arr(action).forEach((a, i) => expect(a).toBeCloseTo(Math.tanh(u[i]!), 6));
      expect(arr(logProb)).toEqual(arr(d.logProbFromPreTanh(tf.tensor2d(u, [2, 2]))));
      expect(arr(d.mode())).toEqual(arr(tf.tanh(mean)));
      const g = tf.grad((m: tf.Tensor) => tf.sum(new TanhGaussian(m, logStd).rsample(Rng.fromSeed(9)).logProb))(mean);
      expect(arr(g).every((v) => Number.isFinite(v))).toBe(true);
      expect(arr(g).some((v) => v !== 0)).toBe(true);
      expect((d as unknown as { entropy?: unknown }).entropy).toBeUndefined();
    });
  });
});
