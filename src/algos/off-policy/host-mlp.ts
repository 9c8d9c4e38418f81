/**
 * `HostMLP`: an `MLP` whose parameters are mirrored in JavaScript Float32Arrays, with explicit forward and
 * backward passes that send only the large matrix products to the tensor backend (one plain `matMul`
 * each) and do everything else — activations, their derivatives, bias sums, heads of one or two outputs —
 * in JavaScript. Why: on single-threaded wasm the SAC/TD3 update is bound by 256×256×256 products
 * (~1.3 ms each, plus ~0.2 ms for XNNPACK to pack the right operand); explicit tfjs passes add hundreds of
 * small kernels and transposes around the 14 products that matter. Measured, the saving is modest
 * (~10% of a SAC step, `docs/benchmarks.md`): the products dominate.
 *
 * The backward pass keeps dL/dz in *transposed* layout dzᵀ `[out, batch]`, so no product needs a
 * transpose on the backend (wasm's transposed matMul is 5–14× slower, `src/nn/matmul.ts`):
 *   dWᵀ = dzᵀ · h        (h: the layer input `[batch, in]`, still on the backend from the forward pass)
 *   dhᵀ = W · dzᵀ        (W `[in, out]` as stored), which is the next layer's dzᵀ after the activation,
 * and dzᵀ is uploaded once for both. Only dWᵀ `[out, in]` is transposed, in JavaScript.
 *
 * Parameters: the host arrays are the working copy; optimizers update them in place (`Adam.applyGradients`
 * with `values`) and `push()` uploads them into the MLP's variables. Anyone else assigning the variables
 * (checkpoint load, `setWeights`) is noticed through the variables' data ids and pulled by `sync()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../../nn/activations.js';
import { tanhInPlace } from '../../nn/fast-tanh.js';
import type { MLP } from '../../nn/mlp.js';
import type { Adam } from '../../nn/optim/adam.js';

/** Products with at least this many multiply-adds go to the backend (below, dispatch costs more than JS). */
export const HOST_BACKEND_MIN_MACS = 8192;
/**
 * ...and at least this many rows: XNNPACK packs the right operand afresh for every new tensor (≈ 0.2 ms for
 * 256×256, more than the whole product costs in JavaScript for a few rows — acting on one observation).
 */
export const HOST_BACKEND_MIN_ROWS = 4;

function onBackend(m: number, k: number, n: number): boolean {
  return m * k * n >= HOST_BACKEND_MIN_MACS && m >= HOST_BACKEND_MIN_ROWS;
}

/**
 * One forward pass: every layer's input and output in JavaScript, and backend copies of layer inputs.
 * The output arrays belong to the `HostMLP` and are reused by its next `forward` with the same batch size.
 */
export interface HostTrace {
  batch: number;
  /** `inputs[i]` is layer i's input `[batch, in_i]`; `outputs[i]` its activated output `[batch, out_i]`. */
  inputs: Float32Array[];
  outputs: Float32Array[];
  /** Backend copies of layer inputs (for the weight gradients), or undefined. Freed by `release`. */
  tensors: (tf.Tensor2D | undefined)[];
}

export interface HostBackwardResult {
  /**
   * Gradients in the MLP's parameter order (weight `[in, out]`, bias per layer); empty without
   * `paramGrads`. Reused by the next `backward` with the same batch size.
   */
  grads: Float32Array[];
  /** dL/d input in transposed layout `[in_0, batch]` when `inputGrad`, else null (also reused). */
  dInputT: Float32Array | null;
}

/** Preallocated arrays for one batch size (no per-step allocation of layer-sized arrays). */
interface Workspace {
  outputs: Float32Array[];
  /** dL/d(layer i's input), transposed `[in_i, batch]`. */
  dInT: Float32Array[];
  /** dWᵀ `[out_i, in_i]` as read back. */
  dWT: Float32Array[];
  grads: Float32Array[];
}

