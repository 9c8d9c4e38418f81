/** The argument checks and callback wiring at the start of `learn()`, shared by PPO and the off-policy learners. */
import { InvalidArgumentError } from '../core/errors.js';
import { Callback, CallbackList } from './callbacks.js';
import { ProgressCallback } from './progress.js';

/** Validates `totalTimesteps` and `logInterval` (defaulting to `defaultLogInterval`); throws InvalidArgumentError. */
export function checkLearnArgs(options: { totalTimesteps: number; logInterval?: number }, defaultLogInterval: number): { total: number; logInterval: number } {
  const total = options?.totalTimesteps;
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 1) {
    throw new InvalidArgumentError(`learn: totalTimesteps must be a positive integer, got ${String(total)}`);
  }
  const logInterval = options.logInterval ?? defaultLogInterval;
  if (!Number.isSafeInteger(logInterval) || logInterval < 1) throw new InvalidArgumentError(`learn: logInterval must be a positive integer, got ${logInterval}`);
  return { total, logInterval };
}

/** The user's callbacks, plus a `ProgressCallback` when `progressBar` is set, as one list. */
export function learnCallbacks(options: { callbacks?: Callback | Callback[]; progressBar?: boolean }): CallbackList {
  const list = options.callbacks === undefined ? [] : Array.isArray(options.callbacks) ? [...options.callbacks] : [options.callbacks];
  if (options.progressBar) list.push(new ProgressCallback());
  return new CallbackList(list);
}
