import * as assert from 'node:assert/strict';
import { conflictMarkerRule } from '../../../server/review/rules/conflictMarker';
import { changedFile, runRule } from '../../helpers/changedFile';
import { lines } from '../../helpers/text';

// Markers are built from arrays, never written at the start of a line here, so
// this file is not itself a conflict when Diffwise reviews its own repository.
const START = '<'.repeat(7);
const BASE = '|'.repeat(7);
const SEPARATOR = '='.repeat(7);
const END = '>'.repeat(7);

describe('conflict-marker rule', () => {
  describe('finds', () => {
    it('one finding per conflict block, from its start to its end marker', async () => {
      const text = lines(
        'const a = 1;',
        `${START} HEAD`,
        'const b = 2;',
        SEPARATOR,
        'const b = 3;',
        `${END} feature/x`,
        'const c = 4;',
        `${START} HEAD`,
        'x',
        `${BASE} merged common ancestors`,
        'y',
        SEPARATOR,
        'z',
        `${END} main`,
      );
      const findings = await runRule(conflictMarkerRule, changedFile('src/a.ts', text));
      assert.deepEqual(
        findings.map((f) => [f.line, f.endLine, f.severity, f.ruleId]),
        [
          [2, 6, 'error', 'conflict-marker'],
          [8, 14, 'error', 'conflict-marker'],
        ],
      );
      assert.match(findings[0].message, /Unresolved merge conflict/);
      assert.notEqual(findings[0].fingerprint, findings[1].fingerprint);
    });

    it('bare markers without a label, and CRLF line endings', async () => {
      const text = [START, 'a', SEPARATOR, 'b', END, ''].join('\r\n');
      const findings = await runRule(conflictMarkerRule, changedFile('notes.txt', text));
      assert.deepEqual(findings.map((f) => [f.line, f.endLine]), [[1, 5]]);
    });

    it('each marker of an incomplete block on its own, separators included', async () => {
      const text = lines('title', SEPARATOR, 'text', `${END} theirs`);
      const findings = await runRule(conflictMarkerRule, changedFile('docs/guide.md', text));
      assert.deepEqual(findings.map((f) => [f.line, f.endLine]), [[2, 2], [4, 4]]);
      assert.match(findings[0].message, /`=======`/);
    });

    it('markers in any text file', async () => {
      const text = lines('key: 1', `${START} HEAD`, 'other: 2', SEPARATOR, 'other: 3', `${END} b`);
      assert.equal((await runRule(conflictMarkerRule, changedFile('config/app.yaml', text))).length, 1);
    });
  });

  describe('does not report', () => {
    it('markers on lines the change does not add', async () => {
      const text = lines(`${START} HEAD`, 'a', SEPARATOR, 'b', `${END} x`, 'new line');
      assert.deepEqual(await runRule(conflictMarkerRule, changedFile('src/a.ts', text, [6])), []);
    });

    it('a heading underline of seven = in a file without other markers', async () => {
      const text = lines('Title', SEPARATOR, '', 'Some text.', BASE);
      assert.deepEqual(await runRule(conflictMarkerRule, changedFile('docs/README.md', text)), []);
    });

    it('lookalikes: eight characters, or a marker not at the start of the line', async () => {
      const text = lines(`${START}< HEAD`, `  ${START} HEAD`, `${END}>`, `const s = '${END} x';`);
      assert.deepEqual(await runRule(conflictMarkerRule, changedFile('src/a.ts', text)), []);
    });

    it('deleted files', async () => {
      const file = changedFile('src/a.ts', lines(`${START} HEAD`, `${END} x`));
      assert.deepEqual(await runRule(conflictMarkerRule, { ...file, newText: null }), []);
    });
  });
});
