/**
 * Countdown: reach a target with some of the given numbers and + - * / (ASCII for + − × ÷) and parentheses, each
 * number at most once (exactly once with `useAll`, TinyZero's rule). Prompt `3 7 25:75=`, response e.g. `3*25`.
 * Difficulty = how many numbers are given (2..5). Only solvable problems are generated: the target is drawn
 * uniformly among the non-trivial reachable values in [1, maxTarget] (not one of the numbers themselves).
 *
 * Verification is exact (BigInt fractions; a division by zero makes the expression invalid). Components:
 * `format` (parses), `uses-valid-numbers` (every literal is a given number, each used at most as often as given),
 * `correct` (both, and the value equals the target). Reward = correct ∈ {0, 1}.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import type { Rng } from '../../core/rng.js';
import { evaluateCountdownExpression, literalsOf, parseCountdownExpression } from './countdown-expression.js';
import { nonTrivialTargets, reachableValues, solveCountdown } from './countdown-search.js';
import { TextTaskBase, type GeneratedProblem } from './text-task-base.js';
import { booleanOption, integerOption, openFractionOption } from './task-options.js';
import type { TextProblem, Verification } from './types.js';

export interface CountdownTaskOptions {
  /** How many numbers are given: the highest difficulty (default 3, range 2..5). */
  difficulty?: number;
  /** Numbers are drawn uniformly from 1..maxNumber (default 25, at most 100). */
  maxNumber?: number;
  /** Targets lie in 1..maxTarget (default 100, at most 1000). */
  maxTarget?: number;
  /** Every number must be used exactly once (default false: at most once). */
  useAll?: boolean;
  /** Fraction of problem identities held out for the test split (default 0.2). */
  testFraction?: number;
}

export interface CountdownData {
  numbers: number[];
  target: number;
}

/** Draws of the numbers after which generation gives up (only absurd option combinations get there). */
const MAX_NUMBER_DRAWS = 1000;
const OPTION_KEYS = ['difficulty', 'maxNumber', 'maxTarget', 'useAll', 'testFraction'] as const;
const ALPHABET = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', ':', '=', '+', '-', '*', '/', '(', ')'] as const;

export class CountdownTask extends TextTaskBase<CountdownData> {
  readonly name = 'countdown';
  readonly alphabet: readonly string[] = Object.freeze([...ALPHABET]);
  readonly componentNames = ['format', 'uses-valid-numbers', 'correct'] as const;
  readonly difficulty: number;
  readonly minDifficulty = 2;
  readonly maxNumber: number;
  readonly maxTarget: number;
  readonly useAll: boolean;
  readonly testFraction: number;
  readonly maxResponseLength: number;
  readonly maxPromptLength: number;
  readonly options: Readonly<Record<string, unknown>>;

  constructor(options: CountdownTaskOptions = {}) {
    super();
    checkOptions(this.name, options, OPTION_KEYS);
    this.difficulty = integerOption(this.name, 'difficulty', options.difficulty, 3, 2, 5);
    this.maxNumber = integerOption(this.name, 'maxNumber', options.maxNumber, 25, 2, 100);
    this.maxTarget = integerOption(this.name, 'maxTarget', options.maxTarget, 100, 1, 1000);
    this.useAll = booleanOption(this.name, 'useAll', options.useAll, false);
    this.testFraction = openFractionOption(this.name, 'testFraction', options.testFraction, 0.2);
    this.options = Object.freeze({
      difficulty: this.difficulty, maxNumber: this.maxNumber, maxTarget: this.maxTarget, useAll: this.useAll, testFraction: this.testFraction,
    });
    const n = this.difficulty;
    const numberDigits = String(this.maxNumber).length;
    // n literals, n−1 operators, and at most two pairs of parentheses per operator.
    this.maxResponseLength = n * numberDigits + 5 * (n - 1);
    this.maxPromptLength = n * (numberDigits + 1) + String(this.maxTarget).length + 1;
  }

  protected generate(rng: Rng, difficulty: number): GeneratedProblem<CountdownData> {
    for (let attempt = 0; attempt < MAX_NUMBER_DRAWS; attempt++) {
      const numbers = Array.from({ length: difficulty }, () => rng.integers(1, this.maxNumber + 1));
      const targets = nonTrivialTargets(numbers, this.maxTarget, this.useAll);
      if (targets.length === 0) continue; // e.g. 1 2 with maxTarget 1: draw other numbers
      const target = targets[rng.integers(0, targets.length)]!;
      const sorted = [...numbers].sort((x, y) => x - y);
      return { prompt: `${numbers.join(' ')}:${target}=`, data: { numbers, target }, splitKey: `${sorted.join(' ')}:${target}` };
    }
    throw new InvalidArgumentError(
      `countdown: ${MAX_NUMBER_DRAWS} draws of ${difficulty} numbers in 1..${this.maxNumber} found no reachable target in 1..${this.maxTarget}; raise maxTarget`,
    );
  }

  protected dataOf(problem: TextProblem): CountdownData {
    const d = problem?.data as Partial<CountdownData> | undefined;
    const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
    if (typeof d !== 'object' || d === null || !Array.isArray(d.numbers) || d.numbers.length < 1 || d.numbers.length > 6 || !d.numbers.every(isCount) || !isCount(d.target)) {
      this.badData(problem, 'data needs numbers (1 to 6 non-negative integers) and a non-negative integer target');
    }
    return d as CountdownData;
  }

  protected check(data: CountdownData, response: string): Verification {
    const tree = parseCountdownExpression(response);
    if (!tree) return this.failure(['malformed']);
    const flags: string[] = [];
    const available = new Map<string, number>();
    for (const x of data.numbers) available.set(String(x), (available.get(String(x)) ?? 0) + 1);
    const literals = literalsOf(tree);
    let validNumbers = true;
    for (const literal of literals) {
      const left = available.get(literal) ?? 0;
      if (left === 0) validNumbers = false;
      else available.set(literal, left - 1);
    }
    if (this.useAll && literals.length !== data.numbers.length) validNumbers = false;
    if (!validNumbers) flags.push('invalid-numbers');
    const value = evaluateCountdownExpression(tree);
    if (!value) flags.push('division-by-zero');
    const correct = validNumbers && value !== null && value.den === 1n && value.num === BigInt(data.target);
    return {
      reward: correct ? 1 : 0,
      correct,
      components: { format: 1, 'uses-valid-numbers': validNumbers ? 1 : 0, correct: correct ? 1 : 0 },
      flags,
    };
  }

  protected solveData(data: CountdownData): string {
    const solution = solveCountdown(data.numbers, data.target, this.useAll, reachableValues(data.numbers));
    if (solution === null) {
      throw new InvalidArgumentError(`countdown: ${data.numbers.join(' ')} cannot reach ${data.target}${this.useAll ? ' using every number' : ''}`);
    }
    return solution;
  }
}
