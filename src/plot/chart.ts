/**
 * Charts as SVG text: line series (optionally with a shaded spread band, e.g. mean ± std or the IQR across
 * seeds), scatter series with point labels (optionally connected, e.g. a trade-off frontier), axes with nice
 * ticks, a legend, a title and axis labels. No DOM and no dependencies: the same spec always gives the same
 * text (coordinates are rounded), so PNGs rendered from it are reproducible.
 *
 * Every number is checked: an empty series, a NaN or infinite value, or mismatched lengths throw
 * `InvalidDataError` naming the series (as `column`) and the index (as `row`).
 */
import { InvalidArgumentError, InvalidDataError, describeValue } from '../core/errors.js';
import { checkOptions } from '../core/options.js';
import { formatTick, niceTicks, type AxisTicks } from './ticks.js';

export interface SpreadBand {
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
}

export interface LineSeries {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Shaded region around the line, same length as x. */
  band?: SpreadBand;
  color?: string;
}

export interface ScatterPoint {
  x: number;
  y: number;
  /** Text written next to the point. */
  label?: string;
}

export type MarkerShape = 'circle' | 'square' | 'diamond' | 'triangle';

export interface ScatterSeries {
  label: string;
  points: readonly ScatterPoint[];
  /** Join the points in the given order with a line. */
  connect?: boolean;
  marker?: MarkerShape;
  color?: string;
}

export interface ChartSpec {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  lines?: readonly LineSeries[];
  scatters?: readonly ScatterSeries[];
  /** A note under the legend, e.g. "shaded: IQR across 5 seeds". */
  legendNote?: string;
  /** Pixels (default 800 × 500). */
  width?: number;
  height?: number;
}

const SPEC_KEYS = ['title', 'xLabel', 'yLabel', 'lines', 'scatters', 'legendNote', 'width', 'height'];
const LINE_KEYS = ['label', 'x', 'y', 'band', 'color'];
const SCATTER_KEYS = ['label', 'points', 'connect', 'marker', 'color'];

/** Matplotlib's "tab10" colours, in order. */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const FONT = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";
/** Rough width of one character at 12 px, for sizing the legend (exact metrics need the font). */
const CHAR_WIDTH = 7;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Rounded coordinate text (two decimals, no trailing zeros). */
function c(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

function checkValues(series: string, what: string, values: unknown, length?: number): ArrayLike<number> {
  const isArray = Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView));
  if (!isArray) throw new InvalidDataError(`Series '${series}': ${what} must be an array of numbers, got ${describeValue(values)}`, { column: series });
  const arr = values as ArrayLike<unknown>;
  if (arr.length === 0) throw new InvalidDataError(`Series '${series}' is empty: ${what} has no values`, { column: series });
  if (length !== undefined && arr.length !== length) {
    throw new InvalidDataError(`Series '${series}': ${what} has ${arr.length} values but x has ${length}`, { column: series });
  }
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidDataError(`Series '${series}': ${what}[${i}] is ${describeValue(v)}; charts need finite numbers`, { column: series, row: i });
    }
  }
  return arr as ArrayLike<number>;
}

interface CheckedLine {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  band: { lower: ArrayLike<number>; upper: ArrayLike<number> } | null;
  color: string;
}

interface CheckedScatter {
  label: string;
  points: ScatterPoint[];
  connect: boolean;
  marker: MarkerShape;
  color: string;
}

function checkLabel(label: unknown, what: string): string {
  if (typeof label !== 'string' || label === '') throw new InvalidArgumentError(`${what} needs a non-empty string label, got ${describeValue(label)}`);
  return label;
}

