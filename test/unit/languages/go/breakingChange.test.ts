import * as assert from 'node:assert/strict';
import { goAdapter } from '../../../../server/languages/go/adapter';
import type { ApiBreak, UnitApi } from '../../../../server/languages/model';
import { GO_CORPUS, type Version } from './breakingChangeCorpus';
import { freeTrees, parseGo } from './helpers';

async function apiOf(version: Version): Promise<UnitApi> {
  const files = typeof version === 'string' ? { 'p.go': version } : version;
  const parsed = await Promise.all(Object.entries(files).map(([name, text]) => parseGo(`p/${name}`, `package p\n\n${text}\n`)));
  return goAdapter.readApi(parsed);
}

const keyOf = (b: ApiBreak) => (b.member ? `${b.name}.${b.member}` : b.name);

describe('Go breaking changes: the corpus', () => {
  afterEach(freeTrees);

  const figures = { mustFind: 0, found: 0, mustNotFind: 0, silent: 0 };
  after(() => {
    // The figures the targets are about, shown with the test run.
    console.log(`    Go corpus: ${figures.found}/${figures.mustFind} must-find found, ${figures.silent}/${figures.mustNotFind} must-not-find silent`);
  });

  for (const testCase of GO_CORPUS) {
    it(`${testCase.breaks.length > 0 ? 'finds' : 'is silent on'}: ${testCase.name}`, async () => {
      const breaks = goAdapter.compare(await apiOf(testCase.before), await apiOf(testCase.after));
      const found = [...new Set(breaks.map(keyOf))].sort();
      if (testCase.breaks.length > 0) {
        figures.mustFind++;
        if (testCase.breaks.every((k) => found.includes(k))) figures.found++;
      } else {
        figures.mustNotFind++;
        if (found.length === 0) figures.silent++;
      }
      assert.deepEqual(found, [...testCase.breaks].sort(), breaks.map((b) => b.message).join('\n'));
    });
  }
});

describe('Go breaking changes: what a break says', () => {
  afterEach(freeTrees);

  it('reports a removal at the old declaration and a change at the new one, with stable fingerprints', async () => {
    const before = await apiOf('func F(a int) {}\n\nfunc G() {}');
    const after = await apiOf('func F(a string) {}');
    const breaks = goAdapter.compare(before, after);
    const removed = breaks.find((b) => b.name === 'G');
    const changed = breaks.find((b) => b.name === 'F');
    assert.deepEqual(removed?.at, { side: 'old', file: 'p/p.go', line: 5, endLine: 5 });
    assert.equal(removed?.affects, 'both');
    assert.deepEqual(changed?.at, { side: 'new', file: 'p/p.go', line: 3, endLine: 3 });
    assert.equal(changed?.affects, 'callers');
    assert.match(changed?.message ?? '', /\(int\) -> \(string\)/);
    assert.equal(changed?.fingerprint, 'params:F');
  });

  it('a method added to an interface affects its implementers, one removed its callers', async () => {
    const added = goAdapter.compare(await apiOf('type I interface{ M() }'), await apiOf('type I interface {\n\tM()\n\tN()\n}'));
    assert.deepEqual(added.map((b) => [keyOf(b), b.affects]), [['I.N', 'implementers']]);
    const removed = goAdapter.compare(await apiOf('type I interface {\n\tM()\n\tN()\n}'), await apiOf('type I interface{ M() }'));
    assert.deepEqual(removed.map((b) => [keyOf(b), b.affects]), [['I.N', 'callers']]);
  });

  it('a value receiver becoming a pointer receiver affects callers and implementers', async () => {
    const breaks = goAdapter.compare(await apiOf('type S struct{}\nfunc (S) M() {}'), await apiOf('type S struct{}\nfunc (*S) M() {}'));
    assert.deepEqual(breaks.map((b) => [keyOf(b), b.affects]), [['S.M', 'both']]);
  });
});
