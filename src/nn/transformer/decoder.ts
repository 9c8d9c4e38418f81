/**
 * `CausalDecoder`: a small GPT-style decoder-only transformer in tfjs for sequence policies.
 *
 * Architecture: token + learned absolute position embeddings; `nLayers` pre-LN blocks
 * (x += Attn(LN(x)); x += MLP(LN(x))) with multi-head causal self-attention (one fused QKV projection,
 * all heads in one batched matMul) and a ReLU MLP (ReLU rather than GELU: it fuses into the matMul, one
 * op instead of ~8 — per-op dispatch dominates at these sizes); a final LayerNorm; an untied output
 * projection with bias (untied avoids a transposed embedding matrix on every forward).
 * Initialisation as GPT-2, drawn from Teleo's `Rng`: weights N(0, 0.02), the two residual projections
 * per block N(0, 0.02/√(2·nLayers)), biases 0, LayerNorm γ = 1, β = 0.
 *
 * Only kernels with registered gradients are used (`../gradients.ts`); transposed products go through
 * `matMulT` (explicit transposes on wasm). Generation lives in `generate.ts`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../gradients.js';
import { InvalidArgumentError, InvalidStateError } from '../../core/errors.js';
import { Rng, assertValidSeed } from '../../core/rng.js';
import { matMulT } from '../matmul.js';
import { ParameterCollection } from '../parameters.js';
import { generate, type GenerateOptions, type Generation } from './generate.js';
import { dense } from './dense.js';
import { layerNorm } from './layer-norm.js';

export interface DecoderConfig {
  /** Vocabulary size (`Tokenizer.vocabSize`, specials included). */
  vocabSize: number;
  /** Longest sequence (prompt + response) the model accepts: the number of position embeddings. */
  contextLength: number;
  /** Residual width (default 64). */
  dModel?: number;
  /** Number of blocks (default 2). */
  nLayers?: number;
  /** Attention heads (default 4); must divide dModel. */
  nHeads?: number;
  /** MLP hidden width (default 4·dModel). */
  dMlp?: number;
}

/** Additive attention bias for disallowed keys: exp underflows to exactly 0, and a fully masked row stays finite. */
export const MASKED = -1e9;

const INIT_STD = 0.02;

interface BlockParams {
  ln1g: tf.Variable;
  ln1b: tf.Variable;
  wqkv: tf.Variable;
  bqkv: tf.Variable;
  wo: tf.Variable;
  bo: tf.Variable;
  ln2g: tf.Variable;
  ln2b: tf.Variable;
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
  b2: tf.Variable;
}

/**
 * Keys and values of one layer for the whole batch, head-major, both `[H·B, T, dh]`: a step appends along
 * axis 1, which copies contiguous rows (appending along the last axis, as a pre-transposed kᵀ would need,
 * is a strided copy and made the concat the costliest kernel of a decoding step).
 */
export interface LayerCache {
  k: tf.Tensor3D;
  v: tf.Tensor3D;
}

export function checkDecoderConfig(config: DecoderConfig): Required<DecoderConfig> {
  if (typeof config !== 'object' || config === null) throw new InvalidArgumentError('CausalDecoder needs a config object');
  const known = ['vocabSize', 'contextLength', 'dModel', 'nLayers', 'nHeads', 'dMlp'];
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) throw new InvalidArgumentError(`CausalDecoder config has an unknown key '${key}' (accepted: ${known.join(', ')})`);
  }
  const dModel = config.dModel ?? 64;
  const full: Required<DecoderConfig> = {
    vocabSize: config.vocabSize,
    contextLength: config.contextLength,
    dModel,
    nLayers: config.nLayers ?? 2,
    nHeads: config.nHeads ?? 4,
    dMlp: config.dMlp ?? 4 * dModel,
  };
  for (const [key, value] of Object.entries(full)) {
    if (!Number.isSafeInteger(value) || (value as number) < 1) throw new InvalidArgumentError(`CausalDecoder config.${key} must be a positive integer, got ${value}`);
  }
  if (full.vocabSize < 4) throw new InvalidArgumentError(`CausalDecoder config.vocabSize must be ≥ 4 (3 special tokens + 1), got ${full.vocabSize}`);
  if (full.contextLength < 2) throw new InvalidArgumentError(`CausalDecoder config.contextLength must be ≥ 2, got ${full.contextLength}`);
  if (full.dModel % full.nHeads !== 0) throw new InvalidArgumentError(`CausalDecoder config.dModel (${full.dModel}) must be divisible by nHeads (${full.nHeads})`);
  return full;
}

