/**
 * Parses the unified diff text that `git diff` prints into the diff model.
 *
 * The parser expects the flags that `repository.ts` always passes
 * (`--no-color --no-ext-diff --no-textconv -M --submodule=short
 * --src-prefix=a/ --dst-prefix=b/ -c core.quotepath=off`), so the `a/` and `b/`
 * prefixes are always present whatever the user's `diff.noprefix` or
 * `diff.mnemonicPrefix` say. It still decodes C-quoted paths, because git quotes
 * names containing `"`, `\` or control characters even with quotepath off.
 */
import type { DiffFile, DiffHunk, DiffLine, FileChangeStatus } from './diffModel';

/** The mode git gives a gitlink, i.e. a submodule entry. */
const SUBMODULE_MODE = '160000';

// dotAll: the function context git copies after the second @@ is a line of the file, and may hold a
// lone \r or a U+2028, which `.` alone does not match; without `s` the whole hunk was dropped.
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/s;

/** What the `diff --git` block said, before it is turned into a DiffFile. */
interface FileBlock {
  headerOld: string | null;
  headerNew: string | null;
  minusPath: string | null | undefined;
  plusPath: string | null | undefined;
  fromPath: string | null;
  toPath: string | null;
  status: FileChangeStatus;
  oldMode: string | null;
  newMode: string | null;
  binary: boolean;
  similarity: number | null;
  hunks: DiffHunk[];
}

/**
 * Parses `git diff` output into one DiffFile per `diff --git` block. Lines the
 * parser does not know (`* Unmerged path x`, `diff --cc` blocks of combined
 * diffs) are skipped rather than failing the whole review.
 */
export function parseUnifiedDiff(text: string): DiffFile[] {
  const lines = text.split('\n');
  const files: DiffFile[] = [];
  let block: FileBlock | null = null;
  let i = 0;

  while (i < lines.length) {
    const line = lines[i];

    if (line.startsWith('diff --git ')) {
      if (block) files.push(toDiffFile(block));
      block = newBlock(line.slice('diff --git '.length));
      i++;
      continue;
    }
    if (line.startsWith('diff ')) {
      // A combined diff (`diff --cc`) or something else we cannot model: drop it
      // instead of mixing its lines into the previous file.
      if (block) files.push(toDiffFile(block));
      block = null;
      i++;
      continue;
    }
    if (!block) {
      i++;
      continue;
    }

    if (line.startsWith('@@ ')) {
      const parsed = parseHunk(lines, i);
      if (parsed) {
        block.hunks.push(parsed.hunk);
        i = parsed.next;
        continue;
      }
      i++;
      continue;
    }

    readHeaderLine(block, line);
    i++;
  }
  if (block) files.push(toDiffFile(block));
  return files;
}

function newBlock(headerRest: string): FileBlock {
  const [headerOld, headerNew] = splitGitHeader(headerRest);
  return {
    headerOld,
    headerNew,
    minusPath: undefined,
    plusPath: undefined,
    fromPath: null,
    toPath: null,
    status: 'modified',
    oldMode: null,
    newMode: null,
    binary: false,
    similarity: null,
    hunks: [],
  };
}

/** Reads one extended header line (`new file mode`, `rename from`, `---`, ...) into the block. */
function readHeaderLine(block: FileBlock, line: string): void {
  const value = (prefix: string): string | null => (line.startsWith(prefix) ? line.slice(prefix.length) : null);
  let v: string | null;

  if ((v = value('old mode ')) !== null) block.oldMode = v;
  else if ((v = value('new mode ')) !== null) block.newMode = v;
  else if ((v = value('new file mode ')) !== null) {
    block.status = 'added';
    block.newMode = v;
  } else if ((v = value('deleted file mode ')) !== null) {
    block.status = 'deleted';
    block.oldMode = v;
  } else if ((v = value('rename from ')) !== null) {
    block.status = 'renamed';
    block.fromPath = decodePathToken(v);
  } else if ((v = value('rename to ')) !== null) {
    block.status = 'renamed';
    block.toPath = decodePathToken(v);
  } else if ((v = value('copy from ')) !== null) {
    block.status = 'copied';
    block.fromPath = decodePathToken(v);
  } else if ((v = value('copy to ')) !== null) {
    block.status = 'copied';
    block.toPath = decodePathToken(v);
  } else if ((v = value('similarity index ')) !== null) {
    block.similarity = parseInt(v, 10);
  } else if ((v = value('index ')) !== null) {
    // `index abc..def 100644`: the mode is only printed here when it did not change.
    const mode = v.split(' ')[1];
    if (mode) {
      block.oldMode ??= mode;
      block.newMode ??= mode;
    }
  } else if ((v = value('--- ')) !== null) {
    block.minusPath = stripPrefix(decodeFileLinePath(v), 'a/');
  } else if ((v = value('+++ ')) !== null) {
    block.plusPath = stripPrefix(decodeFileLinePath(v), 'b/');
  } else if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
    block.binary = true;
  }
}

/**
 * Reads the hunk whose header is at `lines[start]`. The line counts of the
 * header decide where it ends, so a deleted line that reads `-- x` (printed as
 * `--- x`) is never mistaken for a file header.
 */
