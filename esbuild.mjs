// One build script, one esbuild context per bundle (vscode-eslint's layout).
// better-sqlite3 is native and stays external: it ships in node_modules.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exportedNames, hashTrailerPlugin, lazyGroupBuilds, lazyModulesPlugin } from './build/lazyModules.mjs';

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
  // pg-native: pg's optional libpq binding, required only when asked for (pg.native); never installed.
  external: ['better-sqlite3', 'vscode', 'pg-native'],
  define: { DIFFWISE_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
};

/**
 * The bundles that bundleLoader.ts loads (with a code cache) end in their hash, its key;
 * esbuild hands the files to hashTrailerPlugin, which writes them. They hold no import():
 * a `vm.Script` runs one only through an experimental loader that warns on stderr, so a
 * package's `import('node:fs')` becomes a require (every external is CommonJS).
 */
/**
 * tree-sitter's Emscripten glue makes its own `require` in Node (`var require = createRequire(…)`
 * after `await import("module")`). Without dynamic import the `import` becomes a `require` call,
 * which that hoisted `var` shadows (undefined at that point): the glue keeps the bundle's require.
 * @type {esbuild.Plugin}
 */
const treeSitterRequire = {
  name: 'tree-sitter-require',
  setup(build) {
    build.onLoad({ filter: /[\\/]@vscode[\\/]tree-sitter-wasm[\\/]wasm[\\/]tree-sitter\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const own = /const \{ createRequire \} = await import\("module"\);\s*var require = createRequire\(getCurrentScriptUrl\(\)\);/;
      if (!own.test(source)) throw new Error(`${args.path}: the glue no longer makes its own require; check treeSitterRequire in esbuild.mjs`);
      return { contents: source.replace(own, ''), loader: 'js' };
    });
  },
};

/** @type {esbuild.BuildOptions} */
const loaded = { ...node, write: false, supported: { 'dynamic-import': false }, plugins: [treeSitterRequire, hashTrailerPlugin()] };

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

// The lazy packages first (dist/lib/<group>.js: the compiler, secretlint, openai, octokit, the
// LSP stack; build/lazyModules.mjs): the shims in dist/commands.js list the names they export.
// They change only with node_modules, so watch mode builds them once.
await Promise.all(lazyGroupBuilds(loaded, 'dist').map((options) => esbuild.build(options)));
const lazy = lazyModulesPlugin({ names: exportedNames('dist'), loaderPath: fileURLToPath(new URL('./server/cli/bundleLoader.ts', import.meta.url)) });

const bundles = [
  // The CLI's entry: arguments, --help, --version; it loads dist/commands.js (the core, which
  // is also the daemon) only for a command that needs it, so that those start in Node's own time.
  { ...node, entryPoints: { cli: 'server/cli/main.ts' }, outdir: 'dist' },
  // The core, with each lazy package's import resolved to a shim that loads it on first use.
  { ...loaded, entryPoints: { commands: 'server/cli/commands.ts' }, outdir: 'dist', plugins: [lazy, ...loaded.plugins] },
  // The VS Code client, which runs inside VS Code's extension host.
  { ...node, entryPoints: { extension: 'extension/extension.ts' }, outdir: 'dist' },
  // The feedback panel and the metrics dashboard: dist/webview/{feedback,metrics}.{js,css}.
  { ...webview, entryPoints: { feedback: 'webview/feedback/main.ts', metrics: 'webview/metrics/main.ts' }, outdir: 'dist/webview' },
  // The impact view (cytoscape, bundled: no CDN) on its own, so that the other two do not load the graph library.
  { ...webview, entryPoints: { impact: 'webview/impact/main.ts' }, outdir: 'dist/webview' },
];

// tree-sitter's runtime and the grammars of the languages it parses (server/languages/registry.ts), beside the
// bundles that load them (server/languages/treeSitter.ts looks in dist/wasm/): the package's other grammars stay out.
const WASM = ['tree-sitter.wasm', 'tree-sitter-python.wasm', 'tree-sitter-go.wasm', 'tree-sitter-java.wasm'];
mkdirSync('dist/wasm', { recursive: true });
for (const file of WASM) copyFileSync(fileURLToPath(new URL(`./node_modules/@vscode/tree-sitter-wasm/wasm/${file}`, import.meta.url)), `dist/wasm/${file}`);

// Codicons for the webviews: its style sheet and font beside the bundles (the pages link codicon.css by the id
// vscode-icon looks for; extension/webviewHtml.ts), as they are, since the CSS finds the font by its relative URL.
mkdirSync('dist/webview', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(fileURLToPath(new URL(`./node_modules/@vscode/codicons/dist/${file}`, import.meta.url)), `dist/webview/${file}`);

const contexts = await Promise.all(bundles.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}
