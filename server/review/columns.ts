/**
 * Precise ranges: where in its lines a finding's code is, as 1-based UTF-16
 * columns (what an editor counts in: LSP positions, VS Code, Neovim's
 * `utf-16` offset encoding). Lines are split at `\n` only, as git splits them,
 * so the columns agree with the lines every rule reports.
 */
import { lineAtOffset, newlineStarts } from '../lineStarts';

/** A range of a text in 1-based lines and 1-based UTF-16 columns; `endColumn` is just past the range. */
export interface TextRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Turns `[start, end)` offsets of one text into lines and columns; built once per text. */
export class ColumnLocator {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    this.starts = newlineStarts(text);
  }

  lineOf(offset: number): number {
    return lineAtOffset(this.starts, offset);
  }

  /** The 1-based column of `offset` on its line. */
  columnOf(offset: number): number {
    return offset - this.starts[this.lineOf(offset) - 1] + 1;
  }

  /**
   * The range of `[start, end)`. An end at a line's start (a node that ends with
   * its newline) ends the range on the line before, past its last character.
   */
  rangeOf(start: number, end: number): TextRange {
    const line = this.lineOf(start);
    const endLine = this.lineOf(Math.max(start, end - 1));
    // Never past the line's own text (onto its \n, or a \r before it): an editor would clamp there anyway.
    const lineStart = this.starts[endLine - 1];
    let textEnd = endLine < this.starts.length ? this.starts[endLine] - 1 : this.text.length;
    if (textEnd > lineStart && this.text[textEnd - 1] === '\r') textEnd--;
    const clampedEnd = Math.max(start, Math.min(end, textEnd));
    return { line, column: start - this.starts[line - 1] + 1, endLine, endColumn: clampedEnd - lineStart + 1 };
  }
}

/** Columns on `line` of a piece of text (first occurrence at or after `from`, 0-based), or undefined when it is not there. */
export function columnsOfText(lineText: string, piece: string, from = 0): { column: number; endColumn: number } | undefined {
  const at = lineText.indexOf(piece, from);
  return at < 0 || piece.length === 0 ? undefined : { column: at + 1, endColumn: at + piece.length + 1 };
}

/** Columns of `name` as a whole identifier on a line (not inside a longer name), or undefined. */
export function columnsOfIdentifier(lineText: string, name: string, from = 0): { column: number; endColumn: number } | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?<![\\p{ID_Continue}$])${escaped}(?![\\p{ID_Continue}$])`, 'u');
  const found = match.exec(lineText.slice(from));
  return found ? { column: from + found.index + 1, endColumn: from + found.index + name.length + 1 } : undefined;
}

/**
 * Where on a declaration's line to point: the first of `names` (a changed
 * parameter, then the declaration's name) that stands there as a whole
 * identifier; undefined (the whole line) when none does.
 */
export function declarationColumns(text: string, line: number, names: ReadonlyArray<string | null | undefined>): { column: number; endColumn: number } | undefined {
  const lineText = (text.split('\n', line)[line - 1] ?? '').replace(/\r$/, '');
  for (const name of names) {
    const found = name ? columnsOfIdentifier(lineText, name) : undefined;
    if (found) return found;
  }
  return undefined;
}
