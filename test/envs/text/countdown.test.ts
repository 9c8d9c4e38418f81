/** Countdown: exact expression evaluation, number-use rules, solver exhaustiveness, generated problems solvable. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import {
  CountdownTask,
  evaluateCountdownExpression,
  makeTextTask,
  parseCountdownExpression,
  solveCountdown,
  type TextProblem,
} from '../../../src/envs/text/index.js';

function problem(numbers: number[], target: number): TextProblem {
  return { id: 'countdown:t', prompt: `${numbers.join(' ')}:${target}=`, difficulty: numbers.length, data: { numbers, target } };
}

function value(text: string): string | null {
  const tree = parseCountdownExpression(text);
  if (!tree) return 'parse-error';
  const v = evaluateCountdownExpression(tree);
  return v && `${v.num}/${v.den}`;
}

describe('countdown expressions', () => {
  it('respect precedence, associativity and parentheses, exactly', () => {
    expect(value('2+3*4')).toBe('14/1');
    expect(value('(2+3)*4')).toBe('20/1');
    expect(value('10-4-3')).toBe('3/1');
    expect(value('10-(4-3)')).toBe('9/1');
    expect(value('8/4/2')).toBe('1/1');
    expect(value(' 7 / ( 3 * 2 ) ')).toBe('7/6');
    // 1/3 summed three times is exactly 1 (0.333… in floating point would not be).
    expect(value('1/3+1/3+1/3')).toBe('1/1');
    expect(value('5/(3-3)')).toBeNull();
  });
  it('reject malformed text', () => {
    for (const bad of ['', '3+', '(3+4', '3+4)', '3 4', '-3+4', '3**4', '3+a', '()', '3=3']) expect(value(bad), bad).toBe('parse-error');
  });
});

describe('countdown task', () => {
  const task = new CountdownTask({ difficulty: 3 });

  it('verifies good and bad responses with named components', () => {
    const p = problem([3, 7, 25], 75);
    expect(task.verify(p, '3*25')).toEqual({ reward: 1, correct: true, components: { format: 1, 'uses-valid-numbers': 1, correct: 1 }, flags: [] });
    expect(task.verify(p, '(7-3)*25-25').flags).toEqual(['invalid-numbers']); // 25 twice
    expect(task.verify(p, '75')).toMatchObject({ reward: 0, components: { format: 1, 'uses-valid-numbers': 0 }, flags: ['invalid-numbers'] });
    expect(task.verify(p, '5*15')).toMatchObject({ reward: 0, components: { 'uses-valid-numbers': 0 } });
    expect(task.verify(p, '03*25')).toMatchObject({ reward: 0, flags: ['invalid-numbers'] });
    expect(task.verify(p, '3*7+25')).toEqual({ reward: 0, correct: false, components: { format: 1, 'uses-valid-numbers': 1, correct: 0 }, flags: [] });
    expect(task.verify(p, '25/(7-7)')).toMatchObject({ reward: 0, flags: ['invalid-numbers', 'division-by-zero'] });
    expect(task.verify(p, '25/(3-3)').flags).toContain('division-by-zero');
    expect(task.verify(p, '3*25=75')).toMatchObject({ reward: 0, components: { format: 0 }, flags: ['malformed'] });
    expect(task.verify(p, ' 3 * 25 ').correct).toBe(true);
  });

  it('accepts a fractional intermediate when the final value is exact', () => {
    const p = problem([3, 4, 8], 24);
    expect(task.verify(p, '8/(4/3)*4')).toMatchObject({ correct: false }); // 4 used twice
    expect(task.verify(problem([1, 3, 4, 6], 24), '6/(1-3/4)').correct).toBe(true);
  });

  it('counts repeated numbers as separate uses', () => {
    const p = problem([5, 5, 2], 20);
    expect(task.verify(p, '5*2+5*2')).toMatchObject({ correct: false, flags: ['invalid-numbers'] });
    expect(task.verify(p, '(5+5)*2').correct).toBe(true);
  });

  it('with useAll requires every number', () => {
    const all = new CountdownTask({ difficulty: 3, useAll: true });
    const p = problem([3, 7, 25], 75);
    expect(all.verify(p, '3*25').flags).toEqual(['invalid-numbers']);
    expect(all.verify(p, '(7-3)*25-25')).toMatchObject({ correct: false });
    expect(all.verify(problem([3, 7, 25], 46), '3*7+25').correct).toBe(true);
    for (const q of all.problems({ split: 'train', count: 100, seed: 3 })) {
      const s = all.solve(q);
      expect(parseCountdownExpression(s) && s.match(/\d+/g)!.length).toBe(3);
      expect(all.verify(q, s).correct).toBe(true);
    }
  });

  it('finds a solution whenever one exists (brute force over 2-number problems agrees)', () => {
    for (let a = 1; a <= 12; a++) {
      for (let b = 1; b <= 12; b++) {
        const reachable = new Set([a, b, a + b, a - b, b - a, a * b]);
        if (a % b === 0) reachable.add(a / b);
        if (b % a === 0) reachable.add(b / a);
        for (let target = 1; target <= 30; target++) {
          const s = solveCountdown([a, b], target, false);
          expect(s !== null, `${a} ${b} → ${target}`).toBe(reachable.has(target));
        }
      }
    }
    expect(() => task.solve(problem([1, 1], 97))).toThrow(InvalidArgumentError);
  });

  it('solver uses as few numbers as possible', () => {
    expect(solveCountdown([3, 7, 25], 75, false)).toBe('3*25');
    expect(solveCountdown([2, 3, 4], 6, false)).toBe('2*3');
    expect(solveCountdown([2, 3, 4], 14, false)!.match(/\d+/g)).toHaveLength(3);
  });

  it('generates solvable, non-trivial problems at difficulty 5 too', () => {
    const hard = makeTextTask('countdown', { difficulty: 5, maxNumber: 50, maxTarget: 500 });
    for (const q of hard.problems({ split: 'test', count: 20, seed: 7 })) {
      const { numbers, target } = q.data as { numbers: number[]; target: number };
      expect(numbers).toHaveLength(5);
      expect(numbers).not.toContain(target);
      expect(target).toBeGreaterThanOrEqual(1);
      expect(target).toBeLessThanOrEqual(500);
      expect(hard.verify(q, hard.solve(q)).correct).toBe(true);
    }
  });

  it('rejects bad options', () => {
    expect(() => makeTextTask('countdown', { difficulty: 6 })).toThrow(/difficulty/);
    expect(() => makeTextTask('countdown', { maxNumber: 1 })).toThrow(/maxNumber/);
    expect(() => makeTextTask('countdown', { useAll: 'yes' })).toThrow(/useAll/);
  });
});
