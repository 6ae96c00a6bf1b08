/**
 * The bad-input suite, the store: what --db may point at, corrupt, too new,
 * read-only, full and locked databases, and secrets at rest. Each case runs the
 * built CLI on a real repository and checks the exit code, the one line, and
 * that nothing was lost: the votes, the file --db named, the work tree.
 *
 * Read-only and full disks are real: small tmpfs mounts, which need root (CI runs
 * as root); elsewhere those cases are skipped with the reason.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { FeedbackRecord } from '../../../shared/feedback';
import type { ReviewDocument } from '../../../shared/review';
import { APPLICATION_ID } from '../../../server/store/database';
import { MIGRATIONS } from '../../../server/store/migrations';
import { damageBehindHeader, expectNoLeak, expectOneLineFailure, treeFingerprint } from '../../helpers/badInput';
import { runCli, runCliJson } from '../../helpers/cli';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, write } from '../../helpers/gitRepo';

/** Built at run time so that no scanner mistakes this test for a leak. */
const SECRET = ['ghp', '_', 'R8xK2mQ9vL4nT7wZ1bY5cD3fH6jP0sA2eU9i'].join('');

/** A repository with a debug leftover in the work tree, reviewed once, and one vote cast on it. */
function repoWithVote(): { repo: string; id: string; votes: () => FeedbackRecord[] } {
  const repo = makeRepo();
  write(repo, 'src/app.js', 'export const a = 1;\n');
  commitAll(repo, 'initial');
  write(repo, 'src/app.js', 'export const a = 1;\nconsole.log(a);\n');
  const { json } = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never', '--no-llm']);
  const id = json.findings[0].id;
  assert.equal(runCli(repo, ['feedback', id, '--up']).code, 0);
  const votes = () => runCliJson<FeedbackRecord[]>(repo, ['feedback', '--list', '--json']).json;
  assert.equal(votes().length, 1);
  return { repo, id, votes };
}

const databaseOf = (repo: string) => path.join(repo, '.git', 'diffwise', 'diffwise.db');

/** Copies a database with its WAL, shared memory and vote journal, as far as they exist. */
function copyDatabase(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm', '.votes.jsonl']) {
    if (fs.existsSync(from + suffix)) fs.copyFileSync(from + suffix, to + suffix);
  }
}
const sha = (file: string) => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
const isRoot = process.getuid?.() === 0;

/** A tmpfs of `kilobytes` at a new folder; undefined when mounting is not allowed here. */
function mountTmpfs(kilobytes: number): string | undefined {
  if (!isRoot) return undefined;
  const dir = makeTempDir('diffwise-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kilobytes}k`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return undefined;
  }
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  }
}

/** The bytes of every file of the database (WAL and journal included) as one latin-1 string, to grep. */
function storedBytes(dbFile: string): string {
  const dir = path.dirname(dbFile);
  return fs.readdirSync(dir).filter((name) => name.startsWith(path.basename(dbFile))).map((name) => fs.readFileSync(path.join(dir, name)).toString('latin1')).join('\n');
}

