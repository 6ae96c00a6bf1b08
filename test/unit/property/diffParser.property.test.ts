/**
 * Properties of parseUnifiedDiff against real git output: the hunks rebuild the
 * new file from the old one, the added lines are the lines that changed, and
 * any path git can store comes back exactly. Plus: no input text makes the
 * parser throw or return inconsistent line numbers.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addedLines, type DiffFile } from '../../../server/git/diffModel';
import { parseUnifiedDiff } from '../../../server/git/diffParser';
import { cleanupRepos, gitEnv, makeRepo, makeTempDir } from '../../helpers/gitRepo';

/** The flags repository.ts passes to every `git diff` it parses. */
const DIFF_FLAGS = ['-c', 'core.quotepath=off', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '-M', '--submodule=short', '--src-prefix=a/', '--dst-prefix=b/'];

/** Lines that look like diff syntax, or that git and the parser treat specially. */
const trickyLine = fc.constantFrom(
  '', ' ', '\r', 'a\r', 'a\rb', '+', '-', '+x', '-x', ' x', '--- a/x', '+++ b/x', '-- x', '++ x', '\\', '\\ No newline at end of file',
  '@@ -1,2 +1,2 @@', '@@ x', 'diff --git a/x b/x', 'diff --cc x', 'index 0000000..1111111 100644', 'Binary files a/x and b/x differ',
  'new file mode 100644', 'rename from x', 'ü', '日本語', '🎉 emoji', '\t', 'a', 'b', 'c',
);
const line = fc.oneof({ weight: 3, arbitrary: trickyLine }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map((s) => s.replace(/[\n\0]/g, '')) });

/** A file as lines, and whether its last line has a newline. */
interface Content { lines: string[]; finalNewline: boolean }
const content = fc.record({ lines: fc.array(line, { maxLength: 14 }), finalNewline: fc.boolean() });

/** The new file: the old one edited (so the two share lines, as real changes do), or anything. */
const filePair = content.chain((old) => fc.oneof(
  fc.record({ old: fc.constant(old), new: content }),
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.array(line, { maxLength: 3 })), { maxLength: 4 }).chain((edits) => fc.boolean().map((finalNewline) => {
    const lines = [...old.lines];
    for (const [at, remove, insert] of edits) lines.splice(at % (lines.length + 1), remove, ...insert);
    return { old, new: { lines, finalNewline } };
  })),
)).map((pair) => ({ old: normalize(pair.old), new: normalize(pair.new) }));

function serialize(file: Content): string {
  return file.lines.join('\n') + (file.lines.length && file.finalNewline ? '\n' : '');
}

/** The lines git sees in the file: `['']` without a final newline is the empty file. */
function normalize(file: Content): Content {
  const text = serialize(file);
  if (text === '') return { lines: [], finalNewline: true };
  const lines = text.split('\n');
  const finalNewline = text.endsWith('\n');
  if (finalNewline) lines.pop();
  return { lines, finalNewline };
}

/** What git compares: the line, and whether it ends the file without a newline. */
function records(file: Content): string[] {
  return file.lines.map((text, i) => (i === file.lines.length - 1 && !file.finalNewline ? `${text}\0no-eol` : text));
}

function lcsLength(a: string[], b: string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const row = [0];
    for (let j = 0; j < b.length; j++) row.push(x === b[j] ? previous[j] + 1 : Math.max(previous[j + 1], row[j]));
    previous = row;
  }
  return previous[b.length];
}

/** The parser strips one `\r` from each diff line (CRLF files read cleanly); compare the same way. */
const stripCr = (text: string) => (text.endsWith('\r') ? text.slice(0, -1) : text);

