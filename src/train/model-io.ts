/**
 * Checkpoint plumbing shared by the PPO and off-policy learners: capturing the vector env's state on save
 * and putting it back on load so that a resumed learn() continues from the exact observation it stopped at.
 */
import { SyncVectorEnv } from '../envs/vector/sync-vector-env.js';
import type { VectorEnv } from '../envs/vector/vector-env.js';
import { restoreEnvSnapshot, snapshotEnv, type EnvSnapshot } from './env-snapshot.js';

type AnyVectorEnv = VectorEnv<any, any, any, any>;

/** Snapshot of `env` for a checkpoint, or null when it is not a SyncVectorEnv or cannot be captured. */
export function captureEnvState(env: AnyVectorEnv): EnvSnapshot | null {
  try {
    return env instanceof SyncVectorEnv ? snapshotEnv(env) : null;
  } catch {
    return null;
  }
}

/**
 * Writes a checkpoint's env state back into `env` and returns the observation to resume from, or null when
 * there is nothing to resume (no saved observation or env state, not a SyncVectorEnv, or the restore fails);
 * the caller then falls back to a seeded reset.
 */
export function restoreEnvState(env: AnyVectorEnv, lastObs: number[] | null, envState: EnvSnapshot | null): Float32Array | null {
  if (lastObs === null || envState === null || !(env instanceof SyncVectorEnv)) return null;
  try {
    restoreEnvSnapshot(env, envState);
    return Float32Array.from(lastObs);
  } catch {
    return null;
  }
}
