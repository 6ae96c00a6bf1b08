import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SETTING_DEFAULTS } from '../../shared/settings';

const root = path.resolve(__dirname, '..', '..');
type SettingDeclaration = { type: string | string[]; default: unknown; scope?: string; markdownDescription?: string };
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  contributes: {
    commands: Array<{ command: string; title?: string; category?: string }>;
    /** Titled sections (the Settings editor's groups), each with its settings. */
    configuration: Array<{ title: string; properties: Record<string, SettingDeclaration> }>;
  };
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean };
  };
};

/** Every declared setting, whichever section it is in. */
const settings: Record<string, SettingDeclaration> = Object.assign({}, ...manifest.contributes.configuration.map((section) => section.properties));

describe('package.json manifest', () => {
  it('declares exactly the settings shared/settings.ts types, with the same defaults, a scope and a description', () => {
    const declared = settings;
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(SETTING_DEFAULTS).map((key) => `diffwise.${key}`).sort());
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) {
      const property = declared[`diffwise.${key}`];
      assert.deepEqual(property.default, value, key);
      assert.ok(property.scope, `${key} has a scope`);
      assert.ok(property.markdownDescription, `${key} has a description`);
    }
  });

  it('has no setting for a key or a token: the LLM key lives in SecretStorage, set by a command', () => {
    const declared = Object.keys(settings);
    assert.deepEqual(declared.filter((key) => /key|token|secret|password/i.test(key)), []);
    assert.ok(manifest.contributes.commands.some((command) => command.command === 'diffwise.setLlmApiKey'));
    assert.match(settings['diffwise.llm.baseUrl'].markdownDescription ?? '', /Set LLM API Key/);
  });

  it('declares the null budget as nullable', () => {
    assert.deepEqual(settings['diffwise.llm.monthlyBudgetUsd'].type, ['number', 'null']);
  });

  it('in an untrusted workspace: limited support, and the settings that choose what runs or where code goes are restricted', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.ok(untrusted.description);
    const restricted = untrusted.restrictedConfigurations ?? [];
    for (const key of ['diffwise.server.nodePath', 'diffwise.llm.baseUrl']) assert.ok(restricted.includes(key), key);
    for (const key of restricted) assert.ok(key in settings, `${key} is a declared setting`);
  });

  it('gives every command a title and the Diffwise category', () => {
    for (const command of manifest.contributes.commands) {
      assert.ok(command.title, command.command);
      assert.equal(command.category, 'Diffwise', command.command);
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
