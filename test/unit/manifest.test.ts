import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SETTING_DEFAULTS } from '../../shared/settings';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  contributes: { commands: Array<{ command: string }>; configuration: { properties: Record<string, { default: unknown; scope?: string; markdownDescription?: string }> } };
};

describe('package.json manifest', () => {
  it('declares exactly the settings shared/settings.ts types, with the same defaults, a scope and a description', () => {
    const declared = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(SETTING_DEFAULTS).map((key) => `diffwise.${key}`).sort());
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) {
      const property = declared[`diffwise.${key}`];
      assert.deepEqual(property.default, value, key);
      assert.ok(property.scope, `${key} has a scope`);
      assert.ok(property.markdownDescription, `${key} has a description`);
    }
  });

  it('registers every command it declares, and declares every command it registers', () => {
    const source = fs.readFileSync(path.join(root, 'extension', 'commands.ts'), 'utf8');
    const registered = [...source.matchAll(/registerCommand\('([^']+)'/g)].map((match) => match[1]).sort();
    assert.deepEqual(manifest.contributes.commands.map((command) => command.command).sort(), registered);
  });

  it('targets a VS Code the test host (code-server 4.100.3 = VS Code 1.100) can load, with matching types', () => {
    const engine = manifest.engines.vscode.replace(/^\^/, '');
    const [major, minor] = engine.split('.').map(Number);
    assert.ok(major === 1 && minor <= 100, manifest.engines.vscode);
    assert.equal(manifest.devDependencies['@types/vscode'].split('.').slice(0, 2).join('.'), `${major}.${minor}`);
  });
});
