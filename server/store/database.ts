/**
 * Opening the per-repository SQLite database: location, pragmas, migrations, and
 * the one-line errors a user gets for a file that is not ours, corrupt, too new,
 * locked, read-only or on a full disk.
 *
 * A file is only ever moved aside when it is recognisably Diffwise's: its header
 * carries our application id (or, for databases written before it did, our
 * schema's version and tables), or it is at the default location in our own
 * folder. Anything else `--db` points at (a source file, someone else's SQLite
 * database, a directory, /dev/null) is refused and left alone.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileErrorText } from '../fileErrors';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type Db = Database.Database;

/** A problem with the database file that the user has to know about; the message is one clear line. */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** `PRAGMA application_id` of every Diffwise database: "DFWS". */
export const APPLICATION_ID = 0x44465753;

/** The schema from which stored code has secrets redacted; a corrupt file older than that is not kept. */
export const REDACTED_AT_REST_SINCE = 7;

/** How long a write waits for another process's lock, unless DIFFWISE_DB_BUSY_TIMEOUT_MS says otherwise. */
const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface OpenOptions {
  /** Called with a one-line notice when the store had to set a corrupt file aside. */
  onNotice?: (message: string) => void;
  /**
   * Never write the file: for commands that only read (`metrics`, `feedback --list`,
   * `learned`). A missing file, or one whose schema is older than this build's,
   * is read into memory and migrated there; the file itself is left as it is.
   */
  readOnly?: boolean;
  /** The file is at the default location, in Diffwise's own folder: recognisably ours even when its header is gone. */
  defaultLocation?: boolean;
}

/** Where a repository's database lives unless `--db`/`DIFFWISE_DB` says otherwise. */
export function defaultDatabasePath(gitCommonDir: string): string {
  return path.join(gitCommonDir, 'diffwise', 'diffwise.db');
}

/** What the first 100 bytes of a file say about it. */
type Inspection =
  | { kind: 'missing' | 'empty' }
  | { kind: 'sqlite'; applicationId: number; userVersion: number }
  | { kind: 'not-sqlite' };

/**
 * Opens (creating if needed) and migrates the database at `file`.
 *
 * A corrupt file that is recognisably ours is moved aside to
 * `<file>.corrupt-<time>` rather than deleted, and a fresh one is created:
 * everything in it but the votes is rebuildable, and the votes are journalled
 * beside it. A corrupt file written before secrets were redacted at rest is
 * deleted instead, so that no copy holding secrets in clear is left behind.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const inspection = inspect(file);
  if (inspection.kind === 'not-sqlite') {
    if (!options.defaultLocation) throw notOurs(file, 'it is not an SQLite database');
    return recoverFromCorruption(file, new Error('the file is not an SQLite database'), inspection, options);
  }
  if (inspection.kind === 'sqlite') {
    refuseForeign(file, inspection, options);
    // Before anything writes to it (even switching it to WAL): a newer schema is not ours to touch.
    if (inspection.userVersion > SCHEMA_VERSION) throw tooNew(file, inspection.userVersion);
  }
  if (options.readOnly) return openReadOnly(file, inspection);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new StoreError(`cannot create the folder for the database ${path.dirname(file)}: ${fileErrorText(error)}; point --db (or DIFFWISE_DB) at a writable place`, { cause: error });
  }
  try {
    return openAndMigrate(file);
  } catch (error) {
    if (!isCorruption(error)) throw storeErrorOf(error, file);
    return recoverFromCorruption(file, error as Error, inspection, options);
  }
}

function recoverFromCorruption(file: string, error: Error, inspection: Inspection, options: OpenOptions): Db {
  setAsideCorrupt(file, error, inspection, options);
  try {
    return openAndMigrate(file);
  } catch (retryError) {
    throw storeErrorOf(retryError, file);
  }
}

/**
 * Sets aside a database found corrupt while a command was using it (SQLite only
 * notices when it reads a damaged page), so that the next command builds a new
 * one: called by the workspace as it closes. Only a file that is recognisably
 * ours; anything else is left alone.
 */
export function setAsideCorruptDatabase(file: string, error: Error, options: OpenOptions = {}): void {
  let inspection: Inspection;
  try {
    inspection = inspect(file);
  } catch {
    return;
  }
  if (inspection.kind === 'missing' || inspection.kind === 'empty') return;
  if (inspection.kind === 'sqlite' && inspection.applicationId !== APPLICATION_ID && inspection.applicationId !== 0) return;
  if (!options.defaultLocation && inspection.kind !== 'sqlite') return;
  setAsideCorrupt(file, error, inspection, options);
}

