/**
 * The parsed form of a diff, independent of how it was obtained. The review
 * stages and the rules read only this, never git output.
 */

/** One line inside a hunk. `oldLine`/`newLine` are 1-based; null on the side the line is absent from. */
export interface DiffLine {
  kind: 'context' | 'add' | 'del';
  text: string;
  oldLine: number | null;
  newLine: number | null;
}

/** One `@@ -a,b +c,d @@` block. */
export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The text after the second `@@` (git's guess at the enclosing function), trimmed. */
  header: string;
  lines: DiffLine[];
}

export type FileChangeStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied';

/** One file of a diff. Paths are repository-relative with forward slashes. */
export interface DiffFile {
  /** null for an added file. */
  oldPath: string | null;
  /** null for a deleted file. */
  newPath: string | null;
  status: FileChangeStatus;
  oldMode: string | null;
  newMode: string | null;
  /** Binary files carry no hunks; they are skipped by the reviewers and counted. */
  binary: boolean;
  /** A gitlink (mode 160000): the change is a commit id, not text. */
  submodule: boolean;
  /** Rename/copy similarity in percent, when git reported one. */
  similarity: number | null;
  hunks: DiffHunk[];
}

/** The path a file is known by in the reviewed (new) version, or its old path when deleted. */
export function displayPath(file: DiffFile): string {
  return (file.newPath ?? file.oldPath)!;
}

/** New-file line numbers of the lines this file's change adds. */
export function addedLines(file: DiffFile): Set<number> {
  const lines = new Set<number>();
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) if (line.kind === 'add' && line.newLine !== null) lines.add(line.newLine);
  }
  return lines;
}
