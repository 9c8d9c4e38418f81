/**
 * Multi-threaded tfjs wasm backend in Node. tfjs-backend-wasm ships a pthreads build
 * (`tfjs-backend-wasm-threaded-simd.wasm`) but never uses it in Node: its `WASM_HAS_MULTITHREAD_SUPPORT`
 * flag returns false whenever `IS_NODE` (tfjs issue #3830), and its loader hands emscripten the pthread
 * worker script as a browser Blob URL, which Node's `worker_threads` cannot start. The emscripten glue
 * itself supports Node (workers via `worker_threads`, `importScripts` read from disk), so this module
 * re-registers the `'wasm'` backend with a factory that instantiates the threaded build directly:
 *
 * - the worker script (shipped as a string in `wasm-out/…worker.js`) is written once to a file under the
 *   OS temp dir, named by a hash of its contents, and the worker loads the main glue from its real path;
 * - tfjs's C++ side caps the thread pool at `min(requested, 8, logical cores / 2)` (it assumes 2-way
 *   SMT); `os.cpus()` is widened while the module initialises so that the requested count is honoured —
 *   on a machine whose logical cores are all real cores, `cores / 2` would halve the pool.
 *
 * Kernels are the same XNNPACK code as the single-threaded SIMD build; XNNPACK splits a matrix product by
 * output tiles, so each output is still summed by one thread in a fixed order (results are identical
 * for any thread count — `test/core/wasm-threads.test.ts` checks it).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

const WASM_PRIORITY = 2;

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...args: number[]) => number;
  PThread?: { runningWorkers: Array<{ unref?: () => void }> };
  tfjs?: unknown;
}

/**
 * Replaces the registered `'wasm'` backend factory by one that loads the threaded build with `threads`
 * XNNPACK threads. Call before the wasm backend is first initialised (`tf.setBackend('wasm')`).
 */
export async function registerThreadedWasm(threads: number): Promise<void> {
  const require = createRequire(import.meta.url);
  const wasmPkg = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as {
    BackendWasm: new (module: unknown) => tf.KernelBackend;
    setThreadsCount(n: number): void;
  };
  const factoryPath = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const factory = require(factoryPath) as (config: Record<string, unknown>) => Promise<EmscriptenModule>;
  const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as { wasmWorkerContents: string };
  const workerPath = writeWorkerScript(wasmWorkerContents);
  wasmPkg.setThreadsCount(threads);
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const cpus = os.cpus;
      // tfjs caps the pool at half the logical cores (see the header); widen the count while it reads it.
      os.cpus = () => {
        const list = cpus();
        return Array.from({ length: Math.max(list.length, 2 * threads) }, (_, i) => list[i % list.length]!);
      };
      let module: EmscriptenModule;
      try {
        module = await factory({
          locateFile: (path: string, prefix: string) => (path.endsWith('.worker.js') ? workerPath : path.endsWith('.wasm') ? join(dirname(factoryPath), path) : prefix + path),
          mainScriptUrlOrBlob: factoryPath,
        });
      } finally {
        os.cpus = cpus;
      }
      module.tfjs = {
        init: module.cwrap('init', null, []),
        initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
        getThreadsCount: module.cwrap('get_threads_count', 'number', []),
        registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
        disposeData: module.cwrap('dispose_data', null, ['number']),
        dispose: module.cwrap('dispose', null, []),
      };
      const backend = new wasmPkg.BackendWasm(module);
      // The pool's workers wait for work between kernels; they must not keep the process alive.
      for (const w of module.PThread?.runningWorkers ?? []) w.unref?.();
      return backend;
    },
    WASM_PRIORITY,
  );
}

/** Writes the pthread worker script to `<tmp>/teleo-tfjs-wasm-<hash>.cjs` once (atomically) and returns the path. */
function writeWorkerScript(contents: string): string {
  // The string holds "\n" escapes that became real newlines inside string literals; restore them (as tfjs does).
  const script = contents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const dir = join(os.tmpdir(), 'teleo-tfjs-wasm');
  const path = join(dir, `worker-${hash}.cjs`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, script);
    renameSync(tmp, path);
  }
  return path;
}
