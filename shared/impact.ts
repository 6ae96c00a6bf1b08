/**
 * A change's impact: what `diffwise impact --format json` prints, what the daemon
 * returns for `diffwise/impact`, and what the impact webview draws. Defined once
 * here; the graph core (server/graph/) builds it from the index's import graph.
 */
import type { ReviewScope } from './review';

/** The languages whose files the index knows (and so whose graphs are drawn). */
export type GraphLanguage = 'typescript' | 'javascript' | 'python' | 'go' | 'java';

/** A module the change touched, with the exported symbols whose declaration it changed. */
export interface ChangedModule {
  /** Repository-relative path with forward slashes (the new path of a renamed file). */
  file: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed';
  /** Exported symbols whose declaration the change touched (names as the index stores them). */
  symbols: string[];
  language: GraphLanguage | null;
}

/** A module that depends on a changed one, directly or through others. */
export interface DependentModule {
  file: string;
  /** Import steps from the nearest changed module: 1 = it imports a changed module. */
  depth: number;
  /** The import chain that connects it, changed module first, this file last. */
  path: string[];
  /** True for a test file (by the conventions of its language). */
  test: boolean;
  /** Lines of this file that no longer compile because of the change (breaking-change's related places). */
  brokenLines: number[];
  language: GraphLanguage | null;
}

/** The whole impact of one change. */
export interface ImpactDocument {
  scope: ReviewScope;
  base: string | null;
  /** The depth asked for (default 3). */
  depth: number;
  changed: ChangedModule[];
  /** Every dependent within `depth`, nearest first, then by path. */
  dependents: DependentModule[];
  /** The test files that reach the change (changed test files included), sorted: what to run. */
  tests: string[];
  /** True when dependents past `depth` exist and were left out. */
  truncated: boolean;
  durationMs: number;
}

/** What a review's JSON says of the impact (`impact` in the review document). */
export interface ImpactSummary {
  changed: number;
  dependents: number;
  brokenCallSites: number;
  tests: string[];
}

/** One node of the dependency graph: a module, or a changed exported symbol of one. */
export interface GraphNode {
  /** The file path for a module; `path#symbol` for a symbol. */
  id: string;
  kind: 'module' | 'symbol';
  file: string;
  /** 1-based line of a symbol's declaration; absent for modules. */
  line?: number;
  label: string;
  changed: boolean;
  test: boolean;
  /** Import steps from the change (0 for changed nodes); absent in a graph around one file. */
  depth?: number;
  /** True when the change breaks code in this module. */
  broken: boolean;
  language: GraphLanguage | null;
}

/** One edge: `from` imports (or, for a symbol, declares or uses) `to`. */
export interface GraphEdge {
  from: string;
  to: string;
  kind: 'imports' | 'declares';
  typeOnly: boolean;
}

export interface GraphDocument {
  nodes: GraphNode[];
  edges: GraphEdge[];
}
