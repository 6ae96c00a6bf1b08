import * as assert from 'node:assert/strict';
import type { ReviewDocument } from '../../shared/review';
import { runCliJson } from '../helpers/cli';
import { cleanupRepos, featureBranchRepo } from '../helpers/gitRepo';

function cyclesOfBranch(before: Record<string, string>, after: Record<string, string>) {
  const repo = featureBranchRepo(before, after);
  const { json, stderr } = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json']);
  assert.equal(json.run.status, 'ok', stderr);
  return json.findings.filter((finding) => finding.ruleId === 'import-cycle');
}

const chain = {
  'src/a.ts': "import { b } from './b';\n\nexport const a = () => b();\n",
  'src/b.ts': "import { c } from './c';\n\nexport function b() {\n  return c;\n}\n",
  'src/c.ts': 'export const c = 1;\n',
};

describe('import-cycle (CLI on real repositories)', () => {
  after(cleanupRepos);

  it('a branch that adds the import closing a cycle: one finding on it, the way round in related', () => {
    const found = cyclesOfBranch(chain, { 'src/c.ts': "import { a } from './a';\n\nexport const c = 1;\nexport const again = () => a();\n" });
    assert.equal(found.length, 1, JSON.stringify(found));
    const [finding] = found;
    assert.deepEqual([finding.file, finding.line, finding.column, finding.endColumn, finding.severity], ['src/c.ts', 1, 20, 23, 'warning']);
    assert.equal(finding.message, 'This import closes an import cycle: `src/c.ts` → `src/a.ts` → `src/b.ts` → `src/c.ts`.');
    assert.deepEqual(finding.related.map((place) => `${place.file}:${place.line} ${place.message}`), ['src/a.ts:1 imports `src/b.ts`', 'src/b.ts:1 imports `src/c.ts`']);
  });

  it('a cycle already on main, its modules edited by the branch: no finding', () => {
    const cyclic = { ...chain, 'src/c.ts': "import { a } from './a';\n\nexport const c = 1;\n" };
    const found = cyclesOfBranch(cyclic, {
      'src/c.ts': "import { a } from './a';\n\nexport const c = 2;\nexport const d = () => a();\n",
      'src/a.ts': "import { b } from './b';\n\nexport const a = () => b() + 1;\n",
    });
    assert.deepEqual(found, []);
  });

  it('a type-only import back: no finding (it is gone at run time)', () => {
    const found = cyclesOfBranch(chain, { 'src/c.ts': "import type { a } from './a';\n\nexport const c = 1;\nexport type A = typeof a;\n" });
    assert.deepEqual(found, []);
  });

  it('Python: a module that now imports its importer', () => {
    const found = cyclesOfBranch({
      'shop/__init__.py': '',
      'shop/cart.py': 'from shop.pricing import total\n\n\ndef checkout(items):\n    return total(items)\n',
      'shop/pricing.py': 'def total(items):\n    return sum(items)\n',
    }, {
      'shop/pricing.py': 'from shop.cart import checkout\n\n\ndef total(items):\n    return sum(items)\n',
    });
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].file, 'shop/pricing.py');
    assert.equal(found[0].line, 1);
    assert.match(found[0].message, /`shop\/pricing\.py` → `shop\/cart\.py` → `shop\/pricing\.py`/);
  });

  it('Go: a package that now imports the package importing it (the files of the cycle shown)', () => {
    const found = cyclesOfBranch({
      'go.mod': 'module example.com/m\n\ngo 1.21\n',
      'a/a.go': 'package a\n\nimport "example.com/m/b"\n\nfunc A() int { return b.B() }\n',
      'b/b.go': 'package b\n\nfunc B() int { return 1 }\n',
    }, {
      'b/b.go': 'package b\n\nimport "example.com/m/a"\n\nfunc B() int { return 1 }\n\nfunc C() int { return a.A() }\n',
    });
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.deepEqual([found[0].file, found[0].line, found[0].column, found[0].endColumn], ['b/b.go', 3, 9, 24]);
    assert.equal(found[0].message, 'This import closes an import cycle: `b/b.go` → `a/a.go` → `b/b.go`.');
    assert.deepEqual(found[0].related.map((place) => `${place.file}:${place.line}`), ['a/a.go:3']);
  });
});
