/** Summaries of measured values, and a plain-text table for a terminal. */

/** Nearest-rank percentile of ascending `sorted` values, `p` from 0 to 1; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

/** The median (nearest rank: the lower middle of an even count); NaN when there are no values. */
export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

/**
 * Rows as aligned text, indented by two spaces: the first row is the header, underlined; the
 * first column is left-aligned and the others right-aligned (they hold figures).
 */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const lines: string[] = [];
  for (const [n, row] of rows.entries()) {
    lines.push(`  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}`);
    if (n === 0) lines.push(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  }
  return lines.join('\n');
}
