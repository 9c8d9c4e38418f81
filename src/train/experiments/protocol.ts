/** Messages between `runExperiment` and its worker processes. */
import type { RunMetrics, SharedInputs } from './define.js';
import type { RunError } from './run-arm.js';

/** Set on globalThis inside worker processes. */
export const WORKER_FLAG = Symbol.for('teleo.experimentWorker');

/** Parent → worker: the single run this worker performs. */
export interface WorkerJob {
  type: 'run';
  module: string;
  experiment: string;
  arm: string;
  seed: number;
  budget: number;
  /** `runExperiment`'s shared inputs (JSON values), handed to the run as `ctx.shared`. */
  shared: SharedInputs;
}

/** Worker → parent. */
export type WorkerMessage =
  | { type: 'log'; message: string }
  | { type: 'result'; metrics: RunMetrics }
  | { type: 'error'; error: RunError };
