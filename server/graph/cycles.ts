/**
 * Import cycles: the strongly connected components of a directed graph (Tarjan's
 * algorithm, iterative, so a 5,000-file chain does not overflow the call stack),
 * one shortest cycle per cyclic component for a message, and the cycles a change
 * introduces. Everything is linear in nodes + edges, apart from one breadth-first
 * search per reported cycle, bounded by its component.
 */

/** The graph as the algorithms read it: its nodes, and where each points. */
export interface Digraph {
  nodes(): Iterable<string>;
  successors(node: string): Iterable<string>;
}

/** A cycle the change closes: `edge` is new, and `cycle` is the shortest way round through it. */
export interface IntroducedCycle {
  /** The new dependency that closes the cycle: `from` now imports `to`. */
  edge: { from: string; to: string };
  /** The cycle's modules in import order, `edge.from` first; its last one imports `edge.from`. */
  cycle: string[];
}

/** Numbered adjacency lists: what Tarjan's loop runs on, with no string hashing inside it. */
interface NumberedGraph {
  names: string[];
  idOf: Map<string, number>;
  adjacency: number[][];
}

function numbered(graph: Digraph): NumberedGraph {
  const names: string[] = [];
  const idOf = new Map<string, number>();
  const id = (name: string): number => {
    let known = idOf.get(name);
    if (known === undefined) {
      known = names.length;
      idOf.set(name, known);
      names.push(name);
    }
    return known;
  };
  for (const node of graph.nodes()) id(node);
  const adjacency: number[][] = [];
  // Successors may name nodes that `nodes()` left out: they join as they are met.
  for (let v = 0; v < names.length; v++) {
    const out: number[] = [];
    for (const next of graph.successors(names[v])) out.push(id(next));
    adjacency[v] = out;
  }
  return { names, idOf, adjacency };
}

/**
 * Every strongly connected component (each node in exactly one), as node ids of
 * `numbered`, in Tarjan's order (a component before those that reach it).
 */
