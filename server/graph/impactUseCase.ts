/**
 * `diffwise impact`, `diffwise graph` and `diffwise/impact`: a change's impact and
 * its dependency graph, read from the index and git only (no review runs). The
 * review's JSON summary comes from here too, with the review's broken places.
 */
import type { ChangedModule, GraphDocument, ImpactDocument, ImpactSummary } from '../../shared/impact';
import type { Finding, ReviewScope } from '../../shared/review';
import { collectChanges, type ChangeRequest, type ChangeSet } from '../git/changes';
import { displayPath, type DiffFile } from '../git/diffModel';
import type { GitRepository } from '../git/repository';
import { isIndexablePath } from '../index/languages';
import type { IndexStore } from '../store/indexStore';
import { impactGraph, neighbourhoodGraph, toDot, toMermaid, type SymbolPlace } from './graphExport';
import { changedExports, DEFAULT_IMPACT_DEPTH, reachOf } from './impact';
import { ImportGraph } from './importGraph';
import { IndexGraph } from './indexGraph';
import { graphLanguageOf } from './testFiles';

export interface ImpactDependencies {
  repo: GitRepository;
  store: IndexStore;
}

export interface ImpactRequest {
  scope: ReviewScope;
  base?: string;
  /** Branch scope: from this earlier reviewed HEAD instead of the merge base (a `--since-last` review). */
  since?: string;
  depth?: number;
  /** The review's findings: breaking-change's related places become the dependents' broken lines. */
  findings?: readonly Finding[];
  /** The change as a review already collected it: not read from git again. */
  changes?: ChangeSet;
}

export type ImpactWithGraph = ImpactDocument & { graph: GraphDocument };

/** An unknown file or a bad argument: the message is for the user, one line. */
export class ImpactError extends Error {
  override name = 'ImpactError';
}

export async function impactOf(deps: ImpactDependencies, request: ImpactRequest): Promise<ImpactWithGraph> {
  const started = performance.now();
  const depth = request.depth ?? DEFAULT_IMPACT_DEPTH;
  if (!Number.isInteger(depth) || depth < 0) throw new ImpactError(`depth must be a whole number of import steps (got ${depth})`);
  const changeRequest: ChangeRequest = request.scope === 'branch' ? { scope: 'branch', base: request.base, since: request.since } : { scope: request.scope };
  const changes = request.changes ?? (await collectChanges(deps.repo, changeRequest));
  const modules = changes.files.filter((file) => isIndexablePath(displayPath(file)));
  const symbols: SymbolPlace[] = [];
  const changed: ChangedModule[] = modules.map((file) => {
    const path = displayPath(file);
    const declared = file.status === 'deleted' ? [] : deps.store.symbolsIn(path);
    const names = changedExports(file, declared);
    for (const name of names) symbols.push({ file: path, name, line: declared.find((symbol) => symbol.name === name)!.startLine });
    return { file: path, status: statusOf(file), symbols: names, language: graphLanguageOf(path) };
  });
  // Read module by module: a change reaches a small part of the graph, and a full scan of the imports would cost more.
  const graph = new IndexGraph(deps.store);
  const reach = reachOf(graph, changed, { depth, brokenLines: brokenLinesOf(request.findings ?? []) });
  return {
    scope: changes.scope,
    base: changes.base,
    depth,
    changed,
    dependents: reach.dependents,
    tests: reach.tests,
    truncated: reach.truncated,
    durationMs: Math.round(performance.now() - started),
    graph: impactGraph(graph, changed, reach.dependents, symbols),
  };
}

/** What the review's JSON says of the impact. */
export function summaryOf(impact: ImpactDocument): ImpactSummary {
  return {
    changed: impact.changed.length,
    dependents: impact.dependents.length,
    brokenCallSites: impact.dependents.reduce((total, dependent) => total + dependent.brokenLines.length, 0),
    tests: impact.tests,
  };
}

/**
 * The review's `impact`: from the change the review collected and the index it
 * brought up to date, with its breaking-change places (no git process, no parsing).
 */
export async function reviewImpactSummary(deps: ImpactDependencies, changes: ChangeSet, findings: readonly Finding[]): Promise<ImpactSummary> {
  return summaryOf(await impactOf(deps, { scope: changes.scope, changes, findings }));
}

export type GraphFormat = 'json' | 'dot' | 'mermaid';

/** The graph around one indexed file, `depth` imports either way. */
export function fileGraph(store: IndexStore, file: string, depth: number): GraphDocument {
  const graph = ImportGraph.fromIndex(store);
  if (!graph.has(file) && !store.hasFile(file)) throw new ImpactError(`${file} is not a file the index knows (a path relative to the repository root, of a language the index reads)`);
  return neighbourhoodGraph(graph, file, depth);
}

export function formatGraph(document: GraphDocument, format: GraphFormat): string {
  if (format === 'dot') return toDot(document);
  if (format === 'mermaid') return toMermaid(document);
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Breaking-change's related places by file: the lines that no longer compile. */
function brokenLinesOf(findings: readonly Finding[]): Map<string, number[]> {
  const lines = new Map<string, Set<number>>();
  for (const finding of findings) {
    if (finding.ruleId !== 'breaking-change') continue;
    for (const place of finding.related) {
      let set = lines.get(place.file);
      if (!set) lines.set(place.file, (set = new Set()));
      set.add(place.line);
    }
  }
  return new Map([...lines].map(([file, set]) => [file, [...set]]));
}

function statusOf(file: DiffFile): ChangedModule['status'] {
  return file.status === 'copied' ? 'added' : file.status;
}
