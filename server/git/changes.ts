/**
 * Turns "what does the user want reviewed" (a scope) into the set of changed
 * files and a way to read both versions of each. The review pipeline reads
 * only a ChangeSet, so it never needs to know which scope it is looking at.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { displayPath, type DiffFile, type DiffHunk } from './diffModel';
import { GitError, type GitRepository } from './repository';

/** Which change to review. */
export type ChangeScope = 'working' | 'staged' | 'branch';

/** What to review: a scope, plus the base ref for branch scope. */
export interface ChangeRequest {
  scope: ChangeScope;
  /** The branch or ref to compare with; required for branch scope, ignored otherwise. */
  base?: string;
  /**
   * Branch scope only: compare with this commit (an earlier reviewed HEAD) instead of
   * the merge base, so that only what came since is reviewed. Must be an ancestor of HEAD.
   */
  since?: string;
}

/** The changed files of one scope and both versions of their contents. */
export interface ChangeSet {
  scope: ChangeScope;
  /** The ref the user asked for (branch scope). */
  base: string | null;
  /** The merge base's sha (branch scope). */
  mergeBase: string | null;
  /** HEAD's sha, null when HEAD has no commits yet. */
  head: string | null;
  files: DiffFile[];
  /** `staged` only: paths unmerged in the index, which have no staged version to review (git's diff skips them). */
  unmerged?: string[];
  /**
   * The reviewed (new) version of each path: working tree for working, the index for
   * staged, HEAD for branch; null where absent. One git process for all, not one per file.
   */
  readNewMany(paths: readonly string[]): Promise<Map<string, Buffer | null>>;
  /** The version before the change: HEAD for working/staged, the merge base for branch. */
  readOldMany(paths: readonly string[]): Promise<Map<string, Buffer | null>>;
}

/** Git's own heuristic: a NUL byte in the first 8000 bytes makes a file binary. */
const BINARY_PROBE_BYTES = 8000;

/** Untracked files are read this many at a time, so a large build output cannot exhaust file handles. */
const READ_BATCH = 32;

/** Collects the changes of `request.scope`; throws GitError when the request cannot be met. */
export async function collectChanges(repo: GitRepository, request: ChangeRequest): Promise<ChangeSet> {
  const headInfo = await repo.head();
  const head = headInfo.sha;
  const readHeadMany = async (files: readonly string[]) => (head ? repo.readBlobs(head, files) : new Map(files.map((file) => [file, null])));
  const readWorkingMany = async (files: readonly string[]) => {
    const result = new Map<string, Buffer | null>();
    for (let start = 0; start < files.length; start += READ_BATCH) {
      const batch = files.slice(start, start + READ_BATCH);
      const contents = await Promise.all(batch.map((file) => readWorkingFile(repo.root, file)));
      batch.forEach((file, i) => result.set(file, contents[i]));
    }
    return result;
  };

  switch (request.scope) {
    case 'working': {
      // An unborn HEAD has nothing to diff against but the empty tree.
      const before = head ?? (await repo.emptyTree());
      const [tracked, untracked] = await Promise.all([repo.diff([before]), untrackedFiles(repo)]);
      return {
        scope: 'working',
        base: null,
        mergeBase: null,
        head,
        files: sortFiles([...tracked, ...untracked]),
        readNewMany: readWorkingMany,
        readOldMany: readHeadMany,
      };
    }
    case 'staged': {
      const before = head ?? (await repo.emptyTree());
      const [files, unmerged] = await Promise.all([repo.diff(['--cached', before]), repo.listUnmergedFiles()]);
      return {
        scope: 'staged',
        base: null,
        mergeBase: null,
        head,
        files: sortFiles(files),
        unmerged: unmerged.sort(),
        readNewMany: (files) => repo.readBlobs(':', files),
        readOldMany: readHeadMany,
      };
    }
    case 'branch': {
      const base = request.base?.trim();
      if (!base) throw new GitError('branch scope needs a base ref to compare with (for example main)');
      if (!head) throw new GitError(`HEAD has no commits yet; nothing to compare with ${base}`);
      const mergeBase = request.since ?? (await repo.mergeBase(base, headInfo));
      return {
        scope: 'branch',
        base,
        mergeBase,
        head,
        // The sha, not `HEAD`, so a checkout during the review cannot mix two versions.
        files: sortFiles(await repo.diff([mergeBase, head])),
        readNewMany: readHeadMany,
        readOldMany: (files) => repo.readBlobs(mergeBase, files),
      };
    }
    default:
      throw new GitError(`unknown review scope: ${String((request as { scope: unknown }).scope)}`);
  }
}

