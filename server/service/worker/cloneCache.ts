/**
 * The worker's bounded cache of partial clones: one folder per (repository, pull request),
 * so that the queue's guarantee (one review at a time per pull request) makes each folder
 * one user's. A review fetches just the pull request's base and head (`--filter=blob:none`:
 * blobs come on demand), checks the head out and cleans the tree; the Diffwise database lives
 * in the git dir, which `git clean` does not touch, so the index, cache and imported votes
 * survive from one review of the pull request to the next.
 *
 * A folder in use holds a lock file with its worker's pid; a lock whose pid is dead (a worker
 * killed mid-review) is taken over, so that the job's retry can reuse the folder. Beyond
 * DIFFWISE_WORKER_CACHE_MAX folders the least recently used unlocked ones are removed.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A failure worth a retry (the network, the remote), as opposed to a head that is gone. */
export class CloneFetchError extends Error {
  override name = 'CloneFetchError';
}

/** The head asked for is not on the remote after fetching: force-pushed away or superseded. Not retried. */
export class HeadNotFoundError extends Error {
  override name = 'HeadNotFoundError';
}

/** Another live process on this machine has the folder (a job the queue thought dead, still running). */
export class CloneBusyError extends Error {
  override name = 'CloneBusyError';
}

export interface CloneCacheSettings {
  /** Where the folders live. */
  dir: string;
  /** How many folders are kept (DIFFWISE_WORKER_CACHE_MAX, default 50). */
  maxClones: number;
  /** Each git command's limit (DIFFWISE_GIT_TIMEOUT_MS, default 120 000). */
  gitTimeoutMs: number;
}

export interface CheckoutRequest {
  repository: string;
  number: number;
  /** Where to fetch from: https (with `authorization`) or file://. */
  cloneUrl: string;
  /** An `Authorization` header value for https fetches; passed on the command line, never written to .git/config. */
  authorization?: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
}

/** A checked-out folder, held until `release()`. */
export interface Checkout {
  dir: string;
  release(): void;
}

const LOCK_FILE = '.diffwise-worker.lock';

export function cloneCacheSettingsFrom(env: NodeJS.ProcessEnv, cacheDir: string | undefined): CloneCacheSettings {
  const whole = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  const cacheHome = env.XDG_CACHE_HOME?.trim() || path.join(os.homedir(), '.cache');
  return {
    dir: path.resolve(cacheDir ?? path.join(cacheHome, 'diffwise', 'clones')),
    maxClones: whole('DIFFWISE_WORKER_CACHE_MAX', 50),
    gitTimeoutMs: whole('DIFFWISE_GIT_TIMEOUT_MS', 120_000),
  };
}

/** The folder's name: readable, and unique even where two names sanitise alike. */
export function cloneFolderName(repository: string, number: number): string {
  const readable = repository.toLowerCase().replace(/[^a-z0-9._-]+/g, '_').slice(0, 80);
  const hash = createHash('sha256').update(`${repository.toLowerCase()}#${number}`).digest('hex').slice(0, 8);
  return `${readable}-${number}-${hash}`;
}

