/**
 * The bad-input suite, git half: repositories git refuses, cannot read or does
 * not find, and refs that are not what they should be, each through a real CLI
 * run. A failure is exit 2 and one line in git's own words where git has them
 * (dubious ownership with the safe.directory command, a damaged index, a
 * missing object); a review git can do (a detached HEAD, a locked index) just
 * works. Every case asserts that the files, .git included, are as they were,
 * and that the votes are still there.
 */
import * as assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReviewDocument } from '../../../shared/review';
import { expectNoLeak, expectOneLineFailure, runConcurrently, treeFingerprint } from '../../helpers/badInput';
import { runCliAsync, runCliJsonAsync, type CliResult } from '../../helpers/cli';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, write } from '../../helpers/gitRepo';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const line${i + 1} = ${i + 1};`);

/** main: src/app.ts; feature (checked out): line 5 changed, a console.log (voted down) and a debugger statement added. */
function featureRepo(): string {
  const repo = makeRepo();
  write(repo, 'src/app.ts', `${lines(10).join('\n')}\n`);
  commitAll(repo, 'initial');
  git(repo, 'checkout', '-q', '-b', 'feature');
  const changed = lines(10);
  changed[4] = 'export const line5 = 50;';
  changed[7] = "export function line8(): number {\n  console.log('here');\n  debugger;\n  return 8;\n}";
  write(repo, 'src/app.ts', `${changed.join('\n')}\n`);
  commitAll(repo, 'feature');
  return repo;
}

/** The database lives in .git/diffwise and changes with every run (a failed one is recorded too): votes are compared instead. */
const notTheDatabase = (relative: string): boolean => relative.split(path.sep).slice(0, 2).join('/') === '.git/diffwise';

function votesIn(repo: string): unknown[] {
  const file = path.join(repo, '.git', 'diffwise', 'diffwise.db');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT * FROM feedback ORDER BY created_at, id').all();
  } finally {
    db.close();
  }
}

/** Where a case runs and how: prepared in its own copy of the template repository. */
interface Run {
  /** The folder the CLI runs in; the copy's root by default. */
  cwd?: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** The folder whose files must be unchanged; the copy's root by default. */
  watch?: string;
}

interface GitCase {
  name: string;
  arrange: (repo: string) => Run;
  /** The one line of a failure; absent when the review must work. */
  message?: RegExp;
  /** More assertions on a run that worked (or failed). */
  verify?: (outcome: GitOutcome) => void;
  /** Why the case cannot run here; it is then skipped, saying so. */
  skip?: () => string | null;
}

interface GitOutcome {
  repo: string;
  result: CliResult;
  before: string;
  after: string;
  votesBefore: unknown[];
  votesAfter: unknown[];
}

/** What a review of the feature branch finds: line8 became a function (its users break), and the debugger (the console.log is voted down). */
const BRANCH_FINDINGS = [['breaking-change', 8], ['debug-leftover', 10]];

const emptyFolder = (): string => makeTempDir('diffwise-not-a-repo-');

const gitCases: GitCase[] = [
  {
    name: 'not a git repository',
    arrange: () => {
      const dir = emptyFolder();
      write(dir, 'a.ts', 'export const a = 1;\n');
      return { cwd: dir, watch: dir, args: ['review'] };
    },
    message: /^diffwise: not a git repository: \/.+diffwise-not-a-repo-\w+$/,
  },
  {
    name: 'a folder that does not exist (--repo)',
    arrange: (repo) => ({ args: ['review', '--repo', path.join(repo, 'no', 'such', 'dir')] }),
    message: /^diffwise: no such directory: \/.+\/no\/such\/dir$/,
  },
  {
    name: 'a bare repository',
    arrange: (repo) => {
      const bare = path.join(path.dirname(repo), `${path.basename(repo)}-bare.git`);
      git(path.dirname(repo), 'clone', '-q', '--bare', repo, bare);
      return { cwd: bare, watch: bare, args: ['review'] };
    },
    message: /^diffwise: \/.+-bare\.git is a bare repository: Diffwise reviews a work tree; run it in a clone or a worktree$/,
  },
  {
    name: 'run inside .git',
    arrange: (repo) => ({ cwd: path.join(repo, '.git'), args: ['review'] }),
    message: /^diffwise: (\/.+)\/\.git is a git directory: run Diffwise in the work tree \(\1\), not in \.git$/,
  },
  {
    name: 'run inside .git/objects',
    arrange: (repo) => ({ cwd: path.join(repo, '.git', 'objects'), args: ['review'] }),
    message: /^diffwise: (\/.+)\/\.git\/objects is inside the git directory \1\/\.git: run Diffwise in the work tree \(\1\), not in \.git$/,
  },
  {
    name: 'dubious ownership: git\'s refusal with its safe.directory command',
    skip: () => (process.getuid?.() === 0 ? null : 'needs root, to give the repository to another user (chown); CI runs as root'),
    arrange: (repo) => {
      // git compares the repository's owner with the current user: another uid is "dubious".
      chownTree(repo, 12345);
      return { args: ['review', '--base', 'main'] };
    },
    message: /^diffwise: git refuses to work in (\/.+): detected dubious ownership \(the repository belongs to another user\); if you trust it: git config --global --add safe\.directory \1$/,
  },
  {
    name: 'git is not on PATH',
    arrange: () => {
      // Only node, so the CLI starts but finds no git.
      const bin = makeTempDir('diffwise-path-');
      fs.symlinkSync(process.execPath, path.join(bin, 'node'));
      return { args: ['review', '--base', 'main'], env: { PATH: bin } };
    },
    message: /^diffwise: git is not installed or not on PATH \(Diffwise needs git 2\.20 or later\)$/,
  },
  {
    name: 'an unknown base ref',
    arrange: () => ({ args: ['review', '--base', 'nope'] }),
    message: /^diffwise: unknown base ref: nope$/,
  },
  {
    name: 'a base that shares no history with HEAD',
    arrange: (repo) => {
      git(repo, 'checkout', '-q', '--orphan', 'other');
      git(repo, 'rm', '-rq', '--cached', '.');
      write(repo, 'other.ts', 'export const other = 1;\n');
      git(repo, 'add', 'other.ts');
      git(repo, 'commit', '-qm', 'unrelated');
      git(repo, 'checkout', '-qf', 'feature');
      return { args: ['review', '--base', 'other'] };
    },
    message: /^diffwise: no merge base between HEAD and other: they share no history$/,
  },
  {
    name: '--base -rf (option injection): refused by the argument parser',
    arrange: () => ({ args: ['review', '--base', '-rf'] }),
    message: /^diffwise: .*--base/,
  },
  {
    name: '--base=-rf (option injection): never reaches git as an option',
    arrange: () => ({ args: ['review', '--base=-rf'] }),
    message: /^diffwise: invalid base ref: "-rf" \(a name starting with "-" would be read as an option\)$/,
  },
  {
    name: 'a detached HEAD reviewed with --base main: works',
    arrange: (repo) => {
      git(repo, 'checkout', '-q', '--detach');
      return { args: ['review', '--base', 'main', '--format', 'json'] };
    },
    verify: ({ result }) => {
      // The debugger statement is a warning; the default --fail-on is error.
      assert.equal(result.code, 0, result.stderr);
      const document = JSON.parse(result.stdout) as ReviewDocument;
      assert.equal(document.run.status, 'ok', JSON.stringify(document.run.errors));
      assert.deepEqual(document.findings.map((finding) => [finding.ruleId, finding.line]), BRANCH_FINDINGS);
    },
  },
  {
    name: 'an unborn HEAD with --base',
    arrange: () => {
      const fresh = makeRepo();
      write(fresh, 'a.ts', 'export const a = 1;\n');
      git(fresh, 'add', 'a.ts');
      return { cwd: fresh, watch: fresh, args: ['review', '--base', 'main'] };
    },
    message: /^diffwise: HEAD has no commits yet; nothing to compare with main$/,
  },
  {
    name: 'a shallow clone without the base branch',
    arrange: (repo) => {
      const clone = shallowClone(repo, ['--branch', 'feature']);
      return { cwd: clone, watch: clone, args: ['review', '--base', 'origin/main'] };
    },
    message: /^diffwise: unknown base ref: origin\/main \(this is a shallow clone; run `git fetch --unshallow` \(or `git fetch --deepen=<n>`\) and retry\)$/,
  },
  {
    name: 'a shallow clone whose history stops before the merge base',
    arrange: (repo) => {
      const clone = shallowClone(repo, ['--no-single-branch']);
      git(clone, 'checkout', '-q', 'feature');
      return { cwd: clone, watch: clone, args: ['review', '--base', 'origin/main'] };
    },
    message: /^diffwise: no merge base between HEAD and origin\/main: this is a shallow clone; run `git fetch --unshallow` \(or `git fetch --deepen=<n>`\) and retry$/,
  },
  {
    name: 'a corrupt repository: a blob deleted from .git/objects',
    arrange: (repo) => {
      const blob = git(repo, 'rev-parse', 'feature:src/app.ts');
      fs.rmSync(path.join(repo, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
      return { args: ['review', '--base', 'main'] };
    },
    message: /^diffwise: git diff failed: unable to read [0-9a-f]{40} \(the repository is damaged: `git fsck` lists what is missing\)$/,
  },
  {
    name: 'a broken index file (.git/index is garbage), reviewing what is staged',
    arrange: (repo) => {
      fs.writeFileSync(path.join(repo, '.git', 'index'), Buffer.from('DIRC this is not an index at all'.repeat(4)));
      return { args: ['review', '--staged'] };
    },
    message: /^diffwise: git cannot read the index: index file (?:corrupt|smaller than expected); `rm "\$\(git rev-parse --git-path index\)" && git reset` rebuilds it from HEAD \(what was staged becomes unstaged; the work tree is kept\)$/,
  },
  {
    name: 'a broken index file, reviewing the branch: the diff needs no index, the run is partial and says why',
    arrange: (repo) => {
      fs.writeFileSync(path.join(repo, '.git', 'index'), Buffer.from('DIRC this is not an index at all'.repeat(4)));
      return { args: ['review', '--base', 'main', '--format', 'json'] };
    },
    verify: ({ result }) => {
      assert.equal(result.code, 0, result.stderr);
      const document = JSON.parse(result.stdout) as ReviewDocument;
      assert.equal(document.run.status, 'partial');
      assert.equal(document.run.errors.length, 1, JSON.stringify(document.run.errors));
      assert.match(document.run.errors[0].message, /^git cannot read the index: index file (?:corrupt|smaller than expected); /);
      assert.deepEqual(document.findings.map((finding) => [finding.ruleId, finding.line]), BRANCH_FINDINGS, 'the branch\'s findings are still delivered');
    },
  },
  {
    name: 'a locked index (.git/index.lock present), reviewing what is staged: read-only, so it works and leaves the lock alone',
    arrange: (repo) => {
      write(repo, 'src/staged.ts', 'export const staged = 1;\ndebugger;\n');
      git(repo, 'add', 'src/staged.ts');
      fs.writeFileSync(path.join(repo, '.git', 'index.lock'), '');
      return { args: ['review', '--staged', '--format', 'json'] };
    },
    verify: ({ result, repo }) => {
      assert.equal(result.code, 0, result.stderr);
      const document = JSON.parse(result.stdout) as ReviewDocument;
      assert.equal(document.run.status, 'ok', JSON.stringify(document.run.errors));
      assert.deepEqual(document.findings.map((finding) => [finding.file, finding.ruleId, finding.line]), [['src/staged.ts', 'debug-leftover', 2]]);
      assert.ok(fs.existsSync(path.join(repo, '.git', 'index.lock')), 'the lock is someone else\'s: left in place');
    },
  },
  {
    name: 'a locked index, reviewing the working tree: works as well',
    arrange: (repo) => {
      write(repo, 'src/app.ts', `${fs.readFileSync(path.join(repo, 'src/app.ts'), 'utf8')}console.log('more');\n`);
      fs.writeFileSync(path.join(repo, '.git', 'index.lock'), '');
      return { args: ['review', '--format', 'json'] };
    },
    verify: ({ result }) => {
      assert.equal(result.code, 0, result.stderr);
      const document = JSON.parse(result.stdout) as ReviewDocument;
      assert.equal(document.run.status, 'ok', JSON.stringify(document.run.errors));
      assert.deepEqual(document.findings.map((finding) => [finding.ruleId, finding.line]), [['debug-leftover', 15]]);
    },
  },
];

function shallowClone(repo: string, options: string[]): string {
  const clone = path.join(path.dirname(repo), `${path.basename(repo)}-shallow`);
  // file:// so that --depth is honoured (a plain path clones locally, in full).
  git(path.dirname(repo), 'clone', '-q', '--depth', '1', ...options, `file://${repo}`, clone);
  return clone;
}

