// Bundles the extension-host suites into out/e2e/index.js: the extension host loads plain CommonJS
// (no tsx there) and does not see our node_modules, so mocha is bundled in; `vscode` is provided
// by the host. Test files are pulled in by test/e2e/suite/index.ts's import list.
import * as esbuild from 'esbuild';

const started = Date.now();
await esbuild.build({
  entryPoints: ['test/e2e/suite/index.ts'],
  outfile: 'out/e2e/index.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: 'inline', // stack traces of failing tests point at the .ts files
  logLevel: 'warning',
  // mocha's parallel mode resolves its worker files at run time; we never run it in parallel.
  logOverride: { 'require-resolve-not-external': 'silent' },
});
console.log(`built out/e2e/index.js in ${Date.now() - started} ms`);
