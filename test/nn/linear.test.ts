/** Linear/MLP: the hand-written gradient matches tfjs autograd of the plain formula, with no transposed matMul. */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, UnknownOptionError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { ACTIVATIONS, type Activation } from '../../src/nn/activations.js';
import { Linear } from '../../src/nn/linear.js';
import { MLP } from '../../src/nn/mlp.js';
import { BACKENDS, maxAbsDiff, use, values } from './helpers.js';

function randomTensor(rng: Rng, shape: [number, number]): tf.Tensor2D {
  return tf.tensor2d(rng.fillNormal(new Float32Array(shape[0] * shape[1])), shape);
}

function plain(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, act: Activation): tf.Tensor {
  const z = tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b);
  return act === 'tanh' ? tf.tanh(z) : act === 'relu' ? tf.relu(z) : z;
}

afterEach(() => vi.restoreAllMocks());

describe.each(BACKENDS)('Linear on %s', (backend) => {
  it.each(ACTIVATIONS)('custom gradient equals autograd of act(xW + b) (%s)', async (act) => {
    await use(backend);
    const rng = Rng.fromSeed(3);
    const layer = new Linear(5, 7, { rng, activation: act });
    const x = randomTensor(rng, [9, 5]);
    const r = randomTensor(rng, [9, 7]); // random cotangent: loss = Σ r ⊙ y
    const loss = (f: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (xx: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(f(xx, w, b), r)) as tf.Scalar;
    const wT = tf.tensor(values(layer.weight), layer.weight.shape);
    const bT = tf.tensor(values(layer.bias), layer.bias.shape);
    const expected = tf.grads(loss((xx, w, b) => plain(xx, w, b, act)))([x, wT, bT]);
    // The layer's own variables: gradients with respect to x through grads(), to W and b through variableGrads.
    const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx), r)) as tf.Scalar)(x);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x), r)) as tf.Scalar, [layer.weight, layer.bias]);
    expect(maxAbsDiff(values(dx), values(expected[0]!))).toBeLessThan(1e-5);
    expect(maxAbsDiff(values(grads[layer.weight.name]!), values(expected[1]!))).toBeLessThan(1e-5);
    expect(maxAbsDiff(values(grads[layer.bias.name]!), values(expected[2]!))).toBeLessThan(1e-5);
    expect(maxAbsDiff(values(layer.apply(x)), values(plain(x, wT, bT, act)))).toBeLessThan(1e-5);
  });

  it('inputGrad: false and paramGrad: false give the same gradients for what they keep', async () => {
    await use(backend);
    const rng = Rng.fromSeed(4);
    const layer = new Linear(3, 4, { rng, activation: 'tanh' });
    const x = randomTensor(rng, [6, 3]);
    const r = randomTensor(rng, [6, 4]);
    const full = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x), r)) as tf.Scalar, [layer.weight, layer.bias]).grads;
    const noInput = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { inputGrad: false }), r)) as tf.Scalar, [layer.weight, layer.bias]).grads;
    expect(values(noInput[layer.weight.name]!)).toEqual(values(full[layer.weight.name]!));
    expect(values(noInput[layer.bias.name]!)).toEqual(values(full[layer.bias.name]!));
    const dxFull = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx), r)) as tf.Scalar)(x);
    const dxFrozen = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx, { paramGrad: false }), r)) as tf.Scalar)(x);
    expect(values(dxFrozen)).toEqual(values(dxFull));
    // Frozen weights are not connected to the loss.
    expect(() => tf.variableGrads(() => tf.sum(layer.apply(x, { paramGrad: false })) as tf.Scalar, [layer.weight])).toThrow();
  });

  it(backend === 'wasm' ? 'never issues a transposed matMul (slow on wasm)' : 'uses matMul transpose flags instead of Transpose ops', async () => {
    await use(backend);
    const rng = Rng.fromSeed(5);
    const mlp = new MLP([4, 8, 8, 3], 'relu', { rng });
    const x = randomTensor(rng, [16, 4]);
    const engine = tf.engine();
    const spy = vi.spyOn(engine, 'runKernel');
    tf.variableGrads(() => tf.sum(mlp.apply(x)) as tf.Scalar, mlp.params.variables());
    const matMuls = spy.mock.calls.filter(([name]) => name === tf.BatchMatMul || name === tf._FusedMatMul);
    expect(matMuls.length).toBe(3 + 6); // 3 forward; backward: 3 dW + 3 dx (the first layer's dx included by default)
    const transposed = matMuls.filter(([, , attrs]) => {
      const a = attrs as { transposeA?: boolean; transposeB?: boolean };
      return Boolean(a.transposeA) || Boolean(a.transposeB);
    });
    const transposeOps = spy.mock.calls.filter(([name]) => name === tf.Transpose);
    if (backend === 'wasm') {
      expect(transposed).toHaveLength(0);
      expect(transposeOps).toHaveLength(6);
    } else {
      expect(transposed).toHaveLength(6);
      expect(transposeOps).toHaveLength(0);
    }
  });
});

describe('MLP', () => {
  it('matches a hand-built stack of layers and its gradient matches autograd', async () => {
    await use('wasm');
    const rng = Rng.fromSeed(6);
    const mlp = new MLP([4, 16, 16, 3], 'tanh', { rng, outputGain: 0.01 });
    expect(mlp.params.names()).toEqual(['mlp.0.weight', 'mlp.0.bias', 'mlp.1.weight', 'mlp.1.bias', 'mlp.2.weight', 'mlp.2.bias']);
    expect(mlp.params.numParams).toBe(4 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3);
    const x = randomTensor(rng, [10, 4]);
    const r = randomTensor(rng, [10, 3]);
    const [w0, b0, w1, b1, w2, b2] = mlp.params.variables().map((v) => tf.tensor(values(v), v.shape));
    const plainNet = (ws: tf.Tensor[]) => plain(plain(plain(x, ws[0]!, ws[1]!, 'tanh'), ws[2]!, ws[3]!, 'tanh'), ws[4]!, ws[5]!, 'linear');
    const expected = tf.grads((...ws: tf.Tensor[]) => tf.sum(tf.mul(plainNet(ws), r)) as tf.Scalar)([w0!, b0!, w1!, b1!, w2!, b2!]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(mlp.apply(x, { inputGrad: false }), r)) as tf.Scalar, mlp.params.variables());
    mlp.params.variables().forEach((v, i) => expect(maxAbsDiff(values(grads[v.name]!), values(expected[i]!))).toBeLessThan(1e-5));
  });

  it('rejects bad sizes, activations, options and inputs with typed errors', async () => {
    await use('cpu');
    const rng = Rng.fromSeed(0);
    expect(() => new MLP([4], 'tanh', { rng })).toThrow(InvalidArgumentError);
    expect(() => new MLP([4, 0, 2], 'tanh', { rng })).toThrow(/positive integers/);
    expect(() => new MLP([4, 2], 'gelu' as Activation, { rng })).toThrow(/Unknown activation "gelu"/);
    expect(() => new MLP([4, 2], 'tanh', { rng, outputgain: 1 } as never)).toThrow(UnknownOptionError);
    expect(() => new MLP([4, 2], 'tanh', {} as never)).toThrow(/rng/);
    const mlp = new MLP([4, 2], 'tanh', { rng });
    expect(() => mlp.apply(tf.zeros([3, 5]))).toThrow(/shape \[batch, 4\], got float32 \[3, 5\]/);
    expect(() => mlp.apply(tf.zeros([4], 'float32'))).toThrow(InvalidArgumentError);
  });
});
