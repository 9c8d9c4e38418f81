/** Shared helpers for the vector env tests: build the same vector env in sync or async form. */
import '../fixtures/countdown-env.js';
import { make } from '../../src/envs/registration.js';
import { AsyncVectorEnv, type AsyncVectorEnvOptions } from '../../src/envs/vector/async-vector-env.js';
import type { EnvSpecSource } from '../../src/envs/vector/async-protocol.js';
import { SyncVectorEnv } from '../../src/envs/vector/sync-vector-env.js';
import type { VectorEnv } from '../../src/envs/vector/vector-env.js';

export type Kind = 'sync' | 'async';
export const KINDS: Kind[] = ['sync', 'async'];

export function buildVector(kind: Kind, sources: EnvSpecSource[], options: AsyncVectorEnvOptions = {}): VectorEnv<any, any, any, any> {
  if (kind === 'async') return new AsyncVectorEnv(sources, options);
  const { envsPerWorker: _p, startupTimeoutMs: _s, closeTimeoutMs: _c, ...syncOptions } = options;
  return new SyncVectorEnv(
    sources.map((s) => () => make(s.id, s.options ?? {})),
    syncOptions,
  );
}

/** [episode, step] of env i in a batch of Countdown observations (4 floats per env). */
export function episodeStep(obs: Float32Array, i: number): [number, number] {
  return [obs[i * 4]!, obs[i * 4 + 1]!];
}
