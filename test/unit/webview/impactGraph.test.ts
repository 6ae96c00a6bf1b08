/**
 * The impact view's graph model, style and lenses on a fixture impact document, and
 * the layered layout of a generated 2,000-node graph by the real cytoscape (headless,
 * the same library and layout the page runs), timed.
 */
import * as assert from 'node:assert/strict';
import cytoscape from 'cytoscape';
import { impactLensEntries, lensTitle } from '../../../extension/impactLensEntries';
import type { GraphDocument, GraphNode } from '../../../shared/impact';
import { parseWebviewMessage, webviewRequestNames, type ImpactView } from '../../../shared/webview';
import { COLLAPSE_THRESHOLD, depthGroups, drawnGraph, folderId, folderOf, initiallyCollapsed, roleOf } from '../../../webview/impact/graphModel';
import { canvasColour, graphStyle, ROLE_COLOURS, themeColours } from '../../../webview/impact/graphStyle';

const module = (file: string, extra: Partial<GraphNode> = {}): GraphNode => ({
  id: file, kind: 'module', file, label: file.split('/').pop()!, changed: false, test: false, broken: false, language: 'typescript', depth: 1, ...extra,
});

/** src/api.ts changed (its export `greet`); src/app.ts imports it, breaks; test/api.test.ts and src/cli/main.ts reach it. */
const fixture: ImpactView = {
  scope: 'branch',
  base: 'main',
  depth: 3,
  changed: [{ file: 'src/api.ts', status: 'modified', symbols: ['greet'], language: 'typescript' }],
  dependents: [
    { file: 'src/app.ts', depth: 1, path: ['src/api.ts', 'src/app.ts'], test: false, brokenLines: [4], language: 'typescript' },
    { file: 'test/api.test.ts', depth: 1, path: ['src/api.ts', 'test/api.test.ts'], test: true, brokenLines: [], language: 'typescript' },
    { file: 'src/cli/main.ts', depth: 2, path: ['src/api.ts', 'src/app.ts', 'src/cli/main.ts'], test: false, brokenLines: [], language: 'typescript' },
  ],
  tests: ['test/api.test.ts'],
  truncated: false,
  durationMs: 3,
  graph: {
    nodes: [
      module('src/api.ts', { changed: true, depth: 0 }),
      { id: 'src/api.ts#greet', kind: 'symbol', file: 'src/api.ts', line: 7, label: 'greet', changed: true, test: false, broken: false, language: 'typescript', depth: 0 },
      module('src/app.ts', { broken: true }),
      module('test/api.test.ts', { test: true }),
      module('src/cli/main.ts', { depth: 2 }),
    ],
    edges: [
      { from: 'src/api.ts', to: 'src/api.ts#greet', kind: 'declares', typeOnly: false },
      { from: 'src/app.ts', to: 'src/api.ts', kind: 'imports', typeOnly: false },
      { from: 'test/api.test.ts', to: 'src/api.ts', kind: 'imports', typeOnly: false },
      { from: 'src/cli/main.ts', to: 'src/app.ts', kind: 'imports', typeOnly: true },
    ],
  },
};

/** A generated graph: `folders` folders of modules, one changed, each module importing one nearer the change. */
function generated(count: number, folders: number): GraphDocument {
  const nodes: GraphNode[] = [];
  const edges: GraphDocument['edges'] = [];
  for (let i = 0; i < count; i++) {
    const file = `pkg${i % folders}/module${i}.ts`;
    const depth = i === 0 ? 0 : 1 + Math.floor(Math.log2(i + 1));
    nodes.push(module(file, { changed: i === 0, depth, test: i % 17 === 0 && i > 0 }));
    if (i > 0) edges.push({ from: file, to: nodes[Math.floor((i - 1) / 2)].id, kind: 'imports', typeOnly: false });
  }
  return { nodes, edges };
}

/**
 * The page's layout (breadthfirst from the changed nodes) of `graph`, timed on its second
 * run (the first warms the JIT). Headless, without the style: Node has no canvas to
 * measure labels with, so this times the layout itself, not the drawing.
 */
