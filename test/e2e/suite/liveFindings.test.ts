/**
 * Findings stay on their code in a real VS Code: an edit above a finding moves
 * its diagnostic, Diffwise's own quick fix takes it away at once, and undo brings
 * it back where it was, without a new review. The diagnostic covers the call, not
 * the line, links the rule's page, and its hover does not repeat its message.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsOf, review, uriOf, waitFor } from './helpers';

const FILE = 'src/api.ts';

describe('Findings on their code in VS Code', function () {
  this.timeout(120_000);
  let document: vscode.TextDocument;
  const debug = () => diagnosticsOf(FILE).find((d) => d.code === 'debug-leftover');
  const debugOn = (line: number) => waitFor(`the debug-leftover diagnostic on line ${line + 1}`, () => (debug()?.range.start.line === line ? debug() : undefined));

  before(async () => {
    await review('diffwise.reviewBranch', 'main');
    document = await vscode.workspace.openTextDocument(uriOf(FILE));
    // Shown in an editor: VS Code saves a workspace edit to a file shown in none, and these edits must stay unsaved.
    await vscode.window.showTextDocument(document);
    await debugOn(1);
  });

  after(async () => {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('covers the call, not the whole line, and links the rule\'s page', async () => {
    const diagnostic = await debugOn(1);
    // `  console.log('parse', input);`: the call, without its indent or its `;`.
    assert.deepEqual([diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character], [2, 1, 29]);
    const raw = vscode.languages.getDiagnostics(uriOf(FILE)).find((d) => d.source === 'diffwise' && typeof d.code === 'object' && d.code.value === 'debug-leftover');
    const target = raw && typeof raw.code === 'object' ? raw.code.target : undefined;
    assert.equal(target?.scheme, 'file', JSON.stringify(raw?.code));
    assert.match(target!.path, /\/docs\/rules\/debug-leftover\.md$/);
  });

  it('hovers with the actions on the first line and without repeating the message', async () => {
    const diagnostic = await debugOn(1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, diagnostic.range.start);
    const ours = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).filter((text) => text.includes('Diffwise'));
    assert.equal(ours.length, 1, ours.join('\n---\n'));
    const [firstLine] = ours[0].split('\n');
    for (const action of ['command:diffwise.voteFinding?', 'command:diffwise.ignoreFinding?']) assert.ok(firstLine.includes(action), firstLine);
    assert.ok(!ours[0].includes(diagnostic.message), 'the message VS Code already shows is not repeated');
    assert.ok(!/\p{Extended_Pictographic}/u.test(ours[0]), ours[0]);
  });

  it('moves with an edit above, goes with its quick fix, and comes back with undo', async () => {
    const above = new vscode.WorkspaceEdit();
    above.insert(document.uri, new vscode.Position(1, 0), '  // checked below\n');
    assert.ok(await vscode.workspace.applyEdit(above));
    const moved = await debugOn(2);
    assert.deepEqual([moved.range.start.character, moved.range.end.character], [2, 29]);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, moved.range, vscode.CodeActionKind.QuickFix.value);
    const remove = actions.find((action) => action.title === 'Remove the line (debug-leftover)');
    assert.ok(remove?.edit, actions.map((action) => action.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(remove.edit));
    assert.ok(!document.getText().includes('console.log'), document.getText());
    await waitFor('the diagnostic to go with its line', () => !debug());

    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    await waitFor('the undo', () => document.getText().includes('console.log'));
    const back = await debugOn(2);
    assert.deepEqual([back.range.start.character, back.range.end.character], [2, 29]);
  });
});
