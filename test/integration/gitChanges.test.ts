import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectChanges, type ChangeSet } from '../../server/git/changes';
import { displayPath, type DiffFile } from '../../server/git/diffModel';
import { GitError, GitRepository } from '../../server/git/repository';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, write } from '../helpers/gitRepo';

const UNICODE_PATH = 'src/dir with space/naïve.ts';
const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0xfe, 0x00, 0x80, 0x0a, 0x0d]);

/** One path's new version, through the batch reader the review uses. */
async function readNew(changes: ChangeSet, filePath: string): Promise<Buffer | null> {
  return (await changes.readNewMany([filePath])).get(filePath) ?? null;
}

/** One path's old version, through the batch reader the review uses. */
async function readOld(changes: ChangeSet, filePath: string): Promise<Buffer | null> {
  return (await changes.readOldMany([filePath])).get(filePath) ?? null;
}

function fileAt(changes: ChangeSet, filePath: string): DiffFile {
  const file = changes.files.find((f) => displayPath(f) === filePath);
  assert.ok(file, `no change for ${filePath}; have ${changes.files.map(displayPath).join(', ')}`);
  return file;
}

function addedTexts(file: DiffFile): string[] {
  return file.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'add').map((l) => l.text));
}

function deletedTexts(file: DiffFile): string[] {
  return file.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'del').map((l) => l.text));
}

async function text(buffer: Promise<Buffer | null>): Promise<string | null> {
  return (await buffer)?.toString('utf8') ?? null;
}

async function rejectsWithGitError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof GitError, `expected a GitError, got ${String(error)}`);
    assert.match(error.message, message);
    assert.ok(!error.message.includes('\n'), 'a GitError message is one line');
    return true;
  });
}

/** A repository with one commit holding a little of everything the scopes must handle. */
function baseRepo(): string {
  const repo = makeRepo();
  write(repo, 'src/app.ts', 'export const a = 1;\nexport const b = 2;\n');
  write(repo, 'src/old.ts', 'export function old() {\n  return 1;\n}\n');
  write(repo, 'src/gone.ts', 'export const gone = true;\n');
  write(repo, 'bin/run.sh', 'echo run\n');
  write(repo, 'assets/logo.bin', BINARY);
  write(repo, 'win.txt', 'one\r\ntwo\r\nthree\r\n');
  write(repo, UNICODE_PATH, 'export const naive = 1;\n');
  write(repo, '.gitignore', 'ignored/\n*.log\n');
  commitAll(repo, 'base');
  return repo;
}

