/**
 * PPO's loss and its exact gradient with respect to every policy parameter, computed without tfjs's
 * autodiff tape. Why: a 64×64 actor-critic step through the tape runs ~260 tfjs kernels (~7 ms on the
 * single-threaded wasm backend, mostly dispatch), while the maths is a few matrix products. Here the
 * forward and backward passes run in JavaScript over Float32Array copies of the weights (tanh by
 * `nn/fast-tanh`), and the matrix products of more than a few thousand multiply-adds go to the tensor backend,
 * one `matMul` each (`BACKEND_MATMUL_MIN_MACS` decides; weight gradients only when dz is wide, not for heads).
 * Layer inputs uploaded in the forward pass stay on the backend for their weight gradient, and each dz is
 * uploaded once for both of its products. The loss-side derivatives are closed forms:
 *
 *   discrete:   ∂log π(a)/∂z_j = 1[j=a] − p_j,   ∂H/∂z_j = −p_j (log p_j + H)
 *   gaussian:   ∂log π/∂μ_d = (a_d − μ_d)/σ_d²,   ∂log π/∂log σ_d = (a_d − μ_d)²/σ_d² − 1,   ∂H/∂log σ_d = 1
 *   surrogate:  ∂L_pg/∂log π_i = −A_i·r_i/B where the unclipped term is the minimum or r_i lies inside
 *               [1−ε, 1+ε] (the clip passes gradient), else 0 — the same tie rules as the tfjs loss
 *   value:      ∂(c_vf·L_vf)/∂V_i = 2·c_vf·(V'_i − R_i)/B, times 1[|V_i − V_old,i| ≤ ε_vf] when clipped
 *
 * `ppoLoss` (loss.ts) is the tfjs reference; `test/ppo/fast-gradients.test.ts` checks both agree.
 */
import * as tf from '@tensorflow/tfjs-core';
import { tanhInPlace } from '../../nn/fast-tanh.js';
import type { PPOLossCoefficients } from './loss.js';

/** One dense layer over JS arrays: `weight` `[in, out]` row-major. */
export interface DenseParams {
  inDim: number;
  outDim: number;
  weight: Float32Array;
  bias: Float32Array;
  activation: 'tanh' | 'relu' | 'linear';
}

/**
 * Products with at least this many multiply-adds go to the tensor backend. On wasm a 256×4×64 product
 * round trip (upload, XNNPACK, read back) costs ~20 µs against ~120 µs in the JavaScript loop, a 256×64×64
 * one ~100 µs against ~500 µs; below a few thousand multiply-adds the ~15 µs dispatch dominates.
 */
export const BACKEND_MATMUL_MIN_MACS = 8192;

function onBackend(m: number, k: number, n: number): boolean {
  return m * k * n >= BACKEND_MATMUL_MIN_MACS;
}

/** The product of `a` (already on the backend) and `b` (+ bias per column), read back. */
function matMulBackend(a: tf.Tensor2D, b: Float32Array, k: number, n: number, bias?: Float32Array): Float32Array {
  const bt = tf.tensor2d(b, [k, n]);
  const biasT = bias === undefined ? undefined : tf.tensor1d(bias);
  const ct = biasT === undefined ? tf.matMul(a, bt) : tf.fused.matMul({ a, b: bt, bias: biasT });
  const c = ct.dataSync() as Float32Array;
  bt.dispose();
  biasT?.dispose();
  ct.dispose();
  return c;
}

/** C[m,n] = A[m,k]·B[k,n] (+ bias per column when given) in JavaScript, for small products. */
function matMulJs(a: Float32Array, b: Float32Array, m: number, k: number, n: number, bias?: Float32Array): Float32Array {
  // One dot product per output, accumulated in double and stored once.
  const c = new Float32Array(m * n);
  for (let r = 0; r < m; r++) {
    const ar = r * k;
    for (let j = 0; j < n; j++) {
      let acc = bias === undefined ? 0 : bias[j]!;
      for (let i = 0; i < k; i++) acc += a[ar + i]! * b[i * n + j]!;
      c[r * n + j] = acc;
    }
  }
  return c;
}

/**
 * C[k,n] = A[m,k]ᵀ·B[m,n] (weight gradients) in JavaScript, streaming over rows (no transpose), accumulated
 * in double over rows in order. The inner loop runs along the longer of k and n: a head's 1–2 outputs
 * would otherwise make it a loop of one or two.
 */
