/**
 * Precise ranges: each static rule's findings carry the columns of their code
 * (1-based UTF-16, endColumn just past it), on lines that hold non-ASCII text
 * too, and the ids do not depend on them.
 */
import * as assert from 'node:assert/strict';
import { ColumnLocator, columnsOfIdentifier } from '../../../server/review/columns';
import { assignIds } from '../../../server/review/findingIds';
import type { RuleFinding } from '../../../server/review/rule';
import { breakingChangeRule } from '../../../server/review/rules/breakingChange';
import { conflictMarkerRule } from '../../../server/review/rules/conflictMarker';
import { debugLeftoverRule } from '../../../server/review/rules/debugLeftover';
import { secretRule } from '../../../server/review/rules/secret';
import { changedFile, modifiedFile, runRule } from '../../helpers/changedFile';
import { lines } from '../../helpers/text';

/** What the editor would underline: the text between the columns, on a one-line finding. */
function underlined(text: string, finding: RuleFinding): string {
  assert.equal(finding.line, finding.endLine, 'a one-line finding');
  assert.ok(finding.column !== undefined && finding.endColumn !== undefined, `columns on ${finding.message}`);
  return text.split('\n')[finding.line - 1].slice(finding.column - 1, finding.endColumn - 1);
}

/** Built at run time so this repository's own secret scanning never sees a token in its source. */
const GITHUB_TOKEN = ['ghp', '_', 'R8x2Lq', '9Vt4Kw', 'Zp7Nc3', 'Hy6Mb1', 'Jd5Gs0', 'Fa2Qe8', 'Ux'].join('');

