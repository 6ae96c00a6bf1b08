/**
 * The edits users make most, as their editors send them, on a finding: what the
 * property test covers at random, spelled out.
 */
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../shared/review';
import { LiveFindings } from '../../../server/lsp/liveFindings';
import { diffTexts } from '../../../server/lsp/textDiff';

const URI = 'file:///repo/a.ts';
const TEXT = 'const a = 1;\nconsole.log(a);\nexport { a };\n';

const finding = (id: string, line: number, columns?: [number, number]): Finding => ({
  id, ruleId: 'debug-leftover', source: 'static', severity: 'warning', file: 'a.ts', line, endLine: line, message: '', suggestion: '', symbol: null, related: [],
  ...(columns ? { column: columns[0], endColumn: columns[1] } : {}),
});
const range = (line: number, character: number, endLine: number, endCharacter: number) => ({ start: { line, character }, end: { line: endLine, character: endCharacter } });

function tracked(...findings: Finding[]): LiveFindings {
  const live = new LiveFindings();
  live.track(URI, TEXT, findings.length ? findings : [finding('log', 2)]);
  return live;
}

describe('findings follow their code as the user edits', () => {
  it('moves down with a line inserted directly above, in VS Code\'s form and in Neovim\'s `O`', () => {
    const vscode = tracked();
    vscode.change(URI, [{ range: range(1, 0, 1, 0), text: 'let b;\n' }]);
    assert.deepEqual(vscode.placement(URI, 'log'), { line: 3, endLine: 3 });
    // Neovim: (0, 12)-(1, 0) replaced by "\nlet b;\n", a range that ends at column 0 of the finding's line.
    const neovim = tracked();
    neovim.change(URI, [{ range: range(0, 12, 1, 0), text: '\nlet b;\n' }]);
    assert.deepEqual(neovim.placement(URI, 'log'), { line: 3, endLine: 3 });
  });

  it('stays with a line inserted below, and keeps its columns when typing before it on its line', () => {
    const live = tracked(finding('call', 2, [1, 15]));
    live.change(URI, [{ range: range(1, 15, 1, 15), text: '\nlet b;' }]);
    live.change(URI, [{ range: range(1, 0, 1, 0), text: '  ' }]);
    assert.deepEqual(live.placement(URI, 'call'), { line: 2, column: 3, endLine: 2, endColumn: 17 });
    assert.equal(live.lineLength(URI, 1), 17);
  });

  it('is gone when its own line is deleted, from the next line\'s start or from the previous line\'s end, or by its quick fix', () => {
    for (const change of [range(1, 0, 2, 0), range(0, 12, 1, 15)]) {
      const live = tracked();
      assert.equal(live.change(URI, [{ range: change, text: '' }]), true, 'a finding went');
      assert.equal(live.placement(URI, 'log'), null);
    }
  });

  it('comes back exactly with an undo, a revert (a full-document sync) and a reopen', () => {
    const live = tracked(finding('call', 2, [1, 15]));
    live.change(URI, [{ range: range(1, 0, 2, 0), text: '' }]);
    assert.equal(live.change(URI, [{ range: range(1, 0, 1, 0), text: 'console.log(a);\n' }]), true, 'the undo brought it back');
    assert.deepEqual(live.placement(URI, 'call'), { line: 2, column: 1, endLine: 2, endColumn: 15 });

    live.change(URI, [{ range: range(0, 0, 3, 0), text: '' }]);
    assert.equal(live.placement(URI, 'call'), null);
    live.change(URI, [{ text: TEXT }]);
    assert.deepEqual(live.placement(URI, 'call'), { line: 2, column: 1, endLine: 2, endColumn: 15 });

    live.change(URI, [{ range: range(1, 0, 2, 0), text: '' }]);
    assert.equal(live.setText(URI, TEXT), true, 'reopened with the text on disk');
    assert.deepEqual(live.placement(URI, 'call'), { line: 2, column: 1, endLine: 2, endColumn: 15 });
  });

  it('follows a full-document sync character by character: a character typed in its line keeps it', () => {
    const live = tracked(finding('call', 2, [1, 15]));
    live.change(URI, [{ text: '// top\nconst a = 1;\nconsole.log(a + 1);\nexport { a };\n' }]);
    assert.deepEqual(live.placement(URI, 'call'), { line: 3, column: 1, endLine: 3, endColumn: 19 });
  });

  it('diffs whole texts into small changes: one per changed block, narrowed to the characters that differ', () => {
    assert.deepEqual(diffTexts('a\nb\nc\nd\n', 'a\nB\nc\nd\nx\n'), [{ start: 2, end: 3, length: 1 }, { start: 8, end: 8, length: 2 }]);
    assert.deepEqual(diffTexts('same', 'same'), []);
    assert.deepEqual(diffTexts('', 'new\n'), [{ start: 0, end: 0, length: 4 }]);
  });
});
