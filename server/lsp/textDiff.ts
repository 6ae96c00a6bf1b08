/**
 * The edits between two versions of a file, for the times a client sends the
 * whole text instead of its changes (a full-document sync, a didOpen of a file
 * changed since, a file changed on disk while closed). Lines are matched first
 * (a longest common subsequence), then each changed block is narrowed to the
 * characters that differ, so typing one character in a finding's line is one
 * small insertion, not the line replaced (which would make the finding go).
 */
import type { OffsetChange } from './spans';

/** Past this many cells the line matching gives up and treats the middle as one block. */
const MAX_TABLE_CELLS = 4_000_000;

/** The changes that turn `before` into `after`, ascending, in offsets of `before`. */
export function diffTexts(before: string, after: string): OffsetChange[] {
  if (before === after) return [];
  const oldLines = splitLines(before);
  const newLines = splitLines(after);
  const changes: OffsetChange[] = [];
  for (const block of changedBlocks(oldLines.map((line) => line.text), newLines.map((line) => line.text))) {
    const oldStart = offsetOfLine(oldLines, block.oldStart, before.length);
    const oldEnd = offsetOfLine(oldLines, block.oldEnd, before.length);
    const newStart = offsetOfLine(newLines, block.newStart, after.length);
    const newEnd = offsetOfLine(newLines, block.newEnd, after.length);
    const change = narrowed(before, oldStart, oldEnd, after, newStart, newEnd);
    if (change) changes.push(change);
  }
  return changes;
}

interface Line {
  /** The line with its line break, so a last line without one differs from the same line with one. */
  text: string;
  offset: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const breaks = /\r\n|\r|\n/g;
  let offset = 0;
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) {
    const end = match.index + match[0].length;
    lines.push({ text: text.slice(offset, end), offset });
    offset = end;
  }
  if (offset < text.length) lines.push({ text: text.slice(offset), offset });
  return lines;
}

function offsetOfLine(lines: readonly Line[], index: number, length: number): number {
  return index < lines.length ? lines[index].offset : length;
}

interface Block {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** Runs of lines that differ: old lines [oldStart, oldEnd) became new lines [newStart, newEnd). */
function changedBlocks(oldLines: readonly string[], newLines: readonly string[]): Block[] {
  let head = 0;
  while (head < oldLines.length && head < newLines.length && oldLines[head] === newLines[head]) head++;
  let tail = 0;
  while (tail < oldLines.length - head && tail < newLines.length - head && oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]) tail++;
  const oldMiddle = oldLines.slice(head, oldLines.length - tail);
  const newMiddle = newLines.slice(head, newLines.length - tail);
  if (!oldMiddle.length && !newMiddle.length) return [];
  const whole: Block = { oldStart: head, oldEnd: head + oldMiddle.length, newStart: head, newEnd: head + newMiddle.length };
  if (!oldMiddle.length || !newMiddle.length || (oldMiddle.length + 1) * (newMiddle.length + 1) > MAX_TABLE_CELLS) return [whole];
  return commonSubsequenceBlocks(oldMiddle, newMiddle).map((block) => ({
    oldStart: block.oldStart + head, oldEnd: block.oldEnd + head, newStart: block.newStart + head, newEnd: block.newEnd + head,
  }));
}

/** The blocks between the lines of a longest common subsequence of the two line lists. */
function commonSubsequenceBlocks(a: readonly string[], b: readonly string[]): Block[] {
  const columns = b.length + 1;
  // lengths[i * columns + j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = new Uint32Array((a.length + 1) * columns);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * columns + j] = a[i] === b[j] ? lengths[(i + 1) * columns + j + 1] + 1 : Math.max(lengths[(i + 1) * columns + j], lengths[i * columns + j + 1]);
    }
  }
  const blocks: Block[] = [];
  let open: Block | undefined;
  let i = 0;
  let j = 0;
  const close = () => {
    if (open) blocks.push({ ...open, oldEnd: i, newEnd: j });
    open = undefined;
  };
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      close();
      i++;
      j++;
      continue;
    }
    open ??= { oldStart: i, oldEnd: i, newStart: j, newEnd: j };
    if (j >= b.length || (i < a.length && lengths[(i + 1) * columns + j] >= lengths[i * columns + j + 1])) i++;
    else j++;
  }
  close();
  return blocks;
}

/** old[oldStart, oldEnd) replaced by new[newStart, newEnd), without the characters both start or end with. */
function narrowed(before: string, oldStart: number, oldEnd: number, after: string, newStart: number, newEnd: number): OffsetChange | null {
  let prefix = 0;
  while (oldStart + prefix < oldEnd && newStart + prefix < newEnd && before.charCodeAt(oldStart + prefix) === after.charCodeAt(newStart + prefix)) prefix++;
  let suffix = 0;
  while (oldEnd - suffix > oldStart + prefix && newEnd - suffix > newStart + prefix && before.charCodeAt(oldEnd - 1 - suffix) === after.charCodeAt(newEnd - 1 - suffix)) suffix++;
  const start = oldStart + prefix;
  const end = oldEnd - suffix;
  const length = newEnd - suffix - (newStart + prefix);
  return start === end && length === 0 ? null : { start, end, length };
}
