import * as assert from 'node:assert/strict';
import { apiDigestOfText, dependentsFingerprint, type DependentSources } from '../../server/review/dependentUses';
import type { StoredImport } from '../../server/store/indexStore';

/** A workspace of texts; imports are given as the index would store them. */
function workspace(texts: Record<string, string>, imports: Array<Partial<StoredImport> & Pick<StoredImport, 'file' | 'resolvedPath'>>): DependentSources {
  const rows: StoredImport[] = imports.map((row, id) => ({
    id, kind: 'import', specifier: './api', line: 1, typeOnly: false, namespace: null, defaultName: null, bindings: [], ...row,
  }));
  return {
    importsIn: (file) => rows.filter((row) => row.file === file),
    importsOf: (file) => rows.filter((row) => row.resolvedPath === file),
    hashOf: (file) => (file in texts ? `#${texts[file].length}` : ''),
    textOf: (file) => texts[file] ?? null,
  };
}

const named = (file: string, ...names: string[]) => ({ file, resolvedPath: 'api.ts', bindings: names.map((name) => ({ imported: name, local: name })) });

describe('the dependents part of the cache key', () => {
  const main = "import { parse, format } from './api';\nexport const n = parse('a');\nexport const f = format(1);\n";

  it('a dependent edited elsewhere leaves it alone', () => {
    const before = dependentsFingerprint('api.ts', ['parse'], workspace({ 'main.ts': main }, [named('main.ts', 'parse', 'format')]));
    const edited = `${main}export const unrelated = 42;\n// a comment\n`;
    assert.equal(dependentsFingerprint('api.ts', ['parse'], workspace({ 'main.ts': edited }, [named('main.ts', 'parse', 'format')])), before);
    // A use of another export of the module is elsewhere too, for a hunk that changed only `parse`.
    const otherUse = main.replace('format(1)', 'format(2)');
    assert.equal(dependentsFingerprint('api.ts', ['parse'], workspace({ 'main.ts': otherUse }, [named('main.ts', 'parse', 'format')])), before);
  });

  it('a new use, a changed use and a new importer change it', () => {
    const key = (texts: Record<string, string>, rows = [named('main.ts', 'parse', 'format')]) => dependentsFingerprint('api.ts', ['parse'], workspace(texts, rows));
    const before = key({ 'main.ts': main });
    assert.notEqual(key({ 'main.ts': `${main}export const m = parse('a');\n` }), before, 'a second, identical use');
    assert.notEqual(key({ 'main.ts': main.replace("parse('a')", "parse('a', 2)") }), before, 'a changed use');
    assert.notEqual(key({ 'main.ts': main, 'other.ts': "import { parse } from './api';\nparse('b');\n" }, [named('main.ts', 'parse', 'format'), named('other.ts', 'parse')]), before, 'a new importer');
  });

  it('follows namespace imports, default imports and re-exports', () => {
    const ns = "import * as api from './api';\nconsole.log(api.parse('x'));\nconsole.log(api.format(1));\n";
    const nsKey = (text: string) => dependentsFingerprint('api.ts', ['parse'], workspace({ 'ns.ts': text }, [{ file: 'ns.ts', resolvedPath: 'api.ts', namespace: 'api' }]));
    assert.equal(nsKey(ns.replace('format(1)', 'format(2)')), nsKey(ns));
    assert.notEqual(nsKey(ns.replace("api.parse('x')", "api.parse('y')")), nsKey(ns));
    assert.notEqual(nsKey(`${ns}use(api);\n`), nsKey(ns), 'the namespace passed on whole may reach anything');

    const reexport = { file: 'index.ts', resolvedPath: 'api.ts', kind: 'reexport' as const, bindings: [{ imported: 'parse', local: 'read' }] };
    const viaIndex = (text: string) => dependentsFingerprint('api.ts', ['parse'], workspace({ 'index.ts': "export { parse as read } from './api';\n", 'app.ts': text }, [
      reexport, { file: 'app.ts', resolvedPath: 'index.ts', bindings: [{ imported: 'read', local: 'read' }] },
    ]));
    assert.notEqual(viaIndex("import { read } from '.';\nread('b');\n"), viaIndex("import { read } from '.';\nread('a');\n"));
    assert.equal(viaIndex("import { read } from '.';\nread('a');\nconst x = 1;\n"), viaIndex("import { read } from '.';\nread('a');\n"));

    const withDefault = (text: string) => dependentsFingerprint('api.ts', ['default'], workspace({ 'd.ts': text }, [{ file: 'd.ts', resolvedPath: 'api.ts', defaultName: 'Api' }]));
    assert.notEqual(withDefault('new Api(1);\n'), withDefault('new Api(2);\n'));
    assert.equal(withDefault('new Api(1);\nconst y = 2;\n'), withDefault('new Api(1);\nconst y = 3;\n'));
  });

  it('exports it cannot name make every dependent count whole; the module\'s own imports always count', () => {
    const unnamed = (text: string) => dependentsFingerprint('api.ts', null, workspace({ 'main.ts': text }, [named('main.ts', 'parse')]));
    assert.notEqual(unnamed(`${main}// elsewhere\n`), unnamed(main));
    const imported = (types: string) => dependentsFingerprint('api.ts', ['parse'], workspace({ 'types.ts': types, 'main.ts': main }, [
      { file: 'api.ts', resolvedPath: 'types.ts' }, named('main.ts', 'parse'),
    ]));
    assert.notEqual(imported('export type A = string;\n'), imported('export type A = number | string;\n'));
  });

  it('an imported module counts by its API: a body its declared type makes irrelevant does not count', () => {
    const digests = new Map<string, string>();
    const memo = { get: (key: string) => digests.get(key), put: (key: string, digest: string) => void digests.set(key, digest) };
    const key = (types: string) => {
      const sources = workspace({ 'types.ts': types, 'main.ts': main }, [{ file: 'api.ts', resolvedPath: 'types.ts' }, named('main.ts', 'parse')]);
      return dependentsFingerprint('api.ts', ['parse'], { ...sources, apiDigestOf: (file) => apiDigestOfText(file, sources.textOf(file), memo) });
    };
    const annotated = 'export function size(text: string): number {\n  return text.length;\n}\n';
    assert.equal(key(annotated.replace('text.length', 'text.trim().length')), key(annotated), 'an edit inside an annotated body');
    assert.notEqual(key(annotated.replace('): number', '): string')), key(annotated), 'a declared type');
    const inferred = 'export function size(text: string) {\n  return text.length;\n}\n';
    assert.notEqual(key(inferred.replace('text.length', 'String(text.length)')), key(inferred), 'a body the return type is inferred from');
    assert.ok(![...digests.values()].some((value) => value.includes('size')), 'digests, not code');
  });

  it('a fingerprint whose dependents are known by hash is not computed again: no dependent is read', () => {
    const memo = new Map<string, string>();
    const reads: string[] = [];
    const sources = (text: string): DependentSources => {
      const base = workspace({ 'main.ts': text }, [named('main.ts', 'parse')]);
      return { ...base, textOf: (file) => (reads.push(file), base.textOf(file)), memo: { get: (key) => memo.get(key), put: (key, value) => void memo.set(key, value) } };
    };
    const first = dependentsFingerprint('api.ts', ['parse'], sources(main));
    assert.deepEqual(reads, ['main.ts']);
    assert.equal(dependentsFingerprint('api.ts', ['parse'], sources(main)), first);
    assert.deepEqual(reads, ['main.ts'], 'served from the memo');
    const changed = `${main}export const again = parse('b');\n`;
    assert.notEqual(dependentsFingerprint('api.ts', ['parse'], sources(changed)), first, 'a dependent whose hash changed is read again');
    assert.deepEqual(reads, ['main.ts', 'main.ts']);
    assert.ok(![...memo.values()].some((value) => value.includes('parse')), 'no code kept in the memo');
  });
});
