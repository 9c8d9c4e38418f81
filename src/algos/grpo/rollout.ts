/**
 * The rollout side of the GRPO trainer: the fixed training prompt pool (a shuffled cycle, as a data loader
 * over a fixed dataset) and the sampling of G responses per prompt with one batched `generate` call,
 * followed by verification and DAPO's soft overlong shaping. A verifier that throws or returns garbage,
 * an empty response or one cut at the length limit never stops a run: `safeVerify` turns a bad verifier
 * into reward 0 with the flag 'verifier-error', and the other two are counted as flags ('empty',
 * 'truncated').
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { TextProblem, TextTask, Verification } from '../../envs/text/index.js';
import type { CausalDecoder, Tokenizer } from '../../nn/transformer/index.js';
import { decodeResponse } from '../sequence/encoding.js';
import { safeVerify } from '../sequence/safe-verify.js';
import { overlongPenalty } from './shaping.js';

/** Flag of a response that hit the token limit (or the context) before its stop token. */
export const TRUNCATED_FLAG = 'truncated';
/** Flag of a response with no text (only the stop token). */
export const EMPTY_FLAG = 'empty';

/** A training problem with its encoded prompt. */
export interface PoolItem {
  problem: TextProblem;
  prompt: Int32Array;
}

/**
 * A fixed pool visited in shuffled passes: `next(n)` takes the next n items of the current permutation,
 * reshuffling (with the trainer's generator) when a pass ends. Its state is the permutation and cursor.
 */
export class PromptPool {
  readonly items: readonly PoolItem[];
  private order: Int32Array;
  private cursor: number;

  constructor(items: readonly PoolItem[], rng: Rng) {
    if (items.length === 0) throw new InvalidArgumentError('PromptPool needs at least one problem');
    this.items = items;
    this.order = rng.permutation(items.length);
    this.cursor = 0;
  }

  /** The next `n` items (n ≤ pool size; a pass boundary reshuffles, so an item can repeat within a call only if n > size). */
  next(n: number, rng: Rng): PoolItem[] {
    if (!Number.isSafeInteger(n) || n < 1 || n > this.items.length) {
      throw new InvalidArgumentError(`PromptPool.next: n must be an integer in [1, ${this.items.length}], got ${n}`);
    }
    const out: PoolItem[] = [];
    while (out.length < n) {
      if (this.cursor >= this.order.length) {
        this.order = rng.permutation(this.items.length);
        this.cursor = 0;
      }
      out.push(this.items[this.order[this.cursor++]!]!);
    }
    return out;
  }

  getState(): { order: number[]; cursor: number } {
    return { order: Array.from(this.order), cursor: this.cursor };
  }

  setState(state: { order: number[]; cursor: number }): void {
    const n = this.items.length;
    const order = state?.order;
    if (!Array.isArray(order) || order.length !== n || new Set(order).size !== n || order.some((i) => !Number.isSafeInteger(i) || i < 0 || i >= n)) {
      throw new InvalidArgumentError(`PromptPool state: order must be a permutation of 0..${n - 1}`);
    }
    if (!Number.isSafeInteger(state.cursor) || state.cursor < 0 || state.cursor > n) {
      throw new InvalidArgumentError(`PromptPool state: cursor must be an integer in [0, ${n}], got ${state.cursor}`);
    }
    this.order = Int32Array.from(order);
    this.cursor = state.cursor;
  }
}

export interface SamplingSettings {
  numGenerations: number;
  maxCompletionLength: number;
  temperature: number;
  topK: number | null;
  topP: number;
  /** DAPO soft overlong buffer in tokens (null: off) and its penalty factor. */
  overlongBufferLength: number | null;
  overlongPenaltyFactor: number;
}

/** G responses of one prompt. */
export interface RolloutGroup {
  item: PoolItem;
  /** Generated ids per response (stop token included when hit). */
  responses: Int32Array[];
  /** Log-probs of the generated tokens under the sampling-time model (untempered). */
  samplingLogProbs: Float32Array[];
  finishReasons: ('stop' | 'length' | 'context')[];
  texts: string[];
  verifications: Verification[];
  /** Verifier reward plus the overlong penalty: what the advantages are computed from. */
  rewards: Float64Array;
  /** 1 for a verified-correct response, else 0 (DAPO's 'acc' filter metric). */
  accuracies: Float64Array;
  /** Overlong penalty per response (0 when shaping is off or the response is short enough). */
  penalties: Float64Array;
}

/**
 * Samples `settings.numGenerations` responses for each prompt in one batched `generate` call, verifies
 * them and applies the overlong shaping.
 */
export function sampleGroups(
  model: CausalDecoder,
  tokenizer: Tokenizer,
  task: TextTask,
  items: readonly PoolItem[],
  settings: SamplingSettings,
  rng: Rng,
): RolloutGroup[] {
  const G = settings.numGenerations;
  const prompts = items.flatMap((item) => Array.from({ length: G }, () => item.prompt));
  const generation = model.generate(prompts, {
    maxNewTokens: settings.maxCompletionLength,
    rng,
    temperature: settings.temperature,
    ...(settings.topK === null ? {} : { topK: settings.topK }),
    ...(settings.topP < 1 ? { topP: settings.topP } : {}),
  });
  return items.map((item, g) => {
    const responses: Int32Array[] = [];
    const samplingLogProbs: Float32Array[] = [];
    const finishReasons: ('stop' | 'length' | 'context')[] = [];
    const texts: string[] = [];
    const verifications: Verification[] = [];
    const rewards = new Float64Array(G);
    const accuracies = new Float64Array(G);
    const penalties = new Float64Array(G);
    for (let j = 0; j < G; j++) {
      const i = g * G + j;
      const ids = generation.responses[i]!;
      const reason = generation.finishReasons[i]!;
      const text = decodeResponse(tokenizer, ids);
      const verification = safeVerify(task, item.problem, text);
      const flags = [...verification.flags];
      if (reason !== 'stop' && !flags.includes(TRUNCATED_FLAG)) flags.push(TRUNCATED_FLAG);
      if (text.length === 0 && !flags.includes(EMPTY_FLAG)) flags.push(EMPTY_FLAG);
      const penalty =
        settings.overlongBufferLength === null
          ? 0
          : overlongPenalty(ids.length, settings.maxCompletionLength, settings.overlongBufferLength, settings.overlongPenaltyFactor);
      responses.push(ids);
      samplingLogProbs.push(generation.logProbs[i]!);
      finishReasons.push(reason);
      texts.push(text);
      verifications.push({ ...verification, flags });
      rewards[j] = verification.reward + penalty;
      accuracies[j] = verification.correct ? 1 : 0;
      penalties[j] = penalty;
    }
    return { item, responses, samplingLogProbs, finishReasons, texts, verifications, rewards, accuracies, penalties };
  });
}