function setAsideCorrupt(file: string, error: Error, inspection: Inspection, options: OpenOptions): void {
  if (!options.defaultLocation && inspection.kind !== 'sqlite') throw notOurs(file, 'it is not an SQLite database');
  const reason = error.message.replace(/\.$/, '');
  // Written before stored code was redacted: a copy kept aside could hold secrets in clear.
  // Of unknown age when its header is gone: treated the same way.
  const legacy = !(inspection.kind === 'sqlite' && inspection.userVersion >= REDACTED_AT_REST_SINCE);
  try {
    if (legacy) {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
      options.onNotice?.(`the database ${file} was corrupt (${reason}); it was deleted rather than kept, since it was written before Diffwise redacted secrets at rest, and a new one is being built (votes are restored from the journal)`);
    } else {
      const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      for (const suffix of ['', '-wal', '-shm']) {
        if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
      }
      options.onNotice?.(`the database ${file} was corrupt (${reason}); it was moved to ${aside} and a new one is being built`);
    }
  } catch (moveError) {
    throw new StoreError(`the database ${file} is corrupt (${reason}) and could not be set aside: ${fileErrorText(moveError)}; move or delete it by hand`, { cause: moveError });
  }
}

/**
 * Read-only: the file as it is when its schema is current; otherwise (missing,
 * older schema) a copy in memory, migrated there, so that the commands that
 * only read work on a database they may not write.
 */
function openReadOnly(file: string, inspection: Inspection): Db {
  if (inspection.kind === 'missing' || inspection.kind === 'empty') return openInMemory(file);
  let db: Db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs() });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return db;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw tooNew(file, version);
    }
    // An older schema: migrate a copy in memory, leaving the file for the next command that writes.
    const copy = new Database(db.serialize());
    db.close();
    return migrateInMemory(copy, file);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    if (isCorruption(error)) throw new StoreError(`the database ${file} is corrupt (${(error as Error).message}); a command that writes (diffwise index) sets it aside and builds a new one`, { cause: error });
    throw storeErrorOf(error, file, 'read');
  }
}

/** An empty database in memory at this build's schema, standing in for `file` (named in errors) when it cannot be used. */
export function openInMemory(file: string): Db {
  return migrateInMemory(new Database(':memory:'), file);
}

function migrateInMemory(db: Db, file: string): Db {
  db.pragma('foreign_keys = ON');
  migrate(db, file);
  return db;
}

function openAndMigrate(file: string): Db {
  const db = new Database(file, { timeout: busyTimeoutMs() });
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
  if (current > SCHEMA_VERSION) throw tooNew(file, current);
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

function inspect(file: string): Inspection {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ENOTDIR') throw new StoreError(`cannot use ${file} as the database: a part of its path is a file, not a folder; point --db (or DIFFWISE_DB) elsewhere`);
    throw new StoreError(`cannot use ${file} as the database: ${fileErrorText(error)}`, { cause: error });
  }
  if (stat.isDirectory()) throw new StoreError(`${file} is a folder, not a database file: point --db (or DIFFWISE_DB) at a file (it is created if missing)`);
  if (!stat.isFile()) throw new StoreError(`${file} is not a regular file (a device, a pipe or a socket), so it cannot hold the database: point --db (or DIFFWISE_DB) at a file`);
  if (stat.size === 0) return { kind: 'empty' };
  const header = Buffer.alloc(100);
  let read: number;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      read = fs.readSync(fd, header, 0, 100, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    throw new StoreError(`cannot read the database ${file}: ${fileErrorText(error)}; check its permissions, or point --db (or DIFFWISE_DB) elsewhere`, { cause: error });
  }
  if (read < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') return { kind: 'not-sqlite' };
  return { kind: 'sqlite', userVersion: header.readUInt32BE(60), applicationId: header.readUInt32BE(68) };
}

/** An SQLite file that is someone else's is refused; one of ours, or a legacy one of ours, passes. */
function refuseForeign(file: string, inspection: Extract<Inspection, { kind: 'sqlite' }>, options: OpenOptions): void {
  if (inspection.applicationId === APPLICATION_ID) return;
  if (inspection.applicationId !== 0) throw notOurs(file, `it is another application's SQLite database (application id 0x${inspection.applicationId.toString(16)})`);
  if (options.defaultLocation) return;
  // Written before Diffwise set its application id: ours when it has our schema's tables.
  let tables: string[];
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((row) => row.name);
    } finally {
      db.close();
    }
  } catch (error) {
    if (isCorruption(error)) return; // recognisable by its header, unreadable inside: handled as corrupt
    throw storeErrorOf(error, file, 'read');
  }
  if (tables.length === 0) return; // an empty SQLite file: nothing to lose, ours from now on
  const legacy = inspection.userVersion >= 1 && inspection.userVersion <= SCHEMA_VERSION && tables.includes('files') && tables.includes('review_runs');
  if (!legacy) throw notOurs(file, 'it is an SQLite database with tables of its own');
}

function notOurs(file: string, why: string): StoreError {
  return new StoreError(`${file} is not a Diffwise database (${why}); Diffwise leaves it alone: point --db (or DIFFWISE_DB) at a new file or at a Diffwise database`);
}

