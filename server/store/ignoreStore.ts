/**
 * Findings the user chose to ignore ("Ignore this finding"): user data, kept
 * across restarts, and reversible ("Unignore"), so an ignore made by mistake
 * costs nothing.
 */
import type { Db } from './database';
import type { Finding } from '../../shared/review';

/** An ignored finding as the store keeps it: enough to list it without a review. */
export interface IgnoredFinding {
  id: string;
  ruleId: string;
  file: string;
  message: string;
  /** ISO 8601. */
  ignoredAt: string;
}

export class IgnoreStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO ignored_findings (finding_id, rule_id, file, message, ignored_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(finding_id) DO NOTHING`,
      ),
      remove: db.prepare('DELETE FROM ignored_findings WHERE finding_id = ?'),
      all: db.prepare('SELECT finding_id AS id FROM ignored_findings'),
      list: db.prepare(
        `SELECT finding_id AS id, rule_id AS ruleId, file, message, ignored_at AS ignoredAt
         FROM ignored_findings ORDER BY ignored_at, finding_id`,
      ),
    };
  }

  ignore(finding: Pick<Finding, 'id' | 'ruleId' | 'file' | 'message'>): void {
    this.statements.insert.run(finding.id, finding.ruleId, finding.file, finding.message, new Date().toISOString());
  }

  /** Reports the finding again from the next review on; false when it was not ignored. */
  unignore(id: string): boolean {
    return this.statements.remove.run(id).changes > 0;
  }

  ignoredIds(): Set<string> {
    return new Set((this.statements.all.all() as Array<{ id: string }>).map((row) => row.id));
  }

  /** Every ignored finding, oldest ignore first. */
  list(): IgnoredFinding[] {
    return this.statements.list.all() as IgnoredFinding[];
  }
}
