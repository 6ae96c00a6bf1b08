/**
 * The import graph read from the index one module at a time (its indexed
 * `resolved_path` and `file_id` lookups), for the questions that touch a small
 * part of it: a change's dependents, the edges among them. Building the whole
 * ImportGraph scans every import, which an impact of a few modules need not pay.
 * Answers as ImportGraph does (folder imports are edges to the folder's files).
 */
import type { IndexStore } from '../store/indexStore';
import type { ModuleEdge } from './importGraph';
import { isTestFile } from './testFiles';

export class IndexGraph {
  private readonly dependents = new Map<string, ModuleEdge[]>();
  private folders: Map<string, string[]> | undefined;

  constructor(private readonly store: Pick<IndexStore, 'importsOf' | 'importsIn' | 'paths'>) {}

  /** Who imports `file` (or, when it is no test, its folder), sorted by importer. */
  dependentsOf(file: string): ModuleEdge[] {
    let edges = this.dependents.get(file);
    if (edges) return edges;
    const rows = this.store.importsOf(file);
    if (!isTestFile(file)) rows.push(...this.store.importsOf(folderOf(file)));
    edges = merged(rows.filter((row) => row.file !== file).map((row) => ({ from: row.file, to: file, typeOnly: row.typeOnly, line: row.line })), (edge) => edge.from);
    this.dependents.set(file, edges);
    return edges;
  }

  /** What `file` imports, sorted by target. */
  importsOf(file: string): ModuleEdge[] {
    const edges: ModuleEdge[] = [];
    for (const row of this.store.importsIn(file)) {
      if (!row.resolvedPath || row.resolvedPath === file) continue;
      for (const to of this.targetsOf(row.resolvedPath)) if (to !== file) edges.push({ from: file, to, typeOnly: row.typeOnly, line: row.line });
    }
    return merged(edges, (edge) => edge.to);
  }

  private targetsOf(resolved: string): string[] {
    this.folders ??= filesByFolder(this.store.paths());
    const inside = this.folders.get(resolved);
    return inside ? inside.filter((file) => !isTestFile(file)) : [resolved];
  }
}

function folderOf(file: string): string {
  return file.slice(0, Math.max(0, file.lastIndexOf('/')));
}

function filesByFolder(paths: readonly string[]): Map<string, string[]> {
  const byFolder = new Map<string, string[]>();
  const files = new Set(paths);
  for (const file of paths) {
    const folder = folderOf(file);
    // A folder that is itself a catalogued path never is: only folders get lists.
    if (files.has(folder)) continue;
    let list = byFolder.get(folder);
    if (!list) byFolder.set(folder, (list = []));
    list.push(file);
  }
  return byFolder;
}

/** One edge per pair: type-only when every import along it is, at its first line; sorted by `key`. */
function merged(edges: ModuleEdge[], key: (edge: ModuleEdge) => string): ModuleEdge[] {
  const byKey = new Map<string, ModuleEdge>();
  for (const edge of edges) {
    const known = byKey.get(key(edge));
    byKey.set(key(edge), known ? { ...known, typeOnly: known.typeOnly && edge.typeOnly, line: Math.min(known.line, edge.line) } : edge);
  }
  return [...byKey.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