export class CausalDecoder {
  readonly config: Required<DecoderConfig>;
  readonly params: ParameterCollection;
  private readonly tokEmb: tf.Variable;
  private readonly posEmb: tf.Variable;
  private readonly blocks: BlockParams[] = [];
  private readonly lnFg: tf.Variable;
  private readonly lnFb: tf.Variable;
  private readonly headW: tf.Variable;
  private readonly headB: tf.Variable;
  private disposed = false;

  constructor(config: DecoderConfig, seed: number) {
    this.config = checkDecoderConfig(config);
    assertValidSeed(seed);
    const rng = Rng.fromSeed(seed);
    const { vocabSize: V, contextLength: C, dModel: d, nLayers, dMlp } = this.config;
    const p = (this.params = new ParameterCollection());
    const normal = (size: number, std: number) => rng.fillNormal(new Float32Array(size), 0, std);
    const ones = (n: number) => new Float32Array(n).fill(1);
    const residualStd = INIT_STD / Math.sqrt(2 * nLayers);
    this.tokEmb = p.add('tokEmb', [V, d], normal(V * d, INIT_STD));
    this.posEmb = p.add('posEmb', [C, d], normal(C * d, INIT_STD));
    for (let l = 0; l < nLayers; l++) {
      const n = `blocks.${l}`;
      this.blocks.push({
        ln1g: p.add(`${n}.ln1.gamma`, [d], ones(d)),
        ln1b: p.add(`${n}.ln1.beta`, [d], new Float32Array(d)),
        wqkv: p.add(`${n}.attn.wqkv`, [d, 3 * d], normal(d * 3 * d, INIT_STD)),
        bqkv: p.add(`${n}.attn.bqkv`, [3 * d], new Float32Array(3 * d)),
        wo: p.add(`${n}.attn.wo`, [d, d], normal(d * d, residualStd)),
        bo: p.add(`${n}.attn.bo`, [d], new Float32Array(d)),
        ln2g: p.add(`${n}.ln2.gamma`, [d], ones(d)),
        ln2b: p.add(`${n}.ln2.beta`, [d], new Float32Array(d)),
        w1: p.add(`${n}.mlp.w1`, [d, dMlp], normal(d * dMlp, INIT_STD)),
        b1: p.add(`${n}.mlp.b1`, [dMlp], new Float32Array(dMlp)),
        w2: p.add(`${n}.mlp.w2`, [dMlp, d], normal(dMlp * d, residualStd)),
        b2: p.add(`${n}.mlp.b2`, [d], new Float32Array(d)),
      });
    }
    this.lnFg = p.add('lnF.gamma', [d], ones(d));
    this.lnFb = p.add('lnF.beta', [d], new Float32Array(d));
    this.headW = p.add('head.weight', [d, V], normal(d * V, INIT_STD));
    this.headB = p.add('head.bias', [V], new Float32Array(V));
  }

  /**
   * Differentiable per-token log-probs of right-padded sequences `tokens` (`batch × length`, row-major):
   * entry [b, t] = log p(tokens[b, t+1] | tokens[b, 0..t]) for t = 0..length−2.
   */
  tokenLogProbs(tokens: Int32Array, batch: number, length: number): tf.Tensor2D {
    return this.scoreTokens(tokens, batch, length, false).logProbs;
  }

  /** `tokenLogProbs` plus the entropy (nats) of each next-token distribution, both `[batch, length−1]`. */
  tokenLogProbsAndEntropy(tokens: Int32Array, batch: number, length: number): { logProbs: tf.Tensor2D; entropy: tf.Tensor2D } {
    const out = this.scoreTokens(tokens, batch, length, true);
    return { logProbs: out.logProbs, entropy: out.entropy! };
  }

