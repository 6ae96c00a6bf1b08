/**
 * What a breaking-change result for a module depends on outside the module, for
 * the review cache's key: the files the module imports and what they import (what
 * they offer their importers, not their bodies: `apiDigestOf`), and how
 * its dependents use the exports a hunk touches — the lines of each dependent
 * that name them (through named, default and namespace imports, and through
 * re-exports), not the dependents' whole files. A dependent edited elsewhere
 * leaves the key alone; a new use, a changed use, or a new importer changes it.
 *
 * Lines are found by name, not by parse: a use through a local alias
 * (`const f = parse; f(1)`) is not seen, which docs/performance.md lists as a limit.
 */
import { createHash } from 'node:crypto';
import { parseSource, scriptKindOf } from '../index/languages';
import { referencesTo } from '../index/usages';
import type { LanguageAdapter } from '../languages/model';
import { adapterFor } from '../languages/registry';
import { apiDigest } from './compatibility/unchangedApi';
import type { StoredImport } from '../store/indexStore';

/** How many imports away from the module a file's content is part of the fingerprint. */
const IMPORT_DEPTH = 2;

export interface DependentSources {
  /** The imports written in `path`. */
  importsIn(path: string): StoredImport[];
  /** The imports (in other files) that resolve to `path`. */
  importsOf(path: string): StoredImport[];
  /** The indexed content hash of `path`, '' when unknown. */
  hashOf(path: string): string;
  /** The text of `path` as the review sees it, null when it cannot be read. */
  textOf(path: string): string | null;
  /**
   * What identifies that text without reading it (a hash of the reviewed version of
   * a changed file); null to use the index's `hashOf`. With `memo`, a fingerprint
   * whose inputs are all known this way is not computed again.
   */
  contentIdOf?(path: string): string | null;
  /**
   * What `path` offers the modules that import it, as a digest (an edit inside an
   * annotated function's body leaves it alone); without it, its content hash counts.
   */
  apiDigestOf?(path: string): string;
  /** Every indexed path: the files of a Go package, the other files of a Java package. Without it, Python, Go and Java modules count as TypeScript ones. */
  paths?(): ReadonlySet<string>;
  /** Fingerprints computed before, by a hash of everything they were computed from. */
  memo?: { get(key: string): string | undefined; put(key: string, fingerprint: string): void };
}

/**
 * The fingerprint. `symbols` are the exports the hunk touches, by the names
 * importers use (`default` for the default export); null when they cannot be
 * named (`export *`, `export =`): then every dependent's whole content counts.
 */
