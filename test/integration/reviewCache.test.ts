import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { ReviewDocument } from '../../shared/review';
import { runCli, runCliJson } from '../helpers/cli';
import { cleanupRepos, commitAll, git, makeRepo, makeTempDir, write } from '../helpers/gitRepo';

const filler = (n: number) => Array.from({ length: n }, (_, i) => `const pad${i} = ${i};`).join('\n');

/** main: api.ts with parse(), a caller; feature: parse gains a required parameter and a debugger far below. */
function branchRepo(): { repo: string; review: (...extra: string[]) => ReviewDocument } {
  const repo = makeRepo();
  write(repo, 'src/api.ts', `export function parse(input: string): number {\n  return input.length;\n}\n${filler(20)}\nexport function tail(): void {}\n`);
  write(repo, 'src/main.ts', "import { parse } from './api';\n\nexport const n = parse('a');\n");
  commitAll(repo, 'main');
  git(repo, 'checkout', '-q', '-b', 'feature');
  write(repo, 'src/api.ts', `export function parse(input: string, radix: number): number {\n  return input.length * radix;\n}\n${filler(20)}\nexport function tail(): void {\n  debugger;\n}\n`);
  commitAll(repo, 'feature');
  const db = path.join(makeTempDir(), 'cache.db');
  const review = (...extra: string[]) => {
    const result = runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never', ...extra], { DIFFWISE_DB: db });
    assert.equal(result.code, 0, result.stderr);
    return result.json;
  };
  return { repo, review };
}

const summary = (document: ReviewDocument) => document.findings.map((f) => `${f.ruleId}@${f.file}:${f.line}#${f.id}`);

describe('the review cache', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('serves an unchanged branch entirely from the cache, with the same findings', () => {
    const { review } = branchRepo();
    const first = review();
    assert.equal(first.run.cacheHits, 0);
    assert.equal(first.findings.length, 2);
    const second = review();
    assert.equal(second.run.hunks, 2);
    assert.equal(second.run.cacheHits, second.run.hunks);
    assert.deepEqual(summary(second), summary(first));
    assert.deepEqual(second.findings.find((f) => f.ruleId === 'breaking-change')?.related, first.findings.find((f) => f.ruleId === 'breaking-change')?.related);
    assert.equal(review('--no-cache').run.cacheHits, 0);
  });

  it('lines added above a finding: its hunk still hits, and the finding keeps its id at its new line', () => {
    const { repo, review } = branchRepo();
    const before = review().findings.find((f) => f.ruleId === 'debug-leftover')!;
    // Ten lines and a gap inserted just above `tail`: a hunk of their own, and new context lines for tail's.
    const text = `export function parse(input: string, radix: number): number {\n  return input.length * radix;\n}\n${filler(20)}\n${Array.from({ length: 10 }, (_, i) => `// note ${i}`).join('\n')}\n\n\n\n\n\n\n\nexport function tail(): void {\n  debugger;\n}\n`;
    write(repo, 'src/api.ts', text);
    commitAll(repo, 'notes above');
    const after = review();
    const moved = after.findings.find((f) => f.ruleId === 'debug-leftover')!;
    assert.equal(moved.id, before.id);
    assert.equal(moved.line, before.line + 17);
    assert.ok(after.run.cacheHits >= 1, `hits: ${after.run.cacheHits} of ${after.run.hunks}`);
  });

  it('a rebase onto a moved base and an amend both hit the cache', () => {
    const { repo, review } = branchRepo();
    const first = review();
    git(repo, 'checkout', '-q', 'main');
    write(repo, 'README.md', '# unrelated\n');
    commitAll(repo, 'main moves on');
    git(repo, 'checkout', '-q', 'feature');
    git(repo, 'rebase', '-q', 'main');
    const rebased = review();
    assert.notEqual(rebased.run.mergeBase, first.run.mergeBase);
    assert.equal(rebased.run.cacheHits, rebased.run.hunks);
    assert.deepEqual(summary(rebased), summary(first));

    git(repo, 'commit', '-q', '--amend', '-m', 'feature, reworded');
    const amended = review();
    assert.notEqual(amended.run.head, rebased.run.head);
    assert.equal(amended.run.cacheHits, amended.run.hunks);
  });

  it('a change to a dependent file invalidates the breaking-change result', () => {
    const { repo, review } = branchRepo();
    const first = review();
    assert.deepEqual(first.findings.find((f) => f.ruleId === 'breaking-change')?.related.map((r) => r.file), ['src/main.ts']);
    // A new caller, uncommitted: not part of the branch's diff, but the index sees it.
    write(repo, 'src/other.ts', "import { parse } from './api';\nexport const m = parse('b');\n");
    const second = review();
    assert.ok(second.run.cacheHits < second.run.hunks, 'the api.ts hunks must miss');
    assert.deepEqual(second.findings.find((f) => f.ruleId === 'breaking-change')?.related.map((r) => r.file), ['src/main.ts', 'src/other.ts']);
  });

  it('a dependent edited away from its uses hits; its uses moved keep their related places, found again', () => {
    const { repo, review } = branchRepo();
    const first = review();
    assert.equal(first.run.cacheHits, 0);
    const related = () => review().findings.find((f) => f.ruleId === 'breaking-change')!.related.map((r) => `${r.file}:${r.line}`);
    assert.deepEqual(first.findings.find((f) => f.ruleId === 'breaking-change')!.related.map((r) => `${r.file}:${r.line}`), ['src/main.ts:3']);
    // Edited below its use, then above it (the use moves two lines down): both uncommitted, the index sees them.
    write(repo, 'src/main.ts', "import { parse } from './api';\n\nexport const n = parse('a');\nexport const unrelated = 1;\n");
    const below = review();
    assert.equal(below.run.cacheHits, below.run.hunks, 'an edit away from the uses keeps every hunk');
    write(repo, 'src/main.ts', "import { parse } from './api';\n// a comment\n// another\n\nexport const n = parse('a');\nexport const unrelated = 1;\n");
    const above = review();
    assert.equal(above.run.cacheHits, above.run.hunks);
    assert.deepEqual(related(), ['src/main.ts:5'], 'the related place follows its line');
  });

  it('a new use of the changed export misses, even one identical to a use already there', () => {
    const { repo, review } = branchRepo();
    review();
    write(repo, 'src/main.ts', "import { parse } from './api';\n\nexport const n = parse('a');\nexport const again = parse('a');\n");
    const second = review();
    assert.ok(second.run.cacheHits < second.run.hunks, 'the hunk of parse must miss');
    assert.deepEqual(second.findings.find((f) => f.ruleId === 'breaking-change')!.related.map((r) => r.line), [3, 4]);
    // The hunk of `tail` (an export main.ts does not use) depends on none of main.ts's lines.
    assert.ok(second.run.cacheHits >= 1, `hits: ${second.run.cacheHits}`);
  });

  it('a corrupt entry is a miss, never a wrong answer', () => {
    const repo = makeRepo();
    write(repo, 'a.ts', 'export const a = 1;\n');
    commitAll(repo, 'main');
    write(repo, 'a.ts', 'export const a = 1;\ndebugger;\n');
    const db = path.join(makeTempDir(), 'corrupt-cache.db');
    const first = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json'], { DIFFWISE_DB: db }).json;
    const handle = new Database(db);
    handle.prepare("UPDATE review_cache SET findings = '{not json'").run();
    handle.close();
    const second = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json'], { DIFFWISE_DB: db }).json;
    assert.equal(second.run.cacheHits, 0);
    assert.deepEqual(summary(second), summary(first));
    const third = runCliJson<ReviewDocument>(repo, ['review', '--format', 'json'], { DIFFWISE_DB: db }).json;
    assert.equal(third.run.cacheHits, 1, 'the entry was rewritten');
  });
});