function chownTree(dir: string, uid: number): void {
  fs.lchownSync(dir, uid, uid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(child, uid);
    else fs.lchownSync(child, uid, uid);
  }
}

describe('bad input: git refuses, cannot read or does not find (real repositories)', function () {
  this.timeout(60_000);
  let template: string;
  let outcomes: Map<string, Promise<GitOutcome>>;

  /** A copy of the template, its database (with the vote) included, in a folder of its own. */
  function copyOfTemplate(): string {
    const copy = path.join(makeTempDir(), 'repo');
    fs.cpSync(template, copy, { recursive: true });
    return copy;
  }

  async function runCase(c: GitCase): Promise<GitOutcome> {
    const repo = copyOfTemplate();
    const run = c.arrange(repo);
    const watched = run.watch ?? repo;
    const hasDatabase = fs.existsSync(path.join(repo, '.git', 'diffwise', 'diffwise.db'));
    const votesBefore = hasDatabase ? votesIn(repo) : [];
    const before = treeFingerprint(watched, notTheDatabase);
    const result = await runCliAsync(run.cwd ?? repo, run.args, run.env);
    if (process.getuid?.() === 0) chownTree(repo, 0);
    return { repo, result, before, after: treeFingerprint(watched, notTheDatabase), votesBefore, votesAfter: hasDatabase ? votesIn(repo) : [] };
  }

  before(async function () {
    template = featureRepo();
    const review = await runCliJsonAsync<ReviewDocument>(template, ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never']);
    const logged = review.json.findings.find((finding) => finding.ruleId === 'debug-leftover' && finding.line === 9);
    assert.ok(logged, JSON.stringify(review.json.findings));
    assert.equal((await runCliAsync(template, ['feedback', logged.id, '--down', '--reason', 'we log on purpose'])).code, 0);
    const listed = await runCliJsonAsync<unknown[]>(template, ['feedback', '--list', '--json']);
    assert.equal(listed.json.length, 1);
    assert.equal(votesIn(template).length, 1, 'the vote the cases compare is the one the CLI lists');
    const runnable = gitCases.filter((c) => !c.skip?.());
    outcomes = runConcurrently(runnable.map((c) => [c.name, () => runCase(c)] as const), Math.max(2, os.availableParallelism()));
  });
  after(async () => {
    await Promise.allSettled([...(outcomes?.values() ?? [])]);
    cleanupRepos();
  });

  for (const c of gitCases) {
    it(c.name, async function () {
      const reason = c.skip?.();
      if (reason) {
        this.test!.title += ` (skipped: ${reason})`;
        this.skip();
      }
      const outcome = await outcomes.get(c.name)!;
      if (c.message) expectOneLineFailure(outcome.result, { code: 2, message: c.message });
      else {
        expectNoLeak(outcome.result.stdout);
        expectNoLeak(outcome.result.stderr);
      }
      c.verify?.(outcome);
      assert.equal(outcome.after, outcome.before, 'the files (.git included) are as they were');
      assert.deepEqual(outcome.votesAfter, outcome.votesBefore, 'the votes are still there');
    });
  }
});
