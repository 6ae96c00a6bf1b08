/**
 * One parse per file version per review. The cache keys (the declarations around
 * each hunk), the rules that read syntax (debug leftovers, the exported API the
 * breaking-change rule describes) and the LLM's context all ask for the same
 * trees of the same changed files; each version is parsed the first time one of
 * them asks, and kept with the review's `ChangedFile` (so it goes when the review
 * does). The type checker parses its own copies: its program's options decide how
 * a file is parsed, and it shares them across its programs (checkerProgram.ts).
 */
import { ts } from 'ts-morph';
import { scriptKindOf } from '../index/languages';
import type { ChangedFile } from './rule';

type Version = 'old' | 'new';

const trees = new WeakMap<ChangedFile, Partial<Record<Version, ts.SourceFile | null>>>();
let parsed = 0;

/** How many versions this process has parsed for reviews: what the parse-once promise is measured by. */
export function reviewParses(): number {
  return parsed;
}

/**
 * The syntax tree of one version of a changed file (with parent pointers, without
 * JSDoc, which nothing here reads), or null when that version has no text or is
 * not TypeScript or JavaScript.
 */
export function syntaxTreeOf(file: ChangedFile, version: Version): ts.SourceFile | null {
  let known = trees.get(file);
  if (!known) trees.set(file, (known = {}));
  let tree = known[version];
  if (tree === undefined) {
    const path = version === 'old' ? file.diff.oldPath ?? file.path : file.diff.newPath ?? file.path;
    const text = version === 'old' ? file.oldText : file.newText;
    tree = text === null ? null : parseForReview(path, text);
    if (tree) parsed++;
    known[version] = tree;
  }
  return tree;
}

/** How every rule outside the type checker parses: the newest syntax, parents set, JSDoc skipped. */
function parseForReview(path: string, text: string): ts.SourceFile | null {
  const kind = scriptKindOf(path);
  if (kind === undefined) return null;
  return ts.createSourceFile(path, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, kind);
}

/** The first syntax error the parser recovered from, as `line N: message`; null when the file parses. */
export function syntaxErrorOf(sourceFile: ts.SourceFile): string | null {
  // The parser's own diagnostics: createSourceFile keeps them on the file (not in its public typing).
  const diagnostic = (sourceFile as ts.SourceFile & { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics?.[0];
  if (!diagnostic) return null;
  const line = sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
  return `line ${line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
}
