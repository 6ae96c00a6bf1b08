/**
 * Review runs: one row per review, whatever started it (CLI, editor command,
 * save), failed ones included, so that `diffwise metrics` and the dashboard read
 * the same history.
 */
import type { Db } from './database';
import { countBySeverity, type Finding, type ReviewRun } from '../../shared/review';
import type { ReviewTrace } from '../../shared/observability';
import { SpanStore } from './spanStore';
import { ErrorStore, failuresOf } from './errorStore';

/** What a run records beyond the review document's `run`. */
export interface RunDetails {
  trigger: string;
  stageMs: Record<string, number>;
  savedUsd?: number;
  /** The review's spans (observability/trace.ts): kept for the last reviews, exported when OTLP is configured. */
  trace?: ReviewTrace;
}

/** One recorded run, as the metrics read it. */
export interface RunRecord {
  status: ReviewRun['status'];
  startedAt: string;
  durationMs: number;
  hunks: number;
  cacheHits: number;
  llmCalls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  savedUsd: number;
  findingsByRule: Record<string, number>;
}

export class RunStore {
  private readonly insert;
  private readonly since;
  private readonly last;
  private readonly cost;
  /** The last reviews' spans, kept with their runs. */
  readonly spans: SpanStore;
  /** The failures of every run, by fingerprint, counted as runs are recorded. */
  readonly errors: ErrorStore;

  constructor(private readonly db: Db) {
    this.spans = new SpanStore(db);
    this.errors = new ErrorStore(db);
    this.insert = db.prepare(
      `INSERT INTO review_runs (id, scope, base, merge_base, head, status, started_at, duration_ms, files, hunks, findings, errors,
                                trigger, stage_ms, cache_hits, llm_calls, prompt_tokens, completion_tokens, cost_usd, saved_usd,
                                findings_by_rule, findings_by_severity)
       VALUES (@id, @scope, @base, @mergeBase, @head, @status, @startedAt, @durationMs, @files, @hunks, @findings, @errors,
               @trigger, @stageMs, @cacheHits, @llmCalls, @promptTokens, @completionTokens, @costUsd, @savedUsd,
               @findingsByRule, @findingsBySeverity)`,
    );
    this.last = db.prepare(
      `SELECT head, started_at AS startedAt FROM review_runs
       WHERE scope = ? AND base IS ? AND status != 'failed' AND head IS NOT NULL ORDER BY started_at DESC LIMIT 1`,
    );
    this.cost = db.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS total FROM review_runs WHERE started_at >= ?');
    this.since = db.prepare(
      `SELECT status, started_at AS startedAt, duration_ms AS durationMs, hunks, cache_hits AS cacheHits, llm_calls AS llmCalls,
              prompt_tokens AS promptTokens, completion_tokens AS completionTokens, cost_usd AS costUsd, saved_usd AS savedUsd,
              findings_by_rule AS findingsByRule
       FROM review_runs WHERE started_at >= ? ORDER BY started_at`,
    );
  }

  /** The newest successful run of a scope and base that had a HEAD. */
  lastRun(scope: string, base: string | null): { head: string; startedAt: string } | undefined {
    return this.last.get(scope, base) as { head: string; startedAt: string } | undefined;
  }

  record(run: ReviewRun, findings: readonly Finding[], details: RunDetails): void {
    const byRule: Record<string, number> = {};
    for (const finding of findings) byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
    const bySeverity = countBySeverity(findings);
    // The run and its spans together, or neither.
    this.db.transaction(() => {
      this.insertRun(run, findings, details, byRule, bySeverity);
      if (details.trace) this.spans.save(details.trace);
      this.errors.record(failuresOf(run.errors, details.trace), run.startedAt, run.id);
    })();
  }

  private insertRun(run: ReviewRun, findings: readonly Finding[], details: RunDetails, byRule: Record<string, number>, bySeverity: Record<string, number>): void {
    this.insert.run({
      id: run.id, scope: run.scope, base: run.base, mergeBase: run.mergeBase, head: run.head, status: run.status,
      startedAt: run.startedAt, durationMs: Math.round(run.durationMs), files: run.files, hunks: run.hunks, findings: findings.length,
      errors: JSON.stringify(run.errors), trigger: details.trigger, stageMs: JSON.stringify(details.stageMs),
      cacheHits: run.cacheHits, llmCalls: run.llmCalls, promptTokens: run.tokens.prompt, completionTokens: run.tokens.completion,
      costUsd: run.costUsd, savedUsd: details.savedUsd ?? 0,
      findingsByRule: JSON.stringify(byRule), findingsBySeverity: JSON.stringify(bySeverity),
    });
  }

  /** What the LLM calls of runs started at or after `isoTime` cost, in USD. */
  costSince(isoTime: string): number {
    return (this.cost.get(isoTime) as { total: number }).total;
  }

  /** Runs that started at or after `isoTime`, oldest first. */
  runsSince(isoTime: string): RunRecord[] {
    return (this.since.all(isoTime) as Array<Omit<RunRecord, 'findingsByRule'> & { findingsByRule: string }>).map((row) => ({
      ...row,
      findingsByRule: JSON.parse(row.findingsByRule) as Record<string, number>,
    }));
  }
}
