/**
 * `MLPRewardModel`: a neural reward model q̂(x, a) for the direct method and doubly robust estimators,
 * trained with tfjs (Teleo's `MLP` and `Adam`) and usable wherever a `RewardModel` is (`fitPredict`,
 * `fitPredictCrossFit`). Unlike ridge/logistic it can represent context × action interactions under either
 * feature layout:
 * - `joint`: one network on [standardised x, action features] (one-hot when the log has none) → one output;
 * - `per-action`: one network on [standardised x] → nActions outputs, the loss seeing only the logged
 *   action's output (an action without training rounds predicts the mean training reward).
 * Loss `mse` (targets standardised by their training mean and spread) or `bce` (outputs are logits of a
 * probability; rewards must lie in [0, 1]); by default `bce` when every reward of the log is 0 or 1.
 *
 * The caller must `await initBackend()` (src/core/backend.ts) before `fit`: training runs tfjs ops
 * synchronously on the active backend. Everything random — initial weights and the minibatch order —
 * comes from Teleo's `Rng` seeded by `seed`, so a seed gives the same model on one backend. After `fit`
 * the weights are copied to JavaScript arrays and the tfjs variables disposed, so a fitted model holds no
 * tensors (cross-fitting creates many) and `predict` is a plain-JavaScript forward pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendInfo } from '../core/backend.js';
import { BackendUnavailableError, InvalidArgumentError, NumericalError, describeValue } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { Rng, assertValidSeed } from '../core/rng.js';
import type { BanditLog } from '../data/bandit-log.js';
import type { Activation } from '../nn/activations.js';
import { MLP } from '../nn/mlp.js';
import { Adam } from '../nn/optim/adam.js';
import type { FeatureLayout, RewardModel, RewardModelFitOptions } from './reward-models.js';

export type MLPRewardLoss = 'mse' | 'bce';

export interface MLPRewardModelOptions {
  /** Widths of the hidden layers (default [64, 64]). */
  hiddenSizes?: readonly number[];
  /** Hidden activation, 'relu' (default) or 'tanh'. */
  activation?: 'relu' | 'tanh';
  /** Passes over the training rounds (default 100). */
  epochs?: number;
  /** Rounds per Adam step (default 128, capped at the number of training rounds). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** L2 penalty ½·weightDecay·‖W‖² on the weight matrices, not the biases, added to the mean loss (default 1e-4). */
  weightDecay?: number;
  /** 'mse' or 'bce'; default: 'bce' when every reward of the log is 0 or 1, else 'mse'. */
  loss?: MLPRewardLoss;
  /** Feature layout (default 'joint', as the linear models). */
  features?: FeatureLayout;
  /** Seed of the initial weights and the minibatch order (default 0). */
  seed?: number;
}

const OPTION_KEYS = ['hiddenSizes', 'activation', 'epochs', 'batchSize', 'learningRate', 'weightDecay', 'loss', 'features', 'seed'];

/** What `fit` leaves behind: everything `predict` needs, in JavaScript arrays. */
interface FittedNetwork {
  loss: MLPRewardLoss;
  features: FeatureLayout;
  nActions: number;
  dimContext: number;
  /** joint: nActions × dimAction action features appended to the context. */
  actionFeatures: Float64Array;
  dimAction: number;
  /** Context standardisation: (x − mean) / scale. */
  inputMean: Float64Array;
  inputScale: Float64Array;
  /** mse: prediction = targetMean + targetScale · output. */
  targetMean: number;
  targetScale: number;
  /** per-action: whether action a had training rounds; unseen actions predict `fallback`. */
  seen: Uint8Array;
  /** Weighted mean training reward (as the linear models predict for an action without data). */
  fallback: number;
  /** Layer sizes [in, hidden..., out] and per-layer weights ([in, out], row-major) and biases. */
  sizes: number[];
  weights: Float32Array[];
  biases: Float32Array[];
  activation: Activation;
}

export class MLPRewardModel implements RewardModel {
  readonly name = 'MLPRewardModel';
  readonly hiddenSizes: readonly number[];
  readonly activation: 'relu' | 'tanh';
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly loss: MLPRewardLoss | undefined;
  readonly features: FeatureLayout;
  readonly seed: number;
  private readonly options: MLPRewardModelOptions;
  private fitted: FittedNetwork | undefined;
  private finalLoss = NaN;

