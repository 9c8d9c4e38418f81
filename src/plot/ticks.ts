/**
 * Axis ticks: "nice" round steps (1, 2, 2.5 or 5 × 10^k) covering a data range, and compact tick labels
 * (1.5k, 2M, 0.001) so that axes stay readable whatever the scale of the metric.
 */

export interface AxisTicks {
  /** Axis limits. */
  min: number;
  max: number;
  step: number;
  values: number[];
}

const NICE_STEPS = [1, 2, 2.5, 5, 10];

/** A step of 1, 2, 2.5 or 5 × 10^k close to span / target. */
function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / magnitude;
  const nice = NICE_STEPS.find((s) => fraction <= s * 1.0001) ?? 10;
  return nice * magnitude;
}

/**
 * About `target` ticks at round values inside [lo, hi]; the axis limits stay the given range (a zero-width
 * range is widened around its value), so a curve fills the plot instead of ending short of a rounded limit.
 */
export function niceTicks(lo: number, hi: number, target = 5): AxisTicks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`niceTicks needs a finite range, got [${lo}, ${hi}]`);
  if (lo > hi) [lo, hi] = [hi, lo];
  if (hi - lo === 0) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, target);
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  const values: number[] = [];
  // Multiplying (not accumulating) keeps values such as 0.30000000000000004 out of the labels.
  for (let k = first; k <= last; k++) values.push(cleanFloat(k * step));
  return { min: lo, max: hi, step, values };
}

function cleanFloat(x: number): number {
  const v = Number(x.toPrecision(12));
  return v === 0 ? 0 : v; // no "-0"
}

/** Short tick label: 12000 → "12k", 2500000 → "2.5M", 0.25 → "0.25", 1e-5 → "1e-5". */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const a = Math.abs(value);
  const trim = (x: number) => String(Number(x.toPrecision(4)));
  if (a >= 1e9) return `${trim(value / 1e9)}G`;
  if (a >= 1e6) return `${trim(value / 1e6)}M`;
  if (a >= 1e4) return `${trim(value / 1e3)}k`;
  if (a < 1e-3) return value.toExponential(1).replace(/\.0e/, 'e').replace('e+', 'e');
  return trim(value);
}