function layoutMs(graph: GraphDocument, collapsed: ReadonlySet<string>): { ms: number; nodes: number } {
  const drawn = drawnGraph(graph, collapsed);
  let ms = 0;
  let nodes = 0;
  for (let run = 0; run < 2; run++) {
    const cy = cytoscape({ headless: true, styleEnabled: false, elements: drawn.elements });
    const started = performance.now();
    cy.layout({ name: 'breadthfirst', roots: drawn.roots, directed: false, animate: false, boundingBox: { x1: 0, y1: 0, w: 1600, h: 1000 } }).run();
    ms = performance.now() - started;
    nodes = cy.nodes().length;
    cy.destroy();
  }
  return { ms, nodes };
}

describe('impact view: the graph model', () => {
  it('draws each module in its folder, with its role, and the changed nodes as the first layer', () => {
    const drawn = drawnGraph(fixture.graph, new Set());
    const node = (id: string) => drawn.elements.find((element) => element.data.id === id);
    assert.equal(node('src/api.ts')?.data.parent, folderId('src'));
    assert.equal(node('src/cli/main.ts')?.data.parent, folderId('src/cli'));
    assert.match(node('src/api.ts')!.classes as string, /\bchanged\b/);
    assert.match(node('src/app.ts')!.classes as string, /\bbroken\b/);
    assert.match(node('test/api.test.ts')!.classes as string, /\btest\b/);
    assert.match(node('src/cli/main.ts')!.classes as string, /\bdependent\b/);
    assert.equal(node('src/api.ts#greet')?.data.line, 7);
    assert.equal(node('src/app.ts')?.data.line, 1, 'a module opens at its first line');
    assert.deepEqual(drawn.roots.sort(), ['src/api.ts', 'src/api.ts#greet']);
    assert.ok(drawn.order.indexOf('src/api.ts') < drawn.order.indexOf('src/cli/main.ts'), 'the keyboard meets the change first');
    assert.match(drawn.elements.find((element) => element.data.id === 'src/cli/main.ts->src/app.ts')!.classes as string, /type-only/);
  });

  it('draws a collapsed folder as one node that carries its strongest role and its edges, once each', () => {
    const drawn = drawnGraph(fixture.graph, new Set(['src']));
    const ids = drawn.elements.map((element) => element.data.id);
    assert.ok(!ids.includes('src/api.ts') && !ids.includes('src/app.ts'));
    const folder = drawn.elements.find((element) => element.data.id === folderId('src'))!;
    assert.equal(folder.data.count, 3);
    assert.match(folder.classes as string, /collapsed broken/);
    assert.ok(ids.includes(`test/api.test.ts->${folderId('src')}`));
    assert.ok(ids.includes(`src/cli/main.ts->${folderId('src')}`));
    assert.ok(!ids.some((id) => id === `${folderId('src')}->${folderId('src')}`), 'no edge within a collapsed folder');
    assert.deepEqual(drawn.roots, [folderId('src')]);
  });

  it('opens collapsed by folder past the threshold, keeping the folders of the change open', () => {
    assert.equal(initiallyCollapsed(fixture.graph).size, 0);
    const large = generated(COLLAPSE_THRESHOLD + 1, 20);
    const collapsed = initiallyCollapsed(large);
    assert.equal(collapsed.size, 19);
    assert.ok(!collapsed.has(folderOf(large.nodes[0].file)));
  });

  it('lists the same modules grouped by import steps, with the import path and where each opens', () => {
    const groups = depthGroups(fixture);
    assert.deepEqual(groups.map((group) => group.depth), [0, 1, 2]);
    assert.deepEqual(groups[0].modules, [{ file: 'src/api.ts', line: 7, role: 'changed', symbols: ['greet'], path: ['src/api.ts'] }]);
    assert.deepEqual(groups[1].modules.map((entry) => [entry.file, entry.role, entry.line]), [['src/app.ts', 'broken', 4], ['test/api.test.ts', 'test', 1]]);
    assert.deepEqual(groups[2].modules[0].path, ['src/api.ts', 'src/app.ts', 'src/cli/main.ts']);
  });

  it('names roles by precedence: broken, changed, test, dependent', () => {
    assert.equal(roleOf({ broken: true, changed: true, test: true }), 'broken');
    assert.equal(roleOf({ broken: false, changed: true, test: true }), 'changed');
    assert.equal(roleOf({ broken: false, changed: false, test: true }), 'test');
    assert.equal(roleOf({ broken: false, changed: false, test: false }), 'dependent');
  });
});

