/**
 * Bookkeeping shared by SyncVectorEnv and AsyncVectorEnv: per-env lifecycle states (so a bad step is refused
 * before any env moves), merging of runner reports into infos, and wrapping of sub-env failures.
 */
import { EnvWorkerError, ResetNeededError } from '../../core/errors.js';
import type { Space } from '../../core/spaces/space.js';
import { readBatchItem } from './batching.js';
import { addInfo } from './infos.js';
import { SubEnvFailure, type EnvReport } from './sub-env-runner.js';
import type { AutoresetMode, VectorInfo } from './vector-env.js';

/** Per-env lifecycle, used to refuse steps that Gymnasium would take silently or fail on halfway. */
export const EnvState = { NeedsReset: 0, Running: 1, Ended: 2 } as const;

/** Builds the merged infos of a step or reset from the runners' reports (final entries first, as Gymnasium). */
export function mergeReports(reports: EnvReport[], numEnvs: number, obsSpace: Space<any>, finalObservations: any): VectorInfo {
  const infos: VectorInfo = {};
  for (const r of reports) {
    if (r.finalInfo !== undefined) {
      addInfo(infos, { final_obs: readBatchItem(obsSpace, finalObservations, r.index), final_info: r.finalInfo }, r.index, numEnvs);
    }
    addInfo(infos, r.info, r.index, numEnvs);
  }
  return infos;
}

/** Updates the lifecycle states after a successful step (terminations/truncations of that step). */
export function updateStatesAfterStep(states: Uint8Array, mode: AutoresetMode, terminations: Uint8Array, truncations: Uint8Array): void {
  for (let i = 0; i < states.length; i++) {
    // SAME_STEP resets ended envs within the step; NEXT_STEP resets them on the next one.
    const ended = terminations[i] === 1 || truncations[i] === 1;
    states[i] = ended && mode !== 'SAME_STEP' ? EnvState.Ended : EnvState.Running;
  }
}

/** Throws `ResetNeededError` naming the first env that may not be stepped now. */
export function assertSteppable(states: Uint8Array, mode: AutoresetMode): void {
  for (let i = 0; i < states.length; i++) {
    if (states[i] === EnvState.NeedsReset) {
      throw new ResetNeededError(`Sub-environment ${i} needs a reset before step() (never reset, or a sub-environment failed during the last call)`);
    }
    if (states[i] === EnvState.Ended && mode === 'DISABLED') {
      throw new ResetNeededError(`Sub-environment ${i} ended and autoresetMode is DISABLED: reset it with reset({ options: { resetMask } }) before stepping`);
    }
  }
}

/** Converts a failure inside a sub-env into the typed error vector envs throw. */
export function subEnvError(err: unknown): never {
  if (err instanceof SubEnvFailure) {
    const original = err.original;
    const name = original instanceof Error ? original.name : 'Error';
    throw new EnvWorkerError(err.index, `${name}: ${err.message}`, { cause: original });
  }
  throw err;
}
