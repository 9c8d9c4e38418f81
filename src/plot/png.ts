/**
 * SVG → PNG through resvg (a native renderer shipped as a prebuilt binary), and atomic chart files: written
 * to a temporary name in the target directory, then renamed, so a reader never sees a partial image.
 * Text uses DejaVu Sans when installed (Debian: fonts-dejavu-core), else any system sans-serif font.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { InvalidArgumentError } from '../core/errors.js';
import { renderChartSvg, type ChartSpec } from './chart.js';

/** The 8 bytes every PNG file starts with. */
export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}

/** Writes bytes or text to `path` via a temporary file and a rename (creating the directory). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Renders `spec` to `path`: a PNG for `.png`, the SVG text for `.svg`. Returns the path. */
export function writeChart(path: string, spec: ChartSpec): string {
  const ext = extname(path).toLowerCase();
  if (ext !== '.png' && ext !== '.svg') throw new InvalidArgumentError(`Chart file '${path}' must end in .png or .svg`);
  const svg = renderChartSvg(spec);
  writeFileAtomic(path, ext === '.svg' ? svg : svgToPng(svg));
  return path;
}
