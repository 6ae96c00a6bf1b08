/** Which files the indexer reads, and how the compiler should parse each. */
import { ts } from 'ts-morph';
import { isLanguageSourcePath } from '../languages/registry';

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

function extensionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 || dot < path.lastIndexOf('/') ? '' : path.slice(dot).toLowerCase();
}

/**
 * Parses a file the way everything outside the type checker does here: a bare
 * syntax tree, no parent pointers, no JSDoc (nothing reads it, and skipping it
 * saves a fifth of the parse on JavaScript-heavy code).
 */
export function parseSource(path: string, text: string): ts.SourceFile {
  const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  return ts.createSourceFile(path, text, options, false, scriptKindOf(path) ?? ts.ScriptKind.TS);
}

/** The script kind for a TypeScript or JavaScript path, or undefined for anything else. */
export function scriptKindOf(path: string): ts.ScriptKind | undefined {
  return SCRIPT_KINDS[extensionOf(path)];
}

/**
 * Whether a workspace path is one the indexer should look at: TypeScript or
 * JavaScript source, but not type declarations of dependencies (anything under a
 * `node_modules` folder), nor minified bundles recognisable by name; and the
 * source of the languages tree-sitter parses (server/languages/registry.ts).
 */
export function isIndexablePath(path: string): boolean {
  if (scriptKindOf(path) === undefined) return isLanguageSourcePath(path);
  if (path.startsWith('node_modules/') || path.includes('/node_modules/')) return false;
  return !/\.min\.[cm]?js$|[.-]bundle\.[cm]?js$/i.test(path);
}

/**
 * Generated bundles that slipped past the name check (a committed `dist/app.js`)
 * make the index slow and its symbols useless; they are recognisable by very long
 * lines. Looks at the first 64 KiB only, so the check costs nothing on real code.
 */
export function looksGenerated(text: string): boolean {
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  let lineStart = 0;
  let lines = 0;
  for (;;) {
    const end = head.indexOf('\n', lineStart);
    const length = (end < 0 ? head.length : end) - lineStart;
    if (length > 4000) return true;
    lines++;
    if (end < 0) break;
    lineStart = end + 1;
  }
  return head.length > 8192 && head.length / lines > 250;
}
