/** json-struct: strict JSON parsing, each reward component on good and bad objects, weights option. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnknownOptionError } from '../../../src/core/errors.js';
import { JsonStructTask, makeTextTask, parseStrictJson, type TextProblem } from '../../../src/envs/text/index.js';

const problem: TextProblem = {
  id: 'json-struct:t',
  prompt: 'a:i=7 c:s="bd" d:b e:l>',
  difficulty: 4,
  data: {
    fields: [
      { key: 'a', type: 'i', value: '7' },
      { key: 'c', type: 's', value: '"bd"' },
      { key: 'd', type: 'b' },
      { key: 'e', type: 'l' },
    ],
  },
};

describe('parseStrictJson', () => {
  it('parses JSON and reports duplicate keys', () => {
    expect(parseStrictJson(' {"a":[1,2.5e1,-3],"b":"x\\"y","c":null,"d":true} ')?.value).toEqual(
      new Map<string, unknown>([['a', [1, 25, -3]], ['b', 'x"y'], ['c', null], ['d', true]]),
    );
    expect(parseStrictJson('{"a":1,"a":2}')?.duplicateKeys).toEqual(['a']);
    expect(parseStrictJson('{"__proto__":1}')?.value).toEqual(new Map([['__proto__', 1]]));
  });
  it('rejects what JSON forbids', () => {
    for (const bad of ['', '{', '{"a":1,}', "{'a':1}", '{a:1}', '[1 2]', '01', '{"a":1}}', '"\n"', 'tru', '{"a":+1}', '1.']) {
      expect(parseStrictJson(bad), bad).toBeNull();
    }
  });
});

describe('json-struct task', () => {
  const task = new JsonStructTask({ difficulty: 4 });

  it('gives reward 1 to an exact object in any key order', () => {
    const exact = { reward: 1, correct: true, components: { structural: 1, format: 1, content: 1, validity: 1 }, flags: [] };
    expect(task.solve(problem)).toBe('{"a":7,"c":"bd","d":false,"e":[]}');
    expect(task.verify(problem, task.solve(problem))).toEqual(exact);
    expect(task.verify(problem, '{"e":[1,2],"d":true,"c":"bd","a":7}')).toEqual(exact);
    expect(task.verify(problem, ' { "a" : 7 , "c":"bd","d":true,"e":[0]} ')).toEqual(exact);
  });

  it('scores each component of a flawed object', () => {
    const wrongType = task.verify(problem, '{"a":"7","c":"bd","d":true,"e":[]}');
    expect(wrongType).toMatchObject({ correct: false, components: { structural: 1, format: 1, content: 0.75, validity: 0 }, flags: ['wrong-type'] });
    expect(wrongType.reward).toBeCloseTo(0.2 + 0.1 + 0.4 * 0.75, 12);
    expect(task.verify(problem, '{"a":7,"c":"bd","d":1,"e":[]}').flags).toEqual(['wrong-type']);
    expect(task.verify(problem, '{"a":7,"c":"bd","d":true,"e":[1.5]}').flags).toEqual(['wrong-type']);
    expect(task.verify(problem, '{"a":8,"c":"bd","d":true,"e":[]}').flags).toEqual(['wrong-value']);
    const missing = task.verify(problem, '{"a":7,"c":"bd","d":true}');
    expect(missing).toMatchObject({ components: { content: 0.75, validity: 0 }, flags: ['missing-key'] });
    const extra = task.verify(problem, '{"a":7,"c":"bd","d":true,"e":[],"f":1}');
    expect(extra).toMatchObject({ correct: false, components: { content: 1, validity: 0 }, flags: ['extra-key'] });
    expect(extra.reward).toBeCloseTo(0.7, 12);
    expect(task.verify(problem, '{"a":7,"a":7,"c":"bd","d":true,"e":[]}')).toMatchObject({ correct: false, flags: ['duplicate-key'] });
  });

  it('separates structure from format', () => {
    const wrapped = task.verify(problem, 'ok {"a":7,"c":"bd","d":true,"e":[]}');
    expect(wrapped).toMatchObject({ correct: false, components: { structural: 1, format: 0, content: 1, validity: 0 }, flags: ['extra-text'] });
    expect(wrapped.reward).toBeCloseTo(0.6, 12);
    for (const bad of ['{"a":7,"c":"bd"', '[1,2]', '"a"', 'a:7', '{"a":7,}']) {
      expect(task.verify(problem, bad)).toMatchObject({ reward: 0, correct: false, components: { structural: 0, format: 0, content: 0 }, flags: ['malformed'] });
    }
  });

  it('lists keys, types and given values in the prompt', () => {
    for (const p of task.problems({ split: 'train', count: 100, seed: 2 })) {
      expect(p.prompt).toMatch(/^([ac-hj-kmnop]:[isbl](=\S+)?)( [ac-hj-kmnop]:[isbl](=\S+)?)*>$/);
      const fields = (p.data as { fields: { key: string }[] }).fields;
      expect(fields).toHaveLength(4);
      expect(new Set(fields.map((f) => f.key)).size).toBe(4);
    }
  });

  it('normalises custom weights and rejects bad ones', () => {
    const t = makeTextTask('json-struct', { weights: { structural: 1, format: 1, content: 2, validity: 0 } });
    expect(t.options.weights).toEqual({ structural: 0.25, format: 0.25, content: 0.5, validity: 0 });
    expect(t.verify(problem, '{"a":7}').reward).toBeCloseTo(0.25 + 0.25 + 0.5 * 0.25, 12);
    expect(() => makeTextTask('json-struct', { weights: { structure: 1 } })).toThrow(UnknownOptionError);
    expect(() => makeTextTask('json-struct', { weights: { format: -1 } })).toThrow(InvalidArgumentError);
    expect(() => makeTextTask('json-struct', { weights: { structural: 0, format: 0, content: 0, validity: 0 } })).toThrow(/all be 0/);
    expect(() => makeTextTask('json-struct', { weights: [1] })).toThrow(/object/);
  });
});
