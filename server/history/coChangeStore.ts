/**
 * The mined history kept in SQLite (table `co_change_commits`, migration 8): the
 * commits already read, oldest first, with their files, and the range they cover
 * (`meta` key `co-change-head`). Reading 1,000 commits' numstat costs git a second
 * on a large repository; a review only reads what HEAD gained since.
 */
import type { Db } from '../store/database';
import type { MinedCommit } from './coChangeModel';

const HEAD_KEY = 'co-change-head';

export class CoChangeStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      head: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setHead: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
      all: db.prepare('SELECT sha, files FROM co_change_commits ORDER BY seq'),
      insert: db.prepare('INSERT OR IGNORE INTO co_change_commits (sha, files) VALUES (?, ?)'),
      clear: db.prepare('DELETE FROM co_change_commits'),
      trim: db.prepare('DELETE FROM co_change_commits WHERE seq <= (SELECT seq FROM co_change_commits ORDER BY seq DESC LIMIT 1 OFFSET ?)'),
    };
  }

  /** The newest commit the stored history reaches; null when nothing is stored. */
  head(): string | null {
    return (this.statements.head.get(HEAD_KEY) as { value: string } | undefined)?.value ?? null;
  }

  /** The stored commits, oldest first. A row that does not parse is dropped (the cache is rebuildable). */
  commits(): MinedCommit[] {
    const commits: MinedCommit[] = [];
    for (const row of this.statements.all.all() as Array<{ sha: string; files: string }>) {
      try {
        const files: unknown = JSON.parse(row.files);
        if (Array.isArray(files) && files.every((file) => typeof file === 'string')) commits.push({ sha: row.sha, files });
      } catch {
        // A corrupt row only costs that commit.
      }
    }
    return commits;
  }

  /**
   * Appends `newestFirst` (as git log gives them) to the stored history, or replaces
   * it (`replace`: HEAD moved to a history the stored one is not part of), keeps
   * only the newest `keep`, and records `head` as the range's end: all in one transaction.
   */
  extend(head: string, newestFirst: readonly MinedCommit[], options: { replace: boolean; keep: number }): void {
    this.db.transaction(() => {
      if (options.replace) this.statements.clear.run();
      for (const commit of [...newestFirst].reverse()) this.statements.insert.run(commit.sha, JSON.stringify(commit.files));
      this.statements.trim.run(options.keep);
      this.statements.setHead.run(HEAD_KEY, head);
    })();
  }
}