describe('bad input: the database', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  describe('what --db may point at', () => {
    const refused: Array<[string, (dir: string) => string, RegExp]> = [
      ['a source file', (dir) => write(dir, 'src/app.ts', 'export const x = 1;\n'), /src\/app\.ts is not a Diffwise database \(it is not an SQLite database\); Diffwise leaves it alone/],
      ['a folder', (dir) => (fs.mkdirSync(path.join(dir, 'folder')), path.join(dir, 'folder')), /folder is a folder, not a database file/],
      ['/dev/null', () => '/dev/null', /\/dev\/null is not a regular file/],
      ['another application\'s SQLite file (tables of its own)', (dir) => {
        const file = path.join(dir, 'other.db');
        const db = new Database(file);
        db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, \'Ada\')');
        db.close();
        return file;
      }, /other\.db is not a Diffwise database \(it is an SQLite database with tables of its own\)/],
      ['an SQLite file with another application id', (dir) => {
        const file = path.join(dir, 'app.db');
        const db = new Database(file);
        db.pragma('application_id = 1234');
        db.exec('CREATE TABLE t (x)');
        db.close();
        return file;
      }, /another application's SQLite database \(application id 0x4d2\)/],
      ['a path through a file', (dir) => path.join(write(dir, 'plain.txt', 'x\n'), 'x.db'), /a part of its path is a file, not a folder/],
    ];
    for (const [what, make, message] of refused) {
      for (const command of [['review', '--no-llm'], ['metrics'], ['feedback', '--list']]) {
        it(`${command.join(' ')} --db <${what}>: refused in one line, the file untouched`, () => {
          const repo = makeRepo();
          write(repo, 'README.md', 'x\n');
          commitAll(repo, 'initial');
          const target = make(repo);
          const before = fs.existsSync(target) && fs.statSync(target).isFile() ? sha(target) : null;
          expectOneLineFailure(runCli(repo, [...command, '--db', target]), { code: 2, message });
          if (before) assert.equal(sha(target), before);
          const folder = path.dirname(target);
          if (fs.statSync(folder).isDirectory()) assert.deepEqual(fs.readdirSync(folder).filter((name) => /corrupt|-wal|-shm|votes/.test(name)), []);
        });
      }
    }

    it('--db "" is a usage error', () => {
      const repo = makeRepo();
      expectOneLineFailure(runCli(repo, ['review', '--db', '']), { code: 2, message: /--db needs a file path/ });
    });

    it('an empty file is taken as a new database, and becomes recognisably ours', () => {
      const { repo } = repoWithVote();
      const file = path.join(makeTempDir(), 'empty.db');
      fs.writeFileSync(file, '');
      const result = runCli(repo, ['review', '--no-llm', '--fail-on', 'never', '--db', file]);
      assert.equal(result.code, 0, result.stderr);
      const db = new Database(file, { readonly: true });
      assert.equal(db.pragma('application_id', { simple: true }), APPLICATION_ID);
      db.close();
    });
  });

  describe('corrupt and too new', () => {
    it('a corrupt database in its own folder is replaced, and every vote comes back from the journal', () => {
      const { repo, votes } = repoWithVote();
      const file = databaseOf(repo);
      fs.rmSync(`${file}-wal`, { force: true });
      fs.rmSync(`${file}-shm`, { force: true });
      fs.writeFileSync(file, Buffer.alloc(8192, 0xab));
      const result = runCli(repo, ['review', '--no-llm', '--fail-on', 'never']);
      assert.equal(result.code, 0, result.stderr);
      expectNoLeak(result.stderr);
      assert.match(result.stderr, /was corrupt .*a new one is being built/);
      assert.equal(votes().length, 1);
    });

    it('a corrupt database of ours named by --db is moved aside, with no secret in the copy kept', () => {
      const { repo, votes } = repoWithVote();
      const file = path.join(makeTempDir(), 'mine.db');
      write(repo, 'src/config.js', `export const token = "${SECRET}";\n`);
      assert.equal(runCli(repo, ['review', '--no-llm', '--fail-on', 'never', '--db', file]).code, 0);
      assert.equal(runCli(repo, ['index', '--db', file]).code, 0);
      damageBehindHeader(file);
      // Found on reading a damaged page: one line, exit 2, and the file set aside for the next run.
      const first = runCli(repo, ['review', '--no-llm', '--fail-on', 'never', '--db', file]);
      if (first.code !== 0) {
        // The failure, then what was done about it as the command ended.
        expectNoLeak(first.stderr);
        const lines = first.stderr.trim().split('\n');
        assert.equal(lines.length, 2, first.stderr);
        assert.match(lines[0], /^diffwise: the review failed: .*is corrupt .*sets it aside and builds a new one/);
        assert.match(lines[1], /^diffwise: the database .* was corrupt .*; it was moved to .*\.corrupt-/);
      }
      const again = runCli(repo, ['review', '--no-llm', '--fail-on', 'never', '--db', file]);
      assert.equal(again.code, 0, again.stderr);
      expectNoLeak(again.stderr);
      const aside = fs.readdirSync(path.dirname(file)).filter((name) => name.includes('.corrupt-'));
      assert.ok(aside.length >= 1, `moved aside, not deleted: ${first.stderr}${again.stderr}`);
      for (const name of aside) assert.ok(!fs.readFileSync(path.join(path.dirname(file), name)).toString('latin1').includes(SECRET), `${name} holds the secret`);
      assert.equal(votes().length, 1);
    });

    it('a database written by a newer Diffwise: one line, the file untouched', () => {
      const { repo, votes } = repoWithVote();
      const file = path.join(makeTempDir(), 'newer.db');
      const db = new Database(file);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma('user_version = 99');
      db.exec('CREATE TABLE future (x)');
      db.close();
      const before = sha(file);
      for (const command of [['review'], ['metrics'], ['feedback', '--list']]) {
        expectOneLineFailure(runCli(repo, [...command, '--db', file]), { code: 2, message: /written by a newer Diffwise \(schema 99, this version knows \d+\); upgrade Diffwise or point --db elsewhere/ });
      }
      assert.equal(sha(file), before);
      assert.equal(votes().length, 1);
    });
  });

  describe('read-only, full and locked', () => {
    it('a read-only file system: reviews and votes fail in one line, metrics, the vote list and learned still work', function () {
      const { repo, id, votes } = repoWithVote();
      const mount = mountTmpfs(4096);
      if (!mount) this.skip();
      try {
        const file = path.join(mount!, 'diffwise.db');
        copyDatabase(databaseOf(repo), file);
        execFileSync('mount', ['-o', 'remount,ro', mount!]);
        const tree = treeFingerprint(repo);
        expectOneLineFailure(runCli(repo, ['review', '--no-llm', '--db', file]), { code: 2, message: /cannot write the database .*: it \(or its folder\) is read-only/ });
        expectOneLineFailure(runCli(repo, ['feedback', id, '--down', '--db', file]), { code: 2, message: /read-only/ });
        for (const command of [['metrics', '--json'], ['feedback', '--list', '--json'], ['learned', '--json']]) {
          const result = runCli(repo, [...command, '--db', file]);
          assert.equal(result.code, 0, `${command.join(' ')}: ${result.stderr}`);
          expectNoLeak(result.stderr);
          JSON.parse(result.stdout);
        }
        assert.equal(JSON.parse(runCli(repo, ['feedback', '--list', '--json', '--db', file]).stdout).length, 1);
        assert.equal(treeFingerprint(repo), tree);
        assert.equal(votes().length, 1);
      } finally {
        unmount(mount!);
      }
    });

    it('a disk that fills mid-review: the run is failed with exit 2 and one line, in every format; no vote lost', function () {
      const { repo, votes } = repoWithVote();
      const mount = mountTmpfs(320);
      if (!mount) this.skip();
      try {
        const file = path.join(mount!, 'diffwise.db');
        copyDatabase(databaseOf(repo), file);
        // Enough new files that the index and the cache need more than the disk has.
        for (let i = 0; i < 300; i++) write(repo, `gen/file${i}.js`, `export const v${i} = ${i}; // ${'x'.repeat(300)}${i}\n`);
        for (const format of ['text', 'json', 'sarif']) {
          const result = runCli(repo, ['review', '--no-llm', '--format', format, '--db', file]);
          expectOneLineFailure({ ...result, stdout: '' }, { code: 2, message: /the review failed: .*cannot write the database .*: the disk is full; free some space, or point --db/ });
          if (format === 'json') assert.equal((JSON.parse(result.stdout) as ReviewDocument).run.status, 'failed');
          if (format === 'sarif') assert.equal(JSON.parse(result.stdout).runs[0].invocations[0].executionSuccessful, false);
        }
        const listed = runCli(repo, ['feedback', '--list', '--json', '--db', file]);
        assert.equal(listed.code, 0, listed.stderr);
        assert.equal(JSON.parse(listed.stdout).length, 1);
      } finally {
        unmount(mount!);
      }
      assert.equal(votes().length, 1);
    });

    it('a vote on a full disk: one line, no vote recorded, the earlier ones kept', function () {
      const { repo, id } = repoWithVote();
      const mount = mountTmpfs(1024);
      if (!mount) this.skip();
      try {
        const file = path.join(mount!, 'diffwise.db');
        copyDatabase(databaseOf(repo), file);
        // Fill what is left of the disk.
        try {
          fs.writeFileSync(path.join(mount!, 'filler'), Buffer.alloc(2 * 1024 * 1024));
        } catch {
          // ENOSPC: full, as wanted
        }
        const result = runCli(repo, ['feedback', id, '--down', '--db', file]);
        expectOneLineFailure(result, { code: 2, message: /disk is full|no space/i });
        fs.rmSync(path.join(mount!, 'filler'));
        const listed = JSON.parse(runCli(repo, ['feedback', '--list', '--json', '--db', file]).stdout) as FeedbackRecord[];
        assert.deepEqual(listed.map((vote) => vote.vote), ['up']);
      } finally {
        unmount(mount!);
      }
    });

    it('a database locked by another process: the review waits the busy timeout, then names who holds it; reads still work', async () => {
      const { repo, votes } = repoWithVote();
      const holder: ChildProcess = spawn(process.execPath, ['-e', `
        const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
        const db = new Database(${JSON.stringify(databaseOf(repo))});
        db.exec('BEGIN EXCLUSIVE');
        process.stdout.write('locked\\n');
        setTimeout(() => {}, 30000);`]);
      try {
        await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
        write(repo, 'src/more.js', 'export const b = 2;\n');
        const started = Date.now();
        const result = runCli(repo, ['review', '--no-llm'], { DIFFWISE_DB_BUSY_TIMEOUT_MS: '400' });
        expectOneLineFailure({ ...result, stdout: '' }, { code: 2, message: new RegExp(`is locked by another process \\(held by pid ${holder.pid}\\b.*gave up after 0\\.4 s`) });
        assert.ok(Date.now() - started < 20_000, 'gave up in time');
        const metrics = runCli(repo, ['metrics', '--json'], { DIFFWISE_DB_BUSY_TIMEOUT_MS: '400' });
        assert.equal(metrics.code, 0, metrics.stderr);
      } finally {
        holder.kill();
      }
      assert.equal(votes().length, 1);
    });
  });

  describe('secrets at rest', () => {
    it('a reviewed, voted and indexed secret is nowhere in the database, its WAL or the vote journal', () => {
      const repo = makeRepo();
      write(repo, 'README.md', 'x\n');
      commitAll(repo, 'initial');
      write(repo, 'src/config.js', `export const token = "${SECRET}"; console.log(token);\nexport function connect(url = "https://user:${SECRET}@example.org") { return url; }\n`);
      const { json } = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never', '--no-llm']);
      assert.ok(json.findings.some((finding) => finding.ruleId === 'secret'));
      for (const finding of json.findings) assert.equal(runCli(repo, ['feedback', finding.id, '--down']).code, 0);
      assert.equal(runCli(repo, ['index']).code, 0);
      assert.equal(runCli(repo, ['learned', 'export']).code, 0);
      assert.ok(!storedBytes(databaseOf(repo)).includes(SECRET), 'the secret is stored in clear');
      assert.ok(!fs.readFileSync(path.join(repo, '.diffwise', 'learned.json'), 'utf8').includes(SECRET));
      // What a vote needs still works: the finding stays suppressed at its code.
      const again = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json', '--fail-on', 'never', '--no-llm']).json;
      assert.equal(again.findings.length, 0);
    });

    it('a database of the previous schema holding code in clear is rewritten, votes kept, the journal too', () => {
      const repo = makeRepo();
      write(repo, 'README.md', 'x\n');
      commitAll(repo, 'initial');
      const file = path.join(makeTempDir(), 'v6.db');
      const db = new Database(file);
      for (const migration of MIGRATIONS.filter((m) => m.version <= 6)) db.exec(migration.sql);
      db.pragma('user_version = 6');
      const vote = {
        id: 'v-1', findingId: 'f'.repeat(16), vote: 'down', reason: null, ruleId: 'secret', category: 'secret', source: 'static', severity: 'error',
        file: 'src/config.js', line: 1, message: 'GitHub token added', code: `const token = "${SECRET}";`, codeFingerprint: 'c'.repeat(16),
        messageFingerprint: 'm'.repeat(16), createdAt: '2026-01-01T00:00:00.000Z', origin: 'local',
      };
      db.prepare(`INSERT INTO feedback (id, finding_id, vote, reason, rule_id, category, source, severity, file, line, message, code, code_fingerprint, message_fingerprint, created_at, origin)
        VALUES (@id, @findingId, @vote, @reason, @ruleId, @category, @source, @severity, @file, @line, @message, @code, @codeFingerprint, @messageFingerprint, @createdAt, @origin)`).run(vote);
      db.prepare('INSERT INTO recent_findings VALUES (?, ?, ?, ?, ?, ?, ?)').run('f'.repeat(16), 'run', JSON.stringify({ id: 'f'.repeat(16), suggestion: `x = "${SECRET}"` }), vote.code, vote.codeFingerprint, vote.messageFingerprint, '2026-01-01');
      db.prepare("INSERT INTO symbols (file_id, name, kind, exported, is_default, start_line, end_line, signature) SELECT 1, 'x', 'variable', 1, 0, 1, 1, 'y' WHERE 0").run();
      db.close();
      fs.writeFileSync(`${file}.votes.jsonl`, `${JSON.stringify(vote)}\n`);

      const result = runCli(repo, ['metrics', '--json', '--db', file]);
      assert.equal(result.code, 0, result.stderr);
      const upgraded = runCli(repo, ['review', '--no-llm', '--fail-on', 'never', '--db', file]);
      assert.equal(upgraded.code, 0, upgraded.stderr);
      assert.match(upgraded.stderr, /redacted the secrets in the code stored with 1 vote\(s\) and 1 recent finding\(s\), and in the vote journal/);
      assert.ok(!storedBytes(file).includes(SECRET), 'the secret is still stored in clear');
      const listed = JSON.parse(runCli(repo, ['feedback', '--list', '--json', '--db', file]).stdout) as FeedbackRecord[];
      assert.deepEqual(listed.map((entry) => [entry.id, entry.vote, entry.codeFingerprint]), [['v-1', 'down', 'c'.repeat(16)]]);
      const check = new Database(file, { readonly: true });
      assert.match((check.prepare('SELECT code FROM feedback').get() as { code: string }).code, /^const token = "\[REDACTED\]";$/);
      check.close();
      // Once only.
      assert.doesNotMatch(runCli(repo, ['review', '--no-llm', '--fail-on', 'never', '--db', file]).stderr, /redacted/);
    });
  });

  describe('git repositories', () => {
    it('a review leaves the git repository as it was (no stray files in the work tree)', () => {
      const { repo } = repoWithVote();
      const status = git(repo, 'status', '--porcelain');
      runCli(repo, ['review', '--no-llm', '--fail-on', 'never']);
      assert.equal(git(repo, 'status', '--porcelain'), status);
    });
  });
});
