/**
 * The content-addressed review cache. Each hunk's findings are stored under a key
 * of what decides them and nothing else: the hunk's added and deleted lines, the declarations
 * around it (before and after), the module's exported names, the files that
 * depend on it as the index knows them, and the rule set. No line numbers, no
 * commit ids, no times: a moved hunk, a rebase, an amend or a force-push that
 * leaves content and context alone hits; a change to a dependent misses.
 *
 * Rules run per file, so a file is taken from the cache only when every one of
 * its hunks hits; its findings are then re-anchored to where the hunks are now,
 * keeping their ids.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../../shared/review';
import type { DiffHunk } from '../git/diffModel';
import { parseSource, scriptKindOf } from '../index/languages';
import type { CacheStore } from '../store/cacheStore';
import type { ChangedFile } from './rule';

/** Bump when a rule's logic changes, so that no result of the old logic is served. */
export const RULES_CACHE_VERSION = 2;

/** A finding as cached: lines relative to its hunk's first new line. */
interface CachedFinding extends Omit<Finding, 'line' | 'endLine'> {
  lineOffset: number;
  endLineOffset: number;
}

export interface CachePartition {
  /** Findings of files whose every hunk hit, re-anchored. */
  cachedFindings: Finding[];
  /** Files to review. */
  missed: ChangedFile[];
  hunks: number;
  hits: number;
}

export interface ReviewCacheOptions {
  store: CacheStore;
  /** A fingerprint of the rule set and its configuration. */
  rulesKey: string;
  /** A fingerprint of the files that depend on `path` (their paths and content hashes). */
  dependentsOf: (path: string) => string;
}

export class ReviewCache {
  private readonly keys = new Map<ChangedFile, string[]>();

  constructor(private readonly options: ReviewCacheOptions) {}

  partition(files: readonly ChangedFile[]): CachePartition {
    const now = Date.now();
    const result: CachePartition = { cachedFindings: [], missed: [], hunks: 0, hits: 0 };
    for (const file of files) {
      const keys = this.keysFor(file);
      result.hunks += keys.length;
      const entries = keys.map((key) => this.read(key, now));
      result.hits += entries.filter(Boolean).length;
      if (keys.length > 0 && entries.every(Boolean)) {
        entries.forEach((cached, i) => result.cachedFindings.push(...cached!.map((entry) => reanchor(entry, file.diff.hunks[i]))));
      } else {
        result.missed.push(file);
      }
    }
    return result;
  }

  /** Stores the findings of reviewed files, hunk by hunk (an empty list is a result too). */
  store(files: readonly ChangedFile[], findings: readonly Finding[]): void {
    const now = Date.now();
    for (const file of files) {
      const keys = this.keysFor(file);
      if (!keys.length) continue;
      const perHunk: CachedFinding[][] = keys.map(() => []);
      for (const finding of findings) {
        if (finding.file !== file.path) continue;
        const index = hunkIndexFor(file.diff.hunks, finding.line);
        const start = file.diff.hunks[index].newStart;
        const { line, endLine, ...rest } = finding;
        perHunk[index].push({ ...rest, lineOffset: line - start, endLineOffset: endLine - start });
      }
      keys.forEach((key, i) => this.options.store.put(key, JSON.stringify(perHunk[i]), now));
    }
  }

  private read(key: string, now: number): CachedFinding[] | undefined {
    return this.options.store.getJson(key, now, (value): value is CachedFinding[] => Array.isArray(value) && value.every(isCachedFinding));
  }

  private keysFor(file: ChangedFile): string[] {
    let keys = this.keys.get(file);
    if (!keys) {
      const newDeclarations = declarationSpans(file.path, file.newText);
      const oldDeclarations = declarationSpans(file.diff.oldPath ?? file.path, file.oldText);
      let moduleContext: string | undefined;
      keys = file.diff.hunks.map((hunk) => {
        const around = [enclosing(newDeclarations, hunk.newStart, hunk.newLines), enclosing(oldDeclarations, hunk.oldStart, hunk.oldLines)];
        const hash = createHash('sha256');
        for (const part of [this.options.rulesKey, file.path, file.diff.oldPath ?? '']) hash.update(part).update('\u0000');
        // The changed lines only: the context lines git adds around them change whenever a
        // neighbouring edit does; the enclosing declarations are the context that matters.
        for (const line of hunk.lines) if (line.kind !== 'context') hash.update(line.kind).update(line.text.trimEnd()).update('\n');
        hash.update('\u0000new:').update(around[0].join('\u0000'));
        hash.update('\u0000old:').update(around[1].join('\u0000'));
        // Only a hunk that touches an export can hold a breaking change, whose result depends
        // on the module's other exports and on its dependents: only its key includes them.
        if (around.some((texts) => texts.some((text) => /^\s*export\b/.test(text))) || (!newDeclarations.length && !oldDeclarations.length)) {
          moduleContext ??= `${fileContext(file)}\u0000${this.options.dependentsOf(file.path)}`;
          hash.update('\u0000module:').update(moduleContext);
        }
        return hash.digest('hex');
      });
      this.keys.set(file, keys);
    }
    return keys;
  }
}

function reanchor(entry: CachedFinding, hunk: DiffHunk): Finding {
  const { lineOffset, endLineOffset, ...rest } = entry;
  const line = Math.max(1, hunk.newStart + lineOffset);
  return { ...rest, line, endLine: Math.max(line, hunk.newStart + endLineOffset) };
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
}

/** Top-level statements with their line spans, for TS/JS; none for other files. */
function declarationSpans(path: string, text: string | null): Span[] {
  if (text === null || scriptKindOf(path) === undefined) return [];
  const sourceFile = parseSource(path, text);
  const line = (pos: number) => sourceFile.getLineAndCharacterOfPosition(pos).line + 1;
  return sourceFile.statements.map((statement) => ({ start: line(statement.getStart(sourceFile)), end: line(statement.end), text: statement.getText(sourceFile) }));
}

/** The texts of the declarations that overlap lines `start..start+count-1`. */
function enclosing(spans: readonly Span[], start: number, count: number): string[] {
  const end = start + Math.max(count, 1) - 1;
  return spans.filter((span) => span.start <= end && span.end >= start).map((span) => span.text);
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

function isCachedFinding(value: unknown): value is CachedFinding {
  const entry = value as CachedFinding;
  return typeof entry === 'object' && entry !== null && typeof entry.id === 'string' && typeof entry.ruleId === 'string'
    && typeof entry.lineOffset === 'number' && typeof entry.endLineOffset === 'number' && typeof entry.message === 'string'
    && Array.isArray(entry.related);
}
