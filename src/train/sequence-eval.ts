/**
 * Held-out evaluation of a sequence policy on a text task.
 *
 * - Greedy decoding of every problem gives `accuracy` (fraction verified correct), `meanReward`, the mean
 *   of each named reward component (a component a verification does not report counts as 0), the
 *   fraction of responses carrying each flag, the fraction per finish reason, and `meanLength` (generated
 *   tokens per response, the stop token included).
 * - pass@k: `samples` responses per problem at temperature 1 (the untempered model), c of them correct,
 *   averaged over problems with the unbiased estimator 1 − C(n−c, k)/C(n, k) (see `passAtK`).
 * Generation is batched (`batchSize` prompts per call). A verifier that throws or returns a non-finite
 * reward counts as reward 0 with the flag 'verifier-error'; it never stops the evaluation.
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { TextProblem, TextTask } from '../envs/text/index.js';
import type { CausalDecoder, Tokenizer } from '../nn/transformer/index.js';
import { assertPromptFits, decodeResponse, encodePrompt } from '../algos/sequence/encoding.js';
import { passAtK } from '../algos/sequence/pass-at-k.js';
import { safeVerify } from '../algos/sequence/safe-verify.js';

export interface SequenceEvalOptions {
  /** The k of pass@k (each ≤ `samples`); default none (greedy metrics only). */
  k?: number[];
  /** Sampled responses per problem for pass@k (default: the largest k). */
  samples?: number;
  /** Drives the sampling (greedy decoding does not draw from it). */
  rng: Rng;
  /** Generation budget per response (default: the task's `maxResponseLength` + 1 for EOS). */
  maxNewTokens?: number;
  /** Prompts per `generate` call (default 64). */
  batchSize?: number;
}

export interface SequenceEvalResult {
  /** Fraction of problems whose greedy response is verified correct. */
  accuracy: number;
  /** pass@k by k, from `samples` sampled responses per problem. */
  passAtK: Record<number, number>;
  /** Mean reward of the greedy responses. */
  meanReward: number;
  /** Mean generated tokens per greedy response (stop token included). */
  meanLength: number;
  /** Mean of each named reward component over the greedy responses. */
  components: Record<string, number>;
  /** Fraction of greedy responses with each flag (e.g. 'malformed', 'verifier-error'). */
  flags: Record<string, number>;
  /** Fraction of greedy responses per finish reason ('stop', 'length', 'context'). */
  finishReasons: Record<string, number>;
  /** Problems evaluated. */
  problems: number;
  /** Sampled responses per problem (0 without pass@k). */
  samples: number;
}

const EVAL_OPTIONS = ['k', 'samples', 'rng', 'maxNewTokens', 'batchSize'];

interface ScoredResponse {
  reward: number;
  correct: boolean;
  components: Record<string, number>;
  flags: string[];
  length: number;
  finishReason: string;
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`evaluateSequencePolicy: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Generates (greedy or sampled) for `prompts` in batches and verifies each response against its problem. */
function generateAndScore(
  model: CausalDecoder,
  tokenizer: Tokenizer,
  task: TextTask,
  items: ReadonlyArray<{ problem: TextProblem; prompt: Int32Array }>,
  options: { greedy: boolean; rng: Rng; maxNewTokens: number; batchSize: number },
): ScoredResponse[] {
  const scored: ScoredResponse[] = [];
  for (let start = 0; start < items.length; start += options.batchSize) {
    const chunk = items.slice(start, start + options.batchSize);
    const generation = model.generate(
      chunk.map((item) => item.prompt),
      { maxNewTokens: options.maxNewTokens, rng: options.rng, greedy: options.greedy, temperature: 1 },
    );
    chunk.forEach((item, i) => {
      const ids = generation.responses[i]!;
      const verification = safeVerify(task, item.problem, decodeResponse(tokenizer, ids));
      scored.push({ ...verification, length: ids.length, finishReason: generation.finishReasons[i]! });
    });
  }
  return scored;
}

export function evaluateSequencePolicy(
  model: CausalDecoder,
  tokenizer: Tokenizer,
  task: TextTask,
  problems: TextProblem[],
  options: SequenceEvalOptions,
): SequenceEvalResult {
  for (const key of Object.keys(options ?? {})) {
    if (!EVAL_OPTIONS.includes(key)) throw new InvalidArgumentError(`evaluateSequencePolicy: unknown option '${key}' (accepted: ${EVAL_OPTIONS.join(', ')})`);
  }
  if (problems.length === 0) throw new InvalidArgumentError('evaluateSequencePolicy: no problems to evaluate');
  const ks = options.k ?? [];
  ks.forEach((k) => positiveInteger('each k', k));
  const maxK = ks.length > 0 ? Math.max(...ks) : 0;
  const samples = options.samples === undefined ? maxK : positiveInteger('samples', options.samples);
  if (samples < maxK) throw new InvalidArgumentError(`evaluateSequencePolicy: pass@${maxK} needs at least ${maxK} samples per problem, got samples = ${samples}`);
  const maxNewTokens = positiveInteger('maxNewTokens', options.maxNewTokens ?? task.maxResponseLength + 1);
  const batchSize = positiveInteger('batchSize', options.batchSize ?? 64);

  const contextLength = model.config.contextLength;
  const items = problems.map((problem) => {
    const prompt = encodePrompt(tokenizer, problem);
    assertPromptFits(prompt.length, contextLength, 1, `prompt of problem '${problem.id}'`);
    return { problem, prompt };
  });

  const greedy = generateAndScore(model, tokenizer, task, items, { greedy: true, rng: options.rng, maxNewTokens, batchSize });
  const n = greedy.length;
  const components: Record<string, number> = {};
  const flags: Record<string, number> = {};
  const finishReasons: Record<string, number> = {};
  let correct = 0;
  let reward = 0;
  let length = 0;
  for (const s of greedy) {
    if (s.correct) correct++;
    reward += s.reward;
    length += s.length;
    for (const [name, value] of Object.entries(s.components)) components[name] = (components[name] ?? 0) + value;
    for (const flag of new Set(s.flags)) flags[flag] = (flags[flag] ?? 0) + 1;
    finishReasons[s.finishReason] = (finishReasons[s.finishReason] ?? 0) + 1;
  }
  // Sums → means (dividing once keeps 1.0 exact when every response has a component at 1).
  for (const table of [components, flags, finishReasons]) for (const key of Object.keys(table)) table[key] = table[key]! / n;

  const pass: Record<number, number> = {};
  if (samples > 0 && ks.length > 0) {
    const repeated = items.flatMap((item) => Array.from({ length: samples }, () => item));
    const sampled = generateAndScore(model, tokenizer, task, repeated, { greedy: false, rng: options.rng, maxNewTokens, batchSize });
    const correctPerProblem = items.map((_, i) => sampled.slice(i * samples, (i + 1) * samples).filter((s) => s.correct).length);
    for (const k of ks) pass[k] = correctPerProblem.reduce((sum, c) => sum + passAtK(samples, c, k), 0) / items.length;
  }

  return { accuracy: correct / n, passAtK: pass, meanReward: reward / n, meanLength: length / n, components, flags, finishReasons, problems: n, samples: ks.length > 0 ? samples : 0 };
}
