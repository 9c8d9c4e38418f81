/**
 * Neural update benchmark: milliseconds per forward + backward + Adam step for a PPO-sized network
 * (obs 4 → 64 → 64 → 2 logits + 1 value, tanh; batch 64 and 256) and a SAC-sized Q-network
 * (23 → 256 → 256 → 1, relu; batch 256), on the wasm and cpu backends. Variants:
 *
 * - `teleo`: `MLP` (fused forward, hand-written gradient) + Teleo's `Adam` (update in JS, with clipping).
 * - `teleo, tf.train.adam`: the same network with tfjs's op-by-op Adam (no clipping).
 * - `autograd`: plain `tf.matMul` + `tf.add` + activation, differentiated by autograd with Teleo's
 *   registered gradients (explicit transposes on wasm, transpose flags elsewhere), + Teleo's Adam.
 * - `autograd, transposed matMul`: as above but the matMul gradient always uses `transposeA/transposeB`,
 *   as tfjs's own BatchMatMul gradient does.
 *
 *   npx tsx bench/nn-update.ts [--backends wasm,cpu] [--seconds 2] [--rounds 5]
 *
 * Each cell is the median over `--rounds` rounds of the mean ms per step (each round runs every variant
 * for `seconds / rounds`, interleaved, so background load affects all variants alike), after 3 warm-up
 * steps. In parentheses: tfjs kernel launches per step (load-independent). Fails if a variant leaks tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { countKernels } from './kernel-count.js';
import { initBackend, type BackendName } from '../src/core/backend.js';
import { Rng } from '../src/core/rng.js';
import { describeMachine } from '../src/cli/machine.js';
import { markdownTable } from '../src/cli/table.js';
import { Categorical } from '../src/nn/distributions/categorical.js';
import { MLP } from '../src/nn/mlp.js';
import { Adam } from '../src/nn/optim/adam.js';

interface NetCase {
  label: string;
  sizes: number[];
  activation: 'tanh' | 'relu';
  batch: number;
  loss: 'ppo' | 'mse';
}

const NETS: NetCase[] = [
  { label: 'PPO 4-64-64-3, batch 64', sizes: [4, 64, 64, 3], activation: 'tanh', batch: 64, loss: 'ppo' },
  { label: 'PPO 4-64-64-3, batch 256', sizes: [4, 64, 64, 3], activation: 'tanh', batch: 256, loss: 'ppo' },
  { label: 'SAC 23-256-256-1, batch 256', sizes: [23, 256, 256, 1], activation: 'relu', batch: 256, loss: 'mse' },
];

type Variant = 'teleo' | 'teleo, tf.train.adam' | 'autograd' | 'autograd, transposed matMul';
const VARIANTS: Variant[] = ['teleo', 'teleo, tf.train.adam', 'autograd', 'autograd, transposed matMul'];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/** matMul whose gradient uses transposed matMuls, like tfjs's registered BatchMatMul gradient. */
const matMulTransposedGrad = tf.customGrad((a, b, save) => {
  (save as tf.GradSaveFunc)([a as tf.Tensor, b as tf.Tensor]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy, [sa, sb]) => [tf.matMul(dy as tf.Tensor2D, sb as tf.Tensor2D, false, true), tf.matMul(sa as tf.Tensor2D, dy as tf.Tensor2D, true, false)],
  };
});

function plainForward(net: MLP, x: tf.Tensor, transposedGrad: boolean): tf.Tensor {
  let h = x;
  net.layers.forEach((layer, i) => {
    const z = tf.add(transposedGrad ? matMulTransposedGrad(h, layer.weight) : tf.matMul(h as tf.Tensor2D, layer.weight as tf.Tensor2D), layer.bias);
    const last = i === net.layers.length - 1;
    h = last ? z : net.activation === 'tanh' ? tf.tanh(z) : tf.relu(z);
  });
  return h;
}