function matMulTNJs(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  if (n >= k) {
    const acc = new Float64Array(k * n);
    for (let r = 0; r < m; r++) {
      const br = r * n;
      for (let i = 0; i < k; i++) {
        const x = a[r * k + i]!;
        const o = i * n;
        for (let j = 0; j < n; j++) acc[o + j] += x * b[br + j]!;
      }
    }
    return Float32Array.from(acc);
  }
  const accT = new Float64Array(n * k); // [n, k]
  for (let r = 0; r < m; r++) {
    const ar = r * k;
    for (let j = 0; j < n; j++) {
      const x = b[r * n + j]!;
      const o = j * k;
      for (let i = 0; i < k; i++) accT[o + i] += a[ar + i]! * x;
    }
  }
  const c = new Float32Array(k * n);
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) c[i * n + j] = accT[j * k + i]!;
  return c;
}

/**
 * Whether a layer's weight gradient hᵀ·dz goes to the backend: when dz is wide. For a head's 1–2 outputs
 * the product streamed in JavaScript costs less than uploading h and transposing it there.
 */
function weightGradOnBackend(batch: number, inDim: number, outDim: number): boolean {
  return onBackend(batch, inDim, outDim) && outDim >= 16;
}

/** Whether hᵀ is made on the backend from the forward pass's upload (wide h) rather than in JavaScript. */
function transposeOnBackend(inDim: number): boolean {
  return inDim >= 16;
}

/** Row-major transpose of an `[m, n]` matrix. */
function transpose(a: Float32Array, m: number, n: number): Float32Array {
  const t = new Float32Array(m * n);
  for (let r = 0; r < m; r++) for (let j = 0; j < n; j++) t[j * m + r] = a[r * n + j]!;
  return t;
}

/**
 * Backend copies of layer inputs that the forward pass uploaded, kept for the weight gradients (index =
 * layer; saves uploading them again). `backwardLayers` disposes them; `disposeKept` after an error.
 */
export type KeptInputs = (tf.Tensor2D | undefined)[];

export function disposeKept(kept: KeptInputs): void {
  for (let i = 0; i < kept.length; i++) {
    kept[i]?.dispose();
    kept[i] = undefined;
  }
}

/**
 * Forward pass keeping every layer's output (index 0 is the input). With `kept`, the inputs of layers
 * computed on the backend stay there for `backwardLayers`.
 */
export function forwardLayers(layers: readonly DenseParams[], x: Float32Array, batch: number, kept?: KeptInputs): Float32Array[] {
  const outs: Float32Array[] = [x];
  let h = x;
  for (let li = 0; li < layers.length; li++) {
    const l = layers[li]!;
    let z: Float32Array;
    if (onBackend(batch, l.inDim, l.outDim)) {
      const at = tf.tensor2d(h, [batch, l.inDim]);
      z = matMulBackend(at, l.weight, l.inDim, l.outDim, l.bias);
      if (kept !== undefined && weightGradOnBackend(batch, l.inDim, l.outDim) && transposeOnBackend(l.inDim)) kept[li] = at;
      else at.dispose();
    } else z = matMulJs(h, l.weight, batch, l.inDim, l.outDim, l.bias);
    if (l.activation === 'tanh') tanhInPlace(z);
    else if (l.activation === 'relu') for (let i = 0; i < z.length; i++) if (!(z[i]! > 0)) z[i] = 0;
    outs.push(z);
    h = z;
  }
  return outs;
}

/**
 * Backward pass from dL/d(output) (`dOut`, `[batch, out]`, consumed) through `layers`; returns
 * [dW0, db0, dW1, db1, ...] in layer order. Disposes `kept` (from `forwardLayers`).
 */
