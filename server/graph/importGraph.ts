/**
 * The workspace's module graph: who imports whom, built from the index's resolved
 * imports (any language the index reads). Impact, cycles and the graph export all
 * read this one structure. A "base" variant, where some files import what they
 * imported before the change, is built with `withImportsReplaced`.
 */
import { isTestFile } from './testFiles';

/** One module-level dependency: `from` imports `to`. */
export interface ModuleEdge {
  from: string;
  to: string;
  /** True when every import of `to` in `from` is type-only (it vanishes at run time). */
  typeOnly: boolean;
  /** The line of the first import of `to` in `from`. */
  line: number;
}

/** One import as the graph takes it: what a stored or freshly extracted import resolves to. */
export interface ResolvedImport {
  file: string;
  resolvedPath: string | null;
  typeOnly: boolean;
  line: number;
}

/** What the graph reads from the index (IndexStore satisfies it). */
export interface ImportSource {
  /** Every import that resolved to a workspace file. */
  resolvedImports(): ResolvedImport[];
  /** Every parsed path, so that a module without imports is still a node. */
  paths(): string[];
}

export class ImportGraph {
  private constructor(
    private readonly nodes: ReadonlySet<string>,
    private readonly outgoing: ReadonlyMap<string, ReadonlyMap<string, ModuleEdge>>,
    private readonly incoming: ReadonlyMap<string, ReadonlyMap<string, ModuleEdge>>,
    /** Modules with a value import of themselves: no edge (no dependency between modules), but a mistake worth saying. */
    private readonly selfImporters: ReadonlySet<string>,
  ) {}

  /** The graph as the index holds it now. */
  static fromIndex(source: ImportSource): ImportGraph {
    return ImportGraph.fromImports(source.paths(), source.resolvedImports());
  }

  static fromImports(files: Iterable<string>, imports: Iterable<ResolvedImport>): ImportGraph {
    const nodes = new Set(files);
    const folders = new FolderFiles(nodes);
    const outgoing = new Map<string, Map<string, ModuleEdge>>();
    const selfImporters = new Set<string>();
    for (const i of imports) {
      nodes.add(i.file);
      if (i.resolvedPath === i.file && !i.typeOnly) selfImporters.add(i.file);
      for (const to of folders.targetsOf(i)) {
        nodes.add(to);
        addEdge(outgoing, i.file, to, i.typeOnly, i.line);
      }
    }
    return new ImportGraph(nodes, outgoing, invert(outgoing), selfImporters);
  }

  /**
   * The same graph with the outgoing edges of some files replaced: `imports` null
   * removes the file altogether (it did not exist then). Used for the base of a
   * change, where changed files import what their base text imported.
   */
  withImportsReplaced(replacements: ReadonlyMap<string, readonly ResolvedImport[] | null>): ImportGraph {
    const nodes = new Set(this.nodes);
    const folders = new FolderFiles(this.nodes);
    const outgoing = new Map<string, Map<string, ModuleEdge>>();
    for (const [from, edges] of this.outgoing) if (!replacements.has(from)) outgoing.set(from, new Map(edges));
    const selfImporters = new Set([...this.selfImporters].filter((file) => !replacements.has(file)));
    for (const [file, imports] of replacements) {
      if (imports === null) {
        nodes.delete(file);
        continue;
      }
      nodes.add(file);
      if (imports.some((i) => i.resolvedPath === file && !i.typeOnly)) selfImporters.add(file);
      for (const i of imports) for (const to of folders.targetsOf({ ...i, file })) addEdge(outgoing, file, to, i.typeOnly, i.line);
    }
    // Edges into a removed file go too: in that version nothing could import it.
    for (const [from, edges] of outgoing) {
      if (!nodes.has(from)) outgoing.delete(from);
      else for (const to of edges.keys()) if (!nodes.has(to)) edges.delete(to);
    }
    for (const edges of outgoing.values()) for (const to of edges.keys()) nodes.add(to);
    return new ImportGraph(nodes, outgoing, invert(outgoing), selfImporters);
  }

  /** Every module, sorted. */
  files(): string[] {
    return [...this.nodes].sort();
  }

  has(file: string): boolean {
    return this.nodes.has(file);
  }

  /** Every edge, sorted by importer then target. */
  edges(): ModuleEdge[] {
    const all: ModuleEdge[] = [];
    for (const from of [...this.outgoing.keys()].sort()) all.push(...this.importsOf(from));
    return all;
  }

  /** What `file` imports, sorted by target. */
  importsOf(file: string): ModuleEdge[] {
    return sortedEdges(this.outgoing.get(file), (edge) => edge.to);
  }

  /** Whether `file` has a value import that resolves to itself. */
  importsItself(file: string): boolean {
    return this.selfImporters.has(file);
  }

  /** Who imports `file`, sorted by importer. */
  dependentsOf(file: string): ModuleEdge[] {
    return sortedEdges(this.incoming.get(file), (edge) => edge.from);
  }
}

/**
 * A Go package import (and any import the index resolves to a folder) depends on
 * every file of that folder: the graph stays one of files. Not on its tests, which
 * nothing imports through the package.
 */
class FolderFiles {
  private byFolder: Map<string, string[]> | undefined;

  constructor(private readonly files: ReadonlySet<string>) {}

  targetsOf(i: ResolvedImport): string[] {
    // A self-import (`import './index'` from index.ts) is no dependency between modules.
    if (!i.resolvedPath || i.resolvedPath === i.file) return [];
    if (this.files.has(i.resolvedPath)) return [i.resolvedPath];
    const inside = this.folders().get(i.resolvedPath);
    return inside ? inside.filter((file) => file !== i.file && !isTestFile(file)) : [i.resolvedPath];
  }

  private folders(): Map<string, string[]> {
    if (this.byFolder) return this.byFolder;
    this.byFolder = new Map();
    for (const file of this.files) {
      const folder = file.slice(0, Math.max(0, file.lastIndexOf('/')));
      let list = this.byFolder.get(folder);
      if (!list) this.byFolder.set(folder, (list = []));
      list.push(file);
    }
    return this.byFolder;
  }
}

function addEdge(outgoing: Map<string, Map<string, ModuleEdge>>, from: string, to: string, typeOnly: boolean, line: number): void {
  let edges = outgoing.get(from);
  if (!edges) outgoing.set(from, (edges = new Map()));
  const known = edges.get(to);
  if (!known) edges.set(to, { from, to, typeOnly, line });
  // One value import is enough for the dependency to exist at run time.
  else edges.set(to, { from, to, typeOnly: known.typeOnly && typeOnly, line: Math.min(known.line, line) });
}

function invert(outgoing: ReadonlyMap<string, ReadonlyMap<string, ModuleEdge>>): Map<string, Map<string, ModuleEdge>> {
  const incoming = new Map<string, Map<string, ModuleEdge>>();
  for (const edges of outgoing.values()) {
    for (const edge of edges.values()) {
      let into = incoming.get(edge.to);
      if (!into) incoming.set(edge.to, (into = new Map()));
      into.set(edge.from, edge);
    }
  }
  return incoming;
}

function sortedEdges(edges: ReadonlyMap<string, ModuleEdge> | undefined, key: (edge: ModuleEdge) => string): ModuleEdge[] {
  if (!edges) return [];
  return [...edges.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
