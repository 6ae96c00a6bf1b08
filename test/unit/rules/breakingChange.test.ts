import * as assert from 'node:assert/strict';
import type { RelatedLocation } from '../../../shared/review';
import type { DiffLine } from '../../../server/git/diffModel';
import type { ChangedFile, RuleFinding } from '../../../server/review/rule';
import { oldLineToNew } from '../../../server/git/lineMapping';
import { breakingChangeRule } from '../../../server/review/rules/breakingChange';

/** A modified file whose one hunk replaces every old line with every new one. */
function modified(path: string, oldText: string, newText: string | null, newPath: string | null = path): ChangedFile {
  const oldLines = oldText.split('\n');
  const newLines = newText?.split('\n') ?? [];
  const lines: DiffLine[] = [
    ...oldLines.map((text, i): DiffLine => ({ kind: 'del', text, oldLine: i + 1, newLine: null })),
    ...newLines.map((text, i): DiffLine => ({ kind: 'add', text, oldLine: null, newLine: i + 1 })),
  ];
  return {
    diff: {
      oldPath: path, newPath, status: newText === null ? 'deleted' : 'modified', oldMode: '100644', newMode: newText === null ? null : '100644',
      binary: false, submodule: false, similarity: null,
      hunks: [{ oldStart: 1, oldLines: oldLines.length, newStart: newLines.length ? 1 : 0, newLines: newLines.length, header: '', lines }],
    },
    path: newPath ?? path,
    newText,
    oldText,
    added: new Set(newLines.map((_, i) => i + 1)),
  };
}

async function check(oldText: string, newText: string | null, usages: RelatedLocation[] = []): Promise<RuleFinding[]> {
  return breakingChangeRule.run({ files: [modified('src/api.ts', oldText, newText)], workspace: { usagesOf: async () => usages } });
}

async function reasons(oldText: string, newText: string | null): Promise<string[]> {
  return (await check(oldText, newText)).map((f) => f.message);
}

