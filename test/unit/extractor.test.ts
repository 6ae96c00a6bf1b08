import * as assert from 'node:assert/strict';
import { extractFile } from '../../server/index/extractor';

describe('extractor', () => {
  it('extracts top-level declarations with kind, export flags, lines and signature heads', () => {
    const { symbols } = extractFile('src/a.ts', [
      'export function add(a: number, b = 2): number {',
      '  return a + b;',
      '}',
      'function helper() {}',
      'export default class Store extends Base implements I {',
      '  x = 1;',
      '}',
      'export interface Options { verbose?: boolean }',
      'export type Id = string | number;',
      'export enum Mode { A, B }',
      'export const handler = async (event: Event): Promise<void> => { await run(event); };',
      'let a = 1, { b, c: [d] } = obj;',
      'export declare namespace NS { const x: number }',
    ].join('\n'));
    const byName = new Map(symbols.map((s) => [s.name, s]));
    assert.deepEqual(
      { ...byName.get('add') },
      { name: 'add', kind: 'function', exported: true, isDefault: false, startLine: 1, endLine: 3, signature: 'export function add(a: number, b = 2): number' },
    );
    assert.equal(byName.get('helper')?.exported, false);
    assert.equal(byName.get('Store')?.isDefault, true);
    assert.equal(byName.get('Store')?.signature, 'export default class Store extends Base implements I');
    assert.equal(byName.get('Options')?.kind, 'interface');
    assert.equal(byName.get('Id')?.kind, 'type');
    assert.equal(byName.get('Mode')?.kind, 'enum');
    assert.equal(byName.get('handler')?.signature, 'const handler = async (event: Event): Promise<void> =>');
    assert.deepEqual(['a', 'b', 'd'].map((n) => byName.get(n)?.kind), ['variable', 'variable', 'variable']);
    assert.equal(byName.get('NS')?.kind, 'namespace');
  });

  it('records export lists, default expressions and CommonJS exports', () => {
    const { symbols } = extractFile('src/b.js', ['const x = 1;', 'export { x as y, x };', 'export default x;', 'exports.run = function (a) {};', 'module.exports.stop = () => {};'].join('\n'));
    const names = symbols.filter((s) => s.exported).map((s) => `${s.kind}:${s.name}`);
    assert.deepEqual(names, ['alias:y', 'alias:x', 'default:default', 'variable:run', 'variable:stop']);
  });

  it('extracts every kind of import and re-export', () => {
    const { imports } = extractFile('src/c.ts', [
      "import def, { a, b as c } from './a';",
      "import * as ns from '../lib';",
      "import type { T } from './types';",
      "import './side-effect';",
      "export * from './all';",
      "export * as grouped from './grouped';",
      "export { x, y as z } from './xy';",
      "import fs = require('fs');",
      'async function load() {',
      "  const lazy = await import('./lazy');",
      "  const { parse, format: fmt } = require('./util');",
      "  return import('./other');",
      '}',
      "const notAnImport = 'require(\"./nope\")';",
    ].join('\n'));
    const summary = imports.map((i) => ({ kind: i.kind, specifier: i.specifier, line: i.line, namespace: i.namespace, defaultName: i.defaultName, bindings: i.bindings, typeOnly: i.typeOnly }));
    assert.deepEqual(summary, [
      { kind: 'import', specifier: './a', line: 1, namespace: null, defaultName: 'def', bindings: [{ imported: 'a', local: 'a' }, { imported: 'b', local: 'c' }], typeOnly: false },
      { kind: 'import', specifier: '../lib', line: 2, namespace: 'ns', defaultName: null, bindings: [], typeOnly: false },
      { kind: 'import', specifier: './types', line: 3, namespace: null, defaultName: null, bindings: [{ imported: 'T', local: 'T' }], typeOnly: true },
      { kind: 'import', specifier: './side-effect', line: 4, namespace: null, defaultName: null, bindings: [], typeOnly: false },
      { kind: 'export-all', specifier: './all', line: 5, namespace: null, defaultName: null, bindings: [], typeOnly: false },
      { kind: 'reexport', specifier: './grouped', line: 6, namespace: 'grouped', defaultName: null, bindings: [], typeOnly: false },
      { kind: 'reexport', specifier: './xy', line: 7, namespace: null, defaultName: null, bindings: [{ imported: 'x', local: 'x' }, { imported: 'y', local: 'z' }], typeOnly: false },
      { kind: 'require', specifier: 'fs', line: 8, namespace: 'fs', defaultName: null, bindings: [], typeOnly: false },
      { kind: 'dynamic', specifier: './lazy', line: 10, namespace: 'lazy', defaultName: null, bindings: [], typeOnly: false },
      { kind: 'require', specifier: './util', line: 11, namespace: null, defaultName: null, bindings: [{ imported: 'parse', local: 'parse' }, { imported: 'format', local: 'fmt' }], typeOnly: false },
      { kind: 'dynamic', specifier: './other', line: 12, namespace: null, defaultName: null, bindings: [], typeOnly: false },
    ]);
  });

  it('parses TSX and JSX by extension', () => {
    const { symbols } = extractFile('src/view.tsx', 'export const View = (p: { n: number }) => <div>{p.n}</div>;\n');
    assert.equal(symbols[0]?.name, 'View');
  });

  it('ignores require and import() whose argument is not a literal', () => {
    const { imports } = extractFile('src/d.js', 'const m = require(name);\nimport(`./${x}`);\n');
    assert.deepEqual(imports, []);
  });
});