describe('diffwise review --since-last', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('reviews only the commits since the last review of the branch, and says which', () => {
    const repo = makeRepo();
    write(repo, 'a.ts', 'export const a = 1;\n');
    commitAll(repo, 'main');
    git(repo, 'checkout', '-q', '-b', 'feature');
    write(repo, 'first.ts', 'debugger;\n');
    commitAll(repo, 'first');
    const db = path.join(makeTempDir(), 'since.db');
    const env = { DIFFWISE_DB: db };
    const run = (...args: string[]) => runCliJson<ReviewDocument>(repo, ['review', '--base', 'main', '--format', 'json', '--fail-on', 'never', ...args], env);

    const none = run('--since-last');
    assert.match(none.stderr, /no earlier review of this branch against main: reviewing all of it/);
    assert.deepEqual(none.json.findings.map((f) => f.file), ['first.ts']);

    write(repo, 'second.ts', 'console.log(2);\n');
    commitAll(repo, 'second');
    const since = run('--since-last');
    assert.match(since.stderr, /reviewing 1 commit\(s\) since the last review \([0-9a-f]{8}, .*\):\n {2}[0-9a-f]+ second\n/);
    assert.match(since.stderr, /that covered 1 file\(s\)/);
    assert.deepEqual(since.json.findings.map((f) => f.file), ['second.ts']);
    assert.equal(since.json.run.mergeBase, none.json.run.head, 'compared with the last reviewed HEAD');

    git(repo, 'commit', '-q', '--amend', '-m', 'second, reworded');
    const rewritten = run('--since-last');
    assert.match(rewritten.stderr, /no longer in this branch's history/);
    assert.deepEqual(rewritten.json.findings.map((f) => f.file).sort(), ['first.ts', 'second.ts']);

    const wrong = runCli(repo, ['review', '--since-last'], env);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--since-last goes with --base/);
  });
});
