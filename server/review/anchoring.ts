/**
 * Places a review's findings on the lines of the files as they are in the work
 * tree, which is what an editor shows: a branch review's lines are HEAD's and a
 * staged review's are the index's, and uncommitted edits may have moved them.
 * Columns stay only where the line is still the same text: on an edited line
 * the code they pointed at may be anywhere, and the whole line is the honest range.
 */
import type { Finding, RelatedLocation, ReviewDocument } from '../../shared/review';
import { displayPath, type DiffFile } from '../git/diffModel';
import { oldLineToNew, oldLineToNewExact } from '../git/lineMapping';
import type { GitRepository } from '../git/repository';

export async function anchorToWorkTree(repo: GitRepository, document: ReviewDocument): Promise<Finding[]> {
  if (document.run.scope === 'working' || document.findings.length === 0) return document.findings;
  // Branch lines are HEAD's: diff HEAD against the work tree. Staged lines are the index's: plain `git diff`.
  const edits = await repo.diff(document.run.scope === 'branch' && document.run.head ? [document.run.head] : []);
  const byPath = new Map(edits.filter((file) => file.oldPath !== null).map((file) => [file.oldPath!, file]));
  return document.findings.map((finding) => {
    const related = finding.related.map((place) => anchorRelated(byPath.get(place.file), place));
    const diff = byPath.get(finding.file);
    if (!diff) return related.every((place, i) => place === finding.related[i]) ? finding : { ...finding, related };
    return anchorFinding(diff, { ...finding, related });
  });
}

/** A finding of the old side of `diff` placed on its new side. */
export function anchorFinding(diff: DiffFile, finding: Finding): Finding {
  const line = oldLineToNew(diff, finding.line);
  const endLine = Math.max(line, oldLineToNew(diff, finding.endLine));
  const anchored: Finding = { ...finding, file: displayPath(diff), line, endLine };
  if (finding.column === undefined) return anchored;
  const unchanged = oldLineToNewExact(diff, finding.line) !== null && oldLineToNewExact(diff, finding.endLine) !== null;
  if (unchanged) return anchored;
  const { column: _column, endColumn: _endColumn, ...wholeLines } = anchored;
  return wholeLines;
}

/** A related place moved with the edits of its own file; columns as for findings. */
function anchorRelated(diff: DiffFile | undefined, place: RelatedLocation): RelatedLocation {
  if (!diff) return place;
  const line = oldLineToNew(diff, place.line);
  const { column, endColumn, ...rest } = place;
  const kept = column !== undefined && oldLineToNewExact(diff, place.line) !== null ? { column, endColumn } : {};
  return { ...rest, ...kept, file: displayPath(diff), line };
}
