import * as assert from 'node:assert/strict';
import { parseUnifiedDiff } from '../../server/git/diffParser';
import { addedLines, type DiffFile } from '../../server/git/diffModel';

/** Joins diff lines the way git prints them: LF-terminated. */
function diff(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

function only(text: string): DiffFile {
  const files = parseUnifiedDiff(text);
  assert.equal(files.length, 1, `expected one file, got ${files.length}`);
  return files[0];
}

describe('parseUnifiedDiff', () => {
  it('returns no files for empty output', () => {
    assert.deepEqual(parseUnifiedDiff(''), []);
  });

  it('parses a modified file with line numbers on both sides', () => {
    const file = only(
      diff(
        'diff --git a/src/a.ts b/src/a.ts',
        'index 1111111..2222222 100644',
        '--- a/src/a.ts',
        '+++ b/src/a.ts',
        '@@ -10,4 +10,5 @@ export function main() {',
        ' one',
        '-two',
        '+TWO',
        '+three',
        ' four',
        ' five',
      ),
    );
    assert.equal(file.status, 'modified');
    assert.equal(file.oldPath, 'src/a.ts');
    assert.equal(file.newPath, 'src/a.ts');
    assert.equal(file.oldMode, '100644');
    assert.equal(file.newMode, '100644');
    assert.equal(file.binary, false);
    assert.equal(file.submodule, false);
    assert.equal(file.similarity, null);
    assert.equal(file.hunks.length, 1);
    const hunk = file.hunks[0];
    assert.deepEqual(
      { oldStart: hunk.oldStart, oldLines: hunk.oldLines, newStart: hunk.newStart, newLines: hunk.newLines, header: hunk.header },
      { oldStart: 10, oldLines: 4, newStart: 10, newLines: 5, header: 'export function main() {' },
    );
    assert.deepEqual(hunk.lines, [
      { kind: 'context', text: 'one', oldLine: 10, newLine: 10 },
      { kind: 'del', text: 'two', oldLine: 11, newLine: null },
      { kind: 'add', text: 'TWO', oldLine: null, newLine: 11 },
      { kind: 'add', text: 'three', oldLine: null, newLine: 12 },
      { kind: 'context', text: 'four', oldLine: 12, newLine: 13 },
      { kind: 'context', text: 'five', oldLine: 13, newLine: 14 },
    ]);
  });

  it('reads several files and several hunks per file', () => {
    const files = parseUnifiedDiff(
      diff(
        'diff --git a/a.txt b/a.txt',
        'index 1..2 100644',
        '--- a/a.txt',
        '+++ b/a.txt',
        '@@ -1,2 +1,2 @@',
        '-a',
        '+A',
        ' b',
        '@@ -20,2 +20,3 @@ section',
        ' x',
        '+y',
        ' z',
        'diff --git a/b.txt b/b.txt',
        'index 3..4 100755',
        '--- a/b.txt',
        '+++ b/b.txt',
        '@@ -1 +1 @@',
        '-old',
        '+new',
      ),
    );
    assert.deepEqual(
      files.map((f) => f.newPath),
      ['a.txt', 'b.txt'],
    );
    assert.equal(files[0].hunks.length, 2);
    assert.deepEqual(
      files[0].hunks[1].lines.map((l) => [l.kind, l.oldLine, l.newLine]),
      [
        ['context', 20, 20],
        ['add', null, 21],
        ['context', 21, 22],
      ],
    );
    assert.equal(files[1].newMode, '100755');
  });

  it('defaults omitted hunk counts to 1', () => {
    const file = only(
      diff('diff --git a/a b/a', 'index 1..2 100644', '--- a/a', '+++ b/a', '@@ -3 +3 @@', '-x', '+y'),
    );
    const hunk = file.hunks[0];
    assert.deepEqual([hunk.oldStart, hunk.oldLines, hunk.newStart, hunk.newLines, hunk.header], [3, 1, 3, 1, '']);
    assert.deepEqual(
      hunk.lines.map((l) => [l.kind, l.oldLine, l.newLine]),
      [
        ['del', 3, null],
        ['add', null, 3],
      ],
    );
  });

  it('parses an added file', () => {
    const file = only(
      diff(
        'diff --git a/new.ts b/new.ts',
        'new file mode 100644',
        'index 0000000..e45c9c2',
        '--- /dev/null',
        '+++ b/new.ts',
        '@@ -0,0 +1,2 @@',
        '+line 1',
        '+line 2',
      ),
    );
    assert.equal(file.status, 'added');
    assert.equal(file.oldPath, null);
    assert.equal(file.newPath, 'new.ts');
    assert.equal(file.oldMode, null);
    assert.equal(file.newMode, '100644');
    assert.deepEqual(
      file.hunks[0].lines.map((l) => [l.kind, l.text, l.oldLine, l.newLine]),
      [
        ['add', 'line 1', null, 1],
        ['add', 'line 2', null, 2],
      ],
    );
  });

  it('parses a deleted file', () => {
    const file = only(
      diff(
        'diff --git a/gone.ts b/gone.ts',
        'deleted file mode 100644',
        'index 24188bd..0000000',
        '--- a/gone.ts',
        '+++ /dev/null',
        '@@ -1,2 +0,0 @@',
        '-u',
        '-v',
      ),
    );
    assert.equal(file.status, 'deleted');
    assert.equal(file.oldPath, 'gone.ts');
    assert.equal(file.newPath, null);
    assert.equal(file.oldMode, '100644');
    assert.equal(file.newMode, null);
    assert.deepEqual(
      file.hunks[0].lines.map((l) => [l.kind, l.oldLine, l.newLine]),
      [
        ['del', 1, null],
        ['del', 2, null],
      ],
    );
  });

  it('parses an added empty file (no hunks, path from the diff --git line)', () => {
    const file = only(diff('diff --git a/empty.txt b/empty.txt', 'new file mode 100644', 'index 0000000..e69de29'));
    assert.equal(file.status, 'added');
    assert.equal(file.oldPath, null);
    assert.equal(file.newPath, 'empty.txt');
    assert.deepEqual(file.hunks, []);
  });

  it('parses a deleted empty file', () => {
    const file = only(diff('diff --git a/empty.txt b/empty.txt', 'deleted file mode 100644', 'index e69de29..0000000'));
    assert.equal(file.status, 'deleted');
    assert.equal(file.oldPath, 'empty.txt');
    assert.equal(file.newPath, null);
  });

  it('parses a pure rename', () => {
    const file = only(
      diff('diff --git a/f.txt b/g.txt', 'similarity index 100%', 'rename from f.txt', 'rename to g.txt'),
    );
    assert.equal(file.status, 'renamed');
    assert.equal(file.oldPath, 'f.txt');
    assert.equal(file.newPath, 'g.txt');
    assert.equal(file.similarity, 100);
    assert.deepEqual(file.hunks, []);
  });

  it('parses a rename with edits', () => {
    const file = only(
      diff(
        'diff --git a/lib/old name.ts b/lib/new name.ts',
        'similarity index 87%',
        'rename from lib/old name.ts',
        'rename to lib/new name.ts',
        'index 1..2 100644',
        '--- a/lib/old name.ts\t',
        '+++ b/lib/new name.ts\t',
        '@@ -1,3 +1,3 @@',
        ' a',
        '-b',
        '+B',
        ' c',
      ),
    );
    assert.equal(file.status, 'renamed');
    assert.equal(file.oldPath, 'lib/old name.ts');
    assert.equal(file.newPath, 'lib/new name.ts');
    assert.equal(file.similarity, 87);
    assert.equal(file.hunks[0].lines.length, 4);
  });

  it('parses a copy', () => {
    const file = only(
      diff(
        'diff --git a/src/a.ts b/src/b.ts',
        'similarity index 95%',
        'copy from src/a.ts',
        'copy to src/b.ts',
        'index 1..2 100644',
        '--- a/src/a.ts',
        '+++ b/src/b.ts',
        '@@ -1 +1 @@',
        '-a',
        '+b',
      ),
    );
    assert.equal(file.status, 'copied');
    assert.equal(file.oldPath, 'src/a.ts');
    assert.equal(file.newPath, 'src/b.ts');
    assert.equal(file.similarity, 95);
  });

  it('parses a pure mode change', () => {
    const file = only(diff('diff --git a/script.sh b/script.sh', 'old mode 100644', 'new mode 100755'));
    assert.equal(file.status, 'modified');
    assert.equal(file.oldPath, 'script.sh');
    assert.equal(file.newPath, 'script.sh');
    assert.equal(file.oldMode, '100644');
    assert.equal(file.newMode, '100755');
    assert.deepEqual(file.hunks, []);
  });

  it('keeps the modes of a mode change with edits', () => {
    const file = only(
      diff(
        'diff --git a/run b/run',
        'old mode 100644',
        'new mode 100755',
        'index 1..2',
        '--- a/run',
        '+++ b/run',
        '@@ -1 +1 @@',
        '-a',
        '+b',
      ),
    );
    assert.deepEqual([file.oldMode, file.newMode, file.hunks.length], ['100644', '100755', 1]);
  });

  it('splits a mode-change header whose path contains spaces and " b/"', () => {
    const file = only(diff('diff --git a/d b/c b d b/d b/c b d', 'old mode 100644', 'new mode 100755'));
    assert.equal(file.oldPath, 'd b/c b d');
    assert.equal(file.newPath, 'd b/c b d');
  });

  it('marks binary files and gives them no hunks', () => {
    const files = parseUnifiedDiff(
      diff(
        'diff --git a/img.png b/img.png',
        'index bdc955b..8835708 100644',
        'Binary files a/img.png and b/img.png differ',
        'diff --git a/new.bin b/new.bin',
        'new file mode 100644',
        'index 0000000..8835708',
        'Binary files /dev/null and b/new.bin differ',
      ),
    );
    assert.equal(files.length, 2);
    assert.deepEqual(
      files.map((f) => [f.status, f.oldPath, f.newPath, f.binary, f.hunks.length]),
      [
        ['modified', 'img.png', 'img.png', true, 0],
        ['added', null, 'new.bin', true, 0],
      ],
    );
  });

  it('strips the CR of CRLF lines', () => {
    const text = diff('diff --git a/w.txt b/w.txt', 'index 1..2 100644', '--- a/w.txt', '+++ b/w.txt', '@@ -1,2 +1,2 @@', ' x\r', '-y\r', '+z\r');
    const file = only(text);
    assert.deepEqual(
      file.hunks[0].lines.map((l) => l.text),
      ['x', 'y', 'z'],
    );
  });

  it('keeps a CR that is not at the end of the line', () => {
    const file = only(diff('diff --git a/a b/a', 'index 1..2 100644', '--- a/a', '+++ b/a', '@@ -1 +1 @@', '-a\rb', '+a\rc'));
    assert.deepEqual(
      file.hunks[0].lines.map((l) => l.text),
      ['a\rb', 'a\rc'],
    );
  });

  it('parses output whose very last line has no newline', () => {
    const text = diff('diff --git a/a b/a', 'index 1..2 100644', '--- a/a', '+++ b/a', '@@ -1 +1 @@', '-r', '+s').replace(/\n$/, '');
    assert.deepEqual(
      only(text).hunks[0].lines.map((l) => [l.kind, l.text]),
      [
        ['del', 'r'],
        ['add', 's'],
      ],
    );
  });

  it('skips "\\ No newline at end of file" on either side and reads the next file', () => {
    const files = parseUnifiedDiff(
      diff(
        'diff --git a/q.txt b/q.txt',
        'index 1..2 100644',
        '--- a/q.txt',
        '+++ b/q.txt',
        '@@ -1 +1,2 @@',
        '-last',
        '\\ No newline at end of file',
        '+last',
        '+more',
        '\\ No newline at end of file',
        'diff --git a/r.txt b/r.txt',
        'index 1..2 100644',
        '--- a/r.txt',
        '+++ b/r.txt',
        '@@ -1 +1 @@',
        '-r',
        '+s',
      ),
    );
    assert.equal(files.length, 2);
    assert.deepEqual(
      files[0].hunks[0].lines.map((l) => [l.kind, l.text]),
      [
        ['del', 'last'],
        ['add', 'last'],
        ['add', 'more'],
      ],
    );
    assert.deepEqual(
      files[1].hunks[0].lines.map((l) => l.text),
      ['r', 's'],
    );
  });

  it('does not mistake a deleted "-- x" line or an added "++ x" line for a file header', () => {
    const file = only(
      diff(
        'diff --git a/notes.md b/notes.md',
        'index 1..2 100644',
        '--- a/notes.md',
        '+++ b/notes.md',
        '@@ -1,2 +1,2 @@',
        '--- a/old',
        '+++ b/new',
        ' keep',
      ),
    );
    assert.equal(file.oldPath, 'notes.md');
    assert.deepEqual(
      file.hunks[0].lines.map((l) => [l.kind, l.text]),
      [
        ['del', '-- a/old'],
        ['add', '++ b/new'],
        ['context', 'keep'],
      ],
    );
  });

  it('keeps a hunk whose function context holds a lone \\r or a U+2028 (found by the property tests)', () => {
    for (const context of ['a\rb', 'const s = "x\u2028y";']) {
      const file = only(diff('diff --git a/a b/a', 'index 1..2 100644', '--- a/a', '+++ b/a', `@@ -2,2 +2,2 @@ ${context}`, ' b', '-c', '+C'));
      assert.equal(file.hunks.length, 1);
      assert.equal(file.hunks[0].header, context);
      assert.deepEqual([...addedLines(file)], [3]);
    }
  });

  it('reads an empty line inside a hunk as empty context (diff.suppressBlankEmpty)', () => {
    const file = only(diff('diff --git a/a b/a', 'index 1..2 100644', '--- a/a', '+++ b/a', '@@ -1,3 +1,3 @@', ' x', '', '-y', '+z'));
    assert.deepEqual(
      file.hunks[0].lines.map((l) => [l.kind, l.text, l.oldLine, l.newLine]),
      [
        ['context', 'x', 1, 1],
        ['context', '', 2, 2],
        ['del', 'y', 3, null],
        ['add', 'z', null, 3],
      ],
    );
  });

  it('keeps unicode paths printed raw (core.quotepath=off)', () => {
    const file = only(
      diff(
        'diff --git a/src/dir with space/naïve.ts b/src/dir with space/naïve.ts',
        'index 1..2 100644',
        '--- a/src/dir with space/naïve.ts\t',
        '+++ b/src/dir with space/naïve.ts\t',
        '@@ -1 +1 @@',
        '-a',
        '+b',
      ),
    );
    assert.equal(file.oldPath, 'src/dir with space/naïve.ts');
    assert.equal(file.newPath, 'src/dir with space/naïve.ts');
  });

  it('decodes octal-escaped UTF-8 paths (core.quotepath=on)', () => {
    const file = only(
      diff(
        'diff --git "a/na\\303\\257ve.ts" "b/na\\303\\257ve.ts"',
        'deleted file mode 100644',
        'index 24188bd..0000000',
        '--- "a/na\\303\\257ve.ts"',
        '+++ /dev/null',
        '@@ -1 +0,0 @@',
        '-u',
      ),
    );
    assert.equal(file.status, 'deleted');
    assert.equal(file.oldPath, 'naïve.ts');
    assert.equal(file.newPath, null);
  });

  it('decodes quoted paths with a quote, a backslash, a tab and a newline', () => {
    const file = only(
      diff(
        'diff --git "a/q\\"t\\\\x\\ty\\nz.txt" "b/q\\"t\\\\x\\ty\\nz.txt"',
        'index 1..2 100644',
        '--- "a/q\\"t\\\\x\\ty\\nz.txt"',
        '+++ "b/q\\"t\\\\x\\ty\\nz.txt"',
        '@@ -1 +1 @@',
        '-a',
        '+b',
      ),
    );
    assert.equal(file.oldPath, 'q"t\\x\ty\nz.txt');
    assert.equal(file.newPath, 'q"t\\x\ty\nz.txt');
  });

  it('decodes quoted paths of binary and mode-only files from the diff --git line', () => {
    const files = parseUnifiedDiff(
      diff(
        'diff --git "a/b\\"in.dat" "b/b\\"in.dat"',
        'index 1..2 100644',
        'Binary files "a/b\\"in.dat" and "b/b\\"in.dat" differ',
        'diff --git "a/x\\ty" "b/x\\ty"',
        'old mode 100644',
        'new mode 100755',
      ),
    );
    assert.deepEqual(
      files.map((f) => [f.oldPath, f.newPath, f.binary]),
      [
        ['b"in.dat', 'b"in.dat', true],
        ['x\ty', 'x\ty', false],
      ],
    );
  });

  it('decodes quoted rename paths where only one side needs quoting', () => {
    const file = only(
      diff('diff --git a/plain.txt "b/tab\\there.txt"', 'similarity index 100%', 'rename from plain.txt', 'rename to "tab\\there.txt"'),
    );
    assert.equal(file.oldPath, 'plain.txt');
    assert.equal(file.newPath, 'tab\there.txt');
  });

  it('marks an added submodule and drops its Subproject lines', () => {
    const file = only(
      diff(
        'diff --git a/sub b/sub',
        'new file mode 160000',
        'index 0000000..7fdbfb7',
        '--- /dev/null',
        '+++ b/sub',
        '@@ -0,0 +1 @@',
        '+Subproject commit 7fdbfb7c2d9e88fae807270d084691880d423f89',
      ),
    );
    assert.equal(file.status, 'added');
    assert.equal(file.newPath, 'sub');
    assert.equal(file.submodule, true);
    assert.equal(file.newMode, '160000');
    assert.deepEqual(file.hunks, []);
  });

  it('marks an updated submodule (mode only on the index line)', () => {
    const file = only(
      diff(
        'diff --git a/libs/sub b/libs/sub',
        'index 7fdbfb7..a5c8c14 160000',
        '--- a/libs/sub',
        '+++ b/libs/sub',
        '@@ -1 +1 @@',
        '-Subproject commit 7fdbfb7c2d9e88fae807270d084691880d423f89',
        '+Subproject commit a5c8c14a629f1c7a88a259608b7bc4dbbecf5cdf-dirty',
      ),
    );
    assert.equal(file.status, 'modified');
    assert.equal(file.submodule, true);
    assert.deepEqual([file.oldMode, file.newMode], ['160000', '160000']);
    assert.deepEqual(file.hunks, []);
  });

  it('skips lines it does not model: unmerged paths and combined diffs', () => {
    const files = parseUnifiedDiff(
      diff(
        '* Unmerged path conflicted.txt',
        'diff --cc both.txt',
        'index 1,2..3',
        '--- a/both.txt',
        '+++ b/both.txt',
        '@@@ -1,1 -1,1 +1,5 @@@',
        '++<<<<<<< HEAD',
        'diff --git a/ok.txt b/ok.txt',
        'new file mode 100644',
        'index 0000000..1',
        '--- /dev/null',
        '+++ b/ok.txt',
        '@@ -0,0 +1 @@',
        '+ok',
      ),
    );
    assert.deepEqual(
      files.map((f) => [f.status, f.newPath]),
      [['added', 'ok.txt']],
    );
  });

  it('keeps what it has of a truncated hunk', () => {
    const file = only(diff('diff --git a/a b/a', 'index 1..2 100644', '--- a/a', '+++ b/a', '@@ -1,5 +1,5 @@', ' x', '-y'));
    assert.deepEqual(
      file.hunks[0].lines.map((l) => l.kind),
      ['context', 'del'],
    );
  });
});
