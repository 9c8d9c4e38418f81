/** Plain-text and Markdown table rendering for the CLI and the benchmark scripts. */

export type Align = 'left' | 'right';

export interface Column {
  header: string;
  align?: Align;
}

function pad(text: string, width: number, align: Align): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

function widths(columns: readonly Column[], rows: readonly (readonly string[])[]): number[] {
  return columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
}

/** Columns separated by two spaces, a dashed rule under the header; trailing spaces trimmed. */
export function textTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const w = widths(columns, rows);
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => pad(cells[i] ?? '', w[i]!, c.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

/** A GitHub-flavoured Markdown table with aligned pipes. */
export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const w = widths(columns, rows).map((n) => Math.max(n, 3));
  const line = (cells: readonly string[]) =>
    `| ${columns.map((c, i) => pad(cells[i] ?? '', w[i]!, c.align ?? 'left')).join(' | ')} |`;
  const rule = `|${columns.map((c, i) => (c.align === 'right' ? `${'-'.repeat(w[i]! + 1)}:` : `${'-'.repeat(w[i]! + 2)}`)).join('|')}|`;
  return [line(columns.map((c) => c.header)), rule, ...rows.map(line)].join('\n');
}

/** 123456.7 → "123,457"; small rates keep one decimal. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return String(perSecond);
  if (perSecond < 100) return perSecond.toFixed(1);
  return Math.round(perSecond).toLocaleString('en-US');
}
