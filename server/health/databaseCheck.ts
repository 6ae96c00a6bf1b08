/**
 * The database and the disk it lives on, looked at without writing a byte: opened
 * read-only (never created, never migrated, never set aside), so that `doctor` can be
 * run on a broken setup and leaves it as it found it for the bug report.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HealthCheck } from '../../shared/observability';
import { APPLICATION_ID, databaseFileBytes, isCorruption, type Db } from '../store/database';
import { SCHEMA_VERSION } from '../store/migrations';

/** Below this the full integrity_check runs; above it the quicker quick_check (no index-content comparison). */
const FULL_CHECK_BELOW_BYTES = 64 * 1024 * 1024;
export const DISK_WARNING_BYTES = 1024 ** 3;
export const DISK_ERROR_BYTES = 100 * 1024 ** 2;

const CORRUPT_FIX = 'run diffwise index: it moves the corrupt file aside and builds a new one (votes come back from the journal beside it)';

export interface DatabaseInspection {
  check: HealthCheck;
  /** Open read-only when the file could be read at this build's schema; the caller closes it. */
  db: Db | null;
}

/** Opens `file` read-only and checks it; an absent file is "no review yet", a corrupt one an error with the fix. */
export function inspectDatabase(file: string): DatabaseInspection {
  const title = 'Database';
  if (!fs.existsSync(file)) {
    return { db: null, check: { id: 'database', title, status: 'warning', detail: `no database yet at ${file} (no review yet)`, fix: 'run diffwise review or diffwise index (the editor does on start)' } };
  }
  const size = databaseFileBytes(file);
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (applicationId !== APPLICATION_ID && applicationId !== 0) {
      db.close();
      return { db: null, check: { id: 'database', title, status: 'error', detail: `${file} is not a Diffwise database (another program's SQLite file)`, fix: 'point --db (or DIFFWISE_DB) at a new file' } };
    }
    const pragma = size < FULL_CHECK_BELOW_BYTES ? 'integrity_check' : 'quick_check';
    const problems = (db.pragma(`${pragma}(5)`) as Array<Record<string, string>>).map((row) => Object.values(row)[0]).filter((line) => line !== 'ok');
    if (problems.length) {
      db.close();
      return { db: null, check: { id: 'database', title, status: 'error', detail: `corrupt (${pragma}: ${problems[0]})`, fix: CORRUPT_FIX } };
    }
    const where = `${formatBytes(size)}, schema ${version}`;
    if (version > SCHEMA_VERSION) {
      db.close();
      return { db: null, check: { id: 'database', title, status: 'error', detail: `${where}: written by a newer Diffwise (this build knows schema ${SCHEMA_VERSION})`, fix: 'upgrade Diffwise, or point --db (or DIFFWISE_DB) elsewhere' } };
    }
    if (version < SCHEMA_VERSION) {
      db.close();
      return { db: null, check: { id: 'database', title, status: 'warning', detail: `${where}, older than this build's ${SCHEMA_VERSION}`, fix: 'run diffwise index: it migrates the database' } };
    }
    return { db, check: { id: 'database', title, status: 'ok', detail: `${where} (${pragma} ok), ${file}` } };
  } catch (error) {
    db?.close();
    if (isCorruption(error)) return { db: null, check: { id: 'database', title, status: 'error', detail: `corrupt: ${(error as Error).message}`, fix: CORRUPT_FIX } };
    return { db: null, check: { id: 'database', title, status: 'error', detail: `cannot be read: ${(error as Error).message}`, fix: 'check the file\'s permissions, or point --db (or DIFFWISE_DB) elsewhere' } };
  }
}

/** Free space where the database is (or will be): its folder, or the nearest one that exists. */
export function diskCheck(file: string, statfs: (dir: string) => { bavail: number | bigint; bsize: number | bigint } = fs.statfsSync): HealthCheck {
  let dir = path.dirname(path.resolve(file));
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  let free: number;
  try {
    const stats = statfs(dir);
    free = Number(stats.bavail) * Number(stats.bsize);
  } catch (error) {
    return { id: 'disk', title: 'Free disk', status: 'warning', detail: `cannot tell the free space of ${dir}: ${(error as Error).message}`, fix: 'check the disk by hand (df -h)' };
  }
  const detail = `${formatBytes(free)} free on ${dir}`;
  if (free < DISK_ERROR_BYTES) return { id: 'disk', title: 'Free disk', status: 'error', detail, fix: `free some space (under ${formatBytes(DISK_ERROR_BYTES)} writes fail), or point --db (or DIFFWISE_DB) at another disk` };
  if (free < DISK_WARNING_BYTES) return { id: 'disk', title: 'Free disk', status: 'warning', detail, fix: `free some space before it runs out (under ${formatBytes(DISK_WARNING_BYTES)} left)` };
  return { id: 'disk', title: 'Free disk', status: 'ok', detail };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${bytes} B`;
}
