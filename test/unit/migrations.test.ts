import * as assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase } from '../../server/store/database';
import { MIGRATIONS, SCHEMA_VERSION } from '../../server/store/migrations';

describe('schema migrations', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-migrations-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('brings a database of the previous schema up to date, keeping what the user had', () => {
    const file = path.join(dir, 'v4.db');
    const old = new Database(file);
    for (const migration of MIGRATIONS.filter((m) => m.version <= 4)) old.exec(migration.sql);
    old.pragma('user_version = 4');
    old.prepare("INSERT INTO ignored_findings VALUES ('f1', 'secret', 'a.ts', 'm', '2026-01-01')").run();
    old.close();

    const db = openDatabase(file);
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.deepEqual(db.prepare('SELECT finding_id FROM ignored_findings').all(), [{ finding_id: 'f1' }]);
    assert.deepEqual(db.prepare('SELECT COUNT(*) AS n FROM feedback').get(), { n: 0 });
    db.close();
  });

  it('never drops or rewrites user data in a migration after the one that created it', () => {
    // Votes and ignored findings are user data: a later migration may add to their tables, never delete from them.
    const userTables = ['feedback', 'ignored_findings'];
    for (const migration of MIGRATIONS) {
      for (const table of userTables) {
        for (const destructive of [`DROP\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?${table}\\b`, `DELETE\\s+FROM\\s+${table}\\b`, `ALTER\\s+TABLE\\s+${table}\\s+(DROP|RENAME)`, `UPDATE\\s+${table}\\b`]) {
          assert.doesNotMatch(migration.sql, new RegExp(destructive, 'i'), `migration ${migration.version} must keep ${table}`);
        }
      }
    }
    assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1), 'numbered from 1 without gaps');
  });
});