  constructor(options: MLPRewardModelOptions = {}) {
    const owner = 'MLPRewardModel';
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`${owner} options must be an object, got ${describeValue(options)}`);
    checkOptions(owner, options, OPTION_KEYS);
    const { hiddenSizes = [64, 64], activation = 'relu', epochs = 100, batchSize = 128, learningRate = 1e-3, weightDecay = 1e-4, loss, features = 'joint', seed = 0 } = options;
    if (!Array.isArray(hiddenSizes) || !hiddenSizes.every((h) => Number.isSafeInteger(h) && h >= 1)) {
      throw new InvalidArgumentError(`${owner}: hiddenSizes must be an array of positive integers, got ${describeValue(hiddenSizes)}`);
    }
    if (activation !== 'relu' && activation !== 'tanh') throw new InvalidArgumentError(`${owner}: activation must be 'relu' or 'tanh', got ${describeValue(activation)}`);
    if (!Number.isSafeInteger(epochs) || epochs < 1) throw new InvalidArgumentError(`${owner}: epochs must be a positive integer, got ${describeValue(epochs)}`);
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`${owner}: batchSize must be a positive integer, got ${describeValue(batchSize)}`);
    if (typeof learningRate !== 'number' || !(learningRate > 0 && learningRate < Infinity)) {
      throw new InvalidArgumentError(`${owner}: learningRate must be a finite number > 0, got ${describeValue(learningRate)}`);
    }
    if (typeof weightDecay !== 'number' || !(weightDecay >= 0 && weightDecay < Infinity)) {
      throw new InvalidArgumentError(`${owner}: weightDecay must be a finite number >= 0, got ${describeValue(weightDecay)}`);
    }
    if (loss !== undefined && loss !== 'mse' && loss !== 'bce') throw new InvalidArgumentError(`${owner}: loss must be 'mse' or 'bce', got ${describeValue(loss)}`);
    if (features !== 'joint' && features !== 'per-action') {
      throw new InvalidArgumentError(`${owner}: features must be 'joint' or 'per-action', got ${describeValue(features)}`);
    }
    assertValidSeed(seed);
    this.hiddenSizes = [...hiddenSizes];
    this.activation = activation;
    this.epochs = epochs;
    this.batchSize = batchSize;
    this.learningRate = learningRate;
    this.weightDecay = weightDecay;
    this.loss = loss;
    this.features = features;
    this.seed = seed;
    this.options = { ...options, hiddenSizes: [...hiddenSizes] };
  }

  /** An unfitted model with the same settings (seed included). */
  clone(): MLPRewardModel {
    return new MLPRewardModel(this.options);
  }

  /**
   * Mean training loss per round over the last epoch of the last fit, before the weight penalty (bce: log
   * loss; mse: squared error in units of the standardised reward).
   */
  get trainingLoss(): number {
    return this.finalLoss;
  }

  fit(log: BanditLog, options: RewardModelFitOptions = {}): void {
    if (backendInfo() === null) {
      throw new BackendUnavailableError('none', `${this.name}.fit needs a tensor backend: call \`await initBackend()\` (from teleo's core) before fitting`);
    }
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`${this.name}.fit options must be an object, got ${describeValue(options)}`);
    checkOptions(`${this.name}.fit`, options, ['rows', 'sampleWeight']);
    const K = log.nActions;
    const d = log.dimContext;
    const rows = trainingRows(this.name, log, options);
    const w = options.sampleWeight;
    const loss = this.loss ?? (log.reward.every((r) => r === 0 || r === 1) ? 'bce' : 'mse');
    if (loss === 'bce') {
      for (const i of rows) {
        const r = log.reward[i]!;
        if (!(r >= 0 && r <= 1)) throw new InvalidArgumentError(`${this.name} with loss 'bce' needs rewards in [0, 1]; round ${i} has reward ${r} (use loss: 'mse')`);
      }
    }
    const n = rows.length;
    const weight = new Float64Array(n);
    let totalWeight = 0;
    for (let j = 0; j < n; j++) {
      weight[j] = w ? w[rows[j]!]! : 1;
      totalWeight += weight[j]!;
    }
    if (!(totalWeight > 0)) throw new InvalidArgumentError(`${this.name}.fit: sampleWeight is 0 on every training round`);

    const { inputMean, inputScale } = contextStandardisation(log, rows);
    const { targetMean, targetScale } = loss === 'mse' ? targetStandardisation(log.reward, rows, weight, totalWeight) : { targetMean: 0, targetScale: 1 };
    const seen = new Uint8Array(K);
    let fallback = 0;
    for (let j = 0; j < n; j++) {
      seen[log.action[rows[j]!]!] = 1;
      fallback += weight[j]! * log.reward[rows[j]!]!;
    }
    fallback /= totalWeight;
    const { actionFeatures, dimAction } = this.features === 'joint' ? actionFeatureTable(log) : { actionFeatures: new Float64Array(0), dimAction: 0 };
    const inDim = d + dimAction;
    const outDim = this.features === 'joint' ? 1 : K;

    // Training table in float32: inputs, targets, and (per-action) the logged action's one-hot mask.
    const inputs = new Float32Array(n * inDim);
    const targets = new Float32Array(n);
    const masks = this.features === 'per-action' ? new Float32Array(n * K) : undefined;
    for (let j = 0; j < n; j++) {
      const i = rows[j]!;
      for (let c = 0; c < d; c++) inputs[j * inDim + c] = (log.context[i * d + c]! - inputMean[c]!) / inputScale[c]!;
      const a = log.action[i]!;
      for (let c = 0; c < dimAction; c++) inputs[j * inDim + d + c] = actionFeatures[a * dimAction + c]!;
      if (masks) masks[j * K + a] = 1;
      targets[j] = (log.reward[i]! - targetMean) / targetScale;
    }
    // Weights enter as w_j / mean(w), so a minibatch mean is an unbiased estimate of the weighted mean loss.
    const meanWeight = totalWeight / n;
    const scaledWeight = new Float32Array(n);
    for (let j = 0; j < n; j++) scaledWeight[j] = weight[j]! / meanWeight;

    const rng = Rng.fromSeed(this.seed);
    const [initRng, orderRng] = rng.spawn(2) as [Rng, Rng];
    const sizes = [inDim, ...this.hiddenSizes, outDim];
    const net = new MLP(sizes, this.activation, { rng: initRng, init: 'torch', name: 'reward' });
    try {
      const adam = new Adam(net.params, { lr: this.learningRate });
      // Adam updates JavaScript copies of the parameters (written back to the variables after each step);
      // weight decay is added to the weight matrices' gradients there too, cheaper than extra tfjs ops.
      const variables = net.params.variables();
      const values = variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
      const names = net.params.names();
      const decays = names.map((name) => (name.endsWith('.weight') ? this.weightDecay : 0));
      const batch = Math.min(this.batchSize, n);
      const xb = new Float32Array(batch * inDim);
      const yb = new Float32Array(batch);
      const wb = new Float32Array(batch);
      const mb = masks ? new Float32Array(batch * K) : undefined;
      let epochLoss = NaN;
      for (let epoch = 0; epoch < this.epochs; epoch++) {
        const order = orderRng.permutation(n);
        let lossSum = 0;
        for (let start = 0; start < n; start += batch) {
          const size = Math.min(batch, n - start);
          for (let k = 0; k < size; k++) {
            const j = order[start + k]!;
            xb.set(inputs.subarray(j * inDim, (j + 1) * inDim), k * inDim);
            yb[k] = targets[j]!;
            wb[k] = scaledWeight[j]!;
            if (mb) mb.set(masks!.subarray(j * K, (j + 1) * K), k * K);
          }
          const x = tf.tensor2d(xb.subarray(0, size * inDim), [size, inDim]);
          const y = tf.tensor1d(yb.subarray(0, size));
          const wt = tf.tensor1d(wb.subarray(0, size));
          const mask = mb ? tf.tensor2d(mb.subarray(0, size * K), [size, K]) : undefined;
          let value: tf.Scalar | undefined;
          let grads: tf.NamedTensorMap | undefined;
          try {
            ({ value, grads } = tf.variableGrads(() => {
              const out = net.apply(x, { inputGrad: false });
              // The output that was observed: the only one (joint) or the logged action's (per-action).
              const z = mask ? tf.sum(tf.mul(out, mask), 1) : tf.reshape(out, [size]);
              // bce on logits: softplus(z) − y·z (stable for large |z|).
              const perRound = loss === 'mse' ? tf.squaredDifference(z, y) : tf.sub(tf.softplus(z), tf.mul(y, z));
              return tf.mean(tf.mul(perRound, wt)) as tf.Scalar;
            }, variables));
            lossSum += (value.dataSync() as Float32Array)[0]! * size;
            const gradients = variables.map((v, k) => {
              const g = Float32Array.from(grads![v.name]!.dataSync() as Float32Array);
              const decay = decays[k]!;
              if (decay > 0) for (let j = 0; j < g.length; j++) g[j] = g[j]! + decay * values[k]![j]!;
              return g;
            });
            adam.applyGradients(gradients, values);
          } finally {
            x.dispose();
            y.dispose();
            wt.dispose();
            mask?.dispose();
            value?.dispose();
            if (grads) tf.dispose(grads);
          }
          variables.forEach((v, k) => tf.tidy(() => v.assign(tf.tensor(values[k]!, v.shape, 'float32'))));
        }
        epochLoss = lossSum / n;
      }
      if (!Number.isFinite(epochLoss)) throw new NumericalError(`${this.name}.fit diverged (training loss ${epochLoss}); lower learningRate`);
      this.finalLoss = epochLoss;
      this.fitted = {
        loss,
        features: this.features,
        nActions: K,
        dimContext: d,
        actionFeatures,
        dimAction,
        inputMean,
        inputScale,
        targetMean,
        targetScale,
        seen,
        fallback,
        sizes,
        weights: values.filter((_, k) => names[k]!.endsWith('.weight')),
        biases: values.filter((_, k) => names[k]!.endsWith('.bias')),
        activation: this.activation,
      };
    } finally {
      net.params.dispose();
    }
  }

  predict(context: Float64Array, nRounds: number): Float64Array {
    const f = this.fitted;
    if (!f) throw new InvalidArgumentError(`${this.name}.predict called before fit`);
    const { nActions: K, dimContext: d, dimAction } = f;
    if (!Number.isSafeInteger(nRounds) || nRounds < 0 || !(context instanceof Float64Array) || context.length !== nRounds * d) {
      throw new InvalidArgumentError(`${this.name}.predict: context must be a Float64Array of nRounds × dimContext = ${nRounds} × ${d} values, got ${describeValue(context)}`);
    }
    const out = new Float64Array(nRounds * K);
    const input = new Float64Array(d + dimAction);
    const scratch = forwardScratch(f.sizes);
    for (let i = 0; i < nRounds; i++) {
      for (let c = 0; c < d; c++) input[c] = (context[i * d + c]! - f.inputMean[c]!) / f.inputScale[c]!;
      if (f.features === 'joint') {
        for (let a = 0; a < K; a++) {
          for (let c = 0; c < dimAction; c++) input[d + c] = f.actionFeatures[a * dimAction + c]!;
          out[i * K + a] = this.toReward(forward(f, input, scratch)[0]!);
        }
      } else {
        const z = forward(f, input, scratch);
        for (let a = 0; a < K; a++) out[i * K + a] = f.seen[a] ? this.toReward(z[a]!) : f.fallback;
      }
    }
    return out;
  }

  private toReward(z: number): number {
    const f = this.fitted!;
    return f.loss === 'bce' ? 1 / (1 + Math.exp(-z)) : f.targetMean + f.targetScale * z;
  }
}

