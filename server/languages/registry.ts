/**
 * The languages parsed by tree-sitter, by file extension: the one list the index,
 * the rules and the LLM's context consult. A fifth language is a folder beside
 * python/, go/ and java/ and one entry here.
 *
 * Parsing is synchronous once a grammar is loaded and loading is not: whoever is
 * about to parse files (an index pass, a review) calls `loadParsersFor` with their
 * paths first, then `parseFile` as often as it likes.
 */
import { goAdapter } from './go/adapter';
import { javaAdapter } from './java/adapter';
import type { LanguageAdapter, ParsedFile } from './model';
import { pythonAdapter } from './python/adapter';
import { parserFor, parseWith } from './treeSitter';
import type { Edit, Parser, Point, Tree } from '@vscode/tree-sitter-wasm';

export const LANGUAGE_ADAPTERS: readonly LanguageAdapter[] = [pythonAdapter, goAdapter, javaAdapter];

const byExtension = new Map(LANGUAGE_ADAPTERS.flatMap((adapter) => adapter.extensions.map((extension) => [extension, adapter] as const)));
const loaded = new Map<LanguageAdapter, Parser>();

/**
 * Folders of other people's code or of build output that a language's tooling
 * keeps inside a repository: virtual environments, Go's vendor tree, Maven's and
 * Gradle's outputs. Never the workspace's own code.
 */
const FOREIGN_FOLDERS = /(?:^|\/)(?:node_modules|vendor|\.venv|venv|site-packages|__pycache__|\.tox|\.gradle|target|build\/generated)\//;

/** The adapter for a path, by its extension; undefined for TypeScript, JavaScript and everything else. */
export function adapterFor(path: string): LanguageAdapter | undefined {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return undefined;
  return byExtension.get(path.slice(dot).toLowerCase());
}

/** Whether the index reads `path` as a file of one of these languages. */
export function isLanguageSourcePath(path: string): boolean {
  return adapterFor(path) !== undefined && !FOREIGN_FOLDERS.test(path);
}

/** Whether `path` is a build file whose content decides how some language's imports resolve. */
export function isLanguageResolutionInput(path: string): boolean {
  return !FOREIGN_FOLDERS.test(path) && LANGUAGE_ADAPTERS.some((adapter) => adapter.isResolutionInput(path));
}

/** Loads the grammars of the languages among `paths` (at most once each per process). */
export async function loadParsersFor(paths: Iterable<string>): Promise<void> {
  const needed = new Set<LanguageAdapter>();
  for (const path of paths) {
    const adapter = adapterFor(path);
    if (adapter && !loaded.has(adapter)) needed.add(adapter);
    if (needed.size + loaded.size === LANGUAGE_ADAPTERS.length) break;
  }
  for (const adapter of needed) loaded.set(adapter, await parserFor(adapter.grammar));
}

/**
 * Parses a file of one of these languages; null when its grammar is not loaded
 * (`loadParsersFor` was not called for it). The caller deletes the tree.
 */
export function parseFile(adapter: LanguageAdapter, path: string, text: string): ParsedFile | null {
  const parser = loaded.get(adapter);
  return parser ? { path, text, tree: parseWith(parser, text) } : null;
}

/** Runs `use` on a parse of the file and frees the tree afterwards; null when the grammar is not loaded. */
export function withParsedFile<T>(adapter: LanguageAdapter, path: string, text: string, use: (file: ParsedFile) => T): T | null {
  const file = parseFile(adapter, path, text);
  if (!file) return null;
  try {
    return use(file);
  } finally {
    file.tree.delete();
  }
}

/** How many files' last trees are kept for incremental re-parsing (the files being edited). */
const KEPT_TREES = 16;
/** The last tree of each recently re-indexed file, with the text it was parsed from; oldest first. */
const keptTrees = new Map<string, { adapter: LanguageAdapter; text: string; tree: Tree }>();

/**
 * `withParsedFile` for a file that is being edited (re-indexed on each save): its
 * previous tree is kept, and the next parse reuses what the edit left alone, which is
 * tree-sitter's incremental parsing (a save re-parses the changed region, not the file).
 */
export function withReparsedFile<T>(adapter: LanguageAdapter, path: string, text: string, use: (file: ParsedFile) => T): T | null {
  const parser = loaded.get(adapter);
  if (!parser) return null;
  const kept = keptTrees.get(path);
  keptTrees.delete(path);
  let tree: Tree;
  if (kept && kept.adapter === adapter) {
    kept.tree.edit(editBetween(kept.text, text));
    tree = parser.parse(text, kept.tree) ?? parseWith(parser, text);
    kept.tree.delete();
  } else {
    kept?.tree.delete();
    tree = parseWith(parser, text);
  }
  keptTrees.set(path, { adapter, text, tree });
  if (keptTrees.size > KEPT_TREES) {
    const [oldest, entry] = keptTrees.entries().next().value as [string, { tree: Tree }];
    entry.tree.delete();
    keptTrees.delete(oldest);
  }
  return use({ path, text, tree });
}

/** The one edit that turns `before` into `after` (the span between their common prefix and suffix), in UTF-16 code units as the JavaScript binding counts. */
function editBetween(before: string, after: string): Edit {
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < limit - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return {
    startIndex: start,
    oldEndIndex: before.length - suffix,
    newEndIndex: after.length - suffix,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, before.length - suffix),
    newEndPosition: pointAt(after, after.length - suffix),
  };
}

function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < index; at = text.indexOf('\n', at + 1)) {
    row++;
    lineStart = at + 1;
  }
  return { row, column: index - lineStart };
}