function parseHunk(lines: string[], start: number): { hunk: DiffHunk; next: number } | null {
  const m = HUNK_HEADER.exec(lines[start]);
  if (!m) return null;
  const hunk: DiffHunk = {
    oldStart: Number(m[1]),
    oldLines: m[2] === undefined ? 1 : Number(m[2]),
    newStart: Number(m[3]),
    newLines: m[4] === undefined ? 1 : Number(m[4]),
    header: m[5].trim(),
    lines: [],
  };
  let oldLeft = hunk.oldLines;
  let newLeft = hunk.newLines;
  let oldLine = hunk.oldStart;
  let newLine = hunk.newStart;
  let i = start + 1;

  while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
    const raw = lines[i];
    // The last element of split('\n') is the empty string after the final newline.
    if (raw === '' && i === lines.length - 1) break;
    const marker = raw[0];
    const text = stripCr(raw.slice(1));
    let entry: DiffLine;
    if (marker === '\\') {
      i++;
      continue;
    } else if (marker === '+' && newLeft > 0) {
      entry = { kind: 'add', text, oldLine: null, newLine: newLine++ };
      newLeft--;
    } else if (marker === '-' && oldLeft > 0) {
      entry = { kind: 'del', text, oldLine: oldLine++, newLine: null };
      oldLeft--;
    } else if ((marker === ' ' || raw === '') && oldLeft > 0 && newLeft > 0) {
      // diff.suppressBlankEmpty prints an empty context line without its space.
      entry = { kind: 'context', text, oldLine: oldLine++, newLine: newLine++ };
      oldLeft--;
      newLeft--;
    } else {
      break; // truncated or malformed hunk: keep what we have
    }
    hunk.lines.push(entry);
    i++;
  }
  // `\ No newline at end of file` after the last line of the hunk.
  while (i < lines.length && lines[i].startsWith('\\')) i++;
  return { hunk, next: i };
}

function toDiffFile(block: FileBlock): DiffFile {
  const submodule = block.oldMode === SUBMODULE_MODE || block.newMode === SUBMODULE_MODE;
  // Path sources in order of trust: rename/copy lines, then ---/+++ lines, then
  // the `diff --git` header (the only one for mode-only, binary and empty files).
  let oldPath = block.fromPath ?? (block.minusPath !== undefined ? block.minusPath : block.headerOld);
  let newPath = block.toPath ?? (block.plusPath !== undefined ? block.plusPath : block.headerNew);
  if (block.status === 'added') oldPath = null;
  if (block.status === 'deleted') newPath = null;
  let status = block.status;
  if (status === 'modified' && oldPath === null) status = 'added';
  else if (status === 'modified' && newPath === null) status = 'deleted';

  return {
    oldPath,
    newPath,
    status,
    oldMode: block.oldMode,
    newMode: block.newMode,
    binary: block.binary,
    submodule,
    similarity: block.similarity,
    // A gitlink's "content" is `Subproject commit <sha>`, not text worth reviewing.
    hunks: block.binary || submodule ? [] : block.hunks,
  };
}

/**
 * Splits the part of `diff --git a/X b/Y` after `diff --git ` into X and Y.
 * Unquoted names may contain spaces, so for the common case of equal names it
 * uses git's own trick: the two halves must be the same path.
 */
function splitGitHeader(rest: string): [string | null, string | null] {
  if (rest.startsWith('"')) {
    const first = readQuoted(rest, 0);
    if (!first) return [null, null];
    const second = rest.slice(first.end).replace(/^ /, '');
    return [stripPrefix(first.value, 'a/'), stripPrefix(decodePathToken(second), 'b/')];
  }
  // `a/X "b/Y"`: only the second name needed quoting.
  const quotedSecond = rest.indexOf(' "b/');
  if (quotedSecond >= 0 && rest.endsWith('"')) {
    return [stripPrefix(rest.slice(0, quotedSecond), 'a/'), stripPrefix(decodePathToken(rest.slice(quotedSecond + 1)), 'b/')];
  }
  if ((rest.length - 5) % 2 === 0) {
    const n = (rest.length - 5) / 2;
    const left = rest.slice(0, n + 2);
    const right = rest.slice(n + 2);
    if (left.startsWith('a/') && right.startsWith(' b/') && left.slice(2) === right.slice(3)) {
      return [left.slice(2), right.slice(3)];
    }
  }
  const cut = rest.indexOf(' b/');
  if (cut < 0) return [null, null];
  return [stripPrefix(rest.slice(0, cut), 'a/'), rest.slice(cut + 3)];
}

/** The path on a `---`/`+++` line; null for /dev/null. */
function decodeFileLinePath(value: string): string | null {
  if (value.startsWith('"')) return readQuoted(value, 0)?.value ?? null;
  // Git appends a tab after names with spaces (for GNU patch); unquoted names never contain one.
  const tab = value.indexOf('\t');
  const name = tab >= 0 ? value.slice(0, tab) : value;
  return name === '/dev/null' ? null : name;
}

/** A path as printed after `rename from` and friends: C-quoted or raw. */
function decodePathToken(value: string): string {
  if (value.startsWith('"')) {
    const quoted = readQuoted(value, 0);
    if (quoted) return quoted.value;
  }
  return value;
}

function stripPrefix(path: string | null, prefix: string): string | null {
  if (path === null) return null;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * Decodes the C-style quoted string starting at `text[start]` (a `"`). Octal
 * escapes are bytes of the UTF-8 name, so bytes are collected and decoded once.
 * Returns null when the closing quote is missing.
 */
function readQuoted(text: string, start: number): { value: string; end: number } | null {
  const bytes: number[] = [];
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1];
      const octal = /^[0-7]{3}/.exec(text.slice(i + 1, i + 4));
      if (octal) {
        bytes.push(parseInt(octal[0], 8));
        i += 4;
        continue;
      }
      const simple = SIMPLE_ESCAPES[next];
      if (simple !== undefined) bytes.push(simple);
      else bytes.push(...Buffer.from(next, 'utf8')); // unknown escape: keep the character
      i += 2;
      continue;
    }
    const codePoint = text.codePointAt(i)!;
    const char = String.fromCodePoint(codePoint);
    bytes.push(...Buffer.from(char, 'utf8'));
    i += char.length;
  }
  return null;
}
