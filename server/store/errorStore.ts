/**
 * Failures by fingerprint (observability/errorFingerprint.ts): how often each cause
 * happened, first and last, and a review it happened in. Recorded with the run, in its
 * transaction; read by `diffwise errors` and the metrics webview.
 */
import type { Db } from './database';
import type { ErrorGroup, ReviewTrace } from '../../shared/observability';
import type { RunError } from '../../shared/review';
import { groupOf } from '../observability/errorFingerprint';

/** One failure as it happened: where, of what class, said how. */
export interface Failure {
  stage: string;
  errorClass: string;
  message: string;
}

/**
 * A run's failures, each with its class: the one its stage's span recorded (`error.type`),
 * else one the error's own words give (`…Error:`), else `Error`. The LLM stage reports
 * its failure as a result rather than a throw: `LlmError`.
 */
export function failuresOf(errors: readonly RunError[], trace: ReviewTrace | undefined): Failure[] {
  return errors.map((error) => {
    const span = trace?.spans.find((candidate) => candidate.name === error.stage && candidate.status === 'error');
    const named = /^([A-Z][A-Za-z]*Error)\b/.exec(error.message)?.[1];
    const errorClass = typeof span?.attributes['error.type'] === 'string'
      ? span.attributes['error.type']
      : named ?? (error.stage === 'llm' ? 'LlmError' : error.fatal ? 'StoreError' : 'Error');
    return { stage: error.stage, errorClass, message: error.message };
  });
}

export class ErrorStore {
  private readonly upsert;
  private readonly all;

  constructor(db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO error_groups (fingerprint, stage, error_class, message, example, count, first_seen, last_seen, example_run_id)
       VALUES (@fingerprint, @stage, @errorClass, @message, @example, 1, @at, @at, @runId)
       ON CONFLICT (fingerprint) DO UPDATE SET count = count + 1, last_seen = MAX(last_seen, excluded.last_seen),
         example = excluded.example, example_run_id = COALESCE(excluded.example_run_id, example_run_id)`,
    );
    this.all = db.prepare(
      `SELECT fingerprint, stage, error_class AS errorClass, message, example, count, first_seen AS firstSeen,
              last_seen AS lastSeen, example_run_id AS exampleRunId
       FROM error_groups ORDER BY last_seen DESC, count DESC LIMIT ?`,
    );
  }

  /** Counts each failure under its fingerprint (the caller holds the transaction). */
  record(failures: readonly Failure[], at: string, runId: string | null): void {
    for (const failure of failures) {
      const { fingerprint, message, example } = groupOf(failure);
      this.upsert.run({ fingerprint, stage: failure.stage, errorClass: failure.errorClass, message, example, at, runId });
    }
  }

  /** The groups, the most recently seen first. */
  groups(limit = 100): ErrorGroup[] {
    return this.all.all(limit) as ErrorGroup[];
  }
}
