/**
 * function-call, the EGPO setting at toy scale: the prompt lists the available tools with their argument names
 * and states a request (`weather(city);add(a,b);call(person)|is it cold in oslo>`); the response is one call with
 * keyword arguments, in any order (`weather(city=oslo)`). Difficulty = how many tools are listed (2..6): the
 * right one plus distractors, some of them look-alikes. Values are bare lowercase words or numbers.
 *
 * Components: `format` (the response is `name(arg=value,...)`), `tool` (it calls the right tool, judged from the
 * name before the first '(' even when the rest is malformed), `arguments` (exactly the right argument names and
 * values, none missing, extra or repeated). Strict binary reward as in EGPO: 1 only when all three hold.
 */
import { checkOptions } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { TOOLS, VALUE_POOLS, longestValue, toolSignature, type ToolSpec } from './function-call-tools.js';
import { TextTaskBase, type GeneratedProblem } from './text-task-base.js';
import { integerOption, openFractionOption } from './task-options.js';
import type { TextProblem, Verification } from './types.js';

export interface FunctionCallTaskOptions {
  /** How many tools the prompt lists: the highest difficulty (default 3, range 2..6). */
  difficulty?: number;
  /** Fraction of problem identities held out for the test split (default 0.2). */
  testFraction?: number;
}

export interface FunctionCallData {
  /** Names of the listed tools, in prompt order. */
  tools: string[];
  /** The expected call: the tool and its arguments in signature order. */
  call: { name: string; args: [string, string][] };
}

const OPTION_KEYS = ['difficulty', 'testFraction'] as const;
const CALL_PATTERN = /^([a-z]+)\((.*)\)$/;
const ARGUMENT_PATTERN = /^\s*([a-z]+)\s*=\s*([a-z0-9]+)\s*$/;

export class FunctionCallTask extends TextTaskBase<FunctionCallData> {
  readonly name = 'function-call';
  readonly alphabet: readonly string[];
  readonly componentNames = ['format', 'tool', 'arguments'] as const;
  readonly difficulty: number;
  readonly minDifficulty = 2;
  readonly testFraction: number;
  readonly maxResponseLength: number;
  readonly maxPromptLength: number;
  readonly options: Readonly<Record<string, unknown>>;

  constructor(options: FunctionCallTaskOptions = {}) {
    super();
    checkOptions(this.name, options, OPTION_KEYS);
    this.difficulty = integerOption(this.name, 'difficulty', options.difficulty, 3, 2, 6);
    this.testFraction = openFractionOption(this.name, 'testFraction', options.testFraction, 0.2);
    this.options = Object.freeze({ difficulty: this.difficulty, testFraction: this.testFraction });

    const texts = TOOLS.flatMap((t) => [toolSignature(t), ...t.requests.map((r) => r.replace(/\{\w+\}/g, ''))]);
    texts.push(...Object.values(VALUE_POOLS).flat(), '0123456789', '(),=;|> ');
    this.alphabet = Object.freeze([...new Set(texts.join(''))].sort());
    const callLength = (t: ToolSpec) => t.name.length + 2 + t.args.reduce((s, a) => s + a.name.length + 1 + longestValue(a.kind), 0) + t.args.length - 1;
    this.maxResponseLength = Math.max(...TOOLS.map(callLength));
    const requestLength = (t: ToolSpec) =>
      Math.max(...t.requests.map((r) => r.replace(/\{(\w+)\}/g, (_, arg: string) => 'x'.repeat(longestValue(t.args.find((a) => a.name === arg)!.kind))).length));
    const signatures = TOOLS.map((t) => toolSignature(t).length).sort((x, y) => y - x);
    const listLength = signatures.slice(0, this.difficulty).reduce((s, l) => s + l, 0) + this.difficulty - 1;
    this.maxPromptLength = listLength + 1 + Math.max(...TOOLS.map(requestLength)) + 1;
  }

  protected generate(rng: Rng, difficulty: number): GeneratedProblem<FunctionCallData> {
    const order = rng.permutation(TOOLS.length);
    const listed = Array.from(order.subarray(0, difficulty), (i) => TOOLS[i]!);
    const tool = listed[rng.integers(0, listed.length)]!;
    const values = new Map<string, string>();
    for (const arg of tool.args) {
      const pool = VALUE_POOLS[arg.kind];
      let value: string;
      do value = pool[rng.integers(0, pool.length)]!;
      while (tool.distinct?.includes(arg.name) && [...values].some(([n, v]) => v === value && tool.distinct!.includes(n)));
      values.set(arg.name, value);
    }
    const request = tool.requests[rng.integers(0, tool.requests.length)]!.replace(/\{(\w+)\}/g, (_, arg: string) => values.get(arg)!);
    const prompt = `${listed.map(toolSignature).join(';')}|${request}>`;
    const data: FunctionCallData = { tools: listed.map((t) => t.name), call: { name: tool.name, args: [...values] } };
    // The identity ignores the order in which the tools are listed.
    return { prompt, data, splitKey: `${listed.map(toolSignature).sort().join(';')}|${request}` };
  }

  protected dataOf(problem: TextProblem): FunctionCallData {
    const d = problem?.data as Partial<FunctionCallData> | undefined;
    const isPair = (p: unknown) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string';
    if (
      typeof d !== 'object' || d === null || !Array.isArray(d.tools) || !d.tools.every((t) => typeof t === 'string') ||
      typeof d.call !== 'object' || d.call === null || typeof d.call.name !== 'string' || !Array.isArray(d.call.args) || !d.call.args.every(isPair)
    ) {
      this.badData(problem, 'data needs tools (names) and call { name, args: [name, value][] }');
    }
    return d as FunctionCallData;
  }

  protected check(data: FunctionCallData, response: string): Verification {
    const text = response.trim();
    const gold = data.call;
    const flags: string[] = [];
    const calledName = /^([a-z]+)\(/.exec(text)?.[1];
    const tool = calledName === gold.name ? 1 : 0;
    if (calledName !== undefined && !tool) flags.push(data.tools.includes(calledName) ? 'wrong-tool' : 'unknown-tool');

    const match = CALL_PATTERN.exec(text);
    const argumentTexts = match && match[2]!.trim() !== '' ? match[2]!.split(',') : [];
    const parsed = argumentTexts.map((a) => ARGUMENT_PATTERN.exec(a));
    if (!match || parsed.some((p) => p === null)) {
      return { reward: 0, correct: false, components: { format: 0, tool, arguments: 0 }, flags: ['malformed', ...flags] };
    }
    let argumentsRight = tool === 1;
    if (tool) {
      const given = new Map<string, string>();
      for (const p of parsed) {
        if (given.has(p![1]!)) flags.push('duplicate-argument');
        given.set(p![1]!, p![2]!);
      }
      const expected = new Map(gold.args);
      for (const [name, value] of expected) {
        if (!given.has(name)) flags.push('missing-argument');
        else if (given.get(name) !== value) flags.push('wrong-value');
      }
      if ([...given.keys()].some((k) => !expected.has(k))) flags.push('extra-argument');
      argumentsRight = flags.length === 0;
    }
    const correct = tool === 1 && argumentsRight;
    return {
      reward: correct ? 1 : 0,
      correct,
      components: { format: 1, tool, arguments: argumentsRight ? 1 : 0 },
      flags: [...new Set(flags)],
    };
  }

  protected solveData(data: FunctionCallData): string {
    return `${data.call.name}(${data.call.args.map(([n, v]) => `${n}=${v}`).join(',')})`;
  }
}
