/** Addition and multiplication: answers, verifier on good/bad outputs, reversed digits, split symmetry. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { makeTextTask } from '../../../src/envs/text/index.js';

describe('addition', () => {
  const task = makeTextTask('addition', { difficulty: 3 });

  it('asks a+b= with operands of exactly d digits and answers the sum', () => {
    for (const p of task.problems({ split: 'train', count: 200, seed: 4 })) {
      const m = /^(\d{3})\+(\d{3})=$/.exec(p.prompt);
      expect(m, p.prompt).not.toBeNull();
      expect(m![1]![0]).not.toBe('0');
      expect(task.solve(p)).toBe(String(Number(m![1]) + Number(m![2])));
    }
  });

  it('scores near misses, malformed and leading-zero answers 0', () => {
    const p = { id: 'addition:457+389=', prompt: '457+389=', difficulty: 3, data: { a: '457', b: '389', answer: '846' } };
    expect(task.verify(p, '846')).toEqual({ reward: 1, correct: true, components: { format: 1, correct: 1, digitAccuracy: 1 }, flags: [] });
    const near = task.verify(p, '836');
    expect(near).toMatchObject({ reward: 0, correct: false, flags: [] });
    expect(near.components).toEqual({ format: 1, correct: 0, digitAccuracy: 2 / 3 });
    expect(task.verify(p, '0846').components.digitAccuracy).toBe(3 / 4);
    expect(task.verify(p, '0846').reward).toBe(0);
    for (const bad of ['84 6', '+846', '846=', 'abc', '8.46']) {
      expect(task.verify(p, bad)).toMatchObject({ reward: 0, correct: false, flags: ['malformed'], components: { format: 0 } });
    }
    expect(task.verify(p, '84600').flags).toEqual(['overlong']);
  });

  it('writes the answer least-significant digit first with reverseDigits', () => {
    const rev = makeTextTask('addition', { difficulty: 3, reverseDigits: true });
    const fwd = makeTextTask('addition', { difficulty: 3 });
    const [pr] = rev.problems({ split: 'train', count: 1, seed: 8 });
    const [pf] = fwd.problems({ split: 'train', count: 1, seed: 8 });
    expect(pr!.prompt).toBe(pf!.prompt);
    expect(rev.solve(pr!)).toBe([...fwd.solve(pf!)].reverse().join(''));
    expect(rev.verify(pr!, fwd.solve(pf!)).correct).toBe(fwd.solve(pf!) === rev.solve(pr!));
  });

  it('keeps a+b and b+a in the same split', () => {
    const test = task.problems({ split: 'test', count: 100, seed: 1 });
    const train = new Set(task.problems({ split: 'train', count: 2000, seed: 2 }).map((p) => p.prompt));
    for (const p of test) {
      const [a, b] = p.prompt.slice(0, -1).split('+');
      expect(train.has(`${b}+${a}=`)).toBe(false);
    }
  });

  it('holds out about testFraction of the identities', () => {
    const small = makeTextTask('addition', { difficulty: 1, testFraction: 0.3 });
    // 1-digit addition has 55 unordered identities; sampling exhausts each split.
    const train = small.problems({ split: 'train', count: 1000, seed: 0, unique: false });
    const trainKeys = new Set(train.map((p) => p.prompt));
    expect(() => small.problems({ split: 'test', count: 101, seed: 0 })).toThrow(InvalidArgumentError);
    const test = small.problems({ split: 'test', count: 1000, seed: 0, unique: false });
    const testKeys = new Set(test.map((p) => p.prompt));
    expect(trainKeys.size + testKeys.size).toBe(100);
    expect(testKeys.size).toBeGreaterThan(10);
    expect(testKeys.size).toBeLessThan(50);
  });
});

describe('multiplication', () => {
  it('answers exact products, also beyond 2^53', () => {
    const task = makeTextTask('multiplication', { difficulty: 12 });
    for (const p of task.problems({ split: 'train', count: 50, seed: 1 })) {
      const [a, b] = p.prompt.slice(0, -1).split('*');
      expect(task.solve(p)).toBe((BigInt(a!) * BigInt(b!)).toString());
      expect(task.verify(p, task.solve(p)).correct).toBe(true);
    }
    expect(task.maxResponseLength).toBe(24);
  });
  it('rejects a wrong product', () => {
    const task = makeTextTask('multiplication');
    const p = { id: 'x', prompt: '12*34=', difficulty: 2, data: { a: '12', b: '34', answer: '408' } };
    expect(task.verify(p, '408').correct).toBe(true);
    expect(task.verify(p, '418')).toMatchObject({ reward: 0, correct: false });
    expect(task.verify(p, '4*8')).toMatchObject({ reward: 0, flags: ['malformed'] });
  });
});
