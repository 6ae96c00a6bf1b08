/**
 * The content-addressed review cache. Each hunk's findings are stored under a key
 * of what decides them and nothing else: the hunk's added and deleted lines, the declarations
 * around it (before and after), and the rule set; for a hunk that touches an
 * export, also the module's exports, what it imports, and the lines of its
 * dependents that use the exports the hunk touches. No line numbers, no commit
 * ids, no times: a moved hunk, a rebase, an amend or a force-push that leaves
 * content and context alone hits; a dependent edited elsewhere hits; a new or
 * changed use of what the hunk changed misses.
 *
 * A file's keys are a function of its two versions until they reach outside it,
 * and that much is remembered: a file reviewed before is not parsed again.
 *
 * Rules run per file, so a file is taken from the cache only when every one of
 * its hunks hits; its findings are then re-anchored to where the hunks are now,
 * keeping their ids.
 */
import { createHash } from 'node:crypto';
import type { Finding, RelatedLocation } from '../../shared/review';
import type { DiffHunk } from '../git/diffModel';
import type { ts } from 'ts-morph';
import type { CacheStore } from '../store/cacheStore';
import type { ChangedFile } from './rule';
import { ExportReach } from './compatibility/apiReach';
import { syntaxTreeOf } from './syntaxTrees';

/** Bump when a rule's logic changes, so that no result of the old logic is served. */
export const RULES_CACHE_VERSION = 5;

/**
 * A finding as cached: lines relative to its hunk's first new line; each related
 * place with a hash of its line's text (a hash: the line may hold a secret), by
 * which it is found again when the file it is in has moved it.
 */
interface CachedFinding extends Omit<Finding, 'line' | 'endLine' | 'related'> {
  lineOffset: number;
  endLineOffset: number;
  related: Array<RelatedLocation & { lineHash?: string }>;
}

export interface CachePartition {
  /** Findings of files whose every hunk hit, re-anchored. */
  cachedFindings: Finding[];
  /** What the rules told the user of those files (a comparison only partly made), as when they were reviewed. */
  cachedNotices: string[];
  /** Files to review. */
  missed: ChangedFile[];
  hunks: number;
  hits: number;
}

export interface ReviewCacheOptions {
  store: CacheStore;
  /** A fingerprint of the rule set and its configuration. */
  rulesKey: string;
  /**
   * What a breaking-change finding on `path` depends on outside it: the files it
   * imports, and the uses of `symbols` (its exports the hunk touches) in the files
   * that depend on it — their lines, not their whole text (dependentUses.ts).
   * `symbols` null: the hunk touches exports it cannot name (`export *`), and the
   * dependents' whole files count.
   */
  dependentsOf: (path: string, symbols: readonly string[] | null, textOf: (path: string) => string | null, contentIdOf: (path: string) => string | null) => string;
  /**
   * The text of a workspace file as the review sees it: a finding served from the
   * cache has its related places (uses in dependents, whose edits elsewhere keep
   * the key) moved to where their lines are now. Without it they stay as stored.
   */
  textOf?: (path: string) => string | null;
  /**
   * What of the whole change (every changed file, cached or not) decides the
   * findings on a hunk that touches an export, beyond its file and its module's
   * neighbours: the rules' own say (StaticRule.changeKey). Without it, nothing.
   */
  changeKeyOf?: (files: readonly ChangedFile[]) => string;
}

/**
 * A hunk's key before what lies outside its file: `exports` says which of the
 * module's exports it touches (null: none, so nothing outside the file matters;
 * '*': some it cannot name).
 */
interface HunkKeyBase {
  base: string;
  exports: string[] | '*' | null;
}

/** Bump when the way hunk keys are made changes: the remembered bases of the old way are then never read. */
const KEY_VERSION = 4;

export class ReviewCache {
  private readonly keys = new Map<ChangedFile, string[]>();
  private readonly dependents = new Map<string, string>();
  private readonly lineHashes = new Map<string, string[] | null>();
  /** The changed files' reviewed versions: what the review sees of them, wherever the work tree is. */
  private readonly reviewed = new Map<string, string | null>();
  /** The change's part of the keys of hunks that touch an export, from the files partition() was given. */
  private changeKey: string | undefined;

