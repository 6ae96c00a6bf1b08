/**
 * The dependency graph as a document (the impact view's, `diffwise graph --format
 * json`) and as text for other tools: Graphviz dot and Mermaid. Module nodes, plus
 * one node per changed exported symbol declared by its module.
 */
import type { ChangedModule, DependentModule, GraphDocument, GraphEdge, GraphNode } from '../../shared/impact';
import type { ModuleEdge } from './importGraph';
import { graphLanguageOf, isTestFile } from './testFiles';

/** What the export reads of the graph (ImportGraph satisfies it). */
export interface ImportsSource {
  importsOf(file: string): readonly ModuleEdge[];
}

export interface SymbolPlace {
  file: string;
  name: string;
  line: number;
}

/** The graph around a change: the changed modules, their dependents, the import edges among them and the changed exports. */
export function impactGraph(graph: ImportsSource, changed: readonly ChangedModule[], dependents: readonly DependentModule[], symbols: readonly SymbolPlace[]): GraphDocument {
  const nodes: GraphNode[] = [];
  for (const module of changed) {
    if (module.status === 'deleted') continue;
    nodes.push(moduleNode(module.file, { changed: true, depth: 0, broken: false }));
  }
  for (const dependent of dependents) nodes.push(moduleNode(dependent.file, { changed: false, depth: dependent.depth, broken: dependent.brokenLines.length > 0 }));
  const edges = edgesAmong(graph, nodes.map((node) => node.id));
  for (const symbol of symbols) {
    const id = `${symbol.file}#${symbol.name}`;
    nodes.push({ id, kind: 'symbol', file: symbol.file, line: symbol.line, label: symbol.name, changed: true, test: false, depth: 0, broken: false, language: graphLanguageOf(symbol.file) });
    edges.push({ from: symbol.file, to: id, kind: 'declares', typeOnly: false });
  }
  return { nodes, edges };
}

/** The graph around one file: what it imports and who imports it, `depth` steps either way. */
export function neighbourhoodGraph(graph: ImportsSource & { dependentsOf(file: string): readonly ModuleEdge[] }, file: string, depth: number): GraphDocument {
  const seen = new Set([file]);
  let frontier = [file];
  for (let level = 1; level <= depth && frontier.length; level++) {
    const next: string[] = [];
    for (const at of frontier) {
      for (const edge of [...graph.importsOf(at), ...graph.dependentsOf(at)]) {
        const other = edge.from === at ? edge.to : edge.from;
        if (!seen.has(other)) {
          seen.add(other);
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  const files = [...seen].sort();
  return {
    nodes: files.map((at) => ({ ...moduleNode(at, { changed: false, broken: false }), ...(at === file ? { changed: true } : {}) })),
    edges: edgesAmong(graph, files),
  };
}

function moduleNode(file: string, state: { changed: boolean; depth?: number; broken: boolean }): GraphNode {
  const node: GraphNode = { id: file, kind: 'module', file, label: file.slice(file.lastIndexOf('/') + 1), changed: state.changed, test: isTestFile(file), broken: state.broken, language: graphLanguageOf(file) };
  if (state.depth !== undefined) node.depth = state.depth;
  return node;
}

function edgesAmong(graph: ImportsSource, files: readonly string[]): GraphEdge[] {
  const inside = new Set(files);
  const edges: GraphEdge[] = [];
  for (const file of [...inside].sort()) {
    for (const edge of graph.importsOf(file)) if (inside.has(edge.to)) edges.push({ from: edge.from, to: edge.to, kind: 'imports', typeOnly: edge.typeOnly });
  }
  return edges;
}

/** Graphviz: changed nodes filled, broken ones red, tests as notes, type-only imports dashed. */
export function toDot(document: GraphDocument): string {
  const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = ['digraph diffwise {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const node of document.nodes) {
    const attributes = [`label=${quote(node.kind === 'symbol' ? node.label : node.file)}`];
    if (node.kind === 'symbol') attributes.push('shape=ellipse');
    else if (node.test) attributes.push('shape=note');
    if (node.changed) attributes.push('style=filled', 'fillcolor="#fff3b0"');
    if (node.broken) attributes.push('color=red', 'penwidth=2');
    lines.push(`  ${quote(node.id)} [${attributes.join(', ')}];`);
  }
  for (const edge of document.edges) {
    const attributes = edge.kind === 'declares' ? ' [style=dotted, arrowhead=none]' : edge.typeOnly ? ' [style=dashed]' : '';
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)}${attributes};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Mermaid flowchart: node ids are numbered (paths are not valid Mermaid ids), labels quoted. */
export function toMermaid(document: GraphDocument): string {
  const ids = new Map(document.nodes.map((node, index) => [node.id, `n${index}`]));
  const label = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;
  const lines = ['flowchart LR'];
  for (const node of document.nodes) {
    const text = label(node.kind === 'symbol' ? node.label : node.file);
    lines.push(`  ${ids.get(node.id)}${node.kind === 'symbol' ? `([${text}])` : `[${text}]`}`);
  }
  for (const edge of document.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (!from || !to) continue;
    lines.push(`  ${from} ${edge.kind === 'declares' ? '---' : edge.typeOnly ? '-.->' : '-->'} ${to}`);
  }
  const changed = document.nodes.filter((node) => node.changed).map((node) => ids.get(node.id));
  const broken = document.nodes.filter((node) => node.broken).map((node) => ids.get(node.id));
  if (changed.length) lines.push('  classDef changed fill:#fff3b0,stroke:#b08800', `  class ${changed.join(',')} changed`);
  if (broken.length) lines.push('  classDef broken stroke:#d00,stroke-width:2px', `  class ${broken.join(',')} broken`);
  return `${lines.join('\n')}\n`;
}
