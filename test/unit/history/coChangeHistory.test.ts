import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadCoChangeModel } from '../../../server/history/coChangeHistory';
import { CoChangeStore } from '../../../server/history/coChangeStore';
import { openDatabase } from '../../../server/store/database';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, write } from '../../helpers/gitRepo';

/** A scripted history: a.ts and a.test.ts change together `times` times; a lockfile and a picture ride along. */
function scriptedRepo(times: number): string {
  const repo = makeRepo();
  for (let i = 0; i < times; i++) {
    write(repo, 'src/a.ts', `export const a = ${i};\n`);
    write(repo, 'src/a.test.ts', `// ${i}\n`);
    write(repo, 'package-lock.json', `{"v":${i}}\n`);
    write(repo, 'logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, i]));
    commitAll(repo, `change ${i}`);
  }
  return repo;
}

describe('co-change history cache', () => {
  after(cleanupRepos);

  it('mines the history once, then reads only what HEAD gained', async () => {
    const repo = scriptedRepo(4);
    const db = openDatabase(path.join(makeTempDir(), 'test.db'));
    try {
      const store = new CoChangeStore(db);
      const first = await loadCoChangeModel(repo, store);
      assert.equal(first.readFromGit, 4);
      assert.deepEqual(first.model.partnersOf('src/a.ts', { minSupport: 3, minConfidence: 0.5 }).map((p) => [p.partner, p.support, p.confidence]), [['src/a.test.ts', 4, 1]]);
      assert.equal(first.model.changesOf('package-lock.json'), 0, 'lockfiles are left out');
      assert.equal(first.model.changesOf('logo.png'), 0, 'binary files are left out');

      const again = await loadCoChangeModel(repo, store);
      assert.equal(again.readFromGit, 0, 'the same HEAD: all from the store');

      write(repo, 'src/a.ts', 'export const a = 99;\n');
      commitAll(repo, 'a alone');
      const extended = await loadCoChangeModel(repo, store);
      assert.equal(extended.readFromGit, 1, 'only the new commit is read');
      assert.equal(extended.model.partnersOf('src/a.ts', { minSupport: 3, minConfidence: 0 })[0].confidence, 4 / 5);

      // HEAD moved to a history the stored one is not part of: read again, not extended.
      git(repo, 'checkout', '--quiet', '--orphan', 'other');
      commitAll(repo, 'unrelated');
      const replaced = await loadCoChangeModel(repo, store);
      assert.equal(replaced.readFromGit, 1);
      assert.equal(replaced.model.changesOf('src/a.ts'), 1);
    } finally {
      db.close();
    }
  });

  it('keeps only the newest commits of the window', async () => {
    const repo = scriptedRepo(5);
    const db = openDatabase(path.join(makeTempDir(), 'test.db'));
    try {
      const store = new CoChangeStore(db);
      await loadCoChangeModel(repo, store, { commits: 3 });
      write(repo, 'src/b.ts', 'export const b = 1;\n');
      commitAll(repo, 'b');
      const load = await loadCoChangeModel(repo, store, { commits: 3 });
      assert.deepEqual(store.commits().map((c) => c.files), [['src/a.test.ts', 'src/a.ts'], ['src/a.test.ts', 'src/a.ts'], ['src/b.ts']]);
      assert.equal(load.model.commits, 3);
    } finally {
      db.close();
    }
  });

  it('an empty repository has no history', async () => {
    const repo = makeRepo();
    const db = openDatabase(path.join(makeTempDir(), 'test.db'));
    try {
      const load = await loadCoChangeModel(repo, new CoChangeStore(db));
      assert.equal(load.head, null);
      assert.equal(load.model.commits, 0);
    } finally {
      db.close();
    }
  });
});