  constructor(private readonly options: ReviewCacheOptions) {}

  partition(files: readonly ChangedFile[]): CachePartition {
    return this.options.store.transaction(() => this.partitionNow(files));
  }

  private partitionNow(files: readonly ChangedFile[]): CachePartition {
    const now = Date.now();
    for (const file of files) this.reviewed.set(file.path, file.newText);
    this.changeKey ??= this.options.changeKeyOf?.(files) ?? '';
    const result: CachePartition = { cachedFindings: [], cachedNotices: [], missed: [], hunks: 0, hits: 0 };
    for (const file of files) {
      const keys = this.keysFor(file, now);
      result.hunks += keys.length;
      const entries = keys.map((key) => this.read(key, now));
      result.hits += entries.filter(Boolean).length;
      const notices = keys.length > 0 && entries.every(Boolean) ? this.options.store.getJson(noticesKey(keys), now, isStringArray) : undefined;
      if (notices) {
        entries.forEach((cached, i) => result.cachedFindings.push(...cached!.map((entry) => this.reanchor(entry, file.diff.hunks[i]))));
        result.cachedNotices.push(...notices);
      } else {
        result.missed.push(file);
      }
    }
    return result;
  }

  /**
   * Stores the findings of reviewed files, hunk by hunk (an empty list is a result
   * too), and per file what the rules told the user of it (`notices`, each naming
   * its file first, as `path: …`).
   */
  store(files: readonly ChangedFile[], findings: readonly Finding[], notices: readonly string[] = []): void {
    const now = Date.now();
    // Stored without a partition first: the files given are the whole change.
    this.changeKey ??= this.options.changeKeyOf?.(files) ?? '';
    this.options.store.transaction(() => {
      for (const file of files) {
        const keys = this.keysFor(file, now);
        if (!keys.length) continue;
        const perHunk: CachedFinding[][] = keys.map(() => []);
        for (const finding of findings) {
          if (finding.file !== file.path) continue;
          const index = hunkIndexFor(file.diff.hunks, finding.line);
          const start = file.diff.hunks[index].newStart;
          const { line, endLine, related, ...rest } = finding;
          const hashed = related.map((place) => {
            const lineHash = this.lineHashesOf(place.file)?.[place.line - 1];
            return lineHash === undefined ? place : { ...place, lineHash };
          });
          perHunk[index].push({ ...rest, related: hashed, lineOffset: line - start, endLineOffset: endLine - start });
        }
        keys.forEach((key, i) => this.options.store.put(key, JSON.stringify(perHunk[i]), now));
        // Written last: a file is served from the cache only when this entry is there too.
        this.options.store.put(noticesKey(keys), JSON.stringify(notices.filter((notice) => notice.startsWith(`${file.path}: `))), now);
      }
    });
  }

  private reanchor(entry: CachedFinding, hunk: DiffHunk): Finding {
    const { lineOffset, endLineOffset, related, ...rest } = entry;
    const line = Math.max(1, hunk.newStart + lineOffset);
    const places = related.map(({ lineHash, ...place }) => {
      if (lineHash === undefined) return place;
      const hashes = this.lineHashesOf(place.file);
      if (!hashes || hashes[place.line - 1] === lineHash) return place;
      // Found again by its trimmed text: its indentation, and so its columns, may have changed.
      const { column: _column, endColumn: _endColumn, ...moved } = place;
      return { ...moved, line: nearestLine(hashes, lineHash, place.line) };
    });
    return { ...rest, related: places, line, endLine: Math.max(line, hunk.newStart + endLineOffset) };
  }

  /** A hash of a changed file's reviewed version; null for the other files (the index knows theirs). */
  private reviewedIdOf(path: string): string | null {
    if (!this.reviewed.has(path)) return null;
    const text = this.reviewed.get(path);
    return text === null || text === undefined ? 'deleted' : createHash('sha1').update(text).digest('hex');
  }

  private textOf(path: string): string | null {
    return this.reviewed.has(path) ? this.reviewed.get(path)! : this.options.textOf?.(path) ?? null;
  }

