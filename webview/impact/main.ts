/**
 * The impact view: the change's dependency graph drawn by cytoscape (bundled, drawn
 * on a canvas) in a layered layout whose first layer is the changed nodes, with a
 * legend, zoom and pan, folders that collapse, keyboard navigation, and the same
 * modules as a list grouped by import steps (the text alternative). A click, or
 * Enter, on a node asks the extension to open its file: the page opens nothing itself.
 */
import './impact.css';
import cytoscape, { type Core, type NodeSingular } from 'cytoscape';
import type { ImpactView } from '../../shared/webview';
import { Channel } from '../common/channel';
import { badge, button, h, icon, linkButton, replaceContent, statusBlock } from '../common/dom';
import { plural } from '../common/format';
import { COLLAPSE_THRESHOLD, depthGroups, drawnGraph, initiallyCollapsed, isFolderId, ROLE_NAMES, type NodeRole } from './graphModel';
import { graphStyle, themeColours } from './graphStyle';

const channel = new Channel<'impact'>();
const root = document.getElementById('diffwise-impact')!;

const SCOPE_NAMES: Record<string, string> = { working: 'working tree', staged: 'staged changes', branch: 'branch' };
const ROLE_ICONS: Record<NodeRole, string> = { changed: 'diff-modified', dependent: 'references', test: 'beaker', broken: 'error' };

let view: ImpactView | null = null;
let collapsed = new Set<string>();
let cy: Core | undefined;
/** The node the keyboard is on (an id in drawnGraph's order). */
let focusedId: string | undefined;
let order: string[] = [];
let resizeObserver: ResizeObserver | undefined;

const openNode = (file: string, line: number) => void channel.request('openNode', { file, line });

// Cytoscape adds a one-rule <style> to the head unless an element of this id is there already; the
// Content-Security-Policy refuses inline style, so the rule (position: relative) is in impact.css instead.
document.head.append(h('meta', { attrs: { id: '__________cytoscape_stylesheet' } }));

async function refresh(): Promise<void> {
  if (!view) replaceContent(root, statusBlock('Working out the impact…', undefined, undefined, { busy: true }));
  try {
    view = await channel.request('impact', {});
  } catch (error) {
    cy?.destroy();
    cy = undefined;
    replaceContent(root, statusBlock('The impact could not be computed.', (error as Error).message));
    return;
  }
  collapsed = view ? initiallyCollapsed(view.graph) : new Set();
  render();
}

function render(): void {
  cy?.destroy();
  cy = undefined;
  if (!view) {
    replaceContent(root, statusBlock('No change to show yet.', 'Review a change, then show its impact.',
      button('Review Working Tree', () => void channel.request('reviewWorkingTree', {}), { icon: 'checklist' })));
    return;
  }
  const container = h('div', {
    class: 'graph',
    attrs: {
      id: 'impact-graph',
      tabindex: '0',
      role: 'application',
      'aria-roledescription': 'dependency graph',
      'aria-label': 'Dependency graph. Arrow keys move between nodes, Enter opens a file or opens and closes a folder, plus and minus zoom, 0 fits.',
      'aria-describedby': 'impact-focus',
    },
  });
  replaceContent(root,
    header(view),
    legend(),
    h('div', { class: 'toolbar' },
      button('Fit', () => cy?.fit(undefined, 24), { icon: 'screen-full', secondary: true }),
      button('Collapse Folders', () => setCollapsed(new Set(view!.graph.nodes.map((node) => folderOfNode(node.file)))), { icon: 'collapse-all', secondary: true }),
      button('Expand Folders', () => setCollapsed(new Set()), { icon: 'expand-all', secondary: true })),
    container,
    h('p', { class: 'focus-line', attrs: { id: 'impact-focus', role: 'status', 'aria-live': 'polite' } }),
    textAlternative(view));
  draw(container);
}