/** Applies the hunks to `old`, checking every old line they quote and every new line number they give. */
function applyHunks(old: string[], file: DiffFile): string[] {
  const result: string[] = [];
  let next = 1; // the next old line not yet copied
  for (const hunk of file.hunks) {
    // `-N,0` inserts after old line N; otherwise the hunk starts at old line N.
    const copyThrough = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    assert.ok(copyThrough >= next - 1, 'hunks in order, not overlapping');
    while (next <= copyThrough) result.push(old[next++ - 1]);
    assert.equal(hunk.newStart, hunk.newLines === 0 ? result.length : result.length + 1, 'hunk newStart');
    for (const entry of hunk.lines) {
      if (entry.kind !== 'add') {
        assert.equal(entry.oldLine, next, 'old line numbers run on');
        assert.equal(entry.text, stripCr(old[next - 1]), `old line ${next} quoted as it is`);
        next++;
      }
      if (entry.kind !== 'del') {
        result.push(entry.kind === 'context' ? old[entry.oldLine! - 1] : entry.text);
        assert.equal(entry.newLine, result.length, 'new line numbers run on');
      }
    }
    assert.equal(hunk.lines.filter((l) => l.kind !== 'add').length, hunk.oldLines, 'the hunk holds the old lines its header counts');
    assert.equal(hunk.lines.filter((l) => l.kind !== 'del').length, hunk.newLines, 'the hunk holds the new lines its header counts');
  }
  while (next <= old.length) result.push(old[next++ - 1]);
  return result;
}

