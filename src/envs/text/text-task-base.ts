/**
 * What every text task shares: seeded problem sampling with hash-based train/test splits, the verify() guard
 * (never throws; empty, over-long and non-string responses handled once for all tasks), and Verification builders.
 * A task implements generate (one random problem), check (the verifier proper) and solve.
 */
import { InvalidArgumentError, describeValue } from '../../core/errors.js';
import { checkOptions } from '../../core/options.js';
import { Rng, assertValidSeed } from '../../core/rng.js';
import { splitOf } from './split-hash.js';
import type { ProblemsOptions, TextProblem, TextSplit, TextTask, Verification } from './types.js';

/** One generated problem before split assignment. */
export interface GeneratedProblem<D> {
  prompt: string;
  data: D;
  /** The problem's identity for the split; equal for problems that are the same up to a symmetry (a+b, b+a). */
  splitKey: string;
}

/** Consecutive rejected draws (wrong split or duplicate) after which `problems()` gives up with a typed error. */
const MAX_CONSECUTIVE_REJECTIONS = 5000;

export abstract class TextTaskBase<D> implements TextTask {
  abstract readonly name: string;
  abstract readonly alphabet: readonly string[];
  abstract readonly maxResponseLength: number;
  abstract readonly maxPromptLength: number;
  abstract readonly componentNames: readonly string[];
  abstract readonly difficulty: number;
  abstract readonly minDifficulty: number;
  abstract readonly options: Readonly<Record<string, unknown>>;
  abstract readonly testFraction: number;

  /** One random problem at `difficulty` (an integer in [minDifficulty, this.difficulty]). */
  protected abstract generate(rng: Rng, difficulty: number): GeneratedProblem<D>;
  /** The verifier proper, for a non-empty string no longer than maxResponseLength. May throw on bad problem data. */
  protected abstract check(data: D, response: string): Verification;
  /** The task data of a problem, validated (throws a typed error when it is not this task's). */
  protected abstract dataOf(problem: TextProblem): D;
  protected abstract solveData(data: D): string;

  problems(options: ProblemsOptions): TextProblem[] {
    const owner = `${this.name}.problems`;
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`${owner} needs an options object, got ${describeValue(options)}`);
    checkOptions(owner, options, ['split', 'count', 'seed', 'difficulty', 'unique']);
    const { split, count, seed } = options;
    if (split !== 'train' && split !== 'test') throw new InvalidArgumentError(`${owner}: split must be 'train' or 'test', got ${describeValue(split)}`);
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      throw new InvalidArgumentError(`${owner}: count must be a non-negative integer, got ${describeValue(count)}`);
    }
    assertValidSeed(seed);
    const difficulty = options.difficulty ?? this.difficulty;
    if (typeof difficulty !== 'number' || !Number.isInteger(difficulty) || difficulty < this.minDifficulty || difficulty > this.difficulty) {
      throw new InvalidArgumentError(
        `${owner}: difficulty must be an integer in [${this.minDifficulty}, ${this.difficulty}] (the task was made with difficulty ` +
          `${this.difficulty}; make it with a higher one for harder problems), got ${describeValue(difficulty)}`,
      );
    }
    const unique = options.unique ?? true;
    if (typeof unique !== 'boolean') throw new InvalidArgumentError(`${owner}: unique must be a boolean, got ${describeValue(unique)}`);

    // Train and test draw from different streams of the same seed, so their sequences are unrelated.
    const rng = Rng.fromSeed(seed).spawn(2)[split === 'train' ? 0 : 1]!;
    const out: TextProblem[] = [];
    const seen = new Set<string>();
    let rejections = 0;
    while (out.length < count) {
      const g = this.generate(rng, difficulty);
      if (splitOf(g.splitKey, this.testFraction) !== split || (unique && seen.has(g.prompt))) {
        if (++rejections >= MAX_CONSECUTIVE_REJECTIONS) {
          throw new InvalidArgumentError(
            `${owner}: found only ${out.length} distinct ${split} problems at difficulty ${difficulty} (asked for ${count}); ` +
              `ask for fewer, raise the difficulty, or pass unique: false`,
          );
        }
        continue;
      }
      rejections = 0;
      seen.add(g.prompt);
      out.push({ id: `${this.name}:${g.prompt}`, prompt: g.prompt, data: g.data, difficulty });
    }
    return out;
  }

  verify(problem: TextProblem, response: string): Verification {
    try {
      const data = this.dataOf(problem);
      if (typeof response !== 'string') return this.failure(['verifier-error']);
      if (response.length === 0) return this.failure(['empty']);
      // The length limit is part of the task: a response the generation budget could not hold scores nothing.
      if (response.length > this.maxResponseLength) return this.failure(['overlong']);
      return this.check(data, response);
    } catch {
      return this.failure(['verifier-error']);
    }
  }

  solve(problem: TextProblem): string {
    return this.solveData(this.dataOf(problem));
  }

  /** Reward 0, every component 0. */
  protected failure(flags: string[]): Verification {
    return { reward: 0, correct: false, components: this.zeroComponents(), flags };
  }

  protected zeroComponents(): Record<string, number> {
    const components: Record<string, number> = {};
    for (const name of this.componentNames) components[name] = 0;
    return components;
  }

  /** Throws the typed error used for problems whose data is not this task's. */
  protected badData(problem: TextProblem, detail: string): never {
    throw new InvalidArgumentError(`${this.name}: problem ${describeValue(problem?.id)} is not a ${this.name} problem (${detail})`);
  }
}
