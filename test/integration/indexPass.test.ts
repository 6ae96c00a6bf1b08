/**
 * The index pass in proportion to what changed: after each kind of change git
 * can see (an edit, a new file, a deletion, a commit, a branch switch, a stash,
 * a config edit…), a pass over the stored state of the pass before gives the
 * same tables as a full pass from scratch. Each pass runs on a new connection
 * and a new indexer, as each CLI review is a new process: only the database
 * carries anything over.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitRepository } from '../../server/git/repository';
import { WorkspaceIndexer, type IndexerOptions } from '../../server/index/indexer';
import { openDatabase } from '../../server/store/database';
import { IndexStore } from '../../server/store/indexStore';
import type { IndexSummary } from '../../shared/indexSummary';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, remove, write } from '../helpers/gitRepo';

interface PassOutcome {
  result: IndexSummary;
  /** How many times every stored import was resolved again. */
  reresolved: number;
}

/** One pass as a new process would run it: a new connection, store, repository object and indexer. */
async function pass(repo: string, dbFile: string, tweak?: (options: IndexerOptions) => void): Promise<PassOutcome> {
  const db = openDatabase(dbFile);
  try {
    const store = new IndexStore(db);
    let reresolved = 0;
    const reresolveAll = store.reresolveAll.bind(store);
    store.reresolveAll = (resolve) => {
      reresolved++;
      return reresolveAll(resolve);
    };
    const options: IndexerOptions = { root: repo, store, git: await GitRepository.open(repo) };
    tweak?.(options);
    const result = await new WorkspaceIndexer(options).indexWorkspace();
    return { result, reresolved };
  } finally {
    db.close();
  }
}

/** Everything the index holds, in a stable order; mtimes left out (a file a checkout rewrote unchanged keeps its old one). */
function contents(dbFile: string): unknown {
  const db = openDatabase(dbFile, { readOnly: true });
  try {
    return {
      files: db.prepare('SELECT path, size, hash, skipped FROM files ORDER BY path').all(),
      symbols: db.prepare(
        `SELECT files.path, name, kind, exported, is_default, start_line, end_line, signature
         FROM symbols JOIN files ON files.id = symbols.file_id ORDER BY files.path, start_line, name`,
      ).all(),
      imports: db.prepare(
        `SELECT files.path, kind, specifier, resolved_path, line, type_only, namespace, default_name, bindings
         FROM imports JOIN files ON files.id = imports.file_id ORDER BY files.path, line, specifier`,
      ).all(),
    };
  } finally {
    db.close();
  }
}

