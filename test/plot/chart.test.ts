/** Charts: SVG structure (series, bands, ticks, legend), PNG output, determinism, and bad data. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidDataError } from '../../src/core/errors.js';
import { PNG_SIGNATURE, formatTick, niceTicks, renderChartSvg, writeChart, type ChartSpec } from '../../src/plot/index.js';

const dir = mkdtempSync(join(tmpdir(), 'teleo-chart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;
const tickLabels = (svg: string, axis: 'x' | 'y') => [...svg.matchAll(new RegExp(`class="tick-${axis}"[^>]*>([^<]*)<`, 'g'))].map((m) => m[1]);

function spec(): ChartSpec {
  const x = [0, 1000, 2000, 3000, 4000];
  return {
    title: 'Return <vs> steps',
    xLabel: 'time/total_timesteps',
    yLabel: 'rollout/ep_rew_mean',
    lines: [
      { label: 'a & b', x, y: [10, 60, 120, 200, 230], band: { lower: [5, 50, 100, 180, 210], upper: [15, 70, 140, 220, 250] } },
      { label: 'baseline', x, y: [10, 20, 30, 40, 50] },
    ],
    scatters: [{ label: 'points', points: [{ x: 500, y: 100, label: 'λ=0.1' }, { x: 3500, y: 20 }], connect: true }],
    legendNote: 'shaded: ± 1 std',
  };
}

describe('niceTicks / formatTick', () => {
  it('puts round ticks inside the range, 1/2/2.5/5 × 10^k apart', () => {
    const t = niceTicks(0.13, 0.87, 4);
    expect(t.values).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(t.min).toBe(0.13);
    expect(niceTicks(0, 102_400, 6).values).toEqual([0, 20_000, 40_000, 60_000, 80_000, 100_000]);
    // A flat series still gets an axis.
    const flat = niceTicks(5, 5);
    expect(flat.min).toBeLessThan(5);
    expect(flat.max).toBeGreaterThan(5);
    expect(() => niceTicks(0, NaN)).toThrow(RangeError);
  });

  it('writes compact labels', () => {
    expect([0, 0.25, 12_000, 2_500_000, 0.00001, -40_000].map(formatTick)).toEqual(['0', '0.25', '12k', '2.5M', '1e-5', '-40k']);
  });
});

describe('renderChartSvg', () => {
  it('has one group per series, one band, tick labels, escaped text and a legend entry per series', () => {
    const svg = renderChartSvg(spec());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500"')).toBe(true);
    expect(count(svg, /class="series /g)).toBe(3);
    expect(count(svg, /class="series line-series"/g)).toBe(2);
    expect(count(svg, /class="band"/g)).toBe(1);
    expect(count(svg, /class="legend-entry"/g)).toBe(3);
    expect(svg).toContain('data-label="a &amp; b"');
    expect(svg).toContain('Return &lt;vs&gt; steps');
    expect(svg).toContain('>λ=0.1<');
    expect(svg).toContain('shaded: ± 1 std');
    const xTicks = tickLabels(svg, 'x');
    expect(xTicks).toEqual(['0', '1000', '2000', '3000', '4000']);
    const yTicks = tickLabels(svg, 'y').map(Number);
    expect(yTicks.length).toBeGreaterThanOrEqual(4);
    expect(Math.min(...yTicks)).toBeGreaterThanOrEqual(5 - 0.04 * 245);
    expect(Math.max(...yTicks)).toBeLessThanOrEqual(250 + 0.04 * 245 + 1e-9);
  });

  it('is deterministic and responds to the data', () => {
    expect(renderChartSvg(spec())).toBe(renderChartSvg(spec()));
    const other = spec();
    (other.lines![1]!.y as number[])[4] = 60;
    expect(renderChartSvg(other)).not.toBe(renderChartSvg(spec()));
  });

  it.each([
    [{ lines: [] }, /at least one series/],
    [{ lines: [{ label: 'empty', x: [], y: [] }] }, /Series 'empty' is empty/],
    [{ lines: [{ label: 'nan', x: [0, 1, 2], y: [1, NaN, 2] }] }, /Series 'nan': y\[1\] is NaN/],
    [{ lines: [{ label: 'short', x: [0, 1, 2], y: [1, 2] }] }, /y has 2 values but x has 3/],
    [{ lines: [{ label: 'band', x: [0, 1], y: [1, 2], band: { lower: [0, 1], upper: [2, Infinity] } }] }, /band.upper\[1\] is Infinity/],
    [{ scatters: [{ label: 'pts', points: [] }] }, /Series 'pts' is empty/],
    [{ scatters: [{ label: 'pts', points: [{ x: 1, y: undefined as unknown as number }] }] }, /points\[0\]\.y is undefined/],
  ])('bad data → InvalidDataError naming the series and index (%#)', (bad, message) => {
    let error: unknown;
    try {
      renderChartSvg(bad as ChartSpec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidDataError);
    expect((error as Error).message).toMatch(message);
  });

  it('bad options → InvalidArgumentError', () => {
    expect(() => renderChartSvg({ ...spec(), width: 50 })).toThrow(InvalidArgumentError);
    expect(() => renderChartSvg({ ...spec(), colour: 'red' } as ChartSpec)).toThrow(/unknown option 'colour'/);
    expect(() => renderChartSvg({ lines: [{ label: '', x: [1], y: [1] }] })).toThrow(/non-empty string label/);
  });
});

describe('writeChart', () => {
  it('writes a PNG of the requested size atomically, and the same bytes for the same input', () => {
    const a = writeChart(join(dir, 'a.png'), spec());
    const b = writeChart(join(dir, 'b.png'), spec());
    const bytes = readFileSync(a);
    expect([...bytes.subarray(0, 8)]).toEqual([...PNG_SIGNATURE]);
    // IHDR: width and height, big-endian, at bytes 16..23.
    expect(bytes.readUInt32BE(16)).toBe(800);
    expect(bytes.readUInt32BE(20)).toBe(500);
    expect(bytes.length).toBeGreaterThan(5000);
    expect(readFileSync(b).equals(bytes)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('writes the SVG for .svg and refuses other extensions', () => {
    const path = writeChart(join(dir, 'c.svg'), { ...spec(), width: 640, height: 400 });
    expect(readFileSync(path, 'utf8')).toContain('width="640" height="400"');
    expect(() => writeChart(join(dir, 'c.jpg'), spec())).toThrow(/must end in .png or .svg/);
  });
});
