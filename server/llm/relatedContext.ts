/**
 * "Review related files together": when one change edits both a definition and
 * code that uses it, each side's hunk is shown with the other's. A renamed
 * parameter is judged next to the callers that were (or were not) updated for it;
 * an updated call next to the new signature. The index says who imports whom
 * and where each exported declaration is; the change's own hunks are the text.
 */
import type { DiffHunk } from '../git/diffModel';
import type { ChangedFile } from '../review/rule';
import type { StoredImport, StoredSymbol } from '../store/indexStore';
import type { Section } from './context';

export const CHANGED_CALLERS = 'The same change also edits code that uses these exports';
export const CHANGED_DEFINITIONS = 'The same change also edits what these lines use';
/** A related hunk longer than this is cut: the signature and the first uses are what matter. */
const MAX_RELATED_HUNK_LINES = 60;

/** What the index tells this module (ContextSources' part of it). */
export interface RelatedSources {
  importsIn(path: string): StoredImport[];
  symbolsIn(path: string): StoredSymbol[];
  isExcluded(path: string): boolean;
}

/**
 * The other side of `hunk` within `change`: for a hunk that changes exported
 * declarations, the hunks of other changed files that import them and mention
 * them; for a hunk that mentions an import from another changed file, that file's
 * hunks that change the imported declarations. Each is one section, so the
 * budget can leave one out and name it.
 */
export function relatedChangeSections(file: ChangedFile, hunk: DiffHunk, change: readonly ChangedFile[], sources: RelatedSources): Section[] {
  const others = change.filter((other) => other.path !== file.path && other.newText !== null && !sources.isExcluded(other.path));
  if (!others.length) return [];
  const sections: Section[] = [];
  const seen = new Set<string>();
  const add = (group: string, other: ChangedFile, otherHunk: DiffHunk, why: string) => {
    const key = `${other.path}\u0000${otherHunk.newStart}`;
    // No cap of its own: the prompt's budget decides, and names each related hunk it leaves out.
    if (seen.has(key)) return;
    seen.add(key);
    sections.push({ group, render: () => renderOtherHunk(other.path, otherHunk, why), what: `the related change in ${other.path}:${otherHunk.newStart}` });
  };

  // This hunk defines: the changed callers.
  const defined = changedExports(file.path, hunk, sources);
  if (defined.size) {
    for (const other of others) {
      const names = namesBound(sources.importsIn(other.path).filter((row) => row.resolvedPath === file.path), defined);
      if (!names.length) continue;
      for (const otherHunk of other.diff.hunks) {
        const used = names.filter((name) => mentions(otherHunk, name.local));
        if (used.length) add(CHANGED_CALLERS, other, otherHunk, `uses ${describeNames(used)}`);
      }
    }
  }

  // This hunk uses: the changed definitions.
  const byPath = new Map(others.map((other) => [other.path, other]));
  const imports = sources.importsIn(file.path).filter((row) => row.resolvedPath !== null && byPath.has(row.resolvedPath));
  for (const row of imports) {
    const other = byPath.get(row.resolvedPath!)!;
    for (const otherHunk of other.diff.hunks) {
      const changed = changedExports(other.path, otherHunk, sources);
      const used = namesBound([row], changed).filter((name) => mentions(hunk, name.local));
      if (used.length) add(CHANGED_DEFINITIONS, other, otherHunk, `changes ${describeNames(used)}`);
    }
  }
  return sections;
}

/** The exported declarations of `path` (as the index has them now) that `hunk` adds or edits lines of. */
function changedExports(path: string, hunk: DiffHunk, sources: RelatedSources): Set<string> {
  const touched = hunk.lines.flatMap((line) => (line.kind === 'add' && line.newLine !== null ? [line.newLine] : []));
  if (!touched.length) return new Set();
  const first = Math.min(...touched);
  const last = Math.max(...touched);
  const names = new Set<string>();
  for (const symbol of sources.symbolsIn(path)) {
    if (!symbol.exported || symbol.endLine < first || symbol.startLine > last) continue;
    if (!touched.some((line) => line >= symbol.startLine && line <= symbol.endLine)) continue;
    names.add(symbol.name);
    if (symbol.isDefault) names.add('default');
  }
  return names;
}

interface BoundName {
  imported: string;
  /** How the importing file writes it: its local name, or `ns.name` through a namespace. */
  local: string;
}

/** The names of `exported` that these import rows bring in, under the importer's names for them. */
function namesBound(rows: readonly StoredImport[], exported: ReadonlySet<string>): BoundName[] {
  const bound: BoundName[] = [];
  for (const row of rows) {
    if (row.defaultName && exported.has('default')) bound.push({ imported: 'default', local: row.defaultName });
    for (const binding of row.bindings) if (exported.has(binding.imported)) bound.push({ imported: binding.imported, local: binding.local });
    if (row.namespace) for (const name of exported) if (name !== 'default') bound.push({ imported: name, local: `${row.namespace}.${name}` });
    // Python, Go and Java rows name the module (or package) and no bindings: its members are written `module.name` or bare.
    if (!row.defaultName && !row.namespace && !row.bindings.length) for (const name of exported) if (name !== 'default') bound.push({ imported: name, local: name.slice(name.lastIndexOf('.') + 1) });
  }
  return bound;
}

/** Whether `name` stands as a whole word on a line the hunk adds or deletes. */
function mentions(hunk: DiffHunk, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const word = new RegExp(`(?<![\\p{ID_Continue}$])${escaped}(?![\\p{ID_Continue}$])`, 'u');
  return hunk.lines.some((line) => line.kind !== 'context' && word.test(line.text));
}

function describeNames(names: readonly BoundName[]): string {
  return [...new Set(names.map((name) => `\`${name.imported}\``))].join(', ');
}

/** Another file's hunk, numbered by its own new-file lines (they are not this hunk's to point at). */
function renderOtherHunk(path: string, hunk: DiffHunk, why: string): string {
  const lines = hunk.lines.slice(0, MAX_RELATED_HUNK_LINES);
  const body = lines.map((line) => `${line.kind === 'add' ? '+' : line.kind === 'del' ? '-' : ' '} ${line.newLine ?? ''} | ${line.text}`);
  if (hunk.lines.length > lines.length) body.push(`… (${hunk.lines.length - lines.length} more lines)`);
  return [`- ${path} (lines ${hunk.newStart}–${hunk.newStart + Math.max(hunk.newLines, 1) - 1}, ${why}):`, '```', ...body, '```'].join('\n');
}