describe('index pass: only what changed, the same index as a full pass', function () {
  after(cleanupRepos);

  let repo: string;
  let db: string;

  /** Asserts that the stored index equals one built from scratch now, and returns the pass's outcome. */
  async function passAndCompare(expectedMode?: IndexSummary['mode']): Promise<PassOutcome> {
    const outcome = await pass(repo, db);
    if (expectedMode) assert.equal(outcome.result.mode, expectedMode, `mode of ${JSON.stringify(outcome.result)}`);
    const fresh = path.join(makeTempDir(), 'fresh.db');
    const scratch = await pass(repo, fresh);
    assert.equal(scratch.result.mode, 'full');
    assert.deepEqual(contents(db), contents(fresh));
    const { durationMs: _a, mode: _b, reparsed: _c, removed: _d, ...totals } = outcome.result;
    const { durationMs: _e, mode: _f, reparsed: _g, removed: _h, ...scratchTotals } = scratch.result;
    assert.deepEqual(totals, scratchTotals, 'the totals too');
    return outcome;
  }

  const resolvedPath = (importer: string, specifier: string): string | null => {
    const handle = openDatabase(db, { readOnly: true });
    try {
      const row = handle.prepare(
        'SELECT resolved_path AS resolved FROM imports JOIN files ON files.id = imports.file_id WHERE files.path = ? AND specifier = ?',
      ).get(importer, specifier) as { resolved: string | null } | undefined;
      assert.ok(row, `no import of ${specifier} in ${importer}`);
      return row.resolved;
    } finally {
      handle.close();
    }
  };

  beforeEach(async () => {
    repo = makeRepo();
    write(repo, 'tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['lib/*'] } } }));
    write(repo, 'packages/core/package.json', JSON.stringify({ name: '@acme/core', version: '1.0.0', main: 'dist/index.js' }));
    write(repo, 'packages/core/src/index.ts', 'export const core = 1;\n');
    write(repo, 'lib/util.ts', 'export function util(x: number) { return x; }\n');
    write(repo, 'src/a.ts', "import { b } from './b';\nimport { util } from '@lib/util';\nimport { core } from '@acme/core';\nexport const a = b + util(1) + core;\n");
    write(repo, 'src/b.ts', 'export const b = 1;\n');
    write(repo, 'src/c.ts', "import { later } from './later';\nexport const c = later;\n");
    write(repo, '.gitignore', 'node_modules/\ndist/\n');
    write(repo, 'README.md', '# readme\n');
    commitAll(repo, 'initial');
    db = path.join(makeTempDir(), 'index.db');
    assert.equal((await pass(repo, db)).result.mode, 'full');
  });

  it('skips the pass when nothing changed, in a new process each time', async () => {
    const first = await passAndCompare('skipped');
    assert.equal(first.result.reparsed, 0);
    assert.equal(first.result.files, 5);
    assert.equal((await pass(repo, db)).result.mode, 'skipped');
    // Files outside the index's concern (a README) change nothing either.
    write(repo, 'README.md', '# readme, edited\n');
    assert.equal((await pass(repo, db)).result.mode, 'skipped');
  });

  it('an edit, then the edit undone', async () => {
    write(repo, 'src/b.ts', 'export const b = 2;\nexport const extra = 3;\n');
    const edited = await passAndCompare('incremental');
    assert.equal(edited.result.reparsed, 1);
    assert.equal(edited.reresolved, 0, 'the set of files is the same: nothing to re-resolve');
    assert.equal((await pass(repo, db)).result.mode, 'skipped', 'and the next pass has nothing to do');
    git(repo, 'checkout', '--', 'src/b.ts');
    assert.equal((await passAndCompare('incremental')).result.reparsed, 1, 'a file that is clean again is looked at once more');
    assert.equal((await pass(repo, db)).result.mode, 'skipped');
  });

  it('an untracked new file, which an unchanged import now resolves to, then deleted', async () => {
    assert.equal(resolvedPath('src/c.ts', './later'), null);
    write(repo, 'src/later.ts', 'export const later = 1;\n');
    const added = await passAndCompare('incremental');
    assert.equal(added.result.reparsed, 1);
    assert.equal(resolvedPath('src/c.ts', './later'), 'src/later.ts');
    remove(repo, 'src/later.ts');
    const removed = await passAndCompare('incremental');
    assert.equal(removed.result.removed, 1);
    assert.equal(resolvedPath('src/c.ts', './later'), null);
  });

  it('a file deleted that an import found first: the import finds the next candidate', async () => {
    write(repo, 'src/later.ts', 'export const later = 1;\n');
    write(repo, 'src/later/index.ts', 'export const later = 2;\n');
    commitAll(repo, 'two candidates');
    await passAndCompare('incremental');
    assert.equal(resolvedPath('src/c.ts', './later'), 'src/later.ts');
    remove(repo, 'src/later.ts');
    const removed = await passAndCompare('incremental');
    assert.equal(removed.reresolved, 0, 'only the imports that found the deleted file are resolved again');
    assert.equal(resolvedPath('src/c.ts', './later'), 'src/later/index.ts');
  });

  it('a tracked file deleted, staged or not, and one renamed with git mv', async () => {
    remove(repo, 'src/b.ts');
    assert.equal((await passAndCompare('incremental')).result.removed, 1);
    assert.equal(resolvedPath('src/a.ts', './b'), null);
    git(repo, 'rm', '-q', '--cached', 'src/b.ts');
    await passAndCompare();
    git(repo, 'reset', '-q', '--hard');
    await passAndCompare('incremental');
    git(repo, 'mv', 'src/b.ts', 'src/renamed.ts');
    const renamed = await passAndCompare('incremental');
    assert.equal(renamed.result.removed, 1);
    assert.equal(resolvedPath('src/a.ts', './b'), null);
  });

  it('a commit, then another branch checked out, and back', async () => {
    write(repo, 'src/b.ts', 'export const b = 10;\n');
    write(repo, 'src/later.ts', 'export const later = 1;\n');
    await passAndCompare('incremental');
    commitAll(repo, 'later');
    const committed = await passAndCompare('incremental');
    assert.equal(committed.result.reparsed, 0, 'what was committed was indexed as it was in the work tree');
    assert.equal((await pass(repo, db)).result.mode, 'skipped');

    git(repo, 'checkout', '-q', '-b', 'feature', 'HEAD~1');
    write(repo, 'src/feature.ts', "import { a } from './a';\nexport const feature = a;\n");
    remove(repo, 'lib/util.ts');
    commitAll(repo, 'feature');
    const feature = await passAndCompare('incremental');
    assert.equal(resolvedPath('src/a.ts', '@lib/util'), null);
    assert.equal(feature.result.files, 5);
    git(repo, 'checkout', '-q', 'main');
    await passAndCompare('incremental');
    assert.equal(resolvedPath('src/c.ts', './later'), 'src/later.ts');
    // A detached HEAD is a HEAD like another.
    git(repo, 'checkout', '-q', '--detach', 'feature');
    await passAndCompare('incremental');
  });

  it('git stash and git stash pop, untracked files included', async () => {
    write(repo, 'src/b.ts', 'export const b = 20;\n');
    write(repo, 'src/later.ts', 'export const later = 1;\n');
    await passAndCompare('incremental');
    git(repo, 'stash', 'push', '-q', '--include-untracked');
    const stashed = await passAndCompare('incremental');
    assert.equal(stashed.result.removed, 1);
    git(repo, 'stash', 'pop', '-q');
    await passAndCompare('incremental');
  });

  it('a tsconfig `paths` edit re-resolves; a file that becomes ignored leaves the index', async () => {
    write(repo, 'other/util.ts', 'export function util(x: number) { return -x; }\n');
    await passAndCompare('incremental');
    assert.equal(resolvedPath('src/a.ts', '@lib/util'), 'lib/util.ts');
    write(repo, 'tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['other/*'] } } }));
    const edited = await passAndCompare('incremental');
    assert.equal(edited.reresolved, 1);
    assert.equal(resolvedPath('src/a.ts', '@lib/util'), 'other/util.ts');
    write(repo, '.gitignore', 'node_modules/\ndist/\nother/\n');
    await passAndCompare('incremental');
  });

  it('a package.json rewritten with the same content re-resolves nothing; a new name re-resolves', async () => {
    const manifest = path.join(repo, 'packages/core/package.json');
    const later = new Date(Date.now() + 10_000);
    fs.utimesSync(manifest, later, later);
    const touched = await passAndCompare();
    assert.equal(touched.reresolved, 0);
    assert.equal(touched.result.mode, 'skipped', 'git sees the same content: nothing to do');
    // A branch switch that leaves the content as it was (there and back) is the same.
    git(repo, 'checkout', '-q', '-b', 'bump');
    write(repo, 'packages/core/package.json', JSON.stringify({ name: '@acme/core', version: '1.0.1', main: 'dist/index.js' }));
    commitAll(repo, 'bump');
    const bumped = await passAndCompare('incremental');
    assert.equal(bumped.reresolved, 0, 'a version bump changes nothing resolution reads');
    git(repo, 'checkout', '-q', 'main');
    assert.equal((await passAndCompare('incremental')).reresolved, 0);

    write(repo, 'packages/core/package.json', JSON.stringify({ name: '@acme/renamed', version: '1.0.0', main: 'dist/index.js' }));
    const renamed = await passAndCompare('incremental');
    assert.equal(renamed.reresolved, 1);
    assert.equal(resolvedPath('src/a.ts', '@acme/core'), null);
  });

  it('an untracked package.json touched with the same content re-resolves nothing', async () => {
    write(repo, 'packages/web/package.json', JSON.stringify({ name: '@acme/web', main: 'src/index.ts' }));
    write(repo, 'packages/web/src/index.ts', "import { a } from '@acme/web';\nexport const web = a;\n");
    await passAndCompare('incremental');
    const later = new Date(Date.now() + 10_000);
    fs.utimesSync(path.join(repo, 'packages/web/package.json'), later, later);
    const touched = await passAndCompare('incremental');
    assert.equal(touched.reresolved, 0);
    assert.equal(resolvedPath('packages/web/src/index.ts', '@acme/web'), 'packages/web/src/index.ts');
  });

  it('a config its `extends` reaches, in the repository or in node_modules, re-resolves when edited', async () => {
    write(repo, 'tsconfig.base.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['lib/*'] } } }));
    // `paths` are relative to the config that says them.
    write(repo, 'node_modules/@acme/tsconfig/tsconfig.json', JSON.stringify({ compilerOptions: { paths: { '#x': ['../../../src/b.ts'] } } }));
    write(repo, 'tsconfig.json', JSON.stringify({ extends: './tsconfig.base.json' }));
    write(repo, 'src/x.ts', "import { b } from '#x';\nexport const x = b;\n");
    write(repo, 'packages/web/tsconfig.json', JSON.stringify({ extends: '@acme/tsconfig/tsconfig.json' }));
    write(repo, 'packages/web/y.ts', "import { b } from '#x';\nexport const y = b;\n");
    commitAll(repo, 'extends');
    await passAndCompare('incremental');
    assert.equal(resolvedPath('packages/web/y.ts', '#x'), 'src/b.ts');

    write(repo, 'tsconfig.base.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['nowhere/*'] } } }));
    assert.equal((await passAndCompare('incremental')).reresolved, 1);
    assert.equal(resolvedPath('src/a.ts', '@lib/util'), null);

    // Ignored by git, so only its stat says it changed.
    write(repo, 'node_modules/@acme/tsconfig/tsconfig.json', JSON.stringify({ compilerOptions: { paths: { '#x': ['../../../src/a.ts'] } } }));
    const shared = await passAndCompare('incremental');
    assert.equal(shared.reresolved, 1);
    assert.equal(resolvedPath('packages/web/y.ts', '#x'), 'src/a.ts');
  });

  it('what the daemon re-indexed on save is looked at again, even once git calls it clean', async () => {
    const store = () => {
      const handle = openDatabase(db);
      return { handle, indexer: new WorkspaceIndexer({ root: repo, store: new IndexStore(handle), listWorkspaceFiles: async () => [] }) };
    };
    write(repo, 'src/b.ts', 'export const b = 99;\nexport const saved = 1;\n');
    // A file git ignores, saved in the editor: the daemon indexes what it is told to, the next pass knows better.
    write(repo, 'dist/out.ts', 'export const built = 1;\n');
    const daemon = store();
    assert.equal((await daemon.indexer.indexFiles(['src/b.ts', 'dist/out.ts'])).reparsed, 2);
    daemon.handle.close();
    // Undone outside the editor, with no save to tell the daemon.
    git(repo, 'checkout', '--', 'src/b.ts');
    const next = await passAndCompare('incremental');
    assert.equal(next.result.reparsed, 1);
    assert.equal(next.result.removed, 1, 'the ignored file');
    assert.equal((await pass(repo, db)).result.mode, 'skipped');
  });

  it('after an interrupted pass, the next one is a full one', async () => {
    for (let i = 0; i < 300; i++) write(repo, `gen/file${i}.ts`, `export const v${i} = ${i};\n`);
    const handle = openDatabase(db);
    const controller = new AbortController();
    let batches = 0;
    try {
      const indexer = new WorkspaceIndexer({ root: repo, store: new IndexStore(handle), git: await GitRepository.open(repo) });
      // The signal is checked between batches: this stops the pass after its first.
      const onProgress = () => { if (++batches === 1) controller.abort(); };
      await assert.rejects(indexer.indexWorkspace({ signal: controller.signal, onProgress }), { name: 'AbortError' });
    } finally {
      handle.close();
    }
    assert.equal(batches, 1);
    await passAndCompare('full');
    await passAndCompare('skipped');
  });

  it('after an interrupted pass over edits that were then undone, the next pass still looks at them', async () => {
    for (let i = 0; i < 300; i++) write(repo, `gen/file${i}.ts`, `export const v${i} = ${i};\n`);
    commitAll(repo, 'generated');
    await passAndCompare('incremental');
    for (let i = 0; i < 300; i++) write(repo, `gen/file${i}.ts`, `export const edited${i} = ${i};\n`);
    const handle = openDatabase(db);
    const controller = new AbortController();
    try {
      const indexer = new WorkspaceIndexer({ root: repo, store: new IndexStore(handle), git: await GitRepository.open(repo) });
      await assert.rejects(indexer.indexWorkspace({ signal: controller.signal, onProgress: () => controller.abort() }), { name: 'AbortError' });
    } finally {
      handle.close();
    }
    // Clean again, as at the last complete pass; but the catalog holds the edits of the first batch.
    git(repo, 'checkout', '--', 'gen');
    await passAndCompare('full');
  });

  it('a modified file whose index entry is removed, and which is ignored, leaves the index', async () => {
    write(repo, 'src/b.ts', 'export const b = 7;\n');
    await passAndCompare('incremental');
    write(repo, '.gitignore', 'node_modules/\ndist/\nsrc/b.ts\n');
    git(repo, 'rm', '-q', '--cached', 'src/b.ts');
    const dropped = await passAndCompare('incremental');
    assert.equal(dropped.result.removed, 1);
  });

  it('a file a commit takes out of the repository, left on disk and ignored, leaves the index', async () => {
    write(repo, '.gitignore', 'node_modules/\ndist/\nsrc/b.ts\n');
    git(repo, 'rm', '-q', '--cached', 'src/b.ts');
    commitAll(repo, 'untrack b');
    assert.ok(fs.existsSync(path.join(repo, 'src/b.ts')));
    assert.equal((await passAndCompare('incremental')).result.removed, 1);
  });

  it('falls back to a full pass when the last HEAD is gone, the options differ or the catalog was emptied', async () => {
    write(repo, 'src/b.ts', 'export const b = 5;\n');
    commitAll(repo, 'lost');
    await passAndCompare('incremental');
    git(repo, 'reset', '-q', '--hard', 'HEAD~1');
    git(repo, 'update-ref', '-d', 'ORIG_HEAD');
    git(repo, 'reflog', 'expire', '--expire=now', '--all');
    git(repo, 'gc', '-q', '--prune=now');
    write(repo, 'src/b.ts', 'export const b = 6;\n');
    git(repo, 'commit', '-q', '-am', 'after gc');
    await passAndCompare('full');

    const other = await pass(repo, db, (options) => { options.maxFileBytes = 10; });
    assert.equal(other.result.mode, 'full', 'another size limit: other contents for the same files');
    assert.equal((await pass(repo, db)).result.mode, 'full', 'and back');

    const handle = openDatabase(db);
    handle.exec('DELETE FROM files');
    handle.close();
    await passAndCompare('full');
  });
});

describe('index pass: repositories out of the ordinary', () => {
  after(cleanupRepos);

  async function sameAsScratch(repo: string, db: string, mode: IndexSummary['mode']): Promise<void> {
    const outcome = await pass(repo, db);
    assert.equal(outcome.result.mode, mode);
    const fresh = path.join(makeTempDir(), 'fresh.db');
    await pass(repo, fresh);
    assert.deepEqual(contents(db), contents(fresh));
  }

  it('a branch with no commits yet, then its first commit', async () => {
    const repo = makeRepo();
    write(repo, 'src/a.ts', 'export const a = 1;\n');
    const db = path.join(makeTempDir(), 'unborn.db');
    await sameAsScratch(repo, db, 'full');
    await sameAsScratch(repo, db, 'skipped');
    write(repo, 'src/b.ts', "import { a } from './a';\nexport const b = a;\n");
    await sameAsScratch(repo, db, 'incremental');
    commitAll(repo, 'first');
    await sameAsScratch(repo, db, 'full');
    await sameAsScratch(repo, db, 'skipped');
  });

  it('a sparse checkout narrowed and widened (git status says nothing of it)', async () => {
    const repo = makeRepo();
    write(repo, 'src/a.ts', "import { lib } from '../lib/lib';\nexport const a = lib;\n");
    write(repo, 'lib/lib.ts', 'export const lib = 1;\n');
    commitAll(repo, 'two folders');
    const db = path.join(makeTempDir(), 'sparse.db');
    await sameAsScratch(repo, db, 'full');
    git(repo, 'sparse-checkout', 'set', 'src');
    assert.ok(!fs.existsSync(path.join(repo, 'lib/lib.ts')));
    await sameAsScratch(repo, db, 'full');
    await sameAsScratch(repo, db, 'skipped');
    git(repo, 'sparse-checkout', 'add', 'lib');
    await sameAsScratch(repo, db, 'full');
    assert.equal((contents(db) as { files: unknown[] }).files.length, 2);
  });

  it('a submodule is not looked into, and a file with odd characters in its name is kept', async () => {
    const inner = makeRepo();
    write(inner, 'inner.ts', 'export const inner = 1;\n');
    commitAll(inner, 'inner');
    const repo = makeRepo();
    write(repo, 'src/a.ts', 'export const a = 1;\n');
    commitAll(repo, 'outer');
    git(repo, '-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', inner, 'vendor/inner');
    commitAll(repo, 'submodule');
    const db = path.join(makeTempDir(), 'sub.db');
    await sameAsScratch(repo, db, 'full');
    write(path.join(repo, 'vendor/inner'), 'inner.ts', 'export const inner = 2;\n');
    write(repo, 'src/we ird [1] ünï.ts', 'export const odd = 1;\n');
    await sameAsScratch(repo, db, 'incremental');
    const files = contents(db) as { files: Array<{ path: string }> };
    assert.deepEqual(files.files.map((file) => file.path), ['src/a.ts', 'src/we ird [1] ünï.ts']);
  });
});
