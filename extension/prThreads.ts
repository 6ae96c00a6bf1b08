/**
 * Pull-request review comments as threads, before VS Code sees them: grouping by
 * thread, where each thread sits in the working tree, and the content of a
 * ```` ```suggestion ```` block. No `vscode` import, so plain Node can test it.
 */
import type { PrComment } from '../shared/github';

export interface PrThreadModel {
  /** The thread's first comment: replies answer it, and its lines are the thread's. */
  root: PrComment;
  /** Oldest first, the root included. */
  comments: PrComment[];
  /** GitHub's thread node id (what resolving takes); null until the daemon knows the threads. */
  threadId: string | null;
  path: string;
  /**
   * The commented lines in the working tree, 1-based and inclusive; null when they
   * no longer exist there (outdated): such a thread must not be shown on any line.
   */
  lines: { start: number; end: number } | null;
  resolved: boolean;
}

/**
 * Groups comments into threads: a comment with `inReplyTo` joins the thread of the
 * comment it answers (followed to the first comment, should a reply answer a reply);
 * one whose parent is not among them joins by `threadId`, else starts its own.
 * Threads come in the order of their first comments.
 */
export function groupThreads(comments: readonly PrComment[]): PrThreadModel[] {
  const byId = new Map(comments.map((comment) => [comment.id, comment]));
  const rootOf = (comment: PrComment): PrComment => {
    let current = comment;
    const seen = new Set<number>();
    while (current.inReplyTo !== null && byId.has(current.inReplyTo) && !seen.has(current.id)) {
      seen.add(current.id);
      current = byId.get(current.inReplyTo)!;
    }
    return current;
  };
  const sorted = [...comments].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  const groups = new Map<number, PrComment[]>();
  const rootByThreadId = new Map<string, number>();
  for (const comment of sorted) {
    let root = rootOf(comment);
    // An orphan reply (its parent not synced): its thread id still says where it belongs.
    if (root.inReplyTo !== null && root.threadId !== null && rootByThreadId.has(root.threadId)) root = byId.get(rootByThreadId.get(root.threadId)!)!;
    if (root.threadId !== null && !rootByThreadId.has(root.threadId)) rootByThreadId.set(root.threadId, root.id);
    const group = groups.get(root.id) ?? [];
    group.push(comment);
    groups.set(root.id, group);
  }
  return [...groups.entries()].map(([rootId, group]) => {
    const root = byId.get(rootId)!;
    return {
      root,
      comments: group,
      threadId: group.find((comment) => comment.threadId !== null)?.threadId ?? null,
      path: root.path,
      lines: localLines(root),
      resolved: group.some((comment) => comment.resolved),
    };
  });
}

/**
 * The working-tree lines a comment covers: `localLine` is its last line, and a
 * multi-line comment spans as many lines above it as it did at the PR's head.
 */
export function localLines(comment: PrComment): { start: number; end: number } | null {
  if (comment.localLine === null) return null;
  const span = comment.startLine !== null && comment.line !== null && comment.line > comment.startLine ? comment.line - comment.startLine : 0;
  return { start: Math.max(1, comment.localLine - span), end: comment.localLine };
}

/**
 * The replacement lines of the first ```` ```suggestion ```` block in a comment body
 * (none: delete the commented lines, as GitHub does), or undefined when it has none.
 */
export function suggestionOf(body: string): string[] | undefined {
  const match = /^[ \t]*(`{3,}|~{3,})[ \t]*suggestion\b[^\n]*\n([\s\S]*?)^[ \t]*\1[ \t]*$/m.exec(body.replace(/\r\n/g, '\n'));
  if (!match) return undefined;
  return match[2] === '' ? [] : match[2].replace(/\n$/, '').split('\n');
}
