/**
 * The last reviews' spans (observability/trace.ts), for the metrics webview's waterfall
 * and `diffwise metrics --json`'s `lastTrace`. Only the newest reviews are kept: spans are
 * history, not user data.
 */
import type { Db } from './database';
import type { ReviewTrace, TraceSpan } from '../../shared/observability';
import type { RunStatus } from '../../shared/review';

/** How many reviews' spans are kept. */
export const KEPT_TRACES = 20;

/** A row as selected: the span, its trace's id, its attributes as stored (JSON). */
type SpanRow = Omit<TraceSpan, 'attributes'> & { traceId: string; attributes: string };

export class SpanStore {
  private readonly insert;
  private readonly prune;
  private readonly ofRun;
  private readonly lastRun;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO review_spans (run_id, trace_id, span_id, parent_span_id, name, start_ms, duration_ms, status, attributes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // The runs' own order (review_runs.started_at), newest first: spans of older runs go.
    this.prune = db.prepare(
      `DELETE FROM review_spans WHERE run_id NOT IN (
         SELECT DISTINCT s.run_id FROM review_spans s LEFT JOIN review_runs r ON r.id = s.run_id
         ORDER BY COALESCE(r.started_at, '') DESC LIMIT ?)`,
    );
    this.ofRun = db.prepare(
      `SELECT trace_id AS traceId, span_id AS spanId, parent_span_id AS parentSpanId, name, start_ms AS startMs,
              duration_ms AS durationMs, status, attributes
       FROM review_spans WHERE run_id = ? ORDER BY start_ms, rowid`,
    );
    this.lastRun = db.prepare(
      `SELECT r.id, r.started_at AS startedAt, r.duration_ms AS durationMs, r.status FROM review_runs r
       WHERE EXISTS (SELECT 1 FROM review_spans s WHERE s.run_id = r.id) ORDER BY r.started_at DESC LIMIT 1`,
    );
  }

  /** Keeps a review's spans, and drops those of reviews older than the last KEPT_TRACES. One transaction. */
  save(trace: ReviewTrace): void {
    this.db.transaction(() => {
      for (const span of trace.spans) {
        this.insert.run(trace.runId, trace.traceId, span.spanId, span.parentSpanId, span.name, span.startMs, span.durationMs, span.status, JSON.stringify(span.attributes));
      }
      this.prune.run(KEPT_TRACES);
    })();
  }

  /** The trace of the newest review whose spans are kept, or null when none is. */
  last(): ReviewTrace | null {
    const run = this.lastRun.get() as { id: string; startedAt: string; durationMs: number; status: RunStatus } | undefined;
    if (!run) return null;
    const rows = this.ofRun.all(run.id) as SpanRow[];
    const spans: TraceSpan[] = rows.map(({ traceId: _traceId, attributes, ...span }) => ({ ...span, attributes: JSON.parse(attributes) as TraceSpan['attributes'] }));
    return { runId: run.id, traceId: rows[0]?.traceId ?? '', startedAt: run.startedAt, durationMs: run.durationMs, status: run.status, spans };
  }
}
