/**
 * Tensor backend selection. Teleo's neural code imports `@tensorflow/tfjs-core` only; `initBackend()` picks
 * the kernel implementation behind it:
 *
 * - `tfjs-node`: TensorFlow's C++ library (tfjs backend name `'tensorflow'`), used when
 *   `@tensorflow/tfjs-node` is installed. It is not a dependency of Teleo; install it yourself at the
 *   *same version* as Teleo's `@tensorflow/tfjs-core` (`npm i @tensorflow/tfjs-node@<that version>`).
 *   tfjs-node depends on `@tensorflow/tfjs`, which pulls its own `@tensorflow/tfjs-core`; at the same
 *   version npm dedupes it to the single top-level copy. Even if a nested copy is installed, our import
 *   still sees the `'tensorflow'` backend, because tfjs-core keeps its engine and kernel registry on
 *   `globalThis` (`_tfengine`, `_tfGlobals`) and `Tensor`/`Variable` `instanceof` checks are
 *   duck-typed — but two *different* versions may disagree on kernel attributes, so keep them equal.
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD). Single-threaded by default; with
 *   `TELEO_WASM_THREADS=<n>` (or `'auto'`: the available cores), or `initBackend('wasm', { wasmThreads })`,
 *   it loads tfjs's pthreads build with n XNNPACK threads (`wasm-threads.ts`; results are identical for
 *   any n). Threads only pay off on otherwise idle cores: on this project's loaded 2-core machine two
 *   threads made a SAC step slower (`docs/benchmarks.md`), hence the default of 1.
 * - `cpu`: `@tensorflow/tfjs-backend-cpu`, plain JavaScript kernels; slowest, always available.
 *
 * `'auto'` (the default, or `TELEO_BACKEND`) tries them in that order. Measured on this project's 2-core
 * dev machine (wasm, single-threaded): `matMul` with `transposeA/transposeB` is 5–14× slower than an
 * explicit `transpose` + `matMul` (256×256: 20–25 ms vs 2.4–3.8 ms; a whole SAC-sized training step:
 * ~52 ms vs ~9 ms, `bench/nn-update.ts`), and small networks are dominated by per-op dispatch
 * (~15–60 µs per op), which is why `src/nn` avoids transposed matMuls and keeps op counts low.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, InvalidArgumentError, InvalidStateError } from './errors.js';
import { registerThreadedWasm } from './wasm-threads.js';

/** Backend names Teleo accepts (`auto` resolves to one of the others). */
export const BACKEND_NAMES = ['auto', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKEND_NAMES)[number];
export type BackendName = Exclude<BackendRequest, 'auto'>;

/** What `initBackend` selected; recorded in run headers and checkpoints. */
export interface BackendInfo {
  /** Teleo's name for the backend. */
  readonly name: BackendName;
  /** The tfjs backend name (`'tensorflow'`, `'wasm'` or `'cpu'`). */
  readonly tfBackend: string;
  /** Version of `@tensorflow/tfjs-core`. */
  readonly version: string;
  /** Worker threads the backend uses (wasm only). */
  readonly threads?: number;
  /** Whether wasm SIMD is enabled (wasm only). */
  readonly simd?: boolean;
}

const TF_BACKEND_OF: Record<BackendName, string> = { 'tfjs-node': 'tensorflow', wasm: 'wasm', cpu: 'cpu' };
const AUTO_ORDER: readonly BackendName[] = ['tfjs-node', 'wasm', 'cpu'];

let current: BackendInfo | null = null;
// Serialises initialisation so concurrent callers never interleave `setBackend` calls.
let pending: Promise<unknown> = Promise.resolve();

export interface InitBackendOptions {
  /**
   * XNNPACK threads of the wasm backend: a positive integer or `'auto'` (available cores). Default
   * `$TELEO_WASM_THREADS`, else 1. Fixed once the wasm backend has started in a process.
   */
  wasmThreads?: number | 'auto';
}

/**
 * Loads and activates a tensor backend: `'auto'` (default: `$TELEO_BACKEND`, else `'auto'`), `'tfjs-node'`,
 * `'wasm'` or `'cpu'`. Idempotent: asking again for the active backend (or `'auto'` once one is active)
 * returns the same info without reloading. Throws `InvalidArgumentError` for an unknown name or thread
 * count, `BackendUnavailableError` when a named backend cannot be loaded, and `InvalidStateError` when a
 * different wasm thread count is asked for after the wasm backend started.
 */
export async function initBackend(name: string = process.env.TELEO_BACKEND ?? 'auto', options: InitBackendOptions = {}): Promise<BackendInfo> {
  const request = parseBackendName(name);
  const threads = parseWasmThreads(options.wasmThreads ?? process.env.TELEO_WASM_THREADS ?? 1);
  const run = pending.then(() => initBackendNow(request, threads));
  pending = run.catch(() => undefined);
  return run;
}

