/**
 * The graph's cytoscape style in the theme's colours. Cytoscape draws on a canvas,
 * which CSS does not reach, so the colours are read from VS Code's CSS custom
 * properties (`--vscode-*` on the page's root) and the style is made again when the
 * theme changes (VS Code then changes the body's class).
 */
import type { StylesheetJson } from 'cytoscape';
import type { NodeRole } from './graphModel';

/** The theme variable of each role's colour, with a fallback for a theme that lacks it; the legend's CSS uses the same. */
export const ROLE_COLOURS: Record<NodeRole, { variable: string; fallback: string }> = {
  changed: { variable: '--vscode-charts-orange', fallback: '#d18616' },
  dependent: { variable: '--vscode-charts-blue', fallback: '#3794ff' },
  test: { variable: '--vscode-charts-green', fallback: '#89d185' },
  broken: { variable: '--vscode-charts-red', fallback: '#f14c4c' },
};

/** The colours the style takes from the theme, read once per theme. */
export interface ThemeColours {
  roles: Record<NodeRole, string>;
  foreground: string;
  background: string;
  border: string;
  focus: string;
  font: string;
}

/**
 * A theme colour in a form cytoscape parses: VS Code writes translucent colours as
 * `#rrggbbaa` (or `#rgba`), which cytoscape rejects (the rule is then dropped), so those
 * become `rgba()`; every other form passes as it is.
 */
export function canvasColour(value: string): string {
  const hex = /^#([0-9a-f]{4}|[0-9a-f]{8})$/i.exec(value.trim());
  if (!hex) return value.trim();
  const digits = hex[1].length === 4 ? [...hex[1]].map((digit) => digit + digit).join('') : hex[1];
  const [r, g, b, a] = [0, 2, 4, 6].map((at) => parseInt(digits.slice(at, at + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${Math.round((a / 255) * 100) / 100})`;
}

/** Reads the theme's colours through `read` (a custom property's value, '' when unset). */
export function themeColours(read: (variable: string) => string): ThemeColours {
  const pick = (variable: string, fallback: string) => canvasColour(read(variable).trim() || fallback);
  const roles = Object.fromEntries(
    Object.entries(ROLE_COLOURS).map(([role, { variable, fallback }]) => [role, pick(variable, fallback)]),
  ) as Record<NodeRole, string>;
  return {
    roles,
    foreground: pick('--vscode-editor-foreground', '#cccccc'),
    background: pick('--vscode-editor-background', '#1e1e1e'),
    border: pick('--vscode-panel-border', '#80808059'),
    focus: pick('--vscode-focusBorder', '#007fd4'),
    font: read('--vscode-font-family').trim() || 'sans-serif',
  };
}

export function graphStyle(colours: ThemeColours): StylesheetJson {
  const roleRules = (Object.keys(colours.roles) as NodeRole[]).map((role) => ({
    selector: `node.${role}`,
    style: { 'background-color': colours.roles[role], 'border-color': colours.roles[role] },
  }));
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        color: colours.foreground,
        'font-family': colours.font,
        'font-size': 11,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-background-color': colours.background,
        'text-background-opacity': 0.8,
        'text-background-padding': '1px',
        width: 18,
        height: 18,
        'border-width': 2,
      },
    },
    { selector: 'node.symbol', style: { shape: 'round-rectangle', width: 14, height: 14 } },
    ...roleRules,
    // A changed node is drawn hollow-free and larger: the first layer a reader looks for.
    { selector: 'node.changed', style: { width: 24, height: 24, 'font-weight': 'bold' } },
    { selector: 'node.broken', style: { shape: 'diamond', width: 24, height: 24 } },
    {
      selector: 'node.folder',
      style: {
        shape: 'round-rectangle',
        'background-opacity': 0.04,
        'background-color': colours.foreground,
        'border-width': 1,
        'border-style': 'dashed',
        'border-color': colours.border,
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -4,
        padding: '12px',
      },
    },
    { selector: 'node.collapsed', style: { shape: 'round-rectangle', width: 34, height: 22, 'border-style': 'double', 'border-width': 3 } },
    {
      selector: 'edge',
      style: {
        width: 1.2,
        'line-color': colours.border,
        'target-arrow-color': colours.border,
        'target-arrow-shape': 'triangle',
        'curve-style': 'bezier',
        'arrow-scale': 0.8,
      },
    },
    { selector: 'edge.type-only', style: { 'line-style': 'dashed' } },
    { selector: 'edge.declares', style: { 'line-style': 'dotted', 'target-arrow-shape': 'none' } },
    // The keyboard's and the mouse's current node: the theme's focus ring, drawn as an outline so it shows on any fill.
    { selector: 'node.focused', style: { 'outline-width': 3, 'outline-color': colours.focus, 'outline-offset': 2, 'outline-opacity': 1 } },
    { selector: 'node:selected', style: { 'outline-width': 3, 'outline-color': colours.focus, 'outline-offset': 2 } },
  ];
}
