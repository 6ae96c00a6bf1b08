/**
 * The co-change model of a repository at its HEAD: the stored history extended
 * by the commits HEAD gained since (or read again when HEAD moved elsewhere),
 * then counted. What the `co-change` rule and the bench ask.
 */
import { CO_CHANGE_DEFAULTS, mineCoChanges, type CoChangeModel } from './coChangeModel';
import { isAncestor, readCommitLog, resolveCommit } from './commitLog';
import type { CoChangeStore } from './coChangeStore';

export interface HistoryOptions {
  /** Commits mined, newest first. */
  commits?: number;
  maxFilesPerCommit?: number;
  /** The index's verdict that a path is generated (applied when counting, so the stored history stays as git gave it). */
  isGenerated?: (file: string) => boolean;
  /** HEAD's sha when the caller already knows it (a review's diff read it), null when HEAD has no commit; absent: asked of git. */
  head?: string | null;
}

/** How the model was obtained, for logs and for the test that the cache is reused. */
export interface HistoryLoad {
  model: CoChangeModel;
  /** Commits read from git in this call (0: all from the store). */
  readFromGit: number;
  head: string | null;
}

export async function loadCoChangeModel(repoRoot: string, store: CoChangeStore, options: HistoryOptions = {}): Promise<HistoryLoad> {
  const limit = options.commits ?? CO_CHANGE_DEFAULTS.commits;
  const limits = { maxFilesPerCommit: options.maxFilesPerCommit ?? CO_CHANGE_DEFAULTS.maxFilesPerCommit };
  const head = options.head !== undefined ? options.head : await resolveCommit(repoRoot, 'HEAD');
  if (!head) return { model: mineCoChanges([], limits), readFromGit: 0, head: null };
  const stored = store.head();
  let readFromGit = 0;
  if (stored !== head) {
    const extend = stored !== null && (await isAncestor(repoRoot, stored, head));
    const fresh = await readCommitLog(repoRoot, { to: head, from: extend ? stored : undefined, limit });
    readFromGit = fresh.length;
    store.extend(head, fresh, { replace: !extend, keep: limit });
  }
  const isGenerated = options.isGenerated;
  const commits = store.commits().map((commit) => (isGenerated ? { sha: commit.sha, files: commit.files.filter((file) => !isGenerated(file)) } : commit));
  return { model: mineCoChanges(commits, limits), readFromGit, head };
}
