import * as assert from 'node:assert/strict';
import { extractImports } from '../../../server/graph/baseGraph';
import { ImportGraph, type ResolvedImport } from '../../../server/graph/importGraph';
import { loadParsersFor } from '../../../server/languages/registry';

const imp = (file: string, resolvedPath: string | null, typeOnly = false, line = 1): ResolvedImport => ({ file, resolvedPath, typeOnly, line });

describe('import graph', () => {
  const graph = ImportGraph.fromImports(['lonely.ts'], [
    imp('b.ts', 'a.ts'),
    imp('c.ts', 'b.ts', true, 3),
    imp('c.ts', 'b.ts', true, 2),
    imp('d.ts', 'a.ts', true),
    imp('d.ts', 'a.ts', false, 9),
    imp('d.ts', null),
    imp('a.ts', 'a.ts'),
  ]);

  it('has every module and edge, sorted, with self-imports and unresolved imports left out', () => {
    assert.deepEqual(graph.files(), ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'lonely.ts']);
    assert.deepEqual(graph.edges().map((e) => `${e.from}>${e.to}`), ['b.ts>a.ts', 'c.ts>b.ts', 'd.ts>a.ts']);
  });

  it('marks an edge type-only only when every import along it is, at its first line', () => {
    assert.deepEqual(graph.importsOf('c.ts'), [{ from: 'c.ts', to: 'b.ts', typeOnly: true, line: 2 }]);
    assert.equal(graph.importsOf('d.ts')[0]!.typeOnly, false);
  });

  it('answers who depends on a module', () => {
    assert.deepEqual(graph.dependentsOf('a.ts').map((e) => e.from), ['b.ts', 'd.ts']);
    assert.deepEqual(graph.dependentsOf('c.ts'), []);
  });

  it('builds a base variant with some files importing something else, and added files gone', () => {
    const base = graph.withImportsReplaced(new Map([
      ['b.ts', [imp('b.ts', 'c.ts')]],
      ['d.ts', null],
    ]));
    assert.deepEqual(base.files(), ['a.ts', 'b.ts', 'c.ts', 'lonely.ts']);
    assert.deepEqual(base.edges().map((e) => `${e.from}>${e.to}`), ['b.ts>c.ts', 'c.ts>b.ts']);
    assert.deepEqual(base.dependentsOf('a.ts'), []);
    // The original is untouched.
    assert.deepEqual(graph.dependentsOf('a.ts').map((e) => e.from), ['b.ts', 'd.ts']);
  });

  it('extracts a base text\'s imports with the index\'s extractors, any language', async () => {
    await loadParsersFor(['a.py', 'a.go', 'A.java']);
    assert.deepEqual(extractImports('a.ts', "import type { X } from './x';\nimport y from './y';")!.map((i) => [i.specifier, i.typeOnly]), [['./x', true], ['./y', false]]);
    assert.ok(extractImports('pkg/a.py', 'from . import b\nimport os\n')!.length >= 2);
    assert.ok(extractImports('a.go', 'package a\nimport "example.com/m/b"\n')!.some((i) => i.specifier.includes('example.com/m/b')));
    assert.ok(extractImports('A.java', 'package p;\nimport q.B;\nclass A {}\n')!.some((i) => i.specifier.includes('q.B')));
    assert.equal(extractImports('README.md', '# hi'), null);
  });
});

describe('import graph: imports of a folder (a Go package)', () => {
  it('depends on every file of the folder but its tests', () => {
    const graph = ImportGraph.fromImports(['store/a.go', 'store/b.go', 'store/a_test.go', 'store/sub/c.go', 'cmd/main.go'], [
      { file: 'cmd/main.go', resolvedPath: 'store', typeOnly: false, line: 3 },
    ]);
    assert.deepEqual(graph.importsOf('cmd/main.go').map((e) => e.to), ['store/a.go', 'store/b.go']);
    assert.deepEqual(graph.dependentsOf('store/b.go').map((e) => e.from), ['cmd/main.go']);
    assert.equal(graph.has('store'), false);
  });
});