  private lineHashesOf(path: string): string[] | null {
    let hashes = this.lineHashes.get(path);
    if (hashes === undefined) {
      const text = this.textOf(path);
      hashes = text === null ? null : text.split('\n').map((line) => createHash('sha1').update(line.trim()).digest('base64').slice(0, 12));
      this.lineHashes.set(path, hashes);
    }
    return hashes;
  }

  private read(key: string, now: number): CachedFinding[] | undefined {
    return this.options.store.getJson(key, now, (value): value is CachedFinding[] => Array.isArray(value) && value.every(isCachedFinding));
  }

  private keysFor(file: ChangedFile, now: number): string[] {
    let keys = this.keys.get(file);
    if (!keys) {
      keys = this.keyBasesFor(file, now).map(({ base, exports }) => {
        if (exports === null) return base;
        // Only a hunk that touches an export can hold a breaking change, whose result depends
        // on the module's imports and on how its dependents use what the hunk changed.
        const symbols = exports === '*' ? null : exports;
        const memo = `${file.path}\u0000${symbols?.join(',') ?? '*'}`;
        let dependents = this.dependents.get(memo);
        if (dependents === undefined) this.dependents.set(memo, (dependents = this.options.dependentsOf(file.path, symbols, (path) => this.textOf(path), (path) => this.reviewedIdOf(path))));
        return createHash('sha256').update(base).update('\u0000dependents:').update(dependents).update('\u0000change:').update(this.changeKey ?? '').digest('hex');
      });
      this.keys.set(file, keys);
    }
    return keys;
  }

  /**
   * The hunks' keys as far as the file itself decides them. They are a function of
   * the file's two versions (and the rules), so they are remembered under a hash of
   * those: a file reviewed before is not parsed again to find its keys.
   */
  private keyBasesFor(file: ChangedFile, now: number): HunkKeyBase[] {
    const versions = createHash('sha256').update(`keys:v${KEY_VERSION}\u0000${this.options.rulesKey}\u0000${file.path}\u0000${file.diff.oldPath ?? ''}\u0000`);
    versions.update(file.oldText ?? '\u0001none').update('\u0000').update(file.newText ?? '\u0001none').update('\u0000');
    for (const hunk of file.diff.hunks) versions.update(`${hunk.oldStart},${hunk.oldLines},${hunk.newStart},${hunk.newLines};`);
    const memoKey = versions.digest('hex');
    const known = this.options.store.getJson(memoKey, now, (value): value is HunkKeyBase[] => Array.isArray(value) && value.length === file.diff.hunks.length && value.every(isHunkKeyBase));
    if (known) return known;
    const bases = computeKeyBases(file, this.options.rulesKey);
    this.options.store.put(memoKey, JSON.stringify(bases), now);
    return bases;
  }
}

function computeKeyBases(file: ChangedFile, rulesKey: string): HunkKeyBase[] {
  const newTree = syntaxTreeOf(file, 'new');
  const oldTree = syntaxTreeOf(file, 'old');
  const newDeclarations = declarationSpans(newTree);
  const oldDeclarations = declarationSpans(oldTree);
  const newReach = newTree && newTree.statements.length ? new ExportReach(newTree) : null;
  const oldReach = oldTree && oldTree.statements.length ? new ExportReach(oldTree) : null;
  let moduleContext: string | undefined;
  return file.diff.hunks.map((hunk) => {
    const around = [enclosing(newDeclarations, hunk.newStart, hunk.newLines), enclosing(oldDeclarations, hunk.oldStart, hunk.oldLines)];
    const hash = createHash('sha256');
    for (const part of [rulesKey, file.path, file.diff.oldPath ?? '']) hash.update(part).update('\u0000');
    // The changed lines only: the context lines git adds around them change whenever a
    // neighbouring edit does; the enclosing declarations are the context that matters.
    for (const line of hunk.lines) if (line.kind !== 'context') hash.update(line.kind).update(line.text.trimEnd()).update('\n');
    hash.update('\u0000new:').update(around[0].map((span) => span.text).join('\u0000'));
    hash.update('\u0000old:').update(around[1].map((span) => span.text).join('\u0000'));
    const exports = exportsReached(
      newReach?.reach(around[0].map((span) => span.statement)) ?? null,
      oldReach?.reach(around[1].map((span) => span.statement)) ?? null,
      !newReach && !oldReach,
    );
    if (exports !== null) {
      // A breaking-change finding looks at every export of the module (a removal in one hunk and an addition in another make a rename).
      moduleContext ??= fileContext(file);
      hash.update('\u0000module:').update(moduleContext);
    }
    return { base: hash.digest('hex'), exports };
  });
}

