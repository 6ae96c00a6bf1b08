import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diskCheck, inspectDatabase } from '../../../server/health/databaseCheck';
import { openDatabase } from '../../../server/store/database';
import { SCHEMA_VERSION } from '../../../server/store/migrations';
import { cleanupRepos, makeTempDir } from '../../helpers/gitRepo';

describe('health: the database and the disk', () => {
  after(cleanupRepos);

  it('an absent database is a warning (no review yet), and the doctor does not create it', () => {
    const file = path.join(makeTempDir(), 'diffwise', 'diffwise.db');
    const { check, db } = inspectDatabase(file);
    assert.equal(db, null);
    assert.equal(check.status, 'warning');
    assert.match(check.detail, /no review yet/);
    assert.equal(fs.existsSync(path.dirname(file)), false);
  });

  it('a sound database at this build\'s schema is ok, with its size and the check run, and is not written', () => {
    const file = path.join(makeTempDir(), 'diffwise.db');
    openDatabase(file).close();
    const before = fs.readFileSync(file);
    const { check, db } = inspectDatabase(file);
    try {
      assert.equal(check.status, 'ok', check.detail);
      assert.match(check.detail, new RegExp(`schema ${SCHEMA_VERSION} \\(integrity_check ok\\)`));
      assert.equal(db!.readonly, true);
    } finally {
      db?.close();
    }
    assert.deepEqual(fs.readFileSync(file), before);
  });

  it('a file of garbage is an error with the fix, not a crash, and is left where it is', () => {
    const file = path.join(makeTempDir(), 'diffwise.db');
    fs.writeFileSync(file, Buffer.alloc(8192, 'not a database, just garbage '));
    const { check, db } = inspectDatabase(file);
    assert.equal(db, null);
    assert.equal(check.status, 'error');
    assert.match(check.detail, /corrupt/);
    assert.match(check.fix!, /diffwise index/);
    assert.equal(fs.readFileSync(file, 'utf8').startsWith('not a database'), true);
  });

  it('a database whose pages were overwritten fails its integrity check', () => {
    const file = path.join(makeTempDir(), 'diffwise.db');
    const db = openDatabase(file);
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE filler (x TEXT)');
    const insert = db.prepare('INSERT INTO filler VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${'x'.repeat(100)}`);
    })();
    db.close();
    const bytes = fs.readFileSync(file);
    // Past the header and the schema's first page: garbage over the tables' pages.
    bytes.fill(0x5a, 4096 * 3, bytes.length - 4096);
    fs.writeFileSync(file, bytes);
    const { check } = inspectDatabase(file);
    assert.equal(check.status, 'error', check.detail);
    assert.match(check.detail, /corrupt/);
  });

  it('a schema newer than this build is an error; an older one a warning that the next writing command migrates', () => {
    const dir = makeTempDir();
    const newer = path.join(dir, 'newer.db');
    openDatabase(newer).close();
    const db = openDatabase(newer);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const check = inspectDatabase(newer).check;
    assert.equal(check.status, 'error');
    assert.match(check.detail, /newer Diffwise/);

    const older = path.join(dir, 'older.db');
    const old = openDatabase(older);
    old.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    old.close();
    const olderCheck = inspectDatabase(older).check;
    assert.equal(olderCheck.status, 'warning');
    assert.match(olderCheck.fix!, /migrates/);
  });

  it('free disk: ok above 1 GB, a warning under it, an error under 100 MB', () => {
    const file = path.join(makeTempDir(), 'missing', 'diffwise.db');
    const withFree = (bytes: number) => diskCheck(file, () => ({ bavail: bytes / 4096, bsize: 4096 }));
    assert.equal(withFree(5 * 1024 ** 3).status, 'ok');
    assert.equal(withFree(512 * 1024 ** 2).status, 'warning');
    const full = withFree(40 * 1024 ** 2);
    assert.equal(full.status, 'error');
    assert.match(full.detail, /40\.0 MB free/);
    // The real disk, asked of the nearest folder that exists.
    assert.match(diskCheck(file).detail, / free on /);
  });
});
