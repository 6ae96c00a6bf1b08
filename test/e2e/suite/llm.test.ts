/**
 * The LLM reviewer from VS Code: the key set with the command reaches the daemon
 * through its environment and nowhere else, the endpoint in `diffwise.llm.baseUrl`
 * is asked with it, and its answer arrives as an `llm/<category>` diagnostic.
 * The endpoint is the fake OpenAI-compatible server of test/helpers/fakeOpenAi.ts,
 * started inside the extension host, which the daemon reaches on 127.0.0.1.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { daemonEnvironment } from '../../../extension/daemonEnv';
import { startFakeOpenAi, type FakeOpenAi } from '../../helpers/fakeOpenAi';
import { daemonPids, diagnosticsOf, fixture, review, waitFor, type DiffwiseApi } from './helpers';

const KEY = 'sk-e2e-secret-key';
const MESSAGE = 'e2e: doubling n overflows for large inputs';
/** An added line no static rule flags, so that whatever is found on it comes from the LLM. */
const ADDED_LINE = 'export const twice = n * 2;';
/** src/main.ts has three lines in the fixture; the added one is the fourth. */
const ADDED_LINE_NUMBER = 4;

/** The environment of every running daemon, where /proc shows it (Linux); undefined elsewhere. */
function daemonEnvironments(): Array<Record<string, string>> | undefined {
  if (!fs.existsSync('/proc/self/environ')) return undefined;
  return daemonPids().flatMap((pid) => {
    try {
      const pairs = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
      return [Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))];
    } catch {
      return []; // exited since ps listed it
    }
  });
}

/** Waits until at least one daemon runs and every running daemon's environment passes `check`. */
async function waitForDaemons(what: string, check: (env: Record<string, string>) => boolean): Promise<void> {
  if (!daemonEnvironments()) return;
  await waitFor(what, () => {
    const environments = daemonEnvironments()!;
    return environments.length > 0 && environments.every(check);
  });
}

/** The text of the settings file that `command` opens in an editor; the editor is closed again. */
async function settingsText(command: string): Promise<{ uri: string; text: string }> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand(command);
  const editor = await waitFor(`${command} to open a settings.json`, () => {
    const active = vscode.window.activeTextEditor;
    return active && /settings\.json$/.test(active.document.uri.path) ? active : undefined;
  });
  const file = { uri: editor.document.uri.toString(), text: editor.document.getText() };
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  return file;
}