function folderOfNode(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

function header(current: ImpactView): HTMLElement {
  const scope = SCOPE_NAMES[current.scope] ?? current.scope;
  return h('header', { class: 'summary' },
    h('h1', {}, `Impact of the ${scope}${current.base ? ` since ${current.base}` : ''}`),
    h('p', {},
      h('span', { attrs: { 'data-count': 'changed' } }, plural(current.changed.length, 'changed module')), ' · ',
      h('span', { attrs: { 'data-count': 'dependents' } }, plural(current.dependents.length, 'dependent')), ' · ',
      h('span', { attrs: { 'data-count': 'tests' } }, plural(current.tests.length, 'test')),
      current.truncated ? ` · more past ${plural(current.depth, 'import step')} not shown` : ''));
}

function legend(): HTMLElement {
  return h('ul', { class: 'legend', attrs: { 'aria-label': 'Legend' } },
    ...(Object.keys(ROLE_NAMES) as NodeRole[]).map((role) =>
      h('li', {}, h('span', { class: `swatch role-${role}`, attrs: { 'aria-hidden': 'true' } }), ROLE_NAMES[role])),
    h('li', {}, h('span', { class: 'swatch folder', attrs: { 'aria-hidden': 'true' } }), 'Folder (click to collapse or open)'));
}

function textAlternative(current: ImpactView): HTMLElement {
  const groups = depthGroups(current);
  return h('section', { class: 'list', attrs: { 'aria-label': 'The graph as a list' } },
    h('h2', {}, icon('list-tree'), 'As a list'),
    ...groups.map(({ depth, modules }) =>
      h('vscode-collapsible', { attrs: { heading: depth === 0 ? 'Changed' : `${plural(depth, 'import step')} away`, open: '' } },
        badge(modules.length),
        h('ul', { class: 'modules' }, ...modules.map((module) =>
          h('li', { class: `module role-${module.role}`, attrs: { 'data-file': module.file, 'data-depth': String(depth) } },
            icon(ROLE_ICONS[module.role], ROLE_NAMES[module.role]),
            linkButton(module.file, () => openNode(module.file, module.line), { 'data-focus': `list:${module.file}` }),
            module.symbols.length > 0 ? h('span', { class: 'symbols' }, module.symbols.join(', ')) : null,
            module.path.length > 1 ? h('span', { class: 'path' }, module.path.join(' → ')) : null))))));
}

function draw(container: HTMLElement): void {
  const drawn = drawnGraph(view!.graph, collapsed);
  order = drawn.order;
  cy = cytoscape({
    container,
    elements: drawn.elements,
    style: graphStyle(themeColours(readVariable)),
    layout: { name: 'breadthfirst', roots: drawn.roots.length > 0 ? drawn.roots : undefined, directed: false, spacingFactor: 1.1, padding: 24, animate: false },
    wheelSensitivity: 0.3,
    minZoom: 0.05,
    maxZoom: 4,
    boxSelectionEnabled: false,
    // A large expanded graph pans and zooms as a picture of itself, redrawn when the gesture ends.
    textureOnViewport: drawn.order.length > COLLAPSE_THRESHOLD,
    hideEdgesOnViewport: drawn.order.length > COLLAPSE_THRESHOLD,
  });
  // The container's size settles after the list below it is laid out (and changes with the panel):
  // cytoscape measures it only when told, so the graph is fitted to it again whenever it changes.
  resizeObserver?.disconnect();
  resizeObserver = new ResizeObserver(() => {
    cy?.resize();
    cy?.fit(undefined, 24);
  });
  resizeObserver.observe(container);
  cy.on('tap', 'node', (event) => activate(event.target as NodeSingular));
  cy.on('mouseover', 'node', (event) => describe(event.target as NodeSingular));
  if (!focusedId || cy.getElementById(focusedId).empty()) focusedId = order[0];
  markFocus(false);
  container.addEventListener('keydown', onKey);
}

/** A module or symbol opens its file; a folder opens or collapses. */
function activate(node: NodeSingular): void {
  focusedId = node.id();
  const folder = node.data('folder') as string | undefined;
  if (isFolderId(node.id()) && folder !== undefined) {
    const next = new Set(collapsed);
    if (next.has(folder)) next.delete(folder);
    else next.add(folder);
    setCollapsed(next);
    return;
  }
  markFocus(false);
  openNode(node.data('file') as string, node.data('line') as number);
}

function setCollapsed(next: Set<string>): void {
  collapsed = next;
  const keepFocus = document.activeElement?.id === 'impact-graph';
  const container = document.getElementById('impact-graph');
  if (!container || !cy) return render();
  cy.destroy();
  draw(container);
  if (keepFocus) container.focus();
}

function onKey(event: KeyboardEvent): void {
  if (!cy || order.length === 0) return;
  const at = Math.max(0, order.indexOf(focusedId ?? ''));
  const move = (to: number) => {
    event.preventDefault();
    focusedId = order[(to + order.length) % order.length];
    markFocus(true);
  };
  switch (event.key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return move(at + 1);
    case 'ArrowLeft':
    case 'ArrowUp':
      return move(at - 1);
    case 'Home':
      return move(0);
    case 'End':
      return move(order.length - 1);
    case 'Enter':
    case ' ': {
      event.preventDefault();
      const node = cy.getElementById(order[at]);
      if (node.nonempty()) activate(node as NodeSingular);
      return;
    }
    case '+':
    case '=':
      event.preventDefault();
      cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
      return;
    case '-':
      event.preventDefault();
      cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
      return;
    case '0':
      event.preventDefault();
      cy.fit(undefined, 24);
      return;
  }
}

/** Draws the focus ring on the keyboard's node, says what it is, and (when moved by key) brings it into view. */
function markFocus(pan: boolean): void {
  if (!cy) return;
  cy.nodes('.focused').removeClass('focused');
  const node = focusedId ? cy.getElementById(focusedId) : undefined;
  if (!node || node.empty()) return;
  node.addClass('focused');
  describe(node as NodeSingular);
  if (pan) {
    const box = node.renderedBoundingBox();
    if (box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height()) cy.center(node);
  }
}

function describe(node: NodeSingular): void {
  const line = document.getElementById('impact-focus');
  if (!line) return;
  const data = node.data() as { id: string; label: string; file?: string; folder?: string; count?: number; depth?: number; role?: NodeRole };
  const what = isFolderId(data.id)
    ? `Folder ${data.folder || '.'}/, ${plural(data.count ?? 0, 'module')}${collapsed.has(data.folder ?? '') ? ', collapsed' : ''}`
    : `${data.file}${data.label !== data.file ? ` (${data.label})` : ''}: ${ROLE_NAMES[data.role ?? 'dependent']}, ${data.depth === 0 ? 'in the change' : plural(data.depth ?? 0, 'import step') + ' away'}`;
  line.textContent = what;
  line.dataset.node = data.id;
}

function readVariable(variable: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(variable);
}

// VS Code swaps the body's class (vscode-light, vscode-dark, vscode-high-contrast…) when the theme changes,
// and its variables with it; the canvas does not follow CSS, so its style is made again from them.
new MutationObserver(() => cy?.style(graphStyle(themeColours(readVariable)))).observe(document.body, { attributes: true, attributeFilter: ['class'] });

channel.onPush('refresh', () => void refresh());
channel.start();
void refresh();
