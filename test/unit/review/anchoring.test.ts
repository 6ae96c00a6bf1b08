/**
 * Anchoring a review's findings (HEAD's or the index's lines) onto the work
 * tree: the columns go with a line that is still the same text, and are dropped
 * when the line itself was edited, where the code they named may be anywhere.
 */
import * as assert from 'node:assert/strict';
import type { Finding } from '../../../shared/review';
import { parseUnifiedDiff } from '../../../server/git/diffParser';
import { anchorFinding } from '../../../server/review/anchoring';

const finding: Finding = {
  id: 'abc', ruleId: 'debug-leftover', source: 'static', severity: 'warning', file: 'src/a.ts',
  line: 2, endLine: 2, column: 3, endColumn: 17, message: 'm', suggestion: '', symbol: null, related: [],
};

function diffOf(...hunk: string[]) {
  const [file] = parseUnifiedDiff(['diff --git a/src/a.ts b/src/a.ts', '--- a/src/a.ts', '+++ b/src/a.ts', ...hunk, ''].join('\n'));
  return file;
}

describe('anchoring findings onto the work tree, with columns', () => {
  it('lines inserted above: the finding moves down and keeps its columns', () => {
    const anchored = anchorFinding(diffOf('@@ -1,0 +2,2 @@', '+// é', '+// 😀'), finding);
    assert.deepEqual([anchored.line, anchored.endLine, anchored.column, anchored.endColumn], [4, 4, 3, 17]);
  });

  it('an edit below leaves it as it was', () => {
    const anchored = anchorFinding(diffOf('@@ -5 +5 @@', '-old', '+new'), finding);
    assert.deepEqual([anchored.line, anchored.column, anchored.endColumn], [2, 3, 17]);
  });

  it('its own line edited: the whole line, without columns', () => {
    const anchored = anchorFinding(diffOf('@@ -2 +2 @@', '-  console.log(x);', '+  const y = 1; console.log(x);'), finding);
    assert.equal(anchored.line, 2);
    assert.equal('column' in anchored || 'endColumn' in anchored, false);
  });

  it('a multi-line finding keeps them only when both its first and last lines are unchanged', () => {
    const block = { ...finding, line: 2, endLine: 4, column: 1, endColumn: 9 };
    const lastEdited = anchorFinding(diffOf('@@ -4 +4 @@', '->>>>>>> x', '+>>>>>>> yz'), block);
    assert.equal(lastEdited.column, undefined);
    const movedOnly = anchorFinding(diffOf('@@ -1,0 +1 @@', '+first'), block);
    assert.deepEqual([movedOnly.line, movedOnly.endLine, movedOnly.column, movedOnly.endColumn], [3, 5, 1, 9]);
  });
});
