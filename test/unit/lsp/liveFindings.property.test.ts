/**
 * Findings follow their code through random sequences of the edits LSP clients
 * send, against a reference model: the document is a list of characters, each
 * with an id; a finding is the characters of its code. After an edit, the
 * finding is gone when none of its characters survive, else it spans from the
 * first surviving character to the last (line breaks at either edge are not
 * code). An undo or a revert brings back the findings of the text it returns to.
 *
 * Every character but the line break is unique (a fresh CJK ideograph per id), so
 * a full-document sync, which the daemon must diff, has one right answer.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../../shared/review';
import { LiveFindings, type Placement } from '../../../server/lsp/liveFindings';

const URI = 'file:///repo/a.ts';

interface Char {
  id: number;
  ch: string;
}

/** A finding in the model: the ids of its characters (null once gone), and whether it has columns. */
interface ModelFinding {
  id: string;
  chars: Set<number> | null;
  precise: boolean;
}

interface ModelState {
  doc: Char[];
  findings: ModelFinding[];
}

class Model {
  private next = 0;
  state: ModelState;
  readonly history: ModelState[] = [];

  constructor(lineLengths: number[]) {
    const doc: Char[] = [];
    lineLengths.forEach((length, i) => {
      for (let c = 0; c < length; c++) doc.push(this.fresh());
      if (i < lineLengths.length - 1) doc.push(this.newline());
    });
    this.state = { doc, findings: [] };
  }

  fresh(): Char {
    const id = this.next++;
    return { id, ch: String.fromCharCode(0x4e00 + id) };
  }

  newline(): Char {
    return { id: this.next++, ch: '\n' };
  }

  /** Fresh text: `lines` line breaks between runs of fresh characters. */
  freshText(pieces: number[]): Char[] {
    const chars: Char[] = [];
    pieces.forEach((length, i) => {
      if (i > 0) chars.push(this.newline());
      for (let c = 0; c < length; c++) chars.push(this.fresh());
    });
    return chars;
  }

  text(doc = this.state.doc): string {
    return doc.map((c) => c.ch).join('');
  }

  /** Replaces doc[start, end) by `inserted` and moves the findings by the model's rule. */
  replace(start: number, end: number, inserted: Char[]): void {
    const doc = [...this.state.doc.slice(0, start), ...inserted, ...this.state.doc.slice(end)];
    const present = new Map(doc.map((c, i) => [c.id, i]));
    const findings = this.state.findings.map((finding) => {
      if (!finding.chars) return finding;
      const at = [...finding.chars].map((id) => present.get(id)).filter((i): i is number => i !== undefined);
      if (!at.length) return { ...finding, chars: null };
      let first = Math.min(...at);
      let last = Math.max(...at);
      while (first <= last && doc[first].ch === '\n') first++;
      while (last >= first && doc[last].ch === '\n') last--;
      return { ...finding, chars: first > last ? null : new Set(doc.slice(first, last + 1).map((c) => c.id)) };
    });
    this.state = { doc, findings };
  }

  snapshot(): void {
    this.history.push({ doc: this.state.doc, findings: this.state.findings.map((f) => ({ ...f, chars: f.chars && new Set(f.chars) })) });
  }

  /** Where the model says the finding is, in a Placement's terms. */
  placement(finding: ModelFinding): Placement | null {
    if (!finding.chars) return null;
    const indexes = this.state.doc.map((c, i) => (finding.chars!.has(c.id) ? i : -1)).filter((i) => i >= 0);
    const start = position(this.state.doc, indexes[0]);
    const end = position(this.state.doc, indexes[indexes.length - 1] + 1);
    if (!finding.precise) return { line: start.line + 1, endLine: end.line + 1 };
    return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  }

  lines(): Char[][] {
    const lines: Char[][] = [[]];
    for (const c of this.state.doc) {
      if (c.ch === '\n') lines.push([]);
      else lines[lines.length - 1].push(c);
    }
    return lines;
  }

  /** The offset of (line, character) in the document. */
  offset(line: number, character: number): number {
    let at = 0;
    const lines = this.lines();
    for (let l = 0; l < line; l++) at += lines[l].length + 1;
    return at + character;
  }
}

function position(doc: readonly Char[], offset: number): { line: number; character: number } {
  let line = 0;
  let character = 0;
  for (let i = 0; i < offset; i++) {
    if (doc[i].ch === '\n') {
      line++;
      character = 0;
    } else character++;
  }
  return { line, character };
}