describe('impact view: the style', () => {
  it('takes each role\'s colour from the theme, falling back when the theme has none', () => {
    const theme: Record<string, string> = { '--vscode-charts-orange': ' #ff8800 ', '--vscode-focusBorder': '#123456' };
    const colours = themeColours((name) => theme[name] ?? '');
    assert.equal(colours.roles.changed, '#ff8800');
    assert.equal(colours.roles.broken, ROLE_COLOURS.broken.fallback);
    assert.equal(colours.focus, '#123456');
    const style = graphStyle(colours) as Array<{ selector: string; style: Record<string, unknown> }>;
    assert.equal(style.find((rule) => rule.selector === 'node.changed' && rule.style['background-color'])?.style['background-color'], '#ff8800');
    assert.equal(style.find((rule) => rule.selector === 'node.focused')?.style['outline-color'], '#123456');
  });

  it('hands cytoscape VS Code\'s translucent #rrggbbaa colours as rgba()', () => {
    assert.equal(canvasColour('#80808059'), 'rgba(128, 128, 128, 0.35)');
    assert.equal(canvasColour('#f008'), 'rgba(255, 0, 0, 0.53)');
    assert.equal(canvasColour(' #3794ff '), '#3794ff');
    assert.equal(themeColours(() => '').border, 'rgba(128, 128, 128, 0.35)');
  });

  it('is a style cytoscape accepts, every property of it', () => {
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      cytoscape({ headless: true, styleEnabled: true, elements: [], style: graphStyle(themeColours((name) => (name === '--vscode-panel-border' ? '#2b2b2b80' : ''))) }).destroy();
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(warnings, []);
    const cy = cytoscape({ headless: true, styleEnabled: true, elements: drawnGraph(fixture.graph, new Set()).elements, style: graphStyle(themeColours(() => '')) });
    assert.equal(cy.getElementById('src/app.ts').style('shape'), 'diamond');
    cy.destroy();
  });
});

describe('impact view: 2,000 nodes', function () {
  this.timeout(60_000);
  it('lays out a 2,000-node graph collapsed by folder in under 500 ms, and even expanded in under 5 s', () => {
    const graph = generated(2000, 40);
    const collapsed = layoutMs(graph, initiallyCollapsed(graph));
    const expanded = layoutMs(graph, new Set());
    console.log(`      layout: collapsed ${collapsed.nodes} nodes in ${collapsed.ms.toFixed(0)} ms; expanded ${expanded.nodes} nodes in ${expanded.ms.toFixed(0)} ms`);
    assert.ok(collapsed.nodes < 200, `${collapsed.nodes} nodes drawn collapsed`);
    assert.ok(collapsed.ms < 500, `${collapsed.ms} ms`);
    assert.ok(expanded.ms < 5000, `${expanded.ms} ms`);
  });
});

describe('impact view: the channel and the lenses', () => {
  it('accepts the view\'s requests and opens only repository files', () => {
    assert.deepEqual(webviewRequestNames('impact').sort(), ['impact', 'openNode', 'reviewWorkingTree']);
    assert.equal(parseWebviewMessage('impact', { type: 'request', id: 1, method: 'openNode', params: { file: 'src/api.ts', line: 7 } }).ok, true);
    assert.equal(parseWebviewMessage('impact', { type: 'request', id: 2, method: 'openNode', params: { file: '../etc/passwd', line: 1 } }).ok, false);
    assert.equal(parseWebviewMessage('impact', { type: 'request', id: 3, method: 'openNode', params: { file: 'src/api.ts', line: 0 } }).ok, false);
    assert.equal(parseWebviewMessage('impact', { type: 'request', id: 4, method: 'vote', params: {} }).ok, false);
  });

  it('puts "N dependents, M tests" on each changed export whose line the graph knows', () => {
    const entries = impactLensEntries(fixture);
    assert.deepEqual(entries, [{ file: 'src/api.ts', line: 7, symbol: 'greet', dependents: 3, tests: 1 }]);
    assert.equal(lensTitle(entries[0]), '3 dependents, 1 test');
    assert.equal(lensTitle({ dependents: 1, tests: 0 }), '1 dependent, 0 tests');
  });
});
