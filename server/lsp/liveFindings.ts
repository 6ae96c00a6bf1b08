/**
 * Keeps the last review's findings on their code while the user edits, until the
 * next review. The daemon holds the text of each file with findings (the editor's
 * copy while it is open, the disk's otherwise) and each finding as a span of that
 * text (spans.ts); every change the editor sends moves the spans. A finding none
 * of whose characters survive is gone. Each text seen is remembered with where
 * every finding was in it, so an undo, a revert or a reopen that brings a text back
 * brings its findings back exactly, without a new review.
 */
import { createHash } from 'node:crypto';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../shared/review';
import { spanAfterChange, spanAfterChanges, trimLineBreaks, type Span } from './spans';
import { diffTexts } from './textDiff';

/** Texts remembered per file for undo and revert; the oldest is forgotten first. */
const HISTORY_STATES = 200;

/** Where a finding is now, in the finding's own terms (1-based lines and columns). */
export type Placement = Pick<Finding, 'line' | 'endLine' | 'column' | 'endColumn'>;

/** Where each finding of the file is, null for one that is gone. */
type Spans = Map<string, Span | null>;

interface TrackedFile {
  document: TextDocument;
  spans: Spans;
  /** Whether the finding had columns: one without is about whole lines and is shown so. */
  precise: Map<string, boolean>;
  /** Text hash → the spans in that text, in the order last seen (a Map keeps insertion order). */
  history: Map<string, Spans>;
}

export class LiveFindings {
  private files = new Map<string, TrackedFile>();

  /** Forgets every file: a new review starts over. */
  clear(): void {
    this.files.clear();
  }

  /**
   * Starts tracking the findings of one file, placed on `text` (the text the review
   * anchored them to).
   */
  track(uri: string, text: string, findings: readonly Finding[]): void {
    const document = TextDocument.create(uri, 'plaintext', 0, text);
    const spans: Spans = new Map();
    const precise = new Map<string, boolean>();
    for (const finding of findings) {
      spans.set(finding.id, initialSpan(document, finding));
      precise.set(finding.id, finding.column !== undefined && finding.endColumn !== undefined);
    }
    const file: TrackedFile = { document, spans, precise, history: new Map() };
    remember(file);
    this.files.set(uri, file);
  }

  isTracked(uri: string): boolean {
    return this.files.has(uri);
  }

  /** The tracked text of a file (the editor's while it is open). */
  textOf(uri: string): string | undefined {
    return this.files.get(uri)?.document.getText();
  }

  /**
   * Applies the changes of one didChange, in order: ranged ones move the spans
   * by the rule; a change without a range is the whole new text, diffed against
   * the old. Returns whether any finding went or came back.
   */
  change(uri: string, changes: readonly TextDocumentContentChangeEvent[]): boolean {
    const file = this.files.get(uri);
    if (!file) return false;
    const before = presence(file.spans);
    for (const change of changes) {
      if ('range' in change) {
        const start = file.document.offsetAt(change.range.start);
        const end = file.document.offsetAt(change.range.end);
        const offsetChange = { start, end, length: change.text.length };
        file.document = TextDocument.update(file.document, [change], file.document.version + 1);
        this.move(file, (span) => spanAfterChange(span, offsetChange));
      } else {
        this.replaceText(file, change.text);
      }
    }
    return before !== presence(file.spans);
  }

  /** The file's whole text is now `text` (didOpen, a change on disk): diffed against what was tracked. */
  setText(uri: string, text: string): boolean {
    const file = this.files.get(uri);
    if (!file || file.document.getText() === text) return false;
    const before = presence(file.spans);
    this.replaceText(file, text);
    return before !== presence(file.spans);
  }

  /** Where the finding is now: its placement, null when gone, undefined when not tracked. */
  placement(uri: string, findingId: string): Placement | null | undefined {
    const file = this.files.get(uri);
    if (!file || !file.spans.has(findingId)) return undefined;
    const span = file.spans.get(findingId);
    if (!span) return null;
    const start = file.document.positionAt(span.start);
    const end = file.document.positionAt(span.end);
    if (!file.precise.get(findingId)) return { line: start.line + 1, endLine: Math.max(start.line, end.line) + 1 };
    return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  }

  /** The length of a 0-based line's text (without its line break), when the file is tracked. */
  lineLength(uri: string, line: number): number | undefined {
    const file = this.files.get(uri);
    return file ? lineEnd(file.document, line) - file.document.offsetAt({ line, character: 0 }) : undefined;
  }

  private replaceText(file: TrackedFile, text: string): void {
    const changes = diffTexts(file.document.getText(), text);
    file.document = TextDocument.create(file.document.uri, 'plaintext', file.document.version + 1, text);
    this.move(file, (span) => spanAfterChanges(span, changes));
  }

  private move(file: TrackedFile, next: (span: Span) => Span | null): void {
    const text = file.document.getText();
    const key = hashOf(text);
    const seen = file.history.get(key);
    if (seen) {
      // A text seen before (undo, revert, reopen): its findings exactly as they were in it.
      file.spans = new Map(seen);
      remember(file, key);
      return;
    }
    const moved: Spans = new Map();
    for (const [id, span] of file.spans) {
      const after = span && next(span);
      moved.set(id, after && trimLineBreaks(after, text));
    }
    file.spans = moved;
    remember(file, key);
  }
}

function initialSpan(document: TextDocument, finding: Finding): Span {
  const line = Math.max(0, finding.line - 1);
  const endLine = Math.max(line, finding.endLine - 1);
  if (finding.column !== undefined && finding.endColumn !== undefined) {
    const start = document.offsetAt({ line, character: finding.column - 1 });
    return { start, end: Math.max(start, document.offsetAt({ line: endLine, character: finding.endColumn - 1 })) };
  }
  // A whole-line finding is the text of its lines, without the last one's line break.
  return { start: document.offsetAt({ line, character: 0 }), end: lineEnd(document, endLine) };
}

/** The offset just past a 0-based line's text, before its line break. */
function lineEnd(document: TextDocument, line: number): number {
  const text = document.getText();
  if (line + 1 >= document.lineCount) return text.length;
  let end = document.offsetAt({ line: line + 1, character: 0 });
  if (text.charCodeAt(end - 1) === 10) end--;
  if (text.charCodeAt(end - 1) === 13) end--;
  return end;
}

/** Keeps the file's spans as those of its current text (`key`, its hash), the newest in the history. */
function remember(file: TrackedFile, key = hashOf(file.document.getText())): void {
  file.history.delete(key);
  file.history.set(key, new Map(file.spans));
  if (file.history.size > HISTORY_STATES) file.history.delete(file.history.keys().next().value!);
}

function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** Which findings are present, as one comparable string. */
function presence(spans: Spans): string {
  return [...spans].map(([id, span]) => (span ? id : '')).join(',');
}
