/**
 * Extension-host test entry (the `extensionTestsPath` contract of @vscode/test-electron and of
 * code-server's `payload`): `run()` resolves when every test passed, rejects otherwise.
 *
 * Bundled by test/e2e/buildSuite.mjs into out/e2e/index.js, mocha included, because the extension
 * host has neither tsx nor our node_modules. So the test files are not found on disk by mocha:
 * each is listed below and imported after mocha has defined `describe`/`it` on the global object.
 */
import Mocha from 'mocha';

/** Every suite file. Add new `*.test.ts` files here (a static import path, so esbuild bundles it). */
const testFiles: Array<() => Promise<unknown>> = [
  () => import('./smoke.test'),
  () => import('./review.test'),
  () => import('./languages.test'),
  () => import('./llm.test'),
  () => import('./feedback.test'),
  () => import('./commands.test'),
  () => import('./statusBar.test'),
  () => import('./liveFindings.test'),
  () => import('./impact.test'),
  () => import('./health.test'),
  // Last: it edits src/api.ts and adds an origin remote (undone after), which the others' reviews would see.
  () => import('./prComments.test'),
];

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000 });
  // What mocha.loadFiles does before requiring each file: define the bdd globals for this instance.
  mocha.suite.emit('pre-require', globalThis, '', mocha);
  for (const load of testFiles) await load();
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
