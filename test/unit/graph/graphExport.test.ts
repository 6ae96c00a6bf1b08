import * as assert from 'node:assert/strict';
import type { GraphDocument } from '../../../shared/impact';
import { impactGraph, neighbourhoodGraph, toDot, toMermaid } from '../../../server/graph/graphExport';
import { reachOf } from '../../../server/graph/impact';
import { ImportGraph } from '../../../server/graph/importGraph';

describe('graph export', () => {
  const graph = ImportGraph.fromImports([], [
    { file: 'src/cart.ts', resolvedPath: 'src/price.ts', typeOnly: false, line: 1 },
    { file: 'src/types.ts', resolvedPath: 'src/price.ts', typeOnly: true, line: 1 },
    { file: 'src/cart.test.ts', resolvedPath: 'src/cart.ts', typeOnly: false, line: 1 },
    { file: 'src/far.ts', resolvedPath: 'src/cart.test.ts', typeOnly: false, line: 1 },
  ]);
  const changed = [{ file: 'src/price.ts', status: 'modified' as const, symbols: ['price'], language: 'typescript' as const }];
  const reach = reachOf(graph, changed, { depth: 2, brokenLines: new Map([['src/cart.ts', [3]]]) });
  const document = impactGraph(graph, changed, reach.dependents, [{ file: 'src/price.ts', name: 'price', line: 4 }]);

  it('has the changed module, its dependents within the depth, the changed export, and the edges among them', () => {
    assert.deepEqual(document.nodes.map((n) => [n.id, n.kind, n.depth, n.changed, n.test, n.broken]), [
      ['src/price.ts', 'module', 0, true, false, false],
      ['src/cart.ts', 'module', 1, false, false, true],
      ['src/types.ts', 'module', 1, false, false, false],
      ['src/cart.test.ts', 'module', 2, false, true, false],
      ['src/price.ts#price', 'symbol', 0, true, false, false],
    ]);
    assert.deepEqual(document.edges.map((e) => `${e.from}>${e.to}:${e.kind}${e.typeOnly ? ':type' : ''}`), [
      'src/cart.test.ts>src/cart.ts:imports', 'src/cart.ts>src/price.ts:imports', 'src/types.ts>src/price.ts:imports:type', 'src/price.ts>src/price.ts#price:declares',
    ]);
  });

  it('writes Graphviz dot: changed filled, broken red, tests as notes, type-only dashed', () => {
    const dot = toDot(document);
    assert.match(dot, /^digraph diffwise \{\n/);
    assert.match(dot, /"src\/price.ts" \[label="src\/price.ts", style=filled, fillcolor="#fff3b0"\];/);
    assert.match(dot, /"src\/cart.ts" \[label="src\/cart.ts", color=red, penwidth=2\];/);
    assert.match(dot, /"src\/cart.test.ts" \[label="src\/cart.test.ts", shape=note\];/);
    assert.match(dot, /"src\/types.ts" -> "src\/price.ts" \[style=dashed\];/);
    assert.match(dot, /"src\/price.ts#price" \[label="price", shape=ellipse, style=filled/);
    assert.match(dot, /\}\n$/);
  });

  it('writes a Mermaid flowchart with numbered ids and quoted labels', () => {
    const mermaid = toMermaid(document).split('\n');
    assert.equal(mermaid[0], 'flowchart LR');
    assert.ok(mermaid.includes('  n0["src/price.ts"]'));
    assert.ok(mermaid.includes('  n4(["price"])'));
    assert.ok(mermaid.includes('  n1 --> n0'));
    assert.ok(mermaid.includes('  n2 -.-> n0'));
    assert.ok(mermaid.includes('  n0 --- n4'));
    assert.ok(mermaid.includes('  class n0,n4 changed'));
    assert.ok(mermaid.includes('  class n1 broken'));
  });

  it('escapes quotes in dot and Mermaid labels', () => {
    const odd: GraphDocument = { nodes: [{ id: 'a"b.ts', kind: 'module', file: 'a"b.ts', label: 'a"b.ts', changed: false, test: false, broken: false, language: 'typescript' }], edges: [] };
    assert.match(toDot(odd), /"a\\"b.ts" \[label="a\\"b.ts"\]/);
    assert.match(toMermaid(odd), /n0\["a#quot;b.ts"\]/);
  });

  it('draws the neighbourhood of one file both ways', () => {
    const around = neighbourhoodGraph(graph, 'src/cart.ts', 1);
    assert.deepEqual(around.nodes.map((n) => [n.id, n.changed]), [['src/cart.test.ts', false], ['src/cart.ts', true], ['src/price.ts', false]]);
    assert.equal(around.nodes[0]!.depth, undefined);
    assert.equal(around.edges.length, 2);
  });
});