export class HostMLP {
  readonly net: MLP;
  /** Per layer `[in, out]` row-major, the working copy of the weights. */
  readonly weights: Float32Array[];
  readonly biases: Float32Array[];
  readonly sizes: readonly number[];
  private readonly activations: Activation[];
  /** Data ids of the variables when host and variables last agreed. */
  private readonly syncedIds: unknown[];
  private readonly workspaces = new Map<number, Workspace>();

  constructor(net: MLP) {
    this.net = net;
    this.sizes = net.sizes;
    this.activations = net.layers.map((l) => l.activation);
    this.weights = net.layers.map((l) => new Float32Array(l.weight.size));
    this.biases = net.layers.map((l) => new Float32Array(l.bias.size));
    this.syncedIds = new Array(2 * net.layers.length).fill(null);
    this.sync();
  }

  private workspace(batch: number): Workspace {
    let ws = this.workspaces.get(batch);
    if (ws === undefined) {
      const n = this.weights.length;
      const sizes = this.sizes;
      ws = {
        outputs: Array.from({ length: n }, (_, i) => new Float32Array(batch * sizes[i + 1]!)),
        dInT: Array.from({ length: n }, (_, i) => new Float32Array(batch * sizes[i]!)),
        dWT: Array.from({ length: n }, (_, i) => new Float32Array(sizes[i]! * sizes[i + 1]!)),
        grads: Array.from({ length: 2 * n }, (_, k) => new Float32Array(k % 2 === 0 ? sizes[k / 2]! * sizes[k / 2 + 1]! : sizes[(k - 1) / 2 + 1]!)),
      };
      // Acting uses batch 1–nEnvs and training one batch size: keep at most a few.
      if (this.workspaces.size >= 4) this.workspaces.clear();
      this.workspaces.set(batch, ws);
    }
    return ws;
  }

  /** The host arrays in parameter order (weight, bias per layer), e.g. for `Adam.applyGradients(g, values)`. */
  values(): Float32Array[] {
    const out: Float32Array[] = [];
    for (let i = 0; i < this.weights.length; i++) out.push(this.weights[i]!, this.biases[i]!);
    return out;
  }

  /** Pulls any variable that was assigned from outside since the last `push`/`sync`. */
  sync(): void {
    this.net.layers.forEach((layer, i) => {
      for (const [k, variable, host] of [
        [2 * i, layer.weight, this.weights[i]!],
        [2 * i + 1, layer.bias, this.biases[i]!],
      ] as const) {
        if (this.syncedIds[k] === variable.dataId) continue;
        host.set(variable.dataSync() as Float32Array);
        this.syncedIds[k] = variable.dataId;
      }
    });
  }

  /** Uploads the host arrays into the variables. */
  push(): void {
    this.net.layers.forEach((layer, i) => {
      for (const [k, variable, host] of [
        [2 * i, layer.weight, this.weights[i]!],
        [2 * i + 1, layer.bias, this.biases[i]!],
      ] as const) {
        const t = tf.tensor(host, variable.shape, 'float32');
        variable.assign(t);
        t.dispose();
        this.syncedIds[k] = variable.dataId;
      }
    });
  }

  /** One optimizer step on the host arrays (gradients in `values()` order), then uploads them. */
  applyGradients(optimizer: Adam, grads: readonly Float32Array[]): void {
    optimizer.applyGradients(grads as Float32Array[], this.values());
    this.push();
  }

  /** Polyak update of this (target) network towards `source` (τ = 1 copies), then uploads it. */
  softUpdateFrom(source: HostMLP, tau: number): void {
    polyakHost(this.values(), source.values(), tau);
    this.push();
  }

