/**
 * Quantile of already sorted values by linear interpolation between order statistics (numpy's default
 * `linear` method). Shared by the rliable-style statistics (`train/stats`) and the OPE bootstrap.
 */

/** The q-quantile (q in [0, 1]) of ascending `sorted` values; the caller checks q and non-emptiness. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
