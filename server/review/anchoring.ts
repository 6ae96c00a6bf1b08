/**
 * Places a review's findings on the lines of the files as they are in the work
 * tree, which is what an editor shows: a branch review's lines are HEAD's and a
 * staged review's are the index's, and uncommitted edits may have moved them.
 */
import type { Finding, ReviewDocument } from '../../shared/review';
import { displayPath } from '../git/diffModel';
import { oldLineToNew } from '../git/lineMapping';
import type { GitRepository } from '../git/repository';

export async function anchorToWorkTree(repo: GitRepository, document: ReviewDocument): Promise<Finding[]> {
  if (document.run.scope === 'working' || document.findings.length === 0) return document.findings;
  // Branch lines are HEAD's: diff HEAD against the work tree. Staged lines are the index's: plain `git diff`.
  const edits = await repo.diff(document.run.scope === 'branch' && document.run.head ? [document.run.head] : []);
  const byPath = new Map(edits.filter((file) => file.oldPath !== null).map((file) => [file.oldPath!, file]));
  return document.findings.map((finding) => {
    const diff = byPath.get(finding.file);
    if (!diff) return finding;
    const line = oldLineToNew(diff, finding.line);
    const endLine = Math.max(line, oldLineToNew(diff, finding.endLine));
    return { ...finding, file: displayPath(diff), line, endLine };
  });
}