function checkSpec(spec: ChartSpec): { lines: CheckedLine[]; scatters: CheckedScatter[] } {
  if (typeof spec !== 'object' || spec === null) throw new InvalidArgumentError(`A chart needs a spec object, got ${describeValue(spec)}`);
  checkOptions('chart', spec, SPEC_KEYS);
  for (const key of ['width', 'height'] as const) {
    const v = spec[key];
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 200 && v <= 10_000)) {
      throw new InvalidArgumentError(`chart ${key} must be an integer number of pixels in [200, 10000], got ${describeValue(v)}`);
    }
  }
  const linesIn = spec.lines ?? [];
  const scattersIn = spec.scatters ?? [];
  if (!Array.isArray(linesIn) || !Array.isArray(scattersIn)) throw new InvalidArgumentError('chart lines and scatters must be arrays');
  if (linesIn.length + scattersIn.length === 0) throw new InvalidDataError('A chart needs at least one series; got none');
  let colorIndex = 0;
  const nextColor = (given: string | undefined) => given ?? PALETTE[colorIndex++ % PALETTE.length]!;
  const lines = linesIn.map((s, k): CheckedLine => {
    const label = checkLabel(s?.label, `lines[${k}]`);
    checkOptions(`line series '${label}'`, s, LINE_KEYS);
    const x = checkValues(label, 'x', s.x);
    const y = checkValues(label, 'y', s.y, x.length);
    let band: CheckedLine['band'] = null;
    if (s.band !== undefined) {
      const lower = checkValues(label, 'band.lower', s.band?.lower, x.length);
      const upper = checkValues(label, 'band.upper', s.band?.upper, x.length);
      band = { lower, upper };
    }
    return { label, x, y, band, color: nextColor(s.color) };
  });
  const scatters = scattersIn.map((s, k): CheckedScatter => {
    const label = checkLabel(s?.label, `scatters[${k}]`);
    checkOptions(`scatter series '${label}'`, s, SCATTER_KEYS);
    const points: readonly ScatterPoint[] = s.points;
    if (!Array.isArray(points) || points.length === 0) throw new InvalidDataError(`Series '${label}' is empty: it has no points`, { column: label });
    points.forEach((p, i) => {
      for (const axis of ['x', 'y'] as const) {
        const v = p?.[axis];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new InvalidDataError(`Series '${label}': points[${i}].${axis} is ${describeValue(v)}; charts need finite numbers`, { column: label, row: i });
        }
      }
    });
    const marker = s.marker ?? 'circle';
    if (!['circle', 'square', 'diamond', 'triangle'].includes(marker)) throw new InvalidArgumentError(`Series '${label}': unknown marker ${describeValue(marker)}`);
    return { label, points: [...points], connect: s.connect ?? false, marker, color: nextColor(s.color) };
  });
  return { lines, scatters };
}

function extent(lines: CheckedLine[], scatters: CheckedScatter[]): { x: [number, number]; y: [number, number] } {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  const addX = (v: number) => ((x0 = Math.min(x0, v)), (x1 = Math.max(x1, v)));
  const addY = (v: number) => ((y0 = Math.min(y0, v)), (y1 = Math.max(y1, v)));
  for (const s of lines) {
    for (let i = 0; i < s.x.length; i++) {
      addX(s.x[i]!);
      addY(s.y[i]!);
      if (s.band) {
        addY(s.band.lower[i]!);
        addY(s.band.upper[i]!);
      }
    }
  }
  for (const s of scatters) for (const p of s.points) (addX(p.x), addY(p.y));
  return { x: [x0, x1], y: [y0, y1] };
}

function markerPath(shape: MarkerShape, x: number, y: number, r: number): string {
  switch (shape) {
    case 'circle':
      return `<circle cx="${c(x)}" cy="${c(y)}" r="${c(r)}"/>`;
    case 'square':
      return `<rect x="${c(x - r)}" y="${c(y - r)}" width="${c(2 * r)}" height="${c(2 * r)}"/>`;
    case 'diamond':
      return `<path d="M${c(x)},${c(y - r * 1.3)}L${c(x + r * 1.3)},${c(y)}L${c(x)},${c(y + r * 1.3)}L${c(x - r * 1.3)},${c(y)}Z"/>`;
    case 'triangle':
      return `<path d="M${c(x)},${c(y - r * 1.3)}L${c(x + r * 1.2)},${c(y + r)}L${c(x - r * 1.2)},${c(y + r)}Z"/>`;
  }
}

