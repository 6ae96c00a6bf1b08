/**
 * Reads the history co-change mining works from: the non-merge commits reachable
 * from a commit, newest first, each with the files it touched (`--numstat`, so
 * that git itself says which are binary). Renames are not followed: a rename is
 * the file's delete and add, which is what changed together.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isExcludedFromCoChange, type ExclusionOptions } from './exclusions';
import type { MinedCommit } from './coChangeModel';

const execFileAsync = promisify(execFile);

/** Starts each commit's record: a control character no path or sha line begins with. */
const COMMIT_MARK = '\u0001commit ';

export interface LogRequest {
  /** The newest commit to read (a sha or ref). */
  to: string;
  /** Stop before this commit (exclusive), for extending a cached range; absent: from the start. */
  from?: string;
  /** At most this many commits, newest first. */
  limit: number;
}

/** Parses `git log --numstat --format=<COMMIT_MARK>%H` output into commits with their exclusions applied. */
export function parseNumstatLog(output: string, options: ExclusionOptions = {}): MinedCommit[] {
  const commits: MinedCommit[] = [];
  for (const record of output.split(COMMIT_MARK)) {
    if (!record.trim()) continue;
    const lines = record.split('\n');
    const sha = lines[0].trim();
    const files: string[] = [];
    for (const line of lines.slice(1)) {
      const match = /^(-|\d+)\t(-|\d+)\t(.+)$/.exec(line);
      if (!match) continue;
      const file = match[3];
      if (!isExcludedFromCoChange(file, match[1] === '-' && match[2] === '-', options)) files.push(file);
    }
    commits.push({ sha, files });
  }
  return commits;
}

/** The commits of `request`, newest first; exclusions applied. */
export async function readCommitLog(repoRoot: string, request: LogRequest, options: ExclusionOptions = {}): Promise<MinedCommit[]> {
  const range = request.from ? `${request.from}..${request.to}` : request.to;
  const { stdout } = await execFileAsync(
    'git',
    // core.quotePath=false keeps non-ASCII names as they are; --no-renames gives both sides of a rename.
    ['-c', 'core.quotePath=false', 'log', '--no-merges', '--no-renames', '--numstat', `--format=${COMMIT_MARK}%H`, `-n${request.limit}`, range, '--'],
    { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
  );
  return parseNumstatLog(stdout, options);
}

/** The sha `ref` names, or null (an empty repository has no HEAD). */
export async function resolveCommit(repoRoot: string, ref: string): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoRoot, encoding: 'utf8' });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/** Whether `ancestor` is reachable from `descendant` (a cached range can be extended, not only replaced). */
export async function isAncestor(repoRoot: string, ancestor: string, descendant: string): Promise<boolean> {
  try {
    await execFileAsync('git', ['merge-base', '--is-ancestor', ancestor, descendant], { cwd: repoRoot });
    return true;
  } catch {
    return false;
  }
}
