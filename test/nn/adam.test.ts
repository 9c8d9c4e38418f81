/** Adam: agreement with tfjs's own Adam, exact state restore, learning-rate changes, clipping, no tensor leaks. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NumericalError, UnknownOptionError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { Categorical } from '../../src/nn/distributions/categorical.js';
import { MLP } from '../../src/nn/mlp.js';
import { Adam } from '../../src/nn/optim/adam.js';
import { BACKENDS, maxAbsDiff, use } from './helpers.js';

/** A small regression problem: MLP [3, 8, 2] fitted to fixed targets. */
function problem(seed: number) {
  const rng = Rng.fromSeed(seed);
  const mlp = new MLP([3, 8, 2], 'tanh', { rng });
  const x = tf.keep(tf.tensor2d(rng.fillNormal(new Float32Array(16 * 3)), [16, 3]));
  const y = tf.keep(tf.tensor2d(rng.fillNormal(new Float32Array(16 * 2)), [16, 2]));
  const loss = () => tf.mean(tf.square(tf.sub(mlp.apply(x, { inputGrad: false }), y))) as tf.Scalar;
  return { mlp, loss };
}

/** The loss's gradients as float64 arrays, in parameter order. */
function gradientArrays(loss: () => tf.Scalar, mlp: MLP): Float64Array[] {
  const { value, grads } = tf.variableGrads(loss, mlp.params.variables());
  const out = mlp.params.variables().map((v) => Float64Array.from(grads[v.name]!.dataSync()));
  tf.dispose([value, grads]);
  return out;
}

describe.each(BACKENDS)('Adam on %s', (backend) => {
  it('follows the same trajectory as tfjs tf.train.adam (PyTorch update rule)', async () => {
    await use(backend);
    const a = problem(1);
    const b = problem(1);
    const ours = new Adam(a.mlp.params, { lr: 0.01, eps: 1e-5 });
    const theirs = tf.train.adam(0.01, 0.9, 0.999, 1e-5);
    for (let i = 0; i < 20; i++) {
      ours.minimize(a.loss);
      tf.tidy(() => {
        const { grads } = tf.variableGrads(b.loss, b.mlp.params.variables());
        theirs.applyGradients(grads as Parameters<typeof theirs.applyGradients>[0]);
      });
    }
    const wa = a.mlp.params.getWeights();
    const wb = b.mlp.params.getWeights();
    for (const name of a.mlp.params.names()) expect(maxAbsDiff(wa[name]!, wb[name]!)).toBeLessThan(2e-6);
    expect(ours.step).toBe(20);
    theirs.dispose();
  });
});

