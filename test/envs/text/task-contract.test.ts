/** Properties every text task must have: solvers verify, determinism per seed, disjoint splits, difficulty, guards. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidSeedError, UnknownOptionError } from '../../../src/core/errors.js';
import { makeTextTask, textTaskNames, type TextProblem } from '../../../src/envs/text/index.js';

describe.each(textTaskNames.map((name) => [name]))('text task %s', (name) => {
  const task = makeTextTask(name);

  it('solve() verifies as correct with reward 1 on hundreds of problems of both splits', () => {
    for (const split of ['train', 'test'] as const) {
      for (const problem of task.problems({ split, count: 150, seed: 11 })) {
        const response = task.solve(problem);
        expect(response.length).toBeLessThanOrEqual(task.maxResponseLength);
        const v = task.verify(problem, response);
        expect(v, `${problem.prompt} → ${response}`).toMatchObject({ reward: 1, correct: true, flags: [] });
        expect(Object.keys(v.components).sort()).toEqual([...task.componentNames].sort());
      }
    }
  });

  it('prompts and solutions use only the alphabet and respect the length bounds at every difficulty', () => {
    const alphabet = new Set(task.alphabet);
    for (const t of task.alphabet) expect(t.length).toBe(1);
    for (let d = task.minDifficulty; d <= task.difficulty; d++) {
      for (const problem of task.problems({ split: 'train', count: 40, seed: d, difficulty: d, unique: false })) {
        expect(problem.difficulty).toBe(d);
        expect(problem.prompt.length).toBeLessThanOrEqual(task.maxPromptLength);
        for (const ch of problem.prompt + task.solve(problem)) expect(alphabet.has(ch), `'${ch}' in ${problem.prompt}`).toBe(true);
        expect(task.verify(problem, task.solve(problem)).correct).toBe(true);
      }
    }
  });

  it('is deterministic per (seed, split, index) and different across seeds', () => {
    const a = task.problems({ split: 'train', count: 30, seed: 5 });
    const b = task.problems({ split: 'train', count: 30, seed: 5 });
    expect(b).toEqual(a);
    // A shorter call is a prefix of a longer one: index i does not depend on count.
    expect(task.problems({ split: 'train', count: 10, seed: 5 })).toEqual(a.slice(0, 10));
    const c = task.problems({ split: 'train', count: 30, seed: 6 });
    expect(c.map((p) => p.prompt)).not.toEqual(a.map((p) => p.prompt));
    expect(new Set(a.map((p) => p.id)).size).toBe(30);
  });

  it('never puts a problem in both splits', () => {
    const train = task.problems({ split: 'train', count: 300, seed: 1 });
    const test = task.problems({ split: 'test', count: 150, seed: 1 });
    const trainIds = new Set(train.map((p) => p.id));
    expect(test.filter((p) => trainIds.has(p.id))).toEqual([]);
  });

  it('changes the problems with the difficulty', () => {
    const low = task.problems({ split: 'train', count: 20, seed: 3, difficulty: task.minDifficulty, unique: false });
    const high = task.problems({ split: 'train', count: 20, seed: 3 });
    const meanLength = (ps: TextProblem[]) => ps.reduce((s, p) => s + p.prompt.length, 0) / ps.length;
    expect(meanLength(high)).toBeGreaterThan(meanLength(low));
  });

  it('scores empty, over-long and non-string responses 0 with a flag, and never throws on bad problems', () => {
    const [problem] = task.problems({ split: 'test', count: 1, seed: 2 });
    expect(task.verify(problem!, '')).toMatchObject({ reward: 0, correct: false, flags: ['empty'] });
    const long = task.solve(problem!).padEnd(task.maxResponseLength + 1, task.alphabet[0]!);
    expect(task.verify(problem!, long)).toMatchObject({ reward: 0, correct: false, flags: ['overlong'] });
    expect(task.verify(problem!, 42 as unknown as string).flags).toEqual(['verifier-error']);
    const broken = { ...problem!, data: { nonsense: true } };
    const v = task.verify(broken, task.solve(problem!));
    expect(v).toMatchObject({ reward: 0, correct: false, flags: ['verifier-error'] });
    expect(Object.keys(v.components).sort()).toEqual([...task.componentNames].sort());
    expect(task.verify(null as unknown as TextProblem, 'x').flags).toEqual(['verifier-error']);
    expect(() => task.solve(broken)).toThrow(InvalidArgumentError);
  });

  it('rejects bad problems() arguments with typed errors', () => {
    expect(() => task.problems({ split: 'valid' as 'train', count: 1, seed: 0 })).toThrow(/split/);
    expect(() => task.problems({ split: 'train', count: -1, seed: 0 })).toThrow(InvalidArgumentError);
    expect(() => task.problems({ split: 'train', count: 1, seed: -3 })).toThrow(InvalidSeedError);
    expect(() => task.problems({ split: 'train', count: 1, seed: 0, difficulty: task.difficulty + 1 })).toThrow(/difficulty/);
    expect(() => task.problems({ split: 'train', count: 1, seed: 0, difficulty: task.minDifficulty - 1 })).toThrow(InvalidArgumentError);
    expect(() => task.problems({ split: 'train', count: 1, seed: 0, sead: 1 } as never)).toThrow(UnknownOptionError);
  });

  it('rebuilds the same task from its resolved options', () => {
    const again = makeTextTask(name, { ...task.options });
    expect(again.problems({ split: 'test', count: 5, seed: 9 })).toEqual(task.problems({ split: 'test', count: 5, seed: 9 }));
    expect(again.alphabet).toEqual(task.alphabet);
  });
});

describe('makeTextTask', () => {
  it('suggests close matches for an unknown name', () => {
    expect(() => makeTextTask('adition')).toThrow(/Did you mean 'addition'/);
    expect(() => makeTextTask('nope')).toThrow(InvalidArgumentError);
  });
  it('rejects unknown and malformed options with typed errors', () => {
    for (const name of textTaskNames) {
      expect(() => makeTextTask(name, { dificulty: 2 })).toThrow(UnknownOptionError);
      expect(() => makeTextTask(name, { difficulty: 0.5 })).toThrow(/difficulty/);
      expect(() => makeTextTask(name, { testFraction: 1 })).toThrow(/testFraction/);
    }
  });
});
