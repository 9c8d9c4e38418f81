/**
 * Checkpoint plumbing shared by the PPO and off-policy learners: capturing the vector env's state on save
 * and putting it back on load so that a resumed learn() continues from the exact observation it stopped at.
 */
import { SyncVectorEnv } from '../envs/vector/sync-vector-env.js';
import type { VectorEnv } from '../envs/vector/vector-env.js';
import { restoreEnvSnapshot, snapshotEnv, type EnvSnapshot } from './env-snapshot.js';
import type { EpisodeInfo, EpisodeStats } from './episode-stats.js';

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

/** The episode bookkeeping a learner checkpoints so that a resumed learn() continues mid-episode. */
export interface RolloutCheckpoint {
  lastObs: number[] | null;
  seededReset: boolean;
  epReturns: number[];
  epLengths: number[];
  epInfoBuffer: EpisodeInfo[];
}

/** The JSON section for a checkpoint (copies, so later steps do not change it). */
export function rolloutCheckpoint(state: { lastObs: Float32Array | null; seededReset: boolean; episodes: EpisodeStats }): RolloutCheckpoint {
  return {
    lastObs: state.lastObs === null ? null : [...state.lastObs],
    seededReset: state.seededReset,
    epReturns: [...state.episodes.returns],
    epLengths: [...state.episodes.lengths],
    epInfoBuffer: state.episodes.recent.map((e) => ({ r: e.r, l: e.l })),
  };
}

/**
 * Puts a checkpoint's rollout section (and env state) back: refills `episodes` (not its count, which
 * the checkpoint's counters hold) and returns the observation to resume from. When the env state cannot
 * be restored, `lastObs` is null and `resetSeed` is the seed of the deterministic reset the next learn()
 * starts from (else null).
 */
export function restoreRollout(
  env: AnyVectorEnv,
  rollout: RolloutCheckpoint,
  envState: EnvSnapshot | null,
  episodes: EpisodeStats,
  seed: number,
  numTimesteps: number,
): { lastObs: Float32Array | null; seededReset: boolean; resetSeed: number | null } {
  episodes.returns.set(rollout.epReturns);
  episodes.lengths.set(rollout.epLengths);
  episodes.recent = rollout.epInfoBuffer.map((e) => ({ r: e.r, l: e.l }));
  const lastObs = restoreEnvState(env, rollout.lastObs, envState);
  if (lastObs !== null) return { lastObs, seededReset: rollout.seededReset, resetSeed: null };
  return { lastObs: null, seededReset: false, resetSeed: (seed + numTimesteps) % Number.MAX_SAFE_INTEGER };
}
