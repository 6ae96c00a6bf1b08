import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { addedLines } from '../../server/git/diffModel';
import { parseUnifiedDiff } from '../../server/git/diffParser';
import { ReviewCache } from '../../server/review/reviewCache';
import { reviewParses, syntaxTreeOf } from '../../server/review/syntaxTrees';
import type { ChangedFile } from '../../server/review/rule';
import { CacheStore } from '../../server/store/cacheStore';
import { openDatabase } from '../../server/store/database';

const OLD = 'export function parse(input: string): number {\n  return input.length;\n}\n\nfunction helper(): void {}\n';
const NEW = 'export function parse(input: string, radix = 10): number {\n  return input.length * radix;\n}\n\nfunction helper(): void {\n  debugger;\n}\n';
const DIFF = [
  'diff --git a/src/api.ts b/src/api.ts', 'index 1111111..2222222 100644', '--- a/src/api.ts', '+++ b/src/api.ts',
  '@@ -1,2 +1,2 @@', '-export function parse(input: string): number {', '-  return input.length;', '+export function parse(input: string, radix = 10): number {', '+  return input.length * radix;',
  '@@ -5 +5,3 @@', '-function helper(): void {}', '+function helper(): void {', '+  debugger;', '+}', '',
].join('\n');

/** A fresh ChangedFile each time, as each review makes its own. */
function changedFile(): ChangedFile {
  const [diff] = parseUnifiedDiff(DIFF);
  return { diff, path: 'src/api.ts', oldText: OLD, newText: NEW, added: addedLines(diff) };
}

describe('the review cache\'s keys', () => {
  let dir: string;
  let store: CacheStore;
  let parsedBefore: number;
  const parses = () => reviewParses() - parsedBefore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffwise-keys-'));
    store = new CacheStore(openDatabase(path.join(dir, 'cache.db')));
    parsedBefore = reviewParses();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('asks for the dependents only of the hunk that touches an export, by the names it touches', () => {
    const asked: Array<string[] | null> = [];
    const cache = new ReviewCache({ store, rulesKey: 'r', dependentsOf: (_path, symbols) => (asked.push(symbols ? [...symbols] : null), 'none') });
    const file = changedFile();
    const first = cache.partition([file]);
    assert.equal(first.hunks, 2);
    assert.equal(first.hits, 0);
    assert.deepEqual(asked, [['parse']]);
  });

  it('a hunk that edits a local type asks for the dependents of the exports that name it, and the change\'s part is in the key', () => {
    const oldText = 'interface Options {\n  a: string;\n}\n\nexport function make(options: Options): void {}\n';
    const newText = 'interface Options {\n  a: number;\n}\n\nexport function make(options: Options): void {}\n';
    const diffText = ['diff --git a/src/make.ts b/src/make.ts', 'index 1111111..2222222 100644', '--- a/src/make.ts', '+++ b/src/make.ts', '@@ -2 +2 @@', '-  a: string;', '+  a: number;', ''].join('\n');
    const make = () => {
      const [diff] = parseUnifiedDiff(diffText);
      return { diff, path: 'src/make.ts', oldText, newText, added: addedLines(diff) };
    };
    const asked: Array<string[] | null> = [];
    let change = 'one';
    const cache = () => new ReviewCache({ store, rulesKey: 'r', dependentsOf: (_path, symbols) => (asked.push(symbols ? [...symbols] : null), 'none'), changeKeyOf: () => change });
    const file = make();
    cache().store([file], []);
    assert.deepEqual(asked, [['make']]);
    assert.equal(cache().partition([make()]).hits, 1);
    change = 'two';
    assert.equal(cache().partition([make()]).hits, 0, 'the change\'s part of the key changed: a miss');
  });

  it('a file\'s notices are cached with its findings and said again when they are served', () => {
    const make = () => new ReviewCache({ store, rulesKey: 'r', dependentsOf: () => '' });
    make().store([changedFile()], [], ['src/api.ts: only part of its exported API was compared: …', 'src/other.ts: not this file\'s']);
    const served = make().partition([changedFile()]);
    assert.equal(served.missed.length, 0);
    assert.deepEqual(served.cachedNotices, ['src/api.ts: only part of its exported API was compared: …']);
  });

  it('a file whose versions were keyed before is not parsed again; the dependents are still asked', () => {
    let dependents = 'uses: parse(a)';
    const make = () => new ReviewCache({ store, rulesKey: 'r', dependentsOf: () => dependents });
    const file = changedFile();
    make().partition([file]);
    assert.equal(parses(), 2, 'both versions, once each');
    make().store([file], []);
    const again = make().partition([changedFile()]);
    assert.equal(parses(), 2, 'no parse for a file keyed before');
    assert.equal(again.hits, 2);
    dependents = 'uses: parse(a), parse(b)';
    const changedUse = make().partition([changedFile()]);
    assert.equal(changedUse.hits, 1, 'a changed use misses the export\'s hunk only');
    assert.equal(parses(), 2);
  });

  it('one parse per file version per review: the keys and the rules share the trees', () => {
    const file = changedFile();
    new ReviewCache({ store, rulesKey: 'r', dependentsOf: () => '' }).partition([file]);
    const tree = syntaxTreeOf(file, 'new');
    assert.equal(syntaxTreeOf(file, 'new'), tree);
    assert.equal(parses(), 2);
  });
});
