/**
 * Chart.js, with only what the dashboard draws registered (bars, lines, two
 * linear axes over category labels, tooltips and legends), and the colours of the
 * current VS Code theme read from its CSS variables.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

export { Chart, type ChartConfiguration };

/** The series colours VS Code defines for charts, in the order datasets take them. */
export type SeriesColour = 'blue' | 'red' | 'green' | 'yellow' | 'orange' | 'purple';

export interface Theme {
  foreground: string;
  lines: string;
  font: string;
  series: Record<SeriesColour, string>;
}

/** The theme's colours now; VS Code sets the variables on the webview's root element. */
export function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const foreground = read('--vscode-charts-foreground', read('--vscode-foreground', '#888'));
  return {
    foreground,
    lines: read('--vscode-charts-lines', foreground),
    font: read('--vscode-font-family', 'sans-serif'),
    series: {
      blue: read('--vscode-charts-blue', '#3794ff'),
      red: read('--vscode-charts-red', '#f14c4c'),
      green: read('--vscode-charts-green', '#89d185'),
      yellow: read('--vscode-charts-yellow', '#cca700'),
      orange: read('--vscode-charts-orange', '#d18616'),
      purple: read('--vscode-charts-purple', '#b180d7'),
    },
  };
}

/** Chart.js's defaults for text and grid lines, from the theme. */
export function applyTheme(theme: Theme): void {
  Chart.defaults.color = theme.foreground;
  Chart.defaults.borderColor = theme.lines;
  Chart.defaults.font.family = theme.font;
  // No animation: charts are redrawn on every refresh and theme change, and motion adds nothing here.
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
}

/** Calls `onChange` when VS Code switches between light, dark and high-contrast themes (it changes the body's class). */
export function onThemeChange(onChange: () => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    onChange();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
