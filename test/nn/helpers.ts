/** Shared helpers for the nn tests: backends to run on, array comparison. */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../../src/core/backend.js';

export const BACKENDS: BackendName[] = ['cpu', 'wasm'];

export async function use(backend: BackendName): Promise<void> {
  await initBackend(backend);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function values(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync() as ArrayLike<number>);
}
