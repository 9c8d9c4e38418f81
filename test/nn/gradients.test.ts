/** Teleo's kernel gradients against central finite differences (float32 forward, h = 1e-2). */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { DIFFERENTIABLE_KERNELS } from '../../src/nn/gradients.js';
import { BACKENDS, use } from './helpers.js';

type Case = { name: string; shapes: number[][]; fn: (...xs: tf.Tensor[]) => tf.Tensor; low?: number; high?: number; awayFromZero?: number };

const CASES: Case[] = [
  { name: 'add (broadcast)', shapes: [[3, 4], [4]], fn: (a, b) => tf.add(a!, b!) },
  { name: 'sub (broadcast)', shapes: [[3, 1], [3, 4]], fn: (a, b) => tf.sub(a!, b!) },
  { name: 'mul (broadcast)', shapes: [[2, 3, 4], [3, 1]], fn: (a, b) => tf.mul(a!, b!) },
  { name: 'div', shapes: [[3, 4], [3, 4]], fn: (a, b) => tf.div(a!, b!), low: 0.5, high: 2 },
  { name: 'squaredDifference', shapes: [[3, 4], [4]], fn: (a, b) => tf.squaredDifference(a!, b!) },
  { name: 'maximum', shapes: [[3, 4], [3, 4]], fn: (a, b) => tf.maximum(a!, tf.add(b!, 0.3)) },
  { name: 'minimum', shapes: [[3, 4], [3, 4]], fn: (a, b) => tf.minimum(a!, tf.add(b!, 0.3)) },
  { name: 'pow', shapes: [[5], [5]], fn: (a, b) => tf.pow(a!, b!), low: 0.5, high: 2 },
  { name: 'addN', shapes: [[2, 3], [2, 3], [2, 3]], fn: (a, b, c) => tf.addN([a!, b!, tf.mul(c!, c!)]) },
  { name: 'neg/square/abs', shapes: [[6]], fn: (x) => tf.add(tf.neg(tf.square(x!)), tf.abs(x!)), awayFromZero: 0.1 },
  { name: 'log/log1p/reciprocal/sqrt', shapes: [[6]], fn: (x) => tf.addN([tf.log(x!), tf.log1p(x!), tf.reciprocal(x!), tf.sqrt(x!)]), low: 0.5, high: 2 },
  { name: 'exp/tanh/sigmoid/softplus', shapes: [[6]], fn: (x) => tf.addN([tf.exp(x!), tf.tanh(x!), tf.sigmoid(x!), tf.softplus(x!)]) },
  { name: 'relu/relu6/leakyRelu', shapes: [[8]], fn: (x) => tf.addN([tf.relu(x!), tf.relu6(tf.mul(x!, 4)), tf.leakyRelu(x!, 0.2)]), awayFromZero: 0.1 },
  { name: 'atanh', shapes: [[6]], fn: (x) => tf.atanh(x!), low: -0.8, high: 0.8 },
  { name: 'clipByValue', shapes: [[8]], fn: (x) => tf.clipByValue(x!, -0.55, 0.45), awayFromZero: 0 },
  { name: 'where/greater', shapes: [[6], [6]], fn: (a, b) => tf.where(tf.greater(a!, 0), tf.mul(a!, b!), tf.square(b!)), awayFromZero: 0.1 },
  { name: 'sum/mean (axes, keepDims)', shapes: [[2, 3, 4]], fn: (x) => tf.add(tf.sum(tf.square(x!), [0, 2], true), tf.mean(tf.exp(x!), 1, true)) },
  { name: 'max/min', shapes: [[3, 5]], fn: (x) => tf.concat([tf.max(x!, 1), tf.min(tf.mul(x!, x!), 0)]) },
  { name: 'softmax / logSoftmax / logSumExp', shapes: [[3, 5]], fn: (x) => tf.add(tf.softmax(x!), tf.add(tf.logSoftmax(x!), tf.logSumExp(x!, 1, true))) },
  { name: 'reshape/transpose', shapes: [[2, 3, 4]], fn: (x) => tf.mul(tf.transpose(tf.reshape(x!, [6, 4])), tf.reshape(tf.range(0, 24, 1, 'float32'), [4, 6])) },
  { name: 'slice/pad/tile', shapes: [[3, 4]], fn: (x) => tf.add(tf.pad(tf.slice(x!, [1, 0], [2, 3]), [[0, 1], [1, 0]]), tf.tile(tf.slice(x!, [0, 0], [1, 4]), [3, 1])) },
  { name: 'broadcastTo', shapes: [[1, 4]], fn: (x) => tf.mul(tf.broadcastTo(x!, [3, 4]), tf.reshape(tf.range(1, 13, 1, 'float32'), [3, 4])) },
  { name: 'concat/split/stack/unstack', shapes: [[2, 3], [2, 2]], fn: (a, b) => { const c = tf.concat([a!, tf.square(b!)], 1); const [p, q] = tf.split(c, [4, 1], 1); return tf.add(tf.sum(tf.stack([p!, tf.exp(p!)], 0), 0), tf.mul(tf.reshape(tf.unstack(c, 1)[4]!, [2, 1]), q!)); } },
  { name: 'gather (axis 0)', shapes: [[4, 3]], fn: (x) => tf.gather(tf.square(x!), tf.tensor1d([2, 0, 2, 3], 'int32')) },
  { name: 'oneHot·x (categorical logProb pattern)', shapes: [[3, 4]], fn: (x) => tf.sum(tf.mul(tf.logSoftmax(x!), tf.oneHot(tf.tensor1d([1, 3, 0], 'int32'), 4)), 1) },
  { name: 'matMul', shapes: [[3, 4], [4, 5]], fn: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D) },
  { name: 'matMul transposeA/transposeB', shapes: [[4, 3], [5, 4]], fn: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, true) },
  { name: 'batched matMul (rank 3 × rank 2)', shapes: [[2, 3, 4], [4, 2]], fn: (a, b) => tf.matMul(a as tf.Tensor3D, b as unknown as tf.Tensor3D) },
  { name: 'fused matMul + bias + relu', shapes: [[3, 4], [4, 5], [5]], fn: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c!, activation: 'relu' }) },
];

