/**
 * `npm run bench cycles`: import-cycle detection is linear in the edges. Random
 * module graphs (four imports per module, so most modules share one large cycle,
 * the worst case for the search of a shortest cycle) of E, 2E, 4E and 8E edges:
 * each doubling should cost about twice the time, never four times.
 */
import { cyclesOf, introducedCycles, type Digraph } from '../server/graph/cycles';
import { median, printTable, row, type BenchResult } from './stats';

// About the graph of a 5,000-file repository (four imports a module); then 2x, 4x and 8x that.
const BASE_EDGES = 20_000;
const IMPORTS_PER_MODULE = 4;
const RUNS = 9;

/** A seeded graph: the same modules and imports on every run. */
function randomGraph(edges: number, seed: number): { graph: Digraph; adjacency: Map<string, string[]> } {
  const modules = Math.round(edges / IMPORTS_PER_MODULE);
  let state = seed;
  // mulberry32: a small, fast, seeded generator (Math.random cannot be seeded).
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const adjacency = new Map<string, string[]>();
  for (let i = 0; i < modules; i++) adjacency.set(`src/m${i}.ts`, []);
  for (let i = 0; i < modules; i++) {
    const out = adjacency.get(`src/m${i}.ts`)!;
    for (let k = 0; k < IMPORTS_PER_MODULE; k++) out.push(`src/m${Math.floor(random() * modules)}.ts`);
  }
  return { graph: { nodes: () => adjacency.keys(), successors: (node) => adjacency.get(node) ?? [] }, adjacency };
}

function timed(work: () => unknown): number {
  const samples: number[] = [];
  // Twice unmeasured: the first calls run before the JIT has compiled the loops.
  work();
  work();
  for (let i = 0; i < RUNS; i++) {
    // A collection left over from the last run would be charged to this one (worse the larger the graph).
    (globalThis as { gc?: () => void }).gc?.();
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/**
 * Each size against the one half as large: linear is 2x a doubling, quadratic 4x.
 * A doubling is judged linear under 2.83x (the geometric middle of the two): past
 * some 100k edges a random graph's string maps stop fitting the caches, which costs
 * a little more per edge without changing the algorithm's order.
 */
const LINEAR_DOUBLING = Math.SQRT2 * 2;

export function cycleBench(): BenchResult[] {
  const results: BenchResult[] = [];
  let previous: { cycles: number; introduced: number } | undefined;
  for (const factor of [1, 2, 4, 8]) {
    const edges = BASE_EDGES * factor;
    const { graph, adjacency } = randomGraph(edges, 17);
    // The base: the same graph without the last module's imports; the change gives them back.
    const lastModule = `src/m${adjacency.size - 1}.ts`;
    const base: Digraph = { nodes: graph.nodes, successors: (node) => (node === lastModule ? [] : graph.successors(node)) };
    const cycles = timed(() => cyclesOf(graph));
    const introduced = timed(() => introducedCycles(graph, base));
    const note = previous ? 'against half the edges (linear ~2x, quadratic ~4x)' : 'the baseline';
    results.push(row(`components + cycles, ${edges / 1000}k edges`, cycles, previous ? cycles / previous.cycles : 1, note, previous ? cycles / previous.cycles < LINEAR_DOUBLING : undefined));
    results.push(row(`introduced cycles, ${edges / 1000}k edges`, introduced, previous ? introduced / previous.introduced : 1, note, previous ? introduced / previous.introduced < LINEAR_DOUBLING : undefined));
    previous = { cycles, introduced };
  }
  return results;
}

if (require.main === module) {
  printTable(`Import cycles, random graphs (each size against half of it, medians of ${RUNS} runs)`, cycleBench());
}
