/**
 * The one place that runs git. Everything else asks a GitRepository, which
 * knows the flags that keep git's output parseable whatever the user's config
 * says, and turns git's failures into one-line GitErrors a user can act on.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GitError as SimpleGitError, simpleGit, type SimpleGit } from 'simple-git';
import type { DiffFile } from './diffModel';
import { parseUnifiedDiff } from './diffParser';

/** A git problem worth showing to the user as is: one line, says what to do where it can. */
export class GitError extends Error {
  override readonly name = 'GitError';
}

/** What HEAD points at. */
export interface HeadInfo {
  /** The commit HEAD points at; null when the branch has no commits yet. */
  sha: string | null;
  /** The checked-out branch (short name); null when detached. */
  branch: string | null;
  detached: boolean;
  /** HEAD names a branch that has no commits yet (a fresh `git init`). */
  unborn: boolean;
  /** The repository is a shallow clone, so history may be cut short. */
  shallow: boolean;
}

/**
 * Flags for every `git diff` we parse. Explicit prefixes beat diff.noprefix and
 * diff.mnemonicPrefix; --no-textconv keeps line numbers those of the real file;
 * --submodule=short beats diff.submodule=log, whose summary is not a diff.
 */
const DIFF_FLAGS = [
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '-M',
  '--submodule=short',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

/** The empty tree per object format, to diff against when HEAD has no commits. */
const EMPTY_TREES: Record<string, string> = {
  sha1: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  sha256: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
};

/** Blobs are read whole; this only guards against a runaway process. */
const MAX_BLOB_BYTES = 1024 * 1024 * 1024;

/**
 * Variables that point git at another repository. Git hooks set them (relative
 * to the hook's cwd), and a daemon or CLI started from a hook would otherwise
 * read a different repository than the directory it was given.
 */
const LOCATING_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

/**
 * Variables simple-git refuses to pass on unless told to. None matters to the
 * read-only, local commands we run (git uses no pager or editor without a tty
 * and never goes to the network here), so dropping them is safer than allowing them.
 */
const UNUSED_RISKY_VARIABLES = [
  'EDITOR',
  'GIT_EDITOR',
  'GIT_SEQUENCE_EDITOR',
  'PAGER',
  'GIT_PAGER',
  'GIT_ASKPASS',
  'SSH_ASKPASS',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_PROXY_COMMAND',
  'GIT_EXTERNAL_DIFF',
  'GIT_TEMPLATE_DIR',
];

/** A path `git status` reports: its content in the work tree may differ from HEAD's. */
export interface StatusEntry {
  path: string;
  /** A workspace file as `git ls-files --cached --others --exclude-standard` lists them: in the index, or untracked and not ignored. */
  inWorkspace: boolean;
  /** In HEAD's tree (a path staged for deletion is; one staged as new is not). */
  inHead: boolean;
}

/** What the work tree holds beyond HEAD, from one `git status`. */
export interface WorkingTreeStatus {
  /** The commit HEAD points at; null when the branch has no commits yet. */
  head: string | null;
  /** Each path once; submodules and files git ignores are left out. */
  entries: StatusEntry[];
}

/** A path that differs between two commits, and whether the second has it. */
export interface ChangedPath {
  path: string;
  inTarget: boolean;
}

/** Pathspecs per `git ls-files` call: far below any command-line limit. */
const PATHSPECS_PER_CALL = 500;

/** A git command that exited non-zero; internal, turned into GitError or null by callers. */
class CommandFailed extends SimpleGitError {
  constructor(
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(undefined, stderr);
  }
}

/** A git repository's work tree, opened from any directory inside it. */
export class GitRepository {
  private constructor(
    /** Absolute path of the work tree's top level. */
    readonly root: string,
    /** Absolute path of the shared git directory (the main repository's for a linked worktree). */
    readonly commonDir: string,
    private readonly git: SimpleGit,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Opens the work tree containing `dir`; throws GitError when there is none. */
  static async open(dir: string): Promise<GitRepository> {
    const absolute = path.resolve(dir);
    const stat = await fs.stat(absolute).catch(() => null);
    if (!stat) throw new GitError(`no such directory: ${absolute}`);
    if (!stat.isDirectory()) throw new GitError(`not a directory: ${absolute}`);

    const env = gitEnvironment();
    const probe = makeSimpleGit(absolute, env);
    let output: string;
    try {
      output = await probe.raw(['rev-parse', '--show-toplevel', '--git-common-dir']);
    } catch (error) {
      if (!(error instanceof CommandFailed)) throw asGitError(error, 'rev-parse');
      if (/not a git repository/i.test(error.stderr)) throw new GitError(`not a git repository: ${absolute}`);
      // Older gits refuse --show-toplevel outright where there is no work tree.
      if (/must be run in a work tree/i.test(error.stderr)) throw await noWorkTree(probe, absolute);
      throw asGitError(error, 'rev-parse', absolute);
    }
    const [toplevel, commonDir] = output.split('\n');
    // Inside .git or in a bare repository there is a git dir but no work tree to review.
    if (!toplevel || !commonDir) throw await noWorkTree(probe, absolute);
    const root = path.resolve(toplevel);
    // git prints the common dir relative to `dir` when it can; realpath makes it
    // comparable with `root`, which git has already resolved.
    const common = await fs.realpath(path.resolve(absolute, commonDir));
    return new GitRepository(root, common, makeSimpleGit(root, env), env);
  }

  /** Where HEAD points and what kind of repository this is. */
  async head(): Promise<HeadInfo> {
    // One rev-parse says all of it when HEAD has a commit (the usual case): a process per
    // question cost a review two more spawns. `--abbrev-ref=loose` shortens a branch as
    // `symbolic-ref --short` does, and prints HEAD for a detached HEAD (no branch can be
    // named HEAD); `--` keeps a file named HEAD from making the revision ambiguous.
    const answer = await this.runOrNull(['rev-parse', '--is-shallow-repository', 'HEAD^{commit}', '--abbrev-ref=loose', 'HEAD', '--']);
    const [shallowLine, shaLine, branchLine] = answer?.split('\n') ?? [];
    if (answer !== null && /^[0-9a-f]{40,64}$/.test(shaLine) && branchLine) {
      const branchName = branchLine === 'HEAD' ? null : branchLine;
      return { sha: shaLine, branch: branchName, detached: branchName === null, unborn: false, shallow: shallowLine === 'true' };
    }
    // No commit yet (rev-parse refuses HEAD): each question on its own, as git answers them there.
    const [sha, branch, shallow] = await Promise.all([
      this.runOrNull(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']),
      this.runOrNull(['symbolic-ref', '--quiet', '--short', 'HEAD']),
      this.run(['rev-parse', '--is-shallow-repository']),
    ]);
    const headSha = sha?.trim() || null;
    const branchName = branch?.trim() || null;
    return {
      sha: headSha,
      branch: branchName,
      detached: branchName === null,
      unborn: headSha === null && branchName !== null,
      shallow: shallow.trim() === 'true',
    };
  }

  /**
   * Tracked files plus untracked files that are not ignored, as git lists them
   * (a tracked file deleted from disk is still listed; the caller stats them).
   */
  async listWorkspaceFiles(): Promise<string[]> {
    return this.listFiles(['--cached', '--others', '--exclude-standard']);
  }

  /** Every path in the index (a tracked file deleted from disk included), without asking about untracked files. */
  async listTrackedFiles(): Promise<string[]> {
    return this.listFiles(['--cached']);
  }

  /**
   * HEAD and every path whose work-tree content may differ from HEAD's (modified,
   * staged, deleted, unmerged, untracked and not ignored), from one `git status`:
   * a path it leaves out holds what HEAD holds. Untracked files are listed one by
   * one; renames are two paths; submodules are not looked into. With
   * --no-optional-locks git writes nothing, not even the refreshed index or the
   * untracked cache (a review leaves .git as it was); a cache the user keeps
   * (core.untrackedCache) is still read.
   */
  async workingTreeStatus(): Promise<WorkingTreeStatus> {
    const output = await this.run([
      '--no-optional-locks', 'status', '--porcelain=v2', '-z', '--branch', '--no-ahead-behind', '--untracked-files=all', '--no-renames', '--ignore-submodules=all',
    ]);
    return parseStatus(output);
  }

  /**
   * Where this work tree's sparse-checkout patterns would be: changing them brings
   * files into (or out of) the work tree without `git status` saying so. Found
   * from `.git` itself (a folder, or a file naming the git dir of a linked
   * worktree or a submodule), without running git; null when there is no `.git` to read.
   */
  async sparseCheckoutFile(): Promise<string | null> {
    const dotGit = path.join(this.root, '.git');
    const stat = await fs.stat(dotGit).catch(() => null);
    if (!stat) return null;
    if (stat.isDirectory()) return path.join(dotGit, 'info', 'sparse-checkout');
    const pointer = /^gitdir: (.+)$/m.exec(await fs.readFile(dotGit, 'utf8').catch(() => ''));
    return pointer ? path.join(path.resolve(this.root, pointer[1].trim()), 'info', 'sparse-checkout') : null;
  }

  /**
   * The paths that differ between commits `from` and `to` (no rename detection:
   * a rename is both paths); null when git cannot tell, e.g. `from` was garbage-collected.
   */
  async changedPathsBetween(from: string, to: string): Promise<ChangedPath[] | null> {
    assertNotOption(from, 'revision');
    assertNotOption(to, 'revision');
    const output = await this.runOrNull(['diff', '--name-status', '-z', '--no-renames', '--no-ext-diff', '--ignore-submodules=all', from, to, '--']);
    if (output === null) return null;
    const fields = output.split('\0');
    const changed: ChangedPath[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i]) changed.push({ path: fields[i + 1], inTarget: !fields[i].startsWith('D') });
    }
    return changed;
  }

  /** Which of `paths` git counts as workspace files (tracked, or untracked and not ignored). */
  async workspaceMembers(paths: readonly string[]): Promise<Set<string>> {
    const members = new Set<string>();
    for (let start = 0; start < paths.length; start += PATHSPECS_PER_CALL) {
      // :(literal) so that a name with `*` or `?` in it names that file only.
      const specs = paths.slice(start, start + PATHSPECS_PER_CALL).map((file) => `:(literal)${file}`);
      for (const file of await this.listFiles(['--cached', '--others', '--exclude-standard', '--', ...specs])) members.add(file);
    }
    return members;
  }

  /** Untracked files that are not ignored. */
  async listUntrackedFiles(): Promise<string[]> {
    return this.listFiles(['--others', '--exclude-standard']);
  }

  /** Paths with unmerged entries in the index (a merge, rebase or cherry-pick stopped on a conflict). */
  async listUnmergedFiles(): Promise<string[]> {
    // `ls-files -u -z` prints `<mode> <sha> <stage>\t<path>` per stage; the path once per stage.
    const output = await this.run(['ls-files', '-u', '-z']);
    const paths = new Set<string>();
    for (const entry of output.split('\0')) {
      const tab = entry.indexOf('\t');
      if (tab >= 0) paths.add(entry.slice(tab + 1));
    }
    return [...paths];
  }

  /**
   * The bytes of `filePath` at `rev` (`HEAD`, a sha, or `:` for the index);
   * null when the path is not a file there or the revision does not exist.
   */
  async readBlob(rev: string, filePath: string): Promise<Buffer | null> {
    assertNotOption(rev, 'revision');
    const spec = rev === ':' ? `:${filePath}` : `${rev}:${filePath}`;
    // simple-git decodes output as UTF-8, which would corrupt binary blobs.
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        ['cat-file', 'blob', spec],
        { cwd: this.root, env: this.env, encoding: 'buffer', maxBuffer: MAX_BLOB_BYTES, windowsHide: true },
        (error, stdout) => {
          if (!error) resolve(stdout);
          else if (typeof error.code === 'number') resolve(null); // git ran and said no
          else reject(spawnFailure(error) ?? new GitError(`could not run git cat-file: ${error.message}`));
        },
      );
    });
  }

  /**
   * Many blobs at one revision through a single `git cat-file --batch`: a review
   * reads two versions of every changed file, and a process per file costs more
   * than the review itself. Calls made in the same tick (a review asks for both
   * versions at once) share the process. Paths absent at `rev` map to null.
   */
  async readBlobs(rev: string, filePaths: readonly string[]): Promise<Map<string, Buffer | null>> {
    assertNotOption(rev, 'revision');
    const prefix = rev === ':' ? ':' : `${rev}:`;
    // A newline in a path would break the line-based batch protocol: read those one at a time.
    const batchable = [...new Set(filePaths)].filter((file) => !file.includes('\n'));
    const unbatchable = [...new Set(filePaths)].filter((file) => file.includes('\n'));
    // Joined to the tick's batch before anything is awaited, so that a call made beside this one finds it open.
    const [batched, single] = await Promise.all([
      batchable.length ? this.joinBlobBatch(batchable.map((file) => `${prefix}${file}`)) : new Map<string, Buffer | null>(),
      Promise.all(unbatchable.map((file) => this.readBlob(rev, file))),
    ]);
    const result = new Map<string, Buffer | null>();
    unbatchable.forEach((file, i) => result.set(file, single[i]));
    for (const file of batchable) result.set(file, batched.get(`${prefix}${file}`) ?? null);
    return result;
  }

  /** The open batch (object names → their blobs), read when the current tick's other calls have joined it. */
  private blobBatch: { specs: Set<string>; read: Promise<Map<string, Buffer | null>> } | null = null;

  private joinBlobBatch(specs: readonly string[]): Promise<Map<string, Buffer | null>> {
    if (!this.blobBatch) {
      const specs = new Set<string>();
      const read = new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => {
        this.blobBatch = null;
        return this.catFileBatch([...specs]);
      });
      this.blobBatch = { specs, read };
    }
    for (const spec of specs) this.blobBatch.specs.add(spec);
    return this.blobBatch.read;
  }

  /** `git cat-file --batch` over object names without newlines: each to its blob, null where it names none. */
  private async catFileBatch(specs: readonly string[]): Promise<Map<string, Buffer | null>> {
    const output = await new Promise<Buffer>((resolve, reject) => {
      const child = execFile('git', ['cat-file', '--batch'], { cwd: this.root, env: this.env, encoding: 'buffer', maxBuffer: MAX_BLOB_BYTES * 4, windowsHide: true }, (error, stdout) => {
        if (error) reject(spawnFailure(error) ?? new GitError(`git cat-file --batch failed: ${firstWords(error)}`));
        else resolve(stdout);
      });
      child.stdin!.end(specs.map((spec) => `${spec}\n`).join(''));
    });
    const blobs = new Map<string, Buffer | null>();
    let offset = 0;
    for (const spec of specs) {
      const headerEnd = output.indexOf(0x0a, offset);
      const header = output.subarray(offset, headerEnd).toString('utf8');
      offset = headerEnd + 1;
      const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!match) {
        blobs.set(spec, null); // "<spec> missing" (or ambiguous): nothing follows the header
        continue;
      }
      const size = Number(match[2]);
      blobs.set(spec, match[1] === 'blob' ? output.subarray(offset, offset + size) : null);
      offset += size + 1;
    }
    return blobs;
  }

  /** The commit `ref` names; throws GitError when it names none. */
  async resolveRef(ref: string): Promise<string> {
    assertNotOption(ref, 'ref');
    const sha = await this.runOrNull(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    if (!sha?.trim()) throw new GitError(`unknown ref: ${ref}`);
    return sha.trim();
  }

  /** Whether `ancestor` is in the history of `descendant` (false when either is unknown). */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    assertNotOption(ancestor, 'revision');
    assertNotOption(descendant, 'revision');
    return (await this.runOrNull(['merge-base', '--is-ancestor', ancestor, descendant])) !== null;
  }

  /** One line per commit in `from..to`, oldest first: `<short sha> <subject>`. */
  async commitsBetween(from: string, to: string): Promise<string[]> {
    assertNotOption(from, 'revision');
    assertNotOption(to, 'revision');
    const output = await this.run(['log', '--reverse', '--format=%h %s', `${from}..${to}`]);
    return output.split('\n').filter(Boolean);
  }

  /** The best common ancestor of HEAD and `ref`; throws GitError explaining why there is none. */
  async mergeBase(ref: string, knownHead?: HeadInfo): Promise<string> {
    // Callers that just read HEAD pass it in: a git process fewer per review.
    const head = knownHead ?? (await this.head());
    assertNotOption(ref, 'base ref');
    // The usual case in one process: git resolves the ref itself. Any refusal (no such ref,
    // no common history) is asked again step by step below, for the error that says which.
    if (head.sha) {
      const found = (await this.runOrNull(['merge-base', head.sha, `${ref}^{commit}`]))?.trim();
      if (found) return found;
    }
    const shallowHint = 'this is a shallow clone; run `git fetch --unshallow` (or `git fetch --deepen=<n>`) and retry';
    let refSha: string;
    try {
      refSha = await this.resolveRef(ref);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      throw new GitError(`unknown base ref: ${ref}${head.shallow ? ` (${shallowHint})` : ''}`);
    }
    if (!head.sha) throw new GitError(`HEAD has no commits yet; nothing to compare with ${ref}`);
    const base = await this.runOrNull(['merge-base', head.sha, refSha]);
    if (base?.trim()) return base.trim();
    if (head.shallow) throw new GitError(`no merge base between HEAD and ${ref}: ${shallowHint}`);
    throw new GitError(`no merge base between HEAD and ${ref}: they share no history`);
  }

  /** The URL of remote `name`, or null when there is no such remote. */
  async remoteUrl(name: string): Promise<string | null> {
    assertNotOption(name, 'remote');
    return (await this.runOrNull(['remote', 'get-url', name]))?.trim() || null;
  }

  /** Whether the commit `sha` is in this repository (a pull request's commits may not have been fetched). */
  async hasCommit(sha: string): Promise<boolean> {
    assertNotOption(sha, 'revision');
    return (await this.runOrNull(['cat-file', '-e', `${sha}^{commit}`])) !== null;
  }

  /** The empty tree of this repository's object format, the "before" of a repository with no commits. */
  async emptyTree(): Promise<string> {
    // Older gits lack --show-object-format, and they only know sha1.
    const format = (await this.runOrNull(['rev-parse', '--show-object-format']))?.trim() ?? 'sha1';
    return EMPTY_TREES[format] ?? EMPTY_TREES.sha1;
  }

  /**
   * Runs `git diff` with `args` (revisions and options such as `--cached`) and
   * parses the result.
   */
  async diff(args: string[]): Promise<DiffFile[]> {
    for (const arg of args) if (arg !== '--cached') assertNotOption(arg, 'revision');
    return parseUnifiedDiff(await this.run(['diff', ...DIFF_FLAGS, ...args]));
  }

  private async listFiles(options: string[]): Promise<string[]> {
    const output = await this.run(['ls-files', '-z', ...options]);
    const files = new Set<string>();
    for (const entry of output.split('\0')) {
      // An untracked nested repository is listed as `dir/`; it is not a file.
      if (entry && !entry.endsWith('/')) files.add(entry);
    }
    return [...files];
  }

  /** Runs git; any failure becomes a GitError carrying git's own first line. */
  private async run(args: string[]): Promise<string> {
    try {
      return await this.git.raw(args);
    } catch (error) {
      throw asGitError(error, args[0]);
    }
  }

  /** Runs git; null when it exits non-zero (the "no such thing" answer of rev-parse and friends). */
  private async runOrNull(args: string[]): Promise<string | null> {
    try {
      return await this.git.raw(args);
    } catch (error) {
      if (error instanceof CommandFailed) return null;
      throw asGitError(error, args[0]);
    }
  }
}

