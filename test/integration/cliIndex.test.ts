import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { IndexSummary } from '../../shared/indexSummary';
import { damageBehindHeader } from '../helpers/badInput';
import { runCli, runCliJson } from '../helpers/cli';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, remove, write } from '../helpers/gitRepo';

type IndexJson = IndexSummary;

describe('diffwise index (CLI on real repositories)', () => {
  after(cleanupRepos);

  function repoWithFiles(): string {
    const repo = makeRepo();
    write(repo, 'src/a.ts', "import { b } from './b';\nexport const a = b + 1;\n");
    write(repo, 'src/b.ts', 'export const b = 1;\nexport function helper(x: number) { return x; }\n');
    write(repo, 'src/types.d.ts', 'export interface T { x: number }\n');
    write(repo, 'node_modules/dep/index.d.ts', 'export declare const dep: number;\n');
    write(repo, '.gitignore', 'node_modules/\nignored.ts\n');
    write(repo, 'ignored.ts', 'export const ignored = 1;\n');
    write(repo, 'README.md', '# not code\n');
    commitAll(repo, 'initial');
    write(repo, 'src/untracked.js', "const { a } = require('./a');\nmodule.exports = a;\n");
    return repo;
  }

  it('indexes tracked and untracked, non-ignored TS/JS files into the repository database', () => {
    const repo = repoWithFiles();
    const { code, json } = runCliJson<IndexJson>(repo, ['index', '--json']);
    assert.equal(code, 0);
    assert.equal(json.files, 4, 'a.ts, b.ts, types.d.ts, untracked.js; not node_modules, ignored or markdown');
    assert.equal(json.reparsed, 4);
    assert.equal(json.symbols, 6, 'a; b, helper; T; the destructured a and module.exports');
    assert.equal(json.imports, 2);
    assert.ok(fs.existsSync(path.join(repo, '.git', 'diffwise', 'diffwise.db')), 'default database under the git dir');

    const again = runCliJson<IndexJson>(repo, ['index', '--json']).json;
    assert.equal(again.reparsed, 0, 'nothing changed, nothing re-parsed');

    write(repo, 'src/b.ts', 'export const b = 2;\n');
    fs.utimesSync(path.join(repo, 'src/a.ts'), new Date(), new Date(Date.now() + 5000));
    remove(repo, 'src/types.d.ts');
    const changed = runCliJson<IndexJson>(repo, ['index', '--json']).json;
    assert.equal(changed.reparsed, 1, 'a touched file with the same content is hashed, not parsed');
    assert.equal(changed.removed, 1);
    assert.equal(changed.files, 3);

    const text = runCli(repo, ['index']);
    assert.match(text.stdout, /^Indexed 3 files: \d+ symbols, 2 imports; 0 re-parsed, 0 removed, 0 skipped/);
  });

  it('resolves imports to workspace files in the database', () => {
    const repo = repoWithFiles();
    const db = path.join(makeTempDir(), 'custom.db');
    runCli(repo, ['index', '--db', db]);
    const rows = new Database(db, { readonly: true })
      .prepare('SELECT files.path, imports.specifier, imports.resolved_path AS resolved FROM imports JOIN files ON files.id = imports.file_id ORDER BY files.path')
      .all();
    assert.deepEqual(rows, [
      { path: 'src/a.ts', specifier: './b', resolved: 'src/b.ts' },
      { path: 'src/untracked.js', specifier: './a', resolved: 'src/a.ts' },
    ]);
  });

  it('honours DIFFWISE_DB and a linked worktree shares the main database', () => {
    const repo = repoWithFiles();
    const db = path.join(makeTempDir(), 'env.db');
    assert.equal(runCli(repo, ['index'], { DIFFWISE_DB: db }).code, 0);
    assert.ok(fs.existsSync(db));

    const worktree = path.join(makeTempDir(), 'wt');
    git(repo, 'worktree', 'add', '-q', worktree);
    assert.equal(runCli(worktree, ['index']).code, 0);
    assert.ok(fs.existsSync(path.join(repo, '.git', 'diffwise', 'diffwise.db')));
    assert.ok(!fs.existsSync(path.join(worktree, '.git', 'diffwise')));
  });

  it('sets a corrupt database aside, says so, and rebuilds', () => {
    const repo = repoWithFiles();
    const db = path.join(makeTempDir(), 'corrupt.db');
    // One of ours (its header says so), damaged behind the header.
    assert.equal(runCli(repo, ['index', '--db', db]).code, 0);
    damageBehindHeader(db);
    const result = runCli(repo, ['index', '--json', '--db', db]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /was corrupt .* moved to .*corrupt\.db\.corrupt-/);
    assert.equal(JSON.parse(result.stdout).files, 4);
    const aside = fs.readdirSync(path.dirname(db)).filter((name) => name.startsWith('corrupt.db.corrupt-'));
    assert.equal(aside.length, 1, 'the old file is kept, not deleted');
  });

  it('refuses a database from a newer version with a clear message', () => {
    const repo = repoWithFiles();
    const db = path.join(makeTempDir(), 'newer.db');
    const handle = new Database(db);
    handle.pragma('user_version = 999');
    handle.close();
    const result = runCli(repo, ['index', '--db', db]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^diffwise: the database .* was written by a newer Diffwise \(schema 999/);
  });

  it('skips files over the size limit and generated bundles', () => {
    const repo = makeRepo();
    write(repo, 'src/big.js', `export const data = [${'1,'.repeat(700_000)}];\n`);
    write(repo, 'src/bundle.js', `${'var a=1;'.repeat(1000)}\n`);
    write(repo, 'src/app.min.js', 'var x=1;\n');
    write(repo, 'src/ok.ts', 'export const ok = true;\n');
    const { json } = runCliJson<IndexJson>(repo, ['index', '--json']);
    assert.equal(json.files, 1);
    assert.equal(json.skipped, 2);
  });
});

describe('diffwise index: import resolution follows config edits', () => {
  after(cleanupRepos);

  it('re-resolves imports when a tsconfig changes, without any source file changing', () => {
    const repo = makeRepo();
    write(repo, 'tsconfig.json', JSON.stringify({ compilerOptions: { paths: { '@x/*': ['old/*'] } } }));
    write(repo, 'old/a.ts', 'export const a = 1;\n');
    write(repo, 'new/a.ts', 'export const a = 2;\n');
    write(repo, 'main.ts', "import { a } from '@x/a';\n");
    const db = path.join(makeTempDir(), 'paths.db');
    const resolved = () => (new Database(db, { readonly: true }).prepare('SELECT resolved_path AS r FROM imports').get() as { r: string }).r;
    runCli(repo, ['index', '--db', db]);
    assert.equal(resolved(), 'old/a.ts');
    write(repo, 'tsconfig.json', JSON.stringify({ compilerOptions: { paths: { '@x/*': ['new/*'] } }, include: ['.'] }));
    runCli(repo, ['index', '--db', db]);
    assert.equal(resolved(), 'new/a.ts');
  });
});
