/**
 * The review cache's table. Entries are rebuildable: a corrupt one is a miss,
 * eviction is by age and total size, least recently used first.
 */
import type { Db } from './database';

export interface CacheLimits {
  maxBytes: number;
  maxAgeMs: number;
}

export class CacheStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      get: db.prepare('SELECT findings FROM review_cache WHERE key = ?'),
      touch: db.prepare('UPDATE review_cache SET last_used_at = ? WHERE key = ?'),
      put: db.prepare(
        `INSERT INTO review_cache (key, findings, bytes, created_at, last_used_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET findings = excluded.findings, bytes = excluded.bytes, last_used_at = excluded.last_used_at`,
      ),
      delete: db.prepare('DELETE FROM review_cache WHERE key = ?'),
      expire: db.prepare('DELETE FROM review_cache WHERE last_used_at < ?'),
      total: db.prepare('SELECT coalesce(sum(bytes), 0) AS bytes FROM review_cache'),
      oldest: db.prepare('SELECT key, bytes FROM review_cache ORDER BY last_used_at LIMIT 500'),
      createdSince: db.prepare('SELECT key, findings AS value FROM review_cache WHERE created_at >= ? ORDER BY created_at'),
      putIfMissing: db.prepare('INSERT INTO review_cache (key, findings, bytes, created_at, last_used_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING'),
    };
  }

  get(key: string, now: number): string | undefined {
    const row = this.statements.get.get(key) as { findings: string } | undefined;
    if (row) this.statements.touch.run(now, key);
    return row?.findings;
  }

  /**
   * The entry under `key` parsed as JSON, when `isValid` accepts it. A corrupt or
   * unexpected entry is deleted and reads as a miss, never as a wrong answer.
   */
  getJson<T>(key: string, now: number, isValid: (value: unknown) => value is T): T | undefined {
    const text = this.get(key, now);
    if (text === undefined) return undefined;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (isValid(parsed)) return parsed;
    } catch {
      // fall through to the delete
    }
    this.delete(key);
    return undefined;
  }

  put(key: string, findings: string, now: number): void {
    this.statements.put.run(key, findings, Buffer.byteLength(findings), now, now);
  }

  /** The entries added at or after `ms` (epoch milliseconds): what a review added, to share. */
  entriesCreatedSince(ms: number): Array<{ key: string; value: string }> {
    return this.statements.createdSince.all(ms) as Array<{ key: string; value: string }>;
  }

  /**
   * Adds entries shared from elsewhere in one transaction; a key already here keeps its
   * entry (keys are content-addressed: the value is the same). Returns how many were added.
   */
  putMany(entries: ReadonlyArray<{ key: string; value: string }>, now: number): number {
    return this.db.transaction(() => {
      let added = 0;
      for (const entry of entries) added += this.statements.putIfMissing.run(entry.key, entry.value, Buffer.byteLength(entry.value), now, now).changes;
      return added;
    })();
  }

  delete(key: string): void {
    this.statements.delete.run(key);
  }

  /** Runs `work` in one transaction: a review's many reads (each touches its entry) and writes are one commit, not one each. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** Drops entries unused for longer than `maxAgeMs`, then the least recently used until under `maxBytes`. */
  evict(limits: CacheLimits, now: number): number {
    return this.db.transaction(() => {
      let removed = this.statements.expire.run(now - limits.maxAgeMs).changes;
      let total = (this.statements.total.get() as { bytes: number }).bytes;
      while (total > limits.maxBytes) {
        const batch = this.statements.oldest.all() as Array<{ key: string; bytes: number }>;
        if (!batch.length) break;
        for (const row of batch) {
          if (total <= limits.maxBytes) break;
          this.statements.delete.run(row.key);
          total -= row.bytes;
          removed++;
        }
      }
      return removed;
    })();
  }
}
