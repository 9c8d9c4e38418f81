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

/** Keys and values of one layer for the whole batch: kT `[B·H, dh, T]` (pre-transposed), v `[B·H, T, dh]`. */
export interface LayerCache {
  kT: tf.Tensor3D;
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
    const positions = new Int32Array(B * L);
    for (let b = 0; b < B; b++) for (let t = 0; t < L; t++) positions[b * L + t] = t;
    const mask = new Float32Array(L * L);
    for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) mask[i * L + j] = MASKED;
    const maskT = tf.tensor2d(mask, [L, L]);
    let x = this.embed(tf.tensor1d(tokens, 'int32'), tf.tensor1d(positions, 'int32'));
    for (const blk of this.blocks) x = this.block(x, blk, (qkv) => this.fullAttention(qkv, B, L, maskT));
    return x;
  }

  /** Token + position embeddings for flat id vectors of equal length → `[n, dModel]`. */
  embed(tokenIds: tf.Tensor1D, positionIds: tf.Tensor1D): tf.Tensor2D {
    return tf.add(tf.gather(this.tokEmb, tokenIds), tf.gather(this.posEmb, positionIds)) as tf.Tensor2D;
  }

  /** One pre-LN block on `[rows, d]`; `attend` maps the fused QKV projection `[rows, 3d]` to `[rows, d]` (before Wo). */
  block(x: tf.Tensor2D, blk: BlockParams, attend: (qkv: tf.Tensor2D) => tf.Tensor2D): tf.Tensor2D {
    const qkv = tf.fused.matMul({ a: layerNorm(x, blk.ln1g, blk.ln1b), b: blk.wqkv as tf.Tensor2D, bias: blk.bqkv }) as tf.Tensor2D;
    const attnOut = tf.fused.matMul({ a: attend(qkv), b: blk.wo as tf.Tensor2D, bias: blk.bo });
    const x1 = tf.add(x, attnOut) as tf.Tensor2D;
    const hidden = tf.fused.matMul({ a: layerNorm(x1, blk.ln2g, blk.ln2b), b: blk.w1 as tf.Tensor2D, bias: blk.b1, activation: 'relu' });
    return tf.add(x1, tf.fused.matMul({ a: hidden, b: blk.w2 as tf.Tensor2D, bias: blk.b2 })) as tf.Tensor2D;
  }

  /** Final LayerNorm + output projection → logits `[rows, V]`. */
  head(h: tf.Tensor2D): tf.Tensor2D {
    return tf.fused.matMul({ a: layerNorm(h, this.lnFg, this.lnFb), b: this.headW as tf.Tensor2D, bias: this.headB }) as tf.Tensor2D;
  }

  /** The blocks' parameters (for the generation code). */
  get layerParams(): readonly BlockParams[] {
    return this.blocks;
  }

  /**
   * Self-attention over whole sequences: qkv `[B·L, 3d]` → `[B·L, d]`. `maskBias` is added to the scaled
   * scores viewed as `[B, H, L, L]` (`[L, L]` causal, or `[B, 1, L, L]` with key padding). When `cache`
   * is given, the layer's keys (pre-transposed) and values are stored in it for later decoding steps.
   */
  fullAttention(qkv: tf.Tensor2D, B: number, L: number, maskBias: tf.Tensor, cache?: LayerCache): tf.Tensor2D {
    const { dModel: d, nHeads: H } = this.config;
    const dh = d / H;
    // [B, L, 3, H, dh] → [3, B, H, L, dh]: q, k, v with heads as a batch axis.
    const parts = tf.split(tf.transpose(tf.reshape(qkv, [B, L, 3, H, dh]), [2, 0, 3, 1, 4]), 3, 0);
    const q = tf.reshape(parts[0]!, [B * H, L, dh]);
    const k = tf.reshape(parts[1]!, [B * H, L, dh]);
    const v = tf.reshape(parts[2]!, [B * H, L, dh]) as tf.Tensor3D;
    let scores: tf.Tensor;
    if (cache !== undefined) {
      const kT = tf.transpose(k, [0, 2, 1]) as tf.Tensor3D;
      cache.kT = kT;
      cache.v = v;
      scores = tf.matMul(q as tf.Tensor3D, kT);
    } else {
      scores = matMulT(q, k, false, true);
    }
    const weights = tf.softmax(tf.add(tf.mul(tf.reshape(scores, [B, H, L, L]), 1 / Math.sqrt(dh)), maskBias));
    const out = tf.matMul(tf.reshape(weights, [B * H, L, L]) as tf.Tensor3D, v);
    return tf.reshape(tf.transpose(tf.reshape(out, [B, H, L, dh]), [0, 2, 1, 3]), [B * L, d]) as tf.Tensor2D;
  }

  /**
   * Attention of one new token per sequence against the cache: qkv `[B, 3d]` → `[B, d]`; the new key and
   * value are appended to `cache` (the previous cache tensors are returned for disposal). `maskBias`
   * `[B, 1, T]` (T = cache length after the append) masks left padding.
   */
  stepAttention(qkv: tf.Tensor2D, B: number, maskBias: tf.Tensor, cache: LayerCache): tf.Tensor2D {
    const { dModel: d, nHeads: H } = this.config;
    const dh = d / H;
    const parts = tf.split(tf.transpose(tf.reshape(qkv, [B, 3, H, dh]), [1, 0, 2, 3]), 3, 0);
    const q = tf.reshape(parts[0]!, [B * H, 1, dh]) as tf.Tensor3D;
    const kT = tf.concat([cache.kT, tf.reshape(parts[1]!, [B * H, dh, 1])], 2) as tf.Tensor3D;
    const v = tf.concat([cache.v, tf.reshape(parts[2]!, [B * H, 1, dh])], 1) as tf.Tensor3D;
    cache.kT = kT;
    cache.v = v;
    const T = kT.shape[2];
    const scores = tf.reshape(tf.matMul(q, kT), [B, H, T]);
    const weights = tf.softmax(tf.add(tf.mul(scores, 1 / Math.sqrt(dh)), maskBias));
    return tf.reshape(tf.matMul(tf.reshape(weights, [B * H, 1, T]) as tf.Tensor3D, v), [B, d]) as tf.Tensor2D;
  }

  private checkAlive(): void {
    if (this.disposed) throw new InvalidStateError('CausalDecoder: the model was disposed');
  }
}