  /**
   * Next-token logits at every position of right-padded sequences: `[batch, length, vocab]`, entry
   * [b, t] scoring tokens[b, t+1] given tokens[b, 0..t] (differentiable; for full-distribution losses and tests).
   */
  nextTokenLogits(tokens: Int32Array, batch: number, length: number): tf.Tensor3D {
    this.checkTokens(tokens, batch, length, 'nextTokenLogits', 1);
    return tf.tidy(() => tf.reshape(this.head(this.hidden(tokens, batch, length)), [batch, length, this.config.vocabSize]) as tf.Tensor3D);
  }

  /** Batched sampling with a KV cache (see `generate.ts`). */
  generate(prompts: readonly Int32Array[], options: GenerateOptions): Generation {
    this.checkAlive();
    return generate(this, prompts, options);
  }

  /** A copy of every parameter's values by name. */
  getWeights(): Map<string, Float32Array> {
    this.checkAlive();
    return new Map(Object.entries(this.params.getWeights()));
  }

  /** Assigns every parameter by name (all checked before any is assigned). */
  setWeights(weights: Map<string, Float32Array>): void {
    this.checkAlive();
    if (!(weights instanceof Map)) throw new InvalidArgumentError('CausalDecoder.setWeights needs a Map<string, Float32Array>');
    this.params.setWeights(Object.fromEntries(weights));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.params.dispose();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  // ---- forward pieces (shared by training and generation) ----

  /** Validates a right-padded token batch. */
  checkTokens(tokens: Int32Array, batch: number, length: number, what: string, minLength = 2): void {
    this.checkAlive();
    if (!(tokens instanceof Int32Array)) throw new InvalidArgumentError(`${what}: tokens must be an Int32Array, got ${(tokens as object)?.constructor?.name ?? typeof tokens}`);
    if (!Number.isSafeInteger(batch) || batch < 1) throw new InvalidArgumentError(`${what}: batch must be a positive integer, got ${batch}`);
    if (!Number.isSafeInteger(length) || length < minLength) throw new InvalidArgumentError(`${what}: length must be an integer ≥ ${minLength}, got ${length}`);
    if (length > this.config.contextLength) {
      throw new InvalidArgumentError(`${what}: sequence length ${length} exceeds the model's context length ${this.config.contextLength}`);
    }
    if (tokens.length !== batch * length) throw new InvalidArgumentError(`${what}: tokens has ${tokens.length} entries, expected batch·length = ${batch}·${length} = ${batch * length}`);
    this.checkIds(tokens, what);
  }

  checkIds(ids: ArrayLike<number>, what: string): void {
    const V = this.config.vocabSize;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!(id >= 0 && id < V)) throw new InvalidArgumentError(`${what}: token id ${id} at index ${i} is outside the vocabulary (0..${V - 1})`);
    }
  }

  private scoreTokens(tokens: Int32Array, batch: number, length: number, withEntropy: boolean): { logProbs: tf.Tensor2D; entropy?: tf.Tensor2D } {
    this.checkTokens(tokens, batch, length, 'tokenLogProbs');
    const B = batch;
    const L = length;
    const V = this.config.vocabSize;
    const d = this.config.dModel;
    // One-hot targets built in JS (no kernels).
    const targets = new Float32Array(B * (L - 1) * V);
    for (let b = 0; b < B; b++) for (let t = 0; t < L - 1; t++) targets[(b * (L - 1) + t) * V + tokens[b * L + t + 1]!] = 1;
    return tf.tidy(() => {
      const x = this.hidden(tokens, B, L);
      // Only positions 0..L−2 predict a token of the sequence.
      const h = tf.reshape(tf.slice(tf.reshape(x, [B, L, d]), [0, 0, 0], [B, L - 1, d]), [B * (L - 1), d]) as tf.Tensor2D;
      const logits = this.head(h);
      const logp = tf.logSoftmax(logits);
      const logProbs = tf.reshape(tf.sum(tf.mul(logp, tf.tensor2d(targets, [B * (L - 1), V])), 1), [B, L - 1]) as tf.Tensor2D;
      if (!withEntropy) return { logProbs };
      const entropy = tf.reshape(tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)), [B, L - 1]) as tf.Tensor2D;
      return { logProbs, entropy };
    });
  }

  /** Residual stream after the last block for right-padded sequences (causal mask only) → `[B·L, d]`. */
  private hidden(tokens: Int32Array, B: number, L: number): tf.Tensor2D {
    const mask = new Float32Array(L * L);
    for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) mask[i * L + j] = MASKED;
    const maskT = tf.tensor2d(mask, [L, L]);
    let x = addPositions(tf.gather(this.tokEmb, tf.tensor1d(tokens, 'int32')) as tf.Tensor2D, this.posEmb, B, L);
    for (const blk of this.blocks) x = this.block(x, blk, (qkv) => this.fullAttention(qkv, B, L, maskT));
    return x;
  }

  /** Token + position embeddings for flat id vectors of equal length → `[n, dModel]`. */
  embed(tokenIds: tf.Tensor1D, positionIds: tf.Tensor1D): tf.Tensor2D {
    return tf.add(tf.gather(this.tokEmb, tokenIds), tf.gather(this.posEmb, positionIds)) as tf.Tensor2D;
  }

  /** One pre-LN block on `[rows, d]`; `attend` maps the fused QKV projection `[rows, 3d]` to `[rows, d]` (before Wo). */
  block(x: tf.Tensor2D, blk: BlockParams, attend: (qkv: tf.Tensor2D) => tf.Tensor2D): tf.Tensor2D {
    const qkv = dense(layerNorm(x, blk.ln1g, blk.ln1b), blk.wqkv, blk.bqkv);
    const x1 = tf.add(x, dense(attend(qkv), blk.wo, blk.bo)) as tf.Tensor2D;
    const hidden = dense(layerNorm(x1, blk.ln2g, blk.ln2b), blk.w1, blk.b1, 'relu');
    return tf.add(x1, dense(hidden, blk.w2, blk.b2)) as tf.Tensor2D;
  }

  /** Final LayerNorm + output projection → logits `[rows, V]`. */
  head(h: tf.Tensor2D): tf.Tensor2D {
    return dense(layerNorm(h, this.lnFg, this.lnFb), this.headW, this.headB);
  }

  /** The blocks' parameters (for the generation code). */
  get layerParams(): readonly BlockParams[] {
    return this.blocks;
  }

  /**
   * Self-attention over whole sequences: qkv `[B·L, 3d]` → `[B·L, d]`. Heads are the outer batch axis
   * (`[H·B, L, dh]`, head-major), so q, k and v are contiguous blocks after one rank-4 transpose (wasm's
   * strided split and rank-5 transpose are 10–25× slower). `maskBias` is added to the scaled scores viewed
   * as `[H, B, L, L]`: `[L, L]` (causal) or `[B, L, L]` (causal + key padding). When `cache` is given, the
   * layer's keys (pre-transposed) and values are stored in it for later decoding steps.
   */
  fullAttention(qkv: tf.Tensor2D, B: number, L: number, maskBias: tf.Tensor, cache?: LayerCache): tf.Tensor2D {
    const { dModel: d, nHeads: H } = this.config;
    const dh = d / H;
    const parts = tf.split(tf.transpose(tf.reshape(qkv, [B, L, 3 * H, dh]), [2, 0, 1, 3]), 3, 0);
    const q = tf.reshape(parts[0]!, [H * B, L, dh]);
    const k = tf.reshape(parts[1]!, [H * B, L, dh]) as tf.Tensor3D;
    const v = tf.reshape(parts[2]!, [H * B, L, dh]) as tf.Tensor3D;
    if (cache !== undefined) {
      cache.k = k;
      cache.v = v;
    }
    const scores = matMulT(q, k, false, true);
    const weights = tf.softmax(tf.add(tf.mul(tf.reshape(scores, [H, B, L, L]), 1 / Math.sqrt(dh)), maskBias));
    const out = tf.matMul(tf.reshape(weights, [H * B, L, L]) as tf.Tensor3D, v);
    return tf.reshape(tf.transpose(tf.reshape(out, [H, B * L, dh]), [1, 0, 2]), [B * L, d]) as tf.Tensor2D;
  }

  /**
   * Attention of one new token per sequence against the cache: qkv `[B, 3d]` → `[B, d]`; the new key and
   * value are appended to `cache` (the caller disposes the previous cache tensors). `maskBias` `[B, T]`
   * (T = cache length after the append) masks left padding.
   */
  stepAttention(qkv: tf.Tensor2D, B: number, maskBias: tf.Tensor, cache: LayerCache): tf.Tensor2D {
    const { dModel: d, nHeads: H } = this.config;
    const dh = d / H;
    const parts = tf.split(tf.transpose(tf.reshape(qkv, [B, 3 * H, dh]), [1, 0, 2]), 3, 0);
    // q as a column [H·B, dh, 1], so the scores K·q need no transposed operand.
    const q = tf.reshape(parts[0]!, [H * B, dh, 1]) as tf.Tensor3D;
    const k = tf.concat([cache.k, tf.reshape(parts[1]!, [H * B, 1, dh])], 1) as tf.Tensor3D;
    const v = tf.concat([cache.v, tf.reshape(parts[2]!, [H * B, 1, dh])], 1) as tf.Tensor3D;
    cache.k = k;
    cache.v = v;
    const T = k.shape[1];
    const scores = tf.reshape(tf.matMul(k, q), [H, B, T]);
    const weights = tf.softmax(tf.add(tf.mul(scores, 1 / Math.sqrt(dh)), maskBias));
    const out = tf.reshape(tf.matMul(tf.reshape(weights, [H * B, 1, T]) as tf.Tensor3D, v), [H, B, dh]);
    return tf.reshape(tf.transpose(out, [1, 0, 2]), [B, d]) as tf.Tensor2D;
  }

  private checkAlive(): void {
    if (this.disposed) throw new InvalidStateError('CausalDecoder: the model was disposed');
  }
}

