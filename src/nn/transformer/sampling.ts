/**
 * Next-token choice in JavaScript from one row of logits: greedy (argmax, lowest id on ties) or sampling
 * with temperature, then top-k, then top-p (nucleus) filtering, in that order (as Hugging Face's and
 * vLLM's samplers apply them). The reported log-probability is always that of the chosen token under the
 * untempered, unfiltered model distribution — the quantity policy-gradient losses need.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';

export interface SamplingRule {
  /** > 0; 0 means greedy. */
  temperature: number;
  topK: number | undefined;
  topP: number | undefined;
  greedy: boolean;
}

/** Validates sampling options (typed errors naming the bad value). */
export function checkSamplingRule(options: { temperature?: number; topK?: number; topP?: number; greedy?: boolean }, vocabSize: number): SamplingRule {
  const temperature = options.temperature ?? 1;
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature < 0) {
    throw new InvalidArgumentError(`generate: temperature must be a finite number ≥ 0 (0 = greedy), got ${temperature}`);
  }
  const topK = options.topK;
  if (topK !== undefined && (!Number.isSafeInteger(topK) || topK < 1)) throw new InvalidArgumentError(`generate: topK must be a positive integer, got ${topK}`);
  const topP = options.topP;
  if (topP !== undefined && (typeof topP !== 'number' || !(topP > 0 && topP <= 1))) throw new InvalidArgumentError(`generate: topP must be in (0, 1], got ${topP}`);
  const greedy = options.greedy ?? false;
  if (typeof greedy !== 'boolean') throw new InvalidArgumentError(`generate: greedy must be a boolean, got ${typeof greedy}`);
  return { temperature, topK: topK === undefined ? undefined : Math.min(topK, vocabSize), topP, greedy: greedy || temperature === 0 };
}

/** log p(token) under softmax(logits[offset .. offset+size)). */
export function logSoftmaxAt(logits: ArrayLike<number>, offset: number, size: number, token: number): number {
  let max = -Infinity;
  for (let i = 0; i < size; i++) max = Math.max(max, logits[offset + i]!);
  let sum = 0;
  for (let i = 0; i < size; i++) sum += Math.exp(logits[offset + i]! - max);
  return logits[offset + token]! - max - Math.log(sum);
}

/** Index of the largest logit in the row (lowest index on ties). */
export function argmaxRow(logits: ArrayLike<number>, offset: number, size: number): number {
  let best = 0;
  for (let i = 1; i < size; i++) if (logits[offset + i]! > logits[offset + best]!) best = i;
  return best;
}

/**
 * Chooses a token from the row `logits[offset .. offset+size)` under `rule`; uses exactly one `rng.random()`
 * draw unless greedy. `scratch` (length ≥ size) avoids allocations across calls.
 */
export function chooseToken(logits: ArrayLike<number>, offset: number, size: number, rule: SamplingRule, rng: Rng, scratch: Float64Array, order: Int32Array): number {
  if (rule.greedy) return argmaxRow(logits, offset, size);
  const invT = 1 / rule.temperature;
  let max = -Infinity;
  for (let i = 0; i < size; i++) max = Math.max(max, logits[offset + i]!);
  // Unnormalised tempered probabilities.
  let total = 0;
  for (let i = 0; i < size; i++) {
    const w = Math.exp((logits[offset + i]! - max) * invT);
    scratch[i] = w;
    total += w;
  }
  if (rule.topK === undefined && rule.topP === undefined) return drawFrom(scratch, size, total, rng);
  // Candidates sorted by probability, descending; ties by lower id first (so top-k = 1 is the argmax).
  for (let i = 0; i < size; i++) order[i] = i;
  const sorted = order.subarray(0, size).sort((a, b) => scratch[b]! - scratch[a]! || a - b);
  let keep = rule.topK ?? size;
  if (rule.topP !== undefined) {
    let kept = 0;
    for (let i = 0; i < keep; i++) kept += scratch[sorted[i]!]!;
    // Smallest prefix (of the top-k set) whose renormalised mass reaches topP.
    let cumulative = 0;
    let n = 0;
    while (n < keep) {
      cumulative += scratch[sorted[n]!]!;
      n++;
      if (cumulative >= rule.topP * kept) break;
    }
    keep = n;
  }
  let keptTotal = 0;
  for (let i = 0; i < keep; i++) keptTotal += scratch[sorted[i]!]!;
  let u = rng.random() * keptTotal;
  for (let i = 0; i < keep; i++) {
    u -= scratch[sorted[i]!]!;
    if (u < 0) return sorted[i]!;
  }
  return sorted[keep - 1]!;
}

function drawFrom(weights: Float64Array, size: number, total: number, rng: Rng): number {
  let u = rng.random() * total;
  let last = 0;
  for (let i = 0; i < size; i++) {
    const w = weights[i]!;
    if (w <= 0) continue;
    last = i;
    u -= w;
    if (u < 0) return i;
  }
  return last; // rounding: the last token with positive weight
}
