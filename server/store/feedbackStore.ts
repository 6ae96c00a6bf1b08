/**
 * Votes on findings: user data that must never be lost. Each vote is appended to
 * a journal file beside the database (fsync'd) before it is inserted, and the
 * journal is replayed into the table whenever the database is opened: a corrupt
 * database that had to be set aside, or one deleted to clear the cache, comes
 * back with every vote. The journal's format is in voteJournal.ts.
 */
import * as fs from 'node:fs';
import { fileErrorText } from '../fileErrors';
import { StoreError, type Db } from './database';
import type { StoredVote } from '../learning/policy';
import { appendRecords, decodeJournal } from './voteJournal';

interface Row {
  id: string; findingId: string; vote: StoredVote['vote']; reason: string | null; ruleId: string; category: string; source: StoredVote['source'];
  severity: StoredVote['severity']; file: string; line: number; message: string; code: string; codeFingerprint: string;
  messageFingerprint: string; createdAt: string; origin: StoredVote['origin'];
}

/** What the last `replayJournal()` did. */
export interface ReplayReport {
  /** Votes put back into the table. */
  restored: number;
  /** Non-blank journal lines that were not a readable vote (a torn write, junk, a bad checksum). */
  skipped: number;
}

/** The notice for a journal with unreadable lines, for the front ends to print. */
export function skippedLinesNotice(journalPath: string, skipped: number): string {
  const lines = skipped === 1 ? '1 unreadable line' : `${skipped} unreadable lines`;
  return `the vote journal ${journalPath} had ${lines} (a write cut short by a crash, or damage); every complete vote was kept`;
}

export class FeedbackStore {
  private readonly statements;

  /** Set by `replayJournal()`. */
  lastReplay: ReplayReport = { restored: 0, skipped: 0 };

  constructor(private readonly db: Db, readonly journalPath: string) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO feedback (id, finding_id, vote, reason, rule_id, category, source, severity, file, line, message, code,
                               code_fingerprint, message_fingerprint, created_at, origin)
         VALUES (@id, @findingId, @vote, @reason, @ruleId, @category, @source, @severity, @file, @line, @message, @code,
                 @codeFingerprint, @messageFingerprint, @createdAt, @origin)
         ON CONFLICT(id) DO NOTHING`,
      ),
      all: db.prepare(
        `SELECT id, finding_id AS findingId, vote, reason, rule_id AS ruleId, category, source, severity, file, line, message, code,
                code_fingerprint AS codeFingerprint, message_fingerprint AS messageFingerprint, created_at AS createdAt, origin
         FROM feedback ORDER BY created_at, rowid`,
      ),
    };
  }

  /** Journals, then stores one vote. */
  record(vote: StoredVote): void {
    this.journal([vote]);
    this.statements.insert.run(vote);
  }

  /** Stores votes from elsewhere (a team file); returns how many were new. */
  importVotes(votes: readonly StoredVote[]): number {
    const known = new Set(this.all().map((vote) => vote.id));
    const fresh = votes.filter((vote) => !known.has(vote.id));
    this.journal(fresh);
    this.db.transaction(() => {
      for (const vote of fresh) this.statements.insert.run(vote);
    })();
    return fresh.length;
  }

  /** Every vote ever cast, oldest first. */
  all(): StoredVote[] {
    return this.statements.all.all() as Row[];
  }

  /**
   * Puts back into the table every journalled vote it lacks; returns how many
   * (and sets `lastReplay`, which also counts the lines skipped). A line cut
   * short by a crash mid-write was never acknowledged and is skipped; so is
   * anything else that is not a whole vote. Only a journal that exists but
   * cannot be read at all (a folder, no permission) is an error.
   */
  replayJournal(): number {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(this.journalPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.lastReplay = { restored: 0, skipped: 0 };
        return 0;
      }
      throw journalError(this.journalPath, 'read', error);
    }
    const { votes, skipped } = decodeJournal(bytes);
    let restored = 0;
    let rejected = 0;
    this.db.transaction(() => {
      for (const vote of votes) {
        try {
          restored += this.statements.insert.run(vote).changes;
        } catch (error) {
          // The decoder checks every column, so this is a vote the schema refuses: skip it, keep the rest.
          if (!String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) throw error;
          rejected++;
        }
      }
    })();
    this.lastReplay = { restored, skipped: skipped + rejected };
    return restored;
  }

  private journal(votes: readonly StoredVote[]): void {
    try {
      appendRecords(this.journalPath, votes);
    } catch (error) {
      // Before the insert, on purpose: a vote that could not be journalled is not stored either.
      throw journalError(this.journalPath, 'write', error);
    }
  }
}

function journalError(file: string, action: 'read' | 'write', error: unknown): StoreError {
  return new StoreError(`cannot ${action} the vote journal ${file}: ${fileErrorText(error)}; no vote was ${action === 'read' ? 'changed' : 'recorded'}`, { cause: error });
}
