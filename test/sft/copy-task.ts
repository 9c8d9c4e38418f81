/**
 * A test fixture task that a tiny decoder learns in seconds: copy a 3-letter word ("cab=" → "cab").
 * Train and test split the 125 words by a fixed rule (every 5th word in lexical order is held out), so
 * held-out accuracy needs the copying rule, not memorised words.
 */
import { Rng } from '../../src/core/rng.js';
import type { ProblemsOptions, TextProblem, TextTask, Verification } from '../../src/envs/text/index.js';

const LETTERS = ['a', 'b', 'c', 'd', 'e'];
const WORDS = LETTERS.flatMap((x) => LETTERS.flatMap((y) => LETTERS.map((z) => x + y + z)));

export function makeCopyTask(): TextTask {
  const split = (i: number): 'train' | 'test' => (i % 5 === 2 ? 'test' : 'train');
  return {
    name: 'copy',
    alphabet: [...LETTERS, '='],
    maxResponseLength: 3,
    maxPromptLength: 4,
    difficulty: 1,
    minDifficulty: 1,
    componentNames: ['exact'],
    options: {},
    problems(options: ProblemsOptions): TextProblem[] {
      const pool = WORDS.filter((_, i) => split(i) === options.split);
      const rng = Rng.fromSeed(options.seed);
      return Array.from({ length: options.count }, () => {
        const word = pool[rng.integers(0, pool.length)]!;
        return { id: `copy:${word}`, prompt: `${word}=`, data: word, difficulty: 1 };
      });
    },
    verify(problem: TextProblem, response: string): Verification {
      const correct = response === problem.data;
      return { reward: correct ? 1 : 0, correct, components: { exact: correct ? 1 : 0 }, flags: response === '' ? ['empty'] : [] };
    },
    solve: (problem) => problem.data as string,
  };
}
