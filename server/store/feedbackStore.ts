/**
 * Votes on findings: user data that must never be lost. Each vote is appended to
 * a journal file beside the database (fsync'd) before it is inserted, and the
 * journal is replayed into the table whenever the database is opened: a corrupt
 * database that had to be set aside, or one deleted to clear the cache, comes
 * back with every vote.
 */
import * as fs from 'node:fs';
import type { Db } from './database';
import type { StoredVote } from '../learning/policy';

interface Row {
  id: string; findingId: string; vote: StoredVote['vote']; reason: string | null; ruleId: string; category: string; source: StoredVote['source'];
  severity: StoredVote['severity']; file: string; line: number; message: string; code: string; codeFingerprint: string;
  messageFingerprint: string; createdAt: string; origin: StoredVote['origin'];
}

export class FeedbackStore {
  private readonly statements;

  constructor(private readonly db: Db, private readonly journalPath: string) {
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
   * Puts back into the table every journalled vote it lacks; returns how many.
   * A line cut short by a crash mid-write is skipped: it was never acknowledged.
   */
  replayJournal(): number {
    let text: string;
    try {
      text = fs.readFileSync(this.journalPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    let restored = 0;
    this.db.transaction(() => {
      for (const line of text.split('\n')) {
        const vote = parseVote(line);
        if (vote) restored += this.statements.insert.run(vote).changes;
      }
    })();
    return restored;
  }

  private journal(votes: readonly StoredVote[]): void {
    if (!votes.length) return;
    const fd = fs.openSync(this.journalPath, 'a', 0o600);
    try {
      fs.writeSync(fd, votes.map((vote) => `${JSON.stringify(vote)}\n`).join(''));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}

function parseVote(line: string): StoredVote | undefined {
  if (!line.trim()) return undefined;
  try {
    const vote = JSON.parse(line) as StoredVote;
    const complete = typeof vote.id === 'string' && typeof vote.findingId === 'string' && ['up', 'down', 'clear'].includes(vote.vote)
      && typeof vote.ruleId === 'string' && typeof vote.file === 'string' && typeof vote.codeFingerprint === 'string' && typeof vote.createdAt === 'string';
    return complete ? { ...vote, origin: vote.origin ?? 'local', reason: vote.reason ?? null, code: vote.code ?? '' } : undefined;
  } catch {
    return undefined;
  }
}
