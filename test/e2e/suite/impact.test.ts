/**
 * Diffwise: Show Impact in the real VS Code, against the real daemon: after a branch
 * review it opens on that review's change (no picker), its page asks for the impact over
 * the channel and is sent the changed module (src/api.ts, whose parse() the branch
 * changed) and a dependent (src/main.ts, which imports it); and the CodeLens on parse
 * says how many depend on it and opens the view. The page's own drawing, keyboard and
 * click are checked by the UI check (test/e2e/runE2e.ts): its DOM is out of reach here.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { review, uriOf, waitFor, type DiffwiseApi } from './helpers';

describe('The impact view', function () {
  this.timeout(120_000);
  let api: DiffwiseApi;

  before(async () => {
    api = (await vscode.extensions.getExtension('diffwise.diffwise')!.activate()) as DiffwiseApi;
    await review('diffwise.reviewBranch', 'main');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens on the last review\'s change and is sent its changed module and a dependent', async () => {
    await vscode.commands.executeCommand('diffwise.showImpact');
    const state = await waitFor('the impact page to fetch its document', () => {
      const now = api.impactPanel();
      return now.open && now.view ? now : undefined;
    }, 60_000);
    assert.deepEqual(state.params, { scope: 'branch', base: 'main' });
    const view = state.view!;
    assert.ok(view.changed.some((module) => module.file === 'src/api.ts'), JSON.stringify(view.changed));
    const dependent = view.dependents.find((module) => module.file === 'src/main.ts');
    assert.ok(dependent, JSON.stringify(view.dependents));
    assert.equal(dependent.depth, 1);
    assert.deepEqual(dependent.path, ['src/api.ts', 'src/main.ts']);
    const nodes = new Map(view.graph.nodes.map((node) => [node.id, node]));
    assert.equal(nodes.get('src/api.ts')?.changed, true);
    assert.equal(nodes.get('src/main.ts')?.changed, false);
    assert.ok(view.graph.edges.some((edge) => edge.from === 'src/main.ts' && edge.to === 'src/api.ts'), JSON.stringify(view.graph.edges));
  });

  it('reveals the one panel again rather than opening a second', async () => {
    await vscode.commands.executeCommand('diffwise.showImpact', { scope: 'branch', base: 'main' });
    const panels = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && /diffwise\.impact/.test(tab.input.viewType));
    assert.equal(panels.length, 1, panels.map((tab) => tab.label).join(', '));
  });

  it('puts "N dependents, M tests" on the changed export, which opens the view', async () => {
    const entry = await waitFor('the impact lenses of the review', () => api.impactLenses().find((lens) => lens.file === 'src/api.ts' && lens.symbol === 'parse'), 30_000);
    assert.ok(entry.dependents >= 1, JSON.stringify(entry));
    await vscode.window.showTextDocument(uriOf('src/api.ts'));
    const lenses = await waitFor('a Diffwise CodeLens on src/api.ts', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uriOf('src/api.ts'));
      const ours = found.filter((lens) => lens.command?.command === 'diffwise.showImpact');
      return ours.length ? ours : undefined;
    });
    assert.equal(lenses[0].range.start.line, entry.line - 1);
    assert.match(lenses[0].command!.title, /^\d+ dependents?, \d+ tests?$/);
    assert.deepEqual(lenses[0].command!.arguments, [{ scope: 'branch', base: 'main' }]);
    // Not in a file outside the change (the lens command needs the file open: it asks the editor's model).
    await vscode.window.showTextDocument(uriOf('src/main.ts'), { preview: false });
    const elsewhere = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uriOf('src/main.ts'));
    assert.deepEqual(elsewhere.filter((lens) => lens.command?.command === 'diffwise.showImpact'), []);
    await vscode.commands.executeCommand(lenses[0].command!.command, ...lenses[0].command!.arguments!);
    assert.equal(api.impactPanel().open, true);
  });
});