/** The chart as a standalone SVG document. */
export function renderChartSvg(spec: ChartSpec): string {
  const { lines, scatters } = checkSpec(spec);
  const width = spec.width ?? 800;
  const height = spec.height ?? 500;
  const legendLabels = [...lines.map((s) => s.label), ...scatters.map((s) => s.label)];
  const longest = Math.max(...legendLabels.map((l) => l.length), spec.legendNote ? Math.min(spec.legendNote.length, 40) : 0);
  const legendWidth = Math.min(260, 36 + longest * CHAR_WIDTH);
  const margin = { top: spec.title ? 44 : 20, right: legendWidth + 24, bottom: spec.xLabel ? 58 : 40, left: spec.yLabel ? 78 : 60 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  if (plotW < 80 || plotH < 80) throw new InvalidArgumentError(`chart ${width} × ${height} px is too small for its legend and axes`);

  const range = extent(lines, scatters);
  // Markers and labelled points need room inside the frame; a line may run edge to edge along x.
  const padX = scatters.length > 0 ? 0.06 : 0;
  const padY = scatters.length > 0 ? 0.08 : 0.04;
  const padded = (r: [number, number], f: number): [number, number] => [r[0] - f * (r[1] - r[0]), r[1] + f * (r[1] - r[0])];
  const xr = padded(range.x, padX);
  const yr = padded(range.y, padY);
  const xt: AxisTicks = niceTicks(xr[0], xr[1], Math.max(3, Math.round(plotW / 80)));
  const yt: AxisTicks = niceTicks(yr[0], yr[1], Math.max(3, Math.round(plotH / 55)));
  const px = (v: number) => margin.left + ((v - xt.min) / (xt.max - xt.min)) * plotW;
  const py = (v: number) => margin.top + plotH - ((v - yt.min) / (yt.max - yt.min)) * plotH;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`);
  out.push(`<rect class="background" width="${width}" height="${height}" fill="#ffffff"/>`);
  if (spec.title) out.push(`<text class="title" x="${c(margin.left + plotW / 2)}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(spec.title)}</text>`);

  // Grid and ticks.
  out.push('<g class="grid" stroke="#e5e5e5" stroke-width="1">');
  for (const v of xt.values) out.push(`<line x1="${c(px(v))}" y1="${c(margin.top)}" x2="${c(px(v))}" y2="${c(margin.top + plotH)}"/>`);
  for (const v of yt.values) out.push(`<line x1="${c(margin.left)}" y1="${c(py(v))}" x2="${c(margin.left + plotW)}" y2="${c(py(v))}"/>`);
  out.push('</g>');
  out.push(`<rect class="frame" x="${c(margin.left)}" y="${c(margin.top)}" width="${c(plotW)}" height="${c(plotH)}" fill="none" stroke="#333333"/>`);
  out.push('<g class="ticks-x" text-anchor="middle" fill="#333333">');
  for (const v of xt.values) out.push(`<text class="tick-x" x="${c(px(v))}" y="${c(margin.top + plotH + 18)}">${escapeXml(formatTick(v))}</text>`);
  out.push('</g>');
  out.push('<g class="ticks-y" text-anchor="end" fill="#333333">');
  for (const v of yt.values) out.push(`<text class="tick-y" x="${c(margin.left - 8)}" y="${c(py(v) + 4)}">${escapeXml(formatTick(v))}</text>`);
  out.push('</g>');
  if (spec.xLabel) out.push(`<text class="x-label" x="${c(margin.left + plotW / 2)}" y="${c(height - 16)}" text-anchor="middle" font-size="13">${escapeXml(spec.xLabel)}</text>`);
  if (spec.yLabel) {
    const cx = 22;
    const cy = margin.top + plotH / 2;
    out.push(`<text class="y-label" x="${c(cx)}" y="${c(cy)}" transform="rotate(-90 ${c(cx)} ${c(cy)})" text-anchor="middle" font-size="13">${escapeXml(spec.yLabel)}</text>`);
  }

  // Bands first, so every line is drawn over every band.
  for (const s of lines) {
    if (!s.band) continue;
    const upper = Array.from({ length: s.x.length }, (_, i) => `${c(px(s.x[i]!))},${c(py(s.band!.upper[i]!))}`);
    const lower = Array.from({ length: s.x.length }, (_, i) => `${c(px(s.x[i]!))},${c(py(s.band!.lower[i]!))}`).reverse();
    out.push(`<path class="band" data-label="${escapeXml(s.label)}" d="M${[...upper, ...lower].join('L')}Z" fill="${s.color}" fill-opacity="0.18" stroke="none"/>`);
  }
  for (const s of lines) {
    const d = Array.from({ length: s.x.length }, (_, i) => `${c(px(s.x[i]!))},${c(py(s.y[i]!))}`).join('L');
    const body = s.x.length === 1 ? `<circle cx="${c(px(s.x[0]!))}" cy="${c(py(s.y[0]!))}" r="3" fill="${s.color}"/>` : `<path d="M${d}" fill="none" stroke="${s.color}" stroke-width="2" stroke-linejoin="round"/>`;
    out.push(`<g class="series line-series" data-label="${escapeXml(s.label)}">${body}</g>`);
  }
  for (const s of scatters) {
    const parts: string[] = [];
    if (s.connect && s.points.length > 1) {
      parts.push(`<path d="M${s.points.map((p) => `${c(px(p.x))},${c(py(p.y))}`).join('L')}" fill="none" stroke="${s.color}" stroke-width="1.5" stroke-opacity="0.7"/>`);
    }
    parts.push(`<g fill="${s.color}" stroke="#ffffff" stroke-width="0.8">${s.points.map((p) => markerPath(s.marker, px(p.x), py(p.y), 4.5)).join('')}</g>`);
    const labelled = s.points.filter((p) => p.label);
    if (labelled.length > 0) {
      parts.push(`<g class="point-labels" font-size="10" fill="#333333">${labelled.map((p) => `<text x="${c(px(p.x) + 7)}" y="${c(py(p.y) - 6)}">${escapeXml(p.label!)}</text>`).join('')}</g>`);
    }
    out.push(`<g class="series scatter-series" data-label="${escapeXml(s.label)}">${parts.join('')}</g>`);
  }

  // Legend, to the right of the plot.
  const lx = margin.left + plotW + 16;
  let ly = margin.top + 8;
  out.push('<g class="legend">');
  for (const s of lines) {
    const swatch = s.band ? `<rect x="${c(lx)}" y="${c(ly - 6)}" width="24" height="12" fill="${s.color}" fill-opacity="0.18"/>` : '';
    out.push(`<g class="legend-entry">${swatch}<line x1="${c(lx)}" y1="${c(ly)}" x2="${c(lx + 24)}" y2="${c(ly)}" stroke="${s.color}" stroke-width="2"/><text x="${c(lx + 30)}" y="${c(ly + 4)}">${escapeXml(s.label)}</text></g>`);
    ly += 20;
  }
  for (const s of scatters) {
    const link = s.connect ? `<line x1="${c(lx)}" y1="${c(ly)}" x2="${c(lx + 24)}" y2="${c(ly)}" stroke="${s.color}" stroke-width="1.5"/>` : '';
    out.push(`<g class="legend-entry">${link}<g fill="${s.color}" stroke="#ffffff" stroke-width="0.8">${markerPath(s.marker, lx + 12, ly, 4.5)}</g><text x="${c(lx + 30)}" y="${c(ly + 4)}">${escapeXml(s.label)}</text></g>`);
    ly += 20;
  }
  if (spec.legendNote) out.push(`<text class="legend-note" x="${c(lx)}" y="${c(ly + 8)}" font-size="10" fill="#555555">${escapeXml(spec.legendNote)}</text>`);
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}