describe('precise ranges (columns)', () => {
  describe('ColumnLocator', () => {
    it('counts UTF-16 code units: an emoji is two, an accented letter one', () => {
      const text = 'const s = "é😀"; f();\nnext\n';
      const locator = new ColumnLocator(text);
      const at = text.indexOf('f()');
      assert.deepEqual(locator.rangeOf(at, at + 3), { line: 1, column: 18, endLine: 1, endColumn: 21 });
      assert.equal('const s = "é😀"; '.length, 17);
    });

    it('a range that ends with its newline ends on its own line, and never covers a \\r', () => {
      const text = 'a();\r\nb();\r\n';
      const locator = new ColumnLocator(text);
      assert.deepEqual(locator.rangeOf(0, 6), { line: 1, column: 1, endLine: 1, endColumn: 5 });
      assert.deepEqual(locator.rangeOf(6, 10), { line: 2, column: 1, endLine: 2, endColumn: 5 });
    });

    it('finds a name only as a whole identifier', () => {
      assert.deepEqual(columnsOfIdentifier('export function parseAll(parse: string)', 'parse'), { column: 26, endColumn: 31 });
      assert.equal(columnsOfIdentifier('const $x = x$;', 'x'), undefined);
    });
  });

  describe('debug-leftover', () => {
    it('TypeScript: the call without its `;`, the `debugger` statement, the `.only` member, after non-ASCII text', async () => {
      const text = lines(
        'export function f(x: number) {',
        '  const label = "naïve 😀"; console.log(label, x);',
        '  console.debug(x);',
        '  debugger;',
        '}',
      );
      const findings = await runRule(debugLeftoverRule, changedFile('src/f.ts', text));
      assert.deepEqual(findings.map((f) => underlined(text, f)), ['console.log(label, x)', 'console.debug(x)', 'debugger;']);
      // "naïve" and the emoji: the column counts the emoji's two UTF-16 units.
      assert.equal(findings[0].column, '  const label = "naïve 😀"; '.length + 1);
      assert.equal(findings[0].column, 29);

      const spec = lines('describe("ü", () => {', '  it.only("runs alone", () => {});', '  fit("focused", () => {});', '});');
      const focused = await runRule(debugLeftoverRule, changedFile('test/a.test.ts', spec));
      assert.deepEqual(focused.map((f) => underlined(spec, f)), ['only', 'fit']);
    });

    it('a call over several lines has columns on its first and last line; its `;` stays out', async () => {
      const text = lines('function f(a, b) {', '  console.log(', '    a,', '  );', '}');
      const [finding] = await runRule(debugLeftoverRule, changedFile('src/f.js', text));
      assert.deepEqual([finding.line, finding.column, finding.endLine, finding.endColumn, finding.suggestion], [2, 3, 4, 4, '']);
    });

    it('Python, Go and Java: the call, from the tree-sitter node', async () => {
      const python = lines('def f(x):', '    y = "größe"; print(x)', '    breakpoint()');
      const go = lines('package lib', '', 'import "fmt"', '', 'func F() {', '\ts := "日本"; fmt.Println(s)', '}');
      const java = lines('class A {', '  void f() {', '    String s = "ß"; System.out.println(s);', '  }', '}');
      const found = await runRule(debugLeftoverRule, changedFile('lib/f.py', python), changedFile('lib/f.go', go), changedFile('src/main/java/A.java', java));
      const texts: Record<string, string> = { 'lib/f.py': python, 'lib/f.go': go, 'src/main/java/A.java': java };
      assert.deepEqual(found.map((f) => `${f.file} ${underlined(texts[f.file], f)}`), [
        'lib/f.py print(x)',
        'lib/f.py breakpoint()',
        'lib/f.go fmt.Println(s)',
        'src/main/java/A.java System.out.println(s)',
      ]);
    });
  });

  it('secret: the literal, not the line', async () => {
    const text = lines('// clé', `export const token = "${GITHUB_TOKEN}"; // ✓`);
    const [finding] = await runRule(secretRule, changedFile('src/config.ts', text));
    assert.equal(underlined(text, finding), GITHUB_TOKEN);
    assert.equal(finding.column, 'export const token = "'.length + 1);
  });

  it('conflict-marker: from the first marker to the end of the last one\'s label', async () => {
    const text = lines('a', '<<<<<<< HEAD', 'b', '=======', 'c', '>>>>>>> feature/ü  ', 'd');
    const [finding] = await runRule(conflictMarkerRule, changedFile('notes.md', text));
    assert.deepEqual([finding.line, finding.column, finding.endLine, finding.endColumn], [2, 1, 6, '>>>>>>> feature/ü'.length + 1]);
  });

  describe('breaking-change', () => {
    const run = (oldText: string, newText: string) => {
      const file = modifiedFile('src/api.ts', oldText, newText);
      return breakingChangeRule.run({ files: [file], allFiles: [file], workspace: { usagesOf: async () => [] } });
    };

    it('a parameter added or changed: the parameter on the declaration line', async () => {
      const newText = 'export function parse(input: string, radix: number): number { return 1; }\n';
      const [added] = await run('export function parse(input: string): number { return 1; }\n', newText);
      assert.equal(underlined(newText, added), 'radix');
      const retyped = 'export function parse(input: number): number { return 1; }\n';
      const [changed] = await run('export function parse(input: string): number { return 1; }\n', retyped);
      assert.equal(underlined(retyped, changed), 'input');
    });

    it('a declaration changed otherwise: its name; one removed: the whole line', async () => {
      const newText = '/* ü */ export const limit: string = "10";\n';
      const [changed] = await run('/* ü */ export const limit: number = 10;\n', newText);
      assert.equal(underlined(newText, changed), 'limit');
      const [removed] = await run('export const limit = 10;\nexport const other = 1;\n', 'export const other = 1;\n');
      assert.match(removed.message, /was removed/);
      assert.equal(removed.column, undefined);
    });
  });

  it('ids do not depend on columns: the same finding keeps its id, votes and ignores still apply', () => {
    const base: RuleFinding = { ruleId: 'debug-leftover', severity: 'warning', file: 'src/f.ts', line: 2, endLine: 2, message: 'm', fingerprint: 'console.log:console.log(x);' };
    const [without] = assignIds([base]);
    const [withColumns] = assignIds([{ ...base, column: 3, endColumn: 17 }]);
    assert.equal(withColumns.id, without.id);
    assert.deepEqual([withColumns.column, withColumns.endColumn], [3, 17]);
    assert.equal('column' in without, false);
  });
});
