// What a benchmark section hands back to `bench/run.ts`, and how a section's rows are printed:
// a Markdown table, so a run can be pasted into the README as it is.

export type Cell = string | number;
export type Row = Record<string, Cell>;

export interface SectionResult {
  rows: Row[];
  /** Lines printed under the table: skipped backends, settings, integrity checks. */
  notes: string[];
}

export interface Section {
  /** The name `--only` takes. */
  id: string;
  title: string;
  /** `log` reports progress (to stderr, so stdout stays the tables). */
  run(log: (line: string) => void): Promise<SectionResult>;
}

/** Columns in first-seen order; numbers right-aligned, text left-aligned. */
export function formatTable(rows: readonly Row[]): string {
  if (rows.length === 0) return '(no rows)';
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const text = (value: Cell | undefined) => (value === undefined ? '' : String(value));
  const numeric = columns.map((column) => rows.every((row) => row[column] === undefined || typeof row[column] === 'number'));
  const widths = columns.map((column) => Math.max(column.length, 3, ...rows.map((row) => text(row[column]).length)));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const pad = (value: string, i: number) => (numeric[i] ? value.padStart(widths[i]!) : value.padEnd(widths[i]!));
  return [
    line(columns.map((column, i) => pad(column, i))),
    line(widths.map((width, i) => (numeric[i] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width)))),
    ...rows.map((row) => line(columns.map((column, i) => pad(text(row[column]), i)))),
  ].join('\n');
}

/** The `p`th percentile (nearest rank) of ascending `sorted`; NaN when it is empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** p50, p95 and the largest of `samples`, in any order. */
export function summary(samples: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? Number.NaN };
}