/**
 * `git status --porcelain=v2 -z --branch` as entries, each path once: `1`/`2`
 * (changed, with the HEAD and index modes: 000000 is "not there"), `u` (unmerged),
 * `?` (untracked); an untracked nested repository (`dir/`) is not a file.
 */
export function parseStatus(output: string): WorkingTreeStatus {
  let head: string | null = null;
  const byPath = new Map<string, StatusEntry>();
  const add = (file: string, inWorkspace: boolean, inHead: boolean) => {
    if (!file || file.endsWith('/')) return;
    const known = byPath.get(file);
    if (known) {
      known.inWorkspace ||= inWorkspace;
      known.inHead ||= inHead;
    } else byPath.set(file, { path: file, inWorkspace, inHead });
  };
  const fields = output.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.startsWith('# branch.oid ')) {
      const oid = field.slice('# branch.oid '.length);
      head = /^[0-9a-f]{40,64}$/.test(oid) ? oid : null; // "(initial)" on an unborn branch
    } else if (field.startsWith('1 ') || field.startsWith('2 ')) {
      // 1 XY sub mH mI mW hH hI path; 2 adds a score, then the original path in the next field.
      const parts = field.split(' ');
      const pathStart = nthSpace(field, field.startsWith('1 ') ? 8 : 9) + 1;
      // Y = A is a path added with intent (`git add -N`): in the index, with no blob yet.
      add(field.slice(pathStart), parts[4] !== '000000' || parts[1][1] === 'A', parts[3] !== '000000');
      if (field.startsWith('2 ')) add(fields[++i], false, true);
    } else if (field.startsWith('u ')) {
      // u XY sub m1 m2 m3 mW h1 h2 h3 path: in the index (unmerged); "ours" (stage 2) is HEAD's.
      const parts = field.split(' ');
      add(field.slice(nthSpace(field, 10) + 1), true, parts[4] !== '000000');
    } else if (field.startsWith('? ')) {
      add(field.slice(2), true, false);
    }
  }
  return { head, entries: [...byPath.values()] };
}