type EditKind =
  | 'typing' | 'deleteChars' | 'insertAboveVsCode' | 'insertBelowVsCode' | 'insertBetweenNeovim'
  | 'deleteLine' | 'deleteLineNeovim' | 'paste' | 'quickFix' | 'fullSync' | 'undo' | 'undoFull' | 'revert' | 'reopen';

const KINDS: EditKind[] = ['typing', 'deleteChars', 'insertAboveVsCode', 'insertBelowVsCode', 'insertBetweenNeovim', 'deleteLine', 'deleteLineNeovim', 'paste', 'quickFix', 'fullSync', 'undo', 'undoFull', 'revert', 'reopen'];

interface EditPick {
  kind: EditKind;
  a: number;
  b: number;
  pieces: number[];
  /** For a full sync: which kind of ranged edit it sends as the whole text. */
  inner: number;
}

const editPick: fc.Arbitrary<EditPick> = fc.record({
  kind: fc.constantFrom(...KINDS),
  a: fc.nat(1000),
  b: fc.nat(1000),
  pieces: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
  inner: fc.nat(7),
});

const findingPick = fc.record({ precise: fc.boolean(), a: fc.nat(1000), b: fc.nat(1000), lines: fc.integer({ min: 0, max: 2 }) });

/** A ranged edit in the model's terms: offsets [start, end) and what replaces them. */
interface Ranged {
  start: number;
  end: number;
  inserted: Char[];
}

/** The ranged edit of one kind on the model's document now, or undefined when the document has no place for it. */
function rangedEdit(model: Model, kind: EditKind, pick: EditPick): Ranged | undefined {
  const lines = model.lines();
  const length = model.state.doc.length;
  const line = pick.a % lines.length;
  const lineStart = model.offset(line, 0);
  const lineEnd = lineStart + lines[line].length;
  switch (kind) {
    case 'typing': {
      const at = pick.a % (length + 1);
      return { start: at, end: at, inserted: model.freshText([1 + (pick.b % 3)]) };
    }
    case 'deleteChars': {
      if (!length) return undefined;
      const at = pick.a % length;
      return { start: at, end: Math.min(length, at + 1 + (pick.b % 3)), inserted: [] };
    }
    case 'insertAboveVsCode':
      // (L, 0)-(L, 0) "new\n"
      return { start: lineStart, end: lineStart, inserted: [...model.freshText([1 + (pick.b % 3)]), model.newline()] };
    case 'insertBelowVsCode':
      // (L, len)-(L, len) "\nnew"
      return { start: lineEnd, end: lineEnd, inserted: [model.newline(), ...model.freshText([1 + (pick.b % 3)])] };
    case 'insertBetweenNeovim':
      // `o` on L / `O` on L+1: (L, len)-(L+1, 0) replaced by "\nnew\n", a range ending at column 0 of the next line.
      if (line + 1 >= lines.length) return undefined;
      return { start: lineEnd, end: lineEnd + 1, inserted: [model.newline(), ...model.freshText([1 + (pick.b % 3)]), model.newline()] };
    case 'deleteLine':
      // (L, 0)-(L+1, 0)
      if (line + 1 >= lines.length) return { start: lineStart, end: lineEnd, inserted: [] };
      return { start: lineStart, end: lineEnd + 1, inserted: [] };
    case 'deleteLineNeovim':
      // `dd` as Neovim sends it: (L-1, len)-(L, len), from the end of the previous line.
      if (line === 0) return undefined;
      return { start: lineStart - 1, end: lineEnd, inserted: [] };
    case 'paste': {
      const from = pick.a % (length + 1);
      const to = from + (pick.b % (length - from + 1));
      return { start: from, end: to, inserted: model.freshText(pick.pieces.length > 1 ? pick.pieces : [...pick.pieces, 1]) };
    }
    case 'quickFix': {
      // "Remove the line": the finding's whole lines, from the start of the first to the start of the line after the last.
      const finding = model.state.findings[pick.a % model.state.findings.length];
      const placed = model.placement(finding);
      if (!placed) return undefined;
      const start = model.offset(placed.line - 1, 0);
      const end = placed.endLine < lines.length ? model.offset(placed.endLine, 0) : length;
      return { start, end, inserted: [] };
    }
    default:
      return undefined;
  }
}