function tooNew(file: string, version: number): StoreError {
  return new StoreError(
    `the database ${file} was written by a newer Diffwise (schema ${version}, this version knows ${SCHEMA_VERSION}); upgrade Diffwise or point --db elsewhere`,
  );
}

function busyTimeoutMs(): number {
  const value = Number(process.env.DIFFWISE_DB_BUSY_TIMEOUT_MS);
  return Number.isFinite(value) && value >= 0 && process.env.DIFFWISE_DB_BUSY_TIMEOUT_MS?.trim() ? value : DEFAULT_BUSY_TIMEOUT_MS;
}

/** SQLite found the file damaged. */
export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: string } | null | undefined)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_VTAB';
}

/** SQLite's and the OS's codes for "this store cannot be written (or read) now", which fail a review outright. */
const STORAGE_FAILURES = /^(?:SQLITE_(?:FULL|IOERR|READONLY|BUSY|LOCKED|CANTOPEN|PERM|NOMEM|CORRUPT|NOTADB)\w*|ENOSPC|EDQUOT|EROFS|EACCES|EPERM|EIO)$/;

/** Whether `error` means the store itself failed (a full disk, a lock, no permission), not one stage's logic. */
export function isStorageFailure(error: unknown): boolean {
  if (error instanceof StoreError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STORAGE_FAILURES.test(code);
}

/**
 * One line for a failure of the database at `file`: what failed and what to do.
 * Anything that is not a storage failure is returned as is.
 */
export function storeErrorOf(error: unknown, file: string, action: 'read' | 'write' = 'write'): Error {
  if (error instanceof StoreError || !isStorageFailure(error)) return error as Error;
  const code = (error as { code: string }).code;
  const what = `cannot ${action} the database ${file}`;
  let message: string;
  if (/^SQLITE_FULL|^ENOSPC|^EDQUOT/.test(code)) message = `${what}: the disk is full; free some space, or point --db (or DIFFWISE_DB) at another disk`;
  else if (/^SQLITE_(?:BUSY|LOCKED)/.test(code)) {
    const holders = processesHolding(file);
    const who = holders.length ? ` (held by ${holders.join(', ')})` : '';
    message = `the database ${file} is locked by another process${who}; gave up after ${busyTimeoutMs() / 1000} s: wait for it to finish or stop it (DIFFWISE_DB_BUSY_TIMEOUT_MS waits longer)`;
  } else if (/^SQLITE_(?:READONLY|CANTOPEN|PERM)|^EROFS|^EACCES|^EPERM/.test(code)) {
    message = `${what}: ${code === 'EROFS' || /READONLY_DIRECTORY|READONLY$/.test(code) ? 'it (or its folder) is read-only' : 'no permission'}; check its and its folder's permissions, or point --db (or DIFFWISE_DB) at a writable file`;
  } else if (/^SQLITE_NOMEM/.test(code)) message = `${what}: out of memory`;
  else if (/^SQLITE_(?:CORRUPT|NOTADB)/.test(code)) message = `the database ${file} is corrupt (${(error as Error).message}); the command that found it, or the next one that writes, sets it aside and builds a new one (votes are kept in the journal): run it again`;
  else message = `${what}: an I/O error (${code}); the disk may be failing or full`;
  return new StoreError(message, { cause: error });
}

/**
 * The processes that have `file` (or its WAL) open, as `pid 123 (diffwise serve)`:
 * read from /proc on Linux; nothing elsewhere or when /proc cannot be read.
 */
function processesHolding(file: string): string[] {
  if (process.platform !== 'linux') return [];
  const targets = new Set<string>();
  try {
    const real = fs.realpathSync(file);
    for (const suffix of ['', '-wal', '-shm']) targets.add(real + suffix);
  } catch {
    return [];
  }
  const holders: string[] = [];
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid);
  } catch {
    return [];
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    const holds = fds.some((fd) => {
      try {
        return targets.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    let command = '';
    try {
      // The program and its first arguments, each short and on one line: enough to recognise `diffwise serve`.
      const [program, ...args] = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\u0000').filter(Boolean);
      command = [path.basename(program ?? ''), ...args.slice(0, 3).map((arg) => (arg.includes('/') ? path.basename(arg) : arg))]
        // eslint-disable-next-line no-control-regex -- control characters are what must not reach the one line
        .map((part) => part.replace(/[\s\u0000-\u001f]+/g, ' ').trim().slice(0, 24))
        .join(' ');
    } catch {
      // the process ended meanwhile: its pid is still worth naming
    }
    holders.push(`pid ${pid}${command ? ` (${command})` : ''}`);
    if (holders.length === 3) break;
  }
  return holders;
}

/** The database with its write-ahead log: what it takes on disk (the doctor's size, the size alert). */
export function databaseFileBytes(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += fs.statSync(file + suffix).size;
    } catch {
      // No WAL beside it (or no file yet): nothing to add.
    }
  }
  return total;
}
