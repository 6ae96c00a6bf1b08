/** What an index pass did: what `diffwise index --json` prints and `diffwise/reindex` returns. */
export interface IndexSummary {
  /** Files in the index (parsed; not counting skipped ones). */
  files: number;
  symbols: number;
  imports: number;
  /** Files parsed in this pass (new or changed content). */
  reparsed: number;
  /** Files dropped from the index because they are gone. */
  removed: number;
  /** Files in the index but not parsed (too large, generated). */
  skipped: number;
  /**
   * How the pass went: `skipped` (git reported nothing new since the last pass),
   * `incremental` (only the paths git reported, or a commit changed, were looked at),
   * `full` (every workspace file was listed and stat'ed: no usable record of the last
   * pass, or too much changed). Absent from older daemons.
   */
  mode?: 'skipped' | 'incremental' | 'full';
  durationMs: number;
}

/** The index's contents for one language (`diffwise index` prints them). */
export interface LanguageTotals {
  /** `TypeScript/JavaScript`, `Python`, `Go`, `Java`. */
  language: string;
  files: number;
  symbols: number;
  imports: number;
}
