/**
 * The same extension-host suites on desktop VS Code, through @vscode/test-electron,
 * for a machine that can download VS Code (ours cannot: CI uses runE2e.ts and
 * code-server). Runs on the oldest VS Code `engines.vscode` allows and on stable,
 * as rust-analyzer does.
 *
 *   node test/e2e/buildSuite.mjs && node --import tsx test/e2e/runElectron.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { cleanupRepos } from '../helpers/gitRepo';
import { createFixtureRepo } from './fixture';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { vscode: string } };
  const oldest = manifest.engines.vscode.replace(/^\^/, '');
  try {
    for (const version of [oldest, 'stable']) {
      const fixture = createFixtureRepo();
      console.log(`VS Code ${version}`);
      await runTests({
        version,
        extensionDevelopmentPath: root,
        extensionTestsPath: path.join(root, 'out', 'e2e', 'index.js'),
        launchArgs: [fixture, '--disable-extensions', '--disable-workspace-trust'],
      });
    }
  } finally {
    cleanupRepos();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
