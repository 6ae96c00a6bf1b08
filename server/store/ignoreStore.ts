/** Findings the user chose to ignore ("Ignore this finding"): user data, kept across restarts. */
import type { Db } from './database';
import type { Finding } from '../../shared/review';

export class IgnoreStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO ignored_findings (finding_id, rule_id, file, message, ignored_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(finding_id) DO NOTHING`,
      ),
      all: db.prepare('SELECT finding_id AS id FROM ignored_findings'),
    };
  }

  ignore(finding: Pick<Finding, 'id' | 'ruleId' | 'file' | 'message'>): void {
    this.statements.insert.run(finding.id, finding.ruleId, finding.file, finding.message, new Date().toISOString());
  }

  ignoredIds(): Set<string> {
    return new Set((this.statements.all.all() as Array<{ id: string }>).map((row) => row.id));
  }
}
