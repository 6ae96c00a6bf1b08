/** Review runs: one row per review, whatever started it (CLI, editor command, save). */
import type { Db } from './database';
import type { ReviewRun } from '../../shared/review';

export class RunStore {
  private readonly insert;

  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT INTO review_runs (id, scope, base, merge_base, head, status, started_at, duration_ms, files, hunks, findings, errors)
       VALUES (@id, @scope, @base, @mergeBase, @head, @status, @startedAt, @durationMs, @files, @hunks, @findings, @errors)`,
    );
  }

  record(run: ReviewRun, findings: number): void {
    this.insert.run({
      id: run.id, scope: run.scope, base: run.base, mergeBase: run.mergeBase, head: run.head, status: run.status,
      startedAt: run.startedAt, durationMs: Math.round(run.durationMs), files: run.files, hunks: run.hunks, findings,
      errors: JSON.stringify(run.errors),
    });
  }
}