describe('The LLM reviewer in VS Code', function () {
  this.timeout(180_000);
  let fake: FakeOpenAi;
  const llmSettings = () => vscode.workspace.getConfiguration('diffwise.llm');
  const mainFile = () => path.join(fixture(), 'src', 'main.ts');
  let mainBefore: string | undefined;

  let api: DiffwiseApi;

  before(async () => {
    api = (await vscode.extensions.getExtension('diffwise.diffwise')!.activate()) as DiffwiseApi;
    fake = await startFakeOpenAi();
    // Small hunks share a prompt: the finding names the hunk of src/main.ts the prompt labels
    // (none when the prompt holds no such hunk, so the answer is dropped there).
    fake.setDefault({
      kind: 'handler',
      handle: (body) => {
        const user = (body.messages as Array<{ role: string; content: string }>).find((message) => message.role === 'user')?.content ?? '';
        const label = /^Report problems only on lines \d+–\d+ of src\/main\.ts, as hunk (H\d+)\.$/m.exec(user)?.[1];
        const findings = label ? [{ hunk: label, category: 'bug', severity: 'warning', line: ADDED_LINE_NUMBER, endLine: ADDED_LINE_NUMBER, message: MESSAGE, suggestion: null }] : [];
        return { kind: 'success', content: JSON.stringify({ findings }) };
      },
    });
    // A change of its own, so the answer above points inside exactly one hunk.
    mainBefore = fs.readFileSync(mainFile(), 'utf8');
    assert.equal(mainBefore.split('\n').length - 1, ADDED_LINE_NUMBER - 1);
    fs.writeFileSync(mainFile(), `${mainBefore}${ADDED_LINE}\n`);
    // Global (user settings), so that no .vscode/settings.json appears in the fixture's working tree.
    await llmSettings().update('baseUrl', fake.baseUrl, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('diffwise.clearLlmApiKey');
    await llmSettings().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await llmSettings().update('enabled', undefined, vscode.ConfigurationTarget.Global);
    await llmSettings().update('monthlyBudgetUsd', undefined, vscode.ConfigurationTarget.Global);
    if (mainBefore !== undefined) fs.writeFileSync(mainFile(), mainBefore);
    await fake?.close();
  });

  it('declares the key commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['diffwise.setLlmApiKey', 'diffwise.clearLlmApiKey']) assert.ok(commands.includes(id), id);
  });

  it('Set LLM API Key restarts the daemon with the key in its environment, not on its command line', async () => {
    assert.ok(vscode.workspace.isTrusted, 'the e2e workspace is trusted (runE2e.ts disables workspace trust)');
    const before = daemonPids();
    assert.equal(await vscode.commands.executeCommand('diffwise.setLlmApiKey', KEY), true);
    await waitForDaemons('a daemon started with the key', (env) => env.DIFFWISE_LLM_API_KEY === KEY && env.DIFFWISE_LLM === undefined);
    assert.ok(daemonPids().every((pid) => !before.includes(pid)), 'the daemon was restarted');
    const commandLines = fs.existsSync('/proc/self/cmdline')
      ? daemonPids().map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).join('\n')
      : '';
    assert.ok(!commandLines.includes(KEY), 'the key is not an argument');
  });

  it('setting the same key again does not restart the daemon', async () => {
    const before = daemonPids();
    await vscode.commands.executeCommand('diffwise.setLlmApiKey', KEY);
    assert.deepEqual(daemonPids(), before);
  });

  it('a Working Tree review asks diffwise.llm.baseUrl with the key and shows the answer as a diagnostic', async () => {
    const document = await review('diffwise.reviewWorkingTree');
    assert.ok(fake.requests.length > 0, `the endpoint was asked (run: ${JSON.stringify(document.run)})`);
    assert.equal(fake.requests[0].headers.authorization, `Bearer ${KEY}`);
    assert.ok(!fake.requests.some((request) => JSON.stringify(request.body).includes(KEY)), 'the key is only in the header');
    assert.ok(document.run.llm, 'the run says what the LLM did');

    const llm = await waitFor('the llm/bug diagnostic on src/main.ts', () => diagnosticsOf('src/main.ts').find((d) => d.code === 'llm/bug'));
    assert.equal(llm.range.start.line, ADDED_LINE_NUMBER - 1);
    assert.equal(llm.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(llm.message, new RegExp(MESSAGE));
    // The static findings are still there beside it.
    assert.ok(diagnosticsOf('src/scratch.ts').some((d) => d.code === 'debug-leftover'));
  });

  it('the key is in no settings file', async () => {
    // In a remote window (code-server's is one) a machine-overridable setting written to Global
    // lands in the remote's settings, not the user's: read both, and show that one holds the URL.
    const files = [await settingsText('workbench.action.openSettingsJson')];
    if (vscode.env.remoteName) files.push(await settingsText('workbench.action.openRemoteSettingsFile'));
    const workspaceSettings = path.join(fixture(), '.vscode', 'settings.json');
    if (fs.existsSync(workspaceSettings)) files.push({ uri: workspaceSettings, text: fs.readFileSync(workspaceSettings, 'utf8') });
    assert.ok(files.some((file) => file.text.includes(fake.baseUrl)), `the files the settings went to are among these: ${files.map((file) => file.uri).join(', ')}`);
    for (const file of files) assert.ok(!file.text.includes(KEY), `the key is not in ${file.uri}`);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('diffwise')).includes(KEY), 'not in any diffwise.* value');
  });

  it('diffwise.llm.enabled off: the daemon, which pulls it at each review, asks nothing', async () => {
    await llmSettings().update('enabled', false, vscode.ConfigurationTarget.Global);
    const asked = fake.requests.length;
    const document = await review('diffwise.reviewWorkingTree');
    assert.equal(fake.requests.length, asked);
    assert.ok(!document.findings.some((finding) => finding.source === 'llm'), JSON.stringify(document.findings));
    await waitFor('the llm diagnostics gone', () => !diagnosticsOf('src/main.ts').some((d) => String(d.code).startsWith('llm/')));
    await llmSettings().update('enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a used-up monthly budget: no call, the hunks counted; overBudget (Review with LLM Anyway) calls anyway', async () => {
    await llmSettings().update('monthlyBudgetUsd', 0, vscode.ConfigurationTarget.Global);
    // A line never asked about, so the review cache cannot answer for it.
    fs.writeFileSync(mainFile(), `${mainBefore}export const thrice = n * 3;\n`);
    const asked = fake.requests.length;
    const document = await review('diffwise.reviewWorkingTree');
    assert.equal(fake.requests.length, asked, 'no call past the budget');
    assert.equal(document.run.llm?.hunksOverBudget, 1, JSON.stringify(document.run.llm));
    assert.equal(document.run.llm?.budget?.exhausted, true);

    const anyway = await api.review({ scope: 'working', overBudget: true, trigger: 'command' });
    assert.ok(fake.requests.length > asked, 'the override calls the LLM');
    assert.equal(anyway.run.llm?.hunksOverBudget, 0);
    assert.ok(anyway.findings.some((finding) => finding.ruleId === 'llm/bug' && finding.file === 'src/main.ts'));
    await llmSettings().update('monthlyBudgetUsd', undefined, vscode.ConfigurationTarget.Global);
  });

  it('Clear LLM API Key restarts the daemon without it', async () => {
    assert.equal(await vscode.commands.executeCommand('diffwise.clearLlmApiKey'), true);
    await waitForDaemons('a daemon started without the key', (env) => env.DIFFWISE_LLM_API_KEY === undefined);
    assert.equal(await vscode.commands.executeCommand('diffwise.clearLlmApiKey'), false, 'nothing left to clear');
  });

  it('in an untrusted workspace the daemon gets no key at all, and the switch that forbids sending code', () => {
    const base = { PATH: '/usr/bin', OPENAI_API_KEY: 'sk-from-the-shell', DIFFWISE_LLM_API_KEY: 'sk-also-from-the-shell' };
    const untrusted = daemonEnvironment(base, KEY, false);
    assert.deepEqual(untrusted.env, { PATH: '/usr/bin', DIFFWISE_LLM: 'untrusted' });
    const trusted = daemonEnvironment(base, KEY, true);
    assert.equal(trusted.env.DIFFWISE_LLM_API_KEY, KEY);
    assert.equal(trusted.env.DIFFWISE_LLM, undefined);
    assert.equal(daemonEnvironment(base, undefined, true).env.DIFFWISE_LLM_API_KEY, 'sk-also-from-the-shell', 'without a stored key, the shell\'s is kept');
    assert.notEqual(trusted.fingerprint, untrusted.fingerprint);
    assert.equal(trusted.fingerprint, daemonEnvironment({ ...base, HOME: '/elsewhere' }, KEY, true).fingerprint, 'only the LLM variables count');
    assert.ok(!trusted.fingerprint.includes(KEY));
  });
});