/** One activation buffer per layer output. */
function forwardScratch(sizes: readonly number[]): Float64Array[] {
  return sizes.slice(1).map((s) => new Float64Array(s));
}

/** The network's raw output for one input row (the same computation as `Linear`, in float64). */
function forward(f: FittedNetwork, input: Float64Array, scratch: Float64Array[]): Float64Array {
  let h: Float64Array = input;
  const layers = f.weights.length;
  for (let l = 0; l < layers; l++) {
    const inSize = f.sizes[l]!;
    const outSize = f.sizes[l + 1]!;
    const W = f.weights[l]!;
    const b = f.biases[l]!;
    const next = scratch[l]!;
    for (let o = 0; o < outSize; o++) next[o] = b[o]!;
    for (let k = 0; k < inSize; k++) {
      const hk = h[k]!;
      if (hk === 0) continue;
      const row = k * outSize;
      for (let o = 0; o < outSize; o++) next[o] = next[o]! + hk * W[row + o]!;
    }
    if (l + 1 < layers) {
      if (f.activation === 'relu') for (let o = 0; o < outSize; o++) next[o] = Math.max(0, next[o]!);
      else for (let o = 0; o < outSize; o++) next[o] = Math.tanh(next[o]!);
    }
    h = next;
  }
  return h;
}

