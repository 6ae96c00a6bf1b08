/**
 * Where each review comment stands in the working tree. GitHub gives a comment's
 * `line` in the file at its `commit_id` (null once GitHub itself calls it
 * outdated); the working tree may have moved on: the comment is carried through
 * `git diff <commit_id>` to the line that is the same line now, the way the
 * GitHub Pull Requests extension re-anchors threads, and when that line was
 * changed or deleted the comment is outdated, never shown on another line.
 */
import type { PrComment } from '../../shared/github';
import { displayPath, type DiffFile } from '../git/diffModel';
import { oldLineToNewExact } from '../git/lineMapping';
import type { GitRepository } from '../git/repository';
import type { RestReviewComment, ReviewThread } from './restTypes';

export async function placeComments(repo: GitRepository, comments: readonly RestReviewComment[], threads: readonly ReviewThread[]): Promise<PrComment[]> {
  const threadOf = new Map<number, ReviewThread>();
  for (const thread of threads) for (const id of thread.commentIds) threadOf.set(id, thread);
  const byId = new Map(comments.map((comment) => [comment.id, comment]));
  // A reply carries no position of its own worth trusting: it stands where its thread's first comment stands.
  const root = (comment: RestReviewComment) => (comment.in_reply_to_id !== undefined ? byId.get(comment.in_reply_to_id) ?? comment : comment);

  const diffs = new Map<string, Map<string, DiffFile> | null>();
  const diffFrom = async (commit: string): Promise<Map<string, DiffFile> | null> => {
    if (!diffs.has(commit)) {
      // A commit not fetched here cannot be compared with: its comments are outdated until it is.
      diffs.set(commit, (await repo.hasCommit(commit)) ? new Map((await repo.diff([commit])).filter((file) => file.oldPath !== null).map((file) => [file.oldPath!, file])) : null);
    }
    return diffs.get(commit)!;
  };

  const placed: PrComment[] = [];
  for (const comment of comments) {
    const anchor = root(comment);
    const side = anchor.side ?? 'RIGHT';
    let localLine: number | null = null;
    let path = anchor.path;
    if (anchor.line !== null && side === 'RIGHT') {
      const changes = await diffFrom(anchor.commit_id);
      if (changes) {
        const diff = changes.get(anchor.path);
        if (!diff) localLine = anchor.line;
        else if (diff.newPath !== null) {
          localLine = oldLineToNewExact(diff, anchor.line);
          path = displayPath(diff);
        }
      }
    }
    const thread = threadOf.get(anchor.id) ?? threadOf.get(comment.id);
    placed.push({
      id: comment.id,
      threadId: thread?.id ?? null,
      path,
      line: anchor.line,
      startLine: anchor.start_line,
      side,
      localLine,
      outdated: localLine === null,
      author: comment.user?.login ?? 'ghost',
      body: comment.body,
      createdAt: comment.created_at,
      updatedAt: comment.updated_at,
      inReplyTo: comment.in_reply_to_id ?? null,
      resolved: thread?.isResolved ?? false,
      url: comment.html_url,
      commitId: anchor.commit_id,
    });
  }
  return placed.sort((a, b) => a.path.localeCompare(b.path) || (a.localLine ?? Infinity) - (b.localLine ?? Infinity) || a.id - b.id);
}
