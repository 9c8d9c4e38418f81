/**
 * Environment throughput measurement, shared by `teleo bench env` and `bench/env-throughput.ts`.
 *
 * A random agent drives the environment: actions are sampled from the (seeded) action space inside the
 * timed loop, finished episodes are reset (single envs) or autoreset (vector envs). Warm-up steps run
 * first and are not timed, so JIT compilation and worker start-up are excluded. Rates count env-steps:
 * a vector step of N sub-envs counts N.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { assertValidSeed } from '../core/rng.js';
import type { Env } from '../envs/env.js';
import { make, spec } from '../envs/registration.js';
import { makeVec } from '../envs/vector/make-vec.js';

export type ThroughputMode = 'raw' | 'make' | 'sync' | 'async';

export const THROUGHPUT_MODES: readonly ThroughputMode[] = ['raw', 'make', 'sync', 'async'];

/** One row of a throughput table: a mode and vector size (benches list these per env family). */
export interface ThroughputCase {
  label: string;
  mode: ThroughputMode;
  numEnvs: number;
  /** Async only: sub-envs per worker thread (default 1). */
  envsPerWorker?: number;
}

export interface ThroughputOptions {
  envId: string;
  /** 'raw': the unwrapped env; 'make': `make()` with its wrappers; 'sync'/'async': a vector env. */
  mode: ThroughputMode;
  /** Sub-envs of a vector env (must be 1 for 'raw' and 'make'). */
  numEnvs?: number;
  /** Env-steps to time (rounded up to whole vector steps). */
  steps: number;
  /** Env-steps run before timing starts; defaults to min(steps / 10, 10 000), at least one vector step. */
  warmupSteps?: number;
  seed?: number;
  /** Extra keyword options for the env (e.g. a cost knob of a test env). */
  envOptions?: Record<string, unknown>;
  /** Sub-envs per worker thread of an async vector env (default 1: one worker per env). */
  envsPerWorker?: number;
}

export interface ThroughputResult {
  envId: string;
  mode: ThroughputMode;
  numEnvs: number;
  /** Env-steps timed. */
  steps: number;
  warmupSteps: number;
  seconds: number;
  stepsPerSecond: number;
  /** Episodes finished during the timed loop (over all sub-envs). */
  episodes: number;
  /** Worker threads of an async vector env (0 otherwise). */
  workers: number;
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Validates options and fills defaults; throws `InvalidArgumentError`/`UnknownEnvError` on bad input. */
function resolveOptions(opts: ThroughputOptions): Required<ThroughputOptions> {
  spec(opts.envId); // UnknownEnvError with suggestions
  if (!THROUGHPUT_MODES.includes(opts.mode)) {
    throw new InvalidArgumentError(`mode must be one of ${THROUGHPUT_MODES.join(', ')}, got ${String(opts.mode)}`);
  }
  const numEnvs = positiveInteger('numEnvs', opts.numEnvs ?? 1);
  if ((opts.mode === 'raw' || opts.mode === 'make') && numEnvs !== 1) {
    throw new InvalidArgumentError(`numEnvs must be 1 without a vector env (mode '${opts.mode}'), got ${numEnvs}; use mode 'sync' or 'async'`);
  }
  const steps = positiveInteger('steps', opts.steps);
  const warmupSteps = opts.warmupSteps ?? Math.max(numEnvs, Math.min(Math.floor(steps / 10), 10_000));
  if (!Number.isSafeInteger(warmupSteps) || warmupSteps < 0) {
    throw new InvalidArgumentError(`warmupSteps must be a non-negative integer, got ${String(warmupSteps)}`);
  }
  const seed = opts.seed ?? 0;
  assertValidSeed(seed);
  const envsPerWorker = positiveInteger('envsPerWorker', opts.envsPerWorker ?? 1);
  if (envsPerWorker !== 1 && opts.mode !== 'async') {
    throw new InvalidArgumentError(`envsPerWorker applies only to mode 'async', got mode '${opts.mode}'`);
  }
  return { envId: opts.envId, mode: opts.mode, numEnvs, steps, warmupSteps, seed, envOptions: opts.envOptions ?? {}, envsPerWorker };
}

/** Runs the random agent for `steps` env-steps (after a warm-up) and reports the rate. */
export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const opts = resolveOptions(options);
  if (opts.mode === 'raw' || opts.mode === 'make') return measureSingle(opts);
  return measureVector(opts);
}

function measureSingle(opts: Required<ThroughputOptions>): ThroughputResult {
  const made = make(opts.envId, { ...opts.envOptions });
  const env: Env<unknown, unknown> = opts.mode === 'raw' ? made.unwrapped : made;
  try {
    env.actionSpace.seed(opts.seed);
    env.reset({ seed: opts.seed });
    const run = (n: number): number => {
      const space = env.actionSpace;
      let episodes = 0;
      for (let i = 0; i < n; i++) {
        const [, , terminated, truncated] = env.step(space.sample());
        if (terminated || truncated) {
          episodes += 1;
          env.reset();
        }
      }
      return episodes;
    };
    run(opts.warmupSteps);
    const start = performance.now();
    const episodes = run(opts.steps);
    const seconds = (performance.now() - start) / 1000;
    return result(opts, opts.steps, seconds, episodes);
  } finally {
    made.close();
  }
}

/**
 * Vector envs use makeVec's defaults (copied observation batches, NEXT_STEP autoreset); worker start-up
 * and the first reset happen before timing.
 */
async function measureVector(opts: Required<ThroughputOptions>): Promise<ThroughputResult> {
  const envs = makeVec(opts.envId, {
    ...opts.envOptions,
    numEnvs: opts.numEnvs,
    vectorizationMode: opts.mode as 'sync' | 'async',
    ...(opts.mode === 'async' ? { vectorKwargs: { envsPerWorker: opts.envsPerWorker } } : {}),
  });
  try {
    envs.actionSpace.seed(opts.seed);
    envs.reset({ seed: opts.seed });
    const run = (vectorSteps: number): number => {
      const space = envs.actionSpace;
      let episodes = 0;
      for (let i = 0; i < vectorSteps; i++) {
        const [, , terminations, truncations] = envs.step(space.sample());
        for (let j = 0; j < terminations.length; j++) episodes += terminations[j]! | truncations[j]!;
      }
      return episodes;
    };
    run(Math.ceil(opts.warmupSteps / opts.numEnvs));
    const vectorSteps = Math.ceil(opts.steps / opts.numEnvs);
    const start = performance.now();
    const episodes = run(vectorSteps);
    const seconds = (performance.now() - start) / 1000;
    return result(opts, vectorSteps * opts.numEnvs, seconds, episodes);
  } finally {
    envs.close();
  }
}

function result(opts: Required<ThroughputOptions>, steps: number, seconds: number, episodes: number): ThroughputResult {
  return {
    envId: opts.envId,
    mode: opts.mode,
    numEnvs: opts.numEnvs,
    steps,
    warmupSteps: opts.warmupSteps,
    seconds,
    stepsPerSecond: steps / seconds,
    episodes,
    workers: opts.mode === 'async' ? Math.ceil(opts.numEnvs / opts.envsPerWorker) : 0,
  };
}
