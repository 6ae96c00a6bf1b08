/**
 * The findings of recent reviews, suppressed ones included, with what a vote
 * needs to remember about them: so that `diffwise feedback ID --down` from a
 * terminal, an hour after the review, knows what ID was. Rebuildable.
 */
import type { Db } from './database';
import type { Finding } from '../../shared/review';
import type { FingerprintedFinding } from '../learning/fingerprints';

/** Findings not seen in a review for this long are forgotten. */
const KEEP_MS = 90 * 86_400_000;

export type FindingLookup = { found: FingerprintedFinding } | { ambiguous: string[] } | { missing: true };

export class RecentFindingStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      upsert: db.prepare(
        `INSERT INTO recent_findings (finding_id, run_id, finding, code, code_fingerprint, message_fingerprint, seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(finding_id) DO UPDATE SET run_id = excluded.run_id, finding = excluded.finding, code = excluded.code,
           code_fingerprint = excluded.code_fingerprint, message_fingerprint = excluded.message_fingerprint, seen_at = excluded.seen_at`,
      ),
      prune: db.prepare('DELETE FROM recent_findings WHERE seen_at < ?'),
      byPrefix: db.prepare(
        `SELECT finding, code, code_fingerprint AS codeFingerprint, message_fingerprint AS messageFingerprint
         FROM recent_findings WHERE finding_id >= ? AND finding_id < ? ORDER BY finding_id LIMIT 10`,
      ),
    };
  }

  /** Remembers a review's findings (as reported, before learning marked them) and forgets old ones. */
  save(runId: string, items: readonly FingerprintedFinding[], now = new Date()): void {
    const seenAt = now.toISOString();
    this.db.transaction(() => {
      for (const item of items) {
        this.statements.upsert.run(item.finding.id, runId, JSON.stringify(item.finding), item.code, item.codeFingerprint, item.messageFingerprint, seenAt);
      }
      this.statements.prune.run(new Date(now.getTime() - KEEP_MS).toISOString());
    })();
  }

  /** A finding by its id or a unique prefix of it. */
  find(idOrPrefix: string): FindingLookup {
    const prefix = idOrPrefix.toLowerCase();
    const rows = this.statements.byPrefix.all(prefix, `${prefix}\uffff`) as Array<{ finding: string; code: string; codeFingerprint: string; messageFingerprint: string }>;
    if (rows.length === 0) return { missing: true };
    const items = rows.map((row) => ({ finding: JSON.parse(row.finding) as Finding, code: row.code, codeFingerprint: row.codeFingerprint, messageFingerprint: row.messageFingerprint }));
    const exact = items.find((item) => item.finding.id === prefix);
    if (exact) return { found: exact };
    if (items.length > 1) return { ambiguous: items.map((item) => item.finding.id) };
    return { found: items[0] };
  }
}