/**
 * The bytes of `file` in the work tree; null when it is absent, a directory
 * (a submodule) or outside the work tree. A symlink reads as its target path,
 * as git stores it.
 */
export async function readWorkingFile(root: string, file: string): Promise<Buffer | null> {
  const absolute = path.resolve(root, file);
  const relative = path.relative(root, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  try {
    const stat = await fs.lstat(absolute);
    if (stat.isSymbolicLink()) return Buffer.from(await fs.readlink(absolute), 'utf8');
    if (!stat.isFile()) return null;
    return await fs.readFile(absolute);
  } catch {
    return null; // gone between the diff and the read, or unreadable: treat as absent
  }
}

/** Untracked, non-ignored files as added files, since `git diff` does not show them. */
async function untrackedFiles(repo: GitRepository): Promise<DiffFile[]> {
  const paths = await repo.listUntrackedFiles();
  const files: DiffFile[] = [];
  for (let i = 0; i < paths.length; i += READ_BATCH) {
    const batch = await Promise.all(paths.slice(i, i + READ_BATCH).map((file) => untrackedFile(repo.root, file)));
    for (const file of batch) if (file) files.push(file);
  }
  return files;
}

async function untrackedFile(root: string, file: string): Promise<DiffFile | null> {
  const stat = await fs.lstat(path.resolve(root, file)).catch(() => null);
  // Git listed it, but by a name decoded with replacement characters (not valid UTF-8): it cannot
  // be opened by that name, yet it is part of the change; the review lists it rather than drop it.
  if (!stat && file.includes('\uFFFD')) return unreadableAddition(file, '100644');
  if (!stat) return null;
  const content = await readWorkingFile(root, file);
  const mode = stat.isSymbolicLink() ? '120000' : stat.mode & 0o111 ? '100755' : '100644';
  // A file that cannot be read is still part of the change: the review lists it as unreadable rather than drop it.
  if (!content) return stat.isFile() ? unreadableAddition(file, mode) : null;
  const binary = isBinary(content);
  return {
    oldPath: null,
    newPath: file,
    status: 'added',
    oldMode: null,
    newMode: mode,
    binary,
    submodule: false,
    similarity: null,
    hunks: binary || content.length === 0 ? [] : [addedHunk(content.toString('utf8'))],
  };
}

/** An added file whose content could not be read: no hunks, so that the review finds nothing to read and says why. */
function unreadableAddition(file: string, mode: string): DiffFile {
  return { oldPath: null, newPath: file, status: 'added', oldMode: null, newMode: mode, binary: false, submodule: false, similarity: null, hunks: [] };
}

/** The hunk git would print for a new file: `@@ -0,0 +1,N @@` with every line added. */
function addedHunk(text: string): DiffHunk {
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return {
    oldStart: 0,
    oldLines: 0,
    newStart: 1,
    newLines: lines.length,
    header: '',
    lines: lines.map((line, index) => ({
      kind: 'add',
      text: line.endsWith('\r') ? line.slice(0, -1) : line,
      oldLine: null,
      newLine: index + 1,
    })),
  };
}

/** Git's own test for binary content (a NUL in the first 8000 bytes), shared with the review. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, BINARY_PROBE_BYTES).includes(0);
}

/** One order for tracked and untracked files alike, so the same change always lists the same way. */
function sortFiles(files: DiffFile[]): DiffFile[] {
  return files.sort((a, b) => {
    const pa = displayPath(a);
    const pb = displayPath(b);
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  });
}