/** The rounds to train on (validated), with weights checked; zero-weight rounds are dropped. */
function trainingRows(owner: string, log: BanditLog, options: RewardModelFitOptions): Int32Array {
  const rows = options.rows ?? Int32Array.from({ length: log.nRounds }, (_, i) => i);
  if (!(rows instanceof Int32Array) || rows.length === 0) throw new InvalidArgumentError(`${owner}.fit: rows must be a non-empty Int32Array, got ${describeValue(rows)}`);
  for (let j = 0; j < rows.length; j++) {
    if (rows[j]! < 0 || rows[j]! >= log.nRounds) throw new InvalidArgumentError(`${owner}.fit: rows[${j}] = ${rows[j]} is outside [0, ${log.nRounds})`);
  }
  const w = options.sampleWeight;
  if (w === undefined) return rows;
  if (!(w instanceof Float64Array) || w.length !== log.nRounds) {
    throw new InvalidArgumentError(`${owner}.fit: sampleWeight must be a Float64Array of nRounds = ${log.nRounds} values`);
  }
  const kept: number[] = [];
  for (let j = 0; j < rows.length; j++) {
    const v = w[rows[j]!]!;
    if (!(v >= 0 && v < Infinity)) throw new InvalidArgumentError(`${owner}.fit: sampleWeight[${rows[j]}] must be finite and >= 0, got ${v}`);
    if (v > 0) kept.push(rows[j]!);
  }
  if (kept.length === 0) throw new InvalidArgumentError(`${owner}.fit: sampleWeight is 0 on every training round`);
  return Int32Array.from(kept);
}

