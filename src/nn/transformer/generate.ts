/**
 * Batched autoregressive sampling with a key/value cache for `CausalDecoder`.
 *
 * Prompts of different lengths are left-padded to the longest one; padded keys are masked out and every
 * sequence gets its own positions (its first real token is position 0), so each sequence's logits equal
 * those of the same sequence run alone. The prompts are run through the model once (prefill, filling
 * each layer's cache), then each step feeds one token per sequence, appends its key and value to the
 * cache and reads back one `[batch, vocab]` logits block; the token is chosen in JavaScript with Teleo's
 * `Rng` (`sampling.ts`). A sequence stops at a stop token (kept in the response), after `maxNewTokens`
 * tokens, or when prompt + response fill the context; finished sequences are fed padding (their later
 * outputs are ignored) until at most half the batch is active, when the finished rows are gathered out of
 * the cache.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, NumericalError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { CausalDecoder, LayerCache } from './decoder.js';
import { MASKED } from './decoder.js';
import { checkSamplingRule, chooseToken, logSoftmaxAt } from './sampling.js';
import { Tokenizer } from './tokenizer.js';

export interface GenerateOptions {
  /** Most tokens generated per prompt (stop token included). */
  maxNewTokens: number;
  /** Source of the sampling randomness (not used when greedy). */
  rng: Rng;
  /** Softmax temperature (default 1; 0 = greedy). */
  temperature?: number;
  /** Keep only the k most likely tokens. */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p. */
  topP?: number;
  /** Always take the most likely token (lowest id on ties). */
  greedy?: boolean;
  /** Tokens that end a response (default [Tokenizer.EOS]); included in the response. */
  stopTokens?: readonly number[];
}

export type FinishReason = 'stop' | 'length' | 'context';

export interface Generation {
  /** Generated tokens only, per prompt; the stop token is included when hit. */
  responses: Int32Array[];
  /** Log-prob of each generated token under the untempered, unfiltered model distribution. */
  logProbs: Float32Array[];
  finishReasons: FinishReason[];
}

const OPTION_KEYS = ['maxNewTokens', 'rng', 'temperature', 'topK', 'topP', 'greedy', 'stopTokens'];

