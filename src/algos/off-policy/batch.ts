/**
 * Batch helpers shared by the off-policy updates: sampling with replacement from however many
 * transitions the buffer holds (SB3 trains from `learning_starts` on, even before the buffer holds a
 * batch — `ReplayBuffer.sampleInto` itself insists on a full batch), and row-wise concatenation of
 * observations and actions for the critics' inputs.
 */
import { InvalidStateError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { ReplayBuffer, ReplaySample } from '../../data/replay-buffer.js';

/** Fills `out` with `out.batchSize` transitions drawn uniformly with replacement (SB3's `randint(0, pos)`). */
export function sampleWithReplacement(buffer: ReplayBuffer, out: ReplaySample, rng: Rng): void {
  const size = buffer.size;
  if (size === 0) throw new InvalidStateError('ReplayBuffer is empty; collect transitions before training');
  for (let i = 0; i < out.batchSize; i++) buffer.copyTransition(rng.integers(0, size), out, i);
}

/** Rows `[a_i, b_i]` from `a` `[n, da]` and `b` `[n, db]`. */
export function concatRows(a: Float32Array, b: Float32Array, n: number, da: number, db: number): Float32Array {
  const out = new Float32Array(n * (da + db));
  const w = da + db;
  for (let i = 0; i < n; i++) {
    out.set(a.subarray(i * da, (i + 1) * da), i * w);
    out.set(b.subarray(i * db, (i + 1) * db), i * w + da);
  }
  return out;
}
