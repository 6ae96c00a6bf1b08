/**
 * Votes and vote stores for the journal tests: a real SQLite file per store,
 * migrated like the daemon's, in one temporary folder per test process.
 */
import * as path from 'node:path';
import type { StoredVote } from '../../../server/learning/policy';
import { openDatabase, type Db } from '../../../server/store/database';
import { FeedbackStore } from '../../../server/store/feedbackStore';

/** A complete vote; `overrides` change any field. */
export function makeVote(id: string, overrides: Partial<StoredVote> = {}): StoredVote {
  return {
    id,
    findingId: `finding-${id}`,
    vote: 'up',
    reason: null,
    ruleId: 'debug-leftover',
    category: 'debug-leftover',
    source: 'static',
    severity: 'warning',
    file: 'src/a.ts',
    line: 3,
    message: 'console.log left in',
    code: 'console.log(x);',
    codeFingerprint: 'c0de',
    messageFingerprint: 'm355',
    createdAt: '2026-01-02T03:04:05.000Z',
    origin: 'local',
    ...overrides,
  };
}

/** A store over a new database file in `dir` whose journal is `journal`. */
export function openStore(dir: string, name: string, journal: string): { store: FeedbackStore; db: Db } {
  const db = openDatabase(path.join(dir, `${name}.db`));
  return { store: new FeedbackStore(db, journal), db };
}

/** Every vote a fresh database gets back from `journal`, and the replay's report. */
export function replayIntoFreshDatabase(dir: string, name: string, journal: string): { votes: StoredVote[]; restored: number; skipped: number } {
  const { store, db } = openStore(dir, name, journal);
  try {
    store.replayJournal();
    return { votes: store.all(), ...store.lastReplay };
  } finally {
    db.close();
  }
}
