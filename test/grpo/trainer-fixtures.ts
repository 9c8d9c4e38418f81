/**
 * Fixtures for the GRPO trainer tests: a toy task a tiny random decoder learns in a few dozen GRPO steps
 * (reward 1 when the response starts with 'a'), with switches for the failure modes the trainer must
 * survive (a verifier that throws, prompts every response solves), and a tiny decoder for it.
 */
import { Rng } from '../../src/core/rng.js';
import type { ProblemsOptions, TextProblem, TextTask, Verification } from '../../src/envs/text/index.js';
import { CausalDecoder, Tokenizer } from '../../src/nn/transformer/index.js';

export interface ToyTaskOptions {
  /** Problems whose index is a multiple of this make the verifier throw (0: never). */
  throwEvery?: number;
  /** Problems whose index is a multiple of this count every response as correct (0: never). */
  alwaysCorrectEvery?: number;
}

const LETTERS = ['a', 'b', 'c', 'd'];

/** Prompt "<letter>?" (the letter only varies the prompt); reward 1 iff the response starts with 'a'. */
export function makeToyTask(options: ToyTaskOptions = {}): TextTask {
  const throwEvery = options.throwEvery ?? 0;
  const alwaysEvery = options.alwaysCorrectEvery ?? 0;
  return {
    name: 'starts-with-a',
    alphabet: [...LETTERS, '?'],
    maxResponseLength: 2,
    maxPromptLength: 3,
    difficulty: 1,
    minDifficulty: 1,
    componentNames: ['first'],
    options: { ...options },
    problems(o: ProblemsOptions): TextProblem[] {
      const rng = Rng.fromSeed(o.seed + (o.split === 'test' ? 7 : 0));
      return Array.from({ length: o.count }, (_, i) => {
        const index = (o.split === 'test' ? 1000 : 0) + i;
        const prompt = `${LETTERS[rng.integers(0, LETTERS.length)]}${LETTERS[i % LETTERS.length]}?`;
        return { id: `toy:${o.split}:${index}`, prompt, data: { index }, difficulty: 1 };
      });
    },
    verify(problem: TextProblem, response: string): Verification {
      const { index } = problem.data as { index: number };
      if (throwEvery > 0 && index % throwEvery === 0) throw new Error('toy verifier failure');
      const correct = (alwaysEvery > 0 && index % alwaysEvery === 0) || response.startsWith('a');
      return { reward: correct ? 1 : 0, correct, components: { first: correct ? 1 : 0 }, flags: response === '' ? ['empty'] : [] };
    },
    solve: () => 'a',
  };
}

export function toyModel(task: TextTask, seed = 0): { model: CausalDecoder; tokenizer: Tokenizer } {
  const tokenizer = new Tokenizer(task.alphabet);
  const model = new CausalDecoder({ vocabSize: tokenizer.vocabSize, contextLength: 12, dModel: 16, nLayers: 1, nHeads: 2 }, seed);
  return { model, tokenizer };
}

/** A small, fast trainer config for the toy task. */
export const TOY_CONFIG = {
  numGenerations: 4,
  promptsPerStep: 4,
  miniBatchPrompts: 2,
  promptPoolSize: 8,
  learningRate: 1e-2,
  evalInterval: 0,
  evalProblems: 8,
  evalSamples: 2,
  passAtK: [1, 2] as [number, ...number[]],
};
