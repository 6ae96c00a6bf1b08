/**
 * A change's reach through the import graph: from the changed modules, their
 * dependents breadth-first up to a depth, each with the chain of imports that
 * connects it, and the test files that reach the change (followed further, since a
 * test five imports away still runs the changed code). Pure: the graph, the
 * changed modules and the broken lines come from the caller.
 */
import type { ChangedModule, DependentModule } from '../../shared/impact';
import type { DiffFile } from '../git/diffModel';
import { graphLanguageOf, isTestFile } from './testFiles';

/** The default import steps followed from a change. */
export const DEFAULT_IMPACT_DEPTH = 3;

/** How far tests are looked for: far enough for any real chain, short of a walk over a whole cyclic repository. */
export const TEST_SEARCH_DEPTH = 25;

/** Who imports a module: ImportGraph answers it, and so can the index directly. */
export interface DependentsSource {
  dependentsOf(file: string): ReadonlyArray<{ from: string }>;
}

export interface ImpactOptions {
  depth?: number;
  /** The lines per file that the change breaks (breaking-change's related places); none outside a review. */
  brokenLines?: ReadonlyMap<string, readonly number[]>;
}

export interface Reach {
  dependents: DependentModule[];
  tests: string[];
  truncated: boolean;
}

/** The dependents of `changed` within `depth`, nearest first then by path, and the tests that reach the change. */
export function reachOf(graph: DependentsSource, changed: readonly ChangedModule[], options: ImpactOptions = {}): Reach {
  const depth = Math.max(0, Math.floor(options.depth ?? DEFAULT_IMPACT_DEPTH));
  // Each reached file's predecessor on a shortest chain: the path is rebuilt from it.
  const previous = new Map<string, string | null>();
  const depthOf = new Map<string, number>();
  let frontier: string[] = [];
  for (const module of [...changed].sort((a, b) => compare(a.file, b.file))) {
    if (module.status === 'deleted' || previous.has(module.file)) continue;
    previous.set(module.file, null);
    depthOf.set(module.file, 0);
    frontier.push(module.file);
  }
  const limit = Math.max(depth, TEST_SEARCH_DEPTH);
  let truncated = false;
  for (let level = 1; level <= limit && frontier.length; level++) {
    const next: string[] = [];
    for (const file of frontier) {
      for (const { from } of graph.dependentsOf(file)) {
        if (previous.has(from)) continue;
        // Past the asked depth only tests are still looked for; anything found there means the list was cut.
        if (level > depth) truncated = true;
        previous.set(from, file);
        depthOf.set(from, level);
        next.push(from);
      }
    }
    frontier = next.sort(compare);
  }
  const pathTo = (file: string): string[] => {
    const chain: string[] = [];
    for (let at: string | null | undefined = file; at !== null && at !== undefined; at = previous.get(at)) chain.push(at);
    return chain.reverse();
  };
  const dependents: DependentModule[] = [];
  const tests = new Set<string>();
  for (const module of changed) if (module.status !== 'deleted' && isTestFile(module.file)) tests.add(module.file);
  for (const [file, level] of depthOf) {
    if (level === 0) continue;
    const test = isTestFile(file);
    if (test) tests.add(file);
    if (level > depth) continue;
    dependents.push({
      file,
      depth: level,
      path: pathTo(file),
      test,
      brokenLines: [...(options.brokenLines?.get(file) ?? [])].sort((a, b) => a - b),
      language: graphLanguageOf(file),
    });
  }
  dependents.sort((a, b) => a.depth - b.depth || compare(a.file, b.file));
  return { dependents, tests: [...tests].sort(compare), truncated };
}

/** A declaration as the index stores it: enough to tell whether the change touched it. */
export interface DeclaredSymbol {
  name: string;
  exported: boolean;
  startLine: number;
  endLine: number;
}

/**
 * The exported symbols of a file whose declaration the diff touched: an added or
 * changed line inside it, or a deleted line between two of its lines. Every
 * export of an added file; none of a deleted one (the index no longer has them).
 */
export function changedExports(file: DiffFile, symbols: readonly DeclaredSymbol[]): string[] {
  if (file.status === 'deleted') return [];
  const exported = symbols.filter((symbol) => symbol.exported);
  if (file.status === 'added') return unique(exported.map((symbol) => symbol.name));
  // Doubled line numbers: 2n is line n, 2n+1 the gap after it (where a deletion happened).
  const touched: number[] = [];
  for (const hunk of file.hunks) {
    let lastNew = hunk.newStart - 1;
    for (const line of hunk.lines) {
      if (line.kind === 'add' && line.newLine !== null) touched.push(2 * line.newLine);
      else if (line.kind === 'del') touched.push(2 * lastNew + 1);
      if (line.newLine !== null) lastNew = line.newLine;
    }
  }
  return unique(exported.filter((symbol) => touched.some((at) => at >= 2 * symbol.startLine && at <= 2 * symbol.endLine)).map((symbol) => symbol.name));
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