describe('Adam', () => {
  it('moves every parameter by lr·sign(g) on its first step', async () => {
    await use('wasm');
    const { mlp, loss } = problem(2);
    const before = mlp.params.getWeights();
    const grads = gradientArrays(loss, mlp);
    new Adam(mlp.params, { lr: 0.1, eps: 1e-8 }).minimize(loss);
    const after = mlp.params.getWeights();
    mlp.params.names().forEach((name, k) => {
      after[name]!.forEach((v, i) => {
        const g = grads[k]![i]!;
        expect(v).toBeCloseTo(before[name]![i]! - (0.1 * g) / (Math.abs(g) + 1e-8), 6);
      });
    });
  });

  it('restores its state exactly: a restored optimizer continues bit-identically', async () => {
    await use('wasm');
    const a = problem(3);
    const opt = new Adam(a.mlp.params, { lr: 0.02, maxGradNorm: 0.5 });
    for (let i = 0; i < 5; i++) opt.minimize(a.loss);
    const weights = a.mlp.params.getWeights();
    opt.lr = 0.01;
    const state = opt.getState();
    for (let i = 0; i < 5; i++) opt.minimize(a.loss);
    const continued = a.mlp.params.getWeights();
    // Rewind the same network and a fresh optimizer to the checkpoint, then replay.
    a.mlp.params.setWeights(weights);
    const fresh = new Adam(a.mlp.params, { lr: 0.02, maxGradNorm: 0.5 });
    fresh.setState(state);
    for (let i = 0; i < 5; i++) fresh.minimize(a.loss);
    expect(a.mlp.params.getWeights()).toEqual(continued);
    expect(fresh.getState()).toEqual(opt.getState());
  });

  it('uses a changed learning rate from the next step on (lr 0 leaves the weights unchanged)', async () => {
    await use('wasm');
    const { mlp, loss } = problem(4);
    const opt = new Adam(mlp.params, { lr: 0.01 });
    opt.minimize(loss);
    opt.lr = 0;
    const before = mlp.params.getWeights();
    opt.minimize(loss);
    expect(mlp.params.getWeights()).toEqual(before);
    expect(opt.step).toBe(2);
    expect(() => (opt.lr = -1)).toThrow(InvalidArgumentError);
    expect(() => (opt.lr = Number.NaN)).toThrow(InvalidArgumentError);
  });

  it('clips the global gradient norm and returns the norm before clipping', async () => {
    await use('wasm');
    const { mlp, loss } = problem(5);
    const grads = gradientArrays(loss, mlp);
    const norm = Math.sqrt(grads.reduce((s, g) => s + g.reduce((t, v) => t + v * v, 0), 0));
    const maxGradNorm = norm / 4;
    const opt = new Adam(mlp.params, { lr: 1e-3, maxGradNorm });
    const { gradNorm, loss: lossValue } = opt.minimize(loss);
    expect(gradNorm).toBeCloseTo(norm, 5);
    expect(Number.isFinite(lossValue)).toBe(true);
    const scale = maxGradNorm / (norm + 1e-6);
    const { m } = opt.getState();
    mlp.params.names().forEach((name, k) => m[name]!.forEach((v, i) => expect(v).toBeCloseTo(0.1 * grads[k]![i]! * scale, 7)));
    // A norm below the limit is left alone.
    const p2 = problem(5);
    const opt2 = new Adam(p2.mlp.params, { lr: 1e-3, maxGradNorm: norm * 2 });
    opt2.minimize(p2.loss);
    const m2 = opt2.getState().m;
    p2.mlp.params.names().forEach((name, k) => m2[name]!.forEach((v, i) => expect(v).toBeCloseTo(0.1 * grads[k]![i]!, 7)));
  });

  it('applyGradients(grads, values) updates JavaScript copies in place, exactly as it would the variables', async () => {
    await use('wasm');
    const a = problem(9);
    const b = problem(9);
    const grads = gradientArrays(a.loss, a.mlp).map((g) => Float32Array.from(g));
    const optA = new Adam(a.mlp.params, { lr: 0.01 });
    const optB = new Adam(b.mlp.params, { lr: 0.01 });
    optA.applyGradients(grads);
    const copies = Object.values(b.mlp.params.getWeights());
    const untouched = b.mlp.params.getWeights();
    optB.applyGradients(grads, copies);
    expect(b.mlp.params.getWeights()).toEqual(untouched); // variables left alone
    const updated = a.mlp.params.getWeights();
    a.mlp.params.names().forEach((name, i) => expect(copies[i]).toEqual(updated[name]));
    expect(() => optB.applyGradients(grads, copies.slice(1))).toThrow(InvalidArgumentError);
  });

  it('refuses a non-finite gradient and leaves the parameters and step unchanged', async () => {
    await use('wasm');
    const { mlp, loss } = problem(6);
    const opt = new Adam(mlp.params);
    opt.minimize(loss);
    const before = mlp.params.getWeights();
    expect(() => opt.minimize(() => tf.mul(loss(), Number.NaN) as tf.Scalar)).toThrow(NumericalError);
    expect(mlp.params.getWeights()).toEqual(before);
    expect(opt.step).toBe(1);
  });

  it('validates options and state', async () => {
    await use('cpu');
    const { mlp } = problem(7);
    expect(() => new Adam(mlp.params, { learningRate: 1 } as never)).toThrow(UnknownOptionError);
    expect(() => new Adam(mlp.params, { beta1: 1 })).toThrow(/beta1 must be in \[0, 1\)/);
    expect(() => new Adam(mlp.params, { maxGradNorm: 0 })).toThrow(InvalidArgumentError);
    const opt = new Adam(mlp.params);
    const state = opt.getState();
    expect(() => opt.setState({ ...state, beta2: 0.99 })).toThrow(/beta2 is 0.99/);
    expect(() => opt.setState({ ...state, m: { ...state.m, 'mlp.0.weight': new Float32Array(2) } })).toThrow(/m\['mlp.0.weight'\]/);
    expect(() => opt.setState({ ...state, v: { ...state.v, extra: new Float32Array(1) } })).toThrow(/unknown parameter 'extra'/);
    expect(() => opt.setState({ ...state, step: -1 })).toThrow(/step/);
  });
});

describe('memory', () => {
  it('creating and disposing a model leaves no tensors behind', async () => {
    await use('wasm');
    const before = tf.memory().numTensors;
    const net = new MLP([4, 64, 64, 3], 'tanh', { rng: Rng.fromSeed(1) });
    expect(tf.memory().numTensors).toBe(before + 6);
    net.params.setWeights(net.params.getWeights());
    expect(tf.memory().numTensors).toBe(before + 6);
    net.params.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(BACKENDS)('tf.memory().numTensors stays flat over 50 PPO-style forward/backward/update steps (%s)', async (backend) => {
    await use(backend);
    const rng = Rng.fromSeed(8);
    const net = new MLP([4, 64, 64, 3], 'tanh', { rng, outputGain: 0.01 });
    const opt = new Adam(net.params, { lr: 2.5e-4, eps: 1e-5, maxGradNorm: 0.5 });
    const obs = tf.keep(tf.tensor2d(rng.fillNormal(new Float32Array(64 * 4)), [64, 4]));
    const actions = tf.keep(tf.tensor1d(Int32Array.from({ length: 64 }, () => rng.integers(0, 2)), 'int32'));
    const returns = tf.keep(tf.tensor1d(rng.fillNormal(new Float32Array(64))));
    const step = () =>
      opt.minimize(() => {
        const out = net.apply(obs, { inputGrad: false });
        const dist = new Categorical(tf.slice(out, [0, 0], [-1, 2]));
        const value = tf.reshape(tf.slice(out, [0, 2], [-1, 1]), [-1]);
        const pg = tf.neg(tf.mean(dist.logProb(actions)));
        return tf.addN([pg, tf.mul(tf.mean(tf.square(tf.sub(value, returns))), 0.5), tf.mul(tf.mean(dist.entropy()), -0.01)]) as tf.Scalar;
      });
    step();
    const baseline = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) step();
    expect(tf.memory().numTensors).toBe(baseline);
    // And sampling for rollouts inside tidy leaks nothing either.
    for (let i = 0; i < 10; i++) tf.tidy(() => new Categorical(tf.slice(net.apply(obs, { inputGrad: false, paramGrad: false }), [0, 0], [-1, 2])).sampleArray(rng));
    for (let i = 0; i < 10; i++) tf.tidy(() => void net.apply(obs).dataSync()); // default options, no tape active
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
