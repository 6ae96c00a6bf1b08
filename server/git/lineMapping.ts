/**
 * Carrying line numbers across a diff: where a line of the old side of a diff
 * stands on the new side. Used to place a finding made on one version of a file
 * (HEAD, the index) on another (the working tree), the way the GitHub Pull
 * Requests extension re-anchors comments.
 */
import type { DiffFile } from './diffModel';

/**
 * The new-side line for `oldLine`. A line the diff deleted maps to the new line
 * that now stands where it was (never past the end of the hunk's new lines).
 */
export function oldLineToNew(diff: DiffFile, oldLine: number): number {
  let delta = 0;
  for (const hunk of diff.hunks) {
    // A pure insertion (`-N,0`, which -U0 or diff.context=0 prints) goes after old line N: N itself is
    // not in the hunk. Counting it in moved line N past the lines inserted below it.
    if (oldLine < hunk.oldStart || (hunk.oldLines === 0 && oldLine === hunk.oldStart)) break;
    if (oldLine < hunk.oldStart + hunk.oldLines) {
      let lastNew = hunk.newStart - 1;
      let reached = false;
      for (const line of hunk.lines) {
        if (line.oldLine === oldLine) reached = true;
        if (line.newLine !== null) {
          if (reached) return Math.max(1, line.newLine);
          lastNew = line.newLine;
        }
      }
      return Math.max(1, lastNew);
    }
    delta += hunk.newLines - hunk.oldLines;
  }
  return Math.max(1, oldLine + delta);
}

/**
 * The new-side line for `oldLine` when that very line survived the diff
 * unchanged; null when the diff deleted or replaced it. For comments, which
 * must never be shown on a line other than the one they were written on.
 */
export function oldLineToNewExact(diff: DiffFile, oldLine: number): number | null {
  let delta = 0;
  for (const hunk of diff.hunks) {
    // A pure insertion (`-N,0`) goes after old line N: N itself stays where it is.
    if (oldLine < hunk.oldStart || (hunk.oldLines === 0 && oldLine === hunk.oldStart)) break;
    if (oldLine < hunk.oldStart + hunk.oldLines) {
      const line = hunk.lines.find((candidate) => candidate.oldLine === oldLine);
      return line && line.kind === 'context' ? line.newLine : null;
    }
    delta += hunk.newLines - hunk.oldLines;
  }
  return oldLine + delta;
}
