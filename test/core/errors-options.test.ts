/** Typed errors, option checking and "did you mean" suggestions. */
import { describe, expect, it } from 'vitest';
import {
  AlreadyRegisteredError,
  InvalidArgumentError,
  TeleoError,
  UnknownEnvError,
  UnknownOptionError,
  checkOptions,
  closeMatches,
  describeValue,
  editDistance,
} from '../../src/core/index.js';

describe('typed errors', () => {
  it('carry a name, a stable code and stay instances of TeleoError and Error', () => {
    const e = new InvalidArgumentError('bad');
    expect(e).toBeInstanceOf(TeleoError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('InvalidArgumentError');
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(new AlreadyRegisteredError('A-v0').message).toContain('override');
  });

  it('UnknownEnvError lists suggestions in its message', () => {
    const e = new UnknownEnvError('Foo-v0', ['Foo-v1']);
    expect(e.suggestions).toEqual(['Foo-v1']);
    expect(e.message).toContain("Did you mean: 'Foo-v1'?");
    expect(new UnknownEnvError('Foo-v0', []).message).not.toContain('Did you mean');
  });

  it('describeValue is short and never throws', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('[object Object]');
    expect(describeValue('x'.repeat(200)).length).toBeLessThanOrEqual(80);
    expect(describeValue(new Float32Array(20))).toContain('Float32Array(20)');
    expect(describeValue(undefined)).toBe('undefined');
  });
});

describe('checkOptions', () => {
  it('accepts known keys and names the first unknown one', () => {
    expect(() => checkOptions('Thing', { a: 1 }, ['a', 'b'])).not.toThrow();
    expect(() => checkOptions('Thing', undefined, ['a'])).not.toThrow();
    try {
      checkOptions('Thing', { a: 1, c: 2 }, ['a', 'b']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownOptionError);
      expect((e as UnknownOptionError).option).toBe('c');
      expect((e as Error).message).toContain('accepted options: a, b');
    }
  });
});

describe('closeMatches', () => {
  const ids = ['CartPole-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Pendulum-v1', 'Acrobot-v1'];

  it('edit distance is Levenshtein', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests ids that differ in case, a typo or the version', () => {
    expect(closeMatches('cartpole', ids)[0]).toBe('CartPole-v1');
    expect(closeMatches('CartPol-v1', ids)[0]).toBe('CartPole-v1');
    expect(closeMatches('Pendulum-v0', ids)[0]).toBe('Pendulum-v1');
    expect(closeMatches('mountaincar', ids)).toContain('MountainCar-v0');
  });

  it('suggests nothing for unrelated names, and at most `max`', () => {
    expect(closeMatches('Breakout-v5', ids)).toEqual([]);
    expect(closeMatches('x', ['-v0', 'ab-v1'])).toEqual([]);
    expect(closeMatches('a', ['a1', 'a2', 'a3', 'a4'], 2)).toHaveLength(2);
  });
});
