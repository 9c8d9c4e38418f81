/**
 * Prompt/response encoding shared by the sequence-policy trainers (SFT and GRPO).
 *
 * - A prompt is `[BOS, ...encode(problem.prompt)]`; a response is `[...encode(text), EOS]`.
 * - `packSequences` lays prompt+response pairs out as one right-padded `B × L` batch with a loss mask
 *   aligned with `CausalDecoder.tokenLogProbs` (entry `[b, t]` scores token `t + 1`), so the mask is 1
 *   exactly where token `t + 1` is a response token (the closing EOS included) and 0 on prompt and padding.
 * - `decodeResponse` turns generated ids back into the text the verifier sees (up to the first EOS,
 *   special tokens dropped).
 * Sequences that do not fit the model's context raise `InvalidArgumentError` naming the lengths.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { Tokenizer } from '../../nn/transformer/index.js';
import type { TextProblem, TextTask } from '../../envs/text/index.js';

/** The tokenizer of a task: the special tokens plus every token of the task's alphabet. */
export function tokenizerForTask(task: Pick<TextTask, 'alphabet'>): Tokenizer {
  return new Tokenizer(task.alphabet);
}

/**
 * Throws `InvalidArgumentError` unless `tokenizer` is the one `tokenizerForTask(task)` builds (same tokens,
 * same ids) — e.g. a checkpoint trained on another task, whose ids would mean different characters.
 */
export function assertTokenizerMatchesTask(tokenizer: Tokenizer, task: Pick<TextTask, 'alphabet' | 'name'>, source = 'the model'): void {
  const expected = tokenizerForTask(task);
  if (tokenizer.equals(expected)) return;
  const have = tokenizer.toJSON().tokens;
  const want = expected.toJSON().tokens;
  const missing = want.filter((t) => !have.includes(t));
  const extra = have.filter((t) => !want.includes(t));
  const detail =
    missing.length > 0 || extra.length > 0
      ? `${missing.length > 0 ? `missing ${JSON.stringify(missing.slice(0, 8))}` : ''}${missing.length > 0 && extra.length > 0 ? ', ' : ''}${extra.length > 0 ? `extra ${JSON.stringify(extra.slice(0, 8))}` : ''}`
      : 'same tokens in a different order (different ids)';
  throw new InvalidArgumentError(`The tokenizer of ${source} does not match task '${task.name}': ${detail}`);
}

/** `[BOS, ...encode(prompt)]`; a typed error naming the first character the tokenizer cannot encode. */
export function encodePrompt(tokenizer: Tokenizer, problem: Pick<TextProblem, 'prompt'> | string): Int32Array {
  const text = typeof problem === 'string' ? problem : problem.prompt;
  const body = tokenizer.encode(text);
  const ids = new Int32Array(body.length + 1);
  ids[0] = Tokenizer.BOS;
  ids.set(body, 1);
  return ids;
}

/** `[...encode(text), EOS]`: a complete response as the model emits it. */
export function encodeResponse(tokenizer: Tokenizer, text: string): Int32Array {
  const body = tokenizer.encode(text);
  const ids = new Int32Array(body.length + 1);
  ids.set(body);
  ids[body.length] = Tokenizer.EOS;
  return ids;
}

/** The verifier's text of a generated response: tokens before the first EOS, special tokens skipped. */
export function decodeResponse(tokenizer: Tokenizer, ids: ArrayLike<number>): string {
  let end = ids.length;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === Tokenizer.EOS) {
      end = i;
      break;
    }
  }
  const body = ids instanceof Int32Array ? ids.subarray(0, end) : Array.prototype.slice.call(ids, 0, end);
  return tokenizer.decode(body);
}

/**
 * Throws `InvalidArgumentError` unless a prompt of `promptLength` tokens leaves room for at least
 * `minNewTokens` generated tokens in a context of `contextLength`.
 */
export function assertPromptFits(promptLength: number, contextLength: number, minNewTokens = 1, what = 'prompt'): void {
  if (promptLength + minNewTokens > contextLength) {
    throw new InvalidArgumentError(
      `The ${what} is ${promptLength} tokens long (BOS included); with ${minNewTokens} new token${minNewTokens === 1 ? '' : 's'} it needs a context of ${promptLength + minNewTokens}, the model's is ${contextLength}`,
    );
  }
}

/** A right-padded batch of prompt+response sequences with its loss mask. */
export interface PackedSequences {
  /** `batch × length` token ids, row-major, right-padded with `Tokenizer.PAD`. */
  tokens: Int32Array;
  batch: number;
  length: number;
  /**
   * `batch × (length − 1)`, aligned with `tokenLogProbs`: `mask[b, t] = 1` iff token `t + 1` of row `b` is a
   * response token (the closing EOS included).
   */
  mask: Float32Array;
  /** Prompt tokens per row (BOS included). */
  promptLengths: Int32Array;
  /** Response tokens per row (EOS included when present). */
  responseLengths: Int32Array;
}

/**
 * Packs `prompts[i] ++ responses[i]` into one batch whose length is the longest row (at least 2, so that
 * there is one prediction). A row longer than `contextLength` or an empty prompt → `InvalidArgumentError`.
 */
export function packSequences(prompts: readonly Int32Array[], responses: readonly Int32Array[], contextLength: number): PackedSequences {
  if (prompts.length !== responses.length) {
    throw new InvalidArgumentError(`packSequences: ${prompts.length} prompts but ${responses.length} responses`);
  }
  if (prompts.length === 0) throw new InvalidArgumentError('packSequences: empty batch');
  const batch = prompts.length;
  let length = 2;
  for (let b = 0; b < batch; b++) {
    if (prompts[b]!.length === 0) throw new InvalidArgumentError(`packSequences: prompt ${b} is empty (a prompt starts with BOS)`);
    const total = prompts[b]!.length + responses[b]!.length;
    if (total > contextLength) {
      throw new InvalidArgumentError(
        `Sequence ${b} is ${total} tokens (prompt ${prompts[b]!.length} + response ${responses[b]!.length}), longer than the model's context of ${contextLength}`,
      );
    }
    length = Math.max(length, total);
  }
  const tokens = new Int32Array(batch * length).fill(Tokenizer.PAD);
  const mask = new Float32Array(batch * (length - 1));
  const promptLengths = new Int32Array(batch);
  const responseLengths = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    const p = prompts[b]!;
    const r = responses[b]!;
    tokens.set(p, b * length);
    tokens.set(r, b * length + p.length);
    promptLengths[b] = p.length;
    responseLengths[b] = r.length;
    // Position t predicts token t + 1: response tokens sit at p.length .. p.length + r.length − 1.
    for (let t = p.length - 1; t < p.length - 1 + r.length; t++) mask[b * (length - 1) + t] = 1;
  }
  return { tokens, batch, length, mask, promptLengths, responseLengths };
}
