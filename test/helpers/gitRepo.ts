/**
 * Temporary git repositories for tests. Every repository lives under one
 * temporary folder per test process and is removed by `cleanupRepos()`; git
 * runs with the user's global and system config ignored, so a developer's
 * `commit.gpgsign`, `init.defaultBranch` or `diff.noprefix` cannot change a
 * test's outcome, and with the variables a git hook sets removed, so running
 * the tests from a hook cannot make them touch the enclosing repository.
 *
 *   const repo = makeRepo();
 *   write(repo, 'src/a.ts', 'export const a = 1;\n');
 *   const sha = commitAll(repo, 'init');
 *   after(cleanupRepos);
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const created: string[] = [];

/** The environment every helper runs git with. */
export const gitEnv: NodeJS.ProcessEnv = (() => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_PREFIX']) {
    delete env[name];
  }
  // A developer's own LLM settings must not reach the code under test (nor their key a fake server).
  for (const name of Object.keys(env)) if (name === 'OPENAI_API_KEY' || name === 'OPENAI_BASE_URL' || name.startsWith('DIFFWISE_')) delete env[name];
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.GIT_CONFIG_GLOBAL = os.devNull;
  env.GIT_TERMINAL_PROMPT = '0';
  return env;
})();

/**
 * A new empty folder under the OS temp dir, removed by `cleanupRepos()`. Its
 * path is the real path, so it compares equal to what git reports (on macOS
 * /tmp is a symlink to /private/tmp).
 */
export function makeTempDir(prefix = 'diffwise-test-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  created.push(dir);
  return dir;
}

/** Options for `makeRepo`. */
export interface MakeRepoOptions {
  /** The initial branch; `main` by default. */
  branch?: string;
  /** Create the repository here instead of in a new temporary folder. */
  dir?: string;
}

/** `git init` in a new temporary folder, with a local user.name and user.email; returns its path. */
export function makeRepo(options: MakeRepoOptions = {}): string {
  const dir = options.dir ?? makeTempDir();
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '--quiet', '-b', options.branch ?? 'main');
  git(dir, 'config', 'user.name', 'Diffwise Test');
  git(dir, 'config', 'user.email', 'test@diffwise.invalid');
  // Tests write LF and CRLF files deliberately; no conversion on add or checkout.
  git(dir, 'config', 'core.autocrlf', 'false');
  return dir;
}

/** Runs git in `repo` and returns its stdout (trailing newline trimmed); throws with git's stderr on failure. */
export function git(repo: string, ...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repo, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\n$/, '');
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`git ${args.join(' ')} failed in ${repo}: ${stderr.trim() || String(error)}`, { cause: error });
  }
}

/** Writes `content` to `relPath` inside `repo`, creating folders as needed; returns the absolute path. */
export function write(repo: string, relPath: string, content: string | Buffer): string {
  const file = path.join(repo, relPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** Deletes `relPath` (a file or folder) inside `repo`. */
export function remove(repo: string, relPath: string): void {
  fs.rmSync(path.join(repo, relPath), { recursive: true, force: true });
}

/** Stages everything (`git add -A`) and commits it, empty or not; returns the new commit's sha. */
export function commitAll(repo: string, message: string): string {
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '--allow-empty', '--no-verify', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

/**
 * A repository whose `main` holds `before` and whose checked-out `feature`
 * branch, one commit on, writes `after` over it: the shape of most review tests.
 */
export function featureBranchRepo(before: Record<string, string>, after: Record<string, string>): string {
  const repo = makeRepo();
  for (const [file, text] of Object.entries(before)) write(repo, file, text);
  commitAll(repo, 'initial');
  git(repo, 'checkout', '-q', '-b', 'feature');
  for (const [file, text] of Object.entries(after)) write(repo, file, text);
  commitAll(repo, 'feature');
  return repo;
}

/** Removes every folder made by `makeTempDir`/`makeRepo` so far. Safe to call more than once. */
export function cleanupRepos(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
