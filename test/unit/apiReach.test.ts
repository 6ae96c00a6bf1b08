import * as assert from 'node:assert/strict';
import { ts } from 'ts-morph';
import { apiSurelyUnchanged, ExportReach } from '../../server/review/compatibility/apiReach';

const parse = (text: string, name = 'm.ts') => ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);

/** The exports that the statements declaring `names` reach. */
function reached(text: string, names: string[]): string[] | '*' {
  const source = parse(text);
  const seeds = source.statements.filter((statement) => names.some((name) => new RegExp(`\\b(function|interface|type|const|class|import)\\b[^\\n]*\\b${name}\\b`).test(statement.getText(source))));
  const result = new ExportReach(source).reach(seeds);
  return result === '*' ? '*' : [...result].sort();
}

describe('what of a module\'s API a change reaches (apiReach.ts)', () => {
  it('an edit to a local type reaches the exports that name it, however indirectly', () => {
    const text = 'interface Options { a: string }\ntype Wrapped = { options: Options };\nexport function make(w: Wrapped): void {}\nexport function other(): number { return 1; }';
    assert.deepEqual(reached(text, ['Options']), ['make']);
  });
  it('a private helper reaches the exports whose inferred type comes from it, and a local export list', () => {
    assert.deepEqual(reached('function helper() { return 1; }\nexport const value = helper();\nexport const plain = 2;', ['helper']), ['value']);
    assert.deepEqual(reached('function run() {}\nexport { run as start };', ['run']), ['start']);
  });
  it('an import reaches the exports that use what it binds', () => {
    assert.deepEqual(reached("import { Shape } from './shape';\nexport function area(s: Shape): number { return 0; }\nexport const n = 1;", ['Shape']), ['area']);
  });
  it('a statement that exports what cannot be named reaches everything', () => {
    assert.equal(reached('function f() {}\nexport = f;', ['f']), '*');
  });

  describe('a change the text proves leaves the API alone', () => {
    const cases: Array<[string, string, string, boolean]> = [
      ['an edit inside an annotated function', 'export function f(a: string): number { return 1; }', 'export function f(a: string): number { return 2; }', true],
      ['a private helper no export names', 'function h() { return 1; }\nexport function f(): void {}', 'function h() { return "x"; }\nexport function f(): void {}', true],
      ['an edit inside an unannotated function (its type is inferred)', 'export function f() { return 1; }', 'export function f() { return "1"; }', false],
      ['a local type an export names', 'type T = string;\nexport function f(a: T): void {}', 'type T = number;\nexport function f(a: T): void {}', false],
      ['an export added', 'export const a = 1;', 'export const a = 1;\nexport const b = 2;', false],
      ['a re-export (its source may have changed)', "export { a } from './a';\nfunction h() {}", "export { a } from './a';\nfunction h() { return 1; }", false],
      ['an exported enum (a value may be computed)', 'export enum E { A = 1 }\nfunction h() {}', 'export enum E { A = 1 }\nfunction h() { return 1; }', false],
      ['an augmentation', "declare module 'x' { interface I {} }\nfunction h() {}", "declare module 'x' { interface I {} }\nfunction h() { return 1; }", false],
    ];
    for (const [name, before, after, expected] of cases) {
      it(`${name}: ${expected ? 'unchanged' : 'maybe changed'}`, () => assert.equal(apiSurelyUnchanged(parse(before), parse(after)), expected));
    }
    it('a declaration file is never proved unchanged', () => assert.equal(apiSurelyUnchanged(parse('export declare const a: 1;', 'm.d.ts'), parse('export declare const a: 1;\n', 'm.d.ts')), false));
  });
});