/** The active backend, or `null` before `initBackend()` has succeeded. */
export function backendInfo(): BackendInfo | null {
  return current;
}

/** Validates a backend name (e.g. from the command line or `TELEO_BACKEND`). */
export function parseBackendName(name: unknown): BackendRequest {
  if (typeof name === 'string' && (BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendRequest;
  throw new InvalidArgumentError(
    `Unknown tensor backend ${JSON.stringify(name)}; expected one of ${BACKEND_NAMES.map((n) => `'${n}'`).join(', ')}` +
      (name === 'tensorflow' || name === 'node' ? " (tfjs-node's backend is called 'tfjs-node' here)" : ''),
  );
}

/** Validates a wasm thread count (`TELEO_WASM_THREADS` or `wasmThreads`): a positive integer or 'auto'. */
export function parseWasmThreads(value: unknown): number {
  if (value === 'auto') return availableParallelism();
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 1) return n;
  throw new InvalidArgumentError(`wasm thread count must be a positive integer or 'auto' (TELEO_WASM_THREADS / wasmThreads), got ${JSON.stringify(value)}`);
}

/** Thread count the wasm backend was started with in this process (it cannot change afterwards). */
let wasmStartedWith: number | null = null;

async function initBackendNow(request: BackendRequest, threads: number): Promise<BackendInfo> {
  if (current !== null && (request === 'auto' || request === current.name) && tf.getBackend() === current.tfBackend) {
    if (current.name === 'wasm' && current.threads !== undefined && threads !== 1 && threads !== wasmStartedWith) {
      throw new InvalidStateError(`The wasm backend already runs with ${wasmStartedWith} thread(s); the thread count is fixed per process (asked for ${threads})`);
    }
    return current;
  }
  if (request !== 'auto') return activate(request, threads);
  const failures: string[] = [];
  for (const candidate of AUTO_ORDER) {
    try {
      return await activate(candidate, threads);
    } catch (err) {
      failures.push(`${candidate}: ${(err as Error).message}`);
    }
  }
  throw new BackendUnavailableError('auto', `No tensor backend could be loaded (${failures.join('; ')})`);
}

async function activate(name: BackendName, threads: number): Promise<BackendInfo> {
  // Silences tfjs's console chatter: the cpu backend's "install tfjs-node" banner, and the "overriding
  // gradient" warnings when tfjs-node (which bundles tfjs's gradients) loads after Teleo registered its
  // own (src/nn/gradients.ts). Teleo reports the backend itself through backendInfo().
  tf.enableProdMode();
  try {
    await loadModule(name);
  } catch (err) {
    const hint =
      name === 'tfjs-node'
        ? ` Install it with \`npm i @tensorflow/tfjs-node@${tf.version_core}\` (same version as @tensorflow/tfjs-core).`
        : '';
    throw new BackendUnavailableError(name, `Tensor backend '${name}' is not available: ${(err as Error).message}.${hint}`, {
      cause: err,
    });
  }
  const tfName = TF_BACKEND_OF[name];
  if (name === 'wasm') {
    if (wasmStartedWith === null) {
      if (threads > 1) await registerThreadedWasm(threads);
      wasmStartedWith = threads;
    } else if (threads !== 1 && threads !== wasmStartedWith) {
      throw new InvalidStateError(`The wasm backend already started with ${wasmStartedWith} thread(s) in this process; the thread count is fixed (asked for ${threads})`);
    }
  }
  if (tf.findBackendFactory(tfName) === null) {
    throw new BackendUnavailableError(
      name,
      `Loading the '${name}' package did not register tfjs backend '${tfName}' with this @tensorflow/tfjs-core ` +
        `(${tf.version_core}); its tfjs-core version probably differs`,
    );
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(tfName);
    await tf.ready();
  } catch (err) {
    throw new BackendUnavailableError(name, `Tensor backend '${name}' failed to initialise: ${(err as Error).message}`, { cause: err });
  }
  if (!ok || tf.getBackend() !== tfName) {
    throw new BackendUnavailableError(name, `Tensor backend '${name}' failed to initialise (tfjs kept '${tf.getBackend()}')`);
  }
  current = { name, tfBackend: tfName, version: tf.version_core, ...(await backendDetails(name)) };
  return current;
}

async function loadModule(name: BackendName): Promise<void> {
  if (name === 'tfjs-node') {
    // A computed specifier: the package is optional and absent from our dependencies.
    const specifier = '@tensorflow/tfjs-node';
    await import(specifier);
  } else if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
}

async function backendDetails(name: BackendName): Promise<{ threads?: number; simd?: boolean }> {
  if (name !== 'wasm') return {};
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  return { threads: wasm.getThreadsCount(), simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') as boolean };
}
