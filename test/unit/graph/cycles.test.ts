import * as assert from 'node:assert/strict';
import { cyclesOf, introducedCycles, nodesOnCycles, stronglyConnectedComponents, type Digraph } from '../../../server/graph/cycles';

/** A graph from `a>b` edges (and lone nodes). */
function graphOf(...edges: string[]): Digraph {
  const out = new Map<string, string[]>();
  for (const edge of edges) {
    const [from, to] = edge.split('>');
    if (!out.has(from)) out.set(from, []);
    if (to !== undefined) {
      out.get(from)!.push(to);
      if (!out.has(to)) out.set(to, []);
    }
  }
  return { nodes: () => out.keys(), successors: (node) => out.get(node) ?? [] };
}

describe('import cycles (server/graph/cycles.ts)', () => {
  describe('strongly connected components (Tarjan)', () => {
    it('groups every node, cycles together and the rest alone', () => {
      const graph = graphOf('a>b', 'b>c', 'c>a', 'c>d', 'd>e', 'e>d', 'f');
      assert.deepEqual(stronglyConnectedComponents(graph), [['a', 'b', 'c'], ['d', 'e'], ['f']]);
    });

    it('names the nodes on some cycle: of a component of several, or with an edge to itself', () => {
      const graph = graphOf('a>b', 'b>c', 'c>a', 'c>d', 'd>e', 'e>d', 'f', 'g>g', 'g>h');
      assert.deepEqual([...nodesOnCycles(graph)].sort(), ['a', 'b', 'c', 'd', 'e', 'g']);
    });

    it('finds the cycle of a 100,000-edge chain closed at its end, without overflowing the stack', () => {
      const n = 100_000;
      const graph: Digraph = {
        nodes: function* () {
          for (let i = 0; i < n; i++) yield `m${i}`;
        },
        successors: (node) => [`m${(Number(node.slice(1)) + 1) % n}`],
      };
      const components = stronglyConnectedComponents(graph);
      assert.equal(components.length, 1);
      assert.equal(components[0].length, n);
      const [cycle] = cyclesOf(graph);
      assert.equal(cycle.cycle.length, n);
      assert.equal(cycle.cycle[0], 'm0');
      assert.equal(cycle.cycle[1], 'm1');
    });

    it('leaves a 100,000-edge acyclic graph without cycles', () => {
      const n = 50_000;
      const graph: Digraph = {
        nodes: function* () {
          for (let i = 0; i < n; i++) yield `m${i}`;
        },
        // Two edges forward per node: a DAG with ~10^5 edges.
        successors: (node) => {
          const i = Number(node.slice(1));
          return [i + 1, i + 7].filter((j) => j < n).map((j) => `m${j}`);
        },
      };
      assert.deepEqual(cyclesOf(graph), []);
    });
  });

  describe('one shortest cycle per cyclic component', () => {
    it('takes the short way round, from the component\'s first member', () => {
      const graph = graphOf('a>b', 'b>c', 'c>d', 'd>a', 'b>a', 'x>y');
      assert.deepEqual(cyclesOf(graph), [{ members: ['a', 'b', 'c', 'd'], cycle: ['a', 'b'] }]);
    });

    it('counts a module that imports itself', () => {
      assert.deepEqual(cyclesOf(graphOf('a>a', 'a>b')), [{ members: ['a'], cycle: ['a'] }]);
    });
  });

  describe('cycles the change introduces', () => {
    it('reports the new edge that closes a cycle, with the way back', () => {
      const base = graphOf('a>b', 'b>c');
      const current = graphOf('a>b', 'b>c', 'c>a');
      assert.deepEqual(introducedCycles(current, base), [{ edge: { from: 'c', to: 'a' }, cycle: ['c', 'a', 'b'] }]);
    });

    it('does not report a cycle the base already had, though the change touched its files', () => {
      const base = graphOf('a>b', 'b>a', 'a>x');
      const current = graphOf('a>b', 'b>a', 'b>y');
      assert.deepEqual(introducedCycles(current, base), []);
    });

    it('reports a new cycle grown out of an old one', () => {
      const base = graphOf('a>b', 'b>a', 'b>c');
      const current = graphOf('a>b', 'b>a', 'b>c', 'c>a');
      assert.deepEqual(introducedCycles(current, base), [{ edge: { from: 'c', to: 'a' }, cycle: ['c', 'a', 'b'] }]);
    });

    it('reports a new self-import', () => {
      assert.deepEqual(introducedCycles(graphOf('a>a'), graphOf('a')), [{ edge: { from: 'a', to: 'a' }, cycle: ['a'] }]);
    });

    it('does not take a renamed module of an old cycle for a new one', () => {
      const base = graphOf('a>old', 'old>a');
      const current = graphOf('a>new', 'new>a');
      assert.deepEqual(introducedCycles(current, base, (node) => (node === 'new' ? 'old' : node)), []);
    });

    it('gives each new edge of a cycle its own entry, the same modules round', () => {
      const base = graphOf('a>b', 'b>c');
      const current = graphOf('a>b', 'b>c', 'c>b', 'b>a');
      const found = introducedCycles(current, base);
      assert.deepEqual(found.map((cycle) => `${cycle.edge.from}>${cycle.edge.to}:${cycle.cycle.join(',')}`).sort(), ['b>a:b,a', 'c>b:c,b']);
    });
  });
});