const RANGED: EditKind[] = ['typing', 'deleteChars', 'insertAboveVsCode', 'insertBelowVsCode', 'insertBetweenNeovim', 'deleteLine', 'deleteLineNeovim', 'paste'];

function lspRange(model: Model, start: number, end: number) {
  return { start: position(model.state.doc, start), end: position(model.state.doc, end) };
}

/** The one range an editor sends to go from `before` to `after` (common prefix and suffix left out). */
function singleChange(before: string, after: string): TextDocumentContentChangeEvent & { range: unknown } {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const at = (text: string, offset: number) => {
    const lines = text.slice(0, offset).split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
  };
  return { range: { start: at(before, prefix), end: at(before, before.length - suffix) }, text: after.slice(prefix, after.length - suffix) };
}

function toFinding(id: string, placement: Placement): Finding {
  return { id, ruleId: 'debug-leftover', source: 'static', severity: 'warning', file: 'a.ts', message: '', suggestion: '', symbol: null, related: [], ...placement };
}

describe('property: findings follow their code through the edits LSP clients send', () => {
  it('a finding is its characters: gone when none survive, else first to last survivor; undo and revert bring back what was (400 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 8 }),
        fc.array(findingPick, { minLength: 1, maxLength: 3 }),
        fc.array(editPick, { minLength: 1, maxLength: 12 }),
        (lineLengths, findingPicks, edits) => {
          const model = new Model(lineLengths);
          const lines = model.lines();
          // Findings on the initial text: on lines with text (an empty finding has no characters to follow).
          const withText = lines.map((l, i) => (l.length ? i : -1)).filter((i) => i >= 0);
          if (!withText.length) return;
          const initial: Finding[] = [];
          findingPicks.forEach((pick, n) => {
            const line = withText[pick.a % withText.length];
            const id = `f${n}`;
            let placement: Placement;
            let startOffset: number;
            let endOffset: number;
            if (pick.precise) {
              const column = pick.a % lines[line].length;
              const endColumn = column + 1 + (pick.b % (lines[line].length - column));
              placement = { line: line + 1, column: column + 1, endLine: line + 1, endColumn: endColumn + 1 };
              startOffset = model.offset(line, column);
              endOffset = model.offset(line, endColumn);
            } else {
              // Whole lines: line..endLine, ending on a line with text.
              const endLine = withText.filter((l) => l >= line)[Math.min(pick.lines, withText.filter((l) => l >= line).length - 1)];
              placement = { line: line + 1, endLine: endLine + 1 };
              startOffset = model.offset(line, 0);
              endOffset = model.offset(endLine, lines[endLine].length);
            }
            initial.push(toFinding(id, placement));
            model.state.findings.push({ id, precise: pick.precise, chars: new Set(model.state.doc.slice(startOffset, endOffset).map((c) => c.id)) });
          });

          const live = new LiveFindings();
          live.track(URI, model.text(), initial);
          model.snapshot();
          const log: string[] = [];

          for (const pick of edits) {
            const before = model.text();
            if (pick.kind === 'undo' || pick.kind === 'undoFull' || pick.kind === 'revert' || pick.kind === 'reopen') {
              const target = pick.kind === 'revert' || pick.kind === 'reopen' ? model.history[0] : model.history[pick.a % model.history.length];
              model.state = { doc: target.doc, findings: target.findings.map((f) => ({ ...f, chars: f.chars && new Set(f.chars) })) };
              const after = model.text();
              if (pick.kind === 'undo') live.change(URI, [singleChange(before, after)]);
              else if (pick.kind === 'reopen') live.setText(URI, after);
              else live.change(URI, [{ text: after }]);
            } else {
              const kind = pick.kind === 'fullSync' ? RANGED[pick.inner % RANGED.length] : pick.kind;
              const edit = rangedEdit(model, kind, pick);
              if (!edit) continue;
              const range = lspRange(model, edit.start, edit.end);
              model.replace(edit.start, edit.end, edit.inserted);
              if (pick.kind === 'fullSync') live.change(URI, [{ text: model.text() }]);
              else live.change(URI, [{ range, text: edit.inserted.map((c) => c.ch).join('') }]);
            }
            log.push(`${pick.kind}: ${JSON.stringify(before)} -> ${JSON.stringify(model.text())}`);
            model.snapshot();
            assert.equal(live.textOf(URI), model.text());
            for (const finding of model.state.findings) {
              assert.deepEqual(live.placement(URI, finding.id), model.placement(finding), `${finding.id} after\n${log.join('\n')}`);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