export function backwardLayers(layers: readonly DenseParams[], outs: Float32Array[], dOut: Float32Array, batch: number, kept: KeptInputs = []): Float32Array[] {
  const grads: Float32Array[] = new Array(layers.length * 2);
  let dz = dOut;
  try {
    for (let li = layers.length - 1; li >= 0; li--) {
      const l = layers[li]!;
      const y = outs[li + 1]!;
      const n = l.outDim;
      // Through the activation, and the bias gradient (column sums) in the same pass.
      const db = new Float64Array(n);
      for (let r = 0; r < batch; r++) {
        const o = r * n;
        if (l.activation === 'tanh') {
          for (let j = 0; j < n; j++) {
            const yj = y[o + j]!;
            const g = Math.fround(dz[o + j]! * (1 - yj * yj)); // the float32 value dz keeps
            dz[o + j] = g;
            db[j] += g;
          }
        } else if (l.activation === 'relu') {
          for (let j = 0; j < n; j++) {
            if (!(y[o + j]! > 0)) dz[o + j] = 0;
            db[j] += dz[o + j]!;
          }
        } else for (let j = 0; j < n; j++) db[j] += dz[o + j]!;
      }
      const h = outs[li]!;
      const dWOnBackend = weightGradOnBackend(batch, l.inDim, n);
      const inputGradOnBackend = li > 0 && onBackend(batch, n, l.inDim);
      // dz goes up once and serves both products.
      const dzT = dWOnBackend || inputGradOnBackend ? tf.tensor2d(dz, [batch, n]) : null;
      try {
        if (dWOnBackend) {
          // An explicit transpose: matMul's transposeA flag leaves XNNPACK's fast path on wasm (src/nn/matmul.ts).
          let dW: tf.Tensor2D;
          if (transposeOnBackend(l.inDim)) {
            const hT = kept[li] ?? tf.tensor2d(h, [batch, l.inDim]);
            kept[li] = undefined;
            dW = tf.tidy(() => tf.matMul(tf.transpose(hT), dzT!));
            hT.dispose();
          } else {
            const hTransposed = tf.tensor2d(transpose(h, batch, l.inDim), [l.inDim, batch]);
            dW = tf.matMul(hTransposed, dzT!);
            hTransposed.dispose();
          }
          grads[li * 2] = dW.dataSync() as Float32Array;
          dW.dispose();
        } else grads[li * 2] = matMulTNJs(h, dz, batch, l.inDim, n);
        grads[li * 2 + 1] = Float32Array.from(db);
        if (inputGradOnBackend) dz = matMulBackend(dzT!, transpose(l.weight, l.inDim, n), n, l.inDim);
        else if (li > 0) dz = matMulJs(dz, transpose(l.weight, l.inDim, n), batch, n, l.inDim);
      } finally {
        dzT?.dispose();
      }
    }
  } finally {
    disposeKept(kept);
  }
  return grads;
}

export interface FastMinibatch {
  batch: number;
  observations: Float32Array;
  /** Int32Array (discrete) or Float32Array `[batch * actDim]`. */
  actions: Int32Array | Float32Array;
  oldLogProbs: ArrayLike<number>;
  advantages: ArrayLike<number>;
  returns: ArrayLike<number>;
  oldValues: ArrayLike<number>;
}

export interface FastLossResult {
  loss: number;
  /** `[policyGradientLoss, valueLoss, entropyLoss, approxKl, clipFraction]` (as `LOSS_STATS`). */
  stats: Float64Array;
  /** Gradients in parameter order: actor layers (W, b)…, critic layers (W, b)…, then logStd if any. */
  grads: Float32Array[];
}

export interface FastPolicyParams {
  actor: readonly DenseParams[];
  critic: readonly DenseParams[];
  /** Log standard deviations (continuous actions) or null (discrete). */
  logStd: Float32Array | null;
  /** Number of actions (discrete) or action dimensions. */
  actDim: number;
}

/** The PPO loss, its diagnostics and its gradient on one minibatch. */
export function ppoLossAndGradients(p: FastPolicyParams, mb: FastMinibatch, c: PPOLossCoefficients): FastLossResult {
  const actorKept: KeptInputs = [];
  const criticKept: KeptInputs = [];
  try {
    return lossAndGradients(p, mb, c, actorKept, criticKept);
  } finally {
    disposeKept(actorKept);
    disposeKept(criticKept);
  }
}

