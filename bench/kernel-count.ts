/**
 * Counts the tfjs kernel launches of one call: for small networks per-op dispatch dominates, so the
 * launch count is a load-independent companion to the wall times the benches print.
 */
import * as tf from '@tensorflow/tfjs-core';

export function countKernels(fn: () => void): number {
  const engine = tf.engine();
  const original = engine.runKernel.bind(engine);
  let count = 0;
  engine.runKernel = ((...args: Parameters<typeof original>) => {
    count++;
    return original(...args);
  }) as typeof engine.runKernel;
  try {
    fn();
  } finally {
    engine.runKernel = original;
  }
  return count;
}