describe('GitRepository', () => {
  after(cleanupRepos);

  it('opens from a subdirectory and reports the top level and common dir', async () => {
    const repo = baseRepo();
    const opened = await GitRepository.open(path.join(repo, 'src'));
    assert.equal(opened.root, repo);
    assert.equal(opened.commonDir, path.join(repo, '.git'));
  });

  it('shares the main repository git dir from a linked worktree', async () => {
    const repo = baseRepo();
    const worktree = path.join(makeTempDir(), 'wt');
    git(repo, 'worktree', 'add', '--quiet', '-b', 'wt-branch', worktree);
    const opened = await GitRepository.open(worktree);
    assert.equal(opened.root, worktree);
    assert.equal(opened.commonDir, path.join(repo, '.git'));
    assert.equal((await opened.head()).branch, 'wt-branch');
  });

  it('throws a clear GitError outside a git repository', async () => {
    const dir = makeTempDir();
    await rejectsWithGitError(GitRepository.open(dir), /^not a git repository: /);
    await rejectsWithGitError(GitRepository.open(path.join(dir, 'missing')), /^no such directory: /);
  });

  it('describes HEAD on a branch, detached and unborn', async () => {
    const repo = baseRepo();
    const sha = git(repo, 'rev-parse', 'HEAD');
    const opened = await GitRepository.open(repo);
    assert.deepEqual(await opened.head(), { sha, branch: 'main', detached: false, unborn: false, shallow: false });

    git(repo, 'checkout', '--quiet', '--detach');
    assert.deepEqual(await opened.head(), { sha, branch: null, detached: true, unborn: false, shallow: false });

    const fresh = await GitRepository.open(makeRepo());
    assert.deepEqual(await fresh.head(), { sha: null, branch: 'main', detached: false, unborn: true, shallow: false });
  });

  it('lists tracked and untracked files but not ignored ones', async () => {
    const repo = baseRepo();
    write(repo, 'notes/todo.md', 'todo\n');
    write(repo, 'ignored/cache.txt', 'x');
    write(repo, 'debug.log', 'x');
    fs.rmSync(path.join(repo, 'src/gone.ts'));
    const opened = await GitRepository.open(repo);
    const files = await opened.listWorkspaceFiles();
    assert.deepEqual(
      [...files].sort(),
      ['.gitignore', 'assets/logo.bin', 'bin/run.sh', 'notes/todo.md', 'src/app.ts', UNICODE_PATH, 'src/gone.ts', 'src/old.ts', 'win.txt'].sort(),
    );
  });

  it('reads blobs byte for byte at HEAD, at a sha and in the index', async () => {
    const repo = baseRepo();
    const first = git(repo, 'rev-parse', 'HEAD');
    write(repo, 'src/app.ts', 'export const a = 10;\n');
    commitAll(repo, 'second');
    write(repo, 'src/app.ts', 'staged\n');
    git(repo, 'add', 'src/app.ts');
    write(repo, 'src/app.ts', 'working\n');

    const opened = await GitRepository.open(repo);
    assert.equal(await text(opened.readBlob('HEAD', 'src/app.ts')), 'export const a = 10;\n');
    assert.equal(await text(opened.readBlob(first, 'src/app.ts')), 'export const a = 1;\nexport const b = 2;\n');
    assert.equal(await text(opened.readBlob(':', 'src/app.ts')), 'staged\n');
    assert.deepEqual(await opened.readBlob('HEAD', 'assets/logo.bin'), BINARY);
    assert.equal(await text(opened.readBlob('HEAD', UNICODE_PATH)), 'export const naive = 1;\n');
    assert.equal(await opened.readBlob('HEAD', 'no/such/file.ts'), null);
    assert.equal(await opened.readBlob('HEAD', 'src'), null, 'a directory is not a blob');
    assert.equal(await opened.readBlob(':', 'no/such/file.ts'), null);
  });

  it('resolves refs and reports unknown ones', async () => {
    const repo = baseRepo();
    const opened = await GitRepository.open(repo);
    assert.equal(await opened.resolveRef('main'), git(repo, 'rev-parse', 'HEAD'));
    await rejectsWithGitError(opened.resolveRef('no-such-branch'), /^unknown ref: no-such-branch$/);
    await rejectsWithGitError(opened.resolveRef('--output=/tmp/x'), /invalid ref/);
  });

  it('reports branches without common history', async () => {
    const repo = baseRepo();
    git(repo, 'checkout', '--quiet', '--orphan', 'island');
    commitAll(repo, 'unrelated');
    const opened = await GitRepository.open(repo);
    await rejectsWithGitError(opened.mergeBase('main'), /^no merge base between HEAD and main: they share no history$/);
    await rejectsWithGitError(opened.mergeBase('nope'), /^unknown base ref: nope$/);
  });
});