/** Whether a process with this pid is alive on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockHolder(lockPath: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(lockPath, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export class CloneCache {
  constructor(private readonly settings: CloneCacheSettings) {}

  get dir(): string {
    return this.settings.dir;
  }

  /**
   * The pull request's folder with `headSha` checked out and a clean tree. Throws
   * CloneFetchError when fetching fails, HeadNotFoundError when the head is not there
   * after fetching, CloneBusyError when a live process holds the folder.
   */
  async checkout(request: CheckoutRequest): Promise<Checkout> {
    fs.mkdirSync(this.settings.dir, { recursive: true });
    const dir = path.join(this.settings.dir, cloneFolderName(request.repository, request.number));
    const release = this.lock(dir);
    try {
      await this.prepare(dir, request);
      this.evict();
      return { dir, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  private lock(dir: string): () => void {
    const lockPath = `${dir}${LOCK_FILE}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
        return () => {
          this.touch(dir);
          if (lockHolder(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = lockHolder(lockPath);
        if (holder !== undefined && holder !== process.pid && alive(holder)) {
          throw new CloneBusyError(`the clone of ${path.basename(dir)} is in use by process ${holder}`);
        }
        // A dead worker's lock (or a half-written one): take it over.
        fs.rmSync(lockPath, { force: true });
      }
    }
    throw new CloneBusyError(`could not lock the clone ${path.basename(dir)}`);
  }

  private touch(dir: string): void {
    const now = new Date();
    try {
      fs.utimesSync(dir, now, now);
    } catch {
      // A folder removed meanwhile: nothing to remember.
    }
  }

  private async prepare(dir: string, request: CheckoutRequest): Promise<void> {
    if (!fs.existsSync(path.join(dir, '.git'))) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      await this.git(dir, ['init', '--quiet']);
      // A partial clone fetches blobs when a checkout needs them: from where the refs came.
      await this.git(dir, ['config', 'remote.origin.url', stripCredentials(request.cloneUrl)]);
      await this.git(dir, ['config', 'remote.origin.promisor', 'true']);
      await this.git(dir, ['config', 'remote.origin.partialclonefilter', 'blob:none']);
      await this.git(dir, ['config', 'core.autocrlf', 'false']);
      await this.git(dir, ['config', 'gc.auto', '0']);
    } else {
      // The repository may have moved (a rename); the folder follows its URL.
      await this.git(dir, ['config', 'remote.origin.url', stripCredentials(request.cloneUrl)]);
    }
    const auth = request.authorization ? ['-c', `http.extraHeader=Authorization: ${request.authorization}`] : [];
    const refspecs = [`+refs/pull/${request.number}/head:refs/diffwise/head`, `+refs/heads/${request.baseRef}:refs/diffwise/base`];
    try {
      await this.git(dir, [...auth, 'fetch', '--quiet', '--no-tags', '--filter=blob:none', 'origin', ...refspecs]);
    } catch (error) {
      throw new CloneFetchError(`git fetch of ${request.repository} pull request #${request.number} failed: ${(error as Error).message}`, { cause: error });
    }
    if (!(await this.hasCommit(dir, request.headSha))) {
      // GitHub serves a sha that is reachable from some ref; an older head may still be fetchable itself.
      await this.git(dir, [...auth, 'fetch', '--quiet', '--no-tags', '--filter=blob:none', 'origin', request.headSha]).catch(() => undefined);
      if (!(await this.hasCommit(dir, request.headSha))) {
        throw new HeadNotFoundError(`the head ${request.headSha.slice(0, 12)} of ${request.repository}#${request.number} is not on the remote (superseded or force-pushed)`);
      }
    }
    if (!(await this.hasCommit(dir, request.baseSha))) {
      await this.git(dir, [...auth, 'fetch', '--quiet', '--no-tags', '--filter=blob:none', 'origin', request.baseSha]).catch(() => undefined);
    }
    // Blobs the checkout needs come through the promisor remote: the header again, never stored.
    await this.git(dir, [...auth, 'checkout', '--quiet', '--detach', '--force', request.headSha]);
    await this.git(dir, ['clean', '-fdxq']);
    // The review reads the base's side of every changed file too. git would fetch those blobs
    // lazily, one by one and without the token (the review core's git has none); a diff with
    // the header fetches them now, in one batch (git diff prefetches what a partial clone lacks).
    const base = (await this.hasCommit(dir, request.baseSha)) ? request.baseSha : 'refs/diffwise/base';
    const mergeBase = (await this.git(dir, ['merge-base', request.headSha, base]).catch(() => '')).trim();
    if (mergeBase) await this.git(dir, [...auth, 'diff', '--numstat', mergeBase, request.headSha]);
  }

  private async hasCommit(dir: string, sha: string): Promise<boolean> {
    try {
      await this.git(dir, ['cat-file', '-e', `${sha}^{commit}`]);
      return true;
    } catch {
      return false;
    }
  }

  /** Removes the least recently used folders beyond the limit, never one that is locked by a live process. */
  evict(): number {
    let entries: Array<{ dir: string; usedAt: number }>;
    try {
      entries = fs.readdirSync(this.settings.dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => {
          const dir = path.join(this.settings.dir, entry.name);
          return { dir, usedAt: fs.statSync(dir).mtimeMs };
        });
    } catch {
      return 0;
    }
    let removed = 0;
    const excess = entries.length - this.settings.maxClones;
    if (excess <= 0) return 0;
    for (const entry of entries.sort((a, b) => a.usedAt - b.usedAt)) {
      if (removed >= excess) break;
      const holder = lockHolder(`${entry.dir}${LOCK_FILE}`);
      if (holder !== undefined && alive(holder)) continue;
      fs.rmSync(entry.dir, { recursive: true, force: true });
      fs.rmSync(`${entry.dir}${LOCK_FILE}`, { force: true });
      removed++;
    }
    return removed;
  }

  private git(dir: string, args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('git', args, { cwd: dir, env: gitEnv(), timeout: this.settings.gitTimeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const said = String(stderr).split('\n').map((line) => line.trim()).find((line) => line.startsWith('fatal: ') || line.startsWith('error: '));
        // Never Node's own message: it repeats the command line, the Authorization header with it.
        const why = (error as { killed?: boolean }).killed ? `timed out after ${this.settings.gitTimeoutMs} ms` : (said ?? `exited with ${String(error.code)}`).replace(/^(fatal|error): /, '');
        reject(new Error(`git ${args.find((arg) => !arg.startsWith('-') && !arg.includes('=')) ?? ''} ${why}`));
      });
    });
  }
}

/** git never prompts (a worker has no terminal), and no caller's GIT_DIR leads it elsewhere. */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '' };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES']) delete env[name];
  return env;
}

/** A clone URL may carry credentials (`https://x:token@host/…`): they are never written to .git/config. */
function stripCredentials(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/]*@/i, '$1');
}

/** The Authorization header value git sends for an installation or personal token over https. */
export function basicAuthorization(token: string): string {
  return `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
}
