/** Runs one (arm, seed) of an experiment in the current process and checks what it returns. */
import { InvalidArgumentError } from '../../core/errors.js';
import { validateRunMetrics, type Experiment, type RunMetrics, type SharedInputs } from './define.js';

/** An error as it crosses a process boundary and lands in results.json. */
export interface RunError {
  name: string;
  message: string;
  stack?: string;
}

export function serializeError(error: unknown): RunError {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: 'Error', message: `non-Error value thrown: ${String(error)}` };
}

export async function runArm(
  experiment: Experiment,
  arm: string,
  seed: number,
  budget: number,
  log: (message: string) => void,
  shared: SharedInputs = {},
): Promise<RunMetrics> {
  const spec = experiment.arms[arm];
  if (spec === undefined) {
    throw new InvalidArgumentError(`experiment '${experiment.name}' has no arm '${arm}' (arms: ${experiment.armNames.join(', ')})`);
  }
  const value = await spec.run({ arm, seed, budget, log, shared });
  return validateRunMetrics(experiment, value);
}