describe('breaking-change rule', () => {
  describe('finds', () => {
    const cases: Array<[string, string, string | null, RegExp]> = [
      ['a removed export', 'export function a() {}\nexport function b() {}', 'export function b() {}', /`a` was removed/],
      ['an export made private', 'export function a() {}', 'function a() {}', /`a` is no longer exported/],
      ['a renamed export', 'export function parse(s: string): number { return 1; }', 'export function parseInput(s: string): number { return 1; }', /renamed to `parseInput`/],
      ['a required parameter added', 'export function f(a: string) {}', 'export function f(a: string, b: number) {}', /required parameter `b` was added/],
      ['a parameter removed', 'export function f(a: string, b: number) {}', 'export function f(a: string) {}', /parameter `b` was removed/],
      ['a parameter type changed', 'export function f(a: string) {}', 'export function f(a: number) {}', /`a` changed type from `string` to `number`/],
      ['an optional parameter made required', 'export function f(a?: string) {}', 'export function f(a: string) {}', /`a` is now required/],
      ['a return type changed', 'export function f(): string { return ""; }', 'export function f(): number { return 1; }', /return type changed from `string` to `number`/],
      ['a return type widened', 'export function f(): string { return ""; }', 'export function f(): string | undefined { return ""; }', /return type changed/],
      ['a required interface member added', 'export interface O { a: string }', 'export interface O { a: string; b: number }', /required member `b` was added/],
      ['an interface member removed', 'export interface O { a: string; b?: number }', 'export interface O { a: string }', /member `b` was removed/],
      ['a type literal member retyped', 'export type O = { a: string }', 'export type O = { a: number }', /member `a` changed type/],
      ['an exported const retyped', 'export const limit: number = 1;', 'export const limit: string = "1";', /changed type from `number` to `string`/],
      ['an arrow function const gaining a parameter', 'export const f = (a: string) => a;', 'export const f = (a: string, b: string) => a + b;', /required parameter `b`/],
      ['a class constructor gaining a parameter', 'export class C { constructor(a: string) {} }', 'export class C { constructor(a: string, b: number) {} }', /required parameter `b`/],
      ['a public method removed', 'export class C { run() {} stop() {} }', 'export class C { run() {} }', /member `stop` was removed/],
      ['an enum member removed', 'export enum E { A, B }', 'export enum E { A }', /member `B` was removed/],
      ['the default export removed', 'export default function main() {}', 'export function main() {}', /default export/],
      ['an inferred return type changed', 'export function f() { return 1; }', 'export function f() { return "one"; }', /inferred return type changed from `number` to `string`/],
      ['a literal const changing kind, read from the syntax', 'export const limit = 1;', "export const limit = 'one';", /changed type from `number` to `string`/],
      ['an inferred const type changed', 'export const config = { retries: 3 };', 'export const config = { retries: "3" };', /changed type/],
      ['a re-export removed', "export { a } from './a';\nexport { b } from './b';", "export { b } from './b';", /re-export `a` was removed/],
      ['an export-all removed', "export * from './a';", 'export const x = 1;', /export \* from '.\/a'/],
      ['a deleted module', 'export function gone() {}', null, /`gone` was removed/],
    ];
    for (const [name, oldText, newText, expected] of cases) {
      it(name, async () => {
        const messages = await reasons(oldText, newText);
        assert.ok(messages.some((m) => expected.test(m)), `expected ${expected} in ${JSON.stringify(messages)}`);
      });
    }
  });

  describe('does not report', () => {
    const cases: Array<[string, string, string]> = [
      ['an optional parameter added', 'export function f(a: string) {}', 'export function f(a: string, b?: number) {}'],
      ['a defaulted parameter added', 'export function f(a: string) {}', 'export function f(a: string, b = 2) {}'],
      ['a parameter type widened', 'export function f(a: string) {}', 'export function f(a: string | number) {}'],
      ['a return type narrowed', 'export function f(): string | null { return ""; }', 'export function f(): string { return ""; }'],
      ['a body-only change', 'export function f(a: number): number { return a + 1; }', 'export function f(a: number): number { return a + 2; }'],
      ['a new export', 'export function f() {}', 'export function f() {}\nexport function g() {}'],
      ['a change to a private helper', 'function helper(a: string) {}\nexport const x = 1;', 'function helper(a: number, b: string) {}\nexport const x = 1;'],
      ['an optional interface member added', 'export interface O { a: string }', 'export interface O { a: string; b?: number }'],
      ['a private class member removed', 'export class C { private x = 1; run() {} }', 'export class C { run() {} }'],
      ['formatting only', 'export function f(a:string,b:number){}', 'export function f(\n  a: string,\n  b: number,\n) {}'],
      ['a const whose value (not type) changed', 'export const limit = 10;', 'export const limit = 20;'],
      ['an inferred return type unchanged by a body change', 'export function f() { return 1; }', 'export function f() { return 2 + 3; }'],
      ['a rest parameter added', 'export function f(a: string) {}', 'export function f(a: string, ...more: string[]) {}'],
    ];
    for (const [name, oldText, newText] of cases) {
      it(name, async () => assert.deepEqual(await reasons(oldText, newText), []));
    }
  });

  it('is an error with the uses listed when the workspace uses the symbol, a warning otherwise', async () => {
    const uses = [{ file: 'src/main.ts', line: 3, message: 'calls `f`' }];
    const [used] = await check('export function f(a: string) {}', 'export function f(a: string, b: number) {}', uses);
    assert.equal(used.severity, 'error');
    assert.deepEqual(used.related, uses);
    assert.equal(used.symbol, 'f');
    assert.equal(used.line, 1);
    const [unused] = await check('export function f(a: string) {}', 'export function f(a: string, b: number) {}');
    assert.equal(unused.severity, 'warning');
  });

  it('maps a deleted line to where it stood in the new version', () => {
    const file = modified('a.ts', 'one\ntwo\nthree', 'one\nthree');
    assert.equal(oldLineToNew(file.diff, 2), 1);
    const shifted = { ...file.diff, hunks: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 3, header: '', lines: [] }] };
    assert.equal(oldLineToNew(shifted, 10), 12);
  });
});
