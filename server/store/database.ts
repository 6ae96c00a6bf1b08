/**
 * Opening the per-repository SQLite database: location, pragmas, migrations, and
 * the clear errors a user gets for a corrupt or too-new file.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type Db = Database.Database;

/** A problem with the database file that the user has to know about; the message is one clear line. */
export class StoreError extends Error {
  override name = 'StoreError';
}

export interface OpenOptions {
  /** Called with a one-line notice when the store had to set a corrupt file aside. */
  onNotice?: (message: string) => void;
}

/** Where a repository's database lives unless `--db`/`DIFFWISE_DB` says otherwise. */
export function defaultDatabasePath(gitCommonDir: string): string {
  return path.join(gitCommonDir, 'diffwise', 'diffwise.db');
}

/**
 * Opens (creating if needed) and migrates the database at `file`.
 *
 * A corrupt file is moved aside to `<file>.corrupt-<time>` rather than deleted,
 * and a fresh one is created: today everything in it is rebuildable, and moving
 * it keeps whatever the user had (later: feedback) recoverable by hand.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    return openAndMigrate(file);
  } catch (error) {
    if (!isCorruption(error)) throw error;
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
    }
    options.onNotice?.(`the database ${file} was corrupt (${(error as Error).message}); it was moved to ${aside} and a new one is being built`);
    return openAndMigrate(file);
  }
}

function openAndMigrate(file: string): Db {
  const db = new Database(file, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commit.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Db, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreError(
      `the database ${file} was written by a newer Diffwise (schema ${current}, this version knows ${SCHEMA_VERSION}); upgrade Diffwise or point --db elsewhere`,
    );
  }
  if (current === SCHEMA_VERSION) return;
  // One transaction for all pending steps: a crash mid-way leaves the old version intact.
  db.transaction(() => {
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
  })();
}

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_VTAB';
}
