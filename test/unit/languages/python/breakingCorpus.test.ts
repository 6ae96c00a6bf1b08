import * as assert from 'node:assert/strict';
import { pythonAdapter } from '../../../../server/languages/python/adapter';
import { breakingCorpus } from './breakingCorpus';
import { freeTrees, parse } from './parse';

/** What a case expects, as `name` or `name.member`. */
const keysOf = (breaks: Array<{ name: string; member: string | null }>) => [...new Set(breaks.map((b) => (b.member ? `${b.name}.${b.member}` : b.name)))].sort();

describe('python breaking-change corpus', () => {
  after(freeTrees);

  for (const testCase of breakingCorpus) {
    it(`${testCase.breaks.length > 0 ? 'finds' : 'does not find'}: ${testCase.title}`, async () => {
      const path = testCase.path ?? 'm.py';
      const before = pythonAdapter.readApi([await parse(path, testCase.old)]);
      const after = pythonAdapter.readApi([await parse(path, testCase.new)]);
      const breaks = pythonAdapter.compare(before, after);
      assert.deepEqual(keysOf(breaks), [...testCase.breaks].sort(), breaks.map((b) => b.message).join('\n'));
      for (const b of breaks) {
        assert.match(b.message, /`/);
        assert.ok(b.at.line >= 1 && b.at.endLine >= b.at.line);
      }
    });
  }

  it('has at least 40 cases of both kinds, and reports its figures', async () => {
    let mustFind = 0;
    let found = 0;
    let mustNotFind = 0;
    let silent = 0;
    for (const testCase of breakingCorpus) {
      const path = testCase.path ?? 'm.py';
      const breaks = pythonAdapter.compare(pythonAdapter.readApi([await parse(path, testCase.old)]), pythonAdapter.readApi([await parse(path, testCase.new)]));
      if (testCase.breaks.length > 0) {
        mustFind++;
        if (testCase.breaks.every((k) => keysOf(breaks).includes(k))) found++;
      } else {
        mustNotFind++;
        if (breaks.length === 0) silent++;
      }
    }
    assert.ok(breakingCorpus.length >= 40);
    assert.ok(mustFind >= 20 && mustNotFind >= 20);
    console.log(`      python corpus: must-find ${found}/${mustFind} found, must-not-find ${silent}/${mustNotFind} silent`);
  });
});

describe('python API of test modules', () => {
  after(freeTrees);

  it('is empty: pytest collects them, nobody imports them', async () => {
    for (const path of ['tests/test_io.py', 'pkg/io_test.py', 'conftest.py']) {
      assert.deepEqual(pythonAdapter.readApi([await parse(path, 'def test_read(tmp_path):\n    pass\n')]).declarations, [], path);
    }
    assert.equal(pythonAdapter.readApi([await parse('pkg/testing.py', 'def helper(): pass\n')]).declarations.length, 1);
  });
});
