// One build script, one esbuild context per bundle (vscode-eslint's layout).
// better-sqlite3 is native and stays external: it ships in node_modules.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  external: ['better-sqlite3', 'vscode'],
  define: { DIFFWISE_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
};

/**
 * The webviews run in the browser (VS Code's Chromium): one script and one style sheet
 * each (the CSS they import, with its @imports inlined), since their Content-Security-Policy
 * admits no inline script or style.
 */
/** @type {esbuild.BuildOptions} */
const webview = {
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome114', // VS Code 1.91's Electron; every later one is newer
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

const bundles = [
  // The CLI's entry: arguments, --help, --version; it loads dist/commands.js (the core, which
  // is also the daemon) only for a command that needs it, so that those start in Node's own time.
  { ...node, entryPoints: { cli: 'server/cli/main.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { commands: 'server/cli/commands.ts' }, outdir: 'dist' },
  // The VS Code client, which runs inside VS Code's extension host.
  { ...node, entryPoints: { extension: 'extension/extension.ts' }, outdir: 'dist' },
  // The feedback panel and the metrics dashboard: dist/webview/{feedback,metrics}.{js,css}.
  { ...webview, entryPoints: { feedback: 'webview/feedback/main.ts', metrics: 'webview/metrics/main.ts' }, outdir: 'dist/webview' },
];

const contexts = await Promise.all(bundles.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}