/** Per-feature mean and standard deviation of the training contexts (scale 1 for a constant feature). */
function contextStandardisation(log: BanditLog, rows: Int32Array): { inputMean: Float64Array; inputScale: Float64Array } {
  const d = log.dimContext;
  const inputMean = new Float64Array(d);
  const inputScale = new Float64Array(d);
  for (const i of rows) for (let c = 0; c < d; c++) inputMean[c] = inputMean[c]! + log.context[i * d + c]!;
  for (let c = 0; c < d; c++) inputMean[c] = inputMean[c]! / rows.length;
  for (const i of rows) {
    for (let c = 0; c < d; c++) {
      const dev = log.context[i * d + c]! - inputMean[c]!;
      inputScale[c] = inputScale[c]! + dev * dev;
    }
  }
  for (let c = 0; c < d; c++) {
    const sd = Math.sqrt(inputScale[c]! / rows.length);
    inputScale[c] = sd > 1e-12 ? sd : 1;
  }
  return { inputMean, inputScale };
}

/** Weighted mean and standard deviation of the training rewards (scale 1 when they are all equal). */
function targetStandardisation(reward: Float64Array, rows: Int32Array, weight: Float64Array, totalWeight: number): { targetMean: number; targetScale: number } {
  let mean = 0;
  for (let j = 0; j < rows.length; j++) mean += weight[j]! * reward[rows[j]!]!;
  mean /= totalWeight;
  let variance = 0;
  for (let j = 0; j < rows.length; j++) variance += weight[j]! * (reward[rows[j]!]! - mean) ** 2;
  const sd = Math.sqrt(variance / totalWeight);
  return { targetMean: mean, targetScale: sd > 1e-12 ? sd : 1 };
}

/** The log's action features, or the one-hot encoding of actions when it has none (as the linear models). */
function actionFeatureTable(log: BanditLog): { actionFeatures: Float64Array; dimAction: number } {
  if (log.actionContext) return { actionFeatures: log.actionContext, dimAction: log.dimActionContext };
  const K = log.nActions;
  const actionFeatures = new Float64Array(K * K);
  for (let a = 0; a < K; a++) actionFeatures[a * K + a] = 1;
  return { actionFeatures, dimAction: K };
}
