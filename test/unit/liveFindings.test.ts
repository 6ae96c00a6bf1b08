import * as assert from 'node:assert/strict';
import type { Finding } from '../../shared/review';
import { shiftFindings } from '../../server/lsp/liveFindings';

const finding = (line: number, endLine = line): Finding => ({
  id: `f${line}`, ruleId: 'debug-leftover', source: 'static', severity: 'warning', file: 'a.ts', line, endLine, message: '', suggestion: null, symbol: null, related: [],
});
const edit = (start: number, end: number, text: string) => ({ range: { start: { line: start }, end: { line: end } }, text });
const lines = (findings: Finding[]) => findings.map((f) => [f.line, f.endLine]);

describe('findings follow the text as the user types', () => {
  it('moves findings below an insertion down and leaves those above alone', () => {
    assert.deepEqual(lines(shiftFindings([finding(2), finding(10)], edit(4, 4, 'a\nb\n'))), [[2, 2], [12, 12]]);
  });

  it('moves findings below a deletion up', () => {
    assert.deepEqual(lines(shiftFindings([finding(1), finding(10, 11)], edit(2, 5, ''))), [[1, 1], [7, 8]]);
  });

  it('keeps a finding whose lines were replaced within the replacement', () => {
    assert.deepEqual(lines(shiftFindings([finding(5)], edit(3, 6, 'x'))), [[4, 4]]);
  });

  it('does nothing for an edit within one line', () => {
    assert.deepEqual(lines(shiftFindings([finding(3)], edit(2, 2, 'abc'))), [[3, 3]]);
  });
});
