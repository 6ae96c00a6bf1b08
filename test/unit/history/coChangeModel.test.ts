import * as assert from 'node:assert/strict';
import { mineCoChanges, type MinedCommit } from '../../../server/history/coChangeModel';
import { parseNumstatLog } from '../../../server/history/commitLog';
import { isExcludedFromCoChange } from '../../../server/history/exclusions';
import { evaluateCoChange } from '../../../server/history/evaluation';

const commit = (sha: string, ...files: string[]): MinedCommit => ({ sha, files });
const thresholds = { minSupport: 3, minConfidence: 0.5 };
const limits = { maxFilesPerCommit: 30 };

describe('co-change mining', () => {
  it('counts support and confidence: P(partner | file)', () => {
    const model = mineCoChanges([
      commit('1', 'a.ts', 'a.test.ts'),
      commit('2', 'a.ts', 'a.test.ts'),
      commit('3', 'a.ts', 'a.test.ts', 'b.ts'),
      commit('4', 'a.ts'),
      commit('5', 'a.test.ts'),
    ], limits);
    assert.deepEqual(model.partnersOf('a.ts', thresholds), [{ file: 'a.ts', partner: 'a.test.ts', support: 3, confidence: 0.75 }]);
    assert.deepEqual(model.partnersOf('a.test.ts', thresholds), [{ file: 'a.test.ts', partner: 'a.ts', support: 3, confidence: 0.75 }]);
    // b.ts changed with a.ts once: under the minimum support, whatever its confidence (1).
    assert.deepEqual(model.partnersOf('b.ts', thresholds), []);
    assert.deepEqual(model.partnersOf('b.ts', { minSupport: 1, minConfidence: 1 }).map((p) => p.partner), ['a.test.ts', 'a.ts']);
  });

  it('keeps a partner under the minimum confidence out', () => {
    const model = mineCoChanges([
      commit('1', 'core.ts', 'util.ts'), commit('2', 'core.ts', 'util.ts'), commit('3', 'core.ts', 'util.ts'),
      commit('4', 'core.ts'), commit('5', 'core.ts'), commit('6', 'core.ts'), commit('7', 'core.ts'),
    ], limits);
    // util.ts → core.ts always (3/3); core.ts → util.ts only 3/7.
    assert.equal(model.partnersOf('util.ts', thresholds)[0]?.confidence, 1);
    assert.deepEqual(model.partnersOf('core.ts', thresholds), []);
  });

  it('leaves commits over the file limit out entirely: bulk changes say nothing', () => {
    const bulk = Array.from({ length: 31 }, (_, i) => `f${i}.ts`);
    const model = mineCoChanges([commit('1', ...bulk), commit('2', ...bulk), commit('3', ...bulk)], limits);
    assert.equal(model.commits, 0);
    assert.equal(model.changesOf('f0.ts'), 0);
    assert.deepEqual(model.partnersOf('f0.ts', thresholds), []);
    const atLimit = mineCoChanges([commit('1', ...bulk.slice(0, 30)), commit('2', ...bulk.slice(0, 30)), commit('3', ...bulk.slice(0, 30))], limits);
    assert.equal(atLimit.partnersOf('f0.ts', thresholds).length, 29);
  });

  it('excludes lockfiles, generated and binary files', () => {
    for (const file of ['package-lock.json', 'web/yarn.lock', 'pnpm-lock.yaml', 'go.sum', 'poetry.lock', 'Cargo.lock', 'dist/cli.js', 'app.min.js', 'api.pb.go', 'logo.png']) {
      assert.equal(isExcludedFromCoChange(file, false), true, file);
    }
    assert.equal(isExcludedFromCoChange('src/a.ts', false), false);
    assert.equal(isExcludedFromCoChange('data.bin', true), true, "git's own binary verdict");
    assert.equal(isExcludedFromCoChange('src/schema.ts', false, { isGenerated: (file) => file === 'src/schema.ts' }), true, "the index's verdict");
  });

  it('parses git log --numstat, binary files and exclusions applied', () => {
    const log = [
      '\u0001commit aaa', '', '3\t1\tsrc/a.ts', '10\t0\tpackage-lock.json', '-\t-\tdocs/pic.dat', '1\t1\tsrc/naïve name.ts',
      '\u0001commit bbb', '', '\u0001commit ccc', '', '2\t0\tsrc/b.ts',
    ].join('\n');
    assert.deepEqual(parseNumstatLog(log), [
      { sha: 'aaa', files: ['src/a.ts', 'src/naïve name.ts'] },
      { sha: 'bbb', files: [] },
      { sha: 'ccc', files: ['src/b.ts'] },
    ]);
  });
});

describe('co-change evaluation on the history itself', () => {
  it('judges each commit by the commits before it only: precision and recall', () => {
    const history = [
      commit('1', 'a.ts', 'a.test.ts'),
      commit('2', 'a.ts', 'a.test.ts'),
      commit('3', 'a.ts', 'a.test.ts'),
      // Judged by 1–3: a.ts suggests a.test.ts (right), a.test.ts suggests a.ts (right).
      commit('4', 'a.ts', 'a.test.ts'),
      // a.ts suggests a.test.ts (4/4, wrong here); c.ts suggests nothing.
      commit('5', 'a.ts', 'c.ts'),
      // Not a test of pairs: one file.
      commit('6', 'a.ts'),
    ];
    const result = evaluateCoChange(history, { ...thresholds, ...limits, evaluated: 3 });
    assert.equal(result.commits, 2);
    assert.equal(result.commitsWithSuggestions, 2);
    assert.equal(result.suggested, 3);
    assert.equal(result.correct, 2);
    assert.equal(result.precision, 2 / 3);
    // Files suggested by another file of their commit: a.ts and a.test.ts in 4, none in 5, of 4 files.
    assert.equal(result.recalled, 2);
    assert.equal(result.recallable, 4);
    assert.equal(result.recall, 0.5);
  });

  it('counts no suggestion as no error: precision 1 and recall 0 on a history too short to suggest', () => {
    const result = evaluateCoChange([commit('1', 'a.ts', 'b.ts'), commit('2', 'a.ts', 'b.ts')], { ...thresholds, ...limits, evaluated: 200 });
    assert.equal(result.suggested, 0);
    assert.equal(result.precision, 1);
    assert.equal(result.recall, 0);
  });
});
