import * as assert from 'node:assert/strict';
import { javaAdapter } from '../../../../server/languages/java/adapter';
import { JAVA_CORPUS } from './breakingCorpus';
import { freeTrees, parseJava } from './parse';

async function breaksOf(before: string, after: string): Promise<string[]> {
  const path = 'src/main/java/lib/C.java';
  const oldApi = javaAdapter.readApi([await parseJava(path, `package lib;\n${before}`)]);
  const newApi = javaAdapter.readApi([await parseJava(path, `package lib;\n${after}`)]);
  return javaAdapter.compare(oldApi, newApi).map((b) => (b.member ? `${b.name}.${b.member}` : b.name));
}

describe('java breaking-change corpus', () => {
  afterEach(freeTrees);

  const mustFind = JAVA_CORPUS.filter((c) => c.breaks.length > 0);
  const mustNotFind = JAVA_CORPUS.filter((c) => c.breaks.length === 0);

  it(`holds at least 40 cases of each kind (${mustFind.length} breaking, ${mustNotFind.length} compatible)`, () => {
    assert.ok(mustFind.length >= 40 && mustNotFind.length >= 30);
  });

  describe('finds', () => {
    for (const c of mustFind) {
      it(c.name, async () => {
        const found = [...new Set(await breaksOf(c.before, c.after))].sort();
        assert.deepEqual(found, [...c.breaks].sort());
      });
    }
  });

  describe('does not find', () => {
    for (const c of mustNotFind) {
      it(c.name, async () => {
        assert.deepEqual(await breaksOf(c.before, c.after), []);
      });
    }
  });
});
