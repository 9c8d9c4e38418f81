/**
 * HostMLP's explicit passes against tfjs autodiff through the same MLP: outputs, parameter gradients and
 * input gradients (relu and tanh layers, wide layers on the backend and narrow ones in JavaScript), the
 * row-subset input gradient, host/variable synchronisation, and Polyak averaging of host arrays.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { HostMLP, polyakHost } from '../../src/algos/off-policy/host-mlp.js';
import { initBackend } from '../../src/core/backend.js';
import { Rng } from '../../src/core/rng.js';
import { MLP } from '../../src/nn/mlp.js';

function transposeOf(a: Float32Array, m: number, n: number): Float32Array {
  const t = new Float32Array(m * n);
  for (let r = 0; r < m; r++) for (let j = 0; j < n; j++) t[j * m + r] = a[r * n + j]!;
  return t;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  expect(worst / scale).toBeLessThan(tol);
}

describe('HostMLP', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const [act, out] of [['relu', 'linear'], ['tanh', 'tanh']] as const) {
    it(`matches tfjs autodiff (${act} hidden, ${out} output)`, () => {
      const rng = Rng.fromSeed(act === 'relu' ? 1 : 2);
      const B = 40;
      const sizes = [5, 48, 32, 3];
      const net = new MLP(sizes, act, { rng, init: 'torch', outputActivation: out });
      const host = new HostMLP(net);
      const x = Float32Array.from({ length: B * 5 }, () => rng.uniform(-2, 2));
      const dOut = Float32Array.from({ length: B * 3 }, () => rng.uniform(-1, 1));
      // Reference: L = Σ dOut ⊙ net(x), so dL/d output = dOut.
      const xT = tf.tensor2d(x, [B, 5]);
      const g = tf.tensor2d(dOut, [B, 3]);
      const vars = net.params.variables();
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(net.apply(xT, { inputGrad: false }), g)) as tf.Scalar, vars);
      const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(net.apply(xi, { paramGrad: false }), g)))(xT);
      const trace = host.forward(x, B, true);
      const y = net.apply(xT, { inputGrad: false, paramGrad: false });
      expectClose(trace.outputs.at(-1)!, y.dataSync() as Float32Array, 1e-5);
      const res = host.backward(trace, transposeOf(dOut, B, 3), { paramGrads: true, inputGrad: true });
      vars.forEach((v, i) => expectClose(res.grads[i]!, grads[v.name]!.dataSync() as Float32Array, 1e-4));
      expectClose(res.dInputT!, transposeOf(dx.dataSync() as Float32Array, B, 5), 1e-4);
      // Input gradient for a subset of rows equals those columns of the full one.
      const rows = Int32Array.from([3, 7, 8, 20, 39]);
      const dSub = new Float32Array(3 * rows.length);
      for (let j = 0; j < 3; j++) for (let c = 0; c < rows.length; c++) dSub[j * rows.length + c] = dOut[rows[c]! * 3 + j]!;
      const subT = host.inputGradRows(host.forward(x, B, false), dSub, rows, rows.length);
      const full = dx.dataSync() as Float32Array;
      for (let k = 0; k < 5; k++) for (let c = 0; c < rows.length; c++) expect(subT[k * rows.length + c]).toBeCloseTo(full[rows[c]! * 5 + k]!, 4);
      tf.dispose([value, dx, y, xT, g, ...Object.values(grads)]);
      net.params.dispose();
    });
  }

  it('pushes host arrays into the variables and pulls variables assigned from outside', () => {
    const net = new MLP([3, 4, 2], 'relu', { rng: Rng.fromSeed(5), init: 'torch' });
    const host = new HostMLP(net);
    host.weights[0]![0] = 7;
    host.push();
    expect(net.params.get('mlp.0.weight').dataSync()[0]).toBe(7);
    const w = net.params.getWeights();
    w['mlp.1.bias']![1] = -3;
    net.params.setWeights(w);
    host.sync();
    expect(host.biases[1]![1]).toBe(-3);
    expect(host.weights[0]![0]).toBe(7);
    net.params.dispose();
  });

  it('averages host arrays (Polyak) and copies with τ = 1', () => {
    const target = [Float32Array.of(0, 10)];
    polyakHost(target, [Float32Array.of(4, 20)], 0.25);
    expect(Array.from(target[0]!)).toEqual([1, 12.5]);
    polyakHost(target, [Float32Array.of(4, 20)], 1);
    expect(Array.from(target[0]!)).toEqual([4, 20]);
  });

  it('soft-updates a target network from a source and uploads it into the target variables', () => {
    const sourceNet = new MLP([3, 4, 2], 'relu', { rng: Rng.fromSeed(6), init: 'torch' });
    const source = new HostMLP(sourceNet);
    const targetNet = new MLP([3, 4, 2], 'relu', { rng: Rng.fromSeed(7), init: 'torch' });
    const target = new HostMLP(targetNet);
    const before = target.weights[0]![0]!;
    target.softUpdateFrom(source, 0.25);
    const expected = Math.fround(0.25 * source.weights[0]![0]! + 0.75 * before);
    expect(target.weights[0]![0]).toBe(expected);
    expect(targetNet.params.get('mlp.0.weight').dataSync()[0]).toBe(expected);
    target.softUpdateFrom(source, 1);
    expect(Array.from(targetNet.params.get('mlp.1.bias').dataSync())).toEqual(Array.from(source.biases[1]!));
    targetNet.params.dispose();
    sourceNet.params.dispose();
  });
});