/** The index of the `n`th space in `text` (1-based), or -1. */
function nthSpace(text: string, n: number): number {
  let at = -1;
  for (let seen = 0; seen < n; seen++) {
    at = text.indexOf(' ', at + 1);
    if (at < 0) return -1;
  }
  return at;
}

function makeSimpleGit(baseDir: string, env: NodeJS.ProcessEnv): SimpleGit {
  return simpleGit({
    baseDir,
    // quotepath off keeps non-ASCII names readable in diff headers.
    config: ['core.quotepath=off'],
    // The user's own GIT_CONFIG_GLOBAL and GIT_CONFIG_COUNT settings must keep working.
    unsafe: { allowUnsafeConfigPaths: true, allowUnsafeConfigEnvCount: true },
    // By default simple-git only fails when git also wrote to stderr; we need every exit code.
    errors(error, result) {
      if (result.exitCode > 0) return new CommandFailed(result.exitCode, Buffer.concat(result.stdErr).toString('utf8'));
      return error;
    },
  }).env(env);
}

function gitEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [...LOCATING_VARIABLES, ...UNUSED_RISKY_VARIABLES]) delete env[name];
  return env;
}

/** What the user reads when git cannot be started at all. */
const GIT_MISSING = 'git is not installed or not on PATH (Diffwise needs git 2.20 or later)';

