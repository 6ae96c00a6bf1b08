import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitRepository } from '../../../server/git/repository';
import { indexCheck } from '../../../server/health/indexCheck';
import { openDatabase, type Db } from '../../../server/store/database';
import { cleanupRepos, commitAll, makeRepo, makeTempDir, write } from '../../helpers/gitRepo';

/** Catalogues the files as an index pass would: their size and mtime as they are now. */
function catalogue(db: Db, root: string, files: string[]): void {
  const insert = db.prepare("INSERT INTO files (path, size, mtime_ms, hash, skipped) VALUES (?, ?, ?, 'h', NULL)");
  for (const file of files) {
    const stat = fs.statSync(path.join(root, file));
    insert.run(file, stat.size, stat.mtimeMs);
  }
}

describe('health: the index', () => {
  after(cleanupRepos);

  it('fresh when every indexable file is catalogued as it is on disk; stale naming what changed, appeared or went', async () => {
    const root = makeRepo();
    write(root, 'src/a.ts', 'export const a = 1;\n');
    write(root, 'src/b.py', 'b = 2\n');
    write(root, 'README.md', '# not indexed\n');
    commitAll(root, 'start');
    const db = openDatabase(path.join(makeTempDir(), 'diffwise.db'));
    try {
      catalogue(db, root, ['src/a.ts', 'src/b.py']);
      const repo = await GitRepository.open(root);
      const fresh = await indexCheck(db, repo);
      assert.equal(fresh.status, 'ok', fresh.detail);
      assert.match(fresh.detail, /^fresh/);

      write(root, 'src/a.ts', 'export const a = 12345;\n');
      write(root, 'src/c.ts', 'export const c = 3;\n');
      fs.rmSync(path.join(root, 'src/b.py'));
      const stale = await indexCheck(db, repo);
      assert.equal(stale.status, 'warning');
      assert.match(stale.detail, /stale: 3 file\(s\)/);
      for (const file of ['src/a.ts', 'src/c.ts', 'src/b.py']) assert.ok(stale.detail.includes(file), stale.detail);
      assert.match(stale.fix!, /diffwise index/);
    } finally {
      db.close();
    }
  });

  it('no database, or an empty index, is a warning to run diffwise index', async () => {
    const root = makeRepo();
    const repo = await GitRepository.open(root);
    assert.equal((await indexCheck(null, repo)).status, 'warning');
    const db = openDatabase(path.join(makeTempDir(), 'diffwise.db'));
    try {
      const empty = await indexCheck(db, repo);
      assert.deepEqual([empty.status, empty.detail], ['warning', 'the index is empty']);
    } finally {
      db.close();
    }
  });
});
