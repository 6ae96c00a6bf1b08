/**
 * The extension in a real VS Code: the review commands run in the daemon and
 * their findings arrive as diagnostics on the expected lines. Runs inside the
 * extension host on the fixture repository of ../fixture.ts.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { daemonPids, diagnosticsOf, review, uriOf, waitFor, type DiffwiseApi } from './helpers';

describe('Diffwise in VS Code', function () {
  this.timeout(120_000);
  let api: DiffwiseApi;

  before(async () => {
    const extension = vscode.extensions.getExtension('diffwise.diffwise');
    assert.ok(extension, 'the extension is installed');
    api = (await extension.activate()) as DiffwiseApi;
    // Read by npm run bench's notes: the time from activation to a running daemon client.
    console.log(`activation: ${api.activationMs} ms (daemon started)`);
  });

  it('declares its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['diffwise.reviewBranch', 'diffwise.reviewStaged', 'diffwise.reviewWorkingTree', 'diffwise.reindex', 'diffwise.showLog', 'diffwise.restartDaemon']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('Review Branch: a breaking change with its call site, a debug print and a secret, on their lines', async () => {
    const document = await review('diffwise.reviewBranch', 'main');
    assert.equal(document.run.scope, 'branch');

    const api = await waitFor('diagnostics on src/api.ts', () => (diagnosticsOf('src/api.ts').length >= 2 ? diagnosticsOf('src/api.ts') : undefined));
    const breaking = api.find((d) => d.code === 'breaking-change');
    assert.ok(breaking, JSON.stringify(api));
    assert.equal(breaking.range.start.line, 0);
    assert.equal(breaking.severity, vscode.DiagnosticSeverity.Error);
    assert.match(breaking.message, /calls `parse\(input\)` \(1 argument\) no longer compile/);
    const related = breaking.relatedInformation?.map((info) => [vscode.workspace.asRelativePath(info.location.uri), info.location.range.start.line]);
    assert.deepEqual(related, [['src/main.ts', 2]]);

    const debug = api.find((d) => d.code === 'debug-leftover');
    assert.equal(debug?.range.start.line, 1);
    assert.equal(debug?.severity, vscode.DiagnosticSeverity.Warning);

    const [secret] = diagnosticsOf('src/config.ts');
    assert.equal(secret?.code, 'secret');
    assert.equal(secret.range.start.line, 0);
    assert.ok(!/ghp_[A-Za-z0-9]{30}/.test(secret.message), 'the token is not shown');
  });

  it('offers a quick fix that applies the suggestion, and a hover with the related places', async () => {
    await review('diffwise.reviewBranch', 'main');
    const uri = uriOf('src/api.ts');
    // The provider commands work on open documents (a model), as in an editor.
    const document = await vscode.workspace.openTextDocument(uri);
    const debug = await waitFor('the debug-leftover diagnostic', () => diagnosticsOf('src/api.ts').find((d) => d.code === 'debug-leftover'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, debug.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Remove the line (debug-leftover)'), titles.join(', '));
    assert.ok(titles.includes('Ignore this finding (debug-leftover)'), titles.join(', '));

    // On the finding's code (the new parameter), where VS Code shows its diagnostic.
    const breaking = diagnosticsOf('src/api.ts').find((d) => d.code === 'breaking-change')!;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, breaking.range.start);
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /Diffwise · breaking-change/);
    assert.match(text, /src\/main\.ts:3/);

    const remove = actions.find((action) => action.title === 'Remove the line (debug-leftover)')!;
    // In an editor first: VS Code saves a workspace edit to a file that no editor shows, and the revert below would keep it.
    await vscode.window.showTextDocument(document);
    assert.ok(await vscode.workspace.applyEdit(remove.edit!));
    assert.ok(!document.getText().includes('console.log'), document.getText());
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the revert', () => document.getText().includes('console.log'));
  });

  it('Review Working Tree and Review Staged Changes replace the diagnostics of the previous review', async () => {
    const working = await review('diffwise.reviewWorkingTree');
    assert.equal(working.run.scope, 'working');
    await waitFor('working-tree diagnostics', () => diagnosticsOf('src/scratch.ts').length === 1 && diagnosticsOf('src/staged.ts').length === 1);
    assert.equal(diagnosticsOf('src/scratch.ts')[0].range.start.line, 0);
    assert.deepEqual(diagnosticsOf('src/api.ts'), [], 'the branch findings are gone');

    const staged = await review('diffwise.reviewStaged');
    assert.equal(staged.run.scope, 'staged');
    await waitFor('staged diagnostics', () => diagnosticsOf('src/staged.ts').length === 1 && diagnosticsOf('src/scratch.ts').length === 0);
  });

  it('cancelling a review cancels it in the daemon, which then still answers', async () => {
    await review('diffwise.reviewWorkingTree'); // the daemon is up
    const source = new vscode.CancellationTokenSource();
    const cancelled = api.review({ scope: 'branch', base: 'main' }, source.token);
    source.cancel();
    await assert.rejects(cancelled, /cancel/i);
    const after = await api.review({ scope: 'branch', base: 'main' });
    assert.equal(after.run.status, 'ok');
  });

  it('comes back after the daemon is killed', async () => {
    const daemons = daemonPids();
    assert.ok(daemons.length > 0, 'the daemon is running');
    for (const pid of daemons) process.kill(pid, 'SIGKILL');
    // The language client restarts a crashed server by itself; Restart Daemon does it on request.
    await vscode.commands.executeCommand('diffwise.restartDaemon');
    const document = await review('diffwise.reviewWorkingTree');
    assert.equal(document.run.status, 'ok');
  });
});
