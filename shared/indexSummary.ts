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
  /** Files seen but not parsed (too large, generated). */
  skipped: number;
  durationMs: number;
}