  /**
   * Forward pass on x `[batch, in]` (kept by reference until `backward`). With `keep`, the backend copies
   * of layer inputs stay in the trace for `backward` (call it, or `release`, after); without, the trace
   * holds JavaScript arrays only.
   */
  forward(x: Float32Array, batch: number, keep: boolean): HostTrace {
    const n = this.weights.length;
    const ws = this.workspace(batch);
    const trace: HostTrace = { batch, inputs: [], outputs: [], tensors: new Array(n).fill(undefined) };
    let h = x;
    let hT: tf.Tensor2D | undefined;
    try {
      for (let i = 0; i < n; i++) {
        const inDim = this.sizes[i]!;
        const outDim = this.sizes[i + 1]!;
        const act = this.activations[i]!;
        const y = ws.outputs[i]!;
        trace.inputs.push(h);
        let yT: tf.Tensor2D | undefined;
        if (onBackend(batch, inDim, outDim)) {
          hT ??= tf.tensor2d(h, [batch, inDim]);
          const layer = this.net.layers[i]!;
          const fused = act === 'relu' ? 'relu' : 'linear';
          yT = tf.fused.matMul({ a: hT, b: layer.weight as tf.Tensor2D, bias: layer.bias, activation: fused }) as tf.Tensor2D;
          readInto(yT, y);
          if (keep) trace.tensors[i] = hT;
          else hT.dispose();
          if (act === 'tanh') {
            tanhInPlace(y);
            yT.dispose();
            yT = undefined; // the backend copy is pre-tanh: the next layer uploads y
          }
        } else {
          hT?.dispose();
          matMulBias(h, this.weights[i]!, this.biases[i]!, batch, inDim, outDim, y);
          if (act === 'relu') reluInPlace(y);
          else if (act === 'tanh') tanhInPlace(y);
        }
        trace.outputs.push(y);
        h = y;
        hT = yT;
      }
      hT?.dispose();
    } catch (err) {
      hT?.dispose();
      HostMLP.release(trace);
      throw err;
    }
    return trace;
  }

  /** Frees the backend copies a kept trace holds. */
  static release(trace: HostTrace): void {
    for (let i = 0; i < trace.tensors.length; i++) {
      trace.tensors[i]?.dispose();
      trace.tensors[i] = undefined;
    }
  }

