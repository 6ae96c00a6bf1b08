import * as assert from 'node:assert/strict';
import { javaAdapter } from '../../../../server/languages/java/adapter';
import { freeTrees, lines, parseJava } from './parse';

describe('java debugLeftovers', () => {
  afterEach(freeTrees);

  it('System.out/err.print* and printStackTrace(), removable when the statement stands alone', async () => {
    const text = lines(
      'package p;',
      'class A {',
      '  void f(int x) {',
      '    System.out.println("x is " + x);',
      '    System.err.printf("%d%n", x); // why',
      '    if (x > 0) System.out.print(x);',
      '    try { g(); } catch (Exception e) {',
      '      e.printStackTrace();',
      '    }',
      '    System.out.println(',
      '        x);',
      '    log.printStackTrace(System.out);',
      '    out.println(x);',
      '  }',
      '}',
    );
    const found = javaAdapter.debugLeftovers(await parseJava('src/main/java/p/A.java', text));
    assert.deepEqual(
      found.map((d) => [d.kind, d.startLine, d.endLine, d.removable]),
      [
        ['System.out.println', 4, 4, true],
        ['System.err.printf', 5, 5, false],
        ['System.out.print', 6, 6, false],
        ['printStackTrace', 8, 8, true],
        ['System.out.println', 10, 11, true],
      ],
    );
    assert.match(found[0].message, /`System\.out\.println`/);
  });

  it('a class with main prints on purpose, but its printStackTrace() is reported; tests are not reported', async () => {
    const text = lines(
      'package p;',
      'public class Tool {',
      '  public static void main(String[] args) {',
      '    System.out.println("usage");',
      '    try { run(); } catch (Exception e) { e.printStackTrace(); }',
      '  }',
      '}',
    );
    assert.deepEqual(javaAdapter.debugLeftovers(await parseJava('src/main/java/p/Tool.java', text)).map((d) => [d.kind, d.startLine]), [['printStackTrace', 5]]);
    const test = lines('package p;', 'class ATest {', '  void t() { System.out.println(1); }', '}');
    assert.deepEqual(javaAdapter.debugLeftovers(await parseJava('core/src/test/java/p/ATest.java', test)), []);
  });
});

describe('java enclosingDeclaration', () => {
  afterEach(freeTrees);

  it('the innermost method, constructor or type, named from the top-level type', async () => {
    const text = lines(
      'package p;',
      'public class Outer {',
      '  private int x;',
      '  public Outer() {',
      '    x = 1;',
      '  }',
      '  static class Inner {',
      '    void run() {',
      '      int y = 2;',
      '    }',
      '  }',
      '}',
    );
    const file = await parseJava('p/Outer.java', text);
    assert.deepEqual(javaAdapter.enclosingDeclaration(file, 9, 9), { name: 'Outer.Inner.run', kind: 'method', startLine: 8, endLine: 10 });
    assert.deepEqual(javaAdapter.enclosingDeclaration(file, 5, 5), { name: 'Outer.<init>', kind: 'constructor', startLine: 4, endLine: 6 });
    assert.deepEqual(javaAdapter.enclosingDeclaration(file, 3, 3), { name: 'Outer', kind: 'class', startLine: 2, endLine: 12 });
    assert.equal(javaAdapter.enclosingDeclaration(file, 1, 1), null);
  });
});
