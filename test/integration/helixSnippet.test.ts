/**
 * The Helix `languages.toml` of docs/editors.md (extracted from the page): Helix
 * is not packaged in Debian bookworm, so this checks what it would read: that the
 * block is TOML (Python's tomllib, the standard library's parser), that every
 * language keeps a server of its own and adds `diffwise`, and that the server's
 * `command` and `args`, spawned as Helix spawns them, start the daemon and run the
 * documented `:lsp-workspace-command diffwise.review` with and without arguments.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type InitializeResult, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { REVIEW_COMMAND } from '../../shared/protocol';
import type { ReviewDocument } from '../../shared/review';
import { cleanupRepos, featureBranchRepo, gitEnv, write } from '../helpers/gitRepo';
import { pathWithDiffwise } from './fixtures/editors/diffwiseOnPath';
import { docSnippet } from './fixtures/editors/docSnippets';

interface HelixLanguages {
  'language-server': Record<string, { command: string; args?: string[] }>;
  language: Array<{ name: string; 'language-servers': string[] }>;
}

/** The TOML as JSON through Python's tomllib (3.11+), or null when there is no such Python. */
function parseToml(text: string): HelixLanguages | null {
  const result = spawnSync('python3', ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))'], { input: text, encoding: 'utf8' });
  if (result.error || /No module named 'tomllib'/.test(result.stderr ?? '')) return null;
  if (result.status !== 0) throw new Error(`the Helix snippet is not valid TOML:\n${result.stderr}`);
  return JSON.parse(result.stdout) as HelixLanguages;
}

describe('the Helix languages.toml (docs/editors.md)', function () {
  this.timeout(60_000);
  let languages: HelixLanguages;
  after(cleanupRepos);

  before(function () {
    const parsed = parseToml(docSnippet('toml', '# Diffwise for Helix'));
    if (parsed) return void (languages = parsed);
    if (process.env.CI) throw new Error('python3 with tomllib (3.11+) is needed to check the Helix snippet');
    console.warn('      (skipped: no python3 with tomllib (3.11+) to parse the Helix snippet)');
    this.skip();
  });

  it('declares the server as `diffwise serve --stdio`', function () {
    assert.deepEqual(languages['language-server'].diffwise, { command: 'diffwise', args: ['serve', '--stdio'] });
  });

  it('adds diffwise to every language it reviews, after a server of the language\'s own', function () {
    assert.deepEqual(languages.language.map((language) => language.name).sort(), ['go', 'java', 'javascript', 'jsx', 'python', 'tsx', 'typescript']);
    for (const language of languages.language) {
      const servers = language['language-servers'];
      assert.equal(servers.at(-1), 'diffwise', language.name);
      // The list replaces Helix's default one: dropping the language's own server would lose completion and the rest.
      assert.ok(servers.length >= 2, `${language.name} keeps its own server`);
    }
  });

  it('starts the daemon with its command line, which answers :lsp-workspace-command diffwise.review', async function () {
    const repo = featureBranchRepo({ 'src/a.ts': 'export const a = 1;\n' }, { 'src/a.ts': 'export const a = 1;\nexport const b = 2;\n' });
    write(repo, 'src/a.ts', 'export const a = 1;\nexport const b = 2;\ndebugger;\n');
    const { command, args } = languages['language-server'].diffwise;
    const child = spawn(command, args ?? [], { cwd: repo, env: { ...gitEnv, PATH: pathWithDiffwise() }, stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const diagnostics = new Map<string, PublishDiagnosticsParams['diagnostics']>();
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => void diagnostics.set(params.uri, params.diagnostics));
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('client/registerCapability', () => null);
    connection.listen();
    try {
      const rootUri = pathToFileURL(repo).toString();
      const init = (await connection.sendRequest('initialize', {
        processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'repo' }], capabilities: { workspace: { executeCommand: {} } },
      })) as InitializeResult;
      assert.equal(init.serverInfo?.name, 'diffwise');
      assert.ok(init.capabilities.executeCommandProvider?.commands.includes(REVIEW_COMMAND));
      await connection.sendNotification('initialized', {});

      // Helix before 25.01 sends no arguments: the working tree is reviewed.
      const working = (await connection.sendRequest('workspace/executeCommand', { command: REVIEW_COMMAND })) as ReviewDocument;
      assert.equal(working.run.scope, 'working');
      assert.deepEqual(working.findings.map((finding) => [finding.ruleId, finding.line]), [['debug-leftover', 3]]);
      assert.equal(diagnostics.get(pathToFileURL(`${repo}/src/a.ts`).toString())?.length, 1);

      // 25.01 and later pass the JSON after the name: `:lsp-workspace-command diffwise.review {"scope":"branch","base":"main"}`.
      const branch = (await connection.sendRequest('workspace/executeCommand', { command: REVIEW_COMMAND, arguments: [{ scope: 'branch', base: 'main' }] })) as ReviewDocument;
      assert.equal(branch.run.scope, 'branch');
      assert.deepEqual(branch.findings, []);

      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      assert.equal(await exited, 0);
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