  /**
   * Back-propagates dL/d output given in transposed layout `dOutT` `[out, batch]` (overwritten) through a
   * trace from `forward(…, keep = true)`; releases the trace's tensors.
   */
  backward(trace: HostTrace, dOutT: Float32Array, options: { paramGrads: boolean; inputGrad: boolean }): HostBackwardResult {
    const n = this.weights.length;
    const B = trace.batch;
    const ws = this.workspace(B);
    const grads: Float32Array[] = options.paramGrads ? ws.grads : [];
    let dzT = dOutT;
    let dInputT: Float32Array | null = null;
    try {
      for (let i = n - 1; i >= 0; i--) {
        const inDim = this.sizes[i]!;
        const outDim = this.sizes[i + 1]!;
        // Through the activation, with the bias gradient (row sums of dzᵀ) in the same pass.
        activationBackwardT(dzT, trace.outputs[i]!, this.activations[i]!, B, outDim, options.paramGrads ? ws.grads[2 * i + 1]! : null);
        const needInput = i > 0 || options.inputGrad;
        const wide = onBackend(B, inDim, outDim) && outDim >= 16;
        const dzTensor = wide && (options.paramGrads || needInput) ? tf.tensor2d(dzT, [outDim, B]) : null;
        try {
          if (options.paramGrads) {
            const dW = ws.grads[2 * i]!;
            if (wide) {
              const h = trace.tensors[i] ?? tf.tensor2d(trace.inputs[i]!, [B, inDim]);
              trace.tensors[i] = undefined;
              const dWT = tf.matMul(dzTensor!, h);
              h.dispose();
              readInto(dWT, ws.dWT[i]!);
              dWT.dispose();
              transposeInto(ws.dWT[i]!, outDim, inDim, dW);
            } else weightGradJs(trace.inputs[i]!, dzT, B, inDim, outDim, dW);
          }
          if (needInput) {
            const dhT = ws.dInT[i]!;
            if (wide) {
              const t = tf.matMul(this.net.layers[i]!.weight as tf.Tensor2D, dzTensor!);
              readInto(t, dhT);
              t.dispose();
            } else inputGradJs(this.weights[i]!, dzT, B, inDim, outDim, dhT);
            if (i === 0) dInputT = dhT;
            else dzT = dhT;
          }
        } finally {
          dzTensor?.dispose();
        }
      }
    } finally {
      HostMLP.release(trace);
    }
    return { grads, dInputT };
  }
  /**
   * dL/d input for a subset of the batch rows only, from a trace of `forward` (kept or not): `dOutT`
   * `[out, n]` holds dL/d output of rows `rows[0..n)` (overwritten). Returns dL/d input of those rows,
   * transposed `[in_0, n]` (a view into a reused buffer). Why: SAC's actor loss takes min(Q1, Q2) per row,
   * so each critic passes gradient back for its own rows only — half the batch each on average — and the
   * two critics' input gradients together cost one batch-sized product instead of two.
   */
  inputGradRows(trace: HostTrace, dOutT: Float32Array, rows: Int32Array, n: number): Float32Array {
    const ws = this.workspace(trace.batch);
    let dzT = dOutT;
    for (let i = this.weights.length - 1; i >= 0; i--) {
      const inDim = this.sizes[i]!;
      const outDim = this.sizes[i + 1]!;
      const y = trace.outputs[i]!;
      const act = this.activations[i]!;
      for (let j = 0; j < outDim; j++) {
        const o = j * n;
        if (act === 'relu') for (let c = 0; c < n; c++) dzT[o + c] *= +(y[rows[c]! * outDim + j]! > 0);
        else if (act === 'tanh') {
          for (let c = 0; c < n; c++) {
            const v = y[rows[c]! * outDim + j]!;
            dzT[o + c] = dzT[o + c]! * (1 - v * v);
          }
        }
      }
      const dhT = ws.dInT[i]!.subarray(0, inDim * n);
      if (n > 0 && onBackend(n, inDim, outDim) && outDim >= 16) {
        const dzTensor = tf.tensor2d(dzT.subarray(0, outDim * n), [outDim, n]);
        const t = tf.matMul(this.net.layers[i]!.weight as tf.Tensor2D, dzTensor);
        dzTensor.dispose();
        readInto(t, dhT);
        t.dispose();
      } else inputGradJs(this.weights[i]!, dzT, n, inDim, outDim, dhT);
      dzT = dhT;
    }
    return dzT;
  }
}


/**
 * Copies a float32 tensor's values into `out`. On wasm straight from the module's heap (no intermediate
 * array: `dataSync` allocates a copy per call, and the garbage it makes was ~8% of a SAC step).
 */
export function readInto(t: tf.Tensor, out: Float32Array): void {
  const backend = tf.backend() as unknown as { dataIdMap?: { get(id: unknown): { memoryOffset?: number } | undefined }; wasm?: { HEAPF32?: Float32Array } };
  const offset = backend.wasm?.HEAPF32 !== undefined ? backend.dataIdMap?.get(t.dataId)?.memoryOffset : undefined;
  if (typeof offset === 'number') {
    const start = offset >>> 2;
    out.set(backend.wasm!.HEAPF32!.subarray(start, start + t.size));
  } else out.set(t.dataSync() as Float32Array);
}

/** max(0, y) in place. */
function reluInPlace(y: Float32Array): void {
  for (let j = 0; j < y.length; j++) if (!(y[j]! > 0)) y[j] = 0;
}

/**
 * dzᵀ ← dyᵀ ⊙ act'(y) in place, with y `[batch, out]` batch-major and dyᵀ `[out, batch]`, and the row sums
 * of dzᵀ (the bias gradient) into `db` when given. The ReLU mask multiplies by the 0/1 value of y > 0 (as
 * tfjs's dy·step(y)) rather than branching: a data-dependent branch mispredicts on about half the entries
 * and was ~2.5× slower.
 */
