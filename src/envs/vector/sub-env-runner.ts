/**
 * Steps and resets a contiguous group of sub-environments into batch buffers, applying the autoreset mode.
 * SyncVectorEnv runs one runner over all its envs in the calling thread; AsyncVectorEnv runs one per worker
 * thread over shared buffers. Keeping the autoreset rules in one place makes Sync and Async agree exactly.
 *
 * Autoreset (Gymnasium 1.x):
 * - NEXT_STEP: an env that ended on step t is reset (not stepped) on step t+1; its action is ignored and it
 *   reports the reset observation, reward 0, terminated = truncated = false and the reset info.
 * - SAME_STEP: an env that ends is reset within the same step; the batch holds the reset observation, the
 *   final observation goes to `finalObs` and the step info is reported as the final info.
 * - DISABLED: ended envs are left alone; stepping one before resetting it is an error.
 */
import { ResetNeededError } from '../../core/errors.js';
import type { Space } from '../../core/spaces/space.js';
import type { Env, Info } from '../env.js';
import { readBatchItem, writeBatchItem } from './batching.js';
import type { AutoresetMode } from './vector-env.js';

/** What one env reported in a reset or step, when it reported anything worth merging into infos. */
export interface EnvReport {
  index: number;
  info: Info;
  /** Set (SAME_STEP only) when the env ended this step: the info of the final step. */
  finalInfo?: Info;
}

/** A sub-environment threw; `index` is its index in the vector env. */
export class SubEnvFailure extends Error {
  readonly index: number;
  readonly original: unknown;
  constructor(index: number, original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.index = index;
    this.original = original;
  }
}

export interface RunnerBuffers {
  observations: any;
  /** Final observations of envs that ended this step (SAME_STEP only). */
  finalObservations: any;
  actions: any;
  rewards: Float64Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
}

function isEmpty(info: Info): boolean {
  for (const _ in info) return false;
  return true;
}

export class SubEnvRunner {
  readonly envs: Env<any, any>[];
  /** Index (in the vector env) of `envs[0]`. */
  readonly offset: number;
  private readonly obsSpace: Space<any>;
  private readonly actSpace: Space<any>;
  private readonly mode: AutoresetMode;
  private readonly buffers: RunnerBuffers;
  /** Per local env: whether it ended on the last step (and so must be reset before stepping). */
  private readonly ended: Uint8Array;

  constructor(
    envs: Env<any, any>[],
    offset: number,
    spaces: { observation: Space<any>; action: Space<any> },
    mode: AutoresetMode,
    buffers: RunnerBuffers,
  ) {
    this.envs = envs;
    this.offset = offset;
    this.obsSpace = spaces.observation;
    this.actSpace = spaces.action;
    this.mode = mode;
    this.buffers = buffers;
    this.ended = new Uint8Array(envs.length);
  }

  /**
   * Resets the envs (all of them, or those whose global index is set in `mask`), env i with `seeds[i]`
   * (global indexing; null or undefined leaves its generator alone).
   */
  reset(seeds: readonly (number | null | undefined)[], options: Record<string, unknown> | undefined, mask?: ArrayLike<number>): EnvReport[] {
    const reports: EnvReport[] = [];
    const { observations, terminations, truncations } = this.buffers;
    for (let k = 0; k < this.envs.length; k++) {
      const index = this.offset + k;
      if (mask !== undefined && !mask[index]) continue;
      const seed = seeds[index];
      let result;
      try {
        result = this.envs[k]!.reset({ ...(seed === null || seed === undefined ? {} : { seed }), ...(options ? { options } : {}) });
      } catch (err) {
        throw new SubEnvFailure(index, err);
      }
      const [obs, info] = result;
      writeBatchItem(this.obsSpace, observations, index, obs);
      terminations[index] = 0;
      truncations[index] = 0;
      this.ended[k] = 0;
      if (!isEmpty(info)) reports.push({ index, info });
    }
    return reports;
  }

  /** Steps every env of the group with its action from the shared action batch. */
  step(): EnvReport[] {
    const reports: EnvReport[] = [];
    const { observations, finalObservations, actions, rewards, terminations, truncations } = this.buffers;
    for (let k = 0; k < this.envs.length; k++) {
      const index = this.offset + k;
      const env = this.envs[k]!;
      try {
        if (this.mode === 'NEXT_STEP' && this.ended[k]) {
          const [obs, info] = env.reset();
          writeBatchItem(this.obsSpace, observations, index, obs);
          rewards[index] = 0;
          terminations[index] = 0;
          truncations[index] = 0;
          this.ended[k] = 0;
          if (!isEmpty(info)) reports.push({ index, info });
          continue;
        }
        if (this.mode === 'DISABLED' && this.ended[k]) {
          throw new ResetNeededError(`Sub-environment ${index} ended and autoresetMode is DISABLED; reset it with reset({ options: { resetMask } })`);
        }
        const [obs, reward, terminated, truncated, info] = env.step(readBatchItem(this.actSpace, actions, index));
        rewards[index] = reward;
        terminations[index] = terminated ? 1 : 0;
        truncations[index] = truncated ? 1 : 0;
        const done = terminated || truncated;
        if (done && this.mode === 'SAME_STEP') {
          writeBatchItem(this.obsSpace, finalObservations, index, obs);
          const [resetObs, resetInfo] = env.reset();
          writeBatchItem(this.obsSpace, observations, index, resetObs);
          reports.push({ index, info: resetInfo, finalInfo: info });
          continue;
        }
        writeBatchItem(this.obsSpace, observations, index, obs);
        this.ended[k] = done ? 1 : 0;
        if (!isEmpty(info)) reports.push({ index, info });
      } catch (err) {
        if (err instanceof ResetNeededError && this.mode === 'DISABLED' && this.ended[k]) throw err;
        throw new SubEnvFailure(index, err);
      }
    }
    return reports;
  }

  close(): void {
    for (const env of this.envs) env.close();
  }
}
