import * as assert from 'node:assert/strict';
import { assignIds } from '../../../server/review/findingIds';
import { debugLeftoverRule } from '../../../server/review/rules/debugLeftover';
import { changedFile, runRule } from '../../helpers/changedFile';
import { lines } from '../../helpers/text';

describe('debug-leftover rule', () => {
  describe('finds', () => {
    it('console.log, console.debug and console.trace, with a deletion when the call is the whole line', async () => {
      const text = lines(
        'export function f(x: number) {',
        '  console.log("x is", x);',
        '  console.debug(x); // why',
        '  if (x) console.trace();',
        '  return x;',
        '}',
      );
      const findings = await runRule(debugLeftoverRule, changedFile('src/f.ts', text));
      assert.deepEqual(
        findings.map((f) => [f.line, f.severity, f.suggestion]),
        [
          [2, 'warning', ''],
          [3, 'warning', null],
          [4, 'warning', null],
        ],
      );
      assert.match(findings[0].message, /`console\.log`/);
      assert.match(findings[1].message, /`console\.debug`/);
      assert.match(findings[2].message, /`console\.trace`/);
      assert.equal(findings[0].ruleId, 'debug-leftover');
      assert.equal(findings[0].fingerprint, 'console.log:console.log("x is", x);');
    });

    it('a console.log call spread over several lines, deleted as a whole', async () => {
      const text = lines('function f(a, b) {', '  console.log(', '    a,', '    b,', '  );', '}');
      const findings = await runRule(debugLeftoverRule, changedFile('src/f.js', text));
      assert.equal(findings.length, 1);
      assert.deepEqual([findings[0].line, findings[0].endLine, findings[0].suggestion], [2, 5, '']);
    });

    it('no deletion for the only statement of an if without braces', async () => {
      const text = lines('function f(a) {', '  if (a)', '    console.log(a);', '  return a;', '}');
      const [finding] = await runRule(debugLeftoverRule, changedFile('src/f.mjs', text));
      assert.equal(finding.line, 3);
      assert.equal(finding.suggestion, null);
    });

    it('a debugger statement, in TSX too', async () => {
      const text = lines('export function View() {', '  debugger;', '  return <div>{"debugger"}</div>;', '}');
      const findings = await runRule(debugLeftoverRule, changedFile('src/view.tsx', text));
      assert.equal(findings.length, 1);
      assert.deepEqual([findings[0].line, findings[0].severity, findings[0].suggestion], [2, 'warning', '']);
      assert.equal(findings[0].fingerprint, 'debugger:debugger;');
    });

    it('focused tests in test files, as errors with the .only removed', async () => {
      const text = lines(
        "describe.only('suite', () => {",
        "  it.only('a', () => {});",
        "  test.only('b', () => {});",
        "  context.only('c', () => {});",
        "  suite.only('d', () => {});",
        "  fit('e', () => {});",
        '});',
        "fdescribe('f', () => {});",
      );
      const findings = await runRule(debugLeftoverRule, changedFile('test/unit/a.test.ts', text));
      assert.deepEqual(
        findings.map((f) => [f.line, f.severity, f.suggestion]),
        [
          [1, 'error', "describe('suite', () => {"],
          [2, 'error', "  it('a', () => {});"],
          [3, 'error', "  test('b', () => {});"],
          [4, 'error', "  context('c', () => {});"],
          [5, 'error', "  suite('d', () => {});"],
          [6, 'error', "  it('e', () => {});"],
          [8, 'error', "describe('f', () => {});"],
        ],
      );
      assert.match(findings[1].message, /`it\.only`.*skips the rest of the suite/);
    });

    it('focused tests in every kind of test path', async () => {
      const text = lines("it.only('a', () => {});");
      for (const path of ['src/a.spec.js', 'src/__tests__/a.js', 'tests/a.cjs', 'pkg/test/a.mts']) {
        assert.equal((await runRule(debugLeftoverRule, changedFile(path, text))).length, 1, path);
      }
    });

    it('identical lines, which still get distinct ids', async () => {
      const findings = await runRule(debugLeftoverRule, changedFile('src/a.ts', lines('console.log(1);', 'console.log(1);')));
      assert.equal(findings.length, 2);
      const [first, second] = assignIds(findings);
      assert.notEqual(first.id, second.id);
    });
  });

  describe('does not report', () => {
    it('leftovers on lines the change does not add', async () => {
      const text = lines('console.log(1);', 'debugger;', 'const added = 1;');
      assert.deepEqual(await runRule(debugLeftoverRule, changedFile('src/a.ts', text, [3])), []);
    });

    it('console.log in strings, templates and comments', async () => {
      const text = lines(
        "const a = 'console.log(x)';",
        'const b = `debugger; ${"console.debug(1)"}`;',
        '// console.log(x);',
        '/* debugger; */',
        "const c = 'it.only(';",
      );
      assert.deepEqual(await runRule(debugLeftoverRule, changedFile('test/a.test.ts', text)), []);
    });

    it('console.error, console.warn and other objects with a log method', async () => {
      const text = lines('console.error("failed", e);', 'console.warn("slow");', 'logger.log("x");', 'myConsole.log(1);');
      assert.deepEqual(await runRule(debugLeftoverRule, changedFile('src/a.ts', text)), []);
    });

    it('console output in command-line programs, but still their debugger statements', async () => {
      const text = lines('console.log("usage: tool <file>");', 'debugger;');
      for (const path of ['bin/tool.js', 'scripts/release.ts', 'packages/x/script/gen.mjs', 'examples/demo.ts', 'bench/run.ts']) {
        const findings = await runRule(debugLeftoverRule, changedFile(path, text));
        assert.deepEqual(findings.map((f) => f.fingerprint), ['debugger:debugger;'], path);
      }
      const shebang = await runRule(debugLeftoverRule, changedFile('src/cli.js', `#!/usr/bin/env node\n${text}`));
      assert.deepEqual(shebang.map((f) => f.line), [3]);
    });

    it('.only outside test files, and on things that are not test functions', async () => {
      assert.deepEqual(await runRule(debugLeftoverRule, changedFile('src/a.ts', lines("it.only('a', () => {});"))), []);
      const text = lines('const x = options.only(1);', 'fitness(1);', 'obj.fit(2);');
      assert.deepEqual(await runRule(debugLeftoverRule, changedFile('test/a.test.ts', text)), []);
    });

    it('files that are not TypeScript or JavaScript, and deleted files', async () => {
      assert.deepEqual(await runRule(debugLeftoverRule, changedFile('README.md', lines('console.log(1);'))), []);
      assert.deepEqual(await runRule(debugLeftoverRule, changedFile('main.py', lines('console.log(1)'))), []);
      const deleted = changedFile('src/a.ts', lines('console.log(1);'));
      assert.deepEqual(await runRule(debugLeftoverRule, { ...deleted, newText: null }), []);
    });
  });
});
