/** Small helpers shared by the benchmarks: medians, formatting, one result row. */

export interface BenchResult {
  name: string;
  medianMs: number;
  /** Against the baseline measured in the same run. */
  ratio: number;
  note: string;
  /** Whether a stated target was met; undefined when the row has no target. */
  met?: boolean;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;
}

export function row(name: string, medianMs: number, ratio: number, note: string, met?: boolean): BenchResult {
  return { name, medianMs, ratio, note, met };
}

export function printTable(title: string, results: readonly BenchResult[]): void {
  console.log(`\n${title}`);
  for (const result of results) {
    const verdict = result.met === undefined ? '' : result.met ? '  [met]' : '  [MISSED]';
    console.log(
      `  ${result.name.padEnd(30)} ${result.medianMs.toFixed(result.medianMs < 10 ? 2 : 0).padStart(9)} ms  ${result.ratio.toFixed(result.ratio < 0.1 ? 4 : 2).padStart(7)}x  ${result.note}${verdict}`,
    );
  }
}

/** A table for figures that are not times (shares, counts): first column left-aligned, the others right-aligned. */
export function printGrid(grid: { title: string; header: readonly string[]; rows: ReadonlyArray<readonly string[]> }): void {
  console.log(`\n${grid.title}`);
  const widths = grid.header.map((cell, i) => Math.max(cell.length, ...grid.rows.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]) => `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`.trimEnd();
  console.log(line(grid.header));
  for (const cells of grid.rows) console.log(line(cells));
}
