/** Proves the harness: the extension host runs this file inside VS Code with the fixture open. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';

describe('e2e harness', () => {
  it('opens exactly one workspace folder', () => {
    assert.strictEqual(vscode.workspace.workspaceFolders?.length, 1);
  });
});