/**
 * tok `[B·L, d]` + the position table's rows 0..L−1 repeated for each of the B sequences. The position
 * gradient is S·dy with S `[L, B·L]` the 0/1 matrix summing over sequences: one XNNPACK matMul, where
 * autograd's broadcast reduction over axis 0 transposes first (~20× slower on wasm). S·dy rather than
 * 1ᵀ·dy viewed as `[B, L·d]`: tfjs-backend-wasm caches its matMul operator by the data of the second
 * operand, ignoring its shape, so the same gradient data must not appear there under two shapes (it
 * aborts; the tokens' gather gradient uses dy as `[B·L, d]`).
 */
function addPositions(tok: tf.Tensor2D, posEmb: tf.Variable, B: number, L: number): tf.Tensor2D {
  const d = posEmb.shape[1]!;
  return tf.customGrad((t, p, save) => {
    const pos = tf.slice(p as tf.Tensor2D, [0, 0], [L, d]);
    (save as tf.GradSaveFunc)([p as tf.Tensor]);
    return {
      value: tf.reshape(tf.add(tf.reshape(t as tf.Tensor, [B, L, d]), pos), [B * L, d]) as tf.Tensor2D,
      gradFunc: (dy, saved) => {
        const rows = saved[0]!.shape[0]!;
        const select = new Float32Array(L * B * L);
        for (let t = 0; t < L; t++) for (let b = 0; b < B; b++) select[t * B * L + b * L + t] = 1;
        const dPos = tf.matMul(tf.tensor2d(select, [L, B * L]), dy as tf.Tensor2D);
        return [dy as tf.Tensor, L === rows ? dPos : tf.pad(dPos, [[0, rows - L], [0, 0]])];
      },
    };
  })(tok, posEmb) as tf.Tensor2D;
}