describe('property: parseUnifiedDiff reads what git prints', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('rebuilds the new file from the old through the hunks; the added lines are the changed ones (100 runs, git diff --no-index --minimal)', () => {
    const dir = makeTempDir('diffwise-diff-prop-');
    fc.assert(
      fc.property(filePair, fc.integer({ min: 0, max: 3 }), (pair, context) => {
        fs.writeFileSync(path.join(dir, 'old.txt'), serialize(pair.old));
        fs.writeFileSync(path.join(dir, 'new.txt'), serialize(pair.new));
        // --minimal: git's diff is then a shortest one, so the added lines are exactly those not in a longest common subsequence.
        const run = spawnSync('git', [...DIFF_FLAGS, '--no-index', '--minimal', `-U${context}`, 'old.txt', 'new.txt'], { cwd: dir, env: gitEnv, encoding: 'utf8' });
        assert.ok(run.status === 0 || run.status === 1, run.stderr);
        const files = parseUnifiedDiff(run.stdout);
        const same = serialize(pair.old) === serialize(pair.new);
        assert.equal(files.length, same ? 0 : 1);
        if (same) return;
        const [file] = files;
        assert.deepEqual([file.oldPath, file.newPath], ['old.txt', 'new.txt']);

        const rebuilt = applyHunks(pair.old.lines, file);
        assert.deepEqual(rebuilt.map(stripCr), pair.new.lines.map(stripCr));
        const added = addedLines(file);
        assert.equal(added.size, pair.new.lines.length - lcsLength(records(pair.old), records(pair.new)), 'added lines: exactly the changed ones');
        // Every line not added is an old line carried over unchanged.
        const newRecords = records(pair.new);
        let oldIndex = 0;
        const oldRecords = records(pair.old);
        for (let n = 1; n <= newRecords.length; n++) {
          if (added.has(n)) continue;
          while (oldIndex < oldRecords.length && oldRecords[oldIndex] !== newRecords[n - 1]) oldIndex++;
          assert.ok(oldIndex++ < oldRecords.length, `new line ${n} is not added, so it is an old line`);
        }
      }),
      { numRuns: 100 },
    );
  });

  /** One path segment: what a user may name a file, tabs, quotes, backslashes and newlines included. */
  const segment = fc.string({
    unit: fc.constantFrom('a', 'b', 'Z', '0', ' ', '\t', '"', "'", '\\', '\n', '-', '.', 'é', '日', '🎉', '\x7f', '\x01', 'b/', 'a/'),
    minLength: 1,
    maxLength: 6,
  }).map((s) => s.replace(/\/+$/, '').replace(/^\/+/, '').replace(/\/+/g, '/'))
    .filter((s) => s.length > 0 && s.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && part.toLowerCase() !== '.git'));
  const name = fc.array(segment, { minLength: 1, maxLength: 2 }).map((parts) => parts.join('/'));
  const change = fc.constantFrom('modify', 'add', 'delete', 'rename', 'mode', 'add-empty', 'binary');
  const clash = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

  it('gives back every path exactly, however it is spelt (60 runs)', () => {
    const repo = makeRepo();
    const run = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: gitEnv, encoding: 'utf8' });
    const put = (file: string, text: string | Buffer) => {
      fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      fs.writeFileSync(path.join(repo, file), text);
    };
    const body = 'one\ntwo\nthree\nfour\nfive\n';
    fc.assert(
      fc.property(name, name, change, (first, second, kind) => {
        if (kind === 'rename' && clash(first, second)) return;
        // One repository for every run, emptied each time; "before" is a tree, not a commit (fewer git processes).
        for (const entry of fs.readdirSync(repo)) if (entry !== '.git') fs.rmSync(path.join(repo, entry), { recursive: true, force: true });
        run('read-tree', '--empty');
        put('.keep', '');
        if (kind !== 'add' && kind !== 'add-empty') put(first, kind === 'binary' ? Buffer.from([0, 1, 2, 3, 0]) : body);
        run('add', '-A');
        const before = run('write-tree').trim();

        if (kind === 'modify') put(first, body.replace('three', 'THREE'));
        if (kind === 'add') put(first, body);
        if (kind === 'add-empty') put(first, '');
        if (kind === 'delete') fs.rmSync(path.join(repo, first));
        if (kind === 'rename') {
          fs.mkdirSync(path.dirname(path.join(repo, second)), { recursive: true });
          fs.renameSync(path.join(repo, first), path.join(repo, second));
        }
        if (kind === 'mode') fs.chmodSync(path.join(repo, first), 0o755);
        if (kind === 'binary') put(first, Buffer.from([0, 9, 8, 7, 0]));
        run('add', '-A');

        const files = parseUnifiedDiff(run(...DIFF_FLAGS, '--cached', before));
        assert.equal(files.length, 1, JSON.stringify(files));
        const [file] = files;
        const expected = {
          modify: { status: 'modified', oldPath: first, newPath: first },
          add: { status: 'added', oldPath: null, newPath: first },
          'add-empty': { status: 'added', oldPath: null, newPath: first },
          delete: { status: 'deleted', oldPath: first, newPath: null },
          rename: { status: 'renamed', oldPath: first, newPath: second },
          mode: { status: 'modified', oldPath: first, newPath: first },
          binary: { status: 'modified', oldPath: first, newPath: first },
        }[kind];
        assert.deepEqual({ status: file.status, oldPath: file.oldPath, newPath: file.newPath }, expected);
        if (kind === 'mode') assert.deepEqual([file.oldMode, file.newMode, file.hunks.length], ['100644', '100755', 0]);
        if (kind === 'binary') assert.equal(file.binary, true);
        if (kind === 'modify') assert.deepEqual([...addedLines(file)], [3]);
      }),
      { numRuns: 60 },
    );
  });

  /** Text shaped like a diff (its line kinds, in any order and with any counts), or any text at all. */
  const diffish = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.array(fc.oneof(
      trickyLine,
      fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 5 }), fc.nat({ max: 5 }), fc.nat({ max: 5 })).map(([a, b, c, d]) => `@@ -${a},${b} +${c},${d} @@`),
      fc.constantFrom('diff --git "a/\\303\\251" "b/\\303', 'diff --git a/x', 'rename to "unterminated', '--- "a/\\', '+++ /dev/null', 'similarity index x%'),
      fc.string({ unit: 'binary', maxLength: 10 }),
    ), { maxLength: 40 }).map((lines) => lines.join('\n')),
  );

  it('never throws on any text and gives consistent line numbers (2000 runs)', () => {
    fc.assert(
      fc.property(diffish, (text) => {
        for (const file of parseUnifiedDiff(text)) {
          for (const hunk of file.hunks) {
            let oldLine = hunk.oldStart;
            let newLine = hunk.newStart;
            for (const entry of hunk.lines) {
              if (entry.kind !== 'add') assert.equal(entry.oldLine, oldLine++);
              else assert.equal(entry.oldLine, null);
              if (entry.kind !== 'del') assert.equal(entry.newLine, newLine++);
              else assert.equal(entry.newLine, null);
            }
            assert.ok(oldLine - hunk.oldStart <= hunk.oldLines && newLine - hunk.newStart <= hunk.newLines, 'never more lines than the header counts');
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
