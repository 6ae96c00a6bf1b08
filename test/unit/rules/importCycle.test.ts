import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { extractImports } from '../../../server/graph/baseGraph';
import { ImportGraph, type ResolvedImport } from '../../../server/graph/importGraph';
import { importCycleRule } from '../../../server/review/rules/importCycle';
import type { ChangedFile } from '../../../server/review/rule';
import { changedFile } from '../../helpers/changedFile';

/**
 * The rule over a work tree of `files` (path → text) whose graph the index would
 * hold, relative specifiers resolved to the `.ts` files among them.
 */
function runOver(files: Record<string, string>, change: ChangedFile[]) {
  const paths = new Set(Object.keys(files));
  const resolverIncluding = (extraPath: string) => (importer: string, specifier: string): string | null => {
    if (!specifier.startsWith('.')) return null;
    const target = `${path.posix.join(path.posix.dirname(importer), specifier)}.ts`;
    return paths.has(target) || target === extraPath ? target : null;
  };
  const imports: ResolvedImport[] = Object.entries(files).flatMap(([file, text]) =>
    (extractImports(file, text) ?? []).map((i) => ({ file, resolvedPath: resolverIncluding(file)(file, i.specifier), typeOnly: i.typeOnly, line: i.line })),
  );
  return importCycleRule.run({
    files: change,
    allFiles: change,
    workspace: { usagesOf: async () => [], importGraph: { current: () => ImportGraph.fromImports(paths, imports), resolverIncluding } },
  });
}

const A = "import { b } from './b';\nexport const a = () => b;\n";
const B = "import { c } from './c';\nexport const b = () => c;\n";

describe('import-cycle rule', () => {
  it('reports the import that closes a new cycle, on its specifier, with the way round in related', async () => {
    const C = "export const c = 1;\nimport { a } from './a';\nexport const d = a;\n";
    const found = await runOver({ 'src/a.ts': A, 'src/b.ts': B, 'src/c.ts': C }, [changedFile('src/c.ts', C, [2, 3])]);
    assert.equal(found.length, 1);
    const [finding] = found;
    assert.equal(finding.ruleId, 'import-cycle');
    assert.equal(finding.severity, 'warning');
    assert.deepEqual([finding.file, finding.line, finding.column, finding.endColumn], ['src/c.ts', 2, 20, 23]);
    assert.equal(finding.message, 'This import closes an import cycle: `src/c.ts` → `src/a.ts` → `src/b.ts` → `src/c.ts`.');
    assert.deepEqual(finding.related, [
      { file: 'src/a.ts', line: 1, message: 'imports `src/b.ts`' },
      { file: 'src/b.ts', line: 1, message: 'imports `src/c.ts`' },
    ]);
    assert.equal(finding.fingerprint, ['src/a.ts', 'src/b.ts', 'src/c.ts'].join('\u0000'));
  });

  it('keeps its fingerprint (the modules of the cycle) when the closing import moves', async () => {
    const C = "import { a } from './a';\nexport const c = 1;\n";
    const first = await runOver({ 'src/a.ts': A, 'src/b.ts': B, 'src/c.ts': C }, [changedFile('src/c.ts', C, [1])]);
    const moved = "export const c = 1;\n\nimport { a } from './a';\n";
    const second = await runOver({ 'src/a.ts': A, 'src/b.ts': B, 'src/c.ts': moved }, [changedFile('src/c.ts', moved, [3])]);
    assert.equal(first[0].fingerprint, second[0].fingerprint);
  });

  it('does not report a cycle the base already had, though the change edits its modules', async () => {
    const C = "import { a } from './a';\nexport const c = 2;\nexport const e = 3;\n";
    const found = await runOver({ 'src/a.ts': A, 'src/b.ts': B, 'src/c.ts': C }, [changedFile('src/c.ts', C, [2, 3])]);
    assert.deepEqual(found, []);
  });

  it('reports a new cycle that the change grows out of an old one', async () => {
    // a ⇄ b on the base; the change makes b import c, and c import a: a → b → c → a is new.
    const twoWayA = "import { b } from './b';\nexport const a = b;\n";
    const newB = "import { a } from './a';\nimport { c } from './c';\nexport const b = 1;\n";
    const C = "import { a } from './a';\nexport const c = a;\n";
    const found = await runOver({ 'src/a.ts': twoWayA, 'src/b.ts': newB, 'src/c.ts': C }, [changedFile('src/b.ts', newB, [2]), changedFile('src/c.ts', C)]);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /closes an import cycle/);
  });

  it('does not count type-only imports: they vanish at run time', async () => {
    const C = "import type { a } from './a';\nexport type D = typeof a;\nexport const c = 1;\n";
    const found = await runOver({ 'src/a.ts': A, 'src/b.ts': B, 'src/c.ts': C }, [changedFile('src/c.ts', C, [1, 2])]);
    assert.deepEqual(found, []);
  });

  it('reports a module that now imports itself', async () => {
    const D = "export const d = 1;\nimport './d';\n";
    const found = await runOver({ 'src/d.ts': D }, [changedFile('src/d.ts', D, [2])]);
    assert.equal(found.length, 1);
    assert.equal(found[0].message, 'This import makes a module import itself: `src/d.ts` imports itself.');
    assert.deepEqual([found[0].line, found[0].column, found[0].endColumn], [2, 9, 12]);
  });

  it('reports nothing without the index\'s graph', async () => {
    const found = await importCycleRule.run({ files: [changedFile('src/a.ts', A)], workspace: { usagesOf: async () => [] } });
    assert.deepEqual(found, []);
  });
});