export function generate(model: CausalDecoder, prompts: readonly Int32Array[], options: GenerateOptions): Generation {
  const { vocabSize: V, contextLength: C, dModel: d } = model.config;
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('generate needs an options object');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) throw new InvalidArgumentError(`generate got an unknown option '${key}' (accepted: ${OPTION_KEYS.join(', ')})`);
  }
  const maxNew = options.maxNewTokens;
  if (!Number.isSafeInteger(maxNew) || maxNew < 0) throw new InvalidArgumentError(`generate: maxNewTokens must be a non-negative integer, got ${maxNew}`);
  if (!(options.rng instanceof Rng)) throw new InvalidArgumentError('generate: options.rng must be a Teleo Rng');
  const rule = checkSamplingRule(options, V);
  const stopTokens = options.stopTokens ?? [Tokenizer.EOS];
  if (!Array.isArray(stopTokens)) throw new InvalidArgumentError('generate: stopTokens must be an array of token ids');
  model.checkIds(stopTokens, 'generate stopTokens');
  const stops = new Set(stopTokens);
  if (!Array.isArray(prompts)) throw new InvalidArgumentError('generate: prompts must be an array of Int32Array');
  prompts.forEach((p, i) => {
    if (!(p instanceof Int32Array)) throw new InvalidArgumentError(`generate: prompt ${i} must be an Int32Array, got ${(p as object)?.constructor?.name ?? typeof p}`);
    if (p.length === 0) throw new InvalidArgumentError(`generate: prompt ${i} is empty (start it with Tokenizer.BOS)`);
    if (p.length > C) throw new InvalidArgumentError(`generate: prompt ${i} has ${p.length} tokens, more than the model's context length ${C}`);
    model.checkIds(p, `generate prompt ${i}`);
  });

  const B = prompts.length;
  const responses: number[][] = prompts.map(() => []);
  const logProbs: number[][] = prompts.map(() => []);
  const finishReasons: FinishReason[] = new Array(B);
  const active = new Uint8Array(B);
  for (let b = 0; b < B; b++) {
    if (maxNew === 0) finishReasons[b] = 'length';
    else if (prompts[b]!.length >= C) finishReasons[b] = 'context';
    else active[b] = 1;
  }
  const done = (): Generation => ({
    responses: responses.map((r) => Int32Array.from(r)),
    logProbs: logProbs.map((r) => Float32Array.from(r)),
    finishReasons,
  });
  if (!active.includes(1)) return done();

  const P = Math.max(...prompts.map((p) => p.length));
  const pads = prompts.map((p) => P - p.length);
  const lengths = prompts.map((p) => p.length);
  const layers = model.layerParams;

  // Prefill inputs: left-padded tokens, per-sequence positions, causal + key-padding mask [B, P, P].
  const prefillIds = new Int32Array(B * P);
  const prefillPos = new Int32Array(B * P);
  const prefillMask = new Float32Array(B * P * P);
  for (let b = 0; b < B; b++) {
    prefillIds.set(prompts[b]!, b * P + pads[b]!);
    for (let t = pads[b]!; t < P; t++) prefillPos[b * P + t] = t - pads[b]!;
    for (let i = 0; i < P; i++) {
      for (let j = 0; j < P; j++) if (j > i || j < pads[b]!) prefillMask[(b * P + i) * P + j] = MASKED;
    }
  }
  let caches: LayerCache[] = [];
  let logits: tf.Tensor2D | null = null;
  try {
    const prefill = tf.tidy(() => {
      const fresh: LayerCache[] = layers.map(() => ({}) as LayerCache);
      let x = model.embed(tf.tensor1d(prefillIds, 'int32'), tf.tensor1d(prefillPos, 'int32'));
      const mask = tf.tensor3d(prefillMask, [B, P, P]);
      layers.forEach((blk, l) => {
        x = model.block(x, blk, (qkv) => model.fullAttention(qkv, B, P, mask, fresh[l]));
      });
      const last = tf.reshape(tf.slice(tf.reshape(x, [B, P, d]), [0, P - 1, 0], [B, 1, d]), [B, d]) as tf.Tensor2D;
      return { logits: model.head(last), kv: fresh.flatMap((c) => [c.k, c.v]) };
    });
    logits = prefill.logits;
    caches = layers.map((_, l) => ({ k: prefill.kv[2 * l] as tf.Tensor3D, v: prefill.kv[2 * l + 1] as tf.Tensor3D }));

    const scratch = new Float64Array(V);
    const order = new Int32Array(V);
    const { nHeads: H } = model.config;
    // Batch row → sequence index. Rows of finished sequences are dropped (cache rows gathered away) once at
    // most half the rows are still active, so long stragglers do not pay for the whole batch.
    let rows = Array.from({ length: B }, (_, b) => b);
    for (let step = 0; ; step++) {
      const data = logits.dataSync() as Float32Array;
      logits.dispose();
      logits = null;
      for (let r = 0; r < rows.length; r++) {
        const b = rows[r]!;
        if (!active[b]) continue;
        for (let i = r * V; i < (r + 1) * V; i++) {
          if (!Number.isFinite(data[i]!)) {
            throw new NumericalError(`generate: the model produced a non-finite logit (${data[i]}) for prompt ${b} at new token ${responses[b]!.length}; its weights have probably diverged`);
          }
        }
        const token = chooseToken(data, r * V, V, rule, options.rng, scratch, order);
        responses[b]!.push(token);
        logProbs[b]!.push(logSoftmaxAt(data, r * V, V, token));
        const n = responses[b]!.length;
        if (stops.has(token)) finishReasons[b] = 'stop';
        else if (n >= maxNew) finishReasons[b] = 'length';
        else if (lengths[b]! + n >= C) finishReasons[b] = 'context';
        if (finishReasons[b] !== undefined) active[b] = 0;
      }
      const keep = rows.flatMap((b, r) => (active[b] ? [r] : []));
      if (keep.length === 0) break;
      if (keep.length <= rows.length / 2) {
        // Cache rows are head-major: row r of head h sits at h·rows + r.
        const n = rows.length;
        const index = Int32Array.from({ length: H * keep.length }, (_, i) => Math.floor(i / keep.length) * n + keep[i % keep.length]!);
        const old = caches;
        caches = tf.tidy(() => {
          const idx = tf.tensor1d(index, 'int32');
          return old.map((c) => ({ k: tf.gather(c.k, idx) as tf.Tensor3D, v: tf.gather(c.v, idx) as tf.Tensor3D }));
        });
        for (const c of old) {
          c.k.dispose();
          c.v.dispose();
        }
        rows = keep.map((r) => rows[r]!);
      }
      const Bc = rows.length;
      const columns = P + step + 1;
      // Inputs for this step: finished rows still present are fed padding (their outputs are ignored).
      const stepIds = new Int32Array(Bc);
      const stepPos = new Int32Array(Bc);
      const maskData = new Float32Array(Bc * columns);
      rows.forEach((b, r) => {
        maskData.fill(MASKED, r * columns, r * columns + pads[b]!);
        if (!active[b]) return;
        const n = responses[b]!.length;
        stepIds[r] = responses[b]![n - 1]!;
        stepPos[r] = lengths[b]! + n - 1;
      });
      const old = caches;
      const next = tf.tidy(() => {
        const fresh: LayerCache[] = old.map((c) => ({ ...c }));
        const mask = tf.tensor2d(maskData, [Bc, columns]);
        let x = model.embed(tf.tensor1d(stepIds, 'int32'), tf.tensor1d(stepPos, 'int32'));
        layers.forEach((blk, l) => {
          x = model.block(x, blk, (qkv) => model.stepAttention(qkv, Bc, mask, fresh[l]!));
        });
        return { logits: model.head(x), kv: fresh.flatMap((c) => [c.k, c.v]) };
      });
      logits = next.logits;
      caches = layers.map((_, l) => ({ k: next.kv[2 * l] as tf.Tensor3D, v: next.kv[2 * l + 1] as tf.Tensor3D }));
      for (const c of old) {
        c.k.dispose();
        c.v.dispose();
      }
    }
  } finally {
    logits?.dispose();
    for (const c of caches) {
      c.k?.dispose();
      c.v?.dispose();
    }
  }
  return done();
}
