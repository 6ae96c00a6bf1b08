/**
 * The import graph as it was before a change: the index's graph with each changed
 * file's imports taken from its base text (parsed with the index's own extractors),
 * files the change added left out, files it deleted put back. What "cycles the
 * change introduced" compares against.
 */
import { extractFile, type ExtractedImport } from '../index/extractor';
import { decodeSource } from '../index/fileReader';
import { adapterFor, loadParsersFor, withParsedFile } from '../languages/registry';
import type { DiffFile } from '../git/diffModel';
import type { ImportGraph, ResolvedImport } from './importGraph';

/** A resolver that also sees `extraPath` as a workspace file (WorkspaceIndexer.resolverIncluding). */
export type ResolverIncluding = (extraPath: string) => (importer: string, specifier: string) => string | null;

/** The imports the index's extractor finds in `text` read as the file at `path`; null for a language the index does not read. */
export function extractImports(path: string, text: string): ExtractedImport[] | null {
  const adapter = adapterFor(path);
  if (adapter) return withParsedFile(adapter, path, text, (file) => adapter.extract(file).imports) ?? null;
  if (!/\.[cm]?[jt]sx?$/i.test(path)) return null;
  return extractFile(path, text).imports;
}

/**
 * `current` (the index's graph, which shows the change's new side) turned into
 * the base's: `readOld` gives the base bytes of the changed files.
 */
export async function baseGraphOf(
  current: ImportGraph,
  files: readonly DiffFile[],
  readOld: (paths: readonly string[]) => Promise<Map<string, Buffer | null>>,
  resolverIncluding: ResolverIncluding,
): Promise<ImportGraph> {
  const oldPaths = files.map((file) => file.oldPath).filter((path): path is string => path !== null);
  await loadParsersFor(oldPaths);
  const oldTexts = await readOld(oldPaths);
  const replacements = new Map<string, ResolvedImport[] | null>();
  for (const file of files) {
    // The new side of a rename or an addition did not exist at the base.
    if (file.newPath && file.newPath !== file.oldPath) replacements.set(file.newPath, null);
  }
  for (const file of files) {
    if (!file.oldPath || file.binary || file.submodule) continue;
    const bytes = oldTexts.get(file.oldPath);
    const extracted = bytes ? extractImports(file.oldPath, decodeSource(bytes)) : null;
    if (!extracted) continue;
    // A base file the work tree no longer has must count as present for the imports around it.
    const resolve = resolverIncluding(file.oldPath);
    replacements.set(
      file.oldPath,
      extracted.map((i) => ({ file: file.oldPath!, resolvedPath: resolve(file.oldPath!, i.specifier), typeOnly: i.typeOnly, line: i.line })),
    );
  }
  return current.withImportsReplaced(replacements);
}