export function dependentsFingerprint(module: string, symbols: readonly string[] | null, sources: DependentSources): string {
  const adapter = adapterFor(module);
  if (adapter && sources.paths) return unitDependentsFingerprint(adapter, module, sources as DependentSources & { paths(): ReadonlySet<string> });
  const parts: string[] = [];
  // Two imports deep: the checker loads what the module imports, and what those import when it is part
  // of the change (moduleComparison.ts, ComparisonScope), so a type two modules away can decide a break.
  // What counts of each is its API (a body edit in an imported module is most edits of a branch, and
  // changes no type the checker sees); the memo is keyed by their contents, which are known without a parse.
  const importedFiles: string[] = [];
  const imported = new Set<string>([module]);
  let frontier = [module];
  for (let depth = 0; depth < IMPORT_DEPTH && frontier.length; depth++) {
    const next: string[] = [];
    for (const file of frontier) {
      for (const row of sources.importsIn(file)) {
        if (!row.resolvedPath || imported.has(row.resolvedPath)) continue;
        imported.add(row.resolvedPath);
        next.push(row.resolvedPath);
        importedFiles.push(row.resolvedPath);
      }
    }
    frontier = next;
  }
  // The dependents' texts are read last, once it is known that no fingerprint computed before will do:
  // an unchanged branch re-reviewed would otherwise read every dependent of every changed export.
  const reads: Array<{ file: string; patterns: RegExp[] }> = [];
  const seen = new Set<string>();
  const queue: Array<{ target: string; names: readonly string[] | null }> = [{ target: module, names: symbols }];
  while (queue.length) {
    const { target, names } = queue.shift()!;
    const key = `${target}\u0000${names?.join(',') ?? '*'}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const row of sources.importsOf(target)) {
      if (row.file === module || row.file === target) continue;
      if (names === null) {
        parts.push(`${row.file}@${sources.hashOf(row.file)}`);
        if (row.kind === 'reexport' || row.kind === 'export-all') queue.push({ target: row.file, names: null });
        continue;
      }
      if (row.kind === 'export-all') {
        const passed = names.filter((name) => name !== 'default');
        parts.push(`${row.file}: export * from ${row.specifier}`);
        if (passed.length) queue.push({ target: row.file, names: passed });
        continue;
      }
      if (row.kind === 'reexport') {
        const bindings = row.bindings.filter((binding) => names.includes(binding.imported));
        for (const binding of bindings) parts.push(`${row.file}: re-exports ${binding.imported} as ${binding.local}`);
        if (bindings.length) queue.push({ target: row.file, names: bindings.map((binding) => binding.local) });
        continue;
      }
      const patterns = names.flatMap((name) => referencesTo(row, name)).map((reference) => ('local' in reference
        ? new RegExp(`(?<![\\w$.])${escape(reference.local)}(?![\\w$])`)
        : new RegExp(`(?<![\\w$.])${escape(reference.namespace)}\\s*(?:\\?\\.|\\.)\\s*${escape(reference.member)}(?![\\w$])|(?<![\\w$.])${escape(reference.namespace)}(?![\\w$])\\s*(?:[^\\w$\\s.?]|$)`)));
      if (patterns.length) reads.push({ file: row.file, patterns });
    }
  }
  const identityOf = (file: string) => sources.contentIdOf?.(file) ?? sources.hashOf(file);
  const identities = reads.map(({ file }) => identityOf(file));
  const importIdentities = importedFiles.map((file) => `imports ${file}@${identityOf(file)}`);
  const memoKey = sources.memo && identities.every(Boolean)
    ? createHash('sha256').update(`dependents:v2\u0000${module}\u0000${symbols?.join(',') ?? '*'}\u0000${parts.join('\n')}\u0000${importIdentities.join('\n')}\u0000`)
      .update(reads.map(({ file, patterns }, i) => `${file}@${identities[i]}:${patterns.map((pattern) => pattern.source).join('|')}`).join('\n')).digest('hex')
    : undefined;
  const known = memoKey ? sources.memo!.get(memoKey) : undefined;
  if (known !== undefined) return known;
  for (const file of importedFiles) parts.push(`imports ${file}@${sources.apiDigestOf?.(file) ?? identityOf(file)}`);
  // Every use line counts, duplicates too: a second identical call is one more place that breaks.
  const lines = new Map<string, string[]>();
  for (const { file, patterns } of reads) {
    const text = sources.textOf(file);
    if (text === null) {
      parts.push(`${file}@unreadable`);
      continue;
    }
    let found = lines.get(file);
    if (!found) lines.set(file, (found = []));
    for (const line of text.split('\n')) {
      if (patterns.some((pattern) => pattern.test(line))) found.push(line.trim());
    }
  }
  for (const [file, found] of lines) parts.push(`${file}:\n${found.sort().join('\n')}`);
  // A digest: the uses' lines are code, and code is not kept at rest (a line may hold a secret).
  const fingerprint = createHash('sha256').update(parts.sort().join('\n')).digest('hex');
  if (memoKey) sources.memo!.put(memoKey, fingerprint);
  return fingerprint;
}

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `apiDigestOf` for a text: the API digest of a TypeScript or JavaScript module (a
 * parse), the text's own hash for anything else (JSON, a stylesheet). Remembered by
 * the text's hash in `memo`: a module is parsed for it once per version.
 */
export function apiDigestOfText(path: string, text: string | null, memo: { get(key: string): string | undefined; put(key: string, digest: string): void }): string {
  if (text === null) return 'unreadable';
  const contentHash = createHash('sha256').update(path).update('\u0000').update(text).digest('hex');
  if (scriptKindOf(path) === undefined) return contentHash;
  const key = `api-digest:v1\u0000${contentHash}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const digest = apiDigest(parseSource(path, text));
  memo.put(key, digest);
  return digest;
}

/**
 * The fingerprint of a Python, Go or Java module (languageBreaks.ts judges them):
 * the contents of the other files of its unit (a Go package's API is all its files),
 * and of every file that can use it — importers of the unit, and the files of its
 * package that need no import. Whole contents: the adapters find uses by syntax,
 * and what a dependent's lines mean is not known here.
 */
function unitDependentsFingerprint(adapter: LanguageAdapter, module: string, sources: DependentSources & { paths(): ReadonlySet<string> }): string {
  const paths = sources.paths();
  const identityOf = (file: string) => sources.contentIdOf?.(file) ?? sources.hashOf(file);
  const unitFiles = adapter.filesOfUnit(adapter.unitOf(module), paths);
  const dependents = new Set<string>();
  for (const file of unitFiles.length ? unitFiles : [module]) {
    for (const target of adapter.importTargetsOf(file)) for (const row of sources.importsOf(target)) dependents.add(row.file);
    for (const implicit of adapter.implicitDependentsOf?.(file, paths) ?? []) dependents.add(implicit);
  }
  const hash = createHash('sha256').update(`unit:v1\u0000${adapter.id}\u0000${module}\u0000`);
  for (const file of [...unitFiles].sort()) hash.update(`unit ${file}@${identityOf(file)}\n`);
  for (const file of [...dependents].sort()) hash.update(`dependent ${file}@${identityOf(file)}\n`);
  return hash.digest('hex');
}
