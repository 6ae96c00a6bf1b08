/**
 * Pull-request comments synced from GitHub, and the validators (ETag and the
 * body it stands for) of the requests that fetched them. Rebuildable: a lost
 * database only costs the next sync its full price.
 */
import type { Db } from './database';
import type { PullRequestInfo } from '../../shared/github';
import type { RestReview, RestReviewComment, ReviewThread } from '../github/restTypes';

export interface StoredValidator {
  etag: string;
  body: string;
  link: string | null;
}

export class PrStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      validator: db.prepare('SELECT etag, body, link FROM http_validators WHERE url = ?'),
      saveValidator: db.prepare(
        `INSERT INTO http_validators (url, etag, body, link) VALUES (?, ?, ?, ?)
         ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, body = excluded.body, link = excluded.link`,
      ),
      pull: db.prepare('SELECT pull, synced_at AS syncedAt FROM pr_pulls WHERE repository = ? AND branch = ?'),
      savePull: db.prepare(
        `INSERT INTO pr_pulls (repository, branch, number, pull, synced_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(repository, branch) DO UPDATE SET number = excluded.number, pull = excluded.pull, synced_at = excluded.synced_at`,
      ),
      comment: db.prepare('SELECT updated_at AS updatedAt FROM pr_comments WHERE repository = ? AND number = ? AND id = ?'),
      saveComment: db.prepare(
        `INSERT INTO pr_comments (repository, number, id, comment, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(repository, number, id) DO UPDATE SET comment = excluded.comment, updated_at = excluded.updated_at`,
      ),
      comments: db.prepare('SELECT comment FROM pr_comments WHERE repository = ? AND number = ? ORDER BY id'),
      commentIds: db.prepare('SELECT id FROM pr_comments WHERE repository = ? AND number = ?'),
      deleteComment: db.prepare('DELETE FROM pr_comments WHERE repository = ? AND number = ? AND id = ?'),
      lastUpdate: db.prepare('SELECT MAX(updated_at) AS latest FROM pr_comments WHERE repository = ? AND number = ?'),
      clearReviews: db.prepare('DELETE FROM pr_reviews WHERE repository = ? AND number = ?'),
      saveReview: db.prepare('INSERT INTO pr_reviews (repository, number, id, review) VALUES (?, ?, ?, ?)'),
      reviews: db.prepare('SELECT review FROM pr_reviews WHERE repository = ? AND number = ? ORDER BY id'),
      clearThreads: db.prepare('DELETE FROM pr_threads WHERE repository = ? AND number = ?'),
      saveThread: db.prepare('INSERT INTO pr_threads (repository, number, thread_id, resolved, comment_ids) VALUES (?, ?, ?, ?, ?)'),
      threads: db.prepare('SELECT thread_id AS id, resolved, comment_ids AS commentIds FROM pr_threads WHERE repository = ? AND number = ?'),
      setResolved: db.prepare('UPDATE pr_threads SET resolved = ? WHERE repository = ? AND number = ? AND thread_id = ?'),
    };
  }

  validator(url: string): StoredValidator | undefined {
    return this.statements.validator.get(url) as StoredValidator | undefined;
  }

  saveValidator(url: string, validator: StoredValidator): void {
    this.statements.saveValidator.run(url, validator.etag, validator.body, validator.link);
  }

  pullFor(repository: string, branch: string): { pull: PullRequestInfo; syncedAt: string } | undefined {
    const row = this.statements.pull.get(repository, branch) as { pull: string; syncedAt: string } | undefined;
    return row && { pull: JSON.parse(row.pull) as PullRequestInfo, syncedAt: row.syncedAt };
  }

  /** The newest `updated_at` among the stored comments: the `since` of the next sync. */
  lastCommentUpdate(repository: string, number: number): string | undefined {
    return (this.statements.lastUpdate.get(repository, number) as { latest: string | null }).latest ?? undefined;
  }

  /**
   * Stores one sync's outcome in one transaction: the pull, the comments that
   * came back (new or updated), and the full lists of reviews and threads.
   */
  saveSync(repository: string, branch: string, pull: PullRequestInfo, syncedAt: string, update: {
    comments: readonly RestReviewComment[];
    reviews: readonly RestReview[] | undefined;
    threads: readonly ReviewThread[] | undefined;
    /** When set, stored comments of this pull not in it are deleted (GitHub deleted them). */
    keepOnly?: ReadonlySet<number>;
  }): { added: number; updated: number; deleted: number } {
    let added = 0;
    let updated = 0;
    let deleted = 0;
    this.db.transaction(() => {
      this.statements.savePull.run(repository, branch, pull.number, JSON.stringify(pull), syncedAt);
      for (const comment of update.comments) {
        const known = this.statements.comment.get(repository, pull.number, comment.id) as { updatedAt: string } | undefined;
        if (!known) added++;
        else if (known.updatedAt !== comment.updated_at) updated++;
        this.statements.saveComment.run(repository, pull.number, comment.id, JSON.stringify(comment), comment.updated_at);
      }
      if (update.keepOnly) {
        for (const { id } of this.statements.commentIds.all(repository, pull.number) as Array<{ id: number }>) {
          if (!update.keepOnly.has(id)) deleted += this.statements.deleteComment.run(repository, pull.number, id).changes;
        }
      }
      if (update.reviews) {
        this.statements.clearReviews.run(repository, pull.number);
        for (const review of update.reviews) this.statements.saveReview.run(repository, pull.number, review.id, JSON.stringify(review));
      }
      if (update.threads) {
        this.statements.clearThreads.run(repository, pull.number);
        for (const thread of update.threads) this.statements.saveThread.run(repository, pull.number, thread.id, thread.isResolved ? 1 : 0, JSON.stringify(thread.commentIds));
      }
    })();
    return { added, updated, deleted };
  }

  /** Adds a comment the user just posted, without waiting for the next sync. */
  addComment(repository: string, number: number, comment: RestReviewComment): void {
    this.statements.saveComment.run(repository, number, comment.id, JSON.stringify(comment), comment.updated_at);
  }

  comments(repository: string, number: number): RestReviewComment[] {
    return (this.statements.comments.all(repository, number) as Array<{ comment: string }>).map((row) => JSON.parse(row.comment) as RestReviewComment);
  }

  reviews(repository: string, number: number): RestReview[] {
    return (this.statements.reviews.all(repository, number) as Array<{ review: string }>).map((row) => JSON.parse(row.review) as RestReview);
  }

  threads(repository: string, number: number): ReviewThread[] {
    return (this.statements.threads.all(repository, number) as Array<{ id: string; resolved: number; commentIds: string }>).map((row) => ({
      id: row.id, isResolved: row.resolved === 1, commentIds: JSON.parse(row.commentIds) as number[],
    }));
  }

  setThreadResolved(repository: string, number: number, threadId: string, resolved: boolean): void {
    this.statements.setResolved.run(resolved ? 1 : 0, repository, number, threadId);
  }
}
