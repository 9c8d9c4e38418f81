/**
 * The trade-off frontier chart (e.g. the ad-load λ sweep): satisfaction against revenue, one connected
 * series per learned policy family (points ordered by λ, labelled with λ for the first family), and the
 * fixed policies (static ad loads) as labelled markers.
 */
import type { MarkerShape, ScatterSeries } from './chart.js';
import { writeChart } from './png.js';

/** A point of the frontier: a policy, the λ it was learned for (null for fixed policies), its true values. */
export interface TradeoffPoint {
  policy: string;
  lambda: number | null;
  satisfaction: number;
  revenue: number;
}

// Squares are kept for the fixed policies.
const MARKERS: MarkerShape[] = ['circle', 'diamond', 'triangle'];

export function frontierSeries(points: readonly TradeoffPoint[], labelLambdaOf?: string): ScatterSeries[] {
  const fixed = points.filter((p) => p.lambda === null);
  const families = [...new Set(points.filter((p) => p.lambda !== null).map((p) => p.policy))];
  const labelled = labelLambdaOf ?? families[families.length > 1 ? families.length - 1 : 0];
  const series: ScatterSeries[] = families.map((family, k) => ({
    label: family,
    connect: true,
    marker: MARKERS[k % MARKERS.length]!,
    points: points
      .filter((p) => p.policy === family)
      .sort((a, b) => a.lambda! - b.lambda!)
      .map((p) => ({ x: p.revenue, y: p.satisfaction, ...(family === labelled ? { label: `λ=${p.lambda}` } : {}) })),
  }));
  if (fixed.length > 0) {
    series.push({
      label: 'fixed policies',
      marker: 'square',
      color: '#444444',
      points: fixed.map((p) => ({ x: p.revenue, y: p.satisfaction, label: p.policy })),
    });
  }
  return series;
}

export interface FrontierPlotOptions {
  title?: string;
  /** Family whose points carry λ labels (default: 'dr-learned' when present). */
  labelLambdaOf?: string;
}

/** Writes the frontier chart to `out` (.png or .svg); returns the path. */
export function plotFrontier(points: readonly TradeoffPoint[], out: string, options: FrontierPlotOptions = {}): string {
  const families = new Set(points.map((p) => p.policy));
  const labelLambdaOf = options.labelLambdaOf ?? (families.has('dr-learned') ? 'dr-learned' : undefined);
  return writeChart(out, {
    title: options.title ?? 'Trade-off frontier: satisfaction vs revenue',
    xLabel: 'revenue per fetch (true value)',
    yLabel: 'satisfaction per fetch (true value)',
    scatters: frontierSeries(points, labelLambdaOf),
    legendNote: 'learned policies: one point per λ',
  });
}
