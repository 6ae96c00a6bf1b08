/**
 * How a finding's code moves when its file is edited: a finding is a half-open
 * span of UTF-16 offsets [start, end) into its file's text, and each edit
 * replaces one range of that text. The span keeps exactly the characters of its
 * code that survive the edit, so an insertion just above moves it down and its
 * own line deleted makes it go.
 */

/** A finding's code in its file's text: offsets [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** One edit in offsets of the text before it: [start, end) replaced by `length` characters. */
export interface OffsetChange {
  start: number;
  end: number;
  length: number;
}

/**
 * The span after the change, or null when none of its characters survived.
 * Characters inserted at either edge of the span are not its code (typing at the
 * start of a finding's line, Neovim's `O` above it); inserted strictly inside, they
 * are (a word typed in the middle of a call).
 */
export function spanAfterChange(span: Span, change: OffsetChange): Span | null {
  const { start: s, end: e, length: n } = change;
  const delta = n - (e - s);
  if (span.end <= s) return span;
  if (span.start >= e) return { start: span.start + delta, end: span.end + delta };
  // The change overlaps the span: what survives is [start, s) and [e, end).
  const before = span.start < s;
  const after = span.end > e;
  if (!before && !after) return null;
  return { start: before ? span.start : e + delta, end: after ? span.end + delta : s };
}

/**
 * Line breaks at either edge are not code: a span whose line's text was deleted but
 * whose line break was kept (or that gained one through a full-document diff) ends at
 * its last real character. A span that becomes only line breaks is gone.
 */
export function trimLineBreaks(span: Span, text: string): Span | null {
  if (span.start === span.end) return span;
  let { start, end } = span;
  while (start < end && isLineBreak(text.charCodeAt(start))) start++;
  while (end > start && isLineBreak(text.charCodeAt(end - 1))) end--;
  return start === end ? null : { start, end };
}

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13;
}

/** The span after several changes in the text's order, each in offsets of the text before the first. */
export function spanAfterChanges(span: Span, changes: readonly OffsetChange[]): Span | null {
  // From the last to the first: each change's offsets are still those of the original text.
  let current: Span | null = span;
  for (let i = changes.length - 1; i >= 0 && current; i--) current = spanAfterChange(current, changes[i]);
  return current;
}
