/**
 * `evaluatePolicy(model, env, { nEvalEpisodes, deterministic })`: SB3's `evaluate_policy` on a single env:
 * runs whole episodes with `model.predict` and reports the mean and standard deviation of the returns.
 * Episode i is reset with `seed + i` when a seed is given, so evaluations are reproducible.
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { Env } from '../envs/env.js';

/** Anything with SB3's `predict` for one observation. */
export interface PolicyLike {
  predict(observation: ArrayLike<number>, options?: { deterministic?: boolean }): unknown;
}

export interface EvaluateOptions {
  nEvalEpisodes?: number;
  deterministic?: boolean;
  seed?: number;
  /** Called after every step (e.g. to render). */
  onStep?: (env: Env<unknown, unknown>) => void;
}

export interface EvaluationResult {
  meanReward: number;
  stdReward: number;
  meanLength: number;
  episodeRewards: number[];
  episodeLengths: number[];
}

export function evaluatePolicy(model: PolicyLike, env: Env<unknown, unknown>, options: EvaluateOptions = {}): EvaluationResult {
  const n = options.nEvalEpisodes ?? 10;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`evaluatePolicy: nEvalEpisodes must be a positive integer, got ${n}`);
  const deterministic = options.deterministic ?? true;
  const episodeRewards: number[] = [];
  const episodeLengths: number[] = [];
  for (let i = 0; i < n; i++) {
    let [obs] = env.reset(options.seed === undefined ? {} : { seed: options.seed + i });
    let total = 0;
    let length = 0;
    for (;;) {
      const action = model.predict(obs as ArrayLike<number>, { deterministic });
      const [next, reward, terminated, truncated] = env.step(action);
      total += reward;
      length += 1;
      options.onStep?.(env);
      obs = next;
      if (terminated || truncated) break;
    }
    episodeRewards.push(total);
    episodeLengths.push(length);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanReward = mean(episodeRewards);
  const stdReward = Math.sqrt(mean(episodeRewards.map((r) => (r - meanReward) ** 2)));
  return { meanReward, stdReward, meanLength: mean(episodeLengths), episodeRewards, episodeLengths };
}
