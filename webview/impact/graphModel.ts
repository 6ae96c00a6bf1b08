/**
 * The impact graph as cytoscape elements, and its text alternative: pure functions
 * of the daemon's document (no DOM, no cytoscape), so that Node unit tests check
 * them and time the layout of a 2,000-node graph.
 *
 * Every module sits in a compound node of its folder, which the user can collapse to
 * one node; past COLLAPSE_THRESHOLD nodes the page starts with every folder collapsed
 * but those of the change, because a canvas of thousands of labelled nodes is neither
 * readable nor fast to lay out.
 */
import type { ElementDefinition } from 'cytoscape';
import type { GraphDocument, GraphNode } from '../../shared/impact';
import type { ImpactView } from '../../shared/webview';

/** Past this many nodes the graph opens collapsed by folder. */
export const COLLAPSE_THRESHOLD = 300;

/** How a node is drawn (and named in the legend); the first that applies wins. */
export type NodeRole = 'broken' | 'changed' | 'test' | 'dependent';

export const ROLE_NAMES: Record<NodeRole, string> = {
  changed: 'Changed',
  dependent: 'Dependent',
  test: 'Test',
  broken: 'Broken by the change',
};

const FOLDER_PREFIX = 'folder:';

/** The folder of a repository-relative path ('' for the root). */
export function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** The id of a folder's compound node (or of the node that stands for it collapsed). */
export function folderId(folder: string): string {
  return `${FOLDER_PREFIX}${folder || '.'}`;
}

export function isFolderId(id: string): boolean {
  return id.startsWith(FOLDER_PREFIX);
}

export function roleOf(node: Pick<GraphNode, 'broken' | 'changed' | 'test'>): NodeRole {
  if (node.broken) return 'broken';
  if (node.changed) return 'changed';
  if (node.test) return 'test';
  return 'dependent';
}

const ROLE_RANK: Record<NodeRole, number> = { broken: 3, changed: 2, test: 1, dependent: 0 };

/** The folders that start collapsed: none for a small graph; for a large one, every folder without a changed node. */
export function initiallyCollapsed(graph: GraphDocument): Set<string> {
  if (graph.nodes.length <= COLLAPSE_THRESHOLD) return new Set();
  const open = new Set(graph.nodes.filter((node) => node.changed).map((node) => folderOf(node.file)));
  return new Set(graph.nodes.map((node) => folderOf(node.file)).filter((folder) => !open.has(folder)));
}

/** What the page draws: the elements, the roots of the layered layout, and how many nodes each collapsed folder hides. */
export interface DrawnGraph {
  elements: ElementDefinition[];
  /** The changed nodes (or the collapsed folders that hold them): the first layer. */
  roots: string[];
  /** The drawn nodes a keyboard moves through, nearest the change first. */
  order: string[];
}

/**
 * The cytoscape elements of `graph` with `collapsed` folders drawn as one node each.
 * An edge into or out of a collapsed folder goes to its node; edges within it, and
 * the same edge twice, are left out.
 */
export function drawnGraph(graph: GraphDocument, collapsed: ReadonlySet<string>): DrawnGraph {
  const elements: ElementDefinition[] = [];
  const drawnId = new Map<string, string>();
  const folders = new Map<string, { nodes: GraphNode[] }>();
  for (const node of graph.nodes) {
    const folder = folderOf(node.file);
    const entry = folders.get(folder) ?? { nodes: [] };
    entry.nodes.push(node);
    folders.set(folder, entry);
    drawnId.set(node.id, collapsed.has(folder) ? folderId(folder) : node.id);
  }
  const depthOf = new Map<string, number>();
  for (const [folder, { nodes }] of [...folders].sort(([a], [b]) => a.localeCompare(b))) {
    const id = folderId(folder);
    const depth = Math.min(...nodes.map((node) => node.depth ?? 0));
    if (collapsed.has(folder)) {
      const role = nodes.map(roleOf).reduce((best, role) => (ROLE_RANK[role] > ROLE_RANK[best] ? role : best));
      elements.push({
        group: 'nodes',
        data: { id, label: `${folder || '.'}/ (${nodes.length})`, folder, count: nodes.length, depth, role },
        classes: `collapsed ${role}`,
      });
      depthOf.set(id, depth);
      continue;
    }
    elements.push({ group: 'nodes', data: { id, label: `${folder || '.'}/`, folder, count: nodes.length, depth }, classes: 'folder' });
    for (const node of nodes) {
      const role = roleOf(node);
      elements.push({
        group: 'nodes',
        data: { id: node.id, label: node.label, file: node.file, line: node.line ?? 1, depth: node.depth ?? 0, role, kind: node.kind, parent: id },
        classes: `${node.kind} ${role}`,
      });
      depthOf.set(node.id, node.depth ?? 0);
    }
  }
  const seen = new Set<string>();
  for (const edge of graph.edges) {
    const source = drawnId.get(edge.from);
    const target = drawnId.get(edge.to);
    if (!source || !target || source === target) continue;
    const id = `${source}->${target}`;
    if (seen.has(id)) continue;
    seen.add(id);
    elements.push({ group: 'edges', data: { id, source, target, kind: edge.kind }, classes: `${edge.kind}${edge.typeOnly ? ' type-only' : ''}` });
  }
  const roots = [...new Set(graph.nodes.filter((node) => node.changed).map((node) => drawnId.get(node.id)!))];
  const order = [...depthOf.keys()].sort((a, b) => depthOf.get(a)! - depthOf.get(b)! || a.localeCompare(b));
  return { elements, roots, order };
}

/** One row of the text alternative. */
export interface ListedModule {
  file: string;
  /** The node to open (a changed symbol's declaration line, else line 1). */
  line: number;
  role: NodeRole;
  /** The changed exports (changed modules), empty otherwise. */
  symbols: string[];
  /** The import chain from the change to this file, changed module first; just the file for a changed one. */
  path: string[];
}

/** The text alternative: the same modules grouped by import steps from the change (0 = changed), nearest first. */
export function depthGroups(view: ImpactView): Array<{ depth: number; modules: ListedModule[] }> {
  const nodeOf = new Map(view.graph.nodes.map((node) => [node.id, node]));
  const groups = new Map<number, ListedModule[]>();
  const add = (depth: number, module: ListedModule) => groups.set(depth, [...(groups.get(depth) ?? []), module]);
  for (const changed of view.changed) {
    const node = nodeOf.get(changed.file);
    const firstSymbol = changed.symbols.map((symbol) => nodeOf.get(`${changed.file}#${symbol}`)?.line).find((line) => line !== undefined);
    add(0, { file: changed.file, line: firstSymbol ?? 1, role: node ? roleOf(node) : 'changed', symbols: changed.symbols, path: [changed.file] });
  }
  for (const dependent of view.dependents) {
    const role = dependent.brokenLines.length > 0 ? 'broken' : dependent.test ? 'test' : 'dependent';
    add(dependent.depth, { file: dependent.file, line: dependent.brokenLines[0] ?? 1, role, symbols: [], path: dependent.path });
  }
  return [...groups].sort(([a], [b]) => a - b).map(([depth, modules]) => ({ depth, modules }));
}