function componentIds({ adjacency }: NumberedGraph): Int32Array {
  const count = adjacency.length;
  const order = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const component = new Int32Array(count).fill(-1);
  const onStack = new Uint8Array(count);
  const stack = new Int32Array(count);
  const calls = new Int32Array(count);
  const nextChild = new Int32Array(count);
  let stackSize = 0;
  let counter = 0;
  let components = 0;
  for (let root = 0; root < count; root++) {
    if (order[root] !== -1) continue;
    let depth = 0;
    calls[0] = root;
    order[root] = low[root] = counter++;
    stack[stackSize++] = root;
    onStack[root] = 1;
    nextChild[root] = 0;
    while (depth >= 0) {
      const v = calls[depth];
      const out = adjacency[v];
      if (nextChild[v] < out.length) {
        const w = out[nextChild[v]++];
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack[stackSize++] = w;
          onStack[w] = 1;
          nextChild[w] = 0;
          calls[++depth] = w;
        } else if (onStack[w] && order[w] < low[v]) {
          low[v] = order[w];
        }
        continue;
      }
      // v is done: it roots a component when nothing below it reached higher.
      if (low[v] === order[v]) {
        let w: number;
        do {
          w = stack[--stackSize];
          onStack[w] = 0;
          component[w] = components;
        } while (w !== v);
        components++;
      }
      depth--;
      if (depth >= 0) {
        const parent = calls[depth];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  }
  return component;
}

/** Every strongly connected component of `graph`, each sorted, sorted by first member. */
export function stronglyConnectedComponents(graph: Digraph): string[][] {
  const numberedGraph = numbered(graph);
  const component = componentIds(numberedGraph);
  const groups = new Map<number, string[]>();
  component.forEach((c, v) => {
    let group = groups.get(c);
    if (!group) groups.set(c, (group = []));
    group.push(numberedGraph.names[v]);
  });
  return [...groups.values()].map((group) => group.sort()).sort((a, b) => byCodeUnits(a[0], b[0]));
}

/**
 * Every node on some cycle (in a component of more than one node, or with an edge to
 * itself), unsorted: the cheap question a caller asks before a costly one.
 */
export function nodesOnCycles(graph: Digraph): Set<string> {
  const numberedGraph = numbered(graph);
  const component = componentIds(numberedGraph);
  const size = componentSizes(component);
  const on = new Set<string>();
  component.forEach((c, v) => {
    if (size[c] > 1 || numberedGraph.adjacency[v].includes(v)) on.add(numberedGraph.names[v]);
  });
  return on;
}

/** How many nodes each component holds, by component id. */
function componentSizes(component: Int32Array): Int32Array {
  const size = new Int32Array(component.length);
  for (const c of component) size[c]++;
  return size;
}

/**
 * The components that hold a cycle (more than one module, or one that imports
 * itself), each with its shortest cycle through its first member (by name).
 */
export function cyclesOf(graph: Digraph): Array<{ members: string[]; cycle: string[] }> {
  const numberedGraph = numbered(graph);
  const component = componentIds(numberedGraph);
  const groups = new Map<number, number[]>();
  component.forEach((c, v) => {
    let group = groups.get(c);
    if (!group) groups.set(c, (group = []));
    group.push(v);
  });
  const found: Array<{ members: string[]; cycle: string[] }> = [];
  for (const [c, group] of groups) {
    const { names, adjacency } = numberedGraph;
    if (group.length === 1 && !adjacency[group[0]].includes(group[0])) continue;
    const first = group.reduce((a, b) => (names[a] < names[b] ? a : b));
    // The way back to `first` from each of its successors in the component: the shortest one closes the cycle.
    const back = shortestIdPath(adjacency, first, first, (v) => component[v] === c);
    found.push({ members: group.map((v) => names[v]).sort(), cycle: (back ?? [first]).map((v) => names[v]) });
  }
  return found.sort((a, b) => byCodeUnits(a.members[0], b.members[0]));
}

/**
 * The cycles of `current` that `base` does not have. A cycle is new exactly when
 * one of its edges is: every cycle made of edges the base already had was there
 * already. So each new edge whose ends share a component of `current` closes
 * one, reported with the shortest way back from its target to its source. A
 * cycle on the base that the change merely touches is not reported; one that
 * the change grows with a new edge is a new cycle, and is.
 *
 * `baseNameOf` maps a node of `current` to its name on the base (a renamed
 * file's old path), so that renaming a module of an old cycle makes no new one.
 * One entry per new edge: the caller chooses which of those that go round the
 * same modules to show (the one on a line the change added).
 */
export function introducedCycles(current: Digraph, base: Digraph, baseNameOf: (node: string) => string = (node) => node): IntroducedCycle[] {
  const numberedGraph = numbered(current);
  const component = componentIds(numberedGraph);
  const { names, idOf, adjacency } = numberedGraph;
  const size = componentSizes(component);
  // A base node by the id of its current self (a renamed module by its new path's), so the
  // base's edges can be marked on the current graph's ids: no set per node, no string in the loop.
  const renamedIdOf = new Map<string, number>();
  for (let v = 0; v < names.length; v++) {
    const baseName = baseNameOf(names[v]);
    if (baseName !== names[v]) renamedIdOf.set(baseName, v);
  }
  // baseMark[w] === v + 1: the base had the edge v → w.
  const baseMark = new Int32Array(names.length);
  const introduced: IntroducedCycle[] = [];
  for (let v = 0; v < names.length; v++) {
    const c = component[v];
    const out = adjacency[v];
    if (size[c] === 1 && !out.includes(v)) continue;
    let marked = false;
    for (const w of out) {
      if (component[w] !== c) continue;
      if (!marked) {
        for (const next of base.successors(baseNameOf(names[v]))) {
          const id = renamedIdOf.get(next) ?? idOf.get(next);
          if (id !== undefined) baseMark[id] = v + 1;
        }
        marked = true;
      }
      if (baseMark[w] === v + 1) continue;
      const back = w === v ? [v] : shortestIdPath(adjacency, w, v, (u) => component[u] === c);
      if (!back) continue;
      const cycle = (w === v ? [v] : [v, ...back.slice(0, -1)]).map((u) => names[u]);
      introduced.push({ edge: { from: names[v], to: names[w] }, cycle });
    }
  }
  return introduced;
}

/**
 * The shortest path from `from` to `to` (both included) through nodes `inside`
 * allows, by breadth-first search; `from === to` asks for the shortest cycle
 * through it (the path then starts at `from`, and `to` is implied at its end).
 */
function shortestIdPath(adjacency: readonly number[][], from: number, to: number, inside: (node: number) => boolean): number[] | null {
  const previous = new Map<number, number>();
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (const w of adjacency[v]) {
      if (!inside(w)) continue;
      if (w === to) {
        const path = from === to ? [] : [to];
        for (let u = v; ; u = previous.get(u)!) {
          path.push(u);
          if (u === from) break;
        }
        return path.reverse();
      }
      if (w === from || previous.has(w)) continue;
      previous.set(w, v);
      queue.push(w);
    }
  }
  return null;
}

/** Plain code-unit order, as `sort()` gives: the same on every machine, and far cheaper than localeCompare. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
