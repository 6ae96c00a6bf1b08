/**
 * `npm run bench cycles`: import-cycle detection is linear in the edges. Random
 * module graphs (four imports per module, so most modules share one large cycle,
 * the worst case for the search of a shortest cycle) of E, 2E and 4E edges:
 * each doubling should cost about twice the time, never four times.
 */
import { cyclesOf, introducedCycles, type Digraph } from '../server/graph/cycles';
import { median, printTable, row, type BenchResult } from './stats';

const BASE_EDGES = 50_000;
const IMPORTS_PER_MODULE = 4;
const RUNS = 5;

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
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

export function cycleBench(): BenchResult[] {
  const results: BenchResult[] = [];
  let baseCycles = 0;
  let baseIntroduced = 0;
  for (const factor of [1, 2, 4]) {
    const edges = BASE_EDGES * factor;
    const { graph, adjacency } = randomGraph(edges, 17);
    // The base: the same graph without the last module's imports; the change gives them back.
    const lastModule = `src/m${adjacency.size - 1}.ts`;
    const base: Digraph = { nodes: graph.nodes, successors: (node) => (node === lastModule ? [] : graph.successors(node)) };
    const cycles = timed(() => cyclesOf(graph));
    const introduced = timed(() => introducedCycles(graph, base));
    if (factor === 1) [baseCycles, baseIntroduced] = [cycles, introduced];
    const limit = factor * 1.5;
    results.push(row(`components + cycles, ${edges / 1000}k edges`, cycles, cycles / baseCycles, `${factor}x the edges (linear: ~${factor}x the time)`, factor === 1 ? undefined : cycles / baseCycles <= limit));
    results.push(row(`introduced cycles, ${edges / 1000}k edges`, introduced, introduced / baseIntroduced, `${factor}x the edges (linear: ~${factor}x the time)`, factor === 1 ? undefined : introduced / baseIntroduced <= limit));
  }
  return results;
}

if (require.main === module) {
  printTable(`Import cycles, random graphs (ratios against the ${BASE_EDGES / 1000}k-edge graph, medians of ${RUNS} runs)`, cycleBench());
}
