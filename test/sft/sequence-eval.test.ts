/**
 * evaluateSequencePolicy against a scripted model and task: greedy accuracy, reward, components, flags,
 * finish reasons, pass@k from known per-problem sample counts, verifier errors counted (never thrown),
 * batching, and bad options.
 */
import { describe, expect, it } from 'vitest';
import { encodeResponse, passAtK } from '../../src/algos/sequence/index.js';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import type { TextProblem, TextTask, Verification } from '../../src/envs/text/index.js';
import { Tokenizer, type CausalDecoder, type Generation, type GenerateOptions } from '../../src/nn/transformer/index.js';
import { evaluateSequencePolicy } from '../../src/train/sequence-eval.js';

const tokenizer = new Tokenizer(['a', 'b', 'c', 'x']);

/** Problem i asks for `answer`; problem 'boom' makes the verifier throw. */
const problems: TextProblem[] = [
  { id: 'p0', prompt: 'a', data: { answer: 'a' }, difficulty: 1 },
  { id: 'p1', prompt: 'b', data: { answer: 'b' }, difficulty: 1 },
  { id: 'p2', prompt: 'c', data: { answer: 'c' }, difficulty: 1 },
  { id: 'p3', prompt: 'x', data: { answer: 'boom' }, difficulty: 1 },
];

const task: TextTask = {
  name: 'scripted',
  alphabet: ['a', 'b', 'c', 'x'],
  maxResponseLength: 3,
  maxPromptLength: 1,
  difficulty: 1,
  minDifficulty: 1,
  componentNames: ['exact', 'chars'],
  options: {},
  problems: () => problems,
  solve: (p) => (p.data as { answer: string }).answer,
  verify(problem: TextProblem, response: string): Verification {
    const answer = (problem.data as { answer: string }).answer;
    if (answer === 'boom') throw new Error('verifier bug');
    if (response === '') return { reward: 0, correct: false, components: { exact: 0 }, flags: ['empty'] };
    const correct = response === answer;
    return { reward: correct ? 1 : 0.25, correct, components: { exact: correct ? 1 : 0, chars: response.length }, flags: correct ? [] : ['wrong'] };
  },
};

/** Greedy: p0 right, p1 empty (EOS only), p2 wrong and cut at max length, p3 anything. Sample j of problem i is right iff j < CORRECT_SAMPLES[i]. */
const GREEDY: Record<string, { text: string; eos: boolean }> = { a: { text: 'a', eos: true }, b: { text: '', eos: true }, c: { text: 'abc', eos: false }, x: { text: 'x', eos: true } };
const CORRECT_SAMPLES: Record<string, number> = { a: 2, b: 0, c: 1, x: 3 };

function scriptedModel(): { model: CausalDecoder; batchSizes: number[] } {
  const batchSizes: number[] = [];
  const drawn: Record<string, number> = {};
  const model = {
    config: { contextLength: 8 },
    generate(prompts: readonly Int32Array[], options: GenerateOptions): Generation {
      batchSizes.push(prompts.length);
      const responses: Int32Array[] = [];
      const finishReasons: Generation['finishReasons'] = [];
      for (const prompt of prompts) {
        expect(prompt[0]).toBe(Tokenizer.BOS);
        const key = tokenizer.decode(prompt);
        let text: string;
        let eos = true;
        if (options.greedy) {
          ({ text, eos } = GREEDY[key]!);
        } else {
          const j = (drawn[key] = (drawn[key] ?? 0) + 1) - 1;
          text = j < CORRECT_SAMPLES[key]! ? key : 'b' + key;
        }
        responses.push(eos ? encodeResponse(tokenizer, text) : tokenizer.encode(text));
        finishReasons.push(eos ? 'stop' : 'length');
      }
      return { responses, logProbs: responses.map((r) => new Float32Array(r.length)), finishReasons };
    },
  };
  return { model: model as unknown as CausalDecoder, batchSizes };
}

describe('evaluateSequencePolicy', () => {
  it('scores greedy responses, counts flags and verifier errors, and estimates pass@k from the samples', () => {
    const { model, batchSizes } = scriptedModel();
    const result = evaluateSequencePolicy(model, tokenizer, task, problems, { k: [1, 2], samples: 4, rng: Rng.fromSeed(0), batchSize: 3 });
    expect(result.problems).toBe(4);
    expect(result.samples).toBe(4);
    expect(result.accuracy).toBe(0.25);
    expect(result.meanReward).toBeCloseTo((1 + 0 + 0.25 + 0) / 4, 12);
    expect(result.meanLength).toBeCloseTo((2 + 1 + 3 + 2) / 4, 12); // EOS counted; p2 was cut without one
    expect(result.components.exact).toBeCloseTo(0.25, 12);
    expect(result.components.chars).toBeCloseTo((1 + 3) / 4, 12); // absent components count as 0
    expect(result.flags).toEqual({ empty: 0.25, wrong: 0.25, 'verifier-error': 0.25 });
    expect(result.finishReasons).toEqual({ stop: 0.75, length: 0.25 });
    // Sampled: c = 2, 0, 1 correct of 4; p3's verifier always throws, so 0 there.
    const counts = [2, 0, 1, 0];
    for (const k of [1, 2]) {
      expect(result.passAtK[k]).toBeCloseTo(counts.reduce((s, c) => s + passAtK(4, c, k), 0) / 4, 12);
    }
    expect(result.passAtK[1]).toBeCloseTo(0.1875, 12);
    expect(result.passAtK[2]).toBeCloseTo((5 / 6 + 0.5) / 4, 12);
    // 4 greedy prompts and 16 sampled ones, in batches of at most 3.
    expect(batchSizes.every((b) => b <= 3)).toBe(true);
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('does no sampling without k, and checks its options', () => {
    const { model, batchSizes } = scriptedModel();
    const result = evaluateSequencePolicy(model, tokenizer, task, problems, { rng: Rng.fromSeed(0) });
    expect(result.passAtK).toEqual({});
    expect(result.samples).toBe(0);
    expect(batchSizes).toEqual([4]);
    const rng = Rng.fromSeed(0);
    expect(() => evaluateSequencePolicy(model, tokenizer, task, problems, { k: [4], samples: 2, rng })).toThrow(/pass@4 needs at least 4 samples/);
    expect(() => evaluateSequencePolicy(model, tokenizer, task, [], { rng })).toThrow(InvalidArgumentError);
    expect(() => evaluateSequencePolicy(model, tokenizer, task, problems, { rng, batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
    expect(() => evaluateSequencePolicy(model, tokenizer, task, problems, { rng, temperature: 2 } as never)).toThrow(/unknown option 'temperature'/);
    const long = [{ id: 'long', prompt: 'abcabcab', data: { answer: 'a' }, difficulty: 1 }];
    expect(() => evaluateSequencePolicy(model, tokenizer, task, long, { rng })).toThrow(/prompt of problem 'long' is 9 tokens/);
  });
});
