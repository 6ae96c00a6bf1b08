import * as assert from 'node:assert/strict';
import type { ChangedModule } from '../../../shared/impact';
import type { DiffFile } from '../../../server/git/diffModel';
import { changedExports, reachOf } from '../../../server/graph/impact';
import { ImportGraph, type ResolvedImport } from '../../../server/graph/importGraph';

const imp = (file: string, resolvedPath: string): ResolvedImport => ({ file, resolvedPath, typeOnly: false, line: 1 });
const changed = (file: string, status: ChangedModule['status'] = 'modified'): ChangedModule => ({ file, status, symbols: [], language: 'typescript' });

describe('impact: dependents by breadth-first search', () => {
  // core ← a ← b ← c ← d ← e.test; core ← z.test; a ← b2 (a second route to b's level)
  const graph = ImportGraph.fromImports([], [
    imp('a.ts', 'core.ts'), imp('b.ts', 'a.ts'), imp('b2.ts', 'a.ts'), imp('c.ts', 'b.ts'), imp('c.ts', 'b2.ts'),
    imp('d.ts', 'c.ts'), imp('e.test.ts', 'd.ts'), imp('z.test.ts', 'core.ts'),
  ]);

  it('lists dependents nearest first, each with its chain of imports from the change', () => {
    const reach = reachOf(graph, [changed('core.ts')], { depth: 3 });
    assert.deepEqual(reach.dependents.map((d) => [d.file, d.depth]), [['a.ts', 1], ['z.test.ts', 1], ['b.ts', 2], ['b2.ts', 2], ['c.ts', 3]]);
    assert.deepEqual(reach.dependents.find((d) => d.file === 'c.ts')!.path, ['core.ts', 'a.ts', 'b.ts', 'c.ts']);
    assert.equal(reach.dependents.find((d) => d.file === 'z.test.ts')!.test, true);
    assert.equal(reach.truncated, true);
  });

  it('follows tests past the depth (a test five imports away still runs the change)', () => {
    const reach = reachOf(graph, [changed('core.ts')], { depth: 1 });
    assert.deepEqual(reach.dependents.map((d) => d.file), ['a.ts', 'z.test.ts']);
    assert.deepEqual(reach.tests, ['e.test.ts', 'z.test.ts']);
  });

  it('is not truncated when nothing lies past the depth, and counts changed tests', () => {
    const reach = reachOf(graph, [changed('d.ts'), changed('spec/x.spec.ts', 'added')], { depth: 3 });
    assert.deepEqual(reach.dependents.map((d) => d.file), ['e.test.ts']);
    assert.equal(reach.truncated, false);
    assert.deepEqual(reach.tests, ['e.test.ts', 'spec/x.spec.ts']);
  });

  it('leaves changed modules out of the dependents and depth 0 lists none', () => {
    assert.deepEqual(reachOf(graph, [changed('core.ts'), changed('a.ts')], { depth: 1 }).dependents.map((d) => d.file), ['b.ts', 'b2.ts', 'z.test.ts']);
    const none = reachOf(graph, [changed('core.ts')], { depth: 0 });
    assert.deepEqual(none.dependents, []);
    assert.equal(none.truncated, true);
  });

  it('ends on a cycle', () => {
    const cyclic = ImportGraph.fromImports([], [imp('a.ts', 'b.ts'), imp('b.ts', 'a.ts')]);
    assert.deepEqual(reachOf(cyclic, [changed('a.ts')], { depth: 10 }).dependents.map((d) => d.file), ['b.ts']);
  });

  it('carries the broken lines given, sorted', () => {
    const reach = reachOf(graph, [changed('core.ts')], { depth: 1, brokenLines: new Map([['a.ts', [9, 2]]]) });
    assert.deepEqual(reach.dependents[0]!.brokenLines, [2, 9]);
  });
});

describe('impact: changed exports', () => {
  const symbols = [
    { name: 'first', exported: true, startLine: 1, endLine: 3 },
    { name: 'hidden', exported: false, startLine: 5, endLine: 6 },
    { name: 'second', exported: true, startLine: 8, endLine: 12 },
  ];
  const file = (status: DiffFile['status'], lines: DiffFile['hunks'][number]['lines'], newStart = 1): DiffFile => ({
    oldPath: 'a.ts', newPath: 'a.ts', status, oldMode: null, newMode: null, binary: false, submodule: false, similarity: null,
    hunks: [{ oldStart: newStart, oldLines: 0, newStart, newLines: 0, header: '', lines }],
  });

  it('names the exports an added line falls in, not the private ones', () => {
    assert.deepEqual(changedExports(file('modified', [{ kind: 'add', text: '', oldLine: null, newLine: 2 }, { kind: 'add', text: '', oldLine: null, newLine: 5 }]), symbols), ['first']);
  });

  it('names an export a deleted line was inside of', () => {
    const lines = [{ kind: 'context' as const, text: '', oldLine: 9, newLine: 9 }, { kind: 'del' as const, text: '', oldLine: 10, newLine: null }, { kind: 'context' as const, text: '', oldLine: 11, newLine: 10 }];
    assert.deepEqual(changedExports(file('modified', lines, 9), symbols), ['second']);
  });

  it('names every export of an added file and none of a deleted one', () => {
    assert.deepEqual(changedExports(file('added', []), symbols), ['first', 'second']);
    assert.deepEqual(changedExports(file('deleted', []), symbols), []);
  });
});
