/**
 * `makeVec(id, options)`: Gymnasium's `make_vec`. Builds `numEnvs` copies of a registered env, each with
 * `make(id, makeOptions)`, in a SyncVectorEnv (default) or an AsyncVectorEnv, and sets the vector env's spec.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { EnvSpec } from '../env.js';
import { make, spec as specOf, type MakeOptions } from '../registration.js';
import { AsyncVectorEnv, type AsyncVectorEnvOptions } from './async-vector-env.js';
import { SyncVectorEnv, type SyncVectorEnvOptions } from './sync-vector-env.js';
import type { AutoresetMode, VectorEnv } from './vector-env.js';

export type VectorizationMode = 'sync' | 'async';

export interface MakeVecOptions extends MakeOptions {
  /** Number of sub-environments (default 1). */
  numEnvs?: number;
  /** 'sync' (default) runs envs in this thread, 'async' in worker threads. */
  vectorizationMode?: VectorizationMode;
  autoresetMode?: AutoresetMode;
  /** Extra options for the vector env constructor (e.g. `{ copy: false }`, `{ envsPerWorker: 2 }`). */
  vectorKwargs?: Omit<SyncVectorEnvOptions & AsyncVectorEnvOptions, 'autoresetMode'>;
}

export function makeVec(id: string, options: MakeVecOptions = {}): VectorEnv<any, any, any, any> {
  const { numEnvs = 1, vectorizationMode = 'sync', autoresetMode, vectorKwargs = {}, ...makeOptions } = options;
  if (!Number.isSafeInteger(numEnvs) || numEnvs < 1) throw new InvalidArgumentError(`makeVec('${id}'): numEnvs must be a positive integer, got ${String(numEnvs)}`);
  if (vectorizationMode !== 'sync' && vectorizationMode !== 'async') {
    throw new InvalidArgumentError(`makeVec('${id}'): vectorizationMode must be 'sync' or 'async', got ${JSON.stringify(vectorizationMode)}`);
  }
  if (typeof vectorKwargs !== 'object' || vectorKwargs === null) throw new InvalidArgumentError(`makeVec('${id}'): vectorKwargs must be an object`);
  const base = specOf(id); // throws UnknownEnvError (with suggestions) before any env or worker is created
  let envs: VectorEnv<any, any, any, any>;
  if (vectorizationMode === 'sync') {
    const { copy } = vectorKwargs as SyncVectorEnvOptions;
    const rest = Object.keys(vectorKwargs).filter((k) => k !== 'copy');
    if (rest.length > 0) throw new InvalidArgumentError(`makeVec('${id}'): vectorKwargs.${rest[0]} is not an option of SyncVectorEnv (accepted: copy)`);
    envs = new SyncVectorEnv(
      Array.from({ length: numEnvs }, () => () => make(id, makeOptions)),
      { ...(copy === undefined ? {} : { copy }), ...(autoresetMode === undefined ? {} : { autoresetMode }) },
    );
  } else {
    envs = new AsyncVectorEnv(
      Array.from({ length: numEnvs }, () => ({ id, options: makeOptions })),
      { ...vectorKwargs, ...(autoresetMode === undefined ? {} : { autoresetMode }) },
    );
  }
  envs.spec = madeSpec(base, makeOptions);
  return envs;
}

/** The spec `make(id, makeOptions)` gives its env (kwargs merged, time limit resolved). */
function madeSpec(base: EnvSpec, makeOptions: MakeOptions): EnvSpec {
  const { maxEpisodeSteps, disableEnvChecker, orderEnforce, ...kwargs } = makeOptions;
  return {
    ...base,
    maxEpisodeSteps: maxEpisodeSteps === undefined ? base.maxEpisodeSteps : maxEpisodeSteps,
    disableEnvChecker: disableEnvChecker ?? base.disableEnvChecker,
    orderEnforce: orderEnforce ?? base.orderEnforce,
    kwargs: { ...base.kwargs, ...kwargs },
  };
}