/** A failure to start git (rather than git saying no): ENOENT when it is not on PATH. */
function spawnFailure(error: unknown): GitError | null {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT' || /\bspawn git ENOENT\b/.test(message)) return new GitError(GIT_MISSING);
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return new GitError(`could not run git: ${message.split('\n')[0]}`);
  return null;
}

/**
 * Why `dir` has a git directory but no work tree: it is a bare repository, or
 * inside a repository's .git. Asked of git, which knows (a gitfile, a worktree).
 */
async function noWorkTree(probe: SimpleGit, dir: string): Promise<GitError> {
  let answer: string[] = [];
  try {
    answer = (await probe.raw(['rev-parse', '--is-bare-repository', '--is-inside-git-dir', '--absolute-git-dir'])).split('\n');
  } catch {
    // Unknowable: the general message below.
  }
  const [bare, insideGitDir, gitDir] = answer;
  if (bare === 'true') return new GitError(`${gitDir || dir} is a bare repository: Diffwise reviews a work tree; run it in a clone or a worktree`);
  if (insideGitDir === 'true') {
    const workTree = gitDir && path.basename(gitDir) === '.git' ? ` (${path.dirname(gitDir)})` : '';
    const where = !gitDir ? 'inside a git directory' : path.resolve(dir) === path.resolve(gitDir) ? 'a git directory' : `inside the git directory ${gitDir}`;
    return new GitError(`${dir} is ${where}: run Diffwise in the work tree${workTree}, not in .git`);
  }
  return new GitError(`${dir} has no work tree: Diffwise reviews a work tree; run it in a clone or a worktree`);
}