/**
 * The exported names a hunk reaches in either version (not only those it touches:
 * an edit to a local type reaches the exports that name it); '*' when some cannot
 * be named, or the file has no declarations to tell; null when it reaches none.
 */
function exportsReached(inNew: Set<string> | '*' | null, inOld: Set<string> | '*' | null, noDeclarations: boolean): string[] | '*' | null {
  if (noDeclarations || inNew === '*' || inOld === '*') return '*';
  const names = new Set([...(inNew ?? []), ...(inOld ?? [])]);
  return names.size ? [...names].sort() : null;
}

/** The line (1-based) nearest `line` whose hash is `hash`; `line` itself when none is. */
function nearestLine(hashes: readonly string[], hash: string, line: number): number {
  for (let distance = 1; distance < hashes.length; distance++) {
    if (hashes[line - 1 - distance] === hash) return line - distance;
    if (hashes[line - 1 + distance] === hash) return line + distance;
  }
  return line;
}

/** The hunk whose new lines hold `line`, else the nearest one. */
function hunkIndexFor(hunks: readonly DiffHunk[], line: number): number {
  let best = 0;
  let bestDistance = Infinity;
  hunks.forEach((hunk, i) => {
    const last = hunk.newStart + Math.max(hunk.newLines, 1) - 1;
    const distance = line < hunk.newStart ? hunk.newStart - line : line > last ? line - last : 0;
    if (distance < bestDistance) {
      best = i;
      bestDistance = distance;
    }
  });
  return best;
}

interface Span {
  start: number;
  end: number;
  text: string;
  statement: ts.Statement;
}

/** Top-level statements with their line spans, for TS/JS; none for other files. */
function declarationSpans(sourceFile: ts.SourceFile | null): Span[] {
  if (sourceFile === null) return [];
  const line = (pos: number) => sourceFile.getLineAndCharacterOfPosition(pos).line + 1;
  return sourceFile.statements.map((statement) => ({
    start: line(statement.getStart(sourceFile)), end: line(statement.end), text: statement.getText(sourceFile), statement,
  }));
}

/** The declarations that overlap lines `start..start+count-1`. */
function enclosing(spans: readonly Span[], start: number, count: number): Span[] {
  const end = start + Math.max(count, 1) - 1;
  return spans.filter((span) => span.start <= end && span.end >= start);
}

/**
 * What of the whole file a hunk's findings can depend on besides its own
 * surroundings: a breaking-change finding looks at every export of the module
 * (a removal in one hunk and an addition in another make a rename).
 */
function fileContext(file: ChangedFile): string {
  const exportsOf = (text: string | null) => (text === null ? '' : [...text.matchAll(/^\s*export\b[^\n]*/gm)].map((match) => match[0].trim()).sort().join('\n'));
  return `${exportsOf(file.oldText)}\u0000${exportsOf(file.newText)}`;
}

/** The key of a file's notices: its hunks' keys together (a notice is about the file, not one hunk). */
function noticesKey(hunkKeys: readonly string[]): string {
  return createHash('sha256').update('notices\u0000').update(hunkKeys.join('\u0000')).digest('hex');
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isHunkKeyBase(value: unknown): value is HunkKeyBase {
  const entry = value as HunkKeyBase;
  return typeof entry === 'object' && entry !== null && typeof entry.base === 'string'
    && (entry.exports === null || entry.exports === '*' || (Array.isArray(entry.exports) && entry.exports.every((name) => typeof name === 'string')));
}

function isCachedFinding(value: unknown): value is CachedFinding {
  const entry = value as CachedFinding;
  return typeof entry === 'object' && entry !== null && typeof entry.id === 'string' && typeof entry.ruleId === 'string'
    && typeof entry.lineOffset === 'number' && typeof entry.endLineOffset === 'number' && typeof entry.message === 'string'
    && Array.isArray(entry.related);
}