describe('collectChanges', () => {
  after(cleanupRepos);

  describe('working scope', () => {
    let repo: string;
    let changes: ChangeSet;

    before(async () => {
      repo = baseRepo();
      // Staged changes.
      git(repo, 'mv', 'src/old.ts', 'src/renamed.ts');
      git(repo, 'rm', '--quiet', 'src/gone.ts');
      write(repo, 'src/app.ts', 'export const a = 1;\nexport const b = 3;\n');
      git(repo, 'add', 'src/app.ts');
      // Unstaged changes.
      fs.chmodSync(path.join(repo, 'bin/run.sh'), 0o755);
      write(repo, 'win.txt', 'one\r\nTWO\r\nthree\r\n');
      write(repo, 'assets/logo.bin', Buffer.concat([BINARY, Buffer.from([0, 1])]));
      write(repo, UNICODE_PATH, 'export const naive = 2;\n');
      write(repo, 'src/app.ts', 'export const a = 1;\nexport const b = 4;\n');
      // Untracked and ignored files.
      write(repo, 'notes/new file.md', 'first\r\nsecond\nno newline');
      write(repo, 'notes/blob.dat', BINARY);
      write(repo, 'notes/empty.txt', '');
      write(repo, 'ignored/skip.txt', 'skip\n');
      write(repo, 'trace.log', 'skip\n');
      changes = await collectChanges(await GitRepository.open(repo), { scope: 'working' });
    });

    it('lists staged, unstaged and untracked changes against HEAD', () => {
      assert.equal(changes.scope, 'working');
      assert.equal(changes.head, git(repo, 'rev-parse', 'HEAD'));
      assert.equal(changes.base, null);
      assert.equal(changes.mergeBase, null);
      assert.deepEqual(
        changes.files.map((f) => [f.status, f.oldPath, f.newPath]),
        [
          ['modified', 'assets/logo.bin', 'assets/logo.bin'],
          ['modified', 'bin/run.sh', 'bin/run.sh'],
          ['added', null, 'notes/blob.dat'],
          ['added', null, 'notes/empty.txt'],
          ['added', null, 'notes/new file.md'],
          ['modified', 'src/app.ts', 'src/app.ts'],
          ['modified', UNICODE_PATH, UNICODE_PATH],
          ['deleted', 'src/gone.ts', null],
          ['renamed', 'src/old.ts', 'src/renamed.ts'],
          ['modified', 'win.txt', 'win.txt'],
        ],
      );
    });

    it('shows the working tree content, not the index', () => {
      const app = fileAt(changes, 'src/app.ts');
      assert.deepEqual(deletedTexts(app), ['export const b = 2;']);
      assert.deepEqual(addedTexts(app), ['export const b = 4;']);
    });

    it('reports a rename, a deletion and a mode change', () => {
      const renamed = fileAt(changes, 'src/renamed.ts');
      assert.equal(renamed.similarity, 100);
      assert.deepEqual(renamed.hunks, []);
      const gone = fileAt(changes, 'src/gone.ts');
      assert.deepEqual(deletedTexts(gone), ['export const gone = true;']);
      const run = fileAt(changes, 'bin/run.sh');
      assert.deepEqual([run.oldMode, run.newMode, run.hunks.length], ['100644', '100755', 0]);
    });

    it('marks binary files, tracked and untracked, without hunks', () => {
      for (const p of ['assets/logo.bin', 'notes/blob.dat']) {
        const file = fileAt(changes, p);
        assert.equal(file.binary, true, p);
        assert.deepEqual(file.hunks, [], p);
      }
    });

    it('strips CR from CRLF lines', () => {
      const win = fileAt(changes, 'win.txt');
      assert.deepEqual(deletedTexts(win), ['two']);
      assert.deepEqual(addedTexts(win), ['TWO']);
      assert.deepEqual(
        win.hunks[0].lines.map((l) => l.text),
        ['one', 'two', 'TWO', 'three'],
      );
    });

    it('keeps paths with spaces and unicode', () => {
      const naive = fileAt(changes, UNICODE_PATH);
      assert.deepEqual(addedTexts(naive), ['export const naive = 2;']);
    });

    it('turns untracked files into added files with every line added', () => {
      const note = fileAt(changes, 'notes/new file.md');
      assert.equal(note.newMode, '100644');
      assert.equal(note.hunks.length, 1);
      const hunk = note.hunks[0];
      assert.deepEqual([hunk.oldStart, hunk.oldLines, hunk.newStart, hunk.newLines], [0, 0, 1, 3]);
      assert.deepEqual(
        hunk.lines.map((l) => [l.kind, l.text, l.oldLine, l.newLine]),
        [
          ['add', 'first', null, 1],
          ['add', 'second', null, 2],
          ['add', 'no newline', null, 3],
        ],
      );
      const empty = fileAt(changes, 'notes/empty.txt');
      assert.deepEqual([empty.binary, empty.hunks.length], [false, 0]);
    });

    it('reads the working tree as new and HEAD as old', async () => {
      assert.equal(await text(readNew(changes, 'src/app.ts')), 'export const a = 1;\nexport const b = 4;\n');
      assert.equal(await text(readOld(changes, 'src/app.ts')), 'export const a = 1;\nexport const b = 2;\n');
      assert.equal(await text(readNew(changes, 'src/renamed.ts')), 'export function old() {\n  return 1;\n}\n');
      assert.equal(await readOld(changes, 'src/renamed.ts'), null);
      assert.equal(await text(readOld(changes, 'src/old.ts')), 'export function old() {\n  return 1;\n}\n');
      assert.equal(await readNew(changes, 'src/gone.ts'), null);
      assert.equal(await text(readNew(changes, 'notes/new file.md')), 'first\r\nsecond\nno newline');
      assert.equal(await readOld(changes, 'notes/new file.md'), null);
      assert.deepEqual(await readOld(changes, 'assets/logo.bin'), BINARY);
      assert.equal(await text(readNew(changes, UNICODE_PATH)), 'export const naive = 2;\n');
      assert.equal(await readNew(changes, '../outside.txt'), null, 'never reads outside the work tree');
    });
  });

  describe('staged scope', () => {
    let repo: string;
    let changes: ChangeSet;

    before(async () => {
      repo = baseRepo();
      write(repo, 'src/app.ts', 'export const a = 1;\nexport const b = 3;\n');
      write(repo, 'src/added.ts', 'export const added = 1;\n');
      git(repo, 'add', 'src/app.ts', 'src/added.ts');
      write(repo, 'src/app.ts', 'export const a = 1;\nexport const b = 4;\n');
      write(repo, 'win.txt', 'unstaged\n');
      write(repo, 'untracked.ts', 'nope\n');
      changes = await collectChanges(await GitRepository.open(repo), { scope: 'staged' });
    });

    it('lists only what is staged', () => {
      assert.equal(changes.scope, 'staged');
      assert.deepEqual(
        changes.files.map((f) => [f.status, displayPath(f)]),
        [
          ['added', 'src/added.ts'],
          ['modified', 'src/app.ts'],
        ],
      );
      assert.deepEqual(addedTexts(fileAt(changes, 'src/app.ts')), ['export const b = 3;']);
    });

    it('reads the index as new and HEAD as old', async () => {
      assert.equal(await text(readNew(changes, 'src/app.ts')), 'export const a = 1;\nexport const b = 3;\n');
      assert.equal(await text(readOld(changes, 'src/app.ts')), 'export const a = 1;\nexport const b = 2;\n');
      assert.equal(await text(readNew(changes, 'src/added.ts')), 'export const added = 1;\n');
      assert.equal(await readOld(changes, 'src/added.ts'), null);
      assert.equal(await readNew(changes, 'untracked.ts'), null);
    });
  });

  describe('branch scope', () => {
    let repo: string;
    let forkPoint: string;

    before(() => {
      repo = baseRepo();
      forkPoint = git(repo, 'rev-parse', 'HEAD');
      git(repo, 'checkout', '--quiet', '-b', 'feature');
      write(repo, 'src/app.ts', 'export const a = 1;\nexport const b = 20;\n');
      write(repo, 'src/feature.ts', 'export const feature = 1;\n');
      commitAll(repo, 'feature work');
      // main moves on; its changes must not show up in the feature's review.
      git(repo, 'checkout', '--quiet', 'main');
      write(repo, 'src/mainline.ts', 'export const mainline = 1;\n');
      commitAll(repo, 'main work');
      git(repo, 'checkout', '--quiet', 'feature');
      // Uncommitted work is not part of a branch review.
      write(repo, 'src/app.ts', 'uncommitted\n');
    });

    it('diffs HEAD against the merge base with the base ref', async () => {
      const changes = await collectChanges(await GitRepository.open(repo), { scope: 'branch', base: 'main' });
      assert.equal(changes.scope, 'branch');
      assert.equal(changes.base, 'main');
      assert.equal(changes.mergeBase, forkPoint);
      assert.equal(changes.head, git(repo, 'rev-parse', 'HEAD'));
      assert.deepEqual(
        changes.files.map((f) => [f.status, displayPath(f)]),
        [
          ['modified', 'src/app.ts'],
          ['added', 'src/feature.ts'],
        ],
      );
      assert.deepEqual(addedTexts(fileAt(changes, 'src/app.ts')), ['export const b = 20;']);
      assert.equal(await text(readNew(changes, 'src/app.ts')), 'export const a = 1;\nexport const b = 20;\n');
      assert.equal(await text(readOld(changes, 'src/app.ts')), 'export const a = 1;\nexport const b = 2;\n');
      assert.equal(await readOld(changes, 'src/feature.ts'), null);
      assert.equal(await readNew(changes, 'src/mainline.ts'), null);
    });

    it('works on a detached HEAD', async () => {
      git(repo, 'checkout', '--quiet', '--detach', 'feature');
      try {
        const opened = await GitRepository.open(repo);
        const branch = await collectChanges(opened, { scope: 'branch', base: 'main' });
        assert.deepEqual(branch.files.map(displayPath), ['src/app.ts', 'src/feature.ts']);
        const working = await collectChanges(opened, { scope: 'working' });
        assert.deepEqual(working.files.map(displayPath), ['src/app.ts']);
        assert.equal(working.head, git(repo, 'rev-parse', 'feature'));
      } finally {
        git(repo, 'checkout', '--quiet', 'feature');
      }
    });

    it('requires a known base ref', async () => {
      const opened = await GitRepository.open(repo);
      await rejectsWithGitError(collectChanges(opened, { scope: 'branch' }), /needs a base ref/);
      await rejectsWithGitError(collectChanges(opened, { scope: 'branch', base: 'no-such-branch' }), /^unknown base ref: no-such-branch$/);
    });
  });

  describe('unborn HEAD', () => {
    let repo: string;

    before(() => {
      repo = makeRepo();
      write(repo, 'staged.ts', 'export const staged = 1;\n');
      git(repo, 'add', 'staged.ts');
      write(repo, 'staged.ts', 'export const staged = 2;\n');
      write(repo, 'untracked.ts', 'export const untracked = 1;\n');
    });

    it('diffs the working tree against the empty tree', async () => {
      const changes = await collectChanges(await GitRepository.open(repo), { scope: 'working' });
      assert.equal(changes.head, null);
      assert.deepEqual(
        changes.files.map((f) => [f.status, displayPath(f)]),
        [
          ['added', 'staged.ts'],
          ['added', 'untracked.ts'],
        ],
      );
      assert.deepEqual(addedTexts(fileAt(changes, 'staged.ts')), ['export const staged = 2;']);
      assert.equal(await readOld(changes, 'staged.ts'), null);
      assert.equal(await text(readNew(changes, 'staged.ts')), 'export const staged = 2;\n');
    });

    it('diffs the index against the empty tree', async () => {
      const changes = await collectChanges(await GitRepository.open(repo), { scope: 'staged' });
      assert.equal(changes.head, null);
      assert.deepEqual(changes.files.map(displayPath), ['staged.ts']);
      assert.deepEqual(addedTexts(changes.files[0]), ['export const staged = 1;']);
      assert.equal(await text(readNew(changes, 'staged.ts')), 'export const staged = 1;\n');
      assert.equal(await readOld(changes, 'staged.ts'), null);
    });

    it('refuses branch scope', async () => {
      const opened = await GitRepository.open(repo);
      await rejectsWithGitError(collectChanges(opened, { scope: 'branch', base: 'main' }), /^HEAD has no commits yet; nothing to compare with main$/);
    });
  });

  describe('submodules', () => {
    it('reports added and updated submodules without hunks', async () => {
      const library = makeRepo();
      write(library, 'lib.ts', 'export const v = 1;\n');
      const v1 = commitAll(library, 'v1');
      write(library, 'lib.ts', 'export const v = 2;\n');
      const v2 = commitAll(library, 'v2');
      git(library, 'checkout', '--quiet', v1);

      const repo = baseRepo();
      git(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', library, 'vendor/lib');
      const opened = await GitRepository.open(repo);
      const staged = await collectChanges(opened, { scope: 'staged' });
      assert.deepEqual(
        staged.files.map((f) => [f.status, displayPath(f), f.submodule]),
        [
          ['added', '.gitmodules', false],
          ['added', 'vendor/lib', true],
        ],
      );
      const sub = fileAt(staged, 'vendor/lib');
      assert.deepEqual([sub.newMode, sub.hunks.length], ['160000', 0]);
      assert.equal(await readNew(staged, 'vendor/lib'), null, 'a gitlink has no blob');

      commitAll(repo, 'add submodule');
      git(path.join(repo, 'vendor/lib'), 'checkout', '--quiet', v2);
      const working = await collectChanges(opened, { scope: 'working' });
      assert.deepEqual(
        working.files.map((f) => [f.status, displayPath(f), f.submodule, f.hunks.length]),
        [['modified', 'vendor/lib', true, 0]],
      );
      assert.equal(await readNew(working, 'vendor/lib'), null, 'a submodule checkout is a directory');
      assert.ok(!(await opened.listWorkspaceFiles()).some((f) => f.startsWith('vendor/lib/')), 'submodule contents are not workspace files');
    });
  });

  describe('shallow clones', () => {
    let clone: string;

    before(() => {
      const origin = baseRepo();
      git(origin, 'checkout', '--quiet', '-b', 'feature');
      write(origin, 'src/feature.ts', 'export const feature = 1;\n');
      commitAll(origin, 'feature');
      git(origin, 'checkout', '--quiet', 'main');
      write(origin, 'src/mainline.ts', 'export const mainline = 1;\n');
      commitAll(origin, 'main');
      clone = path.join(makeTempDir(), 'clone');
      git(path.dirname(clone), 'clone', '--quiet', '--depth', '1', '--no-single-branch', `file://${origin}`, clone);
    });

    it('says the clone is shallow', async () => {
      assert.equal((await (await GitRepository.open(clone)).head()).shallow, true);
    });

    it('explains a merge base cut off by the shallow history', async () => {
      const opened = await GitRepository.open(clone);
      await rejectsWithGitError(collectChanges(opened, { scope: 'branch', base: 'origin/feature' }), /shallow clone.*git fetch --unshallow.*--deepen/);
    });

    it('hints at fetching when the base ref is missing', async () => {
      const opened = await GitRepository.open(clone);
      await rejectsWithGitError(opened.mergeBase('origin/nowhere'), /^unknown base ref: origin\/nowhere \(this is a shallow clone; .*--unshallow/);
    });
  });

  describe('user configuration', () => {
    it('parses the same whatever diff settings the repository has', async () => {
      const repo = baseRepo();
      for (const [key, value] of [
        ['diff.noprefix', 'true'],
        ['diff.mnemonicPrefix', 'true'],
        ['diff.renames', 'false'],
        ['diff.submodule', 'log'],
        ['diff.external', 'false'],
        ['color.ui', 'always'],
        ['core.quotepath', 'true'],
      ]) {
        git(repo, 'config', key, value);
      }
      git(repo, 'mv', 'src/old.ts', 'src/renamed.ts');
      write(repo, UNICODE_PATH, 'export const naive = 3;\n');
      const changes = await collectChanges(await GitRepository.open(repo), { scope: 'working' });
      assert.deepEqual(
        changes.files.map((f) => [f.status, f.oldPath, f.newPath]),
        [
          ['modified', UNICODE_PATH, UNICODE_PATH],
          ['renamed', 'src/old.ts', 'src/renamed.ts'],
        ],
      );
      assert.deepEqual(addedTexts(changes.files[0]), ['export const naive = 3;']);
    });
  });

  it('finds nothing to review in a clean work tree', async () => {
    const repo = baseRepo();
    write(repo, 'ignored/build.txt', 'x\n');
    const opened = await GitRepository.open(repo);
    assert.deepEqual((await collectChanges(opened, { scope: 'working' })).files, []);
    assert.deepEqual((await collectChanges(opened, { scope: 'staged' })).files, []);
    assert.deepEqual((await collectChanges(opened, { scope: 'branch', base: 'main' })).files, []);
  });
});
