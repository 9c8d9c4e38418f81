/** function-call: call parsing, right/wrong tool and arguments, strict binary reward, prompt structure. */
import { describe, expect, it } from 'vitest';
import { FunctionCallTask, TOOLS, toolSignature, type FunctionCallData, type TextProblem } from '../../../src/envs/text/index.js';

const problem: TextProblem = {
  id: 'function-call:t',
  prompt: 'weather(city);convert(amount,from,to);book(city,day)|how much is 12 usd in eur>',
  difficulty: 3,
  data: { tools: ['weather', 'convert', 'book'], call: { name: 'convert', args: [['amount', '12'], ['from', 'usd'], ['to', 'eur']] } },
};

const weatherProblem: TextProblem = {
  id: 'function-call:w',
  prompt: 'call(person);weather(city)|is it cold in lima>',
  difficulty: 2,
  data: { tools: ['call', 'weather'], call: { name: 'weather', args: [['city', 'lima']] } },
};

describe('function-call task', () => {
  const task = new FunctionCallTask({ difficulty: 3 });

  it('accepts the exact call with arguments in any order', () => {
    const exact = { reward: 1, correct: true, components: { format: 1, tool: 1, arguments: 1 }, flags: [] };
    expect(task.solve(problem)).toBe('convert(amount=12,from=usd,to=eur)');
    expect(task.verify(problem, 'convert(amount=12,from=usd,to=eur)')).toEqual(exact);
    expect(task.verify(problem, 'convert(to=eur,amount=12,from=usd)')).toEqual(exact);
    expect(task.verify(weatherProblem, ' weather( city = lima ) ')).toEqual(exact);
    // Over the length a correct call can need: the budget is part of the task.
    expect(task.verify(problem, 'convert(to=eur, amount=12, from=usd)').flags).toEqual(['overlong']);
  });

  it('scores wrong tools and arguments 0 with the reason', () => {
    expect(task.verify(problem, 'book(city=rome,day=mon)')).toEqual({
      reward: 0, correct: false, components: { format: 1, tool: 0, arguments: 0 }, flags: ['wrong-tool'],
    });
    expect(task.verify(problem, 'add(a=1,b=2)').flags).toEqual(['unknown-tool']);
    const wrongValue = task.verify(problem, 'convert(amount=12,from=eur,to=usd)');
    expect(wrongValue).toEqual({ reward: 0, correct: false, components: { format: 1, tool: 1, arguments: 0 }, flags: ['wrong-value'] });
    expect(task.verify(problem, 'convert(amount=12,from=usd)').flags).toEqual(['missing-argument']);
    expect(task.verify(weatherProblem, 'weather(city=lima,day=mon)').flags).toEqual(['extra-argument']);
    expect(task.verify(weatherProblem, 'weather(city=lima,city=lima)').flags).toEqual(['duplicate-argument']);
    expect(task.verify(weatherProblem, 'weather(city=lima,city=rome)').flags).toEqual(['duplicate-argument', 'wrong-value']);
    expect(task.verify(problem, 'convert()').flags).toEqual(['missing-argument']);
  });

  it('flags malformed calls but still credits a recognisable tool name', () => {
    const half = task.verify(problem, 'convert(amount=12,from=usd');
    expect(half).toEqual({ reward: 0, correct: false, components: { format: 0, tool: 1, arguments: 0 }, flags: ['malformed'] });
    for (const bad of ['convert amount=12', 'convert(amount:12,from=usd,to=eur)', 'convert(amount=12,,to=eur)', '(amount=12)', 'convert(amount=12,from=usd,to=eur))']) {
      expect(task.verify(problem, bad), bad).toMatchObject({ reward: 0, correct: false, components: { format: 0, arguments: 0 } });
      expect(task.verify(problem, bad).flags).toContain('malformed');
    }
  });

  it('lists the right tool among distinct distractors and states every argument value in the request', () => {
    const byName = new Map(TOOLS.map((t) => [t.name, t]));
    for (const p of task.problems({ split: 'train', count: 200, seed: 3 })) {
      const data = p.data as FunctionCallData;
      expect(data.tools).toHaveLength(3);
      expect(new Set(data.tools).size).toBe(3);
      expect(data.tools).toContain(data.call.name);
      const [list, request] = p.prompt.slice(0, -1).split('|');
      expect(list).toBe(data.tools.map((n) => toolSignature(byName.get(n)!)).join(';'));
      for (const [, value] of data.call.args) expect(request!.split(' ')).toContain(value);
      if (data.call.name === 'convert') expect(data.call.args[1]![1]).not.toBe(data.call.args[2]![1]);
    }
  });

  it('lists more tools at higher difficulty', () => {
    const hard = new FunctionCallTask({ difficulty: 6 });
    for (const p of hard.problems({ split: 'test', count: 20, seed: 1 })) expect((p.data as FunctionCallData).tools).toHaveLength(6);
    expect(hard.maxPromptLength).toBeGreaterThan(task.maxPromptLength);
  });
});
