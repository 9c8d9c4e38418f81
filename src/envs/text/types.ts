/**
 * The text-task interface shared by the sequence-policy stack (SFT warm start, GRPO trainer, evaluation):
 * a task generates seeded problems (a prompt plus the data its verifier needs), verifies a decoded response
 * into a reward with named components and flags, and solves its own problems (scripted demonstrations).
 */

export type TextSplit = 'train' | 'test';

export interface TextProblem {
  /** Stable identity of the prompt: `<task>:<prompt>` (the same prompt always gets the same id). */
  id: string;
  prompt: string;
  /** Task data the verifier and solver need (the answer, the numbers, the schema, ...). */
  data: unknown;
  difficulty: number;
}

export interface Verification {
  /** The scalar RL reward; 1 = fully correct. Each task documents its range (all tasks here: [0, 1]). */
  reward: number;
  /** Exact success, for accuracy and pass@k. */
  correct: boolean;
  /** Named reward terms; every name in the task's `componentNames` is always present. */
  components: Record<string, number>;
  /** Why a response lost reward, e.g. 'empty', 'malformed', 'overlong', 'verifier-error'. */
  flags: string[];
}

export interface ProblemsOptions {
  split: TextSplit;
  count: number;
  seed: number;
  /** Defaults to the task's `difficulty`; may be any level from `minDifficulty` up to it. */
  difficulty?: number;
  /** No prompt twice in one call (default true); a typed error when the split has too few distinct problems. */
  unique?: boolean;
}

export interface TextTask {
  /** 'addition' | 'multiplication' | 'countdown' | 'json-struct' | 'function-call'. */
  readonly name: string;
  /** Every token a prompt or a correct response can contain (single characters here), for the Tokenizer. */
  readonly alphabet: readonly string[];
  /** Characters (= tokens) enough for a correct answer at any difficulty up to `difficulty`, EOS not counted. */
  readonly maxResponseLength: number;
  /** Longest prompt (characters, BOS not counted) at any difficulty up to `difficulty`. */
  readonly maxPromptLength: number;
  /** The task's (highest) difficulty: the default of `problems()`, which accepts any level up to it. */
  readonly difficulty: number;
  readonly minDifficulty: number;
  /** Names of the components every `Verification` of this task carries. */
  readonly componentNames: readonly string[];
  /** The resolved options (defaults filled in): `makeTextTask(name, options)` rebuilds the same task. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Seeded, deterministic: same (seed, split, index) → same problem. Train and test never share a problem. */
  problems(options: ProblemsOptions): TextProblem[];
  /** Never throws: an internal error gives reward 0 and the flag 'verifier-error'. */
  verify(problem: TextProblem, response: string): Verification;
  /** A correct response (the scripted solver, for demonstrations). */
  solve(problem: TextProblem): string;
}