function lossAndGradients(p: FastPolicyParams, mb: FastMinibatch, c: PPOLossCoefficients, actorKept: KeptInputs, criticKept: KeptInputs): FastLossResult {
  const B = mb.batch;
  const A = p.actDim;
  const actorOuts = forwardLayers(p.actor, mb.observations, B, actorKept);
  const criticOuts = forwardLayers(p.critic, mb.observations, B, criticKept);
  const head = actorOuts[actorOuts.length - 1]!;
  const values = criticOuts[criticOuts.length - 1]!;
  const logp = new Float64Array(B);
  const entropy = new Float64Array(B);
  const probs = p.logStd === null ? new Float64Array(B * A) : null;
  if (p.logStd === null) {
    const actions = mb.actions as Int32Array;
    for (let i = 0; i < B; i++) {
      let max = -Infinity;
      for (let j = 0; j < A; j++) max = Math.max(max, head[i * A + j]!);
      let s = 0;
      for (let j = 0; j < A; j++) s += Math.exp(head[i * A + j]! - max);
      const lse = max + Math.log(s);
      let h = 0;
      for (let j = 0; j < A; j++) {
        const lp = head[i * A + j]! - lse;
        const pj = Math.exp(lp);
        probs![i * A + j] = pj;
        h -= pj * lp;
      }
      entropy[i] = h;
      logp[i] = head[i * A + actions[i]!]! - lse;
    }
  } else {
    const actions = mb.actions as Float32Array;
    const ls = p.logStd;
    let h = 0;
    for (let d = 0; d < A; d++) h += 0.5 + 0.5 * Math.log(2 * Math.PI) + ls[d]!;
    for (let i = 0; i < B; i++) {
      let lp = 0;
      for (let d = 0; d < A; d++) {
        const z = (actions[i * A + d]! - head[i * A + d]!) / Math.exp(ls[d]!);
        lp += -0.5 * z * z - ls[d]! - 0.5 * Math.log(2 * Math.PI);
      }
      logp[i] = lp;
      entropy[i] = h;
    }
  }
  // Surrogate, value and entropy terms with dL/dlog π and dL/dV.
  const eps = c.clipRange;
  const dLogp = new Float64Array(B);
  const dValues = new Float32Array(B);
  let pg = 0;
  let vl = 0;
  let ent = 0;
  let kl = 0;
  let clipped = 0;
  for (let i = 0; i < B; i++) {
    const logRatio = logp[i]! - mb.oldLogProbs[i]!;
    const ratio = Math.exp(logRatio);
    const adv = mb.advantages[i]!;
    const clippedRatio = Math.min(1 + eps, Math.max(1 - eps, ratio));
    const s1 = adv * ratio;
    const s2 = adv * clippedRatio;
    pg -= Math.min(s1, s2);
    const passes = s1 <= s2 || (ratio >= 1 - eps && ratio <= 1 + eps);
    dLogp[i] = passes ? (-adv * ratio) / B : 0;
    kl += ratio - 1 - logRatio;
    if (Math.abs(ratio - 1) > eps) clipped += 1;
    const v = values[i]!;
    let vPred = v;
    let vPass = 1;
    if (c.clipRangeVf !== null) {
      const diff = v - mb.oldValues[i]!;
      const cd = Math.min(c.clipRangeVf, Math.max(-c.clipRangeVf, diff));
      vPred = mb.oldValues[i]! + cd;
      vPass = diff >= -c.clipRangeVf && diff <= c.clipRangeVf ? 1 : 0;
    }
    const err = vPred - mb.returns[i]!;
    vl += err * err;
    dValues[i] = ((2 * c.vfCoef * err) / B) * vPass;
    ent += entropy[i]!;
  }
  const stats = Float64Array.of(pg / B, vl / B, -ent / B, kl / B, clipped / B);
  const loss = stats[0]! + c.entCoef * stats[2]! + c.vfCoef * stats[1]!;
  // dL/d(head).
  const dHead = new Float32Array(B * A);
  let dLogStd: Float32Array | null = null;
  if (p.logStd === null) {
    const actions = mb.actions as Int32Array;
    const k = c.entCoef / B;
    for (let i = 0; i < B; i++) {
      const g = dLogp[i]!;
      const h = entropy[i]!;
      for (let j = 0; j < A; j++) {
        const pj = probs![i * A + j]!;
        const logPj = pj > 0 ? Math.log(pj) : 0;
        dHead[i * A + j] = g * ((j === actions[i] ? 1 : 0) - pj) + k * pj * (logPj + h);
      }
    }
  } else {
    const actions = mb.actions as Float32Array;
    const ls = p.logStd;
    const dls = new Float64Array(A);
    for (let i = 0; i < B; i++) {
      const g = dLogp[i]!;
      for (let d = 0; d < A; d++) {
        const inv = Math.exp(-2 * ls[d]!);
        const diff = actions[i * A + d]! - head[i * A + d]!;
        dHead[i * A + d] = g * diff * inv;
        dls[d] += g * (diff * diff * inv - 1);
      }
    }
    dLogStd = new Float32Array(A);
    for (let d = 0; d < A; d++) dLogStd[d] = dls[d]! - c.entCoef;
  }
  const grads = [...backwardLayers(p.actor, actorOuts, dHead, B, actorKept), ...backwardLayers(p.critic, criticOuts, dValues, B, criticKept)];
  if (dLogStd !== null) grads.push(dLogStd);
  return { loss, stats, grads };
}
