/** CSV as RFC 4180 has it: CRLF line ends, a header row, fields quoted when they hold a comma, quote or line break. */
import type { Column } from './table';

export function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function toCsv<T>(columns: ReadonlyArray<Column<T>>, rows: readonly T[]): string {
  const lines = [columns.map((c) => csvField(c.name)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