/**
 * git's refusal as one line, in its own words where they say what to do:
 * dubious ownership with the safe.directory command, a damaged index, a
 * missing object; otherwise git's fatal line (its last word), else its first.
 */
function asGitError(error: unknown, command: string | undefined, dir?: string): GitError {
  if (error instanceof GitError) return error;
  if (!(error instanceof CommandFailed)) return spawnFailure(error) ?? new GitError(`git ${command ?? ''} failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
  const stderr = error.stderr;
  const dubious = /detected dubious ownership in repository at '([^']+)'/.exec(stderr);
  if (dubious) {
    const where = dubious[1];
    const hint = /git config --global --add safe\.directory \S.*/.exec(stderr)?.[0].trim() ?? `git config --global --add safe.directory ${where}`;
    return new GitError(`git refuses to work in ${where}: detected dubious ownership (the repository belongs to another user); if you trust it: ${hint}`);
  }
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const fatal = lines.find((line) => line.startsWith('fatal: '));
  const said = (fatal ?? lines[0] ?? `exit code ${error.exitCode}`).replace(/^(fatal|error): /, '');
  if (/index file corrupt|bad index file|index file smaller than expected/i.test(stderr)) {
    return new GitError(`git cannot read the index: ${said}; \`rm "$(git rev-parse --git-path index)" && git reset\` rebuilds it from HEAD (what was staged becomes unstaged; the work tree is kept)`);
  }
  if (/unable to read [0-9a-f]{7,}|bad object|missing (?:blob|tree|commit)|loose object .* is corrupt|object file .* is empty/i.test(stderr)) {
    return new GitError(`git ${command ?? ''} failed: ${said} (the repository is damaged: \`git fsck\` lists what is missing)`);
  }
  return new GitError(`git ${command ?? ''} failed${dir ? ` in ${dir}` : ''}: ${said}`);
}

/** git's own last word from an execFile failure (its fatal line), not Node's "Command failed: …" preamble. */
function firstWords(error: Error & { stderr?: string | Buffer }): string {
  const stderr = error.stderr === undefined ? '' : error.stderr.toString();
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  return (lines.find((line) => line.startsWith('fatal: ')) ?? lines[0] ?? error.message.split('\n')[0]).replace(/^(fatal|error): /, '');
}

/** Refuses anything git would read as an option, so a ref from a user can never become a flag. */
function assertNotOption(value: string, what: string): void {
  if (value === '') throw new GitError(`invalid ${what}: it is empty`);
  if (value.startsWith('-')) throw new GitError(`invalid ${what}: ${JSON.stringify(value)} (a name starting with "-" would be read as an option)`);
}