function randomInputs(rng: Rng, c: Case): tf.Tensor[] {
  const low = c.low ?? -1.5;
  const high = c.high ?? 1.5;
  return c.shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      let x = rng.uniform(low, high);
      // Keep away from kinks (|x| small) for non-smooth ops.
      if (c.awayFromZero !== undefined) while (Math.abs(x) < c.awayFromZero + 0.02 || Math.abs(x - 0.45) < 0.03 || Math.abs(x + 0.55) < 0.03) x = rng.uniform(low, high);
      v[i] = x;
    }
    return tf.tensor(v, shape);
  });
}

describe.each(BACKENDS)('gradients on %s', (backend) => {
  it.each(CASES)('$name matches central differences', async (c) => {
    await use(backend);
    const rng = Rng.fromSeed(CASES.indexOf(c) + 1);
    tf.tidy(() => {
      const xs = randomInputs(rng, c);
      const out = c.fn(...xs);
      const r = tf.tensor(rng.fillNormal(new Float32Array(out.size)), out.shape);
      const scalarFn = (...ins: tf.Tensor[]) => tf.sum(tf.mul(c.fn(...ins), r)) as tf.Scalar;
      const analytic = tf.grads(scalarFn)(xs).map((g) => g.dataSync() as Float32Array);
      const h = 1e-2;
      xs.forEach((x, k) => {
        const base = x.dataSync() as Float32Array;
        for (let i = 0; i < base.length; i++) {
          const at = (delta: number) => {
            const v = Float32Array.from(base);
            v[i] = v[i]! + delta;
            const ins = xs.map((t, j) => (j === k ? tf.tensor(v, x.shape) : t));
            return (scalarFn(...ins).dataSync() as Float32Array)[0]!;
          };
          const numeric = (at(h) - at(-h)) / (2 * h);
          expect(Math.abs(analytic[k]![i]! - numeric), `${c.name}: input ${k}[${i}] analytic ${analytic[k]![i]} numeric ${numeric}`).toBeLessThan(2e-3 * Math.max(1, Math.abs(numeric)));
        }
      });
    });
  });
});

describe('registered kernels', () => {
  it('cover the kernels Teleo differentiates through', () => {
    for (const k of [tf.Add, tf.Multiply, tf.BatchMatMul, tf._FusedMatMul, tf.Tanh, tf.Select, tf.Sum, tf.Softplus, tf.Atanh, tf.Tile]) {
      expect(DIFFERENTIABLE_KERNELS).toContain(k);
      expect(tf.getGradient(k)).toBeDefined();
    }
  });
});