/** A ready-to-run training step for one network and variant, and a function that frees it. */
function setup(net: NetCase, variant: Variant): { step: () => void; dispose: () => void } {
  const rng = Rng.fromSeed(0);
  const mlp = new MLP(net.sizes, net.activation, { rng, outputGain: net.loss === 'ppo' ? 0.01 : 1 });
  const [inDim] = net.sizes as [number];
  const x = tf.tensor2d(rng.fillNormal(new Float32Array(net.batch * inDim)), [net.batch, inDim]);
  const actions = tf.tensor1d(Int32Array.from({ length: net.batch }, () => rng.integers(0, 2)), 'int32');
  const targets = tf.tensor1d(rng.fillNormal(new Float32Array(net.batch)));
  const forward = (): tf.Tensor =>
    variant.startsWith('teleo') ? mlp.apply(x, { inputGrad: false }) : plainForward(mlp, x, variant === 'autograd, transposed matMul');
  const loss = (): tf.Scalar => {
    const out = forward();
    if (net.loss === 'mse') return tf.mean(tf.square(tf.sub(tf.reshape(out, [-1]), targets))) as tf.Scalar;
    const dist = new Categorical(tf.slice(out, [0, 0], [-1, 2]));
    const value = tf.reshape(tf.slice(out, [0, 2], [-1, 1]), [-1]);
    return tf.addN([
      tf.neg(tf.mean(dist.logProb(actions))),
      tf.mul(tf.mean(tf.square(tf.sub(value, targets))), 0.5),
      tf.mul(tf.mean(dist.entropy()), -0.01),
    ]) as tf.Scalar;
  };
  let step: () => void;
  let disposeOptimizer = () => {};
  if (variant === 'teleo, tf.train.adam') {
    const opt = tf.train.adam(3e-4, 0.9, 0.999, 1e-5);
    step = () => {
      const value = opt.minimize(loss, true, mlp.params.variables());
      value!.dataSync();
      value!.dispose();
    };
    disposeOptimizer = () => opt.dispose();
  } else {
    const opt = new Adam(mlp.params, { lr: 3e-4, eps: 1e-5, maxGradNorm: 0.5 });
    step = () => void opt.minimize(loss);
  }
  return {
    step,
    dispose: () => {
      disposeOptimizer();
      tf.dispose([x, actions, targets]);
      mlp.params.dispose();
    },
  };
}

/** Mean ms per step over as many steps as fit in `seconds` (at least 3). */
function timeSteps(step: () => void, seconds: number): number {
  let steps = 0;
  const t0 = performance.now();
  while (steps < 3 || performance.now() - t0 < seconds * 1000) {
    step();
    steps++;
  }
  return (performance.now() - t0) / steps;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Median over `rounds` of per-variant timings, the variants interleaved so machine load hits all alike. */
function measureNet(net: NetCase, rounds: number, seconds: number): { ms: number[]; kernels: number[] } {
  const runs = VARIANTS.map((v) => setup(net, v));
  for (const r of runs) for (let i = 0; i < 3; i++) r.step(); // warm-up (kernels, JIT, optimizer state)
  const kernels = runs.map((r) => countKernels(r.step));
  const before = tf.memory().numTensors;
  const samples: number[][] = VARIANTS.map(() => []);
  for (let round = 0; round < rounds; round++) runs.forEach((r, i) => samples[i]!.push(timeSteps(r.step, seconds / rounds)));
  if (tf.memory().numTensors !== before) throw new Error(`${net.label}: tensor leak (${before} → ${tf.memory().numTensors})`);
  runs.forEach((r) => r.dispose());
  return { ms: samples.map(median), kernels };
}

async function main(): Promise<void> {
  const backends = arg('backends', 'wasm,cpu').split(',') as BackendName[];
  const seconds = Number(arg('seconds', '2'));
  const rounds = Number(arg('rounds', '5'));
  console.log(`Machine: ${describeMachine()}\n`);
  for (const backend of backends) {
    const info = await initBackend(backend);
    console.log(`### ${backend} (tfjs-core ${info.version}${info.threads !== undefined ? `, ${info.threads} thread(s), SIMD ${info.simd}` : ''})\n`);
    const rows: string[][] = [];
    for (const net of NETS) {
      process.stderr.write(`${backend} | ${net.label} ... `);
      const { ms, kernels } = measureNet(net, rounds, seconds);
      process.stderr.write(`${ms.map((m) => m.toFixed(2)).join(' / ')} ms\n`);
      rows.push([net.label, ...ms.map((m, i) => `${m.toFixed(2)} (${kernels[i]})`)]);
    }
    console.log(markdownTable([{ header: 'network: ms per step (kernels per step)' }, ...VARIANTS.map((v) => ({ header: v, align: 'right' as const }))], rows));
    console.log();
  }
}

await main();