function activationBackwardT(dyT: Float32Array, y: Float32Array, act: Activation, B: number, outDim: number, db: Float32Array | null): void {
  for (let j = 0; j < outDim; j++) {
    const o = j * B;
    let s = 0;
    if (act === 'relu') {
      for (let r = 0; r < B; r++) {
        const g = dyT[o + r]! * +(y[r * outDim + j]! > 0);
        dyT[o + r] = g;
        s += g;
      }
    } else if (act === 'tanh') {
      for (let r = 0; r < B; r++) {
        const v = y[r * outDim + j]!;
        const g = Math.fround(dyT[o + r]! * (1 - v * v)); // the float32 value dzᵀ keeps
        dyT[o + r] = g;
        s += g;
      }
    } else {
      for (let r = 0; r < B; r++) s += dyT[o + r]!;
    }
    if (db !== null) db[j] = s;
  }
}

/** y = x·W + b for x `[m, k]`, W `[k, n]` in JavaScript (small products). */
function matMulBias(x: Float32Array, w: Float32Array, b: Float32Array, m: number, k: number, n: number, y: Float32Array): void {
  for (let r = 0; r < m; r++) {
    const xr = r * k;
    const yr = r * n;
    for (let j = 0; j < n; j++) y[yr + j] = b[j]!;
    for (let i = 0; i < k; i++) {
      const xv = x[xr + i]!;
      const wr = i * n;
      for (let j = 0; j < n; j++) y[yr + j] += xv * w[wr + j]!;
    }
  }
}

/** dW `[k, n]` = hᵀ·dz from h `[m, k]` and dzᵀ `[n, m]` in JavaScript (narrow layers), summed in double. */
function weightGradJs(h: Float32Array, dzT: Float32Array, m: number, k: number, n: number, dW: Float32Array): void {
  const acc = new Float64Array(k);
  for (let j = 0; j < n; j++) {
    acc.fill(0);
    const o = j * m;
    for (let r = 0; r < m; r++) {
      const g = dzT[o + r]!;
      const hr = r * k;
      for (let i = 0; i < k; i++) acc[i] += h[hr + i]! * g;
    }
    for (let i = 0; i < k; i++) dW[i * n + j] = acc[i]!;
  }
}

/** dhᵀ `[k, m]` = W·dzᵀ from W `[k, n]` and dzᵀ `[n, m]` in JavaScript (narrow layers: n is small). */
function inputGradJs(w: Float32Array, dzT: Float32Array, m: number, k: number, n: number, dhT: Float32Array): void {
  for (let i = 0; i < k; i++) {
    const o = i * m;
    const w0 = w[i * n]!;
    for (let r = 0; r < m; r++) dhT[o + r] = w0 * dzT[r]!;
    for (let j = 1; j < n; j++) {
      const wv = w[i * n + j]!;
      const oj = j * m;
      for (let r = 0; r < m; r++) dhT[o + r] += wv * dzT[oj + r]!;
    }
  }
}

/** Row-major transpose of `a` `[m, n]` into `t` `[n, m]`. */
export function transposeInto(a: Float32Array, m: number, n: number, t: Float32Array): void {
  for (let r = 0; r < m; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) t[j * m + r] = a[o + j]!;
  }
}

/** target ← τ·source + (1 − τ)·target, array by array (Polyak averaging of host copies; τ = 1 copies). */
export function polyakHost(target: readonly Float32Array[], source: readonly Float32Array[], tau: number): void {
  for (let p = 0; p < source.length; p++) {
    const s = source[p]!;
    const t = target[p]!;
    if (tau === 1) t.set(s);
    else for (let i = 0; i < s.length; i++) t[i] = tau * s[i]! + (1 - tau) * t[i]!;
  }
}
