/**
 * Multi-digit addition (`a+b=`) and multiplication (`a*b=`). Difficulty d = digits of each operand (d = 1 draws
 * 0..9, d > 1 draws exactly d digits). The response is the decimal result, optionally least-significant digit
 * first (`reverseDigits`, the order in which a left-to-right decoder can compute carries). Exact arithmetic in BigInt.
 *
 * Reward 1 for the exact answer string, else 0. Components: `format` (digits only), `correct`, and `digitAccuracy`
 * (fraction of digit positions right, aligned at the units digit; a diagnostic, not part of the reward).
 */
import { checkOptions } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { TextTaskBase, type GeneratedProblem } from './text-task-base.js';
import { booleanOption, integerOption, openFractionOption } from './task-options.js';
import type { TextProblem, Verification } from './types.js';

export type ArithmeticOperator = '+' | '*';

export interface ArithmeticTaskOptions {
  /** Digits per operand: the highest difficulty (default 3 for addition, 2 for multiplication; at most 12). */
  difficulty?: number;
  /** Write the answer least-significant digit first (default false). */
  reverseDigits?: boolean;
  /** Fraction of problem identities held out for the test split (default 0.2). */
  testFraction?: number;
}

interface ArithmeticData {
  a: string;
  b: string;
  /** The expected response (reversed when reverseDigits). */
  answer: string;
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
const MAX_DIGITS = 12;
const OPTION_KEYS = ['difficulty', 'reverseDigits', 'testFraction'] as const;

export class ArithmeticTask extends TextTaskBase<ArithmeticData> {
  readonly name: string;
  readonly operator: ArithmeticOperator;
  readonly alphabet: readonly string[];
  readonly maxResponseLength: number;
  readonly maxPromptLength: number;
  readonly componentNames = ['format', 'correct', 'digitAccuracy'] as const;
  readonly difficulty: number;
  readonly minDifficulty = 1;
  readonly reverseDigits: boolean;
  readonly testFraction: number;
  readonly options: Readonly<Record<string, unknown>>;

  constructor(operator: ArithmeticOperator, options: ArithmeticTaskOptions = {}) {
    super();
    this.operator = operator;
    this.name = operator === '+' ? 'addition' : 'multiplication';
    checkOptions(this.name, options, OPTION_KEYS);
    this.difficulty = integerOption(this.name, 'difficulty', options.difficulty, operator === '+' ? 3 : 2, 1, MAX_DIGITS);
    this.reverseDigits = booleanOption(this.name, 'reverseDigits', options.reverseDigits, false);
    this.testFraction = openFractionOption(this.name, 'testFraction', options.testFraction, 0.2);
    this.options = Object.freeze({ difficulty: this.difficulty, reverseDigits: this.reverseDigits, testFraction: this.testFraction });
    this.alphabet = Object.freeze([...DIGITS, operator, '=']);
    this.maxResponseLength = operator === '+' ? this.difficulty + 1 : 2 * this.difficulty;
    this.maxPromptLength = 2 * this.difficulty + 2;
  }

  protected generate(rng: Rng, difficulty: number): GeneratedProblem<ArithmeticData> {
    const low = difficulty === 1 ? 0 : 10 ** (difficulty - 1);
    const high = 10 ** difficulty;
    const a = String(rng.integers(low, high));
    const b = String(rng.integers(low, high));
    const result = this.operator === '+' ? BigInt(a) + BigInt(b) : BigInt(a) * BigInt(b);
    const answer = this.reverseDigits ? [...result.toString()].reverse().join('') : result.toString();
    // Both operations commute: a∘b and b∘a are one identity, so they never straddle the split.
    const [lo, hi] = BigInt(a) <= BigInt(b) ? [a, b] : [b, a];
    return { prompt: `${a}${this.operator}${b}=`, data: { a, b, answer }, splitKey: `${lo}${this.operator}${hi}` };
  }

  protected dataOf(problem: TextProblem): ArithmeticData {
    const d = problem?.data as Partial<ArithmeticData> | undefined;
    if (typeof d !== 'object' || d === null || typeof d.answer !== 'string' || typeof d.a !== 'string' || typeof d.b !== 'string') {
      this.badData(problem, 'data needs string fields a, b, answer');
    }
    return d as ArithmeticData;
  }

  protected check(data: ArithmeticData, response: string): Verification {
    if (!/^[0-9]+$/.test(response)) return this.failure(['malformed']);
    const correct = response === data.answer;
    return {
      reward: correct ? 1 : 0,
      correct,
      components: { format: 1, correct: correct ? 1 : 0, digitAccuracy: this.digitAccuracy(data.answer, response) },
      flags: [],
    };
  }

  protected solveData(data: ArithmeticData): string {
    return data.answer;
  }

  /** Matching digit positions / the longer length, aligned at the units digit (the end, or the start when reversed). */
  private digitAccuracy(answer: string, response: string): number {
    const a = this.reverseDigits ? answer : [...answer].reverse().join('');
    const r = this.reverseDigits ? response : [...response].reverse().join('');
    let matches = 0;
    for (let i = 0; i < Math.min(a.length, r.length); i++) if (a[i] === r[i]) matches++;
    return matches / Math.max(a.length, r.length);
  }
}
